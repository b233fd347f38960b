// format_html.cpp — summary_html: the summary as one self-contained page:
// the headline, the four themes in one table, what moved (by a stated rule)
// beside the highest and lowest means, then each theme with its questions,
// the withheld ones grouped last. The same markup in a browser and in an
// e-mail: tables and inline styles only (Outlook for Windows keeps no
// <style>, flexbox or grid); a browser also gets summary.css for its site
// header and for print. Charts from html_charts.cpp.
#include "collector/summary/format_text.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/html_charts.hpp"
#include "collector/summary/period.hpp"
#include "collector/summary/summary_css.hpp"  // generated from summary.css (collector/CMakeLists.txt)

#include <algorithm>
#include <cmath>
#include <sstream>

namespace pulse {
namespace {

constexpr std::size_t kHighlights = 3;  // lines under each of "Størst bevægelse", "Højest", "Lavest"

// [SECTION] Inline styles, one place for each look
constexpr const char* kMuted = "color:#5B6270";
constexpr const char* kWithheldStyle =
    "color:#5B6270;font-style:italic;border:1px dashed #8A8F99;padding:1px 6px;display:inline-block";
constexpr const char* kLowStyle =
    "font-style:normal;font-size:12px;font-weight:600;color:#ffffff;background:#A63F2B;padding:0 4px";
constexpr const char* kCard = "background:#ffffff;padding:12px 14px;margin:14px 0;border:1px solid #E4E1D8";

// The too_few word, marked as withheld.
std::string withheld_mark(const SummaryWords& w) {
    return std::string("<span class=\"withheld\" style=\"") + kWithheldStyle + "\">" + html_escape(w.too_few) +
           "</span>";
}

// A mean with one decimal, and the "lav" mark when it is low as shown.
std::string mean_html(double mean, const SummaryWords& w, char mark) {
    std::string out = decimal(mean, 1, mark);
    if (shown_low(mean)) out += " <em class=\"low\" style=\"" + std::string(kLowStyle) + "\">" + html_escape(w.low) + "</em>";
    return out;
}

// The change arrow, coloured and bold only when it passes the stated rule
// (change_is_notable), `title` its tooltip; "" without a change.
std::string change_html(const Figures& f, const std::string& title, char mark) {
    const std::string text = change_text(f.change, mark);
    if (text.empty()) return "";
    const bool notable = change_is_notable(f);
    const char* colour = !notable ? "#1E2430" : *f.change > 0 ? "#1F5A94" : "#A63F2B";
    return std::string("<span class=\"change") + (notable ? (*f.change > 0 ? " up" : " down") : "") +
           "\" title=\"" + html_escape(title) + "\" style=\"white-space:nowrap;color:" + colour +
           (notable ? ";font-weight:700" : "") + "\">" + text + "</span>";
}

// What an item's figures cover: a theme its week, a statement the weeks of
// summary.question_span. Labels the trend and the change.
struct Span {
    std::string change_title;       // the change's tooltip
    std::string trend_label;        // before the trend's means
    std::vector<std::string> when;  // each mean's week or period, oldest first
};

// "uge 41–44" for a period.
std::string period_text(const WeekPeriod& p, const SummaryWords& w) {
    return fill_placeholders(w.period_weeks, {{"first", std::to_string(p.first.week)}, {"last", std::to_string(p.last.week)}});
}

Span theme_span(const Summary& s, const SummaryWords& w) {
    Span span{w.change, w.trend, {}};
    for (const IsoWeek& week : trend_weeks(s.week)) span.when.push_back(std::to_string(week.week));
    return span;
}

Span question_span(const Summary& s, const SummaryWords& w) {
    if (s.question_span != QuestionSpan::period) return theme_span(s, w);
    Span span{w.since_period, w.trend_periods, {}};
    for (const WeekPeriod& p : trend_periods({s.questions_from, s.questions_to})) {
        span.when.push_back(std::to_string(p.first.week) + "–" + std::to_string(p.last.week));
    }
    return span;
}

// An item's figures below its text: mean, change, answers, then the bar
// and the trend; the too_few word when withheld.
std::string figures_block(const Figures& f, const SummaryWords& w, char mark, const Span& span) {
    if (f.withheld) return withheld_mark(w);
    std::ostringstream out;
    out << "<p class=\"figures\" style=\"margin:0\">";
    if (f.mean) {
        out << "<span class=\"mean\" title=\"" << html_escape(w.mean) << "\" style=\"font-size:18px;font-weight:600\">"
            << mean_html(*f.mean, w, mark) << "</span>";
    }
    const std::string change = change_html(f, span.change_title, mark);
    if (!change.empty()) out << " &nbsp; " << change;
    out << " &nbsp; <span class=\"n\" style=\"" << kMuted << "\">"
        << html_escape(fill_placeholders(w.item_answers, {{"n", std::to_string(f.n)}}));
    if (f.dont_know) {
        out << " · " << html_escape(fill_placeholders(w.item_dont_know, {{"n", std::to_string(f.dont_know)}}));
    }
    out << "</span></p>" << diverging_bar(f, w) << trend_line(f, w, mark, span.trend_label, span.when);
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

// [SECTION] The page's parts

// One row per theme: mean, % agree, % disagree, change, n; a withheld theme's
// row says too_few across its figures. Then what too_few means, and the
// answers per weekday (none for a day nobody answered).
void theme_table(std::ostringstream& out, const Summary& s, const SummaryWords& w, char mark) {
    const char* cell = "padding:6px 3px;border-bottom:1px solid #ECEAE4;vertical-align:top";
    out << "<table class=\"themes\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
           "style=\"width:100%;border-collapse:collapse;background:#ffffff;font-size:14px;line-height:18px;"
           "margin:12px 0 4px;border:1px solid #E4E1D8\">\n<thead><tr>";
    for (std::size_t c = 0; c < w.theme_columns.size(); ++c) {
        out << "<th scope=\"col\" style=\"" << cell << ";font-size:12px;line-height:15px;text-align:" << (c ? "right" : "left")
            << "\">" << html_escape(w.theme_columns[c]) << "</th>";
    }
    out << "</tr></thead>\n<tbody>\n";
    for (const ThemeSummary& t : s.themes) {
        const Figures& f = t.figures;
        out << "<tr id=\"row-" << html_escape(t.id) << "\"><th scope=\"row\" style=\"" << cell
            << ";text-align:left;font-weight:600\">" << html_escape(t.title) << "</th>";
        if (f.withheld) {
            out << "<td colspan=\"5\" style=\"" << cell << ";text-align:right\">" << withheld_mark(w) << "</td></tr>\n";
            continue;
        }
        const auto right = [&](const std::string& html) {
            out << "<td style=\"" << cell << ";text-align:right;white-space:nowrap\">" << html << "</td>";
        };
        // The mean may put its "lav" under the number: the table fits a 375 px phone.
        out << "<td style=\"" << cell << ";text-align:right\">" << (f.mean ? mean_html(*f.mean, w, mark) : "")
            << "</td>";
        right(f.favourable ? percent_text(*f.favourable) + " %" : "");
        const std::optional<double> disagree = unfavourable_share(f);
        right(disagree ? percent_text(*disagree) + " %" : "");
        right(change_html(f, w.change, mark));
        right(std::to_string(f.n));
        out << "</tr>\n";
    }
    out << "</tbody></table>\n";
    out << "<p class=\"anonymity\" style=\"margin:4px 0;font-size:13px;" << kMuted << "\">"
        << html_escape(fill_placeholders(w.anonymity, {{"min_answers", std::to_string(s.min_answers)}})) << "</p>\n";

    // Answers per weekday: a day nobody answered shows nothing at all.
    std::vector<std::string> days;
    for (int d = 0; d < 7; ++d) {
        const auto& answers = s.answers_per_weekday[d];
        if (answers && *answers == 0) continue;
        days.push_back("<span style=\"white-space:nowrap\"><abbr title=\"" + html_escape(w.weekdays[d]) +
                       "\" style=\"text-decoration:none\">" + html_escape(w.weekdays_short[d]) + "</abbr> " +
                       (answers ? std::to_string(*answers) : withheld_mark(w)) + "</span>");
    }
    if (!s.answers_withheld && !days.empty()) {
        out << "<p class=\"days\" style=\"margin:4px 0;font-size:13px;" << kMuted << "\">"
            << html_escape(w.days_heading) << ": ";
        for (std::size_t i = 0; i < days.size(); ++i) out << (i ? " · " : "") << days[i];
        out << "</p>\n";
    }
}

// One item a highlight may name: its label, figures and what its change is since.
struct Candidate {
    std::string label;
    const Figures* figures;
    const std::string* since = nullptr;
};

// What moved (only changes that pass change_is_notable, as sentences, with
// the rule under them), then "Højest" beside "Lavest": the questions with the
// highest and lowest means as shown (ties in the bank's order).
void highlights(std::ostringstream& out, const Summary& s, const SummaryWords& w, char mark) {
    std::vector<Candidate> moved, questions;
    for (const ThemeSummary& t : s.themes) {
        if (change_is_notable(t.figures)) moved.push_back({t.title, &t.figures, &w.since_week});
        for (const QuestionSummary& q : t.questions) {
            if (q.figures.withheld || !q.figures.mean) continue;
            const std::string& since = s.question_span == QuestionSpan::period ? w.since_period : w.since_week;
            if (change_is_notable(q.figures)) moved.push_back({q.text, &q.figures, &since});
            questions.push_back({q.text, &q.figures});
        }
    }
    std::stable_sort(moved.begin(), moved.end(), [](const Candidate& a, const Candidate& b) {
        return std::labs(shown_tenths(*a.figures->change)) > std::labs(shown_tenths(*b.figures->change));
    });

    out << "<div class=\"highlights\" style=\"" << kCard << ";border-left:4px solid #2F6FA8\">\n<h2 style=\"font-size:17px;margin:0 0 4px\">"
        << html_escape(w.moved) << "</h2>\n";
    if (moved.empty()) {
        out << "<p style=\"margin:0\">" << html_escape(w.nothing_moved) << "</p>\n";
    } else {
        out << "<ul class=\"moved\" style=\"margin:0;padding-left:20px\">";
        for (std::size_t i = 0; i < moved.size() && i < kHighlights; ++i) {
            const Figures& f = *moved[i].figures;
            const std::string& sentence = *f.change > 0 ? w.moved_up : w.moved_down;
            out << "<li>" << change_html(f, *moved[i].since, mark) << " "
                << html_escape(fill_placeholders(sentence, {{"item", moved[i].label},
                                                            {"before", decimal(*f.mean - *f.change, 1, mark)},
                                                            {"now", decimal(*f.mean, 1, mark)},
                                                            {"since", *moved[i].since},
                                                            {"n_before", std::to_string(f.previous_n)},
                                                            {"n", std::to_string(f.n)}}))
                << "</li>";
        }
        out << "</ul>\n";
    }
    out << "<p class=\"rule\" style=\"margin:4px 0 0;font-size:13px;" << kMuted << "\">"
        << html_escape(fill_placeholders(w.moved_rule, {{"min_n", std::to_string(kNotableMinN)}})) << "</p>\n";

    if (questions.empty()) {
        out << "</div>\n";
        return;
    }
    std::vector<Candidate> highest = questions, lowest;
    std::stable_sort(highest.begin(), highest.end(), [](const Candidate& a, const Candidate& b) {
        return shown_tenths(*a.figures->mean) > shown_tenths(*b.figures->mean);
    });
    // With few questions shown the two lists would share items: "Højest" takes
    // its half first and "Lavest" the rest, lowest first.
    const std::size_t each = std::min(kHighlights, (questions.size() + 1) / 2);
    lowest.assign(highest.begin() + static_cast<std::ptrdiff_t>(each), highest.end());
    std::stable_sort(lowest.begin(), lowest.end(), [](const Candidate& a, const Candidate& b) {
        return shown_tenths(*a.figures->mean) < shown_tenths(*b.figures->mean);
    });
    const auto column = [&](const std::string& heading, const std::vector<Candidate>& items, std::size_t count) {
        out << "<td class=\"" << (&items == &highest ? "highest" : "lowest")
            << "\" width=\"50%\" style=\"width:50%;vertical-align:top;padding:8px 6px 0 0\"><h3 style=\"font-size:15px;margin:0 0 2px\">"
            << html_escape(heading) << "</h3><ul style=\"margin:0;padding-left:18px;font-size:14px\">";
        for (std::size_t i = 0; i < count && i < items.size(); ++i) {
            out << "<li>"
                << html_escape(fill_placeholders(w.mean_line, {{"item", items[i].label},
                                                              {"mean", decimal(*items[i].figures->mean, 1, mark)},
                                                              {"n", std::to_string(items[i].figures->n)}}))
                << (shown_low(*items[i].figures->mean) ? " <em class=\"low\" style=\"" + std::string(kLowStyle) + "\">" +
                                                            html_escape(w.low) + "</em>"
                                                      : "")
                << "</li>";
        }
        out << "</ul></td>";
    };
    out << "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
           "style=\"width:100%;border-collapse:collapse\"><tr>";
    column(w.highest, highest, each);
    column(w.lowest, lowest, kHighlights);
    out << "</tr></table>\n";
    if (s.question_span == QuestionSpan::period) {
        out << "<p class=\"statements-in\" style=\"margin:4px 0 0;font-size:13px;" << kMuted << "\">"
            << html_escape(fill_placeholders(
                   w.statements_in, {{"weeks", period_text({s.questions_from, s.questions_to}, w)}}))
            << "</p>\n";
    }
    out << "</div>\n";
}

// A theme: its heading, its own figures with the bar's legend right above
// its bar, the shown questions in the bank's order, then the withheld ones
// together under one heading, with no figure.
void theme_section(std::ostringstream& out, const ThemeSummary& t, const Summary& s, const SummaryWords& w,
                   char mark) {
    out << "<section class=\"theme\" id=\"theme-" << html_escape(t.id) << "\" style=\"" << kCard
        << "\">\n<h2 style=\"font-size:19px;margin:0 0 4px\">" << html_escape(t.id) << ". " << html_escape(t.title)
        << "</h2>\n";
    if (!t.figures.withheld) out << bar_legend(w);
    out << figures_block(t.figures, w, mark, theme_span(s, w)) << "\n";
    if (s.question_span == QuestionSpan::none) {  // no figures yet: the note above the themes says why
        out << "</section>\n";
        return;
    }
    const Span statements = question_span(s, w);
    std::vector<const QuestionSummary*> withheld;
    for (const QuestionSummary& q : t.questions) {
        if (!q.active && q.figures.withheld) continue;  // a disabled question with nothing to show
        if (q.figures.withheld) {
            withheld.push_back(&q);
            continue;
        }
        out << "<div class=\"question\" id=\"q-" << html_escape(q.id)
            << "\" style=\"border-top:1px solid #ECEAE4;padding:8px 0;margin-top:8px\"><p style=\"margin:0 0 2px\">"
            << "<span style=\"" << kMuted << "\">" << html_escape(q.id) << "</span> " << html_escape(q.text);
        if (!q.active) out << " <span class=\"inactive\" style=\"font-size:13px;" << kMuted << "\">(" << html_escape(w.inactive) << ")</span>";
        out << "</p>" << figures_block(q.figures, w, mark, statements) << "</div>\n";
    }
    if (!withheld.empty()) {
        out << "<div class=\"withheld-group\" style=\"border-top:1px solid #ECEAE4;padding:8px 0 0;margin-top:8px\">"
            << "<p style=\"margin:0 0 2px\"><strong>" << html_escape(w.withheld_items) << ":</strong> "
            << withheld_mark(w) << "</p><ul style=\"margin:0;padding-left:18px;" << kMuted << "\">";
        for (const QuestionSummary* q : withheld) {
            out << "<li id=\"q-" << html_escape(q->id) << "\">" << html_escape(q->id) << " " << html_escape(q->text);
            if (!q->active) out << " (" << html_escape(w.inactive) << ")";
            out << "</li>";
        }
        out << "</ul></div>\n";
    }
    out << "</section>\n";
}

}  // namespace

std::string summary_html(const Summary& s, const SummaryTexts& texts, HtmlFor target, const HtmlChrome& chrome) {
    const SummaryWords& w = texts.words(s.language);
    const char mark = decimal_mark(s.language);
    std::ostringstream out;

    out << "<!doctype html>\n<html lang=\"" << html_escape(s.language) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html_escape(w.title) << ": " << html_escape(display_name(s)) << " – "
        << html_escape(s.week.str()) << "</title>\n";
    // A mail program drops or ignores a <style> element, so the e-mail has none: every look is inline.
    // A browser also gets summary.css: the web pages' site header (chrome) and the printed page.
    if (target == HtmlFor::browser) out << "<style>" << kSummaryCss << "</style>\n";
    out << "</head>\n<body";
    if (!chrome.body_class.empty()) out << " class=\"" << html_escape(chrome.body_class) << "\"";
    out << " style=\"margin:0;background:#F6F4EF;color:#1E2430;font-family:'Segoe UI',Roboto,'Open Sans',Arial,"
           "sans-serif;font-size:16px;line-height:1.45\">\n"
        << chrome.header_html
        << "<main style=\"display:block;max-width:896px;margin:0 auto;padding:12px\">\n";

    // Headline: week and participation.
    out << "<header>\n<p style=\"margin:0;" << kMuted << "\">" << html_escape(w.title) << " · "
        << html_escape(display_name(s)) << "</p>\n<h1 style=\"font-size:24px;line-height:1.25;margin:4px 0\">"
        << html_escape(week_heading(s.week, w)) << "</h1>\n<p class=\"headline\" style=\"margin:0;font-size:18px\">";
    if (s.answers_withheld) out << withheld_mark(w);
    else {
        out << "<strong>"
            << html_escape(fill_placeholders(w.answers_in_week, {{"answers", std::to_string(s.answers)}}))
            << "</strong>";
    }
    out << "</p>\n</header>\n" << chrome.lead_html;

    theme_table(out, s, w, mark);
    highlights(out, s, w, mark);
    // Why the statements cover more weeks than the themes (or nothing yet).
    if (s.question_span != QuestionSpan::week) {
        const std::string note = s.question_span == QuestionSpan::period
                                     ? fill_placeholders(w.questions_period,
                                                         {{"weeks", period_text({s.questions_from, s.questions_to}, w)}})
                                     : w.questions_none;
        out << "<p class=\"questions-span\" style=\"margin:14px 0 0;font-size:15px\">" << html_escape(note) << "</p>\n";
    }
    for (const ThemeSummary& t : s.themes) theme_section(out, t, s, w, mark);

    out << chrome.tail_html << "</main>\n</body>\n</html>\n";
    return out.str();
}

}  // namespace pulse
