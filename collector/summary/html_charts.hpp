// html_charts.hpp — the HTML page's charts of one item: for a browser inline
// SVG (a stacked bar, a sparkline); for an e-mail, where Outlook and Gmail draw
// no SVG, a row of table cells and the trend as text. Internal to collector/summary/.
#pragma once

#include "collector/summary/summary.hpp"
#include "collector/summary/summary_texts.hpp"

#include <string>

namespace pulse {

// The colours of the answers 1..5, as on the kiosk's answer buttons
// (kiosk/ui.hpp, Palette::scale), on the bars and in the legend.
inline constexpr const char* kRamp[5] = {"#C8553D", "#EBA47C", "#D9D9D9", "#8CB7D8", "#2F6FA8"};

// For a browser: f's 1..5 distribution as one horizontal stacked <svg>, 100 %
// wide, each value in its kRamp colour, labelled with w.scale words and counts.
std::string distribution_svg(const Figures& f, const SummaryWords& w);

// For a browser: f's trend (weekly means 1..5) as a small <svg> line with a
// dot per shown week and a gap where a week was withheld; "" without a trend.
// Means in the aria-label with decimal mark `mark`.
std::string sparkline_svg(const Figures& f, const SummaryWords& w, char mark);

// For an e-mail: distribution_svg as a one-row <table> of coloured cells,
// with the same colours and label.
std::string distribution_table(const Figures& f, const SummaryWords& w);

// For an e-mail: f's trend as text, oldest first, "–" where withheld, in a
// <span class="trend">; "" without a trend.
std::string trend_text(const Figures& f, const SummaryWords& w, char mark);

}  // namespace pulse
