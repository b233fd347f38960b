// answer_writer.cpp — the inline writer (commits on the caller's thread) and
// the thread writer (commits on its own thread with its own connection). Both
// share Committer, which opens the store, commits a batch and turns outcomes
// into WriteEvents. Neither ever drops an answer. See answer_writer.hpp.
#include "terminal/answer_writer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <utility>

namespace pulse {

namespace {

// [SECTION] Committer: what both writers do with one batch

class Committer {
public:
    explicit Committer(std::filesystem::path database) : database_(std::move(database)) {}

    bool is_open() const { return store_ != nullptr; }

    // Opens the store if needed and commits batch (which may be empty) in one
    // transaction. Returns true when every answer in batch is durable. Appends
    // to events: moved_aside when open() moved a corrupt file; failed at the
    // start of a failure streak (or when the error code changes within one);
    // recovered when a streak ends; durable with the count. If another
    // connection (the uploader's, `status`) moved the file aside, the batch
    // goes to the fresh file at the path, never to the moved one.
    bool write(const std::vector<Answer>& batch, std::vector<WriteEvent>& events) {
        if (store_ && store_->file_moved()) store_.reset();
        if (!store_) {
            StoreStatus status;
            std::filesystem::path moved_to;
            store_ = AnswerStore::open(database_, &status, &moved_to);
            if (!moved_to.empty()) {
                events.push_back({WriteEvent::Kind::moved_aside, 0, 0, moved_to.string()});
            }
            if (!store_) {
                report_failure(status, events);
                return false;
            }
        }
        if (!batch.empty()) {
            StoreStatus status = store_->insert(batch);
            if (!status) {
                report_failure(status, events);
                // A full disk or a busy database passes; anything else (the file
                // vanished, became corrupt, ...) gets a fresh connection next time,
                // whose open() moves a corrupt file aside.
                int code = status.sqlite_code;
                if (code != SQLITE_FULL && code != SQLITE_BUSY && code != SQLITE_LOCKED) store_.reset();
                return false;
            }
        }
        if (failing_) {
            events.push_back({WriteEvent::Kind::recovered, 0, 0, ""});
            failing_ = false;
            failing_code_ = 0;
        }
        if (!batch.empty()) {
            events.push_back({WriteEvent::Kind::durable, static_cast<int>(batch.size()), 0, ""});
        }
        return true;
    }

    // Opens the store if needed and removes the ids (AnswerStore::remove_unsent)
    // in one transaction. Returns true when done, with a `removed` event (and
    // `recovered` after a failure streak); false with failed as write() does.
    // The caller scrubs the file next.
    bool remove(const std::vector<std::string>& ids, std::vector<WriteEvent>& events) {
        if (!write({}, events)) return false;
        int removed = 0;
        StoreStatus status = store_->remove_unsent(ids, &removed);
        if (!status) {
            report_failure(status, events);
            const int code = status.sqlite_code;
            if (code != SQLITE_FULL && code != SQLITE_BUSY && code != SQLITE_LOCKED) store_.reset();
            return false;
        }
        if (failing_) {
            events.push_back({WriteEvent::Kind::recovered, 0, 0, ""});
            failing_ = false;
            failing_code_ = 0;
        }
        events.push_back({WriteEvent::Kind::removed, removed, 0, ""});
        return true;
    }

    // Rebuilds the file so it holds no trace of write order (see
    // AnswerStore::scrub_write_order). Returns false if it could not (retry
    // later); a moved-aside file is left as it is, and the store closed so
    // that the next write() opens the file now at the path.
    bool scrub() {
        if (store_ && store_->file_moved()) store_.reset();
        return store_ && store_->scrub_write_order().ok();
    }

    const std::string& last_failure() const { return last_failure_; }
    int failed_attempts() const { return failed_attempts_; }

private:
    void report_failure(const StoreStatus& status, std::vector<WriteEvent>& events) {
        last_failure_ = status.message;
        ++failed_attempts_;
        if (failing_ && failing_code_ == status.sqlite_code) return;  // same streak, already reported
        failing_ = true;
        failing_code_ = status.sqlite_code;
        events.push_back({WriteEvent::Kind::failed, 0, status.sqlite_code, status.message});
    }

