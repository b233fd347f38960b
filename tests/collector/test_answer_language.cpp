// test_answer_language.cpp — issue 14: the language an answer was given in
// travels on the wire (protocol v1's "lang", still validated) but the
// collector never stores it, since it would single out a workplace's lone
// English speaker. Through the real HTTP ingest on a real server, and on a
// database made before issue 14 (old schema, a row with a distinctive
// language value) that opening migrates; suite "store", so on SQLite and
// again on PostgreSQL. For SQLite a byte scan of the files shows the old
// value gone; for PostgreSQL the heap files of the old and new table.
#include "collector_fixture.hpp"
#include "collector/http/server.hpp"
#include "collector/storage/store.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_answer_language {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

const UnixSeconds kNow = *parse_iso8601("2026-11-27T10:30:00Z");  // wire_answer's hours are 09:00 that day

// A language value the schema before issue 14 allowed (lang TEXT NOT NULL)
// and nothing else in a database holds: a byte scan that finds it found the
// old column's value.
const std::string kMarker = "lang-marker-Q7ZX9K-english";

// One stored row of answers, column name → text (nullopt for NULL), read
// with SELECT * so that any column the table has shows.
using Row = std::map<std::string, std::optional<std::string>>;

// The row of answers with id on database (SQLite file or PostgreSQL URL);
// an empty map when there is none. Fails the test on a database error.
Row stored_row(const std::string& database, const std::string& id) {
    Row row;
    const std::string sql = "SELECT * FROM answers WHERE id = '" + id + "'";
    if (is_postgres_url(database)) {
        PGconn* conn = PQconnectdb(database.c_str());
        REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
        PGresult* r = PQexec(conn, sql.c_str());
        const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
        const std::string message = PQerrorMessage(conn);
        if (ok && PQntuples(r) == 1) {
            for (int c = 0; c < PQnfields(r); ++c) {
                row[PQfname(r, c)] = PQgetisnull(r, 0, c) ? std::nullopt : std::optional<std::string>(PQgetvalue(r, 0, c));
            }
        }
        PQclear(r);
        PQfinish(conn);
        REQUIRE_MESSAGE(ok, sql << ": " << message);
        return row;
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const unsigned char* text = sqlite3_column_text(st, c);
            row[sqlite3_column_name(st, c)] =
                text ? std::optional<std::string>(reinterpret_cast<const char*>(text)) : std::nullopt;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return row;
}

// The names of a row's columns.
std::set<std::string> columns_of(const Row& row) {
    std::set<std::string> names;
    for (const auto& [name, value] : row) names.insert(name);
    return names;
}

// Whether any column of row holds exactly text.
bool holds(const Row& row, const std::string& text) {
    for (const auto& [name, value] : row) {
        if (value == text) return true;
    }
    return false;
}

// How many columns named `column` the answers table has (0 or 1).
std::int64_t answers_columns_named(const std::string& database, const std::string& column) {
    return query_int(database, is_postgres_url(database)
                                   ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = "
                                     "current_schema() AND table_name = 'answers' AND column_name = '" + column + "'"
                                   : "SELECT COUNT(*) FROM pragma_table_info('answers') WHERE name = '" + column + "'");
}

// How many times text occurs in the bytes of every file in folder (the
// SQLite file, its WAL and shared memory, anything else beside them).
std::size_t occurrences_in_folder(const std::filesystem::path& folder, const std::string& text) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        for (std::size_t at = bytes.find(text); at != std::string::npos; at = bytes.find(text, at + 1)) ++n;
    }
    return n;
}

// How often the marker occurs in the PostgreSQL data file at path (relative
// to the data folder, as pg_relation_filepath gives it); 0 when the file is
// gone. CHECKPOINT first, so that what is in shared buffers is in the file.
std::int64_t marker_in_postgres_file(const std::string& database, const std::string& path) {
    postgres_exec(database, "CHECKPOINT");
    // The marker's bytes, counted by how much shorter the file gets without
    // them (pg_stat_file(…, true) is NULL for a file that is gone).
    const std::string file = "'" + path + "'";
    return query_int(database,
                     "SELECT CASE WHEN (pg_stat_file(" + file + ", true)).size IS NULL THEN 0 ELSE "
                     "(SELECT (length(f) - length(replace(f, '" + kMarker + "', ''))) / " +
                         std::to_string(kMarker.size()) + " FROM (SELECT encode(pg_read_binary_file(" + file +
                         "), 'escape') AS f) AS bytes) END");
}

