// gui.cpp — ImGui setup and one frame (see gui.hpp).
#include "kiosk/gui.hpp"

#include "kiosk/render_sdl.hpp"

#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <fstream>

namespace pulse {

namespace {

// Latin-1 for Danish (æ ø å and friends) plus the punctuation outside it that
// our texts use: en and em dash, curly and low quotes („ “), bullet, ellipsis.
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement
    0x2013, 0x2014,  // – —
    0x2018, 0x201E,  // ‘ ’ ‚ “ ” „
    0x2022, 0x2022,  // •
    0x2026, 0x2026,  // …
    0,
};

}  // namespace

std::unique_ptr<Gui> Gui::create(Platform& platform, const std::filesystem::path& font_file, const Layout& layout,
                                 std::string* error) {
    if (!std::ifstream(font_file).good()) {
        if (error) *error = "cannot read font " + font_file.string() + " (install Debian's fonts-open-sans, or set [display] font)";
        return nullptr;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    std::unique_ptr<Gui> gui(new Gui(platform));
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // an appliance keeps no ImGui settings file
    io.LogFilename = nullptr;
    ImGui::StyleColorsLight();

    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    auto load = [&](float px) {
        return io.Fonts->AddFontFromFileTTF(font_file.c_str(), std::round(px * layout.scale), &config, kGlyphRanges);
    };
    gui->fonts_.headline = load(72);
    gui->fonts_.statement = load(56);
    gui->fonts_.button = load(32);
    gui->fonts_.title = load(28);
    gui->fonts_.fine = load(24);
    if (!gui->fonts_.headline || !gui->fonts_.fine || !io.Fonts->Build()) {
        if (error) *error = "cannot load font " + font_file.string();
        return nullptr;
    }
    io.FontDefault = gui->fonts_.button;

    ImGui_ImplSDL2_InitForSDLRenderer(platform.window());
    ImGui_ImplSDLRenderer_Init(platform.renderer());
    return gui;
}

Gui::~Gui() {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
}

Intent Gui::frame(View& view, Pointer& pointer, float dt_s) {
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (platform_.turn().turned()) {
        // The backend measured the window (the panel); the screens are drawn
        // on the turned size, into the platform's render target, 1:1.
        io.DisplaySize = ImVec2(static_cast<float>(platform_.width()), static_cast<float>(platform_.height()));
        io.DisplayFramebufferScale = ImVec2(1, 1);
    }
    io.DeltaTime = dt_s > 0 ? dt_s : 1.0f / 60.0f;
    pointer.apply(io);  // after the backend, which would otherwise poll the mouse
    ImGui::NewFrame();
    view.hits->clear();
    const Intent intent = draw_screen(view);
    ImGui::Render();
    platform_.begin_frame();
    SDL_Renderer* r = platform_.renderer();
    SDL_SetRenderDrawColor(r, (view.palette.background >> 24) & 0xFF, (view.palette.background >> 16) & 0xFF,
                           (view.palette.background >> 8) & 0xFF, 0xFF);
    SDL_RenderClear(r);
    render_draw_data(r, ImGui::GetDrawData());
    return intent;
}

void Gui::present() { platform_.present(); }

}  // namespace pulse
