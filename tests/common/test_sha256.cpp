// test_sha256.cpp — sha256_hex gives the FIPS 180-4 test vectors, in the
// lower-case hex that `sha256sum` prints.
#include "common/sha256.hpp"

#include <doctest/doctest.h>

#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_sha256 {

using pulse::sha256_hex;

TEST_CASE("the SHA-256 of nothing and of \"abc\" are the standard test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a message that pads to two blocks hashes to its standard test vector") {
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("every byte counts, a NUL byte too") {
    const std::string with_nul("a\0b", 3);
    CHECK(sha256_hex(with_nul) != sha256_hex("ab"));
    CHECK(sha256_hex(with_nul).size() == 64);
}

}  // namespace common_test_sha256
