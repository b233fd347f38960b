// test_reach.cpp — every touchable element of every screen, the admin
// screens included, lies between 0.4 and 1.22 m above the floor for the
// mounting the config describes: the glass's physical height from its
// diagonal and mode (portrait or landscape) and [display] bottom_edge_m
// (default 0.9 m). A portrait 23.8″ panel at 0.9 m is the hard case: its top
// is 1.43 m above the floor.
#include "admin_pin.hpp"
#include "sim_env.hpp"
#include "common/pin_hash.hpp"
#include "kiosk/simulator.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_reach {

using namespace pulse;
using namespace pulse::test;

namespace {

// The elements of sim's current frame that lie outside 0.4..1.22 m above
// the floor, each as "id (low..high m)".
std::vector<std::string> out_of_reach(const Simulator& sim, const LoadedConfig& cfg) {
    const int w = sim.turn().layout_width(), h = sim.turn().layout_height();
    const double px_per_mm = std::hypot(double(w), double(h)) / cfg.config.diagonal_inch / 25.4;
    const auto metres = [&](float y) { return cfg.config.bottom_edge_m + (h - y) / px_per_mm / 1000; };
    std::vector<std::string> out;
    for (const Hit& hit : sim.hits()) {
        // Not for employees: the admin gesture's corner is deliberately out
        // of the way at the top left, and the touch test's area is the whole
        // glass on purpose (IT checks the touch panel edge to edge).
        if (hit.id == "admin-corner" || hit.id == "touch-area") continue;
        if (metres(hit.y0) > 1.2201 || metres(hit.y1) < 0.3999)
            out.push_back(hit.id + " (" + std::to_string(metres(hit.y1)) + ".." + std::to_string(metres(hit.y0)) + " m)");
    }
    return out;
}

void tap(Simulator& sim, const std::string& id) {
    std::string error;
    REQUIRE_MESSAGE(sim.tap(id, &error), error);
}

}  // namespace

TEST_CASE("every button of every screen, admin screens included, is 0.4-1.22 m above the floor, landscape and portrait") {
    SimEnv env("", "answers.sqlite3", "\n[admin]\npin_hash = \"" + pin_hash_4711() + "\"\n");
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    for (const double diagonal : {21.5, 23.8}) {
        for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
            CAPTURE(diagonal);
            CAPTURE(w);
            LoadedConfig cfg = *loaded;
            cfg.config.diagonal_inch = diagonal;
            cfg.config.width = w;
            cfg.config.height = h;
            REQUIRE(cfg.config.bottom_edge_m == doctest::Approx(0.9));  // the default mounting
            std::filesystem::remove(env.db);
            std::string error;
            std::unique_ptr<Simulator> sim = Simulator::open(cfg, w, h, make_inline_writer(env.db), 1,
                                                             *parse_iso8601("2026-12-01T09:00:00Z"), {}, &error);
            REQUIRE_MESSAGE(sim, error);
            const auto check = [&](const char* screen) {
                std::string out;
                for (const std::string& e : out_of_reach(*sim, cfg)) out += " " + e;
                CHECK_MESSAGE(out.empty(), std::string(screen) << ": out of reach:" << out);
            };
            check("attract");
            tap(*sim, "answer-4");
            sim->wait(0.4);
            check("question");
            sim->wait(20);
            check("idle warning");
            tap(*sim, "still-here");
            tap(*sim, "skip");
            tap(*sim, "skip");
            check("thanks");  // with "Fortryd"
            tap(*sim, "undo");
            sim->wait(3);
            REQUIRE(sim->screen() == Screen::cooldown);
            check("cooldown");
            sim->wait(10);
            tap(*sim, "about");
            check("about");
            tap(*sim, "about-close");
            for (int i = 0; i < 5; ++i) tap(*sim, "admin-corner");
            check("admin PIN pad");
            for (const char* key : {"pin-4", "pin-7", "pin-1", "pin-1", "pin-ok"}) tap(*sim, key);
            REQUIRE(sim->kiosk().terminal().admin().mode == AdminMode::panel);
            check("admin panel");
            tap(*sim, "admin-touch-test");
            check("touch test");
        }
    }
}

TEST_CASE("a portrait 23.8-inch panel at 0.9 m keeps its upper 39 % free of buttons") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
    REQUIRE(cfg);
    cfg->config.diagonal_inch = 23.8;
    cfg->config.width = 1080;
    cfg->config.height = 1920;
    std::string error;
    std::unique_ptr<Simulator> sim = Simulator::open(*cfg, 1080, 1920, make_inline_writer(env.db), 1,
                                                     *parse_iso8601("2026-12-01T09:00:00Z"), {}, &error);
    REQUIRE_MESSAGE(sim, error);
    tap(*sim, "answer-4");
    sim->wait(0.4);  // statement 2: every element of a question screen, "back" too
    // 1.22 m is (1.427 - 1.22) m below the top: 207 mm, 755 px.
    const float reach_top = static_cast<float>((0.9 + 1920 / cfg->config.px_per_mm() / 1000 - 1.22) * 1000 *
                                               cfg->config.px_per_mm());
    CHECK(reach_top == doctest::Approx(755).epsilon(0.01));
    int below = 0;
    for (const Hit& hit : sim->hits()) {
        CHECK_MESSAGE(hit.y0 >= reach_top - 0.5f, hit.id);
        ++below;
    }
    CHECK(below == 10);  // five answers, "‹ Tilbage", "Ved ikke", "Spring over", Dansk, English
}

TEST_CASE("the running kiosk lays out for [display] bottom_edge_m: a panel mounted higher or lower keeps every button of a session in reach") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    struct Mount {
        int w, h;
        double bottom_edge_m;
    };
    // 23.8″ (296 × 527 mm): landscape raised to 1.05 m (its upper 126 mm
    // out of reach) and lowered to 0.3 m (its lowest 100 mm out of reach),
    // portrait at 0.75 m (its upper 57 mm out of reach).
    for (const Mount m : {Mount{1920, 1080, 1.05}, Mount{1920, 1080, 0.3}, Mount{1080, 1920, 0.75}}) {
        CAPTURE(m.w);
        CAPTURE(m.bottom_edge_m);
        LoadedConfig cfg = *loaded;
        cfg.config.diagonal_inch = 23.8;
        cfg.config.width = m.w;
        cfg.config.height = m.h;
        cfg.config.bottom_edge_m = m.bottom_edge_m;
        std::filesystem::remove(env.db);
        std::string error;
        std::unique_ptr<Simulator> sim = Simulator::open(cfg, m.w, m.h, make_inline_writer(env.db), 1,
                                                         *parse_iso8601("2026-12-01T09:00:00Z"), {}, &error);
        REQUIRE_MESSAGE(sim, error);
        const auto check = [&](const char* screen) {
            std::string out;
            for (const std::string& e : out_of_reach(*sim, cfg)) out += " " + e;
            CHECK_MESSAGE(out.empty(), std::string(screen) << ": out of reach:" << out);
            CHECK_MESSAGE(!sim->hits().empty(), screen);
        };
        check("attract");
        tap(*sim, "answer-2");
        sim->wait(0.4);
        check("question");
        sim->wait(20);
        check("idle warning");
    }
}

}  // namespace kiosk_test_reach
