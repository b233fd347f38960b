// test_server.cpp — the collector's HTTP API on a real server on 127.0.0.1
// with a real database (SQLite, and PostgreSQL in the "postgres: " copies of
// these tests: suite "store"), driven by a real HTTP client (httplib::Client), and
// by the kiosk's own uploader over libcurl, and by hand over a raw socket
// where a client library would not send what a hostile one does: every
// protocol rule, hostile bodies, the token checked before a byte of the
// body is read, 425 for an early batch, the Date header on every response,
// the auth of the summary routes, concurrent uploads of one batch.
#include "../common/hostile_bodies.hpp"
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "terminal/http_client.hpp"
#include "collector/http/ingest.hpp"
#include "collector/http/server.hpp"
#include "terminal/upload_policy.hpp"
#include "terminal/uploader.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_server {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

const UnixSeconds kNow = *parse_iso8601("2026-11-27T10:30:00Z");  // wire_batch's hours are 09:00 that day
const UnixSeconds kW48Published = *parse_iso8601("2026-11-30T06:00:00Z");  // Monday 07:00 Copenhagen

// A collector on 127.0.0.1 at a free port, on a fresh database, with the
// clock at kNow until a test moves it (now). log collects the server's log lines.
struct Collector {
    CollectorConfig config = test_collector_config();
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<CollectorServer> server;
    std::atomic<UnixSeconds> now{kNow};
    std::mutex log_mutex;
    std::vector<std::string> log;

    Collector() {
        std::string error;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        server = std::make_unique<CollectorServer>(*config_ptr(), *store, [this] { return now.load(); },
                                                   [this](const std::string& line) {
                                                       std::lock_guard<std::mutex> lock(log_mutex);
                                                       log.push_back(line);
                                                   });
        REQUIRE_MESSAGE(server->start("127.0.0.1", 0, &error), error);
    }
    ~Collector() { server->stop(); }
    const CollectorConfig* config_ptr() const { return &config; }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", server->port());
        c.set_read_timeout(30, 0);
        return c;
    }

    // POSTs body to /v1/batches with token (and Content-Encoding when given).
    httplib::Result post(const std::string& body, const std::string& token = kTerminalToken,
                         const std::string& encoding = "") const {
        httplib::Headers headers = {{"Authorization", "Bearer " + token}};
        if (!encoding.empty()) headers.emplace("Content-Encoding", encoding);
        return client().Post("/v1/batches", headers, body, "application/json");
    }
    httplib::Result post(const json& body, const std::string& token = kTerminalToken) const {
        return post(body.dump(), token);
    }

    httplib::Result get(const std::string& path, const std::string& token) const {
        httplib::Headers headers;
        if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
        return client().Get(path.c_str(), headers);
    }

    // Rows in the collector's database, read straight from it.
    std::int64_t stored() const { return query_int(config.database, "SELECT COUNT(*) FROM answers"); }
};

// The {"error": …} of a response ("" when there is none).
std::string error_of(const httplib::Result& r) {
    if (!r) return "no response: " + httplib::to_string(r.error());
    const json body = json::parse(r->body, nullptr, false);
    return body.is_object() && body.contains("error") && body["error"].is_string() ? body["error"].get<std::string>()
                                                                                      : "";
}

#define CHECK_STATUS(result, code, fragment)                                                          \
    do {                                                                                              \
        const httplib::Result& r_ = (result);                                                         \
        REQUIRE_MESSAGE(r_, httplib::to_string(r_.error()));                                          \
        CHECK_MESSAGE(r_->status == (code), "body: ", r_->body);                                      \
        CHECK_MESSAGE(error_of(r_).find(fragment) != std::string::npos, "body: ", r_->body);          \
        CHECK(r_->get_header_value("Content-Type") == "application/json");                            \
    } while (false)

// One HTTP response as received: its head and body.
struct RawResponse {
    std::string text;  // "" when none came
    int status() const { return text.size() > 12 ? std::atoi(text.substr(9, 3).c_str()) : 0; }
    std::string header(const std::string& name) const {
        const std::string key = "\r\n" + name + ": ";
        const std::size_t at = text.find(key);
        if (at == std::string::npos || at > text.find("\r\n\r\n")) return "";
        const std::size_t from = at + key.size();
        return text.substr(from, text.find("\r\n", from) - from);
    }
    std::string body() const {
        const std::size_t head_end = text.find("\r\n\r\n");
        return head_end == std::string::npos ? "" : text.substr(head_end + 4);
    }
};

