// cmd_provision.cpp — `pulse-kiosk provision`: writes a terminal's config
// (kiosk.toml) and token file from the command line that `pulse-collector
// terminal add` printed, both atomically; checks what it wrote as `check`
// does; and asks the collector which terminal the token belongs to
// (/v1/terminal, which stores nothing). One line on stdout says what it
// found (docs/deployment.md, "Provisioning a terminal").
#include "kiosk/commands.hpp"
#include "common/pin_hash.hpp"

#include "common/replace_file.hpp"
#include "common/secret_file.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <istream>
#include <ostream>
#include <sstream>

namespace pulse {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxTokenBytes = 4096;  // as the config's token_file check (read_secret_file)

// text as a TOML basic string, quotes included.
std::string toml_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// Shortest text that reads back as the same double ("23.8").
std::string format_number(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// p absolute and without "." or ".." (the written config must not depend on
// the folder provision ran in).
fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    const fs::path a = fs::absolute(p, ec);
    return (ec ? p : a).lexically_normal();
}

// The config file's text: a function of the options alone, so the same
// command line gives the same bytes.
std::string config_text(const ProvisionOptions& o, const std::string& endpoint, const fs::path& token_file) {
    std::string t;
    t += "# kiosk.toml — this terminal's config, written by `pulse-kiosk provision` (docs/deployment.md,\n"
         "# \"Provisioning a terminal\"). Every key: config/terminal.example.toml. Check it after an\n"
         "# edit: pulse-kiosk check --config " + (absolute_normal(o.config_dir) / "kiosk.toml").string() + "\n";
    t += "\n[terminal]\nid = " + toml_quoted(o.terminal_id) + "\nworkplace = " + toml_quoted(o.workplace) +
         "\nlanguage = " + toml_quoted(o.language) + "\n";
    t += "\n[pulse]\nquestions = " + toml_quoted((absolute_normal(o.share_dir) / "questions.toml").string()) + "\n";
    t += "\n[storage]\ndatabase = " + toml_quoted((absolute_normal(o.state_dir) / "answers.sqlite3").string()) + "\n";
    t += "\n[display]\ndiagonal_inch = " + format_number(o.diagonal_inch) + "\n";
    if (o.rotation) t += "rotation = " + std::to_string(*o.rotation) + "\n";
    t += "\n[upload]\nendpoint = " + toml_quoted(endpoint) + "\ntoken_file = " + toml_quoted(token_file.string()) + "\n";
    if (!o.admin_pin_hash.empty()) t += "\n[admin]\npin_hash = " + toml_quoted(o.admin_pin_hash) + "\n";
    return t;
}

// The token from --token-file: "-" reads token_in (stdin), else the file at
// that path. One line: a final "\n" (or "\r\n") is dropped; what is left
// must be printable ASCII without spaces, as the config's token_file check
// wants. nullopt with *why (naming the option) otherwise.
std::optional<std::string> read_token(const std::string& source, std::istream& token_in, std::string* why) {
    std::string text;
    if (source == "-") {
        char c = 0;
        while (text.size() <= kMaxTokenBytes && token_in.get(c)) text += c;
    } else {
        const SecretFile file = read_secret_file(source, kMaxTokenBytes);
        if (file.status == SecretFile::Status::not_a_file) {
            *why = "--token-file: " + source + " does not exist or is not a file (give - to read the token from stdin)";
            return std::nullopt;
        }
        if (file.status == SecretFile::Status::unreadable) {
            *why = "--token-file: cannot read " + source + " (check its owner and permissions)";
            return std::nullopt;
        }
        text = file.status == SecretFile::Status::too_large ? std::string(kMaxTokenBytes + 1, 'x') : file.text;
    }
    const std::string from = source == "-" ? "stdin" : source;
    if (text.size() > kMaxTokenBytes) {
        *why = "--token-file: " + from + " holds more than " + std::to_string(kMaxTokenBytes) + " bytes; a token is one short line";
        return std::nullopt;
    }
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty()) {
        *why = "--token-file: the token from " + from + " is empty; pipe in the line `pulse-collector terminal add` printed";
        return std::nullopt;
    }
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    if (!printable) {
        *why = "--token-file: the token from " + from + " holds a space, line break or control character (or "
               "non-ASCII); it must be exactly one line of printable characters";
        return std::nullopt;
    }
    return text;
}

