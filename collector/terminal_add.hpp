// terminal_add.hpp — `pulse-collector terminal add`: registers a new terminal
// by appending a [[terminal]] block to the collector's config file, safely
// (an exclusive lock, the new text checked by the config loader before it
// replaces the file, an atomic replace that keeps mode and owner), and prints
// the `pulse-kiosk provision` command line that carries the fresh token to
// the terminal (docs/deployment.md, "Provisioning a terminal").
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace pulse {

// Exit codes of `terminal add`.
constexpr int kTerminalAddOk = 0;
constexpr int kTerminalAddFailed = 1;    // the file could not be locked, written or replaced; no randomness
constexpr int kTerminalAddRefused = 2;   // bad id, duplicate id, unknown workplace, invalid config: file unchanged

// A fresh terminal token; nullopt when no randomness could be had.
// Injected so tests can fix it; the program uses new_token (tokens.hpp).
using TokenSource = std::function<std::optional<std::string>()>;

// text with a [[terminal]] block (id, workplace, token_sha256) appended:
// every byte of text is kept as it is and comes first; a missing final
// newline is added, and a blank line separates the block from what precedes
// it. id and workplace must be [A-Za-z0-9._-]+ (they are written unquoted
// inside TOML quotes), token_sha256 64 hex digits.
std::string with_terminal_appended(const std::string& text, const std::string& id, const std::string& workplace,
                                   const std::string& token_sha256);

// word in single quotes, as one shell word (a ' inside written '\'').
std::string single_quoted(const std::string& word);

// word as one shell word: itself when it holds only characters no shell
// treats specially (A–Z a–z 0–9 and _ . / : @ % + = , -), else single_quoted.
std::string shell_quoted(const std::string& word);

// `pulse-collector terminal add --config FILE --id ID --workplace WP
// [--endpoint URL]`. Under an exclusive lock on config_file (flock; a file
// replaced while waiting is locked afresh), loads it with the same loader as
// `check`; refuses (2, naming the option, the file unchanged) an id that is
// not [A-Za-z0-9._-]+ or already a [[terminal]], a workplace that is not a
// [[workplace]], and a config that does not load. Else appends the block
// (with_terminal_appended), writes the text to a temp file beside the config
// with its mode and owner, fsyncs it, loads it with the same loader (2 and
// the file unchanged if that fails), renames it over the config and fsyncs
// the folder. Then prints on out the `pulse-kiosk provision` command with
// the token piped in (the endpoint: `endpoint`, else the config's [web]
// base_url, else "https://…" with a line saying IT fills it in) and that the
// collector must be restarted to accept the token (it reads its config only
// at start). 1 when the lock, a write, the rename or the token source fails
// (the reason on err; the config unchanged). The token itself is printed
// only on out and never written anywhere.
int cmd_terminal_add(const std::filesystem::path& config_file, const std::string& id, const std::string& workplace,
                     const std::string& endpoint, const TokenSource& new_token, std::ostream& out, std::ostream& err);

}  // namespace pulse
