// format_text.hpp — what the summary's renderers (format_*.cpp, html_charts.cpp)
// share: numbers as text with the language's decimal mark, HTML escaping, the
// change arrow and the trend's weeks. Internal to collector/summary/.
#pragma once

#include "common/calendar.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pulse {

// value rounded to `decimals` places, with `mark` as the decimal mark; a
// value that rounds to zero is written without a sign ("0,0", never "-0,0").
std::string decimal(double value, int decimals, char mark);

// The decimal mark of a summary language: '.' for "en", else ','.
char decimal_mark(const std::string& language);

// text with & < > " ' as HTML character references: safe in element content
// and in a quoted attribute.
std::string html_escape(const std::string& text);

// "▲ 0,4" / "▼ 0,6" / "= 0,0" (one decimal, `mark`), or "" when there is no
// change to show.
std::string change_text(const std::optional<double>& change, char mark);

// value in tenths as decimal(value, 1, …) shows it: 2.46 → 25. Every cut-off
// (a low mean, a coloured change) compares this, so two figures that look
// the same are never marked differently.
long shown_tenths(double value);

// True when mean, as shown with one decimal, is below the scale's middle (3,0).
bool shown_low(double mean);

// share 0..1 as a whole percentage, "57" (the % sign is the texts').
std::string percent_text(double share);

// The four weeks of a summary's trend, oldest first, ending with week.
std::vector<IsoWeek> trend_weeks(IsoWeek week);

}  // namespace pulse
