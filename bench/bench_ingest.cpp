// bench_ingest.cpp — the collector's ingest target: N answers (1 000 000) in
// protocol-v1 batches of 500 over loopback into the real CollectorServer and
// its SQLite store on disk, against a raw bulk INSERT of the same rows into
// the same kind of database (same schema, WAL, synchronous=FULL) in one run.
//   bench_ingest QUESTIONS_TOML DIR [ANSWERS] [CLIENTS] [ingest-only]
// DIR must be on a real disk (not tmpfs). Prints key=value lines:
//   raw_insert mode=one_transaction rows=N seconds=S rows_per_s=R stored=M
//   raw_insert mode=transaction_per_500 rows=N seconds=S rows_per_s=R stored=M
//   ingest answers=N batches=B terminals=T clients=C seconds=S answers_per_s=R stored=M gzip_batches=G body_kib=K cpu_s=P
//   ingest_ratio one_transaction=X transaction_per_500=Y
// and exits 1 if any request fails or a row count is wrong.
#include "terminal/answer_store.hpp"
#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "common/question_bank.hpp"
#include "common/random.hpp"
#include "collector/http/server.hpp"
#include "common/sha256.hpp"
#include "terminal/upload_policy.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr std::size_t kBatchSize = 500;  // the kiosk's default [upload] batch_size
constexpr std::size_t kTerminals = 100;  // terminals (one per workplace) whose batches arrive
// The server's fixed "now"; every answer's hour lies in the 300 days before it.
const pulse::UnixSeconds kNow = *pulse::parse_iso8601("2026-11-27T10:30:00Z");

// One terminal of the collector's config; it uploads for its own workplace.
struct BenchTerminal {
    std::string id, workplace, token;
};

// One batch as the kiosk would send it: its answers (for the raw baseline)
// and its body, gzipped when that pays (bodies >= 1 KiB, as the kiosk does).
struct PreparedBatch {
    std::size_t terminal = 0;           // index into the terminals
    std::vector<pulse::Answer> answers;
    std::string body;
    bool gzipped = false;
};

// CPU seconds this process (server and client threads) has used so far.
double process_cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Wall-clock seconds since start.
double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Removes a SQLite file and its WAL and shared-memory files.
void remove_database(const fs::path& file) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
}

