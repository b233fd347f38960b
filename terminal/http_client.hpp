// http_client.hpp — the uploader's one seam to the network: a POST that
// always returns a value (never throws), so the upload policy is tested with
// a fake and the libcurl implementation stays one small file.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pulse {

struct HttpRequest {
    std::string url;                                           // full URL
    std::vector<std::pair<std::string, std::string>> headers;  // name, value
    std::string body;                                          // sent as is
};

struct HttpResponse {
    int status = 0;                              // HTTP status; 0 if none arrived
    std::string body;                            // as received (decoded if the server gzipped it)
    std::map<std::string, std::string> headers;  // names lower-case ("retry-after")
    int transport_error = 0;                     // 0, or the transport's code (CURLcode)
    std::string transport_message;               // what went wrong, for the log

    bool transport_failed() const { return transport_error != 0; }
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // Sends request as a POST and waits for the response or a transport
    // failure (connection refused, DNS, timeout, reset, TLS). Never throws.
    virtual HttpResponse post(const HttpRequest& request) = 0;
    // The same as a GET (request.body is not sent). A client that cannot
    // (a test's stand-in) answers with a transport failure.
    virtual HttpResponse get(const HttpRequest& request) {
        (void)request;
        HttpResponse r;
        r.transport_error = -1;
        r.transport_message = "this HTTP client sends POST only";
        return r;
    }
};

struct CurlOptions {
    const std::atomic<bool>* cancel = nullptr;  // when it turns true, a request in flight is abandoned
                                                // (transport error); for a prompt shutdown
    std::string ca_file;             // extra CA bundle (a municipal CA); empty = system store
    long connect_timeout_s = 10;     // TCP + TLS handshake
    long low_speed_bytes_s = 100;    // abort when slower than this ...
    long low_speed_time_s = 30;      // ... for this long
    long total_timeout_s = 120;      // whole request
};

// libcurl: TLS peer and host verification always on.
std::unique_ptr<HttpClient> make_curl_http_client(const CurlOptions& options);

}  // namespace pulse
