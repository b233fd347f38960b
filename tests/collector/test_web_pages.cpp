// test_web_pages.cpp — the managers' browser pages over plain HTTP against a
// real collector and SMTP sink (web_fixture.hpp): the rules that need no
// browser — the same answer for a known and an unknown address, single-use
// and expiring links, CSRF on every POST, who may read what (403), the rate
// limit, the trusted header only from a trusted proxy, CSV and print view.
// The same flows in headless Chromium: test_web_browser.cpp.
#include "web_fixture.hpp"

#include "collector/web/auth.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_web_pages {

using namespace pulse;
using namespace pulse::testing;

TEST_CASE("web: a known and an unknown address get the same page, and only the known one a mail") {
    WebWorld w;
    CookieClient c(w.port);
    httplib::Result form = c.get("/");
    CHECK(form->body.find("<input id=\"email\" name=\"email\"") != std::string::npos);
    CHECK(form->body.find("lang=\"da\"") != std::string::npos);
    const std::string csrf = csrf_of(form->body);

    httplib::Result unknown = c.post("/signin", {{"email", "nobody@ishoj.dk"}, {"csrf", csrf}});
    httplib::Result known = c.post("/signin", {{"email", " Leder.A@Ishoj.dk "}, {"csrf", csrf}});
    REQUIRE(unknown->status == 200);
    REQUIRE(known->status == 200);
    const auto without_address = [](std::string page, const std::string& address) {
        const std::size_t at = page.find(address);
        REQUIRE(at != std::string::npos);
        return page.erase(at, address.size());
    };
    CHECK(without_address(unknown->body, "nobody@ishoj.dk") == without_address(known->body, "leder.a@ishoj.dk"));

    const std::string link = w.signin_link(0);
    CHECK(link.size() == w.base_url.size() + 8 + 43);
    const SinkMessage mail = w.sink.messages().front();
    CHECK(mail.recipients == std::vector<std::string>{"leder.a@ishoj.dk"});
    w.server->web()->drain_mail();
    CHECK(w.sink.message_count() == 1);
    // Logged, each request, without the link.
    CHECK(w.log.has("sign-in link asked for by leder.a@ishoj.dk"));
    CHECK(w.log.has("sign-in link asked for an address not in the registry"));
    CHECK(w.log.has("sign-in link mailed to leder.a@ishoj.dk"));
    CHECK(!w.log.has(link.substr(link.rfind('/') + 1)));
}

TEST_CASE("web: a link works once, within 15 minutes, and a scanner's GET uses nothing up") {
    WebWorld w;
    CookieClient c(w.port);
    httplib::Result r = c.get("/");
    c.post("/signin", {{"email", "leder.a@ishoj.dk"}, {"csrf", csrf_of(r->body)}});
    const std::string path = w.signin_link(0).substr(w.base_url.size());

    // A mail scanner follows the link: a page with a button, nothing used.
    CookieClient scanner(w.port);
    CHECK(scanner.get(path)->status == 200);
    CHECK(scanner.get(path)->body.find("method=\"post\"") != std::string::npos);

    r = c.get(path);
    CHECK(c.post(path, {{"csrf", csrf_of(r->body)}})->status == 303);
    // Used: refused, in a new browser and in the same.
    CookieClient other(w.port);
    r = other.get(path);
    r = other.post(path, {{"csrf", csrf_of(r->body)}});
    CHECK(r->status == 410);
    CHECK(r->body.find("Linket virker ikke længere") != std::string::npos);
    CHECK(other.get("/workplaces?hop=1")->status == 303);  // not signed in

    // A second link, used 15 minutes after it was mailed: refused.
    r = other.get("/");
    other.post("/signin", {{"email", "leder.a@ishoj.dk"}, {"csrf", csrf_of(r->body)}});
    const std::string late = w.signin_link(1).substr(w.base_url.size());
    w.now += kSignInLinkLifetime_s;
    r = other.get(late);
    CHECK(other.post(late, {{"csrf", csrf_of(r->body)}})->status == 410);
    CHECK(w.log.has("sign-in link refused: unknown, used or expired"));
}

