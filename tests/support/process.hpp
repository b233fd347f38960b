// process.hpp — for tests that run real programs (pulse-kiosk, pulse-collector,
// Chromium, nginx): start one with its output in files, wait for it with a
// deadline, read what it wrote. Each child gets its own process group, so a
// kill reaches the helpers it started too.
#pragma once

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace pulse::testing {

struct ProcessResult {
    int exit_code = -1;  // the exit status, or -signal
    std::string out, err;
};

// The whole content of file ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& file) {
    std::ostringstream text;
    text << std::ifstream(file, std::ios::binary).rdbuf();
    return text.str();
}

// Starts args (args[0] a path) with extra_env ("NAME=value") added to this
// process's environment (replacing a variable of the same name), stdin from /dev/null, stdout and stderr into the
// given files, in a new process group. Fails the test if it cannot start.
inline pid_t spawn_process(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                           const std::filesystem::path& out_file, const std::filesystem::path& err_file) {
    std::vector<std::string> arg_copy = args, env_copy = extra_env;
    std::vector<char*> argv, envp;
    for (std::string& a : arg_copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    // extra_env wins over a variable of the same name in this environment
    // (CTest's SDL_VIDEODRIVER=dummy, say, when a test needs x11).
    const auto overridden = [&](const char* entry) {
        const std::string_view name(entry, std::strcspn(entry, "="));
        for (const std::string& e : env_copy) {
            if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=') return true;
        }
        return false;
    };
    for (char** e = environ; *e; ++e) {
        if (!overridden(*e)) envp.push_back(*e);
    }
    for (std::string& e : env_copy) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE_MESSAGE(spawned == 0, "cannot start ", args[0], ": ", std::strerror(spawned));
    return pid;
}

// Waits for pid; its exit status, or -signal.
inline int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Waits up to timeout_s for pid (started by spawn_process); after that kills
// its process group and fails the test, saying what err_file holds. The exit
// status, or -signal.
inline int wait_exit(pid_t pid, int timeout_s, const std::filesystem::path& err_file = {}) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            FAIL("process ", pid, " did not finish within ", timeout_s, " s; stderr:\n",
                 err_file.empty() ? std::string() : slurp(err_file));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Runs args to the end (see spawn_process) with stdout and stderr captured in
// files under dir; as wait_exit after timeout_s.
inline ProcessResult run_process(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                                 const std::filesystem::path& dir, int timeout_s) {
    static std::atomic<int> runs{0};
    const int run = ++runs;
    const std::filesystem::path out_file = dir / ("run-" + std::to_string(run) + ".out");
    const std::filesystem::path err_file = dir / ("run-" + std::to_string(run) + ".err");
    const int code = wait_exit(spawn_process(args, extra_env, out_file, err_file), timeout_s, err_file);
    return {code, slurp(out_file), slurp(err_file)};
}

}  // namespace pulse::testing
