// commands.hpp — pulse-kiosk's subcommands. main.cpp parses the command line
// and calls one of these; each returns the process exit code.
#pragma once

#include "terminal/answer_store.hpp"
#include "terminal/kiosk_config.hpp"
#include "common/question_bank.hpp"
#include "terminal/texts.hpp"
#include "kiosk/ui.hpp"
#include "kiosk/video_choice.hpp"
#include "terminal/heartbeat.hpp"
#include "terminal/uploader.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <iosfwd>
#include <optional>
#include <string>

namespace pulse {

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;     // a run failed (script error, no display, answers pending)
constexpr int kExitBadConfig = 2;   // config, bank or texts invalid

// A terminal's config with its question bank and texts, all checked.
struct LoadedConfig {
    KioskConfig config;
    QuestionBank bank;
    Texts texts;
    std::string overlay_etag;  // the config overlay laid over them (overlay_files.hpp); empty: none
};

// Loads and checks config, bank and texts; on failure every problem is in
// *errors ("FILE:LINE: message") and nullopt is returned. Warnings (not
// fatal) are printed to warnings_out as "FILE:LINE: warning: message".
// Then lays the config overlay from the centre over them (overlay_files.hpp):
// overlay_file when given, else the current overlay beside the database if
// there is one; an overlay that fails its check is an error like the others.
std::optional<LoadedConfig> load_all(const std::filesystem::path& config_file, Diagnostics* errors,
                                     std::ostream* warnings_out = nullptr,
                                     const std::optional<std::filesystem::path>& overlay_file = std::nullopt);

// The uploader's settings and curl options from a config with [upload].
UploadSettings upload_settings_for(const LoadedConfig& cfg);

// The heartbeat's settings from a config with [upload]: its endpoint and
// token, version (the program's PULSE_VERSION) and the config file's
// version (config_version_of_file; if the file cannot be read again, the
// reason goes to *error and the version of no bytes is used).
HeartbeatSettings heartbeat_settings_for(const LoadedConfig& cfg, const std::filesystem::path& config_file,
                                         const std::string& version, std::string* error);
CurlOptions curl_options_for(const KioskConfig& config, const std::atomic<bool>* cancel);

// `pulse-kiosk sync`: upload every answer whose UTC hour has ended, at once
// (no after-hour offset), retrying for up to timeout_s; the running hour's
// answers stay until it ends, and a batch the collector holds back (425: an
// hour not yet ended by its clock) stays pending. Prints
// {"pending_upload","waiting_for_hour_end","set_aside"} on out. 0 when
// nothing of an ended hour is left pending (a line on err says how many wait
// for the running hour, if any), 1 otherwise (reason on err), 2 for a bad
// config.
int cmd_sync(const std::filesystem::path& config_file, double timeout_s, std::ostream& out, std::ostream& err);

// Prints every diagnostic to err, one a line.
void print_diagnostics(const Diagnostics& errors, std::ostream& err);

// The screens' colours, with the config's accent.
Palette palette_for(const KioskConfig& config);

// Flow settings from config.
FlowSettings flow_settings_for(const KioskConfig& config);

// The font file to use: [display] font, else the build's default.
std::filesystem::path font_for(const KioskConfig& config);

// Opens the store for a short read. A corrupt file moved aside on the way is
// logged (it is an event IT must know of, whoever opened the file first).
// nullptr if it cannot be opened (the writer then reports the fault).
std::unique_ptr<AnswerStore> open_store_logged(const std::filesystem::path& database,
                                               const std::function<void(const std::string&)>& log);

// Stored answers per question in the Copenhagen week of wall_now; empty if
// the database cannot be read.
std::map<std::string, int> read_week_counts(AnswerStore* store, UnixSeconds wall_now);

// `pulse-kiosk check`: 0, or 2 with every error on err.
int cmd_check(const std::filesystem::path& config_file, std::ostream& out, std::ostream& err);

// `pulse-kiosk status`: one JSON object on out; pending_upload counts every
// answer not yet acknowledged, waiting_for_hour_end those of them whose UTC
// hour has not ended at wall_now; clock_offset_s is the collector's clock
// minus the terminal's as last measured by an upload (null before any).
int cmd_status(const std::filesystem::path& config_file, UnixSeconds wall_now, std::ostream& out, std::ostream& err);

// `pulse-kiosk provision`'s command line (main.cpp parses it; the defaults
// are the installed paths).
struct ProvisionOptions {
    std::string terminal_id;                                   // --id, [A-Za-z0-9._-]+
    std::string workplace;                                     // --workplace, [A-Za-z0-9._-]+
    std::string endpoint;                                      // --endpoint, as [upload] endpoint allows
    std::string token_file;                                    // --token-file: "-" = one line on stdin, else a file
    std::string language = "da";                               // --language: da | en
    std::optional<int> rotation;                               // --rotation 0|90|180|270; nullopt: not written
    double diagonal_inch = 23.8;                               // --diagonal-inch, 5..150
    std::filesystem::path config_dir = "/etc/pulse";           // gets kiosk.toml (0644) and token (0600)
    std::filesystem::path share_dir = "/usr/share/pulse";      // holds questions.toml and texts.toml
    std::filesystem::path state_dir = "/var/lib/pulse/kiosk";  // the database's folder
    std::string user = "pulse-kiosk";                          // owns the token file (when run as root)
    std::string admin_pin_hash;                                // --admin-pin-hash (hash-pin's output); empty: none
};

// `pulse-kiosk hash-pin`: reads an admin PIN (one line, 4 to 8 digits) from
// in and prints its Argon2id hash string on out, for [admin] pin_hash,
// provision's --admin-pin-hash or the collector's overlay. The PIN is never
// printed. 0: printed; 2: not 4 to 8 digits (err says so); 1: hashing failed.
int cmd_hash_pin(std::istream& in, std::ostream& out, std::ostream& err);

// `pulse-kiosk provision`: writes config_dir/kiosk.toml ([terminal],
// [pulse] questions, [storage] database, [display], [upload]) and
// config_dir/token, each atomically (temp file, fsync, rename, fsync of the
// folder); the same options give the same bytes and modes. As root the token
// file is owned by `user` (unless that is root's own name). Then checks the
// config as `check` does (errors on err) and asks the endpoint, over http,
// which terminal the token belongs to (/v1/terminal; nothing is stored),
// and prints one line on out: what it wrote, "config OK" or not, and what
// the endpoint said. 0: config OK and the endpoint named this terminal and
// workplace. 2: a bad or missing option, token (empty, whitespace, control
// characters) or --user (root, no such user), nothing written; or the
// written config fails its check. 1: the endpoint could not be reached,
// refused the token or named another terminal (files written), or the files
// could not be written (reason on err).
int cmd_provision(const ProvisionOptions& options, std::istream& token_in, HttpClient& http, std::ostream& out,
                  std::ostream& err);

// The display this process was started on (SDL_VIDEODRIVER, WAYLAND_DISPLAY,
// DISPLAY, a DRM render node in /dev/dri) and the config's renderer choice,
// for video_attempts. Reads only the environment and /dev/dri; never fails.
DisplayEnvironment display_environment_here(const std::string& renderer);

// `pulse-kiosk out-of-order`: the out-of-order screen alone (code
// CRASH-LOOP), for pulse-kiosk-out-of-order.service after a crash loop. No
// database, no network, taps ignored. A config that does not load is logged
// and the installed texts are used, full screen, in Danish. With shot set,
// draws one frame headless into that PNG and returns. 0 when closed (or the
// shot written); 1 when no window or font can be opened or the PNG not
// written; 2 when not even the installed texts load.
int cmd_out_of_order(const std::filesystem::path& config_file, const std::filesystem::path& shot, std::ostream& err);

// `pulse-kiosk` / `pulse-kiosk run`: the real kiosk in a window. With
// [upload], uploads and sends heartbeats naming `version` (PULSE_VERSION).
int cmd_run(const std::filesystem::path& config_file, std::ostream& err, const std::string& version = "unknown");

struct SimulateOptions {
    std::filesystem::path config_file;
    std::filesystem::path script_file;
    std::filesystem::path shots_dir;     // empty: `shot` is an error
    std::uint64_t seed = 1;              // fixes every random choice
    std::optional<UnixSeconds> now;      // virtual clock start; default: the real time
    int width = 0, height = 0;           // 0: from config
    std::string version;                 // the program's version (the admin panel shows it)
};

// `pulse-kiosk simulate`: replays a script against the real UI headless.
int cmd_simulate(const SimulateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pulse
