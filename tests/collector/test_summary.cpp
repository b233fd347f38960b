// test_summary.cpp — build_summary against hand-computed fixtures, and the
// anonymity rule (docs/anonymity.md): withholding under the threshold and
// each subtraction that would recover a withheld figure without the rule.
// Also: Copenhagen week boundaries on the DST weekends of 2026.
#include "collector/summary/sealed.hpp"
#include "collector/summary/summary.hpp"
#include "common/copenhagen_time.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include <optional>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_summary {

namespace {

using namespace pulse;

// Three themes, 1.1 1.2 1.3 | 2.1 2.2 | 3.1, in this order.
QuestionBank fixture_bank() {
    QuestionBank bank;
    bank.themes = {{"1", {{"da", "Lederskab"}, {"en", "Leadership"}}, {}, 0},
                   {"2", {{"da", "Kommunikation"}, {"en", "Communication"}}, {}, 0},
                   {"3", {{"da", "Trivsel"}, {"en", "Well-being"}}, {}, 0}};
    auto q = [](std::string id, std::string theme, std::string da, std::string en) {
        return Question{std::move(id), std::move(theme), {{"da", std::move(da)}, {"en", std::move(en)}}, true, 0};
    };
    bank.questions = {q("1.1", "1", "Min leder sætter mål.", "My manager sets goals."),
                      q("1.2", "1", "Min leder følger op.", "My manager follows up."),
                      q("1.3", "1", "Min leder er realistisk.", "My manager is realistic."),
                      q("2.1", "2", "Min leder lytter.", "My manager listens."),
                      q("2.2", "2", "Min leder forklarer.", "My manager explains."),
                      q("3.1", "3", "Min leder ser mig.", "My manager sees me.")};
    return bank;
}

constexpr std::optional<int> kDontKnow = std::nullopt;
constexpr IsoWeek kWeek{2026, 48};

// Adds n answers of `value` to question q in week `offset` on `weekday`.
void add(std::vector<AnswerCount>& counts, const std::string& q, std::optional<int> value, std::int64_t n,
         int weekday = 0, int offset = 0) {
    counts.push_back(AnswerCount{q, value, offset, weekday, n});
}

const ThemeSummary& theme(const Summary& s, const std::string& id) {
    for (const auto& t : s.themes) {
        if (t.id == id) return t;
    }
    FAIL("no theme " << id);
    throw 0;
}

const Figures& question(const Summary& s, const std::string& id) {
    for (const auto& t : s.themes) {
        for (const auto& q : t.questions) {
            if (q.id == id) return q.figures;
        }
    }
    FAIL("no question " << id);
    throw 0;
}

// A withheld item carries no figure at all.
void check_no_figures(const Figures& f) {
    CHECK(f.withheld);
    CHECK(f.n == 0);
    CHECK_FALSE(f.mean);
    CHECK_FALSE(f.favourable);
    CHECK(f.distribution == std::array<std::int64_t, 5>{});
    CHECK(f.dont_know == 0);
    CHECK_FALSE(f.change);
    CHECK(f.trend.empty());
}

}  // namespace

