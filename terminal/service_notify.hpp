// service_notify.hpp — systemd's notify protocol for the kiosk's unit
// (Type=notify, WatchdogSec=; issue 12): READY=1 once the first frame is on
// screen, and WATCHDOG=1 from the UI loop itself, so a UI that hangs stops
// the pings and systemd restarts it. No libsystemd: each message is one
// datagram to $NOTIFY_SOCKET (a file path, or an abstract socket when it
// starts with '@'). WATCHDOG_PID is not checked: under cage the kiosk is not
// the unit's main process (the unit says NotifyAccess=all).
#pragma once

#include "terminal/flow.hpp"  // Millis

#include <optional>
#include <string>

namespace pulse {

class ServiceNotifier {
public:
    // socket: $NOTIFY_SOCKET ("" = not under systemd: every call does
    // nothing). watchdog_ms: the watchdog interval, $WATCHDOG_USEC / 1000
    // (0 = no watchdog).
    ServiceNotifier(std::string socket, Millis watchdog_ms);

    // From this process's environment: NOTIFY_SOCKET and WATCHDOG_USEC (a
    // value that is not a positive whole number means no watchdog).
    static ServiceNotifier from_environment();

    bool enabled() const { return !socket_.empty(); }
    Millis watchdog_ms() const { return watchdog_ms_; }

    // READY=1, the first time it is called (later calls send nothing); it
    // also counts as a watchdog ping. False when the datagram could not be
    // sent (*error says why); the caller logs it and goes on.
    bool ready(Millis now, std::string* error = nullptr);

    // WATCHDOG=1 when a quarter of the watchdog interval has passed since
    // the last ping (so pings are at most half an interval apart while the
    // loop calls this at least as often as next_ping_due asks). Nothing
    // before ready(), without a watchdog or without a socket. False as ready.
    bool alive(Millis now, std::string* error = nullptr);

    // When alive() should next be called: the loop sleeps no longer than
    // this. nullopt when no pings are due (no watchdog, or not ready yet).
    std::optional<Millis> next_ping_due() const;

private:
    bool send(const std::string& message, std::string* error) const;

    std::string socket_;
    Millis watchdog_ms_ = 0;
    bool ready_sent_ = false;
    Millis last_ping_ = 0;
};

}  // namespace pulse
