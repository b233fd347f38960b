// test_uploader.cpp — the upload policy's state machine on a fake clock, a
// seeded RNG and a scripted HTTP client: every verdict of docs/protocol.md,
// when answers may go (only once their UTC hour has ended, a few minutes
// after it), the collector's clock read from each response, a split that
// fails on a locked database, and a database file replaced under the
// uploader, without a network. (The real network is in test_upload_faults.cpp.)
#include "terminal/answer_writer.hpp"
#include "terminal/uploader.hpp"

#include "fault_server.hpp"
#include "store_faults.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <zlib.h>

#include <cmath>
#include <deque>
#include <regex>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_uploader {

using namespace pulse;

namespace {

constexpr UnixSeconds kHour = 1795770000;  // 2026-11-27T09:00:00Z: the hour the answers are given in
// 10:10, when that hour has ended and every offset after it has passed.
constexpr UnixSeconds kNow = kHour + kSecondsPerHour + kAfterHourMax_s;

// Answers scripted responses in order (the last one repeats) and records
// every request.
class ScriptedHttp final : public HttpClient {
public:
    std::deque<HttpResponse> script;
    std::vector<HttpRequest> requests;
    std::function<HttpResponse(const HttpRequest&)> respond;  // overrides script when set

    HttpResponse post(const HttpRequest& request) override {
        requests.push_back(request);
        if (respond) return respond(request);
        REQUIRE_MESSAGE(!script.empty(), "no scripted response left");
        HttpResponse r = script.front();
        if (script.size() > 1) script.pop_front();
        return r;
    }
};

HttpResponse status(int code, std::string body = "", std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = code;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// The request's JSON body, gunzipped when it was sent compressed.
nlohmann::json body_of(const HttpRequest& request) {
    for (const auto& [name, value] : request.headers) {
        if (name == "Content-Encoding" && value == "gzip") {
            z_stream z{};
            REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
            std::string out(1 << 20, '\0');
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(request.body.data()));
            z.avail_in = static_cast<uInt>(request.body.size());
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            REQUIRE(inflate(&z, Z_FINISH) == Z_STREAM_END);
            out.resize(z.total_out);
            inflateEnd(&z);
            return nlohmann::json::parse(out);
        }
    }
    return nlohmann::json::parse(request.body);
}

// Acknowledges whatever was sent, like a correct server.
HttpResponse acknowledge(const HttpRequest& request) {
    const nlohmann::json body = body_of(request);
    return status(200, "{\"accepted\":" + std::to_string(body["answers"].size()) + ",\"duplicates\":0}");
}

std::set<std::string> ids_in(const HttpRequest& request) {
    std::set<std::string> ids;
    const nlohmann::json body = body_of(request);
    for (const auto& a : body["answers"]) ids.insert(a["id"].get<std::string>());
    return ids;
}

// The "hour" of every answer in the request.
std::set<std::string> hours_in(const HttpRequest& request) {
    std::set<std::string> hours;
    const nlohmann::json body = body_of(request);
    for (const auto& a : body["answers"]) hours.insert(a["hour"].get<std::string>());
    return hours;
}

std::set<std::string> ids_of(const std::vector<Answer>& answers) {
    std::set<std::string> ids;
    for (const Answer& a : answers) ids.insert(a.id);
    return ids;
}

std::string header(const HttpRequest& request, const std::string& name) {
    for (const auto& [n, v] : request.headers)
        if (n == name) return v;
    return "";
}

// A fresh folder, removed with everything in it.
struct TempDir {
    std::filesystem::path path = pulse::testing::temp_folder();
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

struct Fixture {
    TempDir dir;
    std::unique_ptr<AnswerStore> store;
    ScriptedHttp http;
    UploadSettings settings;
    std::vector<std::string> log;
    Rng rng{17};

    Fixture() {
        StoreStatus status;
        store = AnswerStore::open(dir.path / "answers.sqlite3", &status);
        REQUIRE_MESSAGE(store, status.message);
        settings.endpoint = "http://127.0.0.1:9";
        settings.token = "s3cret-token";
        settings.terminal = "t-1";
        settings.workplace = "w-1";
        settings.bank_version = "2026.1";
        settings.batch_size = 500;
        settings.backoff = {5, 900};
    }

    std::vector<Answer> add(int n, UnixSeconds hour = kHour) {
        std::vector<Answer> answers;
        for (int i = 0; i < n; ++i) answers.push_back(Answer{uuid_v4(rng), "2.3", 1 + i % 5, "da", hour});
        REQUIRE(store->insert(answers));
        return answers;
    }

