// test_commands.cpp — `check` and `status`, as IT uses them (status's upload
// fields and clock offset after a real upload are in test_sync.cpp).
#include "sim_env.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_commands {

using namespace pulse;
using namespace pulse::test;

TEST_CASE("check accepts the shipped demo and example configs") {
    for (const char* name : {"demo.toml", "terminal.example.toml"}) {
        std::ostringstream out, err;
        CHECK_MESSAGE(cmd_check(std::filesystem::path(PULSE_SOURCE_DIR) / "config" / name, out, err) == 0, err.str());
        CHECK(out.str().find("28 active questions") != std::string::npos);
    }
}

TEST_CASE("check reports every error as FILE:LINE: message and exits 2") {
    SimEnv env("per_session = 0\nidle_timeout_s = \"soon\"\ncolour = \"red\"\n");
    std::ostringstream out, err;
    CHECK(cmd_check(env.config, out, err) == 2);
    const std::string f = env.config.string();
    CHECK(err.str().find(f + ":8: [pulse] per_session = 0 is out of range (1..3)") != std::string::npos);
    CHECK(err.str().find(f + ":9: [pulse] idle_timeout_s must be a number") != std::string::npos);
    CHECK(err.str().find(f + ":10: [pulse] colour is not a known key") != std::string::npos);
    CHECK(err.str().find("colour") != std::string::npos);
    CHECK(out.str().empty());
}

TEST_CASE("status reports the stored answers of all time and of this Copenhagen week as JSON") {
    SimEnv env;
    std::ostringstream out, err;
    const UnixSeconds monday_morning = *parse_iso8601("2026-11-23T08:00:00Z");  // week 48
    REQUIRE(cmd_status(env.config, monday_morning, out, err) == 0);
    nlohmann::json j = nlohmann::json::parse(out.str());
    CHECK(j["answers_total"] == 0);
    CHECK(j["database_ok"] == true);

    // Two answers on Sunday of week 47 (local time), one on Monday of week 48.
    REQUIRE(env.simulate("tap answer-1\nwait 0.4\ntap answer-2\nwait 0.4\ntap skip\n", "", 1, "2026-11-22T21:30:00Z").exit_code == 0);
    REQUIRE(env.simulate("tap answer-3\nwait 0.4\ntap skip\ntap skip\n", "", 2, "2026-11-22T23:10:00Z").exit_code == 0);
    out.str("");
    REQUIRE(cmd_status(env.config, monday_morning, out, err) == 0);
    j = nlohmann::json::parse(out.str());
    CHECK(j["answers_total"] == 3);
    CHECK(j["answers_this_week"] == 1);
    CHECK(j["pending_upload"] == 3);
    CHECK(j["waiting_for_hour_end"] == 0);  // Sunday's hours have all ended
    CHECK(j["week"] == "2026-W48");
    CHECK(j["terminal"] == "test-1");
    CHECK(j["upload"] == "offline");
}

TEST_CASE("status counts the running hour's answers in pending_upload and shows them as waiting_for_hour_end") {
    SimEnv env;
    std::ostringstream out, err;
    REQUIRE(cmd_status(env.config, *parse_iso8601("2026-11-27T09:00:00Z"), out, err) == 0);
    CHECK(nlohmann::json::parse(out.str())["waiting_for_hour_end"] == 0);  // no database yet

    REQUIRE(env.simulate("tap answer-1\nwait 0.4\ntap answer-2\nwait 0.4\ntap skip\n", "", 1, "2026-11-27T08:59:00Z").exit_code == 0);
    REQUIRE(env.simulate("tap answer-3\nwait 0.4\ntap answer-4\nwait 0.4\ntap answer-5\nwait 0.4\n", "", 2, "2026-11-27T09:41:00Z").exit_code == 0);
    auto status_at = [&](const char* when) {
        out.str("");
        REQUIRE(cmd_status(env.config, *parse_iso8601(when), out, err) == 0);
        return nlohmann::json::parse(out.str());
    };
    nlohmann::json j = status_at("2026-11-27T09:59:59Z");  // 09:00–10:00 is still running
    CHECK(j["pending_upload"] == 5);
    CHECK(j["waiting_for_hour_end"] == 3);
    j = status_at("2026-11-27T10:00:00Z");  // ... and now it has ended
    CHECK(j["pending_upload"] == 5);
    CHECK(j["waiting_for_hour_end"] == 0);
}

TEST_CASE("status shows clock_offset_s: null until an upload measured it, then the latest the uploader stored") {
    SimEnv env;
    const UnixSeconds now = *parse_iso8601("2026-11-27T09:30:00Z");
    auto status = [&] {
        std::ostringstream out, err;
        REQUIRE_MESSAGE(cmd_status(env.config, now, out, err) == 0, err.str());
        return nlohmann::json::parse(out.str());
    };
    CHECK(status()["clock_offset_s"].is_null());  // no database yet
    REQUIRE(env.simulate("tap answer-1\nwait 0.4\ntap skip\ntap skip\n", "", 1, "2026-11-27T09:10:00Z").exit_code == 0);
    CHECK(status()["clock_offset_s"].is_null());  // answers, but nothing uploaded yet

    StoreStatus error;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(env.db, &error);
    REQUIRE_MESSAGE(store, error.message);
    REQUIRE(store->upload_queue().put_upload_fact("clock_offset_s", "-75"));  // as the uploader keeps it
    CHECK(status()["clock_offset_s"] == -75);
    REQUIRE(store->upload_queue().put_upload_fact("clock_offset_s", "3600"));
    CHECK(status()["clock_offset_s"] == 3600);
}

}  // namespace kiosk_test_commands
