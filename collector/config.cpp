// collector_config.cpp — reads and checks pulse-collector's TOML config.
// Every key is declared once (kTables, kArrayKeys) with its type and range;
// anything else in the file is reported with its line.
#include "collector/config.hpp"

#include "common/url.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace pulse {
namespace {

namespace fs = std::filesystem;

// [SECTION] Schema

// Plain tables and the keys each may hold.
const std::map<std::string, std::vector<std::string>, std::less<>> kTables = {
    {"server", {"listen", "port"}},
    {"storage", {"database", "max_age_days"}},
    {"anonymity", {"min_answers"}},
    {"bank", {"questions"}},
    {"email", {"smtp_url", "starttls", "username", "password_file", "ca_file", "sender", "send_day", "send_time",
               "language", "recipients"}},
};

// Arrays of tables ([[terminal]] …) and the keys each entry may hold.
const std::map<std::string, std::vector<std::string>, std::less<>> kArrays = {
    {"terminal", {"id", "workplace", "token_sha256"}},
    {"manager", {"name", "token_sha256", "workplaces"}},
    {"admin", {"name", "token_sha256"}},
};

bool is_url_safe_name(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    });
}

// [SECTION] Reader: typed keys of one table, every problem as "[where] key …"

class Reader {
public:
    Reader(std::string file, Diagnostics& errors) : file_(std::move(file)), errors_(errors) {}

    void error(int line, std::string message) { errors_.push_back({file_, line, std::move(message)}); }

    // t may be null (table absent): then required keys are reported at line 0.
    std::optional<std::string> string(const toml::table* t, const std::string& where, std::string_view key,
                                      bool required) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) {
            if (required) error(t ? toml_line_of(*t) : 0, where + " " + std::string(key) + " is missing");
            return std::nullopt;
        }
        if (const auto* v = n->as_string()) return v->get();
        error(toml_line_of(*n), where + " " + std::string(key) + " must be a string (in quotes), not " +
                                    toml_type_name(*n));
        return std::nullopt;
    }

    std::optional<int> integer(const toml::table* t, const std::string& where, std::string_view key, int lo,
                               int hi) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) return std::nullopt;
        const auto* v = n->as_integer();
        if (!v) {
            error(toml_line_of(*n), where + " " + std::string(key) + " must be a whole number, not " +
                                        toml_type_name(*n));
            return std::nullopt;
        }
        if (v->get() < lo || v->get() > hi) {
            error(toml_line_of(*n), where + " " + std::string(key) + " = " + std::to_string(v->get()) +
                                        " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
            return std::nullopt;
        }
        return static_cast<int>(v->get());
    }

    // An array of non-empty strings (at least one).
    std::optional<std::vector<std::pair<std::string, int>>> strings(const toml::table* t, const std::string& where,
                                                                    std::string_view key, bool required) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) {
            if (required) error(t ? toml_line_of(*t) : 0, where + " " + std::string(key) + " is missing");
            return std::nullopt;
        }
        const auto* arr = n->as_array();
        if (!arr) {
            error(toml_line_of(*n), where + " " + std::string(key) + " must be an array of strings, not " +
                                        toml_type_name(*n));
            return std::nullopt;
        }
        std::vector<std::pair<std::string, int>> out;
        for (const toml::node& item : *arr) {
            const auto* s = item.as_string();
            if (!s || s->get().empty()) {
                error(toml_line_of(item), where + " " + std::string(key) + " must hold non-empty strings only");
                return std::nullopt;
            }
            out.emplace_back(s->get(), toml_line_of(item));
        }
        if (out.empty()) {
            error(toml_line_of(*n), where + " " + std::string(key) + " is empty; give at least one");
            return std::nullopt;
        }
        return out;
    }

    // A token hash: 64 lower-case hex digits.
    std::optional<std::string> token_hash(const toml::table* t, const std::string& where) {
        auto h = string(t, where, "token_sha256", true);
        if (h && !is_sha256_hex(*h)) {
            error(toml_line_of(*t->get("token_sha256")),
                  where + " token_sha256 must be 64 lower-case hex digits (the SHA-256 of the token; "
                          "`pulse-collector token new` prints one)");
            return std::nullopt;
        }
        return h;
    }

    // A name for URLs: [A-Za-z0-9._-]+.
    std::optional<std::string> name(const toml::table* t, const std::string& where, std::string_view key) {
        auto v = string(t, where, key, true);
        if (v && !is_url_safe_name(*v)) {
            error(toml_line_of(*t->get(key)), where + " " + std::string(key) + " = \"" + *v +
                                                  "\" may hold only A–Z a–z 0–9 . _ -");
            return std::nullopt;
        }
        return v;
    }

