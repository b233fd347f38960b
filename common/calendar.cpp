// calendar.cpp — civil dates and ISO weeks on Howard Hinnant's date library
// (date.h, iso_week.h); ISO 8601 text read and written here.
#include "common/calendar.hpp"

#include <date/date.h>
#include <date/iso_week.h>

#include <cctype>
#include <cstdio>

namespace pulse {
namespace {

date::sys_days day_point(std::int64_t days) { return date::sys_days{date::days{days}}; }

bool read_int(const std::string& s, std::size_t& pos, int digits, int& out) {
    if (pos + static_cast<std::size_t>(digits) > s.size()) return false;
    out = 0;
    for (int i = 0; i < digits; ++i) {
        const char c = s[pos + static_cast<std::size_t>(i)];
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        out = out * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(digits);
    return true;
}

}  // namespace

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
    return date::sys_days{ymd}.time_since_epoch().count();
}

CivilDate civil_from_days(std::int64_t days) {
    const date::year_month_day ymd{day_point(days)};
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

bool is_valid_date(int year, unsigned month, unsigned day) {
    return date::year_month_day{date::year{year}, date::month{month}, date::day{day}}.ok();
}

int weekday_from_days(std::int64_t days) {
    return static_cast<int>(date::weekday{day_point(days)}.iso_encoding()) - 1;
}

std::string format_iso_utc(UnixSeconds t) {
    const std::int64_t days = floor_div(t, kSecondsPerDay);
    const std::int64_t secs = t - days * kSecondsPerDay;
    const CivilDate d = civil_from_days(days);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", d.year, d.month, d.day,
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf;
}

std::optional<UnixSeconds> parse_iso8601(const std::string& s) {
    std::size_t pos = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!read_int(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !read_int(s, pos, 2, mo) ||
        pos >= s.size() || s[pos++] != '-' || !read_int(s, pos, 2, d))
        return std::nullopt;
    if (!is_valid_date(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) return std::nullopt;
    int offset_s = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
        ++pos;
        if (!read_int(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':' || !read_int(s, pos, 2, mi))
            return std::nullopt;
        if (pos < s.size() && s[pos] == ':') {
            ++pos;
            if (!read_int(s, pos, 2, sec)) return std::nullopt;
        }
        if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
        if (pos < s.size()) {
            const char z = s[pos++];
            if (z == 'Z' || z == 'z') {
                // UTC
            } else if (z == '+' || z == '-') {
                int oh, om;
                if (!read_int(s, pos, 2, oh) || pos >= s.size() || s[pos++] != ':' || !read_int(s, pos, 2, om) ||
                    oh > 23 || om > 59)
                    return std::nullopt;
                offset_s = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
            } else {
                return std::nullopt;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kSecondsPerDay + h * 3600 +
           mi * 60 + sec - offset_s;
}

std::string IsoWeek::str() const {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", year, week);
    return buf;
}

IsoWeek iso_week_of_days(std::int64_t days) {
    const iso_week::year_weeknum_weekday w{day_point(days)};
    return IsoWeek{static_cast<int>(w.year()), static_cast<int>(static_cast<unsigned>(w.weeknum()))};
}

IsoWeek iso_week_of_date(int year, unsigned month, unsigned day) {
    return iso_week_of_days(days_from_civil(year, month, day));
}

std::int64_t iso_week_monday(IsoWeek w) {
    const iso_week::year_weeknum_weekday monday{iso_week::year{w.year},
                                                iso_week::weeknum{static_cast<unsigned>(w.week)}, iso_week::mon};
    return date::sys_days{monday}.time_since_epoch().count();
}

std::optional<IsoWeek> parse_iso_week(const std::string& s) {
    std::size_t pos = 0;
    int y, w;
    if (!read_int(s, pos, 4, y) || pos + 2 > s.size() || s[pos] != '-' || s[pos + 1] != 'W') return std::nullopt;
    pos += 2;
    if (!read_int(s, pos, 2, w) || pos != s.size()) return std::nullopt;
    const iso_week::year_weeknum week{iso_week::year{y}, iso_week::weeknum{static_cast<unsigned>(w)}};
    if (w < 1 || !week.ok()) return std::nullopt;
    return IsoWeek{y, w};
}

IsoWeek previous_week(IsoWeek w) { return iso_week_of_days(iso_week_monday(w) - kDaysPerWeek); }

IsoWeek next_week(IsoWeek w) { return iso_week_of_days(iso_week_monday(w) + kDaysPerWeek); }

}  // namespace pulse
