// minimal_config.hpp — the smallest valid kiosk config, which the config and
// schedule tests extend (their line numbers refer to it: [display] is line 11,
// dpi line 12, and a line added at the end is line 13).
#pragma once

#include <string>

namespace pulse::testing {

inline const std::string kMinimalKioskConfig = R"([terminal]
id = "t-1"
workplace = "w"

[pulse]
questions = "questions.toml"

[storage]
database = "answers.sqlite3"

[display]
dpi = 96
)";

}  // namespace pulse::testing
