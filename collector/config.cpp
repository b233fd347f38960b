// config.cpp — reads and checks pulse-collector's TOML config.
// Every key is declared once (kTables, kArrayKeys) with its type and range;
// anything else in the file is reported with its line.
#include "collector/config.hpp"

#include "collector/config_reader.hpp"
#include "collector/email/email_config.hpp"
#include "collector/email/email_message.hpp"  // is_email_address
#include "collector/summary/summary_texts.hpp"
#include "common/copenhagen_time.hpp"
#include "common/sha256.hpp"
#include "common/toml_util.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>

namespace pulse {
namespace {

namespace fs = std::filesystem;

// [SECTION] Schema

// Plain tables and the keys each may hold.
const std::map<std::string, std::vector<std::string>, std::less<>> kTables = {
    {"server", {"listen", "listen_beyond_loopback", "port"}},
    {"storage", {"database", "max_age_days"}},
    {"anonymity", {"min_answers"}},
    {"bank", {"questions"}},
    {"summary", {"texts", "publish_day", "publish_time"}},
    {"email", {"smtp_url", "starttls", "username", "password_file", "ca_file", "sender", "send_day", "send_time",
               "language", "recipients"}},
    {"web", {"base_url", "secure_cookies", "trusted_header", "trusted_proxies"}},
};

// Arrays of tables ([[terminal]] …) and the keys each entry may hold.
const std::map<std::string, std::vector<std::string>, std::less<>> kArrays = {
    {"workplace", {"id", "name"}},
    {"terminal", {"id", "workplace", "token_sha256"}},
    {"manager", {"name", "email", "token_sha256", "workplaces"}},
    {"hr", {"name", "email", "token_sha256", "workplaces"}},
    {"admin", {"name", "email", "token_sha256"}},
};


// [SECTION] Loader

void load_into(const toml::table& root, const fs::path& file, CollectorConfig& c, Diagnostics& errors,
               Diagnostics& warnings) {
    ConfigReader read(file.string(), errors);
    const fs::path base_dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();

    // Unknown tables and keys.
    for (const auto& [key, node] : root) {
        const std::string k(key.str());
        if (auto t = kTables.find(k); t != kTables.end()) {
            const toml::table* table = node.as_table();
            if (!table) {
                read.error(toml_line_of(node), "[" + k + "] must be a table, not " + toml_type_name(node));
                continue;
            }
            for (const auto& [sub, sub_node] : *table) {
                if (std::find(t->second.begin(), t->second.end(), sub.str()) == t->second.end()) {
                    read.error(toml_line_of(sub_node), "[" + k + "] " + std::string(sub.str()) + " is not a known key");
                }
            }
        } else if (auto a = kArrays.find(k); a != kArrays.end()) {
            const toml::array* arr = node.as_array();
            if (!arr || !arr->is_array_of_tables()) {
                read.error(toml_line_of(node), k + " must be written as [[" + k + "]] tables");
                continue;
            }
            for (const toml::node& entry : *arr) {
                for (const auto& [sub, sub_node] : *entry.as_table()) {
                    if (std::find(a->second.begin(), a->second.end(), sub.str()) == a->second.end()) {
                        read.error(toml_line_of(sub_node),
                                   "[[" + k + "]] " + std::string(sub.str()) + " is not a known key");
                    }
                }
            }
        } else {
            read.error(toml_line_of(node), k + " is not a known table or key (known: [server], [storage], "
                                               "[anonymity], [bank], [summary], [email], [web], [[workplace]], [[terminal]], "
                                               "[[manager]], [[hr]], [[admin]])");
        }
    }
    const auto table = [&](std::string_view name) -> const toml::table* {
        const toml::node* n = root.get(name);
        return n ? n->as_table() : nullptr;
    };

    // [server]
    if (auto v = read.string(table("server"), "[server]", "listen", false)) {
        if (v->empty()) {
            read.error(toml_line_of(*table("server")->get("listen")), "[server] listen is empty; give an address");
        } else {
            c.listen = *v;
        }
    }
    if (auto v = read.integer(table("server"), "[server]", "port", 0, 65535)) c.port = *v;
    // Plain HTTP carries tokens and answers in clear: beyond loopback only
    // when IT says so, and then with a warning at every start.
    if (const toml::table* server = table("server")) {
        bool beyond = false;
        if (const toml::node* n = server->get("listen_beyond_loopback")) {
            if (const auto* b = n->as_boolean()) beyond = b->get();
            else read.error(toml_line_of(*n), "[server] listen_beyond_loopback must be true or false, not " +
                                                  toml_type_name(*n));
        }
        if (const toml::node* n = server->get("listen"); n && !c.listen.empty() && !is_loopback_address(c.listen)) {
            if (!beyond) {
                read.error(toml_line_of(*n),
                           "[server] listen = \"" + c.listen + "\" is not a loopback address: the collector speaks "
                           "plain HTTP (tokens and answers unencrypted) and is meant to sit behind nginx with TLS on "
                           "the same machine (docs/deployment.md), so keep \"127.0.0.1\"; only if the proxy must "
                           "reach it over a network you control, add listen_beyond_loopback = true to [server]");
            } else {
                warnings.push_back({file.string(), toml_line_of(*n),
                                    "[server] listen = \"" + c.listen + "\" (listen_beyond_loopback = true): the "
                                    "collector's plain HTTP, tokens and answers unencrypted, is open beyond this "
                                    "machine; let only the TLS proxy reach it (firewall)"});
            }
        }
    }

    // [storage]
    if (auto v = read.string(table("storage"), "[storage]", "database", true)) {
        if (v->empty()) {
            read.error(toml_line_of(*table("storage")->get("database")),
                       "[storage] database is empty; give a file path or a postgresql:// URL");
        } else if (v->rfind("postgresql://", 0) == 0 || v->rfind("postgres://", 0) == 0) {
            c.database = *v;
        } else {
            c.database = resolve_config_path(base_dir, *v).string();
        }
    }
    // max_age_days refused old answers once; now an old answer is stored and,
    // its week being sealed, counted late. The key still loads, with a warning.
    if (const toml::table* storage = table("storage"); storage && storage->contains("max_age_days")) {
        warnings.push_back({file.string(), toml_line_of(*storage->get("max_age_days")),
                            "[storage] max_age_days is ignored: an answer of any age is stored, and one for a week "
                            "already published counts as late (docs/anonymity.md); remove the line"});
    }

    // [anonymity]: below 3, a figure and the answerer's own answer would give
    // away the other one or two (docs/anonymity.md).
    if (const toml::table* anonymity = table("anonymity"); anonymity && anonymity->contains("min_answers")) {
        const toml::node& n = *anonymity->get("min_answers");
        const auto* v = n.as_integer();
        if (v && v->get() >= 1 && v->get() < 3) {
            read.error(toml_line_of(n), "[anonymity] min_answers = " + std::to_string(v->get()) +
                                            " is below 3: with fewer, one who answered could work out the "
                                            "others' answers from a figure and their own; give 3..1000");
        } else if (auto m = read.integer(anonymity, "[anonymity]", "min_answers", 3, 1000)) {
            c.min_answers = *m;
        }
    }

    // [bank]: each file loaded; a version named twice is ambiguous.
    std::optional<fs::path> first_bank;  // as listed, whether it loaded or not
    int first_bank_line = 0;
    if (auto files = read.strings(table("bank"), "[bank]", "questions", true)) {
        std::map<std::string, int> version_line;
        for (const auto& [name, line] : *files) {
            const fs::path path = resolve_config_path(base_dir, name);
            if (!first_bank) {
                first_bank = path;
                first_bank_line = line;
            }
            BankLoad bank = load_question_bank(path);
            if (!bank.bank) {
                if (bank.errors.empty()) read.error(line, "[bank] questions: " + path.string() + " could not be loaded");
                for (const Diagnostic& d : bank.errors) errors.push_back(d);
                continue;
            }
            if (!version_line.emplace(bank.bank->version, line).second) {
                read.error(line, "[bank] questions: " + path.string() + " has version \"" + bank.bank->version +
                                     "\" like an earlier file; each bank needs its own version");
                continue;
            }
            c.question_files.push_back(path);
            c.banks.push_back(std::move(*bank.bank));
        }
    }

    // [summary]: the words of the summary and its e-mail, by default beside
    // the first bank (as the kiosk's texts.toml). While that bank has
    // errors, the default waits: the bank's errors are the ones to fix first.
    const toml::table* summary = table("summary");
    const bool texts_given = summary && summary->contains("texts");
    const bool first_bank_loaded = first_bank && !c.question_files.empty() && c.question_files.front() == *first_bank;
    std::optional<fs::path> texts_file;
    int texts_line = 0;  // where the config names it: the key, or the first bank for the default
    if (auto v = read.string(summary, "[summary]", "texts", false)) {
        texts_line = toml_line_of(*summary->get("texts"));
        if (v->empty()) {
            read.error(texts_line, "[summary] texts is empty; give the summary texts file (like config/" +
                                       std::string(kSummaryTextsFileName) + ")");
        } else {
            texts_file = resolve_config_path(base_dir, *v);
        }
    } else if (!texts_given && first_bank_loaded) {
        texts_line = first_bank_line;
        texts_file = first_bank->parent_path() / kSummaryTextsFileName;
    }
    std::error_code ec;
    if (texts_file && !fs::exists(*texts_file, ec)) {
        const std::string fix = texts_given ? "; check the path (relative to this config file)"
                                            : " (the default: " + std::string(kSummaryTextsFileName) +
                                                  " beside the first question bank); copy config/" +
                                                  kSummaryTextsFileName + " there or set [summary] texts";
        read.error(texts_line, "[summary] texts: " + texts_file->string() + " does not exist" + fix);
    } else if (texts_file) {
        SummaryTextsLoad texts = load_summary_texts(*texts_file);
        for (const Diagnostic& d : texts.errors) errors.push_back(d);
        if (texts.texts) {
            c.summary_texts_file = *texts_file;
            c.summary_texts = std::move(*texts.texts);
        }
    }

    // [summary] publish_day, publish_time: when a week's results exist.
    const auto moment = [&](const toml::table* t, const std::string& where, const char* day_key, const char* time_key,
                            WeeklyMoment& out) {
        if (auto day = read.string(t, where, day_key, false)) {
            if (auto d = parse_weekday(*day)) out.day = *d;
            else read.error(toml_line_of(*t->get(day_key)), where + " " + day_key + " = \"" + *day +
                                                                 "\" is not one of \"monday\" .. \"sunday\"");
        }
        if (auto time = read.string(t, where, time_key, false)) {
            if (auto m = parse_hh_mm(*time)) out.minute = *m;
            else read.error(toml_line_of(*t->get(time_key)), where + " " + time_key + " = \"" + *time +
                                                                  "\" is not a time \"HH:MM\" (00:00..23:59)");
        }
    };
    moment(summary, "[summary]", "publish_day", "publish_time", c.publication);

    // The registry. A token is one identity per role: a terminal's token is
    // its own; a person may hold one token as IT and as a reader of results.
    std::map<std::string, std::vector<std::pair<std::string, int>>> hash_uses;  // hash -> (role, line)
    const auto unique_hash = [&](const std::optional<std::string>& h, const toml::table& t, const std::string& where) {
        if (!h) return false;
        const int line = toml_line_of(*t.get("token_sha256"));
        std::vector<std::pair<std::string, int>>& uses = hash_uses[*h];
        for (const auto& [role, used_line] : uses) {
            if (role == where || role == "[[terminal]]" || where == "[[terminal]]") {
                read.error(line, where + " token_sha256 is already used on line " + std::to_string(used_line) +
                                     (role == "[[terminal]]" || where == "[[terminal]]"
                                          ? "; a terminal's token is its own"
                                          : "; every entry of a role needs its own token"));
                return false;
            }
        }
        uses.emplace_back(where, line);
        return true;
    };
    // A person's optional API token: "" when the entry has none.
    const auto optional_hash = [&](const toml::table* t, const std::string& where) -> std::optional<std::string> {
        if (!t->contains("token_sha256")) return std::string();
        auto hash = read.token_hash(t, where);
        return unique_hash(hash, *t, where) ? hash : std::nullopt;
    };
    // A person's address signs them in, so it names one person per kind of
    // access: once among the readers of results ([[manager]], [[hr]]) and
    // once among [[admin]]. Compared without regard to case.
    std::map<std::string, std::pair<std::string, int>> readers_address, admins_address;  // lower-case -> (role, line)
    const auto address = [&](const toml::table* t, const std::string& where,
                             std::map<std::string, std::pair<std::string, int>>& seen) -> std::optional<std::string> {
        auto v = read.string(t, where, "email", true);
        if (!v) return std::nullopt;
        const int line = toml_line_of(*t->get("email"));
        if (!is_email_address(*v)) {
            read.error(line, where + " email = \"" + *v + "\" is not an e-mail address like \"leder@ishoj.dk\" "
                                                        "(a bare ASCII address, no name)");
            return std::nullopt;
        }
        std::string key = *v;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return std::tolower(ch); });
        auto [it, fresh] = seen.emplace(key, std::make_pair(where, line));
        if (!fresh) {
            read.error(line, where + " email = \"" + *v + "\" is already used by the " + it->second.first +
                                 " on line " + std::to_string(it->second.second) +
                                 "; one address signs in one person: give each entry its own");
            return std::nullopt;
        }
        return v;
    };
    const auto entries = [&](std::string_view name) {
        std::vector<const toml::table*> out;
        if (const toml::node* n = root.get(name); n && n->is_array_of_tables()) {
            for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
        }
        return out;
    };

