// test_upload_policy.cpp — the upload's pure decisions, without a network:
// full-jitter backoff bounds over many draws, HTTP dates and Retry-After in
// all their forms, every row of docs/protocol.md's response table (425 too),
// and gzip round trips through zlib. The batch body itself is tested in
// tests/common/test_protocol.cpp.
#include "terminal/upload_policy.hpp"

#include "protocol_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_upload_policy {

using pulse::Answer;
using pulse::BackoffSettings;
using pulse::HttpResponse;
using pulse::UploadVerdict;
using Kind = pulse::UploadVerdict::Kind;

namespace {

// [SECTION] Helpers

pulse::UnixSeconds at(const char* iso) {
    auto t = pulse::parse_iso8601(iso);
    REQUIRE_MESSAGE(t.has_value(), "bad test time " << iso);
    return *t;
}

HttpResponse reply(int status, std::string body, std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::success: return "success";
        case Kind::transient: return "transient";
        case Kind::split: return "split";
        case Kind::set_aside: return "set_aside";
        case Kind::auth_rejected: return "auth_rejected";
    }
    return "?";
}

// Checks the verdict's kind and that its reason is one printable line.
#define CHECK_VERDICT(verdict, expected_kind)                                                            \
    do {                                                                                                 \
        const UploadVerdict& v_ = (verdict);                                                             \
        CHECK_MESSAGE(v_.kind == (expected_kind), "got ", kind_name(v_.kind), " (", v_.reason, ")");     \
        CHECK_MESSAGE(v_.reason.find('\n') == std::string::npos, "reason spans lines: ", v_.reason);     \
        CHECK_MESSAGE(!v_.reason.empty(), "empty reason");                                               \
    } while (false)

std::string gunzip(const std::string& in) {
    z_stream z{};
    REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
    std::string out(in.size() * 50 + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    REQUIRE_MESSAGE(rc == Z_STREAM_END, "zlib could not inflate it: " << rc);
    return out;
}

}  // namespace

// [SECTION] Backoff

