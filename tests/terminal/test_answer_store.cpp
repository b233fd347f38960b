// test_answer_store.cpp — the answer store on real SQLite files in fresh temp
// folders: durability across reopen, the anonymous schema, all-or-nothing
// batches, moving a corrupt file aside, noticing that the file was replaced,
// unwritable locations, and a writer process killed with SIGKILL at random
// moments.
#include "terminal/answer_store.hpp"
#include "common/random.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <unordered_set>

extern char** environ;

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_answer_store {

namespace fs = std::filesystem;
using pulse::Answer;
using pulse::AnswerStore;
using pulse::StoreStatus;

namespace {

// [SECTION] Helpers

// A fresh folder under the system temp dir, removed with everything in it.
struct TempDir : pulse::testing::TempDir {
    TempDir() : pulse::testing::TempDir("pulse-store-test") {}
};

Answer answer(std::string id, std::string question, std::optional<int> value, std::string lang,
              pulse::UnixSeconds hour) {
    return Answer{std::move(id), std::move(question), value, std::move(lang), hour};
}

std::unique_ptr<AnswerStore> open_store(const fs::path& path, fs::path* moved_aside_to = nullptr) {
    StoreStatus error;
    auto store = AnswerStore::open(path, &error, moved_aside_to);
    REQUIRE_MESSAGE(store != nullptr, error.message);
    return store;
}

// The first column of the first row of sql, as text ("" if no row).
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

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& path, const std::string& bytes, std::streamoff at = 0) {
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    if (!out) out.open(path, std::ios::binary | std::ios::out);
    out.seekp(at);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

std::string random_bytes(pulse::Rng& rng, std::size_t n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    return bytes;
}

// True for "yyyymmddThhmmssZ" (digits where the pattern has letters y..s).
bool is_utc_stamp(const std::string& text) {
    const std::string pattern = "ddddddddTddddddZ";
    if (text.size() != pattern.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool ok = pattern[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == pattern[i];
        if (!ok) return false;
    }
    return true;
}

constexpr pulse::UnixSeconds kNineAm = 1795770000;  // 2026-11-27T09:00:00Z

}  // namespace

// [SECTION] Durability and content

TEST_CASE("answers survive closing and reopening the store, including \"don't know\" and the hour as given") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    std::vector<Answer> given = {
        answer("00000000-0000-4000-8000-000000000001", "1.1", 5, "da", kNineAm),
        answer("00000000-0000-4000-8000-000000000002", "2.3", std::nullopt, "en", kNineAm + 3600),
        answer("00000000-0000-4000-8000-000000000003", "2.3", 1, "da", 1234567),  // stored as given, not truncated
    };
    {
        auto store = open_store(db);
        StoreStatus status = store->insert(given);
        REQUIRE_MESSAGE(status.ok(), status.message);
    }

    auto store = open_store(db);
    std::vector<Answer> stored = store->all_answers();
    REQUIRE(stored.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(stored[i].id == given[i].id);
        CHECK(stored[i].question == given[i].question);
        CHECK(stored[i].value == given[i].value);
        CHECK(stored[i].lang == given[i].lang);
        CHECK(stored[i].hour == given[i].hour);
    }
    CHECK(query_text(store->handle(),
                     "SELECT typeof(value) FROM answers WHERE id = '00000000-0000-4000-8000-000000000002'") == "null");
    CHECK(store->count_all() == 3);
    CHECK(store->upload_queue().count_pending_upload() == 3);
    CHECK(store->integrity_check() == "ok");
}

TEST_CASE("counts since a boundary include answers in the boundary hour and leave out earlier ones") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    REQUIRE(store->insert({
        answer("a1", "1.1", 3, "da", kNineAm - 3600),
        answer("a2", "1.1", 4, "da", kNineAm),
        answer("a3", "1.2", 2, "en", kNineAm),
        answer("a4", "1.1", std::nullopt, "en", kNineAm + 7200),
    }).ok());

    CHECK(store->count_since(kNineAm) == 3);
    CHECK(store->count_since(kNineAm + 1) == 1);
    CHECK(store->count_since(kNineAm - 3600) == 4);
    std::map<std::string, int> expected = {{"1.1", 2}, {"1.2", 1}};
    CHECK(store->counts_per_question_since(kNineAm) == expected);
    CHECK(store->counts_per_question_since(kNineAm + 10800).empty());
}