TEST_CASE("web: every POST needs its CSRF token, and the cookies are HttpOnly and SameSite=Strict") {
    WebWorld w;
    CookieClient c(w.port);
    httplib::Result r = c.get("/");
    const std::string pre_cookie = r->get_header_value("Set-Cookie");
    CHECK(pre_cookie.find("HttpOnly") != std::string::npos);
    CHECK(pre_cookie.find("SameSite=Strict") != std::string::npos);
    // Sign-in form without the token, or with another's: refused, no mail.
    CHECK(c.post("/signin", {{"email", "leder.a@ishoj.dk"}})->status == 403);
    CHECK(c.post("/signin", {{"email", "leder.a@ishoj.dk"}, {"csrf", std::string(64, 'a')}})->status == 403);
    w.server->web()->drain_mail();
    CHECK(w.sink.message_count() == 0);

    sign_in(w, c, "leder.a@ishoj.dk", 0);
    REQUIRE(c.cookies.count("pulse-session") == 1);
    // Sign-out without the token: refused, still signed in.
    CHECK(c.post("/signout", {})->status == 403);
    CHECK(c.get("/workplaces")->status == 200);
    // With it: signed out, the cookie cleared, the session gone from the store.
    const std::string session = c.cookies["pulse-session"];
    r = c.get("/workplaces");
    r = c.post("/signout", {{"csrf", csrf_of(r->body)}});
    CHECK(r->status == 200);
    CHECK(r->body.find("Du er logget ud.") != std::string::npos);
    CHECK(c.cookies.count("pulse-session") == 0);
    CookieClient replay(w.port);
    replay.cookies["pulse-session"] = session;
    r = replay.get("/workplaces?hop=1");
    CHECK(r->status == 303);
    CHECK(r->get_header_value("Location") == "/");
}

TEST_CASE("web: a manager reads their workplace's weeks, and another's is a 403 page") {
    WebWorld w;
    CookieClient c(w.port);
    const std::string mine = sign_in(w, c, "leder.a@ishoj.dk", 0);
    CHECK(mine.find("Borgerservice") != std::string::npos);
    CHECK(mine.find("Biblioteket") == std::string::npos);
    CHECK(mine.find("/overview") == std::string::npos);

    httplib::Result r = c.get("/workplaces/wp-a");
    REQUIRE(r->status == 200);
    const std::size_t w48 = r->body.find("Uge 48, 2026"), w47 = r->body.find("Uge 47, 2026");
    CHECK(w48 != std::string::npos);
    CHECK(w47 != std::string::npos);
    CHECK(w48 < w47);  // newest first
    CHECK(r->body.find("svar i ugen") != std::string::npos);

    r = c.get("/workplaces/wp-a/2026-W48");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("Borgerservice") != std::string::npos);
    CHECK(r->body.find("/workplaces/wp-a/2026-W48.csv") != std::string::npos);
    CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
    CHECK(r->get_header_value("Referrer-Policy") == "no-referrer");
    CHECK(r->get_header_value("Cache-Control") == "no-store");

    r = c.get("/workplaces/wp-a/2026-W48.csv");
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/csv; charset=utf-8");
    CHECK(r->get_header_value("Content-Disposition") == "attachment; filename=\"pulse-wp-a-2026-W48.csv\"");
    CHECK(r->body.rfind("\xEF\xBB\xBF", 0) == 0);  // the BOM Danish Excel needs
    r = c.get("/workplaces/wp-a/2026-W48/print");
    CHECK(r->status == 200);
    CHECK(r->body.find("class=\"print-view\"") != std::string::npos);

    // Editing the URL: another workplace, its weeks, its CSV — a 403 page;
    // an unpublished week of one's own — 404.
    for (const char* path : {"/workplaces/wp-b", "/workplaces/wp-b/2026-W48", "/workplaces/wp-b/2026-W48.csv",
                             "/workplaces/no-such-place", "/overview"}) {
        r = c.get(path);
        CHECK_MESSAGE(r->status == 403, path);
        CHECK(r->body.find("Ingen adgang") != std::string::npos);
    }
    CHECK(w.log.has("leder.a@ishoj.dk refused workplace \"wp-b\" (403)"));
    CHECK(c.get("/workplaces/wp-a/2026-W49")->status == 404);
    // English throughout once chosen.
    r = c.get("/workplaces/wp-a?lang=en");
    CHECK(r->body.find("Week 48, 2026") != std::string::npos);
    CHECK(c.get("/workplaces")->body.find("My workplaces") != std::string::npos);
}

