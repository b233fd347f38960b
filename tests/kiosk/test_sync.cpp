// test_sync.cpp — `pulse-kiosk sync` and the uploader thread as IT and the
// kiosk use them: exit codes, 425 Too Early, the clock offset `status` shows,
// the real binary killed with SIGKILL while it uploads (again and again), and
// the background thread's behaviour. Tests wait for events (a request at the
// server, a log line); their time bounds are safety nets for busy machines.
#include "fault_server.hpp"
#include "process.hpp"
#include "sim_env.hpp"
#include "upload_check.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_sync {

using namespace pulse;
using namespace pulse::test;
using namespace pulse::testing;

namespace {

UnixSeconds wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The running UTC hour, with at least 30 s of it left: a test whose answers
// must stay in the running hour first waits for the next hour to begin
// rather than race its end (sync and the thread read the real clock).
UnixSeconds running_hour_with_margin() {
    const UnixSeconds now = wall_now();
    const UnixSeconds left_s = truncate_to_hour(now) + kSecondsPerHour - now;
    if (left_s < 30) std::this_thread::sleep_for(std::chrono::seconds(left_s + 1));
    return truncate_to_hour(wall_now());
}

// A terminal config with [upload] pointing at endpoint.
struct UploadEnv : SimEnv {
    explicit UploadEnv(const std::string& endpoint, const std::string& upload_extra = "")
        : SimEnv("", "answers.sqlite3") {
        std::ofstream(dir / "token") << "test-token\n";
        std::filesystem::permissions(dir / "token", std::filesystem::perms::owner_read);
        std::ofstream(config, std::ios::app) << "\n[upload]\nendpoint = \"" << endpoint << "\"\n"
                                             << "token_file = \"token\"\nbatch_size = 25\nbackoff_min_s = 1\n"
                                             << "backoff_max_s = 2\n" << upload_extra;
    }

    // Stores n answers of the given UTC hour (default: two hours ago, ended); returns their ids.
    std::set<std::string> add(int n, Rng& rng, std::optional<UnixSeconds> hour = std::nullopt) {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
        REQUIRE_MESSAGE(store, status.message);
        std::vector<Answer> answers;
        std::set<std::string> ids;
        for (int i = 0; i < n; ++i) {
            answers.push_back(Answer{uuid_v4(rng), "3.2", 1 + static_cast<int>(rng() % 5), "da",
                                     hour ? *hour : truncate_to_hour(wall_now()) - 2 * kSecondsPerHour});
            ids.insert(answers.back().id);
        }
        REQUIRE(store->insert(answers));
        return ids;
    }
};

// The uploader thread's log lines, for waiting on the next one.
struct LogLines {
    std::mutex mutex;
    std::condition_variable added;
    std::vector<std::string> lines;

    UploadLog sink() {
        return [this](const std::string& line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
            added.notify_all();
        };
    }
    // The first line containing text, waiting up to 60 s for it ("" if none came).
    std::string wait_for(const std::string& text) {
        std::unique_lock lock(mutex);
        std::string found;
        added.wait_for(lock, std::chrono::seconds(60), [&] {
            for (const std::string& line : lines)
                if (line.find(text) != std::string::npos) found = line;
            return !found.empty();
        });
        return found;
    }

    // Every line so far, for failure messages.
    std::string all() {
        std::lock_guard lock(mutex);
        std::string text;
        for (const std::string& line : lines) text += line + "\n";
        return text;
    }
};

// Waits up to 60 s (a safety net) for done() to hold; returns whether it did.
template <typename Done>
bool wait_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return done();
}

// Runs pulse-kiosk with args; returns the pid (stdout and stderr to /dev/null).
pid_t spawn_kiosk(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PULSE_KIOSK_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    return spawn_process(argv, {}, "/dev/null", "/dev/null");
}

}  // namespace

