// summary.cpp — build_summary: counts → cells per question, theme and day for
// the summary's week and the weeks before it, the anonymity rule (anonymity.hpp)
// on each week alone, then the figures shown. The renderers are format_*.cpp.
#include "collector/summary/summary.hpp"

#include "collector/summary/anonymity.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace pulse {
namespace {

constexpr int kWeeks = 4;  // the trend's length: offsets 0..3

std::optional<double> shown_mean(const AnswerCell& c) {
    if (c.withheld || c.n() == 0) return std::nullopt;
    std::int64_t sum = 0;
    for (int v = 0; v < 5; ++v) sum += (v + 1) * c.distribution[v];
    return static_cast<double>(sum) / static_cast<double>(c.n());
}

// The figures of one item: this week's cell, plus its cells in the weeks
// before (each already suppressed by its own week's rule).
Figures figures_of(const std::array<const AnswerCell*, kWeeks>& cells) {
    Figures f = cell_figures(*cells[0]);
    if (f.withheld) return f;
    const auto before = shown_mean(*cells[1]);
    if (f.mean && before) {
        f.change = *f.mean - *before;
        f.previous_n = cells[1]->n();
        Figures previous;
        previous.n = cells[1]->n();
        previous.mean = before;
        previous.distribution = cells[1]->distribution;
        f.change_se = change_standard_error(f, previous);
    }
    for (int k = kWeeks - 1; k >= 0; --k) f.trend.push_back(shown_mean(*cells[k]));
    return f;
}

const std::string& in_language(const LocalText& text, const std::string& language) {
    static const std::string kEmpty;
    if (auto it = text.find(language); it != text.end()) return it->second;
    if (auto it = text.find(kLanguages.front()); it != text.end()) return it->second;
    return text.empty() ? kEmpty : text.begin()->second;
}

// Sample variance of a distribution of answers 1..5 around mean (n ≥ 2).
double sample_variance(const std::array<std::int64_t, 5>& distribution, std::int64_t n, double mean) {
    double squares = 0;
    for (int v = 0; v < 5; ++v) squares += static_cast<double>(distribution[v]) * (v + 1 - mean) * (v + 1 - mean);
    return squares / static_cast<double>(n - 1);
}

}  // namespace

Figures cell_figures(const AnswerCell& now) {
    Figures f;
    f.withheld = now.withheld;
    if (f.withheld) return f;
    f.n = now.n();
    f.distribution = now.distribution;
    f.dont_know = now.dont_know;
    f.mean = shown_mean(now);
    if (f.n > 0) f.favourable = static_cast<double>(now.distribution[3] + now.distribution[4]) / static_cast<double>(f.n);
    return f;
}

std::optional<double> unfavourable_share(const Figures& f) {
    if (f.withheld || f.n <= 0) return std::nullopt;
    return static_cast<double>(f.distribution[0] + f.distribution[1]) / static_cast<double>(f.n);
}

std::optional<double> change_standard_error(const Figures& now, const Figures& before) {
    if (now.withheld || before.withheld || now.n < 2 || before.n < 2 || !now.mean || !before.mean) return std::nullopt;
    const double v_now = sample_variance(now.distribution, now.n, *now.mean);
    const double v_before = sample_variance(before.distribution, before.n, *before.mean);
    return std::sqrt(v_now / static_cast<double>(now.n) + v_before / static_cast<double>(before.n));
}

bool change_is_notable(const Figures& f) {
    if (f.withheld || !f.change || !f.change_se || f.n < kNotableMinN || f.previous_n < kNotableMinN) return false;
    const double shown = std::fabs(std::round(*f.change * 10.0) / 10.0);  // as change_text writes it
    return shown > 0 && shown >= kNotableStandardErrors * *f.change_se - 1e-9;
}

Summary build_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                      const std::vector<AnswerCount>& counts, int min_answers, const std::string& language) {
    const std::int64_t min = std::max(min_answers, 1);

    // Bank order: themes, and each question's theme index.
    std::map<std::string, int> theme_index, question_index;
    for (std::size_t t = 0; t < bank.themes.size(); ++t) theme_index[bank.themes[t].id] = static_cast<int>(t);
    std::vector<int> theme_of_question;
    std::vector<const Question*> questions;
    for (const auto& q : bank.questions) {
        auto it = theme_index.find(q.theme);
        if (it == theme_index.end()) continue;  // a checked bank has none
        question_index[q.id] = static_cast<int>(questions.size());
        questions.push_back(&q);
        theme_of_question.push_back(it->second);
    }

    std::array<WeekCells, kWeeks> weeks;
    for (auto& w : weeks) {
        w.questions.resize(questions.size());
        w.themes.resize(bank.themes.size());
    }
    for (const auto& c : counts) {
        auto it = question_index.find(c.question);
        if (it == question_index.end() || c.week_offset < 0 || c.week_offset >= kWeeks || c.n <= 0) continue;
        if (c.weekday < 0 || c.weekday > 6 || (c.value && (*c.value < 1 || *c.value > 5))) continue;
        WeekCells& w = weeks[c.week_offset];
        for (AnswerCell* cell : {&w.questions[it->second], &w.themes[theme_of_question[it->second]]}) {
            if (c.value) cell->distribution[*c.value - 1] += c.n;
            else cell->dont_know += c.n;
        }
        w.answers += c.n;
        w.days[c.weekday] += c.n;
    }
    for (auto& w : weeks) apply_anonymity_rule(w, theme_of_question, min);

    Summary s;
    s.workplace = workplace;
    s.week = week;
    s.language = std::find(kLanguages.begin(), kLanguages.end(), language) != kLanguages.end() ? language
                                                                                               : kLanguages.front();
    s.min_answers = static_cast<int>(min);
    s.questions_from = s.questions_to = week;
    const WeekCells& now = weeks[0];
    s.answers_withheld = now.answers_withheld;
    s.answers = now.answers_withheld ? 0 : now.answers;
    for (int d = 0; d < 7; ++d) {
        if (!now.day_withheld[d]) s.answers_per_weekday[d] = now.days[d];
    }
    for (std::size_t t = 0; t < bank.themes.size(); ++t) {
        ThemeSummary ts;
        ts.id = bank.themes[t].id;
        ts.title = in_language(bank.themes[t].title, s.language);
        ts.figures = figures_of({&weeks[0].themes[t], &weeks[1].themes[t], &weeks[2].themes[t], &weeks[3].themes[t]});
        for (std::size_t q = 0; q < questions.size(); ++q) {
            if (theme_of_question[q] != static_cast<int>(t)) continue;
            QuestionSummary qs;
            qs.id = questions[q]->id;
            qs.text = in_language(questions[q]->text, s.language);
            qs.active = questions[q]->active;
            qs.figures = figures_of(
                {&weeks[0].questions[q], &weeks[1].questions[q], &weeks[2].questions[q], &weeks[3].questions[q]});
            ts.questions.push_back(std::move(qs));
        }
        s.themes.push_back(std::move(ts));
    }
    return s;
}

}  // namespace pulse