// The single text sql returns on the PostgreSQL database url.
std::string postgres_text(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    const std::string text = ok ? PQgetvalue(r, 0, 0) : "";
    const std::string message = PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
    REQUIRE_MESSAGE(ok, sql << ": " << message);
    return text;
}

// A collector on 127.0.0.1 at a free port on a fresh database, its clock at kNow.
struct Collector {
    CollectorConfig config = test_collector_config();
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<CollectorServer> server;

    Collector() {
        std::string error;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        server = std::make_unique<CollectorServer>(config, *store, [] { return kNow; }, [](const std::string&) {});
        REQUIRE_MESSAGE(server->start("127.0.0.1", 0, &error), error);
    }
    ~Collector() { server->stop(); }

    // POSTs body to /v1/batches as term-a.
    httplib::Result post(const json& body) const {
        httplib::Client c("127.0.0.1", server->port());
        c.set_read_timeout(30, 0);
        return c.Post("/v1/batches", {{"Authorization", "Bearer " + kTerminalToken}}, body.dump(), "application/json");
    }
};

// The old answers table (before issue 14) as each store made it, with the
// summary index of its day, and rows 1..3 in it: 1 and 3 Danish, 2 with the
// marker for its language.
void make_old_sqlite_database(const std::string& file) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    const std::string sql =
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE answers(id TEXT PRIMARY KEY, workplace TEXT NOT NULL, question TEXT NOT NULL,"
        " value INTEGER NULL CHECK(value BETWEEN 1 AND 5), lang TEXT NOT NULL, hour INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE INDEX answers_by_workplace_hour_question_value ON answers(workplace, hour, question, value);"
        "INSERT INTO answers VALUES('" + test_uuid(1) + "', 'wp-a', '1.1', 4, 'da', 1795770000),"
        " ('" + test_uuid(2) + "', 'wp-a', '2.3', NULL, '" + kMarker + "', 1795773600),"
        " ('" + test_uuid(3) + "', 'wp-b', '1.2', 2, 'da', 1795777200);"
        "PRAGMA wal_checkpoint(TRUNCATE);";
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, text);
}

void make_old_postgres_database(const std::string& url) {
    postgres_exec(url,
                  "CREATE TABLE answers(id TEXT PRIMARY KEY, workplace TEXT NOT NULL, question TEXT NOT NULL,"
                  " value SMALLINT NULL CHECK(value BETWEEN 1 AND 5), lang TEXT NOT NULL, hour BIGINT NOT NULL);"
                  "CREATE INDEX answers_by_workplace_hour_incl ON answers(workplace, hour) INCLUDE (question, value);"
                  "INSERT INTO answers VALUES('" + test_uuid(1) + "', 'wp-a', '1.1', 4, 'da', 1795770000),"
                  " ('" + test_uuid(2) + "', 'wp-a', '2.3', NULL, '" + kMarker + "', 1795773600),"
                  " ('" + test_uuid(3) + "', 'wp-b', '1.2', 2, 'da', 1795777200);");
}

// The rows make_old_*_database wrote, as they must read back after the
// migration: every column but the language, unchanged.
void check_old_rows_kept(const std::string& database) {
    CHECK(query_int(database, "SELECT COUNT(*) FROM answers") == 3);
    const Row one = stored_row(database, test_uuid(1));
    const Row two = stored_row(database, test_uuid(2));
    const Row three = stored_row(database, test_uuid(3));
    const std::set<std::string> kept = {"id", "workplace", "question", "value", "hour"};
    CHECK(columns_of(one) == kept);
    CHECK(one == Row{{"id", test_uuid(1)}, {"workplace", "wp-a"}, {"question", "1.1"}, {"value", "4"},
                     {"hour", "1795770000"}});
    CHECK(two == Row{{"id", test_uuid(2)}, {"workplace", "wp-a"}, {"question", "2.3"}, {"value", std::nullopt},
                     {"hour", "1795773600"}});
    CHECK(three == Row{{"id", test_uuid(3)}, {"workplace", "wp-b"}, {"question", "1.2"}, {"value", "2"},
                       {"hour", "1795777200"}});
}

}  // namespace

