// sqlite_store.cpp — CollectorStore on one SQLite file (WAL,
// synchronous=FULL: an acknowledged answer survives a power cut). Per answer
// only its id, workplace, question, value and hour: no language (issue 14),
// no terminal id, no arrival time, no batch, no rowid — nothing that links
// answers together or singles out who gave them. A file made before issue 14
// is migrated when opened ([SECTION] Dropping the language).
// Beside them, apart: managers' sign-in links and browser sessions, as
// hashes with an e-mail address (store.hpp, [SECTION] Web sign-in and
// sessions), and managers' responses to published weeks with their audit
// list ([SECTION] Managers' responses).
// A full disk or a file that turns read-only fails the write in progress
// (an error: 503, nothing of the batch stored) and leaves the connection
// usable, so the first write after the fault is gone succeeds; a file that
// is read-only when opened is refused (see open_sqlite_collector_store).
#include "collector/storage/store.hpp"

#include "common/sqlite_statement.hpp"
#include "common/copenhagen_time.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>

namespace pulse {
namespace {

constexpr int kBusyTimeout_ms = 10000;  // another collector process may hold the write lock

// The answers. No lang column (issue 14): a workplace's lone English
// speaker would stand out in it. Made by the schema below and by the
// migration of an older file, so both end with the same table.
constexpr const char* kSqliteAnswersTable =
    "CREATE TABLE IF NOT EXISTS answers("
    " id TEXT PRIMARY KEY,"
    " workplace TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " value INTEGER NULL CHECK(value BETWEEN 1 AND 5),"
    " hour INTEGER NOT NULL"
    ") WITHOUT ROWID;";

// Everything else, run after kSqliteAnswersTable.
constexpr const char* kSqliteSchema =
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
    ") WITHOUT ROWID;"
    // Web sign-in (store.hpp, [SECTION] Web sign-in and sessions): secrets
    // only as SHA-256 hex, which the CHECKs hold them to; a link's row is
    // deleted when it is used.
    "CREATE TABLE IF NOT EXISTS signin_links("
    " link_hash TEXT PRIMARY KEY CHECK(length(link_hash) = 64 AND link_hash NOT GLOB '*[^0-9a-f]*'),"
    " email TEXT NOT NULL,"
    " expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS signin_links_by_expiry ON signin_links(expires_at);"
    "CREATE TABLE IF NOT EXISTS web_sessions("
    " session_hash TEXT PRIMARY KEY CHECK(length(session_hash) = 64 AND session_hash NOT GLOB '*[^0-9a-f]*'),"
    " email TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_used INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS web_sessions_by_email ON web_sessions(email, created_at);"
    // Each terminal's last heartbeat (store.hpp, [SECTION] Heartbeats).
    "CREATE TABLE IF NOT EXISTS heartbeats("
    " terminal TEXT PRIMARY KEY,"
    " report TEXT NOT NULL,"
    " received_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    // Silence alerts mailed to IT and not yet recovered (store.hpp,
    // [SECTION] Silence alerts). Added with issue 13's alerts: IF NOT EXISTS
    // creates it in a database made before them, as every table here.
    "CREATE TABLE IF NOT EXISTS silence_alerts("
    " terminal TEXT PRIMARY KEY,"
    " last_heartbeat INTEGER NOT NULL,"
    " alerted_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    // Managers' responses to published weeks (issue 15; store.hpp,
    // [SECTION] Managers' responses): the one in force per week, and every
    // version ever stored, in the order stored (id). Added with issue 15:
    // IF NOT EXISTS creates them in an older database when it is opened.
    "CREATE TABLE IF NOT EXISTS week_responses("
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " text_da TEXT NOT NULL,"
    " text_en TEXT NULL,"
    " author_name TEXT NOT NULL,"
    " author_email TEXT NOT NULL,"
    " written_at INTEGER NOT NULL,"
    " PRIMARY KEY(workplace, week)"
    ") WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS week_response_changes("
    " id INTEGER PRIMARY KEY,"
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " text_da TEXT NOT NULL,"
    " text_en TEXT NULL,"
    " author_name TEXT NOT NULL,"
    " author_email TEXT NOT NULL,"
    " changed_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS week_response_changes_by_week ON week_response_changes(workplace, week, id);";

using Statement = SqliteStatement;

// [SECTION] Dropping the language (issue 14)
//
// A file made before issue 14 has answers.lang. Opening it removes the
// column and every value it held, for good: first the table is rebuilt
// without it in one write transaction, then the file is rewritten so the
// old values linger neither in free pages nor in the WAL.

// PRAGMA user_version while the rebuild has committed but the rewrite has
// not run yet (0 otherwise; the collector's file uses it for nothing else).
// Set in the rebuild's own transaction, so a collector stopped between the
// two finishes the rewrite on its next open.
constexpr int kLanguageScrubPending = 14;

// The single integer sql returns on db; nullopt when it fails.
std::optional<std::int64_t> sqlite_single_int(sqlite3* db, const char* sql) {
    Statement q(db, sql);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return q.column_int64(0);
}

// What one call of drop_sqlite_answer_language did.
struct LanguageDrop {
    std::int64_t rebuilt_rows = -1;  // answers copied into the table without lang; -1: no rebuild here
    bool column_gone = false;        // answers has no lang column (any more)
    bool scrubbed = false;           // the file was rewritten (after this rebuild, or one left pending)
    std::string error;               // "" on success, else what failed (SQLite's message included)
};

// Removes answers.lang from db if it has one: under BEGIN IMMEDIATE (the
// column looked up again under the lock: another process may have done it
// meanwhile) the table is renamed, made anew from kSqliteAnswersTable, its
// rows copied without lang, the old one dropped, user_version set to
// kLanguageScrubPending; secure_delete is on, so the dropped pages are
// zeroed. Then, when user_version says so (now or left by an earlier
// open), VACUUM and a TRUNCATE checkpoint rewrite the file and empty the
// WAL, and user_version goes back to 0. Runs before kSqliteSchema, which
// then builds the answers' index on the new table. On a failure the rebuild
// is rolled back whole, or, when the rewrite failed, is kept and the
// rewrite left pending; .error says which.
LanguageDrop drop_sqlite_answer_language(sqlite3* db) {
    LanguageDrop drop;
    const auto fail = [&](const std::string& what) {
        drop.error = what + ": " + sqlite3_errmsg(db);
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return drop;
    };
    const auto exec = [&](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; };
    constexpr const char* kHasLanguage = "SELECT COUNT(*) FROM pragma_table_info('answers') WHERE name = 'lang'";
    std::optional<std::int64_t> has_language = sqlite_single_int(db, kHasLanguage);
    std::optional<std::int64_t> version = sqlite_single_int(db, "PRAGMA user_version");
    if (!has_language || !version) return fail("cannot read the answers' columns");
    drop.column_gone = *has_language == 0;
    if (drop.column_gone && *version != kLanguageScrubPending) return drop;

    const std::optional<std::int64_t> secure_delete_before = sqlite_single_int(db, "PRAGMA secure_delete");
    if (!secure_delete_before || !exec("PRAGMA secure_delete=ON")) return fail("cannot set secure_delete");
    if (*has_language != 0) {
        if (!exec("BEGIN IMMEDIATE")) return fail("cannot start the language's removal");
        has_language = sqlite_single_int(db, kHasLanguage);
        if (!has_language) return fail("cannot read the answers' columns");
        if (*has_language != 0) {
            // Renamed first, so that the new table's SQL is kSqliteAnswersTable's,
            // exactly as in a new file; its old indexes go with it.
            if (!exec("ALTER TABLE answers RENAME TO answers_with_language") || !exec(kSqliteAnswersTable) ||
                !exec("INSERT INTO answers(id, workplace, question, value, hour) "
                      "SELECT id, workplace, question, value, hour FROM answers_with_language ORDER BY id")) {
                return fail("cannot copy the answers without their language");
            }
            drop.rebuilt_rows = sqlite3_changes64(db);
            if (!exec("DROP TABLE answers_with_language")) return fail("cannot drop the answers' old table");
            if (!exec(("PRAGMA user_version = " + std::to_string(kLanguageScrubPending)).c_str())) {
                return fail("cannot mark the file for rewriting");
            }
        }
        if (!exec("COMMIT")) return fail("cannot commit the language's removal");
        drop.column_gone = true;
    }
    // VACUUM copies every live row into a fresh file image; the truncating
    // checkpoint writes it over the old pages and empties the WAL.
    if (!exec("VACUUM")) return fail("cannot rewrite the file (VACUUM)");
    if (sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK) {
        return fail("cannot empty the WAL after VACUUM (another process reading the file?)");
    }
    if (!exec("PRAGMA user_version = 0") ||
        sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK) {
        return fail("cannot record the rewrite");
    }
    // Back to the connection's setting (it only costs writes: no failure).
    exec(*secure_delete_before == 0   ? "PRAGMA secure_delete=OFF"
         : *secure_delete_before == 2 ? "PRAGMA secure_delete=FAST"
                                      : "PRAGMA secure_delete=ON");
    drop.scrubbed = true;
    return drop;
}

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
        // a.lang is neither stored nor compared (issue 14).
        Statement insert(db_, "INSERT INTO answers(id, workplace, question, value, hour) "
                              "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO NOTHING");
        Statement existing(db_, "SELECT workplace, question, value, hour FROM answers WHERE id = ?1");
        if (!insert.ok() || !existing.ok()) return rollback_error("cannot prepare the insert");
        for (const Answer& a : answers) {
            insert.text(1, a.id);
            insert.text(2, workplace);
            insert.text(3, a.question);
            insert.value(4, a.value);
            insert.int64(5, a.hour);
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
                              existing.column_value(2) == a.value && existing.column_int64(3) == a.hour;
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

    std::optional<std::vector<IsoWeek>> sealed_weeks_of(const std::string& workplace, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement q(db_, "SELECT week FROM sealed_weeks WHERE workplace = ?1 ORDER BY week DESC");
        q.text(1, workplace);
        std::vector<IsoWeek> weeks;
        int rc;
        while ((rc = q.step()) == SQLITE_ROW) {
            if (std::optional<IsoWeek> w = parse_iso_week(q.column_text(0))) weeks.push_back(*w);
        }
        if (rc != SQLITE_DONE) {
            fail(error, "cannot list the sealed weeks");
            return std::nullopt;
        }
        return weeks;
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

    // [SECTION] Web sign-in and sessions

    bool add_signin_link(const std::string& link_hash, const std::string& email, UnixSeconds now,
                         UnixSeconds expires_at, std::string* error) override {
        if (!is_sha256_hex(link_hash)) return not_a_hash(error, "sign-in link");
        std::lock_guard<std::mutex> lock(mutex_);
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail(error, "cannot start a transaction");
        Statement insert(db_, "INSERT INTO signin_links(link_hash, email, expires_at) VALUES(?1, ?2, ?3)");
        insert.text(1, link_hash);
        insert.text(2, email);
        insert.int64(3, expires_at);
        if (insert.run() != SQLITE_OK) return fail(error, "cannot store the sign-in link");
        Statement purge(db_, "DELETE FROM signin_links WHERE expires_at <= ?1");
        purge.int64(1, now);
        if (purge.run() != SQLITE_OK) return fail(error, "cannot delete the expired sign-in links");
        if (transaction.commit() != SQLITE_OK) return fail(error, "cannot commit the sign-in link");
        return true;
    }

    std::optional<std::string> use_signin_link(const std::string& link_hash, UnixSeconds now,
                                               std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        // BEGIN IMMEDIATE: of two processes using one link, the second
        // deletes nothing once the first has committed.
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail_nullopt(error, "cannot start a transaction");
        std::optional<std::string> email;
        UnixSeconds expires_at = 0;
        {
            Statement use(db_, "DELETE FROM signin_links WHERE link_hash = ?1 RETURNING email, expires_at");
            use.text(1, link_hash);
            int rc = use.step();
            if (rc == SQLITE_ROW) {
                email = use.column_text(0);
                expires_at = use.column_int64(1);
                rc = use.step();
            }
            if (rc != SQLITE_DONE) return fail_nullopt(error, "cannot use the sign-in link");
        }
        Statement purge(db_, "DELETE FROM signin_links WHERE expires_at <= ?1");
        purge.int64(1, now);
        if (purge.run() != SQLITE_OK) return fail_nullopt(error, "cannot delete the expired sign-in links");
        if (transaction.commit() != SQLITE_OK) return fail_nullopt(error, "cannot commit the sign-in link's use");
        if (!email || !(now < expires_at)) return std::nullopt;
        return email;
    }

    bool add_session(const std::string& session_hash, const std::string& email, UnixSeconds now, int keep_newest,
                     std::string* error) override {
        if (!is_sha256_hex(session_hash)) return not_a_hash(error, "session");
        std::lock_guard<std::mutex> lock(mutex_);
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail(error, "cannot start a transaction");
        Statement insert(db_, "INSERT INTO web_sessions(session_hash, email, created_at, last_used) "
                              "VALUES(?1, ?2, ?3, ?3)");
        insert.text(1, session_hash);
        insert.text(2, email);
        insert.int64(3, now);
        if (insert.run() != SQLITE_OK) return fail(error, "cannot store the session");
        Statement trim(db_, "DELETE FROM web_sessions WHERE email = ?2 AND session_hash NOT IN ("
                            "SELECT session_hash FROM web_sessions WHERE email = ?2 "
                            "ORDER BY session_hash = ?1 DESC, created_at DESC, session_hash LIMIT ?3)");
        trim.text(1, session_hash);
        trim.text(2, email);
        trim.int64(3, std::max(keep_newest, 1));
        if (trim.run() != SQLITE_OK) return fail(error, "cannot end the oldest sessions of the person");
        if (transaction.commit() != SQLITE_OK) return fail(error, "cannot commit the session");
        return true;
    }

    std::optional<std::string> touch_session(const std::string& session_hash, UnixSeconds now, UnixSeconds idle_s,
                                             UnixSeconds max_age_s, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        std::string email;
        UnixSeconds created_at = 0, last_used = 0;
        {
            Statement read(db_, "SELECT email, created_at, last_used FROM web_sessions WHERE session_hash = ?1");
            read.text(1, session_hash);
            const int rc = read.step();
            if (rc == SQLITE_DONE) return std::nullopt;
            if (rc != SQLITE_ROW) return fail_nullopt(error, "cannot read the session");
            email = read.column_text(0);
            created_at = read.column_int64(1);
            last_used = read.column_int64(2);
        }
        if (!(now < last_used + idle_s && now < created_at + max_age_s)) {
            Statement end(db_, "DELETE FROM web_sessions WHERE session_hash = ?1");
            end.text(1, session_hash);
            if (end.run() != SQLITE_OK) return fail_nullopt(error, "cannot delete the expired session");
            return std::nullopt;
        }
        if (now - last_used < kSessionTouchInterval_s) return email;
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail_nullopt(error, "cannot start a transaction");
        // Still live: another process may have ended it since the read.
        Statement touch(db_, "UPDATE web_sessions SET last_used = ?2 "
                             "WHERE session_hash = ?1 AND last_used > ?2 - ?3 AND created_at > ?2 - ?4");
        touch.text(1, session_hash);
        touch.int64(2, now);
        touch.int64(3, idle_s);
        touch.int64(4, max_age_s);
        if (touch.run() != SQLITE_OK) return fail_nullopt(error, "cannot record the session's use");
        const bool still_live = sqlite3_changes(db_) == 1;
        Statement purge(db_, "DELETE FROM web_sessions WHERE last_used <= ?1 - ?2 OR created_at <= ?1 - ?3");
        purge.int64(1, now);
        purge.int64(2, idle_s);
        purge.int64(3, max_age_s);
        if (purge.run() != SQLITE_OK) return fail_nullopt(error, "cannot delete the expired sessions");
        if (transaction.commit() != SQLITE_OK) return fail_nullopt(error, "cannot commit the session's use");
        if (!still_live) return std::nullopt;
        return email;
    }

    bool end_session(const std::string& session_hash, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement end(db_, "DELETE FROM web_sessions WHERE session_hash = ?1");
        end.text(1, session_hash);
        if (end.run() != SQLITE_OK) return fail(error, "cannot end the session");
        return true;
    }

    bool end_sessions_of(const std::string& email, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail(error, "cannot start a transaction");
        Statement sessions(db_, "DELETE FROM web_sessions WHERE email = ?1");
        sessions.text(1, email);
        if (sessions.run() != SQLITE_OK) return fail(error, "cannot end the person's sessions");
        Statement links(db_, "DELETE FROM signin_links WHERE email = ?1");
        links.text(1, email);
        if (links.run() != SQLITE_OK) return fail(error, "cannot delete the person's sign-in links");
        if (transaction.commit() != SQLITE_OK) return fail(error, "cannot commit the end of the person's sessions");
        return true;
    }

    bool put_heartbeat(const TerminalHeartbeat& heartbeat, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement put(db_, "INSERT INTO heartbeats(terminal, report, received_at) VALUES(?1, ?2, ?3) "
                           "ON CONFLICT(terminal) DO UPDATE SET report = excluded.report, "
                           "received_at = excluded.received_at");
        put.text(1, heartbeat.terminal);
        put.text(2, heartbeat.report_json);
        put.int64(3, heartbeat.received_at);
        if (put.run() != SQLITE_OK) return fail(error, "cannot store the heartbeat");
        return true;
    }

    std::optional<std::vector<TerminalHeartbeat>> heartbeats(std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement read(db_, "SELECT terminal, report, received_at FROM heartbeats ORDER BY terminal");
        std::vector<TerminalHeartbeat> out;
        int rc;
        while ((rc = read.step()) == SQLITE_ROW) {
            out.push_back({read.column_text(0), read.column_text(1), read.column_int64(2)});
        }
        if (rc != SQLITE_DONE) return fail_nullopt(error, "cannot read the heartbeats");
        return out;
    }

    std::optional<bool> claim_silence_alert(const SilenceAlert& alert, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement claim(db_, "INSERT INTO silence_alerts(terminal, last_heartbeat, alerted_at) VALUES(?1, ?2, ?3) "
                             "ON CONFLICT(terminal) DO NOTHING");
        claim.text(1, alert.terminal);
        claim.int64(2, alert.last_heartbeat);
        claim.int64(3, alert.alerted_at);
        if (claim.run() != SQLITE_OK) return fail_nullopt(error, "cannot store the silence alert");
        return sqlite3_changes(db_) == 1;
    }

    std::optional<bool> end_silence_alert(const std::string& terminal, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement end(db_, "DELETE FROM silence_alerts WHERE terminal = ?1");
        end.text(1, terminal);
        if (end.run() != SQLITE_OK) return fail_nullopt(error, "cannot end the silence alert");
        return sqlite3_changes(db_) == 1;
    }

    std::optional<std::vector<SilenceAlert>> silence_alerts(std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement read(db_, "SELECT terminal, last_heartbeat, alerted_at FROM silence_alerts ORDER BY terminal");
        std::vector<SilenceAlert> out;
        int rc;
        while ((rc = read.step()) == SQLITE_ROW) {
            out.push_back({read.column_text(0), read.column_int64(1), read.column_int64(2)});
        }
        if (rc != SQLITE_DONE) return fail_nullopt(error, "cannot read the silence alerts");
        return out;
    }

    // [SECTION] Managers' responses

    bool put_response(const WeekResponse& r, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        SqliteWriteTransaction transaction(db_);
        if (transaction.begin_rc() != SQLITE_OK) return fail(error, "cannot start a transaction");
        Statement put(db_, "INSERT INTO week_responses(workplace, week, text_da, text_en, author_name, author_email, "
                           "written_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(workplace, week) DO UPDATE SET "
                           "text_da = excluded.text_da, text_en = excluded.text_en, author_name = excluded.author_name, "
                           "author_email = excluded.author_email, written_at = excluded.written_at");
        bind_response(put, r);
        if (put.run() != SQLITE_OK) return fail(error, "cannot store the response");
        Statement audit(db_, "INSERT INTO week_response_changes(workplace, week, text_da, text_en, author_name, "
                             "author_email, changed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        bind_response(audit, r);
        if (audit.run() != SQLITE_OK) return fail(error, "cannot add the response to its audit list");
        if (transaction.commit() != SQLITE_OK) return fail(error, "cannot commit the response");
        return true;
    }

    bool newest_response(const std::string& workplace, IsoWeek first, IsoWeek last,
                         std::optional<WeekResponse>* response, std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        response->reset();
        // ISO weeks as "YYYY-Www" sort as text in time order.
        Statement read(db_, "SELECT workplace, week, text_da, text_en, author_name, author_email, written_at "
                            "FROM week_responses WHERE workplace = ?1 AND week >= ?2 AND week <= ?3 "
                            "ORDER BY week DESC LIMIT 1");
        read.text(1, workplace);
        read.text(2, first.str());
        read.text(3, last.str());
        const int rc = read.step();
        if (rc == SQLITE_ROW) *response = response_row(read);
        else if (rc != SQLITE_DONE) return fail(error, "cannot read the response");
        return true;
    }

    std::optional<std::vector<WeekResponse>> response_history(const std::string& workplace, IsoWeek week,
                                                              std::string* error) override {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement read(db_, "SELECT workplace, week, text_da, text_en, author_name, author_email, changed_at "
                            "FROM week_response_changes WHERE workplace = ?1 AND week = ?2 ORDER BY id DESC");
        read.text(1, workplace);
        read.text(2, week.str());
        std::vector<WeekResponse> out;
        int rc;
        while ((rc = read.step()) == SQLITE_ROW) out.push_back(response_row(read));
        if (rc != SQLITE_DONE) return fail_nullopt(error, "cannot read the response's audit list");
        return out;
    }

private:
    // Binds r to ?1..?7: workplace, week, text_da, text_en (NULL for none),
    // author_name, author_email, written_at.
    static void bind_response(Statement& q, const WeekResponse& r) {
        q.text(1, r.workplace);
        q.text(2, r.week.str());
        q.text(3, r.text_da);
        if (r.text_en) q.text(4, *r.text_en);
        else sqlite3_bind_null(q.get(), 4);
        q.text(5, r.author_name);
        q.text(6, r.author_email);
        q.int64(7, r.written_at);
    }

    // A response from the current row's columns in bind_response's order.
    static WeekResponse response_row(const Statement& q) {
        WeekResponse r;
        r.workplace = q.column_text(0);
        r.week = parse_iso_week(q.column_text(1)).value_or(IsoWeek{});
        r.text_da = q.column_text(2);
        if (sqlite3_column_type(q.get(), 3) != SQLITE_NULL) r.text_en = q.column_text(3);
        r.author_name = q.column_text(4);
        r.author_email = q.column_text(5);
        r.written_at = q.column_int64(6);
        return r;
    }

    // Sets *error to what failed and SQLite's message; false (0) for returning.
    bool fail(std::string* error, const std::string& what) {
        if (error) *error = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
        return false;
    }

    // fail() for the calls that return an optional.
    std::nullopt_t fail_nullopt(std::string* error, const std::string& what) {
        fail(error, what);
        return std::nullopt;
    }

    // The error of a web sign-in call given something other than a hash.
    static bool not_a_hash(std::string* error, const char* what) {
        if (error) *error = std::string("the ") + what + " must be stored as its SHA-256 in 64 lower-case hex digits "
                            "(secret_hash), never as the secret itself";
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

std::unique_ptr<CollectorStore> open_sqlite_collector_store(const std::string& path, std::string* error,
                                                            const StoreLog& log) {
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
    const LanguageDrop drop = drop_sqlite_answer_language(db);
    if (!drop.column_gone) {
        if (error) *error = path + ": cannot remove the answers' language column (issue 14): " + drop.error;
        sqlite3_close(db);
        return nullptr;
    }
    if (drop.rebuilt_rows >= 0 && log) {
        log(path + ": removed the answers' language column (issue 14) from " + std::to_string(drop.rebuilt_rows) +
            (drop.rebuilt_rows == 1 ? " answer" : " answers") + (drop.scrubbed ? " and rewrote the file, so no old value remains in it" : ""));
    } else if (drop.scrubbed && log) {
        log(path + ": rewrote the file, so no value of the answers' removed language column remains in it (issue 14)");
    }
    if (!drop.error.empty()) {
        if (error) {
            *error = path + ": the answers' language column is gone, but the file still holds old values of it: " +
                     drop.error + "; stop every other process using the file and start again, which finishes it";
        }
        sqlite3_close(db);
        return nullptr;
    }
    if (sqlite3_exec(db, kSqliteAnswersTable, nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, kSqliteSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return fail(db, "cannot create the schema");
    }
    return std::make_unique<SqliteCollectorStore>(db, path);
}

}  // namespace pulse
