// kiosk_config.cpp — reads and checks one terminal's TOML config. Every key is
// declared once in load_into() with its type and range; anything else in the
// file is reported, and every problem names "[table] key" and its line.
#include "terminal/kiosk_config.hpp"

#include "common/pin_hash.hpp"

#include "common/question_bank.hpp"  // kLanguages
#include "common/secret_file.hpp"
#include "common/toml_util.hpp"
#include "common/copenhagen_time.hpp"
#include "common/url.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

namespace pulse {
namespace {

namespace fs = std::filesystem;

// [SECTION] Helpers

// Shortest text that reads back as the same double ("20", "0.5").
std::string format_number(double value) {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

bool is_hex_colour(std::string_view text) {
    return text.size() == 7 && text[0] == '#' && std::all_of(text.begin() + 1, text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

// The config's tables and the keys each may hold: everything else is reported.
const std::map<std::string, std::vector<std::string>, std::less<>> kSchema = {
    {"terminal", {"id", "workplace", "language"}},
    {"pulse", {"questions", "texts", "per_session", "start", "idle_timeout_s", "thanks_s", "cooldown_s", "undo_s"}},
    {"storage", {"database", "keep_uploaded_days"}},
    {"upload", {"endpoint", "token_file", "interval_s", "batch_size", "backoff_min_s", "backoff_max_s", "ca_file"}},
    {"schedule", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "closed"}},
    {"display", {"fullscreen", "width", "height", "diagonal_inch", "dpi", "accent", "font", "renderer", "rotation",
                 "backlight", "night_brightness", "bottom_edge_m"}},
    {"admin", {"pin_hash"}},
};

// Reads typed keys from the config's tables, reporting every problem as
// "[table] key …" with the line of the value (or of the table header when the
// key is missing, 0 when the table is missing too).
class Reader {
public:
    Reader(const toml::table& root, std::string file, Diagnostics& errors)
        : root_(root), file_(std::move(file)), errors_(errors) {}

    void error(int line, std::string message) { errors_.push_back({file_, line, std::move(message)}); }
    const std::string& file() const { return file_; }

    // The [table] in the file, or nullptr when it is absent or not a table
    // (load_into reports that once).
    const toml::table* table(std::string_view name) {
        const toml::node* node = root_.get(name);
        return node ? node->as_table() : nullptr;
    }

    int table_line(std::string_view name) {
        const toml::table* t = table(name);
        return t ? toml_line_of(*t) : 0;
    }

    // The node of [table] key; reports it missing when required.
    const toml::node* node(std::string_view table_name, std::string_view key, bool required,
                           std::string_view example) {
        const toml::table* t = table(table_name);
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n && required) {
            error(t ? toml_line_of(*t) : 0, name(table_name, key) + " is missing; add " + std::string(key) + " = " +
                                                std::string(example) + " under [" + std::string(table_name) + "]");
        }
        return n;
    }

    std::optional<std::string> string(std::string_view table_name, std::string_view key, bool required,
                                      std::string_view example = "\"…\"") {
        const toml::node* n = node(table_name, key, required, example);
        if (!n) return std::nullopt;
        if (const auto* value = n->as_string()) return value->get();
        error(toml_line_of(*n), name(table_name, key) + " must be a string (in quotes), not " + toml_type_name(*n));
        return std::nullopt;
    }

    std::optional<bool> boolean(std::string_view table_name, std::string_view key) {
        const toml::node* n = node(table_name, key, false, "");
        if (!n) return std::nullopt;
        if (const auto* value = n->as_boolean()) return value->get();
        error(toml_line_of(*n),
              name(table_name, key) + " must be true or false (no quotes), not " + toml_type_name(*n));
        return std::nullopt;
    }

    // An integer in lo..hi; nullopt when absent or wrong (reported).
    std::optional<int> integer(std::string_view table_name, std::string_view key, int lo, int hi,
                               std::string_view unit = "") {
        const toml::node* n = node(table_name, key, false, "");
        if (!n) return std::nullopt;
        const auto* value = n->as_integer();
        if (!value) {
            error(toml_line_of(*n), name(table_name, key) + " must be a whole number, not " + toml_type_name(*n));
            return std::nullopt;
        }
        const std::int64_t v = value->get();
        if (v < lo || v > hi) {
            error(toml_line_of(*n), name(table_name, key) + " = " + std::to_string(v) + " is out of range (" +
                                        std::to_string(lo) + ".." + std::to_string(hi) + std::string(unit) + ")");
            return std::nullopt;
        }
        return static_cast<int>(v);
    }

    // A number (integer or float) in lo..hi; nullopt when absent or wrong (reported).
    std::optional<double> number(std::string_view table_name, std::string_view key, double lo, double hi,
                                 std::string_view unit = "") {
        const toml::node* n = node(table_name, key, false, "");
        if (!n) return std::nullopt;
        std::optional<double> v;
        if (const auto* i = n->as_integer()) v = static_cast<double>(i->get());
        if (const auto* f = n->as_floating_point()) v = f->get();
        if (!v) {
            error(toml_line_of(*n), name(table_name, key) + " must be a number, not " + toml_type_name(*n));
            return std::nullopt;
        }
        if (!(*v >= lo && *v <= hi)) {  // also rejects nan
            error(toml_line_of(*n), name(table_name, key) + " = " + format_number(*v) + " is out of range (" +
                                        format_number(lo) + ".." + format_number(hi) + std::string(unit) + ")");
            return std::nullopt;
        }
        return v;
    }

    // A path relative to base_dir (or absolute), made absolute and normal.
    std::optional<fs::path> path(std::string_view table_name, std::string_view key, bool required,
                                 const fs::path& base_dir) {
        const std::optional<std::string> text = string(table_name, key, required, "\"path/to/file\"");
        if (!text) return std::nullopt;
        if (text->empty()) {
            error(toml_line_of(*node(table_name, key, false, "")),
                  name(table_name, key) + " is empty; give a file path (relative to this config file)" +
                      (required ? "" : " or remove the key"));
            return std::nullopt;
        }
        return resolve(base_dir, fs::path(*text));
    }

    static fs::path resolve(const fs::path& base_dir, const fs::path& p) {
        const fs::path joined = p.is_absolute() ? p : base_dir / p;
        std::error_code ec;
        fs::path resolved = fs::weakly_canonical(joined, ec);
        return ec ? joined.lexically_normal() : resolved;
    }

    static std::string name(std::string_view table_name, std::string_view key) {
        return "[" + std::string(table_name) + "] " + std::string(key);
    }

private:
    const toml::table& root_;
    std::string file_;
    Diagnostics& errors_;
};

// [SECTION] Loader

// [upload], checked: the endpoint's scheme (plain http only to this machine),
// the token file (exists, readable, one non-empty token; readable by others
// is a warning), ranges.
UploadConfig read_upload(Reader& read, const fs::path& base_dir, Diagnostics& warnings) {
    UploadConfig up;
    if (auto endpoint = read.string("upload", "endpoint", true, "\"https://pulse.example.dk\"")) {
        std::string why;
        if (std::optional<std::string> e = checked_upload_endpoint(*endpoint, &why)) {
            up.endpoint = *e;
        } else {
            read.error(toml_line_of(*read.node("upload", "endpoint", false, "")),
                       "[upload] endpoint = \"" + *endpoint + "\" " + why);
        }
    }
    if (auto token_file = read.path("upload", "token_file", true, base_dir)) {
        up.token_file = *token_file;
        const int line = toml_line_of(*read.node("upload", "token_file", false, ""));
        const SecretFile file = read_secret_file(*token_file);
        const std::string& text = file.text;
        const std::size_t first = text.find_first_not_of(" \t\r\n");
        const std::size_t last = text.find_last_not_of(" \t\r\n");
        const std::string token = first == std::string::npos ? "" : text.substr(first, last - first + 1);
        if (file.status == SecretFile::Status::not_a_file) {
            read.error(line, "[upload] token_file: " + token_file->string() +
                             " does not exist or is not a file; put the terminal's token there (from the collector's "
                             "administrator)");
        } else if (file.status == SecretFile::Status::unreadable) {
            read.error(line, "[upload] token_file: cannot read " + token_file->string() +
                             " (check its owner and permissions)");
        } else if (file.status == SecretFile::Status::too_large || token.empty() ||
                   token.find_first_of(" \t\r\n") != std::string::npos ||
                   !std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7F; })) {
            read.error(line, "[upload] token_file: " + token_file->string() +
                             " must hold exactly one token (printable characters, no spaces)");
        } else {
            up.token = token;
            if (file.readable_by_others) {
                warnings.push_back({read.file(), line, "[upload] token_file " + token_file->string() +
                                                           " can be read by other users; restrict it: chmod 600 " +
                                                           token_file->string()});
            }
        }
    }
    // Kept as a known key so that older configs still load: uploads now
    // follow whole UTC hours, so an interval has nothing left to set.
    if (const toml::node* interval = read.node("upload", "interval_s", false, "")) {
        warnings.push_back({read.file(), toml_line_of(*interval),
                            "[upload] interval_s is ignored: answers are uploaded a few minutes after their UTC hour "
                            "has ended, whole hours only (docs/protocol.md); remove the key"});
    }
    if (auto v = read.integer("upload", "batch_size", 1, 5000, " answers")) up.batch_size = *v;
    if (auto v = read.number("upload", "backoff_min_s", 1, 3600, " seconds")) up.backoff_min_s = *v;
    if (auto v = read.number("upload", "backoff_max_s", 1, 86400, " seconds")) {
        if (*v < up.backoff_min_s) {
            read.error(toml_line_of(*read.node("upload", "backoff_max_s", false, "")),
                       "[upload] backoff_max_s = " + format_number(*v) + " is below backoff_min_s (" +
                           format_number(up.backoff_min_s) + ")");
        } else {
            up.backoff_max_s = *v;
        }
    }
    if (auto ca = read.path("upload", "ca_file", false, base_dir)) {
        std::error_code ec;
        if (!fs::is_regular_file(*ca, ec)) {
            read.error(toml_line_of(*read.node("upload", "ca_file", false, "")),
                       "[upload] ca_file: " + ca->string() + " does not exist or is not a file");
        } else {
            up.ca_file = *ca;
        }
    }
    return up;
}

void load_into(const fs::path& file, KioskConfig& config, Diagnostics& errors, Diagnostics& warnings) {
    const std::optional<toml::table> parsed = parse_toml_file(file, "the config file", errors);
    if (!parsed) return;
    const toml::table& root = *parsed;

    Reader read(root, file.string(), errors);
    std::error_code ec;
    fs::path absolute_file = fs::absolute(file, ec);
    if (ec) absolute_file = file;
    config.source = absolute_file.lexically_normal();
    const fs::path base_dir = config.source.parent_path();

    // Unknown tables and keys, usually typos.
    for (const auto& [table_name, node] : root) {
        auto schema = kSchema.find(table_name.str());
        if (schema == kSchema.end()) {
            read.error(toml_line_of(node), "[" + std::string(table_name.str()) +
                                               "] is not a known table (known: [terminal], [pulse], [storage], "
                                               "[display], [upload], [schedule], [admin]); check the spelling or remove it");
            continue;
        }
        const toml::table* table = node.as_table();
        if (!table) {
            read.error(toml_line_of(node), "[" + std::string(table_name.str()) + "] must be a table, not " +
                                               toml_type_name(node));
            continue;
        }
        for (const auto& [key, value] : *table) {
            const auto& keys = schema->second;
            if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) continue;
            std::string known;
            for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
            read.error(toml_line_of(value), Reader::name(table_name.str(), key.str()) + " is not a known key (known: " +
                                                known + "); check the spelling or remove it");
        }
    }

