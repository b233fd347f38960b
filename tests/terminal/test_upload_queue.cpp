// test_upload_queue.cpp — the store's upload queue on real SQLite files in
// fresh temp folders: batches fixed before their first send and formed only
// from hours before a cut-off, the running hour's count, acknowledging,
// setting aside, splitting, purging, the v1 → v2 migration, upload facts,
// failures midway that must change nothing, and two connections at once.
#include "terminal/answer_store.hpp"
#include "common/random.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_upload_queue {

namespace fs = std::filesystem;
using pulse::Answer;
using pulse::AnswerStore;
using pulse::UploadQueue;
using pulse::StoreStatus;

namespace {

// [SECTION] Helpers

// A fresh folder under the system temp dir, removed with everything in it.
struct TempDir : pulse::testing::TempDir {
    TempDir() : pulse::testing::TempDir("pulse-queue-test") {}
};

constexpr pulse::UnixSeconds kNineAm = 1795770000;    // 2026-11-27T09:00:00Z
constexpr pulse::UnixSeconds kMidnight = 1795737600;  // 2026-11-27T00:00:00Z
constexpr pulse::UnixSeconds kDay = 86400;
// A cut-off after every hour the tests store: every answer's hour has ended.
constexpr pulse::UnixSeconds kAllEnded = kNineAm + 100 * kDay;

std::unique_ptr<AnswerStore> open_store(const fs::path& path) {
    StoreStatus error;
    auto store = AnswerStore::open(path, &error);
    REQUIRE_MESSAGE(store != nullptr, error.message);
    return store;
}

// n answers with random ids, stored in one insert; returns them.
std::vector<Answer> store_answers(AnswerStore& store, pulse::Rng& rng, int n) {
    std::vector<Answer> answers;
    for (int i = 0; i < n; ++i) {
        std::optional<int> value;
        if (i % 6 != 5) value = 1 + i % 5;  // every sixth is "don't know"
        answers.push_back(Answer{pulse::uuid_v4(rng), "2." + std::to_string(1 + i % 6), value, i % 2 ? "en" : "da",
                                 kNineAm + 3600 * (i % 3)});
    }
    StoreStatus status = store.insert(answers);
    REQUIRE_MESSAGE(status.ok(), status.message);
    return answers;
}

std::vector<std::string> ids_of(const std::vector<Answer>& answers) {
    std::vector<std::string> ids;
    for (const Answer& a : answers) ids.push_back(a.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::set<std::string> id_set(const std::vector<Answer>& answers) {
    std::set<std::string> ids;
    for (const Answer& a : answers) ids.insert(a.id);
    return ids;
}

// The batch next_batch gives, failing the test if SQLite failed or nothing is pending.
UploadQueue::Batch require_batch(AnswerStore& store, int max_answers, const std::function<std::string()>& new_id,
                                 pulse::UnixSeconds hour_before = kAllEnded) {
    StoreStatus status;
    std::optional<UploadQueue::Batch> batch = store.upload_queue().next_batch(max_answers, hour_before, new_id, &status);
    REQUIRE_MESSAGE(status.ok(), status.message);
    REQUIRE_MESSAGE(batch.has_value(), "expected a batch, but nothing is pending");
    return *batch;
}

// The first column of the first row of sql, as text ("" if no row or NULL).
std::string query_text(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
    std::string text;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
        text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return text;
}

void exec_or_fail(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    std::string text = message ? message : "";
    sqlite3_free(message);
    REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << text);
}

// Everything the queue keeps, to show that a failed operation changed nothing.
struct QueueSnapshot {
    std::string answers;  // id|batch|uploaded_day per answer, in id order
    std::string batches;  // id|state|attempts|reason per batch, in id order
    bool operator==(const QueueSnapshot&) const = default;
};

QueueSnapshot snapshot(AnswerStore& store) {
    return {query_text(store.handle(),
                       "SELECT group_concat(id || '|' || ifnull(batch, '-') || '|' || ifnull(uploaded_day, '-'), ' ')"
                       " FROM (SELECT * FROM answers ORDER BY id)"),
            query_text(store.handle(),
                       "SELECT group_concat(id || '|' || state || '|' || attempts || '|' || ifnull(reason, '-'), ' ')"
                       " FROM (SELECT * FROM batches ORDER BY id)")};
}

}  // namespace

// [SECTION] Forming batches

TEST_CASE("a new batch fixes its membership, so asking again returns the same batch id and answers, attempts counted") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(1);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    std::vector<Answer> given = store_answers(*store, rng, 6);

