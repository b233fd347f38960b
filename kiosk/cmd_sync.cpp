// cmd_sync.cpp — `pulse-kiosk sync`: upload everything pending now, retrying
// transient failures with the configured backoff until nothing is pending or
// the timeout passes. Exit 0 when nothing is left pending, 1 otherwise (the
// reason on stderr). Safe to kill at any moment: a batch is marked uploaded
// only after the server acknowledged it, and a resend only counts duplicates.
#include "kiosk/commands.hpp"
#include "kiosk/kiosk.hpp"

#include <chrono>
#include <ostream>
#include <thread>

namespace pulse {

int cmd_sync(const std::filesystem::path& config_file, double timeout_s, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(config_file, &errors, &err);
    if (!cfg) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    if (!cfg->config.upload) {
        err << config_file.string() << ": no [upload] section: this terminal runs offline, there is nowhere to "
            << "sync to (see config/terminal.example.toml)\n";
        return kExitFailure;
    }
    std::unique_ptr<AnswerStore> store = open_store_logged(cfg->config.database, log_to(err));
    if (!store) {
        StoreStatus status;
        AnswerStore::open(cfg->config.database, &status);
        err << "pulse-kiosk sync: cannot open the database: " << status.message << '\n';
        return kExitFailure;
    }
    std::unique_ptr<HttpClient> http = make_curl_http_client(curl_options_for(cfg->config, nullptr));
    Uploader uploader(*store, *http, upload_settings_for(*cfg), make_os_seeded_rng(), log_to(err));

    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
    auto wall = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    for (;;) {
        const Uploader::Step step = uploader.step(wall());
        const std::int64_t pending = store->upload_queue().count_pending_upload();
        if (pending == 0) {
            const std::int64_t set_aside = store->upload_queue().count_set_aside();
            out << "{\"pending_upload\":0,\"set_aside\":" << set_aside << "}\n";
            if (set_aside > 0) {
                err << "pulse-kiosk sync: nothing pending; " << set_aside
                    << " answers are set aside (the server refused their batches; see the log and `status`)\n";
            }
            return kExitOk;
        }
        const Clock::time_point next = Clock::now() + std::chrono::seconds(std::max<UnixSeconds>(0, step.next_attempt - wall()));
        if (next > deadline) {
            const auto facts = store->upload_queue().upload_facts();
            const auto error = facts.find("last_error");
            out << "{\"pending_upload\":" << pending << ",\"set_aside\":" << store->upload_queue().count_set_aside() << "}\n";
            err << "pulse-kiosk sync: " << pending << " answers still pending after " << timeout_s << " s"
                << (error != facts.end() && !error->second.empty() ? ": " + error->second : std::string())
                << "; next attempt " << format_iso_utc(step.next_attempt) << '\n';
            return kExitFailure;
        }
        if (step.next_attempt > wall()) std::this_thread::sleep_until(next);
    }
}

}  // namespace pulse
