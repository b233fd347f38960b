// test_summary_period.cpp — the questions' 4-week periods (issue 14;
// collector/summary/period.hpp, docs/anonymity.md "Questions over 4 weeks"):
// the grid, the period rule against differencing with the weekly themes,
// a period adds up exactly what its weeks' seals kept (late answers never),
// the legacy format, and how JSON, CSV and HTML say which weeks a statement
// covers.
#include "collector_fixture.hpp"
#include "collector/publication.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/period.hpp"
#include "collector/summary/sealed.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_summary_period {

namespace {

using namespace pulse;
using namespace pulse::testing;

// Three themes, 1.1 1.2 | 2.1 2.2 | 3.1.
QuestionBank bank() {
    QuestionBank b;
    b.themes = {{"1", {{"da", "Mål"}, {"en", "Goals"}}, {}, 0},
                {"2", {{"da", "Dialog"}, {"en", "Dialogue"}}, {}, 0},
                {"3", {{"da", "Trivsel"}, {"en", "Well-being"}}, {}, 0}};
    auto q = [](std::string id, std::string theme, std::string da, std::string en) {
        return Question{std::move(id), std::move(theme), {{"da", std::move(da)}, {"en", std::move(en)}}, true, 0};
    };
    b.questions = {q("1.1", "1", "Min leder sætter mål.", "My manager sets goals."),
                   q("1.2", "1", "Min leder følger op.", "My manager follows up."),
                   q("2.1", "2", "Min leder lytter.", "My manager listens."),
                   q("2.2", "2", "Min leder forklarer.", "My manager explains."),
                   q("3.1", "3", "Min leder ser mig.", "My manager sees me.")};
    return b;
}

// n answers of value v to q, on Monday.
void add(std::vector<AnswerCount>& c, const char* q, std::optional<int> v, std::int64_t n) {
    c.push_back(AnswerCount{q, v, 0, 0, n});
}

const Figures& question(const Summary& s, const std::string& id) {
    for (const auto& t : s.themes)
        for (const auto& q : t.questions)
            if (q.id == id) return q.figures;
    FAIL("no question " << id);
    throw 0;
}

// Seals weeks (counts per week, oldest first) one after another as the
// store would, through the stored JSON; returns the seals.
// banks[k] (when given) is week k's bank, else bank().
std::vector<SealedSummary> seal_in_order(IsoWeek first, const std::vector<std::vector<AnswerCount>>& weeks,
                                         const std::vector<QuestionBank>& banks = {}) {
    std::vector<SealedSummary> sealed;
    IsoWeek week = first;
    for (std::size_t k = 0; k < weeks.size(); ++k, week = next_week(week)) {
        std::array<std::optional<SealedSummary>, 3> stored;
        std::array<const SealedSummary*, 3> earlier{};
        for (std::size_t back = 1; back <= 3 && back <= k; ++back) {
            stored[back - 1] = parse_sealed(sealed_summary_json(sealed[k - back]));
            REQUIRE(stored[back - 1]);
            earlier[back - 1] = &*stored[back - 1];
        }
        sealed.push_back(seal_summary("w", week, k < banks.size() ? banks[k] : bank(), weeks[k], 5, earlier));
    }
    return sealed;
}

// A week where each question gets `per_question` answers: 1.x mostly 4, 2.x mostly 2, 3.1 all 3.
std::vector<AnswerCount> busy_week(std::int64_t per_question) {
    std::vector<AnswerCount> c;
    for (const char* q : {"1.1", "1.2"}) {
        add(c, q, 4, per_question - 1);
        add(c, q, 5, 1);
    }
    for (const char* q : {"2.1", "2.2"}) {
        add(c, q, 2, per_question - 1);
        add(c, q, 3, 1);
    }
    add(c, "3.1", 3, per_question);
    return c;
}

}  // namespace

TEST_CASE("periods of 4 weeks tile the ISO weeks from 2024-W01, across year ends, and a week shows the newest one it ended") {
    CHECK(days_from_civil(2024, 1, 1) == iso_week_monday({2024, 1}));
    CHECK(period_of({2024, 1}) == WeekPeriod{{2024, 1}, {2024, 4}});
    CHECK(period_of({2026, 45}) == WeekPeriod{{2026, 45}, {2026, 48}});
    CHECK(period_of({2026, 48}) == WeekPeriod{{2026, 45}, {2026, 48}});
    CHECK(period_of({2027, 2}) == WeekPeriod{{2026, 53}, {2027, 3}});  // 2026 has 53 ISO weeks
    CHECK(period_of({2023, 52}) == WeekPeriod{{2023, 49}, {2023, 52}});
    CHECK(latest_period_ended_by({2026, 48}) == WeekPeriod{{2026, 45}, {2026, 48}});
    CHECK(latest_period_ended_by({2026, 47}) == WeekPeriod{{2026, 41}, {2026, 44}});
    CHECK(latest_period_ended_by({2026, 49}) == WeekPeriod{{2026, 45}, {2026, 48}});
    CHECK(previous_period({{2027, 4}, {2027, 7}}) == WeekPeriod{{2026, 53}, {2027, 3}});
    CHECK(trend_periods({{2026, 45}, {2026, 48}}).front() == WeekPeriod{{2026, 33}, {2026, 36}});
    CHECK(weeks_between({2026, 52}, {2027, 2}) == 3);
    CHECK(weeks_between({2027, 2}, {2026, 52}) == -3);
}

