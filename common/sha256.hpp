// sha256.hpp — SHA-256 of a byte string as lower-case hex, by OpenSSL's
// libcrypto (Debian's libssl-dev). Names versions of files (the question bank)
// and, in the collector, hashes tokens.
#pragma once

#include <string>
#include <string_view>

namespace pulse {

// The SHA-256 of bytes as 64 lower-case hex digits, the same as `sha256sum`
// prints. Throws std::runtime_error if libcrypto fails, which happens only when
// it cannot allocate memory or its configuration is broken.
std::string sha256_hex(std::string_view bytes);

// True when text has the form sha256_hex gives: 64 lower-case hex digits
// (how the collector keeps token and sign-in secrets).
bool is_sha256_hex(std::string_view text);

}  // namespace pulse
