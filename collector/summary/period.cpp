// period.cpp — the period grid and the questions' figures over a period
// (period.hpp): the four weeks' kept counts summed per question and theme,
// the week's anonymity rule run on the sums, the period rule on top.
#include "collector/summary/period.hpp"

#include "collector/summary/anonymity.hpp"

#include <algorithm>

namespace pulse {
namespace {

// The Monday of 2024-W01: where the grid of periods starts.
constexpr std::int64_t kGridMonday = 19723;  // days_from_civil(2024, 1, 1); a test checks it

// The figures of the period before as `previous` showed them, when it did
// show them (a period, not a week or none); nullptr otherwise.
const Figures* previous_figures(const Summary* previous, const std::string& question) {
    if (!previous || previous->question_span != QuestionSpan::period) return nullptr;
    for (const ThemeSummary& t : previous->themes) {
        for (const QuestionSummary& q : t.questions) {
            if (q.id == question) return &q.figures;
        }
    }
    return nullptr;
}

// Change against the period before and the trend of four periods, oldest
// first, each period's mean as its own summary showed it.
void add_period_history(Figures& f, const Figures* before) {
    if (f.withheld) return;
    f.trend.assign(kPeriodWeeks, std::nullopt);
    if (before && !before->withheld) {
        // The period before showed its own trend of four periods ending with itself.
        const std::size_t shift = before->trend.size() >= 3 ? before->trend.size() - 3 : 0;
        for (std::size_t i = shift; i < before->trend.size(); ++i) f.trend[i - shift] = before->trend[i];
        f.trend[2] = before->mean;
    }
    f.trend[3] = f.mean;
    if (f.mean && before && !before->withheld && before->mean) {
        f.change = *f.mean - *before->mean;
        f.previous_n = before->n;
        f.change_se = change_standard_error(f, *before);
    }
}

}  // namespace

int weeks_between(IsoWeek a, IsoWeek b) {
    return static_cast<int>(floor_div(iso_week_monday(b) - iso_week_monday(a), kDaysPerWeek));
}

WeekPeriod period_of(IsoWeek w) {
    const std::int64_t index = floor_div(floor_div(iso_week_monday(w) - kGridMonday, kDaysPerWeek), kPeriodWeeks);
    const std::int64_t first_monday = kGridMonday + index * kPeriodWeeks * kDaysPerWeek;
    return {iso_week_of_days(first_monday), iso_week_of_days(first_monday + (kPeriodWeeks - 1) * kDaysPerWeek)};
}

WeekPeriod latest_period_ended_by(IsoWeek w) {
    const WeekPeriod p = period_of(w);
    return p.last == w ? p : previous_period(p);
}

WeekPeriod previous_period(WeekPeriod p) { return period_of(iso_week_of_days(iso_week_monday(p.first) - kDaysPerWeek)); }

std::vector<WeekPeriod> trend_periods(WeekPeriod last) {
    std::vector<WeekPeriod> out{last};
    while (out.size() < static_cast<std::size_t>(kPeriodWeeks)) out.insert(out.begin(), previous_period(out.front()));
    return out;
}

QuestionCounts question_counts(const QuestionBank& bank, const std::vector<AnswerCount>& counts) {
    QuestionCounts out;
    for (const AnswerCount& c : counts) {
        if (c.week_offset != 0 || c.n <= 0 || (c.value && (*c.value < 1 || *c.value > 5))) continue;
        if (c.weekday < 0 || c.weekday > 6) continue;
        const bool known = std::any_of(bank.questions.begin(), bank.questions.end(),
                                       [&](const Question& q) { return q.id == c.question; });
        if (!known) continue;
        QuestionCount& q = out[c.question];
        if (c.value) q.distribution[*c.value - 1] += c.n;
        else q.dont_know += c.n;
    }
    return out;
}

void add_period_questions(Summary& s, const std::array<PeriodWeek, kPeriodWeeks>& weeks, const Summary* previous,
                          int min_answers) {
    const std::int64_t min = std::max(min_answers, 1);
    // The period's cells in the summary's order (the bank's, as build_summary made it).
    std::map<std::string, int> theme_index;
    for (std::size_t t = 0; t < s.themes.size(); ++t) theme_index[s.themes[t].id] = static_cast<int>(t);
    WeekCells period;
    period.themes.resize(s.themes.size());
    std::vector<int> theme_of_question;
    std::vector<QuestionSummary*> questions;
    for (std::size_t t = 0; t < s.themes.size(); ++t) {
        for (QuestionSummary& q : s.themes[t].questions) {
            questions.push_back(&q);
            theme_of_question.push_back(static_cast<int>(t));
        }
    }
    period.questions.resize(questions.size());
    // What each theme held in the weeks that withheld it: answers, "ved ikke" included.
    std::vector<std::int64_t> hidden_in_weeks(s.themes.size(), 0);
    for (const PeriodWeek& week : weeks) {
        for (std::size_t q = 0; q < questions.size(); ++q) {
            auto it = week.counts->find(questions[q]->id);
            if (it == week.counts->end()) continue;
            AnswerCell& cell = period.questions[q];
            AnswerCell& theme = period.themes[theme_of_question[q]];
            for (int v = 0; v < 5; ++v) {
                cell.distribution[v] += it->second.distribution[v];
                theme.distribution[v] += it->second.distribution[v];
            }
            cell.dont_know += it->second.dont_know;
            theme.dont_know += it->second.dont_know;
            std::int64_t answers = it->second.dont_know;
            for (std::int64_t n : it->second.distribution) answers += n;
            period.answers += answers;
            // A theme this week's summary withheld (or lacks): its answers were never shown.
            bool withheld = true;
            for (const ThemeSummary& t : week.summary->themes) {
                if (t.id == s.themes[theme_of_question[q]].id) withheld = t.figures.withheld;
            }
            if (withheld) hidden_in_weeks[theme_of_question[q]] += answers;
        }
    }
    apply_anonymity_rule(period, theme_of_question, min);
    // A question a week's seal counted that the bank no longer has (an old
    // bank version taken out of the config): its answers are in that week's
    // theme figure but in no statement here, so the theme's figures minus
    // its statements would be that question's answers. Its theme (the id's
    // "T." part) shows no statement in the period.
    std::vector<bool> lost_question(s.themes.size(), false);
    for (const PeriodWeek& week : weeks) {
        for (const auto& [id, count] : *week.counts) {
            const bool known = std::any_of(questions.begin(), questions.end(),
                                           [&](const QuestionSummary* q) { return q->id == id; });
            if (known) continue;
            auto theme = theme_index.find(id.substr(0, id.find('.')));
            if (theme != theme_index.end()) lost_question[static_cast<std::size_t>(theme->second)] = true;
        }
    }
    // The period rule: a theme's questions add up to the theme over the
    // period, which is the sum of its four weekly figures; with any of those
    // withheld, showing all its questions would give the withheld week's
    // away, so none of them is shown.
    for (std::size_t q = 0; q < questions.size(); ++q) {
        const int t = theme_of_question[q];
        if (hidden_in_weeks[t] > 0 || lost_question[static_cast<std::size_t>(t)]) period.questions[q].withheld = true;
    }
    for (std::size_t q = 0; q < questions.size(); ++q) {
        Figures f = cell_figures(period.questions[q]);
        add_period_history(f, previous_figures(previous, questions[q]->id));
        questions[q]->figures = std::move(f);
    }
    const WeekPeriod p = latest_period_ended_by(s.week);
    s.question_span = QuestionSpan::period;
    s.questions_from = p.first;
    s.questions_to = p.last;
}

}  // namespace pulse
