// upload_queue.cpp — the upload queue's queries on the answer store's
// SQLite file (see upload_queue.hpp; its tables are created with the store's
// schema in answer_store.cpp): batches fixed before their first send, marked
// uploaded or set aside in one transaction, split on 413, purged by day.
#include "terminal/upload_queue.hpp"

#include "common/sqlite_statement.hpp"

#include <initializer_list>
#include <string_view>

namespace pulse {


namespace {


// *state gets batch_id's state ("open" | "set_aside"). SQLITE_OK, SQLITE_DONE
// when there is no such batch, or SQLite's error.
int batch_state(sqlite3* db, const std::string& batch_id, std::string* state) {
    SqliteStatement stmt(db, "SELECT state FROM batches WHERE id = ?");
    stmt.text(1, batch_id);
    const int rc = stmt.step();
    if (rc != SQLITE_ROW) return rc;
    *state = stmt.column_text(0);
    return SQLITE_OK;
}

// *state gets batch_id's state; a failure naming `what` when there is no
// such batch (SQLITE_NOTFOUND) or SQLite fails.
StoreStatus existing_batch_state(sqlite3* db, const std::filesystem::path& path, const std::string& what,
                                 const std::string& batch_id, std::string* state) {
    const int rc = batch_state(db, batch_id, state);
    if (rc == SQLITE_DONE) return StoreStatus::failure(path, what, SQLITE_NOTFOUND, "no such batch");
    if (rc != SQLITE_OK) return StoreStatus::failure(path, what, db, rc);
    return {};
}

// The members of batch_id in id order (random, never the order given).
int batch_answers(sqlite3* db, const std::string& batch_id, std::vector<Answer>* answers) {
    SqliteStatement stmt(db, "SELECT id, question, value, lang, hour FROM answers WHERE batch = ? ORDER BY id");
    stmt.text(1, batch_id);
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) answers->push_back(read_answer_row(stmt));
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Prepares sql, binds texts to its parameters in order and runs it once:
// the shape of most of the upload queue's writes. SQLITE_OK when it completed.
int run_with_texts(sqlite3* db, const char* sql, std::initializer_list<std::string_view> texts) {
    SqliteStatement stmt(db, sql);
    int i = 0;
    for (std::string_view text : texts) stmt.text(++i, text);
    return stmt.run();
}

}  // namespace

std::optional<UploadQueue::Batch> UploadQueue::next_batch(int max_answers, UnixSeconds hour_before,
                                                          const std::function<std::string()>& new_id,
                                                          StoreStatus* error) {
    StoreStatus ignored;
    if (!error) error = &ignored;
    *error = {};
    const std::string what = "cannot form the next upload batch";
    if (max_answers < 1) {
        *error = StoreStatus::failure(path_, what, SQLITE_MISUSE, "max_answers is " + std::to_string(max_answers) + ", must be at least 1");
        return std::nullopt;
    }

    SqliteWriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) {
        *error = StoreStatus::failure(path_, what + ": cannot start a transaction", db_, transaction.begin_rc());
        return std::nullopt;
    }
    Batch batch;

    // A batch formed before (and not acknowledged) is resent exactly as it is.
    SqliteStatement open_batch(db_, "SELECT id, attempts FROM batches WHERE state = 'open' ORDER BY id LIMIT 1");
    if (open_batch.prepare_rc() != SQLITE_OK) {
        *error = StoreStatus::failure(path_, what, db_, open_batch.prepare_rc());
        return std::nullopt;
    }
    int rc = open_batch.step();
    if (rc == SQLITE_ROW) {
        batch.id = open_batch.column_text(0);
        batch.attempts = static_cast<int>(open_batch.column_int64(1));
    } else if (rc != SQLITE_DONE) {
        *error = StoreStatus::failure(path_, what, db_, rc);
        return std::nullopt;
    }
    open_batch.reset();

