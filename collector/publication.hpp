// publication.hpp — when a week's results exist (docs/anonymity.md,
// "Publication"). Each week is published at [summary] publish_day and
// publish_time, Copenhagen time, in the week after it, and sealed then: its
// summary per workplace is computed once, from the answers the collector
// holds at that moment, and stored. Every reader — the summary routes, the
// admin overview, `report`, the weekly e-mail — comes through here and reads
// the seal, so no two reads of a published figure differ and no answer that
// arrives later shows anywhere.
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "collector/summary/summary.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// How far back a new database seals on its first publication: the latest
// published week and the six before it, so every week a first summary shows
// is sealed too — the trend's four weeks, and the 4-week period of its
// questions, which ends up to three weeks before it.
inline constexpr int kFirstSealWeeks = 7;

// The instant `week` is published, and the newest week published at now.
UnixSeconds publication_moment(const CollectorConfig& config, IsoWeek week);
IsoWeek latest_published_week(const CollectorConfig& config, UnixSeconds now);

// Seals every week published at now and not yet sealed, oldest first: from
// the week after the newest sealed one (on a new database, the
// kFirstSealWeeks up to the latest) to the latest published, for every
// workplace of the config. Exactly once per week across threads and
// instances (the store's seal lock). True when done (*sealed, if given, is
// how many weeks this call sealed); false with *error when the store fails.
bool seal_published_weeks(CollectorStore& store, const CollectorConfig& config, UnixSeconds now, std::string* error,
                          int* sealed = nullptr);

// A published summary, or why there is none.
struct PublishedSummary {
    enum class Status {
        ok,                 // summary is the sealed one, in the language asked for
        not_yet_published,  // the week's publication moment has not come (published_at says when)
        not_sealed,         // published before this collector held it (or not for this workplace): never shown
        store_error,        // the store cannot be read now (message says why): try again
    };
    Status status = Status::store_error;
    Summary summary;                   // ok
    std::int64_t answers_at_seal = 0;  // ok: every answer held at sealing (not a figure to show)
    UnixSeconds published_at = 0;      // when the week is, or was, published
    std::string message;               // not ok: one sentence for an error body or stderr
};

// The published summary of workplace for week in language ("da" | "en"),
// sealing whatever is due at now first.
PublishedSummary published_summary(CollectorStore& store, const CollectorConfig& config, const std::string& workplace,
                                   IsoWeek week, const std::string& language, UnixSeconds now);

// One workplace in the admin overview of a published week: participation as
// its own summary shows it (the same sealed count, the same threshold) and
// the answers that came after the seal (late: stored, counted in no
// summary), withheld under the week's min_answers.
struct OverviewRow {
    std::string workplace;
    std::vector<std::string> terminals;   // ids of the config's terminals for it
    std::optional<std::int64_t> answers;  // nullopt: withheld
    std::optional<std::int64_t> late;     // nullopt: withheld
};

struct PublishedOverview {
    PublishedSummary::Status status = PublishedSummary::Status::store_error;
    IsoWeek week;
    UnixSeconds published_at = 0;
    std::vector<OverviewRow> rows;  // ok: every workplace of the config, sorted
    std::string message;            // not ok: why
};

// The overview of week, sealing whatever is due at now first.
PublishedOverview published_overview(CollectorStore& store, const CollectorConfig& config, IsoWeek week,
                                     UnixSeconds now);

}  // namespace pulse