    std::filesystem::path database_;
    std::unique_ptr<AnswerStore> store_;  // null until open() succeeds
    bool failing_ = false;                // in a failure streak (failed reported, recovered not yet)
    int failing_code_ = 0;                // SQLite code reported for the current streak
    std::string last_failure_;            // the latest error, reported or not
    int failed_attempts_ = 0;             // every failed write() so far
};

void check_answer(const Answer& a) {
    assert(!a.id.empty() && "An answer needs an id: use random_uuid_v4().");
    assert((!a.value || (*a.value >= 1 && *a.value <= 5)) &&
           "An answer's value is 1..5 or nullopt (\"don't know\"); the store would refuse it forever.");
    (void)a;
}

// [SECTION] Inline writer

class InlineWriter final : public AnswerWriter {
public:
    explicit InlineWriter(std::filesystem::path database) : committer_(std::move(database)) {
        committer_.write({}, events_);  // open now, so a moved-aside or unwritable file shows at once
    }

    void submit(Answer answer) override {
        check_answer(answer);
        queue_.push_back(std::move(answer));
        write_queue();
    }

    std::vector<WriteEvent> poll() override {
        if (!queue_.empty() || !committer_.is_open()) write_queue();
        if (queue_.empty() && !removals_.empty()) remove_now();
        return std::exchange(events_, {});
    }

    void remove(std::vector<std::string> ids) override {
        removals_.insert(removals_.end(), ids.begin(), ids.end());
        if (queue_.empty()) remove_now();
    }

    int queued() const override { return static_cast<int>(queue_.size()); }

    int failed_attempts() const override { return committer_.failed_attempts(); }

private:
    // Inline, the write order is scrubbed at once after every commit.
    void write_queue() {
        std::vector<Answer> batch(queue_.begin(), queue_.end());
        if (committer_.write(batch, events_)) {
            queue_.clear();
            if (!batch.empty()) committer_.scrub();
        }
    }

    // Removes what remove() asked for, then scrubs; on failure keeps it for the next poll().
    void remove_now() {
        if (committer_.remove(removals_, events_)) {
            removals_.clear();
            committer_.scrub();
        }
    }

    Committer committer_;
    std::vector<Answer> queue_;        // not yet durable, oldest first
    std::vector<std::string> removals_;  // ids to remove once the queue is written
    std::vector<WriteEvent> events_;   // since the last poll()
};

// [SECTION] Thread writer

class ThreadWriter final : public AnswerWriter {
public:
    ThreadWriter(std::filesystem::path database, std::function<void()> wake, int retry_ms, int scrub_after_ms)
        : database_(std::move(database)),
          wake_(std::move(wake)),
          retry_(std::chrono::milliseconds(retry_ms)),
          scrub_after_(std::chrono::milliseconds(scrub_after_ms)) {
        assert(retry_ms > 0 && "retry_ms must be positive: the writer retries failed writes on that period.");
        worker_ = std::thread([this] { run(); });
    }

    // Gives the worker up to kFlushOnExit to write what is queued, then stops.
    // An attempt already in progress is finished (SQLite's busy timeout bounds it).
    ~ThreadWriter() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            stop_deadline_ = std::chrono::steady_clock::now() + kFlushOnExit;
        }
        wakeup_.notify_all();
        worker_.join();
        if (!queue_.empty()) {
            // The last place this can be said: these answers exist only in memory.
            std::fprintf(stderr, "pulse: %zu answer(s) could not be written to %s before exit: %s\n",
                         queue_.size(), database_.c_str(), last_failure_.c_str());
        }
        if (!removals_.empty()) {
            std::fprintf(stderr, "pulse: an undone session could not be removed from %s before exit: %s\n",
                         database_.c_str(), last_failure_.c_str());
        }
    }

    void submit(Answer answer) override {
        check_answer(answer);
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(answer));
        }
        wakeup_.notify_one();
    }

    std::vector<WriteEvent> poll() override {
        std::lock_guard lock(mutex_);
        return std::exchange(events_, {});
    }

    void remove(std::vector<std::string> ids) override {
        {
            std::lock_guard lock(mutex_);
            removals_.insert(removals_.end(), ids.begin(), ids.end());
        }
        wakeup_.notify_one();
    }

    int queued() const override {
        std::lock_guard lock(mutex_);
        return static_cast<int>(queue_.size());
    }

    int failed_attempts() const override {
        std::lock_guard lock(mutex_);
        return failed_attempts_;
    }

