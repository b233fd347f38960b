// sealed.cpp — the sealed summary: built from one week's counts and the
// sealed weeks before it (its questions over the 4-week period, period.hpp),
// written to and read from JSON (nlohmann), and given words in a language
// when read.
#include "collector/summary/sealed.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace pulse {
namespace {

using nlohmann::json;

// The figures of item id (theme or question) in a sealed summary, or null
// when there is no summary or it lacks the item.
const Figures* sealed_figures(const Summary* summary, const std::string& id, bool theme) {
    if (!summary) return nullptr;
    for (const ThemeSummary& t : summary->themes) {
        if (theme && t.id == id) return &t.figures;
        for (const QuestionSummary& q : t.questions) {
            if (!theme && q.id == id) return &q.figures;
        }
    }
    return nullptr;
}

// The shown mean of item id in a sealed summary (theme or question), or nullopt.
std::optional<double> sealed_mean(const Summary* summary, const std::string& id, bool theme) {
    const Figures* f = sealed_figures(summary, id, theme);
    return f && !f->withheld ? f->mean : std::nullopt;
}

// Trend (oldest first), change and its standard error of one shown item from
// the sealed weeks before.
void add_history(Figures& f, const std::string& id, bool theme, const std::array<const Summary*, 3>& earlier) {
    if (f.withheld) return;
    f.trend.clear();
    for (int k = 2; k >= 0; --k) f.trend.push_back(sealed_mean(earlier[static_cast<std::size_t>(k)], id, theme));
    f.trend.push_back(f.mean);
    const std::optional<double> before = f.trend[2];
    f.change.reset();
    f.previous_n = 0;
    f.change_se.reset();
    if (f.mean && before) {
        const Figures& previous = *sealed_figures(earlier[0], id, theme);
        f.change = *f.mean - *before;
        f.previous_n = previous.n;
        f.change_se = change_standard_error(f, previous);
    }
}

Figures withheld_figures() {
    Figures f;
    f.withheld = true;
    return f;
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::optional<double> read_optional(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<double>();
}

json sealed_figures_json(const Figures& f) {
    json j;
    j["withheld"] = f.withheld;
    if (f.withheld) return j;
    j["n"] = f.n;
    j["mean"] = optional_number(f.mean);
    j["favourable"] = optional_number(f.favourable);
    j["distribution"] = f.distribution;
    j["dont_know"] = f.dont_know;
    j["change"] = optional_number(f.change);
    j["previous_n"] = f.previous_n;
    j["change_se"] = optional_number(f.change_se);
    json trend = json::array();
    for (const auto& m : f.trend) trend.push_back(optional_number(m));
    j["trend"] = trend;
    return j;
}

Figures read_figures(const json& j) {
    Figures f;
    f.withheld = j.at("withheld").get<bool>();
    if (f.withheld) return f;
    f.n = j.at("n").get<std::int64_t>();
    f.mean = read_optional(j.at("mean"));
    f.favourable = read_optional(j.at("favourable"));
    f.distribution = j.at("distribution").get<std::array<std::int64_t, 5>>();
    f.dont_know = j.at("dont_know").get<std::int64_t>();
    f.change = read_optional(j.at("change"));
    // Absent in weeks sealed before the change rule (issue 14): no change of theirs is called out.
    f.previous_n = j.value("previous_n", std::int64_t{0});
    if (j.contains("change_se")) f.change_se = read_optional(j.at("change_se"));
    for (const json& m : j.at("trend")) f.trend.push_back(read_optional(m));
    return f;
}

const std::string& in_language(const LocalText& text, const std::string& language, const std::string& fallback) {
    if (auto it = text.find(language); it != text.end()) return it->second;
    if (auto it = text.find(kLanguages.front()); it != text.end()) return it->second;
    return text.empty() ? fallback : text.begin()->second;
}

}  // namespace

SealedSummary seal_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                           const std::vector<AnswerCount>& counts, int min_answers,
                           const std::array<const SealedSummary*, 3>& earlier) {
    std::vector<AnswerCount> this_week;
    std::copy_if(counts.begin(), counts.end(), std::back_inserter(this_week),
                 [](const AnswerCount& c) { return c.week_offset == 0; });
    SealedSummary out;
    out.counts = question_counts(bank, this_week);
    Summary& s = out.summary;
    s = build_summary(workplace, week, bank, this_week, min_answers, kLanguages.front());
    s.language.clear();
    std::array<const Summary*, 3> before{};
    for (std::size_t k = 0; k < 3; ++k) before[k] = earlier[k] ? &earlier[k]->summary : nullptr;
    for (ThemeSummary& t : s.themes) {
        t.title.clear();
        add_history(t.figures, t.id, true, before);
        for (QuestionSummary& q : t.questions) q.text.clear();
    }

    // The questions: the newest period ended by this week.
    const WeekPeriod period = latest_period_ended_by(week);
    const int back = weeks_between(period.last, week);  // 0..3
    bool shown = false;
    if (back == 0) {
        std::array<PeriodWeek, kPeriodWeeks> weeks;
        weeks[kPeriodWeeks - 1] = {&s, &*out.counts};
        shown = true;
        for (int k = 1; k < kPeriodWeeks; ++k) {
            const SealedSummary* e = earlier[static_cast<std::size_t>(k - 1)];
            if (!e || !e->counts) {
                shown = false;
                break;
            }
            weeks[static_cast<std::size_t>(kPeriodWeeks - 1 - k)] = {&e->summary, &*e->counts};
        }
        if (shown) add_period_questions(s, weeks, before[0], min_answers);
    } else if (const SealedSummary* last = earlier[static_cast<std::size_t>(back - 1)];
               last && last->summary.question_span == QuestionSpan::period && last->summary.questions_to == period.last) {
        for (ThemeSummary& t : s.themes) {
            // A question the bank gained after the period's last week has no
            // figure over it: it is left out, not called "too few answers".
            std::erase_if(t.questions,
                          [&](const QuestionSummary& q) { return !sealed_figures(&last->summary, q.id, false); });
            for (QuestionSummary& q : t.questions) q.figures = *sealed_figures(&last->summary, q.id, false);
        }
        shown = true;
    }
    s.question_span = shown ? QuestionSpan::period : QuestionSpan::none;
    s.questions_from = period.first;
    s.questions_to = period.last;
    if (!shown) {
        for (ThemeSummary& t : s.themes) {
            for (QuestionSummary& q : t.questions) q.figures = withheld_figures();
        }
    }
    return out;
}

