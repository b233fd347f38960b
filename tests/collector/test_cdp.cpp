// test_cdp.cpp — the tests' own DevTools client (tests/support/cdp.hpp)
// against a small site of its own on 127.0.0.1: statuses, script, a form
// post, cookie flags, errors in the page, a phone-sized screenshot and
// axe-core's accessibility rules, in Debian's headless Chromium.
#include "cdp.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <cstdint>
#include <string>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_cdp {

using namespace pulse::testing;
using nlohmann::json;

namespace {

// A page's frame: Danish, phone-ready, titled.
std::string page(const std::string& title, const std::string& body) {
    return "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + title + "</title></head><body><main>" + body + "</main></body></html>";
}

// The test site on 127.0.0.1 (any free port), served from a thread until
// destruction:
//   GET  /        a form (field "note", button #send) posting to /next; sets
//                 the cookie probe=1 (HttpOnly, SameSite=Strict, Path=/)
//   POST /next    echoes the posted note in <p id="echo">
//   GET  /again   302 to /
//   GET  /missing 404 with a page; /gone 404 with no body
//   GET  /throws  a script that calls console.error and throws
//   GET  /bad     an image without alt text; /good the same with one
struct TestSite {
    httplib::Server server;
    int port = -1;
    std::thread thread;

    TestSite() {
        server.Get("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("Set-Cookie", "probe=1; HttpOnly; SameSite=Strict; Path=/");
            res.set_content(page("Formular", "<h1>Formular</h1><form method=\"post\" action=\"/next\">"
                                             "<label for=\"note\">Note</label><input id=\"note\" name=\"note\">"
                                             "<button id=\"send\" type=\"submit\">Send</button></form>"),
                            "text/html; charset=utf-8");
        });
        server.Post("/next", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(page("Næste", "<h1>Næste</h1><p id=\"echo\">" + req.get_param_value("note") + "</p>"),
                            "text/html; charset=utf-8");
        });
        server.Get("/again", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/"); });
        server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
            res.status = 404;
            res.set_content(page("Findes ikke", "<h1>Findes ikke</h1>"), "text/html; charset=utf-8");
        });
        server.Get("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
        server.Get("/throws", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(page("Fejl", "<h1>Fejl</h1><script>console.error('told-off');"
                                         "throw new Error('thrown-on-purpose');</script>"),
                            "text/html; charset=utf-8");
        });
        const std::string pixel =  // a 1x1 transparent GIF, so the image loads without an error
            "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
        server.Get("/bad", [pixel](const httplib::Request&, httplib::Response& res) {
            res.set_content(page("Billede", "<h1>Billede</h1><img src=\"" + pixel + "\">"), "text/html; charset=utf-8");
        });
        server.Get("/good", [pixel](const httplib::Request&, httplib::Response& res) {
            res.set_content(page("Billede", "<h1>Billede</h1><img src=\"" + pixel + "\" alt=\"Et punkt\">"),
                            "text/html; charset=utf-8");
        });
        port = server.bind_to_any_port("127.0.0.1");
        REQUIRE_MESSAGE(port > 0, "the test site cannot listen on 127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~TestSite() {
        server.stop();
        thread.join();
    }

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

// Width and height from a PNG's IHDR chunk; {0, 0} when bytes is no PNG.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
    if (bytes.size() < 24 || bytes.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) != 0 || bytes.compare(12, 4, "IHDR") != 0)
        return {0, 0};
    const auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
    };
    return {be32(16), be32(20)};
}

}  // namespace

