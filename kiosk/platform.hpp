// platform.hpp — the one seam to SDL: a window with an SDL_Renderer (GPU if
// there is one, else software), the event pump, a thread-safe wake-up, and
// frame capture to PNG. The real kiosk and the headless simulator share it;
// headless uses SDL's dummy (or offscreen) video driver and the software
// renderer. A turned panel ([display] rotation) is drawn into a render
// target of the turned size, copied to the window turned at present (and
// before a capture, so a PNG is what the panel shows).
#pragma once

#include "kiosk/screen_turn.hpp"
#include "kiosk/video_choice.hpp"

#include <SDL.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace pulse {

struct PlatformOptions {
    int width = 1920;
    int height = 1080;
    bool fullscreen = false;
    bool headless = false;  // dummy/offscreen driver + software renderer
    // Not headless: the video drivers to try, best first (video_attempts);
    // empty = SDL's own choice with the GPU renderer, else software.
    std::vector<VideoAttempt> attempts;
    std::string title = "Pulse";
    int rotation = 0;  // 0 | 90 | 180 | 270 degrees clockwise (KioskConfig::rotation)
};

class Platform {
public:
    // Initialises SDL video and opens the window and renderer, trying each
    // of options.attempts in turn until one gives both; with a rotation, also
    // the render target of the turned size. Returns nullptr and sets *error
    // (every attempt with SDL_GetError()'s reason, or why the target could
    // not be made) if none does, e.g. no display. Not headless: the cursor
    // is hidden and the screen saver disabled.
    static std::unique_ptr<Platform> create(const PlatformOptions& options, std::string* error);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }
    // The size the screens are laid out on, pixels: the renderer's output
    // size, turned (height × width) for rotation 90 and 270.
    int width() const;
    int height() const;
    // The panel (the window: as opened when turned, as it is now otherwise)
    // and the layout, for mapping input.
    ScreenTurn turn() const;
    // Whether SDL hides the cursor and keeps the screen saver off (as asked
    // in create when not headless), for the log.
    bool cursor_hidden() const;
    bool screen_saver_allowed() const;
    const char* renderer_name() const;
    // The attempt that opened the window (driver "" when headless or SDL's
    // own choice), and why each one before it failed ("wayland: …").
    const VideoAttempt& video() const { return video_; }
    const std::vector<std::string>& failed_attempts() const { return failed_; }

    // Waits up to timeout_ms (< 0: forever) for an event.
    bool wait_event(SDL_Event* event, int timeout_ms);

    // Makes wait_event return soon; callable from any thread.
    void wake();

    // Starts drawing a frame: with a rotation, into the render target (the
    // layout's pixels); otherwise nothing (the window's back buffer).
    void begin_frame();

    // Puts the frame on the panel: with a rotation, copies the render target
    // to the window turned clockwise (once a frame); then presents.
    void present();

    // The frame as the panel will show it (turned), as tightly packed RGB
    // (3 bytes a pixel), panel_width() × panel_height() of turn(). Call after
    // rendering and before presenting. False with *error if SDL cannot read
    // the renderer.
    bool read_rgb(std::vector<std::uint8_t>& rgb, std::string* error);

    // Writes the frame as the panel will show it as a PNG. False with *error
    // if it cannot be read or written.
    bool save_png(const std::filesystem::path& file, std::string* error);

private:
    Platform() = default;
    // With a rotation, copies the target onto the window turned (once per
    // frame: begin_frame starts a new one). False with *error on SDL's failure.
    bool compose(std::string* error);
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    SDL_Texture* target_ = nullptr;  // the layout's pixels; only with a rotation
    bool composed_ = false;          // the target is on the window for this frame
    ScreenTurn turn_;
    std::uint32_t wake_event_ = 0;
    VideoAttempt video_;
    std::vector<std::string> failed_;
};

}  // namespace pulse
