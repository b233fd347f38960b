// test_nginx.cpp — the documented reverse proxy for real: Debian's nginx runs
// config/nginx/pulse-collector.conf (its CHANGE lines pointed at this test's
// ports and a fresh self-signed certificate) in front of a collector, and the
// kiosk's own libcurl uploader stores answers through it over TLS; an
// oversize body still gets the collector's JSON 413; uploads leave no line in
// the access log; plain HTTP redirects to HTTPS.
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "terminal/http_client.hpp"
#include "loopback.hpp"
#include "process.hpp"
#include "collector/http/server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <httplib.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_nginx {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";
const UnixSeconds kNow = *parse_iso8601("2026-11-27T10:30:00Z");  // wire_batch's hours are 09:00 that day

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port() {
    std::string error;
    const int port = free_loopback_port(&error);
    REQUIRE_MESSAGE(port > 0, error);
    return port;
}

// text with every `from` replaced by `to`; fails the test if there is none.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    std::size_t pos = text.find(from);
    REQUIRE_MESSAGE(pos != std::string::npos, "the nginx site no longer has: ", from);
    for (; pos != std::string::npos; pos = text.find(from, pos + to.size())) text.replace(pos, from.size(), to);
    return text;
}

// True once something accepts TCP connections on 127.0.0.1:port (5 s at most).
bool wait_listening(int port) {
    for (int i = 0; i < 250; ++i) {
        httplib::Client probe("127.0.0.1", port);
        probe.set_connection_timeout(0, 100000);
        if (probe.Get("/")) return true;
        if (probe.Get("/").error() != httplib::Error::Connection) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// The collector on a free port and nginx in front of it with the site file.
// With sign_on_proxy set (an address), the collector also serves the browser
// pages with single sign-on ([web] trusted_header = "X-Forwarded-Email",
// nginx its trusted proxy) and the site's map passes that header on only
// from sign_on_proxy.
struct ProxiedCollector {
    std::filesystem::path dir = temp_folder();
    int https_port = free_port(), http_port = free_port();
    CollectorConfig config;
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<CollectorServer> server;
    std::atomic<UnixSeconds> now{kNow};  // the collector's clock
    pid_t nginx = -1;

    explicit ProxiedCollector(const std::string& sign_on_proxy = "") {
        REQUIRE_MESSAGE(std::filesystem::exists(kNginx), kNginx << " is missing: run scripts/install-deps");
        std::string config_text = collector_config_text();
        if (!sign_on_proxy.empty()) {
            config_text += "[web]\nbase_url = \"https://localhost:" + std::to_string(https_port) +
                           "\"\ntrusted_header = \"X-Forwarded-Email\"\ntrusted_proxies = [\"127.0.0.1\"]\n";
        }
        CollectorConfigLoad load = load_collector_config(write_file(dir / "collector.toml", config_text));
        REQUIRE_MESSAGE(load.config, all(load.errors));
        config = *load.config;
        std::string error;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        server = std::make_unique<CollectorServer>(config, *store, [this] { return now.load(); }, [](const std::string&) {});
        REQUIRE_MESSAGE(server->start("127.0.0.1", 0, &error), error);

        const ProcessResult cert = run_process(
            {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", (dir / "key.pem").string(), "-out",
             (dir / "cert.pem").string()},
            {}, dir, 60);
        REQUIRE_MESSAGE(cert.exit_code == 0, cert.err);

        std::string site = slurp(PULSE_SOURCE_DIR "/config/nginx/pulse-collector.conf");
        site = replace_all(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(server->port()) + ";");
        site = replace_all(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + std::to_string(https_port) + " ssl http2;");
        site = replace_all(site, "listen [::]:443 ssl http2;", "");
        site = replace_all(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(http_port) + ";");
        site = replace_all(site, "listen [::]:80;", "");
        site = replace_all(site, "pulse.ishoj.dk", "localhost");
        site = replace_all(site, "/etc/ssl/pulse/fullchain.pem", (dir / "cert.pem").string());
        site = replace_all(site, "/etc/ssl/pulse/privkey.pem", (dir / "key.pem").string());
        if (!sign_on_proxy.empty()) {
            site = replace_all(site, "# 10.0.0.5 $http_x_forwarded_email;", sign_on_proxy + " $http_x_forwarded_email;");
        }
        write_file(dir / "site.conf", site);
        // What Debian's /etc/nginx/nginx.conf provides, minimal, with every file in dir.
        const std::string d = dir.string();
        write_file(dir / "nginx.conf",
                   "daemon off;\nmaster_process off;\npid " + d + "/nginx.pid;\nerror_log " + d + "/error.log;\n"
                   "events {}\nhttp {\n  access_log " + d + "/access.log;\n"
                   "  client_body_temp_path " + d + "/body;\n  proxy_temp_path " + d + "/proxy;\n"
                   "  fastcgi_temp_path " + d + "/fastcgi;\n  uwsgi_temp_path " + d + "/uwsgi;\n"
                   "  scgi_temp_path " + d + "/scgi;\n  include " + d + "/site.conf;\n}\n");
        nginx = spawn_process({kNginx, "-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log"}, {}, dir / "nginx.out",
                              dir / "nginx.err");
        REQUIRE_MESSAGE(wait_listening(https_port), "nginx did not start:\n", slurp(dir / "nginx.err"),
                        slurp(dir / "error.log"));
    }
    ~ProxiedCollector() {
        if (nginx > 0) {
            kill(nginx, SIGTERM);
            wait_exit(nginx);
        }
        server->stop();
    }

    // An HTTPS client that trusts only this test's certificate.
    std::unique_ptr<httplib::SSLClient> client() const {
        auto c = std::make_unique<httplib::SSLClient>("localhost", https_port);
        c->set_ca_cert_path((dir / "cert.pem").c_str());
        c->enable_server_certificate_verification(true);
        c->set_read_timeout(30, 0);
        return c;
    }
};

}  // namespace

TEST_CASE("the documented nginx site passes the kiosk's TLS uploads to the collector and keeps them out of its log") {
    ProxiedCollector p;

    // The kiosk's own libcurl client, TLS verified against the test's certificate.
    CurlOptions options;
    options.ca_file = (p.dir / "cert.pem").string();
    std::unique_ptr<HttpClient> http = make_curl_http_client(options);
    const std::string body = wire_batch(300).dump();
    HttpRequest request;
    request.url = "https://localhost:" + std::to_string(p.https_port) + "/v1/batches";
    request.headers = {{"Authorization", "Bearer " + kTerminalToken}, {"Content-Type", "application/json"}};
    request.body = body;
    HttpResponse response = http->post(request);
    CHECK_MESSAGE(response.status == 200, response.transport_message, response.body);
    CHECK(json::parse(response.body) == json{{"accepted", 300}, {"duplicates", 0}});
    // The collector's Date (its clock, here fake), not nginx's: the terminal's clock offset is measured against it.
    CHECK(response.headers["date"] == format_http_date(p.now.load()));
    response = http->post(request);
    CHECK(json::parse(response.body) == json{{"accepted", 0}, {"duplicates", 300}});
    CHECK(p.store->answers_in_week("wp-a", IsoWeek{2026, 48}) == 300);

    // A gzip body passes through as sent.
    const std::unique_ptr<httplib::SSLClient> c = p.client();
    httplib::Result r = c->Post("/v1/batches", {{"Authorization", "Bearer " + kTerminalToken}, {"Content-Encoding", "gzip"}},
                               gzip(wire_batch(10, 1000, 0xbee).dump()), "application/json");
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);

    // Over 2 MiB: the collector's own JSON 413, not nginx's HTML page.
    r = c->Post("/v1/batches", {{"Authorization", "Bearer " + kTerminalToken}}, std::string(2 * 1024 * 1024 + 10, ' '),
               "application/json");
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 413);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(json::parse(r->body)["error"].get<std::string>().find("2 MiB") != std::string::npos);

    // A manager's summary of the published week comes through (and is
    // logged); uploads are not logged.
    p.now = *parse_iso8601("2026-11-30T06:00:00Z");
    r = c->Get("/v1/workplaces/wp-a/summary?week=2026-W48", {{"Authorization", "Bearer " + kManagerToken}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["answers"] == 310);
    kill(p.nginx, SIGTERM);  // flushes and closes the logs
    wait_exit(p.nginx);
    p.nginx = -1;
    const std::string access = slurp(p.dir / "access.log");
    CHECK(access.find("/summary") != std::string::npos);
    CHECK(access.find("/v1/batches") == std::string::npos);
}

