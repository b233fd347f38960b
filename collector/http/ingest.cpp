// ingest.cpp — one uploaded batch checked (see ingest.hpp): size and gzip
// limits, the body's form (common/protocol's parser), then the collector's
// rules: the token's terminal and workplace, a known bank and question, an
// hour not ahead of the server's clock (425, retried: never a reason to drop
// an answer). An old hour is fine: its week may be sealed, and then the
// answer is stored and counted late (publication.hpp).
#include "collector/http/ingest.hpp"

#include <zlib.h>

#include <algorithm>

namespace pulse {
namespace {

IngestResult reject(int status, std::string message, UnixSeconds retry_after_s = 0) {
    IngestResult r;
    r.rejection = {status, std::move(message), retry_after_s};
    return r;
}

}  // namespace

std::optional<std::string> gunzip_limited(std::string_view compressed, std::size_t limit_bytes,
                                          IngestRejection* rejection) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) {  // 32: gzip or zlib header, detected
        *rejection = {500, "cannot start the gzip decoder"};
        return std::nullopt;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    char chunk[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(chunk, sizeof chunk - z.avail_out);
        if (out.size() > limit_bytes) {
            inflateEnd(&z);
            *rejection = {413, "body: more than " + std::to_string(limit_bytes) +
                                   " bytes after gzip decompression; send smaller batches"};
            return std::nullopt;
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // input ended before the stream did
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        *rejection = {400, "body: not valid gzip (corrupt or truncated)"};
        return std::nullopt;
    }
    return out;
}

IngestResult validate_batch(std::string_view body, const std::string& content_encoding,
                            const TerminalEntry& terminal, const CollectorConfig& config, UnixSeconds now) {
    // [SECTION] Size and encoding
    if (body.size() > kMaxBodyBytes) {
        return reject(413, "body: " + std::to_string(body.size()) + " bytes, more than the limit of " +
                               std::to_string(kMaxBodyBytes) + "; send smaller batches");
    }
    std::string inflated;
    if (content_encoding == "gzip" || content_encoding == "x-gzip") {
        IngestRejection why;
        std::optional<std::string> text = gunzip_limited(body, kMaxBodyBytes, &why);
        if (!text) return reject(why.status, why.message);
        inflated = std::move(*text);
        body = inflated;
    } else if (!content_encoding.empty() && content_encoding != "identity") {
        return reject(415, "Content-Encoding: " + quoted_for_message(content_encoding) +
                               " is not supported; send gzip or none");
    }

    // [SECTION] The body's form
    BatchBodyParse parsed = parse_batch_body(body);
    if (!parsed.body) return reject(parsed.problem.too_many ? 413 : 400, parsed.problem.message);
    BatchBody& batch = *parsed.body;

    // [SECTION] The collector's rules
    if (batch.terminal != terminal.id) {
        return reject(403, "terminal: " + quoted_for_message(batch.terminal) +
                               " is not the terminal this token belongs to");
    }
    if (batch.workplace != terminal.workplace) {
        return reject(403, "workplace: " + quoted_for_message(batch.workplace) +
                               " is not this terminal's workplace; a terminal uploads only for its own workplace");
    }
    const QuestionBank* bank = config.find_bank(batch.bank_version);
    if (!bank) {
        std::string known;
        for (const QuestionBank& b : config.banks) known += (known.empty() ? "" : ", ") + quoted_for_message(b.version);
        return reject(400, "bank: " + quoted_for_message(batch.bank_version) +
                               " is not a question bank this server knows (" + known + ")");
    }
    for (std::size_t i = 0; i < batch.answers.size(); ++i) {
        const Answer& answer = batch.answers[i];
        if (!bank->find_question(answer.question)) {
            return reject(400, "answers[" + std::to_string(i) + "].question: " + quoted_for_message(answer.question) +
                                   " is not a question of bank " + quoted_for_message(bank->version));
        }
    }

    // [SECTION] Hours ahead of the server's clock: early, not wrong
    // Checked last, so that a batch refused for this is accepted as it is
    // once the clock has passed its latest hour: nothing else can be wrong.
    const UnixSeconds latest = truncate_to_hour(now + kClockSkew_s);
    std::optional<std::size_t> latest_early;  // the answer with the latest hour beyond `latest`
    for (std::size_t i = 0; i < batch.answers.size(); ++i) {
        if (batch.answers[i].hour > latest && (!latest_early || batch.answers[i].hour > batch.answers[*latest_early].hour)) {
            latest_early = i;
        }
    }
    if (latest_early) {
        // truncate_to_hour(t + skew) >= hour from t = hour - skew on (hours are whole).
        const UnixSeconds hour = batch.answers[*latest_early].hour;
        const UnixSeconds wait_s = std::max<UnixSeconds>(1, hour - kClockSkew_s - now);
        return reject(425,
                      "answers[" + std::to_string(*latest_early) + "].hour: \"" + format_answer_hour(hour) +
                          "\" is ahead of the server's clock (server time " + format_iso_utc(now) +
                          "); nothing of this batch is stored, send it again in " + std::to_string(wait_s) +
                          " s (Retry-After) and check the terminal's clock",
                      wait_s);
    }
    IngestResult ok;
    ok.batch = IngestBatch{std::move(batch.batch_id), terminal.workplace, std::move(batch.answers)};
    return ok;
}

}  // namespace pulse
