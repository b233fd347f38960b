// soak_driver.cpp — the terminals of scripts/soak: four (or however many the
// terminals file lists) simulated kiosks, each with its own SQLite answer
// store, the kiosk's thread writer, and the kiosk's Uploader with its libcurl
// HttpClient, uploading over TLS to the collector behind nginx while
// scripts/soak restarts the database and kills the collector. Writes what
// the script checks afterwards: every answer written, every request's
// timing and outcome.
//   bench_soak_driver QUESTIONS TERMINALS ENDPOINT CA_FILE DIR WRITE_S [ANSWERS_PER_S] [DRAIN_S]
// QUESTIONS: the question bank (config/questions.toml); TERMINALS: one line
// "id workplace token" per terminal; ENDPOINT: "https://127.0.0.1:PORT";
// CA_FILE: the certificate nginx presents; DIR: a folder for the stores and
// the output; WRITE_S: seconds of answering; ANSWERS_PER_S: per terminal
// (default 2); DRAIN_S: how long the uploads may take to finish after the
// answering stops (default 300).
// Output in DIR: answers.tsv (id, workplace, question, value or \N, lang,
// hour: PostgreSQL COPY text), requests.tsv (terminal, start_ms, end_ms
// (Unix ms), latency_ms, HTTP status or 0, curl error or 0), uploader.log;
// on stdout "soak_written …", "soak_drain …", "soak_requests …" lines
// (key=value, as bench_stats.hpp). Exits 1 if the answers could not all be
// written and uploaded within DRAIN_S, or any batch was refused for good.
#include "bench_stats.hpp"
#include "common/question_bank.hpp"
#include "terminal/answer_writer.hpp"
#include "terminal/uploader.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace pulse;
using SteadyClock = std::chrono::steady_clock;

// How long an uploader with nothing due waits before looking again, drawn
// uniformly between these: each terminal uploads about once a second while
// answers come in. Not a fixed 1 s: the gaps between requests on one of
// nginx's upstream connections would then sit right at the collector's 1 s
// keep-alive timeout, and the race between its close and nginx's next
// request (a 502) would be far more common than any real traffic makes it.
constexpr int kIdleLookMin_ms = 500;
constexpr int kIdleLookMax_ms = 1500;

// One simulated terminal as the terminals file names it.
struct TerminalSpec {
    std::string id, workplace, token;
};

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The terminals file: "id workplace token" per line (blank lines skipped).
// Empty (after printing the line at fault) when a line is not of that form.
std::vector<TerminalSpec> read_terminals(const std::string& file) {
    std::ifstream in(file);
    std::vector<TerminalSpec> terminals;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::istringstream words(line);
        TerminalSpec t;
        std::string extra;
        if (!(words >> t.id >> t.workplace >> t.token) || (words >> extra)) {
            std::fprintf(stderr, "soak_driver: %s:%d: expected \"id workplace token\"\n", file.c_str(), n);
            return {};
        }
        terminals.push_back(t);
    }
    if (terminals.empty()) std::fprintf(stderr, "soak_driver: %s: no terminals\n", file.c_str());
    return terminals;
}

// A file that several threads append lines to; each line is flushed, so
// what was written survives a crash of the driver.
class LineFile {
public:
    // Creates or truncates path; ok() is false (and the reason printed) on failure.
    explicit LineFile(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "w")) {
        if (!file_) std::perror(path.c_str());
    }
    ~LineFile() {
        if (file_) std::fclose(file_);
    }
    LineFile(const LineFile&) = delete;
    LineFile& operator=(const LineFile&) = delete;
    bool ok() const { return file_ != nullptr; }
    void write(const std::string& line) {
        std::lock_guard lock(mutex_);
        std::fputs(line.c_str(), file_);
        std::fputc('\n', file_);
        std::fflush(file_);
    }

private:
    std::mutex mutex_;
    std::FILE* file_;
};

// Counts of what the requests gave, over all terminals.
struct RequestTotals {
    std::atomic<long> sent{0}, ok{0}, failed{0};
};

// The kiosk's HttpClient with a stopwatch: every POST's start, end, latency
// and outcome go to requests.tsv as one line.
class TimedHttpClient : public HttpClient {
public:
    TimedHttpClient(std::unique_ptr<HttpClient> inner, std::string terminal, LineFile& out, RequestTotals& totals)
        : inner_(std::move(inner)), terminal_(std::move(terminal)), out_(out), totals_(totals) {}