TEST_CASE("the documented nginx site sends plain HTTP to HTTPS") {
    ProxiedCollector p;
    httplib::Client c("127.0.0.1", p.http_port);
    const httplib::Result r = c.Get("/v1/workplaces/wp-a/summary.html", {{"Host", "localhost"}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 301);
    CHECK(r->get_header_value("Location") == "https://localhost/v1/workplaces/wp-a/summary.html");
}

TEST_CASE("through the documented nginx site the sign-on header signs a manager in and the session cookie survives") {
    ProxiedCollector p("127.0.0.1");  // this test's client is the sign-on proxy
    p.now = *parse_iso8601("2026-11-30T06:00:00Z");
    const std::unique_ptr<httplib::SSLClient> c = p.client();
    httplib::Result r = c->Get("/workplaces", {{"X-Forwarded-Email", "leder.a@ishoj.dk"}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);
    CHECK(r->body.find("Borgerservice") != std::string::npos);
    CHECK(r->body.find("Logget ind som leder.a@ishoj.dk") != std::string::npos);
    // The session cookie, every flag intact, through the proxy...
    const std::string set_cookie = r->get_header_value("Set-Cookie");
    CHECK(set_cookie.rfind("__Host-pulse-session=", 0) == 0);
    for (const char* flag : {"; Path=/", "; HttpOnly", "; Secure", "; SameSite=Strict"}) {
        CHECK_MESSAGE(set_cookie.find(flag) != std::string::npos, set_cookie);
    }
    // ...and back: the cookie alone, without the header, is the session.
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    r = c->Get("/workplaces/wp-a", {{"Cookie", cookie}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);
    CHECK(r->body.find("Uge") != std::string::npos);
    r = c->Get("/workplaces/wp-b", {{"Cookie", cookie}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 403);

    // A sign-in link's path (its secret) never reaches the access log; pages do.
    const std::string link = "/signin/" + std::string(43, 'Q');
    r = c->Get(link);
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);
    kill(p.nginx, SIGTERM);  // flushes and closes the logs
    wait_exit(p.nginx);
    p.nginx = -1;
    const std::string access = slurp(p.dir / "access.log");
    CHECK(access.find("/workplaces/wp-a") != std::string::npos);
    CHECK(access.find("/signin/") == std::string::npos);
}

TEST_CASE("the documented nginx site clears the sign-on header from anyone but the sign-on proxy") {
    ProxiedCollector p("127.0.0.2");  // the sign-on proxy is elsewhere; this client is not it
    const std::unique_ptr<httplib::SSLClient> c = p.client();
    httplib::Result r = c->Get("/workplaces?hop=1", {{"X-Forwarded-Email", "leder.a@ishoj.dk"}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 303);  // not signed in: to the sign-in page
    CHECK(!r->has_header("Set-Cookie"));
    r = c->Get("/");
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    CHECK(r->status == 200);
    CHECK(r->body.find("name=\"email\"") != std::string::npos);
}

}  // namespace collector_test_nginx
