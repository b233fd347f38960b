// cdp.hpp — for tests that drive a real browser: Debian's headless Chromium
// over the Chrome DevTools Protocol on a pipe (--remote-debugging-pipe: JSON
// messages ended by a NUL byte, commands on its fd 3, answers and events on
// its fd 4). Synchronous: a call sends a command and reads until its answer,
// handling the events that arrive meanwhile. Every wait has a deadline; a
// timeout or a CDP error fails the doctest test at the test's own line,
// quoting Chromium's stderr. PULSE_CDP_TRACE=FILE logs the traffic to FILE.
//   Browser browser(temp_folder());
//   Page& page = browser.new_page();
//   CHECK(page.navigate(url) == 200);
//   const nlohmann::json violations = page.run_axe();
//   CHECK_MESSAGE(violations.empty(), describe_axe_violations(violations));
#pragma once

#include "common/base64.hpp"
#include "process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <source_location>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace pulse::testing {

// [SECTION] Values handed back

// object[key], or null when object is no object or lacks key (nlohmann's
// const operator[] asserts instead): for reading Chromium's messages.
inline const nlohmann::json& cdp_member(const nlohmann::json& object, const char* key) {
    static const nlohmann::json none;
    if (!object.is_object()) return none;
    const auto it = object.find(key);
    return it == object.end() ? none : *it;
}

// One cookie as the browser holds it (Network.getCookies).
struct BrowserCookie {
    std::string name, value, domain, path;
    bool http_only = false;
    bool secure = false;
    std::string same_site;  // "Strict", "Lax", "None"; "" when the cookie set none
    double expires = -1;    // Unix seconds; -1 for a session cookie
};

// Which cookies (and storage) a new page shares.
enum class CookieJar {
    shared,  // the browser's default profile, shared with every other shared page
    own,     // a fresh browser context of its own, as a private window
};

// axe-core's violations (Page::run_axe) one a line: rule id, impact, help and
// the CSS targets and HTML of each node, for a failing check's message.
inline std::string describe_axe_violations(const nlohmann::json& violations) {
    std::string text;
    for (const nlohmann::json& v : violations) {
        const nlohmann::json& impact = cdp_member(v, "impact");
        text += v.value("id", "?") + " (" + (impact.is_string() ? impact.get<std::string>() : "?") + "): " +
                v.value("help", "") + "\n";
        for (const nlohmann::json& node : cdp_member(v, "nodes"))
            text += "    " + cdp_member(node, "target").dump() + " " + node.value("html", "") + "\n";
    }
    return text;
}

class Browser;

// [SECTION] Page: one tab, attached as a flat session

// A tab of a Browser, which owns it (Browser::new_page): valid while the
// Browser lives. Each call waits at most the Browser's timeout and fails the
// test on a timeout, a CDP error or an exception in the page; the failure
// names the test's line (each call's last parameter, `at`, is for that).
class Page {
public:
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;

    // Loads url and waits for the load event of the new document. The HTTP
    // status of the main document (after redirects; data: URLs say 200), or
    // -1 when there was none (about:blank, or a same-document #fragment move,
    // which does not wait). Fails the test when the navigation fails (refused
    // connection, bad URL); an HTTP error status is returned, not a failure.
    int navigate(const std::string& url, std::source_location at = std::source_location::current());

    // The value of the JavaScript expression js, by value (a promise is
    // awaited; undefined is null; a DOM node comes back as {}, so ask for its
    // outerHTML or textContent). Fails the test with the page's error and
    // stack when js throws or its promise rejects.
    nlohmann::json evaluate(const std::string& js, std::source_location at = std::source_location::current());

    // Clicks the first element matching css_selector (el.click(), as a
    // user's click would, so a submit button submits its form) and waits for
    // the load event of the document the click navigates to. Its status as
    // navigate. Fails the test when nothing matches or nothing loads in time.
    int click_and_wait(const std::string& css_selector, std::source_location at = std::source_location::current());

