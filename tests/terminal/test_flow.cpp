// test_flow.cpp — the employee flow as a pure state machine on a fake clock:
// the first tap on attract is an answer ([pulse] start = "question", the
// default) or opens the questions (start = "button"); the check mark, back,
// the idle warning, the about screen; answers leave the flow only when the
// session ends; thanks, cooldown, store faults and opening hours.
#include "terminal/flow.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_flow {

using namespace pulse;

namespace {

using A = Intent::Action;

struct Fixture {
    FlowSettings settings = [] {
        FlowSettings s;  // the defaults: 3 per session, 20 s idle + 10 s warning, 400 ms check mark
        s.thanks_ms = 3'000;
        s.cooldown_ms = 5'000;
        s.undo_ms = 0;  // thanks and cooldown as configured without undo; the undo tests turn it on
        return s;
    }();
    Flow flow = make_flow(settings, 0);
    std::vector<GivenAnswer> given;  // every answer the flow handed over, in order
    int picks = 0;
    SessionPicker pick = [this](int n) {
        ++picks;
        std::vector<std::string> all = {"1.1", "2.1", "3.1"};
        all.resize(static_cast<std::size_t>(n));
        return all;
    };

    // A fresh flow with settings, its first session prepared as the terminal does.
    void restart() {
        picks = 0;
        flow = make_flow(settings, 0);
        prepare_session(flow, pick);
    }
    Fixture() { prepare_session(flow, pick); }

    bool tap(A a, Millis now, int value = 0, std::string lang = {}) {
        return step(flow, Intent{a, value, std::move(lang)}, now, pick, &given);
    }
    // Fires the timers at now and collects what the flow handed over.
    bool tick_at(Millis now) {
        const bool changed = tick(flow, now);
        for (GivenAnswer& a : take_answers(flow)) given.push_back(std::move(a));
        prepare_session(flow, pick);  // as the terminal does after every event
        return changed;
    }
    // An answer (value 1..5, 0 = don't know) at now, and the check mark's end.
    void answer(Millis now, int value) {
        REQUIRE(tap(value == 0 ? A::dont_know : A::answer, now, value));
        REQUIRE(tick_at(now + settings.confirm_ms));
    }
};

}  // namespace