TEST_CASE("a question's figures are the hand-computed ones: n, mean, favourable, distribution, ved ikke, change, trend") {
    std::vector<AnswerCount> c;
    // 1.1 this week: 5,5,4 on Monday, 3,2,1,4 on Tuesday, 2 × ved ikke on Wednesday.
    add(c, "1.1", 5, 2, 0);
    add(c, "1.1", 4, 1, 0);
    add(c, "1.1", 3, 1, 1);
    add(c, "1.1", 2, 1, 1);
    add(c, "1.1", 1, 1, 1);
    add(c, "1.1", 4, 1, 1);
    add(c, "1.1", kDontKnow, 2, 2);
    // 1.2: six 3s on Monday. 1.3: 1,2,3,4,5 on Tuesday.
    add(c, "1.2", 3, 6, 0);
    for (int v = 1; v <= 5; ++v) add(c, "1.3", v, 1, 1);
    // 1.1 in earlier weeks: last week five 4s; two weeks ago three 5s (too few); three weeks ago five 2s.
    add(c, "1.1", 4, 5, 3, 1);
    add(c, "1.1", 5, 3, 3, 2);
    add(c, "1.1", 2, 5, 3, 3);

    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");

    const Figures& q = question(s, "1.1");
    CHECK_FALSE(q.withheld);
    CHECK(q.n == 7);                          // 5,5,4,3,2,1,4
    CHECK(*q.mean == doctest::Approx(24.0 / 7));  // (5+5+4+3+2+1+4) / 7
    CHECK(*q.favourable == doctest::Approx(4.0 / 7));  // 5,5,4,4
    CHECK(q.distribution == std::array<std::int64_t, 5>{1, 1, 1, 2, 2});
    CHECK(q.dont_know == 2);
    CHECK(*q.change == doctest::Approx(24.0 / 7 - 4.0));  // last week: mean 4
    CHECK(q.previous_n == 5);
    // Σ(v − mean)² = 96 − 7 · (24/7)² = 96/7; / 6 = 16/7; / 7 answers = 16/49; last week's five 4s add 0.
    CHECK(*q.change_se == doctest::Approx(4.0 / 7));
    CHECK_FALSE(change_is_notable(q));  // 7 and 5 answers: fewer than 20
    REQUIRE(q.trend.size() == 4);                          // oldest first
    CHECK(*q.trend[0] == doctest::Approx(2.0));
    CHECK_FALSE(q.trend[1]);                               // 3 answers: withheld that week
    CHECK(*q.trend[2] == doctest::Approx(4.0));
    CHECK(*q.trend[3] == doctest::Approx(24.0 / 7));

    const Figures& q3 = question(s, "1.3");
    CHECK(*q3.mean == doctest::Approx(3.0));
    CHECK(*q3.favourable == doctest::Approx(2.0 / 5));
    CHECK_FALSE(q3.change);  // no answers last week

    // Theme 1 = 1.1 + 1.2 + 1.3: distribution [2,2,8,3,3], n 18, sum 2+4+24+12+15 = 57.
    const Figures& t = theme(s, "1").figures;
    CHECK_FALSE(t.withheld);
    CHECK(t.n == 18);
    CHECK(t.distribution == std::array<std::int64_t, 5>{2, 2, 8, 3, 3});
    CHECK(*t.mean == doctest::Approx(57.0 / 18));
    CHECK(*t.favourable == doctest::Approx(6.0 / 18));
    CHECK(t.dont_know == 2);
    CHECK(*t.change == doctest::Approx(57.0 / 18 - 4.0));

    // Participation: 9 + 6 + 5 = 20 answers (ved ikke counts as an answer).
    CHECK_FALSE(s.answers_withheld);
    CHECK(s.answers == 20);
    CHECK(s.min_answers == 5);
    CHECK(s.workplace == "skolen");
    CHECK(s.week == kWeek);
}

TEST_CASE("a change is notable only with 20 answers in both weeks and at least twice its standard error as shown") {
    // Last week ten 3s and ten 4s (mean 3,5; variance 5/19). This week:
    //   1.1 twenty 4s: ▲ 0,5, se = sqrt(5/19/20) = 0,115: notable;
    //   1.2 nineteen 4s: the same change on 19 answers: not;
    //   1.3 ten 1s and ten 5s: ▼ 0,5, se = sqrt(80/19/20 + 5/19/20) = 0,473: 0,5 < 0,95, not.
    std::vector<AnswerCount> c;
    for (const char* q : {"1.1", "1.2", "1.3"}) {
        add(c, q, 3, 10, 0, 1);
        add(c, q, 4, 10, 0, 1);
    }
    add(c, "1.1", 4, 20, 0);
    add(c, "1.2", 4, 19, 0);
    add(c, "1.3", 1, 10, 0);
    add(c, "1.3", 5, 10, 0);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    const Figures& q1 = question(s, "1.1");
    CHECK(q1.previous_n == 20);
    CHECK(*q1.change_se == doctest::Approx(std::sqrt(5.0 / 19 / 20)));
    CHECK(change_is_notable(q1));
    const Figures& q2 = question(s, "1.2");
    CHECK(*q2.change == doctest::Approx(0.5));
    CHECK_FALSE(change_is_notable(q2));
    const Figures& q3 = question(s, "1.3");
    CHECK(*q3.change_se == doctest::Approx(std::sqrt(80.0 / 19 / 20 + 5.0 / 19 / 20)));
    CHECK_FALSE(change_is_notable(q3));
}

