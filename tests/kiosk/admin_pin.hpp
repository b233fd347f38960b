// admin_pin.hpp — for the kiosk tests that open the admin screens: the
// Argon2id hash of the test PIN "4711", made once per test program
// (hashing takes a moment).
#pragma once

#include "common/pin_hash.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace pulse::test {

// The hash of "4711"; fails the test if libsodium cannot make one.
inline const std::string& pin_hash_4711() {
    static const std::string hash = [] {
        std::string error;
        const std::optional<std::string> h = hash_pin("4711", &error);
        REQUIRE_MESSAGE(h, error);
        return *h;
    }();
    return hash;
}

}  // namespace pulse::test