TEST_CASE("a theme one week withheld shows none of its statements in the period: they would add up to that week's hidden answers") {
    // Weeks 45–48. Theme 1 (1.1, 1.2) gets 10 answers per statement in weeks
    // 45, 46 and 48, but only 3 in week 47, where it is withheld. Over the
    // period each statement has 23 answers. Were both shown, their sum minus
    // the three weeks' shown theme figures would be week 47's 3 answers, with
    // their values. Theme 3 (6 answers in week 47) is withheld with theme 1
    // that week, as the week's total minus theme 2 would give theme 1 away;
    // so 3.1 is not shown either. Theme 2 is shown every week, and so are its
    // statements.
    std::vector<AnswerCount> thin = busy_week(10);
    thin.erase(std::remove_if(thin.begin(), thin.end(),
                              [](const AnswerCount& c) { return c.question[0] == '1' || c.question[0] == '3'; }),
               thin.end());
    add(thin, "1.1", 1, 2);
    add(thin, "1.2", 1, 1);
    add(thin, "3.1", 3, 6);
    const std::vector<SealedSummary> sealed =
        seal_in_order({2026, 41}, {busy_week(10), busy_week(10), busy_week(10), busy_week(10),   // 41–44
                                   busy_week(10), busy_week(10), thin, busy_week(10)});         // 45–48
    const Summary& w47 = sealed[6].summary;
    REQUIRE(w47.themes[0].figures.withheld);
    REQUIRE(w47.themes[2].figures.withheld);
    REQUIRE_FALSE(w47.themes[1].figures.withheld);
    const Summary& w48 = sealed[7].summary;
    CHECK(w48.question_span == QuestionSpan::period);
    CHECK(w48.questions_from == IsoWeek{2026, 45});
    CHECK(question(w48, "1.1").withheld);
    CHECK(question(w48, "1.2").withheld);
    CHECK(question(w48, "3.1").withheld);
    CHECK_FALSE(question(w48, "2.1").withheld);
    CHECK(question(w48, "2.1").n == 40);
    // Theme 2's statements add up to exactly its four weekly figures, all of which were shown.
    std::array<std::int64_t, 5> weekly{};
    for (std::size_t k = 4; k < 8; ++k)
        for (int v = 0; v < 5; ++v) weekly[v] += sealed[k].summary.themes[1].figures.distribution[v];
    std::array<std::int64_t, 5> statements{};
    for (const char* q : {"2.1", "2.2"})
        for (int v = 0; v < 5; ++v) statements[v] += question(w48, q).distribution[v];
    CHECK(statements == weekly);

    // With 6 answers to theme 1 in week 47 it is shown that week, and its statements in the period.
    std::vector<AnswerCount> enough = thin;
    add(enough, "1.2", 1, 3);
    const std::vector<SealedSummary> shown =
        seal_in_order({2026, 41}, {busy_week(10), busy_week(10), busy_week(10), busy_week(10), busy_week(10),
                                   busy_week(10), enough, busy_week(10)});
    REQUIRE_FALSE(shown[6].summary.themes[0].figures.withheld);
    REQUIRE_FALSE(shown[6].summary.themes[2].figures.withheld);
    CHECK(question(shown[7].summary, "1.1").n == 32);
    CHECK(question(shown[7].summary, "1.2").n == 34);
    // The weeks after show the same period, read from week 48's seal, until week 52 ends the next.
    const std::vector<SealedSummary> later =
        seal_in_order({2026, 45}, {busy_week(10), busy_week(10), enough, busy_week(10), busy_week(7), busy_week(7)});
    CHECK(later[5].summary.week == IsoWeek{2026, 50});
    CHECK(later[5].summary.questions_to == IsoWeek{2026, 48});
    CHECK(question(later[5].summary, "1.2").n == 34);
}

