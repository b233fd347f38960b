// test_summary_browser.cpp — the HTML summary in a real browser: Debian's
// headless Chromium loads the page, its DOM holds the theme table, the bars
// and the "for få svar" marks, no script error is reported, and a screenshot
// is written to build/screenshots/summary-da.png for a person to look at;
// the e-mail's HTML at a phone's and a desktop's width (cdp.hpp) fits them
// without scrolling sideways (build/screenshots/summary-email-*.png).
#include "cdp.hpp"
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "process.hpp"
#include "collector/publication.hpp"
#include "collector/report.hpp"
#include "collector/email/email_message.hpp"  // email_html
#include "collector/summary/formats.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_summary_browser {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr IsoWeek kWeek{2026, 48};
const UnixSeconds kMonday = *parse_iso8601("2026-11-23T08:00:00Z");  // 09:00 in Copenhagen, Monday of 2026-W48

// Chromium headless with nothing of the network or the user's profile:
// a fresh profile folder per call, then the page at url.
std::vector<std::string> chromium_args(const std::filesystem::path& profile, std::vector<std::string> action,
                                       const std::string& url) {
    std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                     "--no-first-run", "--disable-background-networking",
                                     "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
                                     "--user-data-dir=" + profile.string()};
    args.insert(args.end(), action.begin(), action.end());
    args.push_back(url);
    return args;
}

