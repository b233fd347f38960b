// test_outage.cpp — the collector while its database fails, on a real
// server on 127.0.0.1 driven by a real HTTP client: PostgreSQL stopped and
// started again under uploads and summary reads from several threads (suite
// "outage": a PostgreSQL server of the tests' own, see tests/CMakeLists.txt),
// a SQLite disk that fills up and a SQLite file that turns read-only. Each
// time: every call during the fault is a quick 503 with Retry-After, the
// calls after it succeed without a restart, no acknowledged answer is lost,
// and every refused batch is stored when sent again. And the store alone: a
// PostgreSQL that accepts connections but never answers costs one call its
// connect_timeout, not every call.
#include "collector_fixture.hpp"
#include "eventually.hpp"
#include "collector/http/server.hpp"
#include "collector/storage/store.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_outage {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

const UnixSeconds kNow = *parse_iso8601("2026-11-27T10:30:00Z");  // wire_batch's hours are 09:00 that day
const std::string kSummaryPath = "/v1/workplaces/wp-a/summary?week=2026-W47";  // published at kNow
// "Quick": far above any answer of a working collector on a busy machine,
// far below the old failure modes (a 10 s connect, a hang).
constexpr double kQuick_s = 5.0;

// A collector on 127.0.0.1 (a free port) on `database`, its clock at kNow.
struct Collector {
    CollectorConfig config;
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<CollectorServer> server;
    std::mutex log_mutex;
    std::vector<std::string> log;

    explicit Collector(const std::string& database) {
        CollectorConfigLoad load = load_collector_config(write_temp(collector_config_text(database), "collector.toml"));
        REQUIRE_MESSAGE(load.config, all(load.errors));
        config = *load.config;
        std::string error;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        server = std::make_unique<CollectorServer>(config, *store, [] { return kNow; }, [this](const std::string& line) {
            std::lock_guard<std::mutex> lock(log_mutex);
            log.push_back(line);
        });
        REQUIRE_MESSAGE(server->start("127.0.0.1", 0, &error), error);
    }
    ~Collector() { server->stop(); }
    Collector(const Collector&) = delete;
    Collector& operator=(const Collector&) = delete;

    int port() const { return server->port(); }
    std::string log_text() {
        std::lock_guard<std::mutex> lock(log_mutex);
        std::string out;
        for (const std::string& line : log) out += line + "\n";
        return out;
    }
};

// One HTTP call's outcome as a terminal or a manager sees it.
struct Reply {
    int status = -1;  // -1: no HTTP response (see error)
    std::string error;
    std::string retry_after;
    std::string body;
    double seconds = 0;  // from sending to the answer

    std::string str() const {
        return (status < 0 ? "no response (" + error + ")" : "HTTP " + std::to_string(status)) + " after " +
               std::to_string(seconds) + " s: " + body.substr(0, 200);
    }
    // A 503 as the terminal's retry logic expects it: Retry-After and a JSON error.
    bool proper_503() const {
        const json j = json::parse(body, nullptr, false);
        return status == 503 && retry_after == "30" && j.is_object() && j.contains("error");
    }
};

Reply call(int port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "") {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(20, 0);  // beyond kQuick_s: a hang shows as a slow answer or none
    const httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    const Clock::time_point start = Clock::now();
    const httplib::Result r = method == "POST" ? client.Post(path.c_str(), headers, body, "application/json")
                                               : client.Get(path.c_str(), headers);
    Reply reply;
    reply.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!r) {
        reply.error = httplib::to_string(r.error());
        return reply;
    }
    reply.status = r->status;
    reply.retry_after = r->get_header_value("Retry-After");
    reply.body = r->body;
    return reply;
}

Reply upload(int port, const json& batch) { return call(port, "POST", "/v1/batches", kTerminalToken, batch.dump()); }
Reply read_summary(int port) { return call(port, "GET", kSummaryPath, kManagerToken); }

// A batch of term-a whose `count` answer ids are n, n+1, …, never used by another call of this helper.
json next_batch(unsigned count = 3) {
    static std::atomic<unsigned> next_id{1};
    const unsigned first = next_id.fetch_add(count);
    return wire_batch(count, first, 0x100000 + first);
}

