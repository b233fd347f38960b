// email_config.cpp — reads and checks [email] (see email_config.hpp).
#include "collector/email/email_config.hpp"

#include "collector/config.hpp"
#include "common/secret_file.hpp"
#include "common/url.hpp"

#include <algorithm>
#include <fstream>

namespace pulse {

namespace fs = std::filesystem;

void read_email_config(ConfigReader& read, const toml::table& t, const fs::path& base_dir, CollectorConfig& c,
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
        const fs::path path = resolve_config_path(base_dir, *file);
        email.password_file = path;
        const SecretFile secret = read_secret_file(path);
        std::string text = secret.text;
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        if (secret.status == SecretFile::Status::not_a_file) {
            fail(line, where + " password_file: " + path.string() + " does not exist or is not a file; put the SMTP "
                               "password there (one line)");
        } else if (secret.status == SecretFile::Status::unreadable) {
            fail(line, where + " password_file: cannot read " + path.string() + " (check its owner and permissions)");
        } else if (secret.status == SecretFile::Status::too_large || text.empty() ||
                   text.find_first_of("\r\n") != std::string::npos) {
            fail(line, where + " password_file: " + path.string() + " must hold the password on one line");
        } else {
            email.password = text;
            if (secret.readable_by_others) {
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
        const fs::path path = resolve_config_path(base_dir, *ca);
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

    // [email.recipients] was where the addresses lived before the registry
    // held them: say where they go now rather than ignore them.
    if (const toml::node* rn = t.get("recipients")) {
        fail(toml_line_of(*rn), "[email.recipients] is no longer read: each workplace's e-mail goes to its managers, "
                                "the email of each [[manager]] that lists the workplace; move the addresses there "
                                "(docs/email.md)");
    }
    if (ok) c.email = std::move(email);
}

}  // namespace pulse
