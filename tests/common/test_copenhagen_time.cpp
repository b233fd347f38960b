// test_copenhagen_time.cpp — Europe/Copenhagen from the system's tz
// database: both 2026 summer-time switches, the week that holds one, the
// spring gap and the autumn repeat of the wall clock.
#include "common/copenhagen_time.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_copenhagen_time {

using namespace pulse;

TEST_CASE("the system's time zone database has Europe/Copenhagen") {
    CHECK_MESSAGE(copenhagen_zone_problem().empty(), copenhagen_zone_problem());
}

TEST_CASE("Copenhagen is UTC+1 in winter and UTC+2 from the last Sunday of March to the last of October") {
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-01-15T12:00:00Z")) == 3600);
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-07-15T12:00:00Z")) == 7200);
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-03-29T00:59:59Z")) == 3600);
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-03-29T01:00:00Z")) == 7200);
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-10-25T00:59:59Z")) == 7200);
    CHECK(copenhagen_utc_offset_s(*parse_iso8601("2026-10-25T01:00:00Z")) == 3600);
}

TEST_CASE("a Copenhagen week starts at Monday midnight local time, also across summer time") {
    CHECK(format_iso_utc(copenhagen_week_start(IsoWeek{2026, 48})) == "2026-11-22T23:00:00Z");
    CHECK(format_iso_utc(copenhagen_week_start(IsoWeek{2026, 27})) == "2026-06-28T22:00:00Z");
    // Sunday 23:30 local on 22 Nov is still week 47; Monday 00:00 local is week 48.
    CHECK(copenhagen_iso_week(*parse_iso8601("2026-11-22T22:30:00Z")).str() == "2026-W47");
    CHECK(copenhagen_iso_week(*parse_iso8601("2026-11-22T23:00:00Z")).str() == "2026-W48");
    // The week holding the switch to summer time is 167 hours long.
    CHECK(copenhagen_week_start(IsoWeek{2026, 14}) - copenhagen_week_start(IsoWeek{2026, 13}) == 167 * 3600);
}

TEST_CASE("the Copenhagen wall clock reads date, time of day, weekday and offset") {
    const LocalTime winter = copenhagen_local(*parse_iso8601("2026-11-30T06:00:00Z"));
    CHECK(winter.date == CivilDate{2026, 11, 30});
    CHECK(winter.second_of_day == 7 * 3600);
    CHECK(winter.weekday == 0);
    CHECK(winter.utc_offset_s == 3600);
    const LocalTime summer = copenhagen_local(*parse_iso8601("2026-07-04T22:30:00Z"));
    CHECK(summer.date == CivilDate{2026, 7, 5});  // already Sunday in Copenhagen
    CHECK(summer.second_of_day == 30 * 60);
    CHECK(summer.weekday == 6);
    CHECK(copenhagen_weekday(*parse_iso8601("2026-07-04T22:30:00Z")) == 6);
}

TEST_CASE("a Copenhagen wall time is one instant; the autumn repeat takes the first, the spring gap an hour later") {
    CHECK(format_iso_utc(copenhagen_instant({2026, 11, 30}, 7 * 3600)) == "2026-11-30T06:00:00Z");
    CHECK(format_iso_utc(copenhagen_instant({2026, 7, 1}, 7 * 3600)) == "2026-07-01T05:00:00Z");
    // 25 October 2026: 02:30 happens twice (CEST, then CET); the first.
    CHECK(format_iso_utc(copenhagen_instant({2026, 10, 25}, 2 * 3600 + 1800)) == "2026-10-25T00:30:00Z");
    // 29 March 2026: 02:30 never happens; the clock shows 03:30 at 01:30 UTC.
    CHECK(format_iso_utc(copenhagen_instant({2026, 3, 29}, 2 * 3600 + 1800)) == "2026-03-29T01:30:00Z");
    CHECK(copenhagen_local(copenhagen_instant({2026, 3, 29}, 2 * 3600 + 1800)).second_of_day == 3 * 3600 + 1800);
}

}  // namespace common_test_copenhagen_time
