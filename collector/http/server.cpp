// server.cpp — the collector's routes on cpp-httplib: batch upload (auth,
// bounded read, validate, store), summaries and the admin overview. Every
// 4xx carries {"error": "..."}.
#include "collector/http/server.hpp"

#include "collector/http/ingest.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"
#include "collector/tokens.hpp"
#include "common/copenhagen_time.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace pulse {
namespace {

using nlohmann::json;

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(json{{"error", message}}.dump(), "application/json");
}

UnixSeconds system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The ?week= parameter, or the week just ended (Copenhagen) when absent;
// nullopt (400 sent) when malformed.
std::optional<IsoWeek> week_param(const httplib::Request& req, httplib::Response& res, UnixSeconds now) {
    if (!req.has_param("week")) return copenhagen_iso_week(copenhagen_week_start(copenhagen_iso_week(now)) - 1);
    const std::string text = req.get_param_value("week");
    std::optional<IsoWeek> week = parse_iso_week(text);
    if (!week) send_error(res, 400, "week: \"" + text + "\" is not an ISO week like 2026-W48");
    return week;
}

}  // namespace

CollectorServer::CollectorServer(const CollectorConfig& config, CollectorStore& store, ServerClock clock,
                                 ServerLog log)
    : config_(config), store_(store), clock_(clock ? std::move(clock) : ServerClock(system_now)),
      log_(std::move(log)), http_(std::make_unique<httplib::Server>()) {
    for (const TerminalEntry& t : config_.terminals) terminal_hashes_.push_back(t.token_sha256);
    for (const ManagerEntry& m : config_.managers) manager_hashes_.push_back(m.token_sha256);
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

    // A status set by the library (404, 413 on Content-Length, 400 on a bad
    // request line) still gets a JSON error body.
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        const std::string message = res.status == 413 ? "body: more than 2 MiB; send smaller batches"
                                    : res.status == 404 ? "no such route"
                                                        : "request refused (HTTP " + std::to_string(res.status) + ")";
        res.set_content(json{{"error", message}}.dump(), "application/json");
    });
    http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (log_) log_(req.method + " " + req.path + ": internal error: " + what);
        send_error(res, 500, "internal error");
    });

    // [SECTION] POST /v1/batches
    http.Post("/v1/batches", [this](const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& read_body) {
        // Read the whole body first (bounded: httplib has already gunzipped
        // it when Content-Encoding is gzip, so the limit is on decompressed bytes).
        const std::string encoding = req.get_header_value("Content-Encoding");
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
                return send_error(res, 413, "body: more than 2 MiB (" + std::to_string(kMaxBodyBytes) +
                                                " bytes, after decompression); send smaller batches");
            }
            return send_error(res, 400, encoding == "gzip" ? "body: not valid gzip (corrupt or truncated)"
                                                           : "body: could not be read");
        }

        const std::optional<std::size_t> who = find_token(bearer_token(req.get_header_value("Authorization")),
                                                          terminal_hashes_);
        if (!who) {
            if (log_) log_("POST /v1/batches: 401 unknown terminal token from " + req.remote_addr);
            return send_error(res, 401, "Authorization: no terminal has this token (Bearer token expected)");
        }
        const TerminalEntry& terminal = config_.terminals[*who];
        // httplib decoded gzip/deflate/br; anything else reaches validate_batch as sent.
        const bool decoded = encoding == "gzip" || encoding == "deflate" || encoding == "br";
        const std::string effective = decoded ? "" : encoding;
        if (encoding == "deflate" || encoding == "br") {
            return send_error(res, 415, "Content-Encoding: \"" + encoding + "\" is not supported; send gzip or none");
        }
        IngestResult checked = validate_batch(body, effective, terminal, config_, clock_());
        if (!checked.batch) {
            if (log_) {
                log_("POST /v1/batches: terminal " + terminal.id + ": " + std::to_string(checked.rejection.status) +
                     " " + checked.rejection.message);
            }
            return send_error(res, checked.rejection.status, checked.rejection.message);
        }
        const StoreResult stored = store_.store_batch(checked.batch->workplace, terminal.id, checked.batch->answers);
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
            case StoreResult::Kind::error:
                if (log_) log_("POST /v1/batches: terminal " + terminal.id + ": 503 " + stored.message);
                res.set_header("Retry-After", "30");
                return send_error(res, 503, "storage unavailable; retry later");
        }
    });

    // [SECTION] Summaries: a manager of the workplace, or an admin
    const auto summary = [this](const httplib::Request& req, httplib::Response& res) {
        const std::string workplace = req.matches[1];
        const std::string format = req.matches[2].matched ? std::string(req.matches[2]).substr(1) : "json";
        const std::string token = bearer_token(req.get_header_value("Authorization"));
        const bool admin = find_token(token, admin_hashes_).has_value();
        const std::optional<std::size_t> manager = find_token(token, manager_hashes_);
        if (!admin && !manager) {
            if (find_token(token, terminal_hashes_)) return send_error(res, 403, "a terminal token may not read summaries");
            return send_error(res, 401, "Authorization: unknown token (Bearer token of a manager or admin expected)");
        }
        if (!admin) {
            const std::vector<std::string>& mine = config_.managers[*manager].workplaces;
            if (std::find(mine.begin(), mine.end(), workplace) == mine.end()) {
                return send_error(res, 403, "this manager may not read workplace \"" + workplace + "\"");
            }
        }
        const std::vector<std::string> all = config_.workplaces();
        if (std::find(all.begin(), all.end(), workplace) == all.end()) {
            return send_error(res, 404, "workplace \"" + workplace + "\" is not in the collector's config");
        }
        const std::optional<IsoWeek> week = week_param(req, res, clock_());
        if (!week) return;
        const std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "da";
        if (lang != "da" && lang != "en") return send_error(res, 400, "lang: \"" + lang + "\" is not da or en");

        std::string error;
        const std::vector<AnswerCount> counts = store_.counts(workplace, *week, 4, &error);
        if (!error.empty()) {
            if (log_) log_("GET summary of " + workplace + ": 503 " + error);
            res.set_header("Retry-After", "30");
            return send_error(res, 503, "storage unavailable; retry later");
        }
        const Summary s = build_summary(workplace, *week, config_.banks.front(), counts, config_.min_answers, lang);
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

    // [SECTION] GET /v1/admin/overview
    http.Get("/v1/admin/overview", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string token = bearer_token(req.get_header_value("Authorization"));
        if (!find_token(token, admin_hashes_)) {
            if (find_token(token, manager_hashes_) || find_token(token, terminal_hashes_)) {
                return send_error(res, 403, "only an admin may read the overview");
            }
            return send_error(res, 401, "Authorization: unknown token (Bearer token of an admin expected)");
        }
        const std::optional<IsoWeek> week = week_param(req, res, clock_());
        if (!week) return;
        // Participation as the workplace's own summary shows it: the same
        // count and the same threshold, so the two can never be subtracted.
        json list = json::array();
        for (const std::string& w : config_.workplaces()) {
            std::string error;
            const std::vector<AnswerCount> counts = store_.counts(w, *week, 0, &error);
            if (!error.empty()) {
                if (log_) log_("GET /v1/admin/overview: 503 " + error);
                res.set_header("Retry-After", "30");
                return send_error(res, 503, "storage unavailable; retry later");
            }
            const Summary s = build_summary(w, *week, config_.banks.front(), counts, config_.min_answers, "da");
            if (s.answers_withheld) {
                list.push_back({{"workplace", w}, {"withheld", true}});
            } else {
                list.push_back({{"workplace", w}, {"withheld", false}, {"answers_in_week", s.answers}});
            }
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(json{{"week", week->str()}, {"workplaces", list}}.dump(2), "application/json");
    });
}

}  // namespace pulse
