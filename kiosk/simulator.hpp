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
    // Opens a headless kiosk (offscreen/dummy driver, software renderer) of
    // width x height for cfg (which must outlive it), starting the virtual
    // clock at start_wall. nullptr and *error if the window or font fails.
    static std::unique_ptr<Simulator> open(const LoadedConfig& cfg, int width, int height,
                                           std::unique_ptr<AnswerWriter> writer, std::uint64_t seed,
                                           UnixSeconds start_wall, Terminal::Log log, std::string* error);

    // Taps the centre of the element with id drawn in the current frame.
    // Returns false with *error ("no element 'x' on the thanks screen (there: …)").
    bool tap(const std::string& id, std::string* error);

    // Taps a point. Returns false with *error if no element is there.
    bool tap_at(float x, float y, std::string* error);

    // Advances the virtual clock, firing every timeout at its exact time.
    void wait(double seconds);

    // Renders the current frame and writes it as a PNG.
    bool shot(const std::filesystem::path& file, std::string* error);

    // Renders the current frame (unpresented) and returns its pixels, RGB.
    std::vector<std::uint8_t> pixels();

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
