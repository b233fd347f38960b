// test_database.hpp — which database a collector test runs on: a SQLite file
// by default; for the "postgres: " copies of the store tests (CTest sets
// PULSE_TEST_POSTGRES_URL_FILE, written by tests/support/postgres_server.sh)
// a fresh schema on the throwaway PostgreSQL server, so every test starts on
// an empty database. Also counts rows on either, for checks; and the outage
// tests' own server, which they stop, start and freeze.
#pragma once

#include "process.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace pulse::testing {

// The throwaway server's URL, or "" when this run is not a PostgreSQL one.
inline std::string test_postgres_url() {
    const char* file = std::getenv("PULSE_TEST_POSTGRES_URL_FILE");
    if (!file || !*file) return "";
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    REQUIRE_MESSAGE(url.rfind("postgresql://", 0) == 0,
                    "PULSE_TEST_POSTGRES_URL_FILE=" << file << " holds no postgresql:// URL: did postgres_start run?");
    return url;
}

// Runs sql on the PostgreSQL database at url; fails the test on an error.
inline void postgres_exec(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    const std::string message = PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
    REQUIRE_MESSAGE(ok, sql << ": " << message);
}

// url with a new schema of its own first on the search path.
inline std::string fresh_postgres_schema(const std::string& url) {
    static std::atomic<int> counter{0};
    const std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    postgres_exec(url, "CREATE SCHEMA " + schema);
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// The database setting for a new, empty test database: sqlite_file (a path,
// relative to the config that names it) or, in a PostgreSQL run, the server's
// URL with a new schema first on the search path.
inline std::string fresh_test_database(const std::string& sqlite_file = "collector.sqlite3") {
    const std::string url = test_postgres_url();
    if (url.empty()) return sqlite_file;
    return fresh_postgres_schema(url);
}

// The single integer that sql (e.g. "SELECT COUNT(*) FROM answers") returns
// on database (a SQLite file or a postgresql:// URL). Fails the test on error.
inline std::int64_t query_int(const std::string& database, const std::string& sql) {
    std::int64_t n = -1;
    if (database.rfind("postgresql://", 0) == 0) {
        PGconn* conn = PQconnectdb(database.c_str());
        REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
        PGresult* r = PQexec(conn, sql.c_str());
        const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        if (ok) n = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
        const std::string message = PQerrorMessage(conn);
        PQclear(r);
        PQfinish(conn);
        REQUIRE_MESSAGE(ok, sql << ": " << message);
        return n;
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

#ifdef PULSE_SOURCE_DIR
// The outage tests' own PostgreSQL server (doctest suite "outage": CTest's
// fixture postgres_outage starts it, tests/CMakeLists.txt, and runs those
// tests one at a time), which a test halts, resumes and freezes through
// tests/support/postgres_server.sh; never the server the other tests share.
// Construction makes sure it runs and answers (a test that failed half-way
// may have left it halted or frozen) and makes a fresh schema; destruction
// leaves it running again.
class OutagePostgres {
public:
    OutagePostgres() {
        const char* state = std::getenv("PULSE_TEST_OUTAGE_POSTGRES_STATE");
        REQUIRE_MESSAGE((state && *state),
                        "PULSE_TEST_OUTAGE_POSTGRES_STATE is not set: run the suite \"outage\" through CTest, which "
                        "starts its server (fixture postgres_outage)");
        state_ = state;
        std::ifstream in(state_ / "url");
        std::getline(in, url_);
        REQUIRE_MESSAGE(url_.rfind("postgresql://", 0) == 0,
                        (state_ / "url").string() << " holds no postgresql:// URL: did postgres_outage_start run?");
        thaw();
        resume();
        database_ = fresh_postgres_schema(url_);
    }
    ~OutagePostgres() {
        // Not run(): no REQUIRE in a destructor that may run while a failure unwinds.
        for (const char* command : {"thaw", "resume"}) {
            const pid_t pid = spawn_process({"/bin/bash", kScript, command, state_.string()}, {}, log_ / "out",
                                            log_ / "err");
            wait_exit(pid);
        }
    }
    OutagePostgres(const OutagePostgres&) = delete;
    OutagePostgres& operator=(const OutagePostgres&) = delete;

    const std::string& url() const { return url_; }            // the server, its default schema
    const std::string& database() const { return database_; }  // the fresh schema: a collector's database setting

    // Stops the server, its data kept: "fast" ends sessions cleanly, "immediate" as in a crash.
    void halt(const std::string& mode = "fast") { run({"halt", state_.string(), mode}); }
    void resume() { run({"resume", state_.string()}); }  // returns once it accepts connections
    void freeze() { run({"freeze", state_.string()}); }  // SIGSTOP: it accepts and answers nothing
    void thaw() { run({"thaw", state_.string()}); }

private:
    static constexpr const char* kScript = PULSE_SOURCE_DIR "/tests/support/postgres_server.sh";

    void run(std::vector<std::string> args) {
        args.insert(args.begin(), {"/bin/bash", kScript});
        const ProcessResult r = run_process(args, {}, log_, 90);
        REQUIRE_MESSAGE(r.exit_code == 0, "postgres_server.sh " << args[2] << " failed:\n" << r.err);
    }

    std::filesystem::path state_;
    std::filesystem::path log_ = temp_folder();
    std::string url_, database_;
};
#endif

}  // namespace pulse::testing
