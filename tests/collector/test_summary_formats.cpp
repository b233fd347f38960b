// test_summary_formats.cpp — the summary as JSON, CSV and HTML: the fields the
// issue names, withheld items without a single figure in any format, Danish
// Excel conventions, a self-contained escaped page that opens with the theme
// table, lists a change only by the printed rule, marks a figure by what it
// shows, groups withheld items last, and is the e-mail's markup but for its
// <style>; and run_report over a fake in-memory store.
#include "collector_fixture.hpp"  // ScriptedStore
#include "collector/publication.hpp"
#include "collector/report.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_summary_formats {

namespace {

using namespace pulse;

QuestionBank fixture_bank() {
    QuestionBank bank;
    bank.themes = {{"1", {{"da", "Lederskab"}, {"en", "Leadership"}}, {}, 0},
                   {"2", {{"da", "Kommunikation & <dialog>"}, {"en", "Communication & <dialogue>"}}, {}, 0}};
    auto q = [](std::string id, std::string theme, std::string da, std::string en) {
        return Question{std::move(id), std::move(theme), {{"da", std::move(da)}, {"en", std::move(en)}}, true, 0};
    };
    bank.questions = {q("1.1", "1", "Min leder sætter \"klare\" mål.", "My manager sets \"clear\" goals."),
                      q("1.2", "1", "Min leder følger op.", "My manager follows up."),
                      q("2.1", "2", "<script>alert(1)</script>", "=SUM(A1)"),
                      q("2.2", "2", "Min leder forklarer.", "My manager explains.")};
    return bank;
}

constexpr IsoWeek kWeek{2026, 48};

// 1.1: 5,5,4,3,2,1,4 + 2 × ved ikke (Mon/Tue); 1.2: six 3s (Mon); 2.1: 2 answers (withheld),
// which withholds 2.2 (five 4s) with it. Last week 1.1: five 4s.
std::vector<AnswerCount> fixture_counts() {
    std::vector<AnswerCount> c;
    auto add = [&](const char* q, std::optional<int> v, std::int64_t n, int day, int offset = 0) {
        c.push_back(AnswerCount{q, v, offset, day, n});
    };
    add("1.1", 5, 2, 0);
    add("1.1", 4, 1, 0);
    add("1.1", 3, 1, 1);
    add("1.1", 2, 1, 1);
    add("1.1", 1, 1, 1);
    add("1.1", 4, 1, 1);
    add("1.1", std::nullopt, 2, 1);
    add("1.2", 3, 6, 0);
    add("2.1", 1, 2, 0);
    add("2.2", 4, 5, 1);
    add("1.1", 4, 5, 0, 1);
    return c;
}

Summary fixture_summary(const std::string& language = "da") {
    return build_summary("skolen", kWeek, fixture_bank(), fixture_counts(), 5, language);
}

const std::vector<std::string> kFigureKeys = {"n", "mean", "favourable", "distribution", "dont_know", "change", "trend"};

using FakeStore = pulse::testing::ScriptedStore;
using pulse::testing::shipped_summary_texts;

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the JSON summary has the issue's fields with the hand-computed figures") {
    const auto j = nlohmann::json::parse(summary_json(fixture_summary()));
    CHECK(j["workplace"] == "skolen");
    CHECK(j["week"] == "2026-W48");
    CHECK(j["min_answers"] == 5);
    CHECK(j["answers"] == 22);  // 9 + 6 + 2 + 5
    REQUIRE(j["themes"].size() == 2);
    const auto& t1 = j["themes"][0];
    CHECK(t1["id"] == "1");
    CHECK(t1["title"] == "Lederskab");
    CHECK(t1["withheld"] == false);
    CHECK(t1["n"] == 13);  // 7 + 6
    CHECK(t1["distribution"] == nlohmann::json::array({1, 1, 7, 2, 2}));
    CHECK(t1["mean"].get<double>() == doctest::Approx(42.0 / 13));  // 24 + 18
    CHECK(t1["favourable"].get<double>() == doctest::Approx(4.0 / 13));
    CHECK(t1["dont_know"] == 2);
    const auto& q11 = t1["questions"][0];
    CHECK(q11["id"] == "1.1");
    CHECK(q11["text"] == "Min leder sætter \"klare\" mål.");
    CHECK(q11["n"] == 7);
    CHECK(q11["mean"].get<double>() == doctest::Approx(24.0 / 7));
    CHECK(q11["favourable"].get<double>() == doctest::Approx(4.0 / 7));
    CHECK(q11["change"].get<double>() == doctest::Approx(24.0 / 7 - 4));
    REQUIRE(q11["trend"].size() == 4);
    CHECK(q11["trend"][0].is_null());
    CHECK(q11["trend"][2].get<double>() == doctest::Approx(4.0));
    CHECK(j["trend_weeks"] == nlohmann::json::array({"2026-W45", "2026-W46", "2026-W47", "2026-W48"}));
    REQUIRE(j["participation"].size() == 7);
    CHECK(j["participation"][0]["weekday"] == "monday");
    CHECK(j["participation"][0]["answers"] == 11);  // 3 + 6 + 2
    CHECK(j["participation"][1]["answers"] == 11);  // 4 + 2 + 5
    CHECK(j["participation"][2]["withheld"] == false);  // nobody answered on Wednesday: 0, not "too few"
    CHECK(j["participation"][2]["answers"] == 0);
}

