// platform.cpp — SDL window, renderer, events and PNG capture (see platform.hpp).
#include "kiosk/platform.hpp"

#include <stb_image_write.h>

#include <cstdlib>

namespace pulse {

namespace {

// Starts SDL video with the driver hint already set and opens the window
// and renderer (GPU first unless software or headless, then SDL's software
// renderer). False with *why, everything closed and SDL shut down again, when
// any step fails.
bool open_with(SDL_Window*& window, SDL_Renderer*& renderer, const PlatformOptions& o, bool software, std::string* why) {
    const auto fail = [&](const char* what) {
        *why = std::string(what) + SDL_GetError();
        if (renderer) SDL_DestroyRenderer(renderer);
        if (window) SDL_DestroyWindow(window);
        renderer = nullptr;
        window = nullptr;
        SDL_Quit();
        return false;
    };
    if (software) {
        // Draw into the window's own framebuffer: no GL context, so Mesa
        // (and its LLVM) is never loaded on a machine without a GPU.
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    } else if (!o.headless) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, nullptr);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, nullptr);
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return fail("SDL could not start video: ");
    Uint32 flags = o.headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    if (o.fullscreen && !o.headless) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window = SDL_CreateWindow(o.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width, o.height, flags);
    if (!window) return fail("SDL could not open a window: ");
    if (!o.headless && !software) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED);
    if (!renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) return fail("SDL could not create a renderer: ");
    return true;
}

}  // namespace

std::unique_ptr<Platform> Platform::create(const PlatformOptions& o, std::string* error) {
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    std::unique_ptr<Platform> p(new Platform());
    std::vector<VideoAttempt> attempts = o.attempts;
    if (o.headless) {
        // Respect an explicit choice (e.g. SDL_VIDEODRIVER=offscreen), else
        // dummy: a plain framebuffer for the software renderer that loads no
        // EGL/GL driver (offscreen loads Mesa, slower to start, and leaky);
        // offscreen when this SDL lacks the chosen driver.
        const char* chosen = std::getenv("SDL_VIDEODRIVER");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        attempts = {{chosen && *chosen ? chosen : "dummy", true, "headless"}, {"offscreen", true, "headless"}};
    } else if (attempts.empty()) {
        attempts = {{"", false, "SDL's own choice"}};
    }
    std::string failures;
    for (const VideoAttempt& a : attempts) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, a.driver.empty() ? nullptr : a.driver.c_str());
        std::string why;
        if (open_with(p->window_, p->renderer_, o, a.software, &why)) {
            p->video_ = a;
            SDL_RendererInfo info;
            if (!a.software && SDL_GetRendererInfo(p->renderer_, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE)) {
                p->video_.why += ", but no GPU renderer opened: SDL's software renderer instead";
            }
            break;
        }
        p->failed_.push_back((a.driver.empty() ? std::string("default") : a.driver) + ": " + why);
        failures += (failures.empty() ? "" : "; ") + p->failed_.back();
    }
    if (!p->renderer_) {
        if (error) *error = failures;
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
