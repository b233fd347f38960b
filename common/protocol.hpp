// protocol.hpp — upload protocol v1 (docs/protocol.md) as both sides speak
// it: the Answer, the id and hour formats, and the batch body's writer (the
// terminal) and parser (the collector). The parser checks the body's form —
// fields, types, ids, values, hours; the collector's own rules (which
// terminal, which bank, how far ahead) are collector/http/ingest.
#pragma once

#include "common/calendar.hpp"
#include "common/random.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

inline constexpr int kProtocolSchema = 1;                      // "schema" of protocol v1
inline constexpr std::size_t kMaxBodyBytes = 2 * 1024 * 1024;  // a body, also after gunzip
inline constexpr std::size_t kMaxBatchAnswers = 5000;          // answers in one batch
inline constexpr std::size_t kMaxBodyDepth = 8;                // JSON nesting: the protocol needs 3

// One answer as stored on the terminal and sent: nothing else about an
// answer exists (no session, no order, no minute).
struct Answer {
    std::string id;            // UUID v4, random
    std::string question;      // question id, "2.3"
    std::optional<int> value;  // 1..5; nullopt = "don't know"
    std::string lang;          // "da" | "en"
    UnixSeconds hour = 0;      // UTC, truncated to the hour
};

// True for a UUID in lower-case 8-4-4-4-12 hex form (the form ids are sent in).
bool is_uuid(std::string_view text);

// An answer's hour on the wire: "2026-11-27T09:00:00Z", truncated to the hour
// again so that no minute can ever be sent.
std::string format_answer_hour(UnixSeconds hour);

// The hour of exactly "YYYY-MM-DDTHH:00:00Z" (a real date, hour 00–23), or
// nullopt for anything else (minutes, offsets, 2026-02-30, a number).
std::optional<UnixSeconds> parse_answer_hour(std::string_view text);

// A batch as it travels: who sends it, which bank its questions are from,
// and the answers.
struct BatchBody {
    std::string terminal;         // the terminal's id
    std::string workplace;        // its workplace
    std::string batch_id;         // UUID; the same on every retry
    std::string bank_version;     // the question bank's version
    std::vector<Answer> answers;  // writer: any order; parser: the order received
};

// The JSON body of a batch. The answers are written in a random order (rng),
// never in the order given.
std::string write_batch_body(const std::string& terminal, const std::string& workplace, const std::string& batch_id,
                             const std::string& bank_version, std::vector<Answer> answers, Rng& rng);

// Why a body is not a batch of protocol v1: the field and what was wrong
// ("answers[3].value: 7 is not 1–5 or null"; "body: …" for the body as a
// whole). Always valid UTF-8 and at most a few hundred bytes, whatever the
// body held: it is sent back as JSON and logged. too_many: more than
// kMaxBatchAnswers answers (a 413 for the collector, not a 400).
struct BatchBodyProblem {
    bool too_many = false;
    std::string message;
};

struct BatchBodyParse {
    std::optional<BatchBody> body;  // set when the body is a well-formed batch
    BatchBodyProblem problem;       // meaningful when body is empty
};

// Reads a (decompressed) body: a JSON object with exactly the fields of
// protocol v1, schema 1, terminal/workplace/bank strings, batch a UUID, at
// most kMaxBatchAnswers answers, each with exactly id (a UUID, unique in the
// batch), question (a string), value (1–5 or null), lang ("da"/"en") and
// hour (parse_answer_hour). Before any of that, the text must be JSON (RFC
// 8259: UTF-8, in keys too; no NaN or Infinity; numbers a double can hold)
// with no object holding a key twice (which of the two would count is
// ambiguous) and nothing nested deeper than kMaxBodyDepth; these problems
// name the field where they occur ("answers[2].value: not valid JSON at
// byte 181 (number overflow parsing '1e400')"). The first problem found is
// reported; never throws (but for std::bad_alloc).
BatchBodyParse parse_batch_body(std::string_view json_text);

// Text from a body (or any text) as a message may quote it: in double
// quotes, escaped as in JSON (so a newline cannot split a log line), a byte
// that is not UTF-8 as \xNN, cut after max_bytes of text with "..." after
// the closing quote. The result is valid UTF-8.
std::string quoted_for_message(std::string_view text, std::size_t max_bytes = 60);

}  // namespace pulse
