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
    if (!o.headless) {
        SDL_ShowCursor(SDL_DISABLE);  // a touch screen shows no arrow
        // SDL's default already (SDL_HINT_VIDEO_ALLOW_SCREENSAVER unset), said
        // here so no hint or later SDL changes it: the panel must not blank
        // while the kiosk waits for someone (X11: the X screen saver is
        // suspended and reset; Wayland: an idle inhibitor on the surface).
        SDL_DisableScreenSaver();
    }

    // A turned panel: the screens are drawn into a target of the turned size.
    int panel_w = 0, panel_h = 0;
    SDL_GetRendererOutputSize(p->renderer_, &panel_w, &panel_h);
    p->turn_ = ScreenTurn(o.rotation, panel_w, panel_h);
    if (p->turn_.turned()) {
        const std::string what = "SDL could not create the " + std::to_string(p->turn_.layout_width()) + "x" +
                                 std::to_string(p->turn_.layout_height()) + " render target for [display] rotation = " +
                                 std::to_string(o.rotation) + ": ";
        if (SDL_RenderTargetSupported(p->renderer_) != SDL_TRUE) {
            if (error) *error = what + "renderer " + p->renderer_name() + " has no render targets";
            return nullptr;
        }
        p->target_ = SDL_CreateTexture(p->renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                       p->turn_.layout_width(), p->turn_.layout_height());
        if (!p->target_) {
            if (error) *error = what + SDL_GetError();
            return nullptr;
        }
        // Copied as it is: no blending, and no filtering (a quarter turn of
        // whole pixels is exact).
        SDL_SetTextureBlendMode(p->target_, SDL_BLENDMODE_NONE);
        SDL_SetTextureScaleMode(p->target_, SDL_ScaleModeNearest);
    }
    return p;
}

Platform::~Platform() {
    if (target_) SDL_DestroyTexture(target_);
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

int Platform::width() const {
    if (target_) return turn_.layout_width();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return w;
}

int Platform::height() const {
    if (target_) return turn_.layout_height();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return h;
}

ScreenTurn Platform::turn() const {
    // Unturned: the window as it is now (as the layout, which is the same).
    return target_ ? turn_ : ScreenTurn(0, width(), height());
}

bool Platform::cursor_hidden() const { return SDL_ShowCursor(SDL_QUERY) == SDL_DISABLE; }

bool Platform::screen_saver_allowed() const { return SDL_IsScreenSaverEnabled() == SDL_TRUE; }

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

void Platform::begin_frame() {
    if (!target_) return;
    SDL_SetRenderTarget(renderer_, target_);
    composed_ = false;
}

bool Platform::compose(std::string* error) {
    if (!target_ || composed_) return true;
    if (SDL_SetRenderTarget(renderer_, nullptr) != 0) {
        if (error) *error = std::string("could not draw to the window: ") + SDL_GetError();
        return false;
    }
    // The target, centred on the window and turned clockwise about the
    // centre, fills the window: for 90 and 270 its width along the window's
    // height. (SDL turns whole-pixel quarter turns exactly, also in its
    // software renderer; tests/kiosk/test_screens.cpp compares every pixel.)
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    const bool quarter = turn_.rotation() == 90 || turn_.rotation() == 270;
    const int dst_w = quarter ? h : w, dst_h = quarter ? w : h;
    const SDL_Rect dst{(w - dst_w) / 2, (h - dst_h) / 2, dst_w, dst_h};
    if (SDL_RenderCopyEx(renderer_, target_, nullptr, &dst, turn_.rotation(), nullptr, SDL_FLIP_NONE) != 0) {
        if (error) *error = std::string("could not turn the frame onto the window: ") + SDL_GetError();
        return false;
    }
    composed_ = true;
    return true;
}

void Platform::present() {
    compose(nullptr);  // on SDL's failure the window keeps what it had; present it anyway
    SDL_RenderPresent(renderer_);
}

bool Platform::read_rgb(std::vector<std::uint8_t>& rgb, std::string* error) {
    if (!compose(error)) return false;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    rgb.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, 0);
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0) {
        if (error) *error = std::string("could not read the frame: ") + SDL_GetError();
        return false;
    }
    return true;
}

bool Platform::save_png(const std::filesystem::path& file, std::string* error) {
    std::vector<std::uint8_t> rgb;
    if (!read_rgb(rgb, error)) return false;
    const int w = turn().panel_width(), h = turn().panel_height();
    if (rgb.size() != static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3 ||
        !stbi_write_png(file.c_str(), w, h, 3, rgb.data(), w * 3)) {
        if (error) *error = "could not write " + file.string();
        return false;
    }
    return true;
}

}  // namespace pulse
