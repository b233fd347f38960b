// test_watchdog_stall.cpp — a hung UI loop sends no watchdog ping, so systemd
// restarts the kiosk. The hang is a real one: the kiosk draws through X11 on
// an Xvfb server that the test stops (SIGSTOP), as a display server that
// hangs would; the kiosk's next frame then waits in SDL's XSync for ever,
// while its writer and uploader threads go on. Pings come from the UI loop
// only (terminal/service_notify.hpp), so they stop until Xvfb goes on.
#include "demo_config.hpp"
#include "kiosk/simulator.hpp"
#include "notify_socket.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_watchdog_stall {

using namespace pulse::testing;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("no WATCHDOG=1 comes while the UI loop hangs on a stopped display server, and pings resume after it") {
    REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/Xvfb"), "Xvfb is missing: run scripts/install-deps");
    REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/xdotool"), "xdotool is missing: run scripts/install-deps");
    const std::filesystem::path dir = temp_folder();
    // A question left alone shows the idle warning after 5 s: a frame
    // drawn without any input, which is where the kiosk will hang.
    std::string config = slurp(demo_kiosk_config(dir));
    config = std::regex_replace(config, std::regex("\\[pulse\\]\n"), "[pulse]\nidle_timeout_s = 5\n");
    write_file(dir / "kiosk.toml", config);

    const std::string display = ":" + std::to_string(90 + getpid() % 800);
    const pid_t xvfb = spawn_process({"/usr/bin/Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"}, {},
                                     dir / "xvfb.out", dir / "xvfb.err");
    NotifySocket systemd((dir / "notify").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const pid_t kiosk = spawn_process({PULSE_KIOSK_EXE, "run", "--config", (dir / "kiosk.toml").string()},
                                      {"DISPLAY=" + display, "SDL_VIDEODRIVER=x11", "SDL_AUDIODRIVER=dummy",
                                       "NOTIFY_SOCKET=" + systemd.name, "WATCHDOG_USEC=2000000"},
                                      dir / "kiosk.out", dir / "kiosk.err");
    const auto finish = [&] {
        kill(xvfb, SIGCONT);
        kill(kiosk, SIGTERM);
        wait_exit(kiosk, 10, dir / "kiosk.err");
        kill(xvfb, SIGTERM);
        wait_exit(xvfb, 10, dir / "xvfb.err");
    };
    REQUIRE_MESSAGE(systemd.receive(10000) == "READY=1", slurp(dir / "kiosk.err"), slurp(dir / "xvfb.err"));

    // Answer the statement on the attract screen (where simulate shows
    // answer-3 on this panel), which starts a session; once its check mark
    // is over (0.4 s), stop the display server: the idle warning's frame at
    // 5.4 s will hang.
    std::string x = "640", y = "540";
    {
        pulse::Diagnostics errors;
        std::optional<pulse::LoadedConfig> cfg = pulse::load_all(dir / "kiosk.toml", &errors);
        REQUIRE(cfg);
        std::string error;
        std::unique_ptr<pulse::Simulator> sim = pulse::Simulator::open(
            *cfg, 1280, 800, pulse::make_inline_writer(dir / "probe.sqlite3"), 1, 1'795'773'600, {}, &error);
        REQUIRE_MESSAGE(sim, error);
        for (const pulse::Hit& h : sim->hits()) {
            if (h.id != "answer-3") continue;
            x = std::to_string(static_cast<int>((h.x0 + h.x1) * 0.5f));
            y = std::to_string(static_cast<int>((h.y0 + h.y1) * 0.5f));
        }
    }
    const ProcessResult click = run_process({"/usr/bin/xdotool", "mousemove", x, y, "click", "1"},
                                            {"DISPLAY=" + display}, dir, 10);
    CHECK(click.exit_code == 0);
    const Clock::time_point start = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    kill(xvfb, SIGSTOP);
    std::vector<double> pings;  // seconds after the click
    while (seconds_since(start) < 10) {
        if (systemd.receive(200) == "WATCHDOG=1") pings.push_back(seconds_since(start));
    }
    kill(xvfb, SIGCONT);  // the display server is back: the frame completes, pings resume
    std::vector<double> after;
    while (seconds_since(start) < 12) {
        if (systemd.receive(200) == "WATCHDOG=1") after.push_back(seconds_since(start));
    }
    finish();
    const std::string err = slurp(dir / "kiosk.err");
    INFO("kiosk log:\n", err);
    // Pings went on every 500 ms while the question waited (the loop was idle,
    // not drawing), and none came from the idle warning's frame at 5.4 s until
    // the display server went on at 10 s: far longer than WatchdogSec (2 s).
    REQUIRE(!pings.empty());
    CHECK(pings.front() < 1.5);
    CHECK_MESSAGE(pings.back() < 6, "the last ping of the stall came ", pings.back(), " s after the click");
    CHECK(10 - pings.back() > 2.0);
    CHECK_MESSAGE(after.size() >= 2, after.size(), " pings in the 2 s after the display server went on");
}

}  // namespace kiosk_test_watchdog_stall
