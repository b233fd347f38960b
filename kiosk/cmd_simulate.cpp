// cmd_simulate.cpp — `pulse-kiosk simulate`: replays a script (script.hpp)
// on a Simulator: the real UI headless on a virtual clock. The same script,
// config, seed and start time give byte-identical PNGs and the same rows.
// Shots and `tap <x> <y>` are in the panel's pixels (config width × height,
// or --size): with [display] rotation the PNG is the turned picture the
// panel shows, comparable with a compositor's screenshot, and a tap point is
// mapped back to the layout as a touch is.
#include "kiosk/commands.hpp"
#include "kiosk/script.hpp"
#include "kiosk/simulator.hpp"
#include "terminal/admin_info.hpp"
#include "terminal/backlight.hpp"
#include "terminal/news.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ostream>

namespace pulse {

int cmd_simulate(const SimulateOptions& o, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(o.config_file, &errors);
    if (!cfg) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    Script script = load_script(o.script_file);
    for (const ScriptStep& s : script.steps) {
        if (s.kind == ScriptStep::Kind::shot && o.shots_dir.empty()) {
            script.errors.push_back({o.script_file.string(), s.line, "'shot' needs --shots DIR"});
        }
    }
    if (!script.errors.empty()) {
        print_diagnostics(script.errors, err);
        return kExitFailure;
    }
    if (!o.shots_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.shots_dir, ec);
        if (ec) {
            err << o.shots_dir.string() << ": cannot create the shots folder: " << ec.message() << '\n';
            return kExitFailure;
        }
    }

    const UnixSeconds start = o.now ? *o.now
                                    : std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
    std::string error;
    std::unique_ptr<Simulator> sim =
        Simulator::open(*cfg, o.width > 0 ? o.width : cfg->config.width, o.height > 0 ? o.height : cfg->config.height,
                        make_inline_writer(cfg->config.database), o.seed, start, log_to(err), &error);
    if (!sim) {
        err << "pulse-kiosk simulate: " << error << '\n';
        return kExitFailure;
    }

    // The admin panel's facts as on a terminal (no heartbeat runs here); a
    // backlight only when [display] backlight names a folder (a test's
    // stand-in), never the machine's own by "auto".
    std::optional<BacklightKeeper> backlight;
    const std::string& backlight_setting = cfg->config.backlight;
    if (backlight_setting != "auto" && backlight_setting != "none") {
        if (std::optional<Backlight> opened = open_configured_backlight(backlight_setting, &error)) {
            backlight.emplace(std::move(*opened), cfg->config.night_brightness, log_to(err));
        } else {
            err << "pulse-kiosk simulate: backlight: " << error << '\n';
            return kExitFailure;
        }
    }
    const auto follow_hours = [&] {
        if (backlight) backlight->follow(sim->kiosk().terminal().flow().hours_closed);
    };
    follow_hours();
    {
        AdminHooks hooks;
        std::string version_error;
        const std::string config_version = config_version_of_file(o.config_file, &version_error).value_or("");
        hooks.gather = [&cfg, &o, config_version, &err] {
            return gather_admin_info(cfg->config, o.version, config_version, std::nullopt, log_to(err));
        };
        hooks.upload_now = [&err] { err << "pulse-kiosk simulate: admin: upload now (simulate uploads nothing)\n"; };
        hooks.brightness = [&](int direction) -> std::optional<int> {
            if (!backlight) return std::nullopt;
            return backlight->step(direction, sim->kiosk().terminal().flow().hours_closed);
        };
        hooks.restart = [&err] { err << "pulse-kiosk simulate: admin: restart asked for (simulate carries on)\n"; };
        sim->kiosk().set_admin_hooks(std::move(hooks));
    }

    for (const ScriptStep& s : script.steps) {
        bool ok = true;
        switch (s.kind) {
            case ScriptStep::Kind::tap_id: ok = sim->tap(s.name, &error); break;
            case ScriptStep::Kind::tap_point: ok = sim->tap_at(s.x, s.y, &error); break;
            case ScriptStep::Kind::wait: sim->wait(s.seconds); break;
            case ScriptStep::Kind::shot: ok = sim->shot(o.shots_dir / (s.name + ".png"), &error); break;
            case ScriptStep::Kind::pull: {
                if (!cfg->config.upload) {
                    error = "pull needs [upload] endpoint and token in the config";
                    ok = false;
                    break;
                }
                const std::unique_ptr<HttpClient> http = make_curl_http_client(curl_options_for(cfg->config, nullptr));
                std::string failure;
                pull_and_keep_news(*http, news_file_for(cfg->config.database), cfg->config.upload->endpoint,
                                   cfg->config.upload->token, &failure);
                if (!failure.empty()) {
                    error = "pull: " + failure;
                    ok = false;
                    break;
                }
                sim->kiosk().reload_news();
                sim->wait(0);  // the next frame shows it
                break;
            }
        }
        if (!ok) {
            err << o.script_file.string() << ":" << s.line << ": " << error << '\n';
            return kExitFailure;
        }
        follow_hours();
    }

    nlohmann::ordered_json result;
    result["screen"] = screen_name(sim->screen());
    // While an admin screen is open, which one ("pin", "panel", "touch_test").
    switch (sim->kiosk().terminal().admin().mode) {
        case AdminMode::off: break;
        case AdminMode::pin: result["admin"] = "pin"; break;
        case AdminMode::panel: result["admin"] = "panel"; break;
        case AdminMode::touch_test: result["admin"] = "touch_test"; break;
    }
    result["answers_stored"] = sim->kiosk().terminal().answers_durable();
    out << result.dump() << '\n';
    return kExitOk;
}

}  // namespace pulse