TEST_CASE("CDP: a page loads with its status, runs script, posts its form and keeps an HttpOnly SameSite=Strict cookie") {
    TestSite site;
    Browser browser(temp_folder());
    Page& tab = browser.new_page();

    CHECK(tab.navigate(site.url("/")) == 200);
    CHECK(tab.evaluate("document.title") == "Formular");
    CHECK(tab.evaluate("Promise.resolve(20).then(n => n + 1)") == 21);
    CHECK(tab.evaluate("({a: [1, 'to'], b: null})") == json{{"a", {1, "to"}}, {"b", nullptr}});
    CHECK(tab.evaluate("undefined").is_null());

    const std::vector<BrowserCookie> cookies = tab.cookies();
    REQUIRE(cookies.size() == 1);
    CHECK(cookies[0].name == "probe");
    CHECK(cookies[0].value == "1");
    CHECK(cookies[0].http_only);
    CHECK_FALSE(cookies[0].secure);
    CHECK(cookies[0].same_site == "Strict");
    CHECK(cookies[0].path == "/");
    CHECK(cookies[0].expires == -1);
    CHECK(tab.evaluate("document.cookie") == "");  // HttpOnly: out of the page's reach

    tab.evaluate("document.querySelector('#note').value = 'hej & farvel'");
    CHECK(tab.click_and_wait("#send") == 200);
    CHECK(tab.url() == site.url("/next"));
    CHECK(tab.evaluate("document.querySelector('#echo').textContent") == "hej & farvel");
    CHECK(tab.html().find("<p id=\"echo\">hej &amp; farvel</p>") != std::string::npos);

    CHECK(tab.navigate(site.url("/again")) == 200);  // the status after the redirect
    CHECK(tab.url() == site.url("/"));
    CHECK(tab.navigate(site.url("/missing")) == 404);
    CHECK(tab.navigate(site.url("/gone")) == 404);
    CHECK(tab.navigate("about:blank") == -1);

    Page& other = browser.new_page(CookieJar::own);
    CHECK(other.navigate(site.url("/missing")) == 404);
    CHECK(other.cookies().empty());
    std::string errors;
    for (const std::string& e : tab.console_errors()) errors += e + "\n";
    CHECK_MESSAGE(tab.console_errors().size() == 2, errors);  // the two 404s: "Failed to load resource"
    CHECK(other.console_errors().size() == 1);
}

TEST_CASE("CDP: a page's uncaught exception and console.error are collected") {
    TestSite site;
    Browser browser(temp_folder());
    Page& tab = browser.new_page();
    CHECK(tab.navigate(site.url("/throws")) == 200);
    CHECK(tab.console_errors().empty() == false);
    std::string all_errors;
    for (const std::string& e : tab.console_errors()) all_errors += e + "\n";
    CHECK_MESSAGE(all_errors.find("told-off") != std::string::npos, all_errors);
    CHECK_MESSAGE(all_errors.find("thrown-on-purpose") != std::string::npos, all_errors);
}

TEST_CASE("CDP: a screenshot at a phone viewport is a PNG 390 pixels wide") {
    TestSite site;
    const std::filesystem::path work = temp_folder();
    Browser browser(work);
    Page& tab = browser.new_page();
    tab.set_viewport(390, 844, true);
    CHECK(tab.navigate(site.url("/")) == 200);
    CHECK(tab.evaluate("innerWidth") == 390);

    tab.screenshot(work / "shots" / "viewport.png", false);
    CHECK(png_size(slurp(work / "shots" / "viewport.png")) == std::pair<std::uint32_t, std::uint32_t>{390, 844});

    tab.evaluate("document.body.style.height = '2000px'");
    tab.screenshot(work / "shots" / "full.png", true);
    const auto [width, height] = png_size(slurp(work / "shots" / "full.png"));
    CHECK(width == 390);
    CHECK(height >= 2000);
}

TEST_CASE("CDP: axe-core reports an image without alt text and nothing on an accessible page") {
    TestSite site;
    Browser browser(temp_folder());
    Page& tab = browser.new_page();

    CHECK(tab.navigate(site.url("/bad")) == 200);
    const json bad = tab.run_axe();
    REQUIRE_MESSAGE(bad.size() == 1, describe_axe_violations(bad));
    CHECK(bad[0]["id"] == "image-alt");
    CHECK(bad[0]["impact"] == "critical");
    REQUIRE(bad[0]["nodes"].size() == 1);
    CHECK(bad[0]["nodes"][0]["target"] == json{"img"});

    CHECK(tab.navigate(site.url("/good")) == 200);
    const json good = tab.run_axe();
    CHECK_MESSAGE(good.empty(), describe_axe_violations(good));
    CHECK(tab.console_errors().empty());
}

}  // namespace collector_test_cdp
