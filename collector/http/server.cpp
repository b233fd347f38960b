// server.cpp — the collector's routes on cpp-httplib: batch upload (auth
// before a byte of the body is read, bounded read, validate, store), the
// terminals' heartbeats (the same, and the last one per terminal kept),
// the terminal's config overlay and news (the manager's response, issue 15),
// summaries and the admin overview. Every 4xx carries {"error": "..."};
// every response, the library's own errors too, a Date from the injected clock.
#include "collector/http/server.hpp"

#include "collector/http/ingest.hpp"
#include "collector/publication.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"
#include "collector/tokens.hpp"
#include "collector/week_response.hpp"
#include "common/copenhagen_time.hpp"
#include "common/protocol.hpp"
#include "common/sha256.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace pulse {
namespace {

using nlohmann::json;

// {"error": message}; replace: a message is meant to be UTF-8 already
// (quoted_for_message), but a stray byte must never turn a 4xx into a 500.
std::string error_json(const std::string& message) {
    return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(error_json(message), "application/json");
}

// A body declared longer than kMaxBodyBytes but at most this is read (and
// dropped) before the 413, so that the connection stays in order: nginx
// passes bodies up to its client_max_body_size 4m.
constexpr std::size_t kDrainBytes = 2 * kMaxBodyBytes;

// A refusal sent before the request's body was read, or after reading only
// part of it: the rest of the body is still on the connection, and read as
// the next request it would desynchronise a keep-alive peer (nginx keeps its
// upstream connections open). So the connection is closed after this
// response: "Connection: close" tells the peer, and the body goes out through
// a content provider that writes all of it and then returns false, which in
// cpp-httplib 0.11 is the one way a handler makes the server close the
// socket once the response is out (a handler cannot reach the socket).
void send_error_and_close(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_header("Connection", "close");
    const std::string body = error_json(message);
    res.set_content_provider(body.size(), "application/json",
                             [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 sink.write(body.data() + offset, length);
                                 return false;  // sent; now close
                             });
}

UnixSeconds system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The ?week= parameter, or the latest published week when absent; nullopt
// (400 sent) when malformed.
std::optional<IsoWeek> week_param(const httplib::Request& req, httplib::Response& res, const CollectorConfig& config,
                                  UnixSeconds now) {
    if (!req.has_param("week")) return latest_published_week(config, now);
    const std::string text = req.get_param_value("week");
    std::optional<IsoWeek> week = parse_iso_week(text);
    if (!week) send_error(res, 400, "week: " + quoted_for_message(text) + " is not an ISO week like 2026-W48");
    return week;
}

// A week that is not published, never sealed or not readable: 404 with when
// it will be (and Retry-After), 404, or 503.
void send_unpublished(httplib::Response& res, PublishedSummary::Status status, const std::string& message,
                      UnixSeconds published_at, UnixSeconds now) {
    if (status == PublishedSummary::Status::not_yet_published) {
        res.status = 404;
        res.set_header("Retry-After", std::to_string(std::max<UnixSeconds>(1, published_at - now)));
        res.set_content(json{{"error", message}, {"published_at", format_iso_utc(published_at)}}.dump(),
                        "application/json");
    } else if (status == PublishedSummary::Status::not_sealed) {
        send_error(res, 404, message);
    } else {
        res.set_header("Retry-After", "30");
        send_error(res, 503, "storage unavailable; retry later");
    }
}

}  // namespace

