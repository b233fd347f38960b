// pin_hash.cpp — the admin PIN's hash through libsodium (see pin_hash.hpp).
#include "common/pin_hash.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace pulse {

namespace {

// sodium_init() once; true when libsodium is usable (it is thread-safe and
// idempotent: 0 the first time, 1 after).
bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

}  // namespace

bool is_valid_pin(std::string_view pin, std::string* why) {
    const bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || pin.size() < kPinMinDigits || pin.size() > kPinMaxDigits) {
        if (why) *why = "must be 4 to 8 digits (0-9), nothing else";
        return false;
    }
    return true;
}

std::optional<std::string> hash_pin(std::string_view pin, std::string* error) {
    if (!sodium_ready()) {
        if (error) *error = "libsodium could not start (sodium_init failed)";
        return std::nullopt;
    }
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        if (error) *error = "hashing the PIN failed (out of memory: Argon2id needs 64 MiB)";
        return std::nullopt;
    }
    return std::string(out);
}

bool is_pin_hash(std::string_view hash, std::string* why) {
    const std::string text(hash);
    // crypto_pwhash_str_needs_rehash reads the string's parameters: -1 when it
    // is not a well-formed hash string of the given algorithm.
    const bool readable = sodium_ready() && text.rfind("$argon2id$", 0) == 0 && text.size() < crypto_pwhash_STRBYTES &&
                          crypto_pwhash_str_needs_rehash(text.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != -1;
    if (!readable && why) {
        *why = "is not an Argon2id hash string (\"$argon2id$v=19$…\"); make one with `pulse-kiosk hash-pin`";
    }
    return readable;
}

bool verify_pin(std::string_view hash, std::string_view pin) {
    if (!is_pin_hash(hash, nullptr)) return false;
    const std::string text(hash);
    return crypto_pwhash_str_verify(text.c_str(), pin.data(), pin.size()) == 0;
}

}  // namespace pulse