    UploadQueue::Batch first = require_batch(*store, 4, new_id);
    CHECK(first.answers.size() == 4);
    CHECK(first.attempts == 0);
    // A random sample: the first four in (random) id order, content intact.
    std::vector<std::string> all_ids = ids_of(given);
    CHECK(ids_of(first.answers) == std::vector<std::string>(all_ids.begin(), all_ids.begin() + 4));
    for (const Answer& a : first.answers) {
        auto original = std::find_if(given.begin(), given.end(), [&](const Answer& g) { return g.id == a.id; });
        REQUIRE(original != given.end());
        CHECK(a.question == original->question);
        CHECK(a.value == original->value);
        CHECK(a.lang == original->lang);
        CHECK(a.hour == original->hour);
    }
    // Members of an open batch are still pending: they are not acknowledged.
    CHECK(store->upload_queue().count_pending_upload() == 6);

    REQUIRE(store->upload_queue().count_attempt(first.id));
    REQUIRE(store->upload_queue().count_attempt(first.id));
    UploadQueue::Batch retry = require_batch(*store, 4, new_id);
    CHECK(retry.id == first.id);
    CHECK(ids_of(retry.answers) == ids_of(first.answers));
    CHECK(retry.attempts == 2);

    // The membership is in the file, not in this connection.
    store.reset();
    auto reopened = open_store(dir.path / "pulse.sqlite");
    UploadQueue::Batch after_restart = require_batch(*reopened, 100, new_id);
    CHECK(after_restart.id == first.id);
    CHECK(ids_of(after_restart.answers) == ids_of(first.answers));
    CHECK(after_restart.attempts == 2);

    StoreStatus unknown = reopened->upload_queue().count_attempt("no-such-batch");
    CHECK(unknown.sqlite_code == SQLITE_NOTFOUND);
    CHECK_MESSAGE(unknown.message.find("no-such-batch") != std::string::npos, unknown.message);
}

TEST_CASE("batches never exceed max, answers stored after a batch was formed wait for the next one, and an empty queue gives nothing") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(2);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    std::set<std::string> stored = id_set(store_answers(*store, rng, 7));

    UploadQueue::Batch first = require_batch(*store, 3, new_id);
    CHECK(first.answers.size() == 3);
    std::set<std::string> late = id_set(store_answers(*store, rng, 2));
    stored.insert(late.begin(), late.end());
    CHECK(store->upload_queue().count_pending_upload() == 9);

    UploadQueue::Batch again = require_batch(*store, 3, new_id);
    CHECK(again.id == first.id);
    CHECK(ids_of(again.answers) == ids_of(first.answers));  // none of the late ones

    std::set<std::string> sent;
    std::set<std::string> batch_ids;
    UploadQueue::Batch batch = first;
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        CHECK(batch.answers.size() == 3);  // 9 = 3 + 3 + 3
        CHECK(batch_ids.insert(batch.id).second);
        for (const Answer& a : batch.answers) CHECK_MESSAGE(sent.insert(a.id).second, "sent twice: " << a.id);
        REQUIRE(store->upload_queue().mark_uploaded(batch.id, kNineAm));
        CHECK(store->upload_queue().count_pending_upload() == 9 - 3 * (round + 1));
        if (round < 2) batch = require_batch(*store, 3, new_id);
    }
    CHECK(sent == stored);

    StoreStatus status;
    status.sqlite_code = SQLITE_ERROR;  // must be reset to ok
    CHECK_FALSE(store->upload_queue().next_batch(3, kAllEnded, new_id, &status).has_value());
    CHECK_MESSAGE(status.ok(), status.message);
    CHECK(store->upload_queue().count_uploaded() == 9);

    SUBCASE("a brand-new store has nothing to send") {
        auto empty = open_store(dir.path / "empty.sqlite");
        CHECK_FALSE(empty->upload_queue().next_batch(3, kAllEnded, new_id, &status).has_value());
        CHECK_MESSAGE(status.ok(), status.message);
        CHECK(empty->upload_queue().count_pending_upload() == 0);
    }
    SUBCASE("a batch size below one is an error, and forms nothing") {
        store_answers(*store, rng, 2);
        QueueSnapshot before = snapshot(*store);
        CHECK_FALSE(store->upload_queue().next_batch(0, kAllEnded, new_id, &status).has_value());
        CHECK(status.sqlite_code == SQLITE_MISUSE);
        CHECK(snapshot(*store) == before);
    }
}