    // Emulates a screen of width × height CSS pixels at device scale 1; mobile
    // also turns on the meta viewport and touch-style overlay scrollbars.
    void set_viewport(int width, int height, bool mobile, std::source_location at = std::source_location::current());

    // Writes a PNG of the viewport, or with full_page of the whole document
    // (its content size, at scale 1), to file (folders created). Fails the
    // test when Chromium returns no image or the file cannot be written.
    void screenshot(const std::filesystem::path& file, bool full_page, std::source_location at = std::source_location::current());

    // The cookies the browser would send to the current URL.
    std::vector<BrowserCookie> cookies(std::source_location at = std::source_location::current());

    // The current URL (location.href) and the document's markup now
    // (document.documentElement.outerHTML, after scripts ran).
    std::string url(std::source_location at = std::source_location::current());
    std::string html(std::source_location at = std::source_location::current());

    // Every uncaught exception, console.error and browser error log entry
    // (a failed resource load, a CSP violation) seen since the page opened,
    // as text, oldest first. Not the failed load of /favicon.ico, which
    // Chromium asks for by itself.
    const std::vector<std::string>& console_errors() const { return console_errors_; }

    // Runs axe-core's WCAG 2.0/2.1 A and AA rules on the current document and
    // returns its violations: [{id, impact, help, helpUrl, nodes: [{target,
    // html, failureSummary}]}]; empty when it found none. axe_js is axe.min.js;
    // by default tests/browser/node_modules/axe-core/axe.min.js of the source
    // tree. Fails the test when that file is missing (run scripts/install-deps).
    nlohmann::json run_axe(const std::filesystem::path& axe_js = {}, std::source_location at = std::source_location::current());

    // A CDP command in this page's session and its result; fails the test
    // on a CDP error. For what the calls above do not cover.
    nlohmann::json command(const std::string& method, const nlohmann::json& params = nlohmann::json::object(),
                           std::source_location at = std::source_location::current());

    // The params of the first event of method (e.g.
    // "Page.javascriptDialogOpening") in this session for which accept holds
    // (any when empty) and that no earlier call took, waiting for one to
    // arrive; it is taken from the queue. The queue holds the events since
    // the page opened, the newest 2000 only.
    nlohmann::json wait_for_event(const std::string& method,
                                  const std::function<bool(const nlohmann::json&)>& accept = {},
                                  std::source_location at = std::source_location::current());

    const std::string& session_id() const { return session_id_; }
    const std::string& target_id() const { return target_id_; }

private:
    friend class Browser;
    Page(Browser& browser, std::string target_id, std::string session_id)
        : browser_(browser), target_id_(std::move(target_id)), session_id_(std::move(session_id)) {}

    // Updates the navigation state and the error list from one event of this
    // session, and queues it for wait_for_event.
    void on_event(const nlohmann::json& message);
    // Waits for a main-frame load event after the first `seen` of loads_:
    // of the document expected_loader when given, else of any document but
    // previous_loader; its status as navigate's. what names the wait in the
    // failure message.
    int wait_for_load(std::size_t seen, const std::string& previous_loader, const std::string& expected_loader,
                      const std::string& what);

    Browser& browser_;
    std::string target_id_;   // also the main frame's id
    std::string session_id_;  // flat session: sent as "sessionId" with each command
    std::string loader_id_;   // the main frame's current document (Page.frameNavigated)
    std::vector<std::string> loads_;  // the loaderId of each Page.loadEventFired, oldest first
    std::map<std::string, int> document_status_;  // main-frame loaderId -> HTTP status of its document
    std::vector<std::string> console_errors_;
    std::deque<nlohmann::json> events_;  // unclaimed events, oldest first
};

// [SECTION] Browser: the Chromium process and its pipe

