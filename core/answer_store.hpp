// answer_store.hpp — the terminal's durable answer store (SQLite, WAL,
// synchronous=FULL). Stores per answer only: a random id, the question, the
// value or "don't know", the language and the UTC hour — no session link and
// no insertion order (the table is WITHOUT ROWID, keyed by the random id) —
// and, for uploading, the random id of the batch it is being sent in
// (forgotten once acknowledged) and the UTC day it was acknowledged.
#pragma once

#include "time_util.hpp"

#include <filesystem>
#include <functional>
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

    // The read functions below return -1 / an empty map / an empty vector if
    // SQLite cannot read the file (it vanished or became corrupt).

    // [SECTION] Upload queue (docs/protocol.md)
    //
    // An answer is pending until the server acknowledged it. Pending answers
    // are grouped into batches whose membership is fixed in the database
    // before the first send, so a retry resends the same batch id with the
    // same answers. A batch is open (to be sent) or set aside (refused by the
    // server: kept, never resent, never deleted).

    struct Batch {
        std::string id;               // UUID v4, the Idempotency-Key
        std::vector<Answer> answers;  // its members
        int attempts = 0;             // sends so far
    };

    // The batch to send next: an open batch if there is one (a retry), else a
    // new one of up to max_answers pending answers not in any batch, created
    // in one transaction (new_id gives its id). nullopt with *error ok when
    // nothing is pending; nullopt with *error set when SQLite failed or
    // max_answers < 1 (SQLITE_MISUSE), and then nothing changed.
    std::optional<Batch> next_batch(int max_answers, const std::function<std::string()>& new_id,
                                    StoreStatus* error);

    // Counts one more send of batch_id (for the log). An unknown batch id is
    // an error (SQLITE_NOTFOUND).
    StoreStatus count_attempt(const std::string& batch_id);

    // The server acknowledged batch_id: in one transaction its answers are
    // marked uploaded on the UTC day of now (kept for keep_uploaded_days) and
    // the batch is closed. An unknown batch id (e.g. already marked) is an
    // error (SQLITE_NOTFOUND); on any error nothing changed.
    StoreStatus mark_uploaded(const std::string& batch_id, UnixSeconds now);

    // The server refused batch_id for good (400/422/409): it stays in the
    // database with reason, is never resent and never deleted. An unknown
    // batch id is an error (SQLITE_NOTFOUND).
    StoreStatus set_aside(const std::string& batch_id, const std::string& reason);

    // 413: replaces open batch_id by two open batches holding its halves
    // (ids from new_id), in one transaction. A batch of one answer cannot be
    // split: that is an error status (SQLITE_MISUSE; the caller sets it aside
    // instead), as is a set-aside batch; an unknown id is SQLITE_NOTFOUND. On
    // any error nothing changed.
    StoreStatus split_batch(const std::string& batch_id, const std::function<std::string()>& new_id);

    // Deletes answers whose upload day (its UTC midnight) is before cutoff
    // (pending and set-aside answers are never deleted). Returns how many,
    // or -1 on error.
    std::int64_t purge_uploaded_before(UnixSeconds cutoff);

    std::int64_t count_set_aside();  // answers in set-aside batches
    std::int64_t count_uploaded();   // answers acknowledged by the server (still kept)

    // Small persistent facts about uploading for `status` (last_upload_ok,
    // last_error, next_attempt, token_rejected): text values by key.
    StoreStatus put_upload_fact(const std::string& key, const std::string& value);
    std::map<std::string, std::string> upload_facts();

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
    std::int64_t count_pending_upload();           // not acknowledged by the server and not set aside

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
