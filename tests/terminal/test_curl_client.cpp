// test_curl_client.cpp — the libcurl HttpClient against the fault server on
// 127.0.0.1, one fault at a time: what arrives in HttpResponse for a reset,
// a lost acknowledgement, a hang, a trickle, a captive portal, a redirect,
// Retry-After, a Date header, a gzipped body, and TLS to a port that does
// not speak it. Timeouts are cut to seconds so the whole file runs in a few
// seconds; what ended a request is asserted from its error, and wall-clock
// bounds are generous safety nets only (the tests run on busy machines).
#include "terminal/clock_offset.hpp"
#include "terminal/http_client.hpp"
#include "terminal/upload_policy.hpp"

#include "eventually.hpp"
#include "fault_server.hpp"

#include <curl/curl.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_curl_client {

using pulse::HttpRequest;
using pulse::HttpResponse;
using pulse::testing::eventually;
using pulse::testing::Fault;
using pulse::testing::FaultServer;

namespace {

// [SECTION] Helpers

using Clock = std::chrono::steady_clock;

struct Started {
    FaultServer server;
    explicit Started(pulse::testing::FaultServerOptions options = {}) : server(std::move(options)) {
        std::string error;
        REQUIRE_MESSAGE(server.start(&error), "fault server: " << error);
    }
};

std::vector<pulse::Answer> answers(int count, pulse::Rng& rng) {
    std::vector<pulse::Answer> out;
    for (int i = 0; i < count; ++i) {
        out.push_back({pulse::uuid_v4(rng), "2.3", i % 5 == 4 ? std::nullopt : std::optional<int>(1 + i % 5),
                       "da", 1795770000 - 1795770000 % 3600});
    }
    return out;
}

// A protocol v1 request for a new batch of `count` answers to server.
HttpRequest batch_request(const FaultServer& server, int count, pulse::Rng& rng, bool gzip = false) {
    std::string batch_id = pulse::uuid_v4(rng);
    HttpRequest r;
    r.url = server.url() + "/v1/batches";
    r.body = pulse::write_batch_body("test-terminal", "test-workplace", batch_id, "2026.1", answers(count, rng), rng);
    r.headers = {{"Content-Type", "application/json"},
                 {"Authorization", "Bearer test-token"},
                 {"Idempotency-Key", batch_id}};
    if (gzip) {
        REQUIRE(pulse::gzip_if_it_pays(r.body));
        r.headers.emplace_back("Content-Encoding", "gzip");
    }
    return r;
}

pulse::CurlOptions quick() {
    pulse::CurlOptions o;
    o.connect_timeout_s = 2;
    o.low_speed_bytes_s = 100;
    o.low_speed_time_s = 1;
    o.total_timeout_s = 5;
    return o;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string describe(const HttpResponse& r) {
    return "status " + std::to_string(r.status) + ", curl " + std::to_string(r.transport_error) + " " +
           r.transport_message + ", body " + r.body.substr(0, 200);
}

}  // namespace

// [SECTION] Answers

TEST_CASE("the curl client posts a batch and returns the collector's acknowledgement over one kept-alive connection") {
    Started s;
    pulse::Rng rng(1);
    auto client = pulse::make_curl_http_client(quick());
    HttpRequest request = batch_request(s.server, 3, rng);
    HttpResponse r = client->post(request);
    REQUIRE_MESSAGE(r.status == 200, describe(r));
    CHECK(!r.transport_failed());
    CHECK(r.headers["content-type"] == "application/json");
    CHECK(pulse::classify_response(r, 3, 0).kind == pulse::UploadVerdict::Kind::success);
    CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"accepted", 3}, {"duplicates", 0}});
    CHECK(s.server.stored_count() == 3);

    r = client->post(request);  // a resend: every answer a duplicate
    REQUIRE_MESSAGE(r.status == 200, describe(r));
    CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"accepted", 0}, {"duplicates", 3}});
    CHECK(s.server.connection_count() == 1);
    CHECK(s.server.idempotency_keys_seen() == 1);
}

TEST_CASE("a gzipped request body is accepted by the collector") {
    Started s;
    pulse::Rng rng(2);
    auto client = pulse::make_curl_http_client(quick());
    HttpResponse r = client->post(batch_request(s.server, 200, rng, /*gzip=*/true));
    REQUIRE_MESSAGE(r.status == 200, describe(r));
    CHECK(pulse::classify_response(r, 200, 0).kind == pulse::UploadVerdict::Kind::success);
    CHECK(s.server.stored_count() == 200);
    REQUIRE(s.server.requests().size() == 1);
    CHECK(s.server.requests()[0].gzip);
}

