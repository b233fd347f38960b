// test_store.cpp — the collector's store on its own, the same tests on SQLite
// and PostgreSQL (suite "store": CTest runs each a second time " on
// PostgreSQL"): batches all or nothing, duplicates and conflicts, concurrent
// batches, two instances on one database, counts per Copenhagen week and
// weekday (both DST weekends), and the e-mail ledger's claims.
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "common/random.hpp"
#include "common/copenhagen_time.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_store {

using namespace pulse;
using namespace pulse::testing;

namespace {

UnixSeconds at(const char* iso) { return *parse_iso8601(iso); }

// A fresh database and a store on it, and the answers it holds.
struct Fixture : FreshStore {
    std::int64_t rows() const { return query_int(database, "SELECT COUNT(*) FROM answers"); }
};

Answer answer(unsigned n, const std::string& question, std::optional<int> value, UnixSeconds hour,
              const std::string& lang = "da") {
    return Answer{test_uuid(n), question, value, lang, hour};
}

// counts() as comparable tuples: question, value (0 = ved ikke), week offset, weekday, n.
using Row = std::tuple<std::string, int, int, int, std::int64_t>;
std::vector<Row> rows_of(const std::vector<AnswerCount>& counts) {
    std::vector<Row> out;
    for (const AnswerCount& c : counts) out.emplace_back(c.question, c.value.value_or(0), c.week_offset, c.weekday, c.n);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_SUITE_BEGIN("store");

TEST_CASE("a batch is stored once, its resend is all duplicates, and changed content stores nothing of its batch") {
    Fixture f;
    const UnixSeconds h = at("2026-11-23T09:00:00Z");
    const std::vector<Answer> batch = {answer(1, "1.1", 4, h), answer(2, "1.2", std::nullopt, h),
                                       answer(3, "2.3", 1, h, "en")};
    StoreResult r = f.store->store_batch("wp-a", "term-a", batch);
    CHECK(r.kind == StoreResult::Kind::stored);
    CHECK(r.accepted == 3);
    CHECK(r.duplicates == 0);
    r = f.store->store_batch("wp-a", "term-a", batch);
    CHECK(r.kind == StoreResult::Kind::stored);
    CHECK(r.accepted == 0);
    CHECK(r.duplicates == 3);

    // A new answer beside a duplicate: one accepted, one duplicate.
    r = f.store->store_batch("wp-a", "term-a", {answer(4, "1.1", 5, h), batch[0]});
    CHECK(r.accepted == 1);
    CHECK(r.duplicates == 1);
    CHECK(f.rows() == 4);

    // The language is not stored, so a resend that differs only in it is the same answer (issue 14).
    r = f.store->store_batch("wp-a", "term-a", {answer(1, "1.1", 4, h, "en"), answer(3, "2.3", 1, h, "da")});
    CHECK(r.kind == StoreResult::Kind::stored);
    CHECK(r.accepted == 0);
    CHECK(r.duplicates == 2);

    // Each kind of changed content is a conflict, and the new answer beside it is not stored.
    const std::vector<Answer> changed = {answer(1, "1.1", 3, h), answer(2, "1.2", 2, h), answer(1, "1.1", std::nullopt, h),
                                         answer(1, "3.1", 4, h), answer(1, "1.1", 4, h + 3600)};
    for (const Answer& a : changed) {
        r = f.store->store_batch("wp-a", "term-a", {answer(50, "4.1", 4, h), a});
        CHECK(r.kind == StoreResult::Kind::conflict);
        CHECK(r.message.find(a.id) != std::string::npos);
    }
    r = f.store->store_batch("wp-b", "term-b", {batch[0]});  // same answer claimed by another workplace
    CHECK(r.kind == StoreResult::Kind::conflict);
    CHECK(f.rows() == 4);
    CHECK(query_int(f.database, "SELECT COUNT(*) FROM answers WHERE id = '" + test_uuid(50) + "'") == 0);
}

TEST_CASE("the store keeps no language, terminal id, arrival time or batch, only the answer and its workplace") {
    Fixture f;
    REQUIRE(f.store->store_batch("wp-a", "term-a", {answer(1, "1.1", 4, at("2026-11-23T09:00:00Z"), "en")}).accepted == 1);
    const std::string columns_sql =
        f.database.rfind("postgresql://", 0) == 0
            ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'answers' AND table_schema = "
              "current_schema() AND column_name NOT IN ('id', 'workplace', 'question', 'value', 'hour')"
            : "SELECT COUNT(*) FROM pragma_table_info('answers') WHERE name NOT IN "
              "('id', 'workplace', 'question', 'value', 'hour')";
    CHECK(query_int(f.database, columns_sql) == 0);
    CHECK(query_int(f.database, "SELECT COUNT(*) FROM answers WHERE workplace = 'wp-a' AND question = '1.1' AND "
                                "value = 4 AND hour = " +
                                    std::to_string(at("2026-11-23T09:00:00Z"))) == 1);
}

TEST_CASE("overlapping batches stored from eight threads at once store every answer exactly once") {
    Fixture f;
    const UnixSeconds h = at("2026-11-23T09:00:00Z");
    // Thread t stores ids t*50 .. t*50+149: each id is in up to three batches, in differing order.
    constexpr int kThreads = 8;
    std::atomic<long> accepted{0}, duplicates{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<Answer> batch;
            for (unsigned i = 0; i < 150; ++i) batch.push_back(answer(static_cast<unsigned>(t) * 50 + i, "1.1", 3, h));
            if (t % 2) std::reverse(batch.begin(), batch.end());
            const StoreResult r = f.store->store_batch("wp-a", "term-a", batch);
            if (r.kind != StoreResult::Kind::stored) {
                ++failures;
                return;
            }
            accepted += r.accepted;
            duplicates += r.duplicates;
        });
    }
    for (std::thread& t : threads) t.join();
    CHECK(failures == 0);
    const long distinct = (kThreads - 1) * 50 + 150;
    CHECK(accepted == distinct);
    CHECK(duplicates == kThreads * 150 - distinct);
    CHECK(f.rows() == distinct);
}

