// email_policy.cpp — the weekly e-mail's schedule: the send moment of a week
// (Copenhagen time, common/copenhagen_time), the due week, the retry delays.
#include "collector/email/email_policy.hpp"

#include <array>

namespace pulse {

UnixSeconds email_send_moment(const EmailSchedule& schedule, IsoWeek week) {
    return weekly_moment_after(week, schedule.moment());
}

DueEmail due_email(const EmailSchedule& schedule, UnixSeconds now) {
    const IsoWeek week = latest_week_due(now, schedule.moment());
    return {week, email_send_moment(schedule, week), email_send_moment(schedule, next_week(week))};
}

UnixSeconds email_retry_delay_s(int attempts) {
    constexpr std::array<UnixSeconds, 3> kFirst = {60, 300, 900};
    if (attempts >= 1 && attempts <= static_cast<int>(kFirst.size())) return kFirst[attempts - 1];
    return attempts < 1 ? kFirst[0] : 3600;
}

}  // namespace pulse
