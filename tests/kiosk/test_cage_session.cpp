// test_cage_session.cpp — the kiosk session as config/systemd/pulse-kiosk.service
// starts it: the unit's own ExecStart (cage -d -- pulse-kiosk run …) and
// Environment=, run as an unprivileged user under cage's headless backend
// with pixman, a NOTIFY_SOCKET this test listens on, and the panel exactly the
// headless output's size (1280 × 720). After READY=1 the compositor's picture
// (grim) must be `pulse-kiosk simulate`'s picture of the same config, with no
// tap; a tap (X11 XTEST into Xwayland, xdotool) must change it as simulate
// shows the same tap does; and the same for a panel mounted portrait
// ([display] rotation = 90, still 1280 × 720).
//
// Suite "cage", marked skip: CTest runs it through its own registration
// (tests/CMakeLists.txt), where exit code 77 means skipped. It exits 77 only
// when cage is not installed; a missing grim or xdotool fails (scripts/install-deps
// installs all three).
//
// Three things differ from the unit, each for a reason:
// - User: `nobody` (the test runs as root in CI; cage refuses root; the
//   appliance's user pulse-kiosk does not exist here). As non-root the test
//   runs the session as itself.
// - cage gets `-r -r` (output turned 180°). cage 0.1.4 hands a fullscreen
//   view exactly the output's size straight to the output (direct scan-out,
//   scan_out_primary_view); on the headless backend wlroots 0.15's
//   screencopy then reads the renderer's own buffer, which cage did not draw
//   into, so grim sees black (docs/deployment.md §4). A turned output refuses
//   scan-out (the surface's transform differs from the output's), so cage
//   composes and grim sees the frame; grim turns it back, so its PNG is the
//   client's picture as on an unturned output. The kiosk's size stays the
//   output's, the case the unit runs on a real panel.
// - The environment systemd and logind would give (XDG_RUNTIME_DIR, HOME,
//   WATCHDOG_USEC/PID, NOTIFY_SOCKET), plus WLR_BACKENDS=headless
//   WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 for a machine with no
//   display and no input devices.
//
// Why the tap is XTEST, not a Wayland input tool: cage 0.1.4 offers no
// virtual-pointer or virtual-keyboard protocol (its binary creates neither
// manager, so wlrctl, not in bookworm anyway, and wtype cannot work), and its
// headless backend has no input devices (no /dev/uinput here either). The
// kiosk is an X11 client of Xwayland, and Xwayland takes XTEST events: the
// click reaches SDL as an X11 mouse event in window pixels, and from there
// the kiosk's own path (Pointer, the screen turn) to the UI. cage's routing
// of a real touch to Xwayland is not exercised.
#include "common/pin_hash.hpp"
#include "eventually.hpp"
#include "fault_server.hpp"
#include "kiosk/simulator.hpp"
#include "kiosk_session.hpp"
#include "terminal/admin_info.hpp"
#include "terminal/answer_store.hpp"
#include "notify_socket.hpp"
#include "process.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <stb_image.h>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_cage_session {

using namespace pulse;
using namespace pulse::testing;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kOutputW = 1280, kOutputH = 720;  // wlroots' headless output
constexpr int kSkipExitCode = 77;               // SKIP_RETURN_CODE of the "cage" registration

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// [SECTION] The unit and the user running it (kiosk_session.hpp)

// The kiosk's unit as shipped. Fails the test when it has no ExecStart.
KioskUnit read_unit() {
    std::optional<KioskUnit> unit = read_kiosk_unit(PULSE_SOURCE_DIR "/config/systemd/pulse-kiosk.service");
    REQUIRE_MESSAGE(unit, "config/systemd/pulse-kiosk.service has no ExecStart=");
    return *unit;
}

// nobody when the test is root, else the test's own user.
SessionUser the_session_user() {
    std::optional<SessionUser> u = session_user();
    REQUIRE_MESSAGE(u, "the test runs as root and needs the user nobody to run cage as");
    return *u;
}