TEST_CASE("a withheld item in the JSON has withheld true and no figure keys at all") {
    const auto j = nlohmann::json::parse(summary_json(fixture_summary()));
    const auto& t2 = j["themes"][1];
    CHECK(t2["withheld"] == false);
    for (const auto& q : t2["questions"]) {  // 2.1 (2 answers) and 2.2, withheld with it
        CAPTURE(q.dump());
        CHECK(q["withheld"] == true);
        for (const auto& key : kFigureKeys) CHECK_FALSE(q.contains(key));
    }
    // Everything withheld: a week of 3 answers.
    std::vector<AnswerCount> few{{"1.1", 4, 0, 0, 3}};
    const auto k = nlohmann::json::parse(summary_json(build_summary("s", kWeek, fixture_bank(), few, 5, "da")));
    CHECK(k["answers_withheld"] == true);
    CHECK_FALSE(k.contains("answers"));
    for (const auto& t : k["themes"]) {
        CHECK(t["withheld"] == true);
        for (const auto& key : kFigureKeys) CHECK_FALSE(t.contains(key));
    }
}

TEST_CASE("the CSV opens in Danish Excel: BOM, semicolons, decimal comma, quoted text, too few answers in words") {
    const std::string csv = summary_csv(fixture_summary(), shipped_summary_texts());
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    std::istringstream lines(csv.substr(3));
    std::string header;
    std::getline(lines, header);
    CHECK(header == "niveau;tema;id;tekst;n;gennemsnit;enige %;uenige %;1;2;3;4;5;ved ikke;ændring;uger\r");
    // 1.1: mean 24/7 = 3,43; agree 4/7 = 57,1 %; disagree 2/7 = 28,6 %; change 24/7 − 4 = −0,57.
    CHECK(csv.find("\"spørgsmål\";\"Lederskab\";\"1.1\";\"Min leder sætter \"\"klare\"\" mål.\";7;3,43;57,1;28,6;1;1;1;2;2;2;-0,57;\"2026-W48\"\r\n") !=
          std::string::npos);
    // Theme 1: 42/13 = 3,23; 4/13 = 30,8 %; 2/13 = 15,4 %; last week's theme mean 4 → −0,77.
    CHECK(csv.find("\"tema\";\"Lederskab\";\"1\";\"Lederskab\";13;3,23;30,8;15,4;1;1;7;2;2;2;-0,77;\"2026-W48\"\r\n") != std::string::npos);
    // 2.1 withheld: every figure column says so, no number.
    CHECK(csv.find("\"spørgsmål\";\"Kommunikation & <dialog>\";\"2.1\";\"<script>alert(1)</script>\"" + [] {
              std::string s;
              for (int i = 0; i < 11; ++i) s += ";\"for få svar\"";
              return s;
          }() + ";\"2026-W48\"\r\n") != std::string::npos);
    CHECK(csv.find("\"deltagelse\";;\"2026-W48\";\"hele ugen\";22;") != std::string::npos);
    // Nobody answered on Wednesday: 0, not "for få svar".
    CHECK(csv.find("\"deltagelse\";;\"2026-W48\";\"onsdag\";0;") != std::string::npos);
    // Every row has the header's 16 columns, the last the weeks it covers.
    std::string row;
    while (std::getline(lines, row)) {
        std::size_t separators = 0;
        bool quoted = false;
        for (char c : row) {
            if (c == '"') quoted = !quoted;
            else if (c == ';' && !quoted) ++separators;
        }
        CAPTURE(row);
        CHECK(separators == 15);
        CHECK(row.find(";\"2026-W48\"\r") != std::string::npos);
    }
}

