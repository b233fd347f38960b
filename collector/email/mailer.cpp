// mailer.cpp — the weekly e-mail's steps: for each workplace, the due week
// from email_policy, the claim and outcome in the store's ledger (so a
// restart or a second instance never sends twice), the send, the log line.
#include "collector/email/mailer.hpp"

#include "collector/email/email_message.hpp"
#include "collector/email/email_policy.hpp"
#include "collector/publication.hpp"
#include "collector/tokens.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>

namespace pulse {
namespace {

constexpr UnixSeconds kNoEmailRecheck_s = 86400;

std::string label(const std::string& workplace, IsoWeek week) {
    return "email: " + workplace + " " + week.str();
}

std::string recipients_text(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " recipient" : " recipients");
}

// A week left unsent when the next one became due is said so once: at the
// first attempt of the next week.
void log_if_superseded(CollectorStore& store, const std::string& workplace, IsoWeek due_week, const MailLog& log) {
    const IsoWeek before = previous_week(due_week);
    const std::optional<EmailRecord> old = store.email_record(workplace, before);
    if (!old || old->sent) return;
    log(label(workplace, before) + " was never sent (" + std::to_string(old->attempts) + " attempts, last error: " +
        (old->last_error.empty() ? "none recorded" : old->last_error) + "); superseded by " + due_week.str() +
        ", which is sent instead");
}

}  // namespace

std::string unique_message_token() {
    static std::atomic<unsigned> counter{0};
    std::string token;
    if (std::optional<std::string> random = new_token()) {
        for (char c : *random) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) token += c;
        }
    }
    const auto ns = std::chrono::system_clock::now().time_since_epoch().count();
    return token + "t" + std::to_string(ns) + "n" + std::to_string(counter++);
}

std::optional<std::string> make_summary_email(const CollectorConfig& config, CollectorStore& store,
                                              const std::string& workplace, IsoWeek week, UnixSeconds now,
                                              const std::string& unique, std::string* error) {
    assert(config.email && !config.managers_of(workplace).empty() && !config.banks.empty() &&
           "make_summary_email needs [email] and a manager of the workplace");
    const EmailConfig& email = *config.email;
    const PublishedSummary published = published_summary(store, config, workplace, week, email.language, now);
    if (published.status != PublishedSummary::Status::ok) {
        if (error) {
            *error = (published.status == PublishedSummary::Status::store_error ? "cannot read the answers: "
                                                                                : "no published summary: ") +
                     published.message;
        }
        return std::nullopt;
    }
    const Summary& summary = published.summary;
    const std::string week_url =
        config.web ? week_page_url(config.web->base_url, workplace, week, summary.language) : "";
    return build_email_message(summary, config.summary_texts, email.sender, config.managers_of(workplace), now, unique,
                               week_url);
}

MailerStep run_due_emails(const CollectorConfig& config, CollectorStore& store, MailSender& sender, UnixSeconds now,
                          const MailLog& log) {
    MailerStep step;
    step.next_check = now + kNoEmailRecheck_s;
    if (!config.email) return step;
    const EmailConfig& email = *config.email;
    const DueEmail due = due_email(email.schedule, now);
    step.next_check = due.superseded_at;

    for (const std::string& workplace : config.managed_workplaces()) {
        const std::vector<std::string> recipients = config.managers_of(workplace);
        const std::string what = label(workplace, due.week);
        UnixSeconds next = due.superseded_at;

        // Sent, or held by another instance (or waiting to retry): nothing now.
        std::optional<EmailRecord> record = store.email_record(workplace, due.week);
        if (record && (record->sent || record->next_attempt > now)) {
            if (!record->sent) next = std::min(next, record->next_attempt);
            step.next_check = std::min(step.next_check, next);
            continue;
        }
        std::string error;
        const int attempts = store.claim_email(workplace, due.week, now, kEmailLease_s, &error);
        if (attempts == 0) {
            if (!error.empty()) {
                next = now + kEmailStoreRetry_s;
                log(what + " cannot be claimed in the ledger: " + error + "; next look " + format_iso_utc(next));
            } else if ((record = store.email_record(workplace, due.week)) && !record->sent) {
                next = std::min(next, record->next_attempt);  // another instance took it just now
            }
            step.next_check = std::min(step.next_check, next);
            continue;
        }
        if (attempts == 1) log_if_superseded(store, workplace, due.week, log);

        SendResult result;
        const std::optional<std::string> message =
            make_summary_email(config, store, workplace, due.week, now, unique_message_token(), &result.error);
        if (message) result = sender.send(email.sender.address, recipients, *message);
        if (result.ok) {
            ++step.sent;
            log(what + " sent to " + recipients_text(recipients.size()));
            if (!store.finish_email(workplace, due.week, attempts, true, "", now, &error)) {
                log(what + " was sent, but the ledger could not record it (" + error + "); it may be sent again after " +
                    format_iso_utc(now + kEmailLease_s));
                next = std::min(next, now + kEmailLease_s);
            }
        } else {
            ++step.failed;
            const std::string reason = result.error.empty() ? "no reason given" : result.error;
            const UnixSeconds retry_at = now + email_retry_delay_s(attempts);
            next = std::min(next, retry_at);
            log(what + " attempt " + std::to_string(attempts) + " failed: " + reason + "; next try " +
                format_iso_utc(retry_at));
            if (!store.finish_email(workplace, due.week, attempts, false, reason, retry_at, &error)) {
                log(what + " failure could not be recorded in the ledger (" + error + "); next try after " +
                    format_iso_utc(now + kEmailLease_s));
                next = std::min(due.superseded_at, now + kEmailLease_s);  // the claim holds until then
            }
        }
        step.next_check = std::min(step.next_check, next);
    }
    return step;
}

SendResult send_summary_email(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                              const std::string& workplace, IsoWeek week, UnixSeconds now, const MailLog& log) {
    const std::vector<std::string> recipients = config.managers_of(workplace);
    SendResult result;
    const std::optional<std::string> message =
        make_summary_email(config, store, workplace, week, now, unique_message_token(), &result.error);
    if (message) result = sender.send(config.email->sender.address, recipients, *message);
    if (result.ok) log(label(workplace, week) + " sent to " + recipients_text(recipients.size()) + " (by hand)");
    else log(label(workplace, week) + " failed: " + (result.error.empty() ? "no reason given" : result.error));
    return result;
}

// [SECTION] MailerThread

MailerThread::MailerThread(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                           std::function<UnixSeconds()> clock, MailLog log, int max_sleep_ms)
    : config_(config), store_(store), sender_(sender), clock_(std::move(clock)), log_(std::move(log)),
      max_sleep_ms_(std::max(1, max_sleep_ms)) {}

MailerThread::~MailerThread() { stop(); }

void MailerThread::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void MailerThread::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void MailerThread::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    cv_.notify_all();
}

int MailerThread::steps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return steps_;
}

void MailerThread::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        woken_ = false;
        lock.unlock();
        UnixSeconds next_check = 0;
        try {
            next_check = run_due_emails(config_, store_, sender_, clock_(), log_).next_check;
        } catch (const std::exception& e) {
            // E.g. bad_alloc while building a message: say so, try again later.
            next_check = clock_() + kEmailStoreRetry_s;
            log_(std::string("email: a step failed: ") + e.what() + "; next look " + format_iso_utc(next_check));
        }
        const std::int64_t wait_ms = std::clamp<std::int64_t>((next_check - clock_()) * 1000,
                                                              std::min(100, max_sleep_ms_), max_sleep_ms_);
        lock.lock();
        ++steps_;
        cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_ || woken_; });
    }
}

}  // namespace pulse
