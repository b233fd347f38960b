// url.hpp — URLs as Pulse reads them from config: picked apart by libcurl's
// URL API (curl_url), loopback hosts recognised with inet_pton, and any URL
// shown in a message without its password.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// The parts of an absolute URL. Absent parts are empty; host has no
// brackets ("::1"); path is "/" when the URL has none.
struct UrlParts {
    std::string scheme;    // lower case: "https", "smtps", "postgresql"
    std::string user;      // "" when the URL holds no user info
    bool has_password = false;
    std::string host;
    std::string port;      // as written, "" when none
    std::string path;
    std::string query;
};

// What parse_url found: the parts, or why not (libcurl's reason, never the
// URL itself, which may hold a password).
struct UrlParse {
    std::optional<UrlParts> parts;
    std::string why;         // set when parts is empty
    bool no_host = false;    // "smtps://": no host name
    std::string bad_port;    // a port outside 0..65535, as written (for the message)
};

// url read by curl_url (any scheme).
UrlParse parse_url(const std::string& url);

// True for "localhost", an IPv4 address in 127.0.0.0/8 and "::1" (with or
// without brackets): a host whose traffic never leaves this machine.
bool is_loopback_host(std::string_view host);

// url for a log or an error message: the password of its user info and
// every password=… query parameter replaced. libpq's own URL forms, which
// curl_url refuses (an empty host for a Unix socket, "h1,h2" host lists, an
// '@' inside the password), are redacted the same way: everything between
// the first ':' of the user info and its last '@' goes.
std::string url_without_password(const std::string& url);

}  // namespace pulse