TEST_CASE("an item with fewer than min_answers answers with a value is withheld and carries no figures") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 5, 4);              // 4 answers with a value ...
    add(c, "1.1", kDontKnow, 3);      // ... and 3 × ved ikke: still 4 < 5 for the threshold
    add(c, "2.1", 3, 10);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    check_no_figures(question(s, "1.1"));
    check_no_figures(theme(s, "1").figures);  // the theme has the same 4
    check_no_figures(question(s, "1.2"));     // no answers at all
    CHECK_FALSE(question(s, "2.1").withheld);
    CHECK(s.answers == 17);  // participation counts ved ikke
}

TEST_CASE("a theme minus its shown questions never reveals a withheld question: a second question is withheld") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 7);
    add(c, "1.2", 3, 6);
    add(c, "1.3", 1, 2);  // without the rule: theme (15) − 1.1 (7) − 1.2 (6) = 1.3's two 1s
    add(c, "2.1", 5, 5);
    add(c, "2.2", 5, 5);
    add(c, "3.1", 5, 5);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK_FALSE(theme(s, "1").figures.withheld);
    CHECK_FALSE(question(s, "1.1").withheld);
    CHECK(question(s, "1.3").withheld);
    CHECK(question(s, "1.2").withheld);  // the smallest shown one, withheld with it: 2 + 6 = 8 ≥ 5
    // What subtraction gives now is two questions together, 8 answers.
    const auto& t = theme(s, "1").figures;
    const auto& q1 = question(s, "1.1");
    std::int64_t residual = 0;
    for (int v = 0; v < 5; ++v) residual += t.distribution[v] - q1.distribution[v];
    CHECK(residual == 8);
}

TEST_CASE("a theme minus its shown questions never reveals a withheld question's ved ikke count") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 7);
    add(c, "1.2", 3, 6);
    add(c, "1.3", kDontKnow, 2);  // theme dont_know − shown ones would be 1.3's two ved ikke
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(question(s, "1.3").withheld);
    CHECK(question(s, "1.2").withheld);
    CHECK_FALSE(question(s, "1.1").withheld);
}

TEST_CASE("a question nobody answered does not force a second question to be withheld") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 7);
    add(c, "1.2", 3, 6);  // 1.3: no answers; theme − shown = nothing, which describes nobody
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(question(s, "1.3").withheld);
    CHECK_FALSE(question(s, "1.1").withheld);
    CHECK_FALSE(question(s, "1.2").withheld);
}

TEST_CASE("complementary suppression in a theme repeats until the withheld questions hold min_answers together") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 20);
    add(c, "1.2", 3, 1);  // 1.2 and 1.3 withheld: 1 + 1 = 2 < 5, so 1.1 (the only one shown) goes too
    add(c, "1.3", 2, 1);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK_FALSE(theme(s, "1").figures.withheld);
    for (const auto& q : theme(s, "1").questions) CHECK(q.figures.withheld);
}

TEST_CASE("the week's total minus its shown themes never reveals a withheld theme's answers") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 10);
    add(c, "2.1", 3, 3);  // theme 2: 3 answers; total 19 − 10 − 6 would give them
    add(c, "3.1", 5, 6);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(s.answers == 19);
    CHECK(theme(s, "2").figures.withheld);
    CHECK(theme(s, "3").figures.withheld);   // the smallest shown theme: 3 + 6 = 9 ≥ 5
    check_no_figures(question(s, "3.1"));    // a withheld theme withholds its questions (else 3.1 = theme 3)
    CHECK_FALSE(theme(s, "1").figures.withheld);
    CHECK_FALSE(question(s, "1.1").withheld);
}

TEST_CASE("the week's total minus its shown days never reveals a withheld day: a second day is withheld") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 9, 0);  // Monday 9
    add(c, "1.2", 4, 8, 1);  // Tuesday 8
    add(c, "1.3", 4, 3, 2);  // Wednesday 3: without the rule, 20 − 9 − 8 = 3
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(s.answers == 20);
    CHECK(s.answers_per_weekday[0] == 9);
    CHECK_FALSE(s.answers_per_weekday[1]);  // the smallest shown day: 3 + 8 = 11 ≥ 5
    CHECK_FALSE(s.answers_per_weekday[2]);
    for (int d = 3; d < 7; ++d) CHECK(s.answers_per_weekday[d] == 0);  // nobody answered: shown as 0, not withheld
}

