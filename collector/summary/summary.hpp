// summary.hpp — the managers' weekly pulse summary of one workplace: figures
// per question and per theme, this week against the last, with anonymity
// enforced here and nowhere else: every figure built on fewer than
// min_answers answers is withheld, and no withheld figure can be recovered
// from the figures shown (docs/anonymity.md states the rule; anonymity.hpp
// applies it). Pure: it takes counts, returns a Summary; the renderers
// (formats.hpp) turn it into JSON, CSV and HTML.
#pragma once

#include "common/question_bank.hpp"
#include "common/calendar.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// How many answers of one kind a workplace got: the unit the store hands
// over (an aggregate, never an answer).
struct AnswerCount {
    std::string question;      // "2.3"
    std::optional<int> value;  // 1..5, nullopt = "ved ikke"
    int week_offset = 0;       // 0 = the summary's week, 1 = the week before, ... (Copenhagen weeks)
    int weekday = 0;           // 0 = Monday .. 6 = Sunday, Copenhagen time
    std::int64_t n = 0;        // how many
};

// Figures of one question or theme in one week. When withheld, every figure
// but `withheld` is absent.
struct Figures {
    bool withheld = false;
    std::int64_t n = 0;                        // answers with a value 1..5
    std::optional<double> mean;                // 1..5
    std::optional<double> favourable;          // share of 4 and 5, 0..1
    std::array<std::int64_t, 5> distribution{};  // answers per value 1..5
    std::int64_t dont_know = 0;                // "ved ikke"
    std::optional<double> change;              // mean minus last week's mean; absent if either is withheld
    std::int64_t previous_n = 0;               // last week's n when change is set, else 0
    std::optional<double> change_se;           // standard error of change (change_standard_error); with change
    std::vector<std::optional<double>> trend;  // means of the last 4 weeks, oldest first; absent where withheld
};

struct QuestionSummary {
    std::string id;      // "2.3"
    std::string text;    // in the summary's language
    bool active = true;  // false: disabled in the bank (no longer asked); kept so its theme adds up
    Figures figures;
};

struct ThemeSummary {
    std::string id;      // "2"
    std::string title;   // in the summary's language
    Figures figures;     // all of the theme's questions together
    std::vector<QuestionSummary> questions;  // in the bank's order
};

// Which weeks the questions' figures cover (issue 14; period.hpp). Themes,
// participation and weekdays always cover the summary's week.
enum class QuestionSpan {
    week,    // the summary's week (build_summary; weeks sealed before 4-week periods)
    period,  // questions_from..questions_to: the newest period of 4 weeks ended by the week
    none,    // no sealed period yet: every question is withheld (the page says why, not "too few")
};

struct Summary {
    std::string workplace;                // its id, as in uploads and URLs
    std::string workplace_name;           // as managers know it ([[workplace]] name); not sealed, set when shown
    IsoWeek week;
    std::string language;                 // "da" | "en"
    int min_answers = 5;                  // anonymity threshold
    std::int64_t answers = 0;             // total this week (withheld if < min_answers: then nullopt below)
    bool answers_withheld = false;
    std::array<std::optional<std::int64_t>, 7> answers_per_weekday{};  // Monday..Sunday; nullopt = withheld
    std::vector<ThemeSummary> themes;     // in the bank's order
    QuestionSpan question_span = QuestionSpan::week;
    IsoWeek questions_from, questions_to;  // period: its first and last week; else the summary's week
};

// The rule that decides whether a change is worth a manager's attention,
// rather than chance: with 28 statements asked 3 at a time a question gets
// about 7 answers a week, and its weekly mean moves by ±0.6 by chance alone.
inline constexpr std::int64_t kNotableMinN = 20;    // answers with a value, in each of the two weeks
inline constexpr double kNotableStandardErrors = 2;  // |change| at least this many standard errors

// Share of answers 1..2 (0..1) of shown figures with n > 0, else nullopt:
// the left end of the diverging bar, the "% uenige" column.
std::optional<double> unfavourable_share(const Figures& f);

// The standard error of the difference of two weeks' means, from each week's
// distribution (sample variance over n − 1): sqrt(s₁²/n₁ + s₀²/n₀). nullopt
// when either week is withheld or has fewer than 2 answers with a value.
std::optional<double> change_standard_error(const Figures& now, const Figures& before);

// True when f's change passes the stated rule: n and previous_n at least
// kNotableMinN, and the change as shown (rounded to one decimal) at least
// kNotableStandardErrors × change_se. False when any of them is absent.
bool change_is_notable(const Figures& f);

// The workplace as a reader sees it: its name, or its id when it has none.
inline const std::string& display_name(const Summary& s) {
    return s.workplace_name.empty() ? s.workplace : s.workplace_name;
}

struct AnswerCell;  // anonymity.hpp

// The figures of one cell as shown, without history (no change or trend):
// withheld when the cell is, else n, mean, favourable share, distribution
// and "ved ikke".
Figures cell_figures(const AnswerCell& cell);

// Builds the summary of `week` from counts covering that week and the four
// before it (week_offset 0..4). Questions in counts that the bank does not
// know are ignored. Applies the anonymity rule (docs/anonymity.md).
Summary build_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                      const std::vector<AnswerCount>& counts, int min_answers, const std::string& language);

}  // namespace pulse