TEST_CASE("a new batch takes only answers of hours before the cut-off, and an open batch is resent whatever the cut-off") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(13);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    store_answers(*store, rng, 9);  // three each at 09:00, 10:00 and 11:00
    UploadQueue& queue = store->upload_queue();

    // At 10:xx only 09:00 has ended: the cut-off is exclusive.
    UploadQueue::Batch nine = require_batch(*store, 100, new_id, kNineAm + 3600);
    CHECK(nine.answers.size() == 3);
    for (const Answer& a : nine.answers) CHECK(a.hour == kNineAm);
    CHECK(queue.count_waiting_for_hour_end(kNineAm + 3600 + 59) == 6);
    CHECK(queue.count_pending_from_hour(kNineAm + 7200) == 3);
    CHECK(queue.count_pending_from_hour(kNineAm) == 9);  // open batches are still pending

    // Formed before, not acknowledged: resent as it is, even under an earlier cut-off.
    CHECK(require_batch(*store, 100, new_id, kNineAm).id == nine.id);
    REQUIRE(queue.mark_uploaded(nine.id, kNineAm + 3600));

    StoreStatus status;
    CHECK_FALSE(queue.next_batch(100, kNineAm + 3600, new_id, &status).has_value());  // nothing of an ended hour
    CHECK_MESSAGE(status.ok(), status.message);
    CHECK(queue.count_pending_upload() == 6);

    UploadQueue::Batch later = require_batch(*store, 2, new_id, kNineAm + 3 * 3600);
    CHECK(later.answers.size() == 2);
    REQUIRE(queue.set_aside(later.id, "HTTP 400"));
    CHECK(queue.count_waiting_for_hour_end(kNineAm + 3600) == 4);  // set-aside answers wait for nothing
    CHECK(queue.count_waiting_for_hour_end(kNineAm + 3 * 3600) == 0);
}

TEST_CASE("a new batch whose id cannot be drawn is an error, and forms nothing") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(14);
    store_answers(*store, rng, 3);
    QueueSnapshot before = snapshot(*store);
    StoreStatus status;
    CHECK_FALSE(store->upload_queue().next_batch(10, kAllEnded, [] { return std::string(); }, &status).has_value());
    CHECK(status.sqlite_code == SQLITE_MISUSE);
    CHECK_MESSAGE(status.message.find("no batch id") != std::string::npos, status.message);
    CHECK(snapshot(*store) == before);
}

// [SECTION] Acknowledging