TEST_CASE("the English CSV says too few answers and keeps formulas out of Excel") {
    const std::string csv = summary_csv(fixture_summary("en"), shipped_summary_texts());
    CHECK(csv.find("level;theme;id;text;n;mean;agree %;disagree %") != std::string::npos);
    CHECK(csv.find("\"too few answers\"") != std::string::npos);
    CHECK(csv.find("\"'=SUM(A1)\"") != std::string::npos);
}

// The part of page from the element with id="<id>" to the next `until` ("</tr>", "</section>").
std::string element(const std::string& page, const std::string& id, const std::string& until) {
    const std::size_t at = page.find("id=\"" + id + "\"");
    REQUIRE_MESSAGE(at != std::string::npos, "no id ", id);
    return page.substr(at, page.find(until, at) - at);
}

TEST_CASE("the HTML page is self-contained, escaped, printable, opens with the theme table and groups withheld items") {
    const std::string page = summary_html(fixture_summary(), shipped_summary_texts());
    CHECK(page.rfind("<!doctype html>", 0) == 0);
    CHECK(page.find("<html lang=\"da\">") != std::string::npos);
    CHECK(page.find("name=\"viewport\"") != std::string::npos);
    CHECK(page.find("@media print") != std::string::npos);
    CHECK(page.find("size:A4") != std::string::npos);
    // No external assets.
    for (const char* external : {"http://", "https://", "<link", "<script", "src=", "@import", "url("}) {
        CAPTURE(external);
        CHECK(page.find(external) == std::string::npos);
    }
    // Bank text is escaped.
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(page.find("Kommunikation &amp; &lt;dialog&gt;") != std::string::npos);
    // Headline: the week and its dates, participation; then the theme table before anything else.
    CHECK(page.find("Uge 48, 2026 · 23. – 29. november 2026") != std::string::npos);
    CHECK(page.find("22 svar i ugen") != std::string::npos);
    const std::size_t table = page.find("<table class=\"themes\"");
    REQUIRE(table != std::string::npos);
    CHECK(table < page.find("class=\"highlights\""));
    CHECK(table < page.find("class=\"days\""));
    // Theme 1 (1,1,7,2,2; n 13): mean 3,2, 31 % agree, 15 % disagree, ▼ 0,8 from last week's 4, 13 answers.
    const std::string row1 = element(page, "row-1", "</tr>");
    for (const char* cell : {">3,2<", ">31 %<", ">15 %<", "▼ 0,8", ">13<"}) {
        CAPTURE(cell);
        CHECK(row1.find(cell) != std::string::npos);
    }
    // Theme 2 (2 × 1, 5 × 4; n 7): 3,1 with "lav"? No: 3,1 is not under 3,0. 71 % and 29 %.
    const std::string row2 = element(page, "row-2", "</tr>");
    CHECK(row2.find(">71 %<") != std::string::npos);
    CHECK(row2.find(">29 %<") != std::string::npos);
    CHECK(row2.find("lav") == std::string::npos);
    // What "for få svar" means, in one line, and the days: none for a day nobody answered.
    CHECK(page.find("»For få svar«: færre end 5 svar, eller et tal, der ville gøre det muligt at regne et andet skjult tal ud.") !=
          std::string::npos);
    const std::string days = page.substr(page.find("class=\"days\""), page.find("</p>", page.find("class=\"days\"")) -
                                                                         page.find("class=\"days\""));
    CHECK(days.find(">man</abbr> 11") != std::string::npos);
    CHECK(days.find(">tir</abbr> 11") != std::string::npos);
    CHECK(days.find(">ons<") == std::string::npos);
    CHECK(days.find("for få svar") == std::string::npos);
    // Charts: a diverging bar per shown item with its shares written at the ends, the trend with its weeks; no SVG.
    CHECK(page.find("<svg") == std::string::npos);
    CHECK(occurrences(page, "<table class=\"bar\"") == 4);  // themes 1 and 2, questions 1.1 and 1.2
    const std::string q11 = element(page, "q-1.1", "</div>");
    CHECK(q11.find(">29 % uenige<") != std::string::npos);  // 1 + 2 of 7
    CHECK(q11.find(">57 % enige<") != std::string::npos);   // 4 + 5 of 7
    CHECK(q11.find("Gennemsnit de sidste 4 uger: uge 45: – · uge 46: – · uge 47: 4,0 · uge 48: 3,4") != std::string::npos);
    CHECK(occurrences(page, "class=\"legend\"") == 2);  // above each shown theme's bar
    // ▼ 0,6 on 7 answers is chance by the rule: not listed, not coloured; the rule is printed.
    CHECK(q11.find("<span class=\"change\"") != std::string::npos);
    CHECK(page.find("Ingen ændring lever op til reglen herunder.") != std::string::npos);
    CHECK(page.find("mindst 20 svar i begge uger (udsagn: begge perioder) og er mindst dobbelt så store som deres standardfejl") != std::string::npos);
    // "Højest" beside "Lavest", as sentences.
    CHECK(element(page, "theme-1", "</section>").find("Højest") == std::string::npos);
    CHECK(page.find("<td class=\"highest\"") < page.find("<td class=\"lowest\""));
    CHECK(page.find("»Min leder sætter &quot;klare&quot; mål.«: 3,4 i gennemsnit (7 svar).") != std::string::npos);
    CHECK(page.find("»Min leder følger op.«: 3,0 i gennemsnit (6 svar).") != std::string::npos);
    CHECK(page.find("positive") == std::string::npos);
    // Withheld: 2.1 and 2.2 last in their theme, under one heading, with no figure.
    const std::string theme2 = element(page, "theme-2", "</section>");
    const std::size_t group = theme2.find("class=\"withheld-group\"");
    REQUIRE(group != std::string::npos);
    CHECK(group > theme2.find("<table class=\"bar\""));
    CHECK(theme2.find("Uden tal:", group) != std::string::npos);
    CHECK(theme2.find("id=\"q-2.1\"", group) != std::string::npos);
    CHECK(theme2.find("id=\"q-2.2\"", group) != std::string::npos);
    CHECK(theme2.find("<table class=\"bar\"", group) == std::string::npos);
}