// A connection to the server on 127.0.0.1 written and read by hand: a client
// library would neither send what a hostile client sends nor show what comes
// after a response. Every read waits at most 30 s for a byte.
class RawConnection {
public:
    explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        REQUIRE(fd_ >= 0);
        timeval timeout{30, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Sends bytes: all, or what the server took before it closed the connection.
    void send(const std::string& bytes) {
        for (std::size_t sent = 0; sent < bytes.size();) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;
            sent += static_cast<std::size_t>(n);
        }
    }

    // The next response (head, then Content-Length bytes of body); text ""
    // when the connection closed or went quiet first.
    RawResponse read_response() {
        std::size_t head_end;
        while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return {};
        }
        RawResponse head{buffer_.substr(0, head_end + 4)};
        const std::size_t total = head_end + 4 + static_cast<std::size_t>(std::atoi(head.header("Content-Length").c_str()));
        while (buffer_.size() < total) {
            if (!fill()) return {};
        }
        RawResponse out{buffer_.substr(0, total)};
        buffer_.erase(0, total);
        return out;
    }

    // True when the server closes the connection with nothing more sent (a
    // reset counts: it is how a socket closes with bytes of ours unread);
    // false when more bytes come (*more gets them) or 30 s pass.
    bool closes(std::string* more) {
        while (fill()) {
        }
        *more = buffer_;
        return closed_ && buffer_.empty();
    }

private:
    bool fill() {
        char chunk[4096];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        closed_ = n == 0 || errno == ECONNRESET;
        return false;
    }

    int fd_;
    std::string buffer_;
    bool closed_ = false;
};

// A POST /v1/batches request's head with these extra header lines.
std::string batch_request_head(const std::string& token, const std::string& extra_headers) {
    return "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n";
}

json ack(const httplib::Result& r) {
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    REQUIRE_MESSAGE(r->status == 200, r->body);
    return json::parse(r->body);
}

}  // namespace

TEST_SUITE_BEGIN("store");

TEST_CASE("a batch is stored and its resend counts as duplicates") {
    Collector c;
    CHECK(ack(c.post(wire_batch(3))) == json{{"accepted", 3}, {"duplicates", 0}});
    CHECK(ack(c.post(wire_batch(3))) == json{{"accepted", 0}, {"duplicates", 3}});
    CHECK(ack(c.post(wire_batch(4, 2))) == json{{"accepted", 2}, {"duplicates", 2}});  // ids 2..5
    CHECK(c.stored() == 5);
}

TEST_CASE("a gzip body is stored like a plain one, whatever the case of its Content-Encoding") {
    Collector c;
    CHECK(ack(c.post(gzip(wire_batch(5).dump()), kTerminalToken, "gzip")) == json{{"accepted", 5}, {"duplicates", 0}});
    CHECK(c.stored() == 5);
    // httplib inflates only "gzip" as spelt so; the collector inflates the others, with the same limit.
    CHECK(ack(c.post(gzip(wire_batch(2, 10).dump()), kTerminalToken, "GZIP"))["accepted"] == 2);
    CHECK(ack(c.post(gzip(wire_batch(2, 20).dump()), kTerminalToken, "x-gzip"))["accepted"] == 2);
    CHECK_STATUS(c.post(gzip(std::string(kMaxBodyBytes + 1, ' ')), kTerminalToken, "GZIP"), 413, "after gzip decompression");
    CHECK(c.stored() == 9);
}

TEST_CASE("an id stored with other content is 409 and nothing of that batch is stored") {
    Collector c;
    ack(c.post(wire_batch(2)));
    json changed = wire_batch(4);  // ids 1..4; id 2 now says 5
    changed["answers"][1]["value"] = 5;
    CHECK_STATUS(c.post(changed), 409, test_uuid(2));
    CHECK(c.stored() == 2);  // ids 3 and 4 were not stored either
}

TEST_CASE("each bad body is 400 with its message and nothing is stored") {
    Collector c;
    const auto bad = [](const char* field, const json& value, unsigned index = 2) {
        json b = wire_batch(4);
        b["answers"][index][field] = value;
        return b;
    };
    CHECK_STATUS(c.post(std::string("not json")), 400, "body: not valid JSON");
    CHECK_STATUS(c.post(bad("value", 7)), 400, "answers[2].value: 7 is not 1–5 or null");
    CHECK_STATUS(c.post(bad("question", "7.1")), 400, "answers[2].question");
    CHECK_STATUS(c.post(bad("lang", "sv")), 400, "answers[2].lang");
    CHECK_STATUS(c.post(bad("id", test_uuid(1))), 400, "appears twice");
    json schema = wire_batch(1);
    schema["schema"] = 2;
    CHECK_STATUS(c.post(schema), 400, "schema: 2 is not 1");
    std::string corrupt = gzip(wire_batch(3).dump());
    for (std::size_t i = 12; i < corrupt.size() - 8; i += 7) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x33);
    const httplib::Result r = c.post(corrupt, kTerminalToken, "gzip");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, r->body);
    CHECK(c.stored() == 0);
}

