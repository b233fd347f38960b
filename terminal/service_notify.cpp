// service_notify.cpp — READY=1 and WATCHDOG=1 datagrams to systemd (see
// service_notify.hpp).
#include "terminal/service_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace pulse {

ServiceNotifier::ServiceNotifier(std::string socket, Millis watchdog_ms)
    : socket_(std::move(socket)), watchdog_ms_(watchdog_ms > 0 ? watchdog_ms : 0) {}

ServiceNotifier ServiceNotifier::from_environment() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    const char* usec = std::getenv("WATCHDOG_USEC");
    Millis watchdog_ms = 0;
    if (usec && *usec) {
        char* end = nullptr;
        errno = 0;
        const unsigned long long value = std::strtoull(usec, &end, 10);
        if (errno == 0 && end && *end == '\0' && value > 0) watchdog_ms = static_cast<Millis>(value / 1000);
    }
    return ServiceNotifier(socket ? socket : "", watchdog_ms);
}

bool ServiceNotifier::ready(Millis now, std::string* error) {
    if (!enabled() || ready_sent_) return true;
    ready_sent_ = true;
    last_ping_ = now;
    return send("READY=1", error);
}

bool ServiceNotifier::alive(Millis now, std::string* error) {
    if (!enabled() || !ready_sent_ || watchdog_ms_ == 0 || now - last_ping_ < watchdog_ms_ / 4) return true;
    last_ping_ = now;
    return send("WATCHDOG=1", error);
}

std::optional<Millis> ServiceNotifier::next_ping_due() const {
    if (!enabled() || !ready_sent_ || watchdog_ms_ == 0) return std::nullopt;
    return last_ping_ + watchdog_ms_ / 4;
}

bool ServiceNotifier::send(const std::string& message, std::string* error) const {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_.size() >= sizeof address.sun_path) {
        if (error) *error = "NOTIFY_SOCKET is longer than a socket path may be";
        return false;
    }
    std::memcpy(address.sun_path, socket_.data(), socket_.size());
    if (socket_[0] == '@') address.sun_path[0] = '\0';  // abstract namespace
    const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (error) *error = std::string("cannot open a socket for systemd: ") + std::strerror(errno);
        return false;
    }
    const ssize_t sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    const int saved = errno;
    ::close(fd);
    if (sent != static_cast<ssize_t>(message.size())) {
        if (error) *error = "cannot tell systemd " + message + ": " + std::strerror(saved);
        return false;
    }
    return true;
}

}  // namespace pulse
