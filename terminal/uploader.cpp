// uploader.cpp — the upload policy (Uploader) and its background thread
// (UploaderThread). See uploader.hpp and docs/protocol.md.
#include "terminal/uploader.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pulse {

namespace {

// A wait longer than this is taken as a clock that jumped back: attempt now.
constexpr UnixSeconds kLongestWait = 2 * kSecondsPerDay;

const char* verdict_name(UploadVerdict::Kind k) {
    switch (k) {
        case UploadVerdict::Kind::success: return "acknowledged";
        case UploadVerdict::Kind::transient: return "will retry";
        case UploadVerdict::Kind::split: return "too large: split in two";
        case UploadVerdict::Kind::set_aside: return "refused: set aside";
        case UploadVerdict::Kind::auth_rejected: return "token rejected: will retry";
    }
    return "?";
}

}  // namespace

// [SECTION] Uploader

Uploader::Uploader(AnswerStore& store, HttpClient& http, UploadSettings settings, Rng rng, UploadLog log)
    : store_(store), http_(http), settings_(std::move(settings)), rng_(std::move(rng)), log_(std::move(log)) {}

void Uploader::answers_added(std::int64_t count) { pending_hint_ += count; }

Uploader::Step Uploader::step(UnixSeconds now) {
    Step s;
    const bool full_batch_waiting = pending_hint_ >= settings_.batch_size;
    if (next_attempt_ > now + kLongestWait) next_attempt_ = now;
    if (now < next_attempt_ && !(full_batch_waiting && failures_ == 0)) {
        s.next_attempt = next_attempt_;
        s.pending = pending_hint_;
        return s;
    }

    // Once a day: forget answers the server has had for keep_uploaded_days.
    if (truncate_to_day(now) != last_purge_day_) {
        last_purge_day_ = truncate_to_day(now);
        const std::int64_t purged =
            store_.upload_queue().purge_uploaded_before(truncate_to_day(now) - settings_.keep_uploaded_days * kSecondsPerDay);
        if (purged > 0 && log_) {
            log_("deleted " + std::to_string(purged) + " answers uploaded more than " +
                 std::to_string(settings_.keep_uploaded_days) + " days ago");
        }
    }

    StoreStatus error;
    std::optional<UploadQueue::Batch> batch =
        store_.upload_queue().next_batch(settings_.batch_size, [this] { return uuid_v4(rng_); }, &error);
    if (!batch) {
        if (!error.ok()) {
            finish(s, now, false, std::nullopt, "cannot read the answers to upload: " + error.message, false);
            if (log_) log_("upload: " + error.message + "; next attempt " + format_iso_utc(next_attempt_));
            return s;
        }
        failures_ = 0;
        pending_hint_ = 0;
        next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(settings_.interval_s));
        store_.upload_queue().put_upload_fact("next_attempt", format_iso_utc(next_attempt_));
        s.next_attempt = next_attempt_;
        return s;
    }

    store_.upload_queue().count_attempt(batch->id);
    const std::size_t sent = batch->answers.size();
    HttpRequest request;
    request.url = settings_.endpoint + "/v1/batches";
    request.body = write_batch_body(settings_.terminal, settings_.workplace, batch->id, settings_.bank_version,
                              batch->answers, rng_);
    request.headers = {{"Content-Type", "application/json"},
                       {"Authorization", "Bearer " + settings_.token},
                       {"Idempotency-Key", batch->id}};
    if (gzip_if_it_pays(request.body)) request.headers.emplace_back("Content-Encoding", "gzip");

    const HttpResponse response = http_.post(request);
    const UploadVerdict verdict = classify_response(response, sent, now);
    s.attempted = true;

    switch (verdict.kind) {
        case UploadVerdict::Kind::success: {
            const StoreStatus marked = store_.upload_queue().mark_uploaded(batch->id, now);
            if (!marked) {
                // The server has them; a resend only counts duplicates.
                finish(s, now, false, std::nullopt, "acknowledged but not marked: " + marked.message, false);
                break;
            }
            s.success = true;
            finish(s, now, true, std::nullopt, "", false);
            break;
        }
        case UploadVerdict::Kind::transient:
            finish(s, now, false, verdict.retry_after_s, verdict.reason, false);
            break;
        case UploadVerdict::Kind::auth_rejected:
            finish(s, now, false, std::nullopt, verdict.reason, true);
            break;
        case UploadVerdict::Kind::split: {
            const StoreStatus split = store_.upload_queue().split_batch(batch->id, [this] { return uuid_v4(rng_); });
            if (!split) store_.upload_queue().set_aside(batch->id, "413 for a single answer: " + verdict.reason);
            next_attempt_ = now;  // send the halves at once
            s.next_attempt = now;
            break;
        }
        case UploadVerdict::Kind::set_aside:
            store_.upload_queue().set_aside(batch->id, verdict.reason);
            store_.upload_queue().put_upload_fact("last_error", verdict.reason);
            next_attempt_ = now;  // go on with the rest
            s.next_attempt = now;
            break;
    }
    s.pending = store_.upload_queue().count_pending_upload();
    pending_hint_ = std::max<std::int64_t>(0, s.pending);
    if (s.success && s.pending > 0) {  // drain what is pending before resting
        next_attempt_ = now;
        s.next_attempt = now;
    }
    store_.upload_queue().put_upload_fact("next_attempt", format_iso_utc(next_attempt_));

    if (log_) {
        std::string what = response.transport_failed()
                               ? "transport error " + std::to_string(response.transport_error) + " (" +
                                     response.transport_message + ")"
                               : "HTTP " + std::to_string(response.status);
        if (verdict.kind == UploadVerdict::Kind::success) {
            what += ", accepted " + std::to_string(verdict.accepted) + ", duplicates " +
                    std::to_string(verdict.duplicates);
        } else if (!verdict.reason.empty()) {
            what += ": " + verdict.reason;
        }
        log_("upload batch " + batch->id + " (" + std::to_string(sent) + " answers, attempt " +
             std::to_string(batch->attempts + 1) + "): " + what + " — " + verdict_name(verdict.kind) +
             "; next attempt " + format_iso_utc(next_attempt_));
    }
    return s;
}

