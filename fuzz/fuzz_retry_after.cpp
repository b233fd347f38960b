// fuzz_retry_after.cpp — libFuzzer harness of Retry-After and the HTTP-date
// reader behind it (terminal/upload_policy.cpp parse_retry_after and
// parse_http_date, which takes libcurl's curl_getdate only when the date
// writes back to the same text). The input is a header value. Checks that a
// date read is one that writes back as the text in one of HTTP's three
// forms; that a Retry-After read is 0..24 h; that delta-seconds are read as
// the number (capped); that a date is read as its instant relative to now,
// whatever now is; and, from the input's first 8 bytes as an instant from
// 1970 to 9999, that the instant written as an IMF-fixdate, an asctime date
// and (1971–2069) an RFC 850 date is read back as that instant.
#include "terminal/upload_policy.hpp"

#include "fuzz/fuzz_support.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

namespace {

constexpr double kCap_s = 24 * 3600;
constexpr pulse::UnixSeconds kNow = 1792567590;  // 2026-10-21T07:26:30Z, as in the unit tests

std::string trim(const std::string& s) {
    const std::size_t begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return "";
    return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// t in the C locale's (English) names, UTC.
std::string format_utc(std::time_t t, const char* format) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[64];
    const std::size_t n = std::strftime(buffer, sizeof buffer, format, &utc);
    return std::string(buffer, n);
}

constexpr const char* kForms[] = {"%a, %d %b %Y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y", "%A, %d-%b-%y %H:%M:%S GMT"};

void check_date(const std::string& text) {
    const std::optional<pulse::UnixSeconds> t = pulse::parse_http_date(text);
    if (!t) return;
    bool same = false;
    for (const char* form : kForms) same = same || format_utc(static_cast<std::time_t>(*t), form) == text;
    PULSE_FUZZ_CHECK(same, "\"" + text + "\" read as " + std::to_string(*t) + ", which writes as " +
                               format_utc(static_cast<std::time_t>(*t), kForms[0]));
}

void check_value(const std::string& value) {
    const std::optional<double> r = pulse::parse_retry_after(value, kNow);
    if (!r) return;
    PULSE_FUZZ_CHECK(std::isfinite(*r) && *r >= 0 && *r <= kCap_s, std::to_string(*r) + " from " + value);
    const std::string text = trim(value);
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const std::string digits = text.substr(std::min(text.find_first_not_of('0'), text.size()));
        const double expected = digits.size() > 5 ? kCap_s : std::min(kCap_s, std::stod("0" + digits));
        PULSE_FUZZ_CHECK(*r == expected, value + " read as " + std::to_string(*r));
        return;
    }
    // A date: its instant is curl_getdate's, and moving now moves the delay.
    const std::time_t t = curl_getdate(text.c_str(), nullptr);
    PULSE_FUZZ_CHECK(t != -1, "curl_getdate refuses what was read: " + value);
    const double expected = std::clamp(static_cast<double>(t - kNow), 0.0, kCap_s);
    PULSE_FUZZ_CHECK(*r == expected, value + " read as " + std::to_string(*r));
    PULSE_FUZZ_CHECK(pulse::parse_retry_after(value, t) == 0.0, value);
    PULSE_FUZZ_CHECK(pulse::parse_retry_after(value, t - 60) == 60.0, value);
}

void check_round_trip(const std::uint8_t* data) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, data, sizeof bits);
    constexpr std::uint64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
    const auto t = static_cast<std::time_t>(bits % kYear10000);
    std::tm utc{};
    gmtime_r(&t, &utc);
    const int year = utc.tm_year + 1900;
    for (const char* form : kForms) {
        if (std::strchr(form, 'y') && (year < 1971 || year > 2069)) continue;  // two-digit years: curl's window
        const std::string date = format_utc(t, form);
        const std::optional<pulse::UnixSeconds> read = pulse::parse_http_date(date);
        PULSE_FUZZ_CHECK(read && *read == t, "\"" + date + "\" (" + std::to_string(t) + ") read as " +
                                                 (read ? std::to_string(*read) : std::string("nothing")));
        const std::optional<double> r = pulse::parse_retry_after(date, static_cast<pulse::UnixSeconds>(t) - 100);
        PULSE_FUZZ_CHECK(r && *r == 100.0, "\"" + date + "\" (" + std::to_string(t) + ") read as " +
                                               (r ? std::to_string(*r) : std::string("nothing")));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(pulse::fuzz::as_text(data, size));
    check_date(text);
    check_value(text);
    if (size >= 8) check_round_trip(data);
    return 0;
}