void hand_to(const SessionUser& user, const std::filesystem::path& path, mode_t mode) {
    if (user.switch_to) REQUIRE_MESSAGE(::chown(path.c_str(), user.uid, user.gid) == 0, "chown ", path.string());
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

// Starts args as user with exactly env (no variable of this process), stdin
// from /dev/null, stdout and stderr into files (opened by this process's
// user, before the switch), in a new process group. with_watchdog_pid adds
// WATCHDOG_PID=<its own pid>, as systemd gives the main process. Fails the
// test if it cannot fork; an exec that fails exits 127 with the reason in
// err_file.
pid_t spawn_as(const SessionUser& user, const std::vector<std::string>& args, std::vector<std::string> env,
               const std::filesystem::path& out_file, const std::filesystem::path& err_file,
               bool with_watchdog_pid = false) {
    std::vector<std::string> arg_copy = args;
    std::vector<char*> argv, envp;
    for (std::string& a : arg_copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    char watchdog_pid[40] = "WATCHDOG_PID=";
    for (std::string& e : env) envp.push_back(e.data());
    if (with_watchdog_pid) envp.push_back(watchdog_pid);
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    REQUIRE_MESSAGE(pid >= 0, "fork: ", std::strerror(errno));
    if (pid > 0) return pid;
    // The child: only calls that are safe after fork.
    ::setpgid(0, 0);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    const auto die = [](const char* what) {
        const char* why = std::strerror(errno);
        (void)!::write(2, what, std::strlen(what));
        (void)!::write(2, why, std::strlen(why));
        (void)!::write(2, "\n", 1);
        ::_exit(127);
    };
    if (user.switch_to) {
        if (::setgroups(0, nullptr) != 0) die("setgroups: ");
        if (::setgid(user.gid) != 0) die("setgid: ");
        if (::setuid(user.uid) != 0) die("setuid: ");
    }
    if (with_watchdog_pid) {
        // The pid in decimal after "WATCHDOG_PID=".
        char digits[16];
        int n = 0;
        for (long p = ::getpid(); p > 0 && n < 15; p /= 10) digits[n++] = static_cast<char>('0' + p % 10);
        char* at = watchdog_pid + std::strlen(watchdog_pid);
        while (n > 0) *at++ = digits[--n];
        *at = '\0';
    }
    ::execve(argv[0], argv.data(), envp.data());
    die("exec: ");
    return -1;
}

// Runs args as user to the end within timeout_s; its exit code (or -signal)
// and what it wrote.
ProcessResult run_as(const SessionUser& user, const std::vector<std::string>& args, const std::vector<std::string>& env,
                     const std::filesystem::path& dir, const std::string& name, int timeout_s = 20) {
    const std::filesystem::path out = dir / (name + ".out"), err = dir / (name + ".err");
    const int code = wait_exit(spawn_as(user, args, env, out, err), timeout_s, err);
    return {code, slurp(out), slurp(err)};
}

// [SECTION] Pictures

struct Picture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
};

// A PNG as RGB; an empty Picture if it cannot be read.
Picture load_png(const std::filesystem::path& file) {
    Picture p;
    int channels = 0;
    unsigned char* data = stbi_load(file.c_str(), &p.width, &p.height, &channels, 3);
    if (!data) return {};
    p.rgb.assign(data, data + static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
    stbi_image_free(data);
    return p;
}

struct Difference {
    long pixels = 0;  // pixels with any channel more than the tolerance apart
    int max = 0;      // the largest channel difference anywhere
    bool same_size = false;
};

// Both pictures are drawn by the same code with SDL's software renderer into
// 8-bit channels (simulate into SDL's dummy framebuffer, the kiosk into its
// X11 window's), then copied without scaling or filtering: by Xwayland into
// a shm buffer, by cage's pixman renderer onto the output turned 180°
// (integer coordinates: a copy), by grim turned back. So every pixel should
// match exactly; a channel may differ by 2 (a colour format conversion on the
// way, none seen on Debian 12), and no more than 0.01 % of the pixels (92 of
// 1280 × 720) may differ more: a glyph or fringe rasterized differently would
// take hundreds, a wrong screen hundreds of thousands.
constexpr int kChannelTolerance = 2;
constexpr double kPixelShareTolerance = 0.0001;

Difference compare(const Picture& a, const Picture& b) {
    Difference d;
    d.same_size = a.width == b.width && a.height == b.height && !a.rgb.empty();
    if (!d.same_size) return d;
    for (std::size_t i = 0; i < a.rgb.size(); i += 3) {
        int worst = 0;
        for (std::size_t c = 0; c < 3; ++c) worst = std::max(worst, std::abs(int(a.rgb[i + c]) - int(b.rgb[i + c])));
        d.max = std::max(d.max, worst);
        if (worst > kChannelTolerance) ++d.pixels;
    }
    return d;
}

bool alike(const Difference& d, const Picture& p) {
    return d.same_size && static_cast<double>(d.pixels) <= kPixelShareTolerance * p.width * p.height;
}

std::string iso_utc_now() {
    const std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buffer;
}

// [SECTION] One session

// A terminal config for the session: the panel the output's size,
// fullscreen as on the appliance, the project's questions (copied, so the
// session's user can read them wherever the checkout is), database in db_dir.
std::filesystem::path write_session_config(const std::filesystem::path& file, const std::filesystem::path& db_dir,
                                           int rotation, const std::string& extra_tables, const std::string& start) {
    std::ofstream(file) << "[terminal]\nid = \"cage-1\"\nworkplace = \"cage\"\nlanguage = \"da\"\n\n"
                        << "[pulse]\nquestions = \"questions.toml\"\nstart = \"" << start << "\"\n\n"
                        << "[storage]\ndatabase = \"" << (db_dir / "answers.sqlite3").string() << "\"\n\n"
                        << "[display]\nfullscreen = true\nwidth = " << kOutputW << "\nheight = " << kOutputH
                        << "\ndiagonal_inch = 15.6\nrotation = " << rotation << "\n"
                        << extra_tables;
    return file;
}

// A process group started by spawn_as, ended with it: SIGTERM, then SIGKILL
// after 5 s. A member of CageSession, so a failed REQUIRE in its constructor
// still ends cage, Xwayland and the kiosk.
struct ProcessGroup {
    pid_t leader = -1;
    ProcessGroup() = default;
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;
    ~ProcessGroup() {
        if (leader > 0) stop_process_group(leader);
    }
};

class CageSession {
public:
    // Prepares a session for a panel turned by rotation, its config (and
    // simulate's) with [pulse] start and ending with extra_tables (start() starts it). Exits the
    // test process with kSkipExitCode if cage is not installed; fails if grim
    // or xdotool is missing.
    explicit CageSession(int rotation, const std::string& extra_tables = "", const std::string& start = "question")
        : user_(the_session_user()), unit_(read_unit()), rotation_(rotation) {
        const std::string cage = unit_.exec_start[0];
        if (!std::filesystem::exists(cage)) {
            std::fprintf(stderr, "SKIPPED: %s (the unit's ExecStart) is not installed; scripts/install-deps installs cage\n",
                         cage.c_str());
            std::fflush(stderr);
            std::exit(kSkipExitCode);
        }
        for (const char* tool : {"/usr/bin/grim", "/usr/bin/xdotool"}) {
            REQUIRE_MESSAGE(std::filesystem::exists(tool), tool, " is missing: scripts/install-deps installs it");
        }

        // Everything the session's user needs, in a folder it can reach: the
        // kiosk (copied: the build tree may be under a folder only root
        // enters), its config and questions, a database folder it owns, a
        // runtime folder of its own (0700, as logind makes it).
        dir_ = temp_folder();
        REQUIRE(::chmod(dir_.c_str(), 0755) == 0);
        runtime_ = dir_ / "run";
        db_ = dir_ / "db";
        std::filesystem::create_directories(runtime_);
        std::filesystem::create_directories(db_);
        hand_to(user_, runtime_, 0700);
        hand_to(user_, db_, 0700);
        kiosk_exe_ = dir_ / "pulse-kiosk";
        std::filesystem::copy_file(PULSE_KIOSK_EXE, kiosk_exe_);
        std::filesystem::copy_file(PULSE_SOURCE_DIR "/config/questions.toml", dir_ / "questions.toml");
        std::filesystem::copy_file(PULSE_SOURCE_DIR "/config/texts.toml", dir_ / "texts.toml");
        config_ = write_session_config(dir_ / "kiosk.toml", db_, rotation, extra_tables, start);
        // simulate's copy: the same but for its own database (this test's user writes it).
        std::filesystem::create_directories(dir_ / "sim-db");
        simulate_config_ = write_session_config(dir_ / "simulate.toml", dir_ / "sim-db", rotation, extra_tables, start);
        for (const auto& f : {kiosk_exe_, dir_ / "questions.toml", dir_ / "texts.toml", config_}) {
            REQUIRE(::chmod(f.c_str(), f == kiosk_exe_ ? 0755 : 0644) == 0);
        }
    }

    // Starts the unit's command and waits for READY=1 (REQUIREs it within
    // 15 s, with cage's output on failure).
    void start() {
        // The unit's command with the binary and the config substituted, and
        // -r -r for cage (see the top of this file).
        std::vector<std::string> command;
        for (const std::string& word : unit_.exec_start) {
            if (word == "/usr/bin/pulse-kiosk") command.push_back(kiosk_exe_.string());
            else if (word == "/etc/pulse/kiosk.toml") command.push_back(config_.string());
            else command.push_back(word);
            if (command.size() == 1) {
                command.push_back("-r");
                command.push_back("-r");
            }
        }
        REQUIRE_MESSAGE(std::find(command.begin(), command.end(), kiosk_exe_.string()) != command.end(),
                        "the unit's ExecStart no longer runs /usr/bin/pulse-kiosk");
        REQUIRE_MESSAGE(std::find(command.begin(), command.end(), config_.string()) != command.end(),
                        "the unit's ExecStart no longer reads /etc/pulse/kiosk.toml");

        notify_ = std::make_unique<NotifySocket>("@pulse-cage-test-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(rotation_));
        std::vector<std::string> env = unit_.environment;
        env.insert(env.end(), {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",  // systemd's
                               "HOME=" + user_.home, "USER=" + user_.name, "LOGNAME=" + user_.name,
                               "SHELL=/usr/sbin/nologin", "XDG_RUNTIME_DIR=" + runtime_.string(),
                               "NOTIFY_SOCKET=" + notify_->name,
                               "WATCHDOG_USEC=" + std::to_string(unit_.watchdog_usec), "WLR_BACKENDS=headless",
                               "WLR_RENDERER=pixman", "WLR_LIBINPUT_NO_DEVICES=1"});
        started_ = Clock::now();
        cage_.leader = spawn_as(user_, command, env, dir_ / "cage.out", dir_ / "cage.err", true);

        for (;;) {
            const std::string message = notify_->receive(200);
            if (message == "READY=1") break;
            int status = 0;
            if (::waitpid(cage_.leader, &status, WNOHANG) == cage_.leader) {
                cage_.leader = -1;
                FAIL("cage exited before READY=1; its output:\n", slurp(dir_ / "cage.err"));
            }
            if (seconds_since(started_) > 15) FAIL("no READY=1 within 15 s; cage's output:\n", slurp(dir_ / "cage.err"));
        }
        ready_s_ = seconds_since(started_);
        for (const auto& entry : std::filesystem::directory_iterator(runtime_)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("wayland-", 0) == 0 && name.find(".lock") == std::string::npos) wayland_display_ = name;
        }
        REQUIRE_MESSAGE(!wayland_display_.empty(), "no Wayland socket in ", runtime_.string());
    }

    double ready_s() const { return ready_s_; }
    const std::filesystem::path& dir() const { return dir_; }
    const std::filesystem::path& db_dir() const { return db_; }
    const SessionUser& user() const { return user_; }
    std::string log() const { return slurp(dir_ / "cage.err"); }

    // The output as grim captures it.
    Picture screenshot(const std::string& name) {
        const std::filesystem::path png = dir_ / (name + ".png");
        const int code = wait_exit(spawn_as(user_, {"/usr/bin/grim", "-"},
                                            {"XDG_RUNTIME_DIR=" + runtime_.string(), "WAYLAND_DISPLAY=" + wayland_display_},
                                            png, dir_ / (name + ".grim.err")),
                                   10, dir_ / (name + ".grim.err"));
        REQUIRE_MESSAGE(code == 0, "grim failed: ", slurp(dir_ / (name + ".grim.err")));
        return load_png(png);
    }

    // Waits up to timeout_s for grim to capture a picture like expected;
    // the last difference, how long it took in *took_s and how many
    // screenshots in *attempts. The last screenshot is kept as
    // <build>/screenshots/cage-<name>.png (look at it).
    Difference wait_for_picture(const Picture& expected, const std::string& name, double timeout_s, double* took_s,
                                int* attempts) {
        const auto start = Clock::now();
        Difference d;
        for (*attempts = 1;; ++*attempts) {
            d = compare(screenshot(name), expected);
            if (alike(d, expected) || seconds_since(start) > timeout_s) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        *took_s = seconds_since(start);
        const std::filesystem::path shots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";
        std::filesystem::create_directories(shots);
        std::filesystem::copy_file(dir_ / (name + ".png"), shots / ("cage-" + name + ".png"),
                                   std::filesystem::copy_options::overwrite_existing);
        return d;
    }

    // `pulse-kiosk simulate` of the same config (its own database), the same
    // clock, seed 1: script's shot `name` as a Picture.
    Picture simulate(const std::string& script, const std::string& name) {
        const std::filesystem::path script_file = dir_ / (name + ".script");
        std::ofstream(script_file) << script << "shot " << name << "\n";
        const ProcessResult r = run_process({PULSE_KIOSK_EXE, "simulate", "--config", simulate_config_.string(),
                                             "--script", script_file.string(), "--shots", (dir_ / "simulated").string(),
                                             "--seed", "1", "--now", iso_utc_now()},
                                            {"SDL_VIDEODRIVER=dummy"}, dir_, 30);
        REQUIRE_MESSAGE(r.exit_code == 0, "simulate failed: ", r.err);
        return load_png(dir_ / "simulated" / (name + ".png"));
    }

    // Clicks panel pixel (x, y) through XTEST into the kiosk's Xwayland,
    // times clicks 150 ms apart. A tap that ends the session (restart) may
    // find Xwayland gone before xdotool closes: ends_session lets that pass.
    void tap(int x, int y, int times = 1, bool ends_session = false) {
        const std::string display = kiosk_display();
        const ProcessResult r = run_as(user_, {"/usr/bin/xdotool", "mousemove", std::to_string(x), std::to_string(y),
                                               "click", "--repeat", std::to_string(times), "--delay", "150", "1"},
                                       {"DISPLAY=" + display}, dir_, "xdotool");
        if (ends_session && r.err.find("X connection to " + display + " broken") != std::string::npos) return;
        REQUIRE_MESSAGE(r.exit_code == 0, "xdotool failed on DISPLAY=", display, ": ", r.err);
    }

    // Clicks the panel point where simulate shows element id after taps_before.
    void tap(const std::string& id, const std::vector<std::string>& taps_before = {}, int times = 1,
             bool ends_session = false) {
        const ScreenPoint p = panel_centre_of(id, taps_before);
        tap(static_cast<int>(p.x), static_cast<int>(p.y), times, ends_session);
    }

    // True once cage (and so the kiosk) has exited, within timeout_s.
    bool ended_within(double timeout_s) {
        const auto start = Clock::now();
        while (seconds_since(start) < timeout_s) {
            int status = 0;
            // Reaped here; ~ProcessGroup still kills whatever is left of the group.
            if (::waitpid(cage_.leader, &status, WNOHANG) == cage_.leader) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    // The panel point where simulate shows element id (its centre) after
    // tapping the elements taps_before in turn, from an in-process simulator
    // of the same config.
    ScreenPoint panel_centre_of(const std::string& id, const std::vector<std::string>& taps_before = {}) {
        Diagnostics errors;
        std::optional<LoadedConfig> cfg = load_all(simulate_config_, &errors);
        REQUIRE(cfg);
        std::string error;
        std::unique_ptr<Simulator> sim = Simulator::open(*cfg, kOutputW, kOutputH, make_inline_writer(dir_ / "probe.sqlite3"),
                                                         1, std::time(nullptr), {}, &error);
        REQUIRE_MESSAGE(sim, error);
        // The hooks `run` gives (its uploader and backlight), so the admin
        // panel lays out the same actions.
        AdminHooks hooks;
        const KioskConfig config = cfg->config;
        hooks.gather = [config] { return gather_admin_info(config, "probe", "", std::nullopt, {}); };
        hooks.upload_now = [] {};
        hooks.brightness = [](int) -> std::optional<int> { return 50; };
        hooks.restart = [] {};
        sim->kiosk().set_admin_hooks(std::move(hooks));
        for (const std::string& before : taps_before) REQUIRE_MESSAGE(sim->tap(before, &error), error);
        for (const Hit& h : sim->hits()) {
            if (h.id == id) return sim->turn().to_panel({(h.x0 + h.x1) * 0.5f, (h.y0 + h.y1) * 0.5f});
        }
        FAIL("no element ", id, " after ", taps_before.size(), " taps");
        return {};
    }

private:
    // DISPLAY as cage gave it to the kiosk (its child named pulse-kiosk).
    std::string kiosk_display() const {
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string stat = slurp(entry.path() / "stat");
            const std::size_t close = stat.rfind(')');
            if (close == std::string::npos || stat.find("(pulse-kiosk)") == std::string::npos) continue;
            std::istringstream rest(stat.substr(close + 2));
            std::string state;
            long ppid = 0;
            rest >> state >> ppid;
            if (ppid != cage_.leader) continue;
            const std::string environ_text = slurp(entry.path() / "environ");
            std::istringstream vars(environ_text);
            for (std::string var; std::getline(vars, var, '\0');) {
                if (var.rfind("DISPLAY=", 0) == 0) return var.substr(8);
            }
        }
        FAIL("no pulse-kiosk child of cage with DISPLAY set; cage's output:\n", log());
        return {};
    }

    SessionUser user_;
    KioskUnit unit_;
    int rotation_ = 0;
    std::filesystem::path dir_, runtime_, db_, kiosk_exe_, config_, simulate_config_;
    std::unique_ptr<NotifySocket> notify_;
    std::string wayland_display_;
    ProcessGroup cage_;  // cage, Xwayland and the kiosk: ended before the socket and folders above
    Clock::time_point started_;
    double ready_s_ = 0;
};

// The checks both orientations share: READY=1, the picture with no tap,
// the log's promises, and a tap on the English toggle.
void check_session(int rotation) {
    const auto test_start = Clock::now();
    // The start button: with start = "question" the first screen shows a
    // statement the kiosk's rotation draws from an OS-seeded generator, so
    // simulate (seeded) and the session would show different ones.
    CageSession session(rotation, "", "button");
    const std::string r = "r" + std::to_string(rotation);

    // What simulate shows, first (so the timings below are the session's):
    // the first screen, and the screen after a tap on "English" where the
    // panel shows it.
    const Picture attract = session.simulate("", "attract");
    REQUIRE(attract.width == kOutputW);
    REQUIRE(attract.height == kOutputH);
    const ScreenPoint english = session.panel_centre_of("lang-en");
    const int x = static_cast<int>(english.x), y = static_cast<int>(english.y);
    const Picture after = session.simulate("tap " + std::to_string(x) + " " + std::to_string(y) + "\n", "english");
    CHECK(!alike(compare(after, attract), attract));  // the tap does change the screen

    session.start();
    MESSAGE("rotation ", rotation, ": cage exec to READY=1 in ", session.ready_s(), " s");

    // No tap: what the compositor shows is simulate's first screen.
    double took_s = 0;
    int attempts = 0;
    Difference d = session.wait_for_picture(attract, r + "-attract", 3, &took_s, &attempts);
    CHECK_MESSAGE(alike(d, attract), "grim's picture (<build>/screenshots/cage-", r,
                  "-attract.png) differs from simulate's in ", d.pixels, " pixels (largest channel difference ", d.max,
                  "); kiosk log:\n", session.log());
    MESSAGE("rotation ", rotation, ": with no tap, grim matched simulate ", took_s, " s after READY=1 (screenshot ",
            attempts, "): ", d.pixels, " pixels beyond ±", kChannelTolerance, ", largest channel difference ", d.max);

    const std::string log = session.log();
    CHECK_MESSAGE(log.find("video driver x11, renderer software") != std::string::npos, log);
    CHECK_MESSAGE(log.find("cursor hidden, screen saver and blanking disabled") != std::string::npos, log);
    if (rotation != 0) CHECK_MESSAGE(log.find("turned " + std::to_string(rotation)) != std::string::npos, log);

    // The tap: the screen changes as simulate shows the same tap changes it.
    session.tap(x, y);
    d = session.wait_for_picture(after, r + "-english", 3, &took_s, &attempts);
    CHECK_MESSAGE(alike(d, after), "after a tap at panel (", x, ", ", y, ") grim's picture (<build>/screenshots/cage-", r,
                  "-english.png) differs from simulate's in ", d.pixels, " pixels (largest channel difference ", d.max,
                  ")");
    MESSAGE("rotation ", rotation, ": tap at panel (", x, ", ", y, ") matched ", took_s, " s later (screenshot ",
            attempts, "): ", d.pixels, " pixels beyond ±", kChannelTolerance, ", largest channel difference ", d.max);
    MESSAGE("rotation ", rotation, ": whole case ", seconds_since(test_start), " s");
}

// [SECTION] The admin panel in the running kiosk

// The admin panel's actions as `pulse-kiosk run` wires them (cmd_run.cpp,
// AdminHooks), under cage with XTEST taps: the corner gesture and the PIN
// open it (the pad is simulate's picture); brightness − writes the backlight;
// upload now sends an ended hour at once that the uploader was holding back
// (the collector said 425 with Retry-After: 3600, so without the tap it
// would wait an hour); restart kiosk ends the process (Restart=always starts
// it again).
void check_admin_panel() {
    const auto test_start = Clock::now();
    // What the session's user reaches: the token, a stand-in sysfs backlight.
    const std::filesystem::path outside = temp_folder();
    REQUIRE(::chmod(outside.c_str(), 0755) == 0);
    const std::filesystem::path backlight = outside / "backlight", token = outside / "token";
    std::filesystem::create_directories(backlight);
    std::ofstream(backlight / "max_brightness") << "100\n";
    std::ofstream(backlight / "brightness") << "50\n";
    std::ofstream(token) << "test-token\n";

    FaultServerOptions options;
    options.too_early_retry_after = "3600";
    FaultServer collector(options);
    std::string error;
    REQUIRE_MESSAGE(collector.start(&error), error);
    collector.push(Fault::status_425_retry_after);  // the first batch: come back in an hour

    std::optional<std::string> pin_hash = hash_pin("2468", &error);
    REQUIRE_MESSAGE(pin_hash, error);
    CageSession session(0, "backlight = \"" + backlight.string() + "\"\n\n[upload]\nendpoint = \"" + collector.url() +
                               "\"\ntoken_file = \"" + token.string() + "\"\n\n[admin]\npin_hash = \"" + *pin_hash + "\"\n");
    for (const auto& f : {backlight, backlight / "brightness", token}) {
        hand_to(session.user(), f, f == backlight ? 0755 : f == token ? 0600 : 0644);
    }

    // Three answers of an hour that ended two hours ago, waiting on the terminal.
    const UnixSeconds hour = (std::time(nullptr) / 3600 - 2) * 3600;
    {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(session.db_dir() / "answers.sqlite3", &status);
        REQUIRE_MESSAGE(store, status.message);
        REQUIRE(store->insert({{"3f2b8c1e-5a7d-4e21-9c3b-0a1b2c3d4e51", "1.1", 4, "da", hour},
                               {"3f2b8c1e-5a7d-4e21-9c3b-0a1b2c3d4e52", "2.3", 2, "da", hour},
                               {"3f2b8c1e-5a7d-4e21-9c3b-0a1b2c3d4e53", "4.1", std::nullopt, "da", hour}})
                    .ok());
    }
    for (const auto& entry : std::filesystem::directory_iterator(session.db_dir())) {
        hand_to(session.user(), entry.path(), 0600);
    }

    // The pad as simulate shows it after the gesture.
    const std::string five_taps = "tap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\ntap admin-corner\n";
    const Picture pad = session.simulate(five_taps, "admin-pad");

    session.start();
    // The uploader's first try at start met the 425: nothing stored, an hour's wait.
    REQUIRE_MESSAGE(eventually([&] { return collector.fault_count(Fault::status_425_retry_after) == 1; },
                               std::chrono::seconds(20)),
                    "no upload at start; kiosk log:\n", session.log());
    CHECK(collector.stored_count() == 0);

    // The gesture: five clicks 150 ms apart on the corner.
    session.tap("admin-corner", {}, 5);
    double took_s = 0;
    int attempts = 0;
    const Difference d = session.wait_for_picture(pad, "admin-pad", 5, &took_s, &attempts);
    CHECK_MESSAGE(alike(d, pad), "after five taps on the corner, grim's picture (<build>/screenshots/cage-admin-pad.png) "
                  "differs from simulate's pad in ", d.pixels, " pixels; kiosk log:\n", session.log());

    const std::vector<std::string> gesture(5, "admin-corner");
    std::vector<std::string> before = gesture;
    for (const char* key : {"pin-2", "pin-4", "pin-6", "pin-8", "pin-ok"}) {
        session.tap(key, before);
        before.push_back(key);
    }
    REQUIRE_MESSAGE(eventually([&] { return session.log().find("the admin panel was opened with the PIN") != std::string::npos; },
                               std::chrono::seconds(10)),
                    "the PIN did not open the panel; kiosk log:\n", session.log());
    const std::filesystem::path shots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";
    std::filesystem::create_directories(shots);
    const Picture panel = session.screenshot("admin-panel");  // live facts: looked at, not compared
    std::filesystem::copy_file(session.dir() / "admin-panel.png", shots / "cage-admin-panel.png",
                               std::filesystem::copy_options::overwrite_existing);
    CHECK(!alike(compare(panel, pad), pad));

    // Brightness −: a tenth of the maximum down.
    session.tap("brightness-down", before);
    CHECK_MESSAGE(eventually([&] { return slurp(backlight / "brightness") == "40\n"; }, std::chrono::seconds(10)),
                  "brightness is ", slurp(backlight / "brightness"), "; kiosk log:\n", session.log());

    // Upload now: the held-back hour goes at once.
    session.tap("admin-upload-now", before);
    CHECK_MESSAGE(eventually([&] { return collector.stored_count() == 3; }, std::chrono::seconds(20)),
                  "stored ", collector.stored_count(), " of 3 after upload now; kiosk log:\n", session.log());
    CHECK(session.log().find("admin: upload now") != std::string::npos);

    // Restart kiosk: the kiosk exits, and cage with it.
    session.tap("admin-restart", before, 1, true);
    CHECK_MESSAGE(session.ended_within(15), "the kiosk still runs after restart; its log:\n", session.log());
    CHECK(session.log().find("restart asked for from the admin panel; exiting") != std::string::npos);
    MESSAGE("admin panel under cage: whole case ", seconds_since(test_start), " s");
}

}  // namespace

// Run only by CTest's "cage" registration (--no-skip), which reports exit
// code 77 as skipped.
TEST_SUITE_BEGIN("cage" * doctest::skip());

TEST_CASE("under cage as its unit starts it, the kiosk shows simulate's picture with no tap, and a tap changes it as simulate shows") {
    check_session(0);
}

TEST_CASE("under cage with the panel mounted portrait (rotation 90), the compositor shows simulate's turned picture, and a tap where a button shows presses it") {
    check_session(90);
}

TEST_CASE("under cage, the admin gesture and PIN open the panel, whose brightness, upload now and restart act on the running kiosk") {
    check_admin_panel();
}

TEST_SUITE_END();

}  // namespace kiosk_test_cage_session
