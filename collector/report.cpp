// report.cpp — run_report: the published (sealed) summary → one format.
#include "collector/report.hpp"

#include "collector/publication.hpp"
#include "collector/summary/formats.hpp"

#include <algorithm>

namespace pulse {

int run_report(CollectorStore& store, const CollectorConfig& config, const std::string& workplace, IsoWeek week,
               const std::string& format, const std::string& lang, UnixSeconds now, std::ostream& out,
               std::ostream& err) {
    if (format != "json" && format != "csv" && format != "html") {
        err << "unknown format '" << format << "': use json, csv or html\n";
        return 2;
    }
    if (std::find(kLanguages.begin(), kLanguages.end(), lang) == kLanguages.end()) {
        err << "unknown language '" << lang << "': use da or en\n";
        return 2;
    }
    const PublishedSummary published = published_summary(store, config, workplace, week, lang, now);
    if (published.status != PublishedSummary::Status::ok) {
        err << (published.status == PublishedSummary::Status::store_error ? "[storage] database: " : "")
            << published.message << "\n";
        return 1;
    }
    if (format == "json") out << summary_json(published.summary);
    else if (format == "csv") out << summary_csv(published.summary, config.summary_texts);
    else out << summary_html(published.summary, config.summary_texts);
    return 0;
}

}  // namespace pulse