TEST_CASE("every backoff delay lies within full jitter's bounds, and the growth stops at the cap") {
    BackoffSettings settings{5, 900};
    pulse::Rng rng(7);
    for (int failures = 1; failures <= 20; ++failures) {
        double high = std::min(900.0, 5.0 * std::pow(2.0, failures - 1));
        double lowest = 1e9, highest = 0;
        for (int draw = 0; draw < 2000; ++draw) {
            double d = pulse::backoff_delay_s(failures, settings, rng);
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        INFO("failures " << failures << ": drew " << lowest << " .. " << highest << ", allowed 5 .. " << high);
        CHECK(lowest >= 5.0);
        CHECK(highest <= high);
        if (failures > 1) CHECK(highest > 5 + 0.95 * (high - 5));  // the top of the range is reached
    }
    // Long past the cap (a week offline), still finite and within bounds.
    for (int failures : {100, 1000, 1 << 30}) {
        double d = pulse::backoff_delay_s(failures, settings, rng);
        CHECK(std::isfinite(d));
        CHECK(d >= 5.0);
        CHECK(d <= 900.0);
    }
}

TEST_CASE("the first retry waits exactly the minimum") {
    pulse::Rng rng(1);
    CHECK(pulse::backoff_delay_s(1, BackoffSettings{5, 900}, rng) == doctest::Approx(5.0));
}

TEST_CASE("backoff delays are spread over their range, not bunched") {
    pulse::Rng rng(42);
    // failures = 5: uniform over [5, 80], mean 42.5, standard deviation 21.7.
    std::vector<double> draws;
    for (int i = 0; i < 5000; ++i) draws.push_back(pulse::backoff_delay_s(5, BackoffSettings{5, 900}, rng));
    double mean = 0;
    for (double d : draws) mean += d;
    mean /= draws.size();
    double variance = 0;
    for (double d : draws) variance += (d - mean) * (d - mean);
    double deviation = std::sqrt(variance / draws.size());
    CHECK(mean == doctest::Approx(42.5).epsilon(0.05));
    CHECK(deviation == doctest::Approx(75.0 / std::sqrt(12.0)).epsilon(0.08));
    std::set<int> buckets;  // which fifth of the range each draw fell in
    for (double d : draws) buckets.insert(static_cast<int>((d - 5) / 15));
    CHECK(buckets.size() == 5);
}

TEST_CASE("the same seed gives the same backoff delays") {
    pulse::Rng a(99), b(99);
    for (int failures = 1; failures < 12; ++failures) {
        CHECK(pulse::backoff_delay_s(failures, {5, 900}, a) == pulse::backoff_delay_s(failures, {5, 900}, b));
    }
}

// [SECTION] Retry-After

TEST_CASE("Retry-After in seconds is read and capped at 24 hours") {
    auto now = at("2026-10-21T07:00:00Z");
    CHECK(pulse::parse_retry_after("120", now) == 120.0);
    CHECK(pulse::parse_retry_after(" 0 ", now) == 0.0);
    CHECK(pulse::parse_retry_after("86400", now) == 86400.0);
    CHECK(pulse::parse_retry_after("86401", now) == 86400.0);
    CHECK(pulse::parse_retry_after("999999999999999999999999999999", now) == 86400.0);
}

TEST_CASE("Retry-After as an HTTP date is read in all three forms") {
    auto now = at("2026-10-21T07:26:30Z");
    CHECK(pulse::parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now) == 90.0);      // IMF-fixdate
    CHECK(pulse::parse_retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", now) == 90.0);  // RFC 850
    CHECK(pulse::parse_retry_after("Wed Oct 21 07:28:00 2026", now) == 90.0);           // asctime
    auto november = at("2026-11-06T08:49:00Z");
    CHECK(pulse::parse_retry_after("Fri Nov  6 08:49:37 2026", november) == 37.0);      // asctime pads the day
}

TEST_CASE("a Retry-After date in the past means now, and one far ahead is capped at 24 hours") {
    auto now = at("2026-10-21T07:26:30Z");
    CHECK(pulse::parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now) == 0.0);
    CHECK(pulse::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 0.0);
    CHECK(pulse::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == 0.0);  // 1994, not 2094
    CHECK(pulse::parse_retry_after("Fri, 30 Oct 2026 07:00:00 GMT", now) == 86400.0);
}

TEST_CASE("an HTTP date is read in its three forms and nothing else") {
    const pulse::UnixSeconds t = at("2026-11-27T10:00:07Z");
    CHECK(pulse::parse_http_date("Fri, 27 Nov 2026 10:00:07 GMT") == t);
    CHECK(pulse::parse_http_date("Friday, 27-Nov-26 10:00:07 GMT") == t);
    CHECK(pulse::parse_http_date("Fri Nov 27 10:00:07 2026") == t);
    for (const char* value : {"", "Fri, 27 Nov 2026 10:00:07 CET", "Fri, 27 Nov 2026 10:00:07", "2026-11-27T10:00:07Z",
                              "Fri, 31 Nov 2026 10:00:07 GMT", "Fri,  27 Nov 2026 10:00:07 GMT", "1795773607"}) {
        CHECK_MESSAGE(!pulse::parse_http_date(value).has_value(), "\"", value, "\" was accepted");
    }
}

TEST_CASE("an unreadable Retry-After is ignored") {
    auto now = at("2026-10-21T07:26:30Z");
    for (const char* value : {"", "   ", "soon", "-5", "1.5", "120s", "Wed, 31 Feb 2026 07:28:00 GMT",
                              "Wed, 21 Oct 2026 25:00:00 GMT", "Wed, 21 Oct 2026 07:28:00 CET",
                              "Wed, 21 Foo 2026 07:28:00 GMT", "2026-10-21T07:28:00Z"}) {
        CHECK_MESSAGE(!pulse::parse_retry_after(value, now).has_value(), "\"", value, "\" was accepted");
    }
}

// [SECTION] The response table

TEST_CASE("a transport failure is transient and names the curl error") {
    HttpResponse r;
    r.transport_error = 7;
    r.transport_message = "Couldn't connect to server: Failed to connect to 127.0.0.1 port 9";
    auto v = pulse::classify_response(r, 5, 0);
    CHECK_VERDICT(v, Kind::transient);
    CHECK(v.reason.find("Couldn't connect") != std::string::npos);
    CHECK(v.reason.find("7") != std::string::npos);
}

