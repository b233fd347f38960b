// test_heartbeat.cpp — POST /v1/heartbeat against the real collector on
// 127.0.0.1: the last heartbeat per terminal is kept (a second replaces the
// first, one terminal never touches another's), 401 without a terminal's
// token, 400 naming the field for a bad body; and the terminal's own
// heartbeat code, over libcurl, arriving in the store. Suite "store": these
// run again on PostgreSQL (tests/CMakeLists.txt).
#include "collector_fixture.hpp"
#include "collector/fleet/fleet.hpp"
#include "collector/http/server.hpp"
#include "collector/storage/store.hpp"
#include "terminal/heartbeat.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_heartbeat {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

const UnixSeconds kCollectorNow = *parse_iso8601("2026-11-27T10:20:00Z");

// A valid heartbeat body.
json good_heartbeat() {
    return {{"schema", 1},
            {"version", "1.4.0"},
            {"config_version", "sha256:0123456789abcdef"},
            {"uptime_h", 3},
            {"database_ok", true},
            {"last_contact_hour", "2026-11-27T09:00:00Z"},
            {"answers_set_aside", false},
            {"clock_offset_s", 2},
            {"free_disk_mb", 5000},
            {"screen", "in_service"}};
}

// A collector on a free port with the fixture's config, its clock settable.
struct RunningCollector {
    CollectorConfig config = test_collector_config();
    std::unique_ptr<CollectorStore> store = open_store();
    std::atomic<UnixSeconds> now{kCollectorNow};
    LogLines log;
    CollectorServer server{config, *store, [this] { return now.load(); }, log.sink()};
    httplib::Client client{"127.0.0.1", start()};

    std::unique_ptr<CollectorStore> open_store() {
        std::string error;
        std::unique_ptr<CollectorStore> s = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(s, error);
        return s;
    }
    int start() {
        std::string error;
        REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
        return server.port();
    }
    httplib::Result post(const json& body, const std::string& token = kTerminalToken) {
        return post_text(body.dump(), token);
    }
    httplib::Result post_text(const std::string& body, const std::string& token) {
        httplib::Headers headers;
        if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
        return client.Post("/v1/heartbeat", headers, body, "application/json");
    }
    std::vector<TerminalHeartbeat> stored() {
        std::string error;
        std::optional<std::vector<TerminalHeartbeat>> all = store->heartbeats(&error);
        REQUIRE_MESSAGE(all, error);
        return *all;
    }
};

}  // namespace

TEST_CASE("the collector keeps each terminal's last heartbeat, with the time it arrived" *
          doctest::test_suite("store")) {
    RunningCollector c;
    CHECK(c.stored().empty());

    httplib::Result r = c.post(good_heartbeat());
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK_MESSAGE(r->status == 204, r->body);
    std::vector<TerminalHeartbeat> all = c.stored();
    REQUIRE(all.size() == 1);
    CHECK(all[0].terminal == "term-a");
    CHECK(all[0].received_at == kCollectorNow);
    CHECK(json::parse(all[0].report_json) == good_heartbeat());

    SUBCASE("a second heartbeat replaces the first") {
        json second = good_heartbeat();
        second["uptime_h"] = 4;
        second["screen"] = "closed";
        c.now = kCollectorNow + 900;
        r = c.post(second);
        REQUIRE(r);
        CHECK(r->status == 204);
        all = c.stored();
        REQUIRE(all.size() == 1);
        CHECK(all[0].received_at == kCollectorNow + 900);
        CHECK(json::parse(all[0].report_json) == second);
    }
    SUBCASE("one terminal's heartbeat does not touch another's") {
        json other = good_heartbeat();
        other["screen"] = "out_of_order";
        other["database_ok"] = false;
        c.now = kCollectorNow + 60;
        r = c.post(other, kOtherTerminalToken);
        REQUIRE(r);
        CHECK(r->status == 204);
        all = c.stored();
        REQUIRE(all.size() == 2);
        CHECK(all[0].terminal == "term-a");
        CHECK(json::parse(all[0].report_json) == good_heartbeat());
        CHECK(all[0].received_at == kCollectorNow);
        CHECK(all[1].terminal == "term-b");
        CHECK(json::parse(all[1].report_json) == other);
        CHECK(all[1].received_at == kCollectorNow + 60);
    }
    SUBCASE("the terminal comes from the token; a terminal named in the body is an unknown field") {
        json named = good_heartbeat();
        named["terminal"] = "term-b";
        r = c.post(named);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(json::parse(r->body)["error"].get<std::string>().find("terminal") != std::string::npos);
    }
}

TEST_CASE("a heartbeat without a terminal's token is 401 and stores nothing" * doctest::test_suite("store")) {
    RunningCollector c;
    for (const std::string& token : {std::string(), std::string("not-a-token"), kManagerToken, kAdminToken}) {
        CAPTURE(token);
        const httplib::Result r = c.post(good_heartbeat(), token);
        REQUIRE(r);
        CHECK(r->status == 401);
    }
    CHECK(c.stored().empty());
}