    if (batch.id.empty()) {
        // A new batch: the first max_answers pending answers of hours before
        // hour_before in id order, which is a random sample since ids are random.
        SqliteStatement pick(db_,
                             "SELECT id FROM answers WHERE batch IS NULL AND uploaded_day IS NULL AND hour < ?"
                             " ORDER BY id LIMIT ?");
        if (pick.prepare_rc() != SQLITE_OK) {
            *error = StoreStatus::failure(path_, what, db_, pick.prepare_rc());
            return std::nullopt;
        }
        pick.int64(1, hour_before);
        pick.int64(2, max_answers);
        std::int64_t picked = 0;
        std::string last_id;
        while ((rc = pick.step()) == SQLITE_ROW) {
            ++picked;
            last_id = pick.column_text(0);
        }
        if (rc != SQLITE_DONE) {
            *error = StoreStatus::failure(path_, what, db_, rc);
            return std::nullopt;
        }
        if (picked == 0) return std::nullopt;  // nothing pending; the transaction rolls back, having changed nothing

        batch.id = new_id ? new_id() : std::string();
        if (batch.id.empty()) {
            *error = StoreStatus::failure(path_, what, SQLITE_MISUSE, "new_id gave no batch id");
            return std::nullopt;
        }
        rc = run_with_texts(db_, "INSERT INTO batches(id, state) VALUES(?, 'open')", {batch.id});
        if (rc != SQLITE_OK) {
            *error = StoreStatus::failure(path_, what + ": cannot create batch " + batch.id, db_, rc);
            return std::nullopt;
        }
        // Under the write lock the picked answers are exactly the pending,
        // unbatched ones before hour_before up to last_id.
        SqliteStatement fill(db_,
                             "UPDATE answers SET batch = ?1"
                             " WHERE batch IS NULL AND uploaded_day IS NULL AND hour < ?2 AND id <= ?3");
        fill.text(1, batch.id);
        fill.int64(2, hour_before);
        fill.text(3, last_id);
        rc = fill.run();
        if (rc != SQLITE_OK) {
            *error = StoreStatus::failure(path_, what + ": cannot fill batch " + batch.id, db_, rc);
            return std::nullopt;
        }
        if (sqlite3_changes64(db_) != picked) {
            // No counts: this message ends up in the upload log (uploader.hpp).
            *error = StoreStatus::failure(path_, what, SQLITE_INTERNAL,
                                          "the answers assigned to batch " + batch.id + " are not the ones picked");
            return std::nullopt;
        }
    }

    rc = batch_answers(db_, batch.id, &batch.answers);
    if (rc != SQLITE_OK) {
        *error = StoreStatus::failure(path_, what + ": cannot read batch " + batch.id, db_, rc);
        return std::nullopt;
    }
    rc = transaction.commit();
    if (rc != SQLITE_OK) {
        *error = StoreStatus::failure(path_, what + ": cannot commit batch " + batch.id, db_, rc);
        return std::nullopt;
    }
    return batch;
}

StoreStatus UploadQueue::count_attempt(const std::string& batch_id) {
    const std::string what = "cannot count an attempt of batch " + batch_id;
    SqliteStatement stmt(db_, "UPDATE batches SET attempts = attempts + 1 WHERE id = ?");
    stmt.text(1, batch_id);
    int rc = stmt.run();
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    if (sqlite3_changes64(db_) == 0) return StoreStatus::failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    return {};
}

StoreStatus UploadQueue::mark_uploaded(const std::string& batch_id, UnixSeconds now) {
    const std::string what = "cannot mark batch " + batch_id + " uploaded";
    SqliteWriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) return StoreStatus::failure(path_, what, db_, transaction.begin_rc());

    std::string state;
    if (StoreStatus found = existing_batch_state(db_, path_, what, batch_id, &state); !found) return found;

    // The grouping is forgotten once acknowledged: only the day stays.
    SqliteStatement mark(db_, "UPDATE answers SET uploaded_day = ?, batch = NULL WHERE batch = ?");
    mark.int64(1, truncate_to_day(now));
    mark.text(2, batch_id);
    int rc = mark.run();
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    rc = run_with_texts(db_, "DELETE FROM batches WHERE id = ?", {batch_id});
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);

    rc = transaction.commit();
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    return {};
}

StoreStatus UploadQueue::set_aside(const std::string& batch_id, const std::string& reason) {
    const std::string what = "cannot set batch " + batch_id + " aside";
    const int rc = run_with_texts(db_, "UPDATE batches SET state = 'set_aside', reason = ? WHERE id = ?",
                                  {reason, batch_id});
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    if (sqlite3_changes64(db_) == 0) return StoreStatus::failure(path_, what, SQLITE_NOTFOUND, "no such batch");
    return {};
}

