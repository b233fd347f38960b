// test_uploader.cpp — the upload policy's state machine on a fake clock, a
// seeded RNG and a scripted HTTP client: every verdict of docs/protocol.md,
// without a network. (The real network is in test_upload_faults.cpp.)
#include "terminal/uploader.hpp"

#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cmath>
#include <deque>
#include <set>

using namespace pulse;

namespace {

constexpr UnixSeconds kNow = 1795770000;  // 2026-11-27T09:00:00Z

// Answers scripted responses in order (the last one repeats) and records
// every request.
class ScriptedHttp final : public HttpClient {
public:
    std::deque<HttpResponse> script;
    std::vector<HttpRequest> requests;
    std::function<HttpResponse(const HttpRequest&)> respond;  // overrides script when set

    HttpResponse post(const HttpRequest& request) override {
        requests.push_back(request);
        if (respond) return respond(request);
        REQUIRE_MESSAGE(!script.empty(), "no scripted response left");
        HttpResponse r = script.front();
        if (script.size() > 1) script.pop_front();
        return r;
    }
};

HttpResponse status(int code, std::string body = "", std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = code;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// The request's JSON body, gunzipped when it was sent compressed.
nlohmann::json body_of(const HttpRequest& request) {
    for (const auto& [name, value] : request.headers) {
        if (name == "Content-Encoding" && value == "gzip") {
            z_stream z{};
            REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
            std::string out(1 << 20, '\0');
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(request.body.data()));
            z.avail_in = static_cast<uInt>(request.body.size());
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            REQUIRE(inflate(&z, Z_FINISH) == Z_STREAM_END);
            out.resize(z.total_out);
            inflateEnd(&z);
            return nlohmann::json::parse(out);
        }
    }
    return nlohmann::json::parse(request.body);
}

// Acknowledges whatever was sent, like a correct server.
HttpResponse acknowledge(const HttpRequest& request) {
    const nlohmann::json body = body_of(request);
    return status(200, "{\"accepted\":" + std::to_string(body["answers"].size()) + ",\"duplicates\":0}");
}

std::set<std::string> ids_in(const HttpRequest& request) {
    std::set<std::string> ids;
    const nlohmann::json body = body_of(request);
    for (const auto& a : body["answers"]) ids.insert(a["id"].get<std::string>());
    return ids;
}

std::string header(const HttpRequest& request, const std::string& name) {
    for (const auto& [n, v] : request.headers)
        if (n == name) return v;
    return "";
}

// A fresh folder, removed with everything in it.
struct TempDir {
    std::filesystem::path path = pulse::testing::temp_folder();
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

struct Fixture {
    TempDir dir;
    std::unique_ptr<AnswerStore> store;
    ScriptedHttp http;
    UploadSettings settings;
    std::vector<std::string> log;
    Rng rng{17};

    Fixture() {
        StoreStatus status;
        store = AnswerStore::open(dir.path / "answers.sqlite3", &status);
        REQUIRE_MESSAGE(store, status.message);
        settings.endpoint = "http://127.0.0.1:9";
        settings.token = "s3cret-token";
        settings.terminal = "t-1";
        settings.workplace = "w-1";
        settings.bank_version = "2026.1";
        settings.interval_s = 300;
        settings.batch_size = 500;
        settings.backoff = {5, 900};
    }

    std::vector<Answer> add(int n, UnixSeconds hour = kNow) {
        std::vector<Answer> answers;
        for (int i = 0; i < n; ++i) answers.push_back(Answer{uuid_v4(rng), "2.3", 1 + i % 5, "da", hour});
        REQUIRE(store->insert(answers));
        return answers;
    }

    Uploader uploader() {
        return Uploader(*store, http, settings, Rng(5), [this](const std::string& line) { log.push_back(line); });
    }
};

}  // namespace

TEST_CASE("the first step uploads at once, and acknowledged answers are no longer pending") {
    Fixture f;
    f.add(10);
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK(s.attempted);
    CHECK(s.success);
    CHECK(s.pending == 0);
    CHECK(s.next_attempt == kNow + 300);
    REQUIRE(f.http.requests.size() == 1);
    const HttpRequest& r = f.http.requests[0];
    CHECK(r.url == "http://127.0.0.1:9/v1/batches");
    CHECK(header(r, "Authorization") == "Bearer s3cret-token");
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(header(r, "Idempotency-Key") == body_of(r)["batch"]);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_uploaded() == 10);
    CHECK(f.store->upload_queue().upload_facts()["last_upload_ok"] == "2026-11-27T09:00:00Z");
}

