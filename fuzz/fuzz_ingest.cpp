// fuzz_ingest.cpp — libFuzzer harness of the collector's batch rules
// (collector/http/ingest.cpp validate_batch) for one fixed terminal
// ("ishoj-raadhus-1" of "raadhus-borgerservice") and the repository's
// question bank (config/questions.toml), at a fixed time. An input that
// starts like a gzip (1f 8b) or zlib (78) stream is sent as
// Content-Encoding: gzip, anything else as identity. Checks the verdict's
// contract (statuses, an accepted batch's workplace, questions and hours),
// that every rejection can be sent as the server sends it
// ({"error": message} through nlohmann's dump, which throws on invalid
// UTF-8), that a batch refused as early (425) is accepted Retry-After
// seconds later and not a second sooner, and that an identity body
// gzip-compressed gets the same verdict.
#include "collector/http/ingest.hpp"

#include "fuzz/fuzz_support.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

struct Fixture {
    pulse::CollectorConfig config;
    pulse::TerminalEntry terminal{"ishoj-raadhus-1", "raadhus-borgerservice", std::string(64, 'a')};
    pulse::UnixSeconds now = *pulse::parse_iso8601("2026-11-30T12:34:56Z");
};

const Fixture& fixture() {
    static const Fixture f = [] {
        Fixture f;
        pulse::BankLoad bank = pulse::load_question_bank(pulse::fuzz::source_file("config/questions.toml"));
        if (!bank.bank) pulse::fuzz::fail(__FILE__, __LINE__, "config/questions.toml does not load");
        f.config.banks.push_back(std::move(*bank.bank));
        return f;
    }();
    return f;
}

// body as a gzip stream (zlib's deflate, gzip wrapper); "" if zlib refuses.
std::string gzip(std::string_view body) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
    std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : "";
}

// True when text can go into a response as the server writes it
// (json{{"error", message}}.dump()): nlohmann's dump throws on invalid UTF-8.
bool dumps_as_json(const std::string& text, std::string* why) {
    try {
        (void)nlohmann::json{{"error", text}}.dump();
        return true;
    } catch (const nlohmann::json::exception& e) {
        *why = e.what();
        return false;
    }
}

std::string verdict(const pulse::IngestResult& r) {
    return r.batch ? "accepted (" + std::to_string(r.batch->answers.size()) + " answers)"
                   : std::to_string(r.rejection.status) + " " + r.rejection.message;
}

void check(const pulse::IngestResult& r, const Fixture& f) {
    if (!r.batch) {
        const int s = r.rejection.status;
        PULSE_FUZZ_CHECK(s == 400 || s == 403 || s == 413 || s == 415 || s == 425, verdict(r));
        PULSE_FUZZ_CHECK(!r.rejection.message.empty(), verdict(r));
        // "Short whatever the body held" (ingest.hpp): a few hundred bytes, with room to spare.
        PULSE_FUZZ_CHECK(r.rejection.message.size() <= 1000,
                         std::to_string(r.rejection.message.size()) + " bytes: " + r.rejection.message.substr(0, 300));
        PULSE_FUZZ_CHECK((s == 425) == (r.rejection.retry_after_s != 0) && r.rejection.retry_after_s >= 0,
                         "retry_after_s " + std::to_string(r.rejection.retry_after_s) + " with " + verdict(r));
        std::string why;
        PULSE_FUZZ_CHECK(pulse::fuzz::is_valid_utf8(r.rejection.message) && dumps_as_json(r.rejection.message, &why),
                         "the server's {\"error\": message} would throw (" + why + "): " + r.rejection.message);
        return;
    }
    const pulse::IngestBatch& b = *r.batch;
    PULSE_FUZZ_CHECK(b.workplace == f.terminal.workplace, b.workplace);
    PULSE_FUZZ_CHECK(pulse::is_uuid(b.batch_id), b.batch_id);
    PULSE_FUZZ_CHECK(b.answers.size() <= pulse::kMaxBatchAnswers, verdict(r));
    for (const pulse::Answer& a : b.answers) {
        PULSE_FUZZ_CHECK(f.config.banks.front().find_question(a.question) != nullptr, a.question);
    }
}

// An accepted batch at now has no hour after the current hour plus the skew.
void check_hours(const pulse::IngestResult& r, pulse::UnixSeconds now) {
    if (!r.batch) return;
    const pulse::UnixSeconds latest = pulse::truncate_to_hour(now + pulse::kClockSkew_s);
    for (const pulse::Answer& a : r.batch->answers) {
        PULSE_FUZZ_CHECK(a.hour <= latest, pulse::format_answer_hour(a.hour) + " accepted at " +
                                               pulse::format_iso_utc(now));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    const std::string_view body = pulse::fuzz::as_text(data, size);
    const bool compressed = (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) || (size >= 1 && data[0] == 0x78);
    const pulse::IngestResult r = pulse::validate_batch(body, compressed ? "gzip" : "", f.terminal, f.config, f.now);
    check(r, f);
    check_hours(r, f.now);
    if (!r.batch && r.rejection.status == 425) {
        // Early: accepted once Retry-After has passed, and not a second sooner.
        const pulse::UnixSeconds later = f.now + r.rejection.retry_after_s;
        const pulse::IngestResult then = pulse::validate_batch(body, compressed ? "gzip" : "", f.terminal, f.config, later);
        PULSE_FUZZ_CHECK(then.batch.has_value(), "425 with Retry-After " + std::to_string(r.rejection.retry_after_s) +
                                                     " s, then " + verdict(then));
        check_hours(then, later);
        const pulse::IngestResult sooner =
            pulse::validate_batch(body, compressed ? "gzip" : "", f.terminal, f.config, later - 1);
        PULSE_FUZZ_CHECK(!sooner.batch && sooner.rejection.status == 425,
                         "Retry-After " + std::to_string(r.rejection.retry_after_s) + " s, but a second sooner: " +
                             verdict(sooner));
    }
    if (compressed) return 0;

    // The form is parse_batch_body's: its reason is the rejection's.
    const pulse::BatchBodyParse parsed = pulse::parse_batch_body(body);
    if (!parsed.body) {
        PULSE_FUZZ_CHECK(!r.batch && r.rejection.message == parsed.problem.message, verdict(r));
    }
    // The same body gzip-compressed gets the same verdict (the size limit's
    // message differs, and libFuzzer's inputs are far below it anyway).
    if (size > pulse::kMaxBodyBytes) return 0;
    const std::string packed = gzip(body);
    PULSE_FUZZ_CHECK(!packed.empty(), "zlib could not compress the input");
    const pulse::IngestResult z = pulse::validate_batch(packed, "gzip", f.terminal, f.config, f.now);
    PULSE_FUZZ_CHECK(verdict(z) == verdict(r), "identity: " + verdict(r) + "; gzip: " + verdict(z));
    return 0;
}