TEST_CASE("an acknowledged batch is no longer pending, its answers carry only the UTC day and belong to no batch") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(3);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    store_answers(*store, rng, 5);
    UploadQueue::Batch batch = require_batch(*store, 3, new_id);

    StoreStatus status = store->upload_queue().mark_uploaded(batch.id, kNineAm + 1234);
    REQUIRE_MESSAGE(status.ok(), status.message);
    CHECK(store->upload_queue().count_pending_upload() == 2);
    CHECK(store->upload_queue().count_uploaded() == 3);
    CHECK(store->upload_queue().count_set_aside() == 0);
    CHECK(store->count_all() == 5);
    for (const Answer& a : batch.answers) {
        CAPTURE(a.id);
        std::string where = " FROM answers WHERE id = '" + a.id + "'";
        CHECK(query_text(store->handle(), "SELECT uploaded_day" + where) == std::to_string(kMidnight));
        CHECK(query_text(store->handle(), "SELECT typeof(batch)" + where) == "null");
    }
    CHECK(pulse::format_iso_utc(kMidnight) == "2026-11-27T00:00:00Z");
    CHECK(query_text(store->handle(), "SELECT COUNT(*) FROM batches") == "0");

    SUBCASE("just before midnight is still that day") {
        UploadQueue::Batch rest = require_batch(*store, 3, new_id);
        REQUIRE(store->upload_queue().mark_uploaded(rest.id, kMidnight + kDay - 1));
        CHECK(query_text(store->handle(), "SELECT COUNT(DISTINCT uploaded_day) FROM answers") == "1");
    }
    SUBCASE("marking the same batch again is an error naming it, and changes nothing") {
        QueueSnapshot before = snapshot(*store);
        StoreStatus again = store->upload_queue().mark_uploaded(batch.id, kNineAm + 2 * kDay);
        CHECK(again.sqlite_code == SQLITE_NOTFOUND);
        CHECK_MESSAGE(again.message.find(batch.id) != std::string::npos, again.message);
        CHECK_MESSAGE(again.message.find(store->path().string()) != std::string::npos, again.message);
        CHECK(snapshot(*store) == before);
    }
}

TEST_CASE("an acknowledgement that fails midway leaves nothing half-marked") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(4);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    store_answers(*store, rng, 4);
    UploadQueue::Batch batch = require_batch(*store, 4, new_id);
    QueueSnapshot before = snapshot(*store);

    // The answers are updated first, then the batch row is deleted: make the
    // delete fail, on this connection only.
    exec_or_fail(store->handle(),
                 "CREATE TEMP TRIGGER fail_close BEFORE DELETE ON batches"
                 " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    StoreStatus status = store->upload_queue().mark_uploaded(batch.id, kNineAm);
    CHECK(status.sqlite_code == SQLITE_CONSTRAINT);
    CHECK_MESSAGE(status.message.find("simulated failure") != std::string::npos, status.message);
    CHECK(snapshot(*store) == before);
    CHECK(store->upload_queue().count_pending_upload() == 4);
    CHECK(store->upload_queue().count_uploaded() == 0);

    exec_or_fail(store->handle(), "DROP TRIGGER fail_close");
    UploadQueue::Batch retry = require_batch(*store, 4, new_id);
    CHECK(retry.id == batch.id);
    REQUIRE(store->upload_queue().mark_uploaded(batch.id, kNineAm));
    CHECK(store->upload_queue().count_uploaded() == 4);
}

// [SECTION] Setting aside, splitting, purging

