// smtp_sender.cpp — MailSender on libcurl's SMTP: MAIL FROM, RCPT TO for each
// recipient, DATA from a read callback. The error text is curl's own words
// and the server's refusal line; the password is never put in it (it is also
// scrubbed, should a server echo it back).
#include "collector/email/smtp_sender.hpp"

#include "common/curl_global.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

namespace pulse {
namespace {

constexpr long kConnectTimeout_s = 10;
constexpr long kTotalTimeout_s = 60;

// The message being uploaded as DATA.
struct Upload {
    const std::string* message = nullptr;
    std::size_t sent = 0;  // bytes handed to libcurl so far
};

// libcurl asks for the next bytes of DATA; 0 ends it. No exceptions possible.
size_t read_message(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->message->size() - upload->sent);
    std::memcpy(buffer, upload->message->data() + upload->sent, n);
    upload->sent += n;
    return n;
}

// The server's last refusal (a 4xx/5xx reply line), for the error text:
// libcurl's own words ("Weird server reply") say little to IT.
struct Transcript {
    std::string refusal;
};

// libcurl's debug hook, seeing the protocol both ways. Only the server's
// reply lines (HEADER_IN) are looked at; what we send (HEADER_OUT: AUTH's
// credentials; DATA_OUT: the message) is never kept or printed.
int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
    if (type != CURLINFO_HEADER_IN || size < 3 || (data[0] != '4' && data[0] != '5')) return 0;
    std::string line(data, std::min<std::size_t>(size, 200));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    static_cast<Transcript*>(user)->refusal = line;
    return 0;
}

// Every occurrence of secret in text replaced by "***" (no-op for an empty secret).
std::string scrub(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
        text.replace(at, secret.size(), "***");
    }
    return text;
}

class CurlMailSender final : public MailSender {
public:
    explicit CurlMailSender(EmailConfig email) : email_(std::move(email)) {}

    SendResult send(const std::string& from_address, const std::vector<std::string>& recipients,
                    const std::string& message) override {
        if (!curl_global_ready()) return {false, "libcurl could not be initialised"};
        CURL* c = curl_easy_init();
        if (!c) return {false, "libcurl could not make a handle"};
        curl_slist* rcpt = nullptr;
        for (const std::string& r : recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
        const std::string mail_from = "<" + from_address + ">";
        Upload upload{&message, 0};
        Transcript transcript;
        char error_buffer[CURL_ERROR_SIZE] = {};

        curl_easy_setopt(c, CURLOPT_URL, email_.smtp_url.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        if (email_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!email_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, email_.ca_file.c_str());
        if (!email_.username.empty()) {
            curl_easy_setopt(c, CURLOPT_USERNAME, email_.username.c_str());
            curl_easy_setopt(c, CURLOPT_PASSWORD, email_.password.c_str());
        }
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
        curl_easy_setopt(c, CURLOPT_READDATA, &upload);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, kConnectTimeout_s);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, kTotalTimeout_s);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM on a background thread
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
        // VERBOSE only so on_debug sees the server's replies; with a debug
        // function libcurl prints nothing itself (its default would print AUTH).
        curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transcript);
        curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);

        const CURLcode rc = curl_easy_perform(c);
        long reply = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
        curl_easy_cleanup(c);
        curl_slist_free_all(rcpt);
        if (rc == CURLE_OK) return {true, ""};

        std::string error = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
        if (!transcript.refusal.empty()) {
            error += ": the server said \"" + transcript.refusal + "\"";
        } else if (reply != 0 && error.find(std::to_string(reply)) == std::string::npos) {
            error += " (server replied " + std::to_string(reply) + ")";
        }
        return {false, scrub(error, email_.password)};
    }

private:
    EmailConfig email_;
};

}  // namespace

std::unique_ptr<MailSender> make_curl_mail_sender(const EmailConfig& email) {
    return std::make_unique<CurlMailSender>(email);
}

}  // namespace pulse
