// anonymity.hpp — the anonymity rule of the weekly summary (docs/anonymity.md),
// on one week's raw counts: which figures are withheld. build_summary
// (summary.cpp) fills the cells and applies it to each week on its own.
#pragma once

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace pulse {

// The counts behind one question or theme in one week, and whether the
// anonymity rule withholds them.
struct AnswerCell {
    std::array<std::int64_t, 5> distribution{};  // answers per value 1..5
    std::int64_t dont_know = 0;                  // "ved ikke" answers
    bool withheld = false;                       // set by apply_anonymity_rule

    // Answers with a value: the n the threshold applies to.
    std::int64_t n() const { return std::accumulate(distribution.begin(), distribution.end(), std::int64_t{0}); }
    // Every answer, "ved ikke" included: what participation counts.
    std::int64_t answers() const { return n() + dont_know; }
};

// Everything one week shows, before and after the rule.
struct WeekCells {
    std::vector<AnswerCell> questions;            // bank order
    std::vector<AnswerCell> themes;               // bank order
    std::int64_t answers = 0;                     // every answer (values and "ved ikke") to a known question
    bool answers_withheld = false;                // set by apply_anonymity_rule
    std::array<std::int64_t, 7> days{};           // answers per weekday, Monday first
    std::array<bool, 7> day_withheld{};           // set by apply_anonymity_rule
};

// Decides which of week's figures are withheld, setting every `withheld`
// flag of week (its questions, themes, total and weekdays) and changing no
// count. theme_of_question[q] is the index in week.themes of question q's
// theme (one entry per week.questions); min_answers >= 1.
//
// The rule (docs/anonymity.md):
// 1. Primary: a question or theme with n < min_answers (answers with a
//    value), the week's total or a weekday with 1 to min_answers − 1
//    answers, is withheld. A weekday nobody answered shows its 0 (all one
//    learns is "nobody answered", as in step 3) unless the total is withheld.
// 2. A withheld theme withholds all its questions.
// 3. Complementary: wherever a shown figure is the sum of parts, the withheld
//    parts together must hold at least min_answers answers (or none at all:
//    then all one learns is "nobody answered"), else the smallest shown part
//    (the first in order on a tie) is withheld too, until they do:
//      total  = Σ themes    (the withheld themes' answers, "ved ikke" included)
//      theme  = Σ questions (the withheld questions' n)
//      total  = Σ weekdays  (the withheld days' answers)
//    Each loop ends: once every part is withheld, the parts add up to their
//    shown parent, which passed rule 1.
// Cannot fail; a theme_of_question of the wrong size or with an index out of
// range is a programming error.
void apply_anonymity_rule(WeekCells& week, const std::vector<int>& theme_of_question, std::int64_t min_answers);

}  // namespace pulse
