// test_sync.cpp — `pulse-kiosk sync` and the uploader thread as IT and the
// kiosk use them: exit codes, the real binary killed with SIGKILL while it
// uploads (again and again), and the background thread's behaviour.
#include "fault_server.hpp"
#include "process.hpp"
#include "sim_env.hpp"
#include "upload_check.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace pulse;
using namespace pulse::test;
using namespace pulse::testing;

namespace {

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

    void add(int n, Rng& rng) {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
        REQUIRE_MESSAGE(store, status.message);
        std::vector<Answer> answers;
        for (int i = 0; i < n; ++i)
            answers.push_back(Answer{uuid_v4(rng), "3.2", 1 + static_cast<int>(rng() % 5), "da", 1795770000});
        REQUIRE(store->insert(answers));
    }
};

// Runs pulse-kiosk with args; returns the pid (stdout and stderr to /dev/null).
pid_t spawn_kiosk(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PULSE_KIOSK_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    return spawn_process(argv, {}, "/dev/null", "/dev/null");
}

}  // namespace

TEST_CASE("sync uploads everything pending, exits 0 and says nothing is left") {
    FaultServer server;
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(1);
    env.add(60, rng);
    std::ostringstream out, err;
    CHECK_MESSAGE(cmd_sync(env.config, 30, out, err) == 0, err.str());
    CHECK(out.str() == "{\"pending_upload\":0,\"set_aside\":0}\n");
    CHECK(server.stored_count() == 60);
    check_exactly_once(server, read_upload_state(env.db));

    std::ostringstream status_out;
    REQUIRE(cmd_status(env.config, 1795770000, status_out, err) == 0);
    const nlohmann::json status = nlohmann::json::parse(status_out.str());
    CHECK(status["upload"] == "online");
    CHECK(status["pending_upload"] == 0);
    CHECK(status["set_aside"] == 0);
    CHECK(status["last_upload_ok"].is_string());
    CHECK(status["last_error"].is_null());
    CHECK(status["next_attempt"].is_string());
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
    CHECK(err.str().find("5 answers still pending") != std::string::npos);
    CHECK(err.str().find("transport error") != std::string::npos);
    CHECK(read_upload_state(env.db).pending.size() == 5);
    std::ostringstream status_out;
    cmd_status(env.config, 1795770000, status_out, err);
    const nlohmann::json status = nlohmann::json::parse(status_out.str());
    CHECK(status["pending_upload"] == 5);
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
        const pid_t pid = spawn_kiosk({"sync", "--config", env.config.string(), "--timeout", "60"});
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + timing() % 300));
        kill(pid, SIGKILL);
        if (wait_exit(pid) == -SIGKILL) ++killed_mid_run;  // it had not finished by itself
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

TEST_CASE("the uploader thread uploads at start, early once a batch is full, and stops at once even mid-request") {
    FaultServer server;
    REQUIRE(server.start());
    UploadEnv env(server.url());
    Rng rng(4);
    env.add(3, rng);
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
    REQUIRE(cfg);
    auto wait_for = [&](std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (server.stored_count() < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return server.stored_count();
    };
    auto uploader = std::make_unique<UploaderThread>(
        cfg->config.database,
        [&](const std::atomic<bool>* cancel) { return make_curl_http_client(curl_options_for(cfg->config, cancel)); },
        upload_settings_for(*cfg), UploadLog{});
    CHECK(wait_for(3) == 3);    // right after start
    env.add(25, rng);           // a full batch (batch_size = 25) ...
    uploader->notify(25);       // ... reported by the kiosk's writer
    CHECK(wait_for(28) == 28);  // long before interval_s (300 s)
    server.push(Fault::hang);
    env.add(25, rng);
    uploader->notify(25);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(server.fault_count(Fault::hang) == 1);
    const auto start = std::chrono::steady_clock::now();
    uploader.reset();  // stops the thread while its request hangs (the default timeout is 120 s)
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(read_upload_state(env.db).pending.size() == 25);  // not acknowledged: still pending, never lost
}
