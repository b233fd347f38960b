// platform.cpp — SDL window, renderer, events and PNG capture (see platform.hpp).
#include "kiosk/platform.hpp"

#include <stb_image_write.h>

#include <cstdlib>

namespace pulse {

std::unique_ptr<Platform> Platform::create(const PlatformOptions& o, std::string* error) {
    if (o.headless) {
        // Respect an explicit choice (e.g. SDL_VIDEODRIVER=offscreen), else
        // dummy: a plain framebuffer for the software renderer that loads no
        // EGL/GL driver (offscreen loads Mesa, slower to start, and leaky).
        const char* chosen = std::getenv("SDL_VIDEODRIVER");
        SDL_SetHint(SDL_HINT_VIDEODRIVER, chosen && *chosen ? chosen : "dummy");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    } else if (!std::getenv("SDL_VIDEODRIVER")) {
        // A real screen only: SDL would otherwise fall back to its offscreen
        // driver and "run" invisibly. X11/Wayland when a session is there,
        // else KMS/DRM (an appliance without a desktop).
        const bool wayland = std::getenv("WAYLAND_DISPLAY") != nullptr;
        const bool x11 = std::getenv("DISPLAY") != nullptr;
        SDL_SetHint(SDL_HINT_VIDEODRIVER, wayland ? "wayland,x11" : x11 ? "x11" : "kmsdrm");
    }
    if (o.software) {
        // Draw into the window's own framebuffer: no GL context, so Mesa
        // (and its LLVM) is never loaded on a machine without a GPU.
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    bool started = SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0;
    if (!started && o.headless) {  // an SDL built without the chosen driver: try offscreen
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        started = SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0;
    }
    if (!started) {
        if (error) *error = std::string("SDL could not start video: ") + SDL_GetError();
        return nullptr;
    }
    std::unique_ptr<Platform> p(new Platform());
    Uint32 flags = o.headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    if (o.fullscreen && !o.headless) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    p->window_ = SDL_CreateWindow(o.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width,
                                  o.height, flags);
    if (!p->window_) {
        if (error) *error = std::string("SDL could not open a window: ") + SDL_GetError();
        return nullptr;
    }
    if (!o.headless && !o.software) {
        p->renderer_ = SDL_CreateRenderer(p->window_, -1, SDL_RENDERER_ACCELERATED);
    }
    if (!p->renderer_) {
        p->renderer_ = SDL_CreateRenderer(p->window_, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!p->renderer_) {
        if (error) *error = std::string("SDL could not create a renderer: ") + SDL_GetError();
        return nullptr;
    }
    p->wake_event_ = SDL_RegisterEvents(1);
    if (!o.headless) SDL_ShowCursor(SDL_DISABLE);  // a touch screen shows no arrow
    return p;
}

Platform::~Platform() {
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

int Platform::width() const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return w;
}

int Platform::height() const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return h;
}

const char* Platform::renderer_name() const {
    static SDL_RendererInfo info;
    return SDL_GetRendererInfo(renderer_, &info) == 0 ? info.name : "unknown";
}

bool Platform::wait_event(SDL_Event* event, int timeout_ms) {
    return timeout_ms < 0 ? SDL_WaitEvent(event) == 1 : SDL_WaitEventTimeout(event, timeout_ms) == 1;
}

void Platform::wake() {
    SDL_Event e{};
    e.type = wake_event_;
    SDL_PushEvent(&e);
}

bool Platform::read_rgb(std::vector<std::uint8_t>& rgb, std::string* error) const {
    const int w = width(), h = height();
    rgb.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, 0);
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0) {
        if (error) *error = std::string("could not read the frame: ") + SDL_GetError();
        return false;
    }
    return true;
}

bool Platform::save_png(const std::filesystem::path& file, std::string* error) const {
    std::vector<std::uint8_t> rgb;
    if (!read_rgb(rgb, error)) return false;
    if (!stbi_write_png(file.c_str(), width(), height(), 3, rgb.data(), width() * 3)) {
        if (error) *error = "could not write " + file.string();
        return false;
    }
    return true;
}

}  // namespace pulse
