// cmd_check_status.cpp — what every command shares (loading and checking a
// terminal's files), and the two read-only commands: check and status.
#include "commands.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace pulse {

std::optional<LoadedConfig> load_all(const std::filesystem::path& config_file, Diagnostics* errors,
                                     std::ostream* warnings_out) {
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
    return LoadedConfig{std::move(*c.config), std::move(*b.bank), std::move(*t.texts)};
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
    s.idle_timeout_ms = static_cast<Millis>(c.idle_timeout_s * 1000);
    s.thanks_ms = static_cast<Millis>(c.thanks_s * 1000);
    s.cooldown_ms = static_cast<Millis>(c.cooldown_s * 1000);
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

int cmd_check(const std::filesystem::path& config_file, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(config_file, &errors, &err);
    if (!loaded) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    const std::filesystem::path font = font_for(loaded->config);
    if (!std::filesystem::is_regular_file(font)) {
        err << config_file.string() << ": font " << font.string()
            << " not found (install Debian's fonts-open-sans, or set [display] font)\n";
        return kExitBadConfig;
    }
    out << config_file.string() << ": ok — terminal " << loaded->config.terminal_id << ", workplace "
        << loaded->config.workplace << ", " << loaded->bank.active_questions().size() << " active questions (bank "
        << loaded->bank.version << ")\n";
    return kExitOk;
}

int cmd_status(const std::filesystem::path& config_file, UnixSeconds wall_now, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(config_file, &errors);
    if (!loaded) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    const KioskConfig& c = loaded->config;
    nlohmann::ordered_json j;
    j["terminal"] = c.terminal_id;
    j["workplace"] = c.workplace;
    j["bank"] = loaded->bank.version;
    j["active_questions"] = loaded->bank.active_questions().size();
    j["database"] = c.database.string();
    j["week"] = copenhagen_iso_week(wall_now).str();
    if (c.upload) {
        j["upload"] = "online";
        j["endpoint"] = c.upload->endpoint;
    } else {
        j["upload"] = "offline";  // no [upload] section: answers stay on this terminal
    }
    int exit_code = kExitOk;
    if (!std::filesystem::exists(c.database)) {
        j["database_ok"] = true;
        j["database_note"] = "not created yet: no answer stored";
        j["answers_total"] = 0;
        j["answers_this_week"] = 0;
        j["pending_upload"] = 0;
        j["set_aside"] = 0;
        j["last_upload_ok"] = nullptr;
        j["last_error"] = nullptr;
        j["next_attempt"] = nullptr;
    } else {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(c.database, &status);
        if (!store) {
            j["database_ok"] = false;
            j["database_error"] = status.message;
            exit_code = kExitFailure;
        } else {
            j["database_ok"] = true;
            j["answers_total"] = store->count_all();
            j["answers_this_week"] = store->count_since(copenhagen_week_start(copenhagen_iso_week(wall_now)));
            j["pending_upload"] = store->count_pending_upload();
            j["set_aside"] = store->count_set_aside();
            j["uploaded_kept"] = store->count_uploaded();
            const std::map<std::string, std::string> facts = store->upload_facts();
            auto fact = [&](const char* key) -> nlohmann::ordered_json {
                auto it = facts.find(key);
                return it == facts.end() || it->second.empty() ? nlohmann::ordered_json(nullptr)
                                                               : nlohmann::ordered_json(it->second);
            };
            j["last_upload_ok"] = fact("last_upload_ok");
            j["last_error"] = fact("last_error");
            j["next_attempt"] = c.upload ? fact("next_attempt") : nlohmann::ordered_json(nullptr);
            if (facts.count("token_rejected") && facts.at("token_rejected") == "true") j["token_rejected"] = true;
        }
    }
    out << j.dump() << '\n';
    return exit_code;
}

}  // namespace pulse
