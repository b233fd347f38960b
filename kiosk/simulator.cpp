// simulator.cpp — taps, waits and shots on a virtual clock (see simulator.hpp).
#include "kiosk/simulator.hpp"

#include <algorithm>

namespace pulse {

namespace {

constexpr float kFrameS = 1.0f / 60.0f;  // virtual time between frames

std::string describe(const std::vector<Hit>& hits) {
    std::string s;
    for (const Hit& h : hits) s += (s.empty() ? "" : ", ") + h.id;
    return s.empty() ? "nothing" : s;
}

}  // namespace

std::unique_ptr<Simulator> Simulator::open(const LoadedConfig& cfg, int width, int height,
                                           std::unique_ptr<AnswerWriter> writer, std::uint64_t seed,
                                           UnixSeconds start_wall, Terminal::Log log, std::string* error) {
    std::unique_ptr<Simulator> sim(new Simulator());
    sim->start_wall_ = start_wall;
    PlatformOptions options;
    options.headless = true;
    options.width = width;
    options.height = height;
    options.rotation = cfg.config.rotation;
    sim->kiosk_ = Kiosk::open(cfg, options, std::move(writer), Rng(seed), 0, start_wall, std::move(log), error);
    if (!sim->kiosk_) return nullptr;
    sim->kiosk_->terminal().update(sim->now_ms_, sim->wall());
    sim->settle();
    return sim;
}

// Draws frames until the pointer has shown every queued state and nothing
// changed in the last one, so the frame shows the current state.
void Simulator::settle() {
    for (int guard = 0; guard < 16; ++guard) {
        const bool busy = kiosk_->pointer().busy();
        bool changed = kiosk_->frame(now_ms_, wall(), kFrameS);
        changed = kiosk_->terminal().update(now_ms_, wall()) || changed;
        if (!busy && !changed) return;
    }
}

bool Simulator::tap(const std::string& id, std::string* error) {
    const auto& hits = kiosk_->hits();
    auto it = std::find_if(hits.begin(), hits.end(), [&](const Hit& h) { return h.id == id; });
    if (it == hits.end()) {
        if (error) *error = "no element '" + id + "' on the " + kiosk_->shown_screen_name() + " screen (there: " +
                            describe(hits) + ")";
        return false;
    }
    const ScreenPoint on_panel = turn().to_panel({(it->x0 + it->x1) * 0.5f, (it->y0 + it->y1) * 0.5f});
    return tap_at(on_panel.x, on_panel.y, error);
}

bool Simulator::tap_at(float panel_x, float panel_y, std::string* error) {
    const ScreenTurn turn = this->turn();
    const ScreenPoint at = turn.to_layout({panel_x, panel_y});  // as Pointer::handle maps a touch
    const auto& hits = kiosk_->hits();
    const bool on_something = std::any_of(hits.begin(), hits.end(), [&](const Hit& h) {
        return at.x >= h.x0 && at.x < h.x1 && at.y >= h.y0 && at.y < h.y1;
    });
    if (!on_something) {
        if (error) {
            char where[128];
            if (turn.turned()) {
                std::snprintf(where, sizeof where, "panel (%g, %g), layout (%g, %g) with rotation %d",
                              static_cast<double>(panel_x), static_cast<double>(panel_y), static_cast<double>(at.x),
                              static_cast<double>(at.y), turn.rotation());
            } else {
                std::snprintf(where, sizeof where, "(%g, %g)", static_cast<double>(panel_x),
                              static_cast<double>(panel_y));
            }
            *error = std::string("nothing to tap at ") + where + " on the " + kiosk_->shown_screen_name() +
                     " screen (there: " + describe(hits) + ")";
        }
        return false;
    }
    kiosk_->pointer().press(at.x, at.y);  // taps take no virtual time: `wait 20` after a tap
    kiosk_->pointer().release();    // meets a 20 s timeout exactly
    settle();
    return true;
}

void Simulator::wait(double seconds) {
    const Millis target = now_ms_ + static_cast<Millis>(seconds * 1000 + 0.5);
    for (;;) {
        std::optional<Millis> due = kiosk_->terminal().next_deadline();
        if (!due || *due > target) break;
        now_ms_ = std::max(now_ms_, *due);
        kiosk_->terminal().update(now_ms_, wall());
        settle();
    }
    now_ms_ = target;
    kiosk_->terminal().update(now_ms_, wall());
    settle();
}

bool Simulator::shot(const std::filesystem::path& file, std::string* error) {
    kiosk_->frame(now_ms_, wall(), kFrameS, false);
    const bool ok = kiosk_->platform().save_png(file, error);
    kiosk_->platform().present();
    return ok;
}

std::vector<std::uint8_t> Simulator::pixels() {
    kiosk_->frame(now_ms_, wall(), kFrameS, false);
    std::vector<std::uint8_t> rgb;
    if (!kiosk_->platform().read_rgb(rgb, nullptr)) rgb.clear();
    kiosk_->platform().present();
    return rgb;
}

}  // namespace pulse
