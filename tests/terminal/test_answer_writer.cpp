// test_answer_writer.cpp — the inline and thread writers against real SQLite
// files: commits and wake-ups, flushing on exit, and the failures the kiosk
// must ride out without losing an answer (unwritable folder, corrupt file,
// a file moved aside by another connection, a full database, a full disk).
#include "terminal/answer_writer.hpp"
#include "common/random.hpp"

#include "store_faults.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_answer_writer {

namespace fs = std::filesystem;
using pulse::Answer;
using pulse::AnswerStore;
using pulse::AnswerWriter;
using pulse::StoreStatus;
using pulse::WriteEvent;
using Kind = pulse::WriteEvent::Kind;

namespace {

// [SECTION] Helpers

// A fresh folder under the system temp dir, removed with everything in it.
struct TempDir : pulse::testing::TempDir {
    TempDir() : pulse::testing::TempDir("pulse-writer-test") {}
};

constexpr pulse::UnixSeconds kNineAm = 1795770000;  // 2026-11-27T09:00:00Z

Answer some_answer(pulse::Rng& rng) {
    return Answer{pulse::uuid_v4(rng), "1.1", 1 + static_cast<int>(rng() % 5), "da", kNineAm};
}

std::unique_ptr<AnswerStore> open_store(const fs::path& path) {
    StoreStatus error;
    auto store = AnswerStore::open(path, &error);
    REQUIRE_MESSAGE(store != nullptr, error.message);
    return store;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::durable: return "durable";
        case Kind::failed: return "failed";
        case Kind::recovered: return "recovered";
        case Kind::moved_aside: return "moved_aside";
        case Kind::removed: return "removed";
    }
    return "?";
}

// Counts wake() calls and lets the test sleep until the next one.
struct Wakeups {
    std::mutex mutex;
    std::condition_variable cv;
    int count = 0;

    std::function<void()> callback() {
        return [this] {
            std::lock_guard lock(mutex);
            ++count;
            cv.notify_all();
        };
    }
};

// Collects a writer's events as the UI loop would: poll, then sleep until
// wake() (or 50 ms, for the inline writer, which never calls it).
struct EventLog {
    std::vector<WriteEvent> events;

    void poll(AnswerWriter& writer) {
        for (WriteEvent& e : writer.poll()) events.push_back(std::move(e));
    }

    // Polls until an event of kind k arrives after index `from`; returns its
    // index, or fails the test after timeout.
    std::size_t wait_for(AnswerWriter& writer, Wakeups& wakeups, Kind k, std::size_t from = 0,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            int seen_wakeups;
            {
                std::lock_guard lock(wakeups.mutex);
                seen_wakeups = wakeups.count;
            }
            poll(writer);
            for (std::size_t i = from; i < events.size(); ++i) {
                if (events[i].kind == k) return i;
            }
            if (std::chrono::steady_clock::now() >= deadline) break;
            std::unique_lock lock(wakeups.mutex);
            wakeups.cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return wakeups.count != seen_wakeups; });
        }
        FAIL("no '" << kind_name(k) << "' event within " << timeout.count() << " ms; events: " << describe());
        return 0;
    }

    int count(Kind k) const {
        int n = 0;
        for (const WriteEvent& e : events) n += e.kind == k;
        return n;
    }

    int durable_total() const {
        int n = 0;
        for (const WriteEvent& e : events) n += e.kind == Kind::durable ? e.count : 0;
        return n;
    }

    std::string describe() const {
        std::string text;
        for (const WriteEvent& e : events) {
            text += std::string(kind_name(e.kind)) + "(" + std::to_string(e.count) + "," + std::to_string(e.code) +
                    "," + e.message + ") ";
        }
        return text;
    }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Captures the connection SQLite opens for one database file (SQLite calls
// auto-extensions on every new connection), so a test can lower or raise
// PRAGMA max_page_count on the writer's own connection. Debian's SQLite is
// serialized (threadsafe=1), so the test thread may use that connection.
std::string g_capture_path;
std::atomic<sqlite3*> g_captured{nullptr};

int capture_connection(sqlite3* db, const char**, const sqlite3_api_routines*) {
    const char* name = sqlite3_db_filename(db, "main");
    if (name && g_capture_path == name) g_captured = db;
    return SQLITE_OK;
}

struct ConnectionCapture {
    explicit ConnectionCapture(const fs::path& db) {
        g_capture_path = db.string();
        g_captured = nullptr;
        sqlite3_auto_extension(reinterpret_cast<void (*)()>(&capture_connection));
    }
    ~ConnectionCapture() {
        sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&capture_connection));
        g_captured = nullptr;
    }
};