TEST_CASE("two instances on one database see each other's answers, and a restart keeps them") {
    Fixture f;
    std::unique_ptr<CollectorStore> second = f.open();
    const UnixSeconds h = at("2026-11-24T12:00:00Z");
    CHECK(f.store->store_batch("wp-a", "term-a", {answer(1, "1.1", 4, h)}).accepted == 1);
    const StoreResult r = second->store_batch("wp-a", "term-a", {answer(1, "1.1", 4, h), answer(2, "1.1", 2, h)});
    CHECK(r.accepted == 1);
    CHECK(r.duplicates == 1);
    f.store.reset();
    second.reset();
    std::unique_ptr<CollectorStore> restarted = f.open();
    CHECK(restarted->answers_in_week("wp-a", IsoWeek{2026, 48}) == 2);
}

TEST_CASE("counts are grouped by Copenhagen week and weekday across the spring DST weekend") {
    Fixture f;
    // DST begins Sunday 2026-03-29 02:00 CET. Week 14 begins Monday 2026-03-30 00:00 CEST = 03-29T22:00Z.
    REQUIRE(f.store->store_batch("wp-a", "term-a",
                                 {answer(1, "1.1", 4, at("2026-03-29T21:00:00Z")),  // Sunday 23:00 CEST, W13
                                  answer(2, "1.1", 4, at("2026-03-29T22:00:00Z")),  // Monday 00:00 CEST, W14
                                  answer(3, "1.1", std::nullopt, at("2026-04-05T21:00:00Z")),  // Sunday 23:00, W14
                                  answer(4, "1.1", 4, at("2026-04-05T22:00:00Z")),  // Monday W15: after the week
                                  answer(5, "2.1", 1, at("2026-03-01T10:00:00Z")),  // Sunday W09: 5 weeks before
                                  answer(6, "2.1", 1, at("2026-03-02T10:00:00Z")),  // Monday W10: 4 weeks before
                                  answer(7, "2.1", 2, at("2026-03-25T10:00:00Z"))})  // Wednesday W13
                .accepted == 7);
    REQUIRE(f.store->store_batch("wp-b", "term-b", {answer(8, "1.1", 4, at("2026-03-30T10:00:00Z"))}).accepted == 1);
    const std::vector<Row> expected = {{"1.1", 0, 0, 6, 1}, {"1.1", 4, 0, 0, 1}, {"1.1", 4, 1, 6, 1},
                                       {"2.1", 1, 4, 0, 1}, {"2.1", 2, 1, 2, 1}};
    CHECK(rows_of(f.store->counts("wp-a", IsoWeek{2026, 14}, 4)) == expected);
    CHECK(f.store->answers_in_week("wp-a", IsoWeek{2026, 14}) == 2);
    CHECK(f.store->answers_in_week("wp-b", IsoWeek{2026, 14}) == 1);
    CHECK(f.store->answers_in_week("wp-c", IsoWeek{2026, 14}) == 0);
}

