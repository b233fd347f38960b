// loopback.hpp — for the tests' own servers (fault_server, smtp_sink) and
// for tests that need a free port: a listening TCP socket on 127.0.0.1.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace pulse::testing {

// Listens on 127.0.0.1:port (0 = any free port), close-on-exec, SO_REUSEADDR,
// non-blocking when asked. Returns the socket and sets *bound_port to the
// port it got; -1 with *error naming the failed step and errno's message.
inline int listen_on_loopback(std::uint16_t port, bool nonblocking, std::uint16_t* bound_port, std::string* error) {
    const auto fail = [&](int fd, const std::string& what) {
        if (error) *error = what + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return -1;
    };
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return fail(fd, "socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return fail(fd, "bind 127.0.0.1:" + std::to_string(port));
    }
    if (::listen(fd, 64) != 0) return fail(fd, "listen");
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return fail(fd, "getsockname");
    if (bound_port) *bound_port = ntohs(address.sin_port);
    return fd;
}

// A TCP port on 127.0.0.1 that was free a moment ago (for a program that
// must be told its port before it starts). -1 with *error when none is.
inline int free_loopback_port(std::string* error) {
    std::uint16_t port = 0;
    const int fd = listen_on_loopback(0, false, &port, error);
    if (fd < 0) return -1;
    ::close(fd);
    return port;
}

}  // namespace pulse::testing