    Uploader uploader(std::uint64_t seed = 5) {
        return Uploader(*store, http, settings, Rng(seed), [this](const std::string& line) { log.push_back(line); });
    }
};

// Every id sent so far, over all requests.
std::set<std::string> ids_sent(const ScriptedHttp& http) {
    std::set<std::string> ids;
    for (const HttpRequest& r : http.requests) {
        const std::set<std::string> in = ids_in(r);
        ids.insert(in.begin(), in.end());
    }
    return ids;
}

}  // namespace

TEST_CASE("the first step uploads the ended hours at once, and acknowledged answers are no longer pending") {
    Fixture f;
    f.add(10);
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK(s.attempted);
    CHECK(s.success);
    CHECK(s.pending == 0);
    CHECK(s.waiting_for_hour_end == 0);
    CHECK(s.next_attempt == kHour + 2 * kSecondsPerHour + up.after_hour_s());  // 11:00 + the offset
    REQUIRE(f.http.requests.size() == 1);
    const HttpRequest& r = f.http.requests[0];
    CHECK(r.url == "http://127.0.0.1:9/v1/batches");
    CHECK(header(r, "Authorization") == "Bearer s3cret-token");
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(header(r, "Idempotency-Key") == body_of(r)["batch"]);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_uploaded() == 10);
    CHECK(f.store->upload_queue().upload_facts()["last_upload_ok"] == "2026-11-27T10:10:00Z");
}

TEST_CASE("nothing pending: no request, and the next look is the offset after the running hour's end") {
    Fixture f;
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK_FALSE(s.attempted);
    CHECK(f.http.requests.empty());
    CHECK(s.pending == 0);
    const UnixSeconds next = kHour + 2 * kSecondsPerHour + up.after_hour_s();
    CHECK(s.next_attempt == next);
    CHECK(f.store->upload_queue().upload_facts()["next_attempt"] == format_iso_utc(next));
    f.add(1);  // the hour that ended: it goes at the next look, not before
    f.http.respond = acknowledge;
    CHECK_FALSE(up.step(next - 1).attempted);
    CHECK(up.step(next).attempted);
}

// [SECTION] Whole hours

TEST_CASE("the running hour's answers are never sent, and those of every ended hour are") {
    Fixture f;
    const UnixSeconds running = truncate_to_hour(kNow);  // 10:00
    std::set<std::string> ended;
    for (UnixSeconds hour : {kHour - 2 * kSecondsPerHour, kHour - kSecondsPerHour, kHour}) {
        const std::set<std::string> ids = ids_of(f.add(3, hour));
        ended.insert(ids.begin(), ids.end());
    }
    const std::set<std::string> running_ids = ids_of(f.add(4, running));
    f.settings.batch_size = 2;
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    Uploader::Step s;
    UnixSeconds now = kNow;
    for (int i = 0; i < 20 && now < running + kSecondsPerHour; ++i) {  // as often as it asks, within the hour
        s = up.step(now);
        now = std::max(now, s.next_attempt);
    }
    CHECK(ids_sent(f.http) == ended);
    for (const HttpRequest& r : f.http.requests) CHECK(hours_in(r).count("2026-11-27T10:00:00Z") == 0);
    CHECK(s.pending == 0);
    CHECK(s.waiting_for_hour_end == 4);
    CHECK(f.store->upload_queue().count_pending_upload() == 4);
    CHECK(f.store->upload_queue().count_waiting_for_hour_end(kNow) == 4);
    CHECK(up.next_attempt() == running + kSecondsPerHour + up.after_hour_s());

    // Once their hour has ended (and the offset passed), they go too.
    now = up.next_attempt();
    for (int i = 0; i < 5 && f.store->upload_queue().count_pending_upload() > 0; ++i) up.step(now);
    std::set<std::string> all = ended;
    all.insert(running_ids.begin(), running_ids.end());
    CHECK(ids_sent(f.http) == all);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
}

TEST_CASE("an hour's answers wait for the offset after its end, even on the very first step") {
    Fixture f;
    f.settings.after_hour_s = 300;
    f.add(2, kHour - kSecondsPerHour);  // 08:00, long ended
    const std::set<std::string> last_hour = ids_of(f.add(3, kHour));  // 09:00, ended at 10:00
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    CHECK(up.after_hour_s() == 300);
    const Uploader::Step s = up.step(kHour + kSecondsPerHour + 299);  // 10:04:59
    REQUIRE(f.http.requests.size() == 1);
    CHECK(hours_in(f.http.requests[0]) == std::set<std::string>{"2026-11-27T08:00:00Z"});
    CHECK(s.next_attempt == kHour + kSecondsPerHour + 300);  // 10:05, for the hour that just ended
    CHECK(s.pending == 3);  // ended, not yet due
    up.step(s.next_attempt);
    REQUIRE(f.http.requests.size() == 2);
    CHECK(ids_in(f.http.requests[1]) == last_hour);
}