TEST_CASE("a bad heartbeat body is 400 naming the field, and the one before is kept" * doctest::test_suite("store")) {
    RunningCollector c;
    REQUIRE(c.post(good_heartbeat())->status == 204);

    struct Bad {
        std::string field;
        json value;  // null json with remove = true: the field left out
        bool remove = false;
    };
    const std::vector<Bad> bad = {
        {"schema", 2},
        {"version", 14},
        {"version", ""},
        {"config_version", "sha256:XYZ"},
        {"config_version", "md5:0123456789abcdef"},
        {"uptime_h", -1},
        {"uptime_h", 1.5},
        {"uptime_h", "3"},
        {"database_ok", "yes"},
        {"last_contact_hour", "2026-11-27T09:30:00Z"},
        {"last_contact_hour", 1795770000},
        {"answers_set_aside", 3},
        {"clock_offset_s", 1e12},
        {"free_disk_mb", -100},
        {"screen", "question"},
        {"screen", "thanks"},
        {"screen", nullptr},
        {"free_disk_mb", nullptr, true},
        {"answers_in_hour", 3},  // unknown: counts never travel in a heartbeat
        {"overlay", 7},
        {"overlay", ""},
        {"overlay_reverted", "with space"},
        {"overlay_reverted", std::string(81, 'a')},
    };
    for (const Bad& b : bad) {
        json body = good_heartbeat();
        if (b.remove) body.erase(b.field);
        else body[b.field] = b.value;
        CAPTURE(body.dump());
        const httplib::Result r = c.post(body);
        REQUIRE(r);
        CHECK(r->status == 400);
        const std::string error = json::parse(r->body)["error"].get<std::string>();
        CHECK_MESSAGE(error.find(b.field) != std::string::npos, error);
    }
    for (const std::string& text : {std::string("not json"), std::string("[1,2]"), std::string(5000, ' ')}) {
        const httplib::Result r = c.post_text(text, kTerminalToken);
        REQUIRE(r);
        CHECK((r->status == 400 || r->status == 413));
        CHECK(json::parse(r->body)["error"].get<std::string>().find("body") != std::string::npos);
    }
    const std::vector<TerminalHeartbeat> all = c.stored();
    REQUIRE(all.size() == 1);
    CHECK(json::parse(all[0].report_json) == good_heartbeat());
}

TEST_CASE("nulls are accepted where the terminal does not know yet") {
    json body = good_heartbeat();
    body["last_contact_hour"] = nullptr;
    body["clock_offset_s"] = nullptr;
    body["free_disk_mb"] = nullptr;
    const HeartbeatCheck check = validate_heartbeat(body.dump());
    CHECK_MESSAGE(check.report_json, check.error);
}

TEST_CASE("the terminal's heartbeat, sent by its own code over HTTP, arrives in the collector's store" *
          doctest::test_suite("store")) {
    RunningCollector c;
    const std::filesystem::path folder = temp_folder();
    const std::filesystem::path database = folder / "answers.sqlite3";
    StoreStatus status;
    REQUIRE_MESSAGE(AnswerStore::open(database, &status), status.message);

    const std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(c.server.port());
    std::vector<std::string> log;
    Heartbeat heartbeat(HeartbeatSettings{endpoint, kTerminalToken, "9.9.9-test", config_version_of("kiosk.toml bytes"), "\"sha256:00112233aabbccdd\"", "\"sha256:ffeeddccbbaa9988\""},
                        *http, 0, [&log](const std::string& line) { log.push_back(line); });
    const auto sample = [&] { return sample_hourly_facts(database, nullptr); };

    Heartbeat::Step step = heartbeat.step(kHeartbeatFirstDelay_ms, kCollectorNow, ScreenState::in_service, sample);
    CHECK(step.attempted);
    CHECK_MESSAGE(step.acknowledged, (log.empty() ? "" : log.back()));
    std::vector<TerminalHeartbeat> all = c.stored();
    REQUIRE(all.size() == 1);
    CHECK(all[0].terminal == "term-a");
    json report = json::parse(all[0].report_json);
    CHECK(report["version"] == "9.9.9-test");
    CHECK(report["config_version"] == config_version_of("kiosk.toml bytes"));
    CHECK(report["database_ok"] == true);
    CHECK(report["screen"] == "in_service");
    CHECK(report["last_contact_hour"].is_null());
    // The overlay in use and the one reverted at start: the fleet page calls that an error.
    CHECK(report["overlay"] == "\"sha256:00112233aabbccdd\"");
    CHECK(report["overlay_reverted"] == "\"sha256:ffeeddccbbaa9988\"");
    const std::optional<FleetReport> fleet = parse_fleet_report(all[0].report_json);
    REQUIRE(fleet);
    CHECK(fleet_problems(*fleet) == std::vector<FleetProblem>{FleetProblem::overlay_reverted});

    // The next, a slot later: the collector's Date gave the offset, the first ack the contact hour.
    step = heartbeat.step(kHeartbeatFirstDelay_ms + kHeartbeatInterval_ms, kCollectorNow + 900,
                          ScreenState::out_of_order, sample);
    CHECK(step.acknowledged);
    all = c.stored();
    REQUIRE(all.size() == 1);
    report = json::parse(all[0].report_json);
    CHECK(report["last_contact_hour"] == "2026-11-27T10:00:00Z");
    CHECK(report["clock_offset_s"].is_number_integer());
    CHECK(report["screen"] == "out_of_order");
    CHECK(all[0].received_at == kCollectorNow);  // the collector's injected clock did not move
}

}  // namespace collector_test_heartbeat
