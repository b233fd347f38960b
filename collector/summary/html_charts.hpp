// html_charts.hpp — the summary page's charts of one item, the same markup in
// a browser and in an e-mail: table cells and inline styles only (no SVG, no
// flexbox, no <style>), which Outlook for Windows, Gmail and browsers draw
// alike. A diverging bar with its shares written at both ends (readable
// without colour), its legend, and the trend as weeks and means. Internal to
// collector/summary/.
#pragma once

#include "collector/summary/summary.hpp"
#include "collector/summary/summary_texts.hpp"

#include <string>
#include <vector>

namespace pulse {

// The bar's colours: answers 1–2, 3 and 4–5, the ends of the kiosk's answer
// buttons' ramp (kiosk/ui.hpp, Palette::scale) and its neutral middle.
inline constexpr const char* kBarColours[3] = {"#C8553D", "#D9D9D9", "#2F6FA8"};

// f's answers as one diverging bar: 1–2 left of a centre line, 3 split
// across it, 4–5 right of it, each part's width its share; the disagree
// share written at the left end (w.disagree) and the agree share at the
// right (w.agree), whole percentages. A one-row <table class="bar">, with the
// answers per value 1..5 in its aria-label. "" for withheld figures or n 0.
std::string diverging_bar(const Figures& f, const SummaryWords& w);

// The bar's legend, a line of three coloured squares each with its word
// (w.bar_legend), in the bar's order; placed right above a theme's bars.
std::string bar_legend(const SummaryWords& w);

// f's trend as text with its scale, oldest first: label (w.trend, or
// w.trend_periods for a statement), then each mean as w.trend_week with its
// week or period from `when` ("uge 46: 3,8", "uge 41–44: 3,8"), "–" where
// withheld, decimal mark `mark`. A <p class="trend">; "" without a trend.
std::string trend_line(const Figures& f, const SummaryWords& w, char mark, const std::string& label,
                       const std::vector<std::string>& when);

}  // namespace pulse
