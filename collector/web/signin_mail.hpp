// signin_mail.hpp — mails sign-in links in the background (issue 11). A
// sign-in request only queues its address here and answers at once, with the
// same page and in about the same time whether the address is known or not;
// this thread makes the link (a fresh secret, stored only as its hash, valid
// kSignInLinkLifetime_s), writes the sign-in e-mail and hands it to the mail
// server. Never logs a link.
#pragma once

#include "collector/config.hpp"
#include "collector/email/smtp_sender.hpp"
#include "collector/storage/store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pulse {

// The sign-in e-mail to one person: To address, subject and text from the
// words of language (signin_mail_subject, signin_mail_text with {name},
// {link}, {minutes}). link is "<base_url>/signin/<secret>" (+ "?lang=en").
// Letters and digits in unique (Message-ID). Cannot fail.
std::string signin_message(const CollectorConfig& config, const std::string& address, const std::string& name,
                           const std::string& link, const std::string& language, UnixSeconds now,
                           const std::string& unique);

class SignInMailer {
public:
    using Log = std::function<void(const std::string&)>;

    // config (with [email] and [web]), store and sender must outlive it.
    // Starts its thread.
    SignInMailer(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                 std::function<UnixSeconds()> clock, Log log);
    ~SignInMailer();  // finishes the mail in progress, drops the rest (each would be asked again), joins
    SignInMailer(const SignInMailer&) = delete;
    SignInMailer& operator=(const SignInMailer&) = delete;

    // Queues a link for address (a configured person's, normalised) named
    // name, its e-mail in language. At most kMaxQueued wait; beyond that the
    // request is dropped and logged (the rate limiter keeps this rare).
    void enqueue(const std::string& address, const std::string& name, const std::string& language);

    // For a request whose address is nobody's: the same store work as a
    // link (a write transaction on the sign-in table), and no mail, so that
    // a request right after cannot tell by waiting on the store whether the
    // address was known.
    void enqueue_unknown();

    // Waits until the queue is empty and no mail is in progress (tests).
    void drain();

    static constexpr std::size_t kMaxQueued = 1000;

private:
    struct Request {
        std::string address, name, language;  // address "": an unknown address's stand-in
    };
    void run();
    void send(const Request& request);

    const CollectorConfig& config_;
    CollectorStore& store_;
    MailSender& sender_;
    std::function<UnixSeconds()> clock_;
    Log log_;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Request> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace pulse
