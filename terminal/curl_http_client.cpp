// curl_http_client.cpp — HttpClient on libcurl: one easy handle per client,
// so its connection is kept alive between batches; TLS verification always
// on; redirects never followed (a captive portal's 302 is an answer to
// classify, not a place to post answers to); bounded time and response size.
#include "terminal/http_client.hpp"

#include "common/curl_global.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <utility>

namespace pulse {

namespace {

constexpr std::size_t kMaxResponseBytes = 1 << 20;  // decoded; an acknowledgement is a few dozen bytes


// What the callbacks fill during one transfer.
struct Transfer {
    HttpResponse* response = nullptr;
    bool too_large = false;  // the body passed kMaxResponseBytes: the transfer was aborted
};

// Exceptions must not cross libcurl's C frames: every callback catches and
// aborts the transfer instead (returning a short count does that).
size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    size_t bytes = size * count;
    try {
        if (transfer->response->body.size() + bytes > kMaxResponseBytes) {
            transfer->too_large = true;
            return 0;
        }
        transfer->response->body.append(data, bytes);
        return bytes;
    } catch (...) {
        return 0;
    }
}

// One header line at a time ("Name: value\r\n"; also the status line of each
// response, e.g. a 100 Continue before the real one, which starts afresh).
size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    size_t bytes = size * count;
    try {
        std::string line(data, bytes);
        if (line.rfind("HTTP/", 0) == 0) {
            transfer->response->headers.clear();
            return bytes;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0) return bytes;  // the blank line, or a folded line
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::size_t begin = line.find_first_not_of(" \t", colon + 1);
        std::size_t end = line.find_last_not_of(" \t\r\n");
        std::string value = begin == std::string::npos || end < begin ? "" : line.substr(begin, end - begin + 1);
        transfer->response->headers[name] = value;  // a repeated header: the last one counts
        return bytes;
    } catch (...) {
        return 0;
    }
}

// Abandons the transfer once *cancel turns true (a prompt shutdown).
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(CurlOptions options) : options_(std::move(options)) {
        if (curl_global_ready()) curl_ = curl_easy_init();
    }
    ~CurlHttpClient() override {
        if (curl_) curl_easy_cleanup(curl_);
    }
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    HttpResponse post(const HttpRequest& request) override { return send(request, true); }
    HttpResponse get(const HttpRequest& request) override { return send(request, false); }

private:
    HttpResponse send(const HttpRequest& request, bool post) {
        HttpResponse response;
        try {
            perform(request, post, response);
        } catch (...) {  // std::bad_alloc building headers: a failed attempt, retried later
            response = HttpResponse{};
            response.transport_error = CURLE_OUT_OF_MEMORY;
            response.transport_message = curl_easy_strerror(CURLE_OUT_OF_MEMORY);
        }
        return response;
    }

    void perform(const HttpRequest& request, bool post, HttpResponse& response) {
        if (!curl_) {
            response.transport_error = CURLE_FAILED_INIT;
            response.transport_message = "libcurl could not be initialised";
            return;
        }
        // The connection cache, DNS cache and TLS session survive a reset.
        curl_easy_reset(curl_);

        curl_slist* headers = nullptr;
        bool headers_ok = true;
        const auto add_header = [&](const std::string& line) {
            curl_slist* next = curl_slist_append(headers, line.c_str());
            if (!next) headers_ok = false;
            else headers = next;
        };
        for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
        add_header("Expect:");  // no 100-continue round trip: the body is small and always wanted
        if (!headers_ok) {
            curl_slist_free_all(headers);
            response.transport_error = CURLE_OUT_OF_MEMORY;
            response.transport_message = curl_easy_strerror(CURLE_OUT_OF_MEMORY);
            return;
        }

        Transfer transfer{&response};
        char error_buffer[CURL_ERROR_SIZE] = {};
        CURL* c = curl_;
        curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        if (post) {
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        } else {
            curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "pulse-kiosk");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes_s);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.total_timeout_s);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM on a background thread
        curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // any encoding libcurl can decode
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
        if (options_.cancel) {
            curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
            curl_easy_setopt(c, CURLOPT_XFERINFODATA, options_.cancel);
            curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        }
        // Never CURLOPT_VERBOSE: it would print the Authorization header.

        CURLcode rc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
        // The buffers above die with this frame: detach them from the handle.
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(headers);

        if (rc != CURLE_OK) {
            response.transport_error = static_cast<int>(rc);
            if (transfer.too_large) {
                response.transport_message = "response too large (over " + std::to_string(kMaxResponseBytes) + " bytes)";
            } else {
                std::string detail = error_buffer;
                std::string generic = curl_easy_strerror(rc);
                response.transport_message = detail.empty() || detail == generic ? generic : generic + ": " + detail;
            }
        }
    }

    CurlOptions options_;
    CURL* curl_ = nullptr;  // null if libcurl could not start: every post reports it
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client(const CurlOptions& options) {
    return std::make_unique<CurlHttpClient>(options);
}

}  // namespace pulse
