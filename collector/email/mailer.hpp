// mailer.hpp — the weekly e-mail, acted on: run_due_emails is one step on
// injected time (claim the due week of each workplace in the store's ledger,
// build the summary like `report`, send, record the outcome, log one line per
// attempt); MailerThread runs those steps in the background for `serve`;
// send_summary_email is the one-off send of `pulse-collector email`.
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "collector/email/smtp_sender.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace pulse {

// One log line, without a newline. Called from the mailer's thread.
using MailLog = std::function<void(const std::string&)>;

// How long a claim holds a week's e-mail against other instances: longer than
// one send can take (60 s), so a crashed instance's claim frees up after it.
constexpr UnixSeconds kEmailLease_s = 600;
// After the ledger itself cannot be read or written, look again this much later.
constexpr UnixSeconds kEmailStoreRetry_s = 60;

// What one step did.
struct MailerStep {
    int sent = 0;                // e-mails accepted by the server
    int failed = 0;              // attempts that failed (each logged and recorded)
    UnixSeconds next_check = 0;  // when a step may next have something to do (> now)
};

// The summary of workplace for week, made exactly as run_report makes it:
// the week's sealed summary (publication.hpp: published_summary, answers of
// every bank version), in the e-mail's language; then the whole message in
// the words of the config's summary texts to the workplace's managers
// (CollectorConfig::managers_of), dated now, with the CSV attached and, when
// the config has [web], a link to the week's page (week_page_url). `unique` as for
// build_email_message. Requires config.email and a manager of workplace. nullopt with *error
// set when the store cannot be read (never a summary of nothing).
std::optional<std::string> make_summary_email(const CollectorConfig& config, CollectorStore& store,
                                              const std::string& workplace, IsoWeek week, UnixSeconds now,
                                              const std::string& unique, std::string* error);

// Letters and digits, different for every call (from the OS CSPRNG; from the
// time and a counter should that fail): for Message-IDs and MIME boundaries.
std::string unique_message_token();

// One step at `now` for every workplace with a manager (its recipients): when its
// due week (due_email) is neither sent nor held, claims it in the store
// (kEmailLease_s), sends it and records the outcome: sent, or failed with the
// error and a next attempt at now + email_retry_delay_s(attempts). Logs one
// line per attempt ("email: wp-a 2026-W48 sent to 2 recipients" / "email:
// wp-a 2026-W48 attempt 3 failed: <reason>; next try <UTC>"), a line when a
// week still unsent is superseded by the next, and a line when the store
// fails (then that workplace is looked at again kEmailStoreRetry_s later).
// Never logs a password, a token or an answer. Without config.email it does
// nothing and next_check is a day later.
MailerStep run_due_emails(const CollectorConfig& config, CollectorStore& store, MailSender& sender, UnixSeconds now,
                          const MailLog& log);

// `pulse-collector email`: sends the summary of `week` for `workplace` now,
// whatever the ledger says and without touching it (a test or a resend by
// IT). Logs one line like run_due_emails. Returns the sender's result.
// Requires config.email and a manager of workplace.
SendResult send_summary_email(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                              const std::string& workplace, IsoWeek week, UnixSeconds now, const MailLog& log);

// run_due_emails in the background: a step at start, then sleeps until the
// step's next_check, a wake() or a stop(), whichever is first, but never
// longer than max_sleep_ms (so a clock that jumps, or a test's fake clock, is
// noticed). The store must be safe for use from this thread alongside others.
class MailerThread {
public:
    MailerThread(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                 std::function<UnixSeconds()> clock, MailLog log, int max_sleep_ms = 60'000);
    ~MailerThread();  // stop()
    MailerThread(const MailerThread&) = delete;
    MailerThread& operator=(const MailerThread&) = delete;

    void start();  // starts the thread; no-op if running
    void stop();   // asks it to stop and joins it (a send in progress finishes first, at most 60 s); idempotent
    void wake();   // makes it run a step now (e.g. after a test moved its clock)
    int steps() const;  // steps run so far

private:
    void run();

    const CollectorConfig& config_;
    CollectorStore& store_;
    MailSender& sender_;
    std::function<UnixSeconds()> clock_;
    MailLog log_;
    int max_sleep_ms_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    int steps_ = 0;
    std::thread thread_;
};

}  // namespace pulse