TEST_CASE("days nobody answered leave the other days shown") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 9, 0);
    add(c, "1.2", 4, 8, 4);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(s.answers_per_weekday[0] == 9);
    CHECK(s.answers_per_weekday[4] == 8);
    CHECK(s.answers_per_weekday[5] == 0);  // nobody answered: 0, so the page shows no "for få svar" for it
}

TEST_CASE("a week with fewer than min_answers answers withholds its total, every day and every item") {
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 2, 0);
    add(c, "2.1", kDontKnow, 2, 1);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    CHECK(s.answers_withheld);
    CHECK(s.answers == 0);
    for (const auto& d : s.answers_per_weekday) CHECK_FALSE(d);
    for (const auto& t : s.themes) {
        check_no_figures(t.figures);
        for (const auto& q : t.questions) check_no_figures(q.figures);
    }
}

TEST_CASE("the trend shows each earlier week's mean only as that week's own summary shows it") {
    // Last week 1.2 had 6 answers but was withheld with 1.3 (2 answers), so
    // this week it has no change and no mean for last week in its trend.
    std::vector<AnswerCount> c;
    add(c, "1.1", 4, 7, 0, 1);
    add(c, "1.2", 3, 6, 0, 1);
    add(c, "1.3", 1, 2, 0, 1);
    add(c, "1.1", 4, 7);
    add(c, "1.2", 2, 6);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    const Figures& q = question(s, "1.2");
    CHECK_FALSE(q.withheld);
    CHECK_FALSE(q.change);
    REQUIRE(q.trend.size() == 4);
    CHECK_FALSE(q.trend[2]);
    CHECK(*q.trend[3] == doctest::Approx(2.0));
    CHECK(*question(s, "1.1").change == doctest::Approx(0.0));

    // Last week's own summary agrees.
    std::vector<AnswerCount> last;
    for (auto a : c) {
        if (a.week_offset == 1) { a.week_offset = 0; last.push_back(a); }
    }
    const Summary before = build_summary("skolen", previous_week(kWeek), fixture_bank(), last, 5, "da");
    CHECK(question(before, "1.2").withheld);
    CHECK(*question(before, "1.1").mean == doctest::Approx(*question(s, "1.1").trend[2]));
}

TEST_CASE("themes and questions come in the bank's order with the text of the summary's language") {
    std::vector<AnswerCount> c;
    add(c, "3.1", 4, 5);
    add(c, "1.1", 4, 5);
    add(c, "9.9", 4, 50);  // not in the bank: ignored, also for participation
    const Summary en = build_summary("skolen", kWeek, fixture_bank(), c, 5, "en");
    REQUIRE(en.themes.size() == 3);
    CHECK(en.language == "en");
    CHECK(en.themes[0].title == "Leadership");
    CHECK(en.themes[2].title == "Well-being");
    REQUIRE(en.themes[0].questions.size() == 3);
    CHECK(en.themes[0].questions[0].id == "1.1");
    CHECK(en.themes[0].questions[2].text == "My manager is realistic.");
    CHECK(en.answers == 10);

    const Summary da = build_summary("skolen", kWeek, fixture_bank(), c, 5, "xx");  // unknown → Danish
    CHECK(da.language == "da");
    CHECK(da.themes[1].questions[1].text == "Min leder forklarer.");
}

TEST_CASE("Copenhagen weeks change at Monday 00:00 local time on both DST weekends of 2026") {
    auto week_at = [](const char* utc) { return copenhagen_iso_week(*parse_iso8601(utc)).str(); };
    // Summer time begins Sunday 29 March 2026 (01:00 UTC); the week after starts Monday 30 March.
    CHECK(week_at("2026-03-29T21:30:00Z") == "2026-W13");  // Sunday 23:30 CEST
    CHECK(week_at("2026-03-29T22:30:00Z") == "2026-W14");  // Monday 00:30 CEST
    CHECK(week_at("2026-03-29T00:30:00Z") == "2026-W13");  // Sunday 01:30 CET, before the switch
    CHECK(format_iso_utc(copenhagen_week_start(IsoWeek{2026, 14})) == "2026-03-29T22:00:00Z");
    // Summer time ends Sunday 25 October 2026 (01:00 UTC); the week after starts Monday 26 October.
    CHECK(week_at("2026-10-25T22:30:00Z") == "2026-W43");  // Sunday 23:30 CET
    CHECK(week_at("2026-10-25T23:30:00Z") == "2026-W44");  // Monday 00:30 CET
    CHECK(week_at("2026-10-25T00:30:00Z") == "2026-W43");  // 02:30 CEST ...
    CHECK(week_at("2026-10-25T01:30:00Z") == "2026-W43");  // ... and 02:30 CET again, the same Sunday
    CHECK(format_iso_utc(copenhagen_week_start(IsoWeek{2026, 44})) == "2026-10-25T23:00:00Z");
    // The week that ends summer time is 169 hours long.
    CHECK(copenhagen_week_start(IsoWeek{2026, 44}) - copenhagen_week_start(IsoWeek{2026, 43}) == 169 * 3600);
}