TEST_CASE("counts are grouped by Copenhagen week and weekday across the autumn DST weekend") {
    Fixture f;
    // DST ends Sunday 2026-10-25 03:00 CEST. Week 44 begins Monday 2026-10-26 00:00 CET = 10-25T23:00Z.
    REQUIRE(f.store->store_batch("wp-a", "term-a",
                                 {answer(1, "3.2", 5, at("2026-10-25T22:00:00Z")),  // Sunday 23:00 CET, W43
                                  answer(2, "3.2", 5, at("2026-10-25T23:00:00Z")),  // Monday 00:00 CET, W44
                                  answer(3, "3.2", 3, at("2026-10-25T00:00:00Z")),  // Sunday 02:00 CEST, W43
                                  answer(4, "3.2", 3, at("2026-10-24T21:00:00Z"))})  // Saturday 23:00 CEST, W43
                .accepted == 4);
    const std::vector<Row> expected = {{"3.2", 3, 1, 5, 1}, {"3.2", 3, 1, 6, 1}, {"3.2", 5, 0, 0, 1},
                                       {"3.2", 5, 1, 6, 1}};
    CHECK(rows_of(f.store->counts("wp-a", IsoWeek{2026, 44}, 1)) == expected);
}

TEST_CASE("counts of 3000 random answers equal the counts made by hand from the same answers") {
    Fixture f;
    Rng rng(2026);
    const auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
    const IsoWeek week{2026, 48};
    const UnixSeconds first = copenhagen_week_start(IsoWeek{2026, 42});  // two weeks before the five counted
    const UnixSeconds last = copenhagen_week_start(IsoWeek{2026, 50});   // one week after
    const char* questions[] = {"1.1", "1.2", "2.3", "4.6"};
    std::vector<Answer> all;
    std::map<Row, std::int64_t> by_hand;  // n left 0 in the key
    for (unsigned i = 0; i < 3000; ++i) {
        const UnixSeconds hour = first + 3600 * static_cast<UnixSeconds>(uniform(0, static_cast<int>((last - first) / 3600) - 1));
        const int v = uniform(0, 5);
        const std::optional<int> value = v == 0 ? std::nullopt : std::optional<int>(v);
        const std::string question = questions[uniform(0, 3)];
        all.push_back(answer(i + 1, question, value, hour, i % 3 ? "da" : "en"));
        const IsoWeek w = copenhagen_iso_week(hour);
        int offset = -1;
        for (int k = 0; k <= 4; ++k) {
            IsoWeek back = week;
            for (int j = 0; j < k; ++j) back = previous_week(back);
            if (back == w) offset = k;
        }
        if (offset < 0) continue;
        const UnixSeconds local = hour + copenhagen_utc_offset_s(hour);
        const int weekday = static_cast<int>(((local / 86400) + 3) % 7);
        ++by_hand[{question, v, offset, weekday, 0}];
    }
    for (std::size_t i = 0; i < all.size(); i += 500) {
        const std::vector<Answer> batch(all.begin() + static_cast<long>(i),
                                        all.begin() + static_cast<long>(std::min(all.size(), i + 500)));
        REQUIRE(f.store->store_batch("wp-a", "term-a", batch).accepted == static_cast<long>(batch.size()));
    }
    std::vector<Row> expected;
    for (const auto& [key, n] : by_hand) {
        expected.emplace_back(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), n);
    }
    CHECK(rows_of(f.store->counts("wp-a", week, 4)) == expected);
    CHECK(f.store->counts("wp-b", week, 4).empty());
}

