// admin.cpp — the admin gesture, PIN pad, lockout and panel as a state
// machine, and the lock's file (see admin.hpp).
#include "terminal/admin.hpp"

#include "common/replace_file.hpp"
#include "common/toml_util.hpp"

#include <algorithm>

namespace pulse {

UnixSeconds pin_lock_seconds(int lockouts) {
    UnixSeconds s = kPinFirstLock_s;
    for (int i = 1; i < lockouts && s < kPinLongestLock_s; ++i) s *= 2;
    return std::min(s, kPinLongestLock_s);
}

UnixSeconds pin_lock_remaining_s(const PinLock& lock, UnixSeconds wall_now) {
    if (lock.locked_until <= wall_now) return 0;
    return std::min(lock.locked_until - wall_now, pin_lock_seconds(std::max(1, lock.lockouts)));
}

namespace {

void open_mode(AdminState& s, AdminMode mode, AdminMillis now) {
    s.mode = mode;
    s.digits.clear();
    s.wrong_pin = false;
    s.last_activity_ms = now;
    s.touch_x.reset();
    s.touch_y.reset();
}

// ok on the pad: checks the PIN unless locked; returns whether the lock changed.
bool try_pin(AdminState& s, AdminMillis now, UnixSeconds wall_now, const PinCheck& check) {
    const std::string pin = std::move(s.digits);
    s.digits.clear();
    if (pin_lock_remaining_s(s.lock, wall_now) > 0 || pin.empty()) {
        s.wrong_pin = false;  // nothing was checked
        return false;
    }
    if (check && check(pin)) {
        const bool had_lock = s.lock != PinLock{};
        s.lock = PinLock{};
        open_mode(s, AdminMode::panel, now);
        return had_lock;
    }
    s.wrong_pin = true;
    if (++s.lock.failures >= kPinTriesBeforeLock) {
        s.lock.failures = 0;
        ++s.lock.lockouts;
        s.lock.locked_until = wall_now + pin_lock_seconds(s.lock.lockouts);
    }
    return true;
}

}  // namespace

AdminStep admin_apply(AdminState& s, AdminAction action, int value, float x, float y, AdminMillis now,
                      UnixSeconds wall_now, bool enabled, const PinCheck& check) {
    AdminStep step;
    if (action == AdminAction::corner) {
        if (s.mode != AdminMode::off || !enabled) return step;
        s.corner_taps.push_back(now);
        while (!s.corner_taps.empty() && now - s.corner_taps.front() >= kAdminCornerWindow_ms) {
            s.corner_taps.pop_front();
        }
        if (static_cast<int>(s.corner_taps.size()) >= kAdminCornerTaps) {
            s.corner_taps.clear();
            open_mode(s, AdminMode::pin, now);
            step.changed = true;
        }
        return step;
    }
    if (s.mode == AdminMode::off) return step;
    switch (s.mode) {
        case AdminMode::pin:
            switch (action) {
                case AdminAction::digit:
                    if (value < 0 || value > 9 || s.digits.size() >= kPinMaxDigits ||
                        pin_lock_remaining_s(s.lock, wall_now) > 0) {
                        break;
                    }
                    s.digits += static_cast<char>('0' + value);
                    s.wrong_pin = false;
                    step.changed = true;
                    break;
                case AdminAction::back:
                    if (s.digits.empty()) break;
                    s.digits.pop_back();
                    step.changed = true;
                    break;
                case AdminAction::ok:
                    step.lock_changed = try_pin(s, now, wall_now, check);
                    step.changed = true;
                    break;
                case AdminAction::close:
                    open_mode(s, AdminMode::off, now);
                    step.changed = true;
                    break;
                default: break;
            }
            break;
        case AdminMode::panel:
            switch (action) {
                case AdminAction::close: open_mode(s, AdminMode::off, now); step.changed = true; break;
                case AdminAction::touch_test: open_mode(s, AdminMode::touch_test, now); step.changed = true; break;
                case AdminAction::upload_now: s.request = AdminRequest::upload_now; step.changed = true; break;
                case AdminAction::restart: s.request = AdminRequest::restart; step.changed = true; break;
                case AdminAction::brightness:
                    if (value == 0) break;
                    s.request = value > 0 ? AdminRequest::brighter : AdminRequest::dimmer;
                    step.changed = true;
                    break;
                default: break;
            }
            break;
        case AdminMode::touch_test:
            switch (action) {
                case AdminAction::touch: s.touch_x = x; s.touch_y = y; step.changed = true; break;
                case AdminAction::touch_done: open_mode(s, AdminMode::panel, now); step.changed = true; break;
                case AdminAction::close: open_mode(s, AdminMode::off, now); step.changed = true; break;
                default: break;
            }
            break;
        case AdminMode::off: break;
    }
    if (step.changed) s.last_activity_ms = now;
    return step;
}

bool admin_tick(AdminState& s, AdminMillis now) {
    const std::optional<AdminMillis> due = admin_deadline(s);
    if (!due || now < *due) return false;
    open_mode(s, AdminMode::off, now);
    return true;
}

std::optional<AdminMillis> admin_deadline(const AdminState& s) {
    if (s.mode == AdminMode::off) return std::nullopt;
    return s.last_activity_ms + kAdminIdle_ms;
}

AdminRequest take_request(AdminState& s) {
    const AdminRequest r = s.request;
    s.request = AdminRequest::none;
    return r;
}

std::filesystem::path admin_lock_path(const std::filesystem::path& database) {
    return database.parent_path() / "admin-lock.toml";
}

AdminLockRead read_admin_lock(const std::filesystem::path& path, UnixSeconds wall_now) {
    AdminLockRead out;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) return out;
    const auto fail_closed = [&](const std::string& why) {
        out.lock = PinLock{0, 1, wall_now + kPinFirstLock_s};
        out.problem = path.string() + ": " + why + "; the PIN pad is locked for 5 minutes and the file rewritten";
        return out;
    };
    Diagnostics errors;
    std::optional<toml::table> parsed = parse_toml_file(path, "the admin lock file", errors);
    if (!parsed) return fail_closed(errors.empty() ? "cannot be read" : errors.front().message);
    const toml::table& t = *parsed;
    const std::optional<std::int64_t> failures = t["failures"].value<std::int64_t>();
    const std::optional<std::int64_t> lockouts = t["lockouts"].value<std::int64_t>();
    const std::optional<std::int64_t> until = t["locked_until"].value<std::int64_t>();
    if (!failures || !lockouts || !until || *failures < 0 || *failures >= kPinTriesBeforeLock || *lockouts < 0 ||
        *lockouts > 1000 || *until < 0) {
        return fail_closed("lacks failures, lockouts or locked_until as whole numbers in range");
    }
    out.lock = PinLock{static_cast<int>(*failures), static_cast<int>(*lockouts), *until};
    return out;
}

bool write_admin_lock(const std::filesystem::path& path, const PinLock& lock, std::string* error) {
    const std::string text = "# The admin PIN pad's lock (pulse-kiosk); kept across restarts.\n"
                             "failures = " + std::to_string(lock.failures) + "\nlockouts = " +
                             std::to_string(lock.lockouts) + "\nlocked_until = " + std::to_string(lock.locked_until) +
                             "\n";
    const ReplaceFile r = replace_file(path, text, 0600);
    if (r.outcome != ReplaceFile::Outcome::replaced) {
        if (error) *error = r.error;
        return false;
    }
    return true;
}

}  // namespace pulse
