// web_fixture.hpp — for the tests of the managers' browser pages: the
// fixture's config (collector_fixture.hpp) with [email] pointing at a real
// SMTP sink and a [web] table, a store holding two published weeks of wp-a
// (one with few answers in wp-b), and the collector serving on a port fixed
// before it starts (base_url must name it), on a clock the test moves. Also:
// the sign-in link out of the sink's newest mail, and a plain HTTP client
// that keeps cookies as a browser would (enough for the cases that need no
// browser), and signing in with it.
#pragma once

#include "collector/email/smtp_sender.hpp"
#include "collector/http/server.hpp"
#include "collector_fixture.hpp"
#include "loopback.hpp"
#include "smtp_sink.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>

namespace pulse::testing {

// Tuesday 1 December 2026, 10:00 UTC: 2026-W48 is published (Monday 07:00
// Copenhagen), so 2026-W48 and 2026-W47 are the published weeks with answers.
inline const UnixSeconds kWebNow = *parse_iso8601("2026-12-01T10:00:00Z");

struct WebWorld {
    SmtpSink sink;
    std::filesystem::path dir = temp_folder();
    int port = 0;
    std::string base_url;
    CollectorConfig config;
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<MailSender> sender;
    LogLines log;
    std::atomic<UnixSeconds> now{kWebNow};
    std::unique_ptr<CollectorServer> server;

    // web: the [web] table's lines after base_url (default: cookies without
    // Secure, for plain http:// on loopback); tail: more tables.
    explicit WebWorld(const std::string& web = "secure_cookies = false\n", const std::string& tail = "") {
        std::string error;
        REQUIRE_MESSAGE(sink.start(&error), error);
        port = free_loopback_port(&error);
        REQUIRE_MESSAGE(port > 0, error);
        base_url = "http://127.0.0.1:" + std::to_string(port);
        const std::string text = collector_config_text() + "[email]\nsmtp_url = \"" + sink.url() +
                                 "\"\nsender = \"Pulse <pulse@ishoj.dk>\"\n[web]\nbase_url = \"" + base_url + "\"\n" +
                                 web + tail;
        CollectorConfigLoad load = load_collector_config(write_file(dir / "collector.toml", text));
        REQUIRE_MESSAGE(load.config, all(load.errors));
        config = *load.config;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        store_answers();
        sender = make_curl_mail_sender(*config.email);
        server = std::make_unique<CollectorServer>(config, *store, [this] { return now.load(); }, log.sink(),
                                                   sender.get());
        REQUIRE_MESSAGE(server->start("127.0.0.1", port, &error), error);
    }
    ~WebWorld() { server->stop(); }

    std::string url(const std::string& path) const { return base_url + path; }

    // wp-a: every active question answered 6 times in 2026-W48 and 5 times
    // in 2026-W47; wp-b: 2 answers in 2026-W48 (withheld everywhere).
    void store_answers() {
        const UnixSeconds monday48 = *parse_iso8601("2026-11-23T08:00:00Z");
        std::vector<Answer> a, b;
        unsigned id = 1;
        int index = 0;
        for (const Question& q : config.banks.front().questions) {
            if (!q.active) continue;
            for (int i = 0; i < 6; ++i)
                a.push_back({test_uuid(id++), q.id, 1 + (index + i) % 5, "da", monday48 + 86400 * (i % 5)});
            for (int i = 0; i < 5; ++i)
                a.push_back({test_uuid(id++), q.id, 2 + (index + i) % 4, "da", monday48 - 7 * 86400 + 3600 * i});
            ++index;
        }
        b.push_back({test_uuid(id++), "1.1", 4, "da", monday48});
        b.push_back({test_uuid(id++), "1.2", 2, "da", monday48});
        REQUIRE(store->store_batch("wp-a", "term-a", a).kind == StoreResult::Kind::stored);
        REQUIRE(store->store_batch("wp-b", "term-b", b).kind == StoreResult::Kind::stored);
    }

    // The sign-in link in the sink's message number index (0 = first),
    // waiting up to 10 s for it to arrive.
    std::string signin_link(std::size_t index = 0) {
        server->web()->drain_mail();
        REQUIRE_MESSAGE(sink.wait_for_messages(index + 1, 10000), "no sign-in e-mail arrived; log:\n", log.text());
        const SinkMessage m = sink.messages().at(index);
        const std::size_t body = m.data.find("\r\n\r\n");
        REQUIRE(body != std::string::npos);
        bool ok = false;
        const std::string text = base64_decode(m.data.substr(body + 4), &ok);
        REQUIRE_MESSAGE(ok, m.data);
        const std::size_t at = text.find(base_url + "/signin/");
        REQUIRE_MESSAGE(at != std::string::npos, text);
        const std::size_t end = text.find_first_of(" \r\n", at);
        return text.substr(at, end - at);
    }
};

// A plain HTTP client on the collector that keeps the cookies it is given
// (name → value; no attributes), for the cases that need no browser.
struct CookieClient {
    httplib::Client http;
    std::map<std::string, std::string> cookies;

    explicit CookieClient(int port) : http("127.0.0.1", port) { http.set_read_timeout(30, 0); }

    httplib::Headers headers(httplib::Headers extra = {}) const {
        std::string line;
        for (const auto& [name, value] : cookies) line += (line.empty() ? "" : "; ") + name + "=" + value;
        if (!line.empty()) extra.emplace("Cookie", line);
        return extra;
    }
    void keep(const httplib::Result& r) {
        if (!r) return;
        for (auto [it, end] = r->headers.equal_range("Set-Cookie"); it != end; ++it) {
            const std::string& v = it->second;
            const std::size_t eq = v.find('='), semi = v.find(';');
            const std::string name = v.substr(0, eq), value = v.substr(eq + 1, semi - eq - 1);
            if (v.find("Max-Age=0") != std::string::npos) cookies.erase(name);
            else cookies[name] = value;
        }
    }
    httplib::Result get(const std::string& path, httplib::Headers extra = {}) {
        httplib::Result r = http.Get(path, headers(std::move(extra)));
        REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
        keep(r);
        return r;
    }
    httplib::Result post(const std::string& path, const httplib::Params& form) {
        httplib::Result r = http.Post(path, headers(), form);
        REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
        keep(r);
        return r;
    }
};

// The value of the hidden csrf field in a page.
inline std::string csrf_of(const std::string& html);

// Signs email in through the form and the mailed link (the sink's message
// number mail_index); the client then holds the session cookie. Returns the
// page the sign-in lands on (My workplaces).
inline std::string sign_in(WebWorld& w, CookieClient& c, const std::string& email, std::size_t mail_index) {
    httplib::Result r = c.get("/");
    REQUIRE(r->status == 200);
    r = c.post("/signin", {{"email", email}, {"csrf", csrf_of(r->body)}});
    REQUIRE(r->status == 200);
    const std::string link = w.signin_link(mail_index);
    const std::string path = link.substr(w.base_url.size());
    r = c.get(path);
    REQUIRE(r->status == 200);
    r = c.post(path, {{"csrf", csrf_of(r->body)}});
    REQUIRE_MESSAGE(r->status == 303, r->body);
    CHECK(r->get_header_value("Location") == "/workplaces");
    r = c.get("/workplaces");
    REQUIRE(r->status == 200);
    return r->body;
}

inline std::string csrf_of(const std::string& html) {
    const std::string field = "name=\"csrf\" value=\"";
    const std::size_t at = html.find(field);
    REQUIRE_MESSAGE(at != std::string::npos, "no csrf field in:\n", html);
    return html.substr(at + field.size(), 64);
}

}  // namespace pulse::testing
