// clock_offset.cpp — the terminal's clock against the collector's Date
// header, and the rule for logging it (see clock_offset.hpp).
#include "terminal/clock_offset.hpp"

#include "terminal/upload_policy.hpp"

namespace pulse {

std::optional<UnixSeconds> measure_clock_offset_s(const HttpResponse& response, UnixSeconds terminal_now_s) {
    if (response.transport_failed()) return std::nullopt;
    auto date = response.headers.find("date");
    if (date == response.headers.end()) return std::nullopt;
    std::optional<UnixSeconds> server_s = parse_http_date(date->second);
    if (!server_s) return std::nullopt;
    return *server_s - terminal_now_s;
}

std::optional<std::string> ClockOffsetWatch::observe(UnixSeconds offset_s) {
    const UnixSeconds magnitude = offset_s < 0 ? -offset_s : offset_s;
    if (!warned_ && magnitude > kClockOffsetWarn_s) {
        warned_ = true;
        const std::string n = std::to_string(magnitude);
        if (offset_s < 0) {
            return "clock: the terminal's clock is off by " + n + " s (ahead of the collector's Date); answers are "
                   "stamped with the terminal's clock, so their hour is wrong, and the collector holds back those "
                   "of an hour that has not ended by its own clock (425): set the terminal's time (NTP)";
        }
        return "clock: the terminal's clock is off by " + n + " s (behind the collector's Date); answers are "
               "stamped with the terminal's clock, so their hour is wrong: set the terminal's time (NTP)";
    }
    if (warned_ && magnitude <= kClockOffsetCalm_s) {
        warned_ = false;
        return "clock: the terminal's clock agrees with the collector's again (off by " + std::to_string(magnitude) +
               " s)";
    }
    return std::nullopt;
}

}  // namespace pulse
