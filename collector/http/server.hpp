// server.hpp — pulse-collector's HTTP API (cpp-httplib): POST /v1/batches
// (protocol v1, docs/protocol.md), POST /v1/heartbeat (each terminal's last
// health report), GET /v1/terminal (which terminal a token
// is: `pulse-kiosk provision`'s check), GET /v1/config (the terminal's config
// overlay), GET /v1/news (the manager's response to a recent week, for the
// terminal's screen; issue 15), the published weekly summaries for
// managers and HR, and IT's overview (docs/anonymity.md says who reads
// what), and with [web] the managers' browser pages (collector/web/).
// Plain HTTP: in production behind a TLS-terminating proxy.
// Start and stop are explicit so tests run it on 127.0.0.1, port 0. Every
// response carries a Date header from the injected clock.
#pragma once

#include "collector/config.hpp"
#include "collector/email/smtp_sender.hpp"
#include "collector/storage/store.hpp"
#include "collector/web/routes.hpp"
#include "common/calendar.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace pulse {

// One line per refused or failed request for the operator's log: route, who
// (terminal id or "unknown token"), status, reason. Never a token, never an
// answer, and nothing for an accepted upload (its time would be logged).
using ServerLog = std::function<void(const std::string& line)>;

// Current UTC time; injected so tests can place "now" anywhere.
using ServerClock = std::function<UnixSeconds()>;

// t as an HTTP date, IMF-fixdate (RFC 9110 §5.6.7): "Fri, 27 Nov 2026 10:30:00 GMT".
std::string format_http_date(UnixSeconds t);

// A heartbeat body longer than this is refused (413): a real one is ~300 bytes.
inline constexpr std::size_t kMaxHeartbeatBytes = 4096;

// The checked heartbeat body (docs/protocol.md, POST /v1/heartbeat): the
// report to store as compact JSON, or the reason it is refused.
struct HeartbeatCheck {
    std::optional<std::string> report_json;  // set when valid: the fields, re-serialised
    std::string error;                       // otherwise: "FIELD: what is wrong" (a 400's message)
};

// Validates a heartbeat body strictly: a JSON object with exactly the
// fields of docs/protocol.md (an unknown or missing field, a wrong type or a
// value out of range is refused, naming the field). Never throws.
HeartbeatCheck validate_heartbeat(const std::string& body);

class CollectorServer {
public:
    // config and store must outlive the server. clock null = the system clock.
    // With [web] in config, the browser pages are served too
    // (collector/web/routes.hpp); mail_sender, if given (and outliving the
    // server), mails their sign-in links.
    CollectorServer(const CollectorConfig& config, CollectorStore& store, ServerClock clock, ServerLog log,
                    MailSender* mail_sender = nullptr);
    ~CollectorServer();  // stops it
    CollectorServer(const CollectorServer&) = delete;
    CollectorServer& operator=(const CollectorServer&) = delete;

    // Binds host:port (port 0: any free port) and serves on a background
    // thread. False with *error when the address cannot be bound.
    bool start(const std::string& host, int port, std::string* error);

    // The bound port (after start).
    int port() const { return port_; }

    // Stops accepting, finishes requests in flight, joins. Idempotent.
    void stop();

    // The browser pages, or null without [web].
    WebPages* web() { return web_.get(); }

private:
    void routes();

    const CollectorConfig& config_;
    CollectorStore& store_;
    ServerClock clock_;
    ServerLog log_;
    std::vector<std::string> terminal_hashes_, manager_hashes_, hr_hashes_, admin_hashes_;  // same order as in config_
    std::unique_ptr<WebPages> web_;
    std::unique_ptr<httplib::Server> http_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace pulse