TEST_CASE("the collector's refusals arrive as their status codes") {
    Started s;
    pulse::Rng rng(3);
    auto client = pulse::make_curl_http_client(quick());
    for (auto [fault, status] : std::vector<std::pair<Fault, int>>{{Fault::status_500, 500}, {Fault::status_429, 429},
                                                                   {Fault::status_401, 401}, {Fault::status_413, 413},
                                                                   {Fault::status_400, 400}}) {
        INFO(pulse::testing::fault_name(fault));
        s.server.push(fault);
        HttpResponse r = client->post(batch_request(s.server, 5, rng));
        CHECK_MESSAGE(r.status == status, describe(r));
        CHECK(!r.transport_failed());
    }
    CHECK(s.server.stored_count() == 0);
    CHECK(s.server.connection_count() == 1);  // error responses keep the connection
}

TEST_CASE("a 503's Retry-After header is readable under its lower-case name") {
    Started s;
    pulse::Rng rng(4);
    s.server.push(Fault::status_503_retry_after);
    HttpResponse r = pulse::make_curl_http_client(quick())->post(batch_request(s.server, 2, rng));
    REQUIRE_MESSAGE(r.status == 503, describe(r));
    CHECK(r.headers["retry-after"] == "1");
    auto verdict = pulse::classify_response(r, 2, 0);
    CHECK(verdict.kind == pulse::UploadVerdict::Kind::transient);
    CHECK(verdict.retry_after_s == 1.0);
}

TEST_CASE("a response's Date header is readable under its lower-case name and gives the clock offset") {
    pulse::testing::FaultServerOptions options;
    const pulse::UnixSeconds collector_now = 1795773600;  // the collector's clock: 2026-11-27T10:00:00Z
    options.date = [&] { return FaultServer::http_date(collector_now); };
    Started s(options);
    pulse::Rng rng(16);
    s.server.push(Fault::status_500);  // an error response carries the server's clock too
    auto client = pulse::make_curl_http_client(quick());
    for (int expected_status : {500, 200}) {
        CAPTURE(expected_status);
        HttpResponse r = client->post(batch_request(s.server, 2, rng));
        REQUIRE_MESSAGE(r.status == expected_status, describe(r));
        CHECK(r.headers["date"] == "Fri, 27 Nov 2026 10:00:00 GMT");
        CHECK(pulse::measure_clock_offset_s(r, collector_now - 75) == 75);
    }
}

TEST_CASE("a captive portal's HTML page arrives as a 200 that is not an acknowledgement") {
    Started s;
    pulse::Rng rng(5);
    s.server.push(Fault::html_200);
    HttpResponse r = pulse::make_curl_http_client(quick())->post(batch_request(s.server, 2, rng));
    REQUIRE_MESSAGE(r.status == 200, describe(r));
    CHECK(r.body.find("<html>") != std::string::npos);
    CHECK(pulse::classify_response(r, 2, 0).kind == pulse::UploadVerdict::Kind::transient);
    CHECK(s.server.stored_count() == 0);
}

TEST_CASE("the client does not follow a redirect") {
    Started s;
    pulse::Rng rng(6);
    s.server.push(Fault::redirect_302);
    HttpResponse r = pulse::make_curl_http_client(quick())->post(batch_request(s.server, 2, rng));
    CHECK_MESSAGE(r.status == 302, describe(r));
    CHECK(r.headers["location"].find("/portal") != std::string::npos);
    CHECK(s.server.request_count() == 1);
    CHECK(pulse::classify_response(r, 2, 0).kind == pulse::UploadVerdict::Kind::transient);
}

// [SECTION] Broken connections

TEST_CASE("a connection reset before the response is a transport error") {
    Started s;
    pulse::Rng rng(7);
    s.server.push(Fault::reset_before_response);
    HttpResponse r = pulse::make_curl_http_client(quick())->post(batch_request(s.server, 2, rng));
    CHECK_MESSAGE(r.transport_failed(), describe(r));
    CHECK(r.status == 0);
    CHECK(s.server.stored_count() == 0);
    CHECK(pulse::classify_response(r, 2, 0).kind == pulse::UploadVerdict::Kind::transient);
}

TEST_CASE("a lost acknowledgement is a transport error, and the resend is acknowledged as duplicates") {
    Started s;
    pulse::Rng rng(8);
    s.server.push(Fault::ack_lost);
    auto client = pulse::make_curl_http_client(quick());
    HttpRequest request = batch_request(s.server, 4, rng);
    HttpResponse r = client->post(request);
    CHECK_MESSAGE(r.transport_failed(), describe(r));
    CHECK(s.server.stored_count() == 4);  // stored, though the client cannot know
    r = client->post(request);
    REQUIRE_MESSAGE(r.status == 200, describe(r));
    auto verdict = pulse::classify_response(r, 4, 0);
    CHECK(verdict.kind == pulse::UploadVerdict::Kind::success);
    CHECK(verdict.duplicates == 4);
}

