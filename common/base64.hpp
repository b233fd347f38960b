// base64.hpp — Base64 (RFC 4648) on OpenSSL's EVP_EncodeBlock and
// EVP_DecodeBlock: the standard alphabet with padding for e-mail (MIME,
// RFC 2047 words) and the URL-safe alphabet without padding for tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// bytes in standard Base64 with '=' padding, one line.
std::string base64_encode(std::string_view bytes);

// bytes in URL-safe Base64 ('-' and '_' for '+' and '/'), without padding.
std::string base64url_encode(std::string_view bytes);

// The bytes of standard Base64 text; line breaks and spaces between the
// characters are ignored (MIME bodies come in lines). nullopt if anything
// else is not Base64 or the length is not a whole number of 4-character groups.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace pulse
