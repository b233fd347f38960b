// publication.cpp — publication moments, sealing in order, and reading the
// sealed summaries and overview (see publication.hpp).
#include "collector/publication.hpp"

#include "collector/summary/sealed.hpp"
#include "common/copenhagen_time.hpp"

#include <algorithm>

namespace pulse {
namespace {

// The seal's builder: each workplace's summary of the week from its counts
// (of every configured bank version, questions matched by id) and its own
// earlier seals, as stored text.
SealBuilder builder(const CollectorConfig& config, IsoWeek week) {
    return [&config, week](const std::vector<SealInput>& inputs) {
        const QuestionBank bank = merge_question_banks(config.banks);
        std::vector<std::string> texts;
        texts.reserve(inputs.size());
        for (const SealInput& input : inputs) {
            std::array<std::optional<SealedSummary>, 3> parsed;
            std::array<const SealedSummary*, 3> earlier{};
            for (std::size_t k = 0; k < 3; ++k) {
                if (input.earlier[k]) parsed[k] = parse_sealed(*input.earlier[k]);
                earlier[k] = parsed[k] ? &*parsed[k] : nullptr;
            }
            texts.push_back(sealed_summary_json(
                seal_summary(input.workplace, week, bank, input.counts, config.min_answers, earlier)));
        }
        return texts;
    };
}

std::string when(const CollectorConfig& config, IsoWeek week) {
    return format_iso_utc(publication_moment(config, week)) + " (" + describe(config.publication) +
           " Copenhagen time)";
}

}  // namespace

UnixSeconds publication_moment(const CollectorConfig& config, IsoWeek week) {
    return weekly_moment_after(week, config.publication);
}

IsoWeek latest_published_week(const CollectorConfig& config, UnixSeconds now) {
    return latest_week_due(now, config.publication);
}

bool seal_published_weeks(CollectorStore& store, const CollectorConfig& config, UnixSeconds now, std::string* error,
                          int* sealed) {
    if (sealed) *sealed = 0;
    const IsoWeek latest = latest_published_week(config, now);
    std::string read_error;
    const std::optional<IsoWeek> newest = store.newest_sealed_week(&read_error);
    if (!read_error.empty()) {
        if (error) *error = read_error;
        return false;
    }
    if (newest && *newest >= latest) return true;
    IsoWeek week = latest;
    if (newest) {
        week = next_week(*newest);
    } else {
        for (int k = 1; k < kFirstSealWeeks; ++k) week = previous_week(week);
    }
    const std::vector<std::string> workplaces = config.workplaces();
    for (; week <= latest; week = next_week(week)) {
        const SealOutcome outcome = store.seal_week(week, workplaces, now, builder(config, week), error);
        if (outcome == SealOutcome::error) return false;
        if (outcome == SealOutcome::sealed && sealed) ++*sealed;
    }
    return true;
}

PublishedSummary published_summary(CollectorStore& store, const CollectorConfig& config, const std::string& workplace,
                                   IsoWeek week, const std::string& language, UnixSeconds now) {
    PublishedSummary out;
    out.published_at = publication_moment(config, week);
    if (out.published_at > now) {
        out.status = PublishedSummary::Status::not_yet_published;
        out.message = "week " + week.str() + " is published at " + when(config, week) + "; nothing of it is shown before";
        return out;
    }
    std::string error;
    if (!seal_published_weeks(store, config, now, &error)) {
        out.message = error;
        return out;
    }
    bool week_sealed = false;
    std::optional<SealedWeek> seal;
    if (!store.read_sealed(workplace, week, &week_sealed, &seal, &error)) {
        out.message = error;
        return out;
    }
    std::optional<Summary> summary = seal ? parse_sealed_summary(seal->summary) : std::nullopt;
    if (!summary) {
        out.status = PublishedSummary::Status::not_sealed;
        out.message = !week_sealed ? "week " + week.str() + " was published before this collector held its answers; "
                                                           "it has no summary"
                      : !seal      ? "workplace \"" + workplace + "\" was not in the config when week " + week.str() +
                                    " was sealed; it has no summary for that week"
                                   : "the sealed summary of " + workplace + " for " + week.str() + " cannot be read";
        return out;
    }
    localize_summary(*summary, merge_question_banks(config.banks), language);
    out.status = PublishedSummary::Status::ok;
    out.summary = std::move(*summary);
    out.summary.workplace_name = config.workplace_name(workplace);
    out.answers_at_seal = seal->answers_at_seal;
    return out;
}

PublishedOverview published_overview(CollectorStore& store, const CollectorConfig& config, IsoWeek week,
                                     UnixSeconds now) {
    PublishedOverview out;
    out.week = week;
    out.published_at = publication_moment(config, week);
    if (out.published_at > now) {
        out.status = PublishedSummary::Status::not_yet_published;
        out.message = "week " + week.str() + " is published at " + when(config, week) + "; nothing of it is shown before";
        return out;
    }
    for (const std::string& workplace : config.workplaces()) {
        const PublishedSummary s = published_summary(store, config, workplace, week, kLanguages.front(), now);
        if (s.status == PublishedSummary::Status::not_sealed) continue;  // a workplace newer than the week
        if (s.status != PublishedSummary::Status::ok) {
            out.status = s.status;
            out.message = s.message;
            out.rows.clear();
            return out;
        }
        OverviewRow row;
        row.workplace = workplace;
        for (const TerminalEntry& t : config.terminals) {
            if (t.workplace == workplace) row.terminals.push_back(t.id);
        }
        if (!s.summary.answers_withheld) row.answers = s.summary.answers;
        const std::int64_t now_held = store.answers_in_week(workplace, week);
        if (now_held < 0) {
            out.status = PublishedSummary::Status::store_error;
            out.message = "cannot count the answers of " + workplace + " in " + week.str();
            out.rows.clear();
            return out;
        }
        const std::int64_t late = std::max<std::int64_t>(0, now_held - s.answers_at_seal);
        if (late >= s.summary.min_answers) row.late = late;
        out.rows.push_back(std::move(row));
    }
    out.status = PublishedSummary::Status::ok;
    return out;
}

}  // namespace pulse
