// bench_drain.cpp — the upload's two targets: draining 100 000 pending
// answers to a collector on 127.0.0.1 (the test collector of
// tests/support/fault_server.hpp, answering honestly) through the real
// Uploader, libcurl and SQLite; and the uploader thread's CPU while nothing
// is pending.
//   bench_drain DIR [ANSWERS] [IDLE_S]
// Prints "drain answers=N batches=B seconds=S answers_per_s=R stored=M" and
// "upload_idle seconds=S cpu_percent=P".
#include "fault_server.hpp"
#include "terminal/uploader.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

double process_cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

pulse::UploadSettings settings_for(const std::string& url) {
    pulse::UploadSettings s;
    s.endpoint = url;
    s.token = "test-token";
    s.terminal = "bench-1";
    s.workplace = "bench";
    s.bank_version = "2026.1";
    return s;  // batch_size 500, an offset after the hour drawn at random: the defaults
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: %s DIR [ANSWERS] [IDLE_S]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const int count = argc > 2 ? std::atoi(argv[2]) : 100000;
    const int idle_s = argc > 3 ? std::atoi(argv[3]) : 10;

    testing::FaultServer server;
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "bench_drain: %s\n", error.c_str());
        return 1;
    }

    // 1. Drain.
    const std::filesystem::path db = dir / "drain.sqlite3";
    std::filesystem::remove(db);
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
    if (!store) {
        std::fprintf(stderr, "bench_drain: %s\n", status.message.c_str());
        return 1;
    }
    Rng rng(1);
    std::vector<Answer> chunk;
    for (int i = 0; i < count; ++i) {
        const int v = static_cast<int>(rng() % 6);
        chunk.push_back(Answer{uuid_v4(rng), std::to_string(1 + rng() % 4) + "." + std::to_string(1 + rng() % 6),
                               v == 0 ? std::nullopt : std::optional<int>(v), rng() % 3 ? "da" : "en",
                               1795770000 - static_cast<UnixSeconds>(1 + rng() % 500) * 3600});
        if (chunk.size() == 10000 || i + 1 == count) {
            if (!store->insert(chunk)) return 1;
            chunk.clear();
        }
    }
    std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
    Uploader uploader(*store, *http, settings_for(server.url()), Rng(2), {});
    const Clock::time_point start = Clock::now();
    int batches = 0;
    // Every answer's hour has ended and the uploader's offset after it passed:
    // the drain is not held back by the whole-hour rule.
    UnixSeconds now = 1795770000 + kAfterHourMax_s;
    while (store->upload_queue().count_pending_upload() > 0 && batches < 10 * count) {
        const Uploader::Step step = uploader.step(now);
        if (!step.success) {
            std::fprintf(stderr, "bench_drain: an upload failed; see the collector\n");
            return 1;
        }
        ++batches;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("drain answers=%d batches=%d seconds=%.3f answers_per_s=%.0f stored=%zu\n", count, batches, seconds,
                count / seconds, server.stored_count());
    store.reset();
    const std::string url = server.url();
    server.stop();  // its polling thread would count against the uploader below

    // 2. The uploader thread with nothing pending: it should sleep. (With
    // nothing pending it sends nothing, so the stopped server is not asked.)
    const std::filesystem::path idle_db = dir / "idle.sqlite3";
    std::filesystem::remove(idle_db);
    {
        UploaderThread thread(
            idle_db, [](const std::atomic<bool>* cancel) {
                CurlOptions o;
                o.cancel = cancel;
                return make_curl_http_client(o);
            },
            settings_for(url), {});
        std::this_thread::sleep_for(std::chrono::seconds(1));  // its first look at start
        const double cpu_before = process_cpu_s();
        const Clock::time_point idle_start = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(idle_s));
        const double cpu = process_cpu_s() - cpu_before;
        const double wall = std::chrono::duration<double>(Clock::now() - idle_start).count();
        std::printf("upload_idle seconds=%.1f cpu_percent=%.4f\n", wall, 100.0 * cpu / wall);
    }
    return 0;
}