StoreStatus UploadQueue::split_batch(const std::string& batch_id, const std::function<std::string()>& new_id) {
    const std::string what = "cannot split batch " + batch_id;
    SqliteWriteTransaction transaction(db_);
    if (transaction.begin_rc() != SQLITE_OK) return StoreStatus::failure(path_, what, db_, transaction.begin_rc());

    std::string state;
    if (StoreStatus found = existing_batch_state(db_, path_, what, batch_id, &state); !found) return found;
    if (state != "open") return StoreStatus::failure(path_, what, SQLITE_MISUSE, "it is set aside; only an open batch is split");

    std::vector<Answer> members;
    int rc = batch_answers(db_, batch_id, &members);
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    if (members.size() < 2) {
        return StoreStatus::failure(path_, what, SQLITE_MISUSE,
                       "it holds " + std::to_string(members.size()) + " answer(s); set it aside instead");
    }
    // The first half (the larger one for an odd count) is the ids below pivot.
    const std::string& pivot = members[(members.size() + 1) / 2].id;
    const std::string halves[2] = {new_id ? new_id() : std::string(), new_id ? new_id() : std::string()};
    if (halves[0].empty() || halves[1].empty()) return StoreStatus::failure(path_, what, SQLITE_MISUSE, "new_id gave no batch id");

    for (const std::string& half : halves) {
        rc = run_with_texts(db_, "INSERT INTO batches(id, state) VALUES(?, 'open')", {half});
        if (rc != SQLITE_OK) return StoreStatus::failure(path_, what + ": cannot create batch " + half, db_, rc);
    }
    rc = run_with_texts(db_, "UPDATE answers SET batch = ? WHERE batch = ? AND id < ?", {halves[0], batch_id, pivot});
    if (rc == SQLITE_OK) rc = run_with_texts(db_, "UPDATE answers SET batch = ? WHERE batch = ?", {halves[1], batch_id});
    if (rc == SQLITE_OK) rc = run_with_texts(db_, "DELETE FROM batches WHERE id = ?", {batch_id});
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);

    rc = transaction.commit();
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, what, db_, rc);
    return {};
}

std::int64_t UploadQueue::purge_uploaded_before(UnixSeconds cutoff) {
    // batch IS NULL always holds for uploaded answers (a CHECK); it lets the
    // query use answers_by_batch.
    SqliteStatement stmt(db_, "DELETE FROM answers WHERE batch IS NULL AND uploaded_day IS NOT NULL AND uploaded_day < ?");
    stmt.int64(1, cutoff);
    if (stmt.run() != SQLITE_OK) return -1;
    return sqlite3_changes64(db_);
}

std::int64_t UploadQueue::count_set_aside() {
    return query_count(db_,
                       "SELECT COUNT(*) FROM answers JOIN batches ON batches.id = answers.batch"
                       " WHERE batches.state = 'set_aside'",
                       std::nullopt);
}

std::int64_t UploadQueue::count_uploaded() {
    return query_count(db_, "SELECT COUNT(*) FROM answers WHERE batch IS NULL AND uploaded_day IS NOT NULL");
}

StoreStatus UploadQueue::put_upload_fact(const std::string& key, const std::string& value) {
    const int rc = run_with_texts(db_, "INSERT OR REPLACE INTO upload_facts(key, value) VALUES(?, ?)", {key, value});
    if (rc != SQLITE_OK) return StoreStatus::failure(path_, "cannot store the upload fact " + key, db_, rc);
    return {};
}

std::map<std::string, std::string> UploadQueue::upload_facts() {
    std::map<std::string, std::string> facts;
    SqliteStatement stmt(db_, "SELECT key, value FROM upload_facts");
    while (stmt.step() == SQLITE_ROW) facts[stmt.column_text(0)] = stmt.column_text(1);
    return facts;
}

// Pending: not acknowledged, and in no batch or in an open one. Two counts
// so that each can use answers_by_batch.
std::int64_t UploadQueue::count_pending_upload() {
    return query_count(db_,
                       "SELECT (SELECT COUNT(*) FROM answers WHERE batch IS NULL AND uploaded_day IS NULL)"
                       " + (SELECT COUNT(*) FROM answers JOIN batches ON batches.id = answers.batch"
                       "    WHERE batches.state = 'open')",
                       std::nullopt);
}

// The same two counts from the given hour on (answers_by_hour finds the few
// answers of recent hours without reading the rest).
std::int64_t UploadQueue::count_pending_from_hour(UnixSeconds hour) {
    return query_count(db_,
                       "SELECT COUNT(*) FROM answers LEFT JOIN batches ON batches.id = answers.batch"
                       " WHERE answers.hour >= ?1 AND answers.uploaded_day IS NULL"
                       " AND (answers.batch IS NULL OR batches.state = 'open')",
                       hour);
}

}  // namespace pulse
