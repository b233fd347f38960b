// kiosk.hpp — a running kiosk: the platform (window, renderer), ImGui, the
// pointer, and the terminal model, with the one function both the real loop
// and the simulator call to draw a frame and apply what the person did.
#pragma once

#include "kiosk/commands.hpp"
#include "kiosk/gui.hpp"
#include "kiosk/platform.hpp"
#include "kiosk/pointer.hpp"
#include "terminal/terminal.hpp"

#include <memory>
#include <vector>

namespace pulse {

// A log that writes "2026-11-27T09:12:03Z pulse-kiosk: <line>" to out (the
// kiosk's stderr, collected by journald on the appliance).
Terminal::Log log_to(std::ostream& out);

class Kiosk {
public:
    // Opens the window and ImGui for cfg and starts the terminal with writer.
    // Returns nullptr with *error set if the window or font cannot be opened.
    static std::unique_ptr<Kiosk> open(const LoadedConfig& cfg, const PlatformOptions& platform_options,
                                       std::unique_ptr<AnswerWriter> writer, Rng rng, Millis now,
                                       UnixSeconds wall_now, Terminal::Log log, std::string* error);

    // Draws one frame of the current state with the pointer's next state, and
    // applies the intent of that frame. Leaves the frame unpresented if
    // present is false (to capture it first). Returns true if the state changed.
    bool frame(Millis now, UnixSeconds wall_now, float dt_s, bool present = true);

    Platform& platform() { return *platform_; }
    Pointer& pointer() { return pointer_; }
    Terminal& terminal() { return *terminal_; }
    const std::vector<Hit>& hits() const { return hits_; }  // elements of the last frame

private:
    Kiosk(const LoadedConfig& cfg) : cfg_(cfg) {}
    const LoadedConfig& cfg_;
    Palette palette_;
    Layout layout_;
    std::unique_ptr<Platform> platform_;
    std::unique_ptr<Gui> gui_;
    Pointer pointer_;
    std::unique_ptr<Terminal> terminal_;
    std::vector<Hit> hits_;
};

}  // namespace pulse