TEST_CASE("an oversize body is 413, compressed or not, and nothing is stored") {
    Collector c;
    CHECK_STATUS(c.post(std::string(kMaxBodyBytes + 1, ' ')), 413, "2 MiB");
    CHECK_STATUS(c.post(gzip(std::string(kMaxBodyBytes + 1, ' ')), kTerminalToken, "gzip"), 413, "after decompression");
    CHECK_STATUS(c.post(wire_batch(5001)), 413, "more than 5000");
    CHECK(c.stored() == 0);
    CHECK(ack(c.post(wire_batch(1)))["accepted"] == 1);  // the server still serves
}

TEST_CASE("an unknown token is 401, another workplace 403, and nothing is stored") {
    Collector c;
    CHECK_STATUS(c.post(wire_batch(2), "wrong-token"), 401, "no terminal has this token");
    CHECK_STATUS(c.post(wire_batch(2), kManagerToken), 401, "no terminal has this token");
    const httplib::Result none = c.client().Post("/v1/batches", wire_batch(2).dump(), "application/json");
    CHECK_STATUS(none, 401, "Bearer");
    CHECK_STATUS(c.post(wire_batch(2), kOtherTerminalToken), 403, "terminal: \"term-a\"");
    json other_place = wire_batch(2);
    other_place["workplace"] = "wp-b";
    CHECK_STATUS(c.post(other_place), 403, "workplace: \"wp-b\"");
    CHECK(c.stored() == 0);
    for (const std::string& line : c.log) CHECK(line.find(kTerminalToken) == std::string::npos);
}

TEST_CASE("an answer ahead of the server's clock is 425 with Retry-After and nothing is stored; once the clock has moved the same batch is accepted") {
    Collector c;  // 10:30: hours up to 11:00 are taken
    json batch = wire_batch(3);
    batch["answers"][1]["hour"] = "2026-11-27T12:00:00Z";
    const httplib::Result early = c.post(batch);
    CHECK_STATUS(early, 425, "answers[1].hour: \"2026-11-27T12:00:00Z\" is ahead of the server's clock");
    CHECK(early->get_header_value("Retry-After") == "1800");  // 11:00, when 11:00 + 1 h reaches 12:00
    CHECK(c.stored() == 0);

    // The terminal's own reading of that answer, over its own transport: retry, after Retry-After.
    std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
    const HttpResponse seen = http->post(HttpRequest{"http://127.0.0.1:" + std::to_string(c.server->port()) + "/v1/batches",
                                                     {{"Authorization", "Bearer " + kTerminalToken},
                                                      {"Content-Type", "application/json"}},
                                                     batch.dump()});
    REQUIRE_MESSAGE(seen.status == 425, seen.transport_message, seen.body);
    const UploadVerdict verdict = classify_response(seen, 3, c.now);
    CHECK(verdict.kind == UploadVerdict::Kind::transient);
    CHECK(verdict.retry_after_s == 1800.0);

    c.now = kNow + 1799;
    const httplib::Result still = c.post(batch);
    CHECK_STATUS(still, 425, "answers[1].hour");
    CHECK(still->get_header_value("Retry-After") == "1");
    CHECK(c.stored() == 0);
    c.now = kNow + 1800;
    CHECK(ack(c.post(batch)) == json{{"accepted", 3}, {"duplicates", 0}});
    CHECK(c.stored() == 3);
}

TEST_CASE("the same batch uploaded from several threads at once is accepted exactly once") {
    Collector c;
    constexpr int kThreads = 8;
    const std::string body = wire_batch(200).dump();
    std::atomic<int> accepted_all{0}, duplicates_all{0}, full_accepts{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            const httplib::Result r = c.post(body);
            if (!r || r->status != 200) {
                ++failures;
                return;
            }
            const json j = json::parse(r->body);
            accepted_all += j["accepted"].get<int>();
            duplicates_all += j["duplicates"].get<int>();
            if (j["accepted"] == 200) ++full_accepts;
        });
    }
    for (std::thread& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(accepted_all == 200);
    CHECK(duplicates_all == 200 * (kThreads - 1));
    CHECK(full_accepts == 1);
    CHECK(c.stored() == 200);
}