TEST_CASE("every cut-off applies to the figure as shown: a mean shown as 3,0 is never low, one shown as 2,9 always is") {
    // 1.1: 59/20 = 2,95, shown 3,0; 1.2: 58/20 = 2,90, shown 2,9.
    std::vector<AnswerCount> c;
    auto add = [&](const char* q, int v, std::int64_t n) { c.push_back(AnswerCount{q, v, 0, 0, n}); };
    add("1.1", 3, 19);
    add("1.1", 2, 1);
    add("1.2", 3, 18);
    add("1.2", 2, 2);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    const std::string page = summary_html(s, shipped_summary_texts());
    const std::string q11 = element(page, "q-1.1", "</div>");
    const std::string q12 = element(page, "q-1.2", "</div>");
    CHECK(q11.find(">3,0") != std::string::npos);
    CHECK(q11.find("class=\"low\"") == std::string::npos);
    CHECK(q12.find(">2,9") != std::string::npos);
    CHECK(q12.find("class=\"low\"") != std::string::npos);
}

TEST_CASE("a change is called out only when it passes the printed rule, as a sentence, coloured in table and list") {
    // 1.1: twenty 4s against ten 3s and ten 4s: ▲ 0,5, standard error 0,11: listed.
    // 1.2: twenty 3s both weeks: no change. Theme 1: 3,25 → 3,5, shown ▲ 0,3 ≥ 2 × 0,11: listed.
    // 2.1: nineteen 5s against ten 3s and nine 4s: ▲ 1,5 but 19 answers: not listed, not coloured.
    std::vector<AnswerCount> c;
    auto add = [&](const char* q, int v, std::int64_t n, int offset) { c.push_back(AnswerCount{q, v, offset, 0, n}); };
    add("1.1", 4, 20, 0);
    add("1.1", 3, 10, 1);
    add("1.1", 4, 10, 1);
    add("1.2", 3, 20, 0);
    add("1.2", 3, 20, 1);
    add("2.1", 5, 19, 0);
    add("2.1", 3, 10, 1);
    add("2.1", 4, 9, 1);
    const Summary s = build_summary("skolen", kWeek, fixture_bank(), c, 5, "da");
    const std::string page = summary_html(s, shipped_summary_texts());
    const std::size_t moved = page.find("<ul class=\"moved\"");
    REQUIRE(moved != std::string::npos);
    const std::string list = page.substr(moved, page.find("</ul>", moved) - moved);
    CHECK(list.find("»Min leder sætter &quot;klare&quot; mål.« er steget fra 3,5 til 4,0 i gennemsnit siden sidste uge (20 og 20 svar).") !=
          std::string::npos);
    CHECK(list.find("»Lederskab« er steget fra 3,3 til 3,5 i gennemsnit siden sidste uge (40 og 40 svar).") != std::string::npos);
    CHECK(list.find("alert") == std::string::npos);  // 2.1
    CHECK(list.find("følger op") == std::string::npos);
    CHECK(list.find("▲ 0,5") < list.find("▲ 0,3"));  // the larger change first
    CHECK(element(page, "row-1", "</tr>").find("class=\"change up\"") != std::string::npos);
    const std::string q21 = element(page, "q-2.1", "</div>");
    CHECK(q21.find("▲ 1,5") != std::string::npos);
    CHECK(q21.find("<span class=\"change\"") != std::string::npos);  // black: 19 answers
    CHECK(page.find("Ingen ændring") == std::string::npos);
}

