// tokens.cpp — token creation (RAND_bytes), hashing and constant-time lookup.
#include "collector/tokens.hpp"

#include "common/base64.hpp"
#include "common/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

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
    static const std::string kPrefix = "Bearer ";
    if (authorization.size() <= kPrefix.size() || authorization.compare(0, kPrefix.size(), kPrefix) != 0) return {};
    std::string token = authorization.substr(kPrefix.size());
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
    return token;
}

}  // namespace pulse