TEST_CASE("sync uploads every ended hour at once, exits 0, and says how many answers wait for the running hour") {
    FaultServer server;
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(1);
    const UnixSeconds running = running_hour_with_margin();
    env.add(60, rng, running - 3 * kSecondsPerHour);
    env.add(20, rng, running - kSecondsPerHour);  // ended just now: sync does not wait for the kiosk's offset
    const std::set<std::string> waiting = env.add(4, rng, running);
    std::ostringstream out, err;
    CHECK_MESSAGE(cmd_sync(env.config, 30, out, err) == 0, err.str());
    CHECK(out.str() == "{\"pending_upload\":4,\"waiting_for_hour_end\":4,\"set_aside\":0}\n");
    CHECK_MESSAGE(err.str().find("4 answers wait for the running hour to end (" +
                                 format_iso_utc(running + kSecondsPerHour) + ")") != std::string::npos,
                  err.str());
    CHECK(server.stored_count() == 80);
    LocalUploadState local = read_upload_state(env.db);
    CHECK(local.pending == waiting);  // exactly the running hour's, none of them on the server
    for (const std::string& id : waiting) CHECK(server.stored().count(id) == 0);
    local.pending.clear();  // checked above; the rest is on the server exactly once
    check_exactly_once(server, local);

    std::ostringstream status_out;
    REQUIRE(cmd_status(env.config, wall_now(), status_out, err) == 0);
    const nlohmann::json status = nlohmann::json::parse(status_out.str());
    CHECK(status["upload"] == "online");
    CHECK(status["pending_upload"] == 4);
    CHECK(status["waiting_for_hour_end"] == 4);
    CHECK(status["set_aside"] == 0);
    CHECK(status["last_upload_ok"].is_string());
    CHECK(status["last_error"].is_null());
    CHECK(status["next_attempt"] == format_iso_utc(running + kSecondsPerHour));
    CHECK(status["clock_offset_s"].is_null());  // this collector sent no Date
}

TEST_CASE("sync with nothing of an ended hour pending sends nothing and exits 0") {
    FaultServer server;
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(5);
    env.add(2, rng, running_hour_with_margin());
    std::ostringstream out, err;
    CHECK_MESSAGE(cmd_sync(env.config, 5, out, err) == 0, err.str());
    CHECK(out.str() == "{\"pending_upload\":2,\"waiting_for_hour_end\":2,\"set_aside\":0}\n");
    CHECK(err.str().find("2 answers wait for the running hour to end") != std::string::npos);
    CHECK(server.request_count() == 0);
}

TEST_CASE("sync against a server that is down exits 1 with the reason, and keeps every answer") {
    FaultServer server;
    REQUIRE(server.start());
    const std::string url = server.url();
    server.stop();  // nothing listens there any more
    UploadEnv env(url);
    Rng rng(2);
    env.add(5, rng);
    std::ostringstream out, err;
    CHECK(cmd_sync(env.config, 3, out, err) == 1);
    CHECK(err.str().find("5 answers of ended hours still pending") != std::string::npos);
    CHECK(err.str().find("transport error") != std::string::npos);
    CHECK(read_upload_state(env.db).pending.size() == 5);
    std::ostringstream status_out;
    cmd_status(env.config, wall_now(), status_out, err);
    const nlohmann::json status = nlohmann::json::parse(status_out.str());
    CHECK(status["pending_upload"] == 5);
    CHECK(status["waiting_for_hour_end"] == 0);
    CHECK(status["last_error"].get<std::string>().find("transport error") == std::string::npos);  // the reason...
    CHECK_FALSE(status["last_error"].get<std::string>().empty());  // ...is there, in words
}

TEST_CASE("sync on an offline terminal says there is nowhere to sync to and exits 1") {
    SimEnv env;
    std::ostringstream out, err;
    CHECK(cmd_sync(env.config, 5, out, err) == 1);
    CHECK(err.str().find("no [upload] section") != std::string::npos);
}

