// test_flow.cpp — the employee flow as a pure state machine on a fake clock.
#include "terminal/flow.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_flow {

using namespace pulse;

namespace {

struct Fixture {
    FlowSettings settings{3, 20'000, 3'000, 5'000, "da"};
    Flow flow = make_flow(settings, 0);
    std::vector<GivenAnswer> given;
    int picks = 0;
    SessionPicker pick = [this](int n) {
        ++picks;
        std::vector<std::string> all = {"1.1", "2.1", "3.1"};
        all.resize(static_cast<std::size_t>(n));
        return all;
    };

    bool tap(Intent::Action a, Millis now, int value = 0, std::string lang = {}) {
        return step(flow, Intent{a, value, std::move(lang)}, now, pick, &given);
    }
};

using A = Intent::Action;

}  // namespace

TEST_CASE("a new flow waits on the attract screen in the terminal's language with nothing due") {
    Fixture f;
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.language == "da");
    CHECK_FALSE(next_deadline(f.flow).has_value());
    CHECK_FALSE(tick(f.flow, 10'000'000));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("a tap on start begins a session with per_session questions") {
    Fixture f;
    CHECK(f.tap(A::start, 1000));
    CHECK(f.flow.screen == Screen::question);
    CHECK(f.flow.session.size() == 3);
    CHECK(f.flow.current_question() == "1.1");
    CHECK(next_deadline(f.flow) == 21'000);
}

TEST_CASE("no session starts when the picker has no question") {
    Fixture f;
    f.pick = [](int) { return std::vector<std::string>{}; };
    CHECK_FALSE(f.tap(A::start, 0));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("answers, don't know and skip each move to the next question, and only answers are given") {
    Fixture f;
    f.tap(A::start, 0);
    CHECK(f.tap(A::answer, 1000, 4));
    CHECK(f.flow.current_question() == "2.1");
    CHECK(f.tap(A::skip, 2000));
    CHECK(f.flow.current_question() == "3.1");
    CHECK(f.tap(A::dont_know, 3000));
    REQUIRE(f.given.size() == 2);
    CHECK(f.given[0].question == "1.1");
    CHECK(f.given[0].value == 4);
    CHECK(f.given[0].language == "da");
    CHECK(f.given[1].question == "3.1");
    CHECK_FALSE(f.given[1].value.has_value());
    CHECK(f.flow.answered == 2);
}

TEST_CASE("an answer value outside 1..5 is ignored") {
    Fixture f;
    f.tap(A::start, 0);
    CHECK_FALSE(f.tap(A::answer, 10, 0));
    CHECK_FALSE(f.tap(A::answer, 10, 6));
    CHECK(f.given.empty());
    CHECK(f.flow.index == 0);
}

TEST_CASE("the person is thanked only once every answer of the session is durable") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 100, 5);
    f.tap(A::answer, 200, 1);
    f.tap(A::answer, 300, 3);
    CHECK(f.flow.screen == Screen::saving);
    CHECK_FALSE(next_deadline(f.flow).has_value());
    on_answers_durable(f.flow, 2, 310);
    CHECK(f.flow.screen == Screen::saving);
    on_answers_durable(f.flow, 1, 320);
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(next_deadline(f.flow) == 320 + 3000);
}

TEST_CASE("answers already durable when the session ends go straight to thanks") {
    Fixture f;
    f.settings.per_session = 1;
    f.flow = make_flow(f.settings, 0);
    f.tap(A::start, 0);
    f.tap(A::answer, 100, 2);
    on_answers_durable(f.flow, 1, 100);  // the store was quicker than the person
    CHECK(f.flow.screen == Screen::thanks);
}

TEST_CASE("a session of only skips thanks without waiting for the store") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::skip, 1);
    f.tap(A::skip, 2);
    f.tap(A::skip, 3);
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(f.flow.answered == 0);
    CHECK(f.given.empty());
}

