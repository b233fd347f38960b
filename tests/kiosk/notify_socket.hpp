// notify_socket.hpp — for tests of the kiosk under systemd's notify protocol
// (test_watchdog.cpp, test_cage_session.cpp): systemd's end of NOTIFY_SOCKET,
// a real datagram socket the kiosk's READY=1 and WATCHDOG=1 arrive on.
#pragma once

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace pulse::testing {

// A datagram socket bound to name (a path, or "@…" for an abstract socket,
// which any user may send to: no file permissions). Fails the test if it
// cannot be bound.
struct NotifySocket {
    std::string name;
    int fd = -1;

    explicit NotifySocket(std::string socket_name) : name(std::move(socket_name)) {
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        REQUIRE(name.size() < sizeof address.sun_path);
        std::memcpy(address.sun_path, name.data(), name.size());
        if (name[0] == '@') address.sun_path[0] = '\0';
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address),
                       static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size())) == 0);
    }
    ~NotifySocket() { ::close(fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The next message within timeout_ms, or "" when none came.
    std::string receive(int timeout_ms) const {
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buffer[256];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    }
};

}  // namespace pulse::testing
