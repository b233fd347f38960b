// clock_offset.hpp — how far the terminal's clock is from the collector's,
// read from the Date header the collector sends on every response, and when
// that is worth a line in the log. Answers are stamped with the terminal's
// clock (their UTC hour), so a terminal whose clock is off files them under
// the wrong hour. Pure: the terminal's time is passed in; nothing here does I/O.
#pragma once

#include "common/calendar.hpp"
#include "terminal/http_client.hpp"

#include <optional>
#include <string>

namespace pulse {

// An offset whose magnitude passes this is logged (once, see ClockOffsetWatch).
// Far above the measurement's error (a second or two, see measure_clock_offset_s).
inline constexpr UnixSeconds kClockOffsetWarn_s = 60;
// After a warning, an offset back within this is logged once more and the
// warning is re-armed. Below kClockOffsetWarn_s so that an offset hovering
// around the threshold (the Date's 1 s steps) does not log every upload.
inline constexpr UnixSeconds kClockOffsetCalm_s = 30;

// The collector's clock minus the terminal's, in whole seconds: the
// response's Date header minus terminal_now_s, the terminal's clock when the
// response arrived. Positive: the terminal's clock is behind.
//
// Precision: Date has 1 s resolution (truncated) and was stamped by the
// server before the response travelled back, so the result lies between the
// true offset minus (1 s + the request's round trip) and the true offset
// plus 1 s (terminal_now_s is truncated too). Good to a second or two on a
// working network, which is all a 60 s threshold and an hour's stamp need.
//
// nullopt when the request failed in transport, or the response has no Date
// header, or its value is not an HTTP date (parse_http_date).
std::optional<UnixSeconds> measure_clock_offset_s(const HttpResponse& response, UnixSeconds terminal_now_s);

// The log line for an offset, or nothing: the first time the offset's
// magnitude passes kClockOffsetWarn_s it says the terminal's clock is off by
// N s and what that does to the answers; once it is back within
// kClockOffsetCalm_s it says so, and the next passing is logged again. Every
// other offset (every other upload) gives nothing. One per uploader, so a
// restarted kiosk says it once more in its new log.
class ClockOffsetWatch {
public:
    std::optional<std::string> observe(UnixSeconds offset_s);

private:
    bool warned_ = false;  // the last line logged said the clock is off
};

}  // namespace pulse