    // [terminal]
    const std::string url_safe = " may only contain A–Z, a–z, 0–9, '.', '_' and '-' (it becomes part of URLs)";
    if (auto id = read.string("terminal", "id", true, "\"ishoj-raadhus-1\"")) {
        if (is_url_safe_id(*id)) config.terminal_id = *id;
        else read.error(toml_line_of(*read.node("terminal", "id", false, "")),
                        "[terminal] id = \"" + *id + "\"" + url_safe);
    }
    if (auto workplace = read.string("terminal", "workplace", true, "\"…\"")) {
        if (is_url_safe_id(*workplace)) config.workplace = *workplace;
        else read.error(toml_line_of(*read.node("terminal", "workplace", false, "")),
                        "[terminal] workplace = \"" + *workplace + "\"" + url_safe);
    }
    if (auto language = read.string("terminal", "language", false)) {
        if (std::find(kLanguages.begin(), kLanguages.end(), *language) != kLanguages.end()) {
            config.language = *language;
        } else {
            std::string known;
            for (const auto& lang : kLanguages) known += (known.empty() ? "\"" : ", \"") + lang + "\"";
            read.error(toml_line_of(*read.node("terminal", "language", false, "")),
                       "[terminal] language = \"" + *language + "\" is not one of " + known);
        }
    }

