// url.cpp — libcurl's URL API (curl_url) and inet_pton behind url.hpp.
#include "common/url.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <memory>

namespace pulse {
namespace {

struct CurlUrlDeleter {
    void operator()(CURLU* h) const { curl_url_cleanup(h); }
};

// One part of a parsed URL, "" if absent.
std::string part(CURLU* h, CURLUPart which) {
    char* value = nullptr;
    if (curl_url_get(h, which, &value, 0) != CURLUE_OK || !value) return "";
    std::string out = value;
    curl_free(value);
    return out;
}

}  // namespace

UrlParse parse_url(const std::string& url) {
    UrlParse result;
    std::unique_ptr<CURLU, CurlUrlDeleter> h(curl_url());
    if (!h) {
        result.why = "out of memory";
        return result;
    }
    const CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
    if (rc != CURLUE_OK) {
        result.why = curl_url_strerror(rc);
        result.no_host = rc == CURLUE_NO_HOST;
        if (rc == CURLUE_BAD_PORT_NUMBER) {
            // For the message only: the text after the authority's last ':'.
            const std::size_t scheme = url.find("://");
            const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
            const std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
            const std::size_t colon = authority.rfind(':');
            result.bad_port = colon == std::string::npos ? "" : authority.substr(colon + 1);
        }
        return result;
    }
    UrlParts p;
    p.scheme = part(h.get(), CURLUPART_SCHEME);
    p.user = part(h.get(), CURLUPART_USER);
    p.has_password = !part(h.get(), CURLUPART_PASSWORD).empty();
    p.host = part(h.get(), CURLUPART_HOST);
    if (p.host.size() >= 2 && p.host.front() == '[' && p.host.back() == ']') p.host = p.host.substr(1, p.host.size() - 2);
    p.port = part(h.get(), CURLUPART_PORT);
    p.path = part(h.get(), CURLUPART_PATH);
    p.query = part(h.get(), CURLUPART_QUERY);
    result.parts = std::move(p);
    return result;
}

bool is_loopback_host(std::string_view host_text) {
    std::string host(host_text);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host == "localhost") return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string url_without_password(const std::string& url) {
    std::string out = url;
    const std::size_t scheme = out.find("://");
    if (scheme != std::string::npos) {
        // user:password@host — the authority ends at the path or the query;
        // the password may itself hold '@', so the last '@' ends the user info.
        const std::size_t start = scheme + 3;
        const std::size_t authority_end = std::min(out.find('/', start), out.find('?', start));
        const std::size_t at = out.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end - 1);
        if (at != std::string::npos && at >= start) {
            const std::size_t colon = out.find(':', start);
            if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
        }
    }
    // ?password=… or &password=… (not sslpassword=…), as often as it occurs.
    for (std::size_t p = out.find('?'); p != std::string::npos; p = out.find('&', p + 1)) {
        if (out.compare(p + 1, 9, "password=") != 0) continue;
        const std::size_t end = out.find('&', p + 1);
        out.replace(p + 1, (end == std::string::npos ? out.size() : end) - p - 1, "password=…");
    }
    return out;
}

}  // namespace pulse
