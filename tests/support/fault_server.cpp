// fault_server.cpp — the test collector (see fault_server.hpp): a poll() loop
// on one thread over non-blocking sockets, an HTTP/1.1 request parser just
// big enough for libcurl (Content-Length bodies, keep-alive, pipelining,
// Expect: 100-continue), gunzip with zlib, protocol v1's checks, and the
// Date header a test chooses.
#include "fault_server.hpp"

#include "loopback.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <deque>
#include <iomanip>
#include <list>
#include <locale>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

namespace pulse::testing {

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxWireBodyBytes = 16u << 20;  // Content-Length beyond this: 413 without reading
constexpr int kPollInterval_ms = 50;                  // how quickly stop() is noticed

// [SECTION] HTTP messages

struct Request {
    std::string method, target, version;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;                            // as on the wire

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

const char* reason_phrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 302: return "Found";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 409: return "Conflict";
        case 411: return "Length Required";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 425: return "Too Early";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

// A whole response. extra_headers are complete lines without CRLF.
std::string response(int status, const std::string& content_type, const std::string& body,
                     const std::vector<std::string>& extra_headers = {}, bool close = false) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
    out += "Content-Type: " + content_type + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& line : extra_headers) out += line + "\r\n";
    if (close) out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::string json_error(const std::string& message) {
    return Json{{"error", message}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    std::size_t begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    std::size_t end = s.find_last_not_of(" \t");
    return s.substr(begin, end - begin + 1);
}

// The outcome of looking at the start of a connection's input.
struct Parse {
    enum class State { incomplete, request, malformed } state = State::incomplete;
    Request request;
    std::size_t consumed = 0;      // bytes of input the request took
    int error_status = 0;          // malformed: the status to answer before closing
    bool wants_continue = false;   // incomplete: headers read, Expect: 100-continue, body not yet here
};

Parse parse_request(const std::string& in) {
    Parse p;
    const auto malformed = [&](int status) {
        p.state = Parse::State::malformed;
        p.error_status = status;
        return p;
    };
    if (in.empty()) return p;
    // A request starts with a method token: anything else (a TLS ClientHello,
    // binary junk) is refused at once rather than waited on.
    if (!std::isupper(static_cast<unsigned char>(in[0]))) return malformed(400);
    std::size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos) return in.size() > kMaxHeaderBytes ? malformed(431) : p;

    std::size_t line_end = in.find("\r\n");
    std::string line = in.substr(0, line_end);
    std::size_t s1 = line.find(' '), s2 = line.rfind(' ');
    if (s1 == std::string::npos || s2 == s1) return malformed(400);
    Request& r = p.request;
    r.method = line.substr(0, s1);
    r.target = line.substr(s1 + 1, s2 - s1 - 1);
    r.version = line.substr(s2 + 1);
    if (r.version.rfind("HTTP/1.", 0) != 0 || r.target.empty()) return malformed(400);

    std::size_t pos = line_end + 2;
    while (pos < end) {
        std::size_t next = in.find("\r\n", pos);
        std::string header = in.substr(pos, next - pos);
        pos = next + 2;
        std::size_t colon = header.find(':');
        if (colon == std::string::npos || colon == 0) return malformed(400);
        r.headers[lower(header.substr(0, colon))] = trim(header.substr(colon + 1));
    }
    if (r.headers.count("transfer-encoding")) return malformed(411);  // curl sends Content-Length
    std::size_t length = 0;
    if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
        const std::string& v = it->second;
        if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; })) return malformed(400);
        length = std::stoul(v);
        if (length > kMaxWireBodyBytes) return malformed(413);
    }
    std::size_t body_start = end + 4;
    if (in.size() < body_start + length) {
        p.wants_continue = lower(r.header("expect")) == "100-continue";
        return p;
    }
    r.body = in.substr(body_start, length);
    p.consumed = body_start + length;
    p.state = Parse::State::request;
    return p;
}