TEST_CASE("upload now (the admin panel) sends every ended hour at once, before its offset, and never the running hour") {
    Fixture f;
    f.settings.after_hour_s = 300;
    const std::set<std::string> last_hour = ids_of(f.add(3, kHour));  // 09:00, ended at 10:00
    f.add(2, kHour + kSecondsPerHour);                                  // 10:00, running
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    const UnixSeconds at = kHour + kSecondsPerHour + 60;  // 10:01: the offset has not passed
    Uploader::Step s = up.step(at);
    CHECK(f.http.requests.empty());
    CHECK(s.next_attempt == kHour + kSecondsPerHour + 300);
    up.upload_now();
    CHECK(up.next_attempt() == 0);
    s = up.step(at);
    REQUIRE(f.http.requests.size() == 1);
    CHECK(ids_in(f.http.requests[0]) == last_hour);
    CHECK(s.waiting_for_hour_end == 2);  // the running hour's stay
    // Only once: the next step keeps the offset again.
    up.step(at + 1);
    CHECK(f.http.requests.size() == 1);
}

TEST_CASE("answers the thanks screen may still undo stay out of every batch, even once their hour has ended") {
    Fixture f;
    f.settings.after_hour_s = 0;  // as `sync` and upload now: the least waiting there is
    const std::set<std::string> earlier = ids_of(f.add(2, kHour - kSecondsPerHour));  // 08:00
    const std::set<std::string> session = ids_of(f.add(3, kHour));                    // 09:00, ended at 10:00
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    up.hold_from_hour(kHour);  // the undo window of the 09:00 session is open at 10:00:05
    const Uploader::Step held = up.step(kHour + kSecondsPerHour + 5);
    CHECK(ids_sent(f.http) == earlier);  // the hours before still go
    CHECK(held.next_attempt <= kHour + kSecondsPerHour + 5 + kHoldRecheck_s);  // not an hour later
    up.upload_now();
    up.step(kHour + kSecondsPerHour + 6);
    CHECK(ids_sent(f.http) == earlier);
    up.hold_from_hour(std::nullopt);  // the window closed
    up.upload_now();
    up.step(kHour + kSecondsPerHour + 11);
    std::set<std::string> all = earlier;
    all.insert(session.begin(), session.end());
    CHECK(ids_sent(f.http) == all);
}

TEST_CASE("the first attempt after an hour comes within the jitter window after it, at the same offset every hour") {
    std::set<UnixSeconds> offsets;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        CAPTURE(seed);
        Fixture f;
        f.http.respond = acknowledge;
        Uploader up = f.uploader(seed);
        const UnixSeconds offset = up.after_hour_s();
        CHECK(offset >= kAfterHourMin_s);
        CHECK(offset <= kAfterHourMax_s);
        offsets.insert(offset);

        // Answers given during 09:00–10:00 go at 10:00 + offset, not before.
        f.add(2, kHour);
        const Uploader::Step during = up.step(kHour + 1800);
        CHECK_FALSE(during.attempted);
        CHECK(during.waiting_for_hour_end == 2);
        CHECK(during.next_attempt == kHour + kSecondsPerHour + offset);
        CHECK_FALSE(up.step(during.next_attempt - 1).attempted);
        const Uploader::Step first = up.step(during.next_attempt);
        CHECK(first.success);

        // The next hour's answers go at the same minute after the next hour.
        f.add(1, kHour + kSecondsPerHour);
        CHECK(first.next_attempt == kHour + 2 * kSecondsPerHour + offset);
        CHECK(up.step(first.next_attempt).success);
        CHECK(f.http.requests.size() == 2);
    }
    CHECK(offsets.size() > 1);  // terminals spread over the window
}