TEST_CASE("thanks ends exactly at thanks_ms and cooldown exactly at cooldown_ms") {
    Fixture f;
    f.tap(A::start, 0);
    for (int i = 0; i < 3; ++i) f.tap(A::skip, 10);
    REQUIRE(f.flow.screen == Screen::thanks);
    CHECK_FALSE(tick(f.flow, 10 + 2999));
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(tick(f.flow, 10 + 3000));
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK_FALSE(tick(f.flow, 3010 + 4999));
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK(tick(f.flow, 3010 + 5000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK_FALSE(next_deadline(f.flow).has_value());
}

TEST_CASE("with no cooldown configured, thanks returns straight to attract") {
    Fixture f;
    f.settings.cooldown_ms = 0;
    f.flow = make_flow(f.settings, 0);
    f.tap(A::start, 0);
    for (int i = 0; i < 3; ++i) f.tap(A::skip, 0);
    CHECK(tick(f.flow, 3000));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("taps during thanks and cooldown are ignored") {
    Fixture f;
    f.tap(A::start, 0);
    for (int i = 0; i < 3; ++i) f.tap(A::skip, 0);
    REQUIRE(f.flow.screen == Screen::thanks);
    for (A a : {A::start, A::answer, A::dont_know, A::skip, A::set_language}) {
        CHECK_FALSE(f.tap(a, 500, 3, "en"));
    }
    CHECK(f.flow.screen == Screen::thanks);
    tick(f.flow, 3000);
    REQUIRE(f.flow.screen == Screen::cooldown);
    const int picks_before = f.picks;
    for (A a : {A::start, A::answer, A::dont_know, A::skip, A::set_language}) {
        CHECK_FALSE(f.tap(a, 4000, 3, "en"));
    }
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK(f.picks == picks_before);
    CHECK(f.flow.language == "da");
}

TEST_CASE("the idle timeout fires exactly at the limit after the last tap, not before") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 5000, 3);  // a tap restarts the idle clock
    CHECK(next_deadline(f.flow) == 25'000);
    CHECK_FALSE(tick(f.flow, 24'999));
    CHECK(f.flow.screen == Screen::question);
    CHECK(tick(f.flow, 25'000));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("a timeout during a question keeps the answers already given") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 1000, 2);
    f.tap(A::dont_know, 2000);
    REQUIRE(f.given.size() == 2);
    CHECK(tick(f.flow, 22'000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.given.size() == 2);   // handed to the store; nothing taken back
    CHECK(f.flow.unsaved == 2);   // still counted until the store confirms
    on_answers_durable(f.flow, 2, 22'100);
    CHECK(f.flow.screen == Screen::attract);  // durability later never shows thanks to nobody
    CHECK(f.flow.unsaved == 0);
}

TEST_CASE("the language toggle works on attract and on a question, and resets after the session") {
    Fixture f;
    CHECK(f.tap(A::set_language, 0, 0, "en"));
    CHECK(f.flow.language == "en");
    CHECK_FALSE(f.tap(A::set_language, 0, 0, "en"));  // no change
    f.tap(A::start, 0);
    f.tap(A::answer, 100, 5);
    CHECK(f.given.back().language == "en");
    CHECK(f.tap(A::set_language, 19'000, 0, "da"));
    CHECK(next_deadline(f.flow) == 39'000);  // switching language counts as activity
    f.tap(A::answer, 19'500, 1);
    CHECK(f.given.back().language == "da");
    f.tap(A::skip, 19'600);
    on_answers_durable(f.flow, 2, 19'600);
    tick(f.flow, 30'000);
    tick(f.flow, 40'000);
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.language == "da");
}

TEST_CASE("an answer on the attract screen is ignored") {
    Fixture f;
    CHECK_FALSE(f.tap(A::answer, 0, 3));
    CHECK_FALSE(f.tap(A::skip, 0));
    CHECK(f.given.empty());
}

TEST_CASE("a store failure shows out of order, ignores taps, and recovery returns to attract") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 10, 4);
    on_store_failed(f.flow, "DB-13", 20);
    CHECK(f.flow.screen == Screen::out_of_order);
    CHECK(f.flow.fault_code == "DB-13");
    CHECK_FALSE(f.tap(A::start, 30));
    CHECK_FALSE(tick(f.flow, 1'000'000));
    CHECK(f.flow.unsaved == 1);  // the answer is still owed by the store
    on_store_recovered(f.flow, 2000);
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.fault_code.empty());
    on_answers_durable(f.flow, 1, 2001);
    CHECK(f.flow.unsaved == 0);
}

TEST_CASE("screen names are the ones the simulator prints") {
    CHECK(std::string(screen_name(Screen::attract)) == "attract");
    CHECK(std::string(screen_name(Screen::question)) == "question");
    CHECK(std::string(screen_name(Screen::saving)) == "saving");
    CHECK(std::string(screen_name(Screen::thanks)) == "thanks");
    CHECK(std::string(screen_name(Screen::cooldown)) == "cooldown");
    CHECK(std::string(screen_name(Screen::out_of_order)) == "out_of_order");
}

// [SECTION] Opening hours

TEST_CASE("at closing time the attract screen goes dark, and at opening it returns to attract") {
    Fixture f;
    CHECK(on_hours(f.flow, false, 1000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK_FALSE(f.flow.closed_message);
    CHECK_FALSE(next_deadline(f.flow).has_value());  // dark until something happens
    CHECK_FALSE(on_hours(f.flow, false, 2000));      // still closed: nothing changes
    CHECK(on_hours(f.flow, true, 3000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.since_ms == 3000);
}

TEST_CASE("outside the hours a tap starts no session and gives no answer: it shows the closed message for 10 s") {
    Fixture f;
    on_hours(f.flow, false, 0);
    CHECK(f.tap(A::start, 1000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.flow.closed_message);
    CHECK(f.picks == 0);
    CHECK(f.flow.session.empty());
    CHECK_FALSE(f.tap(A::answer, 1100, 4));
    CHECK_FALSE(f.tap(A::dont_know, 1200));
    CHECK_FALSE(f.tap(A::set_language, 1300, 0, "en"));
    CHECK(f.given.empty());
    CHECK(next_deadline(f.flow) == 11'000);
    CHECK_FALSE(tick(f.flow, 10'999));
    CHECK(f.flow.closed_message);
    CHECK(tick(f.flow, 11'000));
    CHECK(f.flow.screen == Screen::closed);  // dark again
    CHECK_FALSE(f.flow.closed_message);
    CHECK_FALSE(next_deadline(f.flow).has_value());
}

TEST_CASE("a session under way at closing time is finished, then the screen goes dark without a cooldown") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 1000, 4);
    CHECK_FALSE(on_hours(f.flow, false, 1500));
    CHECK(f.flow.screen == Screen::question);  // not cut off mid-sentence
    f.tap(A::answer, 2000, 2);
    f.tap(A::skip, 3000);
    CHECK(f.given.size() == 2);
    on_answers_durable(f.flow, 2, 3000);
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(tick(f.flow, 6000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.flow.language == "da");
    CHECK(f.flow.session.empty());
}

TEST_CASE("a session abandoned after closing time ends at the idle timeout, on the dark screen") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::answer, 1000, 4);
    on_hours(f.flow, false, 1500);
    CHECK(tick(f.flow, 21'000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.given.size() == 1);  // the answer already given is kept
}

TEST_CASE("closing during cooldown goes dark at once; out of order stays visible until the store recovers") {
    Fixture f;
    f.tap(A::start, 0);
    f.tap(A::skip, 1);
    f.tap(A::skip, 2);
    f.tap(A::skip, 3);
    tick(f.flow, 3003);
    REQUIRE(f.flow.screen == Screen::cooldown);
    CHECK(on_hours(f.flow, false, 4000));
    CHECK(f.flow.screen == Screen::closed);

    Fixture g;
    on_store_failed(g.flow, "DB-13", 0);
    CHECK_FALSE(on_hours(g.flow, false, 10));
    CHECK(g.flow.screen == Screen::out_of_order);
    on_store_recovered(g.flow, 20);
    CHECK(g.flow.screen == Screen::closed);
}

}  // namespace terminal_test_flow
