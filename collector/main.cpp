// main.cpp — pulse-collector's command line: parse it, call the command.
//   pulse-collector serve --config FILE    the HTTP endpoint, until SIGINT/SIGTERM
//   pulse-collector token new              a fresh token and its config line
//   pulse-collector check --config FILE    validate the config and its banks; exit 2 on errors
//   pulse-collector report --config FILE --workplace ID --week 2026-W48 --format html|csv|json
#include "collector_config.hpp"
#include "collector_store.hpp"
#include "report.hpp"
#include "server.hpp"
#include "sha256.hpp"
#include "tokens.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>

namespace {

using namespace pulse;

// The config, or nullopt after printing every error as FILE:LINE: message.
std::optional<CollectorConfig> load_config(const std::string& file) {
    CollectorConfigLoad load = load_collector_config(file);
    for (const Diagnostic& d : load.errors) std::cerr << d.str() << "\n";
    return std::move(load.config);
}

int cmd_token_new() {
    const std::optional<std::string> token = new_token();
    if (!token) {
        std::cerr << "cannot get random bytes from the operating system\n";
        return 1;
    }
    std::cout << "token (give it to the terminal's token_file, the manager or the admin; it is shown only now):\n"
              << "  " << *token << "\n"
              << "line for the collector config ([[terminal]], [[manager]] or [[admin]]):\n"
              << "  token_sha256 = \"" << sha256_hex(*token) << "\"\n";
    return 0;
}

int cmd_check(const std::string& file) {
    const std::optional<CollectorConfig> config = load_config(file);
    if (!config) return 2;
    std::cout << file << ": ok: " << config->terminals.size() << " terminals, " << config->managers.size()
              << " managers, " << config->admins.size() << " admins, " << config->banks.size() << " question bank(s)\n";
    return 0;
}

int cmd_serve(const std::string& file) {
    const std::optional<CollectorConfig> config = load_config(file);
    if (!config) return 2;
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config->database, &error);
    if (!store) {
        std::cerr << "[storage] database: " << error << "\n";
        return 1;
    }
    // Block the stop signals before any thread starts, then wait for one here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    std::mutex log_mutex;
    CollectorServer server(*config, *store, nullptr, [&](const std::string& line) {
        std::lock_guard<std::mutex> lock(log_mutex);
        std::cerr << line << "\n";
    });
    if (!server.start(config->listen, config->port, &error)) {
        std::cerr << "[server] " << error << "\n";
        return 1;
    }
    std::cerr << "pulse-collector listening on http://" << config->listen << ":" << server.port() << "\n";
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "stopping (signal " << signal << ")\n";
    server.stop();
    return 0;
}

int cmd_report(const std::string& file, const std::string& workplace, const std::string& week_text,
               const std::string& format, const std::string& lang, const std::string& out_file) {
    const std::optional<CollectorConfig> config = load_config(file);
    if (!config) return 2;
    const std::optional<IsoWeek> week = parse_iso_week(week_text);
    if (!week) {
        std::cerr << "--week: '" << week_text << "' is not an ISO week like 2026-W48\n";
        return 2;
    }
    const std::vector<std::string> known = config->workplaces();
    if (std::find(known.begin(), known.end(), workplace) == known.end()) {
        std::cerr << "--workplace: '" << workplace << "' is not a workplace in " << file << "\n";
        return 2;
    }
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config->database, &error);
    if (!store) {
        std::cerr << "[storage] database: " << error << "\n";
        return 1;
    }
    if (out_file.empty()) {
        return run_report(*store, config->banks.front(), workplace, *week, format, lang, config->min_answers,
                          std::cout, std::cerr);
    }
    std::ofstream out(out_file, std::ios::binary);
    if (!out) {
        std::cerr << "--out: cannot write " << out_file << "\n";
        return 1;
    }
    const int rc = run_report(*store, config->banks.front(), workplace, *week, format, lang, config->min_answers,
                              out, std::cerr);
    out.close();
    if (!out) {
        std::cerr << "--out: writing " << out_file << " failed\n";
        return 1;
    }
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Pulse collector: receives the terminals' answers and makes the weekly summaries"};
    app.require_subcommand(1, 1);
    std::string config;

    CLI::App* serve = app.add_subcommand("serve", "run the HTTP endpoint until SIGINT/SIGTERM");
    serve->add_option("--config", config, "collector config (TOML)")->required()->check(CLI::ExistingFile);

    CLI::App* token = app.add_subcommand("token", "tokens for terminals, managers and admins");
    token->require_subcommand(1, 1);
    CLI::App* token_new = token->add_subcommand("new", "print a fresh random token and its token_sha256 line");

    CLI::App* check = app.add_subcommand("check", "validate the config and its question banks; exit 2 on errors");
    check->add_option("--config", config, "collector config (TOML)")->required()->check(CLI::ExistingFile);

    std::string workplace, week, format = "html", lang = "da", out;
    CLI::App* report = app.add_subcommand("report", "one workplace's weekly summary, offline");
    report->add_option("--config", config, "collector config (TOML)")->required()->check(CLI::ExistingFile);
    report->add_option("--workplace", workplace, "workplace id")->required();
    report->add_option("--week", week, "ISO week, e.g. 2026-W48")->required();
    report->add_option("--format", format, "html, csv or json")->check(CLI::IsMember({"html", "csv", "json"}));
    report->add_option("--lang", lang, "da or en")->check(CLI::IsMember({"da", "en"}));
    report->add_option("--out", out, "write to this file instead of stdout");

    CLI11_PARSE(app, argc, argv);

    if (*serve) return cmd_serve(config);
    if (*token_new) return cmd_token_new();
    if (*check) return cmd_check(config);
    if (*report) return cmd_report(config, workplace, week, format, lang, out);
    return 1;
}