// A tiny tmpfs mounted on path (needs root or CAP_SYS_ADMIN), unmounted at the end.
struct TinyDisk {
    fs::path path;
    bool mounted = false;
    int mount_errno = 0;  // why mounting failed
    TinyDisk(fs::path where, const char* size) : path(std::move(where)) {
        fs::create_directories(path);
        std::string options = std::string("size=") + size;
        mounted = mount("pulse-test", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
        if (!mounted) mount_errno = errno;
    }
    ~TinyDisk() {
        if (mounted) umount2(path.c_str(), MNT_DETACH);
    }
};

// Fills the file system holding path until write(2) reports ENOSPC.
void fill_disk(const fs::path& filler) {
    int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE_MESSAGE(fd >= 0, "cannot create " << filler << ": " << std::strerror(errno));
    std::string chunk(65536, 'x');
    for (std::size_t size : {std::size_t{65536}, std::size_t{4096}, std::size_t{1}}) {
        while (::write(fd, chunk.data(), size) > 0) {
        }
    }
    int full_errno = errno;
    ::close(fd);
    REQUIRE_MESSAGE(full_errno == ENOSPC, "filling the disk stopped with " << std::strerror(full_errno));
}

// Submits answers one at a time, waiting for each outcome, until the writer
// reports `failed`; returns how many it submitted.
int submit_until_failed(AnswerWriter& writer, Wakeups& wakeups, EventLog& log, pulse::Rng& rng, int limit) {
    for (int submitted = 1; submitted <= limit; ++submitted) {
        std::size_t from = log.events.size();
        writer.submit(some_answer(rng));
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (log.events.size() == from && std::chrono::steady_clock::now() < deadline) {
            std::unique_lock lock(wakeups.mutex);
            int seen = wakeups.count;
            lock.unlock();
            log.poll(writer);
            if (log.events.size() != from) break;
            lock.lock();
            wakeups.cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return wakeups.count != seen; });
        }
        REQUIRE_MESSAGE(log.events.size() > from, "no event after submit #" << submitted);
        if (log.events.back().kind == Kind::failed) return submitted;
    }
    FAIL("the writer never reported a failure in " << limit << " answers");
    return 0;
}

// Waits (up to 60 s, a safety net only) until the writer has failed `more`
// more write attempts than `since`: its retries, each seen to happen.
void wait_for_retries(const AnswerWriter& writer, int since, int more) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (writer.failed_attempts() < since + more && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_MESSAGE(writer.failed_attempts() >= since + more,
                    "only " << writer.failed_attempts() - since << " retries within 60 s, expected " << more);
}

}  // namespace

// [SECTION] Normal operation

TEST_CASE("the inline writer makes an answer durable inside submit()") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    pulse::Rng rng(1);
    auto writer = pulse::make_inline_writer(db);
    Answer a = some_answer(rng);
    writer->submit(a);
    CHECK(writer->queued() == 0);
    std::vector<WriteEvent> events = writer->poll();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::durable);
    CHECK(events[0].count == 1);
    CHECK(writer->poll().empty());

    auto store = open_store(db);  // a second connection sees the commit
    REQUIRE(store->count_all() == 1);
    CHECK(store->all_answers()[0].id == a.id);
}

