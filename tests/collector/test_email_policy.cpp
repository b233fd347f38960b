// test_email_policy.cpp — when the weekly e-mail is due: the send day and
// time are Copenhagen time (so UTC moves with summer time, and the DST
// weekends' gap and overlap are resolved), only the latest ended week is
// ever due, and the retry delays grow and then stay at an hour.
#include "collector/email/email_policy.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_email_policy {

using namespace pulse;

namespace {

UnixSeconds at(const char* iso) {
    const std::optional<UnixSeconds> t = parse_iso8601(iso);
    REQUIRE_MESSAGE(t, "bad test time ", iso);
    return *t;
}

const EmailSchedule kMonday0700{0, 7 * 60};

}  // namespace

TEST_CASE("the week just ended becomes due on monday at 07:00 copenhagen time") {
    // 2026-W48 is Monday 23 – Sunday 29 November; 30 November 07:00 CET is 06:00 UTC.
    CHECK(email_send_moment(kMonday0700, {2026, 48}) == at("2026-11-30T06:00:00Z"));
    const DueEmail due = due_email(kMonday0700, at("2026-11-30T06:00:00Z"));
    CHECK(due.week == IsoWeek{2026, 48});
    CHECK(due.due_at == at("2026-11-30T06:00:00Z"));
    CHECK(due.superseded_at == at("2026-12-07T06:00:00Z"));
}

TEST_CASE("a second before the send time the week before is still the due one") {
    const DueEmail due = due_email(kMonday0700, at("2026-11-30T05:59:59Z"));
    CHECK(due.week == IsoWeek{2026, 47});
    CHECK(due.due_at == at("2026-11-23T06:00:00Z"));
    CHECK(due.superseded_at == at("2026-11-30T06:00:00Z"));
    // Just after midnight on Monday, Copenhagen time, but still Sunday in UTC.
    CHECK(due_email(kMonday0700, at("2026-11-29T23:30:00Z")).week == IsoWeek{2026, 47});
}

TEST_CASE("in summer time the send time is an hour earlier in utc") {
    // 2026-W26 ends Sunday 28 June; Monday 29 June 07:00 CEST is 05:00 UTC.
    CHECK(email_send_moment(kMonday0700, {2026, 26}) == at("2026-06-29T05:00:00Z"));
    CHECK(due_email(kMonday0700, at("2026-06-29T04:59:59Z")).week == IsoWeek{2026, 25});
    CHECK(due_email(kMonday0700, at("2026-06-29T05:00:00Z")).week == IsoWeek{2026, 26});
}

TEST_CASE("the weeks around the spring dst weekend are sent at 07:00 local on either side") {
    // Summer time starts Sunday 29 March 2026 at 01:00 UTC, the last day of 2026-W13.
    CHECK(email_send_moment(kMonday0700, {2026, 12}) == at("2026-03-23T06:00:00Z"));  // CET
    CHECK(email_send_moment(kMonday0700, {2026, 13}) == at("2026-03-30T05:00:00Z"));  // CEST
    const DueEmail due = due_email(kMonday0700, at("2026-03-29T12:00:00Z"));
    CHECK(due.week == IsoWeek{2026, 12});
    CHECK(due.superseded_at == at("2026-03-30T05:00:00Z"));
}

TEST_CASE("the weeks around the autumn dst weekend are sent at 07:00 local on either side") {
    // Winter time starts Sunday 25 October 2026 at 01:00 UTC, the last day of 2026-W43.
    CHECK(email_send_moment(kMonday0700, {2026, 42}) == at("2026-10-19T05:00:00Z"));  // CEST
    CHECK(email_send_moment(kMonday0700, {2026, 43}) == at("2026-10-26T06:00:00Z"));  // CET
    CHECK(due_email(kMonday0700, at("2026-10-26T05:30:00Z")).week == IsoWeek{2026, 42});
    CHECK(due_email(kMonday0700, at("2026-10-26T06:00:00Z")).week == IsoWeek{2026, 43});
}