TEST_SUITE_BEGIN("store");

TEST_CASE("answers uploaded in English are stored without any language: the answers table has no lang column") {
    Collector c;
    json batch = wire_batch(3);
    batch["answers"][0]["lang"] = "en";
    batch["answers"][2]["lang"] = "en";
    httplib::Result r = c.post(batch);
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    REQUIRE_MESSAGE(r->status == 200, r->body);
    CHECK(json::parse(r->body) == json{{"accepted", 3}, {"duplicates", 0}});

    CHECK(answers_columns_named(c.config.database, "lang") == 0);
    CHECK(answers_columns_named(c.config.database, "hour") == 1);  // the schema query itself works
    const Row english = stored_row(c.config.database, test_uuid(1));
    CHECK(columns_of(english) == std::set<std::string>{"id", "workplace", "question", "value", "hour"});
    CHECK(english.at("workplace") == "wp-a");
    CHECK(english.at("question") == "2.3");
    CHECK(english.at("value") == "4");
    CHECK_FALSE(holds(english, "en"));
    // A Danish answer of the same hour reads back the same but for its id: nothing tells them apart.
    Row danish = stored_row(c.config.database, test_uuid(2));
    REQUIRE(danish.count("id") == 1);
    danish["id"] = test_uuid(1);
    CHECK(danish == english);

    // The same answers resent in the other language are duplicates, not a 409.
    for (json& a : batch["answers"]) a["lang"] = a["lang"] == "en" ? "da" : "en";
    r = c.post(batch);
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK_MESSAGE(r->status == 200, r->body);
    CHECK(json::parse(r->body, nullptr, false) == json{{"accepted", 0}, {"duplicates", 3}});

    // lang is still checked on the wire: a language that is not da or en is a 400 naming the field.
    json bad = wire_batch(2, 10);
    bad["answers"][1]["lang"] = "sv";
    r = c.post(bad);
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK_MESSAGE(r->status == 400, r->body);
    CHECK_MESSAGE(r->body.find("answers[1].lang") != std::string::npos, r->body);
    CHECK(query_int(c.config.database, "SELECT COUNT(*) FROM answers") == 3);
}