TEST_CASE("a server that never answers is cut off by the total timeout") {
    Started s;
    pulse::Rng rng(9);
    s.server.push(Fault::hang);
    auto options = quick();
    options.low_speed_bytes_s = 0;  // off: only the total timeout may end this
    options.total_timeout_s = 2;
    auto start = Clock::now();
    HttpResponse r = pulse::make_curl_http_client(options)->post(batch_request(s.server, 2, rng));
    double took = seconds_since(start);
    // The request arrived and was left unanswered; nothing but a timer could end it ...
    CHECK(s.server.request_count() == 1);
    CHECK(s.server.fault_count(Fault::hang) == 1);
    CHECK_MESSAGE(r.transport_error == CURLE_OPERATION_TIMEDOUT, describe(r));
    // ... and it was the total timeout (libcurl: "Operation timed out after N
    // milliseconds"), not the connect timeout, at no less than its 2 s.
    CHECK_MESSAGE(r.transport_message.find("Operation timed out after") != std::string::npos, describe(r));
    CHECK(took >= 1.5);
    CHECK(took < 60.0);  // safety net: the server would hang forever
}

TEST_CASE("a server that trickles its response is cut off by the low-speed limit") {
    Started s;
    pulse::Rng rng(10);
    s.server.push(Fault::trickle);
    auto options = quick();
    options.total_timeout_s = 30;  // so that only the low-speed limit (100 B/s for 1 s) can end it
    auto start = Clock::now();
    HttpResponse r = pulse::make_curl_http_client(options)->post(batch_request(s.server, 2, rng));
    double took = seconds_since(start);
    CHECK_MESSAGE(r.transport_error == CURLE_OPERATION_TIMEDOUT, describe(r));
    CHECK_MESSAGE(r.transport_message.find("too slow") != std::string::npos, describe(r));
    // libcurl averages the speed over its last ~5 s, which include the fast
    // upload of the request: the abort comes about 5 s in, not 1 s. "too slow"
    // above says which limit ended it; this bound is only a safety net under
    // the 30 s total timeout.
    CHECK(took < 29.0);
    CHECK(pulse::classify_response(r, 2, 0).kind == pulse::UploadVerdict::Kind::transient);
}

TEST_CASE("stopping the fault server ends a hung request at once") {
    Started s;
    pulse::Rng rng(11);
    s.server.push(Fault::hang);
    auto options = quick();
    options.low_speed_bytes_s = 0;
    options.total_timeout_s = 120;  // no timer ends it within the test's patience
    HttpRequest request = batch_request(s.server, 2, rng);
    auto pending = std::async(std::launch::async, [&] { return pulse::make_curl_http_client(options)->post(request); });
    REQUIRE(eventually([&] { return s.server.fault_count(Fault::hang) == 1; }));  // it is hanging now
    s.server.stop();
    REQUIRE_MESSAGE(pending.wait_for(std::chrono::seconds(60)) == std::future_status::ready,
                    "the request was still waiting 60 s after the server closed its connection");
    HttpResponse r = pending.get();
    CHECK_MESSAGE(r.transport_failed(), describe(r));
    // Ended by the closed connection ("Empty reply from server"), not by a timer.
    CHECK_MESSAGE(r.transport_error != CURLE_OPERATION_TIMEDOUT, describe(r));
    CHECK(r.status == 0);
}

TEST_CASE("a stopped server is a transport error, and a restarted one still has what it stored") {
    Started s;
    pulse::Rng rng(12);
    auto client = pulse::make_curl_http_client(quick());
    REQUIRE(client->post(batch_request(s.server, 3, rng)).status == 200);
    s.server.stop();
    HttpResponse r = client->post(batch_request(s.server, 3, rng));
    CHECK_MESSAGE(r.transport_error == CURLE_COULDNT_CONNECT, describe(r));
    std::string error;
    REQUIRE_MESSAGE(s.server.start(&error), error);
    r = client->post(batch_request(s.server, 3, rng));
    CHECK_MESSAGE(r.status == 200, describe(r));
    CHECK(s.server.stored_count() == 6);
}

// [SECTION] TLS

