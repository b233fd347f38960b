// uploader.hpp — store-and-forward: moves stored answers to the central
// endpoint in batches, exactly once whatever the network does, and only once
// their UTC hour has ended (see docs/protocol.md). Uploader is the policy,
// one attempt at a time on injected time, randomness, ids and HTTP; it also
// reads the collector's clock from each response (clock_offset.hpp) and
// follows the database file when the answer writer replaces it.
// UploaderThread runs it in the background with its own SQLite connection so
// the UI never waits for it.
#pragma once

#include "terminal/answer_store.hpp"
#include "terminal/clock_offset.hpp"
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

// How long after an hour ends its answers are first sent: a fixed offset
// drawn once per Uploader from this window (docs/protocol.md, "When").
inline constexpr UnixSeconds kAfterHourMin_s = 120;
inline constexpr UnixSeconds kAfterHourMax_s = 600;
// While hold_from_hour keeps an ended hour's answers back (an undo window of
// seconds), the uploader looks again this soon rather than after the next hour.
inline constexpr UnixSeconds kHoldRecheck_s = 15;

struct UploadSettings {
    std::string endpoint;        // base URL, no trailing slash
    std::string token;           // bearer token (never logged)
    std::string terminal, workplace, bank_version;
    int batch_size = 500;        // answers per batch at most
    // Seconds after each hour's end before its answers are sent, 0..3599;
    // nullopt: drawn once per Uploader from [kAfterHourMin_s, kAfterHourMax_s]
    // (the kiosk). `sync` uses 0: every ended hour at once.
    std::optional<UnixSeconds> after_hour_s;
    BackoffSettings backoff;     // after failures
    int keep_uploaded_days = 35; // uploaded answers are deleted after this
};

// One line for the log per attempt: batch id, attempt number, HTTP status or
// curl error, next attempt. Never an answer's content, never the token, and
// never a count of answers: a log line's timestamp with the size of what was
// sent would tell how many people answered in one hour.
using UploadLog = std::function<void(const std::string& line)>;

// The terminal's wall clock in Unix seconds. The uploader reads it when a
// response arrives, to compare with the response's Date header.
using WallClock = std::function<UnixSeconds()>;

// The system's wall clock (std::chrono::system_clock): the default WallClock.
UnixSeconds system_clock_s();

class Uploader {
public:
    // store and http must outlive the uploader. rng drives the backoff
    // jitter, the order of answers in a body and the after-hour offset;
    // batch ids come from new_id (the kernel's CSPRNG unless a test stands
    // in); clock is read when each response arrives (clock offset).
    Uploader(AnswerStore& store, HttpClient& http, UploadSettings settings, Rng rng, UploadLog log,
             IdSource new_id = IdSource(&random_uuid_v4), WallClock clock = WallClock(&system_clock_s));

    struct Step {
        bool attempted = false;        // a request was sent
        bool success = false;          // ... and acknowledged
        UnixSeconds next_attempt = 0;  // when step() should run next
        // When the step was due (else both are -1, the store not read), after it:
        std::int64_t pending = -1;               // answers of ended hours still pending (open batches included)
        std::int64_t waiting_for_hour_end = -1;  // pending answers of the running hour, sent after it ends
    };

    // Sends one batch if an attempt is due at now (on the first call, and
    // once next_attempt has passed); also purges old uploaded answers once a
    // day. Only answers of hours that ended at least after_hour_s() ago go in
    // a new batch; an open batch (formed earlier, not acknowledged) is resent
    // as it is. After a success the rest of those hours is drained at once;
    // with nothing of them left, the next attempt is after_hour_s() after the
    // next hour's end. Failures back off (docs/protocol.md). A store failure
    // is retried like a transient one; nothing is ever dropped.
    //
    // Before each attempt: if the file at the store's path is no longer the
    // one it has open (the answer writer moved a corrupt file aside and
    // started a fresh one: AnswerStore::file_moved), the uploader opens the
    // path again, logs it, and works on the fresh file from then on (store()).
    // If that open fails, the attempt fails like a transient one and the
    // open is retried at the next.
    //
    // Every response's Date header gives the clock offset (measure_clock_offset_s):
    // the latest is kept as the upload fact "clock_offset_s" for `status`
    // (written when it changes), and logged as ClockOffsetWatch says.
    Step step(UnixSeconds now);