    // [[workplace]]: the ids everything else names, each with its own name.
    std::map<std::string, int> workplace_line, workplace_name_line;
    for (const toml::table* t : entries("workplace")) {
        const std::string where = "[[workplace]]";
        auto id = read.name(t, where, "id");
        auto name = read.string(t, where, "name", true);
        if (id) {
            const int line = toml_line_of(*t->get("id"));
            auto [it, fresh] = workplace_line.emplace(*id, line);
            if (!fresh) {
                read.error(line, where + " id = \"" + *id + "\" is already used on line " + std::to_string(it->second));
                id.reset();
            }
        }
        if (name) {
            const int line = toml_line_of(*t->get("name"));
            if (name->empty()) {
                read.error(line, where + " name is empty; give the name managers know the workplace by");
                name.reset();
            } else if (auto [it, fresh] = workplace_name_line.emplace(*name, line); !fresh) {
                read.error(line, where + " name = \"" + *name + "\" is already used on line " +
                                     std::to_string(it->second) + "; give each workplace its own name");
                name.reset();
            }
        }
        if (id && name) c.workplace_entries.push_back({*id, *name});
    }
    // A workplace id named elsewhere must be a [[workplace]] of this file.
    const auto known_workplace = [&](const std::string& id, int line, const std::string& where) {
        if (workplace_line.count(id)) return true;
        read.error(line, where + " \"" + id + "\" is not the id of any [[workplace]] in this config; add "
                                "[[workplace]] id = \"" + id + "\" with its name, or correct the id");
        return false;
    };