// html's text: what is between its tags.
std::string text_of(const std::string& html) {
    std::string text;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<') in_tag = true;
        else if (c == '>') in_tag = false;
        else if (!in_tag) text += c;
    }
    return text;
}

TEST_CASE("in 300 random weeks the page shows no figure of a withheld theme or question, and the theme table's n are the summary's") {
    std::uint32_t seed = 4711;
    auto next = [&seed](int below) {  // a small LCG: the same weeks on every run
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(below));
    };
    const QuestionBank bank = fixture_bank();
    int withheld_questions = 0, withheld_themes = 0;
    for (int round = 0; round < 300; ++round) {
        std::vector<AnswerCount> c;
        for (const Question& q : bank.questions) {
            for (int offset = 0; offset < 2; ++offset) {
                const int kinds = next(4);
                for (int k = 0; k < kinds; ++k) {
                    const int v = next(6);
                    c.push_back(AnswerCount{q.id, v == 0 ? std::nullopt : std::optional<int>(v), offset, next(7),
                                            1 + next(5)});
                }
            }
        }
        const Summary s = build_summary("skolen", kWeek, bank, c, 5, "da");
        const std::string page = summary_html(s, shipped_summary_texts());
        CAPTURE(round);
        for (const ThemeSummary& t : s.themes) {
            const std::string row = element(page, "row-" + t.id, "</tr>");
            const std::string cells = row.substr(row.find("</th>"));
            if (t.figures.withheld) {
                ++withheld_themes;
                CHECK(text_of(cells) == "for få svar");  // no figure at all
            } else {
                const std::string n_cell = ">" + std::to_string(t.figures.n) + "</td>";
                CHECK(cells.compare(cells.size() - n_cell.size(), n_cell.size(), n_cell) == 0);
            }
            for (const QuestionSummary& q : t.questions) {
                if (!q.figures.withheld) continue;
                ++withheld_questions;
                CHECK(page.find("<div class=\"question\" id=\"q-" + q.id + "\"") == std::string::npos);
                const std::size_t group = page.find("class=\"withheld-group\"", page.find("id=\"theme-" + t.id + "\""));
                CHECK(group < page.find("<li id=\"q-" + q.id + "\""));
            }
        }
    }
    CHECK(withheld_themes > 0);
    CHECK(withheld_questions > 0);
}

