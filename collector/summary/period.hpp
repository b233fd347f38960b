// period.hpp — the 4-week periods the questions' figures are reported over
// (issue 14; docs/anonymity.md, "Questions over 4 weeks"). With 28
// statements asked 3 at a time a question gets about 7 answers a week, so
// the weekly summary shows its themes week by week and its questions summed
// over the latest period of 4 whole weeks: disjoint, on a fixed grid, and
// sealed with the period's last week from the counts the four weekly seals
// kept (so a period adds up exactly what its weeks published, late answers
// never included). Pure: sealed.cpp calls it when it seals a week.
#pragma once

#include "collector/summary/summary.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pulse {

inline constexpr int kPeriodWeeks = 4;

// Four consecutive ISO weeks. The grid: periods tile the weeks from 2024-W01
// (Monday 1 January 2024) on, and before it, in blocks of 4 across year ends.
struct WeekPeriod {
    IsoWeek first;
    IsoWeek last;
    bool operator==(const WeekPeriod&) const = default;
};

// The period that holds week w.
WeekPeriod period_of(IsoWeek w);
// The newest period whose last week is w or before it: the one w's summary shows.
WeekPeriod latest_period_ended_by(IsoWeek w);
// The period before p, and the four periods of a trend ending with p, oldest first.
WeekPeriod previous_period(WeekPeriod p);
std::vector<WeekPeriod> trend_periods(WeekPeriod last);
// Whole weeks from a to b (b − a; negative when b is before a).
int weeks_between(IsoWeek a, IsoWeek b);

// One week's answers to one question as its seal keeps them: never shown,
// only added up into the week's period.
struct QuestionCount {
    std::array<std::int64_t, 5> distribution{};  // answers per value 1..5
    std::int64_t dont_know = 0;
    bool operator==(const QuestionCount&) const = default;
};
using QuestionCounts = std::map<std::string, QuestionCount>;  // by question id; only questions with answers

// A week's counts per question from the store's counts (week_offset 0 only;
// question ids the bank does not know, bad values and n <= 0 left out, as
// build_summary leaves them out).
QuestionCounts question_counts(const QuestionBank& bank, const std::vector<AnswerCount>& counts);

// One sealed week as its period reads it: its summary (whose theme figures
// say which themes it withheld) and its kept counts.
struct PeriodWeek {
    const Summary* summary = nullptr;
    const QuestionCounts* counts = nullptr;
};

// Sets the questions of `summary` (its themes already built for
// summary.week, the period's last week) to the period's figures: for each
// question its cells summed over weeks (oldest first; weeks[3] is
// summary.week's own), the anonymity rule applied to the period's cells as to
// a week's, then the period rule: a theme that any of the four weeks
// withheld while it held answers, or whose kept counts hold a question the
// summary no longer lists (a bank version dropped from the config), shows
// none of its questions in the period (docs/anonymity.md says why). Change, previous_n, change_se and trend
// (4 periods) come from `previous`, the summary that showed the period
// before (nullptr: none). Sets question_span to period with its weeks.
void add_period_questions(Summary& summary, const std::array<PeriodWeek, kPeriodWeeks>& weeks, const Summary* previous,
                          int min_answers);

}  // namespace pulse
