// time_util.cpp — civil-date arithmetic (Howard Hinnant's days_from_civil),
// ISO 8601 text and weeks, and the Europe/Copenhagen offset by the EU rule.
#include "time_util.hpp"

#include <cctype>
#include <cstdio>

namespace pulse {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 0 = Monday .. 6 = Sunday.
int weekday_from_days(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
    static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

// Days since epoch of the last Sunday of month m in year y.
std::int64_t last_sunday(int y, unsigned m) {
    std::int64_t last = days_from_civil(y, m, days_in_month(y, m));
    return last - ((weekday_from_days(last) + 1) % 7);  // Sunday has weekday 6
}

// Monday of ISO week 1 of ISO year y (the week with the year's first Thursday).
std::int64_t iso_year_start(int y) {
    std::int64_t jan4 = days_from_civil(y, 1, 4);
    return jan4 - weekday_from_days(jan4);
}

int iso_weeks_in_year(int y) {
    return static_cast<int>((iso_year_start(y + 1) - iso_year_start(y)) / 7);
}

IsoWeek iso_week_of_days(std::int64_t days) {
    int y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    int iso_year = y;
    if (days < iso_year_start(y)) iso_year = y - 1;
    else if (days >= iso_year_start(y + 1)) iso_year = y + 1;
    return IsoWeek{iso_year, static_cast<int>((days - iso_year_start(iso_year)) / 7) + 1};
}

bool read_int(const std::string& s, std::size_t& pos, int digits, int& out) {
    if (pos + digits > s.size()) return false;
    out = 0;
    for (int i = 0; i < digits; ++i) {
        char c = s[pos + i];
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        out = out * 10 + (c - '0');
    }
    pos += digits;
    return true;
}

}  // namespace

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = floor_div(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

UnixSeconds truncate_to_hour(UnixSeconds t) { return floor_div(t, 3600) * 3600; }

std::string format_iso_utc(UnixSeconds t) {
    std::int64_t days = floor_div(t, kDay);
    std::int64_t secs = t - days * kDay;
    int y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, static_cast<int>(secs / 3600),
                  static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf;
}

std::optional<UnixSeconds> parse_iso8601(const std::string& s) {
    std::size_t pos = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!read_int(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !read_int(s, pos, 2, mo) ||
        pos >= s.size() || s[pos++] != '-' || !read_int(s, pos, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > static_cast<int>(days_in_month(y, mo))) return std::nullopt;
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
            char z = s[pos++];
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
    return days_from_civil(y, mo, d) * kDay + h * 3600 + mi * 60 + sec - offset_s;
}

int copenhagen_utc_offset_s(UnixSeconds t) {
    int y;
    unsigned m, d;
    civil_from_days(floor_div(t, kDay), y, m, d);
    const UnixSeconds summer_starts = last_sunday(y, 3) * kDay + 3600;  // 01:00 UTC
    const UnixSeconds summer_ends = last_sunday(y, 10) * kDay + 3600;
    return (t >= summer_starts && t < summer_ends) ? 7200 : 3600;
}

std::string IsoWeek::str() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", year, week);
    return buf;
}

IsoWeek iso_week_of_date(int year, unsigned month, unsigned day) {
    return iso_week_of_days(days_from_civil(year, month, day));
}

IsoWeek copenhagen_iso_week(UnixSeconds t) {
    return iso_week_of_days(floor_div(t + copenhagen_utc_offset_s(t), kDay));
}

std::optional<IsoWeek> parse_iso_week(const std::string& s) {
    std::size_t pos = 0;
    int y, w;
    if (!read_int(s, pos, 4, y) || pos + 2 > s.size() || s[pos] != '-' || s[pos + 1] != 'W') return std::nullopt;
    pos += 2;
    if (!read_int(s, pos, 2, w) || pos != s.size()) return std::nullopt;
    if (w < 1 || w > iso_weeks_in_year(y)) return std::nullopt;
    return IsoWeek{y, w};
}

UnixSeconds copenhagen_week_start(IsoWeek w) {
    const std::int64_t monday = iso_year_start(w.year) + (w.week - 1) * 7;
    const UnixSeconds local_midnight_as_utc = monday * kDay;
    // Midnight is never inside a DST transition (they happen at 02:00/03:00
    // local), so the offset an hour before or after gives the same answer.
    return local_midnight_as_utc - copenhagen_utc_offset_s(local_midnight_as_utc - 3600);
}

IsoWeek previous_week(IsoWeek w) {
    return iso_week_of_days(iso_year_start(w.year) + (w.week - 1) * 7 - 7);
}

IsoWeek next_week(IsoWeek w) {
    return iso_week_of_days(iso_year_start(w.year) + (w.week - 1) * 7 + 7);
}

}  // namespace pulse
