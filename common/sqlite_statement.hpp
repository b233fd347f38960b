// sqlite_statement.hpp — the small layer over SQLite's C API that the
// terminal's answer store and the collector's SQLite store share: a prepared
// statement that finalizes itself and binds and reads Pulse's column types,
// and a write transaction that rolls back unless committed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// One prepared statement, finalized when it goes out of scope. A statement
// that failed to prepare is inert: binds do nothing, step() returns the
// prepare error.
class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, const char* sql) { prepare_rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~SqliteStatement() { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    int prepare_rc() const { return prepare_rc_; }  // SQLITE_OK when the statement is usable
    bool ok() const { return prepare_rc_ == SQLITE_OK; }
    sqlite3_stmt* get() const { return stmt_; }

    // Binds parameter i (1-based); a copy of the text is taken.
    void text(int i, std::string_view s) {
        sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    void int64(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
    // An answer's value: 1..5, or NULL for "don't know".
    void value(int i, const std::optional<int>& v) {
        if (v) sqlite3_bind_int(stmt_, i, *v);
        else sqlite3_bind_null(stmt_, i);
    }

    // One step: SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return ok() ? sqlite3_step(stmt_) : prepare_rc_; }
    // Runs a statement that returns no rows once: SQLITE_OK when it completed.
    int run() {
        const int rc = step();
        return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    // Ready to run again with new bindings.
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    // Column i (0-based) of the current row. NULL text reads as "".
    std::string column_text(int i) const {
        const unsigned char* t = sqlite3_column_text(stmt_, i);
        return t ? reinterpret_cast<const char*>(t) : "";
    }
    std::int64_t column_int64(int i) const { return sqlite3_column_int64(stmt_, i); }
    std::optional<int> column_value(int i) const {
        if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int(stmt_, i);
    }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int prepare_rc_ = SQLITE_OK;
};

// Runs SQL whose rows (if any) are not needed; SQLite's result code.
inline int sqlite_exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// BEGIN IMMEDIATE ... COMMIT, rolled back if it goes out of scope without a
// successful commit. IMMEDIATE takes the write lock before the first read
// (waiting out other connections through the busy timeout), so a read that
// decides a write can never be overtaken by another connection's commit
// (which a deferred transaction would report as SQLITE_BUSY, unretried).
// Declare it before the statements it runs, so they are finalized first.
class SqliteWriteTransaction {
public:
    explicit SqliteWriteTransaction(sqlite3* db) : db_(db), begin_rc_(sqlite_exec(db, "BEGIN IMMEDIATE")) {}
    ~SqliteWriteTransaction() {
        if (begin_rc_ == SQLITE_OK && !committed_ && !sqlite3_get_autocommit(db_)) sqlite_exec(db_, "ROLLBACK");
    }
    SqliteWriteTransaction(const SqliteWriteTransaction&) = delete;
    SqliteWriteTransaction& operator=(const SqliteWriteTransaction&) = delete;

    int begin_rc() const { return begin_rc_; }  // SQLITE_OK when the transaction is open
    int commit() {
        const int rc = sqlite_exec(db_, "COMMIT");
        committed_ = rc == SQLITE_OK;
        return rc;
    }

private:
    sqlite3* db_;
    int begin_rc_;
    bool committed_ = false;
};

}  // namespace pulse
