// cmd_sync.cpp — `pulse-kiosk sync`: upload every answer whose UTC hour has
// ended, now, retrying transient failures with the configured backoff until
// nothing of an ended hour is pending or the timeout passes. The running
// hour's answers wait for it to end, as the kiosk's do, and so does a batch
// the collector holds back with 425 (an hour not yet ended by its clock: the
// terminal's clock is ahead). If the kiosk's writer replaces the database
// file meanwhile, sync follows it (Uploader::step). Exit 0 when nothing
// of an ended hour is left pending, 1 otherwise (the reason on stderr). Safe
// to kill at any moment: a batch is marked uploaded only after the server
// acknowledged it, and a resend only counts duplicates.
#include "kiosk/commands.hpp"
#include "kiosk/kiosk.hpp"

#include <algorithm>
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
    UploadSettings settings = upload_settings_for(*cfg);
    settings.after_hour_s = 0;  // IT asked for it now: every ended hour, without the kiosk's offset
    Uploader uploader(*store, *http, settings, make_os_seeded_rng(), log_to(err));

    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
    for (;;) {
        const UnixSeconds now = system_clock_s();
        const Uploader::Step step = uploader.step(now);
        // The uploader's store: the file it reopened if the kiosk's writer replaced it.
        UploadQueue& queue = uploader.store().upload_queue();
        const std::int64_t pending = queue.count_pending_upload();
        const std::int64_t waiting = queue.count_waiting_for_hour_end(now);
        const std::int64_t set_aside = queue.count_set_aside();
        const auto report = [&] {
            out << "{\"pending_upload\":" << pending << ",\"waiting_for_hour_end\":" << waiting
                << ",\"set_aside\":" << set_aside << "}\n";
        };
        if (pending >= 0 && waiting >= 0 && pending == waiting) {  // nothing of an ended hour is pending
            report();
            if (waiting > 0) {
                err << "pulse-kiosk sync: every ended hour is uploaded; " << waiting
                    << " answers wait for the running hour to end (" << format_iso_utc(truncate_to_hour(now) + kSecondsPerHour)
                    << ") and go with the first upload after it\n";
            }
            if (set_aside > 0) {
                err << "pulse-kiosk sync: nothing of an ended hour pending; " << set_aside
                    << " answers are set aside (the server refused their batches; see the log and `status`)\n";
            }
            return kExitOk;
        }
        const Clock::time_point next = Clock::now() + std::chrono::seconds(std::max<UnixSeconds>(0, step.next_attempt - system_clock_s()));
        if (next > deadline) {
            const auto facts = queue.upload_facts();
            const auto error = facts.find("last_error");
            report();
            err << "pulse-kiosk sync: ";
            if (pending < 0 || waiting < 0) err << "cannot count the pending answers";
            else err << pending - waiting << " answers of ended hours still pending";
            err << " after " << timeout_s << " s"
                << (error != facts.end() && !error->second.empty() ? ": " + error->second : std::string())
                << "; next attempt " << format_iso_utc(step.next_attempt) << '\n';
            return kExitFailure;
        }
        if (step.next_attempt > system_clock_s()) std::this_thread::sleep_until(next);
    }
}

}  // namespace pulse
