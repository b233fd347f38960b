// postgres_store.cpp — CollectorStore on PostgreSQL (libpq), for
// municipalities that run several collector instances behind a load
// balancer on one database. The same rows as the SQLite store (no language,
// no terminal id, no arrival time, no batch) and the same contracts: a batch
// is one transaction, answer ids are unique forever, e-mail claims are
// atomic, a sign-in link is used once. A database made before issue 14 is
// migrated when opened (kDropLanguageSql).
// A small pool of connections serves the server's threads; it rides out a
// database outage (see [SECTION] The pool): calls fail at once while the
// database is down and succeed again, without a restart, once it is back.
#include "collector/storage/store.hpp"

#include "common/url.hpp"
#include "common/copenhagen_time.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>

namespace pulse {
namespace {

constexpr std::size_t kMaxConnections = 4;  // the server's threads beyond this wait for a free one
constexpr auto kPoolWait = std::chrono::seconds(30);  // then the call fails (503) rather than hang
// A database that stops answering (a dropped network, not a reset) must not
// hang the collector: TCP keepalives and a TCP user timeout end a dead
// connection within about a minute; no statement may run longer than 30 s.
// connect_timeout 5 s: a connection to a working server takes milliseconds,
// even with TLS; a stopped one refuses at once; only an unreachable host
// costs the full 5 s, and while the database is down only one call at a time
// pays it (the pool's outage rules).
constexpr const char* kConnectionKeys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                                           "keepalives_count", "tcp_user_timeout", "application_name"};
constexpr const char* kConnectionValues[] = {"5", "1", "30", "10", "3", "60000", "pulse-collector"};
// A 200 means the answers survive a crash of the database: a server set to
// synchronous_commit = off acknowledges commits it then loses (the outage
// test's server is one, and lost acknowledged answers), so such a session
// is raised to 'local'; any stronger setting (a synchronous standby) is kept.
constexpr const char* kSessionSettings =
    "SET TIME ZONE 'UTC'; SET statement_timeout = '30s';"
    "SELECT set_config('synchronous_commit', 'local', false) WHERE current_setting('synchronous_commit') = 'off'";

// Taken first in the transaction that migrates and creates the schema: two
// instances starting together neither race on CREATE nor migrate twice.
constexpr const char* kSchemaLockSql = "SELECT pg_advisory_xact_lock(7201948)";

// The answers' columns. No lang (issue 14): a workplace's lone English
// speaker would stand out in it. The schema and the migration below both
// make the table from this, so both end with the same table.
#define PULSE_PG_ANSWERS_COLUMNS                          \
    "(id TEXT PRIMARY KEY,"                               \
    " workplace TEXT NOT NULL,"                           \
    " question TEXT NOT NULL,"                            \
    " value SMALLINT NULL CHECK(value BETWEEN 1 AND 5),"  \
    " hour BIGINT NOT NULL)"

// Whether answers (if it exists) still has the lang column of a database
// made before issue 14: 1 or 0.
constexpr const char* kHasLanguageSql =
    "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = to_regclass('answers') AND attname = 'lang' "
    "AND NOT attisdropped";

// Removes lang with its values: a new table, the rows copied, the old table
// dropped, the new one renamed, with its key's index and CHECK renamed to
// what a new database has. Not ALTER TABLE … DROP COLUMN: that only hides
// the column, its values stay in the table's pages. Dropping the table
// takes its index with it; kPostgresSchema then builds it on the new one.
// Run in the schema's transaction under kSchemaLockSql.
constexpr const char* kDropLanguageSql =
    "CREATE TABLE answers_without_language " PULSE_PG_ANSWERS_COLUMNS ";"
    "INSERT INTO answers_without_language(id, workplace, question, value, hour) "
    " SELECT id, workplace, question, value, hour FROM answers ORDER BY id;"
    "DROP TABLE answers;"
    "ALTER TABLE answers_without_language RENAME TO answers;"
    "ALTER INDEX answers_without_language_pkey RENAME TO answers_pkey;"
    "ALTER TABLE answers RENAME CONSTRAINT answers_without_language_value_check TO answers_value_check;";

// Created once per database by whichever instance comes first, under
// kSchemaLockSql.
constexpr const char* kPostgresSchema =
    "CREATE TABLE IF NOT EXISTS answers " PULSE_PG_ANSWERS_COLUMNS ";"
    // Covers the summary's query (index-only scans); replaced answers_by_workplace_hour.
    "CREATE INDEX IF NOT EXISTS answers_by_workplace_hour_incl ON answers(workplace, hour) INCLUDE (question, value);"
    "DROP INDEX IF EXISTS answers_by_workplace_hour;"
    "CREATE TABLE IF NOT EXISTS email_sends("
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " sent BOOLEAN NOT NULL DEFAULT FALSE,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt BIGINT NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(workplace, week));"
    // Publication: a week is sealed once its row exists; its summaries (one
    // per workplace) never change afterwards.
    "CREATE TABLE IF NOT EXISTS publications("
    " week TEXT PRIMARY KEY,"
    " sealed_at BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sealed_weeks("
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " answers_at_seal BIGINT NOT NULL,"
    " PRIMARY KEY(workplace, week));"
    // Web sign-in (store.hpp, [SECTION] Web sign-in and sessions): secrets
    // only as SHA-256 hex, which the CHECKs hold them to; a link's row is
    // deleted when it is used.
    "CREATE TABLE IF NOT EXISTS signin_links("
    " link_hash TEXT PRIMARY KEY CHECK(link_hash ~ '^[0-9a-f]{64}$'),"
    " email TEXT NOT NULL,"
    " expires_at BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS signin_links_by_expiry ON signin_links(expires_at);"
    "CREATE TABLE IF NOT EXISTS web_sessions("
    " session_hash TEXT PRIMARY KEY CHECK(session_hash ~ '^[0-9a-f]{64}$'),"
    " email TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " last_used BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS web_sessions_by_email ON web_sessions(email, created_at);"
    // Each terminal's last heartbeat (store.hpp, [SECTION] Heartbeats).
    "CREATE TABLE IF NOT EXISTS heartbeats("
    " terminal TEXT PRIMARY KEY,"
    " report TEXT NOT NULL,"
    " received_at BIGINT NOT NULL);"
    // Silence alerts mailed to IT and not yet recovered (store.hpp,
    // [SECTION] Silence alerts). Added with issue 13's alerts: IF NOT EXISTS
    // creates it in a database made before them, as every table here.
    "CREATE TABLE IF NOT EXISTS silence_alerts("
    " terminal TEXT PRIMARY KEY,"
    " last_heartbeat BIGINT NOT NULL,"
    " alerted_at BIGINT NOT NULL);"
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
    " written_at BIGINT NOT NULL,"
    " PRIMARY KEY(workplace, week));"
    "CREATE TABLE IF NOT EXISTS week_response_changes("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " workplace TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " text_da TEXT NOT NULL,"
    " text_en TEXT NULL,"
    " author_name TEXT NOT NULL,"
    " author_email TEXT NOT NULL,"
    " changed_at BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS week_response_changes_by_week ON week_response_changes(workplace, week, id);";
#undef PULSE_PG_ANSWERS_COLUMNS  // unity builds: no further file sees it

// The seal lock, a transaction-level advisory lock: a seal holds it
// exclusively, every batch shares it. So a seal waits for the batches in
// flight and no batch is stored while a week is being sealed, whichever
// instance does what.
constexpr const char* kSealLockKey = "7201949";

// A person's sessions lock: add_session and end_sessions_of take
// pg_advisory_xact_lock(7201950, hashtext(email)) (the two-key form, a key
// space apart from the one-key locks above), so two sign-ins of one person
// at once still leave only the newest sessions.
constexpr const char* kPersonLockSql = "SELECT pg_advisory_xact_lock(7201950, hashtext($1))";

// Deletes expired sign-in links ($1: now). SKIP LOCKED: it never waits for a
// row another call holds, so it can never deadlock with a link being used.
constexpr const char* kPurgeLinksSql =
    "DELETE FROM signin_links WHERE link_hash IN "
    "(SELECT link_hash FROM signin_links WHERE expires_at <= $1::bigint FOR UPDATE SKIP LOCKED)";

// libpq's message without its trailing newline.
std::string pq_message(const PGconn* conn) {
    std::string m = PQerrorMessage(conn);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
}

// A result, cleared on scope exit.
class Result {
public:
    explicit Result(PGresult* r = nullptr) : r_(r) {}
    ~Result() { PQclear(r_); }
    Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Result& operator=(Result&& o) noexcept {
        std::swap(r_, o.r_);
        return *this;
    }
    PGresult* get() const { return r_; }
    ExecStatusType status() const { return r_ ? PQresultStatus(r_) : PGRES_FATAL_ERROR; }
    bool ok() const { return status() == PGRES_COMMAND_OK || status() == PGRES_TUPLES_OK; }
    int rows() const { return PQntuples(r_); }
    bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string text(int row, int col) const { return PQgetvalue(r_, row, col); }
    std::int64_t int64(int row, int col) const { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }
    // Rows touched by an INSERT/UPDATE.
    long affected() const { return std::strtol(PQcmdTuples(r_), nullptr, 10); }

private:
    PGresult* r_;
};

// Runs sql with text parameters (nullptr = NULL).
Result run(PGconn* conn, const char* sql, const std::vector<const char*>& params = {}) {
    return Result(PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr, params.data(), nullptr, nullptr, 0));
}