TEST_CASE("a batch with an id already stored under different content stores nothing") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    auto store = open_store(db);
    Answer first = answer("same-id", "1.1", 3, "da", kNineAm);
    REQUIRE(store->insert({first}).ok());

    SUBCASE("re-inserting the same answer is a harmless no-op") {
        StoreStatus status = store->insert({first, answer("new-id", "1.2", 4, "da", kNineAm), first});
        CHECK_MESSAGE(status.ok(), status.message);
        CHECK(store->count_all() == 2);
    }
    SUBCASE("the same id with another value fails and the other answers in the batch are not stored") {
        Answer changed = first;
        changed.value = 4;
        StoreStatus status = store->insert({answer("new-id", "1.2", 4, "da", kNineAm), changed});
        CHECK(status.sqlite_code == SQLITE_CONSTRAINT);
        CHECK(status.message.find(db.string()) != std::string::npos);
        CHECK(status.message.find("same-id") != std::string::npos);
        CHECK(store->count_all() == 1);
        CHECK(store->all_answers()[0].value == 3);
    }
    SUBCASE("a value outside 1..5 fails the whole batch") {
        StoreStatus status = store->insert({answer("new-id", "1.2", 4, "da", kNineAm),
                                            answer("bad-id", "1.2", 6, "da", kNineAm)});
        CHECK(status.sqlite_code == SQLITE_CONSTRAINT);
        CHECK(store->count_all() == 1);
    }
    SUBCASE("\"don't know\" against a stored value counts as different content") {
        Answer changed = first;
        changed.value = std::nullopt;
        CHECK(store->insert({changed}).sqlite_code == SQLITE_CONSTRAINT);
    }
    // The store is still usable after a refused batch.
    CHECK(store->insert({answer("later-id", "2.1", 1, "en", kNineAm)}).ok());
}

TEST_CASE("the connection uses WAL, synchronous=FULL, a busy timeout and schema version 2") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    CHECK(query_text(store->handle(), "PRAGMA journal_mode") == "wal");
    CHECK(query_text(store->handle(), "PRAGMA synchronous") == "2");  // FULL
    CHECK(std::stoi(query_text(store->handle(), "PRAGMA busy_timeout")) >= 1000);
    CHECK(query_text(store->handle(), "PRAGMA user_version") == "2");
}

// Schema v2 adds two upload columns, neither able to single anyone out: the
// random id of the batch an answer is being sent in (cleared once the server
// acknowledged it) and the UTC midnight of the day it was acknowledged.
TEST_CASE("no table has a rowid, and answers store exactly id, question, value, lang, hour and the upload batch and day") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    std::string sql = query_text(store->handle(), "SELECT sql FROM sqlite_master WHERE name = 'answers'");
    CHECK(sql.find("WITHOUT ROWID") != std::string::npos);

    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(store->handle(), "PRAGMA table_info(answers)", -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> columns;
    while (sqlite3_step(stmt) == SQLITE_ROW) columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
    sqlite3_finalize(stmt);
    CHECK(columns == std::vector<std::string>{"id", "question", "value", "lang", "hour", "batch", "uploaded_day"});

    // No hidden insertion counter either.
    CHECK(sqlite3_prepare_v2(store->handle(), "SELECT rowid FROM answers", -1, &stmt, nullptr) != SQLITE_OK);
    sqlite3_finalize(stmt);
    CHECK(query_text(store->handle(), "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)") ==
          "answers,batches,upload_facts");
    for (const char* table : {"batches", "upload_facts"}) {
        CAPTURE(table);
        CHECK(query_text(store->handle(), std::string("SELECT sql FROM sqlite_master WHERE name = '") + table + "'")
                  .find("WITHOUT ROWID") != std::string::npos);
    }
}

// [SECTION] Failures

