// test_collector_config.cpp — the collector's config is read strictly: every
// mistake names the file, line and key; the example and demo configs load.
#include "collector/config.hpp"
#include "collector_fixture.hpp"

#include <doctest/doctest.h>

using namespace pulse;
using namespace pulse::testing;

namespace {

const std::string kHash = std::string(64, 'a');
const std::string kBank = "[bank]\nquestions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]\n";

CollectorConfigLoad load_text(const std::string& text) { return load_collector_config(write_temp(text, "c.toml")); }

}  // namespace

TEST_CASE("the test config loads with every role and its bank") {
    const CollectorConfig c = test_collector_config();
    CHECK(c.port == 0);
    CHECK(c.max_age_days == 30);
    REQUIRE(c.terminals.size() == 2);
    CHECK(c.terminals[0].workplace == "wp-a");
    CHECK(c.managers.size() == 1);
    CHECK(c.admins.size() == 1);
    REQUIRE(c.banks.size() == 1);
    CHECK(c.find_bank("2026.1") != nullptr);
    CHECK(c.workplaces() == std::vector<std::string>{"wp-a", "wp-b"});
    CHECK(std::filesystem::path(c.database).is_absolute());
}

TEST_CASE("the example and demo configs are valid") {
    for (const char* name : {"collector.example.toml", "collector.demo.toml"}) {
        CollectorConfigLoad load = load_collector_config(std::string(PULSE_SOURCE_DIR) + "/config/" + name);
        CHECK_MESSAGE(load.config, name, ":\n", all(load.errors));
    }
}

TEST_CASE("defaults apply when optional keys are absent") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x.sqlite3\"\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->listen == "127.0.0.1");
    CHECK(load.config->port == 8080);
    CHECK(load.config->max_age_days == 400);
    CHECK(load.config->min_answers == 5);
}

TEST_CASE("an unknown key, a wrong type and an out-of-range value each name their line and key") {
    CollectorConfigLoad load = load_text("[server]\nport = 70000\nhost = \"x\"\n"       // 2, 3
                                         "[storage]\ndatabase = 5\n"                    // 5
                                         "[anonymity]\nmin_answers = \"5\"\n" + kBank +  // 7
                                         "[extra]\n");                                   // 10
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 2, "[server] port = 70000 is out of range (0..65535)");
    CHECK_ERROR(load, 3, "[server] host is not a known key");
    CHECK_ERROR(load, 5, "[storage] database must be a string");
    CHECK_ERROR(load, 7, "[anonymity] min_answers must be a whole number");
    CHECK_ERROR(load, 10, "extra is not a known table");
}

TEST_CASE("a missing database and a missing bank are errors") {
    CollectorConfigLoad load = load_text("[server]\nport = 1\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 0, "[storage] database is missing");
    CHECK_ERROR(load, 0, "[bank] questions is missing");
}

TEST_CASE("a bank file with errors is reported with its own file and line") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n[bank]\nquestions = [\"nope.toml\"]\n");
    CHECK_FALSE(load.config);
    REQUIRE_FALSE(load.errors.empty());
    CHECK(load.errors[0].file.find("nope.toml") != std::string::npos);
}

TEST_CASE("duplicate terminal ids and duplicate token hashes are errors") {
    const std::string t = "[[terminal]]\nid = \"t1\"\nworkplace = \"w\"\ntoken_sha256 = \"" + kHash + "\"\n";
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank + t + t +
                                         "[[admin]]\nname = \"a\"\ntoken_sha256 = \"" + kHash + "\"\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 10, "[[terminal]] id = \"t1\" is already used on line 6");
    CHECK_ERROR(load, 12, "[[terminal]] token_sha256 is already used on line 8");
    CHECK_ERROR(load, 15, "[[admin]] token_sha256 is already used on line 8");
}

TEST_CASE("a token hash must be 64 lower-case hex digits and names must be URL-safe") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                         "[[terminal]]\nid = \"t 1\"\nworkplace = \"w\"\ntoken_sha256 = \"" +
                                         std::string(64, 'A') + "\"\n"
                                         "[[manager]]\nname = \"m\"\ntoken_sha256 = \"" + kHash +
                                         "\"\nworkplaces = []\nfoo = 1\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 6, "[[terminal]] id = \"t 1\" may hold only");
    CHECK_ERROR(load, 8, "[[terminal]] token_sha256 must be 64 lower-case hex digits");
    CHECK_ERROR(load, 12, "[[manager]] workplaces is empty");
    CHECK_ERROR(load, 13, "[[manager]] foo is not a known key");
}

TEST_CASE("a postgresql URL is kept as given, and a path is made absolute beside the config") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"postgresql://pulse@db/pulse\"\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->database == "postgresql://pulse@db/pulse");
}
