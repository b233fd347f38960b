// smtp_sink.cpp — the test SMTP server (see smtp_sink.hpp): accept one
// connection, talk SMTP line by line with poll() timeouts (so stop() is
// noticed within ~50 ms), then the next connection. TLS through OpenSSL on
// the same blocking socket: poll() says a record has begun, SSL_read reads it.
#include "smtp_sink.hpp"

#include "loopback.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace pulse::testing {

namespace {

constexpr int kPollInterval_ms = 50;
constexpr std::size_t kMaxLineBytes = 64 * 1024;

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The address in "FROM:<a@b> SIZE=…" after the prefix, without <>.
std::string path_argument(const std::string& line, std::size_t prefix) {
    std::string rest = line.substr(std::min(prefix, line.size()));
    while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
    const std::size_t open = rest.find('<'), close = rest.find('>');
    if (open == 0 && close != std::string::npos) return rest.substr(1, close - 1);
    return rest.substr(0, rest.find(' '));
}

}  // namespace

std::string base64_decode(const std::string& text, bool* ok) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    if (ok) *ok = true;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=' || c == '\r' || c == '\n' || c == ' ') continue;
        else {
            if (ok) *ok = false;
            return "";
        }
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

struct SmtpSink::Impl {
    SmtpSinkOptions options;
    int listen_fd = -1;
    std::uint16_t port = 0;
    std::atomic<bool> stopping{false};
    std::thread thread;

    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<SinkMessage> messages;
    std::deque<std::string> faults;  // per transaction: a reply to refuse DATA with, or "" = drop
    int failed = 0;
    int auth_failed = 0;
    int tls_failed = 0;
    SSL_CTX* tls_context = nullptr;  // with options.tls
    std::string tried_password;  // the last AUTH's password (the sink serves one connection at a time)

    // [SECTION] One connection

    struct Session {
        int fd = -1;
        std::string in;     // bytes read, not yet consumed
        SSL* ssl = nullptr;  // after the handshake; freed by the session's end
        ~Session() { SSL_free(ssl); }
    };

    // Runs the server's side of the TLS handshake on s. False (counted) when
    // it fails, e.g. the client refused the certificate.
    bool start_tls(Session& s) {
        s.ssl = SSL_new(tls_context);
        if (s.ssl && SSL_set_fd(s.ssl, s.fd) == 1 && SSL_accept(s.ssl) == 1) return true;
        ERR_clear_error();
        std::lock_guard<std::mutex> lock(mutex);
        ++tls_failed;
        return false;
    }

