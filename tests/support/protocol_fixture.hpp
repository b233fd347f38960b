// protocol_fixture.hpp — for tests: answers of every kind (all five values,
// "don't know", both languages, hours over more than a day) to write, send
// and parse.
#pragma once

#include "common/protocol.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pulse::testing {

// count answers with random ids from rng: values 1..5 in turn with every
// sixth "don't know", questions 1.1..4.7, one in three in English, hours
// stepping back from 2026-11-27T09:00Z over 30 hours.
inline std::vector<Answer> some_answers(int count, Rng& rng) {
    const UnixSeconds nine = *parse_iso8601("2026-11-27T09:00:00Z");
    std::vector<Answer> answers;
    for (int i = 0; i < count; ++i) {
        std::optional<int> value;
        if (i % 6 != 5) value = 1 + i % 5;  // every sixth is "don't know"
        answers.push_back(Answer{uuid_v4(rng), std::to_string(1 + i % 4) + "." + std::to_string(1 + i % 7), value,
                                 i % 3 ? "da" : "en", nine - 3600 * (i % 30)});
    }
    return answers;
}

}  // namespace pulse::testing