// A PostgreSQL array literal of text values: {"a","b",NULL}.
std::string array_literal(const std::vector<const std::string*>& values) {
    std::string out = "{";
    for (const std::string* v : values) {
        if (out.size() > 1) out += ',';
        if (!v) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *v) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

class PostgresCollectorStore final : public CollectorStore {
public:
    PostgresCollectorStore(std::string url, PGconn* first) : url_(std::move(url)), redacted_(url_without_password(url_)) {
        idle_.push_back({first, 0});
        open_ = 1;
    }
    // Every call must have returned: leased connections are not closed.
    ~PostgresCollectorStore() override {
        for (const Pooled& p : idle_) PQfinish(p.conn);
    }

    // Opens a connection with the collector's defaults (the URL's own
    // settings win: it comes last) and its session settings. nullptr and
    // *error (without the password) on failure.
    static PGconn* connect(const std::string& url, std::string* error) {
        std::vector<const char*> keys(std::begin(kConnectionKeys), std::end(kConnectionKeys));
        std::vector<const char*> values(std::begin(kConnectionValues), std::end(kConnectionValues));
        keys.push_back("dbname");
        values.push_back(url.c_str());
        keys.push_back(nullptr);
        values.push_back(nullptr);
        PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
        if (PQstatus(conn) != CONNECTION_OK) {
            if (error) *error = url_without_password(url) + ": cannot connect: " + pq_message(conn);
            PQfinish(conn);
            return nullptr;
        }
        const Result settings(PQexec(conn, kSessionSettings));
        if (!settings.ok()) {
            if (error) *error = url_without_password(url) + ": cannot set up the session: " + pq_message(conn);
            PQfinish(conn);
            return nullptr;
        }
        return conn;
    }

    StoreResult store_batch(const std::string& workplace, const std::string& /*terminal: never stored*/,
                            const std::vector<Answer>& answers, std::optional<IsoWeek> require_sealed) override {
        Lease lease(*this);
        if (!lease.conn) return error_result(lease.error);
        PGconn* conn = lease.conn;
        // Sorted by id: concurrent batches with shared ids take their row
        // locks in one order (no deadlock), and the table's physical order
        // within a batch is random rather than the terminal's.
        std::vector<const Answer*> sorted;
        sorted.reserve(answers.size());
        for (const Answer& a : answers) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(), [](const Answer* x, const Answer* y) { return x->id < y->id; });
        std::vector<std::string> values, hours;
        values.reserve(sorted.size());
        hours.reserve(sorted.size());
        // a->lang is neither stored nor compared (issue 14).
        std::vector<const std::string*> ids, questions, value_ptrs, hour_ptrs;
        for (const Answer* a : sorted) {
            values.push_back(a->value ? std::to_string(*a->value) : "");
            hours.push_back(std::to_string(a->hour));
        }
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            ids.push_back(&sorted[i]->id);
            questions.push_back(&sorted[i]->question);
            value_ptrs.push_back(sorted[i]->value ? &values[i] : nullptr);
            hour_ptrs.push_back(&hours[i]);
        }
        const std::string id_array = array_literal(ids);
        const std::string question_array = array_literal(questions);
        const std::string value_array = array_literal(value_ptrs);
        const std::string hour_array = array_literal(hour_ptrs);

        if (!run(conn, "BEGIN").ok()) return failed(conn, "cannot start a transaction");
        if (!run(conn, "SELECT pg_advisory_xact_lock_shared($1)", {kSealLockKey}).ok()) {
            return rolled_back(conn, "cannot take the seal lock");
        }
        if (require_sealed) {
            const std::string week_text = require_sealed->str();
            Result sealed = run(conn, "SELECT 1 FROM publications WHERE week = $1", {week_text.c_str()});
            if (!sealed.ok()) return rolled_back(conn, "cannot read the publications");
            if (sealed.rows() == 0) {
                Result(PQexec(conn, "ROLLBACK"));
                StoreResult unsealed;
                unsealed.kind = StoreResult::Kind::unsealed;
                unsealed.message = week_text + " is not sealed yet";
                return unsealed;
            }
        }
        Result inserted = run(conn,
                              "INSERT INTO answers(id, workplace, question, value, hour) "
                              "SELECT u.id, $2, u.question, u.value, u.hour FROM "
                              "unnest($1::text[], $3::text[], $4::smallint[], $5::bigint[]) "
                              "AS u(id, question, value, hour) "
                              "ON CONFLICT (id) DO NOTHING RETURNING id",
                              {id_array.c_str(), workplace.c_str(), question_array.c_str(), value_array.c_str(),
                               hour_array.c_str()});
        if (!inserted.ok()) return rolled_back(conn, "cannot insert the answers");
        StoreResult result;
        result.accepted = inserted.rows();
        if (static_cast<std::size_t>(result.accepted) < sorted.size()) {
            // Some ids were there already: each must hold the same content.
            Result existing = run(conn,
                                  "SELECT id, workplace, question, value, hour FROM answers "
                                  "WHERE id = ANY($1::text[])",
                                  {id_array.c_str()});
            if (!existing.ok()) return rolled_back(conn, "cannot read the stored answers");
            std::vector<std::string> fresh;
            for (int r = 0; r < inserted.rows(); ++r) fresh.push_back(inserted.text(r, 0));
            std::sort(fresh.begin(), fresh.end());
            std::vector<std::pair<std::string, int>> stored;  // id → row in existing
            for (int r = 0; r < existing.rows(); ++r) stored.emplace_back(existing.text(r, 0), r);
            std::sort(stored.begin(), stored.end());
            for (const Answer* a : sorted) {
                if (std::binary_search(fresh.begin(), fresh.end(), a->id)) continue;
                const auto it = std::lower_bound(stored.begin(), stored.end(), std::make_pair(a->id, -1));
                if (it == stored.end() || it->first != a->id) return rolled_back(conn, "an answer vanished while stored");
                const int r = it->second;
                const bool same_value = a->value ? !existing.null(r, 3) && existing.int64(r, 3) == *a->value
                                                 : existing.null(r, 3);
                const bool same = existing.text(r, 1) == workplace && existing.text(r, 2) == a->question &&
                                  same_value && existing.int64(r, 4) == a->hour;
                if (!same) {
                    Result(PQexec(conn, "ROLLBACK"));
                    StoreResult conflict;
                    conflict.kind = StoreResult::Kind::conflict;
                    conflict.message = "answer " + a->id + " is already stored with other content; nothing of this "
                                       "batch was stored";
                    return conflict;
                }
                ++result.duplicates;
            }
        }
        if (!run(conn, "COMMIT").ok()) return failed(conn, "cannot commit");
        return result;
    }

    std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before,
                                    std::string* error) override {
        WeekCounter counter(week, weeks_before);
        Lease lease(*this);
        if (!lease.conn) {
            fail(error, lease.error);
            return {};
        }
        const std::string begin = std::to_string(counter.begin()), end = std::to_string(counter.end());
        Result r = run(lease.conn,
                       "SELECT question, value, hour, COUNT(*) FROM answers "
                       "WHERE workplace = $1 AND hour >= $2 AND hour < $3 GROUP BY question, value, hour",
                       {workplace.c_str(), begin.c_str(), end.c_str()});
        if (!r.ok()) {
            fail(error, message(lease.conn, "cannot read the counts"));
            return {};
        }
        for (int i = 0; i < r.rows(); ++i) {
            const std::optional<int> value =
                r.null(i, 1) ? std::nullopt : std::optional<int>(static_cast<int>(r.int64(i, 1)));
            counter.add(r.text(i, 0), value, r.int64(i, 2), r.int64(i, 3));
        }
        return counter.result();
    }

    std::int64_t answers_in_week(const std::string& workplace, IsoWeek week) override {
        Lease lease(*this);
        if (!lease.conn) return -1;
        const std::string begin = std::to_string(copenhagen_week_start(week));
        const std::string end = std::to_string(copenhagen_week_start(next_week(week)));
        Result r = run(lease.conn, "SELECT COUNT(*) FROM answers WHERE workplace = $1 AND hour >= $2 AND hour < $3",
                       {workplace.c_str(), begin.c_str(), end.c_str()});
        return r.ok() && r.rows() == 1 ? r.int64(0, 0) : -1;
    }

    SealOutcome seal_week(IsoWeek week, const std::vector<std::string>& workplaces, UnixSeconds now,
                          const SealBuilder& build, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) {
            fail(error, lease.error);
            return SealOutcome::error;
        }
        PGconn* conn = lease.conn;
        const auto failed_seal = [&](const std::string& what) {
            fail(error, message(conn, what));
            Result(PQexec(conn, "ROLLBACK"));
            return SealOutcome::error;
        };
        const std::string week_text = week.str();
        if (!run(conn, "BEGIN").ok()) return failed_seal("cannot start the seal's transaction");
        if (!run(conn, "SELECT pg_advisory_xact_lock($1)", {kSealLockKey}).ok()) {
            return failed_seal("cannot take the seal lock");
        }
        Result sealed = run(conn, "SELECT 1 FROM publications WHERE week = $1", {week_text.c_str()});
        if (!sealed.ok()) return failed_seal("cannot read the publications");
        if (sealed.rows() > 0) {
            Result(PQexec(conn, "ROLLBACK"));
            return SealOutcome::already_sealed;
        }

        std::vector<const std::string*> names;
        for (const std::string& w : workplaces) names.push_back(&w);
        const std::string workplace_array = array_literal(names);
        WeekCounter range(week, 0);
        const std::string begin = std::to_string(range.begin()), end = std::to_string(range.end());
        Result counts = run(conn,
                            "SELECT workplace, question, value, hour, COUNT(*) FROM answers "
                            "WHERE workplace = ANY($1::text[]) AND hour >= $2 AND hour < $3 "
                            "GROUP BY workplace, question, value, hour",
                            {workplace_array.c_str(), begin.c_str(), end.c_str()});
        if (!counts.ok()) return failed_seal("cannot read the week's counts");
        std::vector<std::string> before_texts;
        IsoWeek before = week;
        for (int k = 0; k < 3; ++k) before_texts.push_back((before = previous_week(before)).str());
        std::vector<const std::string*> before_ptrs;
        for (const std::string& b : before_texts) before_ptrs.push_back(&b);
        const std::string before_array = array_literal(before_ptrs);
        Result earlier = run(conn,
                             "SELECT workplace, week, summary FROM sealed_weeks "
                             "WHERE workplace = ANY($1::text[]) AND week = ANY($2::text[])",
                             {workplace_array.c_str(), before_array.c_str()});
        if (!earlier.ok()) return failed_seal("cannot read the earlier seals");

        std::vector<SealInput> inputs(workplaces.size());
        std::vector<WeekCounter> counters(workplaces.size(), WeekCounter(week, 0));
        std::vector<std::int64_t> totals(workplaces.size(), 0);
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < workplaces.size(); ++i) {
            inputs[i].workplace = workplaces[i];
            index[workplaces[i]] = i;
        }
        for (int r = 0; r < counts.rows(); ++r) {
            const std::size_t i = index.at(counts.text(r, 0));
            const std::optional<int> value =
                counts.null(r, 2) ? std::nullopt : std::optional<int>(static_cast<int>(counts.int64(r, 2)));
            counters[i].add(counts.text(r, 1), value, counts.int64(r, 3), counts.int64(r, 4));
            totals[i] += counts.int64(r, 4);
        }
        for (int r = 0; r < earlier.rows(); ++r) {
            const std::size_t i = index.at(earlier.text(r, 0));
            const std::size_t k = static_cast<std::size_t>(
                std::find(before_texts.begin(), before_texts.end(), earlier.text(r, 1)) - before_texts.begin());
            if (k < 3) inputs[i].earlier[k] = earlier.text(r, 2);
        }
        for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i].counts = counters[i].result();
        const std::vector<std::string> summaries = build(inputs);
        if (summaries.size() != inputs.size()) return failed_seal("the seal's builder gave the wrong number of summaries");

        std::vector<std::string> total_texts;
        for (std::int64_t t : totals) total_texts.push_back(std::to_string(t));
        std::vector<const std::string*> summary_ptrs, total_ptrs;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            summary_ptrs.push_back(&summaries[i]);
            total_ptrs.push_back(&total_texts[i]);
        }
        const std::string summary_array = array_literal(summary_ptrs), total_array = array_literal(total_ptrs);
        if (!run(conn,
                 "INSERT INTO sealed_weeks(workplace, week, summary, answers_at_seal) "
                 "SELECT u.workplace, $2, u.summary, u.total FROM unnest($1::text[], $3::text[], $4::bigint[]) "
                 "AS u(workplace, summary, total)",
                 {workplace_array.c_str(), week_text.c_str(), summary_array.c_str(), total_array.c_str()})
                 .ok()) {
            return failed_seal("cannot store the seals");
        }
        const std::string now_text = std::to_string(now);
        if (!run(conn, "INSERT INTO publications(week, sealed_at) VALUES($1, $2)", {week_text.c_str(), now_text.c_str()})
                 .ok()) {
            return failed_seal("cannot mark " + week_text + " sealed");
        }
        if (!run(conn, "COMMIT").ok()) return failed_seal("cannot commit the seal");
        return SealOutcome::sealed;
    }

    std::optional<IsoWeek> newest_sealed_week(std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) {
            fail(error, lease.error);
            return std::nullopt;
        }
        Result r = run(lease.conn, "SELECT MAX(week) FROM publications");
        if (!r.ok() || r.rows() != 1) {
            fail(error, message(lease.conn, "cannot read the publications"));
            return std::nullopt;
        }
        if (r.null(0, 0)) return std::nullopt;
        return parse_iso_week(r.text(0, 0));
    }

    bool read_sealed(const std::string& workplace, IsoWeek week, bool* week_sealed, std::optional<SealedWeek>* seal,
                     std::string* error) override {
        *week_sealed = false;
        seal->reset();
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string week_text = week.str();
        Result r = run(lease.conn,
                       "SELECT p.sealed_at, s.summary, s.answers_at_seal FROM publications p "
                       "LEFT JOIN sealed_weeks s ON s.week = p.week AND s.workplace = $1 WHERE p.week = $2",
                       {workplace.c_str(), week_text.c_str()});
        if (!r.ok()) return fail(error, message(lease.conn, "cannot read the sealed week"));
        if (r.rows() == 0) return true;
        *week_sealed = true;
        if (!r.null(0, 1)) *seal = SealedWeek{r.text(0, 1), r.int64(0, 2), r.int64(0, 0)};
        return true;
    }

    std::optional<std::vector<IsoWeek>> sealed_weeks_of(const std::string& workplace, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) {
            fail(error, lease.error);
            return std::nullopt;
        }
        Result r = run(lease.conn, "SELECT week FROM sealed_weeks WHERE workplace = $1 ORDER BY week DESC",
                       {workplace.c_str()});
        if (!r.ok()) {
            fail(error, message(lease.conn, "cannot list the sealed weeks"));
            return std::nullopt;
        }
        std::vector<IsoWeek> weeks;
        for (int i = 0; i < r.rows(); ++i) {
            if (std::optional<IsoWeek> w = parse_iso_week(r.text(i, 0))) weeks.push_back(*w);
        }
        return weeks;
    }

    int claim_email(const std::string& workplace, IsoWeek week, UnixSeconds now, UnixSeconds lease_s,
                    std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string week_text = week.str(), now_text = std::to_string(now);
        const std::string until = std::to_string(now + lease_s);
        // One statement: a concurrent claim waits on the row, then sees it held.
        Result r = run(lease.conn,
                       "INSERT INTO email_sends(workplace, week, attempts, next_attempt) VALUES($1, $2, 1, $4) "
                       "ON CONFLICT (workplace, week) DO UPDATE SET attempts = email_sends.attempts + 1, "
                       "next_attempt = $4 WHERE NOT email_sends.sent AND email_sends.next_attempt <= $3 "
                       "RETURNING attempts",
                       {workplace.c_str(), week_text.c_str(), now_text.c_str(), until.c_str()});
        if (!r.ok()) return fail(error, message(lease.conn, "cannot claim the e-mail"));
        return r.rows() == 1 ? static_cast<int>(r.int64(0, 0)) : 0;
    }

    bool finish_email(const std::string& workplace, IsoWeek week, int attempt, bool sent,
                      const std::string& failure_text, UnixSeconds next_attempt, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string week_text = week.str(), next_text = std::to_string(next_attempt);
        const std::string attempt_text = std::to_string(attempt);
        const std::string failure = sent ? std::string() : failure_text;
        Result r = run(lease.conn,
                       "UPDATE email_sends SET sent = $3, last_error = $4, next_attempt = $5 "
                       "WHERE workplace = $1 AND week = $2 AND NOT sent AND attempts = $6",
                       {workplace.c_str(), week_text.c_str(), sent ? "true" : "false", failure.c_str(),
                        next_text.c_str(), attempt_text.c_str()});
        if (!r.ok()) return fail(error, message(lease.conn, "cannot record the e-mail"));
        if (r.affected() == 1) return true;
        return fail(error, kEmailClaimLost);
    }

    std::optional<EmailRecord> email_record(const std::string& workplace, IsoWeek week) override {
        Lease lease(*this);
        if (!lease.conn) return std::nullopt;
        const std::string week_text = week.str();
        Result r = run(lease.conn,
                       "SELECT sent, attempts, next_attempt, last_error FROM email_sends "
                       "WHERE workplace = $1 AND week = $2",
                       {workplace.c_str(), week_text.c_str()});
        if (!r.ok() || r.rows() != 1) return std::nullopt;
        EmailRecord record;
        record.workplace = workplace;
        record.week = week;
        record.sent = r.text(0, 0) == "t";
        record.attempts = static_cast<int>(r.int64(0, 1));
        record.next_attempt = r.int64(0, 2);
        record.last_error = r.text(0, 3);
        return record;
    }

    // [SECTION] Web sign-in and sessions
    //
    // The expired rows of others are deleted in a statement of their own
    // after the call's own work has committed; its failure is ignored (the
    // rows go at the next call), so it cannot undo a link that was used.

    bool add_signin_link(const std::string& link_hash, const std::string& email, UnixSeconds now,
                         UnixSeconds expires_at, std::string* error) override {
        if (!is_sha256_hex(link_hash)) return not_a_hash(error, "sign-in link");
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string expires_text = std::to_string(expires_at), now_text = std::to_string(now);
        if (!run(lease.conn, "INSERT INTO signin_links(link_hash, email, expires_at) VALUES($1, $2, $3)",
                 {link_hash.c_str(), email.c_str(), expires_text.c_str()})
                 .ok()) {
            return fail(error, message(lease.conn, "cannot store the sign-in link"));
        }
        run(lease.conn, kPurgeLinksSql, {now_text.c_str()});
        return true;
    }

    std::optional<std::string> use_signin_link(const std::string& link_hash, UnixSeconds now,
                                               std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        // One statement: a concurrent use waits on the row, then finds it gone.
        Result used = run(lease.conn, "DELETE FROM signin_links WHERE link_hash = $1 RETURNING email, expires_at",
                          {link_hash.c_str()});
        if (!used.ok()) return fail_nullopt(error, message(lease.conn, "cannot use the sign-in link"));
        const std::string now_text = std::to_string(now);
        run(lease.conn, kPurgeLinksSql, {now_text.c_str()});
        if (used.rows() != 1 || !(now < used.int64(0, 1))) return std::nullopt;
        return used.text(0, 0);
    }

    bool add_session(const std::string& session_hash, const std::string& email, UnixSeconds now, int keep_newest,
                     std::string* error) override {
        if (!is_sha256_hex(session_hash)) return not_a_hash(error, "session");
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        PGconn* conn = lease.conn;
        const auto failed = [&](const std::string& what) {
            fail(error, message(conn, what));
            Result(PQexec(conn, "ROLLBACK"));
            return false;
        };
        const std::string now_text = std::to_string(now), keep_text = std::to_string(std::max(keep_newest, 1));
        if (!run(conn, "BEGIN").ok()) return failed("cannot start a transaction");
        if (!run(conn, kPersonLockSql, {email.c_str()}).ok()) return failed("cannot take the person's lock");
        if (!run(conn, "INSERT INTO web_sessions(session_hash, email, created_at, last_used) VALUES($1, $2, $3, $3)",
                 {session_hash.c_str(), email.c_str(), now_text.c_str()})
                 .ok()) {
            return failed("cannot store the session");
        }
        if (!run(conn,
                 "DELETE FROM web_sessions WHERE email = $2 AND session_hash NOT IN ("
                 "SELECT session_hash FROM web_sessions WHERE email = $2 "
                 "ORDER BY session_hash = $1 DESC, created_at DESC, session_hash LIMIT $3::bigint)",
                 {session_hash.c_str(), email.c_str(), keep_text.c_str()})
                 .ok()) {
            return failed("cannot end the oldest sessions of the person");
        }
        if (!run(conn, "COMMIT").ok()) return failed("cannot commit the session");
        return true;
    }

    std::optional<std::string> touch_session(const std::string& session_hash, UnixSeconds now, UnixSeconds idle_s,
                                             UnixSeconds max_age_s, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        Result read = run(lease.conn, "SELECT email, created_at, last_used FROM web_sessions WHERE session_hash = $1",
                          {session_hash.c_str()});
        if (!read.ok()) return fail_nullopt(error, message(lease.conn, "cannot read the session"));
        if (read.rows() != 1) return std::nullopt;
        const std::string email = read.text(0, 0);
        const UnixSeconds created_at = read.int64(0, 1), last_used = read.int64(0, 2);
        if (!(now < last_used + idle_s && now < created_at + max_age_s)) {
            if (!run(lease.conn, "DELETE FROM web_sessions WHERE session_hash = $1", {session_hash.c_str()}).ok()) {
                return fail_nullopt(error, message(lease.conn, "cannot delete the expired session"));
            }
            return std::nullopt;
        }
        if (now - last_used < kSessionTouchInterval_s) return email;
        const std::string now_text = std::to_string(now), idle_text = std::to_string(idle_s);
        const std::string max_age_text = std::to_string(max_age_s);
        // Still live: another call may have ended it since the read.
        Result touched = run(lease.conn,
                             "UPDATE web_sessions SET last_used = $2::bigint WHERE session_hash = $1 "
                             "AND last_used > $2::bigint - $3::bigint AND created_at > $2::bigint - $4::bigint",
                             {session_hash.c_str(), now_text.c_str(), idle_text.c_str(), max_age_text.c_str()});
        if (!touched.ok()) return fail_nullopt(error, message(lease.conn, "cannot record the session's use"));
        run(lease.conn,
            "DELETE FROM web_sessions WHERE session_hash IN (SELECT session_hash FROM web_sessions "
            "WHERE last_used <= $1::bigint - $2::bigint OR created_at <= $1::bigint - $3::bigint "
            "FOR UPDATE SKIP LOCKED)",
            {now_text.c_str(), idle_text.c_str(), max_age_text.c_str()});
        if (touched.affected() != 1) return std::nullopt;
        return email;
    }

    bool end_session(const std::string& session_hash, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        if (!run(lease.conn, "DELETE FROM web_sessions WHERE session_hash = $1", {session_hash.c_str()}).ok()) {
            return fail(error, message(lease.conn, "cannot end the session"));
        }
        return true;
    }

    bool end_sessions_of(const std::string& email, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        PGconn* conn = lease.conn;
        const auto failed = [&](const std::string& what) {
            fail(error, message(conn, what));
            Result(PQexec(conn, "ROLLBACK"));
            return false;
        };
        if (!run(conn, "BEGIN").ok()) return failed("cannot start a transaction");
        if (!run(conn, kPersonLockSql, {email.c_str()}).ok()) return failed("cannot take the person's lock");
        if (!run(conn, "DELETE FROM web_sessions WHERE email = $1", {email.c_str()}).ok()) {
            return failed("cannot end the person's sessions");
        }
        if (!run(conn, "DELETE FROM signin_links WHERE email = $1", {email.c_str()}).ok()) {
            return failed("cannot delete the person's sign-in links");
        }
        if (!run(conn, "COMMIT").ok()) return failed("cannot commit the end of the person's sessions");
        return true;
    }

    bool put_heartbeat(const TerminalHeartbeat& heartbeat, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string received = std::to_string(heartbeat.received_at);
        if (!run(lease.conn,
                 "INSERT INTO heartbeats(terminal, report, received_at) VALUES($1, $2, $3::bigint) "
                 "ON CONFLICT(terminal) DO UPDATE SET report = excluded.report, received_at = excluded.received_at",
                 {heartbeat.terminal.c_str(), heartbeat.report_json.c_str(), received.c_str()})
                 .ok()) {
            return fail(error, message(lease.conn, "cannot store the heartbeat"));
        }
        return true;
    }

    std::optional<std::vector<TerminalHeartbeat>> heartbeats(std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        const Result read = run(lease.conn, "SELECT terminal, report, received_at FROM heartbeats ORDER BY terminal");
        if (!read.ok()) return fail_nullopt(error, message(lease.conn, "cannot read the heartbeats"));
        std::vector<TerminalHeartbeat> out;
        for (int row = 0; row < read.rows(); ++row) out.push_back({read.text(row, 0), read.text(row, 1), read.int64(row, 2)});
        return out;
    }

    std::optional<bool> claim_silence_alert(const SilenceAlert& alert, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        const std::string last = std::to_string(alert.last_heartbeat), at = std::to_string(alert.alerted_at);
        const Result claim = run(lease.conn,
                                 "INSERT INTO silence_alerts(terminal, last_heartbeat, alerted_at) "
                                 "VALUES($1, $2::bigint, $3::bigint) ON CONFLICT(terminal) DO NOTHING",
                                 {alert.terminal.c_str(), last.c_str(), at.c_str()});
        if (!claim.ok()) return fail_nullopt(error, message(lease.conn, "cannot store the silence alert"));
        return claim.affected() == 1;
    }

    std::optional<bool> end_silence_alert(const std::string& terminal, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        const Result end = run(lease.conn, "DELETE FROM silence_alerts WHERE terminal = $1", {terminal.c_str()});
        if (!end.ok()) return fail_nullopt(error, message(lease.conn, "cannot end the silence alert"));
        return end.affected() == 1;
    }

    std::optional<std::vector<SilenceAlert>> silence_alerts(std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        const Result read =
            run(lease.conn, "SELECT terminal, last_heartbeat, alerted_at FROM silence_alerts ORDER BY terminal");
        if (!read.ok()) return fail_nullopt(error, message(lease.conn, "cannot read the silence alerts"));
        std::vector<SilenceAlert> out;
        for (int row = 0; row < read.rows(); ++row) out.push_back({read.text(row, 0), read.int64(row, 1), read.int64(row, 2)});
        return out;
    }

    // [SECTION] Managers' responses

    bool put_response(const WeekResponse& r, std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        PGconn* conn = lease.conn;
        const auto failed = [&](const std::string& what) {
            fail(error, message(conn, what));
            Result(PQexec(conn, "ROLLBACK"));
            return false;
        };
        const std::string week_text = r.week.str(), at = std::to_string(r.written_at);
        const std::vector<const char*> params = {r.workplace.c_str(), week_text.c_str(), r.text_da.c_str(),
                                                 r.text_en ? r.text_en->c_str() : nullptr, r.author_name.c_str(),
                                                 r.author_email.c_str(), at.c_str()};
        if (!run(conn, "BEGIN").ok()) return failed("cannot start a transaction");
        if (!run(conn,
                 "INSERT INTO week_responses(workplace, week, text_da, text_en, author_name, author_email, written_at) "
                 "VALUES($1, $2, $3, $4, $5, $6, $7::bigint) ON CONFLICT(workplace, week) DO UPDATE SET "
                 "text_da = excluded.text_da, text_en = excluded.text_en, author_name = excluded.author_name, "
                 "author_email = excluded.author_email, written_at = excluded.written_at",
                 params)
                 .ok()) {
            return failed("cannot store the response");
        }
        if (!run(conn,
                 "INSERT INTO week_response_changes(workplace, week, text_da, text_en, author_name, author_email, "
                 "changed_at) VALUES($1, $2, $3, $4, $5, $6, $7::bigint)",
                 params)
                 .ok()) {
            return failed("cannot add the response to its audit list");
        }
        if (!run(conn, "COMMIT").ok()) return failed("cannot commit the response");
        return true;
    }

    bool newest_response(const std::string& workplace, IsoWeek first, IsoWeek last,
                         std::optional<WeekResponse>* response, std::string* error) override {
        response->reset();
        Lease lease(*this);
        if (!lease.conn) return fail(error, lease.error);
        const std::string first_text = first.str(), last_text = last.str();
        // ISO weeks as "YYYY-Www" sort as text in time order (COLLATE "C": byte order whatever the database's).
        const Result read = run(lease.conn,
                                "SELECT workplace, week, text_da, text_en, author_name, author_email, written_at "
                                "FROM week_responses WHERE workplace = $1 AND week COLLATE \"C\" >= $2 "
                                "AND week COLLATE \"C\" <= $3 ORDER BY week COLLATE \"C\" DESC LIMIT 1",
                                {workplace.c_str(), first_text.c_str(), last_text.c_str()});
        if (!read.ok()) return fail(error, message(lease.conn, "cannot read the response"));
        if (read.rows() == 1) *response = response_row(read, 0);
        return true;
    }

    std::optional<std::vector<WeekResponse>> response_history(const std::string& workplace, IsoWeek week,
                                                              std::string* error) override {
        Lease lease(*this);
        if (!lease.conn) return fail_nullopt(error, lease.error);
        const std::string week_text = week.str();
        const Result read = run(lease.conn,
                                "SELECT workplace, week, text_da, text_en, author_name, author_email, changed_at "
                                "FROM week_response_changes WHERE workplace = $1 AND week = $2 ORDER BY id DESC",
                                {workplace.c_str(), week_text.c_str()});
        if (!read.ok()) return fail_nullopt(error, message(lease.conn, "cannot read the response's audit list"));
        std::vector<WeekResponse> out;
        for (int row = 0; row < read.rows(); ++row) out.push_back(response_row(read, row));
        return out;
    }

