// format_csv.cpp — summary_csv: the summary for Danish Excel (UTF-8 BOM,
// ';', CRLF, decimal comma); one row for the week's and each weekday's
// participation (0 for a day nobody answered), then one per theme and per
// question in the bank's order; the last column says which weeks a row covers
// (a statement's 4-week period as "2026-W41/2026-W44").
#include "collector/summary/format_text.hpp"
#include "collector/summary/formats.hpp"

#include <sstream>

namespace pulse {
namespace {

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

// The eleven figure columns of one item: n, mean, agree % (4–5), disagree %
// (1–2), the five values, "ved ikke", change; each the too_few word when
// withheld. The page's theme table shows the same figures, rounded.
void csv_figures_row(std::ostringstream& out, const Figures& f, const SummaryWords& w) {
    if (f.withheld) {
        for (int column = 0; column < 11; ++column) out << ';' << csv_text(w.too_few);
        return;
    }
    const std::optional<double> disagree = unfavourable_share(f);
    out << ';' << f.n;
    out << ';' << (f.mean ? decimal(*f.mean, 2, ',') : "");
    out << ';' << (f.favourable ? decimal(*f.favourable * 100.0, 1, ',') : "");
    out << ';' << (disagree ? decimal(*disagree * 100.0, 1, ',') : "");
    for (auto n : f.distribution) out << ';' << n;
    out << ';' << f.dont_know;
    out << ';' << (f.change ? decimal(*f.change, 2, ',') : "");
}

}  // namespace

std::string summary_csv(const Summary& s, const SummaryTexts& texts) {
    const SummaryWords& w = texts.words(s.language);
    std::ostringstream out;
    out << "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < w.csv_columns.size(); ++c) out << (c ? ";" : "") << w.csv_columns[c];
    out << "\r\n";
    auto participation = [&](const std::string& label, std::optional<std::int64_t> answers) {
        out << csv_text(w.level_participation) << ";;" << csv_text(s.week.str()) << ';' << csv_text(label) << ';';
        if (answers) out << *answers;
        else out << csv_text(w.too_few);
        out << ";;;;;;;;;;;" << csv_text(s.week.str()) << "\r\n";
    };
    participation(w.whole_week, s.answers_withheld ? std::nullopt : std::optional<std::int64_t>(s.answers));
    for (int d = 0; d < 7; ++d) participation(w.weekdays[d], s.answers_per_weekday[d]);
    // The weeks a statement's figures cover: its 4-week period (ISO 8601's interval) or the week.
    const std::string statement_weeks = s.question_span == QuestionSpan::period
                                            ? s.questions_from.str() + "/" + s.questions_to.str()
                                            : s.week.str();
    for (const auto& t : s.themes) {
        out << csv_text(w.level_theme) << ';' << csv_text(t.title) << ';' << csv_text(t.id) << ';'
            << csv_text(t.title);
        csv_figures_row(out, t.figures, w);
        out << ';' << csv_text(s.week.str()) << "\r\n";
        if (s.question_span == QuestionSpan::none) continue;  // no statement has figures yet
        for (const auto& q : t.questions) {
            if (!q.active && q.figures.withheld) continue;  // a disabled question with nothing to show
            out << csv_text(w.level_question) << ';' << csv_text(t.title) << ';' << csv_text(q.id) << ';'
                << csv_text(q.text);
            csv_figures_row(out, q.figures, w);
            out << ';' << csv_text(statement_weeks) << "\r\n";
        }
    }
    return out.str();
}

}  // namespace pulse
