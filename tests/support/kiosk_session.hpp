// kiosk_session.hpp — what the cage session test (tests/kiosk/test_cage_session.cpp)
// and its benchmark (bench/bench_cage_session.cpp) both need to start the kiosk
// as config/systemd/pulse-kiosk.service starts it: the unit's ExecStart,
// Environment= and WatchdogSec=, and the unprivileged user to run it as
// (cage refuses root). No test framework here: the callers report failures.
#pragma once

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace pulse::testing {

struct KioskUnit {
    std::vector<std::string> exec_start;   // ExecStart= split at spaces
    std::vector<std::string> environment;  // every Environment= assignment
    long watchdog_usec = 0;                // WatchdogSec= (seconds) in µs
};

// s split at white space.
inline std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> w;
    std::istringstream in(s);
    for (std::string word; in >> word;) w.push_back(word);
    return w;
}

// The unit file's ExecStart, Environment= and WatchdogSec=; nullopt when it
// cannot be read or has no ExecStart with a program and arguments.
inline std::optional<KioskUnit> read_kiosk_unit(const std::filesystem::path& file) {
    std::ifstream in(file);
    KioskUnit unit;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("ExecStart=", 0) == 0) unit.exec_start = split_words(line.substr(10));
        if (line.rfind("Environment=", 0) == 0) {
            for (const std::string& w : split_words(line.substr(12))) unit.environment.push_back(w);
        }
        if (line.rfind("WatchdogSec=", 0) == 0) unit.watchdog_usec = std::stol(line.substr(12)) * 1'000'000;
    }
    if (unit.exec_start.size() < 3) return std::nullopt;
    return unit;
}

// Who runs the session: nobody when this process is root (switch_to: the
// caller changes to it), else this process's own user.
struct SessionUser {
    uid_t uid = 0;
    gid_t gid = 0;
    bool switch_to = false;
    std::string name, home;
};

// nullopt only when this process is root and there is no user nobody.
inline std::optional<SessionUser> session_user() {
    SessionUser u;
    if (geteuid() != 0) {
        u.uid = geteuid();
        u.gid = getegid();
        const passwd* pw = getpwuid(u.uid);
        u.name = pw ? pw->pw_name : "unknown";
        u.home = pw && pw->pw_dir ? pw->pw_dir : "/";
        return u;
    }
    const passwd* pw = getpwnam("nobody");
    if (!pw) return std::nullopt;
    u.uid = pw->pw_uid;
    u.gid = pw->pw_gid;
    u.switch_to = true;
    u.name = "nobody";
    u.home = pw->pw_dir ? pw->pw_dir : "/nonexistent";
    return u;
}

// Ends the process group led by leader (cage, Xwayland and the kiosk):
// SIGTERM, then SIGKILL after 5 s, and SIGKILL to whatever of the group is
// still there; reaps the leader.
inline void stop_process_group(pid_t leader) {
    ::kill(-leader, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(leader, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-leader, SIGKILL);
            ::waitpid(leader, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-leader, SIGKILL);
}

}  // namespace pulse::testing
