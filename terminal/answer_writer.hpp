// answer_writer.hpp — gets answers onto disk without ever blocking a frame.
// The UI submits answers; a writer commits them (on its own thread in the
// kiosk, inline in tests and the deterministic simulator) and reports back
// through poll(). An answer that cannot be written stays queued in memory and
// is retried until it is durable: nothing is ever dropped.
#pragma once

#include "terminal/answer_store.hpp"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pulse {

// What the writer reports to the UI thread.
struct WriteEvent {
    enum class Kind {
        durable,      // `count` answers are committed and fsync'ed
        failed,       // a write (or opening the database) failed; answers kept, retrying
        recovered,    // after a failure, the database is open and writable again
        moved_aside,  // a corrupt database was renamed to `message`; a fresh one started
        removed,      // remove(): `count` answers are gone from the file, and the file scrubbed
    };
    Kind kind = Kind::durable;
    int count = 0;          // durable: how many answers became durable
    int code = 0;           // failed: SQLite's result code (e.g. 13 = SQLITE_FULL), for IT
    std::string message;    // failed: the error (database path and SQLite's text);
                            // moved_aside: the new name of the corrupt file
};

class AnswerWriter {
public:
    virtual ~AnswerWriter() = default;

    // Queues one answer for writing. Never blocks on disk.
    virtual void submit(Answer answer) = 0;

    // Events since the last poll, oldest first. Never blocks on disk.
    virtual std::vector<WriteEvent> poll() = 0;

    // Removes the answers with these ids from the database, if they have not
    // been put in an upload batch (the undo of a session just ended: they
    // wait for their hour anyway), then scrubs the file (scrub_write_order)
    // so no page or WAL frame keeps them. Queued after the answers submitted
    // before it; a failure is retried like a write. Reports `removed` with
    // how many were removed. Never blocks on disk.
    virtual void remove(std::vector<std::string> ids) = 0;

    // Answers submitted but not yet durable.
    virtual int queued() const = 0;

    // Write attempts (opening the database included) that failed so far,
    // every retry counted: while `failed` is reported once per streak, this
    // keeps growing as long as the fault lasts. For tests and diagnostics; a
    // writer that does not count (a test double) says 0.
    virtual int failed_attempts() const { return 0; }
};

// Commits on the calling thread inside submit()/poll(): deterministic, for the
// simulator and tests. A failed write is retried on the next poll(). The
// write order is scrubbed (AnswerStore::scrub_write_order) after each commit.
std::unique_ptr<AnswerWriter> make_inline_writer(std::filesystem::path database);

// Commits on a background thread with its own connection. wake() is called
// (from that thread) after each event is queued, so the UI loop can wake up
// from its wait. A failure is retried every retry_ms until it succeeds. The
// destructor tries to write what is still queued for up to 2 s, then stops.
// Once no answer has come for scrub_after_ms (and once after start, and
// before exit) the write order is scrubbed from the file, off the UI thread.
std::unique_ptr<AnswerWriter> make_thread_writer(std::filesystem::path database,
                                                 std::function<void()> wake,
                                                 int retry_ms = 1000,
                                                 int scrub_after_ms = 10'000);

}  // namespace pulse
