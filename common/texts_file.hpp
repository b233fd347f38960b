// texts_file.hpp — what every file of words shares (the kiosk's screen texts,
// the collector's summary words): one TOML table per language ([da], [en]),
// texts that are never blank, and {named} placeholders that the code fills in
// and the loader checks.
#pragma once

#include "common/diagnostic.hpp"

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

// Collects a loader's problems as FILE:LINE: message.
class TextsReporter {
public:
    TextsReporter(std::string file, Diagnostics& errors) : file_(std::move(file)), errors_(errors) {}
    void operator()(int line, std::string message) const { errors_.push_back({file_, line, std::move(message)}); }
    Diagnostics& errors() const { return errors_; }

private:
    std::string file_;
    Diagnostics& errors_;
};

// The table of each language of kLanguages in root, in that order. Reports a
// top-level name that is not a language, and a language that is missing
// ("add an [en] table with every <what>") or not a table; such a language is
// left out of the result.
std::vector<std::pair<std::string, const toml::table*>> language_tables(const toml::table& root, std::string_view what,
                                                                         const TextsReporter& report);

// True when text holds nothing but white space.
bool is_blank(std::string_view text);

// Reports, at line, every "{name}" in text that is not one of allowed (it
// would be shown as written): "<where>: unknown placeholder {x} (allowed:
// {n} {total})" or "(it takes none)".
void check_placeholders(std::string_view where, std::string_view text, const std::vector<std::string_view>& allowed,
                        int line, const TextsReporter& report);

// text with every {name} of values replaced by its value; any other brace is
// kept as written.
std::string fill_placeholders(std::string_view text,
                              std::initializer_list<std::pair<std::string_view, std::string_view>> values);

}  // namespace pulse