TEST_CASE("only 200 or 201 with counts adding up to the answers sent is success") {
    auto v = pulse::classify_response(reply(200, R"({"accepted":3,"duplicates":2})"), 5, 0);
    CHECK_VERDICT(v, Kind::success);
    CHECK(v.accepted == 3);
    CHECK(v.duplicates == 2);
    v = pulse::classify_response(reply(201, R"({"duplicates":0,"accepted":5,"server":"x"})"), 5, 0);
    CHECK_VERDICT(v, Kind::success);
    CHECK(v.accepted == 5);
}

TEST_CASE("a 200 that is not an acknowledgement is transient and does not quote the body") {
    const std::string portal =
        "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body>Accept the terms</body></html>";
    struct Case {
        const char* what;
        int status;
        std::string body;
    };
    for (const Case& c : std::vector<Case>{
             {"a captive portal's HTML", 200, portal},
             {"another JSON object", 200, R"({"status":"ok"})"},
             {"a JSON array", 200, R"([3, 2])"},
             {"wrong counts", 200, R"({"accepted":3,"duplicates":1})"},
             {"too many counts", 200, R"({"accepted":5,"duplicates":5})"},
             {"a negative count", 200, R"({"accepted":6,"duplicates":-1})"},
             {"counts as fractions", 200, R"({"accepted":5.0,"duplicates":0})"},
             {"counts as strings", 201, R"({"accepted":"5","duplicates":"0"})"},
             {"a truncated body", 200, R"({"accepted":5,"dupl)"},
             {"an empty body", 200, ""},
         }) {
        INFO(c.what);
        auto v = pulse::classify_response(reply(c.status, c.body, {{"content-type", "text/html"}}), 5, 0);
        CHECK_VERDICT(v, Kind::transient);
        CHECK(v.reason.find("not an acknowledgement") != std::string::npos);
        CHECK(v.reason.find("Guest") == std::string::npos);
        CHECK(v.accepted == 0);
        CHECK(v.duplicates == 0);
    }
}

TEST_CASE("408, 429 and every 5xx are transient, honouring Retry-After") {
    for (int status : {408, 429, 500, 502, 503, 504, 507, 599}) {
        INFO("status " << status);
        auto v = pulse::classify_response(reply(status, "oops"), 5, 0);
        CHECK_VERDICT(v, Kind::transient);
        CHECK(v.reason.find(std::to_string(status)) != std::string::npos);
        CHECK(!v.retry_after_s.has_value());
    }
    auto v = pulse::classify_response(reply(503, R"({"error":"maintenance"})", {{"retry-after", "30"}}), 5, 0);
    CHECK_VERDICT(v, Kind::transient);
    REQUIRE(v.retry_after_s.has_value());
    CHECK(*v.retry_after_s == 30.0);
    CHECK(v.reason.find("maintenance") != std::string::npos);
    v = pulse::classify_response(reply(429, "", {{"retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"}}), 5,
                                 at("2026-10-21T07:27:00Z"));
    REQUIRE(v.retry_after_s.has_value());
    CHECK(*v.retry_after_s == 60.0);
}

TEST_CASE("425 Too Early (an hour not yet ended by the server's clock) is transient: the batch is kept and Retry-After honoured") {
    auto v = pulse::classify_response(
        reply(425, R"({"error":"hour 2026-11-27T10:00:00Z has not ended"})", {{"retry-after", "1800"}}), 5, 0);
    CHECK_VERDICT(v, Kind::transient);  // never set_aside: the answers are good, only early
    CHECK(v.reason.find("425 Too Early") != std::string::npos);
    CHECK(v.reason.find("has not ended") != std::string::npos);
    REQUIRE(v.retry_after_s.has_value());
    CHECK(*v.retry_after_s == 1800.0);
    v = pulse::classify_response(reply(425, "", {{"retry-after", "Fri, 27 Nov 2026 11:00:00 GMT"}}), 5,
                                 at("2026-11-27T10:59:00Z"));
    CHECK_VERDICT(v, Kind::transient);
    REQUIRE(v.retry_after_s.has_value());
    CHECK(*v.retry_after_s == 60.0);
}

