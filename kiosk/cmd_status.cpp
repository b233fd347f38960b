// cmd_status.cpp — `pulse-kiosk status`: one JSON object of what IT needs
// to know about the terminal (its files, the store, the upload queue, and
// how far its clock is from the collector's).
#include "kiosk/commands.hpp"

#include "common/copenhagen_time.hpp"

#include <nlohmann/json.hpp>

#include <exception>
#include <ostream>
#include <string>

namespace pulse {

namespace {

// The collector's clock minus the terminal's in seconds, as the uploader last
// measured it from a response's Date header (1 s resolution, so good to a
// second or two); null before any response carried one.
nlohmann::ordered_json clock_offset(const std::map<std::string, std::string>& facts) {
    auto it = facts.find("clock_offset_s");
    if (it == facts.end()) return nullptr;
    try {
        std::size_t used = 0;
        const long long offset = std::stoll(it->second, &used);
        if (used == it->second.size()) return offset;
    } catch (const std::exception&) {  // not a number: written by no uploader of ours
    }
    return nullptr;
}

}  // namespace

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
        j["waiting_for_hour_end"] = 0;
        j["set_aside"] = 0;
        j["last_upload_ok"] = nullptr;
        j["last_error"] = nullptr;
        j["next_attempt"] = nullptr;
        j["clock_offset_s"] = nullptr;
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
            j["pending_upload"] = store->upload_queue().count_pending_upload();  // the running hour's too
            j["waiting_for_hour_end"] = store->upload_queue().count_waiting_for_hour_end(wall_now);
            j["set_aside"] = store->upload_queue().count_set_aside();
            j["uploaded_kept"] = store->upload_queue().count_uploaded();
            const std::map<std::string, std::string> facts = store->upload_queue().upload_facts();
            auto fact = [&](const char* key) -> nlohmann::ordered_json {
                auto it = facts.find(key);
                return it == facts.end() || it->second.empty() ? nlohmann::ordered_json(nullptr)
                                                               : nlohmann::ordered_json(it->second);
            };
            j["last_upload_ok"] = fact("last_upload_ok");
            j["last_error"] = fact("last_error");
            j["next_attempt"] = c.upload ? fact("next_attempt") : nlohmann::ordered_json(nullptr);
            j["clock_offset_s"] = clock_offset(facts);
            if (facts.count("token_rejected") && facts.at("token_rejected") == "true") j["token_rejected"] = true;
        }
    }
    out << j.dump() << '\n';
    return exit_code;
}

}  // namespace pulse
