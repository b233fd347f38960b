// uploader.hpp — store-and-forward: moves stored answers to the central
// endpoint in batches, exactly once whatever the network does (see
// docs/protocol.md). Uploader is the policy, one attempt at a time on
// injected time, randomness and HTTP; UploaderThread runs it in the
// background with its own SQLite connection so the UI never waits for it.
#pragma once

#include "terminal/answer_store.hpp"
#include "terminal/http_client.hpp"
#include "common/random.hpp"
#include "common/calendar.hpp"
#include "terminal/upload_policy.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace pulse {

struct UploadSettings {
    std::string endpoint;        // base URL, no trailing slash
    std::string token;           // bearer token (never logged)
    std::string terminal, workplace, bank_version;
    double interval_s = 300;     // between uploads when fewer than batch_size are pending
    int batch_size = 500;        // answers per batch; reaching it triggers an upload
    BackoffSettings backoff;     // after failures
    int keep_uploaded_days = 35; // uploaded answers are deleted after this
};

// One line for the log per attempt: batch id, count, HTTP status or curl
// error, next attempt. Never an answer's content, never the token.
using UploadLog = std::function<void(const std::string& line)>;

class Uploader {
public:
    // store and http must outlive the uploader.
    Uploader(AnswerStore& store, HttpClient& http, UploadSettings settings, Rng rng, UploadLog log);

    struct Step {
        bool attempted = false;        // a request was sent
        bool success = false;          // ... and acknowledged
        UnixSeconds next_attempt = 0;  // when step() should run next (absent new answers)
        std::int64_t pending = 0;      // answers still pending after this step
    };

    // Sends one batch if an attempt is due at now (always due on the first
    // call, after a success while a full batch is pending, and once
    // next_attempt has passed); also purges old uploaded answers once a day.
    Step step(UnixSeconds now);

    // New answers were stored: upload early once batch_size are pending.
    void answers_added(std::int64_t count);

    // When the next attempt is due (absent new answers).
    UnixSeconds next_attempt() const { return next_attempt_; }

    int consecutive_failures() const { return failures_; }

private:
    void finish(Step& s, UnixSeconds now, bool success, std::optional<double> retry_after_s,
                const std::string& reason, bool token_rejected);

    AnswerStore& store_;
    HttpClient& http_;
    UploadSettings settings_;
    Rng rng_;
    UploadLog log_;
    UnixSeconds next_attempt_ = 0;   // 0: now
    int failures_ = 0;               // consecutive transient failures
    std::int64_t pending_hint_ = 0;  // pending answers as last counted plus those added since
    UnixSeconds last_purge_day_ = -1;
};

// Runs an Uploader on its own thread and SQLite connection. Sleeps until the
// next attempt or until notify() reports enough new answers; uses ~0 CPU
// while nothing is pending. The destructor stops it (an attempt in flight is
// bounded by the HTTP timeouts).
class UploaderThread {
public:
    // Makes the HTTP client on the worker thread; `cancel` turns true when
    // the thread is asked to stop (pass it to CurlOptions::cancel).
    using HttpFactory = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;

    UploaderThread(std::filesystem::path database, HttpFactory make_http, UploadSettings settings, UploadLog log);
    ~UploaderThread();

    // count new answers were stored (called from the UI thread).
    void notify(std::int64_t count);

private:
    void run();

    std::filesystem::path database_;
    HttpFactory make_http_;
    UploadSettings settings_;
    UploadLog log_;
    std::atomic<bool> cancel_{false};  // abandons a request in flight at shutdown
    std::mutex mutex_;                 // guards what follows
    std::condition_variable wakeup_;
    std::int64_t added_ = 0;           // answers stored since the worker last looked
    bool stopping_ = false;
    std::thread worker_;      // last: starts after everything above exists
};

}  // namespace pulse
