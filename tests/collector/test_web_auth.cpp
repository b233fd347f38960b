// test_web_auth.cpp — managers' browser sign-in below the pages: the policy
// of collector/web/auth.hpp (secrets, CSRF tokens, addresses, lifetimes, the
// rate limiter), and the store's sign-in links and sessions, the same tests
// on SQLite and PostgreSQL (suite "store": CTest runs each a second time
// " on PostgreSQL").
#include "collector/storage/store.hpp"
#include "collector_fixture.hpp"
#include "collector/web/auth.hpp"
#include "common/sha256.hpp"
#include "process.hpp"
#include "temp_file.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <set>
#include <thread>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_web_auth {

using namespace pulse;
using namespace pulse::testing;

namespace {

constexpr UnixSeconds kT0 = 1795000000;  // 2026-11-18T11:06:40Z; any time will do

bool is_base64url(const std::string& s) {
    for (char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

// [SECTION] Policy

TEST_CASE("a new secret is 43 base64url characters, never the same twice, and is stored only as its SHA-256 hex") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::optional<std::string> secret = new_secret();
        REQUIRE(secret);
        CHECK(secret->size() == 43);  // 32 bytes, no padding
        CHECK_MESSAGE(is_base64url(*secret), *secret);
        CHECK(seen.insert(*secret).second);
    }
    const std::string secret = *seen.begin();
    CHECK(secret_hash(secret) == sha256_hex(secret));
    CHECK(is_sha256_hex(secret_hash(secret)));
    CHECK_FALSE(is_sha256_hex(secret));
    CHECK_FALSE(is_sha256_hex(std::string(64, 'A')));  // upper-case hex is not what secret_hash gives
    CHECK_FALSE(is_sha256_hex(std::string(63, 'a')));
}

TEST_CASE("a CSRF token is derived from its session id, differs from the stored hash, and only the exact one matches") {
    const std::string session = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const std::string other = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB";
    const std::string token = csrf_token(session);
    CHECK(token == sha256_hex("pulse-csrf:" + session));
    CHECK(token == csrf_token(session));          // derived: the same every time, nothing to store
    CHECK(token != secret_hash(session));         // the database's hash is not the token
    CHECK(token != csrf_token(other));
    CHECK(token.find(session) == std::string::npos);

    CHECK(csrf_token_matches(session, token));
    CHECK_FALSE(csrf_token_matches(other, token));             // another session's token
    CHECK_FALSE(csrf_token_matches(session, csrf_token(other)));
    std::string flipped = token;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK_FALSE(csrf_token_matches(session, flipped));
    CHECK_FALSE(csrf_token_matches(session, token.substr(0, 63)));
    CHECK_FALSE(csrf_token_matches(session, token + "0"));
    CHECK_FALSE(csrf_token_matches(session, ""));
    CHECK_FALSE(csrf_token_matches("", csrf_token("")));  // no session, no token, however computed
}

TEST_CASE("an e-mail address is compared without surrounding spaces and with ASCII letters lower-cased") {
    CHECK(normalise_email("Leder.A@Ishoj.DK") == "leder.a@ishoj.dk");
    CHECK(normalise_email("  leder.a@ishoj.dk\t") == "leder.a@ishoj.dk");
    CHECK(normalise_email("leder.a@ishoj.dk") == "leder.a@ishoj.dk");
    CHECK(normalise_email("Søren@Ishøj.DK") == "søren@ishøj.dk");  // UTF-8 bytes kept as they are
    CHECK(normalise_email("a b@c.dk") == "a b@c.dk");              // inside: not its business
    CHECK(normalise_email("   ").empty());
    CHECK(normalise_email("").empty());
}

TEST_CASE("a sign-in link works until just before 15 minutes, and a session ends 8 hours idle or 7 days after sign-in") {
    CHECK(kSignInLinkLifetime_s == 900);
    CHECK(signin_link_expires_at(kT0) == kT0 + 900);
    CHECK(signin_link_valid(signin_link_expires_at(kT0), kT0));
    CHECK(signin_link_valid(signin_link_expires_at(kT0), kT0 + 899));
    CHECK_FALSE(signin_link_valid(signin_link_expires_at(kT0), kT0 + 900));

    CHECK(kSessionIdle_s == 8 * 3600);
    CHECK(kSessionMaxAge_s == 7 * 86400);
    CHECK(kSessionsKeptPerPerson == 10);
    CHECK(session_live(kT0, kT0, kT0));
    CHECK(session_live(kT0, kT0, kT0 + 8 * 3600 - 1));
    CHECK_FALSE(session_live(kT0, kT0, kT0 + 8 * 3600));
    const UnixSeconds last = kT0 + 7 * 86400 - 3600;  // used an hour before the week is up
    CHECK(session_live(kT0, last, kT0 + 7 * 86400 - 1));
    CHECK_FALSE(session_live(kT0, last, kT0 + 7 * 86400));
}

TEST_CASE("an address gets five sign-in requests in any 15 minutes, from any clients, the sixth once the first is out") {
    SignInRateLimiter limiter;
    for (int i = 0; i < 5; ++i) {
        const SignInVerdict v = limiter.request("leder.a@ishoj.dk", "10.0.0." + std::to_string(i), kT0 + 60 * i);
        CHECK_MESSAGE(v, "request " << i);
    }
    // Another client, and the address in other letters and with spaces: the same person.
    SignInVerdict v = limiter.request(" Leder.A@ISHOJ.dk ", "10.0.0.99", kT0 + 300);
    CHECK_FALSE(v);
    CHECK(v.kind == SignInVerdict::Kind::address_limited);
    CHECK(v.retry_after_s == 600);  // the first request (kT0) leaves the window at kT0 + 900
    CHECK_FALSE(limiter.request("leder.a@ishoj.dk", "10.0.0.99", kT0 + 899));
    // Sliding: at kT0 + 900 the first is out, one more fits; the second leaves at kT0 + 960.
    CHECK(limiter.request("leder.a@ishoj.dk", "10.0.0.99", kT0 + 900));
    v = limiter.request("leder.a@ishoj.dk", "10.0.0.99", kT0 + 901);
    CHECK_FALSE(v);
    CHECK(v.retry_after_s == 59);
    // Other addresses were never limited.
    CHECK(limiter.request("leder.b@ishoj.dk", "10.0.0.99", kT0 + 901));
    CHECK(limiter.request("leder.a@ishoj.dk", "10.0.0.99", kT0 + 960));
}

TEST_CASE("a client gets twenty sign-in requests in any 15 minutes whatever the addresses, and its refusals cost no one") {
    SignInRateLimiter limiter;
    for (int i = 0; i < 20; ++i) {
        CHECK(limiter.request("person" + std::to_string(i) + "@ishoj.dk", "192.0.2.7", kT0 + i));
    }
    SignInVerdict v = limiter.request("leder.a@ishoj.dk", "192.0.2.7", kT0 + 100);
    CHECK_FALSE(v);
    CHECK(v.kind == SignInVerdict::Kind::client_limited);
    CHECK(v.retry_after_s == 800);
    // The refused client kept hammering one address: those requests counted
    // for neither, so the person can still ask five times from elsewhere.
    for (int i = 0; i < 30; ++i) CHECK_FALSE(limiter.request("leder.a@ishoj.dk", "192.0.2.7", kT0 + 100 + i));
    for (int i = 0; i < 5; ++i) CHECK(limiter.request("leder.a@ishoj.dk", "198.51.100.1", kT0 + 200 + i));
    // Other clients are not limited by this one.
    CHECK(limiter.request("leder.b@ishoj.dk", "198.51.100.2", kT0 + 300));
    // The client itself again once its first request has left the window.
    CHECK(limiter.request("leder.c@ishoj.dk", "192.0.2.7", kT0 + 900));
    CHECK_FALSE(limiter.request("leder.d@ishoj.dk", "192.0.2.7", kT0 + 900));  // the second leaves at kT0 + 901
    CHECK(limiter.request("leder.d@ishoj.dk", "192.0.2.7", kT0 + 901));
}

TEST_CASE("the limits and the window are the constructor's, and both limits reached at once name the address") {
    SignInRateLimiter limiter(SignInLimits{.per_address = 2, .per_client = 2, .window_s = 60, .max_keys = 100});
    CHECK(limiter.request("a@x.dk", "c1", kT0));
    CHECK(limiter.request("a@x.dk", "c1", kT0 + 1));
    const SignInVerdict v = limiter.request("a@x.dk", "c1", kT0 + 2);
    CHECK(v.kind == SignInVerdict::Kind::address_limited);
    CHECK(v.retry_after_s == 58);
    CHECK(limiter.request("a@x.dk", "c1", kT0 + 60));
}

TEST_CASE("the limiter forgets addresses and clients whose requests have all left the window") {
    SignInRateLimiter limiter;
    for (int i = 0; i < 50; ++i) CHECK(limiter.request("p" + std::to_string(i) + "@x.dk", "c" + std::to_string(i), kT0));
    CHECK(limiter.tracked_keys() == 100);
    CHECK(limiter.request("late@x.dk", "c-late", kT0 + 899));
    CHECK(limiter.tracked_keys() == 102);
    CHECK(limiter.request("later@x.dk", "c-later", kT0 + 900));  // the first 100 keys are out now
    CHECK(limiter.tracked_keys() == 4);
}

TEST_CASE("beyond its key cap the limiter forgets the least recently allowed keys first, and stays at the cap") {
    SignInRateLimiter limiter(SignInLimits{.per_address = 1, .per_client = 100, .window_s = 900, .max_keys = 6});
    CHECK(limiter.request("a1@x.dk", "c1", kT0));
    CHECK_FALSE(limiter.request("a1@x.dk", "c9", kT0 + 1));  // remembered: limited
    CHECK(limiter.request("a2@x.dk", "c2", kT0 + 2));
    CHECK(limiter.request("a3@x.dk", "c3", kT0 + 3));
    CHECK(limiter.tracked_keys() == 6);
    CHECK(limiter.request("a4@x.dk", "c4", kT0 + 4));  // a1 and c1 are the oldest: forgotten
    CHECK(limiter.tracked_keys() == 6);
    CHECK(limiter.request("a1@x.dk", "c9", kT0 + 5));    // forgotten, so allowed again
    CHECK_FALSE(limiter.request("a4@x.dk", "c10", kT0 + 6));  // still remembered

    // A flood of distinct addresses and clients never holds more than the default cap.
    SignInRateLimiter flooded;
    for (int i = 0; i < 30000; ++i) {
        flooded.request("p" + std::to_string(i) + "@x.dk", "10." + std::to_string(i), kT0 + i / 100);
        REQUIRE(flooded.tracked_keys() <= 10000);
    }
    CHECK(flooded.tracked_keys() == 10000);
    // And an overlong key is cut, not kept whole.
    SignInRateLimiter one(SignInLimits{.per_address = 1});
    CHECK(one.request(std::string(100000, 'a') + "@x.dk", std::string(100000, 'c'), kT0));
    CHECK_FALSE(one.request(std::string(100000, 'a') + "@y.dk", "other", kT0));  // the same first 320 bytes
}

TEST_CASE("of many threads asking for one address at once exactly five are let through") {
    SignInRateLimiter limiter;
    std::atomic<int> allowed{0};
    std::latch go(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            go.arrive_and_wait();
            for (int i = 0; i < 10; ++i) {
                if (limiter.request("leder.a@ishoj.dk", "10.1." + std::to_string(t) + "." + std::to_string(i), kT0)) {
                    ++allowed;
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    CHECK(allowed == 5);
}

// A store that implements only what every store must: the web sign-in calls
// are the base class's.
struct NoSessionsStore final : CollectorStore {
    StoreResult store_batch(const std::string&, const std::string&, const std::vector<Answer>&,
                            std::optional<IsoWeek>) override {
        return {};
    }
    std::vector<AnswerCount> counts(const std::string&, IsoWeek, int, std::string*) override { return {}; }
    std::int64_t answers_in_week(const std::string&, IsoWeek) override { return 0; }
    SealOutcome seal_week(IsoWeek, const std::vector<std::string>&, UnixSeconds, const SealBuilder&,
                          std::string*) override {
        return SealOutcome::error;
    }
    std::optional<IsoWeek> newest_sealed_week(std::string*) override { return std::nullopt; }
    bool read_sealed(const std::string&, IsoWeek, bool*, std::optional<SealedWeek>*, std::string*) override {
        return false;
    }
    int claim_email(const std::string&, IsoWeek, UnixSeconds, UnixSeconds, std::string*) override { return 0; }
    bool finish_email(const std::string&, IsoWeek, int, bool, const std::string&, UnixSeconds, std::string*) override {
        return false;
    }
    std::optional<EmailRecord> email_record(const std::string&, IsoWeek) override { return std::nullopt; }
};

TEST_CASE("a store that keeps no web sessions refuses every sign-in call with an error, so nobody gets in") {
    NoSessionsStore store;
    const std::string hash = secret_hash("s");
    std::string error;
    CHECK_FALSE(store.add_signin_link(hash, "a@x.dk", kT0, kT0 + 900, &error));
    CHECK(error == kNoWebSessions);
    error.clear();
    CHECK_FALSE(store.use_signin_link(hash, kT0, &error));
    CHECK(error == kNoWebSessions);
    error.clear();
    CHECK_FALSE(store.add_session(hash, "a@x.dk", kT0, 10, &error));
    CHECK(error == kNoWebSessions);
    error.clear();
    CHECK_FALSE(store.touch_session(hash, kT0, kSessionIdle_s, kSessionMaxAge_s, &error));
    CHECK(error == kNoWebSessions);
    error.clear();
    CHECK_FALSE(store.end_session(hash, &error));
    CHECK(error == kNoWebSessions);
    error.clear();
    CHECK_FALSE(store.end_sessions_of("a@x.dk", &error));
    CHECK(error == kNoWebSessions);
}

// [SECTION] The store: sign-in links and sessions, on SQLite and PostgreSQL

namespace {

// A fresh database and a store on it, with the web sign-in calls that must succeed.
struct WebFixture : FreshStore {
    std::int64_t count(const std::string& sql) const { return query_int(database, sql); }

    // add_signin_link and add_session that must succeed.
    void link(const std::string& hash, const std::string& email, UnixSeconds issued_at) {
        std::string error;
        REQUIRE_MESSAGE(store->add_signin_link(hash, email, issued_at, signin_link_expires_at(issued_at), &error), error);
    }
    void session(const std::string& hash, const std::string& email, UnixSeconds now) {
        std::string error;
        REQUIRE_MESSAGE(store->add_session(hash, email, now, kSessionsKeptPerPerson, &error), error);
    }
    // touch_session with the policy's lifetimes; fails the test on a database error.
    std::optional<std::string> touch(const std::string& hash, UnixSeconds now) {
        std::string error;
        std::optional<std::string> email = store->touch_session(hash, now, kSessionIdle_s, kSessionMaxAge_s, &error);
        REQUIRE_MESSAGE(error.empty(), error);
        return email;
    }
    std::optional<std::string> use(const std::string& hash, UnixSeconds now) {
        std::string error;
        std::optional<std::string> email = store->use_signin_link(hash, now, &error);
        REQUIRE_MESSAGE(error.empty(), error);
        return email;
    }
};

// The stored hash of the n-th test secret.
std::string hash_of(int n) { return secret_hash("test-secret-" + std::to_string(n)); }

}  // namespace

TEST_SUITE_BEGIN("store");

TEST_CASE("a sign-in link gives its address once, and used again or never stored it gives nothing") {
    WebFixture f;
    f.link(hash_of(1), "leder.a@ishoj.dk", kT0);
    f.link(hash_of(2), "leder.b@ishoj.dk", kT0);
    std::string error;
    CHECK(f.store->use_signin_link(hash_of(1), kT0 + 60, &error) == "leder.a@ishoj.dk");
    CHECK(error.empty());
    CHECK_FALSE(f.store->use_signin_link(hash_of(1), kT0 + 61, &error));  // used: gone
    CHECK(error.empty());  // refused, not failed
    CHECK_FALSE(f.store->use_signin_link(hash_of(3), kT0 + 62, &error));  // never stored
    CHECK_FALSE(f.store->use_signin_link("", kT0 + 62, &error));
    CHECK(error.empty());
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 1);
    // Another instance on the same database sees the other link, once.
    const std::unique_ptr<CollectorStore> second = f.open();
    CHECK(second->use_signin_link(hash_of(2), kT0 + 63, &error) == "leder.b@ishoj.dk");
    CHECK_FALSE(f.store->use_signin_link(hash_of(2), kT0 + 64, &error));
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 0);
    // The same hash twice is a bug: refused with an error.
    f.link(hash_of(4), "leder.a@ishoj.dk", kT0);
    CHECK_FALSE(f.store->add_signin_link(hash_of(4), "leder.b@ishoj.dk", kT0, kT0 + 900, &error));
    CHECK_FALSE(error.empty());
}

TEST_CASE("a sign-in link works one second before 15 minutes and is refused, and deleted, at exactly 15 minutes") {
    WebFixture f;
    f.link(hash_of(1), "leder.a@ishoj.dk", kT0);
    f.link(hash_of(2), "leder.a@ishoj.dk", kT0);
    CHECK(f.use(hash_of(1), kT0 + kSignInLinkLifetime_s - 1) == "leder.a@ishoj.dk");
    CHECK_FALSE(f.use(hash_of(2), kT0 + kSignInLinkLifetime_s));
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 0);
}

TEST_CASE("expired sign-in links of anyone are deleted whenever a link is added or used") {
    WebFixture f;
    f.link(hash_of(1), "leder.a@ishoj.dk", kT0);
    f.link(hash_of(2), "leder.b@ishoj.dk", kT0 + 600);
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 2);
    f.link(hash_of(3), "leder.c@ishoj.dk", kT0 + 900);  // hash_of(1) expired at kT0 + 900
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 2);
    CHECK(f.count("SELECT COUNT(*) FROM signin_links WHERE link_hash = '" + hash_of(1) + "'") == 0);
    CHECK_FALSE(f.use(hash_of(9), kT0 + 1500));  // an unknown link's use clears hash_of(2) (expired at kT0 + 1500)
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 1);
    CHECK(f.use(hash_of(3), kT0 + 1500) == "leder.c@ishoj.dk");
}