TEST_CASE("web: HR reads every workplace it is entitled to; IT reads the overview and no results") {
    WebWorld w;
    CookieClient hr(w.port);
    const std::string places = sign_in(w, hr, "hr@ishoj.dk", 0);
    CHECK(places.find("Borgerservice") != std::string::npos);
    CHECK(places.find("Biblioteket") != std::string::npos);
    httplib::Result r = hr.get("/workplaces/wp-b");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("for få svar") != std::string::npos);  // 2 answers: participation withheld
    CHECK(hr.get("/workplaces/wp-b/2026-W48")->status == 200);
    CHECK(hr.get("/overview")->status == 403);

    CookieClient it(w.port);
    const std::string it_page = sign_in(w, it, "it@ishoj.dk", 1);
    CHECK(it_page.find("/overview") != std::string::npos);
    CHECK(it_page.find("/workplaces/wp-a") == std::string::npos);
    CHECK(it.get("/workplaces/wp-a")->status == 403);
    CHECK(it.get("/workplaces/wp-a/2026-W48")->status == 403);
    r = it.get("/overview");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("Borgerservice") != std::string::npos);
    CHECK(r->body.find("term-a") != std::string::npos);
    CHECK(r->body.find("Overblik, uge 48 2026") != std::string::npos);
    CHECK(r->body.find("href=\"/overview?week=2026-W47\"") != std::string::npos);  // the week before
    // The language switch keeps the week; the first sealed week links to no week before it.
    r = it.get("/overview?week=2026-W42");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("href=\"/overview?week=2026-W42&amp;lang=en\"") != std::string::npos);
    CHECK(r->body.find("Ugen før") == std::string::npos);
    CHECK(r->body.find("href=\"/overview?week=2026-W43\"") != std::string::npos);  // the week after
}

TEST_CASE("web: sign-in requests are limited per address") {
    WebWorld w;
    CookieClient c(w.port);
    httplib::Result r = c.get("/");
    const std::string csrf = csrf_of(r->body);
    for (int i = 0; i < 5; ++i) CHECK(c.post("/signin", {{"email", "nobody@ishoj.dk"}, {"csrf", csrf}})->status == 200);
    r = c.post("/signin", {{"email", "nobody@ishoj.dk"}, {"csrf", csrf}});
    CHECK(r->status == 429);
    CHECK(r->has_header("Retry-After"));
    CHECK(w.log.has("too many for this address"));
    // Another address from the same client still goes through.
    CHECK(c.post("/signin", {{"email", "leder.a@ishoj.dk"}, {"csrf", csrf}})->status == 200);
}

TEST_CASE("web: the trusted header signs in only from a trusted proxy's address") {
    // The proxy is at 127.0.0.2; these requests come from 127.0.0.1.
    WebWorld w("secure_cookies = false\ntrusted_header = \"X-Forwarded-Email\"\ntrusted_proxies = [\"127.0.0.2\"]\n");
    CookieClient c(w.port);
    httplib::Result r = c.get("/workplaces?hop=1", {{"X-Forwarded-Email", "leder.a@ishoj.dk"}});
    CHECK(r->status == 303);
    CHECK(c.cookies.count("pulse-session") == 0);
    CHECK(w.log.has("X-Forwarded-Email from 127.0.0.1 ignored: not a trusted proxy"));

    // The proxy written as an IPv4-mapped IPv6 address is the same address.
    WebWorld trusting("secure_cookies = false\ntrusted_header = \"X-Forwarded-Email\"\ntrusted_proxies = [\"::ffff:127.0.0.1\"]\n");
    CookieClient t(trusting.port);
    r = t.get("/workplaces", {{"X-Forwarded-Email", "Leder.A@ishoj.dk"}});
    REQUIRE(r->status == 200);
    CHECK(r->body.find("Borgerservice") != std::string::npos);
    CHECK(t.cookies.count("pulse-session") == 1);  // a session, for CSRF
    CHECK(t.get("/workplaces/wp-b", {{"X-Forwarded-Email", "leder.a@ishoj.dk"}})->status == 403);
    // Someone not in the registry: not signed in.
    CookieClient stranger(trusting.port);
    CHECK(stranger.get("/workplaces?hop=1", {{"X-Forwarded-Email", "x@example.com"}})->status == 303);
}