// A headless Chromium, started by the constructor and closed by the
// destructor (Browser.close, then SIGKILL to its process group after 2 s).
class Browser {
public:
    // Starts /usr/bin/chromium with a fresh profile in work_folder/profile
    // (removed first) and its stdout and stderr in work_folder/chromium.out
    // and chromium.err. timeout bounds every later wait. Fails the test when
    // Chromium is missing or cannot start. One Browser per work_folder at a time.
    explicit Browser(const std::filesystem::path& work_folder,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30), std::source_location at = std::source_location::current())
        : work_folder_(work_folder), timeout_(timeout), caller_(at) {
        if (!std::filesystem::exists(kChromium))
            fail(std::string(kChromium) + " is missing: install Debian's chromium (scripts/install-deps does)");
        std::error_code ec;
        std::filesystem::remove_all(work_folder / "profile", ec);
        std::filesystem::create_directories(work_folder / "profile");

        int to_chromium[2], from_chromium[2];
        if (pipe2(to_chromium, O_CLOEXEC) != 0 || pipe2(from_chromium, O_CLOEXEC) != 0)
            fail(std::string("pipe: ") + std::strerror(errno));
        // Chromium's ends are dup2'ed onto 3 and 4; an end already at 3 or 4
        // would keep its close-on-exec flag (dup2 onto itself changes nothing)
        // or be overwritten by the other dup2, so move them all above 4 first.
        for (int* fd : {&to_chromium[0], &to_chromium[1], &from_chromium[0], &from_chromium[1]}) {
            const int moved = fcntl(*fd, F_DUPFD_CLOEXEC, 10);
            if (moved < 0) fail(std::string("fcntl F_DUPFD_CLOEXEC: ") + std::strerror(errno));
            ::close(*fd);
            *fd = moved;
        }
        write_fd_ = to_chromium[1];
        read_fd_ = from_chromium[0];
        fcntl(write_fd_, F_SETFL, fcntl(write_fd_, F_GETFL) | O_NONBLOCK);
        fcntl(read_fd_, F_SETFL, fcntl(read_fd_, F_GETFL) | O_NONBLOCK);

        std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                         "--no-first-run", "--disable-background-networking",
                                         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                                         "--password-store=basic", "--enable-logging=stderr",
                                         "--remote-debugging-pipe",
                                         "--user-data-dir=" + (work_folder / "profile").string(), "about:blank"};
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const std::string out_file = (work_folder / "chromium.out").string();
        err_file_ = work_folder / "chromium.err";
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, to_chromium[0], 3);
        posix_spawn_file_actions_adddup2(&actions, from_chromium[1], 4);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        const int spawned = posix_spawn(&pid_, kChromium, &actions, &attr, argv.data(), environ);
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&actions);
        ::close(to_chromium[0]);
        ::close(from_chromium[1]);
        if (spawned != 0) {
            pid_ = -1;
            close_pipes();
            fail(std::string("cannot start ") + kChromium + ": " + std::strerror(spawned));
        }
    }

    // Closes every page and Chromium: Browser.close, up to 2 s for it to
    // exit, then SIGKILL to its whole process group. Never fails the test.
    ~Browser() {
        closing_ = true;
        if (pid_ > 0) {
            if (write_fd_ >= 0 && !pipe_broken_) {
                const std::string close_command = nlohmann::json{{"id", ++last_id_}, {"method", "Browser.close"}}.dump();
                try_write(close_command + '\0', std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
            }
            int status = 0;
            const auto grace_end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            bool reaped = exited_;
            while (!reaped && !(reaped = waitpid(pid_, &status, WNOHANG) == pid_) &&
                   std::chrono::steady_clock::now() < grace_end)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            // The group outlives its leader while a helper (renderer, zygote)
            // lives, so its id is not reused: killing it after the reap is safe.
            kill(-pid_, SIGKILL);
            if (!reaped) waitpid(pid_, &status, 0);
        }
        close_pipes();
    }
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    // Opens a tab on about:blank and attaches to it, with Page, Network,
    // Runtime and Log events on. jar says whose cookies it shares.
    Page& new_page(CookieJar jar = CookieJar::shared, std::source_location at = std::source_location::current()) {
        const CallSite site(*this, at);
        nlohmann::json create = {{"url", "about:blank"}};
        if (jar == CookieJar::own) create["browserContextId"] = command("Target.createBrowserContext")["browserContextId"];
        const std::string target_id = command("Target.createTarget", create)["targetId"];
        const std::string session_id =
            command("Target.attachToTarget", {{"targetId", target_id}, {"flatten", true}})["sessionId"];
        pages_.push_back(std::unique_ptr<Page>(new Page(*this, target_id, session_id)));
        Page& page = *pages_.back();
        for (const char* domain : {"Page.enable", "Network.enable", "Runtime.enable", "Log.enable"})
            command(domain, nlohmann::json::object(), session_id);
        return page;
    }

    // A CDP command (in session_id's session, or the browser's when empty) and
    // its result. Fails the test on a CDP error, on a timeout or when Chromium
    // goes away, quoting Chromium's stderr.
    nlohmann::json command(const std::string& method, const nlohmann::json& params = nlohmann::json::object(),
                           const std::string& session_id = {}, std::source_location at = std::source_location::current()) {
        const CallSite site(*this, at);
        const int id = ++last_id_;
        nlohmann::json message = {{"id", id}, {"method", method}, {"params", params}};
        if (!session_id.empty()) message["sessionId"] = session_id;
        trace("-> ", message.dump());
        const auto deadline = std::chrono::steady_clock::now() + timeout_;
        if (!try_write(message.dump() + '\0', deadline))
            fail("cannot send " + method + (pipe_broken_ ? ": Chromium closed its pipe" : ": timed out"));
        pump_until([&] { return answers_.count(id) != 0; }, deadline, "the answer to " + method);
        nlohmann::json answer = std::move(answers_[id]);
        answers_.erase(id);
        if (answer.contains("error")) {
            const nlohmann::json& error = answer["error"];
            const nlohmann::json& data = cdp_member(error, "data");
            fail("CDP " + method + " failed: " + cdp_member(error, "message").dump() + " (code " +
                 cdp_member(error, "code").dump() + ")" + (data.is_null() ? std::string() : " " + data.dump()) +
                 "\n--- params: " + params.dump().substr(0, 500));
        }
        return answer.value("result", nlohmann::json::object());
    }

    // Reads and handles messages until done() holds; fails the test naming
    // what (e.g. "the load event after clicking #send") when deadline passes
    // first or Chromium goes away.
    void pump_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline,
                    const std::string& what, std::source_location at = std::source_location::current()) {
        const CallSite site(*this, at);
        while (!done()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) fail("timed out after " + std::to_string(timeout_.count()) + " ms waiting for " + what);
            pollfd p{read_fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
            if (ready < 0 && errno != EINTR) fail(std::string("poll: ") + std::strerror(errno));
            if (ready > 0 && !read_available())
                fail("Chromium closed its pipe while waiting for " + what + exit_note());
        }
    }

    // The last max_chars of Chromium's stderr without its D-Bus complaints
    // (no session bus in a test), for failure messages.
    std::string stderr_tail(std::size_t max_chars = 3000) const {
        std::istringstream lines(slurp(err_file_));
        std::string text;
        for (std::string line; std::getline(lines, line);) {
            if (line.find("dbus") == std::string::npos && line.find("DBus") == std::string::npos &&
                line.find("D-Bus") == std::string::npos && line.find("Floss") == std::string::npos)
                text += line + "\n";
        }
        return text.size() <= max_chars ? text : "…" + text.substr(text.size() - max_chars);
    }

    std::chrono::milliseconds timeout() const { return timeout_; }
    // Chromium's process id, also its process group's (for a test that kills it).
    pid_t pid() const { return pid_; }

    // Fails the test at the test's line that called in, with message and
    // Chromium's stderr tail.
    [[noreturn]] void fail(const std::string& message) const {
        ADD_FAIL_AT(caller_.file_name(), static_cast<int>(caller_.line()), message, "\n--- chromium stderr (",
                    err_file_.string(), "), last part:\n", stderr_tail());
        throw 0;  // unreachable: ADD_FAIL_AT throws; tells the compiler so
    }