TEST_CASE("the kiosk killed with SIGKILL while it uploads, again and again, loses and doubles nothing") {
    FaultServer server;
    REQUIRE(server.start());
    server.set_random(7, {{Fault::ok, 6}, {Fault::ack_lost, 2}, {Fault::status_500, 1}, {Fault::reset_before_response, 1}});
    UploadEnv env(server.url());
    Rng rng(3);
    env.add(400, rng);
    std::mt19937 timing(11);
    int killed_mid_run = 0;
    for (int round = 0; round < 25; ++round) {
        // Each round has at least two batches to send (40 answers, 25 a
        // batch). Killed once its first or second request of the round has
        // reached the server, give or take a few milliseconds: while it waits
        // for the acknowledgement, or marks the batch uploaded, or forms the
        // next. Waiting for the request, not a fixed time, keeps that so on
        // a busy machine, where starting the process alone may take longer.
        const std::size_t requests_before = server.request_count();
        const std::size_t nth = 1 + timing() % 2;
        const pid_t pid = spawn_kiosk({"sync", "--config", env.config.string(), "--timeout", "60"});
        int status = 0;
        bool exited = false;
        wait_until([&] {
            exited = exited || waitpid(pid, &status, WNOHANG) == pid;
            return exited || server.request_count() >= requests_before + nth;
        });
        if (!exited) {
            std::this_thread::sleep_for(std::chrono::microseconds(timing() % 5000));
            kill(pid, SIGKILL);
            if (wait_exit(pid) == -SIGKILL) ++killed_mid_run;  // it had not finished by itself
        }
        env.add(40, rng);  // the kiosk goes on storing answers between the crashes
    }
    MESSAGE("killed mid-run: ", killed_mid_run, " of 25");
    CHECK(killed_mid_run >= 15);
    server.clear_schedule();
    const pid_t last = spawn_kiosk({"sync", "--config", env.config.string(), "--timeout", "60"});
    CHECK(wait_exit(last) == 0);
    const LocalUploadState local = read_upload_state(env.db);
    MESSAGE("requests: ", server.request_count(), ", acknowledgements lost: ", server.fault_count(Fault::ack_lost));
    CHECK(local.uploaded.size() == 400 + 25 * 40);
    CHECK(server.stored_count() == 400 + 25 * 40);
    check_exactly_once(server, local);
}

TEST_CASE("the uploader thread uploads the ended hours at start, leaves a full batch of the running hour, and stops at once") {
    FaultServer server;
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(4);
    const UnixSeconds running = running_hour_with_margin();
    env.add(3, rng, running - 2 * kSecondsPerHour);
    env.add(25, rng, running);  // a full batch (batch_size = 25), but of the running hour
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
    REQUIRE(cfg);
    const auto start_thread = [&](LogLines& log) {
        return std::make_unique<UploaderThread>(
            cfg->config.database,
            [&](const std::atomic<bool>* cancel) { return make_curl_http_client(curl_options_for(cfg->config, cancel)); },
            upload_settings_for(*cfg), log.sink());
    };
    LogLines log;
    auto uploader = start_thread(log);
    const std::string line = log.wait_for("next attempt ");
    REQUIRE_MESSAGE(!line.empty(), "no upload logged within 10 s");
    CHECK(line.find("HTTP 200") != std::string::npos);
    CHECK(server.stored_count() == 3);  // right after start: the ended hour
    CHECK(server.request_count() == 1);
    CHECK(read_upload_state(env.db).pending.size() == 25);  // the running hour's wait for its end
    // ... and the thread sleeps until a few minutes after it.
    const std::optional<UnixSeconds> next = parse_iso8601(line.substr(line.find("next attempt ") + 13, 20));
    REQUIRE(next);
    CHECK(*next >= running + kSecondsPerHour + kAfterHourMin_s);
    CHECK(*next <= running + kSecondsPerHour + kAfterHourMax_s);

    // Stopping waits neither for the next attempt (after the next hour) nor
    // for a request's timeouts (30 s without progress, 120 s in all). The
    // bound is a safety net for a busy machine; what woke the thread is
    // checked from what it did.
    auto stop = [&] {
        const auto start = std::chrono::steady_clock::now();
        uploader.reset();
        return std::chrono::steady_clock::now() - start;
    };
    CHECK(stop() < std::chrono::seconds(60));  // asleep until the next hour: woken to stop
    CHECK(server.request_count() == 1);         // ... and sent nothing on the way out

    // Started again with an ended hour to send and a server that never answers.
    env.add(5, rng, running - 2 * kSecondsPerHour);  // due whatever the offset
    server.push(Fault::hang);
    LogLines log_again;
    uploader = start_thread(log_again);
    REQUIRE(wait_until([&] { return server.fault_count(Fault::hang) == 1; }));
    CHECK(stop() < std::chrono::seconds(60));  // mid-request
    // The request was abandoned through the cancel flag: libcurl's "callback
    // aborted" (42), not one of its timeouts (28).
    CHECK_MESSAGE(!log_again.wait_for("transport error 42").empty(), log_again.all());
    CHECK(read_upload_state(env.db).pending.size() == 30);  // not acknowledged: still pending, never lost
    CHECK(server.stored_count() == 3);
}