TEST_CASE("the thread writer commits in the background, reports durable and calls wake() for each event") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    pulse::Rng rng(2);
    Wakeups wakeups;
    EventLog log;
    auto writer = pulse::make_thread_writer(db, wakeups.callback(), 20);
    for (int i = 0; i < 25; ++i) writer->submit(some_answer(rng));

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (log.durable_total() < 25 && std::chrono::steady_clock::now() < deadline) {
        log.wait_for(*writer, wakeups, Kind::durable, log.events.size());
    }
    CHECK(log.durable_total() == 25);
    CHECK(writer->queued() == 0);
    CHECK(log.count(Kind::failed) == 0);
    {
        std::lock_guard lock(wakeups.mutex);
        CHECK(wakeups.count == static_cast<int>(log.events.size()));
    }
    CHECK(open_store(db)->count_all() == 25);
}

TEST_CASE("the thread writer's destructor writes what is still queued") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    pulse::Rng rng(3);
    {
        auto writer = pulse::make_thread_writer(db, nullptr, 20);
        for (int i = 0; i < 40; ++i) writer->submit(some_answer(rng));
    }
    CHECK(open_store(db)->count_all() == 40);
}

// [SECTION] Failures

TEST_CASE("an unwritable folder: the thread writer reports failed once, keeps the answer and recovers when it is fixed") {
    TempDir dir;
    fs::path blocker = dir.path / "data";
    write_file(blocker, "a file where the database folder should be");
    fs::path db = blocker / "pulse.sqlite";
    pulse::Rng rng(4);
    Wakeups wakeups;
    EventLog log;
    auto writer = pulse::make_thread_writer(db, wakeups.callback(), 20);
    Answer a = some_answer(rng);
    writer->submit(a);

    std::size_t failed = log.wait_for(*writer, wakeups, Kind::failed);
    CHECK(log.events[failed].code == SQLITE_CANTOPEN);
    CHECK_MESSAGE(contains(log.events[failed].message, db.string()), log.events[failed].message);
    CHECK(writer->queued() == 1);

    wait_for_retries(*writer, writer->failed_attempts(), 5);  // it keeps trying, every retry_ms
    log.poll(*writer);
    CHECK(log.count(Kind::failed) == 1);  // but says so once per failure streak
    CHECK(writer->queued() == 1);

    fs::remove(blocker);  // the operator fixes it
    std::size_t recovered = log.wait_for(*writer, wakeups, Kind::recovered, failed);
    std::size_t durable = log.wait_for(*writer, wakeups, Kind::durable, recovered);
    CHECK(log.events[durable].count == 1);
    CHECK(writer->queued() == 0);
    writer.reset();

    auto store = open_store(db);
    REQUIRE(store->count_all() == 1);
    CHECK(store->all_answers()[0].id == a.id);
}

TEST_CASE("an unwritable folder: the inline writer keeps the answer and writes it on a later poll()") {
    TempDir dir;
    fs::path blocker = dir.path / "data";
    write_file(blocker, "a file where the database folder should be");
    fs::path db = blocker / "pulse.sqlite";
    pulse::Rng rng(5);
    auto writer = pulse::make_inline_writer(db);
    writer->submit(some_answer(rng));
    writer->submit(some_answer(rng));

    EventLog log;
    log.poll(*writer);
    REQUIRE(log.events.size() == 1);
    CHECK(log.events[0].kind == Kind::failed);
    CHECK(log.events[0].code == SQLITE_CANTOPEN);
    CHECK(contains(log.events[0].message, db.string()));
    CHECK(writer->queued() == 2);
    CHECK(writer->poll().empty());  // still failing: nothing new to say

    fs::remove(blocker);
    log.poll(*writer);
    REQUIRE(log.events.size() == 3);
    CHECK(log.events[1].kind == Kind::recovered);
    CHECK(log.events[2].kind == Kind::durable);
    CHECK(log.events[2].count == 2);
    CHECK(writer->queued() == 0);
    CHECK(open_store(db)->count_all() == 2);
}