TEST_CASE("a send time in the spring gap is taken an hour later and one in the autumn overlap at its first occurrence") {
    const EmailSchedule sunday0230{6, 2 * 60 + 30};
    // 02:30 on 29 March 2026 does not exist in Copenhagen: 03:30 CEST = 01:30 UTC.
    CHECK(email_send_moment(sunday0230, {2026, 12}) == at("2026-03-29T01:30:00Z"));
    // 02:30 on 25 October 2026 happens twice: the first time, CEST = 00:30 UTC.
    CHECK(email_send_moment(sunday0230, {2026, 42}) == at("2026-10-25T00:30:00Z"));
    // The Sunday after, an ordinary one in winter: 01:30 UTC.
    CHECK(email_send_moment(sunday0230, {2026, 43}) == at("2026-11-01T01:30:00Z"));
}

TEST_CASE("with a friday send day the week stays due until the next friday") {
    const EmailSchedule friday1600{4, 16 * 60};
    // 2026-W48's e-mail: Friday 4 December 16:00 CET = 15:00 UTC.
    CHECK(email_send_moment(friday1600, {2026, 48}) == at("2026-12-04T15:00:00Z"));
    CHECK(due_email(friday1600, at("2026-12-07T09:00:00Z")).week == IsoWeek{2026, 48});  // the Monday after
    CHECK(due_email(friday1600, at("2026-12-04T14:59:00Z")).week == IsoWeek{2026, 47});
    const DueEmail due = due_email(friday1600, at("2026-12-10T12:00:00Z"));
    CHECK(due.week == IsoWeek{2026, 48});
    CHECK(due.superseded_at == at("2026-12-11T15:00:00Z"));
}

TEST_CASE("the last week of a 53-week year is due on the first monday of the next year") {
    // 2026-W53 is Monday 28 December 2026 – Sunday 3 January 2027.
    CHECK(email_send_moment(kMonday0700, {2026, 53}) == at("2027-01-04T06:00:00Z"));
    CHECK(due_email(kMonday0700, at("2027-01-04T06:00:00Z")).week == IsoWeek{2026, 53});
    CHECK(due_email(kMonday0700, at("2027-01-11T06:00:00Z")).week == IsoWeek{2027, 1});
}

TEST_CASE("after weeks offline only the latest ended week is due") {
    // Down from 2026-W40 to a Wednesday in 2026-W48: the one due week is W47.
    const DueEmail due = due_email(kMonday0700, at("2026-11-25T10:00:00Z"));
    CHECK(due.week == IsoWeek{2026, 47});
    CHECK(due.due_at == at("2026-11-23T06:00:00Z"));
    CHECK(due.due_at <= at("2026-11-25T10:00:00Z"));
    CHECK(due.superseded_at > at("2026-11-25T10:00:00Z"));
}

TEST_CASE("every instant of a year has exactly one due week whose send time has passed") {
    const UnixSeconds start = at("2026-01-01T00:00:00Z");
    IsoWeek last{};
    int changes = 0;
    for (UnixSeconds t = start; t < start + 366 * 86400; t += 1800) {
        const DueEmail due = due_email(kMonday0700, t);
        REQUIRE(due.due_at <= t);
        REQUIRE(due.superseded_at > t);
        REQUIRE(due.week < copenhagen_iso_week(t));
        if (!(due.week == last)) ++changes;
        last = due.week;
    }
    CHECK(changes == 53);  // the first week, then one new week per Monday of 2026 (52 of them)
}

TEST_CASE("the retry delay grows from a minute to an hour and then stays at an hour") {
    CHECK(email_retry_delay_s(1) == 60);
    CHECK(email_retry_delay_s(2) == 300);
    CHECK(email_retry_delay_s(3) == 900);
    CHECK(email_retry_delay_s(4) == 3600);
    CHECK(email_retry_delay_s(5) == 3600);
    CHECK(email_retry_delay_s(1000) == 3600);
    CHECK(email_retry_delay_s(0) == 60);
}

TEST_CASE("send days and times are read in their one spelling") {
    CHECK(parse_weekday("monday") == 0);
    CHECK(parse_weekday("sunday") == 6);
    CHECK_FALSE(parse_weekday("Monday"));
    CHECK_FALSE(parse_weekday("mandag"));
    CHECK(parse_hh_mm("07:00") == 420);
    CHECK(parse_hh_mm("00:00") == 0);
    CHECK(parse_hh_mm("23:59") == 1439);
    CHECK_FALSE(parse_hh_mm("7:00"));
    CHECK_FALSE(parse_hh_mm("24:00"));
    CHECK_FALSE(parse_hh_mm("12:60"));
    CHECK_FALSE(parse_hh_mm("12.30"));
}

}  // namespace collector_test_email_policy