TEST_CASE("a sign-in link used from two instances and many threads at once signs in exactly one of them") {
    WebFixture f;
    const std::unique_ptr<CollectorStore> second = f.open();
    constexpr int kRounds = 10, kThreads = 8;
    for (int round = 0; round < kRounds; ++round) {
        f.link(hash_of(round), "leder.a@ishoj.dk", kT0);
        std::atomic<int> wins{0}, errors{0};
        std::latch go(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                CollectorStore& s = t % 2 ? *second : *f.store;
                std::string error;
                go.arrive_and_wait();
                if (s.use_signin_link(hash_of(round), kT0 + 10, &error) == "leder.a@ishoj.dk") ++wins;
                if (!error.empty()) ++errors;
            });
        }
        for (std::thread& t : threads) t.join();
        CHECK_MESSAGE(wins == 1, "round " << round);
        CHECK(errors == 0);
    }
    CHECK(f.count("SELECT COUNT(*) FROM signin_links") == 0);
}

TEST_CASE("a session lives while used, records its use at most once a minute, and ends at exactly 8 hours idle") {
    WebFixture f;
    const std::string h = hash_of(1);
    const std::string last_used = "SELECT last_used FROM web_sessions WHERE session_hash = '" + h + "'";
    f.session(h, "leder.a@ishoj.dk", kT0);
    CHECK(f.count(last_used) == kT0);
    CHECK(f.touch(h, kT0 + 30) == "leder.a@ishoj.dk");
    CHECK(f.count(last_used) == kT0);  // under a minute: not written
    CHECK(f.touch(h, kT0 + kSessionTouchInterval_s) == "leder.a@ishoj.dk");
    const UnixSeconds used = kT0 + kSessionTouchInterval_s;
    CHECK(f.count(last_used) == used);
    CHECK(f.touch(h, used + kSessionIdle_s - 1) == "leder.a@ishoj.dk");  // 8 h less a second idle: still live
    const UnixSeconds used_again = used + kSessionIdle_s - 1;
    CHECK(f.count(last_used) == used_again);
    CHECK_FALSE(f.touch(h, used_again + kSessionIdle_s));  // exactly 8 h idle: over
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions") == 0);  // and deleted
    CHECK_FALSE(f.touch(h, used_again + kSessionIdle_s + 1));
    CHECK_FALSE(f.touch(hash_of(2), kT0));  // never stored
}

