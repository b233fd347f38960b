// test_fleet_state.cpp — the fleet's pure rules (collector/fleet/fleet.hpp):
// the states' thresholds and precedence, reading a stored report, the
// registry deciding who is in the fleet, the JSON, counting opening time
// for the silence alert, and Copenhagen times.
#include "collector_fixture.hpp"
#include "collector/fleet/fleet.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_fleet_state {

using namespace pulse;
using namespace pulse::testing;

namespace {

const UnixSeconds kNow = *parse_iso8601("2026-12-01T10:00:00Z");  // Tuesday, 11:00 in Copenhagen

std::string report(bool database_ok = true, const std::string& screen = "in_service", int clock_offset_s = 0) {
    return nlohmann::json{{"schema", 1},
                          {"version", "1.4.0"},
                          {"config_version", "sha256:0123456789abcdef"},
                          {"uptime_h", 3},
                          {"database_ok", database_ok},
                          {"last_contact_hour", nullptr},
                          {"answers_set_aside", false},
                          {"clock_offset_s", clock_offset_s},
                          {"free_disk_mb", nullptr},
                          {"screen", screen}}
        .dump();
}

}  // namespace

TEST_CASE("fleet state: ok within 30 minutes, stale until 2 hours, then silent; never heard from is silent") {
    CHECK(fleet_state(kNow, {}, kNow) == FleetState::ok);
    CHECK(fleet_state(kNow - 30 * 60, {}, kNow) == FleetState::ok);
    CHECK(fleet_state(kNow - 30 * 60 - 1, {}, kNow) == FleetState::stale);
    CHECK(fleet_state(kNow - 2 * 3600 + 1, {}, kNow) == FleetState::stale);
    CHECK(fleet_state(kNow - 2 * 3600, {}, kNow) == FleetState::silent);
    CHECK(fleet_state(std::nullopt, {}, kNow) == FleetState::silent);
    CHECK(fleet_state(kNow + 600, {}, kNow) == FleetState::ok);  // another instance's clock ahead
}

TEST_CASE("fleet state: a reported problem is an error, before stale and after silent") {
    const std::vector<FleetProblem> problem{FleetProblem::database};
    CHECK(fleet_state(kNow, problem, kNow) == FleetState::error);
    CHECK(fleet_state(kNow - 3600, problem, kNow) == FleetState::error);
    CHECK(fleet_state(kNow - 2 * 3600, problem, kNow) == FleetState::silent);

    FleetReport r = *parse_fleet_report(report());
    CHECK(fleet_problems(r).empty());
    r.clock_offset_s = 300;
    CHECK(fleet_problems(r).empty());
    r.clock_offset_s = -301;
    r.answers_set_aside = true;
    r.screen = "out_of_order";
    r.database_ok = false;
    CHECK(fleet_problems(r) == std::vector<FleetProblem>{FleetProblem::database, FleetProblem::answers_set_aside,
                                                         FleetProblem::out_of_order, FleetProblem::clock_offset});
    r = *parse_fleet_report(report(true, "closed"));
    CHECK(fleet_problems(r).empty());  // closed for the night is not a problem
}

TEST_CASE("fleet rows: every registered terminal in the config's order; unregistered ones left out") {
    const CollectorConfig config = test_collector_config();
    const std::vector<TerminalHeartbeat> heartbeats = {
        {"retired-terminal", report(), kNow},
        {"term-b", report(false), kNow - 60},
        {"term-a", "not json", kNow},
    };
    const std::vector<FleetRow> rows = fleet_rows(config, heartbeats, kNow);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].terminal == "term-a");
    CHECK(rows[0].workplace == "wp-a");
    CHECK(rows[0].workplace_name == "Borgerservice");
    CHECK(rows[0].state == FleetState::error);  // an unreadable report is a bug to look at
    CHECK(rows[0].problems == std::vector<FleetProblem>{FleetProblem::unreadable});
    CHECK(!rows[0].report);
    CHECK(rows[1].terminal == "term-b");
    CHECK(rows[1].state == FleetState::error);
    CHECK(rows[1].last_heartbeat == kNow - 60);
    REQUIRE(rows[1].report);
    CHECK(rows[1].report->version == "1.4.0");
    CHECK(!rows[1].report->free_disk_mb);
    CHECK(!rows[1].report->last_contact_hour);
    CHECK(fleet_rows(config, {}, kNow)[0].state == FleetState::silent);
}

