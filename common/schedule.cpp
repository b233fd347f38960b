// schedule.cpp — opening hours: parsing a day's hours and a date, is_open and
// next_change on Copenhagen's clock (see schedule.hpp).
#include "common/schedule.hpp"

#include "common/copenhagen_time.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace pulse {

namespace {

constexpr int kMinutesPerDay = 24 * 60;
// How far next_change looks: a year of closed dates plus a week.
constexpr int kLookAheadDays = 366 + 7;

// "HH:MM" as minutes; "24:00" too when allow_midnight_end.
std::optional<int> parse_time(const std::string& text, bool allow_midnight_end) {
    if (allow_midnight_end && text == "24:00") return kMinutesPerDay;
    return parse_hh_mm(text);
}

bool is_closed_date(const Schedule& s, CivilDate date) {
    return std::find(s.closed.begin(), s.closed.end(), date) != s.closed.end();
}

}  // namespace

std::optional<DayHours> parse_day_hours(const std::string& text, std::string* why) {
    const std::size_t dash = text.find('-');
    const std::optional<int> open =
        dash == std::string::npos ? std::nullopt : parse_time(text.substr(0, dash), false);
    const std::optional<int> close =
        dash == std::string::npos ? std::nullopt : parse_time(text.substr(dash + 1), true);
    if (!open || !close) {
        if (why) *why = "is not opening hours \"HH:MM-HH:MM\" (e.g. \"07:00-17:00\", 24-hour clock)";
        return std::nullopt;
    }
    if (*close <= *open) {
        if (why) *why = "closes before it opens: the end must be after the start on the same day (hours past "
                        "midnight are not supported; use \"…-24:00\" and the next day's \"00:00-…\")";
        return std::nullopt;
    }
    return DayHours{*open, *close};
}

std::optional<CivilDate> parse_civil_date(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int year = std::stoi(text.substr(0, 4));
    const unsigned month = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
    const unsigned day = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
    if (!is_valid_date(year, month, day)) return std::nullopt;
    return CivilDate{year, month, day};
}

Schedule read_schedule_table(const toml::table& table, const std::string& file, Diagnostics& errors) {
    const auto error = [&](int line, std::string message) { errors.push_back({file, line, std::move(message)}); };
    Schedule s;
    for (std::size_t d = 0; d < 7; ++d) {
        const toml::node* n = table.get(kScheduleDays[d]);
        if (!n) continue;
        const std::string key = "[schedule] " + std::string(kScheduleDays[d]);
        const auto* text = n->as_string();
        if (!text) {
            error(toml_line_of(*n), key + " must be a string (in quotes), not " + toml_type_name(*n));
            continue;
        }
        std::string why;
        if (std::optional<DayHours> h = parse_day_hours(text->get(), &why)) s.hours[d] = *h;
        else error(toml_line_of(*n), key + " = \"" + text->get() + "\" " + why);
    }
    if (const toml::node* closed = table.get("closed")) {
        const toml::array* dates = closed->as_array();
        if (!dates) {
            error(toml_line_of(*closed),
                  "[schedule] closed must be a list of dates, e.g. [\"2026-12-24\"], not " + toml_type_name(*closed));
            return s;
        }
        for (const toml::node& entry : *dates) {
            std::optional<CivilDate> date;
            std::string shown;
            if (const auto* text = entry.as_string()) {
                shown = "\"" + text->get() + "\"";
                date = parse_civil_date(text->get());
            } else if (const auto* d = entry.as_date()) {
                const toml::date v = d->get();
                shown = std::to_string(v.year) + "-" + std::to_string(v.month) + "-" + std::to_string(v.day);
                if (is_valid_date(v.year, v.month, v.day)) date = CivilDate{v.year, v.month, v.day};
            } else {
                shown = toml_type_name(entry);
            }
            if (date) {
                s.closed.push_back(*date);
            } else {
                const int line = toml_line_of(entry) > 0 ? toml_line_of(entry) : toml_line_of(*closed);
                error(line, "[schedule] closed: " + shown + " is not a date \"YYYY-MM-DD\" (e.g. \"2026-12-24\")");
            }
        }
    }
    return s;
}

bool is_open(const Schedule& s, UnixSeconds t) {
    const LocalTime local = copenhagen_local(t);
    if (is_closed_date(s, local.date)) return false;
    const std::optional<DayHours>& h = s.hours[static_cast<std::size_t>(local.weekday)];
    return h && local.second_of_day >= h->open_min * 60 && local.second_of_day < h->close_min * 60;
}

std::optional<UnixSeconds> next_change(const Schedule& s, UnixSeconds t) {
    const bool open_now = is_open(s, t);
    const LocalTime local = copenhagen_local(t);
    const std::int64_t first_day = days_from_civil(local.date.year, local.date.month, local.date.day);
    // Opening hours lie within single days, so is_open changes at an opening
    // or closing time of an open day, or (when such a time falls in the spring
    // gap) at the jump of the clock just before it: find the first of those
    // instants with the other state, then the first second in the stretch
    // before it that has it.
    UnixSeconds same = t;  // the latest instant known to have state open_now
    for (std::int64_t day = first_day; day <= first_day + kLookAheadDays; ++day) {
        const CivilDate date = civil_from_days(day);
        const std::optional<DayHours>& h = s.hours[static_cast<std::size_t>(weekday_from_days(day))];
        if (!h || is_closed_date(s, date)) continue;
        const UnixSeconds opens = copenhagen_instant(date, h->open_min * 60);
        const UnixSeconds closes = h->close_min == kMinutesPerDay ? copenhagen_instant(civil_from_days(day + 1), 0)
                                                                  : copenhagen_instant(date, h->close_min * 60);
        for (UnixSeconds at : {opens, closes}) {
            if (at <= same) continue;
            if (is_open(s, at) == open_now) {
                same = at;
                continue;
            }
            UnixSeconds other = at;  // is_open(other) != open_now
            while (other - same > 1) {
                const UnixSeconds mid = same + (other - same) / 2;
                (is_open(s, mid) == open_now ? same : other) = mid;
            }
            return other;
        }
    }
    return std::nullopt;
}

}  // namespace pulse
