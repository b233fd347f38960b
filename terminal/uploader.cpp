// uploader.cpp — the upload policy (Uploader) and its background thread
// (UploaderThread). See uploader.hpp and docs/protocol.md.
#include "terminal/uploader.hpp"

#include <algorithm>
#include <cassert>
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

UnixSeconds system_clock_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// [SECTION] Uploader

Uploader::Uploader(AnswerStore& store, HttpClient& http, UploadSettings settings, Rng rng, UploadLog log,
                   IdSource new_id, WallClock clock)
    : store_(&store),
      http_(http),
      settings_(std::move(settings)),
      rng_(std::move(rng)),
      log_(std::move(log)),
      new_id_(std::move(new_id)),
      clock_(std::move(clock)) {
    assert(clock_ && "The uploader needs a wall clock: pass system_clock_s, or a fake in tests.");
    // Drawn once: each terminal keeps its own minute after the hour, so the
    // municipality's terminals spread over the window instead of all calling
    // at HH:00, and the collector's clock has long passed the hour's end too.
    after_hour_s_ = settings_.after_hour_s
                        ? *settings_.after_hour_s
                        : std::uniform_int_distribution<UnixSeconds>(kAfterHourMin_s, kAfterHourMax_s)(rng_);
    assert(after_hour_s_ >= 0 && after_hour_s_ < kSecondsPerHour &&
           "after_hour_s must be 0..3599: an hour's answers go before the next hour ends");
}

UnixSeconds Uploader::next_hour_attempt(UnixSeconds now) {
    const UnixSeconds running = truncate_to_hour(now);
    // An ended hour held back for an open undo window: look again shortly, not after the next hour.
    if (held_from_hour_ && *held_from_hour_ < running) return now + kHoldRecheck_s;
    const UnixSeconds after_running = running + kSecondsPerHour + after_hour_s_;
    if (now >= running + after_hour_s_) return after_running;
    // The hour that just ended is not due yet: wake for it only if it has answers.
    UploadQueue& queue = store_->upload_queue();
    const std::int64_t last_hour = queue.count_pending_from_hour(running - kSecondsPerHour) -
                                   queue.count_pending_from_hour(running);
    return last_hour != 0 ? running + after_hour_s_ : after_running;
}

std::int64_t Uploader::count_pending(Step& s, UnixSeconds now) {
    const std::int64_t all = store_->upload_queue().count_pending_upload();
    s.waiting_for_hour_end = store_->upload_queue().count_waiting_for_hour_end(now);
    s.pending = all < 0 || s.waiting_for_hour_end < 0 ? -1 : all - s.waiting_for_hour_end;
    return all;
}