TEST_CASE("413 splits the batch") {
    CHECK_VERDICT(pulse::classify_response(reply(413, R"({"error":"too large"})"), 5, 0), Kind::split);
}

TEST_CASE("400, 422 and 409 set the batch aside with the server's message") {
    for (int status : {400, 422, 409}) {
        INFO("status " << status);
        auto v = pulse::classify_response(reply(status, R"({"error":"answer 6f1d already stored"})"), 5, 0);
        CHECK_VERDICT(v, Kind::set_aside);
        CHECK(v.reason.find(std::to_string(status)) != std::string::npos);
        CHECK(v.reason.find("answer 6f1d already stored") != std::string::npos);
    }
}

TEST_CASE("a set-aside reason without a JSON error quotes at most 200 printable bytes on one line") {
    std::string body = "line one\r\nline\ttwo\x01\x7f";
    body += std::string(500, 'x');
    auto v = pulse::classify_response(reply(400, body), 5, 0);
    CHECK_VERDICT(v, Kind::set_aside);
    CHECK(v.reason.find("line one line two") != std::string::npos);
    CHECK(v.reason.size() < 260);
    CHECK(std::all_of(v.reason.begin(), v.reason.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
    // Invalid UTF-8 becomes '?', valid UTF-8 (Danish) stays, so the reason is safe in JSON.
    v = pulse::classify_response(reply(422, "ugyldig v\xc3\xa6rdi \xff\xfe"), 5, 0);
    CHECK(v.reason.find("ugyldig v\xc3\xa6rdi ??") != std::string::npos);
    CHECK_NOTHROW((void)nlohmann::json(v.reason).dump());
}

TEST_CASE("401 and 403 mean the token was rejected, and the body is not quoted") {
    for (int status : {401, 403}) {
        INFO("status " << status);
        auto v = pulse::classify_response(reply(status, R"({"error":"Bearer s3cret is unknown"})"), 5, 0);
        CHECK_VERDICT(v, Kind::auth_rejected);
        CHECK(v.reason.find("s3cret") == std::string::npos);
    }
}

TEST_CASE("redirects, other 4xx and other 2xx are transient: a config fix lets the upload resume") {
    for (int status : {204, 301, 302, 307, 404, 405, 410, 415}) {
        INFO("status " << status);
        auto v = pulse::classify_response(reply(status, "<html>portal</html>", {{"location", "http://portal/"}}), 5, 0);
        CHECK_VERDICT(v, Kind::transient);
        CHECK(v.reason.find("<html>") == std::string::npos);  // an HTML body is never quoted
    }
}

// [SECTION] Compression

TEST_CASE("a large batch body is gzipped and inflates back to the same bytes") {
    pulse::Rng rng(5);
    std::string body = pulse::write_batch_body("t", "w", "b", "v", pulse::testing::some_answers(500, rng), rng);
    std::string original = body;
    REQUIRE(pulse::gzip_if_it_pays(body));
    CHECK(body.size() * 10 <= original.size() * 9);
    REQUIRE(body.size() > 2);
    CHECK(static_cast<unsigned char>(body[0]) == 0x1f);  // gzip's magic, not zlib's header
    CHECK(static_cast<unsigned char>(body[1]) == 0x8b);
    CHECK(gunzip(body) == original);
}

TEST_CASE("gzip declines small bodies and bodies it cannot shrink") {
    std::string small = R"({"schema":1,"answers":[]})";
    std::string copy = small;
    CHECK_FALSE(pulse::gzip_if_it_pays(copy));
    CHECK(copy == small);

    std::string just_under(1023, 'a');
    copy = just_under;
    CHECK_FALSE(pulse::gzip_if_it_pays(copy));
    CHECK(copy == just_under);

    pulse::Rng rng(8);
    std::string noise;
    for (int i = 0; i < 4096; ++i) noise += static_cast<char>(rng() & 0xFF);
    copy = noise;
    CHECK_FALSE(pulse::gzip_if_it_pays(copy));
    CHECK(copy == noise);
}

}  // namespace terminal_test_upload_policy
