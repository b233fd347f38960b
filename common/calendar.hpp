// calendar.hpp — calendar arithmetic without time zones, for terminal and
// collector alike: the seconds of an hour and a day, civil dates, weekdays,
// hour truncation, ISO 8601 text and ISO 8601 weeks. Built on Howard
// Hinnant's date library (Debian's libhowardhinnant-date-dev), the basis of
// C++20's <chrono> calendar. Local time is in copenhagen_time.hpp.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace pulse {

// Seconds since 1970-01-01T00:00:00Z. All stored times are UTC.
using UnixSeconds = std::int64_t;

inline constexpr UnixSeconds kSecondsPerHour = 3600;
inline constexpr UnixSeconds kSecondsPerDay = 86400;
inline constexpr int kDaysPerWeek = 7;

// a / b rounded towards minus infinity (b > 0): the day or hour that holds
// a time before 1970 too.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// A proleptic Gregorian date.
struct CivilDate {
    int year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31
    bool operator==(const CivilDate&) const = default;
};

// Days since 1970-01-01 of a date, and back. days_from_civil does not check
// the date: 2026-02-30 is 2026-03-02 (use is_valid_date first).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
CivilDate civil_from_days(std::int64_t days);
bool is_valid_date(int year, unsigned month, unsigned day);

// The weekday of a day number, 0 = Monday .. 6 = Sunday.
int weekday_from_days(std::int64_t days);

// The start of the UTC hour, and of the UTC day, that contains t (answers are
// stored only to the hour; uploads are remembered only by their day).
inline UnixSeconds truncate_to_hour(UnixSeconds t) { return floor_div(t, kSecondsPerHour) * kSecondsPerHour; }
inline UnixSeconds truncate_to_day(UnixSeconds t) { return floor_div(t, kSecondsPerDay) * kSecondsPerDay; }

// "2026-11-27T09:00:00Z".
std::string format_iso_utc(UnixSeconds t);

// Parses "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (also a space for 'T', and a
// bare date "YYYY-MM-DD" as midnight UTC). A time without zone is taken as UTC.
// Returns nullopt on anything else (it never guesses).
std::optional<UnixSeconds> parse_iso8601(const std::string& text);

// An ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
struct IsoWeek {
    int year = 0;  // ISO week-numbering year (may differ from the calendar year)
    int week = 0;  // 1..53

    std::string str() const;  // "2026-W48"
    bool operator==(const IsoWeek&) const = default;
    auto operator<=>(const IsoWeek&) const = default;
};

// The ISO week of a calendar date, and of a day number.
IsoWeek iso_week_of_date(int year, unsigned month, unsigned day);
IsoWeek iso_week_of_days(std::int64_t days);

// The day number of the Monday that starts week w.
std::int64_t iso_week_monday(IsoWeek w);

// Parses "2026-W48" (week 1..53 and valid for that year); nullopt otherwise.
std::optional<IsoWeek> parse_iso_week(const std::string& text);

// The week before / after w.
IsoWeek previous_week(IsoWeek w);
IsoWeek next_week(IsoWeek w);

}  // namespace pulse