TEST_CASE("https to a port that does not speak TLS is a transport error") {
    Started s;
    pulse::Rng rng(13);
    HttpRequest request = batch_request(s.server, 2, rng);
    request.url = "https://127.0.0.1:" + std::to_string(s.server.port()) + "/v1/batches";
    HttpResponse r = pulse::make_curl_http_client(quick())->post(request);
    CHECK_MESSAGE(r.transport_failed(), describe(r));
    CHECK(r.status == 0);
    CHECK(s.server.stored_count() == 0);
}

TEST_CASE("a CA file that does not exist is a transport error, not a fallback to no verification") {
    Started s;
    pulse::Rng rng(14);
    HttpRequest request = batch_request(s.server, 2, rng);
    request.url = "https://127.0.0.1:" + std::to_string(s.server.port()) + "/v1/batches";
    auto options = quick();
    options.ca_file = "/nonexistent/municipal-ca.pem";
    HttpResponse r = pulse::make_curl_http_client(options)->post(request);
    CHECK_MESSAGE(r.transport_failed(), describe(r));
    CHECK(s.server.stored_count() == 0);
}

// [SECTION] A random mix

TEST_CASE("resending each batch until acknowledged through a random mix of faults stores every answer exactly once") {
    Started s;
    s.server.set_random(2026, {{Fault::ok, 3},
                               {Fault::status_500, 1},
                               {Fault::status_503_retry_after, 1},
                               {Fault::status_429, 1},
                               {Fault::reset_before_response, 1},
                               {Fault::ack_lost, 2},
                               {Fault::html_200, 1},
                               {Fault::redirect_302, 1}});
    pulse::Rng rng(15);
    auto client = pulse::make_curl_http_client(quick());
    std::map<std::string, std::string> expected;
    for (int b = 0; b < 60; ++b) {
        std::string batch_id = pulse::uuid_v4(rng);
        auto batch = answers(5, rng);
        for (const auto& a : batch) expected[a.id] = FaultServer::canonical(a);
        HttpRequest request;
        request.url = s.server.url() + "/v1/batches";
        request.body = pulse::write_batch_body("test-terminal", "test-workplace", batch_id, "2026.1", batch, rng);
        request.headers = {{"Content-Type", "application/json"},
                           {"Authorization", "Bearer test-token"},
                           {"Idempotency-Key", batch_id}};
        bool acknowledged = false;
        for (int attempt = 0; attempt < 100 && !acknowledged; ++attempt) {
            auto verdict = pulse::classify_response(client->post(request), batch.size(), 0);
            REQUIRE_MESSAGE((verdict.kind == pulse::UploadVerdict::Kind::success ||
                             verdict.kind == pulse::UploadVerdict::Kind::transient),
                            verdict.reason);
            acknowledged = verdict.kind == pulse::UploadVerdict::Kind::success;
        }
        REQUIRE(acknowledged);
    }
    CHECK(s.server.stored() == expected);
    CHECK(s.server.idempotency_keys_seen() == 60);
    for (Fault f : {Fault::status_500, Fault::reset_before_response, Fault::ack_lost, Fault::html_200}) {
        CHECK_MESSAGE(s.server.fault_count(f) > 0, pulse::testing::fault_name(f), " never happened");
    }
    std::size_t duplicates = 0;
    for (const auto& record : s.server.requests()) duplicates += record.duplicates;
    CHECK(duplicates > 0);  // lost acknowledgements were resent and recognised
}

TEST_CASE("a request in flight is abandoned promptly when the cancel flag turns true") {
    pulse::testing::FaultServer server;
    std::string error;
    REQUIRE_MESSAGE(server.start(&error), error);
    server.push(pulse::testing::Fault::hang);
    std::atomic<bool> cancel{false};
    pulse::CurlOptions options;
    options.cancel = &cancel;
    std::unique_ptr<pulse::HttpClient> http = pulse::make_curl_http_client(options);  // 120 s total by default
    pulse::HttpRequest request;
    request.url = server.url() + "/v1/batches";
    request.body = "{}";
    std::thread canceller([&] {  // once the request hangs at the server
        eventually([&] { return server.fault_count(pulse::testing::Fault::hang) == 1; });
        cancel = true;
    });
    const auto start = std::chrono::steady_clock::now();
    const pulse::HttpResponse response = http->post(request);
    const auto took = std::chrono::steady_clock::now() - start;
    canceller.join();
    CHECK(server.fault_count(pulse::testing::Fault::hang) == 1);
    // Abandoned by the flag (libcurl's progress callback said stop), not by
    // the 120 s total or 30 s low-speed timeout; the bound is a safety net.
    CHECK_MESSAGE(response.transport_error == CURLE_ABORTED_BY_CALLBACK, describe(response));
    CHECK(took < std::chrono::seconds(25));
    server.stop();
}

}  // namespace terminal_test_curl_client