TEST_CASE("in 2000 random weeks no shown figure lets a withheld one of fewer than min_answers be subtracted out") {
    std::uint32_t seed = 12345;
    auto next = [&seed](int below) {  // a small LCG: the same fixtures on every run
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(below));
    };
    const auto bank = fixture_bank();
    for (int round = 0; round < 2000; ++round) {
        std::vector<AnswerCount> c;
        for (const auto& q : bank.questions) {
            const int kinds = next(4);
            for (int k = 0; k < kinds; ++k) {
                const int v = next(6);
                add(c, q.id, v == 0 ? kDontKnow : std::optional<int>(v), 1 + next(4), next(7));
            }
        }
        const Summary s = build_summary("w", kWeek, bank, c, 5, "da");
        CAPTURE(round);
        // theme − shown questions: nothing, or at least 5 answers with a value
        std::int64_t hidden_theme_answers = 0, shown_theme_answers = 0;
        for (const auto& t : s.themes) {
            if (t.figures.withheld) {
                for (const auto& q : t.questions) CHECK(q.figures.withheld);
                continue;
            }
            CHECK(t.figures.n >= 5);
            std::int64_t n = t.figures.n, dk = t.figures.dont_know;
            for (const auto& q : t.questions) {
                if (!q.figures.withheld) {
                    CHECK(q.figures.n >= 5);
                    n -= q.figures.n;
                    dk -= q.figures.dont_know;
                }
            }
            CHECK(((n == 0 && dk == 0) || n >= 5));
            shown_theme_answers += t.figures.n + t.figures.dont_know;
        }
        if (!s.answers_withheld) {
            hidden_theme_answers = s.answers - shown_theme_answers;
            CHECK((hidden_theme_answers == 0 || hidden_theme_answers >= 5));
            std::int64_t hidden_days = s.answers;
            for (const auto& d : s.answers_per_weekday) {
                if (d) {
                    CHECK((*d == 0 || *d >= 5));  // a day nobody answered shows 0
                    hidden_days -= *d;
                }
            }
            CHECK((hidden_days == 0 || hidden_days >= 5));
        }
    }
}

// Two figures equal to the last bit, or both absent.
bool same_figures(const Figures& a, const Figures& b) {
    return a.withheld == b.withheld && a.n == b.n && a.mean == b.mean && a.favourable == b.favourable &&
           a.distribution == b.distribution && a.dont_know == b.dont_know && a.change == b.change && a.trend == b.trend &&
           a.previous_n == b.previous_n && a.change_se == b.change_se;
}

bool same_summary(const Summary& a, const Summary& b) {
    bool same = a.workplace == b.workplace && a.week == b.week && a.min_answers == b.min_answers &&
                a.question_span == b.question_span && a.questions_from == b.questions_from &&
                a.questions_to == b.questions_to &&
                a.answers_withheld == b.answers_withheld && a.answers == b.answers &&
                a.answers_per_weekday == b.answers_per_weekday && a.themes.size() == b.themes.size();
    for (std::size_t t = 0; same && t < a.themes.size(); ++t) {
        same = a.themes[t].id == b.themes[t].id && same_figures(a.themes[t].figures, b.themes[t].figures) &&
               a.themes[t].questions.size() == b.themes[t].questions.size();
        for (std::size_t q = 0; same && q < a.themes[t].questions.size(); ++q) {
            same = a.themes[t].questions[q].id == b.themes[t].questions[q].id &&
                   a.themes[t].questions[q].active == b.themes[t].questions[q].active &&
                   same_figures(a.themes[t].questions[q].figures, b.themes[t].questions[q].figures);
        }
    }
    return same;
}

