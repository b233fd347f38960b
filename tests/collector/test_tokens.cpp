// test_tokens.cpp — the Authorization header as the collector reads it: the
// Bearer scheme in any case (RFC 9110 §11.1), one or more spaces, the token;
// anything else is no token at all.
#include "collector/tokens.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_tokens {

using pulse::bearer_token;

TEST_CASE("the Bearer scheme is case-insensitive and the token follows one or more spaces") {
    for (const char* header : {"Bearer abc", "bearer abc", "BEARER abc", "bEaReR abc", "Bearer   abc", "Bearer abc  ",
                               "Bearer abc\t"}) {
        CAPTURE(header);
        CHECK(bearer_token(header) == "abc");
    }
}

TEST_CASE("another scheme or form of Authorization is no token") {
    for (const char* header : {"", "Bearer", "Bearer ", "Bearer    ", "Bearerabc", "Bearer\tabc", "Basic abc",
                               "Token abc", " Bearer abc", "Bearer-abc", "Bearér abc"}) {
        CAPTURE(header);
        CHECK(bearer_token(header).empty());
    }
}

}  // namespace collector_test_tokens