    // The store the uploader works on: the one it was given, or the one it
    // opened when that file was replaced. Valid until the next step().
    AnswerStore& store() { return *store_; }

    // The latest clock offset measured (server minus terminal, seconds);
    // nullopt before any response carried a readable Date.
    std::optional<UnixSeconds> clock_offset_s() const { return clock_offset_s_; }

    // When the next attempt is due.
    UnixSeconds next_attempt() const { return next_attempt_; }

    // This uploader's offset after each hour's end, in seconds.
    UnixSeconds after_hour_s() const { return after_hour_s_; }

    int consecutive_failures() const { return failures_; }

    // The admin panel's "upload now": the next step() is an attempt, and it
    // sends every ended hour's answers, not only those that ended
    // after_hour_s() ago. Never the running hour's.
    void upload_now();

    // Answers of `hour` and later go in no new batch while held (nullopt:
    // nothing held): the thanks screen's undo window (Terminal::undo_hour),
    // so answers that may still be undone never leave, even when their
    // hour ends inside the window. An open batch is resent as it is.
    void hold_from_hour(std::optional<UnixSeconds> hour) { held_from_hour_ = hour; }

private:
    void finish(Step& s, UnixSeconds now, bool success, std::optional<double> retry_after_s,
                const std::string& reason, bool token_rejected);
    UnixSeconds next_hour_attempt(UnixSeconds now);
    // Fills s.pending and s.waiting_for_hour_end; returns every pending answer (-1 on error).
    std::int64_t count_pending(Step& s, UnixSeconds now);
    // Opens the store's path again if its file was replaced; false (with
    // *error) if that open failed, and then the old store is kept.
    bool follow_replaced_file(StoreStatus* error);
    // Keeps, stores and logs the clock offset that response gives (if any).
    void note_clock_offset(const HttpResponse& response);
    // After a failure: the next attempt after the backoff (or Retry-After).
    void back_off(UnixSeconds now, std::optional<double> retry_after_s);

    AnswerStore* store_;                   // the given store, or reopened_
    std::unique_ptr<AnswerStore> reopened_;  // opened here when the file was replaced
    HttpClient& http_;
    UploadSettings settings_;
    Rng rng_;
    UploadLog log_;
    IdSource new_id_;
    WallClock clock_;
    ClockOffsetWatch clock_watch_;
    std::optional<UnixSeconds> clock_offset_s_;         // latest measured
    std::optional<UnixSeconds> stored_clock_offset_s_;  // latest written to store_'s upload facts
    UnixSeconds after_hour_s_ = 0;   // fixed for this uploader's life
    UnixSeconds next_attempt_ = 0;   // 0: now
    int failures_ = 0;               // consecutive transient failures
    UnixSeconds last_purge_day_ = -1;
    bool now_requested_ = false;     // upload_now(): the next step ignores after_hour_s_
    std::optional<UnixSeconds> held_from_hour_;  // hold_from_hour()
};

// Runs an Uploader on its own thread and SQLite connection. Sleeps until the
// next attempt (a few minutes after each hour, or a retry); new answers do
// not wake it, since none of them can go before their hour has ended. Uses
// ~0 CPU between attempts. The destructor stops it (an attempt in flight is
// bounded by the HTTP timeouts and abandoned through `cancel`).
class UploaderThread {
public:
    // Makes the HTTP client on the worker thread; `cancel` turns true when
    // the thread is asked to stop (pass it to CurlOptions::cancel).
    using HttpFactory = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;

    UploaderThread(std::filesystem::path database, HttpFactory make_http, UploadSettings settings, UploadLog log);
    ~UploaderThread();

    // Wakes the thread for an attempt now (Uploader::upload_now). Returns at once.
    void upload_now();
    // Uploader::hold_from_hour for the attempts from now on. Returns at once.
    void hold_from_hour(std::optional<UnixSeconds> hour);

private:
    void run();

    std::filesystem::path database_;
    HttpFactory make_http_;
    UploadSettings settings_;
    UploadLog log_;
    std::atomic<bool> cancel_{false};  // abandons a request in flight at shutdown
    std::mutex mutex_;                 // guards what follows
    std::condition_variable wakeup_;
    bool stopping_ = false;
    bool upload_now_ = false;
    std::optional<UnixSeconds> held_from_hour_;  // hold_from_hour(), handed to the Uploader before each step
    std::thread worker_;      // last: starts after everything above exists
};

}  // namespace pulse
