// answer_store.cpp — AnswerStore on SQLite: opening (WAL, synchronous=FULL,
// schema v1), moving a corrupt file aside, all-or-nothing inserts and the
// counts rotation and the admin screen need. See answer_store.hpp.
#include "answer_store.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <system_error>
#include <utility>

namespace pulse {

namespace {

// [SECTION] SQLite helpers

constexpr int kSchemaVersion = 1;    // PRAGMA user_version this build writes and reads
constexpr int kBusyTimeout_ms = 5000;  // the uploader (later) writes on its own connection

// Schema v1. WITHOUT ROWID and a random UUID key: the table keeps no
// insertion order, so the file cannot tell who answered after whom.
constexpr const char* kSchemaV1 =
    "CREATE TABLE IF NOT EXISTS answers("
    " id TEXT PRIMARY KEY,"
    " question TEXT NOT NULL,"
    " value INTEGER NULL CHECK(value BETWEEN 1 AND 5),"
    " lang TEXT NOT NULL,"
    " hour INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS answers_by_hour ON answers(hour);"
    "PRAGMA user_version = 1;";

// One prepared statement, finalized when it goes out of scope.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) {
        rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    int prepare_rc() const { return rc_; }  // SQLITE_OK when the statement is usable
    sqlite3_stmt* get() { return stmt_; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

int primary(int rc) { return rc & 0xff; }

// "<path>: <what>: <SQLite's text> (SQLite code N)".
StoreStatus failure(const std::filesystem::path& path, const std::string& what, int rc,
                    const std::string& detail) {
    StoreStatus status;
    status.sqlite_code = primary(rc) == SQLITE_OK ? SQLITE_ERROR : primary(rc);
    status.message = path.string() + ": " + what + ": " + detail + " (SQLite code " +
                     std::to_string(status.sqlite_code) + ")";
    return status;
}

StoreStatus failure(const std::filesystem::path& path, const std::string& what, sqlite3* db,
                    int rc) {
    return failure(path, what, rc, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

bool is_corruption(int rc) {
    return primary(rc) == SQLITE_CORRUPT || primary(rc) == SQLITE_NOTADB;
}

// Runs SQL that returns no rows we need.
int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// Runs a single-row, single-column query; *text gets the column as text.
int query_text(sqlite3* db, const char* sql, std::string* text) {
    Statement stmt(db, sql);
    if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
    int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW) {
        const unsigned char* s = sqlite3_column_text(stmt.get(), 0);
        *text = s ? reinterpret_cast<const char*>(s) : "";
        return SQLITE_OK;
    }
    return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
}

std::int64_t query_count(sqlite3* db, const char* sql, const UnixSeconds* since) {
    Statement stmt(db, sql);
    if (stmt.prepare_rc() != SQLITE_OK) return -1;
    if (since) sqlite3_bind_int64(stmt.get(), 1, *since);
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) return -1;
    return sqlite3_column_int64(stmt.get(), 0);
}

std::string column_text(sqlite3_stmt* stmt, int column) {
    const unsigned char* s = sqlite3_column_text(stmt, column);
    return s ? reinterpret_cast<const char*>(s) : "";
}

// [SECTION] Opening

// Result of one attempt to open and check the file.
struct OpenAttempt {
    sqlite3* db = nullptr;  // open and ready when status is ok
    StoreStatus status;
    bool corrupt = false;   // SQLite says the file is not a sound database
};

// Opens path, checks it is a sound database before writing anything (so a
// corrupt file is moved aside exactly as it was), then sets WAL and
// synchronous=FULL and creates schema v1 if the file is new.
OpenAttempt try_open(const std::filesystem::path& path) {
    OpenAttempt attempt;
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    auto fail = [&](const std::string& what, int code) {
        attempt.status = failure(path, what, db, code);
        attempt.corrupt = is_corruption(code);
        sqlite3_close_v2(db);
        return attempt;
    };
    if (rc != SQLITE_OK) return fail("cannot open the database", rc);

    // Until the file is known to be sound, closing must not checkpoint the
    // WAL into it (or delete the WAL): a corrupt file is kept as found.
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_busy_timeout(db, kBusyTimeout_ms);

    std::string version_text;
    rc = query_text(db, "PRAGMA user_version", &version_text);
    if (rc != SQLITE_OK) return fail("cannot read the schema version", rc);
    std::string check;
    rc = query_text(db, "PRAGMA quick_check", &check);
    if (rc != SQLITE_OK) return fail("cannot check the database", rc);
    if (check != "ok") {
        attempt.status = failure(path, "the database is corrupt", SQLITE_CORRUPT, check);
        attempt.corrupt = true;
        sqlite3_close_v2(db);
        return attempt;
    }
    int version = std::atoi(version_text.c_str());
    if (version > kSchemaVersion) {
        attempt.status = failure(path, "cannot use the database", SQLITE_ERROR,
                                 "its schema version " + version_text +
                                     " is newer than this program understands (" +
                                     std::to_string(kSchemaVersion) + "); install a newer pulse-kiosk");
        sqlite3_close_v2(db);
        return attempt;
    }

    std::string mode;
    rc = query_text(db, "PRAGMA journal_mode=WAL", &mode);
    if (rc != SQLITE_OK) return fail("cannot switch to WAL", rc);
    if (mode != "wal") {
        attempt.status = failure(path, "cannot switch to WAL", SQLITE_ERROR,
                                 "journal_mode is " + mode);
        sqlite3_close_v2(db);
        return attempt;
    }
    rc = exec(db, "PRAGMA synchronous=FULL");
    if (rc != SQLITE_OK) return fail("cannot set synchronous=FULL", rc);
    // Freed pages (answers deleted after upload) are overwritten with zeros.
    rc = exec(db, "PRAGMA secure_delete=ON");
    if (rc != SQLITE_OK) return fail("cannot set secure_delete", rc);
    if (version < kSchemaVersion) {
        // Migrations from older versions go here, one transaction each.
        rc = exec(db, "BEGIN IMMEDIATE");
        if (rc == SQLITE_OK) rc = exec(db, kSchemaV1);
        if (rc == SQLITE_OK) rc = exec(db, "COMMIT");
        if (rc != SQLITE_OK) {
            attempt.status = failure(path, "cannot create the schema", db, rc);
            attempt.corrupt = is_corruption(rc);
            if (!sqlite3_get_autocommit(db)) exec(db, "ROLLBACK");
            sqlite3_close_v2(db);
            return attempt;
        }
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
    attempt.db = db;
    return attempt;
}

// "20261127T091500Z" for now.
std::string utc_stamp_now() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

std::filesystem::path with_suffix(const std::filesystem::path& p, const char* suffix) {
    return std::filesystem::path(p.string() + suffix);
}

// Renames path and its -wal/-shm to "<name>.corrupt-<stamp>" (+ "-wal"/"-shm"),
// adding ".2", ".3", ... if that name is taken. Never deletes anything.
StoreStatus move_aside(const std::filesystem::path& path, std::filesystem::path* moved_to) {
    std::error_code ec;
    std::string base = path.string() + ".corrupt-" + utc_stamp_now();
    std::filesystem::path target = base;
    for (int n = 2; std::filesystem::exists(target, ec) ||
                    std::filesystem::exists(with_suffix(target, "-wal"), ec) ||
                    std::filesystem::exists(with_suffix(target, "-shm"), ec);
         ++n) {
        target = base + "." + std::to_string(n);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::path from = with_suffix(path, suffix);
        if (!std::filesystem::exists(from, ec)) continue;
        std::filesystem::rename(from, with_suffix(target, suffix), ec);
        if (ec) {
            return failure(path, "the database is corrupt and cannot be moved aside to " +
                                     with_suffix(target, suffix).string(),
                           SQLITE_CANTOPEN, ec.message());
        }
    }
    *moved_to = target;
    return {};
}

}  // namespace

// [SECTION] AnswerStore

std::unique_ptr<AnswerStore> AnswerStore::open(const std::filesystem::path& path,
                                               StoreStatus* error,
                                               std::filesystem::path* moved_aside_to) {
    StoreStatus ignored;
    if (!error) error = &ignored;
    *error = {};
    if (moved_aside_to) moved_aside_to->clear();

    std::error_code ec;
    if (path.has_parent_path() && !std::filesystem::is_directory(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            *error = failure(path, "cannot create the folder " + path.parent_path().string(),
                             SQLITE_CANTOPEN, ec.message());
            return nullptr;
        }
    }

    OpenAttempt attempt = try_open(path);
    if (attempt.corrupt) {
        std::filesystem::path moved_to;
        StoreStatus moved = move_aside(path, &moved_to);
        if (!moved) {
            *error = moved;
            return nullptr;
        }
        if (moved_aside_to) *moved_aside_to = moved_to;
        attempt = try_open(path);  // a fresh file; corrupt again means something else is wrong
    }
    if (!attempt.db) {
        *error = attempt.status;
        return nullptr;
    }
    return std::unique_ptr<AnswerStore>(new AnswerStore(attempt.db, path));
}

AnswerStore::AnswerStore(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

AnswerStore::~AnswerStore() { sqlite3_close_v2(db_); }

StoreStatus AnswerStore::insert(const std::vector<Answer>& answers) {
    if (answers.empty()) return {};
    Statement insert_row(db_,
                         "INSERT INTO answers(id, question, value, lang, hour) VALUES(?,?,?,?,?)"
                         " ON CONFLICT(id) DO NOTHING");
    Statement find_row(db_, "SELECT question, value, lang, hour FROM answers WHERE id = ?");
    if (insert_row.prepare_rc() != SQLITE_OK) return failure(path_, "cannot prepare the insert", db_, insert_row.prepare_rc());
    if (find_row.prepare_rc() != SQLITE_OK) return failure(path_, "cannot prepare the insert", db_, find_row.prepare_rc());

    int rc = exec(db_, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return failure(path_, "cannot start a transaction", db_, rc);
    auto roll_back = [&](StoreStatus status) {
        if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
        return status;
    };

    for (const Answer& a : answers) {
        sqlite3_stmt* s = insert_row.get();
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, a.question.c_str(), -1, SQLITE_TRANSIENT);
        if (a.value) sqlite3_bind_int(s, 3, *a.value);
        else sqlite3_bind_null(s, 3);
        sqlite3_bind_text(s, 4, a.lang.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 5, a.hour);
        rc = sqlite3_step(s);
        if (rc != SQLITE_DONE) return roll_back(failure(path_, "cannot insert answer " + a.id, db_, rc));
        if (sqlite3_changes(db_) > 0) continue;

        // The id is already stored: a retry of the same answer is fine, a
        // different answer under the same id is refused.
        sqlite3_stmt* f = find_row.get();
        sqlite3_reset(f);
        sqlite3_bind_text(f, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(f);
        if (rc != SQLITE_ROW) return roll_back(failure(path_, "cannot read answer " + a.id, db_, rc));
        std::optional<int> stored_value;
        if (sqlite3_column_type(f, 1) != SQLITE_NULL) stored_value = sqlite3_column_int(f, 1);
        bool same = column_text(f, 0) == a.question && stored_value == a.value &&
                    column_text(f, 2) == a.lang && sqlite3_column_int64(f, 3) == a.hour;
        if (!same) {
            return roll_back(failure(path_, "cannot insert answer " + a.id, SQLITE_CONSTRAINT,
                                     "that id is already stored with different content"));
        }
    }

    // With WAL and synchronous=FULL the commit returns after the WAL is fsync'ed.
    rc = exec(db_, "COMMIT");
    if (rc != SQLITE_OK) return roll_back(failure(path_, "cannot commit answers", db_, rc));
    return {};
}

StoreStatus AnswerStore::scrub_write_order() {
    int rc = exec(db_, "VACUUM");
    if (rc != SQLITE_OK) return failure(path_, "cannot rebuild the database (VACUUM)", db_, rc);
    rc = exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (rc != SQLITE_OK) return failure(path_, "cannot empty the write-ahead log", db_, rc);
    return {};
}

std::map<std::string, int> AnswerStore::counts_per_question_since(UnixSeconds since) {
    std::map<std::string, int> counts;
    Statement stmt(db_, "SELECT question, COUNT(*) FROM answers WHERE hour >= ? GROUP BY question");
    if (stmt.prepare_rc() != SQLITE_OK) return counts;
    sqlite3_bind_int64(stmt.get(), 1, since);
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
        counts[column_text(stmt.get(), 0)] = sqlite3_column_int(stmt.get(), 1);
    }
    return counts;
}

std::int64_t AnswerStore::count_all() { return query_count(db_, "SELECT COUNT(*) FROM answers", nullptr); }

std::int64_t AnswerStore::count_since(UnixSeconds since) {
    return query_count(db_, "SELECT COUNT(*) FROM answers WHERE hour >= ?", &since);
}

std::int64_t AnswerStore::count_pending_upload() { return count_all(); }

std::vector<Answer> AnswerStore::all_answers() {
    std::vector<Answer> answers;
    Statement stmt(db_, "SELECT id, question, value, lang, hour FROM answers ORDER BY id");
    if (stmt.prepare_rc() != SQLITE_OK) return answers;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
        Answer a;
        a.id = column_text(stmt.get(), 0);
        a.question = column_text(stmt.get(), 1);
        if (sqlite3_column_type(stmt.get(), 2) != SQLITE_NULL) a.value = sqlite3_column_int(stmt.get(), 2);
        a.lang = column_text(stmt.get(), 3);
        a.hour = sqlite3_column_int64(stmt.get(), 4);
        answers.push_back(std::move(a));
    }
    return answers;
}

std::string AnswerStore::integrity_check() {
    std::string result;
    int rc = query_text(db_, "PRAGMA integrity_check", &result);
    if (rc != SQLITE_OK) return failure(path_, "integrity_check failed", db_, rc).message;
    return result;
}

}  // namespace pulse
