// rotation.cpp — fair question choice: fewest answers this week first,
// uniform random among ties, themes spread within a session.
#include "terminal/rotation.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace pulse {

std::vector<std::string> pick_session(const QuestionBank& bank, const std::map<std::string, int>& answers_this_week,
                                      int count, Rng& rng) {
    std::vector<const Question*> remaining = bank.active_questions();
    std::vector<std::string> chosen;
    std::set<std::string> themes_used;

    auto answers_of = [&](const Question* q) {
        auto it = answers_this_week.find(q->id);
        return it == answers_this_week.end() ? 0 : it->second;
    };

    while (static_cast<int>(chosen.size()) < count && !remaining.empty()) {
        const bool any_new_theme = std::any_of(remaining.begin(), remaining.end(),
                                               [&](const Question* q) { return !themes_used.count(q->theme); });
        // The least answered among the eligible questions, ties collected in bank order.
        int fewest = std::numeric_limits<int>::max();
        std::vector<std::size_t> ties;
        for (std::size_t i = 0; i < remaining.size(); ++i) {
            if (any_new_theme && themes_used.count(remaining[i]->theme)) continue;
            const int n = answers_of(remaining[i]);
            if (n < fewest) {
                fewest = n;
                ties.clear();
            }
            if (n == fewest) ties.push_back(i);
        }
        std::uniform_int_distribution<std::size_t> uniform(0, ties.size() - 1);
        const std::size_t pick = ties[uniform(rng)];
        chosen.push_back(remaining[pick]->id);
        themes_used.insert(remaining[pick]->theme);
        remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(pick));
    }
    return chosen;
}

}  // namespace pulse