// The questions of the 4-week period as a summary made from all the period's
// counts shows them, with the period rule on top: a theme any of the weeks
// withheld while it held answers shows no question.
void check_period_questions(const Summary& sealed, const QuestionBank& bank, const std::vector<AnswerCount>& merged,
                            const std::vector<const Summary*>& weeks, const std::vector<const std::vector<AnswerCount>*>& counts) {
    const Summary full = build_summary("w", sealed.week, bank, merged, 5, "da");
    for (std::size_t t = 0; t < full.themes.size(); ++t) {
        std::int64_t hidden = 0;
        for (std::size_t k = 0; k < weeks.size(); ++k) {
            if (!weeks[k]->themes[t].figures.withheld) continue;
            for (const AnswerCount& c : *counts[k]) {
                if (c.question.substr(0, c.question.find('.')) == full.themes[t].id) hidden += c.n;
            }
        }
        for (std::size_t q = 0; q < full.themes[t].questions.size(); ++q) {
            const Figures& got = sealed.themes[t].questions[q].figures;
            const Figures& want = full.themes[t].questions[q].figures;
            CAPTURE(full.themes[t].questions[q].id);
            if (hidden > 0) {
                CHECK(got.withheld);
                continue;
            }
            CHECK(got.withheld == want.withheld);
            if (got.withheld || want.withheld) continue;
            CHECK(got.n == want.n);
            CHECK(got.distribution == want.distribution);
            CHECK(got.dont_know == want.dont_know);
            CHECK(got.mean == want.mean);
        }
    }
}