TEST_CASE("a session used all the time still ends exactly 7 days after sign-in") {
    WebFixture f;
    const std::string h = hash_of(1);
    f.session(h, "leder.a@ishoj.dk", kT0);
    UnixSeconds now = kT0;
    while (now + 7 * 3600 < kT0 + kSessionMaxAge_s) {
        now += 7 * 3600;
        REQUIRE_MESSAGE(f.touch(h, now) == "leder.a@ishoj.dk", "at " << (now - kT0) << " s");
    }
    CHECK(f.touch(h, kT0 + kSessionMaxAge_s - 1) == "leder.a@ishoj.dk");
    CHECK_FALSE(f.touch(h, kT0 + kSessionMaxAge_s));
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions") == 0);
}

TEST_CASE("sessions that are over are deleted when another session's use is recorded") {
    WebFixture f;
    f.session(hash_of(1), "leder.a@ishoj.dk", kT0);
    f.session(hash_of(2), "leder.b@ishoj.dk", kT0 + 3600);
    CHECK(f.touch(hash_of(2), kT0 + kSessionIdle_s) == "leder.b@ishoj.dk");  // hash_of(1) is 8 h idle now
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions WHERE session_hash = '" + hash_of(1) + "'") == 0);
}

TEST_CASE("a person keeps only the newest 10 sessions, the new one always, and other people's are untouched") {
    WebFixture f;
    for (int i = 0; i < 3; ++i) f.session(hash_of(100 + i), "leder.b@ishoj.dk", kT0 + i);
    for (int i = 0; i < 12; ++i) f.session(hash_of(i), "leder.a@ishoj.dk", kT0 + 10 + i);
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions WHERE email = 'leder.a@ishoj.dk'") == 10);
    const UnixSeconds now = kT0 + 100;
    CHECK_FALSE(f.touch(hash_of(0), now));  // the two oldest were ended
    CHECK_FALSE(f.touch(hash_of(1), now));
    for (int i = 2; i < 12; ++i) CHECK_MESSAGE(f.touch(hash_of(i), now) == "leder.a@ishoj.dk", "session " << i);
    for (int i = 0; i < 3; ++i) CHECK(f.touch(hash_of(100 + i), now) == "leder.b@ishoj.dk");

    // A sign-in through an instance whose clock is behind: still kept; the
    // oldest of the others goes.
    f.session(hash_of(50), "leder.a@ishoj.dk", kT0 - 100);
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions WHERE email = 'leder.a@ishoj.dk'") == 10);
    CHECK(f.touch(hash_of(50), now) == "leder.a@ishoj.dk");
    CHECK_FALSE(f.touch(hash_of(2), now));
    CHECK(f.touch(hash_of(3), now) == "leder.a@ishoj.dk");
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions WHERE email = 'leder.b@ishoj.dk'") == 3);
}