TEST_CASE("hours are UTC, so Copenhagen's switch to and from summer time changes nothing") {
    // 2026-03-29 01:00 UTC: Copenhagen's clocks go from 02:00 to 03:00.
    // 2026-10-25 01:00 UTC: from 03:00 back to 02:00 (02:00–03:00 twice).
    for (const char* switch_text : {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"}) {
        CAPTURE(switch_text);
        const UnixSeconds at_switch = *parse_iso8601(switch_text);
        Fixture f;
        f.settings.after_hour_s = 240;
        f.http.respond = acknowledge;
        std::vector<std::set<std::string>> per_hour;
        for (int h = -1; h <= 1; ++h) per_hour.push_back(ids_of(f.add(2 + h, at_switch + h * kSecondsPerHour)));

        Uploader up = f.uploader();
        UnixSeconds now = at_switch + 1800;  // in the hour after the switch
        for (int h = 0; h < 3; ++h) {
            CAPTURE(h);
            const Uploader::Step s = up.step(now);
            REQUIRE(s.attempted);
            REQUIRE(f.http.requests.size() == static_cast<std::size_t>(h + 1));
            // Exactly the hour that ended (one UTC hour, whatever the local clock did).
            CHECK(ids_in(f.http.requests.back()) == per_hour[static_cast<std::size_t>(h)]);
            CHECK(hours_in(f.http.requests.back()) ==
                  std::set<std::string>{format_iso_utc(at_switch + (h - 1) * kSecondsPerHour)});
            // The next hour's turn is exactly one hour on, at the same offset.
            CHECK(s.next_attempt == at_switch + (h + 1) * kSecondsPerHour + 240);
            now = s.next_attempt;
        }
        CHECK(f.store->upload_queue().count_pending_upload() == 0);
    }
}

TEST_CASE("a retry resends the same batch id with the same answers") {
    Fixture f;
    f.add(30);
    f.http.script = {status(503), status(500), status(200, "{\"accepted\":30,\"duplicates\":0}")};
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int i = 0; i < 3; ++i) now = std::max(now, up.step(now).next_attempt);
    REQUIRE(f.http.requests.size() == 3);
    for (const HttpRequest& r : f.http.requests) {
        CHECK(header(r, "Idempotency-Key") == header(f.http.requests[0], "Idempotency-Key"));
        CHECK(ids_in(r) == ids_in(f.http.requests[0]));
    }
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
}

TEST_CASE("transient failures back off exponentially with jitter from backoff_min_s up to backoff_max_s") {
    Fixture f;
    f.add(1);
    f.http.script = {status(500)};
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int failure = 1; failure <= 12; ++failure) {
        const Uploader::Step s = up.step(now);
        REQUIRE(s.attempted);
        const double cap = std::min(900.0, 5.0 * std::pow(2.0, failure - 1));
        CHECK(s.next_attempt - now >= 5);
        CHECK(s.next_attempt - now <= static_cast<UnixSeconds>(std::ceil(cap)));
        CHECK(up.consecutive_failures() == failure);
        now = s.next_attempt;
    }
    CHECK(f.store->upload_queue().count_pending_upload() == 1);  // never dropped, however often it fails
    CHECK(f.store->upload_queue().upload_facts()["last_error"].find("500") != std::string::npos);
}

TEST_CASE("Retry-After makes the wait at least as long as the server asks, capped at 24 h") {
    Fixture f;
    f.add(1);
    Uploader up = f.uploader();
    f.http.script = {status(503, "", {{"retry-after", "600"}})};
    CHECK(up.step(kNow).next_attempt - kNow >= 600);
    f.http.script = {status(429, "", {{"retry-after", "999999"}})};
    const UnixSeconds now = up.next_attempt();
    CHECK(up.step(now).next_attempt - now == 86400);
}

TEST_CASE("a 200 that is not an acknowledgement (a captive portal's page) is not success") {
    Fixture f;
    f.add(4);
    f.http.script = {status(200, "<html><body>Log in to the guest Wi-Fi</body></html>")};
    Uploader up = f.uploader();
    const Uploader::Step s = up.step(kNow);
    CHECK_FALSE(s.success);
    CHECK(f.store->upload_queue().count_pending_upload() == 4);
    CHECK(f.store->upload_queue().count_uploaded() == 0);
}

TEST_CASE("413 splits the batch and sends the halves until they fit") {
    Fixture f;
    f.add(40);
    f.settings.batch_size = 40;
    f.http.respond = [](const HttpRequest& r) {
        return body_of(r)["answers"].size() > 6 ? status(413) : acknowledge(r);
    };
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int i = 0; i < 100 && f.store->upload_queue().count_pending_upload() > 0; ++i) now = std::max(now, up.step(now).next_attempt);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_uploaded() == 40);
    CHECK(f.store->upload_queue().count_set_aside() == 0);
    std::set<std::string> acknowledged;
    for (const HttpRequest& r : f.http.requests) {
        if (body_of(r)["answers"].size() <= 6) {
            for (const std::string& id : ids_in(r)) CHECK(acknowledged.insert(id).second);  // each sent once
        }
    }
    CHECK(acknowledged.size() == 40);
}

