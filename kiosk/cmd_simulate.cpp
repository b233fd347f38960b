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

    for (const ScriptStep& s : script.steps) {
        bool ok = true;
        switch (s.kind) {
            case ScriptStep::Kind::tap_id: ok = sim->tap(s.name, &error); break;
            case ScriptStep::Kind::tap_point: ok = sim->tap_at(s.x, s.y, &error); break;
            case ScriptStep::Kind::wait: sim->wait(s.seconds); break;
            case ScriptStep::Kind::shot: ok = sim->shot(o.shots_dir / (s.name + ".png"), &error); break;
        }
        if (!ok) {
            err << o.script_file.string() << ":" << s.line << ": " << error << '\n';
            return kExitFailure;
        }
    }

    nlohmann::ordered_json result;
    result["screen"] = screen_name(sim->screen());
    result["answers_stored"] = sim->kiosk().terminal().answers_durable();
    out << result.dump() << '\n';
    return kExitOk;
}

}  // namespace pulse
