// auth.hpp — the policy of managers' browser sign-in (issue 11): the secrets
// of sign-in links and sessions and the hashes that are all the store keeps
// of them, CSRF tokens, how long links and sessions live, and the rate limit
// on sign-in requests. Pure: no HTTP, no database; the time is passed in.
// The store applies these rules (collector/storage/store.hpp, [SECTION] Web
// sign-in and sessions); the pages that use both are built on top.
#pragma once

#include "common/calendar.hpp"  // UnixSeconds

#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pulse {

// [SECTION] Secrets and their hashes

// A fresh secret for a sign-in link or a session id: 32 bytes from the OS
// CSPRNG as 43 base64url characters without padding (new_token() of
// collector/tokens.hpp). nullopt if the CSPRNG fails: then sign no one in.
std::optional<std::string> new_secret();

// What the store keeps of a secret: its SHA-256 as 64 lower-case hex digits.
// Throws std::runtime_error only when libcrypto itself fails (sha256_hex).
std::string secret_hash(std::string_view secret);

// The CSRF token that every POST of the session with id session_id must
// carry: SHA-256 hex of "pulse-csrf:" + session_id. Derived, never stored;
// it cannot be turned back into the session id, and differs from the
// session's stored hash. Throws as secret_hash.
std::string csrf_token(std::string_view session_id);

// True when presented is csrf_token(session_id), compared in constant time
// (hashes_equal). False for an empty session id or an empty token.
bool csrf_token_matches(std::string_view session_id, std::string_view presented);

// [SECTION] Who: e-mail addresses

// A person is known by an e-mail address, compared lower-cased: address without
// leading and trailing spaces and tabs, ASCII letters lower-cased (bytes
// beyond ASCII are kept as they are). It checks nothing: whether the result
// is a configured person's address is the caller's question. "" stays "".
std::string normalise_email(std::string_view address);

// [SECTION] Lifetimes

// A sign-in link works once, and only within this long of being mailed.
inline constexpr UnixSeconds kSignInLinkLifetime_s = 15 * 60;
// A session ends this long after its last use...
inline constexpr UnixSeconds kSessionIdle_s = 8 * kSecondsPerHour;
// ...and this long after sign-in however much it is used.
inline constexpr UnixSeconds kSessionMaxAge_s = 7 * kSecondsPerDay;
// A person keeps only the newest sessions, this many (a new sign-in ends the oldest).
inline constexpr int kSessionsKeptPerPerson = 10;

// When a link mailed at issued_at stops working: the store's expires_at.
constexpr UnixSeconds signin_link_expires_at(UnixSeconds issued_at) { return issued_at + kSignInLinkLifetime_s; }

// Whether a link that expires at expires_at still works at now: strictly
// before expires_at (a link used exactly 15 minutes after mailing is refused).
constexpr bool signin_link_valid(UnixSeconds expires_at, UnixSeconds now) { return now < expires_at; }

// Whether a session signed in at created_at and last used at last_used is
// still live at now: strictly within kSessionIdle_s of its last use and
// kSessionMaxAge_s of sign-in. The store's touch_session applies the same
// comparisons.
constexpr bool session_live(UnixSeconds created_at, UnixSeconds last_used, UnixSeconds now) {
    return now < last_used + kSessionIdle_s && now < created_at + kSessionMaxAge_s;
}

// [SECTION] Rate limit on sign-in requests

// How many sign-in requests are let through. Both limits count over a
// sliding window: a request at t counts until t + window_s (excluded).
struct SignInLimits {
    int per_address = 5;            // per e-mail address (normalised): a person's mailbox is not flooded
    int per_client = 20;            // per client (its IP address as text): one client does not try many addresses
    UnixSeconds window_s = 15 * 60;  // the sliding window
    std::size_t max_keys = 10000;   // addresses and clients remembered at most, together (at least 2)
};

// A request's verdict. Converts to true when allowed.
struct SignInVerdict {
    enum class Kind { allowed, address_limited, client_limited };
    Kind kind = Kind::allowed;
    UnixSeconds retry_after_s = 0;  // limited: seconds until the same request would be allowed; else 0
    explicit operator bool() const { return kind == Kind::allowed; }
};

// Counts sign-in requests per address and per client, in memory (a restart
// forgets them; each collector instance counts its own). Thread-safe.
// Memory stays bounded: an address or client whose requests have all left
// the window is forgotten, only allowed requests are remembered (at most the
// limit per key), and beyond max_keys the key whose last allowed request is
// oldest is forgotten first (an attacker cycling through more keys than that
// within one window can make a key forget its count: the price of the bound).
// Keys longer than kMaxKeyBytes are cut to that length.
class SignInRateLimiter {
public:
    static constexpr std::size_t kMaxKeyBytes = 320;  // longer than any e-mail address (254) or IP address text

    explicit SignInRateLimiter(SignInLimits limits = {});

    // Decides a sign-in request for address (normalised here) from client at
    // now. Allowed when, within the window before now, fewer than
    // per_address requests for the address and fewer than per_client from
    // the client were allowed; the request then counts for both. A refused
    // request counts for neither, so a client that keeps retrying is let
    // through again once its oldest counted request leaves the window. When
    // both limits are reached, address_limited. `now` should not go
    // backwards; if it does, requests counted "in the future" still count.
    SignInVerdict request(std::string_view address, std::string_view client, UnixSeconds now);

    // How many addresses and clients are remembered now (for tests and the log).
    std::size_t tracked_keys() const;

private:
    // The allowed requests of one key, oldest first, and its place in order_.
    struct Entry {
        std::deque<UnixSeconds> times;
        std::list<std::string>::iterator place;
    };

    // Drops times that left the window, and keys left with none, oldest
    // first. Called with mutex_ held.
    void forget_before(UnixSeconds now);
    // Requests of key still in the window before now (0 for an unknown key).
    std::size_t in_window(const std::string& key, UnixSeconds now) const;
    // Seconds until key's oldest request in the window leaves it.
    UnixSeconds wait_for(const std::string& key, UnixSeconds now) const;
    // Counts a request at now for key, and makes key the most recently used.
    void record(const std::string& key, UnixSeconds now);

    const SignInLimits limits_;
    mutable std::mutex mutex_;  // guards everything below
    std::unordered_map<std::string, Entry> entries_;  // "a <address>" and "c <client>"
    std::list<std::string> order_;  // the keys of entries_, least recently allowed first
};

}  // namespace pulse