TEST_CASE("a corrupt database is moved aside untouched under a timestamped name and a fresh one starts") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    pulse::Rng rng(7);
    {
        auto store = open_store(db);
        std::vector<Answer> batch;
        for (int i = 0; i < 200; ++i) batch.push_back(answer(pulse::uuid_v4(rng), "1.1", 1 + i % 5, "da", kNineAm));
        REQUIRE(store->insert(batch).ok());
    }
    REQUIRE(fs::file_size(db) > 8192);

    SUBCASE("garbage over the header") {
        write_bytes(db, random_bytes(rng, 8192));
        write_bytes(dir.path / "pulse.sqlite-wal", random_bytes(rng, 5000));
    }
    SUBCASE("garbage over a table page behind an intact header") {
        write_bytes(db, random_bytes(rng, 4096), 4096);
    }
    std::string corrupt_bytes = read_bytes(db);
    bool had_wal = fs::exists(dir.path / "pulse.sqlite-wal");
    std::string corrupt_wal = had_wal ? read_bytes(dir.path / "pulse.sqlite-wal") : "";

    fs::path moved;
    auto store = open_store(db, &moved);
    REQUIRE_FALSE(moved.empty());
    CHECK(moved.parent_path() == dir.path);
    const std::string prefix = "pulse.sqlite.corrupt-";
    std::string name = moved.filename().string();
    CHECK_MESSAGE((name.rfind(prefix, 0) == 0 && is_utc_stamp(name.substr(prefix.size()))), name);
    REQUIRE(fs::exists(moved));
    CHECK(read_bytes(moved) == corrupt_bytes);
    if (had_wal) CHECK(read_bytes(moved.string() + "-wal") == corrupt_wal);

    CHECK(store->count_all() == 0);
    CHECK(store->insert({answer(pulse::uuid_v4(rng), "1.1", 2, "en", kNineAm)}).ok());
    CHECK(store->count_all() == 1);
    CHECK(store->integrity_check() == "ok");
}

TEST_CASE("an unwritable location gives no store and an error naming the path, and moves nothing aside") {
    TempDir dir;
    fs::path blocker = dir.path / "not-a-folder";
    write_bytes(blocker, "a file where the database folder should be");
    fs::path db = blocker / "pulse.sqlite";

    StoreStatus error;
    fs::path moved;
    auto store = AnswerStore::open(db, &error, &moved);
    CHECK(store == nullptr);
    CHECK_FALSE(error.ok());
    CHECK(error.sqlite_code == SQLITE_CANTOPEN);
    CHECK_MESSAGE(error.message.find(db.string()) != std::string::npos, error.message);
    CHECK(moved.empty());
    CHECK(read_bytes(blocker) == "a file where the database folder should be");
}

TEST_CASE("a database path that is a folder is an error, not a corrupt file to move aside") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    fs::create_directory(db);
    StoreStatus error;
    fs::path moved;
    CHECK(AnswerStore::open(db, &error, &moved) == nullptr);
    CHECK_FALSE(error.ok());
    CHECK_MESSAGE(error.message.find(db.string()) != std::string::npos, error.message);
    CHECK(moved.empty());
    CHECK(fs::is_directory(db));
}

TEST_CASE("a missing parent folder is created, and the database in it keeps what is stored") {
    TempDir dir;
    fs::path db = dir.path / "data" / "kiosk" / "pulse.sqlite";
    const Answer stored = answer("00000000-0000-4000-8000-0000000000aa", "2.1", 3, "da", kNineAm);
    {
        auto store = open_store(db);
        CHECK(fs::is_directory(dir.path / "data" / "kiosk"));
        REQUIRE(store->insert({stored}).ok());
    }
    auto reopened = open_store(db);  // a new connection, after the first one closed
    const std::vector<Answer> answers = reopened->all_answers();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].id == stored.id);
    CHECK(answers[0].question == "2.1");
    CHECK(answers[0].value == 3);
    CHECK(answers[0].hour == kNineAm);
    CHECK(reopened->integrity_check() == "ok");
}

