// test_video_choice.cpp — the kiosk's choice of video driver and renderer
// (kiosk/video_choice.hpp): software through Xwayland before Wayland, GPU
// Wayland first, a forced driver alone, KMS/DRM without a display server; and
// the real `pulse-kiosk run` saying which it chose, or why none worked.
#include "kiosk/video_choice.hpp"
#include "demo_config.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_video_choice {

using namespace pulse;
using namespace pulse::testing;

namespace {

std::vector<std::string> drivers(const std::vector<VideoAttempt>& attempts) {
    std::vector<std::string> out;
    for (const VideoAttempt& a : attempts) out.push_back(a.driver + (a.software ? "/software" : "/gpu"));
    return out;
}

}  // namespace

TEST_CASE("without a GPU under cage, the kiosk draws in software through Xwayland first, and says why") {
    DisplayEnvironment env;
    env.wayland = env.x11 = true;
    const std::vector<VideoAttempt> attempts = video_attempts(env);
    CHECK(drivers(attempts) == std::vector<std::string>{"x11/software", "wayland/software"});
    CHECK(attempts[0].why.find("Xwayland") != std::string::npos);
    CHECK(attempts[0].why.find("no GPU") != std::string::npos);
    CHECK(attempts[0].why.find("SDL#7532") != std::string::npos);

    env.gpu = true;
    CHECK(drivers(video_attempts(env)) == std::vector<std::string>{"wayland/gpu", "x11/gpu"});
    env.renderer = "software";  // IT's choice wins over the GPU
    CHECK(drivers(video_attempts(env)) == std::vector<std::string>{"x11/software", "wayland/software"});
    CHECK(video_attempts(env)[0].why.find("renderer = \"software\"") != std::string::npos);
}

TEST_CASE("a forced SDL_VIDEODRIVER is the only attempt; no display server means KMS/DRM") {
    DisplayEnvironment env;
    env.forced_driver = "x11";
    env.wayland = true;
    CHECK(drivers(video_attempts(env)) == std::vector<std::string>{"x11/software"});
    CHECK(video_attempts(env)[0].why.find("SDL_VIDEODRIVER=x11 given") != std::string::npos);
    DisplayEnvironment bare;
    bare.gpu = true;
    CHECK(drivers(video_attempts(bare)) == std::vector<std::string>{"kmsdrm/gpu"});
    DisplayEnvironment x_only;
    x_only.x11 = true;
    CHECK(drivers(video_attempts(x_only)) == std::vector<std::string>{"x11/software"});
}

TEST_CASE("pulse-kiosk run names the driver it chose and why, and every attempt when none works") {
    const std::filesystem::path dir = temp_folder();
    const std::filesystem::path config = demo_kiosk_config(dir);
    // Chosen: the forced dummy driver, drawn in software.
    ProcessResult run = run_process({PULSE_KIOSK_EXE, "run", "--config", config.string()},
                                    {"SDL_VIDEODRIVER=dummy", "PULSE_EXIT_AFTER_FIRST_FRAME=1"}, dir, 60);
    CHECK_MESSAGE(run.exit_code == 0, run.err);
    CHECK_MESSAGE(run.err.find("video driver dummy, renderer software: SDL_VIDEODRIVER=dummy given") != std::string::npos,
                  run.err);
    // Neither a Wayland nor an X server answers: both tried, each reason said.
    run = run_process({"/usr/bin/env", "-u", "SDL_VIDEODRIVER", "WAYLAND_DISPLAY=pulse-no-such-wayland",
                       "DISPLAY=:97", PULSE_KIOSK_EXE, "run", "--config", config.string()},
                      {}, dir, 60);
    CHECK(run.exit_code != 0);
    CHECK_MESSAGE(run.err.find("x11: ") != std::string::npos, run.err);
    CHECK_MESSAGE(run.err.find("wayland: ") != std::string::npos, run.err);
    CHECK(run.err.find("x11: ") < run.err.find("wayland: "));  // no GPU here: Xwayland first
}

}  // namespace kiosk_test_video_choice
