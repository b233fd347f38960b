// test_time_util.cpp — hours, ISO text, ISO weeks and Copenhagen's summer time.
#include "common/calendar.hpp"
#include "common/copenhagen_time.hpp"

#include <doctest/doctest.h>

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