TEST_CASE("nothing pending: no request, and the next look is one interval later") {
    Fixture f;
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK_FALSE(s.attempted);
    CHECK(f.http.requests.empty());
    CHECK(s.next_attempt == kNow + 300);
    CHECK_FALSE(up.step(kNow + 299).attempted);
}

TEST_CASE("a retry resends the same batch id with the same answers") {
    Fixture f;
    f.add(30);
    f.http.script = {status(503), status(500), status(200, "{\"accepted\":30,\"duplicates\":0}")};
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int i = 0; i < 3; ++i) now = std::max(now, up.step(now).next_attempt);
    REQUIRE(f.http.requests.size() == 3);
    for (const HttpRequest& r : f.http.requests) {
        CHECK(header(r, "Idempotency-Key") == header(f.http.requests[0], "Idempotency-Key"));
        CHECK(ids_in(r) == ids_in(f.http.requests[0]));
    }
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
}

TEST_CASE("transient failures back off exponentially with jitter from backoff_min_s up to backoff_max_s") {
    Fixture f;
    f.add(1);
    f.http.script = {status(500)};
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int failure = 1; failure <= 12; ++failure) {
        const Uploader::Step s = up.step(now);
        REQUIRE(s.attempted);
        const double cap = std::min(900.0, 5.0 * std::pow(2.0, failure - 1));
        CHECK(s.next_attempt - now >= 5);
        CHECK(s.next_attempt - now <= static_cast<UnixSeconds>(std::ceil(cap)));
        CHECK(up.consecutive_failures() == failure);
        now = s.next_attempt;
    }
    CHECK(f.store->upload_queue().count_pending_upload() == 1);  // never dropped, however often it fails
    CHECK(f.store->upload_queue().upload_facts()["last_error"].find("500") != std::string::npos);
}

TEST_CASE("Retry-After makes the wait at least as long as the server asks, capped at 24 h") {
    Fixture f;
    f.add(1);
    Uploader up = f.uploader();
    f.http.script = {status(503, "", {{"retry-after", "600"}})};
    CHECK(up.step(kNow).next_attempt - kNow >= 600);
    f.http.script = {status(429, "", {{"retry-after", "999999"}})};
    const UnixSeconds now = up.next_attempt();
    CHECK(up.step(now).next_attempt - now == 86400);
}

TEST_CASE("a 200 that is not an acknowledgement (a captive portal's page) is not success") {
    Fixture f;
    f.add(4);
    f.http.script = {status(200, "<html><body>Log in to the guest Wi-Fi</body></html>")};
    Uploader up = f.uploader();
    const Uploader::Step s = up.step(kNow);
    CHECK_FALSE(s.success);
    CHECK(f.store->upload_queue().count_pending_upload() == 4);
    CHECK(f.store->upload_queue().count_uploaded() == 0);
}

TEST_CASE("413 splits the batch and sends the halves until they fit") {
    Fixture f;
    f.add(40);
    f.settings.batch_size = 40;
    f.http.respond = [](const HttpRequest& r) {
        return body_of(r)["answers"].size() > 6 ? status(413) : acknowledge(r);
    };
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    for (int i = 0; i < 100 && f.store->upload_queue().count_pending_upload() > 0; ++i) now = std::max(now, up.step(now).next_attempt);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_uploaded() == 40);
    CHECK(f.store->upload_queue().count_set_aside() == 0);
    std::set<std::string> acknowledged;
    for (const HttpRequest& r : f.http.requests) {
        if (body_of(r)["answers"].size() <= 6) {
            for (const std::string& id : ids_in(r)) CHECK(acknowledged.insert(id).second);  // each sent once
        }
    }
    CHECK(acknowledged.size() == 40);
}