TEST_CASE("400 sets the batch aside, keeps it, logs the server's message, and goes on with the rest") {
    Fixture f;
    f.add(10);
    f.settings.batch_size = 5;
    f.http.script = {status(400, "{\"error\":\"question 9.9 is not in bank 2026.1\"}")};
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK(s.next_attempt == kNow);  // the rest goes at once
    f.http.script = {};
    f.http.respond = acknowledge;
    up.step(kNow);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_set_aside() == 5);
    CHECK(f.store->upload_queue().count_uploaded() == 5);
    CHECK(f.store->all_answers().size() == 10);
    bool logged = false;
    for (const std::string& line : f.log) logged = logged || line.find("question 9.9 is not in bank") != std::string::npos;
    CHECK(logged);
}

TEST_CASE("401 keeps everything, retries at backoff_max_s, and says so") {
    Fixture f;
    f.add(3);
    f.http.script = {status(401, "{\"error\":\"unknown token\"}")};
    Uploader up = f.uploader();
    CHECK(up.step(kNow).next_attempt == kNow + 900);
    CHECK(f.store->upload_queue().count_pending_upload() == 3);
    CHECK(f.store->upload_queue().upload_facts()["token_rejected"] == "true");
    f.http.script = {};
    f.http.respond = acknowledge;
    up.step(kNow + 900);
    CHECK(f.store->upload_queue().upload_facts()["token_rejected"] == "false");
}

TEST_CASE("a transport failure (no connection) is retried and loses nothing") {
    Fixture f;
    f.add(2);
    HttpResponse refused;
    refused.transport_error = 7;
    refused.transport_message = "Couldn't connect to server";
    f.http.script = {refused};
    Uploader up = f.uploader();
    CHECK_FALSE(up.step(kNow).success);
    CHECK(f.store->upload_queue().count_pending_upload() == 2);
    CHECK(f.log.back().find("transport error 7") != std::string::npos);
}

TEST_CASE("after a success the ended hours are drained at once, and a full batch of the running hour waits for its end") {
    Fixture f;
    f.settings.batch_size = 5;
    f.add(12);
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    int steps = 0;
    while (f.store->upload_queue().count_pending_upload() > 0 && steps < 10) {
        const Uploader::Step s = up.step(now);
        ++steps;
        if (s.pending > 0) CHECK(s.next_attempt == now);
    }
    CHECK(steps == 3);  // 5 + 5 + 2
    const UnixSeconds next_hour_turn = kHour + 2 * kSecondsPerHour + up.after_hour_s();
    CHECK(up.next_attempt() == next_hour_turn);
    // A full batch of the running hour is no reason to go early (the old
    // early upload): a batch of the running hour could be one person.
    f.add(5, truncate_to_hour(kNow));
    CHECK_FALSE(up.step(kNow + 1).attempted);
    CHECK_FALSE(up.step(next_hour_turn - 1).attempted);
    const Uploader::Step later = up.step(next_hour_turn);
    CHECK(later.success);
    CHECK(f.http.requests.size() == 4);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
}

TEST_CASE("one log line per attempt, with the batch, the attempt and the outcome: never a count, an answer or the token") {
    Fixture f;
    std::vector<Answer> answers = f.add(3);
    f.http.script = {status(503), status(200, "{\"accepted\":3,\"duplicates\":0}")};
    Uploader up = f.uploader();
    up.step(kNow);
    up.step(up.next_attempt());
    REQUIRE(f.log.size() == 2);
    const std::string batch = header(f.http.requests[0], "Idempotency-Key");
    CHECK(f.log[0].find("batch " + batch) != std::string::npos);
    CHECK(f.log[0].find("attempt 1") != std::string::npos);
    CHECK(f.log[0].find("503") != std::string::npos);
    CHECK(f.log[0].find("next attempt 2026-11-27T10:1") != std::string::npos);  // a few seconds on
    CHECK(f.log[1].find("attempt 2") != std::string::npos);
    CHECK(f.log[1].find("HTTP 200") != std::string::npos);
    CHECK(f.log[1].find("next attempt " + format_iso_utc(kHour + 2 * kSecondsPerHour + up.after_hour_s())) !=
          std::string::npos);
    // Not how many answers were sent, accepted or duplicates, in any form.
    const std::regex count(R"([0-9]+ answers|accepted|duplicates|\b3\b)");
    for (const std::string& line : f.log) {
        CAPTURE(line);
        CHECK_FALSE(std::regex_search(line, count));
        CHECK(line.find("s3cret-token") == std::string::npos);
        for (const Answer& a : answers) CHECK(line.find(a.id) == std::string::npos);
    }
}

