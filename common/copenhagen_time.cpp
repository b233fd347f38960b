// copenhagen_time.cpp — Europe/Copenhagen from the system's tz database
// (date-tz built with USE_OS_TZDB: it reads /usr/share/zoneinfo).
#include "common/copenhagen_time.hpp"

#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <exception>

namespace pulse {
namespace {

// The zone, looked up once (thread-safe static initialisation). Throws when
// the database lacks it; copenhagen_zone_problem() reports that as text.
const date::time_zone& zone() {
    static const date::time_zone* const z = date::locate_zone(kCopenhagenZone);
    return *z;
}

date::sys_seconds instant(UnixSeconds t) { return date::sys_seconds{std::chrono::seconds{t}}; }

}  // namespace

std::string copenhagen_zone_problem() {
    try {
        (void)zone().get_info(instant(0));
        return "";
    } catch (const std::exception& e) {
        return std::string("the system's time zone database has no ") + kCopenhagenZone + " (" + e.what() +
               "); install Debian's tzdata";
    }
}

int copenhagen_utc_offset_s(UnixSeconds t) {
    return static_cast<int>(zone().get_info(instant(t)).offset.count());
}

LocalTime copenhagen_local(UnixSeconds t) {
    LocalTime local;
    local.utc_offset_s = copenhagen_utc_offset_s(t);
    const UnixSeconds wall = t + local.utc_offset_s;
    const std::int64_t days = floor_div(wall, kSecondsPerDay);
    local.date = civil_from_days(days);
    local.second_of_day = static_cast<int>(wall - days * kSecondsPerDay);
    local.weekday = weekday_from_days(days);
    return local;
}

UnixSeconds copenhagen_instant(CivilDate date, int second_of_day) {
    const UnixSeconds wall = days_from_civil(date.year, date.month, date.day) * kSecondsPerDay + second_of_day;
    const date::local_seconds local{std::chrono::seconds{wall}};
    const date::local_info info = zone().get_info(local);
    // unique: the one offset. ambiguous (autumn): first is the earlier
    // reading, in summer time. nonexistent (spring): first is the offset
    // before the gap, which puts the instant an hour later on the new clock.
    return wall - info.first.offset.count();
}

IsoWeek copenhagen_iso_week(UnixSeconds t) {
    return iso_week_of_days(floor_div(t + copenhagen_utc_offset_s(t), kSecondsPerDay));
}

int copenhagen_weekday(UnixSeconds t) { return copenhagen_local(t).weekday; }

UnixSeconds copenhagen_week_start(IsoWeek w) { return copenhagen_instant(civil_from_days(iso_week_monday(w)), 0); }

// [SECTION] Weekly moments

namespace {

constexpr std::array<const char*, 7> kWeekdayNames = {"monday", "tuesday", "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};

}  // namespace

UnixSeconds weekly_moment_after(IsoWeek week, WeeklyMoment moment) {
    const CivilDate day = civil_from_days(iso_week_monday(next_week(week)) + moment.day);
    return copenhagen_instant(day, moment.minute * 60);
}

IsoWeek latest_week_due(UnixSeconds now, WeeklyMoment moment) {
    // The moment falls in the week after the one it concerns, so the week
    // due is the one before this week or the one before that.
    const IsoWeek last_week = previous_week(copenhagen_iso_week(now));
    return weekly_moment_after(last_week, moment) <= now ? last_week : previous_week(last_week);
}

std::optional<int> parse_weekday(const std::string& name) {
    for (int i = 0; i < 7; ++i) {
        if (name == kWeekdayNames[static_cast<std::size_t>(i)]) return i;
    }
    return std::nullopt;
}

std::optional<int> parse_hh_mm(const std::string& text) {
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    return hours * 60 + minutes;
}

std::string describe(WeeklyMoment moment) {
    std::string day = kWeekdayNames[static_cast<std::size_t>(moment.day % 7)];
    day[0] = static_cast<char>(day[0] - 'a' + 'A');
    char time[16];
    std::snprintf(time, sizeof time, " %02d:%02d", moment.minute / 60 % 24, moment.minute % 60);
    return day + time;
}

}  // namespace pulse