    HttpResponse post(const HttpRequest& request) override {
        const std::int64_t start_ms = unix_ms();
        const SteadyClock::time_point start = SteadyClock::now();
        HttpResponse response = inner_->post(request);
        const double latency_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
        const bool ok = !response.transport_failed() && response.status / 100 == 2;
        ++totals_.sent;
        ++(ok ? totals_.ok : totals_.failed);
        char line[200];
        std::snprintf(line, sizeof line, "%s\t%lld\t%lld\t%.3f\t%d\t%d", terminal_.c_str(),
                      static_cast<long long>(start_ms), static_cast<long long>(unix_ms()), latency_ms,
                      response.status, response.transport_error);
        out_.write(line);
        return response;
    }

private:
    std::unique_ptr<HttpClient> inner_;
    std::string terminal_;
    LineFile& out_;
    RequestTotals& totals_;
};

// What the driver's threads share.
struct Shared {
    std::string endpoint, ca_file, bank_version;
    std::filesystem::path dir;
    LineFile* requests = nullptr;
    LineFile* log = nullptr;
    RequestTotals totals;
    std::atomic<bool> writing_done{false};  // every answer is durable in its store; none will come
    std::atomic<bool> give_up{false};       // the drain ran out of time: stop, abandon a request in flight
};

// One terminal's uploads on its own thread and SQLite connection, like the
// kiosk's UploaderThread, with two differences so that uploads flow all
// through the run (docs/performance.md, "Soak"):
//  - after_hour_s = 0 (as `pulse-kiosk sync`): every ended hour is due.
//  - When the uploader has nothing due it would sleep until the next hour;
//    instead, after kIdleLookMin_ms..kIdleLookMax_ms, a fresh Uploader (as
//    after a kiosk restart) looks again, so new answers go within a second or so.
// A failure keeps the same Uploader and waits for its next attempt in real
// time: its own backoff and the collector's Retry-After, as in the kiosk.
// Ends when the answering is over and nothing is pending, or on give_up.
// *failure is set when the store cannot be opened.
void upload_loop(const TerminalSpec& spec, Shared& shared, bool* failure) {
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(shared.dir / (spec.id + ".sqlite3"), &status);
    if (!store) {
        std::fprintf(stderr, "soak_driver: %s: cannot open the store: %s\n", spec.id.c_str(), status.message.c_str());
        *failure = true;
        return;
    }
    CurlOptions curl;
    curl.ca_file = shared.ca_file;
    curl.cancel = &shared.give_up;
    TimedHttpClient http(make_curl_http_client(curl), spec.id, *shared.requests, shared.totals);
    UploadSettings settings;
    settings.endpoint = shared.endpoint;
    settings.token = spec.token;
    settings.terminal = spec.id;
    settings.workplace = spec.workplace;
    settings.bank_version = shared.bank_version;
    settings.after_hour_s = 0;  // batch_size, backoff, keep_uploaded_days: the kiosk's defaults
    const UploadLog log = [&shared, &spec](const std::string& line) {
        shared.log->write(std::to_string(unix_ms()) + " " + spec.id + " " + line);
    };
    const auto fresh_uploader = [&] {
        return std::make_unique<Uploader>(*store, http, settings, make_os_seeded_rng(), log);
    };
    std::unique_ptr<Uploader> uploader = fresh_uploader();
    Rng rng = make_os_seeded_rng();
    std::uniform_int_distribution<int> idle_look_ms(kIdleLookMin_ms, kIdleLookMax_ms);
    while (!shared.give_up) {
        const bool answering_over = shared.writing_done;  // read before the step: no answer comes after it
        const UnixSeconds now = system_clock_s();
        const Uploader::Step step = uploader->step(now);
        if (step.next_attempt <= now) continue;  // drain what is due at once
        if (uploader->consecutive_failures() > 0) {
            // Backing off: wait for the attempt the uploader chose, in real time.
            while (!shared.give_up && system_clock_s() < uploader->next_attempt())
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        // Nothing due: done once the answering is over and nothing is pending.
        if (answering_over && uploader->store().upload_queue().count_pending_upload() == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(idle_look_ms(rng)));
        uploader = fresh_uploader();
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7 || argc > 9) {
        std::fprintf(stderr,
                     "usage: %s QUESTIONS TERMINALS ENDPOINT CA_FILE DIR WRITE_S [ANSWERS_PER_S] [DRAIN_S]\n",
                     argv[0]);
        return 2;
    }
    // --- arguments, the bank, the terminals, the output files -------------------
    const BankLoad bank = load_question_bank(argv[1]);
    if (!bank.bank) {
        for (const Diagnostic& d : bank.errors) std::fprintf(stderr, "%s\n", d.str().c_str());
        return 1;
    }
    const std::vector<const Question*> questions = bank.bank->active_questions();
    const std::vector<TerminalSpec> terminals = read_terminals(argv[2]);
    if (terminals.empty()) return 1;
    Shared shared;
    shared.endpoint = argv[3];
    shared.ca_file = argv[4];
    shared.dir = argv[5];
    shared.bank_version = bank.bank->version;
    const double write_s = std::atof(argv[6]);
    const double answers_per_s = argc > 7 ? std::atof(argv[7]) : 2.0;
    const double drain_s = argc > 8 ? std::atof(argv[8]) : 300.0;
    if (write_s <= 0 || answers_per_s <= 0 || drain_s <= 0) {
        std::fprintf(stderr, "soak_driver: WRITE_S, ANSWERS_PER_S and DRAIN_S must be positive numbers\n");
        return 2;
    }
    LineFile answers_out(shared.dir / "answers.tsv"), requests_out(shared.dir / "requests.tsv"),
        log_out(shared.dir / "uploader.log");
    if (!answers_out.ok() || !requests_out.ok() || !log_out.ok()) return 1;
    shared.requests = &requests_out;
    shared.log = &log_out;

    // --- each terminal: the kiosk's thread writer, and an uploader thread ---------
    std::vector<std::unique_ptr<AnswerWriter>> writers;
    for (const TerminalSpec& t : terminals) {
        writers.push_back(make_thread_writer(shared.dir / (t.id + ".sqlite3"), [] {}));
    }
    std::vector<std::thread> uploaders;
    std::unique_ptr<bool[]> upload_failed(new bool[terminals.size()]());
    for (std::size_t i = 0; i < terminals.size(); ++i) {
        uploaders.emplace_back(upload_loop, std::cref(terminals[i]), std::ref(shared), &upload_failed[i]);
    }

    // --- answering: each terminal a Poisson stream of answers of past hours -----
    // Hours from the 72 before the running one: all ended, so all may go at once.
    Rng rng = make_os_seeded_rng();
    std::exponential_distribution<double> gap_s(answers_per_s);
    const SteadyClock::time_point start = SteadyClock::now();
    const SteadyClock::time_point write_end = start + std::chrono::duration_cast<SteadyClock::duration>(
                                                          std::chrono::duration<double>(write_s));
    std::vector<SteadyClock::time_point> next_answer(terminals.size(), start);
    std::vector<long> written(terminals.size(), 0);
    long write_failures = 0;  // failed writes the writers reported (each is retried)
    const auto poll_writers = [&] {
        for (std::size_t i = 0; i < terminals.size(); ++i) {
            for (const WriteEvent& e : writers[i]->poll()) {
                if (e.kind == WriteEvent::Kind::failed || e.kind == WriteEvent::Kind::moved_aside) {
                    ++write_failures;
                    std::fprintf(stderr, "soak_driver: %s: writer: %s\n", terminals[i].id.c_str(), e.message.c_str());
                }
            }
        }
    };
    bool no_ids = false;  // the kernel gave no random id: the run stops
    while (!no_ids && SteadyClock::now() < write_end) {
        const SteadyClock::time_point now = SteadyClock::now();
        for (std::size_t i = 0; i < terminals.size() && !no_ids; ++i) {
            while (next_answer[i] <= now) {
                next_answer[i] +=
                    std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(gap_s(rng)));
                std::string id_error;
                Answer a;
                a.id = random_uuid_v4(&id_error);
                if (a.id.empty()) {
                    std::fprintf(stderr, "soak_driver: no answer id: %s\n", id_error.c_str());
                    no_ids = true;
                    break;
                }
                a.question = questions[rng() % questions.size()]->id;
                const int v = static_cast<int>(rng() % 11);  // "ved ikke" about 1 in 11
                a.value = v < 10 ? std::optional<int>(1 + v / 2) : std::nullopt;
                a.lang = rng() % 7 ? "da" : "en";
                a.hour = truncate_to_hour(system_clock_s()) -
                         static_cast<UnixSeconds>(1 + rng() % 72) * kSecondsPerHour;
                answers_out.write(a.id + "\t" + terminals[i].workplace + "\t" + a.question + "\t" +
                                  (a.value ? std::to_string(*a.value) : "\\N") + "\t" + a.lang + "\t" +
                                  std::to_string(a.hour));
                writers[i]->submit(std::move(a));
                ++written[i];
            }
        }
        poll_writers();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const double answering_s = std::chrono::duration<double>(SteadyClock::now() - start).count();

    // --- every answer durable, then the uploads finish ----------------------------
    // The writers retry until an answer is durable; a store on local disk
    // needs milliseconds. Only then may the uploaders take "nothing pending"
    // as the end.
    const SteadyClock::time_point drain_start = SteadyClock::now();
    const SteadyClock::time_point drain_deadline = drain_start + std::chrono::duration_cast<SteadyClock::duration>(
                                                                     std::chrono::duration<double>(drain_s));
    bool queued = true;
    while (queued && SteadyClock::now() < drain_deadline) {
        poll_writers();
        queued = false;
        for (auto& w : writers) queued = queued || w->queued() > 0;
        if (queued) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    shared.writing_done = !queued;
    if (queued || no_ids) shared.give_up = true;
    std::thread watchdog([&] {
        while (!shared.give_up && SteadyClock::now() < drain_deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        shared.give_up = true;  // stop the uploaders (a no-op once they have ended)
    });
    for (std::thread& t : uploaders) t.join();
    const bool drained_in_time = !queued && !no_ids && SteadyClock::now() < drain_deadline;
    const double drain_took_s = std::chrono::duration<double>(SteadyClock::now() - drain_start).count();
    shared.give_up = true;
    watchdog.join();
    writers.clear();  // each writer scrubs its file and closes it

    // --- what each store says now ---------------------------------------------------
    long total_written = 0, pending = 0, set_aside = 0, uploaded = 0, stored = 0;
    bool stores_ok = true;
    for (std::size_t i = 0; i < terminals.size(); ++i) {
        total_written += written[i];
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(shared.dir / (terminals[i].id + ".sqlite3"), &status);
        if (!store || upload_failed[i]) {
            std::fprintf(stderr, "soak_driver: %s: %s\n", terminals[i].id.c_str(),
                         store ? "its uploader could not open the store (above)" : status.message.c_str());
            stores_ok = false;
            continue;
        }
        const long p = static_cast<long>(store->upload_queue().count_pending_upload());
        const long s = static_cast<long>(store->upload_queue().count_set_aside());
        const long u = static_cast<long>(store->upload_queue().count_uploaded());
        const long n = static_cast<long>(store->count_all());
        std::printf("soak_terminal id=%s written=%ld stored=%ld uploaded=%ld pending=%ld set_aside=%ld\n",
                    terminals[i].id.c_str(), written[i], n, u, p, s);
        pending += p;
        set_aside += s;
        uploaded += u;
        stored += n;
    }
    std::printf("soak_written answers=%ld terminals=%zu seconds=%.1f answers_per_s_per_terminal=%.2f "
                "write_failures=%ld\n",
                total_written, terminals.size(), answering_s, answers_per_s, write_failures);
    std::printf("soak_drain in_time=%s seconds=%.1f stored_on_terminals=%ld uploaded=%ld pending=%ld set_aside=%ld\n",
                drained_in_time ? "yes" : "no", drain_took_s, stored, uploaded, pending, set_aside);
    std::printf("soak_requests n=%ld ok=%ld failed=%ld\n", shared.totals.sent.load(), shared.totals.ok.load(),
                shared.totals.failed.load());
    const bool ok = stores_ok && drained_in_time && pending == 0 && set_aside == 0 && stored == total_written &&
                    uploaded == total_written;
    if (!ok) std::fprintf(stderr, "soak_driver: not every answer was written and uploaded (see above)\n");
    return ok ? 0 : 1;
}