private:
    friend class Page;

    // Keeps, for the outermost call into this file, the test's line that made
    // it: the place fail() reports.
    struct CallSite {
        Browser& browser;
        CallSite(Browser& b, std::source_location at) : browser(b) {
            if (browser.call_depth_++ == 0) browser.caller_ = at;
        }
        ~CallSite() { --browser.call_depth_; }
        CallSite(const CallSite&) = delete;
        CallSite& operator=(const CallSite&) = delete;
    };

    static constexpr const char* kChromium = "/usr/bin/chromium";

    void close_pipes() {
        if (write_fd_ >= 0) ::close(write_fd_);
        if (read_fd_ >= 0) ::close(read_fd_);
        write_fd_ = read_fd_ = -1;
    }

    // Writes text whole before deadline, reading what Chromium sends meanwhile
    // (it may be blocked writing to us). False when the pipe broke (sets
    // pipe_broken_) or the deadline passed. SIGPIPE is blocked in this thread
    // while writing, and one it raised is taken back, so a dead Chromium
    // cannot kill the test process.
    bool try_write(const std::string& text, std::chrono::steady_clock::time_point deadline) {
        struct BlockPipeSignal {  // restores the mask however the write ends (fail() throws)
            sigset_t pipe_signal, previous;
            bool raised = false;
            BlockPipeSignal() {
                sigemptyset(&pipe_signal);
                sigaddset(&pipe_signal, SIGPIPE);
                pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
            }
            ~BlockPipeSignal() {
                const timespec zero{0, 0};
                if (raised) sigtimedwait(&pipe_signal, nullptr, &zero);
                pthread_sigmask(SIG_SETMASK, &previous, nullptr);
            }
        } block;
        std::size_t sent = 0;
        while (sent < text.size()) {
            const ssize_t n = ::write(write_fd_, text.data() + sent, text.size() - sent);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN) {
                pipe_broken_ = block.raised = errno == EPIPE;
                return false;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p[2] = {{write_fd_, POLLOUT, 0}, {read_fd_, POLLIN, 0}};
            if (::poll(p, 2, static_cast<int>(std::min<long long>(left.count(), 200))) > 0 && (p[1].revents & (POLLIN | POLLHUP)))
                read_available();
        }
        return true;
    }

    // Reads what the pipe holds now and handles each whole message. False at
    // end of file (Chromium closed its end or exited).
    bool read_available() {
        char chunk[65536];
        for (;;) {
            const ssize_t n = ::read(read_fd_, chunk, sizeof chunk);
            if (n == 0) return false;
            if (n < 0) return errno == EAGAIN || errno == EINTR;
            incoming_.append(chunk, static_cast<std::size_t>(n));
            std::size_t start = 0;
            for (std::size_t end; (end = incoming_.find('\0', start)) != std::string::npos; start = end + 1)
                handle(nlohmann::json::parse(incoming_.begin() + static_cast<std::ptrdiff_t>(start),
                                             incoming_.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false));
            incoming_.erase(0, start);
        }
    }

    // An answer is kept for command(); an event goes to its page's state and
    // queue (browser-level events, e.g. Target.attachedToTarget, are dropped).
    void handle(nlohmann::json message) {
        trace("<- ", message.dump());
        if (message.is_discarded()) {
            if (closing_) return;  // the destructor must not fail the test
            fail("Chromium sent a message that is not JSON");
        }
        if (message.contains("id")) {
            const int id = message["id"].get<int>();  // before the move below
            answers_[id] = std::move(message);
            return;
        }
        const std::string session = message.value("sessionId", std::string());
        for (const std::unique_ptr<Page>& page : pages_)
            if (page->session_id_ == session) page->on_event(message);
    }

    // With PULSE_CDP_TRACE=FILE in the environment, appends the first 1000
    // characters of each message sent (->) and received (<-) to FILE.
    void trace(const char* direction, const std::string& message) const {
        static const char* const file = std::getenv("PULSE_CDP_TRACE");
        if (file) std::ofstream(file, std::ios::app) << direction << message.substr(0, 1000) << "\n";
    }

    // ", Chromium exited with N" once it has (waiting up to 1 s: it closes
    // its pipe just before it exits), for failure messages.
    std::string exit_note() {
        int status = 0;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (pid_ > 0 && !exited_ && std::chrono::steady_clock::now() < give_up) {
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return ", Chromium exited with " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return {};
    }

    std::filesystem::path work_folder_;
    std::filesystem::path err_file_;
    std::chrono::milliseconds timeout_;
    std::source_location caller_;  // see CallSite
    int call_depth_ = 0;
    pid_t pid_ = -1;
    bool exited_ = false;  // pid_ reaped (its group may live on)
    int write_fd_ = -1;  // Chromium's fd 3: our commands
    int read_fd_ = -1;   // Chromium's fd 4: its answers and events
    bool pipe_broken_ = false;
    bool closing_ = false;  // in the destructor: handle nothing that could fail the test
    int last_id_ = 0;
    std::string incoming_;                 // bytes read after the last NUL
    std::map<int, nlohmann::json> answers_;  // id -> answer not yet claimed
    std::vector<std::unique_ptr<Page>> pages_;
};

