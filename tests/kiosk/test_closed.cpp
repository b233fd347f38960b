// test_closed.cpp — outside the opening hours ([schedule]) with the real UI,
// headless: the screen goes dark at closing time, takes no answers, shows
// "closed" for 10 s after a tap, and returns to attract at opening; in both
// languages, landscape and portrait. PNGs go to <build>/screenshots/.
#include "sim_env.hpp"
#include "kiosk/simulator.hpp"
#include "kiosk/widgets.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_closed {

using namespace pulse;
using namespace pulse::test;

namespace {

const std::filesystem::path kShots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";

// Friday 07:00-17:00 only, Copenhagen time (CET in November: 16:00Z is 17:00).
const std::string kFridayHours = "\n[schedule]\nfriday = \"07:00-17:00\"\n";
constexpr const char* kJustBeforeClosing = "2026-11-27T15:59:50Z";

// A SimEnv with the Friday hours, its terminal starting sessions in lang.
std::unique_ptr<SimEnv> env_in(const std::string& lang) {
    auto env = std::make_unique<SimEnv>("", "answers.sqlite3", kFridayHours);
    std::ifstream in(env->config);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    const std::size_t at = text.find("language = \"da\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 15, "language = \"" + lang + "\"");
    std::ofstream(env->config) << text;
    return env;
}

long pixels_of(const std::vector<std::uint8_t>& rgb, Rgba colour) {
    long n = 0;
    for (std::size_t i = 0; i + 2 < rgb.size(); i += 3) {
        const bool same = std::abs(rgb[i] - static_cast<int>((colour >> 24) & 0xFF)) <= 3 &&
                          std::abs(rgb[i + 1] - static_cast<int>((colour >> 16) & 0xFF)) <= 3 &&
                          std::abs(rgb[i + 2] - static_cast<int>((colour >> 8) & 0xFF)) <= 3;
        if (same) ++n;
    }
    return n;
}

// The brightest channel of any pixel: a dark screen stays low.
int brightest(const std::vector<std::uint8_t>& rgb) {
    return rgb.empty() ? 255 : *std::max_element(rgb.begin(), rgb.end());
}

}  // namespace