TEST_CASE("a corrupt database: both writers report moved_aside and write to a fresh file") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    write_file(db, std::string(16384, '\x5a'));  // not SQLite at all
    pulse::Rng rng(6);

    std::unique_ptr<AnswerWriter> writer;
    Wakeups wakeups;
    EventLog log;
    SUBCASE("inline") { writer = pulse::make_inline_writer(db); }
    SUBCASE("thread") { writer = pulse::make_thread_writer(db, wakeups.callback(), 20); }
    writer->submit(some_answer(rng));

    std::size_t moved = log.wait_for(*writer, wakeups, Kind::moved_aside);
    CHECK(contains(log.events[moved].message, "pulse.sqlite.corrupt-"));
    CHECK(fs::file_size(log.events[moved].message) == 16384);
    log.wait_for(*writer, wakeups, Kind::durable, moved);
    CHECK(log.count(Kind::failed) == 0);
    writer.reset();
    CHECK(open_store(db)->count_all() == 1);
}

TEST_CASE("the inline writer counts every failed attempt, and recovers on the first that succeeds") {
    TempDir dir;
    fs::path blocker = dir.path / "data";
    write_file(blocker, "a file where the database folder should be");
    pulse::Rng rng(10);
    auto writer = pulse::make_inline_writer(blocker / "pulse.sqlite");
    CHECK(writer->failed_attempts() == 1);  // opening, at construction
    writer->submit(some_answer(rng));
    CHECK(writer->failed_attempts() == 2);
    for (int i = 0; i < 3; ++i) writer->poll();
    CHECK(writer->failed_attempts() == 5);
    fs::remove(blocker);
    writer->poll();
    CHECK(writer->failed_attempts() == 5);
    CHECK(writer->queued() == 0);
}

TEST_CASE("when another connection moves the database aside, both writers write to the fresh file at the path, never the moved one") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    pulse::Rng rng(11);
    std::unique_ptr<AnswerWriter> writer;
    Wakeups wakeups;
    EventLog log;
    SUBCASE("inline") { writer = pulse::make_inline_writer(db); }
    SUBCASE("thread") { writer = pulse::make_thread_writer(db, wakeups.callback(), 20, 600'000); }
    const Answer before = some_answer(rng);
    writer->submit(before);
    log.wait_for(*writer, wakeups, Kind::durable);

    // The file turns corrupt; the uploader (or `status`) opens it first and moves it aside.
    pulse::testing::corrupt_in_place(db);
    StoreStatus status;
    fs::path moved;
    std::unique_ptr<AnswerStore> other = AnswerStore::open(db, &status, &moved);
    REQUIRE_MESSAGE(other != nullptr, status.message);
    REQUIRE_FALSE(moved.empty());
    const std::string moved_bytes = pulse::testing::file_bytes(moved);

    const Answer after = some_answer(rng);
    const std::size_t from = log.events.size();
    writer->submit(after);
    std::size_t durable = log.wait_for(*writer, wakeups, Kind::durable, from);
    CHECK(log.events[durable].count == 1);
    CHECK(log.count(Kind::failed) == 0);
    writer.reset();

    const std::vector<Answer> stored = other->all_answers();  // the fresh file, through the other connection
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].id == after.id);
    CHECK(pulse::testing::file_bytes(moved) == moved_bytes);  // kept as it was moved
}