TEST_CASE("a published summary is for a manager of the workplace or HR, never IT or a terminal") {
    Collector c;
    ack(c.post(wire_batch(6)));
    c.now = kW48Published;
    const std::string path = "/v1/workplaces/wp-a/summary?week=2026-W48";
    CHECK_STATUS(c.get(path, ""), 401, "unknown token");
    CHECK_STATUS(c.get(path, "nobody"), 401, "unknown token");
    CHECK_STATUS(c.get(path, kTerminalToken), 403, "terminal token");
    CHECK_STATUS(c.get(path, kAdminToken), 403, "IT reads participation");
    CHECK_STATUS(c.get("/v1/workplaces/wp-b/summary?week=2026-W48", kManagerToken), 403, "wp-b");
    CHECK_STATUS(c.get("/v1/workplaces/wp-a/summary?week=2026-W99", kManagerToken), 400, "week");
    CHECK_STATUS(c.get("/v1/workplaces/wp-a/summary?week=2026-W48&lang=de", kManagerToken), 400, "lang");
    CHECK_STATUS(c.get("/v1/workplaces/nowhere/summary?week=2026-W48", kHrToken), 404, "nowhere");

    for (const std::string& token : {kManagerToken, kHrToken}) {
        const httplib::Result r = c.get(path, token);
        REQUIRE(r);
        REQUIRE_MESSAGE(r->status == 200, r->body);
        const json j = json::parse(r->body);
        CHECK(j["workplace"] == "wp-a");
        CHECK(j["week"] == "2026-W48");
        CHECK(j["answers"] == 6);
    }
    CHECK(json::parse(c.get("/v1/workplaces/wp-b/summary?week=2026-W48", kHrToken)->body)["answers_withheld"] == true);
    const httplib::Result csv = c.get("/v1/workplaces/wp-a/summary.csv?week=2026-W48", kManagerToken);
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
    const httplib::Result html = c.get("/v1/workplaces/wp-a/summary.html?week=2026-W48&lang=en", kHrToken);
    REQUIRE(html);
    CHECK(html->status == 200);
    CHECK(html->body.find("<table class=\"themes\"") != std::string::npos);
    // Without ?week=: the latest published week.
    CHECK(json::parse(c.get("/v1/workplaces/wp-a/summary", kManagerToken)->body)["week"] == "2026-W48");
}

TEST_CASE("a week not yet published is a 404 that says when it will be, in every format and the overview") {
    Collector c;
    ack(c.post(wire_batch(6)));
    c.now = kW48Published - 1;
    for (const char* route : {"/v1/workplaces/wp-a/summary?week=2026-W48", "/v1/workplaces/wp-a/summary.csv?week=2026-W48",
                              "/v1/workplaces/wp-a/summary.html?week=2026-W48", "/v1/admin/overview?week=2026-W48"}) {
        CAPTURE(route);
        const httplib::Result r = c.get(route, std::string(route).find("admin") != std::string::npos ? kAdminToken
                                                                                                    : kManagerToken);
        CHECK_STATUS(r, 404, "week 2026-W48 is published at 2026-11-30T06:00:00Z (Monday 07:00 Copenhagen time)");
        CHECK(json::parse(r->body)["published_at"] == "2026-11-30T06:00:00Z");
        CHECK(r->get_header_value("Retry-After") == "1");
    }
    // The week still running is never there either.
    CHECK_STATUS(c.get("/v1/workplaces/wp-a/summary?week=2026-W49", kManagerToken), 404, "2026-W49 is published at");
}

TEST_CASE("IT's overview shows each workplace's sealed participation, its terminals and late answers, under the threshold") {
    Collector c;
    ack(c.post(wire_batch(7)));
    c.now = kW48Published;
    CHECK_STATUS(c.get("/v1/admin/overview?week=2026-W48", kManagerToken), 403, "only an admin");
    CHECK_STATUS(c.get("/v1/admin/overview?week=2026-W48", kHrToken), 403, "only an admin");
    CHECK_STATUS(c.get("/v1/admin/overview?week=2026-W48", "x"), 401, "unknown token");
    CHECK_STATUS(c.get("/v1/admin/overview?week=48", kAdminToken), 400, "week");
    const httplib::Result r = c.get("/v1/admin/overview?week=2026-W48", kAdminToken);
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    json j = json::parse(r->body);
    CHECK(j["published_at"] == "2026-11-30T06:00:00Z");
    CHECK(j["workplaces"] ==
          json::array({{{"workplace", "wp-a"}, {"terminals", {"term-a"}}, {"withheld", false}, {"answers_in_week", 7},
                        {"late_withheld", true}},
                       {{"workplace", "wp-b"}, {"terminals", {"term-b"}}, {"withheld", true}, {"late_withheld", true}}}));
    const json before = json::parse(c.get("/v1/admin/overview?week=2026-W47", kAdminToken)->body);
    CHECK(before["workplaces"][0]["withheld"] == true);  // nobody answered in W47
    CHECK_FALSE(before["workplaces"][0].contains("answers_in_week"));

    // Five answers arrive late for W48: the overview counts them apart and the participation stays.
    ack(c.post(wire_batch(5, 100, 0xbee)));
    j = json::parse(c.get("/v1/admin/overview?week=2026-W48", kAdminToken)->body);
    CHECK(j["workplaces"][0]["answers_in_week"] == 7);
    CHECK(j["workplaces"][0]["late_withheld"] == false);
    CHECK(j["workplaces"][0]["late_answers"] == 5);
}