private:
    static constexpr std::chrono::seconds kFlushOnExit{2};

    // The worker: the store lives and dies on this thread. The lock is never
    // held during disk I/O, so submit() and poll() never wait for the disk.
    //
    // After writes, once nobody has answered for scrub_after_ (the person has
    // walked away), the file is rebuilt so it keeps no write order; also once
    // after start (a crash may have left order behind) and before exit.
    void run() {
        Committer committer(database_);
        std::unique_lock lock(mutex_);
        bool scrub_pending = true;
        auto scrub_due = std::chrono::steady_clock::now() + scrub_after_;
        auto scrub = [&] {
            lock.unlock();
            const bool done = committer.scrub();
            lock.lock();
            if (done) scrub_pending = false;
            else scrub_due = std::chrono::steady_clock::now() + scrub_after_;
        };
        const auto work = [&] { return stopping_ || !queue_.empty() || !removals_.empty(); };
        while (true) {
            if (stopping_ && queue_.empty() && removals_.empty()) {
                if (scrub_pending && committer.is_open()) scrub();
                break;
            }
            if (queue_.empty() && removals_.empty() && committer.is_open()) {
                if (!scrub_pending) {
                    wakeup_.wait(lock, work);
                } else if (!wakeup_.wait_until(lock, scrub_due, work)) {
                    scrub();  // quiet for scrub_after_: nobody is mid-session any more
                }
                continue;
            }

            bool written = false;
            std::vector<WriteEvent> events;
            if (queue_.empty() && !removals_.empty()) {
                // An undo: the ids leave the list once removed; the file is
                // scrubbed at once (the person has seen "removed").
                std::vector<std::string> ids(removals_.begin(), removals_.end());
                lock.unlock();
                written = committer.remove(ids, events);
                lock.lock();
                if (written) {
                    removals_.erase(removals_.begin(), removals_.begin() + static_cast<std::ptrdiff_t>(ids.size()));
                    scrub_pending = true;
                    scrub_due = std::chrono::steady_clock::now();
                }
            } else {
                // Everything queued goes in one transaction; it leaves the queue
                // only once durable, so a failure keeps it at the front.
                std::vector<Answer> batch(queue_.begin(), queue_.end());
                lock.unlock();
                written = committer.write(batch, events);
                lock.lock();
                if (written) queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(batch.size()));
                if (written && !batch.empty()) {
                    scrub_pending = true;
                    scrub_due = std::chrono::steady_clock::now() + scrub_after_;
                }
            }
            last_failure_ = committer.last_failure();
            failed_attempts_ = committer.failed_attempts();
            publish(lock, events);
            if (written) continue;

            auto now = std::chrono::steady_clock::now();
            if (stopping_ && now >= stop_deadline_) break;
            if (!stopping_) {
                // Retry after retry_; the destructor cuts the wait short to flush.
                wakeup_.wait_until(lock, now + retry_, [&] { return stopping_; });
            } else {
                auto until = std::min(now + retry_, stop_deadline_);
                wakeup_.wait_until(lock, until, [&] { return std::chrono::steady_clock::now() >= until; });
            }
        }
    }

    // Queues events for poll(), calling wake_ (without the lock) after each.
    void publish(std::unique_lock<std::mutex>& lock, std::vector<WriteEvent>& events) {
        for (WriteEvent& event : events) {
            events_.push_back(std::move(event));
            if (!wake_) continue;
            lock.unlock();
            wake_();
            lock.lock();
        }
    }

    const std::filesystem::path database_;
    const std::function<void()> wake_;
    const std::chrono::milliseconds retry_;
    const std::chrono::milliseconds scrub_after_;  // quiet time before the write order is scrubbed

    mutable std::mutex mutex_;              // guards everything below
    std::condition_variable wakeup_;        // answers queued, or stopping
    std::deque<Answer> queue_;              // not yet durable, oldest first
    std::vector<std::string> removals_;     // ids remove() asked for, not yet removed
    std::vector<WriteEvent> events_;        // since the last poll()
    std::string last_failure_;              // latest error, for the exit message
    int failed_attempts_ = 0;               // the committer's count, for failed_attempts()
    bool stopping_ = false;                 // the destructor is waiting
    std::chrono::steady_clock::time_point stop_deadline_;  // give up flushing after this
    std::thread worker_;                    // last: starts after everything above exists
};

}  // namespace

std::unique_ptr<AnswerWriter> make_inline_writer(std::filesystem::path database) {
    return std::make_unique<InlineWriter>(std::move(database));
}

std::unique_ptr<AnswerWriter> make_thread_writer(std::filesystem::path database,
                                                 std::function<void()> wake, int retry_ms, int scrub_after_ms) {
    return std::make_unique<ThreadWriter>(std::move(database), std::move(wake), retry_ms, scrub_after_ms);
}

}  // namespace pulse
