// test_web_response.cpp — the manager's response to a week (issue 15) over
// plain HTTP against a real collector, SMTP sink and store (web_fixture.hpp):
// a manager writes it on the week's page, HR edits it, the audit list shows
// both; IT and a manager of another workplace may not write it; a text over
// the limit or an empty Danish one is refused naming the field; once the
// next week is published the page is read-only and a POST is a 409. And
// GET /v1/news, the terminal's view of it: 204 without one, the texts with
// the sealed participation (null when withheld), ETag and 304, 401 without a
// terminal's token, nothing older than 4 weeks. The page in Chromium and
// axe-core: test_web_browser.cpp; the store and the checks: test_week_response.cpp.
#include "web_fixture.hpp"

#include "collector/publication.hpp"
#include "collector/week_response.hpp"
#include "common/sha256.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_web_response {

using namespace pulse;
using namespace pulse::testing;

namespace {

// A manager of wp-b only, for the config's tail.
const std::string kLederB = "[[manager]]\nname = \"Leder B\"\nemail = \"leder.b@ishoj.dk\"\ntoken_sha256 = \"" +
                            sha256_hex("manager-token-b") + "\"\nworkplaces = [\"wp-b\"]\n";

const std::string kWeek = "/workplaces/wp-a/2026-W48";

bool has(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

std::string times(const std::string& text, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += text;
    return out;
}

// Every version of wp-a's response to 2026-W48 in w's store, newest first.
std::vector<WeekResponse> history_of(WebWorld& w) {
    std::string error;
    std::optional<std::vector<WeekResponse>> history = w.store->response_history("wp-a", {2026, 48}, &error);
    REQUIRE_MESSAGE(history, error);
    return *history;
}

// GET /v1/news on w with token ("" = no Authorization) and If-None-Match etag ("" = none).
httplib::Result get_news(WebWorld& w, const std::string& token, const std::string& etag = "") {
    httplib::Client http("127.0.0.1", w.port);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (!etag.empty()) headers.emplace("If-None-Match", etag);
    httplib::Result r = http.Get("/v1/news", headers);
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    return r;
}

WeekResponse response(const std::string& workplace, IsoWeek week, std::string da, std::optional<std::string> en,
                      std::string name) {
    return WeekResponse{workplace, week, std::move(da), std::move(en), std::move(name), "x@ishoj.dk", kWebNow};
}

}  // namespace

TEST_CASE("web: a manager writes the week's response, HR edits it, the audit list shows both, and nobody else may write it") {
    WebWorld w("secure_cookies = false\n", kLederB);
    CookieClient a(w.port);
    sign_in(w, a, "leder.a@ishoj.dk", 0);
    httplib::Result r = a.get(kWeek);
    REQUIRE(r->status == 200);
    CHECK(has(r->body, "<label for=\"response-da\">Svar på dansk</label>"));
    CHECK(has(r->body, "name=\"text_da\""));
    CHECK(has(r->body, "name=\"text_en\""));
    CHECK(has(r->body, "Skal udfyldes. Højst 280 tegn."));  // the limit, visible
    CHECK(has(r->body, "action=\"/workplaces/wp-a/2026-W48/response#response-form\""));
    CHECK(!has(r->body, "Svar fra"));
    const std::string csrf = csrf_of(r->body);
    const auto post = [&](CookieClient& c, const std::string& da, const std::string& en, const std::string& token) {
        return c.post(kWeek + "/response", {{"csrf", token}, {"text_da", da}, {"text_en", en}});
    };

    // Refused, the form again with a message naming the field and the limit, nothing stored.
    r = post(a, " \r\n ", "Thanks.", csrf);
    CHECK(r->status == 400);
    CHECK(has(r->body, "»Svar på dansk« skal udfyldes."));
    CHECK(has(r->body, ">Thanks.</textarea>"));  // what was typed is kept
    r = post(a, times("æ", 281), "", csrf);
    CHECK(r->status == 400);
    CHECK(has(r->body, "»Svar på dansk« er 281 tegn langt. Der må højst være 280 tegn."));
    CHECK(has(r->body, "aria-invalid=\"true\" aria-describedby=\"response-da-hint response-error\""));
    r = post(a, "Tak.", times("a", 281), csrf);
    CHECK(r->status == 400);
    CHECK(has(r->body, "»Svar på engelsk« er 281 tegn langt."));
    CHECK(history_of(w).empty());

    // Characters, not bytes: 280 of "æ" (560 bytes) are within the limit.
    r = post(a, times("æ", 280), "", csrf);
    CHECK(r->status == 303);
    CHECK(r->get_header_value("Location") == kWeek + "#response");
    r = post(a, "Vi har bestilt nye stole.\r\nDe kommer i januar.", "", csrf);
    CHECK(r->status == 303);
    r = a.get(kWeek);
    CHECK(has(r->body, "Svar fra Leder A, uge 48"));
    CHECK(has(r->body, "Vi har bestilt nye stole.<br>De kommer i januar."));
    CHECK(has(r->body, "2026-12-01 11:00: Leder A (leder.a@ishoj.dk)"));  // the audit list, Copenhagen time
    CHECK(w.log.has("leder.a@ishoj.dk wrote the response of wp-a 2026-W48"));

    // HR edits it ten minutes later, adding an English text.
    CookieClient hr(w.port);
    sign_in(w, hr, "hr@ishoj.dk", 1);
    r = hr.get(kWeek);
    CHECK(has(r->body, ">Vi har bestilt nye stole.\nDe kommer i januar.</textarea>"));  // the form holds the response in force
    w.now += 600;
    r = post(hr, "Stolene kommer i uge 2.", "The chairs arrive in week 2.", csrf_of(r->body));
    CHECK(r->status == 303);
    r = a.get(kWeek);
    CHECK(has(r->body, "Svar fra HR, uge 48"));
    CHECK(has(r->body, "Stolene kommer i uge 2."));
    const std::size_t hr_line = r->body.find("2026-12-01 11:10: HR (hr@ishoj.dk)");
    const std::size_t manager_line = r->body.find("2026-12-01 11:00: Leder A (leder.a@ishoj.dk)");
    CHECK(hr_line != std::string::npos);
    CHECK(manager_line != std::string::npos);
    CHECK(hr_line < manager_line);  // newest first
    // The print view shows the response, not the form.
    r = a.get(kWeek + "/print");
    CHECK(has(r->body, "Svar fra HR, uge 48"));
    CHECK(!has(r->body, "<textarea"));
    std::vector<WeekResponse> history = history_of(w);
    REQUIRE(history.size() == 3);
    CHECK(history[0].author_email == "hr@ishoj.dk");
    CHECK(history[0].text_en == std::optional<std::string>("The chairs arrive in week 2."));
    CHECK(history[1].text_da == "Vi har bestilt nye stole.\nDe kommer i januar.");
    CHECK(history[2].text_da == times("æ", 280));

    // The workplace's terminal shows it.
    r = get_news(w, kTerminalToken);
    REQUIRE(r->status == 200);
    const nlohmann::json news = nlohmann::json::parse(r->body);
    CHECK(news["manager"] == "HR");
    CHECK(news["response"]["da"] == "Stolene kommer i uge 2.");
    CHECK(news["response"]["en"] == "The chairs arrive in week 2.");

    // IT may not write it, nor a manager of another workplace, nor a form without the page's CSRF token.
    CookieClient it(w.port);
    sign_in(w, it, "it@ishoj.dk", 2);
    CHECK(post(it, "IT skriver.", "", csrf_of(it.get("/workplaces")->body))->status == 403);
    CookieClient b(w.port);
    sign_in(w, b, "leder.b@ishoj.dk", 3);
    r = post(b, "B skriver.", "", csrf_of(b.get("/workplaces")->body));
    CHECK(r->status == 403);
    CHECK(has(r->body, "Ingen adgang"));
    CHECK(post(a, "Uden token.", "", std::string(64, 'a'))->status == 403);
    CHECK(history_of(w).size() == 3);
    CHECK(w.log.has("it@ishoj.dk refused writing the response of \"wp-a\" (403)"));
    CHECK(w.log.has("leder.b@ishoj.dk refused writing the response of \"wp-a\" (403)"));

    // The English page shows the English text.
    r = a.get(kWeek + "?lang=en");
    CHECK(has(r->body, "Response from HR, week 48"));
    CHECK(has(r->body, "The chairs arrive in week 2."));
}

TEST_CASE("web: once the next week is published the week's response is read-only and a POST is refused with 409") {
    WebWorld w;
    CookieClient a(w.port);
    sign_in(w, a, "leder.a@ishoj.dk", 0);
    const std::string csrf = csrf_of(a.get(kWeek)->body);
    httplib::Result r = a.post(kWeek + "/response", {{"csrf", csrf}, {"text_da", "Tak for svarene."}, {"text_en", ""}});
    REQUIRE(r->status == 303);

    w.now += 7 * kSecondsPerDay;  // Tuesday 8 December: 2026-W49 is published
    sign_in(w, a, "leder.a@ishoj.dk", 1);  // the session ended after 8 hours unused
    r = a.get(kWeek);
    REQUIRE(r->status == 200);
    CHECK(has(r->body, "Svar fra Leder A, uge 48"));
    CHECK(has(r->body, "Tak for svarene."));
    CHECK(has(r->body, "Svaret kan ikke længere ændres"));
    CHECK(has(r->body, "2026-12-01 11:00: Leder A (leder.a@ishoj.dk)"));  // the audit list stays
    CHECK(!has(r->body, "<textarea"));
    CHECK(!has(r->body, "<form class=\"response\""));
    r = a.post(kWeek + "/response", {{"csrf", csrf_of(r->body)}, {"text_da", "For sent."}, {"text_en", ""}});
    CHECK(r->status == 409);
    CHECK(has(r->body, "Den næste uge er offentliggjort nu."));
    const std::vector<WeekResponse> history = history_of(w);
    REQUIRE(history.size() == 1);
    CHECK(history[0].text_da == "Tak for svarene.");
    // The newly published week takes its own response.
    r = a.get("/workplaces/wp-a/2026-W49");
    REQUIRE(r->status == 200);
    CHECK(has(r->body, "<textarea id=\"response-da\""));
}

TEST_CASE("news: a terminal gets its workplace's newest response of the last 4 published weeks, with the sealed participation, an ETag and 304") {
    WebWorld w;
    CHECK(get_news(w, "")->status == 401);
    CHECK(get_news(w, "not-a-token")->status == 401);
    CHECK(get_news(w, kManagerToken)->status == 401);
    httplib::Result r = get_news(w, kTerminalToken);
    CHECK(r->status == 204);
    CHECK(r->get_header_value("Cache-Control") == "no-store");

    std::string error;
    // 5 weeks before the latest published week (2026-W48): no longer news; 4 weeks: still news.
    REQUIRE(w.store->put_response(response("wp-a", {2026, 43}, "Uge 43.", std::nullopt, "Leder A"), &error));
    CHECK(get_news(w, kTerminalToken)->status == 204);
    REQUIRE(w.store->put_response(response("wp-a", {2026, 44}, "Uge 44.", std::nullopt, "Leder A"), &error));
    r = get_news(w, kTerminalToken);
    REQUIRE(r->status == 200);
    nlohmann::json doc = nlohmann::json::parse(r->body);
    CHECK(doc["week"] == "2026-W44");
    CHECK(doc["response"] == nlohmann::json{{"da", "Uge 44."}});

    // The newest wins; its participation is the one its sealed summary shows.
    const PublishedSummary sealed = published_summary(*w.store, w.config, "wp-a", {2026, 48}, "da", kWebNow);
    REQUIRE(sealed.status == PublishedSummary::Status::ok);
    REQUIRE(!sealed.summary.answers_withheld);
    REQUIRE(w.store->put_response(response("wp-a", {2026, 48}, "Nye stole »æøå«.", "New chairs.", "Leder A"), &error));
    r = get_news(w, kTerminalToken);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    CHECK(r->body == "{\"week\":\"2026-W48\",\"answers\":" + std::to_string(sealed.summary.answers) +
                         ",\"manager\":\"Leder A\",\"response\":{\"da\":\"Nye stole »æøå«.\",\"en\":\"New chairs.\"}}");
    const std::string etag = r->get_header_value("ETag");
    CHECK(etag == "\"sha256:" + sha256_hex(r->body).substr(0, 16) + "\"");
    r = get_news(w, kTerminalToken, etag);
    CHECK(r->status == 304);
    CHECK(r->body.empty());

    // Answers that arrive after the seal change nothing: never a live count.
    std::vector<Answer> late;
    for (unsigned i = 0; i < 7; ++i) late.push_back({test_uuid(90000 + i), "1.1", 3, "da", *parse_iso8601("2026-11-26T09:00:00Z")});
    REQUIRE(w.store->store_batch("wp-a", "term-a", late).kind == StoreResult::Kind::stored);
    CHECK(get_news(w, kTerminalToken, etag)->status == 304);

    // The English text removed: a new body, a new ETag.
    REQUIRE(w.store->put_response(response("wp-a", {2026, 48}, "Nye stole »æøå«.", std::nullopt, "Leder A"), &error));
    r = get_news(w, kTerminalToken, etag);
    REQUIRE(r->status == 200);
    CHECK(!nlohmann::json::parse(r->body)["response"].contains("en"));
    CHECK(r->get_header_value("ETag") != etag);

    // wp-b's terminal gets wp-b's response; 2 answers that week, fewer than min_answers: answers null.
    CHECK(get_news(w, kOtherTerminalToken)->status == 204);
    REQUIRE(w.store->put_response(response("wp-b", {2026, 48}, "Biblioteket.", std::nullopt, "HR"), &error));
    r = get_news(w, kOtherTerminalToken);
    REQUIRE(r->status == 200);
    doc = nlohmann::json::parse(r->body);
    CHECK(doc["week"] == "2026-W48");
    CHECK(doc["answers"].is_null());
    CHECK(doc["manager"] == "HR");
}

}  // namespace collector_test_web_response