// Rows in file's answers table; -1 if it cannot be read.
long long stored_rows(const fs::path& file) {
    sqlite3* db = nullptr;
    long long n = -1;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM answers", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            n = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

// The config the in-process collector runs with: the terminals, the bank,
// the database. Exits on any error (a bug in this program).
pulse::CollectorConfig write_config(const fs::path& dir, const fs::path& questions, const fs::path& database,
                                    const std::vector<BenchTerminal>& terminals) {
    const fs::path file = dir / "ingest-collector.toml";
    std::ofstream out(file);
    out << "[server]\nlisten = \"127.0.0.1\"\nport = 0\n"
        << "[storage]\ndatabase = \"" << fs::absolute(database).string() << "\"\nmax_age_days = 400\n"
        << "[bank]\nquestions = [\"" << fs::absolute(questions).string() << "\"]\n";
    for (const BenchTerminal& t : terminals) {
        out << "[[workplace]]\nid = \"" << t.workplace << "\"\nname = \"Workplace " << t.workplace << "\"\n";
        out << "[[terminal]]\nid = \"" << t.id << "\"\nworkplace = \"" << t.workplace << "\"\ntoken_sha256 = \""
            << pulse::sha256_hex(t.token) << "\"\n";
    }
    out.close();
    pulse::CollectorConfigLoad load = pulse::load_collector_config(file);
    if (!load.config) {
        for (const auto& e : load.errors) std::fprintf(stderr, "bench_ingest: %s\n", e.str().c_str());
        std::exit(1);
    }
    return *load.config;
}

// Every batch of the run, bodies built and compressed. Each terminal holds
// an equal share of the answers spread evenly over the 300 days before
// kNow; its batch j is its answers j*500.. (a terminal that was offline for
// a few days), in random order, as the kiosk sends them. Batches are taken
// round robin over the terminals, as many terminals upload at once. An
// answer: a random id, one of the bank's active questions, 1–5 (skewed to
// agreement) or "ved ikke" (1 in 10), Danish 85 %, an hour 07–16 UTC.
std::vector<PreparedBatch> prepare_batches(std::size_t answers, const pulse::QuestionBank& bank,
                                           const std::vector<BenchTerminal>& terminals) {
    pulse::Rng rng(20261127);
    const std::vector<const pulse::Question*> questions = bank.active_questions();
    const int values[20] = {0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5};  // 0 = ved ikke
    const pulse::UnixSeconds first_day = kNow - kNow % 86400 - 300 * 86400;
    const std::size_t per_terminal = (answers + terminals.size() - 1) / terminals.size();
    const double days_per_answer = 300.0 / static_cast<double>(per_terminal);
    std::vector<PreparedBatch> batches;
    std::size_t done = 0;
    for (std::size_t j = 0; done < answers; ++j) {
        for (std::size_t t = 0; t < terminals.size() && done < answers && j * kBatchSize < per_terminal; ++t) {
            PreparedBatch b;
            b.terminal = t;
            const std::size_t n = std::min({kBatchSize, answers - done, per_terminal - j * kBatchSize});
            for (std::size_t i = 0; i < n; ++i) {
                pulse::Answer a;
                a.id = pulse::uuid_v4(rng);
                a.question = questions[rng() % questions.size()]->id;
                const int v = values[rng() % 20];
                if (v != 0) a.value = v;
                a.lang = rng() % 100 < 85 ? "da" : "en";
                const auto day = static_cast<pulse::UnixSeconds>(static_cast<double>(j * kBatchSize + i) * days_per_answer);
                a.hour = first_day + day * 86400 + static_cast<pulse::UnixSeconds>(7 + rng() % 10) * 3600;
                b.answers.push_back(std::move(a));
            }
            std::shuffle(b.answers.begin(), b.answers.end(), rng);
            const BenchTerminal& term = terminals[t];
            b.body = pulse::write_batch_body(term.id, term.workplace, pulse::uuid_v4(rng), bank.version, b.answers, rng);
            b.gzipped = pulse::gzip_if_it_pays(b.body);
            done += n;
            batches.push_back(std::move(b));
        }
    }
    return batches;
}

// The strict baseline: the same rows into a fresh database with the store's
// own schema and pragmas (created by open_collector_store, then reopened
// here with journal_mode=WAL, synchronous=FULL), through one prepared INSERT,
// committing every rows_per_transaction rows (0 = one transaction for all).
// Returns the seconds taken, open to last commit; negative on a SQLite error.
double raw_insert(const fs::path& file, const std::vector<PreparedBatch>& batches,
                  const std::vector<BenchTerminal>& terminals, std::size_t rows_per_transaction) {
    remove_database(file);
    std::string error;
    if (!pulse::open_collector_store(file.string(), &error)) {
        std::fprintf(stderr, "bench_ingest: %s\n", error.c_str());
        return -1;
    }
    sqlite3* db = nullptr;
    sqlite3_stmt* insert = nullptr;
    const auto exec = [&](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; };
    const Clock::time_point start = Clock::now();
    bool ok = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK &&
              exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") &&
              sqlite3_prepare_v2(db,
                                 "INSERT INTO answers(id, workplace, question, value, hour) "
                                 "VALUES(?1, ?2, ?3, ?4, ?5)",
                                 -1, &insert, nullptr) == SQLITE_OK &&
              exec("BEGIN");
    std::size_t in_transaction = 0;
    for (const PreparedBatch& b : batches) {
        const std::string& workplace = terminals[b.terminal].workplace;
        for (const pulse::Answer& a : b.answers) {
            if (!ok) break;
            sqlite3_bind_text(insert, 1, a.id.data(), static_cast<int>(a.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, workplace.data(), static_cast<int>(workplace.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, a.question.data(), static_cast<int>(a.question.size()), SQLITE_STATIC);
            if (a.value) sqlite3_bind_int(insert, 4, *a.value); else sqlite3_bind_null(insert, 4);
            sqlite3_bind_int64(insert, 5, a.hour);  // a.lang is on the wire only, never stored (issue 14)
            ok = sqlite3_step(insert) == SQLITE_DONE;
            sqlite3_reset(insert);
            if (ok && rows_per_transaction != 0 && ++in_transaction == rows_per_transaction) {
                ok = exec("COMMIT") && exec("BEGIN");
                in_transaction = 0;
            }
        }
    }
    ok = ok && exec("COMMIT");
    const double seconds = seconds_since(start);
    if (!ok) std::fprintf(stderr, "bench_ingest: raw insert: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return ok ? seconds : -1;
}

// Prints one raw_insert line; false when it failed or the rows are not all there.
bool report_raw(const char* mode, double seconds, const fs::path& file, std::size_t rows) {
    const long long stored = stored_rows(file);
    if (seconds < 0) return false;
    std::printf("raw_insert mode=%s rows=%zu seconds=%.3f rows_per_s=%.0f stored=%lld\n", mode, rows, seconds,
                static_cast<double>(rows) / seconds, stored);
    std::fflush(stdout);
    return stored == static_cast<long long>(rows);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 3 || argc > 6) {
        std::fprintf(stderr, "usage: %s QUESTIONS_TOML DIR [ANSWERS] [CLIENTS] [ingest-only]\n", argv[0]);
        return 2;
    }
    const fs::path questions = argv[1];
    const fs::path dir = argv[2];
    const std::size_t answers = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1000000;
    const std::size_t clients = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 4;
    const bool ingest_only = argc > 5 && std::string(argv[5]) == "ingest-only";
    if (answers == 0 || clients == 0) {
        std::fprintf(stderr, "bench_ingest: ANSWERS and CLIENTS must be positive\n");
        return 2;
    }

    // 1. The terminals, the collector's config, and every body, before any clock.
    std::vector<BenchTerminal> terminals;
    for (std::size_t k = 1; k <= kTerminals; ++k) {
        const std::string n = std::to_string(k);
        terminals.push_back({"bench-terminal-" + n, "bench-workplace-" + n, "bench-token-" + n});
    }
    const fs::path db = dir / "ingest.sqlite3";
    const CollectorConfig config = write_config(dir, questions, db, terminals);
    const Clock::time_point prepare_start = Clock::now();
    const std::vector<PreparedBatch> batches = prepare_batches(answers, config.banks.front(), terminals);
    std::size_t gzipped = 0, body_bytes = 0;
    for (const PreparedBatch& b : batches) {
        gzipped += b.gzipped ? 1 : 0;
        body_bytes += b.body.size();
    }
    std::fprintf(stderr, "bench_ingest: %zu bodies prepared in %.1f s (not measured)\n", batches.size(),
                 seconds_since(prepare_start));

    // 2. The raw baselines, each on a fresh file; sync() so that one run's
    // write-back does not land in the next.
    double raw_one = -1, raw_per_batch = -1;
    if (!ingest_only) {
        const fs::path raw_db = dir / "raw.sqlite3";
        sync();
        raw_one = raw_insert(raw_db, batches, terminals, 0);
        if (!report_raw("one_transaction", raw_one, raw_db, answers)) return 1;
        remove_database(raw_db);
        sync();
        raw_per_batch = raw_insert(raw_db, batches, terminals, kBatchSize);
        if (!report_raw("transaction_per_500", raw_per_batch, raw_db, answers)) return 1;
        remove_database(raw_db);
        sync();
    }

    // 3. The ingest: the real server in this process, its log to a file as
    // the production collector logs to stderr; CLIENTS keep-alive connections
    // (as a proxy's upstream connections, or CLIENTS terminals at once),
    // connection k posting batches k, k + CLIENTS, ... each with its
    // terminal's token.
    remove_database(db);
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(db.string(), &error);
    if (!store) {
        std::fprintf(stderr, "bench_ingest: %s\n", error.c_str());
        return 1;
    }
    std::FILE* log_file = std::fopen((dir / "ingest-collector.log").c_str(), "w");
    std::mutex log_mutex;
    CollectorServer server(config, *store, [] { return kNow; }, [&](const std::string& line) {
        std::lock_guard<std::mutex> lock(log_mutex);
        if (log_file) std::fprintf(log_file, "%s\n", line.c_str());
    });
    if (!server.start("127.0.0.1", 0, &error)) {
        std::fprintf(stderr, "bench_ingest: %s\n", error.c_str());
        return 1;
    }
    std::atomic<bool> failed{false};
    std::atomic<long> accepted{0};
    const double cpu_before = process_cpu_s();
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < clients; ++k) {
        threads.emplace_back([&, k] {
            httplib::Client client("127.0.0.1", server.port());
            client.set_keep_alive(true);
            client.set_read_timeout(120, 0);
            for (std::size_t i = k; i < batches.size() && !failed; i += clients) {
                const PreparedBatch& b = batches[i];
                httplib::Headers headers = {{"Authorization", "Bearer " + terminals[b.terminal].token}};
                if (b.gzipped) headers.emplace("Content-Encoding", "gzip");
                const httplib::Result res = client.Post("/v1/batches", headers, b.body, "application/json");
                long n = -1;
                if (res && res->status == 200) {
                    const nlohmann::json reply = nlohmann::json::parse(res->body, nullptr, false);
                    if (reply.is_object() && reply.value("duplicates", -1) == 0) n = reply.value("accepted", -1L);
                }
                if (n != static_cast<long>(b.answers.size())) {
                    std::fprintf(stderr, "bench_ingest: batch %zu: %s\n", i,
                                 res ? (std::to_string(res->status) + " " + res->body).c_str()
                                     : httplib::to_string(res.error()).c_str());
                    failed = true;
                }
                accepted += n;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    const double seconds = seconds_since(start);
    const double cpu_s = process_cpu_s() - cpu_before;
    server.stop();
    store.reset();
    if (log_file) std::fclose(log_file);
    if (failed) return 1;
    const long long stored = stored_rows(db);
    const double rate = static_cast<double>(answers) / seconds;
    std::printf("ingest answers=%zu batches=%zu terminals=%zu clients=%zu seconds=%.3f answers_per_s=%.0f "
                "stored=%lld gzip_batches=%zu body_kib=%zu cpu_s=%.1f\n",
                answers, batches.size(), terminals.size(), clients, seconds, rate, stored, gzipped, body_bytes / 1024,
                cpu_s);
    if (!ingest_only) {
        std::printf("ingest_ratio one_transaction=%.3f transaction_per_500=%.3f\n", raw_one / seconds,
                    raw_per_batch / seconds);
    }
    return stored == static_cast<long long>(answers) && accepted == static_cast<long>(answers) ? 0 : 1;
}
