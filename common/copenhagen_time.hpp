// copenhagen_time.hpp — Europe/Copenhagen local time, the municipality's
// clock: which ISO week and weekday an instant falls in, when a week starts,
// and the instant of a local wall time. Read from the system's time zone
// database (Debian's tzdata, through date-tz), so a change of the summer-time
// rules arrives with a tzdata update, not a new Pulse release.
#pragma once

#include "common/calendar.hpp"

#include <optional>
#include <string>

namespace pulse {

inline constexpr const char* kCopenhagenZone = "Europe/Copenhagen";

// Empty when the system's time zone database has Europe/Copenhagen; else
// what is wrong and what to install. Both programs check it at start (their
// `check` commands too), so the functions below can rely on it.
std::string copenhagen_zone_problem();

// Offset of Europe/Copenhagen from UTC at instant t: 3600 (CET) or 7200 (CEST)
// under today's rules. Throws std::runtime_error only if the zone is missing
// (copenhagen_zone_problem() says so first).
int copenhagen_utc_offset_s(UnixSeconds t);

// A Copenhagen wall-clock reading.
struct LocalTime {
    CivilDate date;
    int second_of_day = 0;  // 0..86399
    int weekday = 0;        // 0 = Monday .. 6 = Sunday
    int utc_offset_s = 0;   // local = UTC + this
};

// The Copenhagen wall clock at instant t.
LocalTime copenhagen_local(UnixSeconds t);

// The instant at which Copenhagen's clock shows second_of_day on date. On the
// autumn night the clock shows 02:00–02:59 twice: the first. In the spring
// gap (02:00–02:59 does not exist) the time an hour later: 02:30 gives the
// instant the clock shows 03:30.
UnixSeconds copenhagen_instant(CivilDate date, int second_of_day);

// The ISO week and weekday (0 = Monday) that instant t falls in, in Copenhagen.
IsoWeek copenhagen_iso_week(UnixSeconds t);
int copenhagen_weekday(UnixSeconds t);

// The instant at which week w starts in Copenhagen (Monday 00:00 local).
UnixSeconds copenhagen_week_start(IsoWeek w);

// [SECTION] A weekly moment: what happens once to every week when it is over
// (the summary's publication, the weekly e-mail).

// A day and time of the week after the one it concerns, on Copenhagen's clock.
struct WeeklyMoment {
    int day = 0;            // 0 = Monday .. 6 = Sunday
    int minute = 7 * 60;    // 0..1439 minutes after local midnight; 07:00
    bool operator==(const WeeklyMoment&) const = default;
};

// The instant of `moment` in the week after `week` (copenhagen_instant's
// rules for the spring gap and the autumn repeat).
UnixSeconds weekly_moment_after(IsoWeek week, WeeklyMoment moment);

// The latest week whose moment has come at now (weekly_moment_after(w) <= now).
IsoWeek latest_week_due(UnixSeconds now, WeeklyMoment moment);

// "monday".."sunday" → 0..6; nullopt for anything else (lower-case only).
std::optional<int> parse_weekday(const std::string& name);

// "HH:MM" (00:00..23:59, two digits each) → minutes after midnight; nullopt otherwise.
std::optional<int> parse_hh_mm(const std::string& text);

// "Monday 07:00".
std::string describe(WeeklyMoment moment);

}  // namespace pulse
