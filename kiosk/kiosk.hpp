// kiosk.hpp — a running kiosk: the platform (window, renderer), ImGui, the
// pointer, and the terminal model, with the one function both the real loop
// and the simulator call to draw a frame and apply what the person did.
#pragma once

#include "kiosk/commands.hpp"
#include "kiosk/gui.hpp"
#include "kiosk/platform.hpp"
#include "kiosk/pointer.hpp"
#include "terminal/terminal.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// A log that writes "2026-11-27T09:12:03Z pulse-kiosk: <line>" to out (the
// kiosk's stderr, collected by journald on the appliance).
Terminal::Log log_to(std::ostream& out);

// What the admin panel's actions and facts need from outside the model: the
// uploader, the backlight, the process. Unset members do nothing (no
// uploader: offline; no backlight).
struct AdminHooks {
    std::function<AdminInfo()> gather;          // the panel's facts (terminal/admin_info.hpp)
    std::function<void()> upload_now;           // UploaderThread::upload_now
    // direction -1, 0 or +1: steps the backlight (0 only reads it) and
    // returns its level in percent; nullopt when there is no backlight.
    std::function<std::optional<int>(int direction)> brightness;
    std::function<void()> restart;              // ends the kiosk so that its unit starts it again
};

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

    // Reads the kept news again (news_file_for the database: the pull thread
    // or simulate's `pull` wrote it); a file that cannot be read is logged
    // and shows nothing. Returns true if what the attract screen shows changed.
    bool reload_news();
    const std::optional<News>& news() const { return news_; }

    // The admin panel's hooks (see AdminHooks).
    void set_admin_hooks(AdminHooks hooks) { admin_hooks_ = std::move(hooks); }

    // The name of what is on screen: the flow's screen_name(), or while the
    // admin screens are open "admin PIN pad", "admin panel", "touch test".
    std::string shown_screen_name() const;

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
    AdminHooks admin_hooks_;
    AdminInfo admin_info_;
    std::optional<Millis> admin_info_at_;  // when admin_info_ was gathered; reset when the panel closes
    bool upload_requested_ = false;        // "upload now" tapped since the panel opened
    std::optional<News> news_;             // the manager's response the attract screen shows
    Terminal::Log log_;                    // for a news file that cannot be read
};

}  // namespace pulse