TEST_CASE("the e-mail's HTML is the page's markup without the style element: tables and inline styles only") {
    const Summary summary = fixture_summary();
    const std::string page = summary_html(summary, shipped_summary_texts());
    const std::string mail = summary_html(summary, shipped_summary_texts(), HtmlFor::email);
    for (const char* outlook_drops : {"<style", "display:flex", "display:grid", "<svg", "class=\"figures\" style=\"display"}) {
        CAPTURE(outlook_drops);
        CHECK(mail.find(outlook_drops) == std::string::npos);
    }
    // The same figures and words as the browser's page: only the <style> element differs.
    const std::size_t style = page.find("<style>");
    REQUIRE(style != std::string::npos);
    const std::size_t style_end = page.find("</style>\n", style) + 9;
    CHECK(page.substr(0, style) + page.substr(style_end) == mail);
    // Each bar's cells span the bar area: the shares and the space beside them sum to 100 %.
    for (std::size_t at = mail.find("<table class=\"bar\""); at != std::string::npos;
         at = mail.find("<table class=\"bar\"", at + 1)) {
        const std::string bar = mail.substr(at, mail.find("</table></td>", at) - at);
        double sum = 0;
        for (std::size_t w = bar.find("<td width=\""); w != std::string::npos; w = bar.find("<td width=\"", w + 1)) {
            if (bar.compare(w + 11, 4, "24%\"") == 0) continue;  // the labels' cells
            sum += std::stod(bar.substr(w + 11, bar.find('%', w) - w - 11));
        }
        CHECK(sum == doctest::Approx(100.0).epsilon(0.002));
    }
    CHECK(mail.find("bgcolor=\"#C8553D\"") != std::string::npos);
}

TEST_CASE("the HTML page is in English when asked") {
    const std::string page = summary_html(fixture_summary("en"), shipped_summary_texts());
    CHECK(page.find("<html lang=\"en\">") != std::string::npos);
    CHECK(page.find("Week 48, 2026 · 23 – 29 November 2026") != std::string::npos);
    CHECK(page.find("too few answers") != std::string::npos);
    CHECK(page.find("for få svar") == std::string::npos);
    CHECK(page.find("Leadership") != std::string::npos);
}

// A config for run_report over the fixture: its bank, the shipped words,
// min_answers 5, a manager of "skolen".
CollectorConfig fixture_config() {
    CollectorConfig c;
    c.banks = {fixture_bank()};
    c.summary_texts = shipped_summary_texts();
    c.min_answers = 5;
    c.workplace_entries.push_back({"skolen", "Skolen ved Stranden"});
    ManagerEntry m;
    m.name = "Leder";
    m.email = "leder@ishoj.dk";
    m.workplaces = {"skolen"};
    c.managers.push_back(m);
    return c;
}

