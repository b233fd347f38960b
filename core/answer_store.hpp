// answer_store.hpp — the terminal's durable answer store (SQLite, WAL,
// synchronous=FULL). Stores per answer only: a random id, the question, the
// value or "don't know", the language and the UTC hour — no session link and
// no insertion order (the table is WITHOUT ROWID, keyed by the random id).
#pragma once

#include "time_util.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace pulse {

// One answer as stored and uploaded.
struct Answer {
    std::string id;            // UUID v4, random
    std::string question;      // question id, "2.3"
    std::optional<int> value;  // 1..5; nullopt = "don't know"
    std::string lang;          // "da" | "en"
    UnixSeconds hour = 0;      // UTC, truncated to the hour
};

// Outcome of a store operation. ok() or an error with SQLite's code and text.
struct StoreStatus {
    int sqlite_code = 0;   // SQLITE_OK (0) on success
    std::string message;   // human-readable, includes the database path
    bool ok() const { return sqlite_code == 0; }
    explicit operator bool() const { return ok(); }
};

class AnswerStore {
public:
    // Opens (creating if needed) the database at path with WAL and
    // synchronous=FULL, and creates or migrates the schema (PRAGMA
    // user_version, v1); the parent folder is created if missing. If SQLite
    // reports the file corrupt (SQLITE_CORRUPT/SQLITE_NOTADB, or quick_check
    // is not "ok" on open), the file and its -wal/-shm are renamed, untouched,
    // to "<name>.corrupt-<UTC yyyymmddThhmmssZ>" (+ "-wal"/"-shm"; ".2", ".3"
    // appended if that name is taken; never deleted), a fresh database is
    // created and *moved_aside_to is set to the new name. On any other failure
    // (unwritable folder, disk full, a newer schema version) returns nullptr
    // and sets *error (error may be null).
    static std::unique_ptr<AnswerStore> open(const std::filesystem::path& path,
                                             StoreStatus* error,
                                             std::filesystem::path* moved_aside_to = nullptr);
    ~AnswerStore();
    AnswerStore(const AnswerStore&) = delete;
    AnswerStore& operator=(const AnswerStore&) = delete;

    // Inserts answers in one transaction and returns only after the commit is
    // durable (fsync'ed). All or nothing: on failure nothing is stored and the
    // caller keeps the answers to retry. Re-inserting an id that is already
    // stored with the same content is a no-op success (retries are safe); the
    // same id with different content fails with SQLITE_CONSTRAINT (19).
    StoreStatus insert(const std::vector<Answer>& answers);

    // The read functions below return -1 / an empty map / an empty vector if
    // SQLite cannot read the file (it vanished or became corrupt).

    // Removes the traces of the order answers were written in: SQLite places
    // new cells in a page, and frames in the WAL, in write order, which could
    // link the answers of one session. VACUUM rebuilds every page in id order
    // (random), then the WAL is checkpointed and truncated to zero bytes.
    // Best effort: on failure (e.g. a reader holds the WAL) nothing is lost
    // and the caller tries again later.
    StoreStatus scrub_write_order();

    // Number of stored answers per question with hour >= since (for rotation).
    std::map<std::string, int> counts_per_question_since(UnixSeconds since);

    std::int64_t count_all();                      // every stored answer
    std::int64_t count_since(UnixSeconds since);   // hour >= since
    std::int64_t count_pending_upload();           // not yet uploaded (all, until uploading exists)

    // Every stored answer, in id order (tests, and the uploader later).
    std::vector<Answer> all_answers();

    // "ok", or SQLite's first complaint from PRAGMA integrity_check.
    std::string integrity_check();

    const std::filesystem::path& path() const { return path_; }
    sqlite3* handle() { return db_; }  // for modules that extend the schema

private:
    AnswerStore(sqlite3* db, std::filesystem::path path);
    sqlite3* db_;
    std::filesystem::path path_;
};

}  // namespace pulse
