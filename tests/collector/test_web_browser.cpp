// test_web_browser.cpp — the managers' browser pages in Debian's headless
// Chromium (cdp.hpp) against a real collector and SMTP sink (web_fixture.hpp):
// sign-in by the e-mailed link end to end, an unknown address answered alike
// and sent nothing, an expired or used link refused, the cookie's flags as
// the browser keeps them, a forged POST refused, the trusted header ignored
// from another address, another workplace's URL a 403 page,
// sign-out, a link from an e-mail (cross-site) reaching the week signed in;
// and every page in both languages at phone and desktop size (the week's
// page with the manager's response form, refused and saved), screenshot in
// build/screenshots/web-*.png (look at them) and checked by axe-core.
#include "cdp.hpp"
#include "web_fixture.hpp"

#include "collector/publication.hpp"
#include "collector/web/auth.hpp"  // kSignInLinkLifetime_s
#include "common/base64.hpp"
#include "process.hpp"
#include "terminal/news.hpp"

#include <doctest/doctest.h>

#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_web_browser {

using namespace pulse;
using namespace pulse::testing;

namespace {

const std::filesystem::path kShots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";

struct Size {
    const char* name;
    int width, height;
    bool mobile;
};
constexpr Size kSizes[] = {{"phone", 390, 844, true}, {"desktop", 1280, 900, false}};

// The page now, at both sizes: a screenshot of the whole page and of its
// first screen each, and axe-core's
// WCAG A/AA rules with no violation, no script error.
void look_at(Page& page, const std::string& name) {
    for (const Size& size : kSizes) {
        page.set_viewport(size.width, size.height, size.mobile);
        page.screenshot(kShots / ("web-" + name + "-" + size.name + ".png"), true);
        page.screenshot(kShots / ("web-" + name + "-" + size.name + "-first-screen.png"), false);
        const nlohmann::json violations = page.run_axe();
        CHECK_MESSAGE(violations.empty(), name, " at ", size.name, ":\n", describe_axe_violations(violations));
    }
    // The browser logs a page's own 4xx status as a failed load; anything
    // else (a script error, a blocked resource, a CSP violation) is a fault.
    for (const std::string& e : page.console_errors()) {
        CHECK_MESSAGE(e.find("Failed to load resource: the server responded with a status of 4") != std::string::npos,
                      name, ": ", e);
    }
}

// Signs email in with the browser: the form, the mail, the link's button.
void sign_in(WebWorld& w, Page& page, const std::string& email, std::size_t mail_index, const std::string& lang,
             bool look) {
    REQUIRE(page.navigate(w.url("/?lang=" + lang)) == 200);
    if (look) look_at(page, "signin-" + lang);
    page.evaluate("document.querySelector('#email').value = " + nlohmann::json(email).dump());
    REQUIRE(page.click_and_wait("form.signin button") == 200);
    if (look) look_at(page, "check-mail-" + lang);
    REQUIRE(page.navigate(w.signin_link(mail_index)) == 200);
    if (look) look_at(page, "link-" + lang);
    REQUIRE(page.click_and_wait("main form button") == 200);
    REQUIRE(page.url() == w.url("/workplaces" + std::string(lang == "da" ? "" : "?lang=" + lang)));
}

}  // namespace

TEST_CASE("web in Chromium: sign-in by e-mailed link end to end, the session cookie, a forged POST, 403, sign-out") {
    WebWorld w;
    Browser browser(temp_folder());
    Page& page = browser.new_page();
    // An unknown address: the same page as a known one would get, and no mail.
    REQUIRE(page.navigate(w.url("/")) == 200);
    page.evaluate("document.querySelector('#email').value = 'nobody@ishoj.dk'");
    REQUIRE(page.click_and_wait("form.signin button") == 200);
    const std::string unknown = page.evaluate("document.querySelector('main').innerText").get<std::string>();
    CHECK(unknown.find("Se i din indbakke") != std::string::npos);
    w.server->web()->drain_mail();
    CHECK(w.sink.message_count() == 0);

    sign_in(w, page, "leder.a@ishoj.dk", 0, "da", false);
    CHECK(page.html().find("Borgerservice") != std::string::npos);

    // The session cookie as the browser keeps it.
    bool found = false;
    for (const BrowserCookie& c : page.cookies()) {
        if (c.name != "pulse-session") continue;
        found = true;
        CHECK(c.http_only);
        CHECK(c.same_site == "Strict");
        CHECK(c.path == "/");
        CHECK(c.value.size() == 43);
    }
    CHECK(found);

    // A form without the CSRF token, as another page would forge it: refused.
    page.evaluate("(() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/signout';"
                  " const b = document.createElement('button'); b.id = 'forged'; f.append(b);"
                  " document.body.append(f); })()");
    CHECK(page.click_and_wait("#forged") == 403);
    CHECK(page.navigate(w.url("/workplaces")) == 200);
    CHECK(page.html().find("Logget ind som leder.a@ishoj.dk") != std::string::npos);

    // Another workplace by editing the URL: a 403 page.
    CHECK(page.navigate(w.url("/workplaces/wp-b/2026-W48")) == 403);
    CHECK(page.html().find("Ingen adgang") != std::string::npos);

    // Sign-out ends the session: the old cookie no longer opens anything.
    CHECK(page.navigate(w.url("/workplaces")) == 200);
    CHECK(page.click_and_wait("header.site form button") == 200);
    CHECK(page.html().find("Du er logget ud.") != std::string::npos);
    CHECK(page.navigate(w.url("/workplaces?hop=1")) == 200);  // redirected to sign-in
    CHECK(page.url() == w.url("/"));
    CHECK(page.html().find("name=\"email\"") != std::string::npos);

    // A link used 15 minutes after it was mailed: refused.
    page.evaluate("document.querySelector('#email').value = 'leder.a@ishoj.dk'");
    REQUIRE(page.click_and_wait("form.signin button") == 200);
    const std::string late = w.signin_link(1);
    w.now += kSignInLinkLifetime_s;
    REQUIRE(page.navigate(late) == 200);
    CHECK(page.click_and_wait("main form button") == 410);
    CHECK(page.html().find("Linket virker ikke længere") != std::string::npos);
}