Uploader::Step Uploader::step(UnixSeconds now) {
    Step s;
    if (next_attempt_ > now + kLongestWait) next_attempt_ = now;
    if (now < next_attempt_) {
        s.next_attempt = next_attempt_;
        return s;
    }

    // Never work on a file the writer has moved aside: its answers are kept
    // there for IT, and new ones go to the fresh file at the path.
    StoreStatus reopen_error;
    if (!follow_replaced_file(&reopen_error)) {
        // Nothing is written to the old file: it is no longer the database.
        ++failures_;
        back_off(now, std::nullopt);
        s.next_attempt = next_attempt_;
        if (log_) {
            log_("upload: the database file was replaced and cannot be opened again: " + reopen_error.message +
                 "; next attempt " + format_iso_utc(next_attempt_));
        }
        return s;
    }

    // Once a day: forget answers the server has had for keep_uploaded_days.
    if (truncate_to_day(now) != last_purge_day_) {
        last_purge_day_ = truncate_to_day(now);
        const std::int64_t purged =
            store_->upload_queue().purge_uploaded_before(truncate_to_day(now) - settings_.keep_uploaded_days * kSecondsPerDay);
        if (purged > 0 && log_) {
            log_("deleted the answers uploaded more than " + std::to_string(settings_.keep_uploaded_days) +
                 " days ago");
        }
    }

    // Hours that ended at least after_hour_s ago (any ended hour after
    // upload_now()); never the running hour.
    UnixSeconds hour_before = truncate_to_hour(now - (now_requested_ ? 0 : after_hour_s_));
    if (held_from_hour_) hour_before = std::min(hour_before, *held_from_hour_);  // the undo window
    now_requested_ = false;
    std::string id_error;
    const auto new_id = [this, &id_error] { return new_id_(&id_error); };
    StoreStatus error;
    std::optional<UploadQueue::Batch> batch =
        store_->upload_queue().next_batch(settings_.batch_size, hour_before, new_id, &error);
    if (!batch) {
        if (!error.ok()) {
            const std::string reason =
                "cannot form the next batch: " + error.message + (id_error.empty() ? "" : ": " + id_error);
            finish(s, now, false, std::nullopt, reason, false);
            if (log_) log_("upload: " + reason + "; next attempt " + format_iso_utc(next_attempt_));
            count_pending(s, now);
            return s;
        }
        failures_ = 0;
        next_attempt_ = next_hour_attempt(now);
        store_->upload_queue().put_upload_fact("next_attempt", format_iso_utc(next_attempt_));
        s.next_attempt = next_attempt_;
        count_pending(s, now);
        return s;
    }

    store_->upload_queue().count_attempt(batch->id);
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
    note_clock_offset(response);
    const UploadVerdict verdict = classify_response(response, sent, now);
    s.attempted = true;
    std::string outcome = verdict_name(verdict.kind);  // for the log line; changed below when a store step failed

    switch (verdict.kind) {
        case UploadVerdict::Kind::success: {
            const StoreStatus marked = store_->upload_queue().mark_uploaded(batch->id, now);
            if (!marked) {
                // The server has them; a resend only counts duplicates.
                finish(s, now, false, std::nullopt, "acknowledged but not marked: " + marked.message, false);
                outcome = "acknowledged, but not marked uploaded (" + marked.message + "): will resend";
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
            if (sent < 2) {
                store_->upload_queue().set_aside(batch->id, "413 for a single answer: " + verdict.reason);
                next_attempt_ = now;  // go on with the rest
                s.next_attempt = now;
                break;
            }
            const StoreStatus split = store_->upload_queue().split_batch(batch->id, new_id);
            if (!split) {  // kept whole and pending (never set aside), resent later; split again then
                const std::string reason =
                    "cannot split the batch: " + split.message + (id_error.empty() ? "" : ": " + id_error);
                finish(s, now, false, std::nullopt, reason, false);
                outcome = "too large, and " + reason + ": kept whole, will retry";
                break;
            }
            next_attempt_ = now;  // send the halves at once
            s.next_attempt = now;
            break;
        }
        case UploadVerdict::Kind::set_aside:
            store_->upload_queue().set_aside(batch->id, verdict.reason);
            store_->upload_queue().put_upload_fact("last_error", verdict.reason);
            next_attempt_ = now;  // go on with the rest
            s.next_attempt = now;
            break;
    }
    const std::int64_t all = count_pending(s, now);
    if (s.success) {
        // Drain what is due before resting; else wait for the next hour.
        const std::int64_t not_due = hour_before == truncate_to_hour(now)
                                         ? s.waiting_for_hour_end
                                         : store_->upload_queue().count_pending_from_hour(hour_before);
        const bool due_left = all < 0 || not_due < 0 || all > not_due;
        next_attempt_ = due_left ? now : next_hour_attempt(now);
        s.next_attempt = next_attempt_;
    }
    store_->upload_queue().put_upload_fact("next_attempt", format_iso_utc(next_attempt_));

    if (log_) {
        std::string what = response.transport_failed()
                               ? "transport error " + std::to_string(response.transport_error) + " (" +
                                     response.transport_message + ")"
                               : "HTTP " + std::to_string(response.status);
        if (verdict.kind != UploadVerdict::Kind::success && !verdict.reason.empty()) what += ": " + verdict.reason;
        log_("upload batch " + batch->id + " (attempt " + std::to_string(batch->attempts + 1) + "): " + what +
             " — " + outcome + "; next attempt " + format_iso_utc(next_attempt_));
    }
    return s;
}

void Uploader::finish(Step& s, UnixSeconds now, bool success, std::optional<double> retry_after_s,
                      const std::string& reason, bool token_rejected) {
    if (success) {
        failures_ = 0;  // step() sets the next attempt: drain, or the next hour
        store_->upload_queue().put_upload_fact("last_upload_ok", format_iso_utc(now));
        store_->upload_queue().put_upload_fact("last_error", "");
        store_->upload_queue().put_upload_fact("token_rejected", "false");
    } else if (token_rejected) {
        ++failures_;
        next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(settings_.backoff.max_s));
        store_->upload_queue().put_upload_fact("last_error", reason);
        store_->upload_queue().put_upload_fact("token_rejected", "true");
    } else {
        ++failures_;
        back_off(now, retry_after_s);
        store_->upload_queue().put_upload_fact("last_error", reason);
    }
    s.next_attempt = next_attempt_;
}