// gzip (or zlib) data inflated, at most limit + 1 bytes (so "too large" is
// detectable); false if it is not valid compressed data.
bool gunzip(const std::string& in, std::size_t limit, std::string& out) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) return false;  // +32: gzip or zlib header, detected
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    out.clear();
    char chunk[64 * 1024];
    int rc = Z_OK;
    while (rc == Z_OK && out.size() <= limit) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(chunk, sizeof chunk - z.avail_out);
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // truncated input
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END || out.size() > limit;
}

// [SECTION] Protocol v1 batches

struct Batch {
    int error_status = 0;  // 0: valid; else the status refusing it
    std::string error;     // why, for {"error": ...}
    std::size_t count = 0; // answers in the body (also when invalid, if readable)
    std::vector<std::pair<std::string, std::string>> answers;  // id, canonical content
};

bool is_id_text(const Json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

// "YYYY-MM-DDTHH:00:00Z": an hour, nothing finer.
bool is_hour_text(const Json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() != 20) return false;
    const char* shape = "dddd-dd-ddTdd:00:00Z";
    for (std::size_t i = 0; i < 20; ++i) {
        if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != shape[i]) return false;
    }
    return true;
}

std::string canonical_json(const Json& answer) {
    return answer.dump(-1, ' ', false, Json::error_handler_t::replace);  // Json sorts keys
}

// Reads and checks a batch body per docs/protocol.md, the whole body before anything is stored.
Batch read_batch(const Request& r, const FaultServerOptions& options) {
    Batch b;
    const auto refuse = [&](int status, std::string why) {
        b.error_status = status;
        b.error = std::move(why);
        return b;
    };
    std::string body = r.body;
    std::string encoding = lower(r.header("content-encoding"));
    if (encoding == "gzip") {
        std::string plain;
        if (!gunzip(r.body, options.max_body_bytes, plain)) return refuse(400, "body is not valid gzip");
        body = std::move(plain);
    } else if (!encoding.empty() && encoding != "identity") {
        return refuse(415, "unsupported Content-Encoding " + encoding);
    }
    if (body.size() > options.max_body_bytes) return refuse(413, "body larger than the limit");

    Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return refuse(400, "body is not a JSON object");
    if (auto it = json.find("answers"); it != json.end() && it->is_array()) b.count = it->size();

    static const std::set<std::string> kMembers{"schema", "terminal", "workplace", "batch", "bank", "answers"};
    for (const auto& [key, value] : json.items()) {
        if (!kMembers.count(key)) return refuse(400, "unexpected member \"" + key + "\"");
    }
    for (const auto& key : kMembers) {
        if (!json.contains(key)) return refuse(400, "missing member \"" + key + "\"");
    }
    if (!json["schema"].is_number_integer() || json["schema"].get<int>() != 1) return refuse(400, "schema is not 1");
    if (!is_id_text(json["terminal"]) || !is_id_text(json["workplace"])) return refuse(400, "bad terminal or workplace");
    if (!json["bank"].is_string() || json["bank"].get<std::string>().empty()) return refuse(400, "bad bank");
    if (!json["batch"].is_string() || json["batch"].get<std::string>().size() != 36) return refuse(400, "bad batch id");
    std::string key = r.header("idempotency-key");
    if (key.empty()) return refuse(400, "missing Idempotency-Key");
    if (key != json["batch"].get<std::string>()) return refuse(400, "Idempotency-Key is not the batch id");
    const Json& answers = json["answers"];
    if (!answers.is_array()) return refuse(400, "answers is not an array");
    if (answers.size() > options.max_answers) return refuse(413, "more than the limit of answers in a batch");

    static const std::set<std::string> kFields{"id", "question", "value", "lang", "hour"};
    for (const Json& a : answers) {
        if (!a.is_object() || a.size() != kFields.size()) return refuse(400, "an answer is not {id,question,value,lang,hour}");
        for (const auto& field : kFields) {
            if (!a.contains(field)) return refuse(400, "an answer lacks \"" + field + "\"");
        }
        if (!a["id"].is_string() || a["id"].get<std::string>().size() != 36) return refuse(400, "bad answer id");
        if (!a["question"].is_string() || a["question"].get<std::string>().empty()) return refuse(400, "bad question");
        const Json& v = a["value"];
        if (!v.is_null() && !(v.is_number_integer() && v.get<long>() >= 1 && v.get<long>() <= 5)) {
            return refuse(400, "value is not 1..5 or null");
        }
        if (a["lang"] != "da" && a["lang"] != "en") return refuse(400, "lang is not da or en");
        if (!is_hour_text(a["hour"])) return refuse(400, "hour is not YYYY-MM-DDTHH:00:00Z");
        b.answers.emplace_back(a["id"].get<std::string>(), canonical_json(a));
    }
    return b;
}