TEST_CASE("sync against a collector that answers 425 Too Early keeps the batch pending, waits as asked, exits 1 and says why") {
    FaultServerOptions options;
    options.too_early_retry_after = "3600";  // the collector's clock is an hour behind the terminal's
    FaultServer server(options);
    REQUIRE(server.start());
    server.push(Fault::status_425_retry_after);
    UploadEnv env(server.url());
    Rng rng(6);
    const std::set<std::string> ids = env.add(5, rng);
    std::ostringstream out, err;
    CHECK(cmd_sync(env.config, 30, out, err) == 1);  // the next attempt, an hour on, is past the timeout
    CHECK(out.str() == "{\"pending_upload\":5,\"waiting_for_hour_end\":0,\"set_aside\":0}\n");
    CHECK_MESSAGE(err.str().find("5 answers of ended hours still pending") != std::string::npos, err.str());
    CHECK_MESSAGE(err.str().find("425 Too Early") != std::string::npos, err.str());
    CHECK(server.request_count() == 1);  // it did not hammer the collector
    LocalUploadState local = read_upload_state(env.db);
    CHECK(local.pending == ids);
    CHECK(local.set_aside.empty());

    // Later the collector takes it: the same batch, once.
    std::ostringstream out_later, err_later;
    CHECK_MESSAGE(cmd_sync(env.config, 30, out_later, err_later) == 0, err_later.str());
    const std::vector<RequestRecord> requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[1].idempotency_key == requests[0].idempotency_key);
    CHECK(requests[1].accepted == 5);
    local = read_upload_state(env.db);
    CHECK(local.uploaded == ids);
    check_exactly_once(server, local);
}

TEST_CASE("status shows the clock offset sync read from the collector's Date, and sync says once that the clock is off") {
    FaultServerOptions options;
    // The collector's clock is an hour ahead of this machine's (the terminal's is behind).
    options.date = [] { return FaultServer::http_date(wall_now() + 3600); };
    FaultServer server(options);
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(8);
    env.add(60, rng);  // three batches of 25 at most: three responses, three measurements
    std::ostringstream out, err;
    CHECK_MESSAGE(cmd_sync(env.config, 30, out, err) == 0, err.str());
    CHECK(server.request_count() == 3);
    std::size_t clock_lines = 0;
    for (std::size_t at = err.str().find("clock is off"); at != std::string::npos; at = err.str().find("clock is off", at + 1)) {
        ++clock_lines;
    }
    CHECK_MESSAGE(clock_lines == 1, err.str());
    CHECK_MESSAGE(err.str().find("answers are stamped with the terminal's clock") != std::string::npos, err.str());

    std::ostringstream status_out;
    REQUIRE(cmd_status(env.config, wall_now(), status_out, err) == 0);
    const nlohmann::json status = nlohmann::json::parse(status_out.str());
    REQUIRE(status["clock_offset_s"].is_number_integer());
    // 3600, or a second or two less: Date is whole seconds, stamped before the response came back.
    CHECK(status["clock_offset_s"].get<long>() <= 3600);
    CHECK(status["clock_offset_s"].get<long>() >= 3600 - 30);  // the rest is a safety net for a slow machine
}

}  // namespace kiosk_test_sync
