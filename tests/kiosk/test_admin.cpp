// test_admin.cpp — the admin screens with the real UI, headless (issue 13):
// the corner gesture opens the PIN pad on the screens where no session runs,
// a wrong PIN, the lockout that a restart of the kiosk keeps, the 30 s idle
// close, the panel's facts, the touch test's crosshair, the backlight dimmed
// at night and stepped from the panel; screenshots of pad, panel and touch
// test in both languages, landscape and portrait (<build>/screenshots/admin-*).
#include "admin_pin.hpp"
#include "sim_env.hpp"
#include "kiosk/simulator.hpp"
#include "kiosk/widgets.hpp"
#include "terminal/admin_info.hpp"
#include "terminal/answer_store.hpp"
#include "common/pin_hash.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_admin {

using namespace pulse;
using namespace pulse::test;

namespace {

const std::filesystem::path kShots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";
constexpr const char* kTuesdayMorning = "2026-12-01T09:00:00Z";  // 10:00 in Copenhagen

// A SimEnv whose config has the admin PIN 4711, extra lines in [display]
// and then extra tables.
std::unique_ptr<SimEnv> admin_env(const std::string& display = "", const std::string& tables = "") {
    return std::make_unique<SimEnv>("", "answers.sqlite3",
                                    display + "\n[admin]\npin_hash = \"" + pin_hash_4711() + "\"\n" + tables);
}

struct Sim {
    std::optional<LoadedConfig> cfg;
    std::unique_ptr<Simulator> sim;
};

Sim open_sim(const SimEnv& env, const char* start, int w = 1920, int h = 1080) {
    Sim s;
    Diagnostics errors;
    s.cfg = load_all(env.config, &errors);
    REQUIRE(s.cfg);
    std::string error;
    s.sim = Simulator::open(*s.cfg, w, h, make_inline_writer(env.db), 1, *parse_iso8601(start), {}, &error);
    REQUIRE_MESSAGE(s.sim, error);
    return s;
}

void tap(Simulator& sim, const std::string& id) {
    std::string error;
    REQUIRE_MESSAGE(sim.tap(id, &error), error);
}

void corner(Simulator& sim, int taps = 5) {
    for (int i = 0; i < taps; ++i) tap(sim, "admin-corner");
}

void enter(Simulator& sim, const std::string& pin) {
    for (char c : pin) tap(sim, std::string("pin-") + c);
    tap(sim, "pin-ok");
}

bool shows(const Simulator& sim, const std::string& id) {
    return std::any_of(sim.hits().begin(), sim.hits().end(), [&](const Hit& h) { return h.id == id; });
}

std::string shown(Simulator& sim) { return sim.kiosk().shown_screen_name(); }

void shot(Simulator& sim, const std::string& name) {
    std::filesystem::create_directories(kShots);  // whichever test runs first
    std::string error;
    CHECK_MESSAGE(sim.shot(kShots / (name + ".png"), &error), error);
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("five taps on the corner open the PIN pad, four do not; the right PIN opens the panel; in both languages, landscape and portrait") {
    std::filesystem::create_directories(kShots);
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        for (const std::string lang : {"da", "en"}) {
            CAPTURE(w);
            CAPTURE(lang);
            const std::string suffix = lang + (w > h ? "-landscape" : "-portrait");
            std::unique_ptr<SimEnv> env = admin_env();
            Sim s = open_sim(*env, kTuesdayMorning, w, h);
            Simulator& sim = *s.sim;
            if (lang == "en") tap(sim, "lang-en");
            corner(sim, 4);
            CHECK(shown(sim) == "attract");
            sim.wait(3);  // the four drop out of the 3 s window
            corner(sim, 1);
            CHECK(shown(sim) == "attract");
            corner(sim, 4);  // five within 3 s
            REQUIRE(shown(sim) == "admin PIN pad");
            for (const char* id : {"pin-0", "pin-1", "pin-2", "pin-3", "pin-4", "pin-5", "pin-6", "pin-7", "pin-8",
                                   "pin-9", "pin-ok", "pin-back", "admin-close"}) {
                CHECK_MESSAGE(shows(sim, id), id);
            }
            CHECK_FALSE(shows(sim, "start"));
            tap(sim, "pin-1");
            tap(sim, "pin-2");
            shot(sim, "admin-pin-" + suffix);
            tap(sim, "pin-ok");
            CHECK(shown(sim) == "admin PIN pad");
            shot(sim, "admin-pin-wrong-" + suffix);
            enter(sim, "4711");
            REQUIRE(shown(sim) == "admin panel");
            for (const char* id : {"admin-close", "admin-touch-test", "admin-restart"}) CHECK_MESSAGE(shows(sim, id), id);
            CHECK_FALSE(shows(sim, "admin-upload-now"));  // this terminal is offline: nothing to upload
            CHECK_FALSE(shows(sim, "brightness-up"));     // and has no backlight
            shot(sim, "admin-panel-" + suffix);
            tap(sim, "admin-touch-test");
            REQUIRE(shown(sim) == "touch test");
            std::string error;
            REQUIRE_MESSAGE(sim.tap_at(w * 0.3f, h * 0.4f, &error), error);
            shot(sim, "admin-touch-test-" + suffix);
            tap(sim, "touch-done");
            CHECK(shown(sim) == "admin panel");
            tap(sim, "admin-close");
            CHECK(shown(sim) == "attract");
            CHECK(sim.kiosk().terminal().flow().language == lang);  // the flow waited underneath
        }
    }
}

TEST_CASE("the corner opens the pad on attract and the night screen, never during a session, and is not there without a PIN hash") {
    std::unique_ptr<SimEnv> env = admin_env();
    {
        Sim s = open_sim(*env, kTuesdayMorning);
        tap(*s.sim, "answer-2");  // the first tap answers; the second statement follows
        s.sim->wait(0.4);
        REQUIRE(s.sim->screen() == Screen::question);
        CHECK_FALSE(shows(*s.sim, "admin-corner"));
        std::string error;
        CHECK_FALSE(s.sim->tap("admin-corner", &error));
        CHECK(error.find("no element 'admin-corner' on the question screen") != std::string::npos);
    }
    {
        // Closed at night: the corner is there, and its taps do not show the "closed" message.
        std::unique_ptr<SimEnv> night = admin_env("", "\n[schedule]\nmonday = \"07:00-17:00\"\n");
        Sim s = open_sim(*night, kTuesdayMorning);
        REQUIRE(s.sim->screen() == Screen::closed);
        corner(*s.sim, 4);
        CHECK_FALSE(s.sim->kiosk().terminal().flow().closed_message);
        corner(*s.sim, 1);
        CHECK(shown(*s.sim) == "admin PIN pad");
        shot(*s.sim, "admin-pin-over-night-screen");
        tap(*s.sim, "admin-close");
        CHECK(s.sim->screen() == Screen::closed);
    }
    {
        // Without [admin] pin_hash there is no corner at all.
        SimEnv plain;
        Diagnostics errors;
        std::optional<LoadedConfig> cfg = load_all(plain.config, &errors);
        REQUIRE(cfg);
        std::string error;
        std::unique_ptr<Simulator> sim =
            Simulator::open(*cfg, 1920, 1080, make_inline_writer(plain.db), 1, *parse_iso8601(kTuesdayMorning), {}, &error);
        REQUIRE(sim);
        CHECK_FALSE(shows(*sim, "admin-corner"));
    }
}

TEST_CASE("five wrong PINs lock the pad for 5 minutes, a restart of the kiosk keeps the lock, and after it the right PIN opens the panel") {
    std::unique_ptr<SimEnv> env = admin_env();
    UnixSeconds restart_at = 0;
    {
        Sim s = open_sim(*env, kTuesdayMorning);
        corner(*s.sim);
        for (int i = 0; i < 5; ++i) enter(*s.sim, "1234");
        CHECK(shown(*s.sim) == "admin PIN pad");
        const PinLock lock = s.sim->kiosk().terminal().admin().lock;
        CHECK(lock.lockouts == 1);
        CHECK(lock.locked_until == *parse_iso8601(kTuesdayMorning) + 300);
        shot(*s.sim, "admin-pin-locked-da-landscape");
        enter(*s.sim, "4711");  // locked: not even the right one
        CHECK(shown(*s.sim) == "admin PIN pad");
        restart_at = s.sim->wall() + 60;
    }
    REQUIRE(std::filesystem::exists(env->dir / "admin-lock.toml"));
    // The kiosk starts again a minute later: still locked.
    Sim again = open_sim(*env, format_iso_utc(restart_at).c_str());
    corner(*again.sim);
    enter(*again.sim, "4711");
    CHECK(shown(*again.sim) == "admin PIN pad");
    CHECK(again.sim->kiosk().terminal().admin().lock.lockouts == 1);
    again.sim->wait(240);  // 5 minutes after the lockout; the pad closed when idle meanwhile
    CHECK(shown(*again.sim) == "attract");
    corner(*again.sim);
    enter(*again.sim, "4711");
    CHECK(shown(*again.sim) == "admin panel");
    CHECK(again.sim->kiosk().terminal().admin().lock == PinLock{});
    CHECK(read_text(env->dir / "admin-lock.toml").find("lockouts = 0") != std::string::npos);
}

TEST_CASE("the pad and the panel close after 30 s without a tap, and each tap gives another 30 s") {
    std::unique_ptr<SimEnv> env = admin_env();
    Sim s = open_sim(*env, kTuesdayMorning);
    corner(*s.sim);
    s.sim->wait(29.9);
    CHECK(shown(*s.sim) == "admin PIN pad");
    s.sim->wait(0.1);
    CHECK(shown(*s.sim) == "attract");
    corner(*s.sim);
    enter(*s.sim, "4711");
    s.sim->wait(20);
    tap(*s.sim, "admin-touch-test");
    s.sim->wait(20);
    CHECK(shown(*s.sim) == "touch test");
    s.sim->wait(10);
    CHECK(shown(*s.sim) == "attract");
}

TEST_CASE("the touch test draws its crosshair through the point touched") {
    std::unique_ptr<SimEnv> env = admin_env();
    Sim s = open_sim(*env, kTuesdayMorning);
    corner(*s.sim);
    enter(*s.sim, "4711");
    tap(*s.sim, "admin-touch-test");
    std::string error;
    REQUIRE_MESSAGE(s.sim->tap_at(700, 300, &error), error);
    CHECK(s.sim->kiosk().terminal().admin().touch_x == 700);
    CHECK(s.sim->kiosk().terminal().admin().touch_y == 300);
    const std::vector<std::uint8_t> rgb = s.sim->pixels();
    REQUIRE(rgb.size() == 1920u * 1080u * 3u);
    const Palette p;
    const auto is_fault = [&](int x, int y) {
        const std::size_t i = (static_cast<std::size_t>(y) * 1920 + x) * 3;
        return std::abs(rgb[i] - static_cast<int>(p.fault >> 24)) <= 3 &&
               std::abs(rgb[i + 1] - static_cast<int>((p.fault >> 16) & 0xFF)) <= 3 &&
               std::abs(rgb[i + 2] - static_cast<int>((p.fault >> 8) & 0xFF)) <= 3;
    };
    // Along the row and the column through the touch, away from text and button.
    for (int x : {20, 400, 1100, 1900}) CHECK_MESSAGE(is_fault(x, 300), x);
    for (int y : {200, 500, 1000}) CHECK_MESSAGE(is_fault(700, y), y);
    CHECK_FALSE(is_fault(400, 500));
}

TEST_CASE("the backlight is dimmed at closing and brought back at opening, and the panel's buttons step it") {
    std::unique_ptr<SimEnv> env = admin_env();
    const std::filesystem::path bl = env->dir / "backlight";
    std::filesystem::create_directories(bl);
    std::ofstream(bl / "max_brightness") << "1000\n";
    std::ofstream(bl / "brightness") << "800\n";
    // The stand-in backlight, and Tuesday's hours 07:00-17:00 (Copenhagen).
    std::unique_ptr<SimEnv> lit = admin_env("backlight = \"" + bl.string() + "\"\nnight_brightness = 0.05\n",
                                            "\n[schedule]\ntuesday = \"07:00-17:00\"\n");
    const SimResult r = lit->simulate(
        "wait 1\n"
        "tap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\n"
        "tap pin-4\ntap pin-7\ntap pin-1\ntap pin-1\ntap pin-ok\n"
        "tap brightness-up\ntap brightness-up\ntap brightness-down\n"
        "tap admin-close\n"
        "wait 3600\n", "", 1, "2026-12-01T15:00:00Z");  // 16:00 in Copenhagen: an hour before closing
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_text(bl / "brightness") == "50\n");  // closed at 17:00: 5 % of 1000
    const SimResult morning = lit->simulate("wait 1\n", "", 1, "2026-12-02T06:30:00Z");  // 07:30 Wednesday: closed
    REQUIRE(morning.exit_code == 0);
    CHECK(read_text(bl / "brightness") == "50\n");
    // Tuesday's hours: the next Tuesday morning at 07:00 opens, with the day level read back as full.
    const SimResult tuesday = lit->simulate("wait 1\n", "", 1, "2026-12-08T06:00:00Z");
    REQUIRE(tuesday.exit_code == 0);
    CHECK(read_text(bl / "brightness") == "1000\n");  // it started dimmed: the day level is the maximum