// The fixture's week as it is published: its themes, and its statements over
// the 4-week period 45–48, which holds weeks 47 and 48 of the fixture (the
// period before, 41–44, has no seal of week 41 and so no figures: no change,
// a trend of this period alone).
Summary published_fixture() {
    Summary s = fixture_summary();
    std::vector<AnswerCount> merged = fixture_counts();
    for (AnswerCount& c : merged) c.week_offset = 0;
    const Summary period = build_summary("skolen", kWeek, fixture_bank(), merged, 5, "da");
    for (std::size_t t = 0; t < s.themes.size(); ++t) {
        for (std::size_t q = 0; q < s.themes[t].questions.size(); ++q) {
            Figures f = period.themes[t].questions[q].figures;
            if (!f.withheld) {
                f.change.reset();
                f.change_se.reset();
                f.previous_n = 0;
                f.trend = {std::nullopt, std::nullopt, std::nullopt, f.mean};
            }
            s.themes[t].questions[q].figures = f;
        }
    }
    s.question_span = QuestionSpan::period;
    s.questions_from = {2026, 45};
    s.questions_to = kWeek;
    return s;
}

TEST_CASE("run_report writes each format of the sealed week: the same figures as the summary of its counts") {
    const CollectorConfig config = fixture_config();
    const UnixSeconds published = publication_moment(config, kWeek);
    for (const char* format : {"json", "csv", "html"}) {
        FakeStore store;  // a fresh store: the week and the four before sealed from the fixture's counts
        store.rows = fixture_counts();
        store.rows_week = kWeek;
        std::ostringstream out, err;
        CAPTURE(format);
        CHECK(run_report(store, config, "skolen", kWeek, format, "da", published, out, err) == 0);
        CHECK(err.str().empty());
        CHECK(store.sealed_weeks.count(kWeek) == 1);
        CHECK(store.sealed_weeks.size() == static_cast<std::size_t>(kFirstSealWeeks));
        Summary expected = published_fixture();
        expected.workplace_name = "Skolen ved Stranden";  // the [[workplace]] name, as readers know it
        CHECK(out.str() == (std::string(format) == "json"  ? summary_json(expected)
                            : std::string(format) == "csv" ? summary_csv(expected, shipped_summary_texts())
                                                           : summary_html(expected, shipped_summary_texts())));
        if (std::string(format) != "csv") CHECK(out.str().find("Skolen ved Stranden") != std::string::npos);
    }
}

TEST_CASE("run_report says why and exits 1 without writing when the store cannot be read or the week is not published") {
    const CollectorConfig config = fixture_config();
    FakeStore store;
    store.rows = fixture_counts();
    store.fail_with = "collector.sqlite3: cannot read the counts: disk I/O error";
    std::ostringstream out, err;
    CHECK(run_report(store, config, "skolen", kWeek, "html", "da", publication_moment(config, kWeek), out, err) == 1);
    CHECK(out.str().empty());
    CHECK(err.str() == "[storage] database: collector.sqlite3: cannot read the counts: disk I/O error\n");

    FakeStore fine;
    std::ostringstream early, why;
    CHECK(run_report(fine, config, "skolen", kWeek, "html", "da", publication_moment(config, kWeek) - 1, early, why) == 1);
    CHECK(early.str().empty());
    CHECK(why.str() == "week 2026-W48 is published at 2026-11-30T06:00:00Z (Monday 07:00 Copenhagen time); "
                       "nothing of it is shown before\n");
    CHECK(fine.sealed_weeks.empty());
}

TEST_CASE("run_report refuses an unknown format or language with exit 2 and writes nothing") {
    const CollectorConfig config = fixture_config();
    FakeStore store;
    std::ostringstream out, err;
    CHECK(run_report(store, config, "skolen", kWeek, "pdf", "da", publication_moment(config, kWeek), out, err) == 2);
    CHECK(err.str().find("pdf") != std::string::npos);
    CHECK(out.str().empty());
    std::ostringstream out2, err2;
    CHECK(run_report(store, config, "skolen", kWeek, "html", "de", publication_moment(config, kWeek), out2, err2) == 2);
    CHECK(err2.str().find("de") != std::string::npos);
    CHECK(out2.str().empty());
}

}  // namespace collector_test_summary_formats
