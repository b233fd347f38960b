// pin_hash.hpp — the admin PIN of a terminal ([admin] pin_hash in its config,
// issue 13): a salted, slow hash (libsodium's crypto_pwhash_str, Argon2id), so
// that a config file copied off a terminal does not give the PIN away. Only
// the hash is ever stored; a PIN itself is never written or logged. In
// common/: the collector checks the hash of a terminal's config overlay too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pulse {

inline constexpr std::size_t kPinMinDigits = 4;
inline constexpr std::size_t kPinMaxDigits = 8;

// Whether pin is an acceptable admin PIN: 4 to 8 ASCII digits. Otherwise
// false with *why worded to follow "the PIN" ("must be 4 to 8 digits").
bool is_valid_pin(std::string_view pin, std::string* why);

// The Argon2id hash string of pin ("$argon2id$v=19$m=65536,t=2,p=1$…"),
// with a fresh random salt and libsodium's interactive limits (about 0.1 s
// and 64 MiB on a small machine). nullopt with *error when libsodium cannot
// start or runs out of memory. Does not check the PIN's form (is_valid_pin).
std::optional<std::string> hash_pin(std::string_view pin, std::string* error);

// Whether hash is a hash string hash_pin could have made: an Argon2id string
// libsodium can read. False with *why ("is not an Argon2id hash …").
bool is_pin_hash(std::string_view hash, std::string* why);

// Whether pin matches hash (constant time in the PIN; takes as long as the
// hash's limits say). False for a malformed hash or when libsodium fails.
bool verify_pin(std::string_view hash, std::string_view pin);

}  // namespace pulse
