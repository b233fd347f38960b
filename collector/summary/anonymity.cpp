// anonymity.cpp — apply_anonymity_rule: the three steps of the rule in
// anonymity.hpp, each a plain loop over one week's cells.
#include "collector/summary/anonymity.hpp"

#include <cassert>

namespace pulse {
namespace {

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

}  // namespace

void apply_anonymity_rule(WeekCells& w, const std::vector<int>& theme_of_question, std::int64_t min_answers) {
    const int themes = static_cast<int>(w.themes.size());
    const int questions = static_cast<int>(w.questions.size());
    assert(theme_of_question.size() == w.questions.size() &&
           "apply_anonymity_rule: theme_of_question needs one theme index per question");

    // 1. primary
    for (auto& c : w.questions) c.withheld = c.n() < min_answers;
    for (auto& c : w.themes) c.withheld = c.n() < min_answers;
    w.answers_withheld = w.answers < min_answers;
    for (int d = 0; d < 7; ++d) w.day_withheld[d] = w.days[d] > 0 && w.days[d] < min_answers;  // 0: nobody answered

    // 3. total = Σ themes (only answer counts can be subtracted here).
    if (!w.answers_withheld) {
        for (;;) {
            std::int64_t hidden = 0;
            for (const auto& t : w.themes) {
                if (t.withheld) hidden += t.answers();
            }
            if (hidden == 0 || hidden >= min_answers) break;
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
            if (hidden_answers == 0 || hidden >= min_answers) break;
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
            if (hidden == 0 || hidden >= min_answers) break;
            // A day nobody answered hides nothing: withholding it would not help.
            const int i = smallest_shown(7, [&](int k) { return w.days[k]; },
                                         [&](int k) { return !w.day_withheld[k] && w.days[k] > 0; });
            if (i < 0) break;
            w.day_withheld[i] = true;
        }
    }
}

}  // namespace pulse
