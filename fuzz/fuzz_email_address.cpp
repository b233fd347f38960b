// fuzz_email_address.cpp — libFuzzer harness of the e-mail address and
// header code (collector/email/email_message.cpp is_email_address,
// parse_mailbox, encode_header_text and the headers of build_email_message;
// the config's [email] sender and recipients go through the first two). The
// input is one text, as a sender or recipient in the config. Checks that an
// address it accepts is plain printable ASCII within 254 characters; that a
// mailbox it reads has a valid address, a name without control characters,
// '<', '>' or '"', and reads the same from its canonical form; that RFC 2047
// words decode back to the text, whole UTF-8 characters each, within 76
// characters a line; and that a message From that mailbox (the repository's
// summary texts and question bank, one fixed week) has exactly the expected
// headers, CRLF line ends and no line over 998 octets: no header can be
// injected through the name.
#include "collector/email/email_message.hpp"

#include "common/base64.hpp"
#include "common/calendar.hpp"

#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace {

struct Fixture {
    pulse::SummaryTexts texts;
    pulse::Summary summary;
};

const Fixture& fixture() {
    static const Fixture f = [] {
        Fixture f;
        pulse::BankLoad bank = pulse::load_question_bank(pulse::fuzz::source_file("config/questions.toml"));
        pulse::SummaryTextsLoad texts = pulse::load_summary_texts(pulse::fuzz::source_file("config/summary_texts.toml"));
        if (!bank.bank || !texts.texts) pulse::fuzz::fail(__FILE__, __LINE__, "the repository's config does not load");
        f.texts = std::move(*texts.texts);
        const std::vector<pulse::AnswerCount> counts = {{"1.1", 4, 0, 0, 4}, {"1.1", 5, 0, 1, 2}, {"1.2", 2, 0, 2, 2}};
        f.summary = pulse::build_summary("wp-a", {2026, 48}, *bank.bank, counts, 5, "da");
        return f;
    }();
    return f;
}

// True when bytes is a sequence of whole UTF-8 sequences by their form (a
// lead byte and its continuation bytes), which is what encode_header_text keeps together.
bool whole_utf8(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > bytes.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
        }
        i += n;
    }
    return true;
}

void check_address(const std::string& text) {
    if (!pulse::is_email_address(text)) return;
    PULSE_FUZZ_CHECK(text.size() <= 254 && text.find('@') != std::string::npos, text);
    PULSE_FUZZ_CHECK(std::all_of(text.begin(), text.end(),
                                 [](char c) { return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"'; }),
                     "an address with a space, control, non-ASCII or <>\" character: " + text);
}

void check_mailbox(const std::string& text) {
    const std::optional<pulse::Mailbox> box = pulse::parse_mailbox(text);
    if (!box) return;
    PULSE_FUZZ_CHECK(pulse::is_email_address(box->address), box->address);
    PULSE_FUZZ_CHECK(std::none_of(box->name.begin(), box->name.end(),
                                  [](char c) {
                                      return static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == '<' ||
                                             c == '>' || c == '"';
                                  }),
                     "name " + box->name);
    const std::string canonical = box->name.empty() ? box->address : box->name + " <" + box->address + ">";
    const std::optional<pulse::Mailbox> again = pulse::parse_mailbox(canonical);
    PULSE_FUZZ_CHECK(again && again->name == box->name && again->address == box->address, canonical);
}

void check_encoded_words(const std::string& text) {
    const std::string encoded = pulse::encode_header_text(text);
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
    if (ascii && text.size() <= pulse::kPlainHeaderTextMax) {
        PULSE_FUZZ_CHECK(encoded == text, "printable ASCII that fits a line was encoded");
        return;
    }
    std::string decoded;
    const bool utf8 = whole_utf8(text);
    std::size_t pos = 0;
    while (pos < encoded.size()) {
        const std::size_t end = std::min(encoded.find("\r\n ", pos), encoded.size());
        const std::string_view word = std::string_view(encoded).substr(pos, end - pos);
        PULSE_FUZZ_CHECK(word.size() <= 75 && word.rfind("=?UTF-8?B?", 0) == 0 && word.size() >= 12 &&
                             word.substr(word.size() - 2) == "?=",
                         "not an encoded word: " + std::string(word));
        const std::optional<std::string> bytes = pulse::base64_decode(word.substr(10, word.size() - 12));
        PULSE_FUZZ_CHECK(bytes.has_value(), "not base64: " + std::string(word));
        PULSE_FUZZ_CHECK(!utf8 || whole_utf8(*bytes), "a UTF-8 character split between words");
        decoded += *bytes;
        pos = end == encoded.size() ? end : end + 3;
    }
    PULSE_FUZZ_CHECK(decoded == text, "the encoded words do not decode to the text");
}

// The header block of a message From box: CRLF lines of at most 998 octets,
// each "Name: value" or a fold (leading space), with exactly the headers
// build_email_message writes, once each.
void check_message_headers(const pulse::Mailbox& box) {
    const Fixture& f = fixture();
    const std::string message =
        pulse::build_email_message(f.summary, f.texts, box, {box.address}, 1796018400 /* 2026-11-30T06:00Z */, "fuzz1",
                                   "https://pulse.ishoj.dk/workplaces/wp-a/2026-W48");
    const std::size_t split = message.find("\r\n\r\n");
    PULSE_FUZZ_CHECK(split != std::string::npos, "no end of headers");
    const std::string block = message.substr(0, split + 2);
    std::map<std::string, int> names;
    std::size_t pos = 0;
    while (pos < block.size()) {
        const std::size_t end = block.find("\r\n", pos);
        PULSE_FUZZ_CHECK(end != std::string::npos, "a header line without CRLF");
        const std::string line = block.substr(pos, end - pos);
        PULSE_FUZZ_CHECK(line.size() <= 998, "a header line of " + std::to_string(line.size()) + " octets");
        PULSE_FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos, "a bare CR or LF in: " + line);
        if (line.empty() || line[0] != ' ') {
            const std::size_t colon = line.find(": ");
            PULSE_FUZZ_CHECK(colon != std::string::npos && colon > 0, "not a header line: " + line);
            ++names[line.substr(0, colon)];
        }
        pos = end + 2;
    }
    const std::map<std::string, int> expected = {{"From", 1},         {"To", 1},           {"Subject", 1},
                                                 {"Date", 1},         {"Message-ID", 1},   {"MIME-Version", 1},
                                                 {"Content-Type", 1}, {"Auto-Submitted", 1}};
    std::string seen;
    for (const auto& [name, count] : names) seen += name + "×" + std::to_string(count) + " ";
    PULSE_FUZZ_CHECK(names == expected, "headers: " + seen + "from name \"" + box.name + "\"");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(pulse::fuzz::as_text(data, size));
    check_address(text);
    check_mailbox(text);
    check_encoded_words(text);
    if (const std::optional<pulse::Mailbox> box = pulse::parse_mailbox(text)) check_message_headers(*box);
    return 0;
}