    // [pulse]
    if (auto questions = read.path("pulse", "questions", true, base_dir)) {
        config.questions_file = *questions;
        config.texts_file = questions->parent_path() / "texts.toml";
    }
    if (auto texts = read.path("pulse", "texts", false, base_dir)) config.texts_file = *texts;
    if (auto v = read.integer("pulse", "per_session", 1, 3)) config.per_session = *v;
    if (auto start = read.string("pulse", "start", false, "\"question\"")) {
        if (*start == "question" || *start == "button") config.start_with_question = *start == "question";
        else read.error(toml_line_of(*read.node("pulse", "start", false, "")),
                        "[pulse] start = \"" + *start + "\" is not one of \"question\", \"button\"");
    }
    if (auto v = read.number("pulse", "idle_timeout_s", 5, 600, " seconds")) config.idle_timeout_s = *v;
    if (auto v = read.number("pulse", "thanks_s", 1, 30, " seconds")) config.thanks_s = *v;
    if (auto v = read.number("pulse", "cooldown_s", 0, 300, " seconds")) config.cooldown_s = *v;
    if (auto v = read.number("pulse", "undo_s", 0, 60, " seconds")) config.undo_s = *v;

    // [storage]
    if (auto database = read.path("storage", "database", true, base_dir)) config.database = *database;
    if (auto v = read.integer("storage", "keep_uploaded_days", 1, 3650, " days")) config.keep_uploaded_days = *v;

