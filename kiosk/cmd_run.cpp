// cmd_run.cpp — the kiosk itself: a window (fullscreen on the terminal), the
// answer writer on its own thread, and a loop that sleeps until an input
// event or the next due timer. Nothing is drawn while nothing changes. Under
// systemd the loop tells the unit it is ready after its first frame and pings
// its watchdog (terminal/service_notify.hpp). The cursor is hidden and the
// screen saver off; a turned panel ([display] rotation) is drawn turned and
// its touches mapped back (kiosk/screen_turn.hpp). With [upload], the
// uploader and the heartbeat run on threads of their own. The backlight is
// dimmed outside opening hours; the admin panel's actions reach the uploader,
// the backlight and the loop through AdminHooks.
#include "kiosk/commands.hpp"
#include "kiosk/kiosk.hpp"
#include "terminal/backlight.hpp"
#include "terminal/overlay_files.hpp"
#include "terminal/news.hpp"
#include "terminal/overlay_pull.hpp"
#include "terminal/service_notify.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <ostream>

namespace pulse {

namespace {

Millis monotonic_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

UnixSeconds wall_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int cmd_run(const std::filesystem::path& config_file, std::ostream& err, const std::string& version) {
    // The config overlay from the centre (terminal/overlay_files.hpp): one
    // that did not reach the attract screen at the last start is reverted
    // now; a new one is on trial until the first frame.
    Diagnostics errors;
    std::optional<OverlayFiles> overlay_files;
    if (const ConfigLoad base = load_kiosk_config(config_file); base.config) {
        overlay_files = overlay_files_for(base.config->database);
        begin_overlay_start(*overlay_files, log_to(err));
    }
    std::optional<LoadedConfig> cfg = load_all(config_file, &errors, &err);
    std::error_code trial_ec;
    if (!cfg && overlay_files && std::filesystem::exists(overlay_files->trial(), trial_ec)) {
        // The new overlay does not even load: revert at once, not after a crash loop.
        print_diagnostics(errors, err);
        errors.clear();
        begin_overlay_start(*overlay_files, log_to(err));
        cfg = load_all(config_file, &errors, &err);
    }
    if (!cfg) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    PlatformOptions options;
    options.width = cfg->config.width;
    options.height = cfg->config.height;
    options.fullscreen = cfg->config.fullscreen;
    options.title = "Pulse — " + cfg->config.workplace;
    options.rotation = cfg->config.rotation;
    options.attempts = video_attempts(display_environment_here(cfg->config.renderer));

    // The writer wakes the loop through the platform, which exists only after open().
    Platform* platform_for_wake = nullptr;
    auto wake = [&platform_for_wake] {
        if (platform_for_wake) platform_for_wake->wake();
    };
    std::string error;
    std::unique_ptr<Kiosk> kiosk = Kiosk::open(*cfg, options, make_thread_writer(cfg->config.database, wake),
                                               make_os_seeded_rng(), monotonic_ms(), wall_s(), log_to(err), &error);
    if (!kiosk) {
        const bool no_display = !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY");
        if (no_display) {  // one clear line, and where to go instead
            err << "pulse-kiosk: no display on this machine (" << error
                << "); see the kiosk headless instead: pulse-kiosk simulate --config " << config_file.string()
                << " --script FILE --shots DIR (README.md, \"Headless simulation\")\n";
        } else {
            err << "pulse-kiosk: " << error << '\n';
        }
        return kExitFailure;
    }
    platform_for_wake = &kiosk->platform();
    // Which way the screen was opened, and why; and why not the ways before it.
    for (const std::string& failed : kiosk->platform().failed_attempts()) {
        err << "pulse-kiosk: video driver " << failed << '\n';
    }
    err << "pulse-kiosk: video driver " << kiosk->platform().video().driver << ", renderer "
        << kiosk->platform().renderer_name() << ": " << kiosk->platform().video().why << '\n';
    err << "pulse-kiosk: terminal " << cfg->config.terminal_id << " (" << cfg->config.workplace << "), renderer "
        << kiosk->platform().renderer_name() << ", database " << cfg->config.database.string() << ", "
        << (cfg->config.upload ? "uploading to " + cfg->config.upload->endpoint : std::string("offline (no [upload])"))
        << '\n';
    // What the panel shows and what it never does, as SDL reports it.
    const ScreenTurn turn = kiosk->platform().turn();
    err << "pulse-kiosk: panel " << turn.panel_width() << "x" << turn.panel_height();
    if (turn.turned()) {
        err << " turned " << turn.rotation() << "° clockwise, screens laid out on " << turn.layout_width() << "x"
            << turn.layout_height() << " (render target, touch mapped back)";
    }
    err << ", cursor " << (kiosk->platform().cursor_hidden() ? "hidden" : "SHOWN")
        << ", screen saver and blanking "
        << (kiosk->platform().screen_saver_allowed() ? "ALLOWED" : "disabled (SDL_DisableScreenSaver)") << '\n';

    // Store-and-forward on its own thread and connection. It keeps its own
    // time (a few minutes after each hour): new answers need not wake it.
    std::unique_ptr<UploaderThread> uploader;
    if (cfg->config.upload) {
        const KioskConfig& config = cfg->config;
        uploader = std::make_unique<UploaderThread>(
            config.database,
            [&config](const std::atomic<bool>* cancel) {
                return make_curl_http_client(curl_options_for(config, cancel));
            },
            upload_settings_for(*cfg), log_to(err));
    }

    // A heartbeat every 15 minutes on a thread of its own (terminal/heartbeat.hpp).
    // The loop below publishes only the coarse screen state to it.
    std::atomic<int> screen_state{static_cast<int>(ScreenState::in_service)};
    std::unique_ptr<HeartbeatThread> heartbeat;
    if (cfg->config.upload) {
        const KioskConfig& config = cfg->config;
        std::string version_error;
        HeartbeatSettings settings = heartbeat_settings_for(*cfg, config_file, version, &version_error);
        if (!version_error.empty()) err << "pulse-kiosk: heartbeat: " << version_error << '\n';
        heartbeat = std::make_unique<HeartbeatThread>(
            config.database,
            [&config](const std::atomic<bool>* cancel) {
                return make_curl_http_client(curl_options_for(config, cancel));
            },
            std::move(settings), [&screen_state] { return static_cast<ScreenState>(screen_state.load()); },
            log_to(err));
    }

    // The overlay from the centre, at start and hourly; a new one that passes
    // the same check as `pulse-kiosk check` is kept for the next start.
    std::unique_ptr<OverlayPullThread> overlay_pull;
    if (cfg->config.upload && overlay_files) {
        const KioskConfig& config = cfg->config;
        overlay_pull = std::make_unique<OverlayPullThread>(
            *overlay_files, config.upload->endpoint, config.upload->token,
            [&config](const std::atomic<bool>* cancel) { return make_curl_http_client(curl_options_for(config, cancel)); },
            [config_file](const std::filesystem::path& overlay, Diagnostics& overlay_errors) {
                return load_all(config_file, &overlay_errors, nullptr, overlay).has_value();
            },
            log_to(err));
    }

    // The manager's response ("you said, we did"), at start and hourly, kept beside the database.
    std::unique_ptr<NewsPullThread> news_pull;
    if (cfg->config.upload) {
        const KioskConfig& config = cfg->config;
        news_pull = std::make_unique<NewsPullThread>(
            news_file_for(config.database), config.upload->endpoint, config.upload->token,
            [&config](const std::atomic<bool>* cancel) { return make_curl_http_client(curl_options_for(config, cancel)); },
            log_to(err));
    }

    // The backlight: dimmed outside opening hours, stepped from the admin panel.
    std::optional<BacklightKeeper> backlight;
    {
        std::string backlight_error;
        if (std::optional<Backlight> opened = open_configured_backlight(cfg->config.backlight, &backlight_error)) {
            err << "pulse-kiosk: backlight " << opened->folder().string() << " (max " << opened->max()
                << "), dimmed to " << static_cast<int>(cfg->config.night_brightness * 100 + 0.5)
                << " % outside opening hours\n";
            backlight.emplace(std::move(*opened), cfg->config.night_brightness, log_to(err));
        } else if (!backlight_error.empty()) {
            err << "pulse-kiosk: backlight: " << backlight_error << "; it is left as it is\n";
        } else {
            err << "pulse-kiosk: no backlight to dim ([display] backlight = \"" << cfg->config.backlight << "\")\n";
        }
    }

    // The admin panel's facts and actions (kiosk.hpp, AdminHooks).
    bool restart_asked = false;
    {
        AdminHooks hooks;
        std::string version_error;
        const std::string config_version = config_version_of_file(config_file, &version_error).value_or("");
        hooks.gather = [&cfg, &version, config_version, &heartbeat, &err] {
            return gather_admin_info(cfg->config, version, config_version,
                                     heartbeat ? heartbeat->last_contact() : std::nullopt, log_to(err));
        };
        if (uploader) hooks.upload_now = [&uploader, &err] {
            err << "pulse-kiosk: admin: upload now\n";
            uploader->upload_now();
        };
        hooks.brightness = [&backlight, &kiosk](int direction) -> std::optional<int> {
            if (!backlight) return std::nullopt;
            return backlight->step(direction, kiosk->terminal().flow().hours_closed);
        };
        hooks.restart = [&restart_asked] { restart_asked = true; };
        kiosk->set_admin_hooks(std::move(hooks));
    }

    ServiceNotifier systemd = ServiceNotifier::from_environment();
    bool systemd_error_logged = false;
    const auto tell_systemd = [&](bool sent, const std::string& why) {
        if (!sent && !systemd_error_logged) err << "pulse-kiosk: " << why << '\n';
        systemd_error_logged = systemd_error_logged || !sent;
    };
    if (systemd.enabled()) {
        err << "pulse-kiosk: under systemd, "
            << (systemd.watchdog_ms() > 0 ? "watchdog every " + std::to_string(systemd.watchdog_ms()) + " ms"
                                          : std::string("no watchdog"))
            << '\n';
    }
    const bool exit_after_first_frame = std::getenv("PULSE_EXIT_AFTER_FIRST_FRAME") != nullptr;
    Millis last_frame = monotonic_ms();
    bool overlay_confirmed = false;
    int frames_owed = 2;  // ImGui settles in two frames after any change
    for (;;) {
        // Sleep until an event, or the next timer, unless a frame is owed.
        int timeout_ms = -1;
        if (frames_owed > 0 || kiosk->pointer().busy()) {
            timeout_ms = 0;
        } else if (std::optional<Millis> due = kiosk->terminal().next_deadline()) {
            timeout_ms = static_cast<int>(std::clamp<Millis>(*due - monotonic_ms() + 1, 0, 60'000));
        }
        // The idle warning's bar, and the undo's on the thanks screen, shrink: ten frames a second while they show.
        const Flow& shown_flow = kiosk->terminal().flow();
        const bool warning = shown_flow.still_there || (shown_flow.screen == Screen::thanks && shown_flow.undo_offered);
        if (warning) timeout_ms = timeout_ms < 0 ? 100 : std::min(timeout_ms, 100);
        // The admin screens show facts and a lockout's minutes: redrawn every few seconds while open.
        const bool admin_open = kiosk->terminal().admin().mode != AdminMode::off;
        if (admin_open) {
            const int refresh_ms = static_cast<int>(kAdminInfoRefresh_ms);
            timeout_ms = timeout_ms < 0 ? refresh_ms : std::min(timeout_ms, refresh_ms);
        }
        // A minute at most between looks at whether a new overlay waits.
        if (overlay_pull || news_pull) timeout_ms = timeout_ms < 0 ? 60'000 : std::min(timeout_ms, 60'000);
        // The watchdog's ping is due: wake for it, whatever else waits.
        if (std::optional<Millis> ping = systemd.next_ping_due()) {
            const int until_ping = static_cast<int>(std::clamp<Millis>(*ping - monotonic_ms(), 0, 60'000));
            timeout_ms = timeout_ms < 0 ? until_ping : std::min(timeout_ms, until_ping);
        }
        SDL_Event event;
        bool have_event = kiosk->platform().wait_event(&event, timeout_ms);
        while (have_event) {
            // SIGTERM and SIGINT arrive as SDL_QUIT (systemd's stop, a reboot): a
            // session in progress hands its answers to the writer, which writes
            // them before the kiosk is gone (its destructor, below).
            if (event.type == SDL_QUIT) {
                kiosk->terminal().shutdown(monotonic_ms(), wall_s());
                return kExitOk;
            }
            if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE && !cfg->config.fullscreen) {
                kiosk->terminal().shutdown(monotonic_ms(), wall_s());
                return kExitOk;  // windowed (demo, development) only: the appliance has no way out
            }
            if (kiosk->pointer().handle(event, kiosk->platform().turn())) frames_owed = 2;
            if (event.type == SDL_WINDOWEVENT) frames_owed = std::max(frames_owed, 1);
            have_event = SDL_PollEvent(&event) == 1;
        }
        const Millis now = monotonic_ms();
        std::string why;
        tell_systemd(systemd.alive(now, &why), why);  // from this loop: a hung loop stops the pings
        if (kiosk->terminal().update(now, wall_s())) frames_owed = 2;
        if (news_pull && news_pull->take_changed() && kiosk->reload_news()) frames_owed = 2;
        if (warning && now - last_frame >= 100) frames_owed = std::max(frames_owed, 1);
        // Answers the thanks screen may still undo stay out of every batch, even once their hour has ended.
        if (uploader) uploader->hold_from_hour(kiosk->terminal().undo_hour());
        if (backlight) backlight->follow(kiosk->terminal().flow().hours_closed);
        // A new overlay waits for a quiet moment: nobody answering, no admin screen.
        const Screen shown = kiosk->terminal().flow().screen;
        // Not while a first answer's check mark shows on attract (its session
        // has begun, in memory) nor while answers wait to be durable.
        const Flow& flow = kiosk->terminal().flow();
        if (overlay_pull && overlay_pull->restart_wanted() && overlay_confirmed &&
            kiosk->terminal().admin().mode == AdminMode::off && (shown == Screen::attract || shown == Screen::closed) &&
            !flow.confirming && flow.unsaved == 0) {
            err << "pulse-kiosk: restarting to take the new config overlay\n";
            kiosk->terminal().shutdown(monotonic_ms(), wall_s());
            return kExitOk;
        }
        if (admin_open && now - last_frame >= kAdminInfoRefresh_ms) frames_owed = std::max(frames_owed, 1);
        screen_state = static_cast<int>(screen_state_for(screen_name(kiosk->terminal().flow().screen)));
        if (frames_owed > 0 || kiosk->pointer().busy()) {
            const float dt = static_cast<float>(std::max<Millis>(1, now - last_frame)) / 1000.0f;
            last_frame = now;
            if (kiosk->frame(now, wall_s(), dt)) frames_owed = 2;
            else --frames_owed;
            if (restart_asked) {  // the unit (Restart=always) starts the kiosk again
                err << "pulse-kiosk: admin: restart asked for from the admin panel; exiting\n";
                kiosk->terminal().shutdown(monotonic_ms(), wall_s());
                return kExitOk;
            }
            tell_systemd(systemd.ready(monotonic_ms(), &why), why);  // once: the first frame is on screen
            if (overlay_files && !overlay_confirmed) {  // it started: the overlay is good
                confirm_overlay_start(*overlay_files, log_to(err));
                overlay_confirmed = true;
            }
            // For the start-up benchmark (bench/README.md): stop once the first frame is on screen.
            if (exit_after_first_frame) return kExitOk;
        }
    }
}

}  // namespace pulse
