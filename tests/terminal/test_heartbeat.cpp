// test_heartbeat.cpp — the heartbeat's builder, its schedule on a fake
// clock, and its anonymity: nothing in a heartbeat moves when answers are
// written (through the real AnswerStore). No network here: the collector's
// side and the real HTTP path are in tests/collector/test_heartbeat.cpp.
#include "terminal/heartbeat.hpp"

#include "fault_server.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <deque>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_heartbeat {

using namespace pulse;

namespace {

constexpr UnixSeconds kNineOClock = 1795770000;  // 2026-11-27T09:00:00Z
constexpr HeartbeatMillis kStart_ms = 5'000'000;  // the program's start on the monotonic clock
constexpr HeartbeatMillis kMinute_ms = 60'000;

// Answers every heartbeat with `next` and records what was sent.
class RecordingHttp final : public HttpClient {
public:
    HttpResponse next;
    std::vector<HttpRequest> requests;
    HttpResponse post(const HttpRequest& request) override {
        requests.push_back(request);
        return next;
    }
};

HttpResponse answer(int status, std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    return r;
}

HourlyFacts healthy() { return HourlyFacts{true, false, 5000}; }

Answer an_answer(int n, UnixSeconds hour) {
    char id[37];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012x", n);
    return Answer{id, "2.3", 1 + n % 5, "da", hour};
}

// A space query that reports the same free bytes whatever is written: the
// test machine's real disk moves with every other process's writes.
std::optional<std::uintmax_t> fixed_space(const std::filesystem::path&) { return 5'050'000'000ull; }

}  // namespace

TEST_CASE("a heartbeat's body holds exactly the documented fields, coarse") {
    HeartbeatSnapshot s;
    s.version = "1.4.0-3-gabc";
    s.config_version = config_version_of("[terminal]\nid = \"term-a\"\n");
    s.uptime_h = 26;
    s.hourly = HourlyFacts{true, true, 12300};
    s.last_contact_hour = kNineOClock;
    s.clock_offset_s = -3;
    s.screen = ScreenState::closed;
    s.overlay_reverted = "\"sha256:ffeeddccbbaa9988\"";
    const nlohmann::json body = nlohmann::json::parse(heartbeat_body(s));
    CHECK(body == nlohmann::json{{"schema", 1},
                                 {"version", "1.4.0-3-gabc"},
                                 {"config_version", s.config_version},
                                 {"uptime_h", 26},
                                 {"database_ok", true},
                                 {"last_contact_hour", "2026-11-27T09:00:00Z"},
                                 {"answers_set_aside", true},
                                 {"clock_offset_s", -3},
                                 {"overlay", nullptr},
                                 {"overlay_reverted", "\"sha256:ffeeddccbbaa9988\""},
                                 {"free_disk_mb", 12300},
                                 {"screen", "closed"}});
    CHECK(s.config_version.rfind("sha256:", 0) == 0);
    CHECK(s.config_version.size() == 7 + 16);
    CHECK(config_version_of("a") != config_version_of("b"));

    SUBCASE("unknowns are null") {
        HeartbeatSnapshot empty;
        const nlohmann::json b = nlohmann::json::parse(heartbeat_body(empty));
        CHECK(b["last_contact_hour"].is_null());
        CHECK(b["clock_offset_s"].is_null());
        CHECK(b["free_disk_mb"].is_null());
        CHECK(b["screen"] == "in_service");
    }
}

TEST_CASE("the screen state never tells which screen of a session is showing") {
    for (const char* name : {"attract", "question", "saving", "thanks", "cooldown", "a-screen-not-known-yet"}) {
        CAPTURE(name);
        CHECK(screen_state_for(name) == ScreenState::in_service);
    }
    CHECK(screen_state_for("out_of_order") == ScreenState::out_of_order);
    CHECK(screen_state_for("closed") == ScreenState::closed);
}

TEST_CASE("free disk counts the database as free and is rounded down to 100 MB") {
    CHECK(free_disk_mb_rounded(5'099'999'999ull, 0) == 5000);
    CHECK(free_disk_mb_rounded(5'000'000'000ull - 40'960, 40'960) == 5000);  // an answer's pages moved from free to the file
    CHECK(free_disk_mb_rounded(99'000'000ull, 0) == 0);
}

TEST_CASE("heartbeats go a minute after start, then every 15 minutes; a failure waits for the next slot") {
    RecordingHttp http;
    http.next = answer(204, {{"date", testing::FaultServer::http_date(kNineOClock + 600 + 7)}});
    Heartbeat heartbeat(HeartbeatSettings{"http://collector", "secret-token", "1.0", "sha256:0123456789abcdef", {}, {}}, http,
                        kStart_ms, nullptr);
    const auto at = [&](HeartbeatMillis ms) {
        const UnixSeconds wall = kNineOClock + 600 + (ms - kStart_ms) / 1000;
        return heartbeat.step(ms, wall, ScreenState::in_service, healthy);
    };

    CHECK_FALSE(at(kStart_ms).attempted);
    CHECK_FALSE(at(kStart_ms + 59'000).attempted);
    Heartbeat::Step first = at(kStart_ms + kMinute_ms);
    CHECK(first.attempted);
    CHECK(first.acknowledged);
    CHECK(first.next_due_ms == kStart_ms + kMinute_ms + 15 * kMinute_ms);
    REQUIRE(http.requests.size() == 1);
    CHECK(http.requests[0].url == "http://collector/v1/heartbeat");
    const bool bearer = std::find(http.requests[0].headers.begin(), http.requests[0].headers.end(),
                                  std::pair<std::string, std::string>{"Authorization", "Bearer secret-token"}) !=
                        http.requests[0].headers.end();
    CHECK(bearer);
    nlohmann::json body = nlohmann::json::parse(http.requests[0].body);
    CHECK(body["last_contact_hour"].is_null());  // none acknowledged before this one
    CHECK(body["clock_offset_s"].is_null());

    CHECK_FALSE(at(kStart_ms + 15 * kMinute_ms).attempted);
    // The second: the previous one's hour and clock offset (the Date was 7 s ahead).
    CHECK(at(kStart_ms + 16 * kMinute_ms).attempted);
    body = nlohmann::json::parse(http.requests.back().body);
    CHECK(body["last_contact_hour"] == "2026-11-27T09:00:00Z");
    CHECK(body["clock_offset_s"].is_number_integer());

    // A failure: no retry before the next slot.
    http.next = answer(503);
    const Heartbeat::Step failed = at(kStart_ms + 31 * kMinute_ms);
    CHECK(failed.attempted);
    CHECK_FALSE(failed.acknowledged);
    CHECK(failed.next_due_ms == kStart_ms + 46 * kMinute_ms);
    CHECK_FALSE(at(kStart_ms + 40 * kMinute_ms).attempted);

    // A stall of three hours: one heartbeat, then the grid again; never a backlog.
    http.next = answer(204);
    const std::size_t before = http.requests.size();
    const Heartbeat::Step late = at(kStart_ms + 3 * 60 * kMinute_ms + 5 * kMinute_ms);
    CHECK(late.attempted);
    CHECK(http.requests.size() == before + 1);
    CHECK(late.next_due_ms == kStart_ms + 3 * 60 * kMinute_ms + 16 * kMinute_ms);
    CHECK_FALSE(at(kStart_ms + 3 * 60 * kMinute_ms + 6 * kMinute_ms).attempted);
    body = nlohmann::json::parse(http.requests.back().body);
    CHECK(body["uptime_h"] == 3);
}

TEST_CASE("the hourly facts are sampled once per UTC hour") {
    HourlySample hourly;
    int samples = 0;
    const auto sample = [&] {
        ++samples;
        return HourlyFacts{true, false, samples * 100};
    };
    CHECK(hourly.get(kNineOClock + 60, sample).free_disk_mb == 100);
    CHECK(hourly.get(kNineOClock + 3599, sample).free_disk_mb == 100);
    CHECK(samples == 1);
    CHECK(hourly.get(kNineOClock + 3600, sample).free_disk_mb == 200);
    CHECK(samples == 2);
}

TEST_CASE("a heartbeat built before and after answers are written is identical") {
    const std::filesystem::path database = testing::temp_folder() / "answers.sqlite3";
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(database, &status);
    REQUIRE_MESSAGE(store, status.message);

    RecordingHttp http;
    http.next = answer(204);
    Heartbeat heartbeat(HeartbeatSettings{"http://collector", "t", "1.0", config_version_of("config"), {}, {}}, http, kStart_ms,
                        nullptr);
    const auto facts = [&] { return sample_hourly_facts(database, nullptr, fixed_space); };
    const HeartbeatSnapshot before = heartbeat.snapshot(kStart_ms + 20 * kMinute_ms, facts(), ScreenState::in_service);

    // Someone answers three questions, then waits on the thank-you screen.
    REQUIRE(store->insert({an_answer(1, kNineOClock), an_answer(2, kNineOClock), an_answer(3, kNineOClock)}).ok());
    REQUIRE(store->count_all() == 3);
    const HeartbeatSnapshot after = heartbeat.snapshot(kStart_ms + 20 * kMinute_ms, facts(),
                                                       screen_state_for("thanks"));

    CHECK(heartbeat_body(before) == heartbeat_body(after));
    CHECK(before.hourly.database_ok);
    CHECK(before.hourly.free_disk_mb == 5000);

    SUBCASE("many more answers do not move it either") {
        std::vector<Answer> many;
        for (int n = 10; n < 510; ++n) many.push_back(an_answer(n, kNineOClock));
        REQUIRE(store->insert(many).ok());
        const HeartbeatSnapshot later = heartbeat.snapshot(kStart_ms + 20 * kMinute_ms, facts(),
                                                           screen_state_for("question"));
        CHECK(heartbeat_body(before) == heartbeat_body(later));
    }
}

}  // namespace terminal_test_heartbeat
