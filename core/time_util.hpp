// time_util.hpp — calendar arithmetic Pulse needs without a tz database:
// hour truncation, ISO 8601 text, ISO weeks, and Europe/Copenhagen local time
// (EU summer-time rule, in force since 1996). Shared by kiosk and collector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pulse {

// Seconds since 1970-01-01T00:00:00Z. All stored times are UTC.
using UnixSeconds = std::int64_t;

// The start of the UTC hour that contains t (answers are stored only to the hour).
UnixSeconds truncate_to_hour(UnixSeconds t);

// "2026-11-27T09:00:00Z".
std::string format_iso_utc(UnixSeconds t);

// Parses "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (also a space for 'T', and a
// bare date "YYYY-MM-DD" as midnight UTC). A time without zone is taken as UTC.
// Returns nullopt on anything else (it never guesses).
std::optional<UnixSeconds> parse_iso8601(const std::string& text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day);

// Offset of Europe/Copenhagen from UTC at instant t: 3600 (CET) or 7200 (CEST,
// from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
int copenhagen_utc_offset_s(UnixSeconds t);

// An ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
struct IsoWeek {
    int year = 0;  // ISO week-numbering year (may differ from the calendar year)
    int week = 0;  // 1..53

    std::string str() const;  // "2026-W48"
    bool operator==(const IsoWeek&) const = default;
    auto operator<=>(const IsoWeek&) const = default;
};

// The ISO week of a calendar date.
IsoWeek iso_week_of_date(int year, unsigned month, unsigned day);

// The ISO week that instant t falls in, in Copenhagen local time.
IsoWeek copenhagen_iso_week(UnixSeconds t);

// Parses "2026-W48" (week 1..53 and valid for that year); nullopt otherwise.
std::optional<IsoWeek> parse_iso_week(const std::string& text);

// The UTC instant at which week w starts in Copenhagen (Monday 00:00 local).
UnixSeconds copenhagen_week_start(IsoWeek w);

// The week before / after w.
IsoWeek previous_week(IsoWeek w);
IsoWeek next_week(IsoWeek w);

}  // namespace pulse
