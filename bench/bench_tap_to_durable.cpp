// bench_tap_to_durable.cpp — how long from the tap that ends a session until
// its answer is committed and fsync'ed: the kiosk's terminal model with the
// thread writer, on a real SQLite file, on the real clock. A session's
// answers stay in memory until it ends, so each session here is one
// statement, answered on the attract screen, with the check mark's pause
// (confirm_ms, a pause the person sees, not storage) set to 0. One sample is
// Terminal::apply(answer) up to the update() that sees the writer's durable
// event, after the writer's wake() callback (as the kiosk's loop does it).
//   bench_tap_to_durable QUESTIONS_TOML DIR [N]
// DIR must be on a real disk (not tmpfs); the database is DIR/tap.sqlite3.
// Prints "tap_to_durable n=N p50_ms=… p90_ms=… p99_ms=… max_ms=…", then, for
// information, what one scrub of the write order costs ("scrub answers=N ms=…")
// with the N answers and with a year's worth (20 000).
#include "bench_stats.hpp"

#include "terminal/answer_store.hpp"
#include "common/question_bank.hpp"
#include "terminal/terminal.hpp"

#include <sys/vfs.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

pulse::Millis monotonic_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

pulse::UnixSeconds wall_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What the writer's wake() does here: the kiosk pushes an SDL event; we
// release a waiting main thread.
class Wakeup {
public:
    void notify() {
        {
            std::lock_guard lock(mutex_);
            ++pending_;
        }
        cv_.notify_one();
    }

    // Waits until notify() was called since the last wait, or timeout. Returns false on timeout.
    bool wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, timeout, [&] { return pending_ > 0; })) return false;
        pending_ = 0;
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int pending_ = 0;  // notify() calls not yet consumed by wait()
};

// A busy terminal's year: ~25 sessions of 3 answers a working day, 250 days, rounded up.
constexpr int kYearOfAnswers = 20'000;

// Times one AnswerStore::scrub_write_order() and prints "scrub answers=N ms=…".
bool time_scrub(pulse::AnswerStore& store, int answers) {
    const Clock::time_point start = Clock::now();
    const pulse::StoreStatus status = store.scrub_write_order();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!status) {
        std::fprintf(stderr, "bench_tap_to_durable: scrub failed: %s\n", status.message.c_str());
        return false;
    }
    std::printf("scrub answers=%d ms=%.1f\n", answers, ms);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s QUESTIONS_TOML DIR [N]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path questions = argv[1], dir = argv[2];
    const int n = argc == 4 ? std::atoi(argv[3]) : 2000;
    if (n < 1) {
        std::fprintf(stderr, "bench_tap_to_durable: N must be a positive number of answers, got '%s'\n", argv[3]);
        return 2;
    }

    // A tmpfs would make fsync free and the figure meaningless.
    struct statfs fs {};
    if (statfs(dir.c_str(), &fs) != 0) {
        std::fprintf(stderr, "bench_tap_to_durable: %s: cannot stat the folder (does it exist?)\n", dir.c_str());
        return 1;
    }
    if (fs.f_type == 0x01021994 /* TMPFS_MAGIC */) {
        std::fprintf(stderr, "bench_tap_to_durable: %s is on tmpfs; give a folder on a real disk\n", dir.c_str());
        return 1;
    }

    BankLoad bank = load_question_bank(questions);
    if (!bank.bank) {
        for (const Diagnostic& d : bank.errors) std::fprintf(stderr, "%s\n", d.str().c_str());
        return 2;
    }
    const std::filesystem::path database = dir / "tap.sqlite3";

    // One statement per session, answered on attract; the check mark,
    // thanks and cooldown take no time: the bench measures storing, not screens.
    FlowSettings settings;
    settings.per_session = 1;
    settings.confirm_ms = 0;
    settings.thanks_ms = 0;
    settings.cooldown_ms = 0;
    settings.undo_ms = 0;  // no undo window: sessions back to back

    Wakeup wakeup;
    std::vector<double> samples_ms;
    samples_ms.reserve(static_cast<std::size_t>(n));
    {
        Terminal terminal(*bank.bank, settings, make_thread_writer(database, [&wakeup] { wakeup.notify(); }),
                          Rng(1), {}, monotonic_ms(), wall_s(),
                          [](const std::string& line) { std::fprintf(stderr, "terminal: %s\n", line.c_str()); });
        for (int i = 0; i < n; ++i) {
            for (int guard = 0; guard < 4 && terminal.flow().screen != Screen::attract; ++guard) {
                terminal.update(monotonic_ms(), wall_s());  // thanks and cooldown pass at once
            }
            if (terminal.flow().screen != Screen::attract || terminal.flow().current_question().empty()) {
                std::fprintf(stderr, "bench_tap_to_durable: no statement on attract (screen %s; store: %s)\n",
                             screen_name(terminal.flow().screen), terminal.last_store_error().c_str());
                return 1;
            }
            const int durable_before = terminal.answers_durable();
            const Intent answer{Intent::Action::answer, 1 + i % 5, {}};

            const Clock::time_point tap = Clock::now();
            terminal.apply(answer, monotonic_ms(), wall_s());  // with confirm_ms 0 its update ends the session
            while (terminal.answers_durable() == durable_before) {
                if (!wakeup.wait(std::chrono::seconds(5))) {
                    std::fprintf(stderr, "bench_tap_to_durable: answer %d not durable after 5 s (store: %s)\n", i + 1,
                                 terminal.last_store_error().c_str());
                    return 1;
                }
                terminal.update(monotonic_ms(), wall_s());
            }
            const Clock::time_point durable = Clock::now();
            samples_ms.push_back(std::chrono::duration<double, std::milli>(durable - tap).count());
        }
    }  // the writer's thread stops here

    // Every answer must be in the file, or the timings measured nothing.
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(database, &status);
    const std::int64_t stored = store ? store->count_all() : -1;
    if (stored != n) {
        std::fprintf(stderr, "bench_tap_to_durable: %s holds %lld answers, expected %d %s\n", database.c_str(),
                     static_cast<long long>(stored), n, status.message.c_str());
        return 1;
    }
    bench::print_summary("tap_to_durable", samples_ms);

    // Not part of the target: the writer scrubs the write order (VACUUM and a
    // WAL truncate) once nobody has answered for a while, and a tap that comes
    // during it waits for it. Its cost with n answers, and with a year's worth.
    if (!time_scrub(*store, n)) return 1;
    Rng rng(2);
    std::vector<Answer> more;
    const std::vector<const Question*> active = bank.bank->active_questions();
    for (int i = n; i < kYearOfAnswers; ++i) {
        more.push_back(Answer{uuid_v4(rng), active[static_cast<std::size_t>(i) % active.size()]->id, 1 + i % 5, "da",
                              truncate_to_hour(wall_s())});
    }
    if (!more.empty()) {
        if (StoreStatus st = store->insert(more); !st) {
            std::fprintf(stderr, "bench_tap_to_durable: %s\n", st.message.c_str());
            return 1;
        }
        if (!time_scrub(*store, kYearOfAnswers)) return 1;
    }
    return 0;
}