std::string sealed_summary_json(const SealedSummary& sealed) {
    const Summary& s = sealed.summary;
    json j;
    j["sealed"] = 2;  // the format's version: 2 adds the questions' span and the kept counts
    j["workplace"] = s.workplace;
    j["week"] = s.week.str();
    j["min_answers"] = s.min_answers;
    j["answers_withheld"] = s.answers_withheld;
    j["answers"] = s.answers_withheld ? 0 : s.answers;
    json days = json::array();
    for (const auto& d : s.answers_per_weekday) days.push_back(d ? json(*d) : json(nullptr));
    j["weekdays"] = days;
    json themes = json::array();
    for (const ThemeSummary& t : s.themes) {
        json theme{{"id", t.id}, {"figures", sealed_figures_json(t.figures)}};
        json questions = json::array();
        for (const QuestionSummary& q : t.questions) {
            questions.push_back({{"id", q.id}, {"active", q.active}, {"figures", sealed_figures_json(q.figures)}});
        }
        theme["questions"] = questions;
        themes.push_back(theme);
    }
    j["themes"] = themes;
    j["question_span"] = s.question_span == QuestionSpan::period ? "period"
                         : s.question_span == QuestionSpan::none ? "none"
                                                                  : "week";
    j["questions_from"] = s.questions_from.str();
    j["questions_to"] = s.questions_to.str();
    if (sealed.counts) {
        json counts = json::object();
        for (const auto& [id, c] : *sealed.counts) {
            json row = c.distribution;
            row.push_back(c.dont_know);
            counts[id] = row;
        }
        j["counts"] = counts;
    }
    // max_digits10 for doubles: the figures read back bit for bit.
    return j.dump();
}