// Who the token file is for: nullopt keeps this process's user as its owner
// (not root, or --user is this user); else the user's uid and group. False
// with *why when, as root, the user does not exist.
bool token_owner(const std::string& user, std::optional<std::pair<uid_t, gid_t>>* owner, std::string* why) {
    owner->reset();
    if (::geteuid() != 0) return true;
    const passwd* me = ::getpwuid(::geteuid());
    if (me && user == me->pw_name) return true;
    const passwd* pw = ::getpwnam(user.c_str());
    if (!pw) {
        *why = "--user: there is no user '" + user + "' on this machine to own the token file; create the kiosk's "
               "service user first (adduser --system " + user + "), or name it with --user";
        return false;
    }
    *owner = std::make_pair(pw->pw_uid, pw->pw_gid);
    return true;
}

// Writes text to path atomically (common/replace_file.hpp) with mode (and
// owner, when given): a reader sees the old file or the new one, never a
// part. False with *error, which hints at root or --config-dir when the
// folder is not writable.
bool write_atomically(const fs::path& path, const std::string& text, mode_t mode,
                      const std::optional<std::pair<uid_t, gid_t>>& owner, std::string* error) {
    const ReplaceFile r = replace_file(path, text, mode, owner);
    if (r.outcome == ReplaceFile::Outcome::replaced && r.folder_synced) return true;
    *error = r.error + (r.error.find(std::strerror(EACCES)) != std::string::npos ? " (run as root, or give --config-dir)" : "");
    return false;
}

// What the collector said about the token, for the line: ok when it named
// the given terminal and workplace.
struct EndpointCheck {
    bool ok = false;
    std::string said;  // "https://… accepted the token for ishoj-1 in raadhus", or what failed
};

// Asks endpoint which terminal the token belongs to (docs/protocol.md,
// "Which terminal a token is") and compares with the given id and workplace.
EndpointCheck check_endpoint(HttpClient& http, const std::string& endpoint, const std::string& token,
                             const std::string& id, const std::string& workplace) {
    // The terminal's HTTP seam only posts; the route answers POST as GET.
    const HttpResponse r = http.post({endpoint + "/v1/terminal", {{"Authorization", "Bearer " + token}}, ""});
    if (r.transport_failed()) return {false, endpoint + " could not be reached: " + r.transport_message};
    const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    std::string message;
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
        message = body["error"].get<std::string>().substr(0, 200);
    }
    const std::string status = "HTTP " + std::to_string(r.status) + (message.empty() ? "" : ": " + message);
    if (r.status == 401 || r.status == 403) return {false, endpoint + " refused the token (" + status + ")"};
    if (r.status == 404) {
        return {false, endpoint + " has no /v1/terminal (" + status + "): is it a Pulse collector, and up to date?"};
    }
    if (r.status != 200) return {false, endpoint + " answered " + status + " to /v1/terminal"};
    if (!body.is_object() || !body.contains("terminal") || !body["terminal"].is_string() ||
        !body.contains("workplace") || !body["workplace"].is_string()) {
        return {false, endpoint + " answered 200 to /v1/terminal, but not as a Pulse collector does"};
    }
    const std::string their_id = body["terminal"], their_workplace = body["workplace"];
    if (their_id != id || their_workplace != workplace) {
        return {false, endpoint + " knows this token as terminal " + their_id + " in " + their_workplace + ", not " +
                           id + " in " + workplace + ": the token or --id/--workplace is wrong"};
    }
    return {true, endpoint + " accepted the token for " + id + " in " + workplace};
}

}  // namespace