// [SECTION] Page's calls

inline nlohmann::json Page::command(const std::string& method, const nlohmann::json& params, std::source_location at) {
    return browser_.command(method, params, session_id_, at);
}

inline void Page::on_event(const nlohmann::json& message) {
    const std::string method = message.value("method", std::string());
    const nlohmann::json& params = cdp_member(message, "params");
    if (method == "Page.frameNavigated") {
        const nlohmann::json& frame = cdp_member(params, "frame");
        if (!frame.contains("parentId") && frame.value("id", std::string()) == target_id_) {
            loader_id_ = frame.value("loaderId", std::string());
        }
    } else if (method == "Page.loadEventFired") {
        loads_.push_back(loader_id_);
    } else if (method == "Network.responseReceived") {
        if (params.value("type", std::string()) == "Document" && params.value("frameId", std::string()) == target_id_)
            document_status_[params.value("loaderId", std::string())] = cdp_member(params, "response").value("status", -1);
    } else if (method == "Runtime.exceptionThrown") {
        const nlohmann::json& details = cdp_member(params, "exceptionDetails");
        std::string text = details.value("text", std::string());
        const nlohmann::json& description = cdp_member(cdp_member(details, "exception"), "description");
        if (description.is_string()) text += " " + description.get<std::string>();
        console_errors_.push_back(text + " (" + details.value("url", std::string()) + ":" +
                                  std::to_string(details.value("lineNumber", 0) + 1) + ")");
    } else if (method == "Runtime.consoleAPICalled" && params.value("type", std::string()) == "error") {
        std::string text = "console.error:";
        for (const nlohmann::json& arg : cdp_member(params, "args")) {
            if (arg.contains("value")) text += " " + (arg["value"].is_string() ? arg["value"].get<std::string>() : arg["value"].dump());
            else text += " " + arg.value("description", arg.value("type", std::string()));
        }
        console_errors_.push_back(text);
    } else if (method == "Log.entryAdded" && cdp_member(params, "entry").value("level", std::string()) == "error") {
        const nlohmann::json& entry = cdp_member(params, "entry");
        // Chromium asks every site for /favicon.ico on its own; a page that
        // names no icon has not erred when the site has none.
        const std::string url = entry.value("url", std::string());
        const std::string favicon = "/favicon.ico";
        const bool implicit_favicon = entry.value("source", std::string()) == "network" && url.size() >= favicon.size() &&
                                      url.compare(url.size() - favicon.size(), favicon.size(), favicon) == 0;
        if (!implicit_favicon)
            console_errors_.push_back(entry.value("source", std::string()) + ": " + entry.value("text", std::string()) +
                                      (url.empty() ? std::string() : " (" + url + ")"));
    }
    events_.push_back(message);
    if (events_.size() > 2000) events_.pop_front();
}

