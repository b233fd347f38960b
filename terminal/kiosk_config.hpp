// kiosk_config.hpp — one terminal's configuration (TOML), checked strictly:
// an unknown key, a wrong type or an out-of-range value is an error naming
// the key and its line. Paths in it are relative to the config file.
#pragma once

#include "common/diagnostic.hpp"
#include "common/schedule.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// [upload]: where and how answers are uploaded (docs/protocol.md). Absent:
// the terminal runs offline and says so in status.
struct UploadConfig {
    std::string endpoint;               // https://…, or http:// to a loopback address only; no trailing slash
    std::filesystem::path token_file;   // holds the terminal's bearer token (resolved, absolute)
    std::string token;                  // read from token_file; never printed
    int batch_size = 500;               // answers per batch at most, 1..5000
                                        // ([upload] interval_s is read only to warn that it is ignored)
    double backoff_min_s = 5;           // first retry delay, 1..3600
    double backoff_max_s = 900;         // longest retry delay, backoff_min_s..86400
    std::filesystem::path ca_file;      // extra CA bundle (a municipal CA); empty = the system's
};

struct KioskConfig {
    std::filesystem::path source;  // the config file itself

    // [terminal]
    std::string terminal_id;       // "ishoj-raadhus-1": stable name of this terminal; [A-Za-z0-9._-]+ (URLs)
    std::string workplace;         // workplace id the answers belong to; [A-Za-z0-9._-]+
    std::string language = "da";   // start language of each session ("da"|"en")

    // [pulse]
    std::filesystem::path questions_file;  // question bank (resolved, absolute)
    std::filesystem::path texts_file;      // screen texts (default texts.toml beside the bank)
    int per_session = 3;                   // questions per session, 1..3
    bool start_with_question = true;       // start = "question": attract shows the first statement; "button"
    double idle_timeout_s = 20;            // inactivity on a question -> "are you still there?" (10 s more), 5..600
    double thanks_s = 3;                   // thank-you screen, 1..30
    double cooldown_s = 5;                 // no new session after thanks, 0..300
    double undo_s = 10;                    // thanks offers "Fortryd" this long, 0..60 (0: no undo)

    // [storage]
    std::filesystem::path database;  // SQLite file (resolved, absolute)
    int keep_uploaded_days = 35;     // uploaded answers are deleted after this many days, 1..3650

    // [upload]; nullopt = offline
    std::optional<UploadConfig> upload;

    // [schedule]: opening hours on Copenhagen's clock; nullopt = always open.
    // A weekday the table leaves out is closed all day.
    std::optional<Schedule> schedule;

    // [display]
    bool fullscreen = true;
    int width = 1920;              // window / screen pixels, 320..8192
    int height = 1080;
    double diagonal_inch = 0;      // physical diagonal, 5..150; 0 = not given
    double dpi = 0;                // pixels per inch, 50..1200; 0 = not given
                                   // (the file must give exactly one of the two: both is an error)
    std::string accent = "#2F6FA8";  // municipality accent colour, "#RRGGBB"
    std::filesystem::path font;    // TTF; empty = the build's default (Open Sans)
    std::string renderer = "auto";   // "gpu" | "software" | "auto": gpu when the machine has a DRM render node
    int rotation = 0;              // 0 | 90 | 180 | 270: the picture is turned this many degrees clockwise on
                                   // the panel (a portrait-mounted panel); width × height stay the panel's
                                   // own mode, the screens are laid out on the turned size

    std::string backlight = "auto";  // "auto": the first of /sys/class/backlight, if any; "none"; or a
                                     // backlight's sysfs folder (absolute, resolved) holding brightness
                                     // and max_brightness (terminal/backlight.hpp)
    double night_brightness = 0.1;   // outside opening hours the backlight is dimmed to this share of its
                                     // maximum, 0..1 (0 may switch some panels off)
    double bottom_edge_m = 0.9;      // the glass's lower edge above the floor, metres, 0..2: with the
                                     // panel's physical height (diagonal or dpi, rotation) it says which
                                     // rows are within reach (0.4..1.22 m, kiosk/ui.hpp)

    // [admin]
    std::optional<std::string> admin_pin_hash;  // Argon2id hash of the admin PIN (pin_hash.hpp);
                                                // nullopt = the admin gesture opens nothing

    // Physical pixels per millimetre on the glass: dpi / 25.4, else
    // hypot(width, height) / diagonal_inch / 25.4; 0 when neither is set
    // (a KioskConfig that was not loaded).
    double px_per_mm() const;
};

struct ConfigLoad {
    std::optional<KioskConfig> config;  // set only when errors is empty
    Diagnostics errors;
    Diagnostics warnings;  // not fatal, but IT should act (e.g. a token file others can read)
};

// Reads and checks a kiosk config. Does not open the bank or texts (see
// check_all in kiosk). Never throws.
ConfigLoad load_kiosk_config(const std::filesystem::path& file);

// The config's rule for [terminal] id and workplace: [A-Za-z0-9._-]+, not
// empty (they become parts of URLs and file names). Also used by `provision`.
bool is_url_safe_id(std::string_view text);

// The rule for [upload] endpoint, also used by `provision`: https://, or
// plain http:// only to a loopback host (127.0.0.1, localhost, ::1), with a
// host name. Returns the endpoint without trailing slashes; nullopt with
// *why set to what is wrong, worded to follow the quoted endpoint ("must
// start with https://").
std::optional<std::string> checked_upload_endpoint(const std::string& endpoint, std::string* why);

}  // namespace pulse