TEST_CASE("a question the bank lost within a period hides its theme's statements: theme minus statements would be its answers") {
    // Week 45 still asks 2.3 (an old bank version); from week 46 the config no longer has it.
    QuestionBank old = bank();
    old.questions.insert(old.questions.begin() + 4,
                         Question{"2.3", "2", {{"da", "Min leder spørger."}, {"en", "My manager asks."}}, true, 0});
    std::vector<AnswerCount> w45 = busy_week(10);
    add(w45, "2.3", 2, 2);
    add(w45, "2.3", 4, 1);
    const std::vector<SealedSummary> sealed =
        seal_in_order({2026, 45}, {w45, busy_week(10), busy_week(10), busy_week(10)}, {old, bank(), bank(), bank()});
    REQUIRE(sealed[0].summary.themes[1].figures.n == 23);  // 2.3's three answers are in week 45's theme 2
    const Summary& w48 = sealed[3].summary;
    REQUIRE(w48.question_span == QuestionSpan::period);
    CHECK(question(w48, "2.1").withheld);
    CHECK(question(w48, "2.2").withheld);
    CHECK_FALSE(question(w48, "1.1").withheld);  // other themes are untouched
    // With the bank unchanged, 2.3's 3 answers are withheld, 2.1 with them
    // (the first of the two smallest, so that the withheld hold 43), and 2.2 shows.
    const std::vector<SealedSummary> same =
        seal_in_order({2026, 45}, {w45, busy_week(10), busy_week(10), busy_week(10)}, {old, old, old, old});
    CHECK(question(same[3].summary, "2.3").withheld);
    CHECK(question(same[3].summary, "2.1").withheld);
    CHECK_FALSE(question(same[3].summary, "2.2").withheld);
}

TEST_CASE("a question the bank gained after a period's last week is left out of the weeks that copy the period") {
    QuestionBank grown = bank();
    grown.questions.push_back(Question{"3.2", "3", {{"da", "Min leder er ny."}, {"en", "My manager is new."}}, true, 0});
    const std::vector<SealedSummary> sealed = seal_in_order(
        {2026, 45}, {busy_week(10), busy_week(10), busy_week(10), busy_week(10), busy_week(10)},
        {bank(), bank(), bank(), bank(), grown});
    const Summary& w49 = sealed[4].summary;
    REQUIRE(w49.questions_to == IsoWeek{2026, 48});
    for (const ThemeSummary& t : w49.themes)
        for (const QuestionSummary& q : t.questions) CHECK(q.id != "3.2");
    CHECK(w49.themes[2].questions.size() == 1);
}

TEST_CASE("a statement's change compares whole periods and is called out by the rule; the weeks inside a period change nothing") {
    // 41–44: 1.1 gets 10 answers a week, all 3s; 45–48: all 4s, so 40 answers against 40, a change of +1.0.
    std::vector<std::vector<AnswerCount>> weeks;
    for (int k = 0; k < 8; ++k) {
        std::vector<AnswerCount> c = busy_week(10);
        for (AnswerCount& a : c)
            if (a.question == "1.1") a.value = k < 4 ? 3 : 4;
        weeks.push_back(c);
    }
    const std::vector<SealedSummary> sealed = seal_in_order({2026, 41}, weeks);
    const Figures& f = question(sealed[7].summary, "1.1");
    REQUIRE(f.change);
    CHECK(*f.change == doctest::Approx(1.0));
    CHECK(f.n == 40);
    CHECK(f.previous_n == 40);
    CHECK(change_is_notable(f));
    CHECK(f.trend == std::vector<std::optional<double>>{std::nullopt, std::nullopt, 3.0, 4.0});
    for (std::size_t k = 4; k < 7; ++k) {  // weeks 45–47 show the period 41–44
        CHECK(sealed[k].summary.questions_to == IsoWeek{2026, 44});
        CHECK(question(sealed[k].summary, "1.1").mean == 3.0);
    }
}

