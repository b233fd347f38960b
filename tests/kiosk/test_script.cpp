// test_script.cpp — the simulator's script language.
#include "kiosk/script.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_script {

using namespace pulse;

TEST_CASE("a script parses taps by id and by point, waits and shots, skipping comments and blank lines") {
    Script s = parse_script("# a session\n\ntap start\ntap 10 20.5  # a point\nwait 2.5\nshot attract-da\n", "s.txt");
    REQUIRE(s.errors.empty());
    REQUIRE(s.steps.size() == 4);
    CHECK(s.steps[0].kind == ScriptStep::Kind::tap_id);
    CHECK(s.steps[0].name == "start");
    CHECK(s.steps[0].line == 3);
    CHECK(s.steps[1].kind == ScriptStep::Kind::tap_point);
    CHECK(s.steps[1].x == 10);
    CHECK(s.steps[1].y == 20.5f);
    CHECK(s.steps[2].seconds == 2.5);
    CHECK(s.steps[3].name == "attract-da");
    CHECK(s.steps[3].line == 6);
}

TEST_CASE("every bad script line is reported with its line number") {
    Script s = parse_script("tap start\njump 3\nwait -1\nwait soon\ntap 1 two\nshot ../escape\ntap\npull now\npull\n", "bad.txt");
    REQUIRE(s.errors.size() == 7);
    CHECK(s.errors[0].str() == "bad.txt:2: unknown command 'jump' (expected tap, wait, shot or pull)");
    CHECK(s.errors[6].line == 8);  // pull takes nothing
    REQUIRE(s.steps.size() == 2);
    CHECK(s.steps[1].kind == ScriptStep::Kind::pull);
    CHECK(s.errors[1].line == 3);
    CHECK(s.errors[2].line == 4);
    CHECK(s.errors[3].line == 5);
    CHECK(s.errors[4].line == 6);
    CHECK(s.errors[5].line == 7);
    CHECK(s.errors[5].message.find("wrong number of arguments") != std::string::npos);
}

TEST_CASE("a tap beyond any screen is refused, not turned into a tap at infinity (found by fuzz/fuzz_script)") {
    Script s = parse_script("tap 10 1e39\ntap 100001 5\ntap 100000 0\n", "far.txt");
    REQUIRE(s.errors.size() == 2);
    CHECK(s.errors[0].str() == "far.txt:1: tap needs two pixel coordinates from 0 to 100000, got '10 1e39'");
    CHECK(s.errors[1].line == 2);
    REQUIRE(s.steps.size() == 1);
    CHECK(s.steps[0].x == 100000.0f);
}

TEST_CASE("an unreadable script file is one clear error") {
    Script s = load_script("/nonexistent/script.txt");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].str() == "/nonexistent/script.txt: cannot read the script file");
}

}  // namespace kiosk_test_script
