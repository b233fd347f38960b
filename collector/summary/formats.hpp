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
// weekday, trend_weeks, and themes with their questions, each with withheld,
// n, mean, favourable, distribution, dont_know, change and trend; a withheld
// item as "withheld": true with no figure key at all.
// Words are not part of it (keys only), so it takes no texts. Cannot fail.
std::string summary_json(const Summary& summary);

// The summary as CSV for Danish Excel: UTF-8 BOM, ';', CRLF, decimal comma,
// text quoted (a leading = + - @ gets a ' so Excel runs no formula); the
// header and labels in summary.language from texts, a withheld figure as its
// too_few word in every figure column. Cannot fail.
std::string summary_csv(const Summary& summary, const SummaryTexts& texts);

// summary_html's charts: inline SVG for a browser; for an e-mail, where
// Outlook and Gmail draw no SVG, table cells and text instead.
enum class HtmlFor { browser, email };

// What the browser pages (collector/web/) put around the summary: their site
// header, HTML inserted as it is first in <body> (the caller escapes what it
// holds), and a class on <body> ("print-view" lays the page out as it prints).
struct HtmlChrome {
    std::string header_html;
    std::string body_class;
};

// The summary as one self-contained HTML page (inline style from
// summary.css, no script, no external asset), every word in summary.language
// from texts, bank texts escaped, a withheld figure as its too_few word;
// chrome around it as given. Cannot fail.
std::string summary_html(const Summary& summary, const SummaryTexts& texts, HtmlFor target = HtmlFor::browser,
                         const HtmlChrome& chrome = {});

}  // namespace pulse