HeartbeatCheck validate_heartbeat(const std::string& body) {
    HeartbeatCheck check;
    const json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
        check.error = "body: not valid JSON";
        return check;
    }
    if (!doc.is_object()) {
        check.error = "body: not a JSON object";
        return check;
    }
    static const char* const kFields[] = {"schema",         "version",           "config_version",
                                          "uptime_h",       "database_ok",       "last_contact_hour",
                                          "answers_set_aside", "clock_offset_s", "free_disk_mb",
                                          "screen"};
    // Since the config overlays: the ETag of the one in use, and of one
    // reverted at start (each a string or null; a terminal from before them
    // sends neither).
    static const char* const kOptionalFields[] = {"overlay", "overlay_reverted"};
    const auto known = [](const char* const* begin, const char* const* end, const std::string& key) {
        return std::find_if(begin, end, [&](const char* f) { return key == f; }) != end;
    };
    for (const auto& [key, value] : doc.items()) {
        if (!known(std::begin(kFields), std::end(kFields), key) &&
            !known(std::begin(kOptionalFields), std::end(kOptionalFields), key)) {
            check.error = quoted_for_message(key) + ": unknown field";
            return check;
        }
    }
    for (const char* field : kFields) {
        if (!doc.contains(field)) {
            check.error = std::string(field) + ": missing";
            return check;
        }
    }
    const auto fail = [&](const std::string& field, const std::string& what) {
        check.error = field + ": " + what;
        return check;
    };
    // An integer in [lo, hi] (JSON numbers without a fraction), or null when allowed.
    const auto integer = [&](const char* field, std::int64_t lo, std::int64_t hi, bool nullable) -> std::string {
        const json& v = doc[field];
        if (v.is_null() && nullable) return "";
        if (!v.is_number_integer()) return nullable ? "must be an integer or null" : "must be an integer";
        const bool negative = v.is_number_unsigned() ? false : v.get<std::int64_t>() < 0;
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
            return "out of range " + std::to_string(lo) + ".." + std::to_string(hi);
        }
        const std::int64_t n = negative ? v.get<std::int64_t>() : static_cast<std::int64_t>(v.get<std::uint64_t>());
        if (n < lo || n > hi) return "out of range " + std::to_string(lo) + ".." + std::to_string(hi);
        return "";
    };
    if (std::string e = integer("schema", 1, 1, false); !e.empty()) return fail("schema", e == "out of range 1..1" ? "must be 1" : e);

    const json& version = doc["version"];
    if (!version.is_string()) return fail("version", "must be a string");
    const std::string v = version.get<std::string>();
    if (v.empty() || v.size() > 64 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
        return fail("version", "must be 1..64 printable ASCII characters without spaces");
    }
    const json& config_version = doc["config_version"];
    if (!config_version.is_string()) return fail("config_version", "must be a string");
    const std::string cv = config_version.get<std::string>();
    if (cv.size() != 7 + 16 || cv.rfind("sha256:", 0) != 0 ||
        !std::all_of(cv.begin() + 7, cv.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
        return fail("config_version", quoted_for_message(cv) + " is not \"sha256:\" and 16 lower-case hex digits");
    }
    if (std::string e = integer("uptime_h", 0, 1'000'000, false); !e.empty()) return fail("uptime_h", e);
    if (!doc["database_ok"].is_boolean()) return fail("database_ok", "must be true or false");
    const json& contact = doc["last_contact_hour"];
    if (!contact.is_null()) {
        if (!contact.is_string()) return fail("last_contact_hour", "must be a UTC hour like 2026-11-27T09:00:00Z, or null");
        const std::string text = contact.get<std::string>();
        const std::optional<UnixSeconds> hour = parse_iso8601(text);
        if (!hour || *hour % kSecondsPerHour != 0 || format_iso_utc(*hour) != text) {
            return fail("last_contact_hour", quoted_for_message(text) + " is not a UTC hour like 2026-11-27T09:00:00Z");
        }
    }
    if (!doc["answers_set_aside"].is_boolean()) return fail("answers_set_aside", "must be true or false");
    if (std::string e = integer("clock_offset_s", -315'360'000, 315'360'000, true); !e.empty()) {
        return fail("clock_offset_s", e);
    }
    if (std::string e = integer("free_disk_mb", 0, 1'000'000'000, true); !e.empty()) return fail("free_disk_mb", e);
    const json& screen = doc["screen"];
    if (!screen.is_string()) return fail("screen", "must be a string");
    const std::string sc = screen.get<std::string>();
    if (sc != "in_service" && sc != "closed" && sc != "out_of_order") {
        return fail("screen", quoted_for_message(sc) + " is not in_service, closed or out_of_order");
    }
    for (const char* field : kOptionalFields) {
        if (!doc.contains(field) || doc[field].is_null()) continue;
        const json& v = doc[field];
        const std::string text = v.is_string() ? v.get<std::string>() : std::string();
        if (!v.is_string() || text.empty() || text.size() > 80 ||
            !std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
            return fail(field, "must be an ETag (1..80 printable ASCII characters) or null");
        }
    }
    check.report_json = doc.dump();  // keys sorted: the same report gives the same text
    return check;
}

std::string format_http_date(UnixSeconds t) {
    static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::int64_t days = floor_div(t, kSecondsPerDay);
    const UnixSeconds in_day = t - days * kSecondsPerDay;
    const CivilDate date = civil_from_days(days);
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[weekday_from_days(days)], date.day,
                  kMonths[date.month - 1], date.year, static_cast<int>(in_day / 3600),
                  static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    return text;
}

CollectorServer::CollectorServer(const CollectorConfig& config, CollectorStore& store, ServerClock clock,
                                 ServerLog log, MailSender* mail_sender)
    : config_(config), store_(store), clock_(clock ? std::move(clock) : ServerClock(system_now)),
      log_(std::move(log)), http_(std::make_unique<httplib::Server>()) {
    if (config_.web) web_ = std::make_unique<WebPages>(config_, store_, clock_, log_, mail_sender);
    for (const TerminalEntry& t : config_.terminals) terminal_hashes_.push_back(t.token_sha256);
    for (const ManagerEntry& m : config_.managers) manager_hashes_.push_back(m.token_sha256);
    for (const HrEntry& h : config_.hr) hr_hashes_.push_back(h.token_sha256);
    for (const AdminEntry& a : config_.admins) admin_hashes_.push_back(a.token_sha256);
    routes();
}

CollectorServer::~CollectorServer() { stop(); }

bool CollectorServer::start(const std::string& host, int port, std::string* error) {
    if (port == 0) {
        port_ = http_->bind_to_any_port(host);
    } else {
        port_ = http_->bind_to_port(host, port) ? port : -1;
    }
    if (port_ <= 0) {
        if (error) *error = "cannot listen on " + host + ":" + std::to_string(port) + " (address in use or not local?)";
        return false;
    }
    thread_ = std::thread([this] { http_->listen_after_bind(); });
    return true;
}

void CollectorServer::stop() {
    if (http_) http_->stop();
    if (thread_.joinable()) thread_.join();
}

void CollectorServer::routes() {
    httplib::Server& http = *http_;
    http.set_payload_max_length(kMaxBodyBytes);
    http.set_read_timeout(30, 0);  // a kiosk on a slow line; it gives up below 100 B/s for 30 s
    http.set_write_timeout(30, 0);
    // An idle kept-alive connection holds stop() until this runs out; 1 s
    // keeps SIGTERM's graceful path short (nginx reopens upstream connections at will).
    http.set_keep_alive_timeout(1);
    // cpp-httplib writes a response as two sends, headers then body; with
    // Nagle's algorithm the body waited for the client's delayed ACK (40 ms)
    // on a kept-alive connection: the p99 of every upload (docs/performance.md, "Soak").
    http.set_tcp_nodelay(true);

    // A status set by the library (404, 413 on Content-Length, 400 on a bad
    // request line) still gets a JSON error body; ours have theirs already.
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.has_header("Content-Type")) return;
        const std::string message = res.status == 413 ? "body: more than 2 MiB; send smaller batches"
                                    : res.status == 404 ? "no such route"
                                                        : "request refused (HTTP " + std::to_string(res.status) + ")";
        res.set_content(error_json(message), "application/json");
    });
    http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        // Not a sign-in link's path: its secret would be in the log.
        const std::string path = req.path.rfind("/signin/", 0) == 0 ? "/signin/…" : req.path;
        if (log_) log_(req.method + " " + quoted_for_message(path) + ": internal error: " + what);
        send_error(res, 500, "internal error");
    });
    // Runs for every response httplib writes: routed, refused by a route,
    // and the library's own (404, 400, 413, 414, and 500 after an exception).
    // Date (RFC 9110 §6.6.1) from the injected clock: a terminal may take its
    // clock's offset from it, and tests see their own time.
    http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
        res.headers.erase("Date");
        res.set_header("Date", format_http_date(clock_()));
        // httplib adds Keep-Alive to every response; a closing one has none.
        if (res.get_header_value("Connection") == "close") res.headers.erase("Keep-Alive");
    });

    // The terminal whose token a terminal's POST carries; nullptr after
    // answering 401 (logged with the route, the connection closed, the body
    // unread) when it carries none.
    const auto terminal_of = [this](const httplib::Request& req, httplib::Response& res,
                                    const char* route) -> const TerminalEntry* {
        const std::optional<std::size_t> who = find_token(bearer_token(req.get_header_value("Authorization")),
                                                          terminal_hashes_);
        if (who) return &config_.terminals[*who];
        if (log_) log_(std::string(route) + ": 401 unknown terminal token from " + req.remote_addr);
        send_error_and_close(res, 401, "Authorization: no terminal has this token (Bearer token expected)");
        return nullptr;
    };

    // [SECTION] POST /v1/batches
    // A content-reader route: httplib calls it before reading the body, so
    // the token, the encoding and the declared length are checked first and
    // a refused request's body is never read nor inflated.
    http.Post("/v1/batches", [this, terminal_of](const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& read_body) {
        const TerminalEntry* sender = terminal_of(req, res, "POST /v1/batches");
        if (!sender) return;
        const TerminalEntry& terminal = *sender;
        const auto refuse_unread = [&](int status, const std::string& message) {
            if (log_) log_("POST /v1/batches: terminal " + terminal.id + ": " + std::to_string(status) + " " + message);
            send_error_and_close(res, status, message);
        };

        // Content-Encoding, case-insensitive (RFC 9110 §8.4.1). httplib
        // inflates exactly "gzip" itself (and "deflate", anything holding
        // "br", which are refused here before it could); another spelling of
        // gzip reaches validate_batch compressed, which inflates it.
        const std::string encoding_header = req.get_header_value("Content-Encoding");
        std::string encoding = encoding_header;
        std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const bool gzipped = encoding == "gzip" || encoding == "x-gzip";
        if (!gzipped && !encoding.empty() && encoding != "identity") {
            return refuse_unread(415, "Content-Encoding: " + quoted_for_message(encoding_header) +
                                          " is not supported; send gzip or none");
        }
        const bool httplib_inflates = encoding_header == "gzip";

        // A declared length over the limit: 413 before inflating anything.
        // Up to kDrainBytes the body is read and dropped as it came (httplib
        // skips a body longer than its payload limit without decompressing
        // it), so a terminal gets its 413, splits the batch and goes on on
        // the same connection; beyond that, nobody sends that much by mistake.
        if (req.has_header("Content-Length")) {
            const std::string length = req.get_header_value("Content-Length");
            const bool digits = !length.empty() && length.size() <= 19 &&
                                std::all_of(length.begin(), length.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            const unsigned long long declared = digits ? std::strtoull(length.c_str(), nullptr, 10) : 0;
            if (declared > kMaxBodyBytes) {
                const std::string message = "body: " + length + " bytes, more than the limit of 2 MiB (" +
                                            std::to_string(kMaxBodyBytes) + " bytes); send smaller batches";
                if (declared > kDrainBytes) return refuse_unread(413, message);
                read_body([](const char*, std::size_t) { return true; });
                if (log_) log_("POST /v1/batches: terminal " + terminal.id + ": 413 " + message);
                return send_error(res, 413, message);
            }
        }

        // The body, bounded: when httplib inflates it, the bound is on the
        // inflated bytes, checked as each piece comes out of zlib.
        std::string body;
        bool too_large = false;
        const bool read_ok = read_body([&](const char* data, std::size_t n) {
            if (body.size() + n > kMaxBodyBytes) {
                too_large = true;
                return false;
            }
            body.append(data, n);
            return true;
        });
        if (!read_ok) {
            if (too_large || res.status == 413) {
                return refuse_unread(413, "body: more than 2 MiB (" + std::to_string(kMaxBodyBytes) +
                                              " bytes, after decompression); send smaller batches");
            }
            return refuse_unread(400, httplib_inflates ? "body: not valid gzip (corrupt or truncated)"
                                                       : "body: could not be read");
        }

        IngestResult checked =
            validate_batch(body, httplib_inflates ? "" : (gzipped ? "gzip" : ""), terminal, config_, clock_());
        if (!checked.batch) {
            if (log_) {
                log_("POST /v1/batches: terminal " + terminal.id + ": " + std::to_string(checked.rejection.status) +
                     " " + checked.rejection.message);
            }
            if (checked.rejection.retry_after_s > 0) {
                res.set_header("Retry-After", std::to_string(checked.rejection.retry_after_s));
            }
            return send_error(res, checked.rejection.status, checked.rejection.message);
        }
        // Every week published by now is sealed before this batch is stored
        // (checked in the batch's own transaction): an answer arriving after
        // a week's publication never enters its summary.
        const UnixSeconds now = clock_();
        const IsoWeek published = latest_published_week(config_, now);
        StoreResult stored = store_.store_batch(checked.batch->workplace, terminal.id, checked.batch->answers, published);
        if (stored.kind == StoreResult::Kind::unsealed) {
            std::string error;
            if (!seal_published_weeks(store_, config_, now, &error)) {
                stored.kind = StoreResult::Kind::error;
                stored.message = "cannot seal the published weeks: " + error;
            } else {
                stored = store_.store_batch(checked.batch->workplace, terminal.id, checked.batch->answers, published);
            }
        }
        switch (stored.kind) {
            case StoreResult::Kind::stored:
                // Not logged: the log's timestamp would keep when each batch
                // arrived, finer than the answer hours the store keeps.
                res.status = 200;
                res.set_content(json{{"accepted", stored.accepted}, {"duplicates", stored.duplicates}}.dump(),
                                "application/json");
                return;
            case StoreResult::Kind::conflict:
                if (log_) log_("POST /v1/batches: terminal " + terminal.id + ": 409 " + stored.message);
                return send_error(res, 409, stored.message);
            case StoreResult::Kind::unsealed:  // sealed by another instance meanwhile and yet not: a store fault
            case StoreResult::Kind::error:
                if (log_) log_("POST /v1/batches: terminal " + terminal.id + ": 503 " + stored.message);
                res.set_header("Retry-After", "30");
                return send_error(res, 503, "storage unavailable; retry later");
        }
    });

    // [SECTION] POST /v1/heartbeat: a terminal's health, its last one kept
    // As /v1/batches: the token is checked before a byte of the body is
    // read, and the body is bounded. The terminal is the token's, never the
    // body's. An accepted heartbeat is not logged (it is stored).
    http.Post("/v1/heartbeat", [this, terminal_of](const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& read_body) {
        const TerminalEntry* sender = terminal_of(req, res, "POST /v1/heartbeat");
        if (!sender) return;
        const TerminalEntry& terminal = *sender;
        const auto refuse = [&](int status, const std::string& message, bool close) {
            if (log_) log_("POST /v1/heartbeat: terminal " + terminal.id + ": " + std::to_string(status) + " " + message);
            if (close) return send_error_and_close(res, status, message);
            send_error(res, status, message);
        };
        if (!req.get_header_value("Content-Encoding").empty() && req.get_header_value("Content-Encoding") != "identity") {
            return refuse(415, "Content-Encoding: a heartbeat is sent uncompressed", true);
        }
        std::string body;
        bool too_large = false;
        const bool read_ok = read_body([&](const char* data, std::size_t n) {
            if (body.size() + n > kMaxHeartbeatBytes) {
                too_large = true;
                return false;
            }
            body.append(data, n);
            return true;
        });
        if (!read_ok || too_large) {
            return refuse(too_large ? 413 : 400,
                          too_large ? "body: more than " + std::to_string(kMaxHeartbeatBytes) + " bytes"
                                    : std::string("body: could not be read"),
                          true);
        }
        const HeartbeatCheck checked = validate_heartbeat(body);
        if (!checked.report_json) return refuse(400, checked.error, false);
        std::string error;
        if (!store_.put_heartbeat(TerminalHeartbeat{terminal.id, *checked.report_json, clock_()}, &error)) {
            if (log_) log_("POST /v1/heartbeat: terminal " + terminal.id + ": 503 " + error);
            res.set_header("Retry-After", "30");
            return send_error(res, 503, "storage unavailable; retry later");
        }
        res.status = 204;
    });

    // [SECTION] GET /v1/terminal: which terminal a token belongs to
    // `pulse-kiosk provision` tests its endpoint and token with it. It reads
    // the config only and writes nothing (no store, no log line for a
    // success). POST, with any body ignored, answers the same: the terminal's
    // one HTTP seam (terminal/http_client.hpp) only posts.
    const auto whoami = [this](const httplib::Request& req, httplib::Response& res) {
        const std::string token = bearer_token(req.get_header_value("Authorization"));
        const std::optional<std::size_t> who = find_token(token, terminal_hashes_);
        if (!who) {
            if (find_token(token, manager_hashes_) || find_token(token, hr_hashes_) || find_token(token, admin_hashes_)) {
                return send_error(res, 403, "Authorization: not a terminal's token (a person's token reads summaries)");
            }
            if (log_) log_(req.method + " /v1/terminal: 401 unknown terminal token from " + req.remote_addr);
            return send_error(res, 401, "Authorization: no terminal has this token (Bearer token expected)");
        }
        const TerminalEntry& terminal = config_.terminals[*who];
        res.set_header("Cache-Control", "no-store");
        res.set_content(json{{"terminal", terminal.id}, {"workplace", terminal.workplace}}.dump(), "application/json");
    };
    http.Get("/v1/terminal", whoami);
    http.Post("/v1/terminal", whoami);

    // [SECTION] GET /v1/config: the terminal's config overlay
    // Its workplace's overlay, else the default one (config.hpp, overlays):
    // 200 with its ETag, 304 when If-None-Match names it, 204 when there is
    // none. The terminal checks it again before it takes it.
    http.Get("/v1/config", [this, terminal_of](const httplib::Request& req, httplib::Response& res) {
        const TerminalEntry* terminal = terminal_of(req, res, "GET /v1/config");
        if (!terminal) return;
        res.set_header("Cache-Control", "no-store");
        const CollectorConfig::Overlay* overlay = config_.overlay_for(terminal->workplace);
        if (!overlay) {
            res.status = 204;
            return;
        }
        res.set_header("ETag", overlay->etag);
        if (req.get_header_value("If-None-Match") == overlay->etag) {
            res.status = 304;
            return;
        }
        res.set_content(overlay->bytes, "application/toml");
    });

    // [SECTION] GET /v1/news: the manager's response, for the terminal's screen
    // (issue 15; docs/protocol.md, "News"). Its workplace's newest response
    // within kNewsMaxWeeksBack weeks of the latest published week, with the
    // week's participation as its sealed summary shows it (null when
    // withheld): 200 with an ETag of the body, 304 when If-None-Match names
    // it, 204 when there is none. Nothing logged for a success.
    http.Get("/v1/news", [this, terminal_of](const httplib::Request& req, httplib::Response& res) {
        const TerminalEntry* terminal = terminal_of(req, res, "GET /v1/news");
        if (!terminal) return;
        res.set_header("Cache-Control", "no-store");
        const TerminalNews news = terminal_news(store_, config_, terminal->workplace, clock_());
        if (news.status == TerminalNews::Status::store_error) {
            if (log_) log_("GET /v1/news: terminal " + terminal->id + ": 503 " + news.message);
            res.set_header("Retry-After", "30");
            return send_error(res, 503, "storage unavailable; retry later");
        }
        if (news.status == TerminalNews::Status::none) {
            res.status = 204;
            return;
        }
        // The documented key order (ordered_json); texts are checked UTF-8
        // when stored, and replace keeps a stray byte from becoming a 500.
        nlohmann::ordered_json response{{"da", news.text_da}};
        if (news.text_en) response["en"] = *news.text_en;
        const nlohmann::ordered_json doc{{"week", news.week.str()},
                                         {"answers", news.answers ? nlohmann::ordered_json(*news.answers)
                                                                  : nlohmann::ordered_json(nullptr)},
                                         {"manager", news.manager},
                                         {"response", response}};
        const std::string body = doc.dump(-1, ' ', false, json::error_handler_t::replace);
        const std::string etag = "\"sha256:" + sha256_hex(body).substr(0, 16) + "\"";
        res.set_header("ETag", etag);
        if (req.get_header_value("If-None-Match") == etag) {
            res.status = 304;
            return;
        }
        res.set_content(body, "application/json");
    });

    // [SECTION] Summaries: published weeks, for a manager of the workplace or HR
    const auto summary = [this](const httplib::Request& req, httplib::Response& res) {
        const std::string workplace = req.matches[1];
        const std::string format = req.matches[2].matched ? std::string(req.matches[2]).substr(1) : "json";
        const std::string token = bearer_token(req.get_header_value("Authorization"));
        const std::optional<std::size_t> manager = find_token(token, manager_hashes_);
        const std::optional<std::size_t> hr = find_token(token, hr_hashes_);
        if (!manager && !hr) {
            if (find_token(token, admin_hashes_)) {
                return send_error(res, 403, "IT reads participation and terminals (the overview), not results; "
                                            "list the person as a manager or HR too if they are entitled");
            }
            if (find_token(token, terminal_hashes_)) return send_error(res, 403, "a terminal token may not read summaries");
            return send_error(res, 401, "Authorization: unknown token (Bearer token of a manager or HR expected)");
        }
        const auto lists = [&](const std::vector<std::string>& places) {
            return std::find(places.begin(), places.end(), workplace) != places.end();
        };
        const bool entitled = (manager && lists(config_.managers[*manager].workplaces)) ||
                              (hr && (!config_.hr[*hr].workplaces || lists(*config_.hr[*hr].workplaces)));
        if (!entitled) return send_error(res, 403, "this token may not read workplace \"" + workplace + "\"");
        const std::vector<std::string> all = config_.workplaces();
        if (std::find(all.begin(), all.end(), workplace) == all.end()) {
            return send_error(res, 404, "workplace \"" + workplace + "\" is not in the collector's config");
        }
        const UnixSeconds now = clock_();
        const std::optional<IsoWeek> week = week_param(req, res, config_, now);
        if (!week) return;
        const std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "da";
        if (lang != "da" && lang != "en") return send_error(res, 400, "lang: " + quoted_for_message(lang) + " is not da or en");

        const PublishedSummary published = published_summary(store_, config_, workplace, *week, lang, now);
        if (published.status != PublishedSummary::Status::ok) {
            if (log_ && published.status == PublishedSummary::Status::store_error) {
                log_("GET summary of " + workplace + ": 503 " + published.message);
            }
            return send_unpublished(res, published.status, published.message, published.published_at, now);
        }
        const Summary& s = published.summary;
        res.set_header("Cache-Control", "no-store");
        if (format == "csv") {
            res.set_content(summary_csv(s, config_.summary_texts), "text/csv; charset=utf-8");
        } else if (format == "html") {
            res.set_content(summary_html(s, config_.summary_texts), "text/html; charset=utf-8");
        } else {
            res.set_content(summary_json(s), "application/json");
        }
    };
    http.Get(R"(/v1/workplaces/([A-Za-z0-9._-]+)/summary(\.json|\.csv|\.html)?)", summary);

    // [SECTION] Browser pages (collector/web/routes.hpp)
    if (web_) web_->install(http);

    // [SECTION] GET /v1/admin/overview: IT's view of a published week
    http.Get("/v1/admin/overview", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string token = bearer_token(req.get_header_value("Authorization"));
        if (!find_token(token, admin_hashes_)) {
            if (find_token(token, manager_hashes_) || find_token(token, hr_hashes_) ||
                find_token(token, terminal_hashes_)) {
                return send_error(res, 403, "only an admin may read the overview");
            }
            return send_error(res, 401, "Authorization: unknown token (Bearer token of an admin expected)");
        }
        const UnixSeconds now = clock_();
        const std::optional<IsoWeek> week = week_param(req, res, config_, now);
        if (!week) return;
        const PublishedOverview overview = published_overview(store_, config_, *week, now);
        if (overview.status != PublishedSummary::Status::ok) {
            if (log_ && overview.status == PublishedSummary::Status::store_error) {
                log_("GET /v1/admin/overview: 503 " + overview.message);
            }
            return send_unpublished(res, overview.status, overview.message, overview.published_at, now);
        }
        // Participation as each workplace's own summary shows it (the same
        // sealed count, the same threshold), so the two can never be
        // subtracted; late answers apart, withheld likewise.
        json list = json::array();
        for (const OverviewRow& row : overview.rows) {
            json item{{"workplace", row.workplace}, {"terminals", row.terminals}};
            item["withheld"] = !row.answers.has_value();
            if (row.answers) item["answers_in_week"] = *row.answers;
            item["late_withheld"] = !row.late.has_value();
            if (row.late) item["late_answers"] = *row.late;
            list.push_back(item);
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(json{{"week", week->str()},
                             {"published_at", format_iso_utc(overview.published_at)},
                             {"min_answers", config_.min_answers},
                             {"workplaces", list}}
                            .dump(2),
                        "application/json");
    });
}

}  // namespace pulse