TEST_CASE("a 200 whose counts do not add up is retried, and its log line names no count") {
    Fixture f;
    f.add(4);
    f.http.script = {status(200, "{\"accepted\":3,\"duplicates\":0}")};
    Uploader up = f.uploader();
    CHECK_FALSE(up.step(kNow).success);
    CHECK(f.store->upload_queue().count_pending_upload() == 4);
    REQUIRE(f.log.size() == 1);
    CHECK(f.log[0].find("not an acknowledgement") != std::string::npos);
    CHECK_FALSE(std::regex_search(f.log[0], std::regex(R"(\b[34]\b)")));
    CHECK_FALSE(std::regex_search(f.store->upload_queue().upload_facts()["last_error"], std::regex(R"(\b[34]\b)")));
}

TEST_CASE("batch ids come from the id source, never from the seeded generator, and a failing source sends nothing") {
    Fixture f;
    f.add(3);
    f.http.respond = acknowledge;
    int drawn = 0;
    bool failing = true;
    const IdSource ids = [&](std::string* error) -> std::string {
        if (failing) {
            if (error) *error = "no entropy in this test";
            return "";
        }
        return "00000000-0000-4000-8000-00000000000" + std::to_string(++drawn);
    };
    Uploader up(*f.store, f.http, f.settings, Rng(5), [&](const std::string& line) { f.log.push_back(line); }, ids);
    const Uploader::Step s = up.step(kNow);
    CHECK_FALSE(s.attempted);
    CHECK(f.http.requests.empty());
    CHECK(s.next_attempt > kNow);  // backs off like any failure
    CHECK(f.store->upload_queue().count_pending_upload() == 3);
    REQUIRE_FALSE(f.log.empty());
    CHECK(f.log.back().find("no entropy in this test") != std::string::npos);

    failing = false;
    CHECK(up.step(s.next_attempt).success);
    REQUIRE(f.http.requests.size() == 1);
    CHECK(header(f.http.requests[0], "Idempotency-Key") == "00000000-0000-4000-8000-000000000001");

    // The real source: two uploaders with the same seed never share a batch id.
    Fixture g, h;
    g.add(1);
    h.add(1);
    g.http.respond = h.http.respond = acknowledge;
    g.uploader(5).step(kNow);
    h.uploader(5).step(kNow);
    REQUIRE(g.http.requests.size() == 1);
    REQUIRE(h.http.requests.size() == 1);
    CHECK(is_uuid(header(g.http.requests[0], "Idempotency-Key")));
    CHECK(header(g.http.requests[0], "Idempotency-Key") != header(h.http.requests[0], "Idempotency-Key"));
}

TEST_CASE("uploaded answers are deleted after keep_uploaded_days, pending and set-aside ones never") {
    Fixture f;
    f.settings.keep_uploaded_days = 35;
    f.settings.batch_size = 2;
    f.add(2);
    f.http.respond = acknowledge;
    {
        Uploader up = f.uploader();
        up.step(kNow);  // uploaded today
    }
    f.add(2);  // pending
    f.http.respond = [](const HttpRequest&) { return status(500); };
    Uploader later = f.uploader();
    later.step(kNow + 35 * 86400);
    CHECK(f.store->upload_queue().count_uploaded() == 2);  // 35 days: still kept
    later.step(kNow + 36 * 86400);
    CHECK(f.store->upload_queue().count_uploaded() == 0);
    CHECK(f.store->upload_queue().count_pending_upload() == 2);
    bool purge_logged = false;
    for (const std::string& line : f.log) {
        if (line.find("deleted") == std::string::npos) continue;
        purge_logged = true;
        CHECK_FALSE(std::regex_search(line, std::regex(R"(deleted [0-9])")));  // which answers, never how many
    }
    CHECK(purge_logged);
}

// [SECTION] 425 Too Early, and the collector's clock

