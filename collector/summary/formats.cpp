// summary_formats.cpp — the weekly summary as JSON, CSV (Danish Excel) and one
// self-contained HTML page. Renderers only: every figure shown comes from the
// Summary, where the anonymity rule already ran; a withheld item is written
// as withheld ("for få svar" / "too few answers") and never as a number.
#include "collector/summary/summary.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace pulse {
namespace {

// [SECTION] Words per language

struct Words {
    const char* too_few;
    const char* weekdays[7];
    const char* weekdays_short[7];
    const char* scale[5];
    const char* dont_know;
    const char* csv_header;
    const char* level_participation;
    const char* level_theme;
    const char* level_question;
    const char* total;
    const char* title;         // page title: "Pulsmåling"
    const char* week;          // "Uge"
    const char* answers;       // "svar"
    const char* answers_week;  // "svar i ugen"
    const char* mean;
    const char* favourable;
    const char* change;
    const char* trend;
    const char* low;
    const char* moved;
    const char* lowest;
    const char* nothing_moved;
    const char* anonymity;     // how withholding works, one line; %d = min_answers
    const char* inactive;
    const char* months[12];
};

const Words kDanish{
    "for få svar",
    {"mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"},
    {"man", "tir", "ons", "tor", "fre", "lør", "søn"},
    {"Helt uenig", "Uenig", "Hverken/eller", "Enig", "Helt enig"},
    "ved ikke",
    "niveau;tema;id;tekst;n;gennemsnit;positive %;1;2;3;4;5;ved ikke;ændring",
    "deltagelse",
    "tema",
    "spørgsmål",
    "hele ugen",
    "Pulsmåling",
    "Uge",
    "svar",
    "svar i ugen",
    "gennemsnit",
    "positive (4–5)",
    "ændring siden sidste uge",
    "sidste 4 uger",
    "lav",
    "Størst bevægelse",
    "Lavest",
    "Ingen tal bevægede sig mere end 0,3 siden sidste uge.",
    "Tal bygget på færre end %d svar vises ikke (\"for få svar\"), og heller ikke tal, de kunne regnes ud fra.",
    "ikke længere i brug",
    {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
     "december"},
};

const Words kEnglish{
    "too few answers",
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
    {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
    {"Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"},
    "don't know",
    "level;theme;id;text;n;mean;favourable %;1;2;3;4;5;don't know;change",
    "participation",
    "theme",
    "question",
    "whole week",
    "Pulse",
    "Week",
    "answers",
    "answers this week",
    "mean",
    "favourable (4–5)",
    "change since last week",
    "last 4 weeks",
    "low",
    "Moved most",
    "Lowest",
    "Nothing moved more than 0.3 since last week.",
    "Figures built on fewer than %d answers are not shown (\"too few answers\"), nor figures they could be worked out from.",
    "no longer asked",
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"},
};

const Words& words(const std::string& language) { return language == "en" ? kEnglish : kDanish; }

const char* const kRamp[5] = {"#C8553D", "#EBA47C", "#D9D9D9", "#8CB7D8", "#2F6FA8"};  // UX.md, 1..5
const char* const kWeekdayKeys[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr double kMovedEnough = 0.3;  // a change this large (in scale points) is called out
constexpr double kLowMean = 3.0;      // a mean below the scale's middle is marked low

// [SECTION] Number text

// value with `decimals` places and `comma` as the decimal mark; "-0,0" is "0,0".
std::string decimal(double value, int decimals, char comma) {
    const double scale = std::pow(10.0, decimals);
    double rounded = std::round(value * scale) / scale;
    if (rounded == 0.0) rounded = 0.0;  // no negative zero
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, rounded);
    std::string text = buffer;
    for (char& c : text) {
        if (c == '.') c = comma;
    }
    return text;
}

char decimal_mark(const std::string& language) { return language == "en" ? '.' : ','; }

// [SECTION] JSON

nlohmann::ordered_json figures_json(const Figures& f) {
    nlohmann::ordered_json j;
    j["withheld"] = f.withheld;
    if (f.withheld) return j;  // no figure keys at all
    j["n"] = f.n;
    j["mean"] = f.mean ? nlohmann::ordered_json(*f.mean) : nlohmann::ordered_json(nullptr);
    j["favourable"] = f.favourable ? nlohmann::ordered_json(*f.favourable) : nlohmann::ordered_json(nullptr);
    j["distribution"] = f.distribution;
    j["dont_know"] = f.dont_know;
    j["change"] = f.change ? nlohmann::ordered_json(*f.change) : nlohmann::ordered_json(nullptr);
    auto trend = nlohmann::ordered_json::array();
    for (const auto& m : f.trend) trend.push_back(m ? nlohmann::ordered_json(*m) : nlohmann::ordered_json(nullptr));
    j["trend"] = trend;
    return j;
}

// The four weeks of the trend, oldest first.
std::vector<IsoWeek> trend_weeks(IsoWeek week) {
    std::vector<IsoWeek> weeks{week};
    for (int k = 0; k < 3; ++k) weeks.insert(weeks.begin(), previous_week(weeks.front()));
    return weeks;
}

// [SECTION] CSV

// A quoted CSV text field; a leading = + - @ gets a ' so Excel never runs it as a formula.
std::string csv_text(const std::string& text) {
    std::string out = "\"";
    if (!text.empty() && std::string("=+-@").find(text[0]) != std::string::npos) out += '\'';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void csv_figures_row(std::ostringstream& out, const Figures& f, const Words& w) {
    if (f.withheld) {
        for (int column = 0; column < 10; ++column) out << ';' << csv_text(w.too_few);
        return;
    }
    out << ';' << f.n;
    out << ';' << (f.mean ? decimal(*f.mean, 2, ',') : "");
    out << ';' << (f.favourable ? decimal(*f.favourable * 100.0, 1, ',') : "");
    for (auto n : f.distribution) out << ';' << n;
    out << ';' << f.dont_know;
    out << ';' << (f.change ? decimal(*f.change, 2, ',') : "");
}

// [SECTION] HTML

std::string html(const std::string& text) {
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

// "▲ 0,4" / "▼ 0,6" / "= 0,0", or "" when there is no change to show.
std::string change_text(const std::optional<double>& change, char mark) {
    if (!change) return "";
    const std::string amount = decimal(std::fabs(*change), 1, mark);
    if (amount == decimal(0.0, 1, mark)) return "= " + amount;
    return (*change > 0 ? "▲ " : "▼ ") + amount;
}

// The 1..5 distribution as one horizontal stacked bar, 100 % wide.
std::string distribution_svg(const Figures& f, const Words& w) {
    std::ostringstream svg;
    svg << "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"";
    for (int v = 0; v < 5; ++v) svg << (v ? ", " : "") << html(w.scale[v]) << ' ' << f.distribution[v];
    svg << "\">";
    double x = 0.0;
    for (int v = 0; v < 5; ++v) {
        if (f.distribution[v] == 0 || f.n == 0) continue;
        const double width = 100.0 * static_cast<double>(f.distribution[v]) / static_cast<double>(f.n);
        svg << "<rect x=\"" << decimal(x, 2, '.') << "\" y=\"0\" width=\"" << decimal(width, 2, '.')
            << "\" height=\"10\" fill=\"" << kRamp[v] << "\"><title>" << html(w.scale[v]) << ": "
            << f.distribution[v] << "</title></rect>";
        x += width;
    }
    svg << "</svg>";
    return svg.str();
}

// The trend's weekly means (1..5) as a small line; gaps where a week was withheld.
std::string sparkline_svg(const Figures& f, const Words& w, char mark) {
    if (f.trend.empty()) return "";
    const double width = 64, height = 20, pad = 3;
    auto x_of = [&](std::size_t i) { return pad + (width - 2 * pad) * static_cast<double>(i) / 3.0; };
    auto y_of = [&](double mean) { return pad + (height - 2 * pad) * (5.0 - mean) / 4.0; };
    std::ostringstream svg, label;
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        label << (i ? ", " : "") << (f.trend[i] ? decimal(*f.trend[i], 1, mark) : std::string(w.too_few));
    }
    svg << "<svg class=\"spark\" viewBox=\"0 0 64 20\" width=\"64\" height=\"20\" role=\"img\" aria-label=\""
        << html(w.trend) << ": " << html(label.str()) << "\">";
    svg << "<line x1=\"" << pad << "\" x2=\"" << width - pad << "\" y1=\"" << y_of(3.0) << "\" y2=\"" << y_of(3.0)
        << "\" stroke=\"#D9D9D9\" stroke-width=\"1\"/>";
    for (std::size_t i = 0; i + 1 < f.trend.size(); ++i) {
        if (!f.trend[i] || !f.trend[i + 1]) continue;
        svg << "<line x1=\"" << decimal(x_of(i), 1, '.') << "\" y1=\"" << decimal(y_of(*f.trend[i]), 1, '.')
            << "\" x2=\"" << decimal(x_of(i + 1), 1, '.') << "\" y2=\"" << decimal(y_of(*f.trend[i + 1]), 1, '.')
            << "\" stroke=\"#2F6FA8\" stroke-width=\"1.5\"/>";
    }
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        if (!f.trend[i]) continue;
        svg << "<circle cx=\"" << decimal(x_of(i), 1, '.') << "\" cy=\"" << decimal(y_of(*f.trend[i]), 1, '.')
            << "\" r=\"2\" fill=\"#1E2430\"/>";
    }
    svg << "</svg>";
    return svg.str();
}

// For e-mail: the distribution as a one-row table of coloured cells (mail
// programs such as Outlook and Gmail draw no SVG), the same colours and
// label as distribution_svg.
std::string distribution_table(const Figures& f, const Words& w) {
    std::ostringstream out;
    out << "<table class=\"bar\" role=\"img\" aria-label=\"";
    for (int v = 0; v < 5; ++v) out << (v ? ", " : "") << html(w.scale[v]) << ' ' << f.distribution[v];
    out << "\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
           "style=\"width:100%;border-collapse:collapse;margin-top:5px\"><tr>";
    for (int v = 0; v < 5; ++v) {
        if (f.distribution[v] == 0 || f.n == 0) continue;
        const std::string width =
            decimal(100.0 * static_cast<double>(f.distribution[v]) / static_cast<double>(f.n), 1, '.') + "%";
        out << "<td width=\"" << width << "\" bgcolor=\"" << kRamp[v] << "\" title=\"" << html(w.scale[v]) << ": "
            << f.distribution[v] << "\" style=\"width:" << width << ";height:10px;background:" << kRamp[v]
            << ";font-size:1px;line-height:1px\">&nbsp;</td>";
    }
    out << "</tr></table>";
    return out.str();
}

// For e-mail: the trend's weekly means as text, oldest first ("–" where withheld).
std::string trend_text(const Figures& f, const Words& w, char mark) {
    if (f.trend.empty()) return "";
    std::string out = "<span class=\"trend\">" + html(w.trend) + ": ";
    for (std::size_t i = 0; i < f.trend.size(); ++i) {
        out += (i ? " · " : "") + (f.trend[i] ? decimal(*f.trend[i], 1, mark) : std::string("–"));
    }
    return out + "</span>";
}

// Mean, change and favourable share of one item, or "for få svar"; charts
// as SVG in a browser, as a table and text in an e-mail.
std::string figures_cells(const Figures& f, const Words& w, char mark, HtmlFor target) {
    std::ostringstream out;
    if (f.withheld) {
        out << "<div class=\"withheld\">" << html(w.too_few) << "</div>";
        return out.str();
    }
    const bool low = f.mean && *f.mean < kLowMean;
    out << "<div class=\"figures\"><span class=\"mean" << (low ? " low" : "") << "\" title=\"" << html(w.mean)
        << "\">" << (f.mean ? decimal(*f.mean, 1, mark) : "") << (low ? std::string(" <em>") + w.low + "</em>" : "")
        << "</span>";
    const std::string change = change_text(f.change, mark);
    if (!change.empty()) {
        const char* direction = *f.change >= kMovedEnough ? " up" : *f.change <= -kMovedEnough ? " down" : "";
        out << "<span class=\"change" << direction << "\" title=\"" << html(w.change) << "\">" << change << "</span>";
    }
    out << "<span class=\"n\">" << f.n << ' ' << html(w.answers) << " · "
        << (f.favourable ? decimal(*f.favourable * 100.0, 0, mark) : "") << " % " << html(w.favourable)
        << (f.dont_know ? " · " + std::to_string(f.dont_know) + " " + html(w.dont_know) : "") << "</span>";
    if (target == HtmlFor::email) {
        out << trend_text(f, w, mark) << "</div>" << distribution_table(f, w);
    } else {
        out << sparkline_svg(f, w, mark) << "</div>" << distribution_svg(f, w);
    }
    return out.str();
}

// "uge 48, 2026 · 23.–29. november" from the week's Copenhagen Monday.
std::string week_heading(IsoWeek week, const Words& w, bool english) {
    const std::int64_t monday = iso_week_monday(week);
    const CivilDate first = civil_from_days(monday), last = civil_from_days(monday + 6);
    const unsigned d1 = first.day, m1 = first.month, d2 = last.day, m2 = last.month;
    const int y2 = last.year;
    std::ostringstream out;
    out << w.week << ' ' << week.week << ", " << week.year << " · ";
    if (english) {
        out << d1 << ' ' << (m1 != m2 ? std::string(w.months[m1 - 1]) + " " : "") << "– " << d2 << ' '
            << w.months[m2 - 1] << ' ' << y2;
    } else {
        out << d1 << ". " << (m1 != m2 ? std::string(w.months[m1 - 1]) + " " : "") << "– " << d2 << ". "
            << w.months[m2 - 1] << ' ' << y2;
    }
    return out.str();
}

const char* const kStyle = R"(
*{box-sizing:border-box}
body{margin:0;background:#F6F4EF;color:#1E2430;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Open Sans",sans-serif}
main{max-width:56rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.25rem;margin:0}
.muted,.n,.trend{color:#5B6270}
.headline{font-size:1.15rem}
.days{display:flex;flex-wrap:wrap;gap:.4rem;padding:0;list-style:none}
.days li{background:#fff;border:1px solid #D9D9D9;border-radius:.4rem;padding:.2rem .5rem}
.highlights{background:#fff;border-left:4px solid #2F6FA8;padding:.5rem 1rem;margin:1rem 0}
.highlights ul{margin:.2rem 0;padding-left:1.2rem}
section.theme{background:#fff;border-radius:.6rem;padding:1rem;margin:1rem 0;break-inside:avoid}
.theme-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.5rem}
.question{border-top:1px solid #ECEAE4;padding:.6rem 0}
.question p{margin:0 0 .3rem}
.figures{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .8rem}
.mean{font-size:1.2rem;font-weight:600}
.mean em{font-style:normal;font-size:.8rem;font-weight:600;color:#fff;background:#A63F2B;border-radius:.3rem;padding:0 .3rem}
.change{font-weight:600}
.change.up{color:#1F5A94}
.change.down{color:#A63F2B}
.withheld{color:#5B6270;font-style:italic;border:1px dashed #B0B0B0;border-radius:.3rem;padding:.1rem .5rem;display:inline-block}
svg.bar{display:block;width:100%;height:.8rem;margin-top:.3rem;background:#F6F4EF}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .8rem;padding:0;list-style:none;font-size:.9rem}
.legend i{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:-.1rem;border:1px solid #5B6270}
.inactive{color:#5B6270;font-size:.85rem}
footer{font-size:.85rem;color:#5B6270;margin:1.5rem 0}
@media (max-width:30rem){main{padding:.6rem}h1{font-size:1.35rem}section.theme{padding:.7rem}}
@media print{@page{size:A4;margin:14mm}body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
section.theme{border:1px solid #D9D9D9;padding:.5rem .8rem;margin:.5rem 0}
.question{break-inside:avoid}svg.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.mean em,.legend i{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)";

struct Moved {
    std::string label;
    double change;
};

}  // namespace

std::string summary_json(const Summary& s) {
    nlohmann::ordered_json j;
    j["workplace"] = s.workplace;
    j["week"] = s.week.str();
    j["language"] = s.language;
    j["min_answers"] = s.min_answers;
    j["answers_withheld"] = s.answers_withheld;
    if (!s.answers_withheld) j["answers"] = s.answers;
    auto days = nlohmann::ordered_json::array();
    for (int d = 0; d < 7; ++d) {
        nlohmann::ordered_json day;
        day["weekday"] = kWeekdayKeys[d];
        day["withheld"] = !s.answers_per_weekday[d].has_value();
        if (s.answers_per_weekday[d]) day["answers"] = *s.answers_per_weekday[d];
        days.push_back(day);
    }
    j["participation"] = days;
    auto weeks = nlohmann::ordered_json::array();
    for (const auto& w : trend_weeks(s.week)) weeks.push_back(w.str());
    j["trend_weeks"] = weeks;
    auto themes = nlohmann::ordered_json::array();
    for (const auto& t : s.themes) {
        nlohmann::ordered_json theme;
        theme["id"] = t.id;
        theme["title"] = t.title;
        theme.update(figures_json(t.figures));
        auto questions = nlohmann::ordered_json::array();
        for (const auto& q : t.questions) {
            nlohmann::ordered_json question;
            question["id"] = q.id;
            question["text"] = q.text;
            question["active"] = q.active;
            question.update(figures_json(q.figures));
            questions.push_back(question);
        }
        theme["questions"] = questions;
        themes.push_back(theme);
    }
    j["themes"] = themes;
    return j.dump(2) + "\n";
}

std::string summary_csv(const Summary& s) {
    const Words& w = words(s.language);
    std::ostringstream out;
    out << "\xEF\xBB\xBF" << w.csv_header << "\r\n";
    auto participation = [&](const std::string& label, std::optional<std::int64_t> answers) {
        out << csv_text(w.level_participation) << ";;" << csv_text(s.week.str()) << ';' << csv_text(label) << ';';
        if (answers) out << *answers;
        else out << csv_text(w.too_few);
        out << ";;;;;;;;;\r\n";
    };
    participation(w.total, s.answers_withheld ? std::nullopt : std::optional<std::int64_t>(s.answers));
    for (int d = 0; d < 7; ++d) participation(w.weekdays[d], s.answers_per_weekday[d]);
    for (const auto& t : s.themes) {
        out << csv_text(w.level_theme) << ';' << csv_text(t.title) << ';' << csv_text(t.id) << ';'
            << csv_text(t.title);
        csv_figures_row(out, t.figures, w);
        out << "\r\n";
        for (const auto& q : t.questions) {
            if (!q.active && q.figures.withheld) continue;  // a disabled question with nothing to show
            out << csv_text(w.level_question) << ';' << csv_text(t.title) << ';' << csv_text(q.id) << ';'
                << csv_text(q.text);
            csv_figures_row(out, q.figures, w);
            out << "\r\n";
        }
    }
    return out.str();
}

std::string summary_html(const Summary& s, HtmlFor target) {
    const Words& w = words(s.language);
    const bool english = s.language == "en";
    const char mark = decimal_mark(s.language);
    std::ostringstream out;
    const std::string heading = week_heading(s.week, w, english);

    out << "<!doctype html>\n<html lang=\"" << html(s.language) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html(w.title) << ": " << html(s.workplace) << " – " << html(s.week.str()) << "</title>\n"
        << "<style>" << kStyle << "</style>\n</head>\n<body>\n<main>\n";

    // Headline: week and participation.
    out << "<header>\n<p class=\"muted\">" << html(w.title) << " · " << html(s.workplace) << "</p>\n<h1>"
        << html(heading) << "</h1>\n<p class=\"headline\">";
    if (s.answers_withheld) out << "<span class=\"withheld\">" << html(w.too_few) << "</span>";
    else out << "<strong>" << s.answers << ' ' << html(w.answers_week) << "</strong>";
    out << "</p>\n<ul class=\"days\">";
    for (int d = 0; d < 7; ++d) {
        out << "<li title=\"" << html(w.weekdays[d]) << "\">" << html(w.weekdays_short[d]) << ' ';
        if (s.answers_per_weekday[d]) out << *s.answers_per_weekday[d];
        else out << "<span class=\"withheld\">" << html(w.too_few) << "</span>";
        out << "</li>";
    }
    out << "</ul>\n</header>\n";

    // What moved and what is low, in one box.
    std::vector<Moved> moved, lowest;
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
                     [](const Moved& a, const Moved& b) { return std::fabs(a.change) > std::fabs(b.change); });
    std::stable_sort(lowest.begin(), lowest.end(), [](const Moved& a, const Moved& b) { return a.change < b.change; });
    out << "<aside class=\"highlights\">\n<strong>" << html(w.moved) << "</strong>";
    if (moved.empty()) out << "<p>" << html(w.nothing_moved) << "</p>";
    else {
        out << "<ul>";
        for (std::size_t i = 0; i < moved.size() && i < 3; ++i)
            out << "<li>" << change_text(moved[i].change, mark) << " " << html(moved[i].label) << "</li>";
        out << "</ul>";
    }
    if (!lowest.empty()) {
        out << "\n<strong>" << html(w.lowest) << "</strong><ul>";
        for (std::size_t i = 0; i < lowest.size() && i < 3; ++i)
            out << "<li>" << decimal(lowest[i].change, 1, mark) << " " << html(lowest[i].label) << "</li>";
        out << "</ul>";
    }
    out << "\n</aside>\n";

    // Legend for the bars: colour always with its word.
    out << "<ul class=\"legend\">";
    for (int v = 0; v < 5; ++v)
        out << "<li><i style=\"background:" << kRamp[v] << "\"></i>" << v + 1 << " " << html(w.scale[v]) << "</li>";
    out << "</ul>\n";

    // Themes in the bank's order.
    for (const auto& t : s.themes) {
        out << "<section class=\"theme\" id=\"theme-" << html(t.id) << "\">\n<div class=\"theme-head\"><h2>"
            << html(t.id) << ". " << html(t.title) << "</h2></div>\n" << figures_cells(t.figures, w, mark, target)
                << "\n";
        for (const auto& q : t.questions) {
            if (!q.active && q.figures.withheld) continue;  // a disabled question with nothing to show
            out << "<div class=\"question\" id=\"q-" << html(q.id) << "\"><p><span class=\"muted\">" << html(q.id)
                << "</span> " << html(q.text);
            if (!q.active) out << " <span class=\"inactive\">(" << html(w.inactive) << ")</span>";
            out << "</p>" << figures_cells(q.figures, w, mark, target) << "</div>\n";
        }
        out << "</section>\n";
    }

    char anonymity[256];
    std::snprintf(anonymity, sizeof anonymity, w.anonymity, s.min_answers);
    out << "<footer><p>" << html(anonymity) << "</p></footer>\n</main>\n</body>\n</html>\n";
    return out.str();
}

}  // namespace pulse