TEST_CASE("weeks sealed one after another: themes as a summary made from all their counts, questions as one of their 4-week period's") {
    std::uint32_t seed = 777;
    auto next = [&seed](int below) {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(below));
    };
    const auto bank = fixture_bank();
    // Thirteen weeks up to 2026-W48, which ends the period 45–48: periods 33–36 (from its second week), 37–40, 41–44, 45–48.
    constexpr int kWeeks = 13;
    std::vector<IsoWeek> weeks{kWeek};
    for (int k = 1; k < kWeeks; ++k) weeks.insert(weeks.begin(), previous_week(weeks.front()));
    REQUIRE(latest_period_ended_by(kWeek) == WeekPeriod{{2026, 45}, {2026, 48}});
    int shown_questions = 0, period_withheld = 0;
    for (int round = 0; round < 25; ++round) {
        CAPTURE(round);
        std::vector<std::vector<AnswerCount>> per_week(kWeeks);
        const int scale = 1 + next(4);  // small and larger workplaces
        for (int k = 0; k < kWeeks; ++k) {
            for (const auto& q : bank.questions) {
                const int kinds = next(5);
                for (int i = 0; i < kinds; ++i) {
                    const int v = next(6);
                    add(per_week[k], q.id, v == 0 ? kDontKnow : std::optional<int>(v), 1 + next(2 * scale), next(7));
                }
            }
        }
        // Seal them in order, each from its own counts and the seals before it,
        // through the stored JSON as the store keeps it.
        std::vector<SealedSummary> sealed;
        for (int k = 0; k < kWeeks; ++k) {
            std::array<std::optional<SealedSummary>, 3> stored;
            std::array<const SealedSummary*, 3> earlier{};
            for (int back = 1; back <= 3 && k - back >= 0; ++back) {
                stored[back - 1] = parse_sealed(sealed_summary_json(sealed[k - back]));
                REQUIRE(stored[back - 1]);
                earlier[back - 1] = &*stored[back - 1];
            }
            sealed.push_back(seal_summary("w", weeks[k], bank, per_week[k], 5, earlier));
            const std::optional<SealedSummary> back = parse_sealed(sealed_summary_json(sealed.back()));
            REQUIRE(back);
            CHECK(same_summary(back->summary, sealed.back().summary));  // the stored form reads back bit for bit
            CHECK(back->counts == sealed.back().counts);
        }
        for (int k = 0; k < kWeeks; ++k) {
            const Summary& s = sealed[k].summary;
            CAPTURE(s.week.str());
            // From the fourth week on, the themes equal build_summary over the
            // week and the three before (earlier ones miss the unsealed weeks' trend).
            if (k >= 3) {
                std::vector<AnswerCount> window;
                for (int back = 0; back <= 3; ++back) {
                    for (AnswerCount c : per_week[k - back]) {
                        c.week_offset = back;
                        window.push_back(c);
                    }
                }
                const Summary full = build_summary("w", weeks[k], bank, window, 5, "da");
                CHECK(s.answers == full.answers);
                CHECK(s.answers_per_weekday == full.answers_per_weekday);
                for (std::size_t t = 0; t < full.themes.size(); ++t) {
                    CHECK(same_figures(s.themes[t].figures, full.themes[t].figures));
                    // A shown theme's change is its mean minus the week before's sealed mean.
                    const Figures& f = s.themes[t].figures;
                    const Figures& before = sealed[k - 1].summary.themes[t].figures;
                    if (f.withheld || !f.mean) continue;
                    if (before.withheld || !before.mean) CHECK_FALSE(f.change);
                    else CHECK(*f.change == *f.mean - *before.mean);
                }
            }
            // The questions: the newest period ended by the week, once all four of its weeks are sealed.
            const WeekPeriod p = latest_period_ended_by(s.week);
            const int last = k - weeks_between(p.last, s.week), first = last - (kPeriodWeeks - 1);
            CHECK(s.questions_from == p.first);
            CHECK(s.questions_to == p.last);
            if (first < 0) {
                CHECK(s.question_span == QuestionSpan::none);
                for (const auto& t : s.themes)
                    for (const auto& q : t.questions) CHECK(q.figures.withheld);
                continue;
            }
            REQUIRE(s.question_span == QuestionSpan::period);
            std::vector<AnswerCount> merged;
            std::vector<const Summary*> period_weeks;
            std::vector<const std::vector<AnswerCount>*> period_counts;
            for (int w = first; w <= last; ++w) {
                merged.insert(merged.end(), per_week[w].begin(), per_week[w].end());
                period_weeks.push_back(&sealed[w].summary);
                period_counts.push_back(&per_week[w]);
            }
            check_period_questions(s, bank, merged, period_weeks, period_counts);
            // Every week of the period after its last shows the same figures, read from the last week's seal.
            for (std::size_t t = 0; t < s.themes.size(); ++t) {
                for (std::size_t q = 0; q < s.themes[t].questions.size(); ++q) {
                    const Figures& f = s.themes[t].questions[q].figures;
                    CHECK(same_figures(f, sealed[last].summary.themes[t].questions[q].figures));
                    if (f.withheld) {
                        ++period_withheld;
                        continue;
                    }
                    ++shown_questions;
                    // Change and trend against the period before, as it was shown.
                    const Summary& before = sealed[first - 1].summary;
                    const Figures& b = before.themes[t].questions[q].figures;
                    if (before.question_span != QuestionSpan::period || b.withheld || !b.mean || !f.mean) {
                        CHECK_FALSE(f.change);
                    } else {
                        CHECK(*f.change == *f.mean - *b.mean);
                        CHECK(f.previous_n == b.n);
                        REQUIRE(f.trend.size() == 4);
                        CHECK(f.trend[2] == b.mean);
                        CHECK(f.trend[3] == f.mean);
                    }
                }
            }
        }
    }
    // The rounds show questions and withhold some: the checks above ran on both.
    CHECK(shown_questions > 100);
    CHECK(period_withheld > 100);
}

TEST_CASE("a sealed summary gets its words when read, in either language, and an id the bank lost stays an id") {
    std::vector<AnswerCount> c;
    for (int i = 0; i < 6; ++i) add(c, "1.1", 4, 1, 0);
    Summary s = seal_summary("skolen", kWeek, fixture_bank(), c, 5, {}).summary;
    CHECK(s.themes[0].title.empty());
    CHECK(s.language.empty());
    s.themes[0].questions[0].id = "9.9";  // as if the bank had dropped it
    localize_summary(s, fixture_bank(), "en");
    CHECK(s.language == "en");
    CHECK(s.themes[0].title == "Leadership");
    CHECK(s.themes[0].questions[0].text == "9.9");
    CHECK(s.themes[0].questions[1].text == "My manager follows up.");
    CHECK_FALSE(parse_sealed_summary("{\"sealed\": 2}"));
    CHECK_FALSE(parse_sealed_summary("{\"sealed\": 3}"));
    CHECK_FALSE(parse_sealed_summary("not json"));
}

}  // namespace collector_test_summary
