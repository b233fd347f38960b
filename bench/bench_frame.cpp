// bench_frame.cpp — what one full frame of the real screens costs with the
// software renderer (the worst case: a terminal without a usable GPU). Opens
// a headless 1920x1080 Kiosk with the config's bank and texts, times frames
// of the attract screen (the first statement), answers it, and times frames of the question screen.
// A frame is Kiosk::frame(..., present = true): ImGui, our drawing, SDL's
// software rasteriser and the present.
//   bench_frame CONFIG DIR [FRAMES]
// The config's database is replaced by DIR/frame.sqlite3. Prints the renderer
// ("renderer=software") and SDL's video driver, and one line per screen:
//   "frame_<screen> n=N p50_ms=… p90_ms=… p99_ms=… max_ms=…".
#include "bench_stats.hpp"

#include "kiosk/commands.hpp"
#include "kiosk/kiosk.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
constexpr float kFrameS = 1.0f / 60.0f;  // virtual time between frames
constexpr int kWarmupFrames = 10;        // not timed: the first frames upload the font atlas

// Times frames of the current screen (virtual clock stands still, so no timer fires).
std::vector<double> time_frames(pulse::Kiosk& k, int frames, pulse::Millis now, pulse::UnixSeconds wall) {
    for (int i = 0; i < kWarmupFrames; ++i) k.frame(now, wall, kFrameS);
    std::vector<double> samples_ms;
    samples_ms.reserve(static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i) {
        const Clock::time_point start = Clock::now();
        k.frame(now, wall, kFrameS, /*present=*/true);
        samples_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    return samples_ms;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s CONFIG DIR [FRAMES]\n", argv[0]);
        return 2;
    }
    const int frames = argc == 4 ? std::atoi(argv[3]) : 300;
    if (frames < 1) {
        std::fprintf(stderr, "bench_frame: FRAMES must be a positive number, got '%s'\n", argv[3]);
        return 2;
    }

    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(argv[1], &errors);
    if (!cfg) {
        print_diagnostics(errors, std::cerr);
        return 2;
    }
    cfg->config.database = std::filesystem::path(argv[2]) / "frame.sqlite3";

    PlatformOptions options;
    options.headless = true;
    options.width = 1920;
    options.height = 1080;
    const UnixSeconds wall =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    Millis now = 0;
    std::string error;
    std::unique_ptr<Kiosk> kiosk =
        Kiosk::open(*cfg, options, make_inline_writer(cfg->config.database), Rng(1), now, wall,
                    log_to(std::cerr), &error);
    if (!kiosk) {
        std::fprintf(stderr, "bench_frame: %s\n", error.c_str());
        return 1;
    }
    Kiosk& k = *kiosk;
    const char* driver = SDL_GetCurrentVideoDriver();
    std::printf("renderer=%s video_driver=%s size=%dx%d\n", k.platform().renderer_name(), driver ? driver : "none",
                k.platform().width(), k.platform().height());

    bench::print_summary("frame_attract", time_frames(k, frames, now, wall));

    // Answer the statement on attract as a finger would (press, release),
    // drawing frames until the pointer has shown both and, after the check
    // mark, the second statement is up.
    const Hit* answer = nullptr;
    for (const Hit& h : k.hits())
        if (h.id == "answer-4") answer = &h;
    if (!answer) {
        std::fprintf(stderr, "bench_frame: no 'answer-4' button on the %s screen\n",
                     screen_name(k.terminal().flow().screen));
        return 1;
    }
    k.pointer().press((answer->x0 + answer->x1) * 0.5f, (answer->y0 + answer->y1) * 0.5f);
    k.pointer().release();
    for (int guard = 0; guard < 64 && (k.pointer().busy() || k.terminal().flow().screen != Screen::question);
         ++guard) {
        now += 16;
        k.terminal().update(now, wall);
        k.frame(now, wall, kFrameS);
    }
    if (k.terminal().flow().screen != Screen::question) {
        std::fprintf(stderr, "bench_frame: answering on attract led to the %s screen, not a question\n",
                     screen_name(k.terminal().flow().screen));
        return 1;
    }

    bench::print_summary("frame_question", time_frames(k, frames, now, wall));
    return 0;
}
