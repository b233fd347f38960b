// bench_cage_session.cpp — the kiosk session as its unit starts it
// (config/systemd/pulse-kiosk.service: ExecStart and Environment=, the binary
// and config paths substituted), under cage's headless backend with pixman,
// as an unprivileged user (nobody when run as root): start (cage's exec) to
// READY=1, RSS on the attract screen, and idle CPU. No screenshots are taken,
// so cage runs exactly the unit's command (no -r; see tests/kiosk/test_cage_session.cpp
// for why the test turns the output).
//   bench_cage_session UNIT KIOSK_EXE CONFIG_DIR [RUNS] [SETTLE_S] [IDLE_S]
// CONFIG_DIR holds questions.toml and texts.toml. The session's files are in
// a new folder under the system's temp folder (the session's user must reach
// them; scripts/bench's scratch folder is root's alone), removed at the end.
// Prints
//   cage_ready n=RUNS p50_ms=… max_ms=… runs_ms=a,b,…
//   cage_rss after_s=SETTLE_S kiosk_kb=… kiosk_anon_kb=… kiosk_file_kb=… kiosk_shmem_kb=… kiosk_hwm_kb=…
//            xwayland_kb=… xwayland_anon_kb=… xwayland_file_kb=… xwayland_shmem_kb=… cage_kb=…
//   cage_idle seconds=IDLE_S kiosk_ticks=… clk_tck=… kiosk_cpu_percent=… kiosk_wakeups_per_s=…
//             xwayland_cpu_percent=… cage_cpu_percent=… cage_wakeups_per_s=…
// RSS and idle CPU come from the last run, SETTLE_S after its READY=1; each
// figure is one process's own (the kiosk's VmRSS does not include Xwayland's,
// which is printed beside it). Exits 1, saying why, if a session fails.
#include "bench_stats.hpp"
#include "kiosk_session.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace pulse::testing;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_cage_session: %s\n", why.c_str());
    std::exit(1);
}

std::string slurp(const fs::path& file) {
    std::ostringstream text;
    text << std::ifstream(file, std::ios::binary).rdbuf();
    return text.str();
}

// The kiosk's unit (kiosk_session.hpp); exits if it has no ExecStart.
KioskUnit read_unit(const fs::path& file) {
    std::optional<KioskUnit> unit = read_kiosk_unit(file);
    if (!unit) fail(file.string() + ": no ExecStart=");
    return *unit;
}

// nobody when root (cage refuses root), else whoever runs this.
SessionUser the_session_user() {
    std::optional<SessionUser> u = session_user();
    if (!u) fail("no user to run the session as (nobody)");
    return *u;
}

void hand_to(const SessionUser& user, const fs::path& path, mode_t mode) {
    if (user.switch_to && ::chown(path.c_str(), user.uid, user.gid) != 0) fail("chown " + path.string());
    if (::chmod(path.c_str(), mode) != 0) fail("chmod " + path.string());
}

// Forks args as user with exactly env plus WATCHDOG_PID=<its pid>, output
// to err_file, in its own process group.
pid_t spawn_as(const SessionUser& user, std::vector<std::string> args, std::vector<std::string> env, const fs::path& err_file) {
    std::vector<char*> argv, envp;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    char watchdog_pid[40] = "WATCHDOG_PID=";
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(watchdog_pid);
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) fail(std::string("fork: ") + std::strerror(errno));
    if (pid > 0) return pid;
    ::setpgid(0, 0);
    const int in = ::open("/dev/null", O_RDONLY);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(err, 1);
    ::dup2(err, 2);
    if (user.switch_to && (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0)) {
        ::_exit(127);
    }
    std::snprintf(watchdog_pid, sizeof watchdog_pid, "WATCHDOG_PID=%ld", static_cast<long>(::getpid()));
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
}

// systemd's end of NOTIFY_SOCKET: an abstract datagram socket.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& name) : name_(name) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path + 1, name.data() + 1, name.size() - 1);  // "@name": abstract
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address),
                              static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size())) != 0) {
            fail("cannot bind the notify socket " + name + ": " + std::strerror(errno));
        }
    }
    ~NotifySocket() { ::close(fd_); }
    const std::string& name() const { return name_; }
    // The next message within timeout_ms, or "".
    std::string receive(int timeout_ms) const {
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buffer[256];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    }

private:
    std::string name_;
    int fd_ = -1;
};

// [SECTION] /proc

struct ProcStat {
    std::string comm;
    long ppid = 0;
    long ticks = 0;  // utime + stime, 1/CLK_TCK s
};

