// bench_heartbeat.cpp — the fleet's target (issue 13, "Benchmark"): the real
// CollectorServer with [web] and its SQLite store on disk, its config loaded
// from TOML as pulse-collector loads it, takes heartbeats from TERMINALS
// (1000) registered terminals, each sending one per interval with the
// 15-minute interval compressed into SECONDS (60), spread evenly (one every
// 60 ms), each on a new connection as a terminal 15 minutes after its last
// one opens; meanwhile one client reads /fleet.json and /fleet in turn as a
// signed-in admin (X-Forwarded-Email from a trusted proxy, then the session
// cookie) over one kept-alive connection, as fast as it is answered, and the
// silence alerts' step (FleetAlertThread) runs every second rather than
// every minute. Before the clock: one untimed round, so every terminal has a
// heartbeat to show.
//   bench_heartbeat QUESTIONS_TOML DIR [TERMINALS] [SECONDS]
// DIR must be on a real disk (not tmpfs). Prints key=value lines
// (bench_stats.hpp):
//   heartbeat n=… p50_ms=… p90_ms=… p99_ms=… max_ms=…
//   fleet_json n=… …        fleet_html n=… …
//   fleet_run terminals=T seconds=S heartbeats=H behind_max_ms=B json_kib=J html_kib=K alert_steps=A states_ok=O
// and exits 1 if any request fails, a heartbeat is not stored or the final
// fleet does not show every terminal ok.
#include "collector/config.hpp"
#include "collector/email/smtp_sender.hpp"
#include "collector/fleet/fleet_alerts.hpp"
#include "collector/http/server.hpp"
#include "collector/storage/store.hpp"
#include "common/sha256.hpp"

#include "bench_stats.hpp"
#include "loopback.hpp"  // tests/support: free_loopback_port

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kTrustedHeader = "X-Forwarded-Email";
constexpr const char* kAdminEmail = "it@bench.example";
constexpr int kWorkplaces = 100;   // terminals are spread over them
constexpr int kSenderThreads = 8;  // enough that a slow answer never delays the next terminal's turn

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string terminal_id(int i) {
    char text[32];
    std::snprintf(text, sizeof text, "bench-t%04d", i);
    return text;
}

std::string terminal_token(int i) { return "bench-heartbeat-token-" + std::to_string(i); }

// The collector's config in dir/bench-fleet.toml, loaded as pulse-collector
// loads it: terminals across kWorkplaces, one admin, [web] on port with the
// trusted header from 127.0.0.1, and [email] to a port nobody listens on
// (the alerts' step runs; with every terminal heard from it mails nothing).
std::optional<pulse::CollectorConfig> write_config(const fs::path& dir, const fs::path& questions,
                                                   const fs::path& database, int port, int terminals) {
    const fs::path file = dir / "bench-fleet.toml";
    std::ofstream out(file);
    out << "[server]\nlisten = \"127.0.0.1\"\nport = " << port << "\n"
        << "[storage]\ndatabase = \"" << fs::absolute(database).string() << "\"\n"
        << "[bank]\nquestions = [\"" << fs::absolute(questions).string() << "\"]\n"
        << "[email]\nsmtp_url = \"smtp://127.0.0.1:9\"\nsender = \"Pulse <pulse@bench.example>\"\n"
        << "[web]\nbase_url = \"http://127.0.0.1:" << port << "\"\nsecure_cookies = false\n"
        << "trusted_header = \"" << kTrustedHeader << "\"\ntrusted_proxies = [\"127.0.0.1\"]\n";
    for (int w = 0; w < kWorkplaces; ++w) {
        out << "[[workplace]]\nid = \"wp-" << w << "\"\nname = \"Arbejdsplads " << w << "\"\n";
    }
    for (int t = 0; t < terminals; ++t) {
        out << "[[terminal]]\nid = \"" << terminal_id(t) << "\"\nworkplace = \"wp-" << t % kWorkplaces
            << "\"\ntoken_sha256 = \"" << pulse::sha256_hex(terminal_token(t)) << "\"\n";
    }
    out << "[[admin]]\nname = \"Bench IT\"\nemail = \"" << kAdminEmail << "\"\n";
    out.close();
    pulse::CollectorConfigLoad load = pulse::load_collector_config(file);
    for (const pulse::Diagnostic& d : load.errors) std::fprintf(stderr, "bench_heartbeat: %s\n", d.str().c_str());
    return load.config;
}