TEST_CASE("a set-aside batch is never pending or resent, is counted, keeps its reason and survives purges") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(5);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    store_answers(*store, rng, 5);
    UploadQueue::Batch refused = require_batch(*store, 2, new_id);

    StoreStatus status = store->upload_queue().set_aside(refused.id, "HTTP 422: answers[0].question: unknown question 9.9");
    REQUIRE_MESSAGE(status.ok(), status.message);
    CHECK(store->upload_queue().count_pending_upload() == 3);
    CHECK(store->upload_queue().count_set_aside() == 2);
    CHECK(query_text(store->handle(), "SELECT reason FROM batches WHERE id = '" + refused.id + "'") ==
          "HTTP 422: answers[0].question: unknown question 9.9");

    // The rest goes on; the refused answers are never offered again.
    std::set<std::string> refused_ids = id_set(refused.answers);
    for (int round = 0; round < 5; ++round) {
        StoreStatus next_status;
        std::optional<UploadQueue::Batch> next = store->upload_queue().next_batch(2, kAllEnded, new_id, &next_status);
        REQUIRE_MESSAGE(next_status.ok(), next_status.message);
        if (!next) break;
        CHECK(next->id != refused.id);
        for (const Answer& a : next->answers) CHECK(refused_ids.count(a.id) == 0);
        REQUIRE(store->upload_queue().mark_uploaded(next->id, kNineAm));
    }
    CHECK(store->upload_queue().count_pending_upload() == 0);
    CHECK(store->upload_queue().count_uploaded() == 3);

    CHECK(store->upload_queue().purge_uploaded_before(kMidnight + 1000 * kDay) == 3);
    CHECK(store->upload_queue().count_set_aside() == 2);
    std::set<std::string> left = id_set(store->all_answers());
    CHECK(left == refused_ids);

    SUBCASE("a set-aside batch cannot be split back into open ones") {
        QueueSnapshot before = snapshot(*store);
        CHECK(store->upload_queue().split_batch(refused.id, new_id).sqlite_code == SQLITE_MISUSE);
        CHECK(snapshot(*store) == before);
    }
    SUBCASE("setting aside an unknown batch is an error") {
        CHECK(store->upload_queue().set_aside("no-such-batch", "HTTP 400").sqlite_code == SQLITE_NOTFOUND);
    }
    SUBCASE("it stays set aside across a restart") {
        store.reset();
        auto reopened = open_store(dir.path / "pulse.sqlite");
        CHECK(reopened->upload_queue().count_set_aside() == 2);
        CHECK(reopened->upload_queue().count_pending_upload() == 0);
    }
}

TEST_CASE("splitting a batch gives two open batches with its halves and forgets the old id") {
    for (int n : {2, 5, 6}) {
        CAPTURE(n);
        TempDir dir;
        auto store = open_store(dir.path / "pulse.sqlite");
        pulse::Rng rng(static_cast<std::uint64_t>(60 + n));
        auto new_id = [&rng] { return pulse::uuid_v4(rng); };
        store_answers(*store, rng, n);
        UploadQueue::Batch whole = require_batch(*store, n, new_id);
        REQUIRE(store->upload_queue().count_attempt(whole.id));

        std::vector<std::string> half_ids;
        auto remember = [&] {
            half_ids.push_back(pulse::uuid_v4(rng));
            return half_ids.back();
        };
        StoreStatus status = store->upload_queue().split_batch(whole.id, remember);
        REQUIRE_MESSAGE(status.ok(), status.message);
        REQUIRE(half_ids.size() == 2);
        CHECK(query_text(store->handle(), "SELECT COUNT(*) FROM batches WHERE id = '" + whole.id + "'") == "0");
        CHECK(store->upload_queue().count_pending_upload() == n);

        // Both halves are open batches; next_batch serves them one after the other.
        std::map<std::string, std::vector<std::string>> halves;
        for (int i = 0; i < 2; ++i) {
            UploadQueue::Batch half = require_batch(*store, n, new_id);
            CHECK(std::find(half_ids.begin(), half_ids.end(), half.id) != half_ids.end());
            CHECK(half.attempts == 0);
            halves[half.id] = ids_of(half.answers);
            REQUIRE(store->upload_queue().mark_uploaded(half.id, kNineAm));
        }
        REQUIRE(halves.size() == 2);
        std::vector<std::string> first = halves[half_ids[0]], second = halves[half_ids[1]];
        CHECK(first.size() == static_cast<std::size_t>((n + 1) / 2));
        CHECK(second.size() == static_cast<std::size_t>(n / 2));
        std::vector<std::string> joined = first;
        joined.insert(joined.end(), second.begin(), second.end());
        std::sort(joined.begin(), joined.end());
        CHECK(joined == ids_of(whole.answers));
        CHECK(store->upload_queue().count_uploaded() == n);
    }
}

