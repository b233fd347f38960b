// toml_util.hpp — what every TOML loader (the kiosk's config and texts, the
// question bank, the collector's config and summary texts) shares: reading a
// file into a toml::table with every problem as a Diagnostic, and the line
// numbers and type words their messages use.
#pragma once

#include "common/diagnostic.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// The 1-based line where node begins in its file (0 if toml++ recorded none).
int toml_line_of(const toml::node& node);

// The kind of value node is, for "must be X, not Y" messages: "a string",
// "an integer", "a number with a decimal point", "true/false", "an array", …
std::string toml_type_name(const toml::node& node);

// The bytes of file. On failure returns nullopt and adds one whole-file
// Diagnostic (line 0) for file: "<what> does not exist", "<what> is not a
// regular file" or "<what> cannot be read (check its permissions)", where what
// names the file for the operator, e.g. "the texts file".
std::optional<std::string> read_file_bytes(const std::filesystem::path& file, std::string_view what,
                                           Diagnostics& errors);

// bytes parsed as TOML; file is the path they were read from, for toml++'s
// source positions and the Diagnostic. On a syntax error returns nullopt and
// adds "TOML syntax error: …" at the line toml++ reports.
std::optional<toml::table> parse_toml(std::string_view bytes, const std::filesystem::path& file,
                                      Diagnostics& errors);

// read_file_bytes, then parse_toml: the file's table, or nullopt with the one
// Diagnostic that says why.
std::optional<toml::table> parse_toml_file(const std::filesystem::path& file, std::string_view what,
                                           Diagnostics& errors);

// Runs load_into, the body of a loader whose contract is "never throws": an
// exception from it (e.g. bad_alloc) becomes a whole-file Diagnostic for file,
// "<what> could not be loaded: …". Then orders errors by line, keeping the
// order in which each line's were found, so the operator reads them top to bottom.
void run_loader(const std::filesystem::path& file, std::string_view what, Diagnostics& errors,
                const std::function<void()>& load_into);

}  // namespace pulse
