// web_config.hpp — the [web] section of pulse-collector's config: the
// managers' browser pages (issue 11, docs/deployment.md "Browser pages").
// Where the pages are reached from outside (the links in e-mails), whether
// cookies are marked Secure, and the optional single sign-on header that a
// reverse proxy sets, honoured only from the proxy's own address.
#pragma once

#include "collector/config_reader.hpp"

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace pulse {

struct CollectorConfig;

// [web]: absent = no browser pages (only the /v1 API).
struct WebConfig {
    // "https://pulse.ishoj.dk": the pages as people reach them, no path, no
    // trailing '/'; the start of every link in a sign-in or weekly e-mail.
    std::string base_url;
    // Cookies carry Secure (the browser sends them only over HTTPS). false
    // only when base_url is http:// to this machine: the loopback tests.
    bool secure_cookies = true;
    // A header naming the signed-in person by e-mail address, set by a
    // single sign-on proxy: "X-Forwarded-Email", the one the nginx site
    // clears for everyone else (no other name is accepted); "" = none.
    // Honoured only on requests from an address in trusted_proxies.
    std::string trusted_header;
    // The addresses the collector sees its reverse proxy connect from
    // (usually nginx on this machine: "127.0.0.1"). Only their requests may
    // name a person (trusted_header) or the client's address (X-Real-IP,
    // for the sign-in rate limit). Empty: no request may.
    std::vector<std::string> trusted_proxies;
};

// [web] of table t, checked: base_url an http(s) URL with a host and no path
// or query (http:// only to this machine), secure_cookies = false only with
// an http:// loopback base_url, trusted_header "X-Forwarded-Email" (any case), trusted_proxies
// IP addresses and required with trusted_header, and at least one way to
// sign in: [email] (the e-mailed link) or trusted_header. Sets c.web when
// everything is right; every problem goes to read's errors with its line.
// Call after [email] is read.
void read_web_config(ConfigReader& read, const toml::table& t, CollectorConfig& c);

}  // namespace pulse
