// overlay.hpp — the part of a terminal's config that IT sets from the centre
// (issue 13): the collector keeps one overlay per workplace (and a default)
// beside its config and serves it to the workplace's terminals; each
// terminal lays it over its own kiosk.toml. Only these keys may be in one:
//   [terminal] language           the start language of a session
//   [pulse] per_session           questions per session, 1..3
//   [pulse] questions_enabled     the question ids asked, from the bank
//   [schedule]                    opening hours, as in kiosk.toml
//   [admin] pin_hash              the admin PIN's Argon2id hash
//   [texts.da], [texts.en]        screen texts that replace the shipped ones
// Identity, endpoint, token, storage and display stay on the terminal: an
// overlay that names them is refused. One checker for both ends: the
// collector's `check` and the terminal before it takes an overlay.
#pragma once

#include "common/diagnostic.hpp"
#include "common/question_bank.hpp"
#include "common/schedule.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

struct ConfigOverlay {
    std::optional<std::string> language;                        // "da" | "en"
    std::optional<int> per_session;                             // 1..3
    std::optional<std::vector<std::string>> questions_enabled;  // ids of bank questions, at least one
    std::optional<Schedule> schedule;
    std::optional<std::string> pin_hash;                        // is_pin_hash
    std::map<std::string, std::map<std::string, std::string>> texts;  // language -> text key -> text
};

struct OverlayLoad {
    std::optional<ConfigOverlay> overlay;  // set only when errors is empty
    Diagnostics errors;                    // every problem, FILE:LINE: "[table] key …"
};

// Checks an overlay's bytes (TOML) read from file: only the keys above, each
// value as kiosk.toml wants it; question ids must be in bank (when given; the
// collector checks against each bank it knows), text keys those of
// common/kiosk_text_keys.hpp with their placeholders. An empty file is a
// valid overlay that changes nothing. Never throws.
OverlayLoad parse_overlay(std::string_view bytes, const std::filesystem::path& file, const QuestionBank* bank);

}  // namespace pulse