std::optional<ProcStat> proc_stat(long pid) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const std::size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) return std::nullopt;
    ProcStat s;
    s.comm = stat.substr(open + 1, close - open - 1);
    const std::vector<std::string> f = split_words(stat.substr(close + 2));
    if (f.size() < 13) return std::nullopt;
    s.ppid = std::stol(f[1]);
    s.ticks = std::stol(f[11]) + std::stol(f[12]);  // fields 14 and 15 of stat(5)
    return s;
}

// A "Key:  N kB" line of /proc/PID/status (0 when absent).
long status_kb(long pid, const std::string& key) {
    std::istringstream in(slurp("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + ":", 0) == 0) return std::stol(split_words(line.substr(key.size() + 1))[0]);
    }
    return 0;
}

long voluntary_switches(long pid) {
    long n = 0;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::istringstream in(slurp(task.path() / "status"));
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0) n += std::stol(split_words(line.substr(24))[0]);
        }
    }
    return n;
}

// The process named comm whose environment has XDG_RUNTIME_DIR=runtime (this
// session's: other sessions on the machine have their own), or 0.
long find_in_session(const std::string& comm, const fs::path& runtime) {
    const std::string wanted = "XDG_RUNTIME_DIR=" + runtime.string();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::stol(name);
        const std::optional<ProcStat> s = proc_stat(pid);
        if (!s || s->comm != comm) continue;
        std::istringstream vars(slurp(entry.path() / "environ"));
        for (std::string var; std::getline(vars, var, '\0');) {
            if (var == wanted) return pid;
        }
    }
    return 0;
}