TEST_CASE("reading, answering once more and reading again never shows that answer: each read is identical or refused") {
    Collector c;
    ack(c.post(wire_batch(10)));  // ten "enig" (4) to 2.3 on Friday of 2026-W48
    const std::vector<std::pair<std::string, std::string>> reads = {
        {"/v1/workplaces/wp-a/summary?week=2026-W48", kManagerToken},
        {"/v1/workplaces/wp-a/summary.csv?week=2026-W48", kManagerToken},
        {"/v1/workplaces/wp-a/summary.html?week=2026-W48&lang=en", kHrToken},
        {"/v1/workplaces/wp-a/summary", kManagerToken},
        {"/v1/admin/overview?week=2026-W48", kAdminToken},
        {"/v1/admin/overview", kAdminToken},
    };
    const auto read_all = [&] {
        std::vector<std::pair<int, std::string>> out;
        for (const auto& [path, token] : reads) {
            const httplib::Result r = c.get(path, token);
            REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
            out.emplace_back(r->status, r->body);
        }
        return out;
    };
    // One "helt uenig" (1) to the same question, in the same hour, with a new id each time.
    unsigned next_id = 500;
    const auto answer_once = [&] {
        json one = wire_batch(1, next_id, next_id);
        one["answers"][0]["value"] = 1;
        ++next_id;
        CHECK(ack(c.post(one))["accepted"] == 1);
    };

    // While the week runs: refused, before and after.
    const auto running_before = read_all();
    answer_once();
    const auto running_after = read_all();
    CHECK(running_before == running_after);
    for (std::size_t i = 0; i < 3; ++i) CHECK(running_after[i].first == 404);  // W48 is not published yet

    // Published: the same bytes, read after read, whatever arrives late.
    c.now = kW48Published;
    const auto published = read_all();
    for (const auto& [status, body] : published) CHECK_MESSAGE(status == 200, body);
    const json summary = json::parse(published[0].second);
    CHECK(summary["answers"] == 11);  // the ten and the one given while the week ran
    for (int late = 0; late < 3; ++late) {
        answer_once();
        CHECK(read_all() == published);
    }
    c.now = kW48Published + 7 * 86400 - 1;  // a week on, W48 read again: still the same
    for (std::size_t i = 0; i < 3; ++i) {
        const httplib::Result r = c.get(reads[i].first, reads[i].second);
        CHECK(r->body == published[i].second);
    }
    CHECK(c.stored() == 14);  // every answer kept: exactly once holds for late ones too
}

TEST_CASE("an accepted upload leaves no log line, a refused one says why without the token") {
    Collector c;
    CHECK(ack(c.post(wire_batch(3))) == json{{"accepted", 3}, {"duplicates", 0}});
    CHECK(ack(c.post(wire_batch(3))) == json{{"accepted", 0}, {"duplicates", 3}});
    CHECK(c.log.empty());
    json bad = wire_batch(1, 100);
    bad["answers"][0]["value"] = 9;
    CHECK_STATUS(c.post(bad), 400, "value");
    REQUIRE(c.log.size() == 1);
    CHECK(c.log[0].find("POST /v1/batches: terminal term-a: 400 ") == 0);
    CHECK(c.log[0].find(kTerminalToken) == std::string::npos);
}

TEST_CASE("an unknown route is a 404 with a JSON error") {
    Collector c;
    CHECK_STATUS(c.get("/v2/nothing", kAdminToken), 404, "no such route");
}