TEST_CASE("an e-mail is claimed by one caller at a time, retried after its wait, and never again once sent") {
    Fixture f;
    const IsoWeek week{2026, 48};
    const UnixSeconds now = at("2026-11-30T06:00:00Z");
    std::string error;
    CHECK_FALSE(f.store->email_record("wp-a", week));
    CHECK(f.store->claim_email("wp-a", week, now, 600, &error) == 1);
    CHECK(f.store->claim_email("wp-a", week, now + 599, 600, &error) == 0);  // held
    CHECK(f.store->claim_email("wp-b", week, now, 600, &error) == 1);        // another workplace is its own
    REQUIRE(f.store->finish_email("wp-a", week, 1, false, "451 try again", now + 300, &error));
    std::optional<EmailRecord> r = f.store->email_record("wp-a", week);
    REQUIRE(r);
    CHECK_FALSE(r->sent);
    CHECK(r->attempts == 1);
    CHECK(r->next_attempt == now + 300);
    CHECK(r->last_error == "451 try again");
    CHECK(f.store->claim_email("wp-a", week, now + 299, 600, &error) == 0);  // waiting to retry
    CHECK(f.store->claim_email("wp-a", week, now + 300, 600, &error) == 2);
    REQUIRE(f.store->finish_email("wp-a", week, 2, true, "", 0, &error));
    r = f.store->email_record("wp-a", week);
    REQUIRE(r);
    CHECK(r->sent);
    CHECK(r->attempts == 2);
    CHECK(r->last_error.empty());
    CHECK(f.store->claim_email("wp-a", week, now + 99999, 600, &error) == 0);
    CHECK(error.empty());
    CHECK(f.store->claim_email("wp-a", IsoWeek{2026, 49}, now, 600, &error) == 1);  // the next week is new
}

TEST_CASE("a claim that outlived its lease and was taken over records nothing when it finishes late") {
    Fixture f;
    const IsoWeek week{2026, 48};
    const UnixSeconds now = at("2026-11-30T06:00:00Z");
    std::string error;
    REQUIRE(f.store->claim_email("wp-a", week, now, 600, &error) == 1);        // instance A stalls ...
    REQUIRE(f.store->claim_email("wp-a", week, now + 600, 600, &error) == 2);  // ... B takes over
    REQUIRE(f.store->finish_email("wp-a", week, 2, true, "", now + 601, &error));
    CHECK_FALSE(f.store->finish_email("wp-a", week, 1, false, "timeout", now + 700, &error));  // A, late
    CHECK(error == kEmailClaimLost);
    const std::optional<EmailRecord> r = f.store->email_record("wp-a", week);
    REQUIRE(r);
    CHECK(r->sent);
    CHECK(r->last_error.empty());
    CHECK(r->attempts == 2);
    CHECK(f.store->claim_email("wp-a", week, now + 9999, 600, &error) == 0);
}

