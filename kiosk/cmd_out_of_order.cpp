// cmd_out_of_order.cpp — `pulse-kiosk out-of-order`: what tty1 shows after
// the kiosk has crashed 5 times in 2 minutes (pulse-kiosk-out-of-order.service,
// the kiosk unit's OnFailure=). It draws the kiosk's own out-of-order screen
// with the code CRASH-LOOP for IT and nothing else: no database, no network,
// no answers, no taps. Whatever broke the kiosk may be in its config, so a
// config that does not load still gives a screen: the texts then come from
// the installed ones (/usr/share/pulse/texts.toml, found beside the program)
// or the source tree's, the window fills the display, in Danish.
#include "kiosk/commands.hpp"
#include "kiosk/gui.hpp"
#include "kiosk/platform.hpp"
#include "kiosk/pointer.hpp"
#include "kiosk/ui.hpp"

#include <unistd.h>

#include <ostream>

namespace pulse {

namespace {

// texts.toml of this installation: <prefix>/share/pulse beside <prefix>/bin,
// else the source tree's config/ (a development build).
std::filesystem::path installed_texts() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed = exe.parent_path().parent_path() / "share" / "pulse" / "texts.toml";
        if (std::filesystem::exists(installed, ec)) return installed;
    }
    return std::filesystem::path(PULSE_SOURCE_DIR) / "config" / "texts.toml";
}

}  // namespace

int cmd_out_of_order(const std::filesystem::path& config_file, const std::filesystem::path& shot, std::ostream& err) {
    const auto log = [&err](const std::string& line) { err << "pulse-kiosk out-of-order: " << line << '\n'; };
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(config_file, &errors, &err);
    KioskConfig config;
    std::optional<Texts> texts;
    if (cfg) {
        config = cfg->config;
        texts = cfg->texts;
    } else {
        for (const Diagnostic& d : errors) log("the config does not load: " + d.str());
        TextsLoad t = load_texts(installed_texts());
        for (const Diagnostic& d : t.errors) log(d.str());
        if (!t.texts) return kExitBadConfig;
        texts = std::move(t.texts);
        config.diagonal_inch = 23.8;  // touch sizes do not matter here: nothing can be tapped
    }

    PlatformOptions options;
    options.width = config.width;
    options.height = config.height;
    options.fullscreen = shot.empty() && config.fullscreen;
    options.headless = !shot.empty();
    options.rotation = config.rotation;
    options.title = "Pulse — out of order";
    if (!options.headless) options.attempts = video_attempts(display_environment_here(config.renderer));
    std::string error;
    std::unique_ptr<Platform> platform = Platform::create(options, &error);
    if (!platform) {
        log(error);
        return kExitFailure;
    }
    const Layout layout = make_layout(static_cast<float>(platform->width()), static_cast<float>(platform->height()),
                                      config.px_per_mm(), config.bottom_edge_m);
    std::unique_ptr<Gui> gui = Gui::create(*platform, font_for(config), layout, &error);
    if (!gui) {
        log(error);
        return kExitFailure;
    }
    FlowSettings settings;
    settings.default_language = config.language;
    Flow flow = make_flow(settings, 0);
    on_store_failed(flow, "CRASH-LOOP", 0);
    const QuestionBank no_questions;
    const Palette palette = palette_for(config);
    Pointer pointer;
    std::vector<Hit> hits;
    const auto draw = [&] {
        hits.clear();
        View view{flow, no_questions, *texts, layout, gui->fonts(), palette, &hits};
        gui->frame(view, pointer, 1.0f / 60);
    };

    if (!shot.empty()) {
        draw();
        if (!platform->save_png(shot, &error)) {
            log(error);
            return kExitFailure;
        }
        return kExitOk;
    }
    log("showing the out-of-order screen (code CRASH-LOOP) until `systemctl restart pulse-kiosk`");
    // ImGui settles its layout over the first frames; after that only a
    // window event (expose, resize) needs a new frame.
    for (int i = 0; i < 3; ++i) {
        draw();
        gui->present();
    }
    SDL_Event event;
    while (platform->wait_event(&event, -1)) {
        if (event.type == SDL_QUIT) break;
        if (event.type == SDL_WINDOWEVENT) {
            draw();
            gui->present();
        }
    }
    return kExitOk;
}

}  // namespace pulse
