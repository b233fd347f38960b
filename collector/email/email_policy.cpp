// email_policy.cpp — the weekly e-mail's schedule: the send moment of a week
// (Copenhagen time, common/copenhagen_time), the due week, the retry delays.
#include "collector/email/email_policy.hpp"

#include <array>

namespace pulse {

UnixSeconds email_send_moment(const EmailSchedule& schedule, IsoWeek week) {
    // send_day of the week after, send_minute on Copenhagen's clock.
    const CivilDate day = civil_from_days(iso_week_monday(next_week(week)) + schedule.send_day);
    return copenhagen_instant(day, schedule.send_minute * 60);
}

DueEmail due_email(const EmailSchedule& schedule, UnixSeconds now) {
    const IsoWeek this_week = copenhagen_iso_week(now);
    const IsoWeek last_week = previous_week(this_week);
    const UnixSeconds last_due = email_send_moment(schedule, last_week);
    if (last_due <= now) return {last_week, last_due, email_send_moment(schedule, this_week)};
    const IsoWeek before = previous_week(last_week);
    return {before, email_send_moment(schedule, before), last_due};
}

UnixSeconds email_retry_delay_s(int attempts) {
    constexpr std::array<UnixSeconds, 3> kFirst = {60, 300, 900};
    if (attempts >= 1 && attempts <= static_cast<int>(kFirst.size())) return kFirst[attempts - 1];
    return attempts < 1 ? kFirst[0] : 3600;
}

std::optional<int> parse_weekday(const std::string& name) {
    constexpr std::array<const char*, 7> kNames = {"monday", "tuesday", "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; ++i) {
        if (name == kNames[i]) return i;
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

}  // namespace pulse