    // [upload]
    if (read.table("upload")) config.upload = read_upload(read, base_dir, warnings);

    // [schedule]
    if (const toml::table* s = read.table("schedule")) config.schedule = read_schedule_table(*s, read.file(), errors);

    // [display]
    if (auto v = read.boolean("display", "fullscreen")) config.fullscreen = *v;
    if (auto v = read.integer("display", "width", 320, 8192, " px")) config.width = *v;
    if (auto v = read.integer("display", "height", 320, 8192, " px")) config.height = *v;
    const auto diagonal = read.number("display", "diagonal_inch", 5, 150, " inches");
    const auto dpi = read.number("display", "dpi", 50, 1200);
    if (diagonal) config.diagonal_inch = *diagonal;
    if (dpi) config.dpi = *dpi;
    const toml::node* diagonal_node = read.node("display", "diagonal_inch", false, "");
    const toml::node* dpi_node = read.node("display", "dpi", false, "");
    if (!diagonal_node && !dpi_node) {
        read.error(read.table_line("display"),
                   "[display] needs diagonal_inch (the screen's diagonal in inches) or dpi, to size touch targets "
                   "in millimetres; add one of them under [display]");
    } else if (diagonal_node && dpi_node) {
        read.error(toml_line_of(*dpi_node), "[display] has both diagonal_inch and dpi; give only one (they could "
                                            "disagree): remove the one you are less sure of");
    }
    if (auto accent = read.string("display", "accent", false)) {
        if (is_hex_colour(*accent)) config.accent = *accent;
        else read.error(toml_line_of(*read.node("display", "accent", false, "")),
                        "[display] accent = \"" + *accent + "\" is not a colour \"#RRGGBB\" (e.g. \"#2F6FA8\")");
    }
    if (auto font = read.path("display", "font", false, base_dir)) config.font = *font;
    if (auto renderer = read.string("display", "renderer", false)) {
        if (*renderer == "auto" || *renderer == "gpu" || *renderer == "software") config.renderer = *renderer;
        else read.error(toml_line_of(*read.node("display", "renderer", false, "")),
                        "[display] renderer = \"" + *renderer + "\" is not one of \"auto\", \"gpu\", \"software\"");
    }
    if (auto v = read.integer("display", "rotation", 0, 270, " degrees")) {
        if (*v % 90 == 0) config.rotation = *v;
        else read.error(toml_line_of(*read.node("display", "rotation", false, "")),
                        "[display] rotation = " + std::to_string(*v) + " is not one of 0, 90, 180, 270");
    }
    if (auto backlight = read.string("display", "backlight", false, "\"auto\"")) {
        if (*backlight == "auto" || *backlight == "none") {
            config.backlight = *backlight;
        } else if (auto dir = read.path("display", "backlight", false, base_dir)) {
            config.backlight = dir->string();
        }
    }
    if (auto v = read.number("display", "night_brightness", 0, 1)) config.night_brightness = *v;
    if (auto v = read.number("display", "bottom_edge_m", 0, 2, " m above the floor")) config.bottom_edge_m = *v;

