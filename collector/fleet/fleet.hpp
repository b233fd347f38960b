// fleet.hpp — IT's fleet (issue 13, "Fleet page"): from the registered
// terminals, their last heartbeats and `now`, each terminal's state (ok,
// stale, silent, error) and its last report; and how much of a stretch of
// time a terminal's opening hours cover (the silence alert's clock). Pure:
// no store, no clock, no I/O; the page, the JSON and the alerts call it.
// Nothing here is about answers: a heartbeat holds none (docs/anonymity.md).
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"  // TerminalHeartbeat
#include "common/calendar.hpp"
#include "common/schedule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// Terminals send a heartbeat every 15 minutes (docs/protocol.md).
inline constexpr UnixSeconds kHeartbeatInterval_s = 15 * 60;
// A heartbeat older than two intervals makes a terminal stale …
inline constexpr UnixSeconds kFleetStaleAfter_s = 2 * kHeartbeatInterval_s;
// … and one 2 hours old or older (or none at all) silent.
inline constexpr UnixSeconds kFleetSilentAfter_s = 2 * 3600;
// A reported clock further off than this (either way) is an error: answer
// hours and the week they fall in would be wrong.
inline constexpr std::int64_t kFleetClockOffsetLimit_s = 300;

// The state of one terminal. Precedence, first match wins:
//   silent  no heartbeat ever, or the last is kFleetSilentAfter_s old or older
//           (what it reported then is too old to go by);
//   error   the last heartbeat (younger than that) reports a problem
//           (FleetProblem), even when it is also stale: a problem needs a
//           person, staleness may cure itself;
//   stale   the last heartbeat is older than kFleetStaleAfter_s;
//   ok      otherwise: heard from within two intervals, nothing wrong.
enum class FleetState { ok, stale, silent, error };

// "ok", "stale", "silent", "error": the JSON's values and the CSS class.
const char* fleet_state_name(FleetState state);

// What a heartbeat can report wrong (each makes the state error).
enum class FleetProblem {
    database,           // database_ok false: the terminal cannot keep answers
    answers_set_aside,  // answers_set_aside true: some were refused and kept apart
    out_of_order,       // screen out_of_order: the kiosk is not running
    clock_offset,       // |clock_offset_s| > kFleetClockOffsetLimit_s
    unreadable,         // the stored report is not the JSON validate_heartbeat keeps (a bug)
    overlay_reverted,   // the terminal went back from a config overlay it could not start with
};

// "database", "answers_set_aside", "out_of_order", "clock_offset", "unreadable",
// "overlay_reverted".
const char* fleet_problem_name(FleetProblem problem);

// The fields of a heartbeat (docs/protocol.md, POST /v1/heartbeat).
struct FleetReport {
    std::string version;                       // the kiosk's version
    std::string config_version;                // "sha256:" + 16 hex digits
    std::int64_t uptime_h = 0;                 // hours since the kiosk started
    bool database_ok = true;
    std::optional<UnixSeconds> last_contact_hour;  // UTC hour of the last successful upload; nullopt: none yet
    bool answers_set_aside = false;
    std::optional<std::int64_t> clock_offset_s;    // terminal clock − reference; nullopt: unknown
    std::optional<std::int64_t> free_disk_mb;      // nullopt: unknown
    std::string screen;                        // "in_service" | "closed" | "out_of_order"
    std::optional<std::string> overlay;           // ETag of the config overlay in use; nullopt: none
    std::optional<std::string> overlay_reverted;  // ETag of one it reverted at its last start
};

// A stored report (TerminalHeartbeat::report_json) read back; nullopt when
// it is not JSON with those fields and types (validate_heartbeat stores
// nothing else, so that is a bug or a hand-edited database). Never throws.
std::optional<FleetReport> parse_fleet_report(const std::string& report_json);

// One terminal of the fleet.
struct FleetRow {
    std::string terminal;        // [[terminal]] id
    std::string workplace;       // its [[workplace]] id
    std::string workplace_name;  // CollectorConfig::workplace_name
    std::optional<UnixSeconds> last_heartbeat;  // when the last one arrived (collector's clock); nullopt: never
    std::optional<FleetReport> report;          // what it said; nullopt: never, or unreadable
    FleetState state = FleetState::silent;
    std::vector<FleetProblem> problems;         // what the report says is wrong, in enum order; empty for silent
};

// The state of a terminal whose last heartbeat arrived at last_heartbeat
// (nullopt: never) with `problems`, at now (precedence above). A heartbeat
// from the future (another instance's clock ahead) counts as just arrived.
FleetState fleet_state(std::optional<UnixSeconds> last_heartbeat, const std::vector<FleetProblem>& problems,
                       UnixSeconds now);

// The problems report shows (empty: none), in enum order.
std::vector<FleetProblem> fleet_problems(const FleetReport& report);

// Every [[terminal]] of config, in the config's order, with its last
// heartbeat from `heartbeats` (any order; a terminal appears in it at most
// once, as CollectorStore::heartbeats gives them) and its state at now.
// Heartbeats of terminals no longer registered are left out: the fleet is
// the registry. Cannot fail.
std::vector<FleetRow> fleet_rows(const CollectorConfig& config, const std::vector<TerminalHeartbeat>& heartbeats,
                                 UnixSeconds now);

// How many seconds of [from, to) schedule has open (is_open); with no
// schedule (nullopt) every second counts. Stops counting once it reaches
// enough_s and returns that (a terminal silent for months costs a few steps,
// not one per opening). 0 when to <= from. Cannot fail.
UnixSeconds open_seconds_between(const std::optional<Schedule>& schedule, UnixSeconds from, UnixSeconds to,
                                 UnixSeconds enough_s);

// rows as /fleet.json sends them: an array, one object per row in order,
// with "terminal", "workplace", "workplace_name", "state"
// (fleet_state_name), "last_heartbeat" (copenhagen_iso_text, or null),
// "problems" (fleet_problem_name each) and the report's fields as
// docs/protocol.md names them (times as copenhagen_iso_text; every one null
// when there is no report). Compact, UTF-8, keys in that order. Cannot fail.
std::string fleet_json(const std::vector<FleetRow>& rows);

// t on Copenhagen's clock for people: "2026-12-01 11:05" (the pages and the
// alert e-mails).
std::string copenhagen_minute_text(UnixSeconds t);

// t on Copenhagen's clock as ISO 8601 with its offset:
// "2026-12-01T11:05:00+01:00" (the JSON).
std::string copenhagen_iso_text(UnixSeconds t);

}  // namespace pulse