    std::map<std::string, int> terminal_line;
    for (const toml::table* t : entries("terminal")) {
        const std::string where = "[[terminal]]";
        TerminalEntry e;
        auto id = read.name(t, where, "id");
        auto workplace = read.name(t, where, "workplace");
        auto hash = read.token_hash(t, where);
        if (id) {
            const int line = toml_line_of(*t->get("id"));
            auto [it, fresh] = terminal_line.emplace(*id, line);
            if (!fresh) {
                read.error(line, where + " id = \"" + *id + "\" is already used on line " + std::to_string(it->second));
                id.reset();
            }
        }
        if (workplace && !known_workplace(*workplace, toml_line_of(*t->get("workplace")), where + " workplace =")) {
            workplace.reset();
        }
        const bool hash_ok = unique_hash(hash, *t, where);
        if (id && workplace && hash_ok) c.terminals.push_back({*id, *workplace, *hash});
    }
    // A workplaces list: each a [[workplace]] id. nullopt (reported) when
    // absent but required, not an array of names, or empty.
    const auto workplace_list = [&](const toml::table* t, const std::string& where,
                                    bool required) -> std::optional<std::vector<std::string>> {
        if (!required && !t->contains("workplaces")) return std::vector<std::string>{};
        auto places = read.strings(t, where, "workplaces", true);
        if (!places) return std::nullopt;
        std::vector<std::string> out;
        bool ok = true;
        for (const auto& [w, line] : *places) {
            if (!is_url_safe_name(w)) {
                read.error(line, where + " workplaces: \"" + w + "\" may hold only A–Z a–z 0–9 . _ -");
                ok = false;
            } else if (!known_workplace(w, line, where + " workplaces:")) {
                ok = false;
            }
            out.push_back(w);
        }
        return ok ? std::optional<std::vector<std::string>>(std::move(out)) : std::nullopt;
    };
    for (const toml::table* t : entries("manager")) {
        const std::string where = "[[manager]]";
        auto name = read.string(t, where, "name", true);
        auto mail = address(t, where, readers_address);
        auto hash = optional_hash(t, where);
        auto places = workplace_list(t, where, true);
        if (name && mail && hash && places) c.managers.push_back({*name, *mail, *hash, std::move(*places)});
    }
    for (const toml::table* t : entries("hr")) {
        const std::string where = "[[hr]]";
        auto name = read.string(t, where, "name", true);
        auto mail = address(t, where, readers_address);
        auto hash = optional_hash(t, where);
        auto places = workplace_list(t, where, false);
        if (name && mail && hash && places) {
            HrEntry e{*name, *mail, *hash, std::nullopt};
            if (t->contains("workplaces")) e.workplaces = std::move(*places);
            c.hr.push_back(std::move(e));
        }
    }
    for (const toml::table* t : entries("admin")) {
        const std::string where = "[[admin]]";
        auto name = read.string(t, where, "name", true);
        auto mail = address(t, where, admins_address);
        auto hash = optional_hash(t, where);
        if (name && mail && hash) c.admins.push_back({*name, *mail, *hash});
    }