std::vector<std::string> ids_of(const json& batch) {
    std::vector<std::string> ids;
    for (const json& a : batch["answers"]) ids.push_back(a["id"].get<std::string>());
    return ids;
}

// How many of ids the database holds.
std::int64_t stored_of(const std::string& database, const std::set<std::string>& ids) {
    if (ids.empty()) return 0;
    std::string list;
    for (const std::string& id : ids) list += (list.empty() ? "'" : ",'") + id + "'";
    return query_int(database, "SELECT COUNT(*) FROM answers WHERE id IN (" + list + ")");
}

// The ledger of a test: which answers were acknowledged (200) and which
// batches were refused (503) and must be stored when sent again.
struct Ledger {
    std::set<std::string> acknowledged;
    std::vector<json> refused;

    void note(const json& batch, const Reply& r) {
        if (r.status == 200) {
            for (const std::string& id : ids_of(batch)) acknowledged.insert(id);
        } else {
            refused.push_back(batch);
        }
    }
    // Uploads n new batches while all is well: each must be acknowledged.
    void upload_acknowledged(int port, int n) {
        for (int i = 0; i < n; ++i) {
            const json batch = next_batch();
            const Reply r = upload(port, batch);
            REQUIRE_MESSAGE(r.status == 200, r.str());
            note(batch, r);
        }
    }
    // Sends every refused batch again: each must be stored now. Then checks
    // that the database holds exactly the acknowledged and the resent answers.
    void resend_and_check(int port, const std::string& database) {
        std::set<std::string> all = acknowledged;
        for (const json& batch : refused) {
            const Reply r = upload(port, batch);
            CHECK_MESSAGE(r.status == 200, "a refused batch sent again: ", r.str());
            for (const std::string& id : ids_of(batch)) all.insert(id);
        }
        CHECK(stored_of(database, acknowledged) == static_cast<std::int64_t>(acknowledged.size()));
        CHECK(query_int(database, "SELECT COUNT(*) FROM answers") == static_cast<std::int64_t>(all.size()));
    }
};

// Threads that call the collector until stopped; stopped and joined on scope
// exit, so a failed REQUIRE leaves no thread running.
struct Workers {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    ~Workers() { join(); }
    void join() {
        stop = true;
        for (std::thread& t : threads) {
            if (t.joinable()) t.join();
        }
    }
};

// [SECTION] SQLite faults: a full disk, a file turned read-only

// A folder whose file system fills up on demand. As root: a 4 MiB tmpfs of
// its own, filled by a file written until ENOSPC, as a real disk fills.
// Without the right to mount: a plain folder, and "full" is RLIMIT_FSIZE at
// the size of its largest file: no file there may grow (write() fails with
// EFBIG; SIGXFSZ ignored meanwhile), the same for SQLite as a full disk.
class FillableDisk {
public:
    FillableDisk() {
        std::filesystem::create_directories(path_);
        mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m") == 0;
    }
    ~FillableDisk() {
        make_room();
        if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    }
    FillableDisk(const FillableDisk&) = delete;
    FillableDisk& operator=(const FillableDisk&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string mechanism() const { return mounted_ ? "a full tmpfs (ENOSPC)" : "RLIMIT_FSIZE (EFBIG)"; }

    void fill() {
        if (mounted_) {
            const int fd = ::open((path_ / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            REQUIRE(fd >= 0);
            const std::string block(4096, 'x');
            while (::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size())) {
            }
            const int write_errno = errno;
            ::close(fd);
            REQUIRE_MESSAGE(write_errno == ENOSPC, std::strerror(write_errno));
            return;
        }
        std::uintmax_t largest = 0;
        for (const auto& entry : std::filesystem::directory_iterator(path_)) largest = std::max(largest, entry.file_size());
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_limit_) == 0);
        saved_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        const rlimit full{static_cast<rlim_t>(largest), saved_limit_.rlim_max};
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &full) == 0);
        limited_ = true;
    }
    void make_room() {
        if (mounted_) {
            std::error_code ec;
            std::filesystem::remove(path_ / "filler", ec);
        } else if (limited_) {
            ::setrlimit(RLIMIT_FSIZE, &saved_limit_);
            std::signal(SIGXFSZ, saved_handler_);
            limited_ = false;
        }
    }