TEST_CASE("a store tells when the file at its path is no longer the one it has open") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    auto store = open_store(db);
    REQUIRE(store->insert({answer("00000000-0000-4000-8000-0000000000bb", "1.1", 2, "da", kNineAm)}).ok());
    CHECK_FALSE(store->file_moved());
    auto second = open_store(db);
    CHECK_FALSE(second->file_moved());  // another connection to the same file is no move

    for (const char* suffix : {"", "-wal", "-shm"}) {  // renamed away, as moving aside does
        fs::path from = db.string() + suffix;
        if (fs::exists(from)) fs::rename(from, dir.path / (std::string("elsewhere.sqlite") + suffix));
    }
    CHECK(store->file_moved());
    auto fresh = open_store(db);  // a fresh file now stands at the path
    CHECK(store->file_moved());
    CHECK(second->file_moved());
    CHECK_FALSE(fresh->file_moved());
    CHECK(fresh->count_all() == 0);
    fs::remove(db);  // and deleted
    CHECK(fresh->file_moved());
}

TEST_CASE("a full database (SQLITE_FULL) refuses the batch whole and accepts it once there is room") {
    TempDir dir;
    auto store = open_store(dir.path / "pulse.sqlite");
    std::string pages = query_text(store->handle(), "PRAGMA page_count");
    REQUIRE(sqlite3_exec(store->handle(), ("PRAGMA max_page_count = " + pages).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);

    pulse::Rng rng(11);
    std::vector<Answer> batch;
    for (int i = 0; i < 500; ++i) batch.push_back(answer(pulse::uuid_v4(rng), "3.1", 1 + i % 5, "en", kNineAm));
    StoreStatus status = store->insert(batch);
    CHECK(status.sqlite_code == SQLITE_FULL);
    CHECK(status.message.find(store->path().string()) != std::string::npos);
    CHECK(store->count_all() == 0);

    REQUIRE(sqlite3_exec(store->handle(), "PRAGMA max_page_count = 1000000", nullptr, nullptr, nullptr) == SQLITE_OK);
    status = store->insert(batch);
    CHECK_MESSAGE(status.ok(), status.message);
    CHECK(store->count_all() == 500);
}

// [SECTION] Crash test

namespace {

// One run of store_crash_child, killed with SIGKILL kill_after_ms after it
// started, or, with after_first_report, after it first reported a batch
// durable (so a slow start on a busy machine or under ASan still kills it
// while it writes). Returns the ids it reported durable; fails the test if it
// died on its own or reported nothing within 60 s.
std::vector<std::string> run_and_kill_child(const fs::path& db, std::uint64_t seed, int kill_after_ms,
                                            bool after_first_report) {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    std::string db_arg = db.string();
    std::string seed_arg = std::to_string(seed);
    char* argv[] = {const_cast<char*>(PULSE_CRASH_CHILD), db_arg.data(), seed_arg.data(), nullptr};
    pid_t pid = 0;
    int spawn_rc = posix_spawn(&pid, PULSE_CRASH_CHILD, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    REQUIRE_MESSAGE(spawn_rc == 0, "cannot start " << PULSE_CRASH_CHILD << ": " << std::strerror(spawn_rc));

    // Drain the pipe while waiting so the child never blocks on a full pipe.
    std::string output;
    char buffer[4096];
    const auto started = std::chrono::steady_clock::now();
    auto kill_at = after_first_report ? started + std::chrono::seconds(60)
                                      : started + std::chrono::milliseconds(kill_after_ms);
    bool open = true, reported = false;
    while (open) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fds[0], POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n <= 0) open = false;
        else output.append(buffer, static_cast<std::size_t>(n));
        if (after_first_report && !reported && output.find('\n') != std::string::npos) {
            reported = true;
            kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(kill_after_ms);
        }
    }
    kill(pid, SIGKILL);
    int wait_status = 0;
    waitpid(pid, &wait_status, 0);
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    REQUIRE_MESSAGE((WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL),
                    "store_crash_child ended on its own (exit " << WEXITSTATUS(wait_status) << "); see its stderr");
    REQUIRE_MESSAGE((!after_first_report || reported), "store_crash_child reported nothing durable in 60 s");

    std::vector<std::string> ids;
    std::size_t start = 0;
    for (std::size_t end; (end = output.find('\n', start)) != std::string::npos; start = end + 1) {
        ids.push_back(output.substr(start, end - start));
    }
    return ids;  // a line without '\n' cannot happen (one write per batch) and would be ignored
}

}  // namespace

