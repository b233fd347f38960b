// test_secret_file.cpp — a secret read from a config-named file: only a
// regular file is opened (a device or a FIFO neither fills memory nor hangs),
// an oversize file is refused, and loose permissions are noticed.
#include "common/secret_file.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_secret_file {

using namespace pulse;
using namespace pulse::testing;
namespace fs = std::filesystem;

TEST_CASE("a secret file is read only when it is a small regular file") {
    const fs::path dir = temp_folder();
    write_file(dir / "token", "abc123\n");
    fs::permissions(dir / "token", fs::perms::owner_read | fs::perms::owner_write);
    SecretFile ok = read_secret_file(dir / "token");
    CHECK(ok.status == SecretFile::Status::ok);
    CHECK(ok.text == "abc123\n");
    CHECK_FALSE(ok.readable_by_others);

    fs::permissions(dir / "token", fs::perms::group_read, fs::perm_options::add);
    CHECK(read_secret_file(dir / "token").readable_by_others);

    write_file(dir / "big", std::string(4097, 'x'));
    CHECK(read_secret_file(dir / "big").status == SecretFile::Status::too_large);
    write_file(dir / "edge", std::string(4096, 'x'));
    CHECK(read_secret_file(dir / "edge").text.size() == 4096);

    CHECK(read_secret_file(dir / "missing").status == SecretFile::Status::not_a_file);
    CHECK(read_secret_file(dir).status == SecretFile::Status::not_a_file);
    // A device that never ends and a FIFO nobody writes: refused without opening.
    CHECK(read_secret_file("/dev/zero").status == SecretFile::Status::not_a_file);
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    CHECK(read_secret_file(dir / "fifo").status == SecretFile::Status::not_a_file);
}

}  // namespace common_test_secret_file