inline nlohmann::json Page::wait_for_event(const std::string& method,
                                           const std::function<bool(const nlohmann::json&)>& accept,
                                           std::source_location at) {
    const Browser::CallSite site(browser_, at);
    std::optional<nlohmann::json> found;
    const auto take = [&] {
        for (auto it = events_.begin(); it != events_.end(); ++it) {
            if ((*it).value("method", std::string()) != method) continue;
            if (accept && !accept(cdp_member(*it, "params"))) continue;
            found = cdp_member(*it, "params");
            events_.erase(it);
            return true;
        }
        return false;
    };
    browser_.pump_until(take, std::chrono::steady_clock::now() + browser_.timeout(), "the event " + method);
    return std::move(*found);
}

inline int Page::wait_for_load(std::size_t seen, const std::string& previous_loader, const std::string& expected_loader,
                               const std::string& what) {
    // Each load is looked at once, so a page that moves on by itself right
    // after loading (a script redirect) still ends the wait at its own load.
    std::string loaded;
    browser_.pump_until(
        [&] {
            for (; seen < loads_.size() && loaded.empty(); ++seen) {
                const std::string& loader = loads_[seen];
                if (loader.empty()) continue;
                if (expected_loader.empty() ? loader != previous_loader : loader == expected_loader) loaded = loader;
            }
            return !loaded.empty();
        },
        std::chrono::steady_clock::now() + browser_.timeout(), what);
    const auto status = document_status_.find(loaded);
    return status == document_status_.end() ? -1 : status->second;
}

