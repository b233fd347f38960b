// test_schedule.cpp — opening hours ([schedule]): the config form and every
// mistake in it (file, line, key), open or closed at the boundaries, closed
// dates, the days the clocks change, and when the state next changes.
#include "terminal/kiosk_config.hpp"
#include "common/schedule.hpp"
#include "common/calendar.hpp"
#include "minimal_config.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_schedule {

namespace {

using namespace pulse;
using pulse::testing::all;
using pulse::testing::write_temp;

// A valid config without [schedule], and a blank line: the schedule's lines start at line 14.
const std::string kBase = pulse::testing::kMinimalKioskConfig + "\n";

ConfigLoad load_with(const std::string& schedule) { return load_kiosk_config(write_temp(kBase + schedule)); }

UnixSeconds at(const char* iso) {
    const std::optional<UnixSeconds> t = parse_iso8601(iso);
    REQUIRE_MESSAGE(t, iso);
    return *t;
}

// Open 07:00-17:00 on weekdays, Christmas Eve and Day closed.
Schedule office() {
    Schedule s;
    for (int d = 0; d < 5; ++d) s.hours[static_cast<std::size_t>(d)] = DayHours{7 * 60, 17 * 60};
    s.closed = {CivilDate{2026, 12, 24}, CivilDate{2026, 12, 25}};
    return s;
}

}  // namespace

TEST_CASE("a [schedule] loads its hours per weekday and its closed dates; without one the terminal is always open") {
    const ConfigLoad none = load_with("");
    REQUIRE_MESSAGE(none.errors.empty(), all(none.errors));
    CHECK_FALSE(none.config->schedule.has_value());

    const ConfigLoad load = load_with(
        "[schedule]\nmonday = \"07:00-17:00\"\nfriday = \"06:30-24:00\"\nclosed = [\"2026-12-24\", 2026-12-25]\n");
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    REQUIRE(load.config->schedule);
    const Schedule& s = *load.config->schedule;
    CHECK(s.hours[0] == DayHours{7 * 60, 17 * 60});
    CHECK_FALSE(s.hours[1].has_value());  // a weekday left out is closed all day
    CHECK(s.hours[4] == DayHours{6 * 60 + 30, 24 * 60});
    CHECK(s.closed == std::vector<CivilDate>{{2026, 12, 24}, {2026, 12, 25}});
}

TEST_CASE("every mistake in [schedule] is reported as FILE:LINE: [schedule] key, with what to write") {
    const std::filesystem::path file = write_temp(kBase + R"([schedule]
monday = "7:00-17:00"
tuesday = "07:00-17:60"
wednesday = "17:00-07:00"
thursday = "07:00-07:00"
friday = 7
saturday = "07:00"
mondag = "07:00-17:00"
closed = ["2026-02-30", "24-12-2026", 5]
)");
    const ConfigLoad load = load_kiosk_config(file);
    CHECK_FALSE(load.config.has_value());
    CHECK_ERROR(load, 15, "[schedule] monday = \"7:00-17:00\" is not opening hours \"HH:MM-HH:MM\"");
    CHECK_ERROR(load, 16, "[schedule] tuesday = \"07:00-17:60\" is not opening hours");
    CHECK_ERROR(load, 17, "[schedule] wednesday = \"17:00-07:00\" closes before it opens");
    CHECK_ERROR(load, 18, "[schedule] thursday = \"07:00-07:00\" closes before it opens");
    CHECK_ERROR(load, 19, "[schedule] friday must be a string (in quotes), not");
    CHECK_ERROR(load, 20, "[schedule] saturday = \"07:00\" is not opening hours");
    CHECK_ERROR(load, 21, "[schedule] mondag is not a known key (known: monday, tuesday");
    CHECK_ERROR(load, 22, "[schedule] closed: \"2026-02-30\" is not a date \"YYYY-MM-DD\"");
    CHECK_ERROR(load, 22, "[schedule] closed: \"24-12-2026\" is not a date");
    CHECK_ERROR(load, 22, "[schedule] closed: an integer is not a date");
    for (const Diagnostic& d : load.errors) CHECK(d.str().rfind(file.string() + ":", 0) == 0);

    const ConfigLoad not_a_list = load_with("[schedule]\nclosed = \"2026-12-24\"\n");
    CHECK_ERROR(not_a_list, 15, "[schedule] closed must be a list of dates, e.g. [\"2026-12-24\"], not a string");
}