// Terminal t's heartbeat body, as terminal/heartbeat.cpp writes one.
std::string heartbeat_body(int t, int round) {
    return nlohmann::json{{"schema", 1},
                          {"version", "1.4.0"},
                          {"config_version", "sha256:0123456789abcdef"},
                          {"uptime_h", round},
                          {"database_ok", true},
                          {"last_contact_hour", "2026-11-27T09:00:00Z"},
                          {"answers_set_aside", false},
                          {"clock_offset_s", t % 7 - 3},
                          {"free_disk_mb", 5000 + t},
                          {"screen", "in_service"}}
        .dump();
}

// One heartbeat of terminal t on a new connection; true on 204.
bool send_heartbeat(int port, int t, int round) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    const httplib::Result r = client.Post("/v1/heartbeat", {{"Authorization", "Bearer " + terminal_token(t)}},
                                          heartbeat_body(t, round), "application/json");
    if (r && r->status == 204) return true;
    std::fprintf(stderr, "bench_heartbeat: heartbeat of %s: %s\n", terminal_id(t).c_str(),
                 r ? (std::to_string(r->status) + " " + r->body).c_str() : httplib::to_string(r.error()).c_str());
    return false;
}

// A sender that never reaches a server: the alerts must not mail in this run.
struct NoMail : pulse::MailSender {
    std::atomic<int> sends{0};
    pulse::SendResult send(const std::string&, const std::vector<std::string>&, const std::string&) override {
        ++sends;
        return {false, "the benchmark sends no mail"};
    }
};

}  // namespace