    bool send_text(Session& s, const std::string& text) {
        std::size_t sent = 0;
        while (sent < text.size()) {
            if (s.ssl) {
                const int n = SSL_write(s.ssl, text.data() + sent, static_cast<int>(text.size() - sent));
                if (n <= 0) return false;
                sent += static_cast<std::size_t>(n);
                continue;
            }
            ssize_t n = ::send(s.fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // The next line without CRLF; nullopt when the peer closed, the line is
    // absurdly long, or stop() was called.
    std::optional<std::string> read_line(Session& s) {
        for (;;) {
            const std::size_t end = s.in.find("\r\n");
            if (end != std::string::npos) {
                std::string line = s.in.substr(0, end);
                s.in.erase(0, end + 2);
                return line;
            }
            if (s.in.size() > kMaxLineBytes || stopping.load()) return std::nullopt;
            char chunk[16 * 1024];
            if (s.ssl && SSL_pending(s.ssl) > 0) {
                const int n = SSL_read(s.ssl, chunk, sizeof chunk);
                if (n <= 0) return std::nullopt;
                s.in.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            pollfd p{s.fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, kPollInterval_ms);
            if (ready < 0 && errno != EINTR) return std::nullopt;
            if (ready <= 0) continue;
            if (s.ssl) {
                const int n = SSL_read(s.ssl, chunk, sizeof chunk);
                if (n <= 0) return std::nullopt;
                s.in.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            const ssize_t n = ::recv(s.fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            s.in.append(chunk, static_cast<std::size_t>(n));
        }
    }

    bool check_credentials(const std::string& user, const std::string& password) {
        tried_password = password;
        if (user == options.user && password == options.password) return true;
        std::lock_guard<std::mutex> lock(mutex);
        ++auth_failed;
        return false;
    }

    void session(int fd) {
        Session s{fd, {}};
        const bool auth_required = !options.user.empty();
        bool authed = !auth_required;
        std::string user;
        std::optional<std::string> from;
        std::vector<std::string> recipients;
        if (options.tls == SinkTls::implicit && !start_tls(s)) return;
        if (!send_text(s, "220 pulse-sink ESMTP ready\r\n")) return;
        while (std::optional<std::string> line = read_line(s)) {
            const std::string verb = upper(line->substr(0, line->find(' ')));
            std::string reply;
            const bool starttls_offered = options.tls == SinkTls::starttls && !s.ssl;
            if (verb == "EHLO") {
                reply = "250-pulse-sink\r\n";
                if (starttls_offered) reply += "250-STARTTLS\r\n";
                if (auth_required) reply += "250-AUTH PLAIN LOGIN\r\n";
                reply += "250 8BITMIME\r\n";
            } else if (verb == "HELO") {
                reply = "250 pulse-sink\r\n";
            } else if (verb == "STARTTLS" && starttls_offered) {
                // RFC 3207: nothing read before the handshake counts, and the
                // client starts again with EHLO.
                if (!s.in.empty() || !send_text(s, "220 2.0.0 Ready to start TLS\r\n")) return;
                if (!start_tls(s)) return;
                authed = !auth_required;
                user.clear();
                from.reset();
                recipients.clear();
                continue;
            } else if (starttls_offered && verb != "QUIT" && verb != "NOOP" && verb != "RSET") {
                reply = "530 5.7.0 Must issue a STARTTLS command first\r\n";
            } else if (verb == "AUTH" && auth_required) {
                const std::string rest = line->size() > 5 ? line->substr(5) : "";
                const std::string mechanism = upper(rest.substr(0, rest.find(' ')));
                std::string initial = rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
                bool good = false;
                std::string name;
                if (mechanism == "PLAIN") {
                    if (initial.empty()) {
                        if (!send_text(s, "334 \r\n")) return;
                        std::optional<std::string> answer = read_line(s);
                        if (!answer) return;
                        initial = *answer;
                    }
                    const std::string plain = base64_decode(initial);  // authzid \0 user \0 password
                    const std::size_t a = plain.find('\0'), b = plain.find('\0', a + 1);
                    if (a != std::string::npos && b != std::string::npos) {
                        name = plain.substr(a + 1, b - a - 1);
                        good = check_credentials(name, plain.substr(b + 1));
                    } else {
                        check_credentials("", "");  // counted as a failure
                    }
                } else if (mechanism == "LOGIN") {
                    if (!send_text(s, "334 VXNlcm5hbWU6\r\n")) return;
                    std::optional<std::string> u = initial.empty() ? read_line(s) : std::optional<std::string>(initial);
                    if (!u || !send_text(s, "334 UGFzc3dvcmQ6\r\n")) return;
                    std::optional<std::string> p = read_line(s);
                    if (!p) return;
                    name = base64_decode(*u);
                    good = check_credentials(name, base64_decode(*p));
                } else {
                    reply = "504 5.5.4 unrecognised authentication type\r\n";
                }
                if (reply.empty()) {
                    authed = good;
                    if (good) user = name;
                    reply = good ? "235 2.7.0 Authentication successful\r\n"
                                 : "535 5.7.8 Authentication credentials invalid" +
                                       (options.echo_password ? " for password " + tried_password : std::string()) +
                                       "\r\n";
                }
            } else if (verb == "MAIL") {
                if (!authed) {
                    reply = "530 5.7.0 Authentication required\r\n";
                } else {
                    from = path_argument(*line, 10);  // "MAIL FROM:"
                    recipients.clear();
                    reply = "250 2.1.0 OK\r\n";
                }
            } else if (verb == "RCPT") {
                if (!from) reply = "503 5.5.1 MAIL first\r\n";
                else {
                    recipients.push_back(path_argument(*line, 8));  // "RCPT TO:"
                    reply = "250 2.1.5 OK\r\n";
                }
            } else if (verb == "DATA") {
                if (!from || recipients.empty()) {
                    reply = "503 5.5.1 RCPT first\r\n";
                } else {
                    if (!send_text(s, "354 End data with <CR><LF>.<CR><LF>\r\n")) return;
                    std::string data;
                    for (;;) {
                        std::optional<std::string> d = read_line(s);
                        if (!d) return;
                        if (*d == ".") break;
                        data += (!d->empty() && d->front() == '.' ? d->substr(1) : *d) + "\r\n";
                    }
                    std::optional<std::string> fault;
                    {
                        std::lock_guard<std::mutex> lock(mutex);
                        if (!faults.empty()) {
                            fault = faults.front();
                            faults.pop_front();
                            ++failed;
                        }
                    }
                    if (fault && fault->empty()) return;  // dropped: no reply at all
                    if (fault) {
                        reply = *fault + "\r\n";
                    } else {
                        {
                            std::lock_guard<std::mutex> lock(mutex);
                            messages.push_back({*from, recipients, data, user, s.ssl ? SSL_get_version(s.ssl) : ""});
                        }
                        arrived.notify_all();
                        reply = "250 2.0.0 OK queued\r\n";
                    }
                    from.reset();
                    recipients.clear();
                }
            } else if (verb == "RSET") {
                from.reset();
                recipients.clear();
                reply = "250 2.0.0 OK\r\n";
            } else if (verb == "NOOP") {
                reply = "250 2.0.0 OK\r\n";
            } else if (verb == "QUIT") {
                send_text(s, "221 2.0.0 Bye\r\n");
                return;
            } else {
                reply = "500 5.5.2 command not recognised\r\n";
            }
            if (!send_text(s, reply)) return;
        }
    }

    void run() {
        while (!stopping.load()) {
            pollfd p{listen_fd, POLLIN, 0};
            if (::poll(&p, 1, kPollInterval_ms) <= 0) continue;
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            session(fd);
            ::close(fd);
        }
    }
};

SmtpSink::SmtpSink(SmtpSinkOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }

SmtpSink::~SmtpSink() {
    stop();
    SSL_CTX_free(impl_->tls_context);
}

bool SmtpSink::start(std::string* error) {
    if (impl_->thread.joinable()) return true;
    if (impl_->options.tls != SinkTls::none && !impl_->tls_context) {
        SSL_CTX* context = SSL_CTX_new(TLS_server_method());
        if (!context || SSL_CTX_use_certificate_chain_file(context, impl_->options.cert_file.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(context, impl_->options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
            char reason[256];
            ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
            if (error) *error = "smtp sink: cannot load " + impl_->options.cert_file + " / " + impl_->options.key_file + ": " + reason;
            SSL_CTX_free(context);
            return false;
        }
        impl_->tls_context = context;
    }
    impl_->listen_fd = listen_on_loopback(0, /*nonblocking=*/false, &impl_->port, error);
    if (impl_->listen_fd < 0) return false;
    impl_->stopping = false;
    impl_->thread = std::thread([this] { impl_->run(); });
    return true;
}

void SmtpSink::stop() {
    impl_->stopping = true;
    if (impl_->thread.joinable()) impl_->thread.join();
    if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
    impl_->listen_fd = -1;
}

std::uint16_t SmtpSink::port() const { return impl_->port; }

std::string SmtpSink::url() const {
    return (impl_->options.tls == SinkTls::implicit ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") +
           std::to_string(impl_->port);
}

void SmtpSink::fail_next(int n, const std::string& reply) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (int i = 0; i < n; ++i) impl_->faults.push_back(reply);
}

void SmtpSink::drop_next(int n) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (int i = 0; i < n; ++i) impl_->faults.push_back("");
}

std::vector<SinkMessage> SmtpSink::messages() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->messages;
}

std::size_t SmtpSink::message_count() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->messages.size();
}

int SmtpSink::failed_transactions() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->failed;
}

int SmtpSink::tls_failures() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->tls_failed;
}

int SmtpSink::auth_failures() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->auth_failed;
}

bool SmtpSink::wait_for_messages(std::size_t n, int timeout_ms) const {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    return impl_->arrived.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                   [&] { return impl_->messages.size() >= n; });
}

}  // namespace pulse::testing
