// platform.hpp — the one seam to SDL: a window with an SDL_Renderer (GPU if
// there is one, else software), the event pump, a thread-safe wake-up, and
// frame capture to PNG. The real kiosk and the headless simulator share it;
// headless uses SDL's dummy (or offscreen) video driver and the software
// renderer.
#pragma once

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
};

class Platform {
public:
    // Initialises SDL video and opens the window and renderer, trying each
    // of options.attempts in turn until one gives both. Returns nullptr and
    // sets *error (every attempt with SDL_GetError()'s reason) if none does,
    // e.g. no display.
    static std::unique_ptr<Platform> create(const PlatformOptions& options, std::string* error);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }
    int width() const;   // renderer output size, pixels
    int height() const;
    const char* renderer_name() const;
    // The attempt that opened the window (driver "" when headless or SDL's
    // own choice), and why each one before it failed ("wayland: …").
    const VideoAttempt& video() const { return video_; }
    const std::vector<std::string>& failed_attempts() const { return failed_; }

    // Waits up to timeout_ms (< 0: forever) for an event.
    bool wait_event(SDL_Event* event, int timeout_ms);

    // Makes wait_event return soon; callable from any thread.
    void wake();

    // The current back buffer as tightly packed RGB (3 bytes a pixel).
    // Call after rendering and before presenting.
    bool read_rgb(std::vector<std::uint8_t>& rgb, std::string* error) const;

    // Writes the current back buffer as a PNG.
    bool save_png(const std::filesystem::path& file, std::string* error) const;

private:
    Platform() = default;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::uint32_t wake_event_ = 0;
    VideoAttempt video_;
    std::vector<std::string> failed_;
};

}  // namespace pulse
