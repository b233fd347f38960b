// formats.hpp — the weekly summary as JSON, CSV (Danish Excel) and one
// self-contained HTML page, for a browser or an e-mail. Renderers only: they
// show what build_summary left (summary.hpp), never a withheld figure.
#pragma once

#include "collector/summary/summary.hpp"
#include "collector/summary/summary_texts.hpp"

#include <string>

namespace pulse {

// The summary as pretty JSON (2 spaces, a final newline): workplace, week,
// language, min_answers, answers (or answers_withheld), participation per
// weekday, trend_weeks, questions (the weeks the questions cover: span week,
// period or none, from, to, and a period's trend_periods), and themes with
// their questions, each with withheld,
// n, mean, favourable, distribution, dont_know, change and trend; a withheld
// item as "withheld": true with no figure key at all.
// Words are not part of it (keys only), so it takes no texts. Cannot fail.
std::string summary_json(const Summary& summary);

// The summary as CSV for Danish Excel: UTF-8 BOM, ';', CRLF, decimal comma,
// text quoted (a leading = + - @ gets a ' so Excel runs no formula); the
// header and labels in summary.language from texts, a withheld figure as its
// too_few word in every figure column; the last column the weeks a row
// covers (a statement's period as "2026-W41/2026-W44"; no statement rows
// while question_span is none). Cannot fail.
std::string summary_csv(const Summary& summary, const SummaryTexts& texts);

// Where summary_html's page is shown. The markup is the same (tables and
// inline styles, no SVG, flexbox or grid); only a browser gets summary.css
// as a <style> element, for the web pages' site header and for print.
enum class HtmlFor { browser, email };

// What the browser pages (collector/web/) put around the summary, each HTML
// inserted as it is (the caller escapes what it holds): their site header,
// first in <body>; what goes under the headline (the manager's response,
// issue 15) and at the end of <main> (the response's form and audit list);
// and a class on <body> ("print-view" lays the page out as it prints).
struct HtmlChrome {
    std::string header_html;
    std::string lead_html;
    std::string tail_html;
    std::string body_class;
};

// The summary as one self-contained HTML page (no script, no external
// asset), every word in summary.language from texts, bank texts escaped:
// the headline; a table of the themes (mean, % agree 4–5, % disagree 1–2,
// change, n) with what "too few answers" means and the answers per weekday
// (none for a day nobody answered); the changes that pass change_is_notable,
// as sentences, with the rule; the highest beside the lowest means; a line
// saying which weeks the statements cover (summary.question_span: their
// 4-week period, or that none is published yet); then each theme with its
// shown questions (diverging bar, trend with its weeks or periods) and its
// withheld ones grouped last (no question at all while span is none). Every cut-off (the "low" mark, a coloured
// change) applies to the figure as shown. A withheld figure is its too_few
// word; chrome around it as given. Cannot fail.
std::string summary_html(const Summary& summary, const SummaryTexts& texts, HtmlFor target = HtmlFor::browser,
                         const HtmlChrome& chrome = {});

}  // namespace pulse
