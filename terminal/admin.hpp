// admin.hpp — the terminal's admin access for IT (issue 13), as a pure state
// machine beside the employee flow: five taps within 3 s on a corner zone
// open a PIN pad; the right PIN opens the admin panel (facts about the
// terminal and a few actions); 5 wrong PINs lock the pad for 5 minutes,
// doubling with each further lockout. Pad and panel close after 30 s idle.
// Time is passed in; the PIN check is injected (pin_hash.hpp's verify_pin on
// the terminal); the lock is a value the caller persists (AdminLockFile), so
// a restart does not reset it. Nothing here draws or touches a disk.
#pragma once

#include "common/calendar.hpp"
#include "common/pin_hash.hpp"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

using AdminMillis = std::int64_t;  // monotonic milliseconds (the flow's Millis)

inline constexpr int kAdminCornerTaps = 5;                      // taps that open the pad ...
inline constexpr AdminMillis kAdminCornerWindow_ms = 3'000;     // ... within this long
inline constexpr AdminMillis kAdminIdle_ms = 30'000;            // pad, panel, touch test: closed when idle
inline constexpr int kPinTriesBeforeLock = 5;                   // wrong PINs in a row that lock the pad
inline constexpr UnixSeconds kPinFirstLock_s = 5 * 60;          // the first lockout; each further one doubles
inline constexpr UnixSeconds kPinLongestLock_s = 24 * 60 * 60;  // ... up to a day

enum class AdminMode {
    off,         // the employee flow shows
    pin,         // the PIN pad
    panel,       // the admin panel
    touch_test,  // crosshair where the last touch was
};

// The pad's lock, kept across restarts (AdminLockFile). Wall-clock seconds:
// the monotonic clock starts again at every boot.
struct PinLock {
    int failures = 0;              // wrong PINs since the last right one or lockout
    int lockouts = 0;              // lockouts since the last right PIN (each doubles the next)
    UnixSeconds locked_until = 0;  // the pad refuses PINs before this
    bool operator==(const PinLock&) const = default;
};

// How long the n-th lockout in a row lasts (n >= 1): 5 min, 10, 20, … at most a day.
UnixSeconds pin_lock_seconds(int lockouts);

// Seconds the pad stays locked at wall_now (0: not locked). A locked_until
// further ahead than the lockout could last (the wall clock was set back)
// counts as that lockout's full length from wall_now, never longer.
UnixSeconds pin_lock_remaining_s(const PinLock& lock, UnixSeconds wall_now);

// What the person did on an admin screen (the kiosk's Intent carries it).
enum class AdminAction {
    corner,       // a tap on the corner zone (screens where no session runs)
    digit,        // value 0..9
    back,         // deletes the last digit
    ok,           // checks the PIN
    close,        // closes pad or panel
    upload_now,   // panel: upload what is due now
    touch_test,   // panel: opens the touch test
    touch,        // touch test: a touch at (x, y)
    touch_done,   // touch test: back to the panel
    brightness,   // panel: value -1 (dimmer) or +1 (brighter)
    restart,      // panel: restart the kiosk
};

// Something the kiosk must do for the panel (its loop takes it with take_request).
enum class AdminRequest { none, upload_now, brighter, dimmer, restart };

struct AdminState {
    AdminMode mode = AdminMode::off;
    std::deque<AdminMillis> corner_taps;  // the latest corner taps (at most kAdminCornerTaps)
    std::string digits;                   // entered so far (never stored, never logged)
    AdminMillis last_activity_ms = 0;     // pad, panel, touch test: the last tap (or opening)
    bool wrong_pin = false;               // the last PIN tried was wrong (the pad says so)
    PinLock lock;
    std::optional<float> touch_x, touch_y;  // touch test: the last touch, in screen pixels
    AdminRequest request = AdminRequest::none;
};

// Checks a PIN against the configured hash (verify_pin on the terminal).
using PinCheck = std::function<bool(const std::string& pin)>;

// What apply() changed, for the caller: whether the state changed, and
// whether the lock did (then persist it).
struct AdminStep {
    bool changed = false;
    bool lock_changed = false;
};

// Applies an admin action at now (monotonic) and wall_now. corner counts a
// tap: the fifth within kAdminCornerWindow_ms opens the pad (enabled false —
// no PIN hash configured — opens nothing). On the pad, digits beyond
// kPinMaxDigits are ignored; ok while locked checks nothing; ok with the
// right PIN opens the panel and clears the lock, a wrong one counts a
// failure and the fifth in a row locks (pin_lock_seconds). Actions that make
// no sense in the current mode are ignored (changed false). The PIN is
// checked only through check, and the digits are cleared after every ok.
AdminStep admin_apply(AdminState& state, AdminAction action, int value, float x, float y, AdminMillis now,
                      UnixSeconds wall_now, bool enabled, const PinCheck& check);

// Closes pad, panel or touch test once kAdminIdle_ms have passed since the
// last activity. Returns true if it closed.
bool admin_tick(AdminState& state, AdminMillis now);

// When admin_tick must next run (nullopt when the admin screens are closed).
std::optional<AdminMillis> admin_deadline(const AdminState& state);

// The request an action left, once (then none).
AdminRequest take_request(AdminState& state);

// The pad's lock on disk: a small TOML file ("failures", "lockouts",
// "locked_until"), replaced atomically (common/replace_file.hpp), mode 0600.
struct AdminLockRead {
    PinLock lock;
    std::string problem;  // empty, or why the file could not be used (then lock is a fresh full lockout)
};

// Reads the lock at path. A missing file is no lock. An unreadable or
// malformed file fails closed: a lockout of kPinFirstLock_s from wall_now,
// with problem naming the file (the caller logs it). Never throws.
AdminLockRead read_admin_lock(const std::filesystem::path& path, UnixSeconds wall_now);

// Writes lock to path; false with *error naming the file when it cannot.
bool write_admin_lock(const std::filesystem::path& path, const PinLock& lock, std::string* error);

// Where a terminal keeps the lock: "admin-lock.toml" beside its database.
std::filesystem::path admin_lock_path(const std::filesystem::path& database);

}  // namespace pulse
