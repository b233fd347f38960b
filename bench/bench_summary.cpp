// bench_summary.cpp — the collector's summary targets in a SQLite database of
// 10 000 000 answers: one workplace-week's summary from its counts
// (store.counts + build_summary + summary_json; and with summary_html), cold
// and warm; sealing one week for every one of 300 workplaces; reading a
// sealed summary as the routes do (published_summary + a format); and a
// week's browser page as a signed-in manager gets it from the real
// CollectorServer over loopback HTTP (issue 11), beside the same page made
// in-process.
//   bench_summary QUESTIONS_TOML CACHE_DIR [ANSWERS] [QUERIES] [PAGES]
// The summary's words come from summary_texts.toml beside QUESTIONS_TOML.
// The database is generated once into CACHE_DIR (a real disk) and reused
// while its parameters and the store's schema are unchanged; the collector's
// config is written there too. Prints "summary_db …" and, as "label n=N
// p50_ms=… p90_ms=… p99_ms=… max_ms=…", summary_cold, summary_open_cold
// (opening the store), summary_first, summary_counts, summary_json,
// summary_html; then "summary_scanned …" (answers counted per query),
// "seal_first …", seal_week (one week, every workplace), sealed_json,
// sealed_html; "week_page_first …" (the sign-in request), week_page_http
// (as a browser asks: brotli), week_page_http_gzip, week_page_http_identity,
// week_page_in_process and "week_page_bytes …". Exits 1 on an error.
#include "bench_stats.hpp"

#include "collector/http/server.hpp"
#include "collector/publication.hpp"
#include "collector/storage/store.hpp"
#include "common/question_bank.hpp"
#include "common/random.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"
#include "collector/summary/summary_texts.hpp"
#include "common/copenhagen_time.hpp"
#include "collector/web/auth.hpp"
#include "collector/web/pages.hpp"
#include "collector/week_response.hpp"
#include "loopback.hpp"  // tests/support: free_loopback_port

#include <httplib.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// The database's shape; a change of any of these makes a new file.
constexpr int kWorkplaces = 300;           // "wp-000".."wp-299", sizes 0.2..1.8 times the mean
constexpr int kWeeks = 100;                // Copenhagen weeks ending with kLastWeek
constexpr pulse::IsoWeek kLastWeek{2026, 48};
constexpr std::uint64_t kSeed = 20261127;
constexpr int kMinAnswers = 5;
constexpr int kColdRuns = 10;              // opens with the file dropped from the OS cache
constexpr std::size_t kRowsPerTransaction = 1000000;
constexpr int kSealedWeeks = 10;           // sealed one at a time, ending with kLastWeek
// The manager of every workplace, signed in through the trusted header.
constexpr const char* kManagerEmail = "leder@bench.example";
constexpr const char* kTrustedHeader = "X-Forwarded-Email";
// The collector's clock for the week pages: this long after kLastWeek's
// publication, when every sealed week is published.
constexpr pulse::UnixSeconds kPagesAfterPublication_s = 3600;

// Wall-clock milliseconds since start.
double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs sql on db; false (and the error on stderr) when it fails.
bool exec(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) std::fprintf(stderr, "bench_summary: %s: %s\n", sql.substr(0, 60).c_str(), message);
    sqlite3_free(message);
    return rc == SQLITE_OK;
}

// The schema of a SQLite file as sqlite_master lists it (type, name, table,
// SQL; sorted), "" if it cannot be read.
std::string schema_of(const fs::path& file) {
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, IFNULL(sql, '') FROM sqlite_master ORDER BY name", -1,
                               &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                for (int i = 0; i < 4; ++i) out += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i))) + "|";
                out += "\n";
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

// The schema open_collector_store creates today (in a scratch file).
std::string current_schema(const fs::path& dir) {
    const fs::path probe = dir / "schema-probe.sqlite3";
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(probe.string() + s);
    std::string error;
    if (!pulse::open_collector_store(probe.string(), &error)) {
        std::fprintf(stderr, "bench_summary: %s\n", error.c_str());
        return "";
    }
    std::string schema = schema_of(probe);
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(probe.string() + s);
    return schema;
}