TEST_CASE("a full database (SQLITE_FULL via max_page_count): failed with code 13, the answer is kept and written once there is room") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    REQUIRE_MESSAGE(sqlite3_threadsafe() == 1, "the test uses the writer's connection from its own thread");
    ConnectionCapture capture(db);
    pulse::Rng rng(7);
    Wakeups wakeups;
    EventLog log;
    auto writer = pulse::make_thread_writer(db, wakeups.callback(), 20);
    writer->submit(some_answer(rng));
    log.wait_for(*writer, wakeups, Kind::durable);
    sqlite3* connection = g_captured;
    REQUIRE(connection != nullptr);

    // No more pages than the file has now: inserts fit until a page must split.
    REQUIRE(sqlite3_exec(connection, "PRAGMA max_page_count = 1", nullptr, nullptr, nullptr) == SQLITE_OK);
    int submitted = 1 + submit_until_failed(*writer, wakeups, log, rng, 2000);
    const WriteEvent& failed = log.events.back();
    CHECK(failed.code == SQLITE_FULL);
    CHECK_MESSAGE(contains(failed.message, db.string()), failed.message);
    CHECK(writer->queued() == 1);
    wait_for_retries(*writer, writer->failed_attempts(), 5);  // it keeps retrying, quietly
    log.poll(*writer);
    CHECK(log.count(Kind::failed) == 1);
    CHECK(writer->queued() == 1);

    std::size_t from = log.events.size();
    REQUIRE(sqlite3_exec(connection, "PRAGMA max_page_count = 1000000", nullptr, nullptr, nullptr) == SQLITE_OK);
    std::size_t recovered = log.wait_for(*writer, wakeups, Kind::recovered, from);
    log.wait_for(*writer, wakeups, Kind::durable, recovered);
    CHECK(writer->queued() == 0);
    writer.reset();
    CHECK(open_store(db)->count_all() == submitted);
}

TEST_CASE("a full disk (a tiny tmpfs): failed with code 13, the answer is kept and written once space is freed") {
    TempDir dir;
    TinyDisk disk(dir.path / "disk", "512k");
    if (!disk.mounted) {
        MESSAGE("skipped: cannot mount a tmpfs here (" << std::strerror(disk.mount_errno)
                                                       << "); the max_page_count test covers SQLITE_FULL");
        return;
    }
    fs::path db = disk.path / "pulse.sqlite";
    pulse::Rng rng(8);
    Wakeups wakeups;
    EventLog log;
    auto writer = pulse::make_thread_writer(db, wakeups.callback(), 20);
    writer->submit(some_answer(rng));
    log.wait_for(*writer, wakeups, Kind::durable);

    fill_disk(disk.path / "filler");
    int submitted = 1 + submit_until_failed(*writer, wakeups, log, rng, 2000);
    const WriteEvent& failed = log.events.back();
    CHECK(failed.code == SQLITE_FULL);
    CHECK_MESSAGE(contains(failed.message, db.string()), failed.message);
    CHECK(writer->queued() == 1);

    std::size_t from = log.events.size();
    fs::remove(disk.path / "filler");
    std::size_t recovered = log.wait_for(*writer, wakeups, Kind::recovered, from);
    log.wait_for(*writer, wakeups, Kind::durable, recovered);
    CHECK(writer->queued() == 0);
    writer.reset();
    auto store = open_store(db);
    CHECK(store->count_all() == submitted);
    CHECK(store->integrity_check() == "ok");
}

TEST_CASE("the thread writer scrubs the write order once nobody has answered for a while, and not before") {
    TempDir dir;
    fs::path db = dir.path / "pulse.sqlite";
    fs::path wal = db.string() + "-wal";
    pulse::Rng rng(9);
    Wakeups wakeups;
    EventLog log;
    auto writer = pulse::make_thread_writer(db, wakeups.callback(), 20, 400);
    for (int i = 0; i < 3; ++i) {
        writer->submit(some_answer(rng));
        log.wait_for(*writer, wakeups, Kind::durable, log.events.size());
    }
    // Right after the writes the WAL still holds them, in the order written.
    CHECK(fs::file_size(wal) > 0);
    // After the quiet time the file is rebuilt and the WAL emptied.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fs::file_size(wal) > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(fs::file_size(wal) == 0);
    writer.reset();
    CHECK(open_store(db)->count_all() == 3);
}

}  // namespace terminal_test_answer_writer
