// sqlite_store.cpp — CollectorStore on one SQLite file (WAL,
// synchronous=FULL: an acknowledged answer survives a power cut). Per answer
// only what the terminal itself keeps, plus its workplace: no terminal id, no
// arrival time, no batch, no rowid — nothing that links answers together.
// A full disk or a file that turns read-only fails the write in progress
// (an error: 503, nothing of the batch stored) and leaves the connection
// usable, so the first write after the fault is gone succeeds; a file that
// is read-only when opened is refused (see open_sqlite_collector_store).
#include "collector/storage/store.hpp"

#include "common/sqlite_statement.hpp"
#include "common/copenhagen_time.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>

namespace pulse {
namespace {

constexpr int kBusyTimeout_ms = 10000;  // another collector process may hold the write lock

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS answers("
    " id TEXT PRIMARY KEY,"
    " workplace TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " value INTEGER NULL CHECK(value BETWEEN 1 AND 5),"
    " lang TEXT NOT NULL,"
    " hour INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    // The summary's index covers its query (question and value in the index:
    // no lookups into the table). It replaced answers_by_workplace_hour.
    "CREATE INDEX IF NOT EXISTS answers_by_workplace_hour_question_value ON answers(workplace, hour, question, value);"
    "DROP INDEX IF EXISTS answers_by_workplace_hour;"
    "CREATE TABLE IF NOT EXISTS email_sends("
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " sent INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(workplace, week)"
    ") WITHOUT ROWID;"
    // Publication: a week is sealed once its row exists; its summaries
    // (one per workplace) never change afterwards.
    "CREATE TABLE IF NOT EXISTS publications("
    " week TEXT PRIMARY KEY,"
    " sealed_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS sealed_weeks("
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " answers_at_seal INTEGER NOT NULL,"
    " PRIMARY KEY(workplace, week)"
    ") WITHOUT ROWID;";

using Statement = SqliteStatement;

class SqliteCollectorStore final : public CollectorStore {
public:
    explicit SqliteCollectorStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    ~SqliteCollectorStore() override { sqlite3_close(db_); }

    StoreResult store_batch(const std::string& workplace, const std::string& /*terminal: never stored*/,
                            const std::vector<Answer>& answers, std::optional<IsoWeek> require_sealed) override {
        std::lock_guard<std::mutex> lock(mutex_);
        StoreResult result;
        // BEGIN IMMEDIATE is the seal lock too: a seal is one write transaction.
        if (!exec("BEGIN IMMEDIATE")) return error("cannot start a transaction");
        if (require_sealed) {
            Statement sealed(db_, "SELECT 1 FROM publications WHERE week = ?1");
            sealed.text(1, require_sealed->str());
            const int rc = sealed.step();
            sealed.reset();
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rollback_error("cannot read the publications");
            if (rc == SQLITE_DONE) {
                exec("ROLLBACK");
                result.kind = StoreResult::Kind::unsealed;
                result.message = require_sealed->str() + " is not sealed yet";
                return result;
            }
        }
        Statement insert(db_, "INSERT INTO answers(id, workplace, question, value, lang, hour) "
                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING");
        Statement existing(db_, "SELECT workplace, question, value, lang, hour FROM answers WHERE id = ?1");
        if (!insert.ok() || !existing.ok()) return rollback_error("cannot prepare the insert");
        for (const Answer& a : answers) {
            insert.text(1, a.id);
            insert.text(2, workplace);
            insert.text(3, a.question);
            insert.value(4, a.value);
            insert.text(5, a.lang);
            insert.int64(6, a.hour);
            if (insert.step() != SQLITE_DONE) return rollback_error("cannot insert an answer");
            const bool is_new = sqlite3_changes(db_) == 1;
            insert.reset();
            if (is_new) {
                ++result.accepted;
                continue;
            }
            existing.text(1, a.id);
            if (existing.step() != SQLITE_ROW) return rollback_error("cannot read a stored answer");
            const bool same = existing.column_text(0) == workplace && existing.column_text(1) == a.question &&
                              existing.column_value(2) == a.value && existing.column_text(3) == a.lang &&
                              existing.column_int64(4) == a.hour;
            existing.reset();
            if (!same) {
                exec("ROLLBACK");
                result = {};
                result.kind = StoreResult::Kind::conflict;
                result.message = "answer " + a.id + " is already stored with other content; nothing of this batch "
                                 "was stored";
                return result;
            }
            ++result.duplicates;
        }
        if (!exec("COMMIT")) return rollback_error("cannot commit");
        return result;
    }

    std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before,
                                    std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        WeekCounter counter(week, weeks_before);
        Statement q(db_, "SELECT question, value, hour, COUNT(*) FROM answers "
                         "WHERE workplace = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY question, value, hour");
        if (!q.ok()) {
            fail(error, "cannot prepare the counts");
            return {};
        }
        q.text(1, workplace);
        q.int64(2, counter.begin());
        q.int64(3, counter.end());
        int rc = SQLITE_ROW;
        while ((rc = q.step()) == SQLITE_ROW) {
            counter.add(q.column_text(0), q.column_value(1), q.column_int64(2), q.column_int64(3));
        }
        if (rc != SQLITE_DONE) {
            fail(error, "cannot read the counts");
            return {};
        }
        return counter.result();
    }

    std::int64_t answers_in_week(const std::string& workplace, IsoWeek week) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement q(db_, "SELECT COUNT(*) FROM answers WHERE workplace = ?1 AND hour >= ?2 AND hour < ?3");
        if (!q.ok()) return -1;
        q.text(1, workplace);
        q.int64(2, copenhagen_week_start(week));
        q.int64(3, copenhagen_week_start(next_week(week)));
        return q.step() == SQLITE_ROW ? sqlite3_column_int64(q.get(), 0) : -1;
    }

    SealOutcome seal_week(IsoWeek week, const std::vector<std::string>& workplaces, UnixSeconds now,
                          const SealBuilder& build, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto failed = [&](const std::string& what) {
            fail(error, what);
            exec("ROLLBACK");
            return SealOutcome::error;
        };
        if (!exec("BEGIN IMMEDIATE")) return failed("cannot start the seal's transaction");
        Statement sealed(db_, "SELECT 1 FROM publications WHERE week = ?1");
        sealed.text(1, week.str());
        const int rc = sealed.step();
        sealed.reset();
        if (rc == SQLITE_ROW) {
            exec("ROLLBACK");
            return SealOutcome::already_sealed;
        }
        if (rc != SQLITE_DONE) return failed("cannot read the publications");

        Statement counts(db_, "SELECT question, value, hour, COUNT(*) FROM answers "
                              "WHERE workplace = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY question, value, hour");
        Statement earlier(db_, "SELECT summary FROM sealed_weeks WHERE workplace = ?1 AND week = ?2");
        if (!counts.ok() || !earlier.ok()) return failed("cannot prepare the seal");
        std::vector<SealInput> inputs;
        std::vector<std::int64_t> totals;
        for (const std::string& workplace : workplaces) {
            SealInput input;
            input.workplace = workplace;
            WeekCounter counter(week, 0);
            counts.reset();
            counts.text(1, workplace);
            counts.int64(2, counter.begin());
            counts.int64(3, counter.end());
            int step;
            std::int64_t total = 0;
            while ((step = counts.step()) == SQLITE_ROW) {
                counter.add(counts.column_text(0), counts.column_value(1), counts.column_int64(2), counts.column_int64(3));
                total += counts.column_int64(3);
            }
            if (step != SQLITE_DONE) return failed("cannot read the counts of " + workplace);
            input.counts = counter.result();
            IsoWeek before = week;
            for (std::optional<std::string>& text : input.earlier) {
                before = previous_week(before);
                earlier.reset();
                earlier.text(1, workplace);
                earlier.text(2, before.str());
                step = earlier.step();
                if (step == SQLITE_ROW) text = earlier.column_text(0);
                else if (step != SQLITE_DONE) return failed("cannot read the earlier seals of " + workplace);
            }
            inputs.push_back(std::move(input));
            totals.push_back(total);
        }
        const std::vector<std::string> summaries = build(inputs);
        if (summaries.size() != inputs.size()) return failed("the seal's builder gave the wrong number of summaries");
        Statement insert(db_, "INSERT INTO sealed_weeks(workplace, week, summary, answers_at_seal) VALUES(?1, ?2, ?3, ?4)");
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            insert.reset();
            insert.text(1, inputs[i].workplace);
            insert.text(2, week.str());
            insert.text(3, summaries[i]);
            insert.int64(4, totals[i]);
            if (insert.step() != SQLITE_DONE) return failed("cannot store the seal of " + inputs[i].workplace);
        }
        Statement publish(db_, "INSERT INTO publications(week, sealed_at) VALUES(?1, ?2)");
        publish.text(1, week.str());
        publish.int64(2, now);
        if (publish.step() != SQLITE_DONE) return failed("cannot mark " + week.str() + " sealed");
        if (!exec("COMMIT")) return failed("cannot commit the seal");
        return SealOutcome::sealed;
    }

