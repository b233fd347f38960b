// main.cpp — pulse-collector's command line: parse it, call the command.
//   pulse-collector serve --config FILE    the HTTP endpoint (and the weekly e-mail and IT's silence
//                                          alerts), until SIGINT/SIGTERM (ends within 5 s)
//   pulse-collector token new              a fresh token and its config line
//   pulse-collector terminal add --config FILE --id ID --workplace WP [--endpoint URL]
//                                          register a terminal; prints its `pulse-kiosk provision` line
//   pulse-collector check --config FILE    validate the config and its banks; exit 2 on errors
//   pulse-collector report --config FILE --workplace ID --week 2026-W48 --format html|csv|json
//   pulse-collector email --config FILE [--week 2026-W48] [--workplace ID]   send the weekly e-mail now
#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "collector/email/mailer.hpp"
#include "collector/fleet/fleet_alerts.hpp"
#include "collector/report.hpp"
#include "collector/http/server.hpp"
#include "common/sha256.hpp"
#include "collector/terminal_add.hpp"
#include "collector/tokens.hpp"
#include "common/copenhagen_time.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

namespace {

using namespace pulse;

// How long SIGTERM (or SIGINT) gives the requests in flight and the mailer
// to finish before the process exits without them. The collector ends
// within 5 s of SIGTERM in any state, yet a request can be stuck on a
// database that does not answer (a frozen server, a lock, a dropped
// network: libpq's calls cannot be interrupted; SQLite waits out its busy
// timeout), and cpp-httplib's stop() also waits out its keep-alive timeout
// (5 s) on an idle connection. 3 s leaves room for the exit itself on a
// busy machine.
// Cutting such a request off loses nothing: it was never acknowledged. Its
// transaction is rolled back (PostgreSQL when the connection closes,
// SQLite's WAL ignores an uncommitted tail) or, if it had just committed,
// the terminal's resend is counted as duplicates. Not PQcancel: a cancel
// needs a new connection to the server, which hangs just the same when the
// server is what is stuck; one deadline covers every case.
constexpr auto kStopDeadline = std::chrono::seconds(3);

// The wall clock, in whole seconds: the mailer's and `email`'s `now`.
UnixSeconds system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The config, or nullopt after printing every error as FILE:LINE: message
// (warnings are printed too, prefixed "warning: ", and do not stop anything).
std::optional<CollectorConfig> load_config(const std::string& file) {
    CollectorConfigLoad load = load_collector_config(file);
    for (const Diagnostic& d : load.errors) std::cerr << d.str() << "\n";
    for (const Diagnostic& d : load.warnings) std::cerr << "warning: " << d.str() << "\n";
    return std::move(load.config);
}

// The config's database, or nullptr after printing why; a migration of it
// (issue 14's language column) is printed as one "[storage]" line.
std::unique_ptr<CollectorStore> open_store(const CollectorConfig& config) {
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(
        config.database, &error, [](const std::string& line) { std::cerr << "[storage] " << line << "\n"; });
    if (!store) std::cerr << "[storage] database: " << error << "\n";
    return store;
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
    std::cout << file << ": ok: " << config->workplace_entries.size() << " workplaces, " << config->terminals.size()
              << " terminals, " << config->managers.size()
              << " managers, " << config->hr.size() << " HR, " << config->admins.size() << " admins, "
              << config->banks.size() << " question bank(s), each week published " << describe(config->publication)
              << " Copenhagen time the week after";
    if (config->email) std::cout << ", weekly e-mail for " << config->managed_workplaces().size() << " workplace(s)";
    std::cout << "\n";
    return 0;
}

int cmd_serve(const std::string& file) {
    const std::optional<CollectorConfig> config = load_config(file);
    if (!config) return 2;
    std::unique_ptr<CollectorStore> store = open_store(*config);
    if (!store) return 1;
    // Block the stop signals before any thread starts, then wait for one here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    std::mutex log_mutex;
    const auto log = [&](const std::string& line) {
        std::lock_guard<std::mutex> lock(log_mutex);
        std::cerr << line << "\n";
    };
    // Sign-in links of the browser pages go through their own sender (a
    // sender serves one thread at a time; the weekly e-mail has another).
    std::unique_ptr<MailSender> signin_sender;
    if (config->web && config->email) signin_sender = make_curl_mail_sender(*config->email);
    CollectorServer server(*config, *store, nullptr, log, signin_sender.get());
    if (config->web) {
        log("web: browser pages at " + config->web->base_url + (config->web->trusted_header.empty() ? "" :
            ", single sign-on through " + config->web->trusted_header));
    }
    std::string error;
    if (!server.start(config->listen, config->port, &error)) {
        std::cerr << "[server] " << error << "\n";
        return 1;
    }
    std::cerr << "pulse-collector listening on http://" << config->listen << ":" << server.port() << "\n";

    // The weekly e-mail, when [email] is configured: its own thread, on the store.
    std::unique_ptr<MailSender> sender;
    std::unique_ptr<MailerThread> mailer;
    if (config->email) {
        const EmailConfig& email = *config->email;
        log("email: weekly e-mail for " + std::to_string(config->managed_workplaces().size()) + " workplace(s), " +
            describe(email.schedule.moment()) + " Copenhagen time, the week before, via " + email.smtp_url);
        sender = make_curl_mail_sender(email);
        mailer = std::make_unique<MailerThread>(*config, *store, *sender, system_now, log);
        mailer->start();
    }

    // IT's silence alerts (collector/fleet/fleet_alerts.hpp), when [email]
    // is configured: their own thread and sender, a look every minute. A
    // terminal's opening hours are its workplace's overlay's [schedule] (or
    // the default overlay's); without one it counts as always open.
    std::unique_ptr<MailSender> alert_sender;
    std::unique_ptr<FleetAlertThread> alerts;
    if (config->email) {
        alert_sender = make_curl_mail_sender(*config->email);
        const CollectorConfig& c = *config;
        const ScheduleOf schedules = [&c](const std::string& terminal_id) -> std::optional<Schedule> {
            for (const TerminalEntry& t : c.terminals) {
                if (t.id != terminal_id) continue;
                const CollectorConfig::Overlay* overlay = c.overlay_for(t.workplace);
                return overlay ? overlay->parsed.schedule : std::nullopt;
            }
            return std::nullopt;
        };
        alerts = std::make_unique<FleetAlertThread>(*config, *store, *alert_sender, schedules, system_now, log);
        alerts->start();
    } else {
        log("fleet: no [email] in the config, so no silence alerts are mailed");
    }

    // Stop: no new connections at once; requests in flight and the mailer
    // get kStopDeadline, then the process ends without them (exit 0 either
    // way: the stop that was asked for happened, and the log says how).
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "stopping (signal " << signal << ")\n";
    std::promise<void> stopped;
    std::future<void> all_stopped = stopped.get_future();
    std::thread stopper([&] {
        server.stop();
        if (mailer) mailer->stop();
        if (alerts) alerts->stop();
        stopped.set_value();
    });
    if (all_stopped.wait_for(kStopDeadline) == std::future_status::timeout) {
        log("stopping: still busy after " + std::to_string(kStopDeadline.count()) +
            " s (a request or the e-mail waiting on the database, or an idle keep-alive connection); exiting "
            "now. Nothing acknowledged is lost: terminals send unacknowledged batches again");
        std::_Exit(0);  // no destructor may wait on a stuck thread
    }
    stopper.join();
    return 0;
}

// pulse-collector email: the summary of week (default: the week just ended,
// Copenhagen time) to the managers of workplace (default: every workplace
// with a manager), now, ignoring and leaving the ledger. 0 when every
// send succeeded, 1 when one failed (the reason on stderr), 2 for bad
// arguments or config.
int cmd_email(const std::string& file, const std::string& week_text, const std::string& workplace) {
    const std::optional<CollectorConfig> config = load_config(file);
    if (!config) return 2;
    if (!config->email) {
        std::cerr << file << ": has no [email] table; add one (see config/collector.example.toml)\n";
        return 2;
    }
    const UnixSeconds now = system_now();
    IsoWeek week = previous_week(copenhagen_iso_week(now));
    if (!week_text.empty()) {
        const std::optional<IsoWeek> parsed = parse_iso_week(week_text);
        if (!parsed) {
            std::cerr << "--week: '" << week_text << "' is not an ISO week like 2026-W48\n";
            return 2;
        }
        week = *parsed;
    }
    std::vector<std::string> workplaces;
    for (const std::string& w : config->managed_workplaces()) {
        if (workplace.empty() || w == workplace) workplaces.push_back(w);
    }
    if (workplaces.empty()) {
        std::cerr << "--workplace: '" << workplace << "' has no [[manager]] in " << file
                  << " (the weekly e-mail goes to its managers)\n";
        return 2;
    }
    std::unique_ptr<CollectorStore> store = open_store(*config);
    if (!store) return 1;
    std::unique_ptr<MailSender> sender = make_curl_mail_sender(*config->email);
    int rc = 0;
    for (const std::string& w : workplaces) {
        const SendResult result = send_summary_email(*config, *store, *sender, w, week, now,
                                                     [](const std::string& line) { std::cerr << line << "\n"; });
        if (!result.ok) rc = 1;
    }
    return rc;
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
    std::unique_ptr<CollectorStore> store = open_store(*config);
    if (!store) return 1;
    if (out_file.empty()) {
        return run_report(*store, *config, workplace, *week, format, lang, system_now(), std::cout, std::cerr);
    }
    std::ofstream out(out_file, std::ios::binary);
    if (!out) {
        std::cerr << "--out: cannot write " << out_file << "\n";
        return 1;
    }
    const int rc = run_report(*store, *config, workplace, *week, format, lang, system_now(), out, std::cerr);
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

    std::string terminal_id, terminal_workplace, terminal_endpoint;
    CLI::App* terminal = app.add_subcommand("terminal", "register terminals");
    terminal->require_subcommand(1, 1);
    CLI::App* terminal_add = terminal->add_subcommand(
        "add", "append a [[terminal]] with a fresh token to the config and print the `pulse-kiosk provision` command "
               "that takes the token to the terminal; exit 2 for a taken id or an unknown workplace (file unchanged), "
               "1 when the file cannot be written");
    terminal_add->add_option("--config", config, "collector config (TOML), edited in place")->required()->check(CLI::ExistingFile);
    terminal_add->add_option("--id", terminal_id, "the new terminal's id, [A-Za-z0-9._-]+")->required();
    terminal_add->add_option("--workplace", terminal_workplace, "a [[workplace]] id of the config")->required();
    terminal_add->add_option("--endpoint", terminal_endpoint,
                             "the collector's address as terminals reach it (default: [web] base_url)");

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

    std::string email_week, email_workplace;
    CLI::App* email = app.add_subcommand("email", "send the weekly e-mail now (IT's test or a resend; the ledger is "
                                                  "neither read nor changed)");
    email->add_option("--config", config, "collector config (TOML) with an [email] table")->required()->check(CLI::ExistingFile);
    email->add_option("--week", email_week, "ISO week, e.g. 2026-W48 (default: the week just ended)");
    email->add_option("--workplace", email_workplace, "only this workplace (default: every one with a [[manager]])");

    app.set_version_flag("--version", PULSE_VERSION);

    // A command-line mistake exits 2, like a config error (--help exits 0).
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (*serve) return cmd_serve(config);
    if (*token_new) return cmd_token_new();
    if (*terminal_add) {
        return cmd_terminal_add(config, terminal_id, terminal_workplace, terminal_endpoint, new_token, std::cout, std::cerr);
    }
    if (*check) return cmd_check(config);
    if (*report) return cmd_report(config, workplace, week, format, lang, out);
    if (*email) return cmd_email(config, email_week, email_workplace);
    return 1;
}