TEST_CASE("of two instances claiming the same e-mail from many threads at once exactly one wins") {
    Fixture f;
    std::unique_ptr<CollectorStore> second = f.open();
    const UnixSeconds now = at("2026-11-30T06:00:00Z");
    std::atomic<int> wins{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::string error;
            CollectorStore& s = t % 2 ? *second : *f.store;
            if (s.claim_email("wp-a", IsoWeek{2026, 48}, now, 600, &error) > 0) ++wins;
            if (!error.empty()) ++errors;
        });
    }
    for (std::thread& t : threads) t.join();
    CHECK(wins == 1);
    CHECK(errors == 0);
    CHECK(f.store->email_record("wp-a", IsoWeek{2026, 48})->attempts == 1);
}

// [SECTION] Publication: sealing

// A builder that seals each workplace's week as the text "<workplace>:<answers>"
// and counts its calls.
SealBuilder counting_builder(std::atomic<int>& calls) {
    return [&calls](const std::vector<SealInput>& inputs) {
        ++calls;
        std::vector<std::string> texts;
        for (const SealInput& in : inputs) {
            std::int64_t n = 0;
            for (const AnswerCount& c : in.counts) n += c.n;
            texts.push_back(in.workplace + ":" + std::to_string(n));
        }
        return texts;
    };
}