private:
    std::filesystem::path path_ = temp_folder() / "disk";
    bool mounted_ = false;
    bool limited_ = false;
    rlimit saved_limit_{};
    void (*saved_handler_)(int) = SIG_DFL;
};

// Sets or clears file's immutable flag (chattr +i): then nobody, root
// included, may write it, not even through a descriptor already open —
// what a running collector meets when its file turns read-only. False when
// not permitted (CAP_LINUX_IMMUTABLE) or not supported by the file system.
bool set_immutable(const std::filesystem::path& file, bool on) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}

// Files made immutable, made writable again on scope exit (or undo()).
struct ReadOnlyFiles {
    std::vector<std::filesystem::path> files;
    bool ok = true;  // every file was made read-only

    explicit ReadOnlyFiles(std::vector<std::filesystem::path> paths) : files(std::move(paths)) {
        for (const auto& f : files) ok = set_immutable(f, true) && ok;
    }
    ~ReadOnlyFiles() { undo(); }
    void undo() {
        for (const auto& f : files) set_immutable(f, false);
    }
};

// An integrity check of the SQLite file, from a connection of its own.
std::string integrity(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
    std::string result;
    while (sqlite3_step(st) == SQLITE_ROW) result += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return result;
}

// Uploads `count` batches during a fault: each must be a quick, proper 503.
void refused_during_fault(int port, Ledger& ledger, int count, const std::string& fault) {
    for (int i = 0; i < count; ++i) {
        const json batch = next_batch(40);  // several pages: needs room the file does not have
        const Reply r = upload(port, batch);
        CHECK_MESSAGE(r.proper_503(), fault, ": ", r.str());
        CHECK_MESSAGE(r.seconds < kQuick_s, fault, ": ", r.str());
        ledger.note(batch, r);
    }
}

}  // namespace

TEST_CASE("a full disk makes uploads a quick 503 while summaries are still read, and once there is room the refused "
          "batches are stored and no acknowledged answer is lost") {
    FillableDisk disk;
    const std::filesystem::path file = disk.path() / "collector.sqlite3";
    Ledger ledger;
    {
        Collector collector(file.string());
        ledger.upload_acknowledged(collector.port(), 3);
        disk.fill();
        MESSAGE("disk full by ", disk.mechanism());
        refused_during_fault(collector.port(), ledger, 4, "full disk");
        const Reply read = read_summary(collector.port());
        CHECK_MESSAGE(read.status == 200, "reading needs no room: ", read.str());
        CHECK_MESSAGE(collector.log_text().find("503") != std::string::npos, collector.log_text());

        disk.make_room();
        const json after = next_batch();
        const Reply r = upload(collector.port(), after);
        CHECK_MESSAGE(r.status == 200, "the first upload once there is room: ", r.str());
        ledger.note(after, r);
        ledger.resend_and_check(collector.port(), file.string());
    }
    CHECK(integrity(file) == "ok");
    // A restart finds every answer.
    std::string error;
    const std::unique_ptr<CollectorStore> restarted = open_collector_store(file.string(), &error);
    REQUIRE_MESSAGE(restarted, error);
    CHECK(restarted->answers_in_week("wp-a", IsoWeek{2026, 48}) == query_int(file.string(), "SELECT COUNT(*) FROM answers"));
}

TEST_CASE("a SQLite file that turns read-only under a running collector makes uploads a quick 503, and once writable "
          "again the refused batches are stored and no acknowledged answer is lost") {
    const std::filesystem::path file = temp_folder() / "collector.sqlite3";
    Ledger ledger;
    Collector collector(file.string());
    ledger.upload_acknowledged(collector.port(), 3);
    // The database and its WAL, where commits go: as a file system turned read-only.
    ReadOnlyFiles read_only({file, file.string() + "-wal"});
    if (!read_only.ok) {
        WARN_MESSAGE(false, "not run: making a file read-only under a running process needs the immutable flag "
                            "(root, CAP_LINUX_IMMUTABLE, and a file system that has it)");
        return;
    }
    refused_during_fault(collector.port(), ledger, 4, "read-only file");
    const Reply read = read_summary(collector.port());
    CHECK_MESSAGE(read.status == 200, "reading needs no writing: ", read.str());

    read_only.undo();
    const json after = next_batch();
    const Reply r = upload(collector.port(), after);
    CHECK_MESSAGE(r.status == 200, "the first upload once writable: ", r.str());
    ledger.note(after, r);
    ledger.resend_and_check(collector.port(), file.string());
    CHECK(integrity(file) == "ok");
}

