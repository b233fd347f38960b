// answer_store.cpp — AnswerStore on SQLite: opening (WAL, synchronous=FULL,
// schema v2, migrating older files), moving a corrupt file aside,
// all-or-nothing inserts, the counts rotation and the admin screen need, and
// the upload queue (batches fixed before their first send). See
// answer_store.hpp and docs/protocol.md.
#include "answer_store.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <initializer_list>
#include <string_view>
#include <system_error>
#include <utility>

namespace pulse {

namespace {

// [SECTION] SQLite helpers

constexpr int kSchemaVersion = 2;    // PRAGMA user_version this build writes and reads
constexpr int kBusyTimeout_ms = 5000;  // the uploader writes on its own connection
constexpr UnixSeconds kSecondsPerDay = 86400;

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

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// An answer from the columns id, question, value, lang, hour (in that order).
Answer read_answer(sqlite3_stmt* stmt) {
    Answer a;
    a.id = column_text(stmt, 0);
    a.question = column_text(stmt, 1);
    if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) a.value = sqlite3_column_int(stmt, 2);
    a.lang = column_text(stmt, 3);
    a.hour = sqlite3_column_int64(stmt, 4);
    return a;
}

// BEGIN IMMEDIATE ... COMMIT, rolled back if it goes out of scope without a
// successful commit. IMMEDIATE takes the write lock before the first read
// (waiting out the other connections through the busy timeout), so a read
// that decides a write can never be overtaken by another connection's commit
// (which a deferred transaction would report as SQLITE_BUSY, unretried).
// Declare it before the statements it runs, so they are finalized first.
class WriteTransaction {
public:
    explicit WriteTransaction(sqlite3* db) : db_(db), begin_rc_(exec(db, "BEGIN IMMEDIATE")) {}
    ~WriteTransaction() {
        if (begin_rc_ == SQLITE_OK && !committed_ && !sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    int begin_rc() const { return begin_rc_; }  // SQLITE_OK when the transaction is open
    int commit() {
        int rc = exec(db_, "COMMIT");
        committed_ = rc == SQLITE_OK;
        return rc;
    }

private:
    sqlite3* db_;
    int begin_rc_;
    bool committed_ = false;
};

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
    // Answers may only point at batches that exist (see kMigrateV1ToV2).
    rc = exec(db, "PRAGMA foreign_keys=ON");
    if (rc != SQLITE_OK) return fail("cannot enable foreign keys", rc);
    if (version < kSchemaVersion) {
        // All steps in one transaction: an interrupted migration leaves the
        // old version, whole. The version is read again under the write lock,
        // because another connection (the uploader's) may have just migrated.
        auto fail_migration = [&](int code, const std::string& detail) {
            attempt.status = failure(path, "cannot create or migrate the schema to version " +
                                               std::to_string(kSchemaVersion), code, detail);
            attempt.corrupt = is_corruption(code);
            if (!sqlite3_get_autocommit(db)) exec(db, "ROLLBACK");
            sqlite3_close_v2(db);
            return attempt;
        };
        rc = exec(db, "BEGIN IMMEDIATE");
        if (rc == SQLITE_OK) rc = query_text(db, "PRAGMA user_version", &version_text);
        if (rc != SQLITE_OK) return fail_migration(rc, sqlite3_errmsg(db));
        version = std::atoi(version_text.c_str());
        if (version < 0 || version > kSchemaVersion) {
            return fail_migration(SQLITE_ERROR, "the file's schema version is " + version_text);
        }
        for (int step = version; step < kSchemaVersion; ++step) {
            rc = exec(db, kMigrations[step]);
            if (rc != SQLITE_OK) {
                return fail_migration(rc, "step from version " + std::to_string(step) + ": " + sqlite3_errmsg(db));
            }
        }
        rc = exec(db, "COMMIT");
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

// [SECTION] Upload queue

namespace {

// The UTC midnight that starts the day of t.
UnixSeconds utc_day_of(UnixSeconds t) {
    UnixSeconds into_day = t % kSecondsPerDay;
    if (into_day < 0) into_day += kSecondsPerDay;
    return t - into_day;
}

// *state gets batch_id's state ("open" | "set_aside"). SQLITE_OK, SQLITE_DONE
// when there is no such batch, or SQLite's error.
int batch_state(sqlite3* db, const std::string& batch_id, std::string* state) {
    Statement stmt(db, "SELECT state FROM batches WHERE id = ?");
    if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
    bind_text(stmt.get(), 1, batch_id);
    int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return rc;
    *state = column_text(stmt.get(), 0);
    return SQLITE_OK;
}

// The members of batch_id in id order (random, never the order given).
int batch_answers(sqlite3* db, const std::string& batch_id, std::vector<Answer>* answers) {
    Statement stmt(db, "SELECT id, question, value, lang, hour FROM answers WHERE batch = ? ORDER BY id");
    if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
    bind_text(stmt.get(), 1, batch_id);
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) answers->push_back(read_answer(stmt.get()));
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Runs a prepared write once; SQLITE_OK when it completed.
int run(Statement& stmt) {
    if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
    int rc = sqlite3_step(stmt.get());
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Prepares sql, binds texts to its parameters in order and runs it once:
// the shape of most of the upload queue's writes. SQLITE_OK when it completed.
int run_with_texts(sqlite3* db, const char* sql, std::initializer_list<std::string_view> texts) {
    Statement stmt(db, sql);
    int i = 0;
    for (std::string_view text : texts) {
        sqlite3_bind_text(stmt.get(), ++i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    return run(stmt);
}

}  // namespace

std::optional<AnswerStore::Batch> AnswerStore::next_batch(int max_answers,
                                                          const std::function<std::string()>& new_id,
                                                          StoreStatus* error) {
    StoreStatus ignored;
    if (!error) error = &ignored;
    *error = {};
    const std::string what = "cannot form the next upload batch";
    if (max_answers < 1) {
        *error = failure(path_, what, SQLITE_MISUSE, "max_answers is " + std::to_string(max_answers) + ", must be at least 1");
        return std::nullopt;
    }

    WriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) {
        *error = failure(path_, what + ": cannot start a transaction", db_, transaction.begin_rc());
        return std::nullopt;
    }
    Batch batch;

    // A batch formed before (and not acknowledged) is resent exactly as it is.
    Statement open_batch(db_, "SELECT id, attempts FROM batches WHERE state = 'open' ORDER BY id LIMIT 1");
    if (open_batch.prepare_rc() != SQLITE_OK) {
        *error = failure(path_, what, db_, open_batch.prepare_rc());
        return std::nullopt;
    }
    int rc = sqlite3_step(open_batch.get());
    if (rc == SQLITE_ROW) {
        batch.id = column_text(open_batch.get(), 0);
        batch.attempts = sqlite3_column_int(open_batch.get(), 1);
    } else if (rc != SQLITE_DONE) {
        *error = failure(path_, what, db_, rc);
        return std::nullopt;
    }
    sqlite3_reset(open_batch.get());

    if (batch.id.empty()) {
        // A new batch: the first max_answers pending answers in id order, which
        // is a random sample since ids are random.
        Statement pick(db_,
                       "SELECT id FROM answers WHERE batch IS NULL AND uploaded_day IS NULL ORDER BY id LIMIT ?");
        if (pick.prepare_rc() != SQLITE_OK) {
            *error = failure(path_, what, db_, pick.prepare_rc());
            return std::nullopt;
        }
        sqlite3_bind_int(pick.get(), 1, max_answers);
        std::int64_t picked = 0;
        std::string last_id;
        while ((rc = sqlite3_step(pick.get())) == SQLITE_ROW) {
            ++picked;
            last_id = column_text(pick.get(), 0);
        }
        if (rc != SQLITE_DONE) {
            *error = failure(path_, what, db_, rc);
            return std::nullopt;
        }
        if (picked == 0) return std::nullopt;  // nothing pending; the transaction rolls back, having changed nothing

        batch.id = new_id ? new_id() : std::string();
        if (batch.id.empty()) {
            *error = failure(path_, what, SQLITE_MISUSE, "new_id gave no batch id");
            return std::nullopt;
        }
        rc = run_with_texts(db_, "INSERT INTO batches(id, state) VALUES(?, 'open')", {batch.id});
        if (rc != SQLITE_OK) {
            *error = failure(path_, what + ": cannot create batch " + batch.id, db_, rc);
            return std::nullopt;
        }
        // Under the write lock the picked answers are exactly the pending,
        // unbatched ones up to last_id.
        rc = run_with_texts(db_,
                            "UPDATE answers SET batch = ?1 WHERE batch IS NULL AND uploaded_day IS NULL AND id <= ?2",
                            {batch.id, last_id});
        if (rc != SQLITE_OK) {
            *error = failure(path_, what + ": cannot fill batch " + batch.id, db_, rc);
            return std::nullopt;
        }
        if (sqlite3_changes64(db_) != picked) {
            *error = failure(path_, what, SQLITE_INTERNAL,
                             "picked " + std::to_string(picked) + " answers but assigned " +
                                 std::to_string(sqlite3_changes64(db_)) + " to batch " + batch.id);
            return std::nullopt;
        }
    }

    rc = batch_answers(db_, batch.id, &batch.answers);
    if (rc != SQLITE_OK) {
        *error = failure(path_, what + ": cannot read batch " + batch.id, db_, rc);
        return std::nullopt;
    }
    rc = transaction.commit();
    if (rc != SQLITE_OK) {
        *error = failure(path_, what + ": cannot commit batch " + batch.id, db_, rc);
        return std::nullopt;
    }
    return batch;
}

StoreStatus AnswerStore::count_attempt(const std::string& batch_id) {
    const std::string what = "cannot count an attempt of batch " + batch_id;
    Statement stmt(db_, "UPDATE batches SET attempts = attempts + 1 WHERE id = ?");
    bind_text(stmt.get(), 1, batch_id);
    int rc = run(stmt);
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    if (sqlite3_changes64(db_) == 0) return failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    return {};
}

StoreStatus AnswerStore::mark_uploaded(const std::string& batch_id, UnixSeconds now) {
    const std::string what = "cannot mark batch " + batch_id + " uploaded";
    WriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) return failure(path_, what, db_, transaction.begin_rc());

    std::string state;
    int rc = batch_state(db_, batch_id, &state);
    if (rc == SQLITE_DONE) return failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);

    // The grouping is forgotten once acknowledged: only the day stays.
    Statement mark(db_, "UPDATE answers SET uploaded_day = ?, batch = NULL WHERE batch = ?");
    sqlite3_bind_int64(mark.get(), 1, utc_day_of(now));
    bind_text(mark.get(), 2, batch_id);
    rc = run(mark);
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    rc = run_with_texts(db_, "DELETE FROM batches WHERE id = ?", {batch_id});
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);

    rc = transaction.commit();
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    return {};
}

StoreStatus AnswerStore::set_aside(const std::string& batch_id, const std::string& reason) {
    const std::string what = "cannot set batch " + batch_id + " aside";
    const int rc = run_with_texts(db_, "UPDATE batches SET state = 'set_aside', reason = ? WHERE id = ?",
                                  {reason, batch_id});
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    if (sqlite3_changes64(db_) == 0) return failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    return {};
}

StoreStatus AnswerStore::split_batch(const std::string& batch_id, const std::function<std::string()>& new_id) {
    const std::string what = "cannot split batch " + batch_id;
    WriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) return failure(path_, what, db_, transaction.begin_rc());

    std::string state;
    int rc = batch_state(db_, batch_id, &state);
    if (rc == SQLITE_DONE) return failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    if (state != "open") return failure(path_, what, SQLITE_MISUSE, "it is set aside; only an open batch is split");

    std::vector<Answer> members;
    rc = batch_answers(db_, batch_id, &members);
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    if (members.size() < 2) {
        return failure(path_, what, SQLITE_MISUSE,
                       "it holds " + std::to_string(members.size()) + " answer(s); set it aside instead");
    }
    // The first half (the larger one for an odd count) is the ids below pivot.
    const std::string& pivot = members[(members.size() + 1) / 2].id;
    const std::string halves[2] = {new_id ? new_id() : std::string(), new_id ? new_id() : std::string()};
    if (halves[0].empty() || halves[1].empty()) return failure(path_, what, SQLITE_MISUSE, "new_id gave no batch id");

    for (const std::string& half : halves) {
        rc = run_with_texts(db_, "INSERT INTO batches(id, state) VALUES(?, 'open')", {half});
        if (rc != SQLITE_OK) return failure(path_, what + ": cannot create batch " + half, db_, rc);
    }
    rc = run_with_texts(db_, "UPDATE answers SET batch = ? WHERE batch = ? AND id < ?", {halves[0], batch_id, pivot});
    if (rc == SQLITE_OK) rc = run_with_texts(db_, "UPDATE answers SET batch = ? WHERE batch = ?", {halves[1], batch_id});
    if (rc == SQLITE_OK) rc = run_with_texts(db_, "DELETE FROM batches WHERE id = ?", {batch_id});
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);