TEST_CASE("day hours parse as HH:MM-HH:MM on the 24-hour clock, ending by 24:00 and after they start") {
    std::string why;
    CHECK(parse_day_hours("00:00-24:00", &why) == DayHours{0, 1440});
    CHECK(parse_day_hours("07:15-16:45", &why) == DayHours{435, 1005});
    for (const char* bad : {"", "07:00", "07:00-", "-17:00", "24:00-24:00", "07:00-24:01", "07-17", "07:00 - 17:00"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_day_hours(bad, &why).has_value());
    }
    CHECK(parse_civil_date("2028-02-29") == CivilDate{2028, 2, 29});
    CHECK_FALSE(parse_civil_date("2026-02-29").has_value());
    CHECK_FALSE(parse_civil_date("2026-1-01").has_value());
}

TEST_CASE("open from the opening minute up to, not including, the closing minute, on Copenhagen's clock") {
    const Schedule s = office();
    // Friday 2026-11-27, CET (UTC+1): 07:00 local is 06:00Z.
    CHECK_FALSE(is_open(s, at("2026-11-27T05:59:59Z")));
    CHECK(is_open(s, at("2026-11-27T06:00:00Z")));
    CHECK(is_open(s, at("2026-11-27T15:59:59Z")));
    CHECK_FALSE(is_open(s, at("2026-11-27T16:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-11-28T11:00:00Z")));  // Saturday: left out, closed all day
    // Summer (CEST, UTC+2): 07:00 local is 05:00Z.
    CHECK(is_open(s, at("2026-06-01T05:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-06-01T04:59:59Z")));
}

TEST_CASE("a closed date is closed all day, and the next opening skips it and the weekend") {
    const Schedule s = office();
    CHECK_FALSE(is_open(s, at("2026-12-24T10:00:00Z")));  // Thursday, Christmas Eve
    CHECK(is_open(s, at("2026-12-23T10:00:00Z")));
    // From Wednesday's closing to Monday 28 December 07:00 CET.
    CHECK(next_change(s, at("2026-12-23T16:00:00Z")) == at("2026-12-28T06:00:00Z"));
}

TEST_CASE("the next change is the closing time when open, the next opening when closed") {
    const Schedule s = office();
    CHECK(next_change(s, at("2026-11-27T09:41:00Z")) == at("2026-11-27T16:00:00Z"));
    CHECK(next_change(s, at("2026-11-27T16:00:00Z")) == at("2026-11-30T06:00:00Z"));  // Friday -> Monday
    CHECK(next_change(s, at("2026-11-30T05:00:00Z")) == at("2026-11-30T06:00:00Z"));
    CHECK(next_change(s, at("2026-11-30T06:00:00Z")) == at("2026-11-30T16:00:00Z"));

    CHECK_FALSE(next_change(Schedule{}, at("2026-11-27T09:41:00Z")).has_value());  // never open
    Schedule always;
    for (auto& h : always.hours) h = DayHours{0, 1440};
    CHECK(is_open(always, at("2026-11-29T23:00:00Z")));  // midnight into Monday: no change
    CHECK_FALSE(next_change(always, at("2026-11-27T09:41:00Z")).has_value());
}

TEST_CASE("on the days the clocks change, opening and closing follow the wall clock") {
    Schedule s;
    s.hours[5] = DayHours{7 * 60, 17 * 60};  // Saturday
    s.hours[6] = DayHours{7 * 60, 17 * 60};  // Sunday
    // Spring: Sunday 29 March 2026, 02:00 CET -> 03:00 CEST.
    CHECK(next_change(s, at("2026-03-28T16:00:00Z")) == at("2026-03-29T05:00:00Z"));  // 07:00 CEST
    CHECK_FALSE(is_open(s, at("2026-03-29T04:59:59Z")));
    CHECK(next_change(s, at("2026-03-29T05:00:00Z")) == at("2026-03-29T15:00:00Z"));  // 17:00 CEST
    // Autumn: Sunday 25 October 2026, 03:00 CEST -> 02:00 CET.
    CHECK(next_change(s, at("2026-10-24T15:00:00Z")) == at("2026-10-25T06:00:00Z"));  // 07:00 CET
    CHECK(next_change(s, at("2026-10-25T06:00:00Z")) == at("2026-10-25T16:00:00Z"));  // 17:00 CET

    // An opening time in the spring gap takes effect when the clock jumps past it.
    Schedule early;
    early.hours[6] = DayHours{2 * 60 + 30, 17 * 60};
    CHECK(next_change(early, at("2026-03-29T00:00:00Z")) == at("2026-03-29T01:00:00Z"));  // 03:00 CEST
    CHECK(is_open(early, at("2026-03-29T01:00:00Z")));
    CHECK_FALSE(is_open(early, at("2026-03-29T00:59:59Z")));
}

}  // namespace terminal_test_schedule
