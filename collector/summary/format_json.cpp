// format_json.cpp — summary_json: the summary as JSON for programs, keys in a
// fixed order; a withheld item carries "withheld": true and no figure key.
#include "collector/summary/format_text.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/period.hpp"

#include <nlohmann/json.hpp>

namespace pulse {
namespace {

const char* const kWeekdayKeys[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

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

}  // namespace

std::string summary_json(const Summary& s) {
    nlohmann::ordered_json j;
    j["workplace"] = s.workplace;
    j["workplace_name"] = display_name(s);
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
    // The weeks the questions' figures cover (their trend: periods, oldest first).
    nlohmann::ordered_json span;
    span["span"] = s.question_span == QuestionSpan::period ? "period"
                   : s.question_span == QuestionSpan::none ? "none"
                                                            : "week";
    span["from"] = s.questions_from.str();
    span["to"] = s.questions_to.str();
    if (s.question_span == QuestionSpan::period) {
        auto periods = nlohmann::ordered_json::array();
        for (const WeekPeriod& p : trend_periods({s.questions_from, s.questions_to})) {
            periods.push_back({{"from", p.first.str()}, {"to", p.last.str()}});
        }
        span["trend_periods"] = periods;
    }
    j["questions"] = span;
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

}  // namespace pulse
