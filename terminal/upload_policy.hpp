// upload_policy.hpp — the upload's decisions as pure functions: what a
// server's response means (docs/protocol.md), how long to wait before the
// next attempt (exponential backoff with full jitter, Retry-After), and the
// batch body. Time and randomness are passed in; nothing here does I/O.
#pragma once

#include "common/protocol.hpp"
#include "terminal/http_client.hpp"
#include "common/random.hpp"
#include "common/calendar.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pulse {

struct BackoffSettings {
    double min_s = 5;    // first retry delay (lower bound of every delay)
    double max_s = 900;  // ceiling of the exponential growth
};

// The delay before the next attempt after `failures` consecutive failures
// (>= 1): uniform in [min_s, min(max_s, min_s * 2^(failures-1))].
double backoff_delay_s(int failures, const BackoffSettings& settings, Rng& rng);

// An HTTP date (RFC 9110 §5.6.7) in any of its three forms ("Sun, 06 Nov
// 1994 08:49:37 GMT", the RFC 850 and asctime forms) as Unix seconds; nullopt
// for anything else, including near misses (another zone, 31 February).
std::optional<UnixSeconds> parse_http_date(const std::string& text);

// Retry-After in seconds from now: "120" (delta-seconds) or an HTTP date
// ("Wed, 21 Oct 2026 07:28:00 GMT", also the RFC 850 and asctime forms).
// A date in the past gives 0. Capped at 24 h. nullopt if absent or unreadable.
std::optional<double> parse_retry_after(const std::string& value, UnixSeconds now);

// What a response means for the batch that was sent.
struct UploadVerdict {
    enum class Kind {
        success,        // 200/201 with {"accepted":N,"duplicates":M}, N+M == sent
        transient,      // retry the same batch later (also 425: an hour not yet ended by the server's clock)
        split,          // 413: send the halves
        set_aside,      // 400/422/409: keep it, never resend, go on
        auth_rejected,  // 401/403: the token is refused
    };
    Kind kind = Kind::transient;
    long accepted = 0, duplicates = 0;    // success
    std::string reason;                   // for the log and status: status/curl error and server message
    std::optional<double> retry_after_s;  // transient: the server's Retry-After, capped
};

// Classifies a response to a batch of `sent` answers (docs/protocol.md).
UploadVerdict classify_response(const HttpResponse& response, std::size_t sent, UnixSeconds now);

// Gzip-compresses body if that makes it at least 10 % smaller and it is at
// least 1 KiB; returns true and replaces body when it did.
bool gzip_if_it_pays(std::string& body);

}  // namespace pulse
