// commands.cpp — what every pulse-kiosk command shares: loading and checking
// a terminal's files, and the settings each part takes from them.
#include "kiosk/commands.hpp"

#include "common/copenhagen_time.hpp"
#include "common/toml_util.hpp"
#include "terminal/overlay_files.hpp"

#include <cstdlib>
#include <ostream>

namespace pulse {

std::optional<LoadedConfig> load_all(const std::filesystem::path& config_file, Diagnostics* errors,
                                     std::ostream* warnings_out, const std::optional<std::filesystem::path>& overlay_file) {
    ConfigLoad c = load_kiosk_config(config_file);
    if (warnings_out) {
        for (const Diagnostic& w : c.warnings) {
            *warnings_out << (w.line > 0 ? w.file + ":" + std::to_string(w.line) : w.file) << ": warning: "
                          << w.message << '\n';
        }
    }
    if (!c.config) {
        errors->insert(errors->end(), c.errors.begin(), c.errors.end());
        return std::nullopt;
    }
    BankLoad b = load_question_bank(c.config->questions_file);
    TextsLoad t = load_texts(c.config->texts_file);
    errors->insert(errors->end(), b.errors.begin(), b.errors.end());
    errors->insert(errors->end(), t.errors.begin(), t.errors.end());
    if (!b.bank || !t.texts) return std::nullopt;
    LoadedConfig loaded{std::move(*c.config), std::move(*b.bank), std::move(*t.texts), ""};
    const OverlayFiles files = overlay_files_for(loaded.config.database);
    const std::filesystem::path overlay = overlay_file.value_or(files.current());
    std::error_code ec;
    if (std::filesystem::exists(overlay, ec)) {
        Diagnostics overlay_errors;
        const std::optional<std::string> bytes = read_file_bytes(overlay, "the config overlay", overlay_errors);
        OverlayLoad o = bytes ? parse_overlay(*bytes, overlay, &loaded.bank) : OverlayLoad{std::nullopt, overlay_errors};
        errors->insert(errors->end(), o.errors.begin(), o.errors.end());
        if (!o.overlay) return std::nullopt;
        apply_overlay(*o.overlay, loaded.config, loaded.bank, loaded.texts);
        if (loaded.bank.active_questions().empty()) {
            errors->push_back({overlay.string(), 0, "[pulse] questions_enabled leaves no active question to ask"});
            return std::nullopt;
        }
        if (!overlay_file) loaded.overlay_etag = read_overlay_word(files.etag());
    }
    return loaded;
}

void print_diagnostics(const Diagnostics& errors, std::ostream& err) {
    for (const Diagnostic& d : errors) err << d.str() << '\n';
}

Palette palette_for(const KioskConfig& config) {
    Palette p;
    if (config.accent.size() == 7 && config.accent[0] == '#') {
        p.accent = (static_cast<Rgba>(std::stoul(config.accent.substr(1), nullptr, 16)) << 8) | 0xFF;
    }
    return p;
}

FlowSettings flow_settings_for(const KioskConfig& c) {
    FlowSettings s;
    s.per_session = c.per_session;
    s.start_with_question = c.start_with_question;
    s.idle_timeout_ms = static_cast<Millis>(c.idle_timeout_s * 1000);
    s.thanks_ms = static_cast<Millis>(c.thanks_s * 1000);
    s.cooldown_ms = static_cast<Millis>(c.cooldown_s * 1000);
    s.undo_ms = static_cast<Millis>(c.undo_s * 1000);
    s.default_language = c.language;
    return s;
}

std::filesystem::path font_for(const KioskConfig& config) {
    return config.font.empty() ? std::filesystem::path(PULSE_FONT_FILE) : config.font;
}

std::unique_ptr<AnswerStore> open_store_logged(const std::filesystem::path& database,
                                               const std::function<void(const std::string&)>& log) {
    StoreStatus status;
    std::filesystem::path moved_aside;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(database, &status, &moved_aside);
    if (!moved_aside.empty() && log) {
        log("the database was corrupt: moved aside to " + moved_aside.string() + "; started a fresh one");
    }
    return store;
}

std::map<std::string, int> read_week_counts(AnswerStore* store, UnixSeconds wall_now) {
    if (!store) return {};
    return store->counts_per_question_since(copenhagen_week_start(copenhagen_iso_week(wall_now)));
}

UploadSettings upload_settings_for(const LoadedConfig& cfg) {
    const KioskConfig& c = cfg.config;
    UploadSettings s;
    s.endpoint = c.upload->endpoint;
    s.token = c.upload->token;
    s.terminal = c.terminal_id;
    s.workplace = c.workplace;
    s.bank_version = cfg.bank.version;
    s.batch_size = c.upload->batch_size;
    s.backoff = BackoffSettings{c.upload->backoff_min_s, c.upload->backoff_max_s};
    s.keep_uploaded_days = c.keep_uploaded_days;
    return s;
}

HeartbeatSettings heartbeat_settings_for(const LoadedConfig& cfg, const std::filesystem::path& config_file,
                                         const std::string& version, std::string* error) {
    HeartbeatSettings s;
    s.endpoint = cfg.config.upload->endpoint;
    s.token = cfg.config.upload->token;
    s.version = version;
    s.config_version = config_version_of_file(config_file, error).value_or(config_version_of(""));
    if (!cfg.overlay_etag.empty()) s.overlay = cfg.overlay_etag;
    const std::string reverted = read_overlay_word(overlay_files_for(cfg.config.database).reverted());
    if (!reverted.empty()) s.overlay_reverted = reverted;
    return s;
}

DisplayEnvironment display_environment_here(const std::string& renderer) {
    DisplayEnvironment display;
    if (const char* forced = std::getenv("SDL_VIDEODRIVER")) display.forced_driver = forced;
    display.wayland = std::getenv("WAYLAND_DISPLAY") != nullptr;
    display.x11 = std::getenv("DISPLAY") != nullptr;
    std::error_code ec;  // a DRM render node means a GPU the accelerated renderer can use
    for (const auto& entry : std::filesystem::directory_iterator("/dev/dri", ec)) {
        if (entry.path().filename().string().rfind("renderD", 0) == 0) display.gpu = true;
    }
    display.renderer = renderer;
    return display;
}

CurlOptions curl_options_for(const KioskConfig& config, const std::atomic<bool>* cancel) {
    CurlOptions o;
    o.ca_file = config.upload->ca_file.string();
    o.cancel = cancel;
    return o;
}

}  // namespace pulse