void Uploader::back_off(UnixSeconds now, std::optional<double> retry_after_s) {
    double delay = backoff_delay_s(failures_, settings_.backoff, rng_);
    if (retry_after_s) delay = std::max(delay, *retry_after_s);
    next_attempt_ = now + static_cast<UnixSeconds>(std::ceil(delay));
}

bool Uploader::follow_replaced_file(StoreStatus* error) {
    if (!store_->file_moved()) return true;
    std::filesystem::path moved_aside;
    std::unique_ptr<AnswerStore> fresh = AnswerStore::open(store_->path(), error, &moved_aside);
    if (!fresh) return false;
    if (log_) {
        log_("upload: the database file " + store_->path().string() +
             " was replaced (moved aside as corrupt?); opened the file now there, and uploads from it");
        if (!moved_aside.empty()) {
            log_("upload: the database was corrupt: moved aside to " + moved_aside.string() + "; started a fresh one");
        }
    }
    reopened_ = std::move(fresh);  // the file reopened before (if any) is closed here
    store_ = reopened_.get();
    stored_clock_offset_s_.reset();  // the fresh file has no upload facts yet
    return true;
}

void Uploader::note_clock_offset(const HttpResponse& response) {
    const std::optional<UnixSeconds> offset = measure_clock_offset_s(response, clock_());
    if (!offset) return;
    clock_offset_s_ = offset;
    if (offset != stored_clock_offset_s_ &&
        store_->upload_queue().put_upload_fact("clock_offset_s", std::to_string(*offset)).ok()) {
        stored_clock_offset_s_ = offset;
    }
    if (std::optional<std::string> line = clock_watch_.observe(*offset); line && log_) log_(*line);
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

void Uploader::upload_now() {
    next_attempt_ = 0;
    now_requested_ = true;
}

void UploaderThread::upload_now() {
    {
        std::lock_guard lock(mutex_);
        upload_now_ = true;
    }
    wakeup_.notify_all();
}

void UploaderThread::hold_from_hour(std::optional<UnixSeconds> hour) {
    std::lock_guard lock(mutex_);
    held_from_hour_ = hour;
}

void UploaderThread::run() {
    using std::chrono::system_clock;
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
    // The seeded generator only jitters and shuffles (backoff, the offset
    // after the hour, the order in a body; ids come from the kernel), seeded
    // from the OS so that each terminal draws its own offset.
    // It follows the database file if the answer writer replaces it (step()).
    Uploader uploader(*store, *http, settings_, make_os_seeded_rng(), log_);
    while (!stopping_) {
        if (upload_now_) uploader.upload_now();
        upload_now_ = false;
        uploader.hold_from_hour(held_from_hour_);
        lock.unlock();
        const Uploader::Step step = uploader.step(system_clock_s());
        lock.lock();
        if (stopping_) break;
        if (step.next_attempt <= system_clock_s() || upload_now_) continue;
        // Sleep until the next attempt (a retry, or the next hour's turn), or
        // until the admin panel asks for an upload now.
        wakeup_.wait_until(lock, system_clock::time_point(std::chrono::seconds(step.next_attempt)),
                           [this] { return stopping_ || upload_now_; });
    }
}

}  // namespace pulse
