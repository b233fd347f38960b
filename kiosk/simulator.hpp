// simulator.hpp — a Kiosk on a virtual clock, driven by taps, waits and
// shots: what `pulse-kiosk simulate` runs a script on, and what the UI tests
// drive directly. Same drawing and same input path as the real kiosk.
#pragma once

#include "kiosk/kiosk.hpp"

#include <optional>
#include <string>

namespace pulse {

class Simulator {
public:
    // Opens a headless kiosk (offscreen/dummy driver, software renderer) for
    // cfg (which must outlive it) on a panel of width x height pixels turned
    // by cfg's [display] rotation (the screens laid out on the turned size),
    // starting the virtual clock at start_wall. nullptr and *error if the
    // window, its render target or the font fails.
    static std::unique_ptr<Simulator> open(const LoadedConfig& cfg, int width, int height,
                                           std::unique_ptr<AnswerWriter> writer, std::uint64_t seed,
                                           UnixSeconds start_wall, Terminal::Log log, std::string* error);

    // Taps the centre of the element with id drawn in the current frame, at
    // the panel point where it is shown (the same path as tap_at).
    // Returns false with *error ("no element 'x' on the thanks screen (there: …)").
    bool tap(const std::string& id, std::string* error);

    // Taps a point of the panel (window pixels: what a screenshot shows),
    // mapped to the layout through the turn as a real touch is. Returns false
    // with *error if no element is there.
    bool tap_at(float panel_x, float panel_y, std::string* error);

    // Advances the virtual clock, firing every timeout at its exact time.
    void wait(double seconds);

    // Renders the current frame and writes it as a PNG, as the panel shows
    // it (turned; panel width x height). False with *error if it cannot be
    // read or written.
    bool shot(const std::filesystem::path& file, std::string* error);

    // Renders the current frame and returns its pixels as the panel shows
    // them, RGB, panel width x height (empty if SDL cannot read them).
    std::vector<std::uint8_t> pixels();

    // The panel and layout of this kiosk (hits() are in layout coordinates).
    ScreenTurn turn() const { return kiosk_->platform().turn(); }

    Screen screen() const { return kiosk_->terminal().flow().screen; }
    const std::vector<Hit>& hits() const { return kiosk_->hits(); }
    Kiosk& kiosk() { return *kiosk_; }
    Millis now_ms() const { return now_ms_; }
    UnixSeconds wall() const { return start_wall_ + now_ms_ / 1000; }

private:
    Simulator() = default;
    void settle();
    std::unique_ptr<Kiosk> kiosk_;
    Millis now_ms_ = 0;
    UnixSeconds start_wall_ = 0;
};

}  // namespace pulse