    std::optional<IsoWeek> newest_sealed_week(std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement q(db_, "SELECT MAX(week) FROM publications");
        if (q.step() != SQLITE_ROW) {
            fail(error, "cannot read the publications");
            return std::nullopt;
        }
        if (sqlite3_column_type(q.get(), 0) == SQLITE_NULL) return std::nullopt;
        return parse_iso_week(q.column_text(0));
    }

    bool read_sealed(const std::string& workplace, IsoWeek week, bool* week_sealed, std::optional<SealedWeek>* seal,
                     std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        *week_sealed = false;
        seal->reset();
        Statement q(db_, "SELECT p.sealed_at, s.summary, s.answers_at_seal FROM publications p "
                         "LEFT JOIN sealed_weeks s ON s.week = p.week AND s.workplace = ?1 WHERE p.week = ?2");
        q.text(1, workplace);
        q.text(2, week.str());
        const int rc = q.step();
        if (rc == SQLITE_DONE) return true;
        if (rc != SQLITE_ROW) return fail(error, "cannot read the sealed week");
        *week_sealed = true;
        if (sqlite3_column_type(q.get(), 1) != SQLITE_NULL) {
            *seal = SealedWeek{q.column_text(1), q.column_int64(2), q.column_int64(0)};
        }
        return true;
    }

