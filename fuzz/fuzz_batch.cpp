// fuzz_batch.cpp — libFuzzer harness of the batch body parser
// (common/protocol.cpp parse_batch_body, and quoted_for_message, which its
// messages quote the body with): any bytes as a body. Checks that a refused
// body's reason is valid UTF-8 of at most kMaxMessageBytes (it is sent back
// as JSON and logged), that a batch it accepts obeys its contract (UUIDs,
// values 1–5, whole UTC hours, at most kMaxBatchAnswers answers) and that
// writing it back with write_batch_body parses to the same batch (answers in
// any order).
#include "common/protocol.hpp"

#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using pulse::Answer;
using pulse::BatchBody;

// "At most a few hundred bytes" (protocol.hpp), with room to spare.
constexpr std::size_t kMaxMessageBytes = 1000;

// "answer i: id=… question=… value=… lang=… hour=…", for a failed check.
std::string describe(const Answer& a) {
    return "id=" + a.id + " question=" + a.question + " value=" + (a.value ? std::to_string(*a.value) : "null") +
           " lang=" + a.lang + " hour=" + std::to_string(a.hour);
}

bool same_answer(const Answer& a, const Answer& b) {
    return a.id == b.id && a.question == b.question && a.value == b.value && a.lang == b.lang && a.hour == b.hour;
}

std::vector<Answer> sorted_by_id(std::vector<Answer> answers) {
    std::sort(answers.begin(), answers.end(), [](const Answer& a, const Answer& b) { return a.id < b.id; });
    return answers;
}

// The parser's contract for a batch it accepted.
void check_accepted(const BatchBody& body) {
    PULSE_FUZZ_CHECK(pulse::is_uuid(body.batch_id), "batch \"" + body.batch_id + "\"");
    PULSE_FUZZ_CHECK(body.answers.size() <= pulse::kMaxBatchAnswers, std::to_string(body.answers.size()));
    for (const Answer& a : body.answers) {
        PULSE_FUZZ_CHECK(pulse::is_uuid(a.id), describe(a));
        PULSE_FUZZ_CHECK(!a.value || (*a.value >= 1 && *a.value <= 5), describe(a));
        PULSE_FUZZ_CHECK(a.lang == "da" || a.lang == "en", describe(a));
        PULSE_FUZZ_CHECK(a.hour == pulse::truncate_to_hour(a.hour), describe(a));
        // The hour as sent reads back as the same hour.
        const std::optional<pulse::UnixSeconds> hour = pulse::parse_answer_hour(pulse::format_answer_hour(a.hour));
        PULSE_FUZZ_CHECK(hour && *hour == a.hour, describe(a) + " written " + pulse::format_answer_hour(a.hour));
    }
    std::vector<Answer> sorted = sorted_by_id(body.answers);
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        PULSE_FUZZ_CHECK(sorted[i - 1].id != sorted[i].id, "id " + sorted[i].id + " accepted twice");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const pulse::BatchBodyParse parsed = pulse::parse_batch_body(pulse::fuzz::as_text(data, size));
    const std::string quoted = pulse::quoted_for_message(pulse::fuzz::as_text(data, size));
    PULSE_FUZZ_CHECK(pulse::fuzz::is_valid_utf8(quoted) && quoted.find_first_of("\r\n") == std::string::npos,
                     "quoted_for_message: " + quoted);
    if (!parsed.body) {
        const std::string& why = parsed.problem.message;
        PULSE_FUZZ_CHECK(!why.empty(), "a refused body needs a reason");
        PULSE_FUZZ_CHECK(pulse::fuzz::is_valid_utf8(why), "the reason is not UTF-8: " + pulse::quoted_for_message(why, 300));
        PULSE_FUZZ_CHECK(why.size() <= kMaxMessageBytes, std::to_string(why.size()) + " bytes: " + why.substr(0, 300));
        return 0;
    }
    const BatchBody& body = *parsed.body;
    check_accepted(body);

    // Round trip: what the terminal would write from this batch is read back
    // as the same batch. The writer shuffles, so compare by id.
    pulse::Rng rng(size);
    const std::string written =
        pulse::write_batch_body(body.terminal, body.workplace, body.batch_id, body.bank_version, body.answers, rng);
    const pulse::BatchBodyParse again = pulse::parse_batch_body(written);
    PULSE_FUZZ_CHECK(again.body.has_value(), "the written batch is refused: " + again.problem.message);
    const BatchBody& back = *again.body;
    PULSE_FUZZ_CHECK(back.terminal == body.terminal && back.workplace == body.workplace &&
                         back.batch_id == body.batch_id && back.bank_version == body.bank_version,
                     "the written batch's header differs: " + written.substr(0, 200));
    PULSE_FUZZ_CHECK(back.answers.size() == body.answers.size(), "answer count differs");
    const std::vector<Answer> a = sorted_by_id(body.answers), b = sorted_by_id(back.answers);
    for (std::size_t i = 0; i < a.size(); ++i) {
        PULSE_FUZZ_CHECK(same_answer(a[i], b[i]), describe(a[i]) + " came back as " + describe(b[i]));
    }
    return 0;
}
