// test_base64_url.cpp — Base64 (OpenSSL) against RFC 4648's test vectors, and
// URLs as config reads them: parts from curl_url, loopback hosts, passwords
// kept out of messages.
#include "common/base64.hpp"
#include "common/url.hpp"

#include <doctest/doctest.h>

#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_base64_url {

using namespace pulse;

TEST_CASE("Base64 matches RFC 4648's test vectors and decodes back, line breaks ignored") {
    const char* const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char* const encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; ++i) {
        CHECK(base64_encode(plain[i]) == encoded[i]);
        CHECK(base64_decode(encoded[i]) == std::string(plain[i]));
    }
    CHECK(base64_decode("Zm9v\r\nYmFy\r\n") == std::string("foobar"));
    const std::string bytes("\0\xff\xfe\x01", 4);
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
    CHECK_FALSE(base64_decode("Zm9").has_value());
    CHECK_FALSE(base64_decode("Zm9*").has_value());
}

TEST_CASE("URL-safe Base64 has no padding and no '+' or '/'") {
    CHECK(base64url_encode("\xfb\xff\xbf") == "-_-_");
    CHECK(base64url_encode("f") == "Zg");
    CHECK(base64url_encode(std::string(32, '\xff')).size() == 43);
}

TEST_CASE("a URL is picked apart by libcurl, and its problems are named without the URL") {
    UrlParse p = parse_url("smtps://[::1]:2525");
    REQUIRE(p.parts);
    CHECK(p.parts->scheme == "smtps");
    CHECK(p.parts->host == "::1");
    CHECK(p.parts->port == "2525");
    CHECK(p.parts->path == "/");
    p = parse_url("https://user:pw@collector.ishoj.dk/v1?x=1");
    REQUIRE(p.parts);
    CHECK(p.parts->user == "user");
    CHECK(p.parts->has_password);
    CHECK(p.parts->host == "collector.ishoj.dk");
    CHECK(p.parts->path == "/v1");
    CHECK(p.parts->query == "x=1");
    p = parse_url("smtps://mail.ishoj.dk:99999");
    CHECK_FALSE(p.parts);
    CHECK(p.bad_port == "99999");
    CHECK(p.why.find("99999") == std::string::npos);
    p = parse_url("smtps://");
    CHECK_FALSE(p.parts);
    CHECK(p.no_host);
}

TEST_CASE("only this machine's addresses are loopback") {
    for (const char* host : {"localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]"}) CHECK_MESSAGE(is_loopback_host(host), host);
    for (const char* host : {"", "10.0.0.5", "128.0.0.1", "127.0.0.1.evil.example", "127.1", "::2", "localhost.ishoj.dk"}) {
        CHECK_MESSAGE(!is_loopback_host(host), host);
    }
}

TEST_CASE("a URL in a message loses its password, also in libpq's forms curl refuses") {
    CHECK(url_without_password("postgresql://pulse:s3cret@db.ishoj.dk/pulse") == "postgresql://pulse@db.ishoj.dk/pulse");
    CHECK(url_without_password("postgresql://pulse:pa@s3cret@/pulse?host=/run/pg&sslpassword=x&password=q") ==
          "postgresql://pulse@/pulse?host=/run/pg&sslpassword=x&password=…");
    CHECK(url_without_password("postgresql://h1:5432,h2:5433/db") == "postgresql://h1:5432,h2:5433/db");
    CHECK(url_without_password("smtps://mail.ishoj.dk") == "smtps://mail.ishoj.dk");
}

}  // namespace common_test_base64_url
