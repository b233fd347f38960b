// smtp_sender.hpp — the mail seam: MailSender hands one finished message to
// a mail server; the mailer and its tests see only this interface.
// CurlMailSender is its libcurl SMTP implementation (smtps://, or smtp://
// with STARTTLS required, or plain smtp:// to loopback as the config allows).
#pragma once

#include "collector/config.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pulse {

// The outcome of one send.
struct SendResult {
    bool ok = false;
    std::string error;  // !ok: what failed, for the log and the ledger ("451 …", "Couldn't connect …"); never a password
    explicit operator bool() const { return ok; }
};

class MailSender {
public:
    virtual ~MailSender() = default;

    // Sends `message` (complete RFC 5322 bytes, CRLF line ends) with envelope
    // sender from_address and envelope recipients `recipients` (bare
    // addresses, at least one). ok only when the server accepted the message
    // for every recipient (250 after DATA); otherwise the error says why and
    // the caller may try again: nothing was delivered, or the server will
    // deliver it only once it said 250. Safe to call from one thread at a time.
    virtual SendResult send(const std::string& from_address, const std::vector<std::string>& recipients,
                            const std::string& message) = 0;
};

// SMTP with libcurl per `email` (smtp_url, starttls, username/password,
// ca_file): TLS peer and host verification always on; connect timeout 10 s,
// whole transfer 60 s; never verbose. One connection per send.
std::unique_ptr<MailSender> make_curl_mail_sender(const EmailConfig& email);

}  // namespace pulse