TEST_CASE("a database made before issue 14 loses its language column and every value of it when opened, its answers kept") {
    const std::filesystem::path folder = temp_folder();
    const std::string database = fresh_test_database((folder / "collector.sqlite3").string());
    const bool postgres = is_postgres_url(database);
    std::string old_heap;  // PostgreSQL: the old table's data file
    if (postgres) {
        make_old_postgres_database(database);
        old_heap = postgres_text(database, "SELECT pg_relation_filepath('answers')");
        REQUIRE(marker_in_postgres_file(database, old_heap) >= 1);  // the scan finds the value while it is there
    } else {
        make_old_sqlite_database(database);
        REQUIRE(occurrences_in_folder(folder, kMarker) >= 1);  // the scan finds the value while it is there
    }
    REQUIRE(answers_columns_named(database, "lang") == 1);

    LogLines log;
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(database, &error, log.sink());
    REQUIRE_MESSAGE(store, error);
    // One line says what happened, naming neither a password nor a language value.
    REQUIRE_MESSAGE(log.all().size() == 1, log.text());
    CHECK_MESSAGE(log.has("removed the answers' language column (issue 14) from 3 answers"), log.text());
    CHECK(log.text().find(kMarker) == std::string::npos);

    CHECK(answers_columns_named(database, "lang") == 0);
    check_old_rows_kept(database);
    if (postgres) {
        // Not a dropped column (its values would stay in the table's pages): a new table, and no trace in either file.
        CHECK(query_int(database, "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = 'answers'::regclass "
                                  "AND attnum > 0 AND attisdropped") == 0);
        const std::string new_heap = postgres_text(database, "SELECT pg_relation_filepath('answers')");
        CHECK(new_heap != old_heap);
        CHECK(marker_in_postgres_file(database, new_heap) == 0);
        CHECK(marker_in_postgres_file(database, old_heap) == 0);
        // The same table as a new database's: its key, CHECK and summary index by their usual names.
        CHECK(query_int(database, "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                                  "tablename = 'answers' AND indexname IN ('answers_pkey', "
                                  "'answers_by_workplace_hour_incl')") == 2);
        CHECK(query_int(database, "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'answers'::regclass "
                                  "AND conname = 'answers_value_check'") == 1);
    } else {
        // No byte of the old value in the file, its WAL or anything beside it: while the store is open...
        CHECK(occurrences_in_folder(folder, kMarker) == 0);
        CHECK(query_int(database, "PRAGMA user_version") == 0);
        CHECK(query_int(database, "PRAGMA freelist_count") == 0);
        // ... and the same table as a new database's, with the summary's index.
        const FreshStore fresh;
        CHECK(query_int(database, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                  "'answers_by_workplace_hour_question_value'") == 1);
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(fresh.database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'answers'", -1, &st, nullptr) ==
                SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const std::string fresh_sql = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        sqlite3_close(db);
        CHECK(query_int(database, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'answers' AND sql = '" +
                                      fresh_sql + "'") == 1);
    }

    // The migrated store works: a new answer is stored, an old one resent in any language is a duplicate.
    const StoreResult r = store->store_batch(
        "wp-a", "term-a", {Answer{test_uuid(2), "2.3", std::nullopt, "en", 1795773600}, Answer{test_uuid(4), "1.1", 5, "en", 1795773600}});
    CHECK(r.kind == StoreResult::Kind::stored);
    CHECK(r.accepted == 1);
    CHECK(r.duplicates == 1);

    // Done once: opening it again changes nothing and logs nothing.
    store.reset();
    LogLines again;
    REQUIRE_MESSAGE(open_collector_store(database, &error, again.sink()), error);
    CHECK_MESSAGE(again.all().empty(), again.text());
    CHECK(query_int(database, "SELECT COUNT(*) FROM answers") == 4);
    if (!postgres) CHECK(occurrences_in_folder(folder, kMarker) == 0);  // ... and closed
}

TEST_SUITE_END();

// SQLite only: the file rewrite after the rebuild.

TEST_CASE("a SQLite file whose rewrite could not finish is refused, and the next open finishes it") {
    const std::filesystem::path folder = temp_folder();
    const std::string file = (folder / "collector.sqlite3").string();
    make_old_sqlite_database(file);
    // Another process reading the file (a read transaction open): the rebuild
    // commits, but the checkpoint cannot write over the pages it reads.
    sqlite3* reader = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM answers;", nullptr, nullptr, nullptr) == SQLITE_OK);
    LogLines log;
    std::string error;
    CHECK_FALSE(open_collector_store(file, &error, log.sink()));
    CHECK_MESSAGE(error.find("the answers' language column is gone, but the file still holds old values of it") !=
                      std::string::npos,
                  error);
    CHECK_MESSAGE(error.find("start again") != std::string::npos, error);
    CHECK_MESSAGE(log.has("removed the answers' language column (issue 14) from 3 answers"), log.text());
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    CHECK(answers_columns_named(file, "lang") == 0);
    CHECK(query_int(file, "PRAGMA user_version") != 0);  // the rewrite is marked pending

    LogLines again;
    const std::unique_ptr<CollectorStore> store = open_collector_store(file, &error, again.sink());
    REQUIRE_MESSAGE(store, error);
    REQUIRE_MESSAGE(again.all().size() == 1, again.text());
    CHECK_MESSAGE(again.has("rewrote the file, so no value of the answers' removed language column remains"),
                  again.text());
    CHECK(occurrences_in_folder(folder, kMarker) == 0);
    CHECK(query_int(file, "PRAGMA user_version") == 0);
    check_old_rows_kept(file);
}

}  // namespace collector_test_answer_language