std::optional<SealedSummary> parse_sealed(std::string_view text) {
    try {
        const json j = json::parse(text);
        const int version = j.at("sealed").get<int>();
        if (version != 1 && version != 2) return std::nullopt;
        SealedSummary out;
        Summary& s = out.summary;
        s.workplace = j.at("workplace").get<std::string>();
        const std::optional<IsoWeek> week = parse_iso_week(j.at("week").get<std::string>());
        if (!week) return std::nullopt;
        s.week = *week;
        s.min_answers = j.at("min_answers").get<int>();
        s.answers_withheld = j.at("answers_withheld").get<bool>();
        s.answers = j.at("answers").get<std::int64_t>();
        const json& days = j.at("weekdays");
        if (!days.is_array() || days.size() != 7) return std::nullopt;
        for (std::size_t d = 0; d < 7; ++d) {
            if (!days[d].is_null()) s.answers_per_weekday[d] = days[d].get<std::int64_t>();
        }
        for (const json& t : j.at("themes")) {
            ThemeSummary theme;
            theme.id = t.at("id").get<std::string>();
            theme.figures = read_figures(t.at("figures"));
            for (const json& q : t.at("questions")) {
                QuestionSummary question;
                question.id = q.at("id").get<std::string>();
                question.active = q.at("active").get<bool>();
                question.figures = read_figures(q.at("figures"));
                theme.questions.push_back(std::move(question));
            }
            s.themes.push_back(std::move(theme));
        }
        s.questions_from = s.questions_to = s.week;
        if (version == 1) return out;  // weekly questions, no counts kept
        const std::string span = j.at("question_span").get<std::string>();
        if (span == "period") s.question_span = QuestionSpan::period;
        else if (span == "none") s.question_span = QuestionSpan::none;
        else if (span != "week") return std::nullopt;
        const std::optional<IsoWeek> from = parse_iso_week(j.at("questions_from").get<std::string>());
        const std::optional<IsoWeek> to = parse_iso_week(j.at("questions_to").get<std::string>());
        if (!from || !to) return std::nullopt;
        s.questions_from = *from;
        s.questions_to = *to;
        if (j.contains("counts")) {
            QuestionCounts counts;
            for (const auto& [id, row] : j.at("counts").items()) {
                if (!row.is_array() || row.size() != 6) return std::nullopt;
                QuestionCount& c = counts[id];
                for (std::size_t v = 0; v < 5; ++v) c.distribution[v] = row[v].get<std::int64_t>();
                c.dont_know = row[5].get<std::int64_t>();
            }
            out.counts = std::move(counts);
        }
        return out;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::optional<Summary> parse_sealed_summary(std::string_view text) {
    std::optional<SealedSummary> sealed = parse_sealed(text);
    if (!sealed) return std::nullopt;
    return std::move(sealed->summary);
}

void localize_summary(Summary& summary, const QuestionBank& bank, const std::string& language) {
    summary.language =
        std::find(kLanguages.begin(), kLanguages.end(), language) != kLanguages.end() ? language : kLanguages.front();
    std::map<std::string, const LocalText*> titles, texts;
    for (const auto& t : bank.themes) titles[t.id] = &t.title;
    for (const auto& q : bank.questions) texts[q.id] = &q.text;
    for (ThemeSummary& t : summary.themes) {
        auto title = titles.find(t.id);
        t.title = title == titles.end() ? t.id : in_language(*title->second, summary.language, t.id);
        for (QuestionSummary& q : t.questions) {
            auto text = texts.find(q.id);
            q.text = text == texts.end() ? q.id : in_language(*text->second, summary.language, q.id);
        }
    }
}

}  // namespace pulse
