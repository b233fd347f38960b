// store_sqlite.hpp — what the answer store and the upload queue, two views
// of the terminal's one SQLite file, share: the outcome of an operation (ok,
// or SQLite's code with a message naming the file, what failed and why), and
// reading an answer row.
#pragma once

#include "common/protocol.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pulse {

// Outcome of a store operation. ok() or an error with SQLite's code and text.
struct StoreStatus {
    int sqlite_code = 0;   // SQLITE_OK (0) on success
    std::string message;   // human-readable, includes the database path
    bool ok() const { return sqlite_code == 0; }
    explicit operator bool() const { return ok(); }

    // "<path>: <what>: <detail> (SQLite code N)" with rc's primary code
    // (SQLITE_ERROR if rc is SQLITE_OK: a failure is never ok).
    static StoreStatus failure(const std::filesystem::path& path, const std::string& what, int rc,
                               const std::string& detail);
    // The same with SQLite's own message for db (or for rc if db is null).
    static StoreStatus failure(const std::filesystem::path& path, const std::string& what, sqlite3* db, int rc);
};

class SqliteStatement;

// An answer from a row whose columns are id, question, value, lang, hour.
Answer read_answer_row(const SqliteStatement& row);

// The first column of a one-row query as an integer (a COUNT), with one
// optional integer parameter; -1 when SQLite fails.
std::int64_t query_count(sqlite3* db, const char* sql, std::optional<std::int64_t> parameter = std::nullopt);

}  // namespace pulse