inline int Page::navigate(const std::string& url, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    const std::size_t seen = loads_.size();
    const nlohmann::json result = command("Page.navigate", {{"url", url}});
    const std::string error = result.value("errorText", std::string());
    // A 4xx or 5xx answer without a body shows Chromium's error page: still
    // a loaded document whose status the caller wants.
    if (!error.empty() && error != "net::ERR_HTTP_RESPONSE_CODE_FAILURE")
        browser_.fail("navigating to " + url + " failed: " + error);
    if (!result.contains("loaderId")) return -1;  // same document: nothing loads
    return wait_for_load(seen, {}, result["loaderId"], "the load event of " + url);
}

inline nlohmann::json Page::evaluate(const std::string& js, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    const nlohmann::json result = command("Runtime.evaluate", {{"expression", js},
                                                               {"returnByValue", true},
                                                               {"awaitPromise", true},
                                                               {"userGesture", true}});
    if (result.contains("exceptionDetails")) {
        const nlohmann::json& details = cdp_member(result, "exceptionDetails");
        // description holds the error's message and stack; a thrown non-Error
        // (throw 'x') has only a value.
        std::string thrown = details.value("text", std::string());
        if (details.contains("exception")) {
            const nlohmann::json& exception = details["exception"];
            thrown = exception.contains("description") ? exception["description"].get<std::string>()
                                                       : thrown + " " + exception.value("value", nlohmann::json()).dump();
        }
        browser_.fail("the page threw: " + thrown + "\n--- evaluating:\n" + js.substr(0, 2000));
    }
    return cdp_member(result, "result").value("value", nlohmann::json());
}

