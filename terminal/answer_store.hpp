// answer_store.hpp — the terminal's durable answer store (SQLite, WAL,
// synchronous=FULL). Stores per answer only: a random id, the question, the
// value or "don't know", the language and the UTC hour — no session link and
// no insertion order (the table is WITHOUT ROWID, keyed by the random id) —
// and, for uploading, the random id of the batch it is being sent in
// (forgotten once acknowledged) and the UTC day it was acknowledged.
#pragma once

#include "common/calendar.hpp"
#include "common/protocol.hpp"
#include "terminal/store_sqlite.hpp"
#include "terminal/upload_queue.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace pulse {

class AnswerStore {
public:
    // Opens (creating if needed) the database at path with WAL and
    // synchronous=FULL, and creates or migrates the schema (PRAGMA
    // user_version, v2; a v1 file is migrated in one transaction and keeps
    // its answers, all pending); the parent folder is created if missing. If SQLite
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

    // Deletes the answers with these ids that are in no upload batch and not
    // uploaded, in one durable transaction; *removed (if given) says how
    // many. Ids not stored (or already in a batch) are left alone. On
    // failure nothing is deleted. Call scrub_write_order() after it: a
    // deleted row's bytes stay in free pages and the WAL until then.
    StoreStatus remove_unsent(const std::vector<std::string>& ids, int* removed = nullptr);

    // Removes the traces of the order answers were written in: SQLite places
    // new cells in a page, and frames in the WAL, in write order, which could
    // link the answers of one session. VACUUM rebuilds every page in id order
    // (random), then the WAL is checkpointed and truncated to zero bytes.
    // Best effort: on failure (e.g. a reader holds the WAL) nothing is lost
    // and the caller tries again later.
    StoreStatus scrub_write_order();

    // The read functions below return -1 / an empty map / an empty vector if
    // SQLite cannot read the file (it vanished or became corrupt).

    // Number of stored answers per question with hour >= since (for rotation).
    std::map<std::string, int> counts_per_question_since(UnixSeconds since);

    std::int64_t count_all();                      // every stored answer
    std::int64_t count_since(UnixSeconds since);   // hour >= since

    // Every stored answer, in id order (tests and tools).
    std::vector<Answer> all_answers();

    // "ok", or SQLite's first complaint from PRAGMA integrity_check.
    std::string integrity_check();

    // True when the file at path() is no longer the file this connection has
    // open: another connection moved it aside as corrupt (AnswerStore::open)
    // and a fresh database may stand there now, or it was deleted or
    // renamed. Whoever holds a store for long (the answer writer, the
    // uploader) checks this before using it and opens path() again, or its
    // work would go to the moved-aside file. SQLite's SQLITE_FCNTL_HAS_MOVED:
    // the path's inode against the open file's. False if SQLite cannot tell.
    bool file_moved();

    // The upload queue kept in this file, on this connection.
    UploadQueue& upload_queue() { return queue_; }

    const std::filesystem::path& path() const { return path_; }
    sqlite3* handle() { return db_; }

private:
    AnswerStore(sqlite3* db, std::filesystem::path path);
    sqlite3* db_;
    std::filesystem::path path_;
    UploadQueue queue_;
};

}  // namespace pulse