private:
    // A response from row's columns: workplace, week, text_da, text_en
    // (NULL for none), author_name, author_email, the time.
    static WeekResponse response_row(const Result& r, int row) {
        WeekResponse out;
        out.workplace = r.text(row, 0);
        out.week = parse_iso_week(r.text(row, 1)).value_or(IsoWeek{});
        out.text_da = r.text(row, 2);
        if (!r.null(row, 3)) out.text_en = r.text(row, 3);
        out.author_name = r.text(row, 4);
        out.author_email = r.text(row, 5);
        out.written_at = r.int64(row, 6);
        return out;
    }

    // [SECTION] The pool
    //
    // Outage rules (issue 10), so that while the database is down every call
    // fails quickly (the server answers 503 + Retry-After) and once it is
    // back the next calls succeed without a restart:
    //  - mutex_ guards the pool's bookkeeping only; no network call (connect,
    //    query, PQfinish) is ever made while holding it.
    //  - A pooled connection is checked before each use. An idle connection
    //    is sent something only when the server ends it (a restart,
    //    pg_terminate_backend, idle_session_timeout), so one whose socket is
    //    readable or hung up is closed and replaced; PQstatus alone would
    //    still say CONNECTION_OK and the call would fail on it.
    //  - A connection that broke during a call, or came back inside a
    //    transaction, is closed rather than pooled. That call has already
    //    failed (503; its transaction was not committed, or, if COMMIT's
    //    answer was lost, the terminal's resend finds duplicates), and the
    //    connections pooled before the failure answer an empty query before
    //    their next use: a database host that rebooted sends no FIN, so its
    //    old connections look healthy until written to.
    //  - While the database is known to be down (the last connect failed),
    //    one call at a time tries to connect and the others fail at once
    //    with that connect's error. A stopped server refuses in
    //    microseconds, so every call after it is back connects; an
    //    unreachable host makes one call wait connect_timeout instead of all
    //    of them. The price: a call that arrives while an attempt begun just
    //    before the database came back is still under way fails too.
    //  - No statement is retried: a failed call is a 503 and the terminal
    //    sends the batch again (batches are idempotent).

    // An idle connection, and the failure count when it was pooled.
    struct Pooled {
        PGconn* conn = nullptr;
        std::uint64_t failures_seen = 0;  // failures_ then; another failure since makes it prove itself
    };

    // A connection from the pool for one call, given back on scope exit;
    // conn is nullptr (and error says why) when none can be had: the pool
    // stayed full for kPoolWait, or the database cannot be reached.
    struct Lease {
        PostgresCollectorStore& store;
        PGconn* conn = nullptr;
        std::string error;

        explicit Lease(PostgresCollectorStore& s) : store(s) { conn = store.acquire(&error); }
        ~Lease() {
            if (conn) store.release(conn);
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
    };

    // A working connection: an idle one that passes the checks above, else a
    // new one while fewer than kMaxConnections are open, else the first to be
    // given back within kPoolWait. nullptr and *error (without the password)
    // when the pool stays full, the connect fails, or another call is
    // already trying to reach a database known to be down.
    PGconn* acquire(std::string* error) {
        const auto deadline = std::chrono::steady_clock::now() + kPoolWait;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            if (!available_.wait_until(lock, deadline, [&] { return !idle_.empty() || open_ < kMaxConnections; })) {
                *error = redacted_ + ": all " + std::to_string(kMaxConnections) +
                         " connections busy for 30 s; is the database answering?";
                return nullptr;
            }
            if (!idle_.empty()) {
                const Pooled pooled = idle_.back();
                idle_.pop_back();
                const bool prove = pooled.failures_seen != failures_;
                lock.unlock();
                if (usable(pooled.conn, prove)) return pooled.conn;
                PQfinish(pooled.conn);
                lock.lock();
                --open_;
                ++failures_;  // the others pooled with it may be dead too
                available_.notify_one();
                continue;
            }
            if (down_ && connecting_while_down_) {
                *error = down_error_ + " (the database is down; another call is trying it again)";
                return nullptr;
            }
            ++open_;
            const bool probe = down_;
            if (probe) connecting_while_down_ = true;
            lock.unlock();
            std::string connect_error;
            PGconn* conn = connect(url_, &connect_error);
            lock.lock();
            if (probe) connecting_while_down_ = false;
            if (conn) {
                down_ = false;
                return conn;
            }
            --open_;
            ++failures_;
            down_ = true;
            down_error_ = connect_error;
            available_.notify_all();
            *error = connect_error;
            return nullptr;
        }
    }

    // Gives conn back: pooled when it is connected and outside a
    // transaction, otherwise closed (see the outage rules).
    void release(PGconn* conn) {
        const bool reusable = PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
        if (!reusable) PQfinish(conn);  // the server rolls back whatever it left open
        std::lock_guard<std::mutex> lock(mutex_);
        if (reusable) {
            idle_.push_back({conn, failures_});
        } else {
            --open_;
            ++failures_;
        }
        available_.notify_one();
    }

    // Whether a pooled connection may serve a call: connected, outside a
    // transaction, nothing unread on its socket, and, when prove is set,
    // answering an empty query (one round trip).
    static bool usable(PGconn* conn, bool prove) {
        if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE) return false;
        pollfd socket{PQsocket(conn), POLLIN, 0};
        int ready = 0;
        while ((ready = poll(&socket, 1, 0)) < 0 && errno == EINTR) {
        }
        if (ready != 0) return false;  // data, EOF or an error: the server has ended it or is ending it
        if (!prove) return true;
        const Result empty(PQexec(conn, ""));
        return empty.status() == PGRES_EMPTY_QUERY && PQstatus(conn) == CONNECTION_OK &&
               PQtransactionStatus(conn) == PQTRANS_IDLE;
    }

    std::string message(PGconn* conn, const std::string& what) const {
        return redacted_ + ": " + what + ": " + pq_message(conn);
    }
    static bool fail(std::string* error, const std::string& text) {
        if (error) *error = text;
        return false;
    }
    static std::nullopt_t fail_nullopt(std::string* error, const std::string& text) {
        fail(error, text);
        return std::nullopt;
    }
    // The error of a web sign-in call given something other than a hash.
    static bool not_a_hash(std::string* error, const char* what) {
        return fail(error, std::string("the ") + what + " must be stored as its SHA-256 in 64 lower-case hex digits "
                           "(secret_hash), never as the secret itself");
    }
    static StoreResult error_result(const std::string& text) {
        StoreResult r;
        r.kind = StoreResult::Kind::error;
        r.message = text;
        return r;
    }
    StoreResult failed(PGconn* conn, const std::string& what) const { return error_result(message(conn, what)); }
    StoreResult rolled_back(PGconn* conn, const std::string& what) const {
        StoreResult r = failed(conn, what);
        Result(PQexec(conn, "ROLLBACK"));
        return r;
    }

    const std::string url_;
    const std::string redacted_;
    std::mutex mutex_;                   // guards the members below, never held over a network call
    std::condition_variable available_;  // a connection was given back or closed
    std::vector<Pooled> idle_;           // connected and not in use
    std::size_t open_ = 0;               // idle + leased + being connected
    std::uint64_t failures_ = 0;         // connections that failed or were found dead, ever
    bool down_ = false;                  // the last connect failed: the database is down
    bool connecting_while_down_ = false; // a call is trying to connect while down_
    std::string down_error_;             // the failed connect's error (no password)
};

}  // namespace

