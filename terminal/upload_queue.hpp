// upload_queue.hpp — the terminal's upload queue (docs/protocol.md), kept
// in the answer store's SQLite file: which answers are pending, which batch
// each is being sent in, what the server acknowledged or refused, and the
// few facts `status` shows. Owned by AnswerStore (store.upload_queue()).
#pragma once

#include "common/calendar.hpp"
#include "common/protocol.hpp"
#include "terminal/store_sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace pulse {

class UploadQueue {
public:
    // On db, the answer store's open connection (schema v2); path for messages.
    UploadQueue(sqlite3* db, const std::filesystem::path& path) : db_(db), path_(path) {}
    UploadQueue(const UploadQueue&) = delete;
    UploadQueue& operator=(const UploadQueue&) = delete;

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

    // The batch to send next: an open batch if there is one (a retry, or a
    // batch formed before: resent as it is, whatever its hours), else a new
    // one of up to max_answers pending answers not in any batch whose UTC
    // hour is before hour_before, created in one transaction (new_id gives
    // its id). The uploader passes an hour that has ended, so a batch never
    // holds an answer of the running hour and never groups anything finer
    // than the hour each answer already carries. nullopt with *error ok when
    // nothing before hour_before is pending; nullopt with *error set when
    // SQLite failed, max_answers < 1 or new_id gave "" (SQLITE_MISUSE), and
    // then nothing changed.
    std::optional<Batch> next_batch(int max_answers, UnixSeconds hour_before,
                                    const std::function<std::string()>& new_id, StoreStatus* error);

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

    std::int64_t count_pending_upload();  // not acknowledged by the server and not set aside; -1 on error

    // Pending answers (as count_pending_upload) whose UTC hour is hour or
    // later; -1 on error.
    std::int64_t count_pending_from_hour(UnixSeconds hour);

    // Pending answers waiting for the running hour to end: those whose hour
    // has not ended at now (count_pending_from_hour(truncate_to_hour(now))).
    // They are in pending_upload too; no new batch takes them yet. -1 on error.
    std::int64_t count_waiting_for_hour_end(UnixSeconds now) { return count_pending_from_hour(truncate_to_hour(now)); }

private:
    sqlite3* db_;
    std::filesystem::path path_;  // for messages
};

}  // namespace pulse
