// sealed.cpp — the sealed summary: built from one week's counts and the
// sealed weeks before it, written to and read from JSON (nlohmann), and
// given words in a language when read.
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

Summary seal_summary(const std::string& workplace, IsoWeek week, const QuestionBank& bank,
                     const std::vector<AnswerCount>& counts, int min_answers,
                     const std::array<const Summary*, 3>& earlier) {
    std::vector<AnswerCount> this_week;
    std::copy_if(counts.begin(), counts.end(), std::back_inserter(this_week),
                 [](const AnswerCount& c) { return c.week_offset == 0; });
    Summary s = build_summary(workplace, week, bank, this_week, min_answers, kLanguages.front());
    s.language.clear();
    for (ThemeSummary& t : s.themes) {
        t.title.clear();
        add_history(t.figures, t.id, true, earlier);
        for (QuestionSummary& q : t.questions) {
            q.text.clear();
            add_history(q.figures, q.id, false, earlier);
        }
    }
    return s;
}

std::string sealed_summary_json(const Summary& s) {
    json j;
    j["sealed"] = 1;  // the format's version
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
    // max_digits10 for doubles: the figures read back bit for bit.
    return j.dump();
}

std::optional<Summary> parse_sealed_summary(std::string_view text) {
    try {
        const json j = json::parse(text);
        if (j.at("sealed").get<int>() != 1) return std::nullopt;
        Summary s;
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
        return s;
    } catch (const json::exception&) {
        return std::nullopt;
    }
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