    // Within the hours the steps write at once: 800 + 100 + 100 - 100.
    std::ofstream(bl / "brightness") << "800\n";
    const SimResult steps = lit->simulate(
        "tap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\n"
        "tap pin-4\ntap pin-7\ntap pin-1\ntap pin-1\ntap pin-ok\n"
        "tap brightness-up\ntap brightness-up\ntap brightness-down\n", "", 1, "2026-12-08T09:00:00Z");
    REQUIRE_MESSAGE(steps.exit_code == 0, steps.err);
    CHECK(read_text(bl / "brightness") == "900\n");
    CHECK(steps.out == "{\"screen\":\"attract\",\"admin\":\"panel\",\"answers_stored\":0}\n");
}

TEST_CASE("the panel's facts come from the config, the upload facts and the heartbeat, in whole hours, and never a count") {
    std::unique_ptr<SimEnv> env = admin_env();
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(env->config, &errors);
    REQUIRE(cfg);
    cfg->config.upload = UploadConfig{};
    cfg->config.upload->endpoint = "https://pulse.ishoj.dk";
    {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(env->db, &status);
        REQUIRE_MESSAGE(store, status.message);
        REQUIRE(store->upload_queue().put_upload_fact("last_upload_ok", "2026-12-01T10:37:12Z").ok());
        REQUIRE(store->upload_queue().put_upload_fact("last_error", "").ok());
        REQUIRE(store->upload_queue().put_upload_fact("clock_offset_s", "-3").ok());
    }
    AdminInfo info = gather_admin_info(cfg->config, "0.1.0+9.gabc", "sha256:0123456789abcdef", std::nullopt, {});
    CHECK(info.terminal_id == "test-1");
    CHECK(info.workplace == "test");
    CHECK(info.version == "0.1.0+9.gabc");
    CHECK(info.config_version == "sha256:0123456789abcdef");
    CHECK(info.endpoint == "https://pulse.ishoj.dk");
    CHECK(info.last_upload_ok_hour == *parse_iso8601("2026-12-01T10:00:00Z"));
    CHECK(info.reach == AdminInfo::Reach::reachable);
    CHECK(info.reach_hour == *parse_iso8601("2026-12-01T10:00:00Z"));
    CHECK(info.clock_offset_s == -3);
    CHECK(info.facts.database_ok);
    CHECK_FALSE(info.facts.answers_set_aside);
    REQUIRE(info.facts.free_disk_mb);
    CHECK(*info.facts.free_disk_mb % 100 == 0);

    // A failed heartbeat since: not reachable, and why.
    info = gather_admin_info(cfg->config, "v", "c",
                             HeartbeatContact{*parse_iso8601("2026-12-01T11:00:00Z"), false, "HTTP 503"}, {});
    CHECK(info.reach == AdminInfo::Reach::unreachable);
    CHECK(info.reach_hour == *parse_iso8601("2026-12-01T11:00:00Z"));
    CHECK(info.last_error == "HTTP 503");
}

}  // namespace kiosk_test_admin