inline int Page::click_and_wait(const std::string& css_selector, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    const std::string previous = loader_id_;
    const std::size_t seen = loads_.size();
    const nlohmann::json selector = css_selector;
    evaluate("(() => { const el = document.querySelector(" + selector.dump() +
             "); if (!el) throw new Error('no element matches ' + " + selector.dump() + "); el.click(); })()");
    return wait_for_load(seen, previous, {}, "the load event after clicking " + css_selector);
}

inline void Page::set_viewport(int width, int height, bool mobile, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    command("Emulation.setDeviceMetricsOverride",
            {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}});
}

inline void Page::screenshot(const std::filesystem::path& file, bool full_page, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    nlohmann::json params = {{"format", "png"}};
    if (full_page) {
        const nlohmann::json metrics = command("Page.getLayoutMetrics");
        const nlohmann::json& size = metrics.contains("cssContentSize") ? cdp_member(metrics, "cssContentSize")
                                                                          : cdp_member(metrics, "contentSize");
        if (!size.contains("width") || !size.contains("height"))
            browser_.fail("Page.getLayoutMetrics gave no content size: " + metrics.dump());
        params["captureBeyondViewport"] = true;
        params["clip"] = {{"x", 0}, {"y", 0}, {"width", size["width"]}, {"height", size["height"]}, {"scale", 1}};
    }
    const nlohmann::json shot = command("Page.captureScreenshot", params);
    const std::optional<std::string> png = base64_decode(shot.value("data", std::string()));
    if (!png || png->empty()) browser_.fail("Page.captureScreenshot returned no PNG");
    if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << *png;
    out.close();
    if (!out) browser_.fail("cannot write the screenshot " + file.string());
}

inline std::vector<BrowserCookie> Page::cookies(std::source_location at) {
    const Browser::CallSite site(browser_, at);
    std::vector<BrowserCookie> cookies;
    const nlohmann::json result = command("Network.getCookies");  // kept: the loop below reads into it
    for (const nlohmann::json& c : result.value("cookies", nlohmann::json::array())) {
        BrowserCookie cookie;
        cookie.name = c.value("name", std::string());
        cookie.value = c.value("value", std::string());
        cookie.domain = c.value("domain", std::string());
        cookie.path = c.value("path", std::string());
        cookie.http_only = c.value("httpOnly", false);
        cookie.secure = c.value("secure", false);
        cookie.same_site = c.value("sameSite", std::string());
        cookie.expires = c.value("session", false) ? -1.0 : c.value("expires", -1.0);
        cookies.push_back(std::move(cookie));
    }
    return cookies;
}

inline std::string Page::url(std::source_location at) {
    const nlohmann::json href = evaluate("location.href", at);
    return href.is_string() ? href.get<std::string>() : std::string();
}

inline std::string Page::html(std::source_location at) {
    const nlohmann::json markup = evaluate("document.documentElement.outerHTML", at);
    return markup.is_string() ? markup.get<std::string>() : std::string();
}

inline nlohmann::json Page::run_axe(const std::filesystem::path& axe_js, std::source_location at) {
    const Browser::CallSite site(browser_, at);
    std::filesystem::path file = axe_js;
#ifdef PULSE_SOURCE_DIR
    if (file.empty()) file = std::filesystem::path(PULSE_SOURCE_DIR) / "tests/browser/node_modules/axe-core/axe.min.js";
#endif
    if (file.empty()) browser_.fail("run_axe: pass the path of axe.min.js (this test has no PULSE_SOURCE_DIR)");
    if (evaluate("typeof axe === 'object'") != true) {
        const std::string source = slurp(file);
        if (source.empty())
            browser_.fail(file.string() + " is missing or empty: run scripts/install-deps (it runs npm ci in tests/browser)");
        evaluate(source + "\n;true");
    }
    return evaluate(R"((async () => {
  const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))
  }));
})())");
}

}  // namespace pulse::testing