TEST_CASE("a collector refuses to open a SQLite file it may not write, naming the file, rather than start and refuse "
          "every upload") {
    const std::filesystem::path file = temp_folder() / "collector.sqlite3";
    std::string error;
    {
        const std::unique_ptr<CollectorStore> store = open_collector_store(file.string(), &error);
        REQUIRE_MESSAGE(store, error);
        REQUIRE(store->store_batch("wp-a", "term-a", {Answer{test_uuid(1), "1.1", 4, "da", kNow - 3600}}).accepted == 1);
    }  // closed: the WAL is checkpointed into the file
    ReadOnlyFiles read_only({file});
    const bool as_root = geteuid() == 0;
    if (!read_only.ok) {
        if (as_root) {
            WARN_MESSAGE(false, "not run: root writes any file that is not immutable, and this file system has no "
                                "immutable flag");
            return;
        }
        std::filesystem::permissions(file, std::filesystem::perms::owner_read);
    }
    CHECK_FALSE(open_collector_store(file.string(), &error));
    CHECK_MESSAGE(error.find(file.string()) != std::string::npos, error);
    CHECK_MESSAGE(error.find("read-only") != std::string::npos, error);

    read_only.undo();
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const std::unique_ptr<CollectorStore> writable = open_collector_store(file.string(), &error);
    REQUIRE_MESSAGE(writable, error);
    CHECK(writable->answers_in_week("wp-a", IsoWeek{2026, 48}) == 1);
}

// [SECTION] PostgreSQL stopped and started again

// Run only by CTest's "outage" registration (--no-skip), which starts the
// server these tests stop: see tests/CMakeLists.txt.
TEST_SUITE_BEGIN("outage" * doctest::skip());

TEST_CASE("after PostgreSQL restarts the next upload succeeds though every pooled connection died with it, and while "
          "it is down each call is a quick 503") {
    OutagePostgres pg;
    Collector collector(pg.database());
    const int port = collector.port();
    Ledger ledger;
    // Four uploads at once: the pool keeps up to four connections, all to this server.
    {
        std::vector<std::thread> uploads;
        std::mutex mutex;
        for (int t = 0; t < 4; ++t) {
            uploads.emplace_back([&] {
                const json batch = next_batch();
                const Reply r = upload(port, batch);
                std::lock_guard<std::mutex> lock(mutex);
                CHECK_MESSAGE(r.status == 200, r.str());
                ledger.note(batch, r);
            });
        }
        for (std::thread& t : uploads) t.join();
    }

    // Restarted with no call meanwhile: libpq still calls the pooled connections OK.
    pg.halt();
    pg.resume();
    for (int i = 0; i < 5; ++i) {
        const json batch = next_batch();
        const Reply r = upload(port, batch);
        CHECK_MESSAGE(r.status == 200, "upload ", i + 1, " after the restart: ", r.str());
        ledger.note(batch, r);
    }
    CHECK_MESSAGE(read_summary(port).status == 200, collector.log_text());

    // Down: every call fails at once, the second and third too (they used to
    // deadlock on the pool, resetting a broken connection under its lock).
    pg.halt();
    for (int i = 0; i < 3; ++i) {
        const json batch = next_batch();
        const Reply r = upload(port, batch);
        CHECK_MESSAGE(r.proper_503(), "upload ", i + 1, " while down: ", r.str());
        CHECK_MESSAGE(r.seconds < kQuick_s, "upload ", i + 1, " while down: ", r.str());
        ledger.note(batch, r);
        const Reply read = read_summary(port);
        CHECK_MESSAGE(read.proper_503(), "summary while down: ", read.str());
        CHECK_MESSAGE(read.seconds < kQuick_s, "summary while down: ", read.str());
    }
    CHECK_MESSAGE(collector.log_text().find("503") != std::string::npos, collector.log_text());

    // Back: the very next call succeeds.
    pg.resume();
    const json batch = next_batch();
    const Reply r = upload(port, batch);
    CHECK_MESSAGE(r.status == 200, "the first upload once it is back: ", r.str());
    ledger.note(batch, r);
    CHECK(read_summary(port).status == 200);
    ledger.resend_and_check(port, pg.database());
}

