// upload_policy.cpp — the upload's pure decisions (see upload_policy.hpp and
// docs/protocol.md): full-jitter backoff, HTTP dates and Retry-After in its
// four forms, the response table, the batch's JSON (nlohmann::json) and its gzip (zlib).
#include "terminal/upload_policy.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <iomanip>
#include <locale>
#include <random>
#include <sstream>

namespace pulse {

namespace {

constexpr double kRetryAfterCap_s = 24 * 3600;      // protocol: Retry-After capped at 24 h
constexpr std::size_t kReasonBodyBytes = 200;       // how much of a server's message a reason quotes
constexpr std::size_t kGzipMinBytes = 1024;         // smaller bodies are sent as they are

// [SECTION] Text helpers

// Length of the valid UTF-8 sequence starting at s[i], or 0 if there is none
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t n;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

// text as one printable line of at most max_bytes: control characters become
// spaces, invalid UTF-8 becomes '?', runs of spaces collapse, and a cut is
// marked with "...". The result is always valid UTF-8 (it ends up in JSON).
std::string one_line(const std::string& text, std::size_t max_bytes) {
    std::string out;
    bool cut = false;
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::string piece;
        if (c < 0x80) {
            piece = (c < 0x20 || c == 0x7F) ? " " : std::string(1, static_cast<char>(c));
            ++i;
        } else if (std::size_t n = utf8_sequence_length(text, i)) {
            piece = text.substr(i, n);
            i += n;
        } else {
            piece = "?";
            ++i;
        }
        if (piece == " " && (out.empty() || out.back() == ' ')) continue;
        if (out.size() + piece.size() > max_bytes) {
            cut = true;
            break;
        }
        out += piece;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (cut) out += "...";
    return out;
}

std::string trim(const std::string& s) {
    std::size_t begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return "";
    std::size_t end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
}

std::string header(const HttpResponse& response, const std::string& name) {
    auto it = response.headers.find(name);
    return it == response.headers.end() ? std::string() : it->second;
}

// "HTTP 503 Service Unavailable" for the statuses the protocol names.
std::string status_text(int status) {
    static const std::array<std::pair<int, const char*>, 18> kNames{{
        {200, "OK"}, {201, "Created"}, {301, "Moved Permanently"}, {302, "Found"}, {400, "Bad Request"},
        {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"}, {408, "Request Timeout"},
        {409, "Conflict"}, {413, "Payload Too Large"}, {422, "Unprocessable Content"}, {425, "Too Early"},
        {429, "Too Many Requests"}, {500, "Internal Server Error"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    }};
    std::string text = "HTTP " + std::to_string(status);
    for (const auto& [code, name] : kNames) {
        if (code == status) return text + " " + name;
    }
    return text;
}

// The server's {"error": "..."} message, one line; empty if the body is not that.
std::string server_error_message(const std::string& body) {
    nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return "";
    auto it = json.find("error");
    if (it == json.end() || !it->is_string()) return "";
    return one_line(it->get<std::string>(), kReasonBodyBytes);
}

// What a set-aside batch's reason quotes: the server's message, else the
// start of the body.
std::string server_message_or_body(const std::string& body) {
    std::string message = server_error_message(body);
    if (!message.empty()) return message;
    return one_line(body, kReasonBodyBytes);
}

// [SECTION] Writing HTTP dates (RFC 9110 §5.6.7)

// t written in one of the three HTTP-date forms (English names, GMT).
std::string http_date_form(UnixSeconds t, const char* format) {
    const std::time_t time = static_cast<std::time_t>(t);
    std::tm utc{};
    gmtime_r(&time, &utc);
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::put_time(&utc, format);
    return out.str();
}

// [SECTION] Acknowledgement

// Empty if body acknowledges `sent` answers ({"accepted":N,"duplicates":M},
// N, M >= 0 integers, N + M == sent; other members are ignored); else why not.
std::string check_acknowledgement(const std::string& body, std::size_t sent, long& accepted, long& duplicates) {
    nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return "body is not JSON (" + std::to_string(body.size()) + " bytes)";
    if (!json.is_object()) return "body is JSON but not an object";
    const auto count = [&](const char* key, long& out) {
        auto it = json.find(key);
        if (it == json.end() || !it->is_number_integer()) return false;
        if (it->is_number_unsigned()) {
            auto v = it->get<std::uint64_t>();
            if (v > static_cast<std::uint64_t>(LONG_MAX)) return false;
            out = static_cast<long>(v);
        } else {
            auto v = it->get<std::int64_t>();
            if (v < 0 || v > LONG_MAX) return false;
            out = static_cast<long>(v);
        }
        return true;
    };
    if (!count("accepted", accepted) || !count("duplicates", duplicates)) {
        return "no non-negative integer \"accepted\" and \"duplicates\"";
    }
    // Both are >= 0, so the sum cannot overflow once each is checked against sent.
    auto n = static_cast<unsigned long>(accepted), d = static_cast<unsigned long>(duplicates);
    if (n > sent || d > sent || n + d != sent) {
        // Without the numbers: this reason is logged, and a count is what the log must not hold.
        return "\"accepted\" + \"duplicates\" is not the number of answers sent";
    }
    return "";
}

}  // namespace

// [SECTION] HTTP dates

// libcurl's curl_getdate reads the date; it is lenient (other zones, 31
// February, ISO 8601), so a date is taken only when writing the result back
// in one of HTTP's forms gives the very same text.
std::optional<UnixSeconds> parse_http_date(const std::string& text) {
    const std::time_t t = curl_getdate(text.c_str(), nullptr);
    if (t == -1) return std::nullopt;
    for (const char* form : {"%a, %d %b %Y %H:%M:%S GMT",   // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
                             "%A, %d-%b-%y %H:%M:%S GMT",   // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
                             "%a %b %e %H:%M:%S %Y"}) {     // asctime: Sun Nov  6 08:49:37 1994
        if (http_date_form(t, form) == text) return static_cast<UnixSeconds>(t);
    }
    return std::nullopt;
}

// [SECTION] Backoff

double backoff_delay_s(int failures, const BackoffSettings& settings, Rng& rng) {
    const double low = settings.min_s;
    // 2^(failures-1) overflows nothing as a double, but stop early: beyond
    // 2^62 every practical max_s is reached anyway.
    int exponent = std::clamp(failures, 1, 63) - 1;
    double high = std::min(settings.max_s, low * std::ldexp(1.0, exponent));
    if (!(high > low)) return low;  // also when max_s < min_s: never below min_s
    return std::uniform_real_distribution<double>(low, high)(rng);
}

std::optional<double> parse_retry_after(const std::string& value, UnixSeconds now) {
    std::string text = trim(value);
    if (text.empty()) return std::nullopt;
    if (std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        double seconds = 0;
        for (char c : text) {
            seconds = seconds * 10 + (c - '0');
            if (seconds >= kRetryAfterCap_s) return kRetryAfterCap_s;
        }
        return seconds;
    }
    std::optional<UnixSeconds> date = parse_http_date(text);
    if (!date) return std::nullopt;
    return std::clamp(static_cast<double>(*date - now), 0.0, kRetryAfterCap_s);
}

// [SECTION] Responses

UploadVerdict classify_response(const HttpResponse& response, std::size_t sent, UnixSeconds now) {
    using Kind = UploadVerdict::Kind;
    UploadVerdict verdict;
    verdict.kind = Kind::transient;

    if (response.transport_failed()) {
        std::string message = one_line(response.transport_message, kReasonBodyBytes);
        verdict.reason = "curl error " + std::to_string(response.transport_error) +
                         (message.empty() ? std::string() : ": " + message);
        return verdict;
    }

    const int status = response.status;
    const std::string status_line = status_text(status);
    if (status == 0) {
        verdict.reason = "no HTTP response";
        return verdict;
    }

    if (status == 200 || status == 201) {
        std::string why = check_acknowledgement(response.body, sent, verdict.accepted, verdict.duplicates);
        if (why.empty()) {
            verdict.kind = Kind::success;
            verdict.reason = status_line;
            return verdict;
        }
        verdict.accepted = verdict.duplicates = 0;
        std::string type = one_line(header(response, "content-type"), 60);
        verdict.reason = "HTTP " + std::to_string(status) + " but not an acknowledgement: " + why +
                         (type.empty() ? std::string() : ", content-type " + type);
        return verdict;
    }

    if (status == 413) {
        verdict.kind = Kind::split;
        verdict.reason = status_line;
        return verdict;
    }
    if (status == 400 || status == 422 || status == 409) {
        verdict.kind = Kind::set_aside;
        std::string message = server_message_or_body(response.body);
        verdict.reason = status_line + (message.empty() ? std::string() : ": " + message);
        return verdict;
    }
    if (status == 401 || status == 403) {
        // The body is not quoted: a misbehaving server might echo the request.
        verdict.kind = Kind::auth_rejected;
        verdict.reason = status_line + ": the terminal's token was rejected";
        return verdict;
    }

    // Everything else is transient (docs/protocol.md): 408, 425, 429, 5xx,
    // but also 3xx (redirects are not followed: a captive portal or a wrong
    // endpoint, which a config fix or a network change cures), other 4xx
    // (e.g. 404 for a wrong endpoint path), and 2xx other than 200/201.
    verdict.reason = status_line;
    if (status >= 300 && status < 400) {
        verdict.reason += " (redirect not followed: check [upload] endpoint, or a captive portal)";
    } else if (std::string message = server_error_message(response.body); !message.empty()) {
        verdict.reason += ": " + message;
    }
    auto retry_after = response.headers.find("retry-after");
    if (retry_after != response.headers.end()) verdict.retry_after_s = parse_retry_after(retry_after->second, now);
    return verdict;
}

// [SECTION] Compression

bool gzip_if_it_pays(std::string& body) {
    if (body.size() < kGzipMinBytes || body.size() > UINT_MAX / 2) return false;
    z_stream stream{};
    // windowBits 15 + 16: a gzip wrapper rather than zlib's.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return false;
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(body.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(body.data());
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream, Z_FINISH);
    std::size_t produced = stream.total_out;
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) return false;
    out.resize(produced);
    // "At least 10 % smaller": out <= 0.9 * body, in integers.
    if (out.size() * 10 > body.size() * 9) return false;
    body = std::move(out);
    return true;
}

}  // namespace pulse
