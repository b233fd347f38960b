// tokens.cpp — token creation (RAND_bytes), hashing and constant-time lookup.
#include "collector/tokens.hpp"

#include "common/base64.hpp"
#include "common/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <string_view>

namespace pulse {

std::optional<std::string> new_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) return std::nullopt;
    std::string out = base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
    OPENSSL_cleanse(bytes, sizeof bytes);
    return out;
}

bool hashes_equal(const std::string& a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::size_t> find_token(const std::string& token, const std::vector<std::string>& token_hashes) {
    if (token.empty()) return std::nullopt;
    const std::string hash = sha256_hex(token);
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < token_hashes.size(); ++i) {
        if (hashes_equal(hash, token_hashes[i]) && !found) found = i;
    }
    return found;
}

std::string bearer_token(const std::string& authorization) {
    // RFC 9110 §11.1: the scheme is case-insensitive; then one or more spaces.
    static constexpr std::string_view kScheme = "bearer";
    if (authorization.size() <= kScheme.size()) return {};
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = authorization[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return {};
    }
    std::size_t start = kScheme.size();
    if (authorization[start] != ' ') return {};
    while (start < authorization.size() && authorization[start] == ' ') ++start;
    std::string token = authorization.substr(start);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
    return token;
}

}  // namespace pulse
