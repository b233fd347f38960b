// store.cpp — what both stores share: the backend chosen from the
// database setting, and the grouping of (question, value, hour) counts into
// the Copenhagen weeks and weekdays that the summary needs.
#include "collector/storage/store.hpp"
#include "common/copenhagen_time.hpp"

#include <tuple>

namespace pulse {

std::unique_ptr<CollectorStore> open_sqlite_collector_store(const std::string& path, std::string* error,
                                                            const StoreLog& log);
std::unique_ptr<CollectorStore> open_postgres_collector_store(const std::string& url, std::string* error,
                                                              const StoreLog& log);


bool is_postgres_url(const std::string& database) {
    return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

std::unique_ptr<CollectorStore> open_collector_store(const std::string& database, std::string* error,
                                                     const StoreLog& log) {
    if (is_postgres_url(database)) return open_postgres_collector_store(database, error, log);
    return open_sqlite_collector_store(database, error, log);
}

WeekCounter::WeekCounter(IsoWeek week, int weeks_before) {
    IsoWeek w = week;
    for (int k = 0; k <= weeks_before; ++k) {
        starts_.push_back(copenhagen_week_start(w));
        w = previous_week(w);
    }
    end_ = copenhagen_week_start(next_week(week));
}

void WeekCounter::add(const std::string& question, std::optional<int> value, UnixSeconds hour, std::int64_t n) {
    if (hour < starts_.back() || hour >= end_) return;
    int offset = 0;
    while (offset + 1 < static_cast<int>(starts_.size()) && hour < starts_[static_cast<std::size_t>(offset)]) ++offset;
    sums_[{question, value.value_or(0), offset, copenhagen_weekday(hour)}] += n;
}

std::vector<AnswerCount> WeekCounter::result() const {
    std::vector<AnswerCount> out;
    out.reserve(sums_.size());
    for (const auto& [key, n] : sums_) {
        AnswerCount c;
        c.question = std::get<0>(key);
        if (std::get<1>(key) != 0) c.value = std::get<1>(key);
        c.week_offset = std::get<2>(key);
        c.weekday = std::get<3>(key);
        c.n = n;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace pulse
