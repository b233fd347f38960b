// collector_store.hpp — where the collector keeps answers: SQLite (one file,
// WAL) by default, PostgreSQL when the database setting is a postgresql://
// URL. Answer ids are unique forever; a batch is stored all or nothing.
#pragma once

#include "answer_store.hpp"  // Answer
#include "summary.hpp"       // AnswerCount

#include <memory>
#include <string>
#include <vector>

namespace pulse {

struct StoreResult {
    enum class Kind { stored, conflict, error };
    Kind kind = Kind::stored;
    long accepted = 0;      // stored: answers new to the store
    long duplicates = 0;    // stored: answers already there with the same content
    std::string message;    // conflict: which id; error: what failed
};

class CollectorStore {
public:
    virtual ~CollectorStore() = default;

    // Stores a validated batch for workplace (from terminal) in one
    // transaction: new ids are inserted; an id already stored with the same
    // content is a duplicate; an id stored with other content makes the whole
    // batch a conflict and nothing of it is stored. Safe to call from several
    // threads and processes at once (the same batch twice concurrently gives
    // one `accepted`, one `duplicates`).
    virtual StoreResult store_batch(const std::string& workplace, const std::string& terminal,
                                    const std::vector<Answer>& answers) = 0;

    // Aggregated counts for workplace over the Copenhagen weeks `week` and
    // the `weeks_before` weeks before it (see AnswerCount).
    virtual std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before) = 0;

    // Answers stored for workplace in `week` (the admin overview).
    virtual std::int64_t answers_in_week(const std::string& workplace, IsoWeek week) = 0;
};

// Opens the store named by `database`: a file path (SQLite) or a
// postgresql:// URL. nullptr and *error on failure.
std::unique_ptr<CollectorStore> open_collector_store(const std::string& database, std::string* error);

}  // namespace pulse