TEST_CASE("PostgreSQL crashed and started again under uploads and summary reads from six threads: while it is down "
          "every call is a quick 503 with Retry-After, once it is back they succeed, and no acknowledged answer is lost") {
    OutagePostgres pg;
    Collector collector(pg.database());
    const int port = collector.port();

    struct Call {
        int thread = 0;
        bool is_upload = false;
        Clock::time_point start, end;
        json batch;
        Reply reply;
    };
    std::mutex mutex;
    std::vector<Call> calls;
    const auto count = [&](const auto& matches) {
        std::lock_guard<std::mutex> lock(mutex);
        return std::count_if(calls.begin(), calls.end(), matches);
    };
    const auto since = [](Clock::time_point t, bool uploads) {
        return [t, uploads](const Call& c) { return c.is_upload == uploads && c.start >= t; };
    };

    constexpr int kUploaders = 4, kReaders = 2;
    Workers workers;
    for (int t = 0; t < kUploaders + kReaders; ++t) {
        workers.threads.emplace_back([&, t] {
            while (!workers.stop) {
                Call c;
                c.thread = t;
                c.is_upload = t < kUploaders;
                if (c.is_upload) c.batch = next_batch();
                c.start = Clock::now();
                c.reply = c.is_upload ? upload(port, c.batch) : read_summary(port);
                c.end = Clock::now();
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    calls.push_back(std::move(c));
                }
                std::this_thread::sleep_for(10ms);  // several calls a second each, leaving the CPU to the rest
            }
        });
    }
    const Clock::time_point began = Clock::now();
    REQUIRE_MESSAGE(eventually([&] { return count(since(began, true)) >= 8 && count(since(began, false)) >= 2; }, 60s),
                    "too few calls before the crash; log:\n", collector.log_text());

    pg.halt("immediate");  // sessions cut as in a crash; recovery from the WAL when it starts
    const Clock::time_point halted = Clock::now();
    REQUIRE(eventually([&] { return count(since(halted, true)) >= 12 && count(since(halted, false)) >= 4; }, 60s));
    const Clock::time_point resuming = Clock::now();
    pg.resume();
    const Clock::time_point resumed = Clock::now();
    // A call may overlap a connect begun while the server was still down
    // (the pool then fails it at once); the calls that start 2 s after it
    // accepts connections again must all succeed.
    const Clock::time_point settled = resumed + 2s;
    REQUIRE(eventually(
        [&] {
            for (int t = 0; t < kUploaders + kReaders; ++t) {
                if (count([&](const Call& c) { return c.thread == t && c.start >= settled; }) < 3) return false;
            }
            return true;
        },
        60s));
    workers.join();

    std::string wrong_status, slow, not_down, not_back;
    std::size_t down_calls = 0;
    double slowest_503_s = 0;
    Ledger ledger;
    for (const Call& c : calls) {
        const std::string what = std::string(c.is_upload ? "upload" : "summary") + " of thread " +
                                 std::to_string(c.thread) + ": " + c.reply.str() + "\n";
        if (c.reply.status != 200 && !c.reply.proper_503()) wrong_status += what;
        if (c.reply.status == 503) {
            slowest_503_s = std::max(slowest_503_s, c.reply.seconds);
            if (c.reply.seconds >= kQuick_s) slow += what;
        }
        if (c.start >= halted && c.end <= resuming) {
            ++down_calls;
            if (c.reply.status != 503) not_down += what;
        }
        if (c.start >= settled && c.reply.status != 200) not_back += what;
        if (c.is_upload) ledger.note(c.batch, c.reply);
    }
    MESSAGE(calls.size(), " calls, ", down_calls, " while down, slowest 503 ", slowest_503_s, " s, ",
            ledger.refused.size(), " uploads refused");
    CHECK_MESSAGE(wrong_status.empty(), "neither 200 nor a proper 503:\n", wrong_status);
    CHECK_MESSAGE(slow.empty(), "503s slower than ", kQuick_s, " s:\n", slow);
    CHECK(down_calls >= 16);
    CHECK_MESSAGE(not_down.empty(), "calls while PostgreSQL was down that were not 503:\n", not_down);
    CHECK_MESSAGE(not_back.empty(), "calls after PostgreSQL was back that failed:\n", not_back);
    CHECK(ledger.acknowledged.size() >= 24);
    ledger.resend_and_check(port, pg.database());
}

