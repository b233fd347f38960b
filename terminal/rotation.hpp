// rotation.hpp — which questions a session asks. Over a week every active
// question should get about the same number of answers on a terminal: the
// least answered this ISO week first, random tie-break, different themes in
// one session where possible, never the same question twice in a session.
#pragma once

#include "common/question_bank.hpp"
#include "common/random.hpp"

#include <map>
#include <string>
#include <vector>

namespace pulse {

// Picks up to `count` distinct active questions. answers_this_week maps a
// question id to its answers this week (absent = 0). For each slot: among
// questions whose theme is not yet in the session (all, if every theme is),
// take those with the fewest answers and choose one uniformly at random.
// Returns fewer than count only when the bank has fewer active questions.
std::vector<std::string> pick_session(const QuestionBank& bank,
                                      const std::map<std::string, int>& answers_this_week,
                                      int count, Rng& rng);

}  // namespace pulse
