// overlay_pull.cpp — fetching the config overlay (see overlay_pull.hpp).
#include "terminal/overlay_pull.hpp"

#include <chrono>

namespace pulse {

namespace {
constexpr std::size_t kMaxOverlayBytes = 64 * 1024;
}

OverlayPull pull_overlay(HttpClient& http, const std::string& endpoint, const std::string& token,
                         const std::string& etag) {
    HttpRequest request;
    request.url = endpoint + "/v1/config";
    request.headers = {{"Authorization", "Bearer " + token}};
    if (!etag.empty()) request.headers.push_back({"If-None-Match", etag});
    const HttpResponse r = http.get(request);
    OverlayPull out;
    if (r.transport_failed()) {
        out.failure = "transport error " + std::to_string(r.transport_error) + " (" + r.transport_message + ")";
    } else if (r.status == 304) {
        out.kind = OverlayPull::Kind::not_modified;
    } else if (r.status == 204) {
        out.kind = OverlayPull::Kind::none;
    } else if (r.status == 200) {
        const auto tag = r.headers.find("etag");
        if (tag == r.headers.end() || tag->second.empty()) {
            out.failure = "HTTP 200 without an ETag";
        } else if (r.body.size() > kMaxOverlayBytes) {
            out.failure = "an overlay of " + std::to_string(r.body.size()) + " bytes (at most 64 KiB)";
        } else {
            out.kind = OverlayPull::Kind::overlay;
            out.bytes = r.body;
            out.etag = tag->second;
        }
    } else {
        out.failure = "HTTP " + std::to_string(r.status);
    }
    return out;
}

std::optional<OverlayAccept> pull_and_accept(HttpClient& http, const OverlayFiles& files, const std::string& endpoint,
                                             const std::string& token, const OverlayPullThread::Check& check,
                                             Diagnostics& errors, std::string* failure) {
    const OverlayPull pull = pull_overlay(http, endpoint, token, read_overlay_word(files.etag()));
    switch (pull.kind) {
        case OverlayPull::Kind::failed:
            if (failure) *failure = pull.failure;
            return std::nullopt;
        case OverlayPull::Kind::not_modified: return std::nullopt;
        case OverlayPull::Kind::none: return accept_overlay(files, std::nullopt, "", check, errors, failure);
        case OverlayPull::Kind::overlay: return accept_overlay(files, pull.bytes, pull.etag, check, errors, failure);
    }
    return std::nullopt;
}

OverlayPullThread::OverlayPullThread(OverlayFiles files, std::string endpoint, std::string token, HttpFactory make_http,
                                     Check check, OverlayLog log)
    : files_(std::move(files)), endpoint_(std::move(endpoint)), token_(std::move(token)),
      make_http_(std::move(make_http)), check_(std::move(check)), log_(std::move(log)) {
    worker_ = std::thread([this] { run(); });
}

OverlayPullThread::~OverlayPullThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;
    wakeup_.notify_all();
    worker_.join();
}

void OverlayPullThread::run() {
    std::unique_ptr<HttpClient> http = make_http_(&cancel_);
    std::unique_lock lock(mutex_);
    std::string last_failure;
    while (!stopping_) {
        lock.unlock();
        Diagnostics errors;
        std::string failure;
        const std::optional<OverlayAccept> outcome = pull_and_accept(*http, files_, endpoint_, token_, check_, errors, &failure);
        if (log_) {
            if (outcome == OverlayAccept::accepted) {
                log_("config overlay: a new one (" + read_overlay_word(files_.etag()) +
                     ") passed its check; the kiosk restarts to take it at a quiet moment");
            } else if (outcome == OverlayAccept::refused) {
                std::string why;
                for (const Diagnostic& d : errors) why += (why.empty() ? "" : "; ") + d.message;
                log_("config overlay: the collector's new one fails its check and is not taken (" + why +
                     "); the current one stays");
            } else if (outcome == OverlayAccept::failed || (!failure.empty() && failure != last_failure)) {
                log_("config overlay: cannot fetch or keep it: " + failure);
            }
        }
        last_failure = failure;
        if (outcome == OverlayAccept::accepted) restart_wanted_ = true;
        lock.lock();
        wakeup_.wait_for(lock, std::chrono::seconds(kOverlayPullInterval_s), [this] { return stopping_; });
    }
}

}  // namespace pulse