TEST_CASE("of two instances sealing the same week from many threads at once exactly one seals it") {
    Fixture f;
    std::unique_ptr<CollectorStore> second = f.open();
    const IsoWeek week{2026, 48};
    std::vector<Answer> answers;
    for (unsigned i = 0; i < 6; ++i) answers.push_back(answer(i + 1, "1.1", 4, at("2026-11-24T09:00:00Z")));
    REQUIRE(f.store->store_batch("wp-a", "term-a", answers).kind == StoreResult::Kind::stored);
    std::atomic<int> builds{0}, sealed{0}, already{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::string error;
            CollectorStore& s = t % 2 ? *second : *f.store;
            switch (s.seal_week(week, {"wp-a", "wp-b"}, at("2026-11-30T06:00:00Z") + t, counting_builder(builds), &error)) {
                case SealOutcome::sealed: ++sealed; break;
                case SealOutcome::already_sealed: ++already; break;
                case SealOutcome::error: ++errors; break;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    CHECK(sealed == 1);
    CHECK(already == 7);
    CHECK(errors == 0);
    CHECK(builds == 1);
    CHECK(query_int(f.database, "SELECT COUNT(*) FROM publications") == 1);
    CHECK(query_int(f.database, "SELECT COUNT(*) FROM sealed_weeks") == 2);
    bool week_sealed = false;
    std::optional<SealedWeek> seal;
    std::string error;
    REQUIRE(second->read_sealed("wp-a", week, &week_sealed, &seal, &error));
    CHECK(week_sealed);
    REQUIRE(seal);
    CHECK(seal->summary == "wp-a:6");
    CHECK(seal->answers_at_seal == 6);
    REQUIRE(f.store->read_sealed("wp-b", week, &week_sealed, &seal, &error));
    REQUIRE(seal);
    CHECK(seal->summary == "wp-b:0");
    REQUIRE(f.store->read_sealed("wp-c", week, &week_sealed, &seal, &error));
    CHECK(week_sealed);
    CHECK_FALSE(seal);  // not in that week's seal
    REQUIRE(f.store->read_sealed("wp-a", IsoWeek{2026, 49}, &week_sealed, &seal, &error));
    CHECK_FALSE(week_sealed);
    CHECK(f.store->newest_sealed_week(&error) == week);
}

TEST_CASE("a batch for a week that must be sealed first is refused until it is, then stored and never in the seal") {
    Fixture f;
    const IsoWeek week{2026, 48};
    const std::vector<Answer> late = {answer(1, "1.1", 2, at("2026-11-27T09:00:00Z"))};
    StoreResult r = f.store->store_batch("wp-a", "term-a", late, week);
    CHECK(r.kind == StoreResult::Kind::unsealed);
    CHECK(f.rows() == 0);
    std::atomic<int> builds{0};
    std::string error;
    REQUIRE(f.store->seal_week(week, {"wp-a"}, at("2026-11-30T06:00:00Z"), counting_builder(builds), &error) ==
            SealOutcome::sealed);
    r = f.store->store_batch("wp-a", "term-a", late, week);
    CHECK(r.kind == StoreResult::Kind::stored);
    CHECK(r.accepted == 1);
    bool week_sealed = false;
    std::optional<SealedWeek> seal;
    REQUIRE(f.store->read_sealed("wp-a", week, &week_sealed, &seal, &error));
    REQUIRE(seal);
    CHECK(seal->summary == "wp-a:0");  // sealed before the answer arrived: never in it
    CHECK(seal->answers_at_seal == 0);
    CHECK(seal->sealed_at == at("2026-11-30T06:00:00Z"));
    CHECK(f.store->answers_in_week("wp-a", week) == 1);  // stored: the overview counts it late
}

TEST_SUITE_END();

TEST_CASE("a PostgreSQL server that cannot be reached is an error naming the URL without its password") {
    std::string error;
    const std::unique_ptr<CollectorStore> store =
        open_collector_store("postgresql://pulse:s3cret@/pulse?host=/nonexistent-pulse-socket-dir", &error);
    CHECK_FALSE(store);
    CHECK_MESSAGE(error.find("postgresql://pulse@/pulse?host=/nonexistent-pulse-socket-dir") != std::string::npos, error);
    CHECK_MESSAGE(error.find("cannot connect") != std::string::npos, error);
    CHECK(error.find("s3cret") == std::string::npos);

    // A password holding '@', and one given as a parameter beside sslpassword.
    const std::unique_ptr<CollectorStore> other = open_collector_store(
        "postgresql://pulse:pa@s3cret@/pulse?host=/nonexistent-pulse-socket-dir&sslpassword=x&password=q5ecret", &error);
    CHECK_FALSE(other);
    CHECK_MESSAGE(error.find("postgresql://pulse@/pulse?host=/nonexistent-pulse-socket-dir&sslpassword=x&password=…") !=
                      std::string::npos,
                  error);
    CHECK(error.find("s3cret") == std::string::npos);
    CHECK(error.find("q5ecret") == std::string::npos);
}

TEST_CASE("a SQLite database made with the first summary index gets the covering one, and the summary query uses it") {
    const std::filesystem::path file = temp_folder() / "old.sqlite3";
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE answers(id TEXT PRIMARY KEY, workplace TEXT NOT NULL, question TEXT NOT NULL,"
                         " value INTEGER NULL CHECK(value BETWEEN 1 AND 5), lang TEXT NOT NULL, hour INTEGER NOT NULL)"
                         " WITHOUT ROWID;"
                         "CREATE INDEX answers_by_workplace_hour ON answers(workplace, hour);",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    std::string error;
    REQUIRE_MESSAGE(open_collector_store(file.string(), &error), error);
    CHECK(query_int(file.string(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'answers_by_workplace_hour'") == 0);
    CHECK(query_int(file.string(), "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                   "'answers_by_workplace_hour_question_value'") == 1);

    // The plan of counts()'s query reads the index alone.
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* plan = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "EXPLAIN QUERY PLAN SELECT question, value, hour, COUNT(*) FROM answers "
                               "WHERE workplace = 'a' AND hour >= 1 AND hour < 2 GROUP BY question, value, hour",
                               -1, &plan, nullptr) == SQLITE_OK);
    std::string steps;
    while (sqlite3_step(plan) == SQLITE_ROW) steps += reinterpret_cast<const char*>(sqlite3_column_text(plan, 3)) + std::string("\n");
    sqlite3_finalize(plan);
    sqlite3_close(db);
    CHECK_MESSAGE(steps.find("USING COVERING INDEX answers_by_workplace_hour_question_value") != std::string::npos, steps);
}

}  // namespace collector_test_store
