// report.cpp — run_report: store counts → build_summary → one format.
#include "collector/report.hpp"

#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"

#include <algorithm>

namespace pulse {

int run_report(CollectorStore& store, const QuestionBank& bank, const SummaryTexts& texts,
               const std::string& workplace, IsoWeek week, const std::string& format, const std::string& lang,
               int min_answers, std::ostream& out, std::ostream& err) {
    if (format != "json" && format != "csv" && format != "html") {
        err << "unknown format '" << format << "': use json, csv or html\n";
        return 2;
    }
    if (std::find(kLanguages.begin(), kLanguages.end(), lang) == kLanguages.end()) {
        err << "unknown language '" << lang << "': use da or en\n";
        return 2;
    }
    std::string error;
    const std::vector<AnswerCount> counts = store.counts(workplace, week, 4, &error);
    if (!error.empty()) {
        err << "[storage] database: " << error << "\n";
        return 1;
    }
    const Summary summary = build_summary(workplace, week, bank, counts, min_answers, lang);
    if (format == "json") out << summary_json(summary);
    else if (format == "csv") out << summary_csv(summary, texts);
    else out << summary_html(summary, texts);
    return 0;
}

}  // namespace pulse