TEST_CASE("of sign-ins of one person from two instances and many threads at once only the newest 10 are kept") {
    WebFixture f;
    const std::unique_ptr<CollectorStore> second = f.open();
    constexpr int kRounds = 12, kThreads = 8;
    for (int round = 0; round < kRounds; ++round) {
        // Each round ends in eight sign-ins at once: the cap must hold right after them.
        std::atomic<int> errors{0};
        std::latch go(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                CollectorStore& s = t % 2 ? *second : *f.store;
                std::string error;
                go.arrive_and_wait();
                if (!s.add_session(hash_of(round * kThreads + t), "leder.a@ishoj.dk", kT0 + round,
                                   kSessionsKeptPerPerson, &error)) {
                    ++errors;
                }
            });
        }
        for (std::thread& t : threads) t.join();
        CHECK(errors == 0);
        CHECK_MESSAGE(f.count("SELECT COUNT(*) FROM web_sessions WHERE email = 'leder.a@ishoj.dk'") ==
                          std::min((round + 1) * kThreads, kSessionsKeptPerPerson),
                      "round " << round);
    }
}

TEST_CASE("sign-out ends that session only, and signing out twice is no error") {
    WebFixture f;
    f.session(hash_of(1), "leder.a@ishoj.dk", kT0);
    f.session(hash_of(2), "leder.a@ishoj.dk", kT0);
    std::string error;
    CHECK(f.store->end_session(hash_of(1), &error));
    CHECK_FALSE(f.touch(hash_of(1), kT0 + 60));
    CHECK(f.touch(hash_of(2), kT0 + 60) == "leder.a@ishoj.dk");
    CHECK(f.store->end_session(hash_of(1), &error));
    CHECK(f.store->end_session(hash_of(3), &error));
    CHECK(error.empty());
    CHECK(f.count("SELECT COUNT(*) FROM web_sessions") == 1);
}

