// heartbeat.cpp — the heartbeat's builder, schedule, hourly sample, policy
// and thread. See heartbeat.hpp, docs/protocol.md and docs/anonymity.md.
#include "terminal/heartbeat.hpp"

#include "common/sha256.hpp"
#include "terminal/clock_offset.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

namespace pulse {

namespace {

HeartbeatMillis steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

UnixSeconds wall_now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

// [SECTION] The builder

ScreenState screen_state_for(std::string_view screen_name) {
    if (screen_name == "out_of_order") return ScreenState::out_of_order;
    if (screen_name == "closed") return ScreenState::closed;
    return ScreenState::in_service;
}

const char* screen_state_name(ScreenState state) {
    switch (state) {
        case ScreenState::in_service: return "in_service";
        case ScreenState::closed: return "closed";
        case ScreenState::out_of_order: return "out_of_order";
    }
    return "in_service";
}

std::string heartbeat_body(const HeartbeatSnapshot& s) {
    using nlohmann::json;
    json body{{"schema", 1},
              {"version", s.version},
              {"config_version", s.config_version},
              {"uptime_h", s.uptime_h},
              {"database_ok", s.hourly.database_ok},
              {"answers_set_aside", s.hourly.answers_set_aside},
              {"screen", screen_state_name(s.screen)}};
    body["last_contact_hour"] = s.last_contact_hour ? json(format_iso_utc(*s.last_contact_hour)) : json(nullptr);
    body["clock_offset_s"] = s.clock_offset_s ? json(*s.clock_offset_s) : json(nullptr);
    body["free_disk_mb"] = s.hourly.free_disk_mb ? json(*s.hourly.free_disk_mb) : json(nullptr);
    body["overlay"] = s.overlay ? json(*s.overlay) : json(nullptr);
    body["overlay_reverted"] = s.overlay_reverted ? json(*s.overlay_reverted) : json(nullptr);
    return body.dump(-1, ' ', false, json::error_handler_t::replace);  // keys sorted: stable bytes
}

std::string config_version_of(std::string_view bytes) { return "sha256:" + sha256_hex(bytes).substr(0, 16); }

std::optional<std::string> config_version_of_file(const std::filesystem::path& file, std::string* error) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in || in.bad()) {
        if (error) *error = file.string() + ": cannot read the config file for its version";
        return std::nullopt;
    }
    return config_version_of(bytes.str());
}

std::int64_t free_disk_mb_rounded(std::uintmax_t free_bytes, std::uintmax_t database_bytes) {
    const std::uintmax_t mb = (free_bytes + database_bytes) / 1'000'000;
    return static_cast<std::int64_t>(mb / kFreeDiskStep_mb * kFreeDiskStep_mb);
}

// [SECTION] The hourly sample

HourlyFacts sample_hourly_facts(const std::filesystem::path& database, const std::function<void(const std::string&)>& log,
                                const AvailableBytes& available_bytes) {
    HourlyFacts facts;
    StoreStatus status;
    std::filesystem::path moved_aside;
    if (std::unique_ptr<AnswerStore> store = AnswerStore::open(database, &status, &moved_aside)) {
        if (!moved_aside.empty() && log) {
            log("heartbeat: the database was corrupt: moved aside to " + moved_aside.string() + "; started a fresh one");
        }
        const std::int64_t set_aside = store->upload_queue().count_set_aside();
        facts.database_ok = set_aside >= 0 && store->count_all() >= 0;
        facts.answers_set_aside = set_aside > 0;
    }
    // The database's own files count as free (free_disk_mb_rounded).
    std::uintmax_t database_bytes = 0;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::error_code ec;
        const std::uintmax_t size = std::filesystem::file_size(database.string() + suffix, ec);
        if (!ec) database_bytes += size;
    }
    const std::filesystem::path folder = database.has_parent_path() ? database.parent_path() : ".";
    std::optional<std::uintmax_t> available;
    if (available_bytes) {
        available = available_bytes(folder);
    } else {
        std::error_code ec;
        const std::filesystem::space_info space = std::filesystem::space(folder, ec);
        if (!ec) available = space.available;
    }
    if (available) facts.free_disk_mb = free_disk_mb_rounded(*available, database_bytes);
    return facts;
}

const HourlyFacts& HourlySample::get(UnixSeconds wall_now, const std::function<HourlyFacts()>& sample) {
    const UnixSeconds hour = truncate_to_hour(wall_now);
    if (hour_ != hour) {
        facts_ = sample();
        hour_ = hour;
    }
    return facts_;
}

// [SECTION] The schedule

