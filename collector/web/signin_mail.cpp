// signin_mail.cpp — the sign-in e-mail and its background sender (see
// signin_mail.hpp).
#include "collector/web/signin_mail.hpp"

#include "collector/email/email_message.hpp"
#include "collector/email/mailer.hpp"  // unique_message_token
#include "collector/web/auth.hpp"

namespace pulse {

std::string signin_message(const CollectorConfig& config, const std::string& address, const std::string& name,
                           const std::string& link, const std::string& language, UnixSeconds now,
                           const std::string& unique) {
    const SummaryWords& w = config.summary_texts.words(language);
    const std::string text = fill_placeholders(
        w.signin_mail_text, {{"name", name}, {"link", link}, {"minutes", std::to_string(kSignInLinkLifetime_s / 60)}});
    return build_text_email(config.email->sender, address, w.signin_mail_subject, text, now, unique);
}

SignInMailer::SignInMailer(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                           std::function<UnixSeconds()> clock, Log log)
    : config_(config), store_(store), sender_(sender), clock_(std::move(clock)), log_(std::move(log)) {
    thread_ = std::thread([this] { run(); });
}

SignInMailer::~SignInMailer() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    thread_.join();
}

void SignInMailer::enqueue(const std::string& address, const std::string& name, const std::string& language) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (queue_.size() >= kMaxQueued) {
            if (log_) log_("web: sign-in mail queue full (" + std::to_string(kMaxQueued) + "); a request was dropped");
            return;
        }
        queue_.push_back({address, name, language});
    }
    cv_.notify_all();
}

void SignInMailer::enqueue_unknown() { enqueue("", "", ""); }

void SignInMailer::drain() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return stopping_ || (queue_.empty() && !busy_); });
}

void SignInMailer::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        const Request request = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        try {
            send(request);
        } catch (const std::exception& e) {  // never let one mail end the collector
            if (log_) log_("web: sign-in link to " + request.address + " not sent: " + e.what());
        }
        lock.lock();
        busy_ = false;
        cv_.notify_all();
    }
}

void SignInMailer::send(const Request& request) {
    const UnixSeconds now = clock_();
    const std::optional<std::string> secret = new_secret();
    if (!secret) {
        if (log_) log_("web: no sign-in link for " + request.address + ": the system's random source failed");
        return;
    }
    std::string error;
    if (request.address.empty()) {  // enqueue_unknown: using a link nobody has changes nothing
        if (!store_.use_signin_link(secret_hash(*secret), now, &error) && !error.empty() && log_) {
            log_("web: sign-in table not reachable: " + error);
        }
        return;
    }
    if (!store_.add_signin_link(secret_hash(*secret), request.address, now, signin_link_expires_at(now), &error)) {
        if (log_) log_("web: no sign-in link for " + request.address + ": " + error);
        return;
    }
    const std::string link = config_.web->base_url + "/signin/" + *secret +
                             (request.language == "da" ? "" : "?lang=" + request.language);
    const std::string message =
        signin_message(config_, request.address, request.name, link, request.language, now, unique_message_token());
    const SendResult sent = sender_.send(config_.email->sender.address, {request.address}, message);
    if (log_) {
        log_(sent ? "web: sign-in link mailed to " + request.address
                  : "web: sign-in link to " + request.address + " not sent: " + sent.error);
    }
}

}  // namespace pulse