private:
    std::string file_;
    Diagnostics& errors_;
};

fs::path resolve(const fs::path& base_dir, const fs::path& p) {
    const fs::path joined = p.is_absolute() ? p : base_dir / p;
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(joined, ec);
    return ec ? joined.lexically_normal() : resolved;
}

// [SECTION] Loader

// [SECTION] [email]

// [email] and [email.recipients], checked: the URL's scheme (plain smtp://
// only to this machine or with STARTTLS), the password file (exists, one
// line; readable by others is a warning), addresses, the send day and time,
// every recipient workplace known to the config (so call after the registry).
void read_email(Reader& read, const toml::table& t, const fs::path& base_dir, CollectorConfig& c,
                Diagnostics& warnings) {
    const std::string where = "[email]";
    EmailConfig email;
    bool ok = true;
    const auto line_of = [&](std::string_view key) { return toml_line_of(*t.get(key)); };
    const auto fail = [&](int line, const std::string& message) {
        read.error(line, message);
        ok = false;
    };

    // starttls first: the URL rule depends on it.
    if (const toml::node* n = t.get("starttls")) {
        if (const auto* b = n->as_boolean()) email.starttls = b->get();
        else fail(toml_line_of(*n), where + " starttls must be true or false, not " + toml_type_name(*n));
    }
    if (auto url = read.string(&t, where, "smtp_url", true)) {
        const int line = line_of("smtp_url");
        const UrlParse parsed = parse_url(*url);
        const std::optional<UrlParts>& a = parsed.parts;
        const bool smtps = url->rfind("smtps://", 0) == 0, smtp = url->rfind("smtp://", 0) == 0;
        const bool userinfo = a ? !a->user.empty() || a->has_password : url->find('@') != std::string::npos;
        // Not the URL itself when it holds user info: that would put the password in the log.
        const std::string shown = where + " smtp_url = \"" + (userinfo ? "…" : *url) + "\"";
        if (!smtps && !smtp) {
            fail(line, shown + " must start with smtps:// (or smtp:// with starttls = true)");
        } else if (userinfo) {
            // Not `shown`: the URL itself would put the password in the log.
            fail(line, where + " smtp_url holds a user name or password (before '@'); put them in username and "
                             "password_file instead");
        } else if (!a && !parsed.bad_port.empty()) {
            fail(line, shown + " has port \"" + parsed.bad_port + "\"; give 1..65535 or leave it out");
        } else if (parsed.no_host || (a && a->host.empty())) {
            fail(line, shown + " has no host name");
        } else if (!a) {
            fail(line, shown + " is not a URL: " + parsed.why);
            fail(line, shown + " has no host name");
        } else if (a->port == "0") {
            fail(line, shown + " has port \"0\"; give 1..65535 or leave it out");
        } else if (a->path != "/" || !a->query.empty()) {
            fail(line, shown + " has a path; give only smtps://host[:port]");
        } else if (smtps && email.starttls) {
            fail(line_of("starttls"), where + " starttls = true applies only to smtp:// URLs; smtps:// is TLS already");
        } else if (smtp && !email.starttls && !is_loopback_host(a->host)) {
            fail(line, shown + " sends the summaries unencrypted to another machine; use smtps://, or set "
                               "starttls = true (plain smtp:// is only for 127.0.0.1, ::1 or localhost)");
        } else {
            std::string u = *url;
            while (!u.empty() && u.back() == '/') u.pop_back();
            email.smtp_url = u;
        }
    } else {
        ok = false;
    }

    if (auto user = read.string(&t, where, "username", false)) {
        if (user->empty()) fail(line_of("username"), where + " username is empty; leave it out for no login");
        else email.username = *user;
    }
    if (auto file = read.string(&t, where, "password_file", false)) {
        const int line = line_of("password_file");
        const fs::path path = resolve(base_dir, *file);
        email.password_file = path;
        std::error_code ec;
        std::ifstream in(path, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        if (!fs::is_regular_file(path, ec)) {
            fail(line, where + " password_file: " + path.string() + " does not exist or is not a file; put the SMTP "
                               "password there (one line)");
        } else if (!in && text.empty()) {
            fail(line, where + " password_file: cannot read " + path.string() + " (check its owner and permissions)");
        } else if (text.empty() || text.find_first_of("\r\n") != std::string::npos) {
            fail(line, where + " password_file: " + path.string() + " must hold the password on one line");
        } else {
            email.password = text;
            const fs::perms p = fs::status(path, ec).permissions();
            if (!ec && (p & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none) {
                warnings.push_back({c.source.string(), line, where + " password_file " + path.string() +
                                                              " can be read by other users; restrict it: chmod 600 " +
                                                              path.string()});
            }
        }
        if (email.username.empty() && !t.get("username")) {
            fail(line, where + " password_file is set but username is not; give both or neither");
        }
    } else if (!email.username.empty()) {
        fail(line_of("username"), where + " username is set but password_file is not; give both or neither");
    }
    if (auto ca = read.string(&t, where, "ca_file", false)) {
        const fs::path path = resolve(base_dir, *ca);
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) {
            fail(line_of("ca_file"), where + " ca_file: " + path.string() + " does not exist or is not a file");
        } else {
            email.ca_file = path;
        }
    }
    if (auto sender = read.string(&t, where, "sender", true)) {
        if (auto box = parse_mailbox(*sender)) email.sender = *box;
        else fail(line_of("sender"), where + " sender = \"" + *sender + "\" is not an address like "
                                     "\"pulse@ishoj.dk\" or \"Pulse <pulse@ishoj.dk>\" (ASCII address)");
    } else {
        ok = false;
    }
    if (auto day = read.string(&t, where, "send_day", false)) {
        if (auto d = parse_weekday(*day)) email.schedule.send_day = *d;
        else fail(line_of("send_day"), where + " send_day = \"" + *day + "\" is not one of \"monday\" .. \"sunday\"");
    }
    if (auto time = read.string(&t, where, "send_time", false)) {
        if (auto m = parse_hh_mm(*time)) email.schedule.send_minute = *m;
        else fail(line_of("send_time"), where + " send_time = \"" + *time + "\" is not a time HH:MM from 00:00 to 23:59 "
                                        "(Copenhagen time)");
    }
    if (auto lang = read.string(&t, where, "language", false)) {
        if (*lang == "da" || *lang == "en") email.language = *lang;
        else fail(line_of("language"), where + " language = \"" + *lang + "\" is not \"da\" or \"en\"");
    }

    // [email.recipients]: workplace = ["address", …].
    const toml::node* rn = t.get("recipients");
    const toml::table* recipients = rn ? rn->as_table() : nullptr;
    if (!rn) {
        fail(toml_line_of(t), "[email.recipients] is missing; list each workplace's managers, e.g. "
                              "wp-a = [\"leder@ishoj.dk\"]");
    } else if (!recipients) {
        fail(toml_line_of(*rn), where + " recipients must be a table [email.recipients], not " + toml_type_name(*rn));
    } else {
        const std::vector<std::string> known = c.workplaces();
        for (const auto& [key, node] : *recipients) {
            const std::string workplace(key.str());
            const std::string at = "[email.recipients] " + workplace;
            if (std::find(known.begin(), known.end(), workplace) == known.end()) {
                fail(toml_line_of(node), at + " is not a workplace of any [[terminal]] or [[manager]] in this config");
                continue;
            }
            auto list = read.strings(recipients, "[email.recipients]", workplace, true);
            if (!list) {
                ok = false;
                continue;
            }
            std::vector<std::string> addresses;
            for (const auto& [address, line] : *list) {
                if (!is_email_address(address)) {
                    fail(line, at + ": \"" + address + "\" is not an e-mail address like \"leder@ishoj.dk\" "
                                   "(a bare ASCII address, no name)");
                } else if (std::find(addresses.begin(), addresses.end(), address) != addresses.end()) {
                    fail(line, at + ": \"" + address + "\" is listed twice");
                } else {
                    addresses.push_back(address);
                }
            }
            email.recipients[workplace] = std::move(addresses);
        }
        if (recipients->empty()) fail(toml_line_of(*rn), "[email.recipients] is empty; name at least one workplace");
    }
    if (ok) c.email = std::move(email);
}

void load_into(const toml::table& root, const fs::path& file, CollectorConfig& c, Diagnostics& errors,
               Diagnostics& warnings) {
    Reader read(file.string(), errors);
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
                                               "[anonymity], [bank], [email], [[terminal]], [[manager]], [[admin]])");
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

    // [storage]
    if (auto v = read.string(table("storage"), "[storage]", "database", true)) {
        if (v->empty()) {
            read.error(toml_line_of(*table("storage")->get("database")),
                       "[storage] database is empty; give a file path or a postgresql:// URL");
        } else if (v->rfind("postgresql://", 0) == 0 || v->rfind("postgres://", 0) == 0) {
            c.database = *v;
        } else {
            c.database = resolve(base_dir, *v).string();
        }
    }
    if (auto v = read.integer(table("storage"), "[storage]", "max_age_days", 1, 3650)) c.max_age_days = *v;

    // [anonymity]
    if (auto v = read.integer(table("anonymity"), "[anonymity]", "min_answers", 1, 1000)) c.min_answers = *v;

    // [bank]: each file loaded; a version named twice is ambiguous.
    if (auto files = read.strings(table("bank"), "[bank]", "questions", true)) {
        std::map<std::string, int> version_line;
        for (const auto& [name, line] : *files) {
            const fs::path path = resolve(base_dir, name);
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

    // The registry. Token hashes are unique across every role: one token, one identity.
    std::map<std::string, int> hash_line;
    const auto unique_hash = [&](const std::optional<std::string>& h, const toml::table& t, const std::string& where) {
        if (!h) return false;
        const int line = toml_line_of(*t.get("token_sha256"));
        auto [it, fresh] = hash_line.emplace(*h, line);
        if (!fresh) {
            read.error(line, where + " token_sha256 is already used on line " + std::to_string(it->second) +
                                 "; every terminal, manager and admin needs its own token");
        }
        return fresh;
    };
    const auto entries = [&](std::string_view name) {
        std::vector<const toml::table*> out;
        if (const toml::node* n = root.get(name); n && n->is_array_of_tables()) {
            for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
        }
        return out;
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
        const bool hash_ok = unique_hash(hash, *t, where);
        if (id && workplace && hash_ok) c.terminals.push_back({*id, *workplace, *hash});
    }
    for (const toml::table* t : entries("manager")) {
        const std::string where = "[[manager]]";
        auto name = read.string(t, where, "name", true);
        auto hash = read.token_hash(t, where);
        auto places = read.strings(t, where, "workplaces", true);
        ManagerEntry e;
        bool places_ok = places.has_value();
        if (places) {
            for (const auto& [w, line] : *places) {
                if (!is_url_safe_name(w)) {
                    read.error(line, where + " workplaces: \"" + w + "\" may hold only A–Z a–z 0–9 . _ -");
                    places_ok = false;
                }
                e.workplaces.push_back(w);
            }
        }
        const bool hash_ok = unique_hash(hash, *t, where);
        if (name && hash_ok && places_ok) {
            e.name = *name;
            e.token_sha256 = *hash;
            c.managers.push_back(std::move(e));
        }
    }
    for (const toml::table* t : entries("admin")) {
        const std::string where = "[[admin]]";
        auto name = read.string(t, where, "name", true);
        auto hash = read.token_hash(t, where);
        const bool hash_ok = unique_hash(hash, *t, where);
        if (name && hash_ok) c.admins.push_back({*name, *hash});
    }

    // [email], last: its recipients must name workplaces of the registry.
    if (const toml::table* email = table("email")) read_email(read, *email, base_dir, c, warnings);
}

}  // namespace

bool is_sha256_hex(const std::string& text) {
    return text.size() == 64 &&
           std::all_of(text.begin(), text.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

const QuestionBank* CollectorConfig::find_bank(const std::string& version) const {
    for (const QuestionBank& b : banks) {
        if (b.version == version) return &b;
    }
    return nullptr;
}

std::vector<std::string> CollectorConfig::workplaces() const {
    std::set<std::string> all;
    for (const TerminalEntry& t : terminals) all.insert(t.workplace);
    for (const ManagerEntry& m : managers) all.insert(m.workplaces.begin(), m.workplaces.end());
    return {all.begin(), all.end()};
}

CollectorConfigLoad load_collector_config(const fs::path& file) {
    CollectorConfigLoad load;
    CollectorConfig config;
    config.source = file;
    run_loader(file, "the collector config", load.errors, [&] {
        std::optional<toml::table> root = parse_toml_file(file, "the collector config", load.errors);
        if (root) load_into(*root, file, config, load.errors, load.warnings);
    });
    if (load.errors.empty()) load.config = std::move(config);
    return load;
}

}  // namespace pulse