TEST_CASE("a writer killed at random moments leaves a sound database with every answer it reported durable") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    constexpr std::uint64_t kSeed = 20261127;
    pulse::Rng rng(kSeed);
    std::unordered_set<std::string> reported;
    auto started = std::chrono::steady_clock::now();

    for (int run = 0; run < 50; ++run) {
        int kill_after_ms = 2 + static_cast<int>(rng() % 59);
        CAPTURE(run);
        CAPTURE(kill_after_ms);
        // Odd runs may kill it while it opens (and recovers) the file; even
        // ones kill it while it writes, whatever the machine's speed.
        const bool after_first_report = run % 2 == 0;
        CAPTURE(after_first_report);
        for (std::string& id :
             run_and_kill_child(db, kSeed + static_cast<std::uint64_t>(run), kill_after_ms, after_first_report)) {
            reported.insert(std::move(id));
        }

        fs::path moved;
        auto store = open_store(db, &moved);
        REQUIRE_MESSAGE(moved.empty(), "a crash must never look like corruption, but the file was moved to " << moved);
        REQUIRE(store->integrity_check() == "ok");
        std::unordered_set<std::string> stored;
        std::map<pulse::UnixSeconds, std::pair<int, int>> batches;  // hour -> (answers found, batch size)
        for (const Answer& a : store->all_answers()) {
            stored.insert(a.id);
            auto& [found, size] = batches[a.hour];
            ++found;
            size = std::stoi(a.question);
        }
        for (const std::string& id : reported) REQUIRE_MESSAGE(stored.count(id) == 1, "reported durable but missing: " << id);
        for (const auto& [hour, batch] : batches) {
            REQUIRE_MESSAGE(batch.first == batch.second, "batch at hour " << hour << " is partly stored");
        }
    }
    auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    MESSAGE("crash test: 50 kills, " << reported.size() << " answers reported durable, " << elapsed_ms << " ms");
    CHECK(reported.size() > 0);
}

// [SECTION] Write order

namespace {

// Byte offsets of each id in the database file, in the order given.
std::vector<std::size_t> offsets_in_file(const std::filesystem::path& file, const std::vector<std::string>& ids) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<std::size_t> at;
    for (const std::string& id : ids) at.push_back(bytes.find(id));
    return at;
}

bool strictly_monotonic(const std::vector<std::size_t>& v) {
    bool up = true, down = true;
    for (std::size_t i = 1; i < v.size(); ++i) {
        up = up && v[i] > v[i - 1];
        down = down && v[i] < v[i - 1];
    }
    return up || down;
}

}  // namespace

TEST_CASE("after scrubbing, the file holds answers in id order and an empty WAL, so write order cannot link a session") {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pulse-scrub-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path db = dir / "a.sqlite3";
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
    REQUIRE_MESSAGE(store, status.message);
    // Written one by one in an order far from id order (a session's answers).
    const std::vector<std::string> written = {"5c000000-0000-4000-8000-000000000000", "1a000000-0000-4000-8000-000000000000",
                                              "9e000000-0000-4000-8000-000000000000", "3b000000-0000-4000-8000-000000000000",
                                              "7d000000-0000-4000-8000-000000000000", "0f000000-0000-4000-8000-000000000000"};
    for (const std::string& id : written) REQUIRE(store->insert({Answer{id, "1.1", 3, "da", 1795770000}}));
    std::vector<std::string> sorted = written;
    std::sort(sorted.begin(), sorted.end());

    // Without scrubbing, the checkpointed file shows the order they were written in.
    REQUIRE(store->integrity_check() == "ok");
    sqlite3_exec(store->handle(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    CHECK(strictly_monotonic(offsets_in_file(db, written)));
    CHECK_FALSE(strictly_monotonic(offsets_in_file(db, sorted)));

    REQUIRE(store->scrub_write_order());
    CHECK(std::filesystem::file_size(std::filesystem::path(db.string() + "-wal")) == 0);
    CHECK(strictly_monotonic(offsets_in_file(db, sorted)));
    CHECK_FALSE(strictly_monotonic(offsets_in_file(db, written)));
    CHECK(store->count_all() == 6);
    store.reset();
    std::filesystem::remove_all(dir);
}

}  // namespace terminal_test_answer_store
