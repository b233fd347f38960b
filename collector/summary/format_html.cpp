// format_html.cpp — summary_html: the summary as one self-contained page,
// headline and participation, what moved and what is low, a legend, then
// each theme with its questions; charts from html_charts.cpp, style from summary.css.
#include "collector/summary/format_text.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/html_charts.hpp"
#include "collector/summary/summary_css.hpp"  // generated from summary.css (collector/CMakeLists.txt)

#include <algorithm>
#include <cmath>
#include <sstream>

namespace pulse {
namespace {

constexpr double kMovedEnough = 0.3;  // a change this large (in scale points) is called out
constexpr double kLowMean = 3.0;      // a mean below the scale's middle is marked low

// One line of the highlights box: an item's label and its change (or mean).
struct Highlight {
    std::string label;
    double value;
};

// Mean, change and favourable share of one item, or the too_few word;
// charts as SVG in a browser, as a table and text in an e-mail.
std::string figures_cells(const Figures& f, const SummaryWords& w, char mark, HtmlFor target) {
    std::ostringstream out;
    if (f.withheld) {
        out << "<div class=\"withheld\">" << html_escape(w.too_few) << "</div>";
        return out.str();
    }
    const bool low = f.mean && *f.mean < kLowMean;
    out << "<div class=\"figures\"><span class=\"mean" << (low ? " low" : "") << "\" title=\"" << html_escape(w.mean)
        << "\">" << (f.mean ? decimal(*f.mean, 1, mark) : "") << (low ? " <em>" + html_escape(w.low) + "</em>" : "")
        << "</span>";
    const std::string change = change_text(f.change, mark);
    if (!change.empty()) {
        const char* direction = *f.change >= kMovedEnough ? " up" : *f.change <= -kMovedEnough ? " down" : "";
        out << "<span class=\"change" << direction << "\" title=\"" << html_escape(w.change) << "\">" << change
            << "</span>";
    }
    const std::string percent = f.favourable ? decimal(*f.favourable * 100.0, 0, mark) : "";
    out << "<span class=\"n\">" << html_escape(fill_placeholders(w.item_answers, {{"n", std::to_string(f.n)}}))
        << " · " << html_escape(fill_placeholders(w.item_favourable, {{"percent", percent}}));
    if (f.dont_know) {
        out << " · " << html_escape(fill_placeholders(w.item_dont_know, {{"n", std::to_string(f.dont_know)}}));
    }
    out << "</span>";
    if (target == HtmlFor::email) {
        out << trend_text(f, w, mark) << "</div>" << distribution_table(f, w);
    } else {
        out << sparkline_svg(f, w, mark) << "</div>" << distribution_svg(f, w);
    }
    return out.str();
}

// "Uge 48, 2026 · 23. – 29. november 2026" from the week's Monday and Sunday.
std::string week_heading(IsoWeek week, const SummaryWords& w) {
    const std::int64_t monday = iso_week_monday(week);
    const CivilDate first = civil_from_days(monday), last = civil_from_days(monday + 6);
    const std::string first_day = std::to_string(first.day), last_day = std::to_string(last.day);
    const std::string& last_month = w.months[last.month - 1];
    const std::string year = std::to_string(last.year);
    const std::string dates =
        first.month == last.month
            ? fill_placeholders(w.dates_one_month, {{"first_day", first_day},
                                                    {"last_day", last_day},
                                                    {"month", last_month},
                                                    {"year", year}})
            : fill_placeholders(w.dates_two_months, {{"first_day", first_day},
                                                     {"first_month", w.months[first.month - 1]},
                                                     {"last_day", last_day},
                                                     {"last_month", last_month},
                                                     {"year", year}});
    return fill_placeholders(w.week_heading, {{"week", std::to_string(week.week)},
                                              {"year", std::to_string(week.year)},
                                              {"dates", dates}});
}

}  // namespace

std::string summary_html(const Summary& s, const SummaryTexts& texts, HtmlFor target, const HtmlChrome& chrome) {
    const SummaryWords& w = texts.words(s.language);
    const char mark = decimal_mark(s.language);
    std::ostringstream out;

    out << "<!doctype html>\n<html lang=\"" << html_escape(s.language) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html_escape(w.title) << ": " << html_escape(display_name(s)) << " – "
        << html_escape(s.week.str()) << "</title>\n"
        << "<style>" << kSummaryCss << "</style>\n</head>\n<body";
    if (!chrome.body_class.empty()) out << " class=\"" << html_escape(chrome.body_class) << "\"";
    out << ">\n" << chrome.header_html << "<main>\n";

    // Headline: week and participation.
    out << "<header>\n<p class=\"muted\">" << html_escape(w.title) << " · " << html_escape(display_name(s))
        << "</p>\n<h1>" << html_escape(week_heading(s.week, w)) << "</h1>\n<p class=\"headline\">";
    if (s.answers_withheld) {
        out << "<span class=\"withheld\">" << html_escape(w.too_few) << "</span>";
    } else {
        out << "<strong>"
            << html_escape(fill_placeholders(w.answers_in_week, {{"answers", std::to_string(s.answers)}}))
            << "</strong>";
    }
    out << "</p>\n<ul class=\"days\">";
    for (int d = 0; d < 7; ++d) {
        out << "<li title=\"" << html_escape(w.weekdays[d]) << "\">" << html_escape(w.weekdays_short[d]) << ' ';
        if (s.answers_per_weekday[d]) out << *s.answers_per_weekday[d];
        else out << "<span class=\"withheld\">" << html_escape(w.too_few) << "</span>";
        out << "</li>";
    }
    out << "</ul>\n</header>\n";

    // What moved and what is low, in one box.
    std::vector<Highlight> moved, lowest;
    for (const auto& t : s.themes) {
        if (t.figures.change && std::fabs(*t.figures.change) >= kMovedEnough)
            moved.push_back({t.title, *t.figures.change});
        for (const auto& q : t.questions) {
            if (q.figures.change && std::fabs(*q.figures.change) >= kMovedEnough)
                moved.push_back({q.id + " " + q.text, *q.figures.change});
            if (q.figures.mean && *q.figures.mean < kLowMean) lowest.push_back({q.id + " " + q.text, *q.figures.mean});
        }
    }
    std::stable_sort(moved.begin(), moved.end(),
                     [](const Highlight& a, const Highlight& b) { return std::fabs(a.value) > std::fabs(b.value); });
    std::stable_sort(lowest.begin(), lowest.end(),
                     [](const Highlight& a, const Highlight& b) { return a.value < b.value; });
    out << "<aside class=\"highlights\">\n<strong>" << html_escape(w.moved) << "</strong>";
    if (moved.empty()) out << "<p>" << html_escape(w.nothing_moved) << "</p>";
    else {
        out << "<ul>";
        for (std::size_t i = 0; i < moved.size() && i < 3; ++i)
            out << "<li>" << change_text(moved[i].value, mark) << " " << html_escape(moved[i].label) << "</li>";
        out << "</ul>";
    }
    if (!lowest.empty()) {
        out << "\n<strong>" << html_escape(w.lowest) << "</strong><ul>";
        for (std::size_t i = 0; i < lowest.size() && i < 3; ++i)
            out << "<li>" << decimal(lowest[i].value, 1, mark) << " " << html_escape(lowest[i].label) << "</li>";
        out << "</ul>";
    }
    out << "\n</aside>\n";

    // Legend for the bars: colour always with its word.
    out << "<ul class=\"legend\">";
    for (int v = 0; v < 5; ++v)
        out << "<li><i style=\"background:" << kRamp[v] << "\"></i>" << v + 1 << " " << html_escape(w.scale[v])
            << "</li>";
    out << "</ul>\n";

    // Themes in the bank's order.
    for (const auto& t : s.themes) {
        out << "<section class=\"theme\" id=\"theme-" << html_escape(t.id) << "\">\n<div class=\"theme-head\"><h2>"
            << html_escape(t.id) << ". " << html_escape(t.title) << "</h2></div>\n"
            << figures_cells(t.figures, w, mark, target) << "\n";
        for (const auto& q : t.questions) {
            if (!q.active && q.figures.withheld) continue;  // a disabled question with nothing to show
            out << "<div class=\"question\" id=\"q-" << html_escape(q.id) << "\"><p><span class=\"muted\">"
                << html_escape(q.id) << "</span> " << html_escape(q.text);
            if (!q.active) out << " <span class=\"inactive\">(" << html_escape(w.inactive) << ")</span>";
            out << "</p>" << figures_cells(q.figures, w, mark, target) << "</div>\n";
        }
        out << "</section>\n";
    }

    const std::string anonymity = fill_placeholders(w.anonymity, {{"min_answers", std::to_string(s.min_answers)}});
    out << "<footer><p>" << html_escape(anonymity) << "</p></footer>\n</main>\n</body>\n</html>\n";
    return out.str();
}

}  // namespace pulse