// [SECTION] Connections

struct Connection {
    enum class Mode { reading, writing, hanging, trickling };
    int fd = -1;
    std::string in;                 // read, not yet a whole request
    std::string out;                // the response being sent
    std::size_t sent = 0;           // bytes of out sent
    Mode mode = Mode::reading;
    bool close_after_write = false;
    bool continue_sent = false;     // 100 Continue already sent for the request being read
    Clock::time_point next_byte_at; // trickling: when the next byte goes
    bool closed = false;
};

void close_gracefully(Connection& c) {
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
    c.closed = true;
}

// Closes with a TCP RST instead of a FIN: SO_LINGER with a zero timeout.
void close_with_reset(Connection& c) {
    linger l{1, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close_gracefully(c);
}

// Sends what it can of c.out without blocking; false if the peer is gone.
bool send_some(Connection& c, std::size_t max_bytes) {
    std::size_t want = std::min(max_bytes, c.out.size() - c.sent);
    if (want == 0) return true;
    ssize_t n = ::send(c.fd, c.out.data() + c.sent, want, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.sent += static_cast<std::size_t>(n);
    return true;
}

}  // namespace

const char* fault_name(Fault fault) {
    switch (fault) {
        case Fault::ok: return "ok";
        case Fault::status_500: return "status_500";
        case Fault::status_503_retry_after: return "status_503_retry_after";
        case Fault::status_429: return "status_429";
        case Fault::reset_before_response: return "reset_before_response";
        case Fault::ack_lost: return "ack_lost";
        case Fault::hang: return "hang";
        case Fault::trickle: return "trickle";
        case Fault::html_200: return "html_200";
        case Fault::status_401: return "status_401";
        case Fault::status_413: return "status_413";
        case Fault::status_400: return "status_400";
        case Fault::redirect_302: return "redirect_302";
        case Fault::status_425_retry_after: return "status_425_retry_after";
    }
    return "?";
}

std::string FaultServer::http_date(std::int64_t unix_s) {
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::put_time(&utc, "%a, %d %b %Y %H:%M:%S GMT");
    return out.str();
}

std::string FaultServer::canonical(const Answer& answer) {
    Json a{{"id", answer.id},
           {"question", answer.question},
           {"value", answer.value ? Json(*answer.value) : Json(nullptr)},
           {"lang", answer.lang},
           {"hour", format_iso_utc(truncate_to_hour(answer.hour))}};
    return canonical_json(a);
}

// [SECTION] The server

struct FaultServer::Impl {
    FaultServerOptions options;
    std::uint16_t port = 0;
    int listen_fd = -1;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections_accepted{0};
    std::thread thread;

    mutable std::mutex mutex;  // guards everything below
    std::deque<Fault> queue;
    bool random_mode = false;
    std::mt19937_64 rng;
    std::discrete_distribution<int> random_fault;
    std::vector<Fault> random_faults;
    std::map<std::string, std::string> stored;
    std::set<std::string> idempotency_keys;
    std::vector<RequestRecord> records;
    std::map<Fault, int> fault_counts;

    // What the loop does with a connection after a request.
    struct Action {
        enum class Kind { respond, reset, hang, trickle } kind = Kind::respond;
        std::string bytes;  // respond, trickle
        bool close = false; // respond: close after sending
    };

    Fault next_fault() {
        if (!queue.empty()) {
            Fault f = queue.front();
            queue.pop_front();
            return f;
        }
        if (random_mode) return random_faults[static_cast<std::size_t>(random_fault(rng))];
        return Fault::ok;
    }

    // The honest collector: checks, then stores all or nothing. Fills rec.
    std::string collect(const Request& r, const Batch& batch, RequestRecord& rec) {
        const auto refuse = [&](int status, const std::string& why) {
            rec.status = status;
            return response(status, "application/json", json_error(why));
        };
        if (r.target != "/v1/batches") return refuse(404, "no such resource " + r.target);
        if (r.method != "POST") return refuse(405, "only POST");
        if (r.header("authorization") != "Bearer " + options.token) return refuse(401, "unknown token");
        if (lower(r.header("content-type")).rfind("application/json", 0) != 0) {
            return refuse(415, "Content-Type must be application/json");
        }
        if (batch.error_status) return refuse(batch.error_status, batch.error);

        std::map<std::string, const std::string*> seen;  // this batch: id -> content
        std::size_t accepted = 0, duplicates = 0;
        for (const auto& [id, content] : batch.answers) {
            const std::string* earlier = nullptr;
            if (auto it = stored.find(id); it != stored.end()) earlier = &it->second;
            else if (auto it2 = seen.find(id); it2 != seen.end()) earlier = it2->second;
            if (earlier && *earlier != content) return refuse(409, "answer " + id + " already stored with other content");
            if (earlier) {
                ++duplicates;
            } else {
                ++accepted;
                seen[id] = &content;
            }
        }
        for (const auto& [id, content] : seen) stored.emplace(id, *content);
        rec.accepted = accepted;
        rec.duplicates = duplicates;
        rec.status = 200;
        return response(200, "application/json", Json{{"accepted", accepted}, {"duplicates", duplicates}}.dump());
    }

    Action handle(const Request& r) {
        std::lock_guard lock(mutex);
        RequestRecord rec;
        rec.method = r.method;
        rec.target = r.target;
        rec.idempotency_key = r.header("idempotency-key");
        rec.gzip = lower(r.header("content-encoding")) == "gzip";
        if (!rec.idempotency_key.empty()) idempotency_keys.insert(rec.idempotency_key);
        Batch batch = read_batch(r, options);
        rec.answers = batch.count;

        // Only uploads take a fault: a heartbeat or a config pull from the
        // same terminal (404 here) must not use up the batch's schedule.
        Fault fault = r.target == "/v1/batches" ? next_fault() : Fault::ok;
        if (fault == Fault::status_413 && batch.count <= options.split_above) fault = Fault::ok;
        rec.fault = fault;
        Action action;
        const auto fixed = [&](int status, std::string bytes) {
            rec.status = status;
            action.bytes = std::move(bytes);
        };
        switch (fault) {
            case Fault::ok: action.bytes = collect(r, batch, rec); break;
            case Fault::status_500: fixed(500, response(500, "application/json", json_error("fault: internal error"))); break;
            case Fault::status_503_retry_after:
                fixed(503, response(503, "application/json", json_error("fault: unavailable"), {"Retry-After: 1"}));
                break;
            case Fault::status_429: fixed(429, response(429, "application/json", json_error("fault: slow down"))); break;
            case Fault::reset_before_response: action.kind = Action::Kind::reset; break;
            case Fault::ack_lost:
                collect(r, batch, rec);
                rec.status = 0;
                action.kind = Action::Kind::reset;
                break;
            case Fault::hang: action.kind = Action::Kind::hang; break;
            case Fault::trickle:
                action.bytes = collect(r, batch, rec);
                action.kind = Action::Kind::trickle;
                break;
            case Fault::html_200:
                fixed(200, response(200, "text/html; charset=utf-8",
                                    "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body>"
                                    "<h1>Welcome</h1><p>Accept the terms to continue.</p>"
                                    "<form method=\"post\" action=\"/portal\"><button>Accept</button></form>"
                                    "</body></html>\n"));
                break;
            case Fault::status_401: fixed(401, response(401, "application/json", json_error("fault: token refused"))); break;
            case Fault::status_413: fixed(413, response(413, "application/json", json_error("fault: batch too large"))); break;
            case Fault::status_400: fixed(400, response(400, "application/json", json_error("fault: batch refused"))); break;
            case Fault::redirect_302:
                fixed(302, response(302, "text/html", "<a href=\"/portal\">portal</a>\n",
                                    {"Location: http://127.0.0.1:" + std::to_string(port) + "/portal"}));
                break;
            case Fault::status_425_retry_after:
                fixed(425, response(425, "application/json", json_error("fault: an hour that has not ended yet"),
                                    {"Retry-After: " + options.too_early_retry_after}));
                break;
        }
        ++fault_counts[fault];
        records.push_back(std::move(rec));
        return action;
    }

    // A request that could not be parsed still counts, as an `ok` answered with an error.
    void record_malformed(int status) {
        std::lock_guard lock(mutex);
        RequestRecord rec;
        rec.status = status;
        ++fault_counts[Fault::ok];
        records.push_back(std::move(rec));
    }

    // bytes (a whole response) with a Date header after the status line, if
    // the test asked for one.
    std::string dated(std::string bytes) const {
        const std::size_t line_end = bytes.find("\r\n");
        if (!options.date || line_end == std::string::npos) return bytes;
        bytes.insert(line_end + 2, "Date: " + options.date() + "\r\n");
        return bytes;
    }

    // Handles every whole request in c.in while the connection is reading.
    void process_input(Connection& c) {
        while (c.mode == Connection::Mode::reading && !c.closed) {
            Parse p = parse_request(c.in);
            if (p.state == Parse::State::incomplete) {
                if (p.wants_continue && !c.continue_sent) {
                    c.continue_sent = true;
                    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                    (void)::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);
                }
                return;
            }
            if (p.state == Parse::State::malformed) {
                record_malformed(p.error_status);
                c.in.clear();
                c.out = dated(response(p.error_status, "application/json", json_error("malformed request"), {}, true));
                c.sent = 0;
                c.close_after_write = true;
                c.mode = Connection::Mode::writing;
                return;
            }
            c.in.erase(0, p.consumed);
            c.continue_sent = false;
            const Request& r = p.request;
            bool close = r.version == "HTTP/1.0" || lower(r.header("connection")) == "close";
            Action action = handle(r);
            switch (action.kind) {
                case Action::Kind::respond:
                    c.out = dated(std::move(action.bytes));
                    c.sent = 0;
                    c.close_after_write = close;
                    c.mode = Connection::Mode::writing;
                    break;
                case Action::Kind::reset: close_with_reset(c); break;
                case Action::Kind::hang: c.mode = Connection::Mode::hanging; break;
                case Action::Kind::trickle:
                    c.out = dated(std::move(action.bytes));
                    c.sent = 0;
                    c.close_after_write = close;
                    c.mode = Connection::Mode::trickling;
                    c.next_byte_at = Clock::now();
                    break;
            }
        }
    }

    // Reads what is there; false when the peer closed or failed.
    static bool read_some(Connection& c, bool keep) {
        char buffer[64 * 1024];
        for (;;) {
            ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                if (keep) c.in.append(buffer, static_cast<std::size_t>(n));
                if (c.in.size() > kMaxWireBodyBytes + kMaxHeaderBytes) return false;
                continue;
            }
            if (n == 0) return false;
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        }
    }

    // After a response is fully sent: close, or read the next request.
    void response_done(Connection& c) {
        if (c.close_after_write) {
            close_gracefully(c);
            return;
        }
        c.out.clear();
        c.sent = 0;
        c.mode = Connection::Mode::reading;
        process_input(c);
    }

    void run() {
        std::list<Connection> connections;
        while (!stopping.load()) {
            auto now = Clock::now();
            int timeout_ms = kPollInterval_ms;
            std::vector<pollfd> fds;
            fds.push_back({listen_fd, POLLIN, 0});
            for (auto& c : connections) {
                short events = POLLIN;
                if (c.mode == Connection::Mode::writing) events |= POLLOUT;
                if (c.mode == Connection::Mode::trickling) {
                    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(c.next_byte_at - now).count();
                    timeout_ms = std::clamp(static_cast<int>(wait), 0, timeout_ms);
                }
                fds.push_back({c.fd, events, 0});
            }
            if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) break;

            if (fds[0].revents & POLLIN) {
                for (;;) {
                    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    ++connections_accepted;
                    Connection c;
                    c.fd = fd;
                    connections.push_back(std::move(c));  // polled from the next round on
                }
            }
            std::size_t i = 1;
            for (auto& c : connections) {
                if (i >= fds.size() || fds[i].fd != c.fd) break;  // accepted this round
                short revents = fds[i++].revents;
                if (revents & (POLLIN | POLLHUP | POLLERR)) {
                    bool keep = c.mode == Connection::Mode::reading || c.mode == Connection::Mode::writing;
                    if (!read_some(c, keep)) {
                        close_gracefully(c);
                        continue;
                    }
                    if (c.mode == Connection::Mode::reading) process_input(c);
                }
                if (c.closed) continue;
                if (c.mode == Connection::Mode::writing) {
                    if (!send_some(c, c.out.size())) {
                        close_gracefully(c);
                        continue;
                    }
                    if (c.sent == c.out.size()) response_done(c);
                } else if (c.mode == Connection::Mode::trickling && Clock::now() >= c.next_byte_at) {
                    // First the status line at once, then a byte at a time.
                    std::size_t chunk = c.sent == 0 ? c.out.find("\r\n") + 2 : 1;
                    if (!send_some(c, chunk)) {
                        close_gracefully(c);
                        continue;
                    }
                    c.next_byte_at = Clock::now() + std::chrono::milliseconds(options.trickle_interval_ms);
                    if (c.sent == c.out.size()) response_done(c);
                }
            }
            connections.remove_if([](const Connection& c) { return c.closed; });
        }
        for (auto& c : connections) close_gracefully(c);
    }
};