TEST_CASE("425 Too Early keeps the batch pending however often it comes, waits as Retry-After asks, and never sets it aside") {
    Fixture f;
    f.add(7);
    const HttpResponse too_early =
        status(425, "{\"error\":\"hour 2026-11-27T09:00:00Z has not ended\"}", {{"retry-after", "1800"}});
    f.http.script = {too_early, too_early, too_early, status(200, "{\"accepted\":7,\"duplicates\":0}")};
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        CAPTURE(attempt);
        const Uploader::Step s = up.step(now);
        CHECK(s.attempted);
        CHECK_FALSE(s.success);
        CHECK(s.next_attempt >= now + 1800);  // as long as the collector asked, not the backoff's seconds
        CHECK(f.store->upload_queue().count_pending_upload() == 7);
        CHECK(f.store->upload_queue().count_set_aside() == 0);
        CHECK(f.store->upload_queue().upload_facts()["last_error"].find("425 Too Early") != std::string::npos);
        CHECK_FALSE(up.step(s.next_attempt - 1).attempted);  // nothing before that
        now = s.next_attempt;
    }
    CHECK(up.step(now).success);
    REQUIRE(f.http.requests.size() == 4);
    for (const HttpRequest& r : f.http.requests) {  // the same batch every time
        CHECK(header(r, "Idempotency-Key") == header(f.http.requests[0], "Idempotency-Key"));
        CHECK(ids_in(r) == ids_in(f.http.requests[0]));
    }
    CHECK(f.store->upload_queue().count_uploaded() == 7);
    CHECK(f.store->upload_queue().count_set_aside() == 0);
}

TEST_CASE("each response's Date gives the clock offset, read when the response arrived, kept for status, and a clock an hour off is logged once") {
    Fixture f;
    f.settings.batch_size = 5;
    f.add(12);
    UnixSeconds terminal_clock = kNow;
    f.http.respond = [&](const HttpRequest& request) {
        terminal_clock += 20;  // each request takes 20 s by the terminal's clock
        HttpResponse response = acknowledge(request);
        response.headers["date"] = testing::FaultServer::http_date(terminal_clock + 3600);  // the collector: an hour on
        return response;
    };
    Uploader up(*f.store, f.http, f.settings, Rng(5), [&](const std::string& line) { f.log.push_back(line); },
                IdSource(&random_uuid_v4), [&] { return terminal_clock; });
    CHECK_FALSE(up.clock_offset_s().has_value());
    UnixSeconds now = kNow;
    for (int i = 0; i < 3; ++i) now = std::max(now, up.step(now).next_attempt);  // 5 + 5 + 2
    REQUIRE(f.http.requests.size() == 3);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    // 3600, not 3620: the terminal's clock is read when the response is in,
    // not when the step began.
    CHECK(up.clock_offset_s() == 3600);
    CHECK(f.store->upload_queue().upload_facts()["clock_offset_s"] == "3600");
    int clock_lines = 0;
    for (const std::string& line : f.log) {
        if (line.find("clock") == std::string::npos) continue;
        ++clock_lines;
        CHECK_MESSAGE(line.find("the terminal's clock is off by 3600 s") != std::string::npos, line);
        CHECK_MESSAGE(line.find("answers are stamped with the terminal's clock") != std::string::npos, line);
    }
    CHECK(clock_lines == 1);  // three uploads, one line

    // The terminal's clock is set right: kept for status, said once.
    f.add(1, kHour + kSecondsPerHour);
    terminal_clock += 3600;
    f.http.respond = [&](const HttpRequest& request) {
        HttpResponse response = acknowledge(request);
        response.headers["date"] = testing::FaultServer::http_date(terminal_clock + 1);
        return response;
    };
    REQUIRE(up.step(up.next_attempt()).success);
    CHECK(up.clock_offset_s() == 1);
    CHECK(f.store->upload_queue().upload_facts()["clock_offset_s"] == "1");
    CHECK(f.log[f.log.size() - 2].find("agrees with the collector's again") != std::string::npos);

    // A response without a Date leaves the last offset as it was.
    f.add(1, kHour + 2 * kSecondsPerHour);
    f.http.respond = acknowledge;
    REQUIRE(up.step(up.next_attempt()).success);
    CHECK(up.clock_offset_s() == 1);
    CHECK(f.store->upload_queue().upload_facts()["clock_offset_s"] == "1");
}

// [SECTION] A split that fails

