// test_watchdog.cpp — the kiosk under systemd's notify protocol
// (terminal/service_notify.hpp) against a real datagram socket standing in
// for systemd's NOTIFY_SOCKET: READY=1 once, WATCHDOG=1 at most half a
// watchdog interval apart, on a path or an abstract socket; and the real
// `pulse-kiosk run` (SDL's dummy video driver) doing the same.
#include "demo_config.hpp"
#include "notify_socket.hpp"
#include "process.hpp"
#include "terminal/service_notify.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_watchdog {

using namespace pulse;
using namespace pulse::testing;

TEST_CASE("READY=1 goes once, and WATCHDOG=1 a quarter interval after the last ping, never before ready") {
    const std::filesystem::path dir = temp_folder();
    NotifySocket systemd((dir / "notify").string());
    ServiceNotifier n(systemd.name, 400);
    CHECK(n.enabled());
    CHECK(!n.next_ping_due());
    CHECK(n.alive(1000));  // not ready yet: nothing sent
    CHECK(systemd.receive(50).empty());

    CHECK(n.ready(1000));
    CHECK(systemd.receive(1000) == "READY=1");
    CHECK(n.ready(1010));  // once only
    CHECK(n.next_ping_due() == 1100);
    CHECK(n.alive(1099));
    CHECK(systemd.receive(50).empty());
    CHECK(n.alive(1100));
    CHECK(systemd.receive(1000) == "WATCHDOG=1");
    CHECK(n.next_ping_due() == 1200);
    CHECK(systemd.receive(50).empty());
}

TEST_CASE("the notifier reaches an abstract socket, does nothing without one, and reports a socket that is gone") {
    const std::string abstract = "@pulse-test-notify-" + std::to_string(::getpid());
    NotifySocket systemd(abstract);
    ServiceNotifier n(abstract, 0);
    CHECK(n.ready(0));
    CHECK(systemd.receive(1000) == "READY=1");
    CHECK(!n.next_ping_due());  // no watchdog

    ServiceNotifier off("", 400);
    CHECK(!off.enabled());
    CHECK(off.ready(0));
    CHECK(!off.next_ping_due());

    ServiceNotifier gone((temp_folder() / "no-such-socket").string(), 400);
    std::string error;
    CHECK(!gone.ready(0, &error));
    CHECK(error.find("cannot tell systemd READY=1") != std::string::npos);
}

TEST_CASE("pulse-kiosk run tells systemd it is ready after its first frame and pings the watchdog from its loop") {
    const std::filesystem::path dir = temp_folder();
    const std::filesystem::path config = demo_kiosk_config(dir);
    NotifySocket systemd((dir / "notify").string());
    const pid_t kiosk = spawn_process({PULSE_KIOSK_EXE, "run", "--config", config.string()},
                                      {"NOTIFY_SOCKET=" + systemd.name, "WATCHDOG_USEC=2000000",
                                       "SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"},
                                      dir / "kiosk.out", dir / "kiosk.err");
    std::vector<std::string> messages;
    std::vector<std::chrono::steady_clock::time_point> at;
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(5000)) {
        const std::string m = systemd.receive(500);
        if (m.empty()) continue;
        messages.push_back(m);
        at.push_back(std::chrono::steady_clock::now());
    }
    kill(kiosk, SIGTERM);
    wait_exit(kiosk, 10, dir / "kiosk.err");
    const std::string err = slurp(dir / "kiosk.err");
    REQUIRE_MESSAGE(!messages.empty(), "no message from the kiosk; it said:\n", err);
    CHECK(messages.front() == "READY=1");
    CHECK(std::count(messages.begin(), messages.end(), "READY=1") == 1);
    // A ping every 500 ms (a quarter of 2 s); the bound is half the interval,
    // which leaves a busy machine 500 ms of slack.
    CHECK_MESSAGE(messages.size() >= 6, messages.size(), " messages in 5 s");
    for (std::size_t i = 1; i < messages.size(); ++i) {
        CHECK(messages[i] == "WATCHDOG=1");
        const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(at[i] - at[i - 1]).count();
        CHECK_MESSAGE(gap <= 1000, "ping ", i, " came ", gap, " ms after the one before (WatchdogSec/2 = 1000 ms)");
    }
    CHECK(err.find("under systemd, watchdog every 2000 ms") != std::string::npos);
}

}  // namespace kiosk_test_watchdog
