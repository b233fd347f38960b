// question_bank.hpp — the pulse questions: the 28 examples of the leadership
// framework (and any a workplace adds), grouped under the framework's four
// statements as themes. Loaded from TOML (config/questions.toml) and checked.
#pragma once

#include "common/diagnostic.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// The languages every text must exist in. The first is the default.
inline const std::vector<std::string> kLanguages = {"da", "en"};

// Text in each language, keyed by language code ("da", "en").
using LocalText = std::map<std::string, std::string>;

struct Theme {
    std::string id;       // "1".."4" for the framework; a workplace may add more ([A-Za-z0-9_-], no dot)
    LocalText title;      // short title shown above a question
    LocalText statement;  // the framework's statement ("Jeg kommunikerer"); may be empty
    int line = 0;         // line of the [[theme]] table, for messages
};

struct Question {
    std::string id;     // "T.E": theme id, dot, example number ("2.3")
    std::string theme;  // id of its Theme
    LocalText text;     // the statement about one's own manager, per language
    bool active = true; // false: kept in the bank but never asked
    int line = 0;       // line of the [[question]] table, for messages
};

struct QuestionBank {
    std::vector<Theme> themes;        // in file order (the framework's order)
    std::vector<Question> questions;  // in file order
    std::string version;              // "sha256:<first 16 hex>" of the file's bytes...
                                      // ... or the file's `version` key when given
    std::filesystem::path source;     // file it was loaded from

    const Theme* find_theme(const std::string& id) const;        // nullptr if none
    const Question* find_question(const std::string& id) const;  // nullptr if none
    std::vector<const Question*> active_questions() const;        // file order
};

struct BankLoad {
    std::optional<QuestionBank> bank;  // set only when errors is empty
    Diagnostics errors;                // every problem found, "FILE:LINE: ..."
};

// Every question of several versions of the bank, by id: what a summary
// counts when terminals answer under different versions. The first bank is
// the current one: its themes and questions come first, in its order, with
// its texts and its `active` flags. A theme or question that only a later
// (older) bank has follows, with that bank's texts, marked inactive (no
// longer asked): its answers still count, in its theme. An id kept by two
// banks is one question. The result's version and source are the first
// bank's. banks must not be empty.
QuestionBank merge_question_banks(const std::vector<QuestionBank>& banks);

// Reads and checks a question bank. Every problem is reported, not just the
// first: TOML syntax, unknown keys, duplicate theme or question ids, an id not
// of the form "T.E" matching its theme, a question naming an unknown theme, a
// text missing in one of kLanguages or empty, no active question at all.
// Never throws.
BankLoad load_question_bank(const std::filesystem::path& file);

}  // namespace pulse
