// email_policy.hpp — when the weekly e-mail is due, as pure functions of the
// configured send day and time (Europe/Copenhagen) and an injected `now`:
// which week is due, from when until it is superseded, and how long to wait
// after a failed attempt. No I/O; the mailer (mailer.hpp) acts on it.
#pragma once

#include "common/calendar.hpp"
#include "common/copenhagen_time.hpp"

#include <optional>
#include <string>

namespace pulse {

// When a week's e-mail goes out: on send_day of the week after it, at
// send_minute past local midnight in Copenhagen.
struct EmailSchedule {
    int send_day = 0;         // 0 = Monday .. 6 = Sunday
    int send_minute = 7 * 60;  // 0..1439 minutes after local midnight; default 07:00
    WeeklyMoment moment() const { return {send_day, send_minute}; }
};

// The one week whose e-mail may be sent at some instant.
struct DueEmail {
    IsoWeek week;                   // the week summarised
    UnixSeconds due_at = 0;         // its send moment (<= now)
    UnixSeconds superseded_at = 0;  // the next week's send moment (> now): from then on that week is due instead
};

// The instant (UTC) at which the e-mail of `week` becomes due: send_day of the
// following ISO week at send_minute, Copenhagen local time. A local time that
// does not exist (the spring DST gap, 02:00–03:00 on the last Sunday of March)
// is taken one hour later (02:30 → 03:30 CEST); a local time that occurs twice
// (the autumn change) is taken at its first occurrence (CEST).
UnixSeconds email_send_moment(const EmailSchedule& schedule, IsoWeek week);

// The week due at `now`: the latest week whose send moment is <= now. Only
// that one is ever sent: a collector that was down for weeks sends the latest
// week once, not the ones it missed, and a week still failing when the next
// week's send moment comes is superseded (the mailer logs that).
DueEmail due_email(const EmailSchedule& schedule, UnixSeconds now);

// Seconds to wait after the failed attempt number `attempts` (1 = the first):
// 60, 300, 900, then 3600 for every attempt after that. There is no last
// attempt: the mailer keeps trying until the week is superseded.
UnixSeconds email_retry_delay_s(int attempts);

}  // namespace pulse
