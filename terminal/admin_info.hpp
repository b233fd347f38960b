// admin_info.hpp — what the admin panel shows about the terminal (issue 13):
// who it is, what runs, whether the collector is reachable, the last good
// upload's hour, the last error, whether answers were set aside, the clock's
// offset and the free disk. Gathered when the panel opens and every few
// seconds while it is open, from the config, the heartbeat thread's last
// contact and the database's upload facts. Never an answer, a count of
// answers, or anything that moves within the hour when someone answers.
#pragma once

#include "terminal/heartbeat.hpp"
#include "terminal/kiosk_config.hpp"

#include <optional>
#include <string>

namespace pulse {

inline constexpr std::int64_t kAdminInfoRefresh_ms = 5'000;  // while the panel is open

struct AdminInfo {
    std::string terminal_id, workplace, version, config_version;
    std::string endpoint;  // empty: offline (no [upload])
    enum class Reach { unknown, reachable, unreachable };
    Reach reach = Reach::unknown;             // the latest contact's outcome (heartbeat or upload)
    std::optional<UnixSeconds> reach_hour;    // the UTC hour of that contact
    std::optional<UnixSeconds> last_upload_ok_hour;  // UTC hour of the last acknowledged batch
    std::string last_error;                   // the latest failure's words (empty: none since the last success)
    HourlyFacts facts;                        // database_ok, answers_set_aside, free_disk_mb (100 MB steps)
    std::optional<UnixSeconds> clock_offset_s;  // collector minus terminal
    std::optional<int> brightness_percent;    // nullopt: no backlight
    bool upload_requested = false;            // "upload now" was tapped since the panel opened
};

// Gathers the panel's facts for config: the upload facts ("last_upload_ok",
// "last_error", "clock_offset_s") read from the database on a connection of
// its own, the hourly facts sampled now (sample_hourly_facts), and the
// heartbeat's last contact when there is one. The newer of the heartbeat's
// and the upload's outcome decides reach. Never fails: what cannot be read
// stays unknown (a database that does not open gives facts.database_ok
// false).
AdminInfo gather_admin_info(const KioskConfig& config, const std::string& version, const std::string& config_version,
                            const std::optional<HeartbeatContact>& heartbeat,
                            const std::function<void(const std::string&)>& log);

}  // namespace pulse
