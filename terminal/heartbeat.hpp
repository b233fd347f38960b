// heartbeat.hpp — every 15 minutes the terminal tells the collector it is
// alive and well (POST /v1/heartbeat, docs/protocol.md). A pure builder
// (snapshot in, JSON out), the schedule, the hourly sample of what the
// terminal's disk and database say, and a thread that sends it. Nothing in
// a heartbeat moves when someone answers (docs/anonymity.md, "The heartbeat").
#pragma once

#include "common/calendar.hpp"
#include "terminal/answer_store.hpp"
#include "terminal/http_client.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace pulse {

// Monotonic milliseconds (the kiosk's Millis); the schedule and the uptime
// run on it, so a wall clock that jumps moves neither.
using HeartbeatMillis = std::int64_t;

inline constexpr HeartbeatMillis kHeartbeatInterval_ms = 15 * 60 * 1000;  // one every 15 minutes
inline constexpr HeartbeatMillis kHeartbeatFirstDelay_ms = 60 * 1000;     // the first, a minute after start
inline constexpr std::int64_t kFreeDiskStep_mb = 100;                     // free disk is reported in these steps

// What the screen shows, as coarse as the fleet needs: never which screen of
// a session (question, thanks, cooldown), which would tell that someone is
// answering right now.
enum class ScreenState { in_service, closed, out_of_order };

// The state for a screen's name (screen_name() of terminal/flow.hpp):
// "out_of_order" and "closed" (the night screen) are themselves, every other
// name — attract, question, saving, thanks, cooldown, one not known yet — is
// in_service. Never fails.
ScreenState screen_state_for(std::string_view screen_name);

// "in_service", "closed" or "out_of_order", as on the wire.
const char* screen_state_name(ScreenState state);

// What the terminal's database and disk say, sampled once an hour
// (HourlySample) so that nothing in them can follow the answers of the
// running hour.
struct HourlyFacts {
    bool database_ok = false;                 // the database opened and a read of it worked
    bool answers_set_aside = false;           // some batch was refused for good (never how many answers)
    std::optional<std::int64_t> free_disk_mb; // free_disk_mb_rounded(); nullopt if unknown
};

// One heartbeat's content. Every field is independent of the answers given
// (docs/anonymity.md, "The heartbeat").
struct HeartbeatSnapshot {
    std::string version;                          // PULSE_VERSION of the running program
    std::string config_version;                   // config_version_of() the config file
    std::int64_t uptime_h = 0;                    // whole hours since the program started (rounded down)
    HourlyFacts hourly;                           // sampled at most once an hour
    std::optional<UnixSeconds> last_contact_hour; // UTC hour of the last heartbeat the collector acknowledged
    std::optional<UnixSeconds> clock_offset_s;    // collector's clock minus the terminal's, from that response
    ScreenState screen = ScreenState::in_service;
    std::optional<std::string> overlay;           // ETag of the config overlay in use (overlay_files.hpp)
    std::optional<std::string> overlay_reverted;  // ETag of one reverted at this start: IT's change did not take
};

// The JSON body of POST /v1/heartbeat for snapshot (docs/protocol.md): the
// same snapshot always gives the same bytes. Pure; never fails.
std::string heartbeat_body(const HeartbeatSnapshot& snapshot);

// "sha256:" and the first 16 hex digits of the SHA-256 of bytes: tells two
// config files apart without telling anything of their content.
std::string config_version_of(std::string_view bytes);

// config_version_of the file's bytes; nullopt with *error (naming the file)
// when it cannot be read.
std::optional<std::string> config_version_of_file(const std::filesystem::path& file, std::string* error);

// Free bytes rounded DOWN to whole kFreeDiskStep_mb (MB = 10^6 bytes), the
// database's own files counted as free: free_bytes + database_bytes. As an
// answer is written the database grows by what the free space shrinks, so
// the sum stays put, and the rounding hides what the filesystem's blocks do.
std::int64_t free_disk_mb_rounded(std::uintmax_t free_bytes, std::uintmax_t database_bytes);

// Samples HourlyFacts for the database at `database`: opens it on a
// connection of its own (a corrupt file is moved aside as AnswerStore::open
// does, and said on log), reads whether any batch is set aside, and asks the
// filesystem for the space available to the database's folder (available_bytes,
// injectable for tests; by default std::filesystem::space). Never fails: a
// database that does not open or read gives database_ok false, a space query
// that fails gives free_disk_mb nullopt.
using AvailableBytes = std::function<std::optional<std::uintmax_t>(const std::filesystem::path& folder)>;
HourlyFacts sample_hourly_facts(const std::filesystem::path& database, const std::function<void(const std::string&)>& log,
                                const AvailableBytes& available_bytes = {});

// Keeps one HourlyFacts per UTC hour: the first get() in an hour samples,
// the later ones in that hour return the same facts.
class HourlySample {
public:
    const HourlyFacts& get(UnixSeconds wall_now, const std::function<HourlyFacts()>& sample);

private:
    std::optional<UnixSeconds> hour_;  // the UTC hour facts_ was sampled in
    HourlyFacts facts_;
};

