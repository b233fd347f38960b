// smtp_sink.hpp — for the e-mail tests: a minimal SMTP server on 127.0.0.1
// that records every message it accepts and fails on demand; plain, or over
// TLS (OpenSSL) from the first byte (smtps://) or after STARTTLS.
// Raw POSIX sockets on one thread, one connection at a time: EHLO/HELO,
// STARTTLS, AUTH PLAIN/LOGIN (when credentials are set), MAIL FROM, RCPT TO,
// DATA (with dot-unstuffing), RSET, NOOP, QUIT.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pulse::testing {

// One message the sink accepted (250 after DATA).
struct SinkMessage {
    std::string from;                     // envelope sender, without <>
    std::vector<std::string> recipients;  // envelope recipients, without <>, in RCPT order
    std::string data;                     // the message as sent, dot-unstuffed, CRLF line ends, without the final "."
    std::string user;                     // the AUTH user name, "" without AUTH
    std::string tls_version;              // "TLSv1.3" etc. when it came over TLS, "" when in plain text
};

// How the sink speaks TLS.
enum class SinkTls {
    none,      // plain SMTP (smtp://)
    implicit,  // TLS from the first byte (smtps://)
    starttls,  // plain until STARTTLS, which it advertises and requires before MAIL
};

struct SmtpSinkOptions {
    std::string user;      // when set, AUTH is advertised and required before MAIL FROM
    std::string password;  // with user: the only password accepted
    bool echo_password = false;  // a refused login's 535 repeats the password tried (a careless server)
    SinkTls tls = SinkTls::none;
    std::string cert_file;  // with tls: the server's certificate (PEM, chain after it)
    std::string key_file;   // with tls: its private key (PEM)
};

class SmtpSink {
public:
    explicit SmtpSink(SmtpSinkOptions options = {});
    ~SmtpSink();  // stop()
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    // Listens on 127.0.0.1 on a free port and starts the thread. False with
    // *error (may be null) when it cannot listen, or with tls when the
    // certificate or key cannot be loaded.
    bool start(std::string* error = nullptr);
    // Closes the connection and the listening socket; joins. Idempotent.
    void stop();

    std::uint16_t port() const;  // valid after start()
    std::string url() const;     // "smtp://127.0.0.1:PORT" ("smtps://…" with SinkTls::implicit)

    // The next n transactions get `reply` instead of 250 at the end of DATA
    // (the message is read, then refused, and not recorded).
    void fail_next(int n, const std::string& reply = "451 4.3.0 try again");
    // The next n transactions have their connection closed right after the
    // message's final "." is read, with no reply (not recorded).
    void drop_next(int n);

    std::vector<SinkMessage> messages() const;  // accepted, in order
    std::size_t message_count() const;
    int failed_transactions() const;  // refused by fail_next or dropped by drop_next
    int auth_failures() const;        // AUTH attempts with wrong credentials
    int tls_failures() const;         // TLS handshakes that failed (e.g. the client refused the certificate)
    // Waits until at least n messages were accepted, or timeout_ms passed; true if they were.
    bool wait_for_messages(std::size_t n, int timeout_ms) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Standard base64 (RFC 4648) decoded, ignoring CR, LF and spaces; "" and
// *ok = false (ok may be null) on any other character outside the alphabet.
std::string base64_decode(const std::string& text, bool* ok = nullptr);

}  // namespace pulse::testing