int cmd_provision(const ProvisionOptions& o, std::istream& token_in, HttpClient& http, std::ostream& out,
                  std::ostream& err) {
    // [SECTION] Inputs, all checked before anything is written
    const auto refuse = [&](const std::string& why) {
        err << "pulse-kiosk provision: " << why << "\n";
        return kExitBadConfig;
    };
    const std::string url_safe = " may only contain A–Z, a–z, 0–9, '.', '_' and '-' (it becomes part of URLs)";
    for (const auto& [option, value] : {std::pair<std::string, std::string>{"--id", o.terminal_id},
                                        {"--workplace", o.workplace},
                                        {"--endpoint", o.endpoint},
                                        {"--token-file", o.token_file}}) {
        if (value.empty()) return refuse(option + " is required (pulse-kiosk provision --help)");
    }
    if (!is_url_safe_id(o.terminal_id)) return refuse("--id: '" + o.terminal_id + "'" + url_safe);
    if (!is_url_safe_id(o.workplace)) return refuse("--workplace: '" + o.workplace + "'" + url_safe);
    std::string why;
    const std::optional<std::string> endpoint = checked_upload_endpoint(o.endpoint, &why);
    if (!endpoint) return refuse("--endpoint: '" + o.endpoint + "' " + why);
    if (std::find(kLanguages.begin(), kLanguages.end(), o.language) == kLanguages.end()) {
        return refuse("--language: '" + o.language + "' is not da or en");
    }
    if (o.rotation && *o.rotation != 0 && *o.rotation != 90 && *o.rotation != 180 && *o.rotation != 270) {
        return refuse("--rotation: " + std::to_string(*o.rotation) + " is not one of 0, 90, 180, 270");
    }
    if (!(o.diagonal_inch >= 5 && o.diagonal_inch <= 150)) {
        return refuse("--diagonal-inch: " + format_number(o.diagonal_inch) + " is out of range (5..150 inches)");
    }
    if (!o.admin_pin_hash.empty() && !is_pin_hash(o.admin_pin_hash, &why)) {
        return refuse("--admin-pin-hash: '" + o.admin_pin_hash + "' " + why);
    }
    const std::optional<std::string> token = read_token(o.token_file, token_in, &why);
    if (!token) return refuse(why);
    std::optional<std::pair<uid_t, gid_t>> owner;
    if (!token_owner(o.user, &owner, &why)) return refuse(why);

    // [SECTION] The two files: the token first, so the config never names a missing one
    const fs::path config_dir = absolute_normal(o.config_dir);
    const fs::path config_file = config_dir / "kiosk.toml";
    const fs::path token_file = config_dir / "token";
    std::error_code ec;
    fs::create_directories(config_dir, ec);
    if (ec) {
        err << "pulse-kiosk provision: --config-dir: cannot create " << config_dir.string() << ": " << ec.message() << "\n";
        return kExitFailure;
    }
    std::string error;
    if (!write_atomically(token_file, *token + "\n", 0600, owner, &error) ||
        !write_atomically(config_file, config_text(o, *endpoint, token_file), 0644, std::nullopt, &error)) {
        err << "pulse-kiosk provision: " << error << "\n";
        return kExitFailure;
    }

    // [SECTION] What was written, checked as `check` does; the endpoint asked
    std::ostringstream check_out;  // its "ok" line: the one line below says it
    const bool config_ok = cmd_check(config_file, check_out, err) == kExitOk;
    const EndpointCheck endpoint_check = check_endpoint(http, *endpoint, *token, o.terminal_id, o.workplace);
    out << "provisioned " << o.terminal_id << " (workplace " << o.workplace << ") in " << config_file.string() << ": "
        << (config_ok ? "config OK" : "config has errors (above)") << "; " << endpoint_check.said << "\n";
    if (!config_ok) return kExitBadConfig;
    return endpoint_check.ok ? kExitOk : kExitFailure;
}

}  // namespace pulse