// When heartbeats go: the first first_delay_ms after start, then on a fixed
// grid every interval_ms from it. A send, whatever its outcome, moves to the
// next grid slot after the send: a failure is retried at the next slot and
// slots missed meanwhile (a stall, a suspend) are dropped, never caught up.
class HeartbeatSchedule {
public:
    explicit HeartbeatSchedule(HeartbeatMillis start_ms, HeartbeatMillis first_delay_ms = kHeartbeatFirstDelay_ms,
                               HeartbeatMillis interval_ms = kHeartbeatInterval_ms);
    bool due(HeartbeatMillis now_ms) const { return now_ms >= next_ms_; }
    HeartbeatMillis next_due_ms() const { return next_ms_; }
    // A heartbeat was sent (or tried) at now_ms: the next is the first grid slot after now_ms.
    void sent(HeartbeatMillis now_ms);

private:
    HeartbeatMillis first_ms_, interval_ms_, next_ms_;
};

struct HeartbeatSettings {
    std::string endpoint;        // base URL, no trailing slash (as UploadSettings)
    std::string token;           // bearer token (never logged)
    std::string version;         // PULSE_VERSION
    std::string config_version;  // config_version_of_file
    std::optional<std::string> overlay, overlay_reverted;  // as HeartbeatSnapshot
};

// The heartbeat policy on injected clocks, HTTP and samples: step() sends
// when the schedule says so. One per process.
class Heartbeat {
public:
    // http must outlive the heartbeat. start_ms: the program's start on the
    // monotonic clock (uptime counts from it). log: one line per failure
    // (status or transport error; never the body or the token).
    Heartbeat(HeartbeatSettings settings, HttpClient& http, HeartbeatMillis start_ms,
              std::function<void(const std::string&)> log);

    struct Step {
        bool attempted = false;     // a heartbeat was sent
        bool acknowledged = false;  // ... and the collector answered 2xx
        std::string failure;        // attempted, not acknowledged: why ("HTTP 503", "transport error 7 (…)")
        HeartbeatMillis next_due_ms = 0;
    };

    // If a heartbeat is due at now_ms: builds the snapshot (hourly facts from
    // sample, at most once per UTC hour of wall_now; the screen from screen)
    // and posts it. A 2xx makes wall_now's hour the last contact; every
    // response with a Date gives the clock offset. Fails only as a value
    // (Step::acknowledged false, a log line); the next try is the next slot.
    Step step(HeartbeatMillis now_ms, UnixSeconds wall_now, ScreenState screen,
              const std::function<HourlyFacts()>& sample);

    // What step() would send at now_ms with these facts (tests, `status`).
    HeartbeatSnapshot snapshot(HeartbeatMillis now_ms, const HourlyFacts& facts, ScreenState screen) const;

private:
    HeartbeatSettings settings_;
    HttpClient& http_;
    HeartbeatMillis start_ms_;
    std::function<void(const std::string&)> log_;
    HeartbeatSchedule schedule_;
    HourlySample hourly_;
    std::optional<UnixSeconds> last_contact_hour_;
    std::optional<UnixSeconds> clock_offset_s_;
};

// Runs a Heartbeat on its own thread with its own HTTP client (made on that
// thread; `cancel` turns true at shutdown), so the UI never waits for it.
// screen is called from that thread: it must be thread-safe (read an atomic).
// Sleeps between heartbeats; the destructor stops it (a request in flight is
// abandoned through cancel).
// The outcome of the last heartbeat sent, for the admin panel.
struct HeartbeatContact {
    UnixSeconds hour = 0;  // UTC hour it was sent in
    bool acknowledged = false;
    std::string failure;   // not acknowledged: why
};

class HeartbeatThread {
public:
    using HttpFactory = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;

    HeartbeatThread(std::filesystem::path database, HttpFactory make_http, HeartbeatSettings settings,
                    std::function<ScreenState()> screen, std::function<void(const std::string&)> log);
    ~HeartbeatThread();
    HeartbeatThread(const HeartbeatThread&) = delete;
    HeartbeatThread& operator=(const HeartbeatThread&) = delete;

    // The last heartbeat's outcome; nullopt before the first was sent.
    // Thread-safe.
    std::optional<HeartbeatContact> last_contact() const;

private:
    void run();

    std::filesystem::path database_;
    HttpFactory make_http_;
    HeartbeatSettings settings_;
    std::function<ScreenState()> screen_;
    std::function<void(const std::string&)> log_;
    HeartbeatMillis start_ms_;
    std::atomic<bool> cancel_{false};
    mutable std::mutex mutex_;  // guards stopping_ and last_contact_
    std::condition_variable wakeup_;
    bool stopping_ = false;
    std::optional<HeartbeatContact> last_contact_;
    std::thread worker_;  // last: starts after everything above exists
};

}  // namespace pulse
