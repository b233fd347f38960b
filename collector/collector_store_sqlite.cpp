// collector_store_sqlite.cpp — CollectorStore on one SQLite file (WAL,
// synchronous=FULL: an acknowledged answer survives a power cut). Per answer
// only what the terminal itself keeps, plus its workplace: no terminal id, no
// arrival time, no batch, no rowid — nothing that links answers together.
// open_collector_store picks the backend from the database setting.
#include "collector_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

namespace pulse {
namespace {

constexpr int kBusyTimeout_ms = 10000;  // another collector process may hold the write lock
constexpr UnixSeconds kSecondsPerDay = 86400;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS answers("
    " id TEXT PRIMARY KEY,"
    " workplace TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " value INTEGER NULL CHECK(value BETWEEN 1 AND 5),"
    " lang TEXT NOT NULL,"
    " hour INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS answers_by_workplace_hour ON answers(workplace, hour);";

// A prepared statement, finalized on scope exit.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return rc_ == SQLITE_OK; }
    sqlite3_stmt* get() const { return stmt_; }
    void text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
    void int64(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
    void value(int i, const std::optional<int>& v) {
        if (v) sqlite3_bind_int(stmt_, i, *v); else sqlite3_bind_null(stmt_, i);
    }
    int step() { return sqlite3_step(stmt_); }
    void reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

std::string column_text(sqlite3_stmt* s, int i) {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

// Monday = 0 .. Sunday = 6 of the Copenhagen day that contains t.
int copenhagen_weekday(UnixSeconds t) {
    const UnixSeconds local = t + copenhagen_utc_offset_s(t);
    const std::int64_t days = local >= 0 ? local / kSecondsPerDay : (local - kSecondsPerDay + 1) / kSecondsPerDay;
    return static_cast<int>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
}

class SqliteCollectorStore final : public CollectorStore {
public:
    explicit SqliteCollectorStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    ~SqliteCollectorStore() override { sqlite3_close(db_); }

    StoreResult store_batch(const std::string& workplace, const std::string& /*terminal: never stored*/,
                            const std::vector<Answer>& answers) override {
        std::lock_guard<std::mutex> lock(mutex_);
        StoreResult result;
        if (!exec("BEGIN IMMEDIATE")) return error("cannot start a transaction");
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
            sqlite3_stmt* s = existing.get();
            const bool stored_null = sqlite3_column_type(s, 2) == SQLITE_NULL;
            const bool same_value = a.value ? !stored_null && sqlite3_column_int(s, 2) == *a.value : stored_null;
            const bool same = column_text(s, 0) == workplace && column_text(s, 1) == a.question && same_value &&
                              column_text(s, 3) == a.lang &&
                              sqlite3_column_int64(s, 4) == a.hour;
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

    std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before) override {
        std::lock_guard<std::mutex> lock(mutex_);
        // starts[k] = start of the week k weeks before `week`; end = start of the week after it.
        std::vector<UnixSeconds> starts;
        IsoWeek w = week;
        for (int k = 0; k <= weeks_before; ++k) {
            starts.push_back(copenhagen_week_start(w));
            w = previous_week(w);
        }
        const UnixSeconds end = copenhagen_week_start(next_week(week));
        Statement q(db_, "SELECT question, value, hour, COUNT(*) FROM answers "
                         "WHERE workplace = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY question, value, hour");
        if (!q.ok()) return {};
        q.text(1, workplace);
        q.int64(2, starts.back());
        q.int64(3, end);
        std::map<std::tuple<std::string, int, int, int>, std::int64_t> sums;  // question, value (0 = null), offset, weekday
        while (q.step() == SQLITE_ROW) {
            sqlite3_stmt* s = q.get();
            const UnixSeconds hour = sqlite3_column_int64(s, 2);
            int offset = 0;
            while (offset + 1 < static_cast<int>(starts.size()) && hour < starts[static_cast<std::size_t>(offset)]) ++offset;
            const int value = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 : sqlite3_column_int(s, 1);
            sums[{column_text(s, 0), value, offset, copenhagen_weekday(hour)}] += sqlite3_column_int64(s, 3);
        }
        std::vector<AnswerCount> out;
        out.reserve(sums.size());
        for (const auto& [key, n] : sums) {
            AnswerCount c;
            c.question = std::get<0>(key);
            if (std::get<1>(key) != 0) c.value = std::get<1>(key);
            c.week_offset = std::get<2>(key);
            c.weekday = std::get<3>(key);
            c.n = n;
            out.push_back(std::move(c));
        }
        return out;
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

private:
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

std::unique_ptr<CollectorStore> open_sqlite(const std::string& path, std::string* error) {
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
    sqlite3_busy_timeout(db, kBusyTimeout_ms);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return fail(db, "cannot switch to WAL");
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(db, "cannot create the schema");
    return std::make_unique<SqliteCollectorStore>(db, path);
}

}  // namespace

std::unique_ptr<CollectorStore> open_collector_store(const std::string& database, std::string* error) {
    if (database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0) {
        if (error) *error = "PostgreSQL is not supported yet in this build";
        return nullptr;
    }
    return open_sqlite(database, error);
}

}  // namespace pulse
