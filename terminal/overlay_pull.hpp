// overlay_pull.hpp — the terminal fetches its config overlay from the
// collector (GET /v1/config, docs/protocol.md) at start and every hour, with
// the ETag of the one it has, checks what comes (overlay_files.hpp's
// accept_overlay, with the same loader as `check`), and keeps it for the next
// start. The request is a policy on an injected HttpClient; the thread runs
// it in the background so the UI never waits.
#pragma once

#include "terminal/http_client.hpp"
#include "terminal/overlay_files.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pulse {

inline constexpr std::int64_t kOverlayPullInterval_s = 3600;

struct OverlayPull {
    enum class Kind {
        overlay,       // 200: bytes and etag
        not_modified,  // 304: the one with this ETag is current
        none,          // 204: the collector has no overlay for this terminal
        failed,        // anything else (failure says what); the terminal keeps what it has
    };
    Kind kind = Kind::failed;
    std::string bytes, etag, failure;
};

// GET endpoint/v1/config with the bearer token and If-None-Match: etag (when
// not empty). A 200 without an ETag, or with a body over 64 KiB, is a
// failure. Never throws.
OverlayPull pull_overlay(HttpClient& http, const std::string& endpoint, const std::string& token,
                         const std::string& etag);

// Pulls now and every kOverlayPullInterval_s on a thread of its own (its own
// HTTP client, made on that thread). A new overlay that passes check is
// written (accept_overlay) and restart_wanted() turns true: the kiosk
// restarts at a quiet moment to take it. Logs one line per change or
// refusal, never the overlay's content.
class OverlayPullThread {
public:
    using HttpFactory = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;
    using Check = std::function<bool(const std::filesystem::path& overlay_file, Diagnostics& errors)>;

    OverlayPullThread(OverlayFiles files, std::string endpoint, std::string token, HttpFactory make_http, Check check,
                      OverlayLog log);
    ~OverlayPullThread();
    OverlayPullThread(const OverlayPullThread&) = delete;
    OverlayPullThread& operator=(const OverlayPullThread&) = delete;

    bool restart_wanted() const { return restart_wanted_; }

private:
    void run();
    OverlayFiles files_;
    std::string endpoint_, token_;
    HttpFactory make_http_;
    Check check_;
    OverlayLog log_;
    std::atomic<bool> restart_wanted_{false};
    std::atomic<bool> cancel_{false};
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    std::thread worker_;  // last
};

// One pull and what came of it, as the thread does it (tests call it
// directly): the outcome of accept_overlay, or nullopt when nothing changed
// hands (not modified, or the pull failed: *failure then says why).
std::optional<OverlayAccept> pull_and_accept(HttpClient& http, const OverlayFiles& files, const std::string& endpoint,
                                             const std::string& token, const OverlayPullThread::Check& check,
                                             Diagnostics& errors, std::string* failure);

}  // namespace pulse