TEST_CASE("the kiosk's own uploader stores every answer on the collector exactly once") {
    Collector c;
    const std::filesystem::path kiosk_db = temp_folder() / "kiosk.sqlite3";
    StoreStatus status;
    std::unique_ptr<AnswerStore> kiosk = AnswerStore::open(kiosk_db, &status);
    REQUIRE_MESSAGE(kiosk, status.message);
    Rng rng(3);
    std::vector<Answer> answers;
    for (int i = 0; i < 1234; ++i) {
        std::optional<int> value;
        if (i % 7 != 0) value = 1 + i % 5;
        answers.push_back(Answer{uuid_v4(rng), i % 2 ? "1.1" : "3.2", value, i % 3 ? "da" : "en",
                                 truncate_to_hour(kNow) - 3600 * (i % 50)});
    }
    REQUIRE(kiosk->insert(answers));

    UploadSettings settings;
    settings.endpoint = "http://127.0.0.1:" + std::to_string(c.server->port());
    settings.token = kTerminalToken;
    settings.terminal = "term-a";
    settings.workplace = "wp-a";
    settings.bank_version = "2026.1";
    settings.batch_size = 500;
    std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
    std::vector<std::string> log;
    Uploader uploader(*kiosk, *http, settings, Rng(9), [&](const std::string& line) { log.push_back(line); });
    std::string all_log;
    for (int i = 0; i < 10; ++i) {
        // An hour on: the terminal uploads only hours that have ended.
        const Uploader::Step s = uploader.step(kNow + 3600);
        if (s.pending == 0 && s.attempted) break;
    }
    for (const std::string& line : log) all_log += line + "\n";
    CHECK_MESSAGE(kiosk->upload_queue().count_pending_upload() == 0, all_log);
    CHECK(c.stored() == 1234);

    // A resend of everything (as after a lost acknowledgement) adds nothing.
    json body = {{"schema", 1}, {"terminal", "term-a"}, {"workplace", "wp-a"}, {"batch", test_uuid(77)},
                 {"bank", "2026.1"}, {"answers", json::array()}};
    for (const Answer& a : answers) {
        body["answers"].push_back({{"id", a.id}, {"question", a.question},
                                   {"value", a.value ? json(*a.value) : json(nullptr)}, {"lang", a.lang},
                                   {"hour", format_iso_utc(a.hour)}});
    }
    CHECK(ack(c.post(body)) == json{{"accepted", 0}, {"duplicates", 1234}});
    CHECK(c.stored() == 1234);
}

TEST_SUITE_END();

TEST_CASE("every hostile body is a 4xx JSON error naming its field, plain or gzip, and nothing is stored") {
    Collector c;
    for (const HostileBody& h : hostile_bodies()) {
        CAPTURE(h.kind);
        for (const bool gzipped : {false, true}) {
            CAPTURE(gzipped);
            const httplib::Result r = gzipped ? c.post(gzip(h.body), kTerminalToken, "gzip") : c.post(h.body);
            CHECK_STATUS(r, h.status, h.field);
            CHECK_MESSAGE(error_of(r).rfind(h.field, 0) == 0, r->body);
            CHECK(r->body.size() < 500);
            CHECK_FALSE(r->has_header("Retry-After"));
        }
    }
    CHECK(c.stored() == 0);
    std::lock_guard<std::mutex> lock(c.log_mutex);
    for (const std::string& line : c.log) {
        CHECK(line.find('\n') == std::string::npos);
        CHECK_NOTHROW((void)json(line).dump());  // UTF-8
    }
    CHECK(ack(c.post(wire_batch(1)))["accepted"] == 1);  // the server still serves
}