TEST_CASE("a batch of one answer cannot be split, and a split that fails midway changes nothing") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(7);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };

    SUBCASE("one answer") {
        store_answers(*store, rng, 1);
        UploadQueue::Batch single = require_batch(*store, 10, new_id);
        QueueSnapshot before = snapshot(*store);
        StoreStatus status = store->upload_queue().split_batch(single.id, new_id);
        CHECK(status.sqlite_code == SQLITE_MISUSE);
        CHECK_MESSAGE(status.message.find("set it aside") != std::string::npos, status.message);
        CHECK(snapshot(*store) == before);
        CHECK(require_batch(*store, 10, new_id).id == single.id);
    }
    SUBCASE("the second half's id is taken, after the first half was created") {
        store_answers(*store, rng, 4);
        UploadQueue::Batch whole = require_batch(*store, 10, new_id);
        QueueSnapshot before = snapshot(*store);
        StoreStatus status = store->upload_queue().split_batch(whole.id, [] { return std::string("same-id-twice"); });
        CHECK(status.sqlite_code == SQLITE_CONSTRAINT);
        CHECK(snapshot(*store) == before);
    }
    SUBCASE("an unknown batch") {
        store_answers(*store, rng, 2);
        CHECK(store->upload_queue().split_batch("no-such-batch", new_id).sqlite_code == SQLITE_NOTFOUND);
        CHECK(store->upload_queue().count_pending_upload() == 2);
    }
}

TEST_CASE("purging deletes only answers uploaded on a day before the cutoff") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(8);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    store_answers(*store, rng, 3);
    REQUIRE(store->upload_queue().mark_uploaded(require_batch(*store, 3, new_id).id, kNineAm));  // day 0
    store_answers(*store, rng, 2);
    REQUIRE(store->upload_queue().mark_uploaded(require_batch(*store, 3, new_id).id, kNineAm + kDay));  // day 1
    store_answers(*store, rng, 1);
    REQUIRE(store->upload_queue().set_aside(require_batch(*store, 3, new_id).id, "HTTP 400"));
    store_answers(*store, rng, 2);                     // pending, not in a batch
    UploadQueue::Batch in_flight = require_batch(*store, 1, new_id);  // pending, in an open batch
    REQUIRE(in_flight.answers.size() == 1);

    CHECK(store->upload_queue().purge_uploaded_before(kMidnight) == 0);  // nothing before day 0
    CHECK(store->upload_queue().purge_uploaded_before(kMidnight + kDay) == 3);
    CHECK(store->upload_queue().purge_uploaded_before(kMidnight + kDay) == 0);
    CHECK(store->upload_queue().count_uploaded() == 2);
    CHECK(store->upload_queue().purge_uploaded_before(kMidnight + 100 * kDay) == 2);
    CHECK(store->upload_queue().count_uploaded() == 0);
    CHECK(store->upload_queue().count_pending_upload() == 2);
    CHECK(store->upload_queue().count_set_aside() == 1);
    CHECK(store->count_all() == 3);
    CHECK(require_batch(*store, 1, new_id).id == in_flight.id);
}

// [SECTION] Schema

