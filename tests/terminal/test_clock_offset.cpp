// test_clock_offset.cpp — the terminal's clock against the collector's Date
// header, without a network: the offset's sign and arithmetic, responses that
// give none, and the rule that logs a clock that is off once, not at every
// upload. (The same over real HTTP is in test_upload_faults.cpp.)
#include "terminal/clock_offset.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_clock_offset {

using pulse::ClockOffsetWatch;
using pulse::HttpResponse;
using pulse::UnixSeconds;

namespace {

constexpr UnixSeconds kTen = 1795773600;  // 2026-11-27T10:00:00Z
const char* const kTenDate = "Fri, 27 Nov 2026 10:00:00 GMT";

HttpResponse with_date(const std::string& date, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.headers["date"] = date;
    return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the clock offset is the collector's Date minus the terminal's clock when the response arrived") {
    CHECK(pulse::measure_clock_offset_s(with_date(kTenDate), kTen) == 0);
    CHECK(pulse::measure_clock_offset_s(with_date(kTenDate), kTen - 3600) == 3600);  // the terminal is behind
    CHECK(pulse::measure_clock_offset_s(with_date(kTenDate), kTen + 90) == -90);     // the terminal is ahead
    // Any status carries the server's clock: a refusal measures it as well as an acknowledgement.
    CHECK(pulse::measure_clock_offset_s(with_date(kTenDate, 425), kTen + 5) == -5);
    CHECK(pulse::measure_clock_offset_s(with_date(kTenDate, 503), kTen - 5) == 5);
    // The other two HTTP-date forms are read too.
    CHECK(pulse::measure_clock_offset_s(with_date("Friday, 27-Nov-26 10:00:00 GMT"), kTen - 1) == 1);
    CHECK(pulse::measure_clock_offset_s(with_date("Fri Nov 27 10:00:00 2026"), kTen - 1) == 1);
}

TEST_CASE("no Date, an unreadable Date, or a failed transfer gives no offset") {
    HttpResponse none;
    none.status = 200;
    CHECK_FALSE(pulse::measure_clock_offset_s(none, kTen).has_value());
    for (const char* value : {"", "yesterday", "2026-11-27T10:00:00Z", "Fri, 27 Nov 2026 10:00:00 CET"}) {
        CHECK_MESSAGE(!pulse::measure_clock_offset_s(with_date(value), kTen).has_value(), "\"", value, "\"");
    }
    HttpResponse failed = with_date(kTenDate);
    failed.transport_error = 56;  // a header arrived, then the connection broke: nothing is trusted
    failed.transport_message = "Failure when receiving data from the peer";
    CHECK_FALSE(pulse::measure_clock_offset_s(failed, kTen).has_value());
}

TEST_CASE("a clock off by more than 60 s is logged once, not at every upload, and once more when it agrees again") {
    ClockOffsetWatch watch;
    CHECK_FALSE(watch.observe(0));
    CHECK_FALSE(watch.observe(-60));  // 60 s is within bounds
    CHECK_FALSE(watch.observe(60));

    const std::optional<std::string> off = watch.observe(3600);
    REQUIRE(off);
    CHECK_MESSAGE(contains(*off, "the terminal's clock is off by 3600 s"), *off);
    CHECK_MESSAGE(contains(*off, "behind"), *off);
    CHECK_MESSAGE(contains(*off, "answers are stamped with the terminal's clock"), *off);
    CHECK_MESSAGE(contains(*off, "their hour is wrong"), *off);
    CHECK(off->find('\n') == std::string::npos);

    // The next uploads measure it again and again: nothing more to say, even
    // as it changes, or hovers near the threshold.
    for (UnixSeconds offset : {3600, 3601, 7200, -7200, 61, 59, 45, 31}) {
        CAPTURE(offset);
        CHECK_FALSE(watch.observe(offset));
    }
    const std::optional<std::string> back = watch.observe(30);
    REQUIRE(back);
    CHECK_MESSAGE(contains(*back, "agrees with the collector's again"), *back);
    CHECK_FALSE(watch.observe(2));
    CHECK_FALSE(watch.observe(-29));

    // Off again, the other way: said again, once.
    const std::optional<std::string> ahead = watch.observe(-61);
    REQUIRE(ahead);
    CHECK_MESSAGE(contains(*ahead, "the terminal's clock is off by 61 s"), *ahead);
    CHECK_MESSAGE(contains(*ahead, "ahead"), *ahead);
    CHECK_MESSAGE(contains(*ahead, "425"), *ahead);  // why its latest answers are held back
    CHECK_FALSE(watch.observe(-61));
    CHECK_FALSE(watch.observe(-3600));
}

TEST_CASE("a clock that is right from the start is never logged") {
    ClockOffsetWatch watch;
    int lines = 0;
    for (UnixSeconds offset = -60; offset <= 60; ++offset) lines += watch.observe(offset).has_value();
    CHECK(lines == 0);
}

}  // namespace terminal_test_clock_offset
