// main.cpp — pulse-kiosk's command line: parse it, call the command.
//   pulse-kiosk [run] --config FILE     the kiosk in a window (fullscreen per config)
//   pulse-kiosk simulate ...            the real UI headless, replaying a script
//   pulse-kiosk hash-pin                an admin PIN on stdin, its hash on stdout
//   pulse-kiosk check --config FILE     validate config, question bank and texts
//   pulse-kiosk status --config FILE    one JSON object for IT
//   pulse-kiosk sync --config FILE      upload everything pending now
//   pulse-kiosk provision --id ID --workplace WP --endpoint URL --token-file -
//                                       write /etc/pulse/kiosk.toml and token, check them, test the endpoint
//   pulse-kiosk out-of-order [--config FILE]   only the out-of-order screen (after a crash loop)
//   pulse-kiosk --version
#include "kiosk/commands.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>

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
    simulate->add_option("--size", sim_size, "the panel's size WxH in pixels, e.g. 1080x1920 (default: from config; [display] rotation turns the screens on it)");

    ProvisionOptions provision_options;
    int provision_rotation = 0;
    CLI::App* provision = app.add_subcommand(
        "provision",
        "write this terminal's config (CONFIG_DIR/kiosk.toml) and token file (CONFIG_DIR/token, 0600), check them "
        "as `check` does and ask the endpoint whom the token belongs to (nothing is stored); one line says what "
        "it found. Exit 0: all well; 1: the endpoint was unreachable, refused the token or named another "
        "terminal (the files are written), or writing failed; 2: a bad option or token (nothing written), or "
        "the written config fails its check");
    provision->add_option("--id", provision_options.terminal_id, "this terminal's id, [A-Za-z0-9._-]+ (required)");
    provision->add_option("--workplace", provision_options.workplace, "its workplace id, [A-Za-z0-9._-]+ (required)");
    provision->add_option("--endpoint", provision_options.endpoint,
                          "the collector, https://… (http:// only to this machine) (required)");
    provision->add_option("--token-file", provision_options.token_file,
                          "- to read the token (one line) from stdin, or a file holding it (required)");
    provision->add_option("--language", provision_options.language, "start language of a session: da or en (default da)");
    CLI::Option* rotation_option =
        provision->add_option("--rotation", provision_rotation, "0, 90, 180 or 270: a portrait-mounted panel (default: none)");
    provision->add_option("--diagonal-inch", provision_options.diagonal_inch, "the screen's diagonal, 5..150 (default 23.8)");
    provision->add_option("--config-dir", provision_options.config_dir, "where kiosk.toml and token go (default /etc/pulse)");
    provision->add_option("--share", provision_options.share_dir,
                          "the folder of questions.toml and texts.toml (default /usr/share/pulse)");
    provision->add_option("--state-dir", provision_options.state_dir,
                          "the folder of the answers database (default /var/lib/pulse/kiosk)");
    provision->add_option("--user", provision_options.user,
                          "owner of the token file when run as root (default pulse-kiosk); otherwise the file keeps "
                          "the current user");

    provision->add_option("--admin-pin-hash", provision_options.admin_pin_hash,
                          "the admin PIN's hash, as `pulse-kiosk hash-pin` prints it (default: no admin access)");

    CLI::App* hash_pin = app.add_subcommand(
        "hash-pin", "read an admin PIN (4 to 8 digits, one line) from stdin and print its Argon2id hash for "
                    "[admin] pin_hash or provision --admin-pin-hash; the PIN itself is never stored");

    std::string out_of_order_shot;
    CLI::App* out_of_order = app.add_subcommand(
        "out-of-order", "show only the out-of-order screen (code CRASH-LOOP; no database, no network), drawn even "
                        "when the config does not load; for pulse-kiosk-out-of-order.service after a crash loop");
    out_of_order->add_option("--config", config, "terminal config (TOML); default /etc/pulse/kiosk.toml");
    out_of_order->add_option("--shot", out_of_order_shot, "draw one frame headless into this PNG and exit");
    app.set_version_flag("--version", PULSE_VERSION);

    CLI11_PARSE(app, argc, argv);

    const UnixSeconds wall_now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (*check) return cmd_check(config, std::cout, std::cerr);
    if (*hash_pin) return cmd_hash_pin(std::cin, std::cout, std::cerr);
    if (*status) return cmd_status(config, wall_now, std::cout, std::cerr);
    if (*sync) return cmd_sync(config, sync_timeout_s, std::cout, std::cerr);
    if (*out_of_order) {
        if (out_of_order->get_option("--config")->count() == 0 && app.get_option("--config")->count() == 0) {
            config = "/etc/pulse/kiosk.toml";
        }
        return cmd_out_of_order(config, out_of_order_shot, std::cerr);
    }
    if (*provision) {
        if (rotation_option->count() > 0) provision_options.rotation = provision_rotation;
        std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
        return cmd_provision(provision_options, std::cin, *http, std::cout, std::cerr);
    }
    if (*simulate) {
        sim.config_file = config;
        sim.version = PULSE_VERSION;
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
    return cmd_run(config, std::cerr, PULSE_VERSION);
}
