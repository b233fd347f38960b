// test_calendar.cpp — hours, civil dates, weekdays, ISO text and ISO weeks.
#include "common/calendar.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_calendar {

using namespace pulse;

TEST_CASE("times are truncated to the start of their UTC hour") {
    const UnixSeconds t = *parse_iso8601("2026-11-27T09:59:59Z");
    CHECK(format_iso_utc(truncate_to_hour(t)) == "2026-11-27T09:00:00Z");
    CHECK(truncate_to_hour(*parse_iso8601("2026-11-27T10:00:00Z")) == *parse_iso8601("2026-11-27T10:00:00Z"));
}

TEST_CASE("ISO 8601 text parses with Z, offsets, a bare date, and rejects anything else") {
    CHECK(parse_iso8601("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_iso8601("2026-11-27T10:30:00+01:00") == parse_iso8601("2026-11-27T09:30:00Z"));
    CHECK(parse_iso8601("2026-11-27T08:30-01:00") == parse_iso8601("2026-11-27T09:30:00Z"));
    CHECK(parse_iso8601("2026-11-27") == parse_iso8601("2026-11-27T00:00:00Z"));
    CHECK(format_iso_utc(*parse_iso8601("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
    for (const char* bad : {"", "2026-13-01", "2025-02-29", "2026-11-27T25:00", "2026-11-27T10:00:00Q",
                            "27-11-2026", "2026-11-27T10:00:00Z trailing", "now"}) {
        CHECK_MESSAGE(!parse_iso8601(bad).has_value(), bad);
    }
}

TEST_CASE("ISO weeks follow the first-Thursday rule across year ends") {
    CHECK(iso_week_of_date(2026, 11, 27).str() == "2026-W48");
    CHECK(iso_week_of_date(2021, 1, 3).str() == "2020-W53");  // Sunday belongs to the old year's week 53
    CHECK(iso_week_of_date(2024, 12, 30).str() == "2025-W01");
    CHECK(iso_week_of_date(2026, 12, 31).str() == "2026-W53");
    CHECK(parse_iso_week("2026-W53").has_value());
    CHECK_FALSE(parse_iso_week("2025-W53").has_value());  // 2025 has 52 weeks
    CHECK_FALSE(parse_iso_week("2026-W00").has_value());
    CHECK_FALSE(parse_iso_week("2026W48").has_value());
    CHECK(next_week(IsoWeek{2026, 53}).str() == "2027-W01");
    CHECK(previous_week(IsoWeek{2027, 1}).str() == "2026-W53");
}

TEST_CASE("civil dates, weekdays and day truncation agree with the calendar, before 1970 too") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(civil_from_days(days_from_civil(2026, 11, 30)) == CivilDate{2026, 11, 30});
    CHECK(civil_from_days(-1) == CivilDate{1969, 12, 31});
    CHECK(weekday_from_days(0) == 3);                            // 1 January 1970 was a Thursday
    CHECK(weekday_from_days(days_from_civil(2026, 11, 30)) == 0);  // a Monday
    CHECK(weekday_from_days(-1) == 2);
    CHECK(is_valid_date(2028, 2, 29));
    CHECK_FALSE(is_valid_date(2026, 2, 29));
    CHECK_FALSE(is_valid_date(2026, 13, 1));
    CHECK(format_iso_utc(truncate_to_day(*parse_iso8601("2026-11-27T23:59:59Z"))) == "2026-11-27T00:00:00Z");
    CHECK(format_iso_utc(truncate_to_day(-1)) == "1969-12-31T00:00:00Z");
    CHECK(iso_week_monday(IsoWeek{2026, 1}) == days_from_civil(2025, 12, 29));
}

}  // namespace common_test_calendar