    // [admin]
    if (auto hash = read.string("admin", "pin_hash", false, "\"$argon2id$v=19$…\"")) {
        std::string why;
        if (is_pin_hash(*hash, &why)) config.admin_pin_hash = *hash;
        else read.error(toml_line_of(*read.node("admin", "pin_hash", false, "")), "[admin] pin_hash " + why);
    }
}

}  // namespace

bool is_url_safe_id(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    });
}

std::optional<std::string> checked_upload_endpoint(const std::string& endpoint, std::string* why) {
    std::string e = endpoint;
    while (!e.empty() && e.back() == '/') e.pop_back();
    const UrlParse url = parse_url(e);
    const bool https = e.rfind("https://", 0) == 0, http = e.rfind("http://", 0) == 0;
    std::string problem;
    if (!https && !http) {
        problem = "must start with https://";
    } else if (url.no_host || (url.parts && url.parts->host.empty())) {
        problem = "has no host name";
    } else if (!url.parts) {
        problem = "is not a URL: " + url.why;
    } else if (http && !is_loopback_host(url.parts->host)) {
        problem = "uses plain http:// to another machine; answers must travel encrypted: use https:// (http:// is "
                  "only for 127.0.0.1 or localhost)";
    } else {
        return e;
    }
    if (why) *why = problem;
    return std::nullopt;
}

double KioskConfig::px_per_mm() const {
    constexpr double kMmPerInch = 25.4;
    if (dpi > 0) return dpi / kMmPerInch;
    if (diagonal_inch > 0) return std::hypot(width, height) / diagonal_inch / kMmPerInch;
    return 0;
}

ConfigLoad load_kiosk_config(const std::filesystem::path& file) {
    ConfigLoad out;
    KioskConfig config;
    run_loader(file, "the config", out.errors, [&] { load_into(file, config, out.errors, out.warnings); });
    // Weeks, rotation and the scrub follow Copenhagen's clock.
    if (std::string problem = copenhagen_zone_problem(); !problem.empty()) out.errors.push_back({file.string(), 0, problem});
    if (out.errors.empty()) out.config = std::move(config);
    return out;
}

}  // namespace pulse