    // [email], last: its schedule is checked against the publication.
    if (const toml::table* email = table("email")) {
        read_email_config(read, *email, base_dir, c, warnings);
        // The e-mail sends the published week: not before its publication.
        const WeeklyMoment send = c.email ? c.email->schedule.moment() : WeeklyMoment{};
        const auto minutes = [](WeeklyMoment m) { return m.day * 24 * 60 + m.minute; };
        if (c.email && minutes(send) < minutes(c.publication)) {
            const toml::node* at = email->get("send_day") ? email->get("send_day") : email->get("send_time");
            read.error(at ? toml_line_of(*at) : toml_line_of(*email),
                       "[email] send_day/send_time (" + describe(send) + ") is before the week's publication ([summary] "
                       "publish_day/publish_time, " + describe(c.publication) + "); the e-mail sends the published "
                       "week, so send at or after it");
            c.email.reset();
        }
    }
    // [web], after [email]: a sign-in link needs a mail server.
    if (const toml::table* web = table("web")) read_web_config(read, *web, c);
}

}  // namespace

bool is_loopback_address(const std::string& host) {
    if (host == "localhost") return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
        return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;  // ::ffff:127.x.y.z
    }
    return false;  // another name: it may resolve to anything
}

const QuestionBank* CollectorConfig::find_bank(const std::string& version) const {
    for (const QuestionBank& b : banks) {
        if (b.version == version) return &b;
    }
    return nullptr;
}

