// auth.cpp — sign-in secrets, CSRF tokens, e-mail normalising and the
// sign-in rate limiter (collector/web/auth.hpp).
#include "collector/web/auth.hpp"

#include "collector/tokens.hpp"
#include "common/sha256.hpp"

#include <algorithm>
#include <iterator>

namespace pulse {

std::optional<std::string> new_secret() { return new_token(); }

std::string secret_hash(std::string_view secret) { return sha256_hex(secret); }

std::string csrf_token(std::string_view session_id) {
    std::string input = "pulse-csrf:";
    input += session_id;
    return sha256_hex(input);
}

bool csrf_token_matches(std::string_view session_id, std::string_view presented) {
    if (session_id.empty() || presented.empty()) return false;
    return hashes_equal(csrf_token(session_id), std::string(presented));
}

std::string normalise_email(std::string_view address) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!address.empty() && blank(address.front())) address.remove_prefix(1);
    while (!address.empty() && blank(address.back())) address.remove_suffix(1);
    std::string out(address);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// [SECTION] SignInRateLimiter

namespace {

// The map key of an address or a client: a kind prefix (so an address and a
// client with the same text never share a count), cut to kMaxKeyBytes.
std::string limiter_key(char kind, std::string_view text) {
    std::string key{kind, ' '};
    key += text.substr(0, SignInRateLimiter::kMaxKeyBytes);
    return key;
}

}  // namespace

SignInRateLimiter::SignInRateLimiter(SignInLimits limits) : limits_(limits) {}

SignInVerdict SignInRateLimiter::request(std::string_view address, std::string_view client, UnixSeconds now) {
    const std::string address_key = limiter_key('a', normalise_email(address));
    const std::string client_key = limiter_key('c', client);
    std::lock_guard<std::mutex> lock(mutex_);
    forget_before(now);
    const auto limit = [](int n) { return static_cast<std::size_t>(std::max(n, 0)); };
    const bool address_full = in_window(address_key, now) >= limit(limits_.per_address);
    const bool client_full = in_window(client_key, now) >= limit(limits_.per_client);
    if (address_full || client_full) {
        SignInVerdict verdict;
        verdict.kind = address_full ? SignInVerdict::Kind::address_limited : SignInVerdict::Kind::client_limited;
        verdict.retry_after_s = std::max(address_full ? wait_for(address_key, now) : 0,
                                         client_full ? wait_for(client_key, now) : 0);
        return verdict;
    }
    record(address_key, now);
    record(client_key, now);
    // Beyond the cap, forget the keys whose last allowed request is oldest;
    // the two just recorded are the newest, so they stay.
    const std::size_t cap = std::max<std::size_t>(limits_.max_keys, 2);
    while (entries_.size() > cap) {
        entries_.erase(order_.front());
        order_.pop_front();
    }
    return {};
}

std::size_t SignInRateLimiter::tracked_keys() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

void SignInRateLimiter::forget_before(UnixSeconds now) {
    // order_ is by last allowed request: once the front still has one in the
    // window, so has every key after it (while now does not go backwards).
    while (!order_.empty()) {
        const auto it = entries_.find(order_.front());
        if (it->second.times.back() > now - limits_.window_s) break;
        entries_.erase(it);
        order_.pop_front();
    }
}

std::size_t SignInRateLimiter::in_window(const std::string& key, UnixSeconds now) const {
    const auto it = entries_.find(key);
    if (it == entries_.end()) return 0;
    const std::deque<UnixSeconds>& times = it->second.times;
    return static_cast<std::size_t>(
        std::count_if(times.begin(), times.end(), [&](UnixSeconds t) { return t > now - limits_.window_s; }));
}

UnixSeconds SignInRateLimiter::wait_for(const std::string& key, UnixSeconds now) const {
    const auto it = entries_.find(key);
    if (it == entries_.end()) return 0;
    for (UnixSeconds t : it->second.times) {
        if (t > now - limits_.window_s) return t + limits_.window_s - now;
    }
    return 0;
}

void SignInRateLimiter::record(const std::string& key, UnixSeconds now) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        order_.push_back(key);
        it = entries_.emplace(key, Entry{{}, std::prev(order_.end())}).first;
    } else {
        order_.splice(order_.end(), order_, it->second.place);  // iterators stay valid
    }
    std::deque<UnixSeconds>& times = it->second.times;
    while (!times.empty() && times.front() <= now - limits_.window_s) times.pop_front();
    times.push_back(now);
}

}  // namespace pulse
