// main.cpp — pulse-kiosk's command line: parse it, call the command.
//   pulse-kiosk [run] --config FILE     the kiosk in a window (fullscreen per config)
//   pulse-kiosk simulate ...            the real UI headless, replaying a script
//   pulse-kiosk check --config FILE     validate config, question bank and texts
//   pulse-kiosk status --config FILE    one JSON object for IT
//   pulse-kiosk sync --config FILE      upload everything pending now
#include "kiosk/commands.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

int main(int argc, char** argv) {
    using namespace pulse;
    CLI::App app{"Pulse kiosk: anonymous staff pulse terminal"};
    app.require_subcommand(0, 1);
    std::string config = "config/demo.toml";
    app.add_option("--config", config, "terminal config (TOML)")->check(CLI::ExistingFile);

    CLI::App* run = app.add_subcommand("run", "run the kiosk in a window (the default)");
    run->add_option("--config", config, "terminal config (TOML)")->check(CLI::ExistingFile);

    CLI::App* check = app.add_subcommand("check", "validate config, question bank and texts; exit 2 on errors");
    check->add_option("--config", config, "terminal config (TOML)")->required()->check(CLI::ExistingFile);

    CLI::App* status = app.add_subcommand("status", "print the terminal's state as one JSON object");
    status->add_option("--config", config, "terminal config (TOML)")->required()->check(CLI::ExistingFile);

    double sync_timeout_s = 60;
    CLI::App* sync = app.add_subcommand("sync", "upload everything pending now; exit 0 when nothing is left pending");
    sync->add_option("--config", config, "terminal config (TOML)")->required()->check(CLI::ExistingFile);
    sync->add_option("--timeout", sync_timeout_s, "give up after this many seconds (default 60)")
        ->check(CLI::Range(1.0, 86400.0));

    SimulateOptions sim;
    std::string sim_now, sim_size;
    CLI::App* simulate = app.add_subcommand("simulate", "replay a script against the real UI, headless");
    simulate->add_option("--config", config, "terminal config (TOML)")->required()->check(CLI::ExistingFile);
    simulate->add_option("--script", sim.script_file, "script: tap <id> | tap <x> <y> | wait <s> | shot <name>")
        ->required()
        ->check(CLI::ExistingFile);
    simulate->add_option("--shots", sim.shots_dir, "folder for the PNGs of `shot`");
    simulate->add_option("--seed", sim.seed, "seed for every random choice (default 1)");
    simulate->add_option("--now", sim_now, "virtual clock start, ISO 8601 (default: now)");
    simulate->add_option("--size", sim_size, "window size WxH, e.g. 1080x1920 (default: from config)");

    CLI11_PARSE(app, argc, argv);

    const UnixSeconds wall_now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (*check) return cmd_check(config, std::cout, std::cerr);
    if (*status) return cmd_status(config, wall_now, std::cout, std::cerr);
    if (*sync) return cmd_sync(config, sync_timeout_s, std::cout, std::cerr);
    if (*simulate) {
        sim.config_file = config;
        if (!sim_now.empty()) {
            sim.now = parse_iso8601(sim_now);
            if (!sim.now) {
                std::cerr << "--now: '" << sim_now << "' is not an ISO 8601 time (e.g. 2026-11-27T09:30:00Z)\n";
                return kExitFailure;
            }
        }
        if (!sim_size.empty()) {
            char x = 0;
            if (std::sscanf(sim_size.c_str(), "%d%c%d", &sim.width, &x, &sim.height) != 3 || x != 'x' ||
                sim.width < 320 || sim.height < 320 || sim.width > 8192 || sim.height > 8192) {
                std::cerr << "--size: '" << sim_size << "' is not WIDTHxHEIGHT between 320 and 8192 (e.g. 1080x1920)\n";
                return kExitFailure;
            }
        }
        return cmd_simulate(sim, std::cout, std::cerr);
    }
    return cmd_run(config, std::cerr);
}