double cpu_percent(long ticks, double seconds) {
    return 100.0 * static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK)) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4 || argc > 7) {
        std::fprintf(stderr, "usage: %s UNIT KIOSK_EXE CONFIG_DIR [RUNS] [SETTLE_S] [IDLE_S]\n", argv[0]);
        return 2;
    }
    const KioskUnit unit = read_unit(argv[1]);
    const fs::path kiosk_source = argv[2], config_dir = argv[3];
    const fs::path work = fs::temp_directory_path() / ("pulse-bench-cage-" + std::to_string(::getpid()));
    const int runs = argc > 4 ? std::atoi(argv[4]) : 5;
    const int settle_s = argc > 5 ? std::atoi(argv[5]) : 10;
    const int idle_s = argc > 6 ? std::atoi(argv[6]) : 30;
    if (!fs::exists(unit.exec_start[0])) fail(unit.exec_start[0] + " is not installed (scripts/install-deps installs cage)");
    const SessionUser user = the_session_user();

    // What the session's user needs, where it can reach it (as the test does).
    fs::create_directories(work);
    hand_to(SessionUser{}, work, 0755);
    const fs::path db = work / "db", kiosk = work / "pulse-kiosk", config = work / "kiosk.toml";
    fs::create_directories(db);
    hand_to(user, db, 0700);
    fs::copy_file(kiosk_source, kiosk, fs::copy_options::overwrite_existing);
    fs::copy_file(config_dir / "questions.toml", work / "questions.toml", fs::copy_options::overwrite_existing);
    fs::copy_file(config_dir / "texts.toml", work / "texts.toml", fs::copy_options::overwrite_existing);
    // The headless output's size, fullscreen, as on the appliance.
    std::ofstream(config) << "[terminal]\nid = \"bench-cage\"\nworkplace = \"bench\"\n\n[pulse]\nquestions = \"questions.toml\"\n\n"
                          << "[storage]\ndatabase = \"" << (db / "answers.sqlite3").string() << "\"\n\n"
                          << "[display]\nfullscreen = true\nwidth = 1280\nheight = 720\ndiagonal_inch = 15.6\n";
    for (const fs::path& f : {kiosk, work / "questions.toml", work / "texts.toml", config}) {
        hand_to(SessionUser{}, f, f == kiosk ? 0755 : 0644);
    }
    std::vector<std::string> command;
    for (const std::string& word : unit.exec_start) {
        command.push_back(word == "/usr/bin/pulse-kiosk" ? kiosk.string()
                          : word == "/etc/pulse/kiosk.toml" ? config.string()
                                                            : word);
    }

    std::vector<double> ready_ms;
    std::string runs_ms;
    for (int run = 1; run <= runs; ++run) {
        const fs::path runtime = work / ("run-" + std::to_string(run));
        fs::remove_all(runtime);
        fs::create_directories(runtime);
        hand_to(user, runtime, 0700);
        fs::remove_all(db);
        fs::create_directories(db);
        hand_to(user, db, 0700);
        const NotifySocket notify("@pulse-bench-cage-" + std::to_string(::getpid()) + "-" + std::to_string(run));
        std::vector<std::string> env = unit.environment;
        env.insert(env.end(), {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "HOME=" + user.home, "USER=" + user.name, "LOGNAME=" + user.name,
                               "XDG_RUNTIME_DIR=" + runtime.string(), "NOTIFY_SOCKET=" + notify.name(),
                               "WATCHDOG_USEC=" + std::to_string(unit.watchdog_usec), "WLR_BACKENDS=headless",
                               "WLR_RENDERER=pixman", "WLR_LIBINPUT_NO_DEVICES=1"});
        const fs::path log = work / ("cage-" + std::to_string(run) + ".log");
        const auto start = Clock::now();
        const pid_t cage = spawn_as(user, command, env, log);
        for (;;) {
            if (notify.receive(100) == "READY=1") break;
            int status = 0;
            if (::waitpid(cage, &status, WNOHANG) == cage) fail("cage exited before READY=1:\n" + slurp(log));
            if (Clock::now() - start > std::chrono::seconds(30)) {
                stop_process_group(cage);
                fail("no READY=1 within 30 s:\n" + slurp(log));
            }
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        ready_ms.push_back(ms);
        char one[32];
        std::snprintf(one, sizeof one, "%s%.0f", runs_ms.empty() ? "" : ",", ms);
        runs_ms += one;
        if (run < runs) {
            stop_process_group(cage);
            continue;
        }

        // The last run stays up: memory after settle_s on the attract screen,
        // then CPU over idle_s with no input at all.
        const long kiosk_pid = find_in_session("pulse-kiosk", runtime);
        if (kiosk_pid == 0) fail("no pulse-kiosk process in the session:\n" + slurp(log));
        std::this_thread::sleep_for(std::chrono::seconds(settle_s));
        const long xwayland_pid = find_in_session("Xwayland", runtime);
        if (xwayland_pid == 0) fail("no Xwayland process in the session:\n" + slurp(log));
        std::printf("cage_rss after_s=%d kiosk_kb=%ld kiosk_anon_kb=%ld kiosk_file_kb=%ld kiosk_shmem_kb=%ld kiosk_hwm_kb=%ld "
                    "xwayland_kb=%ld xwayland_anon_kb=%ld xwayland_file_kb=%ld xwayland_shmem_kb=%ld cage_kb=%ld\n",
                    settle_s, status_kb(kiosk_pid, "VmRSS"), status_kb(kiosk_pid, "RssAnon"),
                    status_kb(kiosk_pid, "RssFile"), status_kb(kiosk_pid, "RssShmem"), status_kb(kiosk_pid, "VmHWM"),
                    status_kb(xwayland_pid, "VmRSS"), status_kb(xwayland_pid, "RssAnon"),
                    status_kb(xwayland_pid, "RssFile"), status_kb(xwayland_pid, "RssShmem"), status_kb(cage, "VmRSS"));
        const auto ticks = [](long pid) { return pid ? proc_stat(pid).value_or(ProcStat{}).ticks : 0; };
        const long k0 = ticks(kiosk_pid), x0 = ticks(xwayland_pid), c0 = ticks(cage);
        const long s0 = voluntary_switches(kiosk_pid), cage_s0 = voluntary_switches(cage);
        const auto idle_start = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(idle_s));
        const double seconds = std::chrono::duration<double>(Clock::now() - idle_start).count();
        const long k = ticks(kiosk_pid) - k0, x = ticks(xwayland_pid) - x0, c = ticks(cage) - c0;
        const long switches = voluntary_switches(kiosk_pid) - s0;
        const long cage_switches = voluntary_switches(cage) - cage_s0;
        if (!proc_stat(kiosk_pid)) fail("the kiosk exited during the idle measurement:\n" + slurp(log));
        std::printf("cage_idle seconds=%d kiosk_ticks=%ld clk_tck=%ld kiosk_cpu_percent=%.3f kiosk_wakeups_per_s=%.2f "
                    "xwayland_cpu_percent=%.3f cage_cpu_percent=%.3f cage_wakeups_per_s=%.1f\n",
                    idle_s, k, ::sysconf(_SC_CLK_TCK), cpu_percent(k, seconds),
                    static_cast<double>(switches) / seconds, cpu_percent(x, seconds), cpu_percent(c, seconds),
                    static_cast<double>(cage_switches) / seconds);
        stop_process_group(cage);
    }
    std::vector<double> sorted = ready_ms;
    std::printf("cage_ready n=%zu p50_ms=%.0f max_ms=%.0f runs_ms=%s\n", ready_ms.size(),
                pulse::bench::quantile(sorted, 0.5), pulse::bench::quantile(sorted, 1.0), runs_ms.c_str());
    std::error_code ec;
    fs::remove_all(work, ec);
    return 0;
}