TEST_CASE("an unknown token is 401 before a byte of the body is read or inflated") {
    Collector c;
    // Bodies the terminal's token gets 413, 400 and 415 for: an unknown token gets 401, so none was read.
    const std::string bomb = gzip(std::string(64 * 1024 * 1024, ' '));  // 64 MiB inflated
    std::string corrupt = gzip(wire_batch(3).dump());
    for (std::size_t i = 12; i < corrupt.size() - 8; i += 7) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x33);
    CHECK_STATUS(c.post(bomb, kTerminalToken, "gzip"), 413, "after decompression");
    CHECK_STATUS(c.post(bomb, "wrong-token", "gzip"), 401, "no terminal has this token");
    CHECK_STATUS(c.post(corrupt, kTerminalToken, "gzip"), 400, "not valid gzip");
    CHECK_STATUS(c.post(corrupt, "wrong-token", "gzip"), 401, "no terminal has this token");
    CHECK_STATUS(c.post(wire_batch(1).dump(), kTerminalToken, "br"), 415, "Content-Encoding");
    CHECK_STATUS(c.post(wire_batch(1).dump(), "wrong-token", "br"), 401, "no terminal has this token");

    // 100 MB announced and not one byte sent: the answer can only come before the body.
    for (const char* encoding : {"", "Content-Encoding: gzip\r\n"}) {
        CAPTURE(encoding);
        const std::string head = std::string("Content-Length: 100000000\r\n") + encoding;
        std::string more;
        RawConnection unknown(c.server->port());
        unknown.send(batch_request_head("wrong-token", head));
        const RawResponse refused = unknown.read_response();
        CHECK_MESSAGE(refused.status() == 401, refused.text);
        CHECK(json::parse(refused.body())["error"].get<std::string>().rfind("Authorization: no terminal has this token", 0) == 0);
        CHECK(refused.header("Connection") == "close");
        CHECK(unknown.closes(&more));
        // The terminal's own token: too large, said before the body too.
        RawConnection known(c.server->port());
        known.send(batch_request_head(kTerminalToken, head));
        const RawResponse too_large = known.read_response();
        CHECK_MESSAGE(too_large.status() == 413, too_large.text);
        CHECK(too_large.body().find("100000000 bytes, more than the limit of 2 MiB") != std::string::npos);
        CHECK(known.closes(&more));
    }
    CHECK(c.stored() == 0);
}

TEST_CASE("the rest of a body the server did not read is never taken for a request: the connection is closed") {
    Collector c;
    // 16 KiB the server does not read: more than httplib reads ahead with the
    // head, so that, were the connection kept, they would be read as the next
    // request (and answered: nginx, which keeps its upstream connections,
    // would hand that answer to its next client).
    const std::string unread = std::string(16 * 1024, 'x') + "\r\n\r\n";
    const std::string length = "Content-Length: " + std::to_string(unread.size()) + "\r\n";
    for (const auto& [token, extra, status] : {std::tuple{std::string("wrong-token"), std::string(), 401},
                                               std::tuple{kTerminalToken, std::string("Content-Encoding: br\r\n"), 415}}) {
        CAPTURE(status);
        RawConnection connection(c.server->port());
        connection.send(batch_request_head(token, length + extra) + unread);
        const RawResponse r = connection.read_response();
        CHECK_MESSAGE(r.status() == status, r.text);
        CHECK(r.header("Connection") == "close");
        CHECK(r.header("Keep-Alive").empty());
        std::string more;
        CHECK_MESSAGE(connection.closes(&more), "after the response came: ", more.substr(0, 300));
    }
    // A body over 2 MiB but within twice that is read and dropped, raw: the
    // 413 leaves the connection in order, and the next request is served on it.
    RawConnection connection(c.server->port());
    const std::string over(kMaxBodyBytes + 1, ' ');
    connection.send(batch_request_head(kTerminalToken, "Content-Length: " + std::to_string(over.size()) + "\r\n") + over);
    const RawResponse too_large = connection.read_response();
    CHECK_MESSAGE(too_large.status() == 413, too_large.text);
    CHECK(too_large.header("Connection").empty());
    connection.send("GET /v2/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const RawResponse next = connection.read_response();
    CHECK_MESSAGE(next.status() == 404, next.text);
    std::string more;
    CHECK(connection.closes(&more));  // as the second request asked
}

TEST_CASE("Bearer is read in any case: bearer and BEARER are the same scheme") {
    Collector c;
    unsigned id = 1;
    for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR  "}) {
        CAPTURE(scheme);
        const httplib::Result r = c.client().Post("/v1/batches", {{"Authorization", scheme + kTerminalToken}},
                                                  wire_batch(1, id++).dump(), "application/json");
        CHECK(ack(r)["accepted"] == 1);
    }
    CHECK_STATUS(c.client().Post("/v1/batches", {{"Authorization", "Bearerx " + kTerminalToken}},
                                 wire_batch(1, id++).dump(), "application/json"),
                 401, "Bearer");
    CHECK_STATUS(c.client().Post("/v1/batches", {{"Authorization", "Basic " + kTerminalToken}},
                                 wire_batch(1, id++).dump(), "application/json"),
                 401, "Bearer");
    const httplib::Result overview = c.client().Get("/v1/admin/overview", {{"Authorization", "BEARER " + kAdminToken}});
    REQUIRE(overview);
    CHECK_MESSAGE(overview->status == 200, overview->body);  // the summary routes read the scheme alike
}