// Stores answers for wp-a: most active questions get 6–10 answers in
// 2026-W48 (one "ved ikke" each) spread over Monday–Friday and 5 in the week
// before (so change and trend show); every seventh gets only 2 and is withheld.
void store_answers(CollectorStore& store, const QuestionBank& bank) {
    std::vector<Answer> answers;
    unsigned id = 1;
    int index = 0;
    for (const Question& q : bank.questions) {
        if (!q.active) continue;
        const int n = index % 7 == 3 ? 2 : 6 + index % 5;
        for (int i = 0; i < n; ++i) {
            std::optional<int> value;
            if (i != 0) value = 1 + (index + i * (i % 3 + 1)) % 5;
            answers.push_back(Answer{test_uuid(id++), q.id, value, "da", kMonday + 86400 * (i % 5) + 3600 * (index % 6)});
        }
        for (int i = 0; i < 5 && n > 2; ++i)
            answers.push_back(Answer{test_uuid(id++), q.id, 2 + (index + i) % 4, "da", kMonday - 7 * 86400 + 3600 * i});
        ++index;
    }
    const StoreResult stored = store.store_batch("wp-a", "term-a", answers);
    REQUIRE_MESSAGE(stored.kind == StoreResult::Kind::stored, stored.message);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("headless Chromium renders the Danish HTML summary with its charts and withheld marks and no script error") {
    REQUIRE_MESSAGE(std::filesystem::exists(kChromium),
                    kChromium, " is missing: install Debian's chromium (scripts/install-deps does)");

    CollectorConfig config = test_collector_config();
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    REQUIRE(!config.banks.empty());
    store_answers(*store, config.banks.front());

    std::ostringstream html, summary_text, err;
    REQUIRE(run_report(*store, config, "wp-a", kWeek, "html", "da", publication_moment(config, kWeek), html, err) == 0);
    REQUIRE(run_report(*store, config, "wp-a", kWeek, "json", "da", publication_moment(config, kWeek), summary_text, err) == 0);
    const json summary = json::parse(summary_text.str());
    int shown = 0, withheld = 0;
    for (const json& theme : summary["themes"])
        for (const json& q : theme["questions"]) ++(q["withheld"] == true ? withheld : shown);
    REQUIRE(shown > 0);
    REQUIRE(withheld > 0);

    const std::filesystem::path shots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";
    const std::filesystem::path page = write_file(shots / "summary-da.html", html.str());
    const std::filesystem::path png = shots / "summary-da.png";
    std::filesystem::remove(png);
    const std::string url = "file://" + std::filesystem::absolute(page).string();
    const std::filesystem::path work = temp_folder();

    const ProcessResult shot = run_process(
        chromium_args(work / "profile-shot", {"--screenshot=" + png.string(), "--window-size=1000,1400"}, url), {}, work, 60);
    CHECK_MESSAGE(shot.exit_code == 0, "chromium --screenshot: ", shot.err);
    CHECK_MESSAGE(shot.err.find("Uncaught") == std::string::npos, shot.err);

    REQUIRE_MESSAGE(std::filesystem::exists(png), "no screenshot; chromium said:\n", shot.err);
    const std::string bytes = slurp(png);
    CHECK(bytes.size() > 5000);
    REQUIRE(bytes.size() > 24);
    CHECK(bytes.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(bytes.substr(12, 4) == "IHDR");
    const auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
    };
    CHECK(be32(16) == 1000);  // width
    CHECK(be32(20) == 1400);  // height

    const ProcessResult dom = run_process(chromium_args(work / "profile-dom", {"--dump-dom"}, url), {}, work, 60);
    CHECK_MESSAGE(dom.exit_code == 0, "chromium --dump-dom: ", dom.err);
    CHECK_MESSAGE(dom.err.find("Uncaught") == std::string::npos, dom.err);
    REQUIRE_MESSAGE(dom.out.find("</html>") != std::string::npos, "no DOM dumped; chromium said:\n", dom.err);
    CHECK(count_of(dom.out, "<table class=\"themes\"") == 1);
    CHECK(count_of(dom.out, "<table class=\"bar\"") >= static_cast<std::size_t>(shown));
    CHECK(dom.out.find("for få svar") != std::string::npos);
    MESSAGE("questions shown: ", shown, ", withheld: ", withheld, ", bars: ", count_of(dom.out, "<table class=\"bar\""));
}

TEST_CASE("the e-mail's HTML in Chromium fits a phone and a desktop without sideways scrolling, theme table first") {
    CollectorConfig config = test_collector_config();
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    store_answers(*store, config.banks.front());
    // The week as it is published: its themes, its statements over the 4 weeks 45–48.
    const PublishedSummary published =
        published_summary(*store, config, "wp-a", kWeek, "da", publication_moment(config, kWeek));
    REQUIRE_MESSAGE(published.status == PublishedSummary::Status::ok, published.message);
    const Summary& summary = published.summary;
    REQUIRE(summary.question_span == QuestionSpan::period);
    std::size_t shown_items = 0;
    for (const ThemeSummary& t : summary.themes) {
        shown_items += t.figures.withheld ? 0 : 1;
        for (const QuestionSummary& q : t.questions) shown_items += q.figures.withheld ? 0 : 1;
    }
    const std::string mail = email_html(summary, config.summary_texts, "https://pulse.ishoj.dk/workplaces/wp-a/2026-W48");
    // What Outlook for Windows drops or breaks on: none of it in the e-mail.
    for (const char* dropped : {"<style", "display:flex", "display:grid", "<svg"}) {
        CAPTURE(dropped);
        CHECK(mail.find(dropped) == std::string::npos);
    }

    const std::filesystem::path shots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";
    const std::filesystem::path page_file = write_file(shots / "summary-email-da.html", mail);
    Browser browser(temp_folder());
    Page& page = browser.new_page();
    struct Width {
        const char* name;
        int width;
        bool mobile;
    };
    for (const Width& size : {Width{"phone", 375, true}, Width{"desktop", 1024, false}}) {
        CAPTURE(size.name);
        page.set_viewport(size.width, 900, size.mobile);
        CHECK(page.navigate("file://" + std::filesystem::absolute(page_file).string()) == 200);
        const std::filesystem::path png = shots / ("summary-email-da-" + std::string(size.name) + ".png");
        std::filesystem::remove(png);
        page.screenshot(png, true);
        page.screenshot(shots / ("summary-email-da-" + std::string(size.name) + "-first-screen.png"), false);
        CHECK(std::filesystem::file_size(png) > 5000);
        // Nothing wider than the screen: no sideways scrolling, no cut-off column.
        // (A phone widens its layout viewport to content wider than the screen, so both are compared with the screen.)
        const int scroll_width = page.evaluate("document.documentElement.scrollWidth").get<int>();
        const int viewport = page.evaluate("window.innerWidth").get<int>();
        CHECK_MESSAGE(viewport == size.width, "the layout viewport grew to ", viewport, " px: something is too wide");
        CHECK_MESSAGE(scroll_width <= size.width, "the e-mail is ", scroll_width, " px wide on a ", size.width, " px screen");
        // The widest element, for the failure message when one sticks out.
        const std::string widest = page.evaluate(
            "(() => { let w = null; for (const e of document.querySelectorAll('body *')) {"
            " const r = e.getBoundingClientRect(); if (r.right > " + std::to_string(size.width) + " + 0.5 && (!w || r.right > w.r))"
            " w = {r: r.right, html: e.outerHTML.slice(0, 160)}; } return w ? w.r + ': ' + w.html : ''; })()")
                                       .get<std::string>();
        CHECK_MESSAGE(widest.empty(), widest);
        // The theme table opens the summary, one row per theme, each row's cells inside the screen.
        CHECK(page.evaluate("document.querySelectorAll('table.themes tbody tr').length").get<std::size_t>() ==
              summary.themes.size());
        CHECK(page.evaluate("document.querySelector('table.themes').getBoundingClientRect().top < "
                            "document.querySelector('.highlights').getBoundingClientRect().top")
                  .get<bool>());
        CHECK(page.evaluate("document.querySelectorAll('table.bar').length").get<std::size_t>() == shown_items);
        // Every bar's percentages are on the screen, readable as words.
        CHECK(page.evaluate("[...document.querySelectorAll('table.bar')].every(t => /% uenige/.test(t.innerText) && "
                            "/% enige/.test(t.innerText))")
                  .get<bool>());
        CHECK(page.evaluate("document.body.innerText.includes('for få svar')").get<bool>());
        CHECK(page.console_errors().empty());
    }
}

}  // namespace collector_test_summary_browser
