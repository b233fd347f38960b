// config.hpp — pulse-collector's configuration (TOML), checked as
// strictly as the kiosk's: an unknown key, a wrong type or an out-of-range
// value is an error "FILE:LINE: [table] key …", and so is a listen address
// beyond loopback without listen_beyond_loopback = true. Holds the registry
// (workplaces with their names; terminals; managers, HR and admins with their
// e-mail addresses and optional API tokens, only as SHA-256 hashes), the
// publication moment of each week ([summary], docs/anonymity.md) and the
// question banks a batch may name, the summary's words ([summary] texts,
// config/summary_texts.toml), the optional weekly e-mail ([email],
// docs/email.md) and the optional browser pages ([web]). Paths are relative to the config file.
#pragma once

#include "common/overlay.hpp"

#include "common/diagnostic.hpp"
#include "collector/email/email_config.hpp"
#include "collector/web/web_config.hpp"
#include "collector/summary/summary_texts.hpp"
#include "common/copenhagen_time.hpp"
#include "common/question_bank.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// A workplace: the unit terminals upload for and summaries are made of.
struct WorkplaceEntry {
    std::string id;    // "raadhus-borgerservice"; [A-Za-z0-9._-]+, unique; in URLs and uploads
    std::string name;  // "Borgerservice, Rådhuset"; unique; what managers read
};

struct TerminalEntry {
    std::string id;            // "ishoj-raadhus-1"; [A-Za-z0-9._-]+, unique
    std::string workplace;     // the only workplace it may upload for; a [[workplace]] id
    std::string token_sha256;  // 64 lower-case hex digits
};

// The people of the registry sign in to the browser pages with their
// e-mail address (unique among the readers of results, and among admins),
// and may also hold an API token for scripts: token_sha256 empty = none.

struct ManagerEntry {
    std::string name;                     // for the operator; never used to decide anything
    std::string email;                    // signs in with it; gets its workplaces' weekly e-mail
    std::string token_sha256;             // 64 lower-case hex digits, or "" (no API token)
    std::vector<std::string> workplaces;  // the workplaces whose summaries it may read
};

// HR or top management: reads the published results of every workplace, or
// of the listed ones.
struct HrEntry {
    std::string name;
    std::string email;
    std::string token_sha256;                            // or "" (no API token)
    std::optional<std::vector<std::string>> workplaces;  // nullopt: every workplace
};

// IT: the overview (participation, late answers) and the terminals; no
// question results. Someone who is IT and entitled to results is listed in
// both roles, with the same token and address if they like.
struct AdminEntry {
    std::string name;
    std::string email;
    std::string token_sha256;  // or "" (no API token)
};

struct CollectorConfig {
    std::filesystem::path source;  // the config file itself

    // [server]
    std::string listen = "127.0.0.1";  // address to bind; not loopback only with listen_beyond_loopback = true
    int port = 8080;                   // 0..65535; 0 = any free port

    // [storage]
    std::string database;     // SQLite file (resolved, absolute) or a postgresql:// URL

    // [anonymity]
    int min_answers = 5;      // figures built on fewer answers are withheld, 3..1000

    // [bank]
    std::vector<std::filesystem::path> question_files;  // resolved, absolute; at least one
    std::vector<QuestionBank> banks;                    // loaded, same order; versions unique

    // [summary]
    WeeklyMoment publication;                  // publish_day, publish_time (Copenhagen); default Monday 07:00
    std::filesystem::path summary_texts_file;  // resolved; default kSummaryTextsFileName beside the first bank
    SummaryTexts summary_texts;                // loaded from it: every word of every language

    std::vector<WorkplaceEntry> workplace_entries;  // [[workplace]], in file order
    std::vector<TerminalEntry> terminals;  // [[terminal]]
    std::vector<ManagerEntry> managers;    // [[manager]]
    std::vector<HrEntry> hr;               // [[hr]]
    std::vector<AdminEntry> admins;        // [[admin]]

    // Config overlays for terminals (common/overlay.hpp), from the folder
    // "overlays" beside this file: "default.toml" for every workplace
    // without its own, "<workplace id>.toml" for one. Keyed "default" or the
    // workplace id; each checked against the first bank when loaded.
    struct Overlay {
        std::filesystem::path file;
        std::string bytes;  // served as they are
        std::string etag;   // "\"sha256:<16 hex>\"" of the bytes
        ConfigOverlay parsed;
    };
    std::map<std::string, Overlay> overlays;
    // The overlay a terminal of workplace gets: its own, else the default,
    // else nullptr.
    const Overlay* overlay_for(const std::string& workplace) const;

    std::optional<EmailConfig> email;      // [email]; absent = no e-mail is sent
    std::optional<WebConfig> web;          // [web]; absent = no browser pages

    // The bank with this version, or nullptr.
    const QuestionBank* find_bank(const std::string& version) const;
    // The id of every [[workplace]], sorted (terminals, managers and HR
    // name only these).
    std::vector<std::string> workplaces() const;
    // The [[workplace]] name of id; id itself when it has none.
    std::string workplace_name(const std::string& id) const;
    // The addresses of the managers of workplace, in file order: its weekly
    // e-mail's recipients. Empty when it has none.
    std::vector<std::string> managers_of(const std::string& workplace) const;
    // Every workplace with at least one manager, sorted: those the weekly
    // e-mail goes to.
    std::vector<std::string> managed_workplaces() const;
};

struct CollectorConfigLoad {
    std::optional<CollectorConfig> config;  // set only when errors is empty
    Diagnostics errors;                     // every problem, in line order
    Diagnostics warnings;                   // not fatal, but IT should act (a password file others can read)
};

// True for an address only this machine can reach: 127.0.0.0/8, ::1
// (also as ::ffff:127.x.y.z) and "localhost". Any other name is false: it
// may resolve to anything.
bool is_loopback_address(const std::string& host);

// Reads and checks the config and loads its question banks and summary texts
// (their errors are reported with their own file and line). Also an error
// (the config file, line 0): the system's time zone database lacks
// Europe/Copenhagen (copenhagen_zone_problem). Never throws.
CollectorConfigLoad load_collector_config(const std::filesystem::path& file);

}  // namespace pulse