TEST_CASE("an HTTP date is IMF-fixdate, and the terminal reads it back as the same second") {
    CHECK(format_http_date(kNow) == "Fri, 27 Nov 2026 10:30:00 GMT");
    CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format_http_date(*parse_iso8601("2028-02-29T23:59:59Z")) == "Tue, 29 Feb 2028 23:59:59 GMT");
    CHECK(format_http_date(*parse_iso8601("2026-03-29T01:05:09Z")) == "Sun, 29 Mar 2026 01:05:09 GMT");
    for (UnixSeconds t = 946684800; t < 4102444800; t += 7777777) {  // 2000 .. 2100
        CAPTURE(t);
        CHECK(parse_retry_after(format_http_date(t), t - 17) == 17.0);  // the terminal's parser of HTTP dates
    }
}

TEST_CASE("every response carries a Date from the server's clock, refusals and the library's own errors too") {
    Collector c;
    c.now = kNow + 59;
    const std::string expected = format_http_date(c.now);
    CHECK(expected == "Fri, 27 Nov 2026 10:30:59 GMT");
    json early = wire_batch(1, 50);
    early["answers"][0]["hour"] = "2026-11-27T15:00:00Z";
    json bad = wire_batch(1, 60);
    bad["answers"][0]["value"] = 9;
    const std::vector<std::pair<std::string, httplib::Result>> responses = [&] {
        std::vector<std::pair<std::string, httplib::Result>> out;
        out.emplace_back("200 upload", c.post(wire_batch(2)));
        out.emplace_back("400 bad batch", c.post(bad));
        out.emplace_back("401 upload", c.post(wire_batch(2), "wrong-token"));
        out.emplace_back("413 inflated", c.post(gzip(std::string(kMaxBodyBytes + 1, ' ')), kTerminalToken, "gzip"));
        out.emplace_back("415 upload", c.post(wire_batch(1).dump(), kTerminalToken, "br"));
        out.emplace_back("425 upload", c.post(early));
        out.emplace_back("404 not published", c.get("/v1/workplaces/wp-a/summary?week=2026-W48", kManagerToken));
        out.emplace_back("403 summary", c.get("/v1/workplaces/wp-a/summary", kAdminToken));
        out.emplace_back("401 overview", c.get("/v1/admin/overview", "nobody"));
        out.emplace_back("404 no route (library)", c.get("/v2/nothing", kAdminToken));
        out.emplace_back("404 no POST route (library)", c.client().Post("/v1/nothing", "{}", "application/json"));
        out.emplace_back("414 URI too long (library)", c.get("/" + std::string(10000, 'a'), ""));
        return out;
    }();
    for (const auto& [what, r] : responses) {
        CAPTURE(what);
        REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
        CHECK(r->status == std::stoi(what.substr(0, 3)));
        CHECK(r->get_header_value("Date") == expected);
        CHECK(r->get_header_value_count("Date") == 1);
    }
    // A request line httplib cannot read: its own 400, with the Date too.
    RawConnection connection(c.server->port());
    connection.send("NONSENSE\r\n\r\n");
    const RawResponse garbage = connection.read_response();
    CHECK_MESSAGE(garbage.status() == 400, garbage.text);
    CHECK(garbage.header("Date") == expected);
    // Published, and a later clock: a summary's Date follows the clock.
    c.now = kW48Published + 3600;
    const httplib::Result summary = c.get("/v1/workplaces/wp-a/summary.csv?week=2026-W48", kManagerToken);
    REQUIRE(summary);
    CHECK(summary->status == 200);
    CHECK(summary->get_header_value("Date") == "Mon, 30 Nov 2026 07:00:00 GMT");
}

TEST_CASE("a summary or overview whose answers cannot be read is a 503, never an empty week") {
    const CollectorConfig config = test_collector_config();
    ScriptedStore store;  // a database gone away
    store.fail_with = "collector.sqlite3: cannot read the counts: disk I/O error";
    std::vector<std::string> log;
    CollectorServer server(config, store, [] { return kNow; }, [&](const std::string& line) { log.push_back(line); });
    std::string error;
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
    httplib::Client client("127.0.0.1", server.port());
    for (const char* path : {"/v1/workplaces/wp-a/summary", "/v1/workplaces/wp-a/summary.html",
                             "/v1/workplaces/wp-a/summary.csv", "/v1/admin/overview"}) {
        CAPTURE(path);
        const std::string& token = std::string(path).find("admin") != std::string::npos ? kAdminToken : kManagerToken;
        const httplib::Result r = client.Get(path, {{"Authorization", "Bearer " + token}});
        CHECK_STATUS(r, 503, "storage unavailable");
        CHECK(r->get_header_value("Retry-After") == "30");
    }
    REQUIRE(log.size() == 4);
    CHECK(log[0].find("disk I/O error") != std::string::npos);
    server.stop();
}

}  // namespace collector_test_server