    rc = transaction.commit();
    if (rc != SQLITE_OK) return failure(path_, what, db_, rc);
    return {};
}

std::int64_t AnswerStore::purge_uploaded_before(UnixSeconds cutoff) {
    // batch IS NULL always holds for uploaded answers (a CHECK); it lets the
    // query use answers_by_batch.
    Statement stmt(db_, "DELETE FROM answers WHERE batch IS NULL AND uploaded_day IS NOT NULL AND uploaded_day < ?");
    sqlite3_bind_int64(stmt.get(), 1, cutoff);
    if (run(stmt) != SQLITE_OK) return -1;
    return sqlite3_changes64(db_);
}

std::int64_t AnswerStore::count_set_aside() {
    return query_count(db_,
                       "SELECT COUNT(*) FROM answers JOIN batches ON batches.id = answers.batch"
                       " WHERE batches.state = 'set_aside'",
                       nullptr);
}

std::int64_t AnswerStore::count_uploaded() {
    return query_count(db_, "SELECT COUNT(*) FROM answers WHERE batch IS NULL AND uploaded_day IS NOT NULL", nullptr);
}

StoreStatus AnswerStore::put_upload_fact(const std::string& key, const std::string& value) {
    const int rc = run_with_texts(db_, "INSERT OR REPLACE INTO upload_facts(key, value) VALUES(?, ?)", {key, value});
    if (rc != SQLITE_OK) return failure(path_, "cannot store the upload fact " + key, db_, rc);
    return {};
}

std::map<std::string, std::string> AnswerStore::upload_facts() {
    std::map<std::string, std::string> facts;
    Statement stmt(db_, "SELECT key, value FROM upload_facts");
    if (stmt.prepare_rc() != SQLITE_OK) return facts;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) facts[column_text(stmt.get(), 0)] = column_text(stmt.get(), 1);
    return facts;
}

// [SECTION] Scrubbing and counts

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

// Pending: not acknowledged, and in no batch or in an open one. Two counts
// so that each can use answers_by_batch.
std::int64_t AnswerStore::count_pending_upload() {
    return query_count(db_,
                       "SELECT (SELECT COUNT(*) FROM answers WHERE batch IS NULL AND uploaded_day IS NULL)"
                       " + (SELECT COUNT(*) FROM answers JOIN batches ON batches.id = answers.batch"
                       "    WHERE batches.state = 'open')",
                       nullptr);
}

std::vector<Answer> AnswerStore::all_answers() {
    std::vector<Answer> answers;
    Statement stmt(db_, "SELECT id, question, value, lang, hour FROM answers ORDER BY id");
    if (stmt.prepare_rc() != SQLITE_OK) return answers;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) answers.push_back(read_answer(stmt.get()));
    return answers;
}

std::string AnswerStore::integrity_check() {
    std::string result;
    int rc = query_text(db_, "PRAGMA integrity_check", &result);
    if (rc != SQLITE_OK) return failure(path_, "integrity_check failed", db_, rc).message;
    return result;
}

}  // namespace pulse