TEST_CASE("web in Chromium: the trusted header from an address that is not the trusted proxy signs nobody in") {
    // The proxy is at 127.0.0.2; the browser connects from 127.0.0.1.
    WebWorld w("secure_cookies = false\ntrusted_header = \"X-Forwarded-Email\"\ntrusted_proxies = [\"127.0.0.2\"]\n");
    Browser browser(temp_folder());
    Page& page = browser.new_page();
    page.command("Network.setExtraHTTPHeaders", {{"headers", {{"X-Forwarded-Email", "leder.a@ishoj.dk"}}}});
    CHECK(page.navigate(w.url("/workplaces?hop=1")) == 200);
    CHECK(page.url() == w.url("/"));
    CHECK(page.html().find("name=\"email\"") != std::string::npos);
    CHECK(w.log.has("X-Forwarded-Email from 127.0.0.1 ignored: not a trusted proxy"));
}

TEST_CASE("web in Chromium: a week's link from an e-mail opens the week signed in, though the cookie is SameSite=Strict") {
    WebWorld w;
    Browser browser(temp_folder());
    Page& page = browser.new_page();
    sign_in(w, page, "leder.a@ishoj.dk", 0, "da", false);
    const std::string week = w.url("/workplaces/wp-a/2026-W48");
    // A web mail's page is another site: a data: URL has an opaque origin.
    REQUIRE(page.navigate("data:text/html,<a id=\"l\" href=\"" + week + "\">uge 48</a>") == 200);
    CHECK(page.click_and_wait("#l") == 200);
    // The first response reloads itself, same-site, with the cookie.
    for (int i = 0; i < 100 && page.url().find("hop=1") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 100 && page.evaluate("document.readyState").get<std::string>() != "complete"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(page.url() == week + "?hop=1");
    CHECK(page.html().find("Uge 48, 2026") != std::string::npos);
    CHECK(page.html().find("Logget ind som leder.a@ishoj.dk") != std::string::npos);
}

namespace {

// Every page in lang at phone and desktop size, each looked at (look_at),
// signed in as a manager and as IT; the print view printed to A4.
void every_page(const std::string& lang) {
    WebWorld w;
    Browser browser(temp_folder());
    int mail = 0;
    Page& manager = browser.new_page(CookieJar::own);
    sign_in(w, manager, "leder.a@ishoj.dk", mail++, lang, true);
    look_at(manager, "workplaces-" + lang);
    REQUIRE(manager.navigate(w.url("/workplaces/wp-a")) == 200);
    look_at(manager, "weeks-" + lang);
    REQUIRE(manager.navigate(w.url("/workplaces/wp-a/2026-W48")) == 200);
    look_at(manager, "week-" + lang);
    // The manager's response (issue 15): a text over the limit (set by
    // script: maxlength stops typing only) is refused with the form again;
    // a good one shows under the headline, with the audit list.
    const auto respond = [&](const std::string& da, const std::string& en) {
        manager.evaluate("document.querySelector('#response-da').value = " + nlohmann::json(da).dump() +
                         "; document.querySelector('#response-en').value = " + nlohmann::json(en).dump());
        return manager.click_and_wait("form.response button");
    };
    REQUIRE(respond(std::string(281, 'a'), "") == 400);
    look_at(manager, "week-response-refused-" + lang);
    REQUIRE(respond("Vi har bestilt nye stole. De kommer i januar, og vi tager dem i brug på personalemødet.",
                    "We have ordered new chairs. They arrive in January.") == 200);
    CHECK(manager.html().find("Leder A") != std::string::npos);
    look_at(manager, "week-response-" + lang);
    // You said, we did, end to end: wp-a's terminal (simulated) pulls it at
    // its next pull and shows it on attract, with the week's participation as
    // the published summary shows it.
    {
        const std::filesystem::path dir = temp_folder();
        write_file(dir / "token", kTerminalToken + "\n");
        std::filesystem::permissions(dir / "token",
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        const std::filesystem::path terminal = write_file(
            dir / "terminal.toml", "[terminal]\nid = \"term-a\"\nworkplace = \"wp-a\"\nlanguage = \"" + lang +
                                       "\"\n\n[pulse]\nquestions = \"" PULSE_SOURCE_DIR "/config/questions.toml\"\n\n"
                                       "[storage]\ndatabase = \"answers.sqlite3\"\n\n"
                                       "[display]\nfullscreen = false\nwidth = 1920\nheight = 1080\ndiagonal_inch = 23.8\n\n"
                                       "[upload]\nendpoint = \"" + w.base_url + "\"\ntoken_file = \"token\"\n");
        const std::string shot = "kiosk-news-from-browser-" + lang;
        const std::filesystem::path script = write_file(dir / "script.txt", "shot " + shot + "-before\npull\nshot " + shot + "\n");
        const ProcessResult r = run_process({PULSE_KIOSK_EXE, "simulate", "--config", terminal.string(), "--script",
                                             script.string(), "--shots", kShots.string(), "--now",
                                             "2026-12-01T10:05:00Z"},
                                            {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"}, dir, 120);
        REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
        std::string problem;
        const std::optional<News> kept = read_news(dir / "news.json", &problem);
        REQUIRE_MESSAGE(kept, problem);
        CHECK(kept->week == IsoWeek{2026, 48});
        CHECK(kept->manager == "Leder A");
        CHECK(kept->response.at("da").rfind("Vi har bestilt nye stole.", 0) == 0);
        CHECK(kept->response.at("en") == "We have ordered new chairs. They arrive in January.");
        const PublishedSummary published =
            published_summary(*w.store, w.config, "wp-a", IsoWeek{2026, 48}, "da", w.now.load());
        REQUIRE(published.status == PublishedSummary::Status::ok);
        REQUIRE_FALSE(published.summary.answers_withheld);
        CHECK(kept->answers == published.summary.answers);
        // The attract screen changed with it (the picture is build/screenshots/<shot>.png: look at it).
        CHECK(slurp(kShots / (shot + ".png")) != slurp(kShots / (shot + "-before.png")));
    }
    REQUIRE(manager.navigate(w.url("/workplaces/wp-a/2026-W48/print")) == 200);
    look_at(manager, "print-" + lang);
    // Printed, as the browser's print dialog would: A4 pages from the page's own @page rule.
    const nlohmann::json pdf = manager.command("Page.printToPDF", {{"preferCSSPageSize", true}});
    const std::optional<std::string> bytes = base64_decode(pdf.value("data", std::string()));
    REQUIRE(bytes);
    CHECK(bytes->rfind("%PDF-", 0) == 0);
    CHECK_MESSAGE(bytes->find("/MediaBox [0 0 594.9") != std::string::npos, "not A4 (594.96 × 841.92 pt)");
    write_file(kShots / ("web-print-" + lang + ".pdf"), *bytes);
    REQUIRE(manager.navigate(w.url("/workplaces/wp-b")) == 403);
    look_at(manager, "forbidden-" + lang);
    REQUIRE(manager.navigate(w.url("/workplaces/wp-a/2027-W01")) == 404);
    look_at(manager, "not-found-" + lang);
    REQUIRE(manager.navigate(w.url("/workplaces")) == 200);
    REQUIRE(manager.click_and_wait("header.site form button") == 200);
    look_at(manager, "signed-out-" + lang);
    // The used link again: refused.
    REQUIRE(manager.navigate(w.signin_link(mail - 1)) == 200);
    REQUIRE(manager.click_and_wait("main form button") == 410);
    look_at(manager, "link-refused-" + lang);

    Page& it = browser.new_page(CookieJar::own);
    sign_in(w, it, "it@ishoj.dk", mail++, lang, false);
    look_at(it, "it-workplaces-" + lang);
    REQUIRE(it.navigate(w.url("/overview")) == 200);
    look_at(it, "overview-" + lang);
    REQUIRE(it.navigate(w.url("/fleet")) == 200);
    look_at(it, "fleet-" + lang);
}

}  // namespace

// One test case a language, so that the two run side by side.
TEST_CASE("web in Chromium: every page in Danish, phone and desktop, passes axe-core (screenshots)") { every_page("da"); }
TEST_CASE("web in Chromium: every page in English, phone and desktop, passes axe-core (screenshots)") { every_page("en"); }

}  // namespace collector_test_web_browser