TEST_CASE("a new flow rests on attract showing the first statement of a session already picked, with nothing due") {
    Fixture f;
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.language == "da");
    CHECK(f.picks == 1);
    CHECK(f.flow.current_question() == "1.1");
    CHECK_FALSE(next_deadline(f.flow).has_value());
    CHECK_FALSE(f.tick_at(10'000'000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK_FALSE(prepare_session(f.flow, f.pick));  // one is ready: no new pick
    CHECK(f.picks == 1);
}

TEST_CASE("the first tap on attract is the answer to the statement shown: a check mark for 400 ms, then statement 2") {
    Fixture f;
    CHECK(f.tap(A::answer, 1000, 4));
    CHECK(f.flow.screen == Screen::attract);  // the check mark shows where the person tapped
    CHECK(f.flow.confirming);
    CHECK(f.flow.chosen == 4);
    CHECK(next_deadline(f.flow) == 1400);
    CHECK_FALSE(f.tap(A::answer, 1100, 2));  // taps during the check mark are ignored
    CHECK_FALSE(f.tap(A::set_language, 1100, 0, "en"));
    CHECK_FALSE(f.tick_at(1399));
    CHECK(f.tick_at(1400));
    CHECK(f.flow.screen == Screen::question);
    CHECK(f.flow.current_question() == "2.1");
    CHECK(f.flow.chosen == -1);
    CHECK(f.given.empty());  // answers stay in memory until the session ends
    CHECK(next_deadline(f.flow) == 1400 + 20'000);
}

TEST_CASE("answers, don't know and skip each move on; only answers are handed over, all at the session's end") {
    Fixture f;
    f.answer(1000, 4);
    f.answer(2000, 0);  // don't know: checked like an answer
    CHECK(f.given.empty());
    CHECK(f.tap(A::skip, 3000));  // skip: at once, no check mark; the session ends
    REQUIRE(f.given.size() == 2);
    CHECK(f.given[0].question == "1.1");
    CHECK(f.given[0].value == 4);
    CHECK(f.given[0].language == "da");
    CHECK(f.given[1].question == "2.1");
    CHECK_FALSE(f.given[1].value.has_value());
    CHECK(f.flow.answered == 2);
    CHECK(f.flow.unsaved == 2);
    CHECK(f.flow.screen == Screen::saving);
}

TEST_CASE("back changes the previous answer: it is replaced, not added, and a skip after back withdraws it") {
    Fixture f;
    CHECK_FALSE(f.tap(A::back, 500));  // nothing before the first statement
    f.answer(1000, 5);                 // 1.1 = 5
    REQUIRE(f.flow.current_question() == "2.1");
    CHECK(f.tap(A::back, 2000));
    CHECK(f.flow.current_question() == "1.1");
    CHECK(f.flow.screen == Screen::question);
    CHECK(f.flow.chosen == 5);          // the earlier answer shows its check mark
    CHECK_FALSE(f.flow.confirming);
    CHECK(next_deadline(f.flow) == 22'000);  // back is activity
    f.answer(3000, 2);                  // 1.1 = 2, replacing 5
    f.answer(4000, 3);                  // 2.1 = 3
    CHECK(f.tap(A::back, 5000));        // from 3.1 back to 2.1 ...
    CHECK(f.flow.chosen == 3);
    CHECK(f.tap(A::skip, 6000));        // ... which is skipped now: its answer is withdrawn
    CHECK(f.flow.current_question() == "3.1");
    CHECK(f.flow.chosen == -1);
    f.answer(7000, 1);                  // 3.1 = 1: the session ends
    REQUIRE(f.given.size() == 2);
    CHECK(f.given[0].question == "1.1");
    CHECK(f.given[0].value == 2);
    CHECK(f.given[1].question == "3.1");
    CHECK(f.given[1].value == 1);
    CHECK(f.flow.answered == 2);
}

TEST_CASE("no session starts when the picker has no question") {
    Fixture f;
    f.pick = [](int) { return std::vector<std::string>{}; };
    f.restart();
    CHECK(f.flow.current_question().empty());
    CHECK_FALSE(f.tap(A::answer, 0, 3));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("with start = button the attract screen shows no statement: a tap on start opens the first, answers there are ignored") {
    Fixture f;
    f.settings.start_with_question = false;
    f.restart();
    CHECK(f.picks == 0);  // nothing is picked before the tap
    CHECK(f.flow.current_question().empty());
    CHECK_FALSE(f.tap(A::answer, 0, 3));
    CHECK_FALSE(f.tap(A::dont_know, 0));
    CHECK(f.tap(A::start, 1000));
    CHECK(f.flow.screen == Screen::question);
    CHECK(f.flow.session.size() == 3);
    CHECK(f.flow.current_question() == "1.1");
    CHECK(next_deadline(f.flow) == 21'000);
    f.answer(2000, 4);
    CHECK(f.flow.current_question() == "2.1");
}

TEST_CASE("start does nothing on attract with start = question (the statement is the start)") {
    Fixture f;
    CHECK_FALSE(f.tap(A::start, 0));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("the person is thanked only once every answer of the session is durable") {
    Fixture f;
    f.answer(0, 5);
    f.answer(1000, 1);
    f.answer(2000, 3);
    CHECK(f.flow.screen == Screen::saving);
    CHECK(f.given.size() == 3);
    CHECK_FALSE(next_deadline(f.flow).has_value());
    on_answers_durable(f.flow, 2, 2410);
    CHECK(f.flow.screen == Screen::saving);
    on_answers_durable(f.flow, 1, 2420);
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(next_deadline(f.flow) == 2420 + 3000);
}

TEST_CASE("one statement per session: the first tap's answer ends it after the check mark") {
    Fixture f;
    f.settings.per_session = 1;
    f.restart();
    f.answer(0, 2);
    CHECK(f.flow.screen == Screen::saving);
    REQUIRE(f.given.size() == 1);
    on_answers_durable(f.flow, 1, 500);
    CHECK(f.flow.screen == Screen::thanks);
}

TEST_CASE("a session of an answer and then only skips thanks once that answer is durable") {
    Fixture f;
    f.answer(0, 3);
    f.tap(A::skip, 1000);
    f.tap(A::skip, 2000);
    CHECK(f.flow.screen == Screen::saving);
    CHECK(f.flow.answered == 1);
    on_answers_durable(f.flow, 1, 2000);
    CHECK(f.flow.screen == Screen::thanks);
}

TEST_CASE("thanks ends exactly at thanks_ms, cooldown exactly at cooldown_ms, and then the next session is ready") {
    Fixture f;
    f.answer(0, 3);
    f.tap(A::skip, 10);
    f.tap(A::skip, 10);
    on_answers_durable(f.flow, 1, 10);
    REQUIRE(f.flow.screen == Screen::thanks);
    CHECK_FALSE(f.tick_at(10 + 2999));
    CHECK(f.tick_at(10 + 3000));
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK(f.flow.session.empty());
    CHECK_FALSE(f.tick_at(3010 + 4999));
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK(f.tick_at(3010 + 5000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.picks == 2);
    CHECK(f.flow.current_question() == "1.1");
    CHECK_FALSE(next_deadline(f.flow).has_value());
}

TEST_CASE("with no cooldown configured, thanks returns straight to attract") {
    Fixture f;
    f.settings.cooldown_ms = 0;
    f.restart();
    f.answer(0, 3);
    f.tap(A::skip, 500);
    f.tap(A::skip, 600);
    on_answers_durable(f.flow, 1, 600);
    CHECK(f.tick_at(3600));
    CHECK(f.flow.screen == Screen::attract);
}

TEST_CASE("taps during thanks and cooldown are ignored") {
    Fixture f;
    f.answer(0, 3);
    f.tap(A::skip, 500);
    f.tap(A::skip, 600);
    on_answers_durable(f.flow, 1, 600);
    REQUIRE(f.flow.screen == Screen::thanks);
    for (A a : {A::start, A::answer, A::dont_know, A::skip, A::set_language, A::back, A::about}) {
        CHECK_FALSE(f.tap(a, 700, 3, "en"));
    }
    f.tick_at(3600);
    REQUIRE(f.flow.screen == Screen::cooldown);
    const int picks_before = f.picks;
    for (A a : {A::start, A::answer, A::dont_know, A::skip, A::set_language, A::back, A::about}) {
        CHECK_FALSE(f.tap(a, 4000, 3, "en"));
    }
    CHECK(f.flow.screen == Screen::cooldown);
    CHECK(f.picks == picks_before);
    CHECK(f.flow.language == "da");
}

TEST_CASE("undo: thanks offers it for 10 s in place of the cooldown; a tap removes the session and says so") {
    Fixture f;
    f.settings.undo_ms = 10'000;
    f.restart();
    f.answer(0, 3);
    f.answer(1000, 4);
    f.answer(2000, 0);
    REQUIRE(f.flow.screen == Screen::saving);
    CHECK(f.flow.undo_offered);
    CHECK_FALSE(f.tap(A::undo, 2500));  // not before the thanks screen shows
    on_answers_durable(f.flow, 3, 2600);
    REQUIRE(f.flow.screen == Screen::thanks);
    CHECK(thanks_duration(f.flow) == 10'000);
    CHECK(next_deadline(f.flow) == 2600 + 10'000);
    CHECK(f.tap(A::undo, 9000));
    CHECK(f.flow.undone);
    CHECK_FALSE(f.flow.undo_offered);
    CHECK_FALSE(f.tap(A::undo, 9100));  // once
    CHECK(next_deadline(f.flow) == 9000 + 3000);  // "removed" shows for thanks_ms
    CHECK(f.tick_at(12'000));
    CHECK(f.flow.screen == Screen::cooldown);  // then the cooldown, in full
    CHECK(next_deadline(f.flow) == 12'000 + 5000);
    CHECK_FALSE(f.flow.undone);
}

TEST_CASE("undo not taken: the thanks screen lasts the undo window and then the next statement shows at once") {
    Fixture f;
    f.settings.undo_ms = 10'000;
    f.restart();
    f.answer(0, 5);
    f.tap(A::skip, 500);
    f.tap(A::skip, 600);
    on_answers_durable(f.flow, 1, 600);
    REQUIRE(f.flow.screen == Screen::thanks);
    CHECK_FALSE(f.tick_at(600 + 9999));
    CHECK(f.tick_at(600 + 10'000));
    CHECK(f.flow.screen == Screen::attract);  // 10 s ≥ thanks 3 s + cooldown 5 s
    CHECK_FALSE(f.flow.undo_offered);
    CHECK_FALSE(f.tap(A::undo, 10'700));
}

TEST_CASE("no undo for a session left by the idle warning, one that answered nothing, or one a store fault ended") {
    Fixture f;
    f.settings.undo_ms = 10'000;
    f.restart();
    f.answer(0, 2);
    f.tick_at(400 + 20'000);
    f.tick_at(400 + 30'000);  // the warning ran out: back to attract, the answer handed over
    CHECK(f.flow.screen == Screen::attract);
    CHECK_FALSE(f.flow.undo_offered);
    CHECK(f.given.size() == 1);

    f.tap(A::dont_know, 40'000);  // a new session, then only skips: "ved ikke" is an answer
    f.tick_at(40'400);
    f.tap(A::skip, 41'000);
    f.tap(A::skip, 41'100);
    CHECK(f.flow.undo_offered);  // one answer: undo is offered

    Fixture g;
    g.settings.undo_ms = 10'000;
    g.settings.start_with_question = false;
    g.restart();
    g.tap(A::start, 0);
    for (int i = 0; i < 3; ++i) g.tap(A::skip, 100 + i);
    CHECK(g.flow.screen == Screen::thanks);
    CHECK_FALSE(g.flow.undo_offered);  // nothing answered: nothing to undo
    CHECK_FALSE(g.tap(A::undo, 200));

    Fixture h;
    h.settings.undo_ms = 10'000;
    h.restart();
    h.answer(0, 1);
    h.answer(1000, 1);
    h.answer(2000, 1);
    on_store_failed(h.flow, "DB-13", 2500);
    CHECK_FALSE(h.flow.undo_offered);
}

TEST_CASE("idle on a question: the warning at 20 s, 10 s more to stay, then the session is left with what it has") {
    Fixture f;
    f.answer(0, 4);  // statement 2 from 400 ms
    CHECK(next_deadline(f.flow) == 20'400);
    CHECK_FALSE(f.tick_at(20'399));
    CHECK_FALSE(f.flow.still_there);
    CHECK(f.tick_at(20'400));
    CHECK(f.flow.still_there);
    CHECK(f.flow.screen == Screen::question);
    CHECK(next_deadline(f.flow) == 30'400);
    CHECK_FALSE(f.tap(A::answer, 21'000, 2));  // under the warning only "yes, continue" counts
    CHECK(f.tap(A::stay, 25'000));
    CHECK_FALSE(f.flow.still_there);
    CHECK(next_deadline(f.flow) == 45'000);  // a full idle time again
    CHECK(f.tick_at(45'000));
    CHECK(f.tick_at(55'000));
    CHECK(f.flow.screen == Screen::attract);
    REQUIRE(f.given.size() == 1);  // the answer given is kept, handed over now
    CHECK(f.given[0].value == 4);
    CHECK(f.flow.unsaved == 1);
    on_answers_durable(f.flow, 1, 55'100);
    CHECK(f.flow.screen == Screen::attract);  // durability later never shows thanks to nobody
    CHECK(f.flow.current_question() == "1.1");  // the next person's statement
}

TEST_CASE("the defaults leave an abandoned question within 40 s: idle 20 s plus the 10 s warning") {
    const FlowSettings defaults;
    CHECK(defaults.idle_timeout_ms + defaults.idle_warning_ms < 40'000);
    CHECK(defaults.confirm_ms == 400);
    CHECK(defaults.start_with_question);
}

TEST_CASE("the language switch works on attract and on a question; answers carry it; it resets after the session and when attract is idle") {
    Fixture f;
    CHECK(f.tap(A::set_language, 0, 0, "en"));
    CHECK(f.flow.language == "en");
    CHECK_FALSE(f.tap(A::set_language, 0, 0, "en"));  // no change
    CHECK(next_deadline(f.flow) == 20'000);           // an idle attract goes back to Danish
    CHECK(f.tick_at(20'000));
    CHECK(f.flow.language == "da");
    CHECK_FALSE(next_deadline(f.flow).has_value());

    f.tap(A::set_language, 30'000, 0, "en");
    f.answer(31'000, 5);
    CHECK(f.tap(A::set_language, 40'000, 0, "da"));
    CHECK(next_deadline(f.flow) == 60'000);  // switching language counts as activity
    f.answer(41'000, 1);
    f.tap(A::skip, 42'000);
    REQUIRE(f.given.size() == 2);
    CHECK(f.given[0].language == "en");
    CHECK(f.given[1].language == "da");
    on_answers_durable(f.flow, 2, 42'000);
    f.tick_at(45'000);
    f.tick_at(50'000);
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.language == "da");
}

TEST_CASE("the about screen opens from attract, keeps the prepared statement, and closes on close or after a minute") {
    Fixture f;
    CHECK(f.tap(A::about, 1000));
    CHECK(f.flow.screen == Screen::about);
    CHECK_FALSE(f.tap(A::answer, 1100, 3));
    CHECK(f.tap(A::set_language, 1200, 0, "en"));
    CHECK(f.tap(A::close, 2000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.current_question() == "1.1");
    CHECK(f.picks == 1);
    CHECK(f.tap(A::about, 3000));
    CHECK(next_deadline(f.flow) == 63'000);
    CHECK(f.tick_at(63'000));
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.flow.language == "da");
    CHECK(f.given.empty());
}

TEST_CASE("a store failure mid-session hands its answers over, shows out of order, ignores taps, and recovery returns to attract") {
    Fixture f;
    f.answer(0, 4);
    on_store_failed(f.flow, "DB-13", 1000);
    for (GivenAnswer& a : take_answers(f.flow)) f.given.push_back(std::move(a));
    CHECK(f.flow.screen == Screen::out_of_order);
    CHECK(f.flow.fault_code == "DB-13");
    REQUIRE(f.given.size() == 1);  // the writer keeps it; nothing answered is dropped
    CHECK_FALSE(f.tap(A::answer, 1100, 2));
    CHECK_FALSE(f.tick_at(1'000'000));
    CHECK(f.flow.unsaved == 1);
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
    CHECK(std::string(screen_name(Screen::closed)) == "closed");
    CHECK(std::string(screen_name(Screen::about)) == "about");
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
    const int picks = f.picks;
    CHECK(f.tap(A::start, 1000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.flow.closed_message);
    CHECK(f.picks == picks);
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
    CHECK(f.tap(A::answer, 1000, 4));
    CHECK_FALSE(on_hours(f.flow, false, 1200));  // the first answer's check mark on attract: not cut off
    CHECK(f.flow.screen == Screen::attract);
    CHECK(f.tick_at(1400));
    CHECK(f.flow.screen == Screen::question);
    f.answer(2000, 2);
    f.tap(A::skip, 3000);
    CHECK(f.given.size() == 2);
    on_answers_durable(f.flow, 2, 3000);
    CHECK(f.flow.screen == Screen::thanks);
    CHECK(f.tick_at(6000));
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.flow.language == "da");
    CHECK(f.flow.session.empty());
}

TEST_CASE("a session abandoned after closing time ends after the idle warning, on the dark screen") {
    Fixture f;
    f.answer(1000, 4);
    on_hours(f.flow, false, 1500);
    CHECK(f.tick_at(21'400));  // the warning
    CHECK(f.tick_at(31'400));  // left
    CHECK(f.flow.screen == Screen::closed);
    CHECK(f.given.size() == 1);  // the answer given is kept
}

TEST_CASE("closing during cooldown or on the about screen goes dark at once; out of order stays visible until the store recovers") {
    Fixture f;
    f.answer(0, 3);
    f.tap(A::skip, 500);
    f.tap(A::skip, 600);
    on_answers_durable(f.flow, 1, 600);
    f.tick_at(3600);
    REQUIRE(f.flow.screen == Screen::cooldown);
    CHECK(on_hours(f.flow, false, 4000));
    CHECK(f.flow.screen == Screen::closed);

    Fixture about;
    about.tap(A::about, 0);
    CHECK(on_hours(about.flow, false, 10));
    CHECK(about.flow.screen == Screen::closed);

    Fixture g;
    on_store_failed(g.flow, "DB-13", 0);
    CHECK_FALSE(on_hours(g.flow, false, 10));
    CHECK(g.flow.screen == Screen::out_of_order);
    on_store_recovered(g.flow, 20);
    CHECK(g.flow.screen == Screen::closed);
}

TEST_CASE("an answer value outside 1..5 is ignored") {
    Fixture f;
    CHECK_FALSE(f.tap(A::answer, 10, 0));
    CHECK_FALSE(f.tap(A::answer, 10, 6));
    CHECK_FALSE(f.flow.confirming);
    CHECK(f.flow.index == 0);
}

}  // namespace terminal_test_flow