void Uploader::finish(Step& s, UnixSeconds now, bool success, std::optional<double> retry_after_s,
                      const std::string& reason, bool token_rejected) {
    if (success) {
        failures_ = 0;
        next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(settings_.interval_s));
        store_.upload_queue().put_upload_fact("last_upload_ok", format_iso_utc(now));
        store_.upload_queue().put_upload_fact("last_error", "");
        store_.upload_queue().put_upload_fact("token_rejected", "false");
    } else if (token_rejected) {
        ++failures_;
        next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(settings_.backoff.max_s));
        store_.upload_queue().put_upload_fact("last_error", reason);
        store_.upload_queue().put_upload_fact("token_rejected", "true");
    } else {
        ++failures_;
        double delay = backoff_delay_s(failures_, settings_.backoff, rng_);
        if (retry_after_s) delay = std::max(delay, *retry_after_s);
        next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(delay));
        store_.upload_queue().put_upload_fact("last_error", reason);
    }
    s.next_attempt = next_attempt_;
}

// [SECTION] UploaderThread

UploaderThread::UploaderThread(std::filesystem::path database, HttpFactory make_http, UploadSettings settings,
                               UploadLog log)
    : database_(std::move(database)),
      make_http_(std::move(make_http)),
      settings_(std::move(settings)),
      log_(std::move(log)) {
    worker_ = std::thread([this] { run(); });
}

UploaderThread::~UploaderThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;  // abandons a request in flight
    wakeup_.notify_all();
    worker_.join();
}

void UploaderThread::notify(std::int64_t count) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        added_ += count;
        wake = added_ >= settings_.batch_size;
    }
    if (wake) wakeup_.notify_one();
}

void UploaderThread::run() {
    using std::chrono::system_clock;
    auto wall_now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
    };
    std::unique_ptr<AnswerStore> store;
    std::unique_lock lock(mutex_);
    while (!stopping_ && !store) {
        lock.unlock();
        StoreStatus status;
        store = AnswerStore::open(database_, &status);
        lock.lock();
        if (!store) {
            if (log_) log_("upload: cannot open the database, retrying in 30 s: " + status.message);
            wakeup_.wait_for(lock, std::chrono::seconds(30), [this] { return stopping_; });
        }
    }
    if (!store) return;
    std::unique_ptr<HttpClient> http = make_http_(&cancel_);
    Uploader uploader(*store, *http, settings_, make_os_seeded_rng(), log_);
    while (!stopping_) {
        uploader.answers_added(std::exchange(added_, 0));
        lock.unlock();
        const Uploader::Step step = uploader.step(wall_now());
        lock.lock();
        if (stopping_) break;
        if (step.next_attempt <= wall_now()) continue;
        // Sleep until the next attempt, or until a full batch is waiting.
        wakeup_.wait_until(lock, system_clock::time_point(std::chrono::seconds(step.next_attempt)), [&] {
            return stopping_ || (added_ + step.pending >= settings_.batch_size && uploader.consecutive_failures() == 0);
        });
    }
}

}  // namespace pulse