std::vector<std::string> CollectorConfig::workplaces() const {
    std::vector<std::string> ids;
    for (const WorkplaceEntry& w : workplace_entries) ids.push_back(w.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string CollectorConfig::workplace_name(const std::string& id) const {
    for (const WorkplaceEntry& w : workplace_entries) {
        if (w.id == id) return w.name;
    }
    return id;
}

std::vector<std::string> CollectorConfig::managers_of(const std::string& workplace) const {
    std::vector<std::string> out;
    for (const ManagerEntry& m : managers) {
        if (std::find(m.workplaces.begin(), m.workplaces.end(), workplace) != m.workplaces.end()) {
            out.push_back(m.email);
        }
    }
    return out;
}

std::vector<std::string> CollectorConfig::managed_workplaces() const {
    std::vector<std::string> out;
    for (const std::string& w : workplaces()) {
        if (!managers_of(w).empty()) out.push_back(w);
    }
    return out;
}

const CollectorConfig::Overlay* CollectorConfig::overlay_for(const std::string& workplace) const {
    auto it = overlays.find(workplace);
    if (it == overlays.end()) it = overlays.find("default");
    return it == overlays.end() ? nullptr : &it->second;
}

namespace {

// The overlays folder beside the config: each file checked as a terminal
// checks it (parse_overlay), named for a [[workplace]] or "default".
void load_overlays(const fs::path& config_file, CollectorConfig& c, Diagnostics& errors) {
    const fs::path folder = config_file.parent_path() / "overlays";
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return;
    const std::vector<std::string> workplaces = c.workplaces();
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
        if (f.extension() != ".toml") continue;
        const std::string name = f.stem().string();
        if (name != "default" && std::find(workplaces.begin(), workplaces.end(), name) == workplaces.end()) {
            errors.push_back({f.string(), 0, "no [[workplace]] has the id '" + name +
                                                 "': name an overlay <workplace id>.toml, or default.toml for all"});
            continue;
        }
        const std::optional<std::string> bytes = read_file_bytes(f, "the overlay", errors);
        if (!bytes) continue;
        OverlayLoad o = parse_overlay(*bytes, f, c.banks.empty() ? nullptr : &c.banks.front());
        errors.insert(errors.end(), o.errors.begin(), o.errors.end());
        if (!o.overlay) continue;
        c.overlays[name] = CollectorConfig::Overlay{f, *bytes, "\"sha256:" + sha256_hex(*bytes).substr(0, 16) + "\"",
                                                    std::move(*o.overlay)};
    }
}

}  // namespace

CollectorConfigLoad load_collector_config(const fs::path& file) {
    CollectorConfigLoad load;
    CollectorConfig config;
    config.source = file;
    run_loader(file, "the collector config", load.errors, [&] {
        // Every week, day and e-mail time is Copenhagen's: without the zone
        // the collector would fail at its first summary, so say so now.
        if (const std::string problem = copenhagen_zone_problem(); !problem.empty()) {
            load.errors.push_back({file.string(), 0, problem});
        }
        std::optional<toml::table> root = parse_toml_file(file, "the collector config", load.errors);
        if (root) load_into(*root, file, config, load.errors, load.warnings);
        if (root && load.errors.empty()) load_overlays(file, config, load.errors);
    });
    if (load.errors.empty()) load.config = std::move(config);
    return load;
}

}  // namespace pulse
