// format_text.cpp — numbers, escaping and the change arrow for the summary's
// renderers (format_text.hpp).
#include "collector/summary/format_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace pulse {

std::string decimal(double value, int decimals, char mark) {
    const double scale = std::pow(10.0, decimals);
    double rounded = std::round(value * scale) / scale;
    if (rounded == 0.0) rounded = 0.0;  // no negative zero
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, rounded);
    std::string text = buffer;
    for (char& c : text) {
        if (c == '.') c = mark;
    }
    return text;
}

char decimal_mark(const std::string& language) { return language == "en" ? '.' : ','; }

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string change_text(const std::optional<double>& change, char mark) {
    if (!change) return "";
    const std::string amount = decimal(std::fabs(*change), 1, mark);
    if (amount == decimal(0.0, 1, mark)) return "= " + amount;
    return (*change > 0 ? "▲ " : "▼ ") + amount;
}

long shown_tenths(double value) {
    // Through the text decimal() writes, so the cut-off and the figure on the page can never disagree.
    const std::string text = decimal(value, 1, '.');
    const bool negative = text.front() == '-';
    const std::size_t dot = text.find('.');
    const long whole = std::labs(std::stol(text.substr(0, dot)));
    const long tenths = whole * 10 + (text[dot + 1] - '0');
    return negative ? -tenths : tenths;
}

bool shown_low(double mean) { return shown_tenths(mean) < 30; }

std::string percent_text(double share) { return decimal(share * 100.0, 0, '.'); }

std::vector<IsoWeek> trend_weeks(IsoWeek week) {
    std::vector<IsoWeek> weeks{week};
    for (int k = 0; k < 3; ++k) weeks.insert(weeks.begin(), previous_week(weeks.front()));
    return weeks;
}

}  // namespace pulse