// The Copenhagen start of week kLastWeek - k, for k = 0..kWeeks-1 (index k).
std::vector<pulse::UnixSeconds> week_starts() {
    std::vector<pulse::UnixSeconds> starts;
    pulse::IsoWeek w = kLastWeek;
    for (int k = 0; k < kWeeks; ++k, w = pulse::previous_week(w)) starts.push_back(pulse::copenhagen_week_start(w));
    return starts;
}

// "wp-007" for i = 7.
std::string workplace_name(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "wp-%03d", i);
    return name;
}

// Writes `answers` answers to file through the store's own schema: opened by
// open_collector_store, then, for speed, its indexes dropped, the rows
// inserted in primary-key order (random v4 UUIDs, sorted) with a prepared
// statement in transactions of 1 000 000 rows (synchronous=OFF, 256 MiB
// cache), the indexes created again from their own SQL, the WAL truncated.
// Shape: workplace i gets a share proportional to 0.2 + 1.6·i/99; weeks
// uniform over the kWeeks weeks; Monday–Friday 95 %, weekend 5 %; local hours
// 07–16; the bank's active questions uniformly; "ved ikke" 10 %, values
// skewed to agreement (1: 5 %, 2: 10 %, 3: 20 %, 4: 30 %, 5: 25 %). No
// language: the store keeps none (issue 14).
bool generate(const fs::path& file, std::size_t answers, const pulse::QuestionBank& bank) {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(file.string() + s);
    std::string error;
    if (!pulse::open_collector_store(file.string(), &error)) {
        std::fprintf(stderr, "bench_summary: %s\n", error.c_str());
        return false;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return false;
    std::vector<std::string> index_sql;
    {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'answers' AND sql "
                               "IS NOT NULL", -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW) index_sql.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
    }
    bool ok = exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144");
    {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'answers' AND sql "
                               "IS NOT NULL", -1, &st, nullptr);
        std::vector<std::string> names;
        while (sqlite3_step(st) == SQLITE_ROW) names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        for (const std::string& n : names) ok = ok && exec(db, "DROP INDEX " + n);
    }

    pulse::Rng rng(kSeed);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ids(answers);
    for (auto& id : ids) {
        id.first = (rng() & 0xffffffffffff0fffULL) | 0x4000ULL;                 // version 4
        id.second = (rng() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;   // variant 10
    }
    std::sort(ids.begin(), ids.end());  // hex text sorts like the numbers: inserts append to the b-tree

    const std::vector<pulse::UnixSeconds> starts = week_starts();
    std::vector<double> weights;
    for (int i = 0; i < kWorkplaces; ++i) weights.push_back(0.2 + 1.6 * i / (kWorkplaces - 1));
    std::discrete_distribution<int> workplace_of(weights.begin(), weights.end());
    std::discrete_distribution<int> day_of({19, 19, 19, 19, 19, 2.5, 2.5});
    std::discrete_distribution<int> value_of({10, 5, 10, 20, 30, 25});  // 0 = ved ikke
    std::vector<std::string> workplaces;
    for (int i = 0; i < kWorkplaces; ++i) workplaces.push_back(workplace_name(i));
    const std::vector<const pulse::Question*> questions = bank.active_questions();

    sqlite3_stmt* insert = nullptr;
    ok = ok && sqlite3_prepare_v2(db, "INSERT INTO answers(id, workplace, question, value, hour) "
                                      "VALUES(?1, ?2, ?3, ?4, ?5)", -1, &insert, nullptr) == SQLITE_OK;
    ok = ok && exec(db, "BEGIN");
    for (std::size_t i = 0; ok && i < answers; ++i) {
        char id[37];
        const auto [hi, lo] = ids[i];
        std::snprintf(id, sizeof id, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                      static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
                      static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
        const std::string& workplace = workplaces[static_cast<std::size_t>(workplace_of(rng))];
        const pulse::UnixSeconds hour = starts[rng() % kWeeks] + day_of(rng) * 86400 +
                                        static_cast<pulse::UnixSeconds>(7 + rng() % 10) * 3600;
        const std::string& question = questions[rng() % questions.size()]->id;
        const int value = value_of(rng);
        sqlite3_bind_text(insert, 1, id, 36, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, workplace.data(), static_cast<int>(workplace.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, question.data(), static_cast<int>(question.size()), SQLITE_STATIC);
        if (value == 0) sqlite3_bind_null(insert, 4); else sqlite3_bind_int(insert, 4, value);
        sqlite3_bind_int64(insert, 5, hour);
        ok = sqlite3_step(insert) == SQLITE_DONE;
        sqlite3_reset(insert);
        if (ok && (i + 1) % kRowsPerTransaction == 0) {
            ok = exec(db, "COMMIT; BEGIN");
            std::fprintf(stderr, "bench_summary: %zu of %zu rows\n", i + 1, answers);
        }
    }
    ok = ok && exec(db, "COMMIT");
    if (!ok) std::fprintf(stderr, "bench_summary: generating %s: %s\n", file.c_str(), sqlite3_errmsg(db));
    sqlite3_finalize(insert);
    ids.clear();
    ids.shrink_to_fit();
    for (const std::string& sql : index_sql) ok = ok && exec(db, sql);
    ok = ok && exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close(db);
    return ok;
}

// Drops file's pages from the OS page cache (after writing back any dirty
// ones), so the next read comes from the disk.
void drop_from_os_cache(const fs::path& file) {
    for (const char* s : {"", "-wal"}) {
        const int fd = ::open((file.string() + s).c_str(), O_RDONLY);
        if (fd < 0) continue;
        fdatasync(fd);
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

// Reads the whole file once, so its pages are in the OS cache.
void load_into_os_cache(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    }
}

// One query's timings, in ms.
struct Timing {
    double counts = 0, build = 0, json = 0, html = 0;
    std::int64_t answers_read = 0;  // sum of the counts: answers in the five weeks
};

// The summary path for (workplace, week): counts of that week and the four
// before it, the summary (anonymity applied), JSON, and HTML separately.
Timing summarise(pulse::CollectorStore& store, const pulse::QuestionBank& bank, const pulse::SummaryTexts& texts,
                 const std::string& workplace, pulse::IsoWeek week) {
    Timing t;
    Clock::time_point start = Clock::now();
    const std::vector<pulse::AnswerCount> counts = store.counts(workplace, week, 4);
    t.counts = ms_since(start);
    start = Clock::now();
    const pulse::Summary summary = pulse::build_summary(workplace, week, bank, counts, kMinAnswers, "da");
    t.build = ms_since(start);
    start = Clock::now();
    const std::string json = pulse::summary_json(summary);
    t.json = ms_since(start);
    start = Clock::now();
    const std::string html = pulse::summary_html(summary, texts);
    t.html = ms_since(start);
    for (const pulse::AnswerCount& c : counts) t.answers_read += c.n;
    if (json.empty() || html.empty()) {
        std::fprintf(stderr, "bench_summary: empty summary for %s %s\n", workplace.c_str(), week.str().c_str());
        std::exit(1);
    }
    return t;
}

// The collector's config for publication and the week pages, written to
// dir/bench-collector.toml and loaded as pulse-collector loads it: database,
// bank (its summary texts beside it), kMinAnswers, every workplace ("wp-007"
// named "Arbejdsplads 007"), one manager (kManagerEmail) of all of them, and
// [web] at http://127.0.0.1:port signing in through kTrustedHeader from
// 127.0.0.1, without e-mail. nullopt (the errors on stderr) if it does not load.
std::optional<pulse::CollectorConfig> write_collector_config(const fs::path& dir, const fs::path& questions,
                                                             const fs::path& database, int port) {
    const fs::path file = dir / "bench-collector.toml";
    std::ofstream out(file);
    out << "[server]\nlisten = \"127.0.0.1\"\nport = " << port << "\n"
        << "[storage]\ndatabase = \"" << fs::absolute(database).string() << "\"\n"
        << "[anonymity]\nmin_answers = " << kMinAnswers << "\n"
        << "[bank]\nquestions = [\"" << fs::absolute(questions).string() << "\"]\n"
        << "[web]\nbase_url = \"http://127.0.0.1:" << port << "\"\nsecure_cookies = false\n"
        << "trusted_header = \"" << kTrustedHeader << "\"\ntrusted_proxies = [\"127.0.0.1\"]\n";
    std::string all;
    for (int w = 0; w < kWorkplaces; ++w) {
        const std::string id = workplace_name(w);
        out << "[[workplace]]\nid = \"" << id << "\"\nname = \"Arbejdsplads " << id.substr(3) << "\"\n";
        all += (w ? ", \"" : "\"") + id + "\"";
    }
    out << "[[manager]]\nname = \"Bench manager\"\nemail = \"" << kManagerEmail << "\"\nworkplaces = [" << all << "]\n";
    out.close();
    pulse::CollectorConfigLoad load = pulse::load_collector_config(file);
    for (const pulse::Diagnostic& d : load.errors) std::fprintf(stderr, "bench_summary: %s\n", d.str().c_str());
    return load.config;
}

// A week's page as routes.cpp's get_week makes it, without HTTP: the sealed
// summary at now (published_summary) and its browser HTML under the site
// header of session_id's manager and the week's actions. "" when the week
// has no published summary for workplace.
std::string week_page_in_process(pulse::CollectorStore& store, const pulse::CollectorConfig& config,
                                 const std::string& session_id, const std::string& workplace, pulse::IsoWeek week,
                                 pulse::UnixSeconds now) {
    const pulse::PublishedSummary p = pulse::published_summary(store, config, workplace, week, "da", now);
    if (p.status != pulse::PublishedSummary::Status::ok) return "";
    pulse::PageFrame frame;
    frame.other_language_href = "/workplaces/" + workplace + "/" + week.str() + "?lang=en";
    frame.signed_in_email = kManagerEmail;
    frame.csrf = pulse::csrf_token(session_id);
    pulse::HtmlChrome chrome;
    chrome.header_html = pulse::site_header_html(config.summary_texts, frame) + "<div class=\"actions-bar\">" +
                         pulse::week_actions_html(config.summary_texts, "da", workplace, week) + "</div>\n";
    // The manager may write the week's response (issue 15): its form, empty, with no audit list yet.
    pulse::ResponseForm form;
    form.editable = pulse::response_editable(config, week, now);
    form.action = "/workplaces/" + workplace + "/" + week.str() + "/response#response-form";
    form.csrf = frame.csrf;
    chrome.tail_html = pulse::response_form_html(config.summary_texts, "da", form);
    return pulse::summary_html(p.summary, config.summary_texts, pulse::HtmlFor::browser, chrome);
}

// A page as a signed-in manager's browser asks for it: GET path on client's
// kept-alive connection with headers (the trusted header, the session
// cookie, Accept-Encoding). The response if it is a 200 HTML page, else
// nullopt (the reason on stderr).
std::optional<httplib::Response> get_page(httplib::Client& client, const httplib::Headers& headers,
                                          const std::string& path) {
    const httplib::Result r = client.Get(path.c_str(), headers);
    if (r && r->status == 200 && r->get_header_value("Content-Type").starts_with("text/html")) return *r;
    std::fprintf(stderr, "bench_summary: GET %s: %s\n", path.c_str(),
                 r ? (std::to_string(r->status) + " " + r->body.substr(0, 200)).c_str()
                   : httplib::to_string(r.error()).c_str());
    return std::nullopt;
}

// The Accept-Encoding the week pages are asked with, each in a pass of its
// own: a browser's first, gzip only, and none. The collector answers each
// uncompressed (collector/web/routes.cpp: cpp-httplib's own brotli took
// ~100 ms a page; nginx compresses instead), which the passes check.
struct PageEncoding {
    const char* label;     // the output line's label
    const char* accept;    // Accept-Encoding sent
    const char* expected;  // Content-Encoding the collector must answer with ("" = none)
};
constexpr PageEncoding kPageEncodings[] = {{"week_page_http", "gzip, deflate, br", ""},
                                           {"week_page_http_gzip", "gzip, deflate", ""},
                                           {"week_page_http_identity", "identity", ""}};
constexpr std::size_t kPageEncodingCount = std::size(kPageEncodings);

// The week pages' timings, in ms, and sizes, in bytes.
struct WeekPageTimes {
    double first_ms = 0;                                   // the sign-in request
    std::vector<double> http_ms[kPageEncodingCount];       // per kPageEncodings
    std::vector<double> wire_bytes[kPageEncodingCount];    // the body as sent
    std::vector<double> in_process_ms, page_bytes;
};

// The real CollectorServer with [web] on 127.0.0.1:port over store, its
// clock fixed at now. One client signs in through the trusted header with
// the first workplace's list of weeks, as a browser asks (timed alone: it
// starts a session and seals whatever is due), then, for each of
// kPageEncodings, asks for the week page of every (workplace, week) of pages
// (not empty) with the header and the session cookie on the same kept-alive
// connection, without decompressing.
// Then the same pages in-process (week_page_in_process), each checked to be
// byte for byte the body sent without compression. False on any error.
bool time_week_pages(pulse::CollectorStore& store, const pulse::CollectorConfig& config, int port,
                     pulse::UnixSeconds now, const std::vector<std::pair<std::string, pulse::IsoWeek>>& pages,
                     WeekPageTimes* out) {
    std::string error;
    pulse::CollectorServer server(config, store, [now] { return now; }, [](const std::string& line) {
        std::fprintf(stderr, "bench_summary: collector: %s\n", line.c_str());
    });
    if (!server.start("127.0.0.1", port, &error)) {
        return std::fprintf(stderr, "bench_summary: %s\n", error.c_str()), false;
    }
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // as browsers do
    client.set_decompress(false);  // the body as it came over the wire
    client.set_read_timeout(30, 0);

    Clock::time_point start = Clock::now();
    const std::optional<httplib::Response> first =
        get_page(client, {{kTrustedHeader, kManagerEmail}, {"Accept-Encoding", kPageEncodings[0].accept}},
                 "/workplaces/" + pages.front().first);
    out->first_ms = ms_since(start);
    if (!first) return false;
    std::string session_id;
    for (auto [it, end] = first->headers.equal_range("Set-Cookie"); it != end; ++it) {
        if (it->second.starts_with("pulse-session=")) session_id = it->second.substr(14, it->second.find(';') - 14);
    }
    if (session_id.empty()) {
        return std::fprintf(stderr, "bench_summary: the first page set no pulse-session cookie\n"), false;
    }

    std::vector<std::string> bodies;  // of the pass without compression
    for (std::size_t e = 0; e < kPageEncodingCount; ++e) {
        const httplib::Headers headers = {{kTrustedHeader, kManagerEmail},
                                          {"Cookie", "pulse-session=" + session_id},
                                          {"Accept-Encoding", kPageEncodings[e].accept}};
        for (const auto& [workplace, week] : pages) {
            start = Clock::now();
            const std::optional<httplib::Response> r =
                get_page(client, headers, "/workplaces/" + workplace + "/" + week.str());
            out->http_ms[e].push_back(ms_since(start));
            if (!r) return false;
            if (r->has_header("Set-Cookie") || r->get_header_value("Content-Encoding") != kPageEncodings[e].expected) {
                return std::fprintf(stderr, "bench_summary: %s: a new session or not Content-Encoding \"%s\"\n",
                                    kPageEncodings[e].label, kPageEncodings[e].expected), false;
            }
            out->wire_bytes[e].push_back(static_cast<double>(r->body.size()));
            if (*kPageEncodings[e].expected == '\0') bodies.push_back(r->body);
        }
    }
    client.stop();
    server.stop();

    for (std::size_t i = 0; i < pages.size(); ++i) {
        start = Clock::now();
        const std::string page = week_page_in_process(store, config, session_id, pages[i].first, pages[i].second, now);
        out->in_process_ms.push_back(ms_since(start));
        if (page != bodies.at(i)) {
            return std::fprintf(stderr, "bench_summary: %s %s: the in-process page differs from the HTTP body\n",
                                pages[i].first.c_str(), pages[i].second.str().c_str()), false;
        }
        out->page_bytes.push_back(static_cast<double>(page.size()));
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 3 || argc > 6) {
        std::fprintf(stderr, "usage: %s QUESTIONS_TOML CACHE_DIR [ANSWERS] [QUERIES] [PAGES]\n", argv[0]);
        return 2;
    }
    const fs::path dir = argv[2];
    const std::size_t answers = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 10000000;
    const std::size_t queries = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 300;
    const std::size_t pages = argc > 5 ? std::strtoul(argv[5], nullptr, 10) : 200;
    if (pages == 0) return std::fprintf(stderr, "bench_summary: PAGES must be positive\n"), 2;
    BankLoad load = load_question_bank(argv[1]);
    if (!load.bank) {
        for (const Diagnostic& d : load.errors) std::fprintf(stderr, "bench_summary: %s\n", d.str().c_str());
        return 1;
    }
    const QuestionBank& bank = *load.bank;
    SummaryTextsLoad texts_load = load_summary_texts(fs::path(argv[1]).parent_path() / kSummaryTextsFileName);
    if (!texts_load.texts) {
        for (const Diagnostic& d : texts_load.errors) std::fprintf(stderr, "bench_summary: %s\n", d.str().c_str());
        return 1;
    }
    const SummaryTexts& texts = *texts_load.texts;
    fs::create_directories(dir);

    // 1. The database: reused when the same parameters made it and its
    // schema is what open_collector_store creates today.
    std::ostringstream name;
    name << "summary-" << answers << "-" << kWorkplaces << "x" << kWeeks << "-" << kLastWeek.str() << "-" << kSeed
         << "-" << bank.version;
    const fs::path db = dir / (name.str() + ".sqlite3");
    const std::string schema = current_schema(dir);
    if (schema.empty()) return 1;
    bool cached = fs::exists(db) && schema_of(db) == schema;
    double generate_s = 0;
    if (!cached) {
        std::fprintf(stderr, "bench_summary: generating %s (%zu answers; takes minutes)\n", db.c_str(), answers);
        const Clock::time_point start = Clock::now();
        const fs::path partial = dir / (name.str() + ".partial");
        if (!generate(partial, answers, bank)) return 1;
        for (const char* s : {"-wal", "-shm"}) fs::remove(partial.string() + s);
        fs::rename(partial, db);
        generate_s = ms_since(start) / 1000;
        if (schema_of(db) != schema) {
            std::fprintf(stderr, "bench_summary: the generated schema differs from the store's\n");
            return 1;
        }
    }
    std::printf("summary_db answers=%zu workplaces=%d weeks=%d cached=%s generate_s=%.1f file_mib=%.0f\n", answers,
                kWorkplaces, kWeeks, cached ? "yes" : "no", generate_s,
                static_cast<double>(fs::file_size(db)) / 1048576.0);
    std::fflush(stdout);

    // 2. The workplace-weeks asked, all different: each has four weeks of
    // data before it (for change and trend).
    Rng rng(7);
    const std::vector<UnixSeconds> starts = week_starts();
    std::set<std::pair<int, int>> seen;
    std::vector<std::pair<std::string, IsoWeek>> asked;
    const std::size_t wanted = std::min<std::size_t>(queries + 2 * kColdRuns, kWorkplaces * (kWeeks - 4));
    while (asked.size() < wanted) {
        const int w = static_cast<int>(rng() % kWorkplaces);
        const int k = static_cast<int>(rng() % (kWeeks - 4));
        if (!seen.insert({w, k}).second) continue;
        asked.emplace_back(workplace_name(w), copenhagen_iso_week(starts[static_cast<std::size_t>(k)]));
    }
    std::size_t next = 0;
    std::string error;

    // 3. Cold: the file's pages dropped from the OS cache, the store opened,
    // its first summary. Then first-after-open with the file in the OS cache.
    std::vector<double> cold_ms, first_ms, open_ms;
    for (int i = 0; i < kColdRuns; ++i, ++next) {
        drop_from_os_cache(db);
        const Clock::time_point start = Clock::now();
        std::unique_ptr<CollectorStore> store = open_collector_store(db.string(), &error);
        if (!store) return std::fprintf(stderr, "bench_summary: %s\n", error.c_str()), 1;
        open_ms.push_back(ms_since(start));
        const Timing t = summarise(*store, bank, texts, asked[next].first, asked[next].second);
        cold_ms.push_back(t.counts + t.build + t.json);
    }
    const Clock::time_point load_start = Clock::now();
    load_into_os_cache(db);
    std::fprintf(stderr, "bench_summary: file read into the OS cache in %.1f s\n", ms_since(load_start) / 1000);
    for (int i = 0; i < kColdRuns; ++i, ++next) {
        std::unique_ptr<CollectorStore> store = open_collector_store(db.string(), &error);
        if (!store) return std::fprintf(stderr, "bench_summary: %s\n", error.c_str()), 1;
        const Timing t = summarise(*store, bank, texts, asked[next].first, asked[next].second);
        first_ms.push_back(t.counts + t.build + t.json);
    }

    // 4. Warm: one open store, the file in the OS cache, every query a
    // workplace-week not asked before.
    std::unique_ptr<CollectorStore> store = open_collector_store(db.string(), &error);
    if (!store) return std::fprintf(stderr, "bench_summary: %s\n", error.c_str()), 1;
    std::vector<double> counts_ms, json_ms, html_ms, read;
    for (; next < asked.size(); ++next) {
        const Timing t = summarise(*store, bank, texts, asked[next].first, asked[next].second);
        counts_ms.push_back(t.counts);
        json_ms.push_back(t.counts + t.build + t.json);
        html_ms.push_back(t.counts + t.build + t.html);
        read.push_back(static_cast<double>(t.answers_read));
    }
    // 5. Publication: weeks sealed one at a time for every workplace, as the
    // collector does at each Monday's publication moment, then the sealed
    // summaries read as the routes read them. Any seals and web sessions of
    // an earlier run are removed first and last, so the cached file stays as
    // generated. The config is the collector's, as its file gives it.
    const int port = testing::free_loopback_port(&error);
    if (port < 0) return std::fprintf(stderr, "bench_summary: %s\n", error.c_str()), 1;
    const std::optional<CollectorConfig> loaded = write_collector_config(dir, argv[1], db, port);
    if (!loaded) return 1;
    const CollectorConfig& config = *loaded;
    const auto forget_seals = [&] {
        sqlite3* raw = nullptr;
        const bool ok = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
                        exec(raw, "DELETE FROM sealed_weeks; DELETE FROM publications; DELETE FROM web_sessions; "
                                  "DELETE FROM signin_links; PRAGMA wal_checkpoint(TRUNCATE)");
        sqlite3_close(raw);
        return ok;
    };
    if (!forget_seals()) return 1;
    std::vector<IsoWeek> sealed_weeks_list;
    for (IsoWeek w = kLastWeek; sealed_weeks_list.size() < kSealedWeeks; w = previous_week(w)) {
        sealed_weeks_list.insert(sealed_weeks_list.begin(), w);
    }
    std::vector<double> seal_ms;
    int first_seals = 0;
    for (std::size_t k = 0; k < sealed_weeks_list.size(); ++k) {
        int made = 0;
        const Clock::time_point start = Clock::now();
        if (!seal_published_weeks(*store, config, publication_moment(config, sealed_weeks_list[k]), &error, &made)) {
            return std::fprintf(stderr, "bench_summary: sealing: %s\n", error.c_str()), 1;
        }
        const double ms = ms_since(start);
        if (k == 0) first_seals = made;  // a new database seals the trend's weeks too
        else if (made == 1) seal_ms.push_back(ms);
    }
    std::vector<double> sealed_json_ms, sealed_html_ms;
    const UnixSeconds after = publication_moment(config, kLastWeek);
    for (std::size_t q = 0; q < queries; ++q) {
        const std::string workplace = workplace_name(static_cast<int>(rng() % kWorkplaces));
        const IsoWeek week = sealed_weeks_list[rng() % sealed_weeks_list.size()];
        Clock::time_point start = Clock::now();
        const PublishedSummary p = published_summary(*store, config, workplace, week, "da", after);
        if (p.status != PublishedSummary::Status::ok) {
            return std::fprintf(stderr, "bench_summary: sealed read: %s\n", p.message.c_str()), 1;
        }
        const double read_ms = ms_since(start);
        start = Clock::now();
        const std::string json = summary_json(p.summary);
        sealed_json_ms.push_back(read_ms + ms_since(start));
        start = Clock::now();
        const std::string html = summary_html(p.summary, texts);
        sealed_html_ms.push_back(read_ms + ms_since(start));
        if (json.empty() || html.empty()) return 1;
    }

    // 6. The week page, as a signed-in manager's browser gets it, for
    // different workplace-weeks among the sealed ones; the collector's clock
    // an hour after the last week's publication.
    std::set<std::pair<std::string, IsoWeek>> page_seen;
    std::vector<std::pair<std::string, IsoWeek>> page_asked;
    while (page_asked.size() < std::min<std::size_t>(pages, kWorkplaces * kSealedWeeks)) {
        std::pair<std::string, IsoWeek> p{workplace_name(static_cast<int>(rng() % kWorkplaces)),
                                          sealed_weeks_list[rng() % sealed_weeks_list.size()]};
        if (page_seen.insert(p).second) page_asked.push_back(std::move(p));
    }
    WeekPageTimes week_pages;
    if (!time_week_pages(*store, config, port, after + kPagesAfterPublication_s, page_asked, &week_pages)) return 1;
    store.reset();
    if (!forget_seals()) return 1;
    fs::remove(dir / "bench-collector.toml");

    bench::print_summary("summary_cold", cold_ms);
    bench::print_summary("summary_open_cold", open_ms);
    bench::print_summary("summary_first", first_ms);
    bench::print_summary("summary_counts", counts_ms);
    bench::print_summary("summary_json", json_ms);
    bench::print_summary("summary_html", html_ms);
    std::printf("summary_scanned answers_p50=%.0f answers_max=%.0f (five weeks of one workplace)\n",
                bench::quantile(read, 0.5), bench::quantile(read, 1.0));
    std::printf("seal_first weeks=%d (a new database: the latest and the trend's weeks)\n", first_seals);
    bench::print_summary("seal_week", seal_ms);
    bench::print_summary("sealed_json", sealed_json_ms);
    bench::print_summary("sealed_html", sealed_html_ms);
    std::printf("week_page_first ms=%.3f (a workplace's weeks, signing in through %s: starts a session, seals "
                "what is due)\n", week_pages.first_ms, kTrustedHeader);
    for (std::size_t e = 0; e < kPageEncodingCount; ++e) {
        bench::print_summary(kPageEncodings[e].label, week_pages.http_ms[e]);
    }
    bench::print_summary("week_page_in_process", week_pages.in_process_ms);
    std::printf("week_page_bytes page_p50=%.0f sent_to_browser_p50=%.0f sent_for_gzip_p50=%.0f\n",
                bench::quantile(week_pages.page_bytes, 0.5), bench::quantile(week_pages.wire_bytes[0], 0.5),
                bench::quantile(week_pages.wire_bytes[1], 0.5));
    return 0;
}