int main(int argc, char** argv) {
    using namespace pulse;
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: %s QUESTIONS_TOML DIR [TERMINALS] [SECONDS]\n", argv[0]);
        return 2;
    }
    const fs::path dir = argv[2];
    const int terminals = argc > 3 ? std::atoi(argv[3]) : 1000;
    const int seconds = argc > 4 ? std::atoi(argv[4]) : 60;
    if (terminals < 1 || seconds < 1) return std::fprintf(stderr, "bench_heartbeat: TERMINALS and SECONDS must be positive\n"), 2;
    std::string error;
    const int port = testing::free_loopback_port(&error);
    if (port <= 0) return std::fprintf(stderr, "bench_heartbeat: %s\n", error.c_str()), 1;
    const fs::path database = dir / "fleet.sqlite3";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(database.string() + suffix);
    const std::optional<CollectorConfig> config = write_config(dir, argv[1], database, port, terminals);
    if (!config) return 1;
    std::unique_ptr<CollectorStore> store = open_collector_store(config->database, &error);
    if (!store) return std::fprintf(stderr, "bench_heartbeat: %s\n", error.c_str()), 1;

    // The collector as `serve` runs it: the server, and the alerts' thread (every second here).
    const auto log = [](const std::string& line) { std::fprintf(stderr, "bench_heartbeat: collector: %s\n", line.c_str()); };
    CollectorServer server(*config, *store, nullptr, log);
    if (!server.start("127.0.0.1", port, &error)) return std::fprintf(stderr, "bench_heartbeat: %s\n", error.c_str()), 1;
    NoMail no_mail;
    const auto system_now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
    FleetAlertThread alerts(*config, *store, no_mail, nullptr, system_now, log, 1000);
    alerts.start();

    // Untimed: every terminal's first heartbeat, so the fleet has all of them to show.
    for (int t = 0; t < terminals; ++t) {
        if (!send_heartbeat(port, t, 0)) return 1;
    }

    std::atomic<bool> failed{false}, done{false};
    std::mutex samples_mutex;
    std::vector<double> heartbeat_ms, json_ms, html_ms;
    double behind_max_ms = 0;
    double json_bytes = 0, html_bytes = 0;

    // The reader: /fleet.json and /fleet in turn, signed in as IT.
    std::thread reader([&] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        client.set_read_timeout(30, 0);
        httplib::Headers headers{{kTrustedHeader, kAdminEmail}};
        bool json_turn = true;
        while (!done && !failed) {
            const char* path = json_turn ? "/fleet.json" : "/fleet";
            const Clock::time_point start = Clock::now();
            const httplib::Result r = client.Get(path, headers);
            const double ms = ms_since(start);
            if (!r || r->status != 200) {
                std::fprintf(stderr, "bench_heartbeat: GET %s: %s\n", path,
                             r ? (std::to_string(r->status) + " " + r->body.substr(0, 200)).c_str()
                               : httplib::to_string(r.error()).c_str());
                failed = true;
                return;
            }
            if (headers.size() == 1) {  // signed in: keep the session as a browser would
                for (auto [it, end] = r->headers.equal_range("Set-Cookie"); it != end; ++it) {
                    if (it->second.starts_with("pulse-session=")) {
                        headers.emplace("Cookie", it->second.substr(0, it->second.find(';')));
                    }
                }
            }
            (json_turn ? json_ms : html_ms).push_back(ms);
            (json_turn ? json_bytes : html_bytes) = static_cast<double>(r->body.size());
            json_turn = !json_turn;
        }
    });

    // The terminals: heartbeat k is terminal k % terminals's, due at start + k × interval / terminals.
    const double spacing_ms = 1000.0 * seconds / terminals;
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenderThreads; ++s) {
        senders.emplace_back([&, s] {
            std::vector<double> mine;
            double behind = 0;
            for (int k = s; k < terminals && !failed; k += kSenderThreads) {
                const Clock::time_point due =
                    start + std::chrono::microseconds(static_cast<long long>(k * spacing_ms * 1000));
                std::this_thread::sleep_until(due);
                behind = std::max(behind, ms_since(due));
                const Clock::time_point sent = Clock::now();
                if (!send_heartbeat(port, k, 1)) {
                    failed = true;
                    return;
                }
                mine.push_back(ms_since(sent));
            }
            std::lock_guard<std::mutex> lock(samples_mutex);
            heartbeat_ms.insert(heartbeat_ms.end(), mine.begin(), mine.end());
            behind_max_ms = std::max(behind_max_ms, behind);
        });
    }
    for (std::thread& t : senders) t.join();
    const double run_s = ms_since(start) / 1000;
    done = true;
    reader.join();
    alerts.stop();
    if (failed) return 1;

    // Every heartbeat stored, and the fleet shows every terminal ok.
    const std::optional<std::vector<TerminalHeartbeat>> stored = store->heartbeats(&error);
    if (!stored || static_cast<int>(stored->size()) != terminals) {
        return std::fprintf(stderr, "bench_heartbeat: %zu heartbeats stored, not %d %s\n", stored ? stored->size() : 0,
                            terminals, error.c_str()), 1;
    }
    for (const TerminalHeartbeat& h : *stored) {
        if (h.report_json.find("\"uptime_h\":1") == std::string::npos) {
            return std::fprintf(stderr, "bench_heartbeat: %s kept an old heartbeat\n", h.terminal.c_str()), 1;
        }
    }
    httplib::Client check("127.0.0.1", port);
    const httplib::Result last = check.Get("/fleet.json", {{kTrustedHeader, kAdminEmail}});
    int states_ok = 0;
    if (last && last->status == 200) {
        for (const nlohmann::json& item : nlohmann::json::parse(last->body)) states_ok += item.at("state") == "ok";
    }
    server.stop();
    if (states_ok != terminals) return std::fprintf(stderr, "bench_heartbeat: %d of %d terminals ok\n", states_ok, terminals), 1;
    if (json_ms.empty() || html_ms.empty()) return std::fprintf(stderr, "bench_heartbeat: no fleet reads\n"), 1;
    if (no_mail.sends != 0) return std::fprintf(stderr, "bench_heartbeat: the alerts tried to mail\n"), 1;

    bench::print_summary("heartbeat", heartbeat_ms);
    bench::print_summary("fleet_json", json_ms);
    bench::print_summary("fleet_html", html_ms);
    std::printf("fleet_run terminals=%d seconds=%.1f heartbeats=%zu behind_max_ms=%.1f json_kib=%.0f html_kib=%.0f "
                "alert_steps=%d states_ok=%d\n",
                terminals, run_s, heartbeat_ms.size(), behind_max_ms, json_bytes / 1024, html_bytes / 1024,
                alerts.steps(), states_ok);
    return 0;
}
