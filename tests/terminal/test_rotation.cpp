// test_rotation.cpp — fairness and spread of the questions a session asks.
#include "terminal/rotation.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_rotation {

using namespace pulse;

namespace {

// A bank shaped like the framework: themes of 8, 6, 8 and 6 questions.
QuestionBank framework_shaped_bank() {
    QuestionBank bank;
    const int sizes[] = {8, 6, 8, 6};
    for (int t = 1; t <= 4; ++t) {
        bank.themes.push_back(Theme{std::to_string(t), {{"da", "T"}, {"en", "T"}}, {}, 0});
        for (int e = 1; e <= sizes[t - 1]; ++e) {
            bank.questions.push_back(Question{std::to_string(t) + "." + std::to_string(e), std::to_string(t),
                                              {{"da", "q"}, {"en", "q"}}, true, 0});
        }
    }
    return bank;
}

}  // namespace

TEST_CASE("over 10 000 sessions every active question gets about the same number of answers") {
    QuestionBank bank = framework_shaped_bank();
    Rng rng(20261127);
    std::map<std::string, int> answers;
    std::bernoulli_distribution skips(0.15);  // people skip some questions; a skip is not an answer
    int sessions_with_repeated_theme = 0;
    for (int s = 0; s < 10'000; ++s) {
        std::vector<std::string> session = pick_session(bank, answers, 3, rng);
        REQUIRE(session.size() == 3);
        std::set<std::string> ids(session.begin(), session.end());
        REQUIRE(ids.size() == 3);  // never the same question twice in a session
        std::set<std::string> themes;
        for (const auto& id : session) themes.insert(bank.find_question(id)->theme);
        if (themes.size() < 3) ++sessions_with_repeated_theme;
        for (const auto& id : session) {
            if (!skips(rng)) ++answers[id];
        }
    }
    CHECK(sessions_with_repeated_theme == 0);  // four themes, three slots: always spread
    REQUIRE(answers.size() == 28);
    int lo = 1 << 30, hi = 0, total = 0;
    for (const auto& [id, n] : answers) {
        lo = std::min(lo, n);
        hi = std::max(hi, n);
        total += n;
    }
    INFO("answers per question: min " << lo << ", max " << hi << ", total " << total);
    CHECK(hi - lo <= 2);  // out of about 910 each
}

TEST_CASE("the least answered question this week is asked first") {
    QuestionBank bank = framework_shaped_bank();
    std::map<std::string, int> answers;
    for (const auto& q : bank.questions) answers[q.id] = 10;
    answers["3.7"] = 2;
    Rng rng(1);
    for (int i = 0; i < 50; ++i) {
        CHECK(pick_session(bank, answers, 3, rng).front() == "3.7");
    }
}

TEST_CASE("ties are broken at random, so every tied question is sometimes first") {
    QuestionBank bank = framework_shaped_bank();
    Rng rng(7);
    std::set<std::string> firsts;
    for (int i = 0; i < 2000; ++i) firsts.insert(pick_session(bank, {}, 1, rng).front());
    CHECK(firsts.size() == 28);
}

TEST_CASE("themes are spread within a session even when one theme has all the least answered questions") {
    QuestionBank bank = framework_shaped_bank();
    std::map<std::string, int> answers;
    for (const auto& q : bank.questions) answers[q.id] = q.theme == "2" ? 0 : 50;
    Rng rng(3);
    std::vector<std::string> session = pick_session(bank, answers, 3, rng);
    std::set<std::string> themes;
    for (const auto& id : session) themes.insert(bank.find_question(id)->theme);
    CHECK(themes.size() == 3);
    CHECK(bank.find_question(session[0])->theme == "2");
}

TEST_CASE("with a single theme a session still has distinct questions") {
    QuestionBank bank;
    bank.themes.push_back(Theme{"9", {{"da", "Egne"}, {"en", "Own"}}, {}, 0});
    for (int e = 1; e <= 3; ++e)
        bank.questions.push_back(Question{"9." + std::to_string(e), "9", {{"da", "q"}, {"en", "q"}}, true, 0});
    Rng rng(5);
    std::vector<std::string> session = pick_session(bank, {}, 3, rng);
    std::set<std::string> ids(session.begin(), session.end());
    CHECK(ids.size() == 3);
}

TEST_CASE("inactive questions are never asked and a small bank gives a shorter session") {
    QuestionBank bank = framework_shaped_bank();
    for (auto& q : bank.questions) q.active = (q.id == "1.1" || q.id == "4.6");
    Rng rng(11);
    for (int i = 0; i < 100; ++i) {
        std::vector<std::string> session = pick_session(bank, {}, 3, rng);
        REQUIRE(session.size() == 2);
        for (const auto& id : session) CHECK((id == "1.1" || id == "4.6"));
    }
}

TEST_CASE("the same seed gives the same sessions") {
    QuestionBank bank = framework_shaped_bank();
    Rng a(42), b(42);
    for (int i = 0; i < 20; ++i) CHECK(pick_session(bank, {}, 3, a) == pick_session(bank, {}, 3, b));
}

}  // namespace terminal_test_rotation
