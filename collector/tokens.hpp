// tokens.hpp — bearer tokens for terminals, managers and admins: made from
// the OS CSPRNG, stored in the config only as their SHA-256, compared in
// constant time. A token itself is never written anywhere by the collector.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pulse {

// A fresh token: 32 bytes from OpenSSL's RAND_bytes (seeded by the OS), as
// 43 base64url characters without padding. nullopt if the CSPRNG fails.
std::optional<std::string> new_token();

// True when a and b are equal; the time taken depends only on their lengths
// (CRYPTO_memcmp), so a caller cannot learn a hash prefix by timing.
bool hashes_equal(const std::string& a, const std::string& b);

// The index in token_hashes of the hash equal to sha256_hex(token), or
// nullopt. Compares against every entry, each in constant time.
std::optional<std::size_t> find_token(const std::string& token, const std::vector<std::string>& token_hashes);

// The token of an "Authorization: Bearer <token>" header value, the scheme
// in any case ("bearer", "BEARER"; RFC 9110 says it is case-insensitive),
// then one or more spaces; empty when the header has another form.
std::string bearer_token(const std::string& authorization);

}  // namespace pulse