TEST_CASE("web: a link from an e-mail, without the SameSite=Strict cookie, reloads once and then asks to sign in") {
    WebWorld w;
    CookieClient c(w.port);
    httplib::Result r = c.get("/workplaces/wp-a/2026-W48");
    CHECK(r->status == 200);
    CHECK(r->body.find("http-equiv=\"refresh\" content=\"0;url=/workplaces/wp-a/2026-W48?hop=1\"") != std::string::npos);
    r = c.get("/workplaces/wp-a/2026-W48?hop=1");
    CHECK(r->status == 303);
}

TEST_CASE("web: pages go out uncompressed even to a browser that offers brotli (nginx compresses; httplib's brotli is slow)") {
    WebWorld w;
    CookieClient c(w.port);
    c.http.set_decompress(false);
    sign_in(w, c, "leder.a@ishoj.dk", 0);
    for (const char* path : {"/workplaces/wp-a/2026-W48", "/workplaces/wp-a/2026-W48.csv", "/workplaces"}) {
        const httplib::Result r = c.get(path, {{"Accept-Encoding", "gzip, deflate, br"}});
        CHECK(r->status == 200);
        CHECK_MESSAGE(!r->has_header("Content-Encoding"), path, ": ", r->get_header_value("Content-Encoding"));
        CHECK(r->get_header_value("Content-Length") == std::to_string(r->body.size()));
    }
}

TEST_CASE("web: nobody can lock a manager out from another client, and mails per address stop silently") {
    // nginx's address is trusted: X-Real-IP names each request's client.
    WebWorld w("secure_cookies = false\ntrusted_proxies = [\"127.0.0.1\"]\n");
    CookieClient c(w.port);
    const std::string csrf = csrf_of(c.get("/")->body);
    const auto ask = [&](const std::string& client) {
        httplib::Result r = c.http.Post("/signin", c.headers({{"X-Real-IP", client}}),
                                        httplib::Params{{"email", "leder.a@ishoj.dk"}, {"csrf", csrf}});
        REQUIRE(r);
        return r->status;
    };
    // An attacker at one address uses up its own allowance only...
    for (int i = 0; i < 5; ++i) CHECK(ask("203.0.113.7") == 200);
    CHECK(ask("203.0.113.7") == 429);
    // ...the manager elsewhere still signs in.
    CHECK(ask("198.51.100.20") == 200);
    // Across clients, past 10 per address: the same page, and no more mail.
    for (int i = 0; i < 6; ++i) CHECK(ask("192.0.2." + std::to_string(i + 1)) == 200);
    w.server->web()->drain_mail();
    CHECK(w.sink.message_count() == 10);
    CHECK(w.log.has("not sent, too many for this address from all clients"));
}

TEST_CASE("web: a sign-out POST without the session cookie (a cross-site form) clears nothing") {
    WebWorld w;
    CookieClient c(w.port);
    sign_in(w, c, "leder.a@ishoj.dk", 0);
    CookieClient forger(w.port);
    const httplib::Result r = forger.post("/signout", {});
    CHECK(r->status == 200);
    CHECK(!r->has_header("Set-Cookie"));
    CHECK(c.get("/workplaces")->status == 200);
}

}  // namespace collector_test_web_pages