TEST_CASE("a period counts what its weeks' seals kept: an answer that came after its week was sealed is in no period") {
    const CollectorConfig config = test_collector_config();
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    const auto answer = [](unsigned n, const char* question, const std::string& hour) {
        return Answer{test_uuid(n), question, 4, "da", *parse_iso8601(hour)};
    };
    // Weeks 45–48 of 2026: 5 answers to 1.1 on each Tuesday.
    const char* tuesdays[] = {"2026-11-03T09:00:00Z", "2026-11-10T09:00:00Z", "2026-11-17T09:00:00Z",
                              "2026-11-24T09:00:00Z"};
    unsigned id = 1;
    for (const char* day : tuesdays) {
        std::vector<Answer> batch;
        for (int i = 0; i < 5; ++i) batch.push_back(answer(id++, "1.1", day));
        REQUIRE(store->store_batch("wp-a", "term-a", batch).kind == StoreResult::Kind::stored);
    }
    // Week 47 is published and sealed before week 48 is; then one late answer for week 45 arrives.
    REQUIRE_MESSAGE(seal_published_weeks(*store, config, publication_moment(config, {2026, 47}), &error), error);
    REQUIRE(store->store_batch("wp-a", "term-a", std::vector<Answer>{answer(id++, "1.1", tuesdays[0])}).kind ==
            StoreResult::Kind::stored);
    const PublishedSummary s =
        published_summary(*store, config, "wp-a", {2026, 48}, "da", publication_moment(config, {2026, 48}));
    REQUIRE_MESSAGE(s.status == PublishedSummary::Status::ok, s.message);
    REQUIRE(s.summary.question_span == QuestionSpan::period);
    CHECK(question(s.summary, "1.1").n == 20);  // not 21
    CHECK(store->answers_in_week("wp-a", {2026, 45}) == 6);
}

TEST_CASE("a week sealed before periods reads back with weekly statements; JSON, CSV and HTML say which weeks a statement covers") {
    // Format 1, as sealed before this change: weekly statements, no counts.
    const std::string legacy = R"({"sealed":1,"workplace":"w","week":"2026-W44","min_answers":5,"answers_withheld":false,
        "answers":6,"weekdays":[6,0,0,0,0,0,0],"themes":[{"id":"1","figures":{"withheld":false,"n":6,"mean":4.0,
        "favourable":1.0,"distribution":[0,0,0,6,0],"dont_know":0,"change":null,"trend":[null,null,null,4.0]},
        "questions":[{"id":"1.1","active":true,"figures":{"withheld":false,"n":6,"mean":4.0,"favourable":1.0,
        "distribution":[0,0,0,6,0],"dont_know":0,"change":null,"trend":[null,null,null,4.0]}}]}]})";
    const std::optional<SealedSummary> old = parse_sealed(legacy);
    REQUIRE(old);
    CHECK(old->summary.question_span == QuestionSpan::week);
    CHECK_FALSE(old->counts);
    // A period whose weeks include one sealed so has no statement figures: nothing to add up.
    std::array<const SealedSummary*, 3> earlier{&*old, nullptr, nullptr};
    const SealedSummary w45 = seal_summary("w", {2026, 45}, bank(), busy_week(10), 5, earlier);
    CHECK(w45.summary.question_span == QuestionSpan::none);
    CHECK(question(w45.summary, "1.1").withheld);

    const std::vector<SealedSummary> sealed =
        seal_in_order({2026, 41}, {busy_week(10), busy_week(10), busy_week(10), busy_week(10), busy_week(10)});
    Summary s = sealed[4].summary;  // week 45 shows 41–44
    localize_summary(s, bank(), "da");
    const nlohmann::json j = nlohmann::json::parse(summary_json(s));
    CHECK(j["questions"]["span"] == "period");
    CHECK(j["questions"]["from"] == "2026-W41");
    CHECK(j["questions"]["to"] == "2026-W44");
    CHECK(j["questions"]["trend_periods"][0]["from"] == "2026-W29");
    const std::string csv = summary_csv(s, shipped_summary_texts());
    CHECK(csv.find("\"spørgsmål\";\"Mål\";\"1.1\";\"Min leder sætter mål.\";40;") != std::string::npos);
    CHECK(csv.find(";\"2026-W41/2026-W44\"\r\n") != std::string::npos);
    CHECK(csv.find(";\"2026-W45\"\r\n") != std::string::npos);
    const std::string html = summary_html(s, shipped_summary_texts());
    CHECK(html.find("Udsagnene herunder viser uge 41–44 lagt sammen") != std::string::npos);
    CHECK(html.find("Udsagn, uge 41–44") != std::string::npos);
    CHECK(html.find("Gennemsnit de sidste 4 perioder à 4 uger: uge 29–32: –") != std::string::npos);

    // While no period is published, the page says so and lists no statement.
    Summary none = sealed[2].summary;  // week 43: period 37–40 was never sealed here
    REQUIRE(none.question_span == QuestionSpan::none);
    localize_summary(none, bank(), "en");
    const std::string page = summary_html(none, shipped_summary_texts());
    CHECK(page.find("shown once a whole period of published weeks has ended") != std::string::npos);
    CHECK(page.find("My manager sets goals.") == std::string::npos);
    CHECK(page.find("too few answers") == std::string::npos);
    CHECK(summary_csv(none, shipped_summary_texts()).find("\"1.1\"") == std::string::npos);
}

}  // namespace collector_test_summary_period