std::unique_ptr<CollectorStore> open_postgres_collector_store(const std::string& url, std::string* error,
                                                              const StoreLog& log) {
    PGconn* conn = PostgresCollectorStore::connect(url, error);
    if (!conn) return nullptr;
    const auto fail = [&](const std::string& what) -> std::unique_ptr<CollectorStore> {
        if (error) *error = url_without_password(url) + ": " + what + ": " + pq_message(conn);
        Result(PQexec(conn, "ROLLBACK"));
        PQfinish(conn);
        return nullptr;
    };
    // One transaction: the language's removal (issue 14) and the schema
    // commit together or not at all.
    if (!run(conn, "BEGIN").ok() || !run(conn, kSchemaLockSql).ok()) return fail("cannot lock the schema");
    const Result has_language = run(conn, kHasLanguageSql);
    if (!has_language.ok() || has_language.rows() != 1) return fail("cannot read the answers' columns");
    long rebuilt_rows = -1;
    if (has_language.int64(0, 0) != 0) {
        const Result counted = run(conn, "SELECT COUNT(*) FROM answers");
        if (!counted.ok() || counted.rows() != 1) return fail("cannot count the answers");
        rebuilt_rows = static_cast<long>(counted.int64(0, 0));
        if (!Result(PQexec(conn, kDropLanguageSql)).ok()) {
            return fail("cannot remove the answers' language column (issue 14)");
        }
    }
    if (!Result(PQexec(conn, kPostgresSchema)).ok()) return fail("cannot create the schema");
    if (!run(conn, "COMMIT").ok()) return fail("cannot commit the schema");
    if (rebuilt_rows >= 0 && log) {
        log(url_without_password(url) + ": removed the answers' language column (issue 14) from " +
            std::to_string(rebuilt_rows) + (rebuilt_rows == 1 ? " answer" : " answers") +
            ": the table was made anew without it and the old one dropped");
    }
    return std::make_unique<PostgresCollectorStore>(url, conn);
}

}  // namespace pulse