TEST_CASE("fleet: open time counts only the schedule's open hours, and every second without one") {
    CHECK(open_seconds_between(std::nullopt, kNow, kNow + 5000, 7200) == 5000);
    CHECK(open_seconds_between(std::nullopt, kNow, kNow + 90000, 7200) == 7200);
    CHECK(open_seconds_between(std::nullopt, kNow, kNow - 5, 7200) == 0);

    Schedule s;  // Monday to Friday 08:00–16:00; Wednesday 2 December 2026 closed
    for (int day = 0; day < 5; ++day) s.hours[static_cast<std::size_t>(day)] = DayHours{8 * 60, 16 * 60};
    const UnixSeconds tue_15 = *parse_iso8601("2026-12-01T14:00:00Z");
    CHECK(open_seconds_between(s, tue_15, *parse_iso8601("2026-12-02T07:00:00Z"), 7200) == 3600);
    CHECK(open_seconds_between(s, tue_15, *parse_iso8601("2026-12-02T07:30:00Z"), 7200) == 3600 + 1800);
    CHECK(open_seconds_between(s, tue_15, *parse_iso8601("2026-12-02T09:00:00Z"), 7200) == 7200);
    s.closed.push_back(CivilDate{2026, 12, 2});
    CHECK(open_seconds_between(s, tue_15, *parse_iso8601("2026-12-03T07:00:00Z"), 7200) == 3600);
    CHECK(open_seconds_between(s, tue_15, *parse_iso8601("2026-12-03T08:00:00Z"), 7200) == 7200);
    // Friday 15:00 to Monday 08:30: one hour, then the weekend, then half an hour.
    CHECK(open_seconds_between(s, *parse_iso8601("2026-12-04T14:00:00Z"), *parse_iso8601("2026-12-07T07:30:00Z"),
                               7200) == 5400);
    // Never open: nothing, however long.
    CHECK(open_seconds_between(Schedule{}, kNow, kNow + 400 * 86400, 7200) == 0);
}

TEST_CASE("fleet JSON: every field, nulls for a terminal never heard from, and any text escaped") {
    FleetRow heard;
    heard.terminal = "term-a";
    heard.workplace = "wp-a";
    heard.workplace_name = "Borgerservice \"Rådhuset\" \\ 1\n";
    heard.last_heartbeat = kNow;
    heard.report = parse_fleet_report(report(false));
    heard.problems = fleet_problems(*heard.report);
    heard.state = FleetState::error;
    FleetRow never;
    never.terminal = "term-b";
    never.workplace = "wp-b";
    never.workplace_name = "Biblioteket";
    const std::string text = fleet_json({heard, never});
    const nlohmann::json parsed = nlohmann::json::parse(text);
    CHECK(parsed == nlohmann::json::parse(R"([
      {"terminal": "term-a", "workplace": "wp-a", "workplace_name": "Borgerservice \"Rådhuset\" \\ 1\n",
       "state": "error", "last_heartbeat": "2026-12-01T11:00:00+01:00", "problems": ["database"],
       "version": "1.4.0", "config_version": "sha256:0123456789abcdef", "uptime_h": 3, "database_ok": false,
       "last_contact_hour": null, "answers_set_aside": false, "clock_offset_s": 0, "free_disk_mb": null,
       "screen": "in_service"},
      {"terminal": "term-b", "workplace": "wp-b", "workplace_name": "Biblioteket", "state": "silent",
       "last_heartbeat": null, "problems": [], "version": null, "config_version": null, "uptime_h": null,
       "database_ok": null, "last_contact_hour": null, "answers_set_aside": null, "clock_offset_s": null,
       "free_disk_mb": null, "screen": null}])"));
    CHECK(text.rfind(R"([{"terminal":"term-a","workplace":"wp-a",)", 0) == 0);  // compact, keys in order
    CHECK(fleet_json({}) == "[]");
}

TEST_CASE("fleet: times are shown on Copenhagen's clock, summer and winter") {
    CHECK(copenhagen_minute_text(kNow) == "2026-12-01 11:00");
    CHECK(copenhagen_iso_text(kNow) == "2026-12-01T11:00:00+01:00");
    CHECK(copenhagen_iso_text(*parse_iso8601("2026-07-01T10:00:05Z")) == "2026-07-01T12:00:05+02:00");
}

}  // namespace collector_test_fleet_state