FaultServer::FaultServer(FaultServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->port = impl_->options.port;
}

FaultServer::~FaultServer() { stop(); }

bool FaultServer::start(std::string* error) {
    if (impl_->thread.joinable()) return true;
    impl_->listen_fd = listen_on_loopback(impl_->port, /*nonblocking=*/true, &impl_->port, error);
    if (impl_->listen_fd < 0) return false;
    impl_->stopping = false;
    impl_->thread = std::thread([this] { impl_->run(); });
    return true;
}

void FaultServer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->stopping = true;
    impl_->thread.join();
    ::close(impl_->listen_fd);
    impl_->listen_fd = -1;
}

std::uint16_t FaultServer::port() const { return impl_->port; }

std::string FaultServer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void FaultServer::push(Fault fault, int times) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < times; ++i) impl_->queue.push_back(fault);
}

void FaultServer::push(std::initializer_list<Fault> faults) {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.insert(impl_->queue.end(), faults.begin(), faults.end());
}

void FaultServer::set_random(std::uint64_t seed, std::vector<std::pair<Fault, double>> weights) {
    std::lock_guard lock(impl_->mutex);
    impl_->random_faults.clear();
    std::vector<double> w;
    for (const auto& [fault, weight] : weights) {
        impl_->random_faults.push_back(fault);
        w.push_back(weight);
    }
    impl_->random_mode = !w.empty();
    impl_->rng.seed(seed);
    impl_->random_fault = std::discrete_distribution<int>(w.begin(), w.end());
}

void FaultServer::clear_schedule() {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.clear();
    impl_->random_mode = false;
}

std::map<std::string, std::string> FaultServer::stored() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stored;
}

std::size_t FaultServer::stored_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stored.size();
}

std::size_t FaultServer::request_count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->records.size();
}

std::size_t FaultServer::connection_count() const { return impl_->connections_accepted.load(); }

int FaultServer::fault_count(Fault fault) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->fault_counts.find(fault);
    return it == impl_->fault_counts.end() ? 0 : it->second;
}

std::size_t FaultServer::idempotency_keys_seen() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->idempotency_keys.size();
}

std::vector<RequestRecord> FaultServer::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->records;
}

}  // namespace pulse::testing