HeartbeatSchedule::HeartbeatSchedule(HeartbeatMillis start_ms, HeartbeatMillis first_delay_ms,
                                     HeartbeatMillis interval_ms)
    : first_ms_(start_ms + first_delay_ms), interval_ms_(interval_ms > 0 ? interval_ms : kHeartbeatInterval_ms),
      next_ms_(first_ms_) {}

void HeartbeatSchedule::sent(HeartbeatMillis now_ms) {
    if (now_ms < first_ms_) {
        next_ms_ = first_ms_;
        return;
    }
    next_ms_ = first_ms_ + ((now_ms - first_ms_) / interval_ms_ + 1) * interval_ms_;
}

// [SECTION] The policy

Heartbeat::Heartbeat(HeartbeatSettings settings, HttpClient& http, HeartbeatMillis start_ms,
                     std::function<void(const std::string&)> log)
    : settings_(std::move(settings)), http_(http), start_ms_(start_ms), log_(std::move(log)), schedule_(start_ms) {}

HeartbeatSnapshot Heartbeat::snapshot(HeartbeatMillis now_ms, const HourlyFacts& facts, ScreenState screen) const {
    HeartbeatSnapshot s;
    s.version = settings_.version;
    s.config_version = settings_.config_version;
    s.uptime_h = std::max<HeartbeatMillis>(0, now_ms - start_ms_) / (3600 * 1000);
    s.hourly = facts;
    s.last_contact_hour = last_contact_hour_;
    s.clock_offset_s = clock_offset_s_;
    s.screen = screen;
    s.overlay = settings_.overlay;
    s.overlay_reverted = settings_.overlay_reverted;
    return s;
}

Heartbeat::Step Heartbeat::step(HeartbeatMillis now_ms, UnixSeconds wall_now, ScreenState screen,
                                const std::function<HourlyFacts()>& sample) {
    Step step;
    if (!schedule_.due(now_ms)) {
        step.next_due_ms = schedule_.next_due_ms();
        return step;
    }
    const HourlyFacts& facts = hourly_.get(wall_now, sample);
    HttpRequest request;
    request.url = settings_.endpoint + "/v1/heartbeat";
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + settings_.token}};
    request.body = heartbeat_body(snapshot(now_ms, facts, screen));
    const HttpResponse response = http_.post(request);
    step.attempted = true;
    schedule_.sent(now_ms);
    step.next_due_ms = schedule_.next_due_ms();
    if (const std::optional<UnixSeconds> offset = measure_clock_offset_s(response, wall_now)) clock_offset_s_ = offset;
    if (!response.transport_failed() && response.status >= 200 && response.status < 300) {
        step.acknowledged = true;
        last_contact_hour_ = truncate_to_hour(wall_now);
    } else {
        step.failure = response.transport_failed() ? "transport error " + std::to_string(response.transport_error) +
                                                         " (" + response.transport_message + ")"
                                                   : "HTTP " + std::to_string(response.status);
        if (!response.transport_failed() && !response.body.empty()) step.failure += ": " + response.body.substr(0, 200);
        if (log_) log_("heartbeat: " + step.failure + "; next in 15 min");
    }
    return step;
}

// [SECTION] The thread

HeartbeatThread::HeartbeatThread(std::filesystem::path database, HttpFactory make_http, HeartbeatSettings settings,
                                 std::function<ScreenState()> screen, std::function<void(const std::string&)> log)
    : database_(std::move(database)), make_http_(std::move(make_http)), settings_(std::move(settings)),
      screen_(std::move(screen)), log_(std::move(log)), start_ms_(steady_ms()) {
    worker_ = std::thread([this] { run(); });
}

HeartbeatThread::~HeartbeatThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;
    wakeup_.notify_all();
    worker_.join();
}

std::optional<HeartbeatContact> HeartbeatThread::last_contact() const {
    std::lock_guard lock(mutex_);
    return last_contact_;
}

void HeartbeatThread::run() {
    std::unique_ptr<HttpClient> http = make_http_(&cancel_);
    Heartbeat heartbeat(settings_, *http, start_ms_, log_);
    const auto sample = [this] { return sample_hourly_facts(database_, log_); };
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const Heartbeat::Step step = heartbeat.step(steady_ms(), wall_now_s(), screen_ ? screen_() : ScreenState::in_service, sample);
        lock.lock();
        if (step.attempted) {
            last_contact_ = HeartbeatContact{truncate_to_hour(wall_now_s()), step.acknowledged, step.failure};
        }
        if (stopping_) break;
        const HeartbeatMillis wait_ms = std::max<HeartbeatMillis>(0, step.next_due_ms - steady_ms());
        wakeup_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_; });
    }
}

}  // namespace pulse