TEST_CASE("while a connect to a PostgreSQL that does not answer is under way, the other calls fail at once instead "
          "of each waiting for connect_timeout, and the next call once it answers succeeds") {
    OutagePostgres pg;
    // The store reaches the server through a folder of ours, where the
    // server's socket can be swapped for one that accepts and never answers
    // (a host that is unreachable rather than down: no refusal, only silence).
    const std::filesystem::path server_dir = pg.url().substr(pg.url().find("host=") + 5);
    const std::filesystem::path via = temp_folder();
    const std::filesystem::path socket_path = via / ".s.PGSQL.5432";
    std::filesystem::create_symlink(server_dir / ".s.PGSQL.5432", socket_path);
    std::string database = pg.database();
    database.replace(database.find(server_dir.string()), server_dir.string().size(), via.string());
    std::string error;
    const std::unique_ptr<CollectorStore> store = open_collector_store(database, &error);
    REQUIRE_MESSAGE(store, error);
    const auto timed_read = [&](std::string* message) {
        const Clock::time_point start = Clock::now();
        message->clear();
        store->counts("wp-a", IsoWeek{2026, 48}, 0, message);
        return std::chrono::duration<double>(Clock::now() - start).count();
    };

    // Down: its pooled connection is ended and its socket gone; the call fails.
    postgres_exec(pg.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = 'pulse-collector' AND pid <> pg_backend_pid()");
    std::filesystem::remove(socket_path);
    // pg_terminate_backend only signals: a call may still meet a pooled
    // connection its backend is ending (a quick failure of its own). Within a
    // few calls every connection is gone and a call must connect, and fails.
    std::string message;
    for (int i = 0; i < 8 && message.find("cannot connect") == std::string::npos; ++i) {
        CHECK(timed_read(&message) < kQuick_s);
    }
    CHECK_MESSAGE(message.find("cannot connect") != std::string::npos, message);

    // Unreachable: one call tries to connect and waits ...
    const int silent = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(silent >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
    REQUIRE(::bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(silent, 16) == 0);
    std::atomic<bool> probe_done{false};
    std::string probe_message;
    double probe_s = 0;
    std::thread probe([&] {
        probe_s = timed_read(&probe_message);
        probe_done = true;
    });
    pollfd incoming{silent, POLLIN, 0};
    const bool connecting = ::poll(&incoming, 1, 20000) == 1;
    const int accepted = connecting ? ::accept4(silent, nullptr, nullptr, SOCK_CLOEXEC) : -1;
    // ... and meanwhile every other call fails at once, saying why.
    for (int i = 0; i < 3 && connecting; ++i) {
        const double seconds = timed_read(&message);
        CHECK_MESSAGE(seconds < 2.0, "call ", i + 1, " waited ", seconds, " s: ", message);  // connect_timeout is 5 s
        CHECK_MESSAGE(message.find("another call is trying") != std::string::npos, message);
    }
    const bool overlapped = !probe_done;
    probe.join();
    REQUIRE_MESSAGE(connecting, "the store never tried to connect");
    CHECK_MESSAGE(overlapped, "the connect ended before the other calls were made: ", probe_message);
    CHECK_MESSAGE(!probe_message.empty(), "the connect to a silent server succeeded?");
    MESSAGE("the connect to the silent server failed after ", probe_s, " s: ", probe_message);
    ::close(accepted);
    ::close(silent);

    // Back: the very next call succeeds.
    std::filesystem::remove(socket_path);
    std::filesystem::create_symlink(server_dir / ".s.PGSQL.5432", socket_path);
    CHECK(timed_read(&message) < kQuick_s);
    CHECK_MESSAGE(message.empty(), message);
}

TEST_SUITE_END();

}  // namespace collector_test_outage
