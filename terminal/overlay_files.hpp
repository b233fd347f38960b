// overlay_files.hpp — a terminal's config overlay from the centre (issue 13;
// common/overlay.hpp says what one may set) on the terminal: laid over the
// loaded config, bank and texts; kept beside the database (the kiosk's user
// cannot write /etc/pulse) as the current overlay, the last good one, its
// ETag and a trial marker; and the start-up rule that reverts an overlay
// with which the kiosk did not reach its attract screen.
//
// Files, in the database's folder:
//   overlay.toml        the overlay in use (absent: none)
//   overlay.etag        the collector's ETag of it (for If-None-Match)
//   overlay.good.toml   the last overlay the kiosk reached attract with (absent: none was needed)
//   overlay.good.etag   its ETag
//   overlay.trial       a start with overlay.toml is under way and has not reached attract yet
//   overlay.reverted    the ETag of an overlay that was reverted (the heartbeat says so)
#pragma once

#include "common/diagnostic.hpp"
#include "common/overlay.hpp"
#include "terminal/kiosk_config.hpp"
#include "terminal/texts.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace pulse {

// Lays overlay over a loaded config, bank and texts: language, per_session,
// schedule and pin_hash replace the config's; questions_enabled leaves
// active exactly those questions of the bank that are listed and active in
// it; each text replaces the shipped one. Never fails (overlay was checked
// against this bank by parse_overlay).
void apply_overlay(const ConfigOverlay& overlay, KioskConfig& config, QuestionBank& bank, Texts& texts);

struct OverlayFiles {
    std::filesystem::path dir;
    std::filesystem::path current() const { return dir / "overlay.toml"; }
    std::filesystem::path etag() const { return dir / "overlay.etag"; }
    std::filesystem::path good() const { return dir / "overlay.good.toml"; }
    std::filesystem::path good_etag() const { return dir / "overlay.good.etag"; }
    std::filesystem::path trial() const { return dir / "overlay.trial"; }
    std::filesystem::path reverted() const { return dir / "overlay.reverted"; }
};

// The overlay files of a terminal whose database is at database.
OverlayFiles overlay_files_for(const std::filesystem::path& database);

// The first line of file, or "" when it is missing or unreadable.
std::string read_overlay_word(const std::filesystem::path& file);

using OverlayLog = std::function<void(const std::string&)>;

// At the kiosk's start, before the config is loaded. If a trial marker is
// there, the last start with the current overlay did not reach attract: the
// current overlay is replaced by the last good one (or removed when there is
// none), its ETag is written to overlay.reverted, and log says so. Then, if
// the current overlay is not the last good one, a trial marker is written.
// Returns true when it reverted. Failures to write are logged, never thrown.
bool begin_overlay_start(const OverlayFiles& files, const OverlayLog& log);

// The kiosk reached its attract screen: the current overlay becomes the last
// good one (or, without one, the good one is removed) and the trial marker
// goes. A no-op when no trial is under way.
void confirm_overlay_start(const OverlayFiles& files, const OverlayLog& log);

// What accept_overlay did with a pulled overlay.
enum class OverlayAccept {
    unchanged,  // the same bytes as the current overlay (or no overlay, and none in use)
    accepted,   // written as the current overlay: takes effect at the next start
    refused,    // fails its check: the current one stays (errors say why)
    failed,     // could not be written (error says why); the current one stays
};

// A pulled overlay: bytes (nullopt: the collector has none for this terminal
// now) with its ETag. check(bytes_file) must load the terminal's config with
// that overlay as `check` does (every problem into errors). On success the
// overlay and its ETag replace the current ones atomically.
OverlayAccept accept_overlay(const OverlayFiles& files, const std::optional<std::string>& bytes, const std::string& etag,
                             const std::function<bool(const std::filesystem::path& overlay_file, Diagnostics& errors)>& check,
                             Diagnostics& errors, std::string* error);

}  // namespace pulse
