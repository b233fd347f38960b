// admin_info.cpp — gathering the admin panel's facts (see admin_info.hpp).
#include "terminal/admin_info.hpp"

#include "terminal/answer_store.hpp"

#include <charconv>

namespace pulse {

namespace {

std::optional<std::int64_t> whole_number(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

}  // namespace

AdminInfo gather_admin_info(const KioskConfig& config, const std::string& version, const std::string& config_version,
                            const std::optional<HeartbeatContact>& heartbeat,
                            const std::function<void(const std::string&)>& log) {
    AdminInfo info;
    info.terminal_id = config.terminal_id;
    info.workplace = config.workplace;
    info.version = version;
    info.config_version = config_version;
    if (config.upload) info.endpoint = config.upload->endpoint;

    std::optional<UnixSeconds> upload_ok;
    std::string upload_error;
    StoreStatus status;
    if (std::unique_ptr<AnswerStore> store = AnswerStore::open(config.database, &status)) {
        const std::map<std::string, std::string> facts = store->upload_queue().upload_facts();
        const auto fact = [&facts](const char* key) {
            const auto it = facts.find(key);
            return it == facts.end() ? std::string() : it->second;
        };
        if (const std::optional<UnixSeconds> ok = parse_iso8601(fact("last_upload_ok"))) {
            upload_ok = truncate_to_hour(*ok);
        }
        upload_error = fact("last_error");
        info.clock_offset_s = whole_number(fact("clock_offset_s"));
    }
    info.facts = sample_hourly_facts(config.database, log);
    info.last_upload_ok_hour = upload_ok;

    // Reach: the heartbeat (every 15 minutes) is the newer news, unless an
    // upload failed since (its error is the one to show).
    if (heartbeat) {
        info.reach = heartbeat->acknowledged ? AdminInfo::Reach::reachable : AdminInfo::Reach::unreachable;
        info.reach_hour = heartbeat->hour;
        info.last_error = heartbeat->failure;
    }
    if (!upload_error.empty()) {
        info.last_error = upload_error;
        if (!heartbeat) info.reach = AdminInfo::Reach::unreachable;
    } else if (!heartbeat && upload_ok) {
        info.reach = AdminInfo::Reach::reachable;
        info.reach_hour = upload_ok;
    }
    return info;
}

}  // namespace pulse
