// fleet.cpp — the fleet's states and reports (see fleet.hpp): reading a
// stored heartbeat, the state rules, and counting open time for the alerts.
#include "collector/fleet/fleet.hpp"

#include "common/copenhagen_time.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace pulse {

const char* fleet_state_name(FleetState state) {
    switch (state) {
        case FleetState::ok: return "ok";
        case FleetState::stale: return "stale";
        case FleetState::silent: return "silent";
        case FleetState::error: return "error";
    }
    return "silent";
}

const char* fleet_problem_name(FleetProblem problem) {
    switch (problem) {
        case FleetProblem::database: return "database";
        case FleetProblem::answers_set_aside: return "answers_set_aside";
        case FleetProblem::out_of_order: return "out_of_order";
        case FleetProblem::clock_offset: return "clock_offset";
        case FleetProblem::unreadable: return "unreadable";
        case FleetProblem::overlay_reverted: return "overlay_reverted";
    }
    return "unreadable";
}

std::optional<FleetReport> parse_fleet_report(const std::string& report_json) {
    using nlohmann::json;
    const json doc = json::parse(report_json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    const auto text = [&](const char* key) -> const json* {
        const auto it = doc.find(key);
        return it != doc.end() && it->is_string() ? &*it : nullptr;
    };
    const auto flag = [&](const char* key) -> const json* {
        const auto it = doc.find(key);
        return it != doc.end() && it->is_boolean() ? &*it : nullptr;
    };
    // An integer, or null (nullopt inside); nullptr when missing or another type.
    const auto integer = [&](const char* key, std::optional<std::int64_t>* out) {
        const auto it = doc.find(key);
        if (it == doc.end()) return false;
        if (it->is_null()) {
            out->reset();
            return true;
        }
        if (!it->is_number_integer()) return false;
        *out = it->get<std::int64_t>();
        return true;
    };
    FleetReport r;
    const json *version = text("version"), *config_version = text("config_version"), *screen = text("screen");
    const json *database_ok = flag("database_ok"), *set_aside = flag("answers_set_aside");
    std::optional<std::int64_t> uptime;
    if (!version || !config_version || !screen || !database_ok || !set_aside || !integer("uptime_h", &uptime) ||
        !uptime || !integer("clock_offset_s", &r.clock_offset_s) || !integer("free_disk_mb", &r.free_disk_mb)) {
        return std::nullopt;
    }
    r.version = version->get<std::string>();
    r.config_version = config_version->get<std::string>();
    r.screen = screen->get<std::string>();
    r.database_ok = database_ok->get<bool>();
    r.answers_set_aside = set_aside->get<bool>();
    r.uptime_h = *uptime;
    if (const json* o = text("overlay")) r.overlay = o->get<std::string>();
    if (const json* o = text("overlay_reverted")) r.overlay_reverted = o->get<std::string>();
    const auto contact = doc.find("last_contact_hour");
    if (contact == doc.end()) return std::nullopt;
    if (!contact->is_null()) {
        if (!contact->is_string()) return std::nullopt;
        r.last_contact_hour = parse_iso8601(contact->get<std::string>());
        if (!r.last_contact_hour) return std::nullopt;
    }
    return r;
}

std::vector<FleetProblem> fleet_problems(const FleetReport& report) {
    std::vector<FleetProblem> problems;
    if (!report.database_ok) problems.push_back(FleetProblem::database);
    if (report.answers_set_aside) problems.push_back(FleetProblem::answers_set_aside);
    if (report.screen == "out_of_order") problems.push_back(FleetProblem::out_of_order);
    if (report.overlay_reverted) problems.push_back(FleetProblem::overlay_reverted);
    if (report.clock_offset_s && std::llabs(*report.clock_offset_s) > kFleetClockOffsetLimit_s) {
        problems.push_back(FleetProblem::clock_offset);
    }
    return problems;
}

FleetState fleet_state(std::optional<UnixSeconds> last_heartbeat, const std::vector<FleetProblem>& problems,
                       UnixSeconds now) {
    if (!last_heartbeat) return FleetState::silent;
    const UnixSeconds age = now > *last_heartbeat ? now - *last_heartbeat : 0;
    if (age >= kFleetSilentAfter_s) return FleetState::silent;
    if (!problems.empty()) return FleetState::error;
    if (age > kFleetStaleAfter_s) return FleetState::stale;
    return FleetState::ok;
}

std::vector<FleetRow> fleet_rows(const CollectorConfig& config, const std::vector<TerminalHeartbeat>& heartbeats,
                                 UnixSeconds now) {
    std::unordered_map<std::string, const TerminalHeartbeat*> by_terminal;
    by_terminal.reserve(heartbeats.size());
    for (const TerminalHeartbeat& h : heartbeats) by_terminal.emplace(h.terminal, &h);
    std::vector<FleetRow> rows;
    rows.reserve(config.terminals.size());
    for (const TerminalEntry& t : config.terminals) {
        FleetRow row;
        row.terminal = t.id;
        row.workplace = t.workplace;
        row.workplace_name = config.workplace_name(t.workplace);
        if (const auto it = by_terminal.find(t.id); it != by_terminal.end()) {
            row.last_heartbeat = it->second->received_at;
            row.report = parse_fleet_report(it->second->report_json);
            row.problems = row.report ? fleet_problems(*row.report) : std::vector<FleetProblem>{FleetProblem::unreadable};
        }
        row.state = fleet_state(row.last_heartbeat, row.problems, now);
        if (row.state == FleetState::silent) row.problems.clear();  // too old to go by
        rows.push_back(std::move(row));
    }
    return rows;
}

UnixSeconds open_seconds_between(const std::optional<Schedule>& schedule, UnixSeconds from, UnixSeconds to,
                                 UnixSeconds enough_s) {
    if (to <= from) return 0;
    if (!schedule) return std::min(to - from, enough_s);
    UnixSeconds open = 0;
    UnixSeconds at = from;
    bool is_open_now = is_open(*schedule, at);
    while (at < to && open < enough_s) {
        const std::optional<UnixSeconds> change = next_change(*schedule, at);
        const UnixSeconds until = change && *change < to ? *change : to;
        if (is_open_now) open += until - at;
        if (!change) break;  // no change within next_change's horizon: the rest is as now
        at = until;
        is_open_now = !is_open_now;
    }
    return std::min(open, enough_s);
}

namespace {

// text as a JSON string, quotes included. Written here rather than through
// nlohmann::json: the fleet of 1000 terminals is sent back to back with
// heartbeats arriving (bench/bench_heartbeat.cpp), and building a json
// object per terminal took about as long as everything else of the request.
void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += escaped;
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace

std::string fleet_json(const std::vector<FleetRow>& rows) {
    std::string out = "[";
    out.reserve(400 * rows.size() + 2);
    const auto key = [&](const char* name) {
        out += '"';
        out += name;
        out += "\":";
    };
    const auto number = [&](const std::optional<std::int64_t>& n) { out += n ? std::to_string(*n) : "null"; };
    const auto time = [&](const std::optional<UnixSeconds>& t) {
        if (t) append_json_string(out, copenhagen_iso_text(*t));
        else out += "null";
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const FleetRow& row = rows[i];
        out += i == 0 ? "{" : ",{";
        key("terminal");
        append_json_string(out, row.terminal);
        out += ',';
        key("workplace");
        append_json_string(out, row.workplace);
        out += ',';
        key("workplace_name");
        append_json_string(out, row.workplace_name);
        out += ',';
        key("state");
        append_json_string(out, fleet_state_name(row.state));
        out += ',';
        key("last_heartbeat");
        time(row.last_heartbeat);
        out += ',';
        key("problems");
        out += '[';
        for (std::size_t p = 0; p < row.problems.size(); ++p) {
            if (p) out += ',';
            append_json_string(out, fleet_problem_name(row.problems[p]));
        }
        out += "],";
        const FleetReport* r = row.report ? &*row.report : nullptr;
        key("version");
        if (r) append_json_string(out, r->version);
        else out += "null";
        out += ',';
        key("config_version");
        if (r) append_json_string(out, r->config_version);
        else out += "null";
        out += ',';
        key("uptime_h");
        number(r ? std::optional<std::int64_t>(r->uptime_h) : std::nullopt);
        out += ',';
        key("database_ok");
        out += r ? (r->database_ok ? "true" : "false") : "null";
        out += ',';
        key("last_contact_hour");
        time(r ? r->last_contact_hour : std::nullopt);
        out += ',';
        key("answers_set_aside");
        out += r ? (r->answers_set_aside ? "true" : "false") : "null";
        out += ',';
        key("clock_offset_s");
        number(r ? r->clock_offset_s : std::nullopt);
        out += ',';
        key("free_disk_mb");
        number(r ? r->free_disk_mb : std::nullopt);
        out += ',';
        key("screen");
        if (r) append_json_string(out, r->screen);
        else out += "null";
        out += '}';
    }
    out += ']';
    return out;
}

std::string copenhagen_minute_text(UnixSeconds t) {
    const LocalTime local = copenhagen_local(t);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", local.date.year, local.date.month, local.date.day,
                  local.second_of_day / 3600, local.second_of_day / 60 % 60);
    return text;
}

std::string copenhagen_iso_text(UnixSeconds t) {
    const LocalTime local = copenhagen_local(t);
    const int offset_min = local.utc_offset_s / 60;
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", local.date.year, local.date.month,
                  local.date.day, local.second_of_day / 3600, local.second_of_day / 60 % 60, local.second_of_day % 60,
                  offset_min < 0 ? '-' : '+', std::abs(offset_min) / 60, std::abs(offset_min) % 60);
    return text;
}

}  // namespace pulse