TEST_CASE("a version 1 database opens, is migrated to version 2 in place and keeps every answer, all pending") {
    TempDir dir;
    fs::path path = dir.path / "pulse.sqlite";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        exec_or_fail(db,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE answers(id TEXT PRIMARY KEY, question TEXT NOT NULL,"
                     " value INTEGER NULL CHECK(value BETWEEN 1 AND 5), lang TEXT NOT NULL,"
                     " hour INTEGER NOT NULL) WITHOUT ROWID;"
                     "CREATE INDEX answers_by_hour ON answers(hour);"
                     "INSERT INTO answers VALUES('7a000000-0000-4000-8000-000000000000', '1.1', 4, 'da', 1795770000);"
                     "INSERT INTO answers VALUES('1b000000-0000-4000-8000-000000000000', '2.3', NULL, 'en', 1795773600);"
                     "INSERT INTO answers VALUES('3c000000-0000-4000-8000-000000000000', '4.6', 1, 'da', 1795773600);"
                     "PRAGMA user_version=1;");
        sqlite3_close(db);
    }

    SUBCASE("it migrates and its answers can be uploaded") {
        auto store = open_store(path);
        CHECK(query_text(store->handle(), "PRAGMA user_version") == "2");
        CHECK(store->integrity_check() == "ok");
        std::vector<Answer> kept = store->all_answers();
        REQUIRE(kept.size() == 3);
        CHECK(kept[0].id == "1b000000-0000-4000-8000-000000000000");
        CHECK(kept[0].question == "2.3");
        CHECK_FALSE(kept[0].value.has_value());
        CHECK(kept[0].lang == "en");
        CHECK(kept[0].hour == 1795773600);
        CHECK(kept[2].value == 4);
        CHECK(store->upload_queue().count_pending_upload() == 3);
        CHECK(store->upload_queue().count_uploaded() == 0);
        CHECK(store->upload_queue().count_set_aside() == 0);

        pulse::Rng rng(9);
        UploadQueue::Batch batch = require_batch(*store, 10, [&rng] { return pulse::uuid_v4(rng); });
        CHECK(batch.answers.size() == 3);
        REQUIRE(store->upload_queue().mark_uploaded(batch.id, kNineAm));
        store.reset();
        auto reopened = open_store(path);  // already v2: opens without migrating again
        CHECK(reopened->upload_queue().count_uploaded() == 3);
    }
    SUBCASE("a migration that fails midway leaves the version 1 file as it was") {
        // A table in the way of the migration's second statement.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        exec_or_fail(db, "CREATE TABLE upload_facts(x)");
        sqlite3_close(db);

        StoreStatus error;
        CHECK(AnswerStore::open(path, &error) == nullptr);
        CHECK_MESSAGE(error.message.find("version 2") != std::string::npos, error.message);
        CHECK_MESSAGE(error.message.find("upload_facts") != std::string::npos, error.message);

        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        CHECK(query_text(db, "PRAGMA user_version") == "1");
        CHECK(query_text(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'batches'") == "0");
        CHECK(query_text(db, "SELECT COUNT(*) FROM pragma_table_info('answers')") == "5");
        CHECK(query_text(db, "SELECT COUNT(*) FROM answers") == "3");
        sqlite3_close(db);
    }
}

TEST_CASE("the schema makes an answer in a missing batch, or acknowledged yet in a batch, impossible") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    pulse::Rng rng(10);
    std::vector<Answer> answers = store_answers(*store, rng, 2);
    UploadQueue::Batch batch = require_batch(*store, 1, [&rng] { return pulse::uuid_v4(rng); });
    sqlite3* db = store->handle();
    std::string member = batch.answers[0].id;
    std::string other = answers[0].id == member ? answers[1].id : answers[0].id;

    auto fails = [db](const std::string& sql) {
        return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_CONSTRAINT;
    };
    CHECK(fails("DELETE FROM batches"));  // its answer would be neither pending nor set aside
    CHECK(fails("UPDATE answers SET batch = 'no-such-batch' WHERE id = '" + other + "'"));
    CHECK(fails("UPDATE answers SET uploaded_day = " + std::to_string(kMidnight) + " WHERE id = '" + member + "'"));
    CHECK(fails("UPDATE answers SET uploaded_day = " + std::to_string(kNineAm) + " WHERE id = '" + other + "'"));
    CHECK(fails("UPDATE batches SET state = 'sent'"));
    CHECK(store->upload_queue().count_pending_upload() == 2);
}

// [SECTION] Upload facts

TEST_CASE("upload facts round-trip across a restart, and the last value stored for a key wins") {
    TempDir dir;
    {
        auto store = open_store(dir.path / "pulse.sqlite");
        CHECK(store->upload_queue().upload_facts().empty());
        REQUIRE(store->upload_queue().put_upload_fact("last_upload_ok", "2026-11-27T09:00:00Z"));
        REQUIRE(store->upload_queue().put_upload_fact("last_error", "HTTP 503"));
        REQUIRE(store->upload_queue().put_upload_fact("last_error", ""));
        REQUIRE(store->upload_queue().put_upload_fact("next_attempt", "2026-11-27T09:05:00Z"));
    }
    auto store = open_store(dir.path / "pulse.sqlite");
    std::map<std::string, std::string> expected = {
        {"last_error", ""}, {"last_upload_ok", "2026-11-27T09:00:00Z"}, {"next_attempt", "2026-11-27T09:05:00Z"}};
    CHECK(store->upload_queue().upload_facts() == expected);
}

// [SECTION] Two connections

TEST_CASE("one connection stores answers while another forms and acknowledges batches: nothing lost, doubled or busy") {
    TempDir dir;
    fs::path path = dir.path / "pulse.sqlite";
    auto uploader = open_store(path);
    constexpr int kInserts = 300;

    // The kiosk's writer: batches of 1..3 answers, and now and then a scrub
    // (VACUUM), which is best effort and may report that it could not run.
    std::vector<std::string> insert_errors;
    std::set<std::string> inserted;
    std::atomic<bool> writer_done{false};
    std::thread writer([&] {
        StoreStatus error;
        auto kiosk = AnswerStore::open(path, &error);
        if (!kiosk) {
            insert_errors.push_back(error.message);
            writer_done = true;
            return;
        }
        pulse::Rng rng(11);
        for (int i = 0; i < kInserts; ++i) {
            std::vector<Answer> answers;
            for (int k = 0; k <= i % 3; ++k) answers.push_back(Answer{pulse::uuid_v4(rng), "1.1", 3, "da", kNineAm});
            StoreStatus status = kiosk->insert(answers);
            if (!status) insert_errors.push_back(status.message);
            else for (const Answer& a : answers) inserted.insert(a.id);
            if (i % 50 == 49) (void)kiosk->scrub_write_order();
        }
        writer_done = true;
    });

    pulse::Rng rng(12);
    auto new_id = [&rng] { return pulse::uuid_v4(rng); };
    std::vector<std::string> queue_errors;
    std::multiset<std::string> acknowledged;
    int batches = 0;
    for (bool last_round = false;;) {
        // Read the flag before looking, so the final look sees every insert.
        last_round = writer_done.load();
        StoreStatus status;
        std::optional<UploadQueue::Batch> batch = uploader->upload_queue().next_batch(7, kAllEnded, new_id, &status);
        if (!status) queue_errors.push_back(status.message);
        if (!batch) {
            if (last_round || !status) break;
            std::this_thread::yield();
            continue;
        }
        ++batches;
        bool split = batch->answers.size() > 1 && batches % 10 == 0;  // a 413 now and then
        StoreStatus done = split ? uploader->upload_queue().split_batch(batch->id, new_id) : uploader->upload_queue().mark_uploaded(batch->id, kNineAm);
        if (!done) {
            queue_errors.push_back(done.message);
            break;
        }
        if (!split) for (const Answer& a : batch->answers) acknowledged.insert(a.id);
        if (uploader->upload_queue().count_pending_upload() < 0) queue_errors.push_back("count_pending_upload failed");
    }
    writer.join();

    for (const std::string& e : insert_errors) FAIL_CHECK("insert: " << e);
    for (const std::string& e : queue_errors) FAIL_CHECK("queue: " << e);
    std::size_t total = 0;
    for (int i = 0; i < kInserts; ++i) total += static_cast<std::size_t>(i % 3 + 1);
    CHECK(inserted.size() == total);
    CHECK(acknowledged.size() == total);  // a multiset: an id acknowledged twice would make it bigger
    CHECK(std::set<std::string>(acknowledged.begin(), acknowledged.end()) == inserted);
    CHECK(uploader->upload_queue().count_uploaded() == static_cast<std::int64_t>(total));
    CHECK(uploader->upload_queue().count_pending_upload() == 0);
    CHECK(uploader->integrity_check() == "ok");
    MESSAGE("two connections: " << total << " answers in " << batches << " batches");
}

}  // namespace terminal_test_upload_queue