TEST_CASE("a split that fails on a database locked by another connection keeps the answers pending, and they are split and sent later: none is set aside") {
    Fixture f;
    f.settings.batch_size = 40;
    f.add(40);
    sqlite3* other = nullptr;  // say, a `status` or a backup holding the write lock
    REQUIRE(sqlite3_open_v2(f.store->path().c_str(), &other, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    bool lock_taken = false;
    f.http.respond = [&](const HttpRequest& r) {
        if (body_of(r)["answers"].size() <= 6) return acknowledge(r);
        if (!lock_taken) {  // the 413 comes back while the other connection holds the lock
            REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
            lock_taken = true;
        }
        return status(413, "{\"error\":\"too large\"}");
    };
    // The uploader's connection waits 0.1 s for the lock rather than 5 s: same outcome, sooner.
    sqlite3_busy_timeout(f.store->handle(), 100);
    Uploader up = f.uploader();
    const Uploader::Step s = up.step(kNow);
    REQUIRE(lock_taken);
    CHECK(s.attempted);
    CHECK_FALSE(s.success);
    CHECK(s.next_attempt > kNow);  // retried after the backoff, like any transient failure
    CHECK(f.store->upload_queue().count_set_aside() == 0);
    CHECK(f.store->upload_queue().count_pending_upload() == 40);
    REQUIRE_FALSE(f.log.empty());
    CHECK_MESSAGE(f.log.back().find("cannot split the batch") != std::string::npos, f.log.back());
    CHECK_MESSAGE(f.log.back().find("locked") != std::string::npos, f.log.back());
    // Still the one batch of 40, whole: the split changed nothing.
    sqlite3_stmt* batches = nullptr;
    REQUIRE(sqlite3_prepare_v2(other, "SELECT COUNT(*), (SELECT COUNT(*) FROM answers WHERE batch IS NOT NULL) FROM batches",
                               -1, &batches, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(batches) == SQLITE_ROW);
    CHECK(sqlite3_column_int(batches, 0) == 1);
    CHECK(sqlite3_column_int(batches, 1) == 40);
    sqlite3_finalize(batches);

    REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    UnixSeconds now = s.next_attempt;
    for (int i = 0; i < 100 && f.store->upload_queue().count_pending_upload() > 0; ++i) {
        now = std::max(now, up.step(now).next_attempt);
    }
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_uploaded() == 40);
    CHECK(f.store->upload_queue().count_set_aside() == 0);
    CHECK(ids_sent(f.http).size() == 40);
    for (const std::string& line : f.log) CHECK(line.find("single answer") == std::string::npos);
}

// [SECTION] A database file replaced under the uploader

TEST_CASE("when the writer moves a corrupt database aside, the uploader opens the fresh file and uploads its answers without a restart") {
    Fixture f;  // f.store is the uploader's own connection, open for the uploader's life
    const std::filesystem::path db = f.store->path();
    f.add(4);
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    REQUIRE(up.step(kNow).success);
    CHECK_FALSE(f.store->file_moved());

    // The disk damages the file; the kiosk's writer finds it corrupt when it
    // opens it, moves it aside and starts a fresh one, and answers go on.
    testing::corrupt_in_place(db);
    std::unique_ptr<AnswerWriter> writer = make_inline_writer(db);
    std::vector<WriteEvent> events = writer->poll();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == WriteEvent::Kind::moved_aside);
    const std::filesystem::path moved = events[0].message;
    const std::string moved_bytes = testing::file_bytes(moved);
    CHECK(f.store->file_moved());
    std::set<std::string> fresh;
    for (int i = 0; i < 3; ++i) {
        Answer a{uuid_v4(f.rng), "1.2", 4, "en", truncate_to_hour(kNow)};  // 10:00, the running hour
        fresh.insert(a.id);
        writer->submit(a);
    }
    REQUIRE(writer->queued() == 0);

    // At the next hour's turn the uploader works on the fresh file.
    const Uploader::Step s = up.step(up.next_attempt());
    CHECK(s.success);
    REQUIRE(f.http.requests.size() == 2);
    CHECK(ids_in(f.http.requests[1]) == fresh);
    CHECK(&up.store() != f.store.get());
    CHECK(up.store().path() == db);
    CHECK_FALSE(up.store().file_moved());
    CHECK(up.store().upload_queue().count_uploaded() == 3);
    CHECK(up.store().upload_queue().count_pending_upload() == 0);
    StoreStatus status;
    std::unique_ptr<AnswerStore> check = AnswerStore::open(db, &status);  // any connection sees it so
    REQUIRE_MESSAGE(check, status.message);
    CHECK(check->upload_queue().count_uploaded() == 3);
    CHECK(testing::file_bytes(moved) == moved_bytes);  // the moved-aside file is kept as it was
    bool logged = false;
    for (const std::string& line : f.log) logged = logged || line.find("was replaced") != std::string::npos;
    CHECK(logged);
}

}  // namespace terminal_test_uploader
