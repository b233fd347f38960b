// report.hpp — the weekly summary of one workplace, offline: exactly what
// the server would serve for it (the sealed, published week; publication.hpp),
// in one format. `pulse-collector report` calls it; so can a test with a
// fake store.
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "common/calendar.hpp"

#include <ostream>
#include <string>

namespace pulse {

// Writes the published summary of `workplace` for `week` to `out` as format
// "json", "csv" or "html", in language lang ("da" | "en"), sealing the weeks
// published by now first. Returns 0 on success; 2 with a one-line message on
// `err` (and nothing on `out`) for an unknown format or language; 1 with the
// reason on `err` (nothing on `out`) when the week is not published yet (and
// when it will be), was never sealed, or the store cannot be read.
int run_report(CollectorStore& store, const CollectorConfig& config, const std::string& workplace, IsoWeek week,
               const std::string& format, const std::string& lang, UnixSeconds now, std::ostream& out,
               std::ostream& err);

}  // namespace pulse
