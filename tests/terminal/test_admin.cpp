// test_admin.cpp — the terminal's admin access as a model (issue 13): the
// corner gesture, the PIN pad, the lockout and its doubling, the 30 s idle
// close, the lock file kept across restarts, the PIN's Argon2id hash through
// libsodium, the [admin] and [display] backlight config keys, and the
// backlight's levels on a stand-in sysfs folder. The real UI: tests/kiosk/test_admin.cpp.
#include "terminal/admin.hpp"
#include "terminal/backlight.hpp"
#include "terminal/kiosk_config.hpp"
#include "common/pin_hash.hpp"
#include "minimal_config.hpp"
#include "temp_dir.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_admin {

using namespace pulse;
using pulse::testing::TempDir;

namespace {

constexpr UnixSeconds kWall = 1'796'119'200;  // 2026-12-01T10:00:00Z

// A PIN check that counts its calls: the right PIN is "4711".
struct CountingCheck {
    int calls = 0;
    PinCheck check() {
        return [this](const std::string& pin) {
            ++calls;
            return pin == "4711";
        };
    }
};

AdminStep act(AdminState& s, AdminAction a, AdminMillis now, PinCheck check = {}, int value = 0,
              UnixSeconds wall = kWall) {
    return admin_apply(s, a, value, 0, 0, now, wall, true, check);
}

// Opens the pad at now with five corner taps 100 ms apart.
void open_pad(AdminState& s, AdminMillis now) {
    for (int i = 0; i < 5; ++i) act(s, AdminAction::corner, now + i * 100);
    REQUIRE(s.mode == AdminMode::pin);
}

void type(AdminState& s, const std::string& digits, AdminMillis now, UnixSeconds wall = kWall) {
    for (char c : digits) admin_apply(s, AdminAction::digit, c - '0', 0, 0, now, wall, true, {});
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("five taps on the corner within 3 s open the PIN pad; four, or five spread over 3 s or more, do not") {
    AdminState s;
    for (int i = 0; i < 4; ++i) CHECK_FALSE(act(s, AdminAction::corner, i * 500).changed);
    CHECK(s.mode == AdminMode::off);
    // The fifth tap 3 s after the first: the first has dropped out of the window.
    CHECK_FALSE(act(s, AdminAction::corner, 3000).changed);
    CHECK(s.mode == AdminMode::off);
    CHECK(act(s, AdminAction::corner, 3100).changed);  // taps at 500 .. 3100: five within 3 s
    CHECK(s.mode == AdminMode::pin);
    CHECK(s.digits.empty());

    SUBCASE("without a PIN hash configured the gesture opens nothing") {
        AdminState none;
        for (int i = 0; i < 10; ++i) admin_apply(none, AdminAction::corner, 0, 0, 0, i * 100, kWall, false, {});
        CHECK(none.mode == AdminMode::off);
    }
}

TEST_CASE("the right PIN opens the panel; a wrong one says so, and the fifth wrong in a row locks the pad for 5 minutes, then 10, then 20") {
    CountingCheck counter;
    AdminState s;
    open_pad(s, 0);
    type(s, "1234", 1000);
    CHECK(s.digits == "1234");
    act(s, AdminAction::back, 1100);
    CHECK(s.digits == "123");
    act(s, AdminAction::ok, 1200, counter.check());
    CHECK(s.mode == AdminMode::pin);
    CHECK(s.wrong_pin);
    CHECK(s.digits.empty());  // never kept after a try
    CHECK(s.lock == PinLock{1, 0, 0});
    for (int i = 2; i <= 5; ++i) {
        type(s, "0000", 2000 + i);
        const AdminStep step = act(s, AdminAction::ok, 2000 + i, counter.check());
        CHECK(step.lock_changed);
    }
    CHECK(counter.calls == 5);
    CHECK(s.lock == PinLock{0, 1, kWall + 5 * 60});
    CHECK(pin_lock_remaining_s(s.lock, kWall) == 300);

    // While locked nothing is checked, not even the right PIN.
    type(s, "4711", 3000);
    CHECK(s.digits.empty());
    const AdminStep locked = act(s, AdminAction::ok, 3001, counter.check());
    CHECK_FALSE(locked.lock_changed);
    CHECK(counter.calls == 5);
    CHECK(s.mode == AdminMode::pin);

    // After the lockout: five more wrong ones lock for 10 minutes, then 20.
    UnixSeconds wall = kWall + 300;
    for (int lockout = 2; lockout <= 3; ++lockout) {
        for (int i = 0; i < 5; ++i) {
            type(s, "9999", 4000, wall);
            admin_apply(s, AdminAction::ok, 0, 0, 0, 4000, wall, true, counter.check());
        }
        CHECK(s.lock.lockouts == lockout);
        CHECK(s.lock.locked_until == wall + (lockout == 2 ? 600 : 1200));
        wall = s.lock.locked_until;
    }
    // The right PIN once unlocked: the panel, and the lock is gone.
    type(s, "4711", 5000, wall);
    const AdminStep right = admin_apply(s, AdminAction::ok, 0, 0, 0, 5000, wall, true, counter.check());
    CHECK(right.lock_changed);
    CHECK(s.mode == AdminMode::panel);
    CHECK(s.lock == PinLock{});
    CHECK(pin_lock_seconds(1) == 300);
    CHECK(pin_lock_seconds(4) == 2400);
    CHECK(pin_lock_seconds(20) == 24 * 3600);  // at most a day
}

TEST_CASE("a lock further ahead than its length (the wall clock was set back) counts as its full length from now") {
    const PinLock lock{0, 1, kWall + 10 * 24 * 3600};
    CHECK(pin_lock_remaining_s(lock, kWall) == 300);
    CHECK(pin_lock_remaining_s(PinLock{0, 2, kWall + 100}, kWall) == 100);
    CHECK(pin_lock_remaining_s(PinLock{0, 2, kWall - 1}, kWall) == 0);
}

TEST_CASE("pad, panel and touch test close after 30 s without a tap, not before, and each tap starts the 30 s again") {
    CountingCheck counter;
    AdminState s;
    open_pad(s, 0);  // opened at 400
    CHECK(admin_deadline(s) == 400 + kAdminIdle_ms);
    CHECK_FALSE(admin_tick(s, 400 + kAdminIdle_ms - 1));
    type(s, "4711", 20'000);
    act(s, AdminAction::ok, 20'000, counter.check());
    REQUIRE(s.mode == AdminMode::panel);
    CHECK_FALSE(admin_tick(s, 49'999));
    act(s, AdminAction::touch_test, 49'999);
    REQUIRE(s.mode == AdminMode::touch_test);
    admin_apply(s, AdminAction::touch, 0, 812, 440, 60'000, kWall, true, {});
    CHECK(s.touch_x == 812);
    CHECK(s.touch_y == 440);
    CHECK_FALSE(admin_tick(s, 89'999));
    CHECK(admin_tick(s, 90'000));
    CHECK(s.mode == AdminMode::off);
    CHECK_FALSE(admin_deadline(s));
    CHECK_FALSE(s.touch_x);
}

TEST_CASE("the panel's actions leave one request each for the kiosk, and only on the panel") {
    CountingCheck counter;
    AdminState s;
    act(s, AdminAction::upload_now, 0);
    CHECK(take_request(s) == AdminRequest::none);  // not open
    open_pad(s, 0);
    act(s, AdminAction::restart, 500);
    CHECK(take_request(s) == AdminRequest::none);  // the pad has no restart
    type(s, "4711", 600);
    act(s, AdminAction::ok, 600, counter.check());
    act(s, AdminAction::upload_now, 700);
    CHECK(take_request(s) == AdminRequest::upload_now);
    CHECK(take_request(s) == AdminRequest::none);
    act(s, AdminAction::brightness, 800, {}, +1);
    CHECK(take_request(s) == AdminRequest::brighter);
    act(s, AdminAction::brightness, 900, {}, -1);
    CHECK(take_request(s) == AdminRequest::dimmer);
    act(s, AdminAction::restart, 1000);
    CHECK(take_request(s) == AdminRequest::restart);
    act(s, AdminAction::close, 1100);
    CHECK(s.mode == AdminMode::off);
}

TEST_CASE("the lock file keeps the lock across restarts; missing is no lock, and a damaged one locks for 5 minutes naming the file") {
    TempDir dir("pulse-admin-lock");
    const std::filesystem::path file = admin_lock_path(dir.path / "answers.sqlite3");
    CHECK(file == dir.path / "admin-lock.toml");
    AdminLockRead none = read_admin_lock(file, kWall);
    CHECK(none.lock == PinLock{});
    CHECK(none.problem.empty());

    std::string error;
    REQUIRE_MESSAGE(write_admin_lock(file, PinLock{3, 2, kWall + 600}, &error), error);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const AdminLockRead back = read_admin_lock(file, kWall);
    CHECK(back.lock == PinLock{3, 2, kWall + 600});
    CHECK(back.problem.empty());

    for (const std::string& bad : {std::string("failures = \"3\"\nlockouts = 0\nlocked_until = 0\n"),
                                  std::string("not toml ["), std::string("failures = 7\nlockouts = 0\nlocked_until = 0\n")}) {
        CAPTURE(bad);
        std::ofstream(file) << bad;
        const AdminLockRead damaged = read_admin_lock(file, kWall);
        CHECK(damaged.lock == PinLock{0, 1, kWall + 300});
        CHECK(damaged.problem.find(file.string()) != std::string::npos);
    }
}

TEST_CASE("a PIN's hash is an Argon2id string that verifies that PIN only; a PIN is 4 to 8 digits") {
    std::string why;
    CHECK(is_valid_pin("4711", &why));
    CHECK(is_valid_pin("12345678", &why));
    CHECK_FALSE(is_valid_pin("123", &why));
    CHECK(why.find("4 to 8 digits") != std::string::npos);
    CHECK_FALSE(is_valid_pin("123456789", &why));
    CHECK_FALSE(is_valid_pin("12a4", &why));
    CHECK_FALSE(is_valid_pin("", &why));

    const std::optional<std::string> hash = hash_pin("4711", &why);
    REQUIRE_MESSAGE(hash, why);
    CHECK(hash->rfind("$argon2id$v=19$", 0) == 0);
    CHECK(hash->find("4711") == std::string::npos);
    CHECK(is_pin_hash(*hash, &why));
    CHECK(verify_pin(*hash, "4711"));
    CHECK_FALSE(verify_pin(*hash, "4712"));
    CHECK_FALSE(verify_pin(*hash, ""));
    const std::optional<std::string> again = hash_pin("4711", &why);
    REQUIRE(again);
    CHECK(*again != *hash);  // a fresh salt each time
    CHECK(verify_pin(*again, "4711"));

    for (const std::string junk : {"", "4711", "$argon2i$v=19$m=65536,t=2,p=1$abc$def", "$argon2id$garbage"}) {
        CAPTURE(junk);
        CHECK_FALSE(is_pin_hash(junk, &why));
        CHECK_FALSE(verify_pin(junk, "4711"));
    }
    CHECK(why.find("pulse-kiosk hash-pin") != std::string::npos);
}

TEST_CASE("[admin] pin_hash must be an Argon2id hash string, and [display] backlight and night_brightness are read") {
    std::string why;
    const std::string hash = *hash_pin("2468", &why);
    const std::string base = pulse::testing::kMinimalKioskConfig;
    const ConfigLoad good = load_kiosk_config(pulse::testing::write_temp(
        base + "backlight = \"none\"\nnight_brightness = 0.25\n[admin]\npin_hash = \"" + hash + "\"\n"));
    REQUIRE_MESSAGE(good.errors.empty(), pulse::testing::all(good.errors));
    CHECK(good.config->admin_pin_hash == hash);
    CHECK(good.config->backlight == "none");
    CHECK(good.config->night_brightness == 0.25);

    const ConfigLoad plain = load_kiosk_config(pulse::testing::write_temp(base));
    REQUIRE(plain.config);
    CHECK_FALSE(plain.config->admin_pin_hash);
    CHECK(plain.config->backlight == "auto");

    const ConfigLoad bad = load_kiosk_config(pulse::testing::write_temp(
        base + "night_brightness = 2\n[admin]\npin_hash = \"2468\"\n"));
    const std::string all = pulse::testing::all(bad.errors);
    CHECK(all.find(":13: [display] night_brightness") != std::string::npos);
    CHECK(all.find(":15: [admin] pin_hash is not an Argon2id hash string") != std::string::npos);
}

TEST_CASE("the backlight: the first folder with brightness, clamped writes, the night, day and stepped levels") {
    TempDir root("pulse-backlight");
    CHECK_FALSE(find_backlight(root.path));
    std::string error;
    CHECK_FALSE(open_configured_backlight("auto", &error, root.path));  // none: not an error
    CHECK(error.empty());
    for (const char* name : {"intel_backlight", "acpi_video0"}) {
        std::filesystem::create_directories(root.path / name);
        std::ofstream(root.path / name / "max_brightness") << "255\n";
        std::ofstream(root.path / name / "brightness") << "200\n";
    }
    std::filesystem::create_directories(root.path / "aaa-without-files");
    REQUIRE(find_backlight(root.path) == root.path / "acpi_video0");
    std::optional<Backlight> b = open_configured_backlight("auto", &error, root.path);
    REQUIRE_MESSAGE(b, error);
    CHECK(b->max() == 255);
    CHECK(b->read(&error) == 200);
    CHECK(b->write(300, &error));
    CHECK(read_text(root.path / "acpi_video0" / "brightness") == "255\n");
    CHECK_FALSE(open_configured_backlight("none", &error, root.path));
    CHECK_FALSE(Backlight::open(root.path / "aaa-without-files", &error));
    CHECK(error.find("max_brightness") != std::string::npos);

    CHECK(night_brightness_level(255, 0.1) == 26);
    CHECK(night_brightness_level(255, 0) == 0);
    CHECK(stepped_brightness_level(200, 255, +1) == 226);
    CHECK(stepped_brightness_level(250, 255, +1) == 255);
    CHECK(stepped_brightness_level(30, 255, -1) == 26);  // never below a tenth: never dark from the panel
    CHECK(stepped_brightness_level(1, 1, -1) == 1);
    CHECK(day_brightness_level(200, 255, 0.1) == 200);
    CHECK(day_brightness_level(26, 255, 0.1) == 255);  // left dimmed by a run that stopped at night

    // The keeper: writes the night and the day level only when they change.
    std::vector<std::string> log;
    BacklightKeeper keeper(*b, 0.1, [&log](const std::string& line) { log.push_back(line); });
    CHECK(keeper.day_level() == 255);
    std::ofstream(root.path / "acpi_video0" / "brightness") << "180\n";
    BacklightKeeper day(*b, 0.1, {});
    CHECK(day.day_level() == 180);
    day.follow(true);
    CHECK(read_text(root.path / "acpi_video0" / "brightness") == "26\n");
    std::ofstream(root.path / "acpi_video0" / "brightness") << "99\n";  // someone else wrote it
    day.follow(true);                                                   // unchanged wish: not rewritten
    CHECK(read_text(root.path / "acpi_video0" / "brightness") == "99\n");
    CHECK(day.step(+1, true) == 81);  // the day level moves; at night the panel stays dim
    CHECK(read_text(root.path / "acpi_video0" / "brightness") == "99\n");
    day.follow(false);
    CHECK(read_text(root.path / "acpi_video0" / "brightness") == "206\n");
    CHECK(day.step(0, false) == 81);
}

}  // namespace terminal_test_admin