TEST_CASE("400 sets the batch aside, keeps it, logs the server's message, and goes on with the rest") {
    Fixture f;
    f.add(10);
    f.settings.batch_size = 5;
    f.http.script = {status(400, "{\"error\":\"question 9.9 is not in bank 2026.1\"}")};
    Uploader up = f.uploader();
    Uploader::Step s = up.step(kNow);
    CHECK(s.next_attempt == kNow);  // the rest goes at once
    f.http.script = {};
    f.http.respond = acknowledge;
    up.step(kNow);
    CHECK(f.store->upload_queue().count_pending_upload() == 0);
    CHECK(f.store->upload_queue().count_set_aside() == 5);
    CHECK(f.store->upload_queue().count_uploaded() == 5);
    CHECK(f.store->all_answers().size() == 10);
    bool logged = false;
    for (const std::string& line : f.log) logged = logged || line.find("question 9.9 is not in bank") != std::string::npos;
    CHECK(logged);
}

TEST_CASE("401 keeps everything, retries at backoff_max_s, and says so") {
    Fixture f;
    f.add(3);
    f.http.script = {status(401, "{\"error\":\"unknown token\"}")};
    Uploader up = f.uploader();
    CHECK(up.step(kNow).next_attempt == kNow + 900);
    CHECK(f.store->upload_queue().count_pending_upload() == 3);
    CHECK(f.store->upload_queue().upload_facts()["token_rejected"] == "true");
    f.http.script = {};
    f.http.respond = acknowledge;
    up.step(kNow + 900);
    CHECK(f.store->upload_queue().upload_facts()["token_rejected"] == "false");
}

TEST_CASE("a transport failure (no connection) is retried and loses nothing") {
    Fixture f;
    f.add(2);
    HttpResponse refused;
    refused.transport_error = 7;
    refused.transport_message = "Couldn't connect to server";
    f.http.script = {refused};
    Uploader up = f.uploader();
    CHECK_FALSE(up.step(kNow).success);
    CHECK(f.store->upload_queue().count_pending_upload() == 2);
    CHECK(f.log.back().find("transport error 7") != std::string::npos);
}

TEST_CASE("after a success the rest is drained at once, and a full batch of new answers is sent early") {
    Fixture f;
    f.settings.batch_size = 5;
    f.add(12);
    f.http.respond = acknowledge;
    Uploader up = f.uploader();
    UnixSeconds now = kNow;
    int steps = 0;
    while (f.store->upload_queue().count_pending_upload() > 0 && steps < 10) {
        const Uploader::Step s = up.step(now);
        ++steps;
        if (s.pending > 0) CHECK(s.next_attempt == now);
    }
    CHECK(steps == 3);  // 5 + 5 + 2
    CHECK(up.next_attempt() == kNow + 300);
    f.add(5);
    up.answers_added(5);
    CHECK(up.step(kNow + 1).attempted);  // no need to wait for the interval
}

TEST_CASE("one log line per attempt, with the batch and the outcome, never an answer or the token") {
    Fixture f;
    std::vector<Answer> answers = f.add(3);
    f.http.script = {status(503), status(200, "{\"accepted\":3,\"duplicates\":0}")};
    Uploader up = f.uploader();
    up.step(kNow);
    up.step(up.next_attempt());
    REQUIRE(f.log.size() == 2);
    CHECK(f.log[0].find("503") != std::string::npos);
    CHECK(f.log[0].find("3 answers") != std::string::npos);
    CHECK(f.log[1].find("accepted 3") != std::string::npos);
    for (const std::string& line : f.log) {
        CHECK(line.find("s3cret-token") == std::string::npos);
        for (const Answer& a : answers) CHECK(line.find(a.id) == std::string::npos);
    }
}

TEST_CASE("uploaded answers are deleted after keep_uploaded_days, pending and set-aside ones never") {
    Fixture f;
    f.settings.keep_uploaded_days = 35;
    f.settings.batch_size = 2;
    f.add(2);
    f.http.respond = acknowledge;
    {
        Uploader up = f.uploader();
        up.step(kNow);  // uploaded today
    }
    f.add(2);  // pending
    f.http.respond = [](const HttpRequest&) { return status(500); };
    Uploader later = f.uploader();
    later.step(kNow + 35 * 86400);
    CHECK(f.store->upload_queue().count_uploaded() == 2);  // 35 days: still kept
    later.step(kNow + 36 * 86400);
    CHECK(f.store->upload_queue().count_uploaded() == 0);
    CHECK(f.store->upload_queue().count_pending_upload() == 2);
}
