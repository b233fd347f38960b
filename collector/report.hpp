// report.hpp — the weekly summary of one workplace, offline: read the counts
// from the store, build the summary (anonymity applied there) and write it in
// one format. `pulse-collector report` calls it; so can a test with a fake store.
#pragma once

#include "collector/storage/store.hpp"
#include "collector/summary/summary_texts.hpp"
#include "common/question_bank.hpp"
#include "common/calendar.hpp"

#include <ostream>
#include <string>

namespace pulse {

// Writes the summary of `workplace` for `week` to `out` as format "json",
// "csv" or "html", in language lang ("da" | "en") with the words of texts,
// withholding figures built on fewer than min_answers answers. Returns 0 on
// success; 2 with a one-line message on `err` (and nothing on `out`) for an
// unknown format or language; 1 with the database's message on `err`
// (nothing on `out`) when the store cannot be read. Reads
// store.counts(workplace, week, 4): that week and the four before it.
int run_report(CollectorStore& store, const QuestionBank& bank, const SummaryTexts& texts,
               const std::string& workplace, IsoWeek week, const std::string& format, const std::string& lang,
               int min_answers, std::ostream& out, std::ostream& err);

}  // namespace pulse
