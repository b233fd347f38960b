// ingest.hpp — the protocol's server rules for one POST /v1/batches body
// (docs/protocol.md), as a pure function: bytes in, either the answers to
// store or the rejection to send. Nothing is stored unless the whole body
// passed; the HTTP layer and the store are elsewhere.
#pragma once

#include "collector/config.hpp"
#include "common/calendar.hpp"
#include "common/protocol.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

constexpr UnixSeconds kClockSkew_s = 3600;              // a terminal's clock may run this far ahead

// Why a body is refused: an HTTP status (400, 403, 413, 415, 425) and a
// message naming the field and what was wrong ("answers[3].value: 7 is not
// 1–5 or null"), valid UTF-8 and short whatever the body held.
struct IngestRejection {
    int status = 400;
    std::string message;
    UnixSeconds retry_after_s = 0;  // 425: seconds until the batch is no longer early (>= 1); else 0
};

// A body that passed every rule.
struct IngestBatch {
    std::string batch_id;        // the terminal's batch UUID (for the log only; never stored)
    std::string workplace;       // = the authenticated terminal's workplace
    std::vector<Answer> answers; // to store, in the order received
};

struct IngestResult {
    std::optional<IngestBatch> batch;  // set when accepted
    IngestRejection rejection;         // meaningful when batch is empty
};

// Decompresses a gzip (or zlib) stream. When the output would exceed
// limit_bytes returns nullopt with *rejection 413; when the stream is
// corrupt or truncated, nullopt with 400.
std::optional<std::string> gunzip_limited(std::string_view compressed, std::size_t limit_bytes,
                                          IngestRejection* rejection);

// Checks body (as received; content_encoding "" / "identity" or "gzip")
// from the authenticated terminal against every protocol rule, at now (UTC),
// in this order: size ≤ kMaxBodyBytes (413) also after gunzip (413; corrupt
// gzip 400; any other encoding 415); the body's form (common/protocol's
// parse_batch_body: 400, or 413 for more than kMaxBatchAnswers answers);
// terminal and workplace equal to the terminal's (403); bank a version of a
// configured bank and every question in it (400). The first problem found
// is the rejection. Only then the hours: an answer whose hour is later than
// the current hour plus kClockSkew_s is early, not wrong (the terminal's
// clock runs ahead, or the server's behind): 425 naming the latest such
// answer, with retry_after_s the seconds until no hour of the batch is
// early any more, so that the same batch is accepted then.
IngestResult validate_batch(std::string_view body, const std::string& content_encoding,
                            const TerminalEntry& terminal, const CollectorConfig& config, UnixSeconds now);

}  // namespace pulse
