// answer_store.cpp — AnswerStore on SQLite: opening (WAL, synchronous=FULL,
// schema v2, migrating older files), moving a corrupt file aside,
// all-or-nothing inserts, the write-order scrub, noticing that the file was
// replaced, and the counts rotation and `status` need. The upload queue's tables are created here (the schema is
// one), its queries are in upload_queue.cpp.
#include "terminal/answer_store.hpp"

#include "common/sqlite_statement.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <system_error>
#include <utility>

namespace pulse {

namespace {

// [SECTION] Schema and helpers

constexpr int kSchemaVersion = 2;    // PRAGMA user_version this build writes and reads
constexpr int kBusyTimeout_ms = 5000;  // the uploader writes on its own connection

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

// v1 -> v2: the upload queue. Per answer only two facts are added, both
// unable to single anyone out: the random id of the batch it is being sent
// in (forgotten once the server acknowledged it) and the UTC day of that
// acknowledgement (a midnight, never a time). Batches have random ids and no
// rowid either, so nothing records which batch was formed first.
//
// The constraints make the lost-answer states impossible rather than
// unlikely: an answer cannot point at a batch that does not exist (it would
// be neither pending nor set aside, so never sent; needs PRAGMA foreign_keys,
// set on every connection in try_open), and an acknowledged answer belongs to
// no batch. answers_by_batch serves every queue query: (batch IS NULL,
// uploaded_day IS NULL) in id order for new batches, batch = ? for members
// and for the foreign-key check, (batch IS NULL, uploaded_day < ?) for purge.
constexpr const char* kMigrateV1ToV2 =
    "CREATE TABLE batches("
    " id TEXT PRIMARY KEY,"
    " state TEXT NOT NULL CHECK(state IN ('open', 'set_aside')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT"
    ") WITHOUT ROWID;"
    "CREATE TABLE upload_facts("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "ALTER TABLE answers ADD COLUMN batch TEXT NULL REFERENCES batches(id);"
    "ALTER TABLE answers ADD COLUMN uploaded_day INTEGER NULL"
    " CHECK(uploaded_day IS NULL OR (batch IS NULL AND uploaded_day % 86400 = 0));"
    "CREATE INDEX answers_by_batch ON answers(batch, uploaded_day);"
    "PRAGMA user_version = 2;";

// kMigrations[v] turns schema version v into v + 1 (0 is a new, empty file).
constexpr const char* kMigrations[kSchemaVersion] = {kSchemaV1, kMigrateV1ToV2};

bool is_corruption(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}


// Runs a single-row, single-column query; *text gets the column as text.
int query_text(sqlite3* db, const char* sql, std::string* text) {
    SqliteStatement stmt(db, sql);
    const int rc = stmt.step();
    if (rc == SQLITE_ROW) {
        *text = stmt.column_text(0);
        return SQLITE_OK;
    }
    return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
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
// synchronous=FULL and creates or migrates the schema to kSchemaVersion.
OpenAttempt try_open(const std::filesystem::path& path) {
    OpenAttempt attempt;
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    auto fail = [&](const std::string& what, int code) {
        attempt.status = StoreStatus::failure(path, what, db, code);
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
        attempt.status = StoreStatus::failure(path, "the database is corrupt", SQLITE_CORRUPT, check);
        attempt.corrupt = true;
        sqlite3_close_v2(db);
        return attempt;
    }
    int version = std::atoi(version_text.c_str());
    if (version > kSchemaVersion) {
        attempt.status = StoreStatus::failure(path, "cannot use the database", SQLITE_ERROR,
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
        attempt.status = StoreStatus::failure(path, "cannot switch to WAL", SQLITE_ERROR,
                                 "journal_mode is " + mode);
        sqlite3_close_v2(db);
        return attempt;
    }
    rc = sqlite_exec(db, "PRAGMA synchronous=FULL");
    if (rc != SQLITE_OK) return fail("cannot set synchronous=FULL", rc);
    // Freed pages (answers deleted after upload) are overwritten with zeros.
    rc = sqlite_exec(db, "PRAGMA secure_delete=ON");
    if (rc != SQLITE_OK) return fail("cannot set secure_delete", rc);
    // Answers may only point at batches that exist (see kMigrateV1ToV2).
    rc = sqlite_exec(db, "PRAGMA foreign_keys=ON");
    if (rc != SQLITE_OK) return fail("cannot enable foreign keys", rc);
    if (version < kSchemaVersion) {
        // All steps in one transaction: an interrupted migration leaves the
        // old version, whole. The version is read again under the write lock,
        // because another connection (the uploader's) may have just migrated.
        auto fail_migration = [&](int code, const std::string& detail) {
            attempt.status = StoreStatus::failure(path, "cannot create or migrate the schema to version " +
                                               std::to_string(kSchemaVersion), code, detail);
            attempt.corrupt = is_corruption(code);
            if (!sqlite3_get_autocommit(db)) sqlite_exec(db, "ROLLBACK");
            sqlite3_close_v2(db);
            return attempt;
        };
        rc = sqlite_exec(db, "BEGIN IMMEDIATE");
        if (rc == SQLITE_OK) rc = query_text(db, "PRAGMA user_version", &version_text);
        if (rc != SQLITE_OK) return fail_migration(rc, sqlite3_errmsg(db));
        version = std::atoi(version_text.c_str());
        if (version < 0 || version > kSchemaVersion) {
            return fail_migration(SQLITE_ERROR, "the file's schema version is " + version_text);
        }
        for (int step = version; step < kSchemaVersion; ++step) {
            rc = sqlite_exec(db, kMigrations[step]);
            if (rc != SQLITE_OK) {
                return fail_migration(rc, "step from version " + std::to_string(step) + ": " + sqlite3_errmsg(db));
            }
        }
        rc = sqlite_exec(db, "COMMIT");
        if (rc != SQLITE_OK) return fail_migration(rc, sqlite3_errmsg(db));
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
            return StoreStatus::failure(path, "the database is corrupt and cannot be moved aside to " +
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
            *error = StoreStatus::failure(path, "cannot create the folder " + path.parent_path().string(),
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

AnswerStore::AnswerStore(sqlite3* db, std::filesystem::path path)
    : db_(db), path_(std::move(path)), queue_(db_, path_) {}

AnswerStore::~AnswerStore() { sqlite3_close_v2(db_); }

StoreStatus AnswerStore::remove_unsent(const std::vector<std::string>& ids, int* removed) {
    if (removed) *removed = 0;
    if (ids.empty()) return {};
    SqliteStatement delete_row(db_, "DELETE FROM answers WHERE id = ? AND batch IS NULL AND uploaded_day IS NULL");
    if (!delete_row.ok()) return StoreStatus::failure(path_, "cannot prepare the removal", db_, delete_row.prepare_rc());
    int rc = sqlite_exec(db_, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, "cannot start a transaction", db_, rc);
    int count = 0;
    for (const std::string& id : ids) {
        delete_row.reset();
        delete_row.text(1, id);
        rc = delete_row.step();
        if (rc != SQLITE_DONE) {
            sqlite_exec(db_, "ROLLBACK");
            return StoreStatus::failure(path_, "cannot remove the answers of an undone session", db_, rc);
        }
        count += sqlite3_changes(db_);
    }
    rc = sqlite_exec(db_, "COMMIT");
    if (rc != SQLITE_OK) {
        if (!sqlite3_get_autocommit(db_)) sqlite_exec(db_, "ROLLBACK");
        return StoreStatus::failure(path_, "cannot commit the removal", db_, rc);
    }
    if (removed) *removed = count;
    return {};
}

StoreStatus AnswerStore::insert(const std::vector<Answer>& answers) {
    if (answers.empty()) return {};
    SqliteStatement insert_row(db_,
                               "INSERT INTO answers(id, question, value, lang, hour) VALUES(?,?,?,?,?)"
                               " ON CONFLICT(id) DO NOTHING");
    SqliteStatement find_row(db_, "SELECT question, value, lang, hour FROM answers WHERE id = ?");
    if (!insert_row.ok()) return StoreStatus::failure(path_, "cannot prepare the insert", db_, insert_row.prepare_rc());
    if (!find_row.ok()) return StoreStatus::failure(path_, "cannot prepare the insert", db_, find_row.prepare_rc());

    int rc = sqlite_exec(db_, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, "cannot start a transaction", db_, rc);
    auto roll_back = [&](StoreStatus status) {
        if (!sqlite3_get_autocommit(db_)) sqlite_exec(db_, "ROLLBACK");
        return status;
    };

    for (const Answer& a : answers) {
        insert_row.reset();
        insert_row.text(1, a.id);
        insert_row.text(2, a.question);
        insert_row.value(3, a.value);
        insert_row.text(4, a.lang);
        insert_row.int64(5, a.hour);
        rc = insert_row.step();
        if (rc != SQLITE_DONE) return roll_back(StoreStatus::failure(path_, "cannot insert answer " + a.id, db_, rc));
        if (sqlite3_changes(db_) > 0) continue;

        // The id is already stored: a retry of the same answer is fine, a
        // different answer under the same id is refused.
        find_row.reset();
        find_row.text(1, a.id);
        rc = find_row.step();
        if (rc != SQLITE_ROW) return roll_back(StoreStatus::failure(path_, "cannot read answer " + a.id, db_, rc));
        const bool same = find_row.column_text(0) == a.question && find_row.column_value(1) == a.value &&
                          find_row.column_text(2) == a.lang && find_row.column_int64(3) == a.hour;
        if (!same) {
            return roll_back(StoreStatus::failure(path_, "cannot insert answer " + a.id, SQLITE_CONSTRAINT,
                                     "that id is already stored with different content"));
        }
    }

    // With WAL and synchronous=FULL the commit returns after the WAL is fsync'ed.
    rc = sqlite_exec(db_, "COMMIT");
    if (rc != SQLITE_OK) return roll_back(StoreStatus::failure(path_, "cannot commit answers", db_, rc));
    return {};
}

// [SECTION] Scrubbing and counts

StoreStatus AnswerStore::scrub_write_order() {
    int rc = sqlite_exec(db_, "VACUUM");
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, "cannot rebuild the database (VACUUM)", db_, rc);
    // A reader (the uploader, `status`) can keep the checkpoint from
    // finishing: SQLite then says "busy" in the first column, and the WAL
    // still holds frames; that is a failure to retry, not a scrub.
    SqliteStatement checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    rc = checkpoint.step();
    if (rc != SQLITE_ROW) return StoreStatus::failure(path_, "cannot empty the write-ahead log", db_, rc);
    if (checkpoint.column_int64(0) != 0) {
        return StoreStatus::failure(path_, "cannot empty the write-ahead log", SQLITE_BUSY, "a reader holds it");
    }
    return {};
}

std::map<std::string, int> AnswerStore::counts_per_question_since(UnixSeconds since) {
    std::map<std::string, int> counts;
    SqliteStatement stmt(db_, "SELECT question, COUNT(*) FROM answers WHERE hour >= ? GROUP BY question");
    stmt.int64(1, since);
    while (stmt.step() == SQLITE_ROW) counts[stmt.column_text(0)] = static_cast<int>(stmt.column_int64(1));
    return counts;
}

std::int64_t AnswerStore::count_all() { return query_count(db_, "SELECT COUNT(*) FROM answers"); }

std::int64_t AnswerStore::count_since(UnixSeconds since) {
    return query_count(db_, "SELECT COUNT(*) FROM answers WHERE hour >= ?", since);
}

std::vector<Answer> AnswerStore::all_answers() {
    std::vector<Answer> answers;
    SqliteStatement stmt(db_, "SELECT id, question, value, lang, hour FROM answers ORDER BY id");
    while (stmt.step() == SQLITE_ROW) answers.push_back(read_answer_row(stmt));
    return answers;
}

bool AnswerStore::file_moved() {
    int moved = 0;
    const int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved);
    return rc == SQLITE_OK && moved != 0;
}

std::string AnswerStore::integrity_check() {
    std::string result;
    int rc = query_text(db_, "PRAGMA integrity_check", &result);
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, "integrity_check failed", db_, rc).message;
    return result;
}

// [SECTION] Shared with the upload queue (store_sqlite.hpp)

StoreStatus StoreStatus::failure(const std::filesystem::path& path, const std::string& what, int rc,
                                 const std::string& detail) {
    StoreStatus status;
    const int primary = rc & 0xff;
    status.sqlite_code = primary == SQLITE_OK ? SQLITE_ERROR : primary;
    status.message = path.string() + ": " + what + ": " + detail + " (SQLite code " +
                     std::to_string(status.sqlite_code) + ")";
    return status;
}

StoreStatus StoreStatus::failure(const std::filesystem::path& path, const std::string& what, sqlite3* db, int rc) {
    return failure(path, what, rc, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

Answer read_answer_row(const SqliteStatement& row) {
    Answer a;
    a.id = row.column_text(0);
    a.question = row.column_text(1);
    a.value = row.column_value(2);
    a.lang = row.column_text(3);
    a.hour = row.column_int64(4);
    return a;
}

std::int64_t query_count(sqlite3* db, const char* sql, std::optional<std::int64_t> parameter) {
    SqliteStatement stmt(db, sql);
    if (parameter) stmt.int64(1, *parameter);
    return stmt.step() == SQLITE_ROW ? stmt.column_int64(0) : -1;
}

}  // namespace pulse