TEST_CASE("ending a person's sessions ends all of them and deletes their unused links, and no one else's") {
    WebFixture f;
    for (int i = 0; i < 3; ++i) f.session(hash_of(i), "leder.a@ishoj.dk", kT0 + i);
    f.session(hash_of(10), "leder.b@ishoj.dk", kT0);
    f.link(hash_of(20), "leder.a@ishoj.dk", kT0);
    f.link(hash_of(21), "leder.b@ishoj.dk", kT0);
    std::string error;
    REQUIRE_MESSAGE(f.store->end_sessions_of("leder.a@ishoj.dk", &error), error);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(f.touch(hash_of(i), kT0 + 60));
    CHECK_FALSE(f.use(hash_of(20), kT0 + 60));
    CHECK(f.touch(hash_of(10), kT0 + 60) == "leder.b@ishoj.dk");
    CHECK(f.use(hash_of(21), kT0 + 60) == "leder.b@ishoj.dk");
    CHECK(f.store->end_sessions_of("nobody@ishoj.dk", &error));
    CHECK(error.empty());
}

TEST_CASE("the store keeps only hashes of sign-in secrets and refuses a secret given in place of its hash") {
    WebFixture f;
    const std::string link = *new_secret();
    const std::string session = *new_secret();
    f.link(secret_hash(link), "leder.a@ishoj.dk", kT0);
    f.session(secret_hash(session), "leder.a@ishoj.dk", kT0);
    CHECK(f.touch(secret_hash(session), kT0 + 120) == "leder.a@ishoj.dk");

    // Given the secret itself, every adding call refuses, naming the mistake.
    std::string error;
    CHECK_FALSE(f.store->add_signin_link(link, "leder.a@ishoj.dk", kT0, kT0 + 900, &error));
    CHECK_MESSAGE(error.find("SHA-256") != std::string::npos, error);
    error.clear();
    CHECK_FALSE(f.store->add_session(session, "leder.a@ishoj.dk", kT0, 10, &error));
    CHECK_MESSAGE(error.find("SHA-256") != std::string::npos, error);
    CHECK_FALSE(f.store->add_session(std::string(64, 'A'), "leder.a@ishoj.dk", kT0, 10, &error));

    // And the tables themselves refuse anything but 64 lower-case hex digits.
    const std::string raw_insert = "INSERT INTO web_sessions(session_hash, email, created_at, last_used) VALUES('" +
                                   session + "', 'x@y.dk', 0, 0)";
    if (f.postgres()) {
        PGconn* conn = PQconnectdb(f.database.c_str());
        REQUIRE(PQstatus(conn) == CONNECTION_OK);
        PGresult* r = PQexec(conn, raw_insert.c_str());
        CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
        CHECK_MESSAGE(std::string(PQerrorMessage(conn)).find("check constraint") != std::string::npos,
                      PQerrorMessage(conn));
        PQclear(r);
        PQfinish(conn);
        CHECK(f.count("SELECT COUNT(*) FROM signin_links WHERE link_hash = '" + link + "' OR email = '" + link + "'") == 0);
        CHECK(f.count("SELECT COUNT(*) FROM web_sessions WHERE session_hash = '" + session + "'") == 0);
    } else {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(f.database.c_str(), &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, raw_insert.c_str(), nullptr, nullptr, nullptr) == SQLITE_CONSTRAINT);
        sqlite3_close(db);
        // The bytes of the database and its write-ahead log hold the hashes
        // (so this reads where the rows are) and never a secret or a CSRF token.
        const std::string bytes = slurp(f.database) + slurp(f.database + "-wal");
        CHECK(bytes.find(secret_hash(link)) != std::string::npos);
        CHECK(bytes.find(secret_hash(session)) != std::string::npos);
        CHECK(bytes.find(link) == std::string::npos);
        CHECK(bytes.find(session) == std::string::npos);
        CHECK(bytes.find(csrf_token(session)) == std::string::npos);
    }
}

TEST_SUITE_END();

}  // namespace collector_test_web_auth