TEST_CASE("at closing time the kiosk goes dark, a tap shows 'closed' for 10 s and stores nothing, in both languages") {
    std::filesystem::create_directories(kShots);
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        std::map<std::string, std::vector<std::uint8_t>> message_by_lang;
        for (const std::string lang : {"da", "en"}) {
            CAPTURE(w);
            CAPTURE(lang);
            std::unique_ptr<SimEnv> env = env_in(lang);
            Diagnostics errors;
            std::optional<LoadedConfig> cfg = load_all(env->config, &errors);
            REQUIRE(cfg);
            std::string error;
            std::unique_ptr<Simulator> sim = Simulator::open(*cfg, w, h, make_inline_writer(env->db), 1,
                                                             *parse_iso8601(kJustBeforeClosing), {}, &error);
            REQUIRE_MESSAGE(sim, error);
            CHECK(sim->screen() == Screen::attract);
            sim->wait(9.9);
            CHECK(sim->screen() == Screen::attract);
            sim->wait(0.1);  // 17:00:00 in Copenhagen
            REQUIRE(sim->screen() == Screen::closed);

            const std::string prefix = std::to_string(w) + "x" + std::to_string(h) + "-" + lang + "-";
            CHECK_MESSAGE(sim->shot(kShots / (prefix + "closed.png"), &error), error);
            const std::vector<std::uint8_t> night = sim->pixels();
            CHECK(brightest(night) <= 0x20);  // dark: no light in a dark room
            // One target, the whole reachable band: from 1.22 m above the
            // floor (the glass's lower edge at the default 0.9 m) down.
            REQUIRE(sim->hits().size() == 1);
            const Hit& target = sim->hits()[0];
            CHECK(target.id == "closed");
            CHECK(target.x1 - target.x0 == static_cast<float>(w));
            const double px_per_mm = cfg->config.px_per_mm();
            const double top_m = 0.9 + (h - target.y0) / px_per_mm / 1000;
            CHECK(top_m <= 1.2201);
            CHECK((top_m >= 1.2199 || target.y0 == 0));  // all of the reachable band
            CHECK(target.y1 == static_cast<float>(h));    // 0.9 m is within reach
            CHECK(target.fill == Palette{}.night);

            REQUIRE(sim->tap("closed", &error));
            CHECK(sim->screen() == Screen::closed);
            CHECK(sim->kiosk().terminal().flow().closed_message);
            CHECK_MESSAGE(sim->shot(kShots / (prefix + "closed-message.png"), &error), error);
            const std::vector<std::uint8_t> message = sim->pixels();
            CHECK(pixels_of(message, Palette{}.night_text) > 2000);  // the message is there, in its colour
            CHECK(brightest(message) <= 0xB0);                        // and still dim
            message_by_lang[lang] = message;

            sim->wait(9.9);
            CHECK(sim->kiosk().terminal().flow().closed_message);
            sim->wait(0.1);
            CHECK_FALSE(sim->kiosk().terminal().flow().closed_message);
            CHECK(brightest(sim->pixels()) <= 0x20);
            CHECK(sim->kiosk().terminal().answers_durable() == 0);
            CHECK(env->rows().empty());

            // Closed all week; next Friday 07:00 CET back to attract, and a session can start again.
            sim->wait(7 * 86400.0 - 60 * 60 * 10 - 11.0);  // Friday 4 December, 06:59:59 local
            CHECK(sim->screen() == Screen::closed);
            sim->wait(1);
            CHECK(sim->screen() == Screen::attract);
            CHECK(sim->wall() == *parse_iso8601("2026-12-04T06:00:00Z"));
            REQUIRE(sim->tap("answer-4", &error));  // the first tap answers the statement shown
            sim->wait(0.4);
            CHECK(sim->screen() == Screen::question);
        }
        long differ = 0;
        for (std::size_t i = 0; i < message_by_lang["da"].size(); ++i) differ += message_by_lang["da"][i] != message_by_lang["en"][i];
        CHECK(differ > 2000);  // the message is in the terminal's language
    }
}

TEST_CASE("simulate --now before opening shows the dark screen and no start button, then attract at 07:00") {
    for (const std::string lang : {"da", "en"}) {
        CAPTURE(lang);
        std::unique_ptr<SimEnv> env = env_in(lang);
        // 06:30 in Copenhagen: closed.
        SimResult r = env->simulate("shot simulate-" + lang + "-closed\ntap closed\nshot simulate-" + lang +
                                        "-closed-message\ntap start\n",
                                    "", 1, "2026-11-27T05:30:00Z", 0, 0, kShots);
        CHECK(r.exit_code == 1);  // there is nothing to start a session with
        CHECK(r.err.find("no element 'start' on the closed screen (there: closed)") != std::string::npos);
        CHECK(std::filesystem::exists(kShots / ("simulate-" + lang + "-closed.png")));
        CHECK(std::filesystem::exists(kShots / ("simulate-" + lang + "-closed-message.png")));
        CHECK(env->rows().empty());

        r = env->simulate("wait 1800\ntap answer-4\nwait 0.4\ntap skip\ntap skip\n", "", 1, "2026-11-27T05:30:00Z");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(env->rows().size() == 1);
        CHECK(env->rows()[0].lang == lang);
    }
}

TEST_CASE("a session under way at closing time is finished and stored, then the screen goes dark") {
    std::unique_ptr<SimEnv> env = env_in("da");
    SimResult r = env->simulate("tap answer-3\nwait 15\ntap answer-5\nwait 0.4\ntap skip\nwait 10\n", "", 1,
                                kJustBeforeClosing);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "{\"screen\":\"closed\",\"answers_stored\":2}\n");
    CHECK(env->rows().size() == 2);
}

TEST_CASE("the closed message has at least 4.5:1 contrast on the night background") {
    const Palette p;
    CHECK(contrast_ratio(p.night_text, p.night) >= 4.5f);
    CHECK(relative_luminance(p.night) < 0.01f);
}

}  // namespace kiosk_test_closed
