// web_config.cpp — reads and checks [web] (see web_config.hpp).
#include "collector/web/web_config.hpp"

#include "collector/config.hpp"
#include "common/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace pulse {
namespace {

std::string to_lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return text;
}

bool is_ip_address(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace

void read_web_config(ConfigReader& read, const toml::table& t, CollectorConfig& c) {
    const std::string where = "[web]";
    WebConfig web;
    bool ok = true;
    const auto fail = [&](int line, const std::string& message) {
        read.error(line, message);
        ok = false;
    };
    const auto line_of = [&](std::string_view key) { return t.get(key) ? toml_line_of(*t.get(key)) : toml_line_of(t); };

    bool http_loopback = false;
    if (auto url = read.string(&t, where, "base_url", true)) {
        const UrlParse parsed = parse_url(*url);
        const std::string shown = where + " base_url = \"" + url_without_password(*url) + "\"";
        const bool https = url->rfind("https://", 0) == 0, http = url->rfind("http://", 0) == 0;
        if (!https && !http) {
            fail(line_of("base_url"), shown + " must start with https:// (the address managers open, e.g. "
                                              "\"https://pulse.ishoj.dk\")");
        } else if (!parsed.parts || parsed.parts->host.empty()) {
            fail(line_of("base_url"), shown + " is not a URL with a host name" +
                                          (parsed.why.empty() ? "" : ": " + parsed.why));
        } else if (!parsed.parts->user.empty() || parsed.parts->has_password) {
            fail(line_of("base_url"), where + " base_url holds a user name or password (before '@'); leave them out");
        } else if (parsed.parts->path != "/" || !parsed.parts->query.empty()) {
            fail(line_of("base_url"), shown + " has a path or query; give only https://host[:port], the pages "
                                              "are served from its root");
        } else if (http && !is_loopback_host(parsed.parts->host)) {
            fail(line_of("base_url"), shown + " is plain http:// to another machine: sign-in links and session "
                                              "cookies would travel unencrypted; use https://");
        } else {
            http_loopback = http;
            std::string u = *url;
            while (!u.empty() && u.back() == '/') u.pop_back();
            web.base_url = u;
        }
    } else {
        ok = false;
    }

    if (const toml::node* n = t.get("secure_cookies")) {
        if (const auto* b = n->as_boolean()) {
            web.secure_cookies = b->get();
            if (!web.secure_cookies && !web.base_url.empty() && !http_loopback) {
                fail(toml_line_of(*n), where + " secure_cookies = false is only for tests on this machine "
                                              "(base_url http://127.0.0.1:…); with " + web.base_url +
                                              " the session cookie must be Secure: remove the line");
            }
        } else {
            fail(toml_line_of(*n), where + " secure_cookies must be true or false, not " + toml_type_name(*n));
        }
    }

    if (auto header = read.string(&t, where, "trusted_header", false)) {
        const bool token = !header->empty() && std::all_of(header->begin(), header->end(), [](unsigned char ch) {
            return std::isalnum(ch) || ch == '-';
        });
        if (!token) {
            fail(line_of("trusted_header"), where + " trusted_header = \"" + *header +
                                                "\" is not a header name (letters, digits and '-', e.g. "
                                                "\"X-Forwarded-Email\")");
        } else if (to_lower(*header) != "x-forwarded-email") {
            fail(line_of("trusted_header"), where + " trusted_header = \"" + *header +
                                                "\": only \"X-Forwarded-Email\" is supported, the header the nginx "
                                                "site (config/nginx/pulse-collector.conf) clears for everyone but the "
                                                "sign-on proxy; any other would reach the collector as the client sent it");
        } else {
            web.trusted_header = *header;
        }
    }
    if (t.contains("trusted_proxies")) {
        if (auto proxies = read.strings(&t, where, "trusted_proxies", true)) {
            for (const auto& [address, line] : *proxies) {
                if (!is_ip_address(address)) {
                    fail(line, where + " trusted_proxies: \"" + address + "\" is not an IP address (like "
                                       "\"127.0.0.1\"): give the address the collector sees the proxy connect from");
                } else {
                    web.trusted_proxies.push_back(address);
                }
            }
        } else {
            ok = false;
        }
    }
    if (!web.trusted_header.empty() && web.trusted_proxies.empty() && ok) {
        fail(line_of("trusted_header"), where + " trusted_header needs trusted_proxies: the address(es) of the proxy "
                                                "that sets it (e.g. [\"127.0.0.1\"] for nginx on this machine); from "
                                                "anyone else the header would be a forged sign-in");
    }
    if (ok && !c.email && web.trusted_header.empty()) {
        fail(toml_line_of(t), where + " gives managers no way to sign in: add an [email] table (sign-in links are "
                                      "mailed) or trusted_header (single sign-on through the proxy)");
    }
    if (ok) c.web = std::move(web);
}

}  // namespace pulse
