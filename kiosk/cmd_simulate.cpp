// cmd_simulate.cpp — `pulse-kiosk simulate`: the real UI (same drawing, same
// input path) under SDL's offscreen driver and the software renderer, on a
// virtual clock, replaying a script of taps, waits and screenshots. The same
// script, config, seed and start time give byte-identical PNGs and rows.
#include "commands.hpp"
#include "kiosk.hpp"
#include "script.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ostream>

namespace pulse {

namespace {

constexpr float kFrameS = 1.0f / 60.0f;  // virtual time between frames

// The virtual clock: monotonic milliseconds from 0, wall time from --now.
struct VirtualClock {
    Millis now_ms = 0;
    UnixSeconds start_wall = 0;
    UnixSeconds wall() const { return start_wall + now_ms / 1000; }
};

// Draws frames until the pointer has shown every queued state, then one more
// so the screen reflects the last change.
void settle(Kiosk& k, const VirtualClock& clock) {
    for (int guard = 0; guard < 16; ++guard) {
        const bool busy = k.pointer().busy();
        const bool changed = k.frame(clock.now_ms, clock.wall(), kFrameS);
        k.terminal().update(clock.now_ms, clock.wall());
        if (!busy && !changed) return;
    }
}

std::string describe_hits(const std::vector<Hit>& hits) {
    std::string s;
    for (const Hit& h : hits) s += (s.empty() ? "" : ", ") + h.id;
    return s.empty() ? "none" : s;
}

const Hit* hit_at(const std::vector<Hit>& hits, float x, float y) {
    for (const Hit& h : hits)
        if (x >= h.x0 && x < h.x1 && y >= h.y0 && y < h.y1) return &h;
    return nullptr;
}

}  // namespace

int cmd_simulate(const SimulateOptions& o, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(o.config_file, &errors);
    if (!cfg) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    Script script = load_script(o.script_file);
    if (!script.errors.empty()) {
        print_diagnostics(script.errors, err);
        return kExitFailure;
    }
    for (const ScriptStep& s : script.steps) {
        if (s.kind == ScriptStep::Kind::shot && o.shots_dir.empty()) {
            err << o.script_file.string() << ":" << s.line << ": 'shot' needs --shots DIR\n";
            return kExitFailure;
        }
    }
    if (!o.shots_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.shots_dir, ec);
        if (ec) {
            err << o.shots_dir.string() << ": cannot create the shots folder: " << ec.message() << '\n';
            return kExitFailure;
        }
    }

    VirtualClock clock;
    clock.start_wall = o.now ? *o.now
                             : std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    PlatformOptions platform;
    platform.headless = true;
    platform.width = o.width > 0 ? o.width : cfg->config.width;
    platform.height = o.height > 0 ? o.height : cfg->config.height;
    std::string error;
    std::unique_ptr<Kiosk> kiosk = Kiosk::open(*cfg, platform, make_inline_writer(cfg->config.database),
                                               Rng(o.seed), clock.now_ms, clock.wall(), &error);
    if (!kiosk) {
        err << "pulse-kiosk simulate: " << error << '\n';
        return kExitFailure;
    }
    Kiosk& k = *kiosk;
    k.terminal().update(clock.now_ms, clock.wall());
    settle(k, clock);

    for (const ScriptStep& s : script.steps) {
        const std::string where = o.script_file.string() + ":" + std::to_string(s.line) + ": ";
        const char* screen = screen_name(k.terminal().flow().screen);
        switch (s.kind) {
            case ScriptStep::Kind::tap_id:
            case ScriptStep::Kind::tap_point: {
                float x = s.x, y = s.y;
                if (s.kind == ScriptStep::Kind::tap_id) {
                    const Hit* target = nullptr;
                    for (const Hit& h : k.hits())
                        if (h.id == s.name) target = &h;
                    if (!target) {
                        err << where << "no element '" << s.name << "' on the " << screen
                            << " screen (there: " << describe_hits(k.hits()) << ")\n";
                        return kExitFailure;
                    }
                    x = (target->x0 + target->x1) * 0.5f;
                    y = (target->y0 + target->y1) * 0.5f;
                } else if (!hit_at(k.hits(), x, y)) {
                    err << where << "nothing to tap at (" << x << ", " << y << ") on the " << screen
                        << " screen (there: " << describe_hits(k.hits()) << ")\n";
                    return kExitFailure;
                }
                k.pointer().press(x, y);
                k.pointer().release();
                clock.now_ms += 100;  // a tap takes a moment
                settle(k, clock);
                break;
            }
            case ScriptStep::Kind::wait: {
                const Millis target = clock.now_ms + static_cast<Millis>(s.seconds * 1000 + 0.5);
                // Step from deadline to deadline so every timeout fires at its time.
                for (;;) {
                    std::optional<Millis> due = k.terminal().next_deadline();
                    if (!due || *due > target) break;
                    clock.now_ms = std::max(clock.now_ms, *due);
                    k.terminal().update(clock.now_ms, clock.wall());
                    settle(k, clock);
                }
                clock.now_ms = target;
                k.terminal().update(clock.now_ms, clock.wall());
                settle(k, clock);
                break;
            }
            case ScriptStep::Kind::shot: {
                k.frame(clock.now_ms, clock.wall(), kFrameS, false);
                const std::filesystem::path file = o.shots_dir / (s.name + ".png");
                if (!k.platform().save_png(file, &error)) {
                    err << where << error << '\n';
                    return kExitFailure;
                }
                SDL_RenderPresent(k.platform().renderer());
                break;
            }
        }
    }

    nlohmann::ordered_json result;
    result["screen"] = screen_name(k.terminal().flow().screen);
    result["answers_stored"] = k.terminal().answers_durable();
    out << result.dump() << '\n';
    return kExitOk;
}

}  // namespace pulse
