// summary.cpp — build_summary: counts → figures per question, theme and day
// for the summary's week and the weeks before it, then the anonymity rule
// (docs/anonymity.md) applied to each week on its own. The renderers live in
// summary_formats.cpp.
#include "collector/summary/summary.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace pulse {
namespace {

// [SECTION] One week's raw cells

// The counts behind one question or theme in one week, and whether the
// anonymity rule withholds them.
struct Cell {
    std::array<std::int64_t, 5> distribution{};  // answers per value 1..5
    std::int64_t dont_know = 0;
    bool withheld = false;

    std::int64_t n() const { return std::accumulate(distribution.begin(), distribution.end(), std::int64_t{0}); }
    std::int64_t answers() const { return n() + dont_know; }  // "ved ikke" is an answer too
};

// Everything one week shows, before and after suppression.
struct Week {
    std::vector<Cell> questions;  // bank order
    std::vector<Cell> themes;     // bank order
    std::int64_t answers = 0;     // every answer (values and "ved ikke") to a known question
    bool answers_withheld = false;
    std::array<std::int64_t, 7> days{};  // answers per weekday, Monday first
    std::array<bool, 7> day_withheld{};
};

constexpr int kWeeks = 4;  // the trend's length: offsets 0..3

// Index of the smallest shown item by `size` (the first in order on a tie),
// or -1 when every item is already withheld.
template <typename Size, typename Shown>
int smallest_shown(int count, Size size, Shown shown) {
    int best = -1;
    for (int i = 0; i < count; ++i) {
        if (shown(i) && (best < 0 || size(i) < size(best))) best = i;
    }
    return best;
}

// [SECTION] The anonymity rule (docs/anonymity.md), for one week.
//
// 1. Primary: a question or theme with n < min (answers with a value), the
//    week's total or a weekday with fewer than min answers, is withheld.
// 2. A withheld theme withholds all its questions.
// 3. Complementary: wherever a shown figure is the sum of parts, the withheld
//    parts together must hold at least min answers (or none at all: then
//    all one learns is "nobody answered"), else the smallest shown part is
//    withheld too, until they do:
//      total  = Σ themes   (the withheld themes' answers, "ved ikke" included)
//      theme  = Σ questions (the withheld questions' n)
//      total  = Σ weekdays  (the withheld days' answers)
//    Each loop ends: once every part is withheld, the parts add up to their
//    shown parent, which passed rule 1.
void suppress(Week& w, const std::vector<int>& theme_of_question, std::int64_t min) {
    const int themes = static_cast<int>(w.themes.size());
    const int questions = static_cast<int>(w.questions.size());

    // 1. primary
    for (auto& c : w.questions) c.withheld = c.n() < min;
    for (auto& c : w.themes) c.withheld = c.n() < min;
    w.answers_withheld = w.answers < min;
    for (int d = 0; d < 7; ++d) w.day_withheld[d] = w.days[d] < min;

    // 3. total = Σ themes (only answer counts can be subtracted here).
    if (!w.answers_withheld) {
        for (;;) {
            std::int64_t hidden = 0;
            for (const auto& t : w.themes) {
                if (t.withheld) hidden += t.answers();
            }
            if (hidden == 0 || hidden >= min) break;
            const int i = smallest_shown(themes, [&](int k) { return w.themes[k].answers(); },
                                         [&](int k) { return !w.themes[k].withheld; });
            if (i < 0) break;
            w.themes[i].withheld = true;
        }
    } else {
        for (auto& t : w.themes) t.withheld = true;  // every theme has fewer answers than the total
    }

    // 2. a withheld theme withholds its questions
    for (int q = 0; q < questions; ++q) {
        if (w.themes[theme_of_question[q]].withheld) w.questions[q].withheld = true;
    }

    // 3. theme = Σ questions
    for (int t = 0; t < themes; ++t) {
        if (w.themes[t].withheld) continue;
        for (;;) {
            std::int64_t hidden = 0, hidden_answers = 0;
            for (int q = 0; q < questions; ++q) {
                if (theme_of_question[q] == t && w.questions[q].withheld) {
                    hidden += w.questions[q].n();
                    hidden_answers += w.questions[q].answers();
                }
            }
            if (hidden_answers == 0 || hidden >= min) break;
            const int i = smallest_shown(questions, [&](int k) { return w.questions[k].n(); },
                                         [&](int k) { return theme_of_question[k] == t && !w.questions[k].withheld; });
            if (i < 0) break;
            w.questions[i].withheld = true;
        }
    }

    // 3. total = Σ weekdays
    if (w.answers_withheld) {
        w.day_withheld.fill(true);
    } else {
        for (;;) {
            std::int64_t hidden = 0;
            for (int d = 0; d < 7; ++d) {
                if (w.day_withheld[d]) hidden += w.days[d];
            }
            if (hidden == 0 || hidden >= min) break;
            const int i = smallest_shown(7, [&](int k) { return w.days[k]; }, [&](int k) { return !w.day_withheld[k]; });
            if (i < 0) break;
            w.day_withheld[i] = true;
        }
    }
}

std::optional<double> shown_mean(const Cell& c) {
    if (c.withheld || c.n() == 0) return std::nullopt;
    std::int64_t sum = 0;
    for (int v = 0; v < 5; ++v) sum += (v + 1) * c.distribution[v];
    return static_cast<double>(sum) / static_cast<double>(c.n());
}

// The figures of one item: this week's cell, plus its cells in the weeks
// before (each already suppressed by its own week's rule).
Figures figures_of(const std::array<const Cell*, kWeeks>& cells) {
    const Cell& now = *cells[0];
    Figures f;
    f.withheld = now.withheld;
    if (f.withheld) return f;
    f.n = now.n();
    f.distribution = now.distribution;
    f.dont_know = now.dont_know;
    f.mean = shown_mean(now);
    f.favourable = static_cast<double>(now.distribution[3] + now.distribution[4]) / static_cast<double>(f.n);
    const auto before = shown_mean(*cells[1]);
    if (f.mean && before) f.change = *f.mean - *before;
    for (int k = kWeeks - 1; k >= 0; --k) f.trend.push_back(shown_mean(*cells[k]));
    return f;
}

const std::string& in_language(const LocalText& text, const std::string& language) {
    static const std::string kEmpty;
    if (auto it = text.find(language); it != text.end()) return it->second;
    if (auto it = text.find(kLanguages.front()); it != text.end()) return it->second;
    return text.empty() ? kEmpty : text.begin()->second;
}

}  // namespace

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

    std::array<Week, kWeeks> weeks;
    for (auto& w : weeks) {
        w.questions.resize(questions.size());
        w.themes.resize(bank.themes.size());
    }
    for (const auto& c : counts) {
        auto it = question_index.find(c.question);
        if (it == question_index.end() || c.week_offset < 0 || c.week_offset >= kWeeks || c.n <= 0) continue;
        if (c.weekday < 0 || c.weekday > 6 || (c.value && (*c.value < 1 || *c.value > 5))) continue;
        Week& w = weeks[c.week_offset];
        for (Cell* cell : {&w.questions[it->second], &w.themes[theme_of_question[it->second]]}) {
            if (c.value) cell->distribution[*c.value - 1] += c.n;
            else cell->dont_know += c.n;
        }
        w.answers += c.n;
        w.days[c.weekday] += c.n;
    }
    for (auto& w : weeks) suppress(w, theme_of_question, min);

    Summary s;
    s.workplace = workplace;
    s.week = week;
    s.language = std::find(kLanguages.begin(), kLanguages.end(), language) != kLanguages.end() ? language
                                                                                               : kLanguages.front();
    s.min_answers = static_cast<int>(min);
    const Week& now = weeks[0];
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