    int claim_email(const std::string& workplace, IsoWeek week, UnixSeconds now, UnixSeconds lease_s,
                    std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        // One statement: insert a first claim, or take over a record that is
        // not sent and no longer held. BEGIN IMMEDIATE is implied by the write.
        Statement q(db_, "INSERT INTO email_sends(workplace, week, attempts, next_attempt) VALUES(?1, ?2, 1, ?4) "
                         "ON CONFLICT(workplace, week) DO UPDATE SET attempts = attempts + 1, next_attempt = ?4 "
                         "WHERE sent = 0 AND next_attempt <= ?3 RETURNING attempts");
        if (!q.ok()) return fail(error, "cannot prepare the e-mail claim");
        q.text(1, workplace);
        q.text(2, week.str());
        q.int64(3, now);
        q.int64(4, now + lease_s);
        const int rc = q.step();
        if (rc == SQLITE_DONE) return 0;  // sent or held
        if (rc != SQLITE_ROW) return fail(error, "cannot claim the e-mail");
        const int attempt = sqlite3_column_int(q.get(), 0);
        return q.step() == SQLITE_DONE ? attempt : fail(error, "cannot claim the e-mail");
    }

    bool finish_email(const std::string& workplace, IsoWeek week, int attempt, bool sent,
                      const std::string& failure_text, UnixSeconds next_attempt, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement q(db_, "UPDATE email_sends SET sent = ?3, last_error = ?4, next_attempt = ?5 "
                         "WHERE workplace = ?1 AND week = ?2 AND sent = 0 AND attempts = ?6");
        if (!q.ok()) return fail(error, "cannot prepare the e-mail record");
        q.text(1, workplace);
        q.text(2, week.str());
        q.int64(3, sent ? 1 : 0);
        q.text(4, sent ? std::string() : failure_text);
        q.int64(5, next_attempt);
        q.int64(6, attempt);
        if (q.step() != SQLITE_DONE) return fail(error, "cannot record the e-mail");
        if (sqlite3_changes(db_) == 1) return true;
        if (error) *error = kEmailClaimLost;
        return false;
    }

    std::optional<EmailRecord> email_record(const std::string& workplace, IsoWeek week) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement q(db_, "SELECT sent, attempts, next_attempt, last_error FROM email_sends "
                         "WHERE workplace = ?1 AND week = ?2");
        if (!q.ok()) return std::nullopt;
        q.text(1, workplace);
        q.text(2, week.str());
        if (q.step() != SQLITE_ROW) return std::nullopt;
        EmailRecord r;
        r.workplace = workplace;
        r.week = week;
        r.sent = q.column_int64(0) != 0;
        r.attempts = static_cast<int>(q.column_int64(1));
        r.next_attempt = q.column_int64(2);
        r.last_error = q.column_text(3);
        return r;
    }

private:
    // Sets *error to what failed and SQLite's message; false (0) for returning.
    bool fail(std::string* error, const std::string& what) {
        if (error) *error = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
        return false;
    }

    bool exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

    StoreResult error(const std::string& what) {
        StoreResult r;
        r.kind = StoreResult::Kind::error;
        r.message = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
        return r;
    }
    StoreResult rollback_error(const std::string& what) {
        StoreResult r = error(what);
        exec("ROLLBACK");
        return r;
    }

    sqlite3* db_;
    std::string path_;
    std::mutex mutex_;  // one connection, used by one thread at a time
};

}  // namespace

std::unique_ptr<CollectorStore> open_sqlite_collector_store(const std::string& path, std::string* error) {
    const auto fail = [&](sqlite3* db, const std::string& what) -> std::unique_ptr<CollectorStore> {
        if (error) *error = path + ": " + what + (db ? std::string(": ") + sqlite3_errmsg(db) : "");
        sqlite3_close(db);
        return nullptr;
    };
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        return fail(db, "cannot open the database");
    }
    // SQLite quietly opens a file it may not write read-only; the collector
    // would then start and refuse every upload until restarted. Refuse now.
    if (sqlite3_db_readonly(db, "main") == 1) {
        if (error) {
            *error = path + ": the database is read-only for this process (owner, permissions, immutable flag "
                            "or a read-only mount); make it and its folder writable";
        }
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, kBusyTimeout_ms);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return fail(db, "cannot switch to WAL");
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(db, "cannot create the schema");
    return std::make_unique<SqliteCollectorStore>(db, path);
}

}  // namespace pulse
