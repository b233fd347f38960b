// test_email_message.cpp — the weekly e-mail's bytes: RFC 5322 headers,
// multipart/alternative with a text and an HTML part whose decoded HTML is
// the summary page, withheld figures as "for få svar", CRLF everywhere, no
// line over 998 octets, RFC 2047 for non-ASCII header text.
#include "collector/email/email_message.hpp"
#include "collector/email/mailer.hpp"  // unique_message_token
#include "collector/summary/formats.hpp"
#include "collector_fixture.hpp"  // shipped_summary_texts
#include "smtp_sink.hpp"  // base64_decode: an independent decoder

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

using namespace pulse;
using namespace pulse::testing;

namespace {

const QuestionBank& bank() {
    static const QuestionBank b = [] {
        BankLoad load = load_question_bank(PULSE_SOURCE_DIR "/config/questions.toml");
        REQUIRE(load.bank);
        return *load.bank;
    }();
    return b;
}

// 2026-W48 for wp-a: question 1.1 with 6 answers (shown), 1.2 with 2 (withheld).
Summary test_summary(const std::string& language = "da") {
    std::vector<AnswerCount> counts = {
        {"1.1", 4, 0, 0, 4}, {"1.1", 5, 0, 1, 2}, {"1.2", 2, 0, 2, 2}, {"1.1", 3, 1, 0, 5},
    };
    return build_summary("wp-a", {2026, 48}, bank(), counts, 5, language);
}

// The words of the e-mail: the project's config/summary_texts.toml.
const SummaryTexts& texts() { return shipped_summary_texts(); }

const UnixSeconds kNow = *parse_iso8601("2026-11-30T06:00:00Z");

struct Part {
    std::map<std::string, std::string> headers;
    std::string body;  // still encoded
};

struct Parsed {
    std::map<std::string, std::string> headers;  // name → unfolded value (the last one if repeated)
    std::vector<std::string> header_names;       // in order
    std::vector<Part> parts;
};

// "Name: value" lines, continuation lines unfolded.
std::map<std::string, std::string> parse_headers(const std::string& block, std::vector<std::string>* names = nullptr) {
    std::map<std::string, std::string> out;
    std::string last;
    std::size_t pos = 0;
    while (pos < block.size()) {
        std::size_t end = block.find("\r\n", pos);
        if (end == std::string::npos) end = block.size();
        const std::string line = block.substr(pos, end - pos);
        pos = end + 2;
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            out[last] += line;
            continue;
        }
        const std::size_t colon = line.find(':');
        REQUIRE_MESSAGE(colon != std::string::npos, "not a header line: ", line);
        last = line.substr(0, colon);
        out[last] = line.substr(colon + 2);
        if (names) names->push_back(last);
    }
    return out;
}

Parsed parse(const std::string& message) {
    Parsed p;
    const std::size_t split = message.find("\r\n\r\n");
    REQUIRE(split != std::string::npos);
    p.headers = parse_headers(message.substr(0, split), &p.header_names);
    const std::string type = p.headers["Content-Type"];
    const std::size_t b = type.find("boundary=\"");
    REQUIRE(b != std::string::npos);
    const std::string boundary = type.substr(b + 10, type.find('"', b + 10) - b - 10);
    const std::string body = message.substr(split + 4);
    const std::string delimiter = "--" + boundary;
    REQUIRE_MESSAGE(body.find(delimiter + "--\r\n") != std::string::npos, "no closing boundary");
    std::size_t pos = body.find(delimiter + "\r\n");
    while (pos != std::string::npos) {
        const std::size_t start = pos + delimiter.size() + 2;
        const std::size_t end = body.find(delimiter, start);
        REQUIRE(end != std::string::npos);
        const std::string chunk = body.substr(start, end - start);
        const std::size_t head_end = chunk.find("\r\n\r\n");
        REQUIRE(head_end != std::string::npos);
        p.parts.push_back({parse_headers(chunk.substr(0, head_end)), chunk.substr(head_end + 4)});
        pos = body.compare(end, delimiter.size() + 2, delimiter + "--") == 0 ? std::string::npos : end;
    }
    return p;
}

std::string lf(std::string text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        out += text[i];
    }
    return out;
}

// The text of RFC 2047 B-encoded UTF-8 words (separated by folding whitespace).
std::string decode_words(const std::string& header) {
    std::string out;
    std::size_t pos = 0;
    while ((pos = header.find("=?UTF-8?B?", pos)) != std::string::npos) {
        const std::size_t end = header.find("?=", pos + 10);
        REQUIRE(end != std::string::npos);
        out += base64_decode(header.substr(pos + 10, end - pos - 10));
        pos = end + 2;
    }
    return out;
}

// True when bytes is a sequence of whole UTF-8 characters (no cut at either end).
bool whole_utf8(const std::string& bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > bytes.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
        }
        i += n;
    }
    return true;
}

}  // namespace

TEST_CASE("the e-mail has every header a mail server and a reader expect") {
    const Summary summary = test_summary();
    const std::string message =
        build_email_message(summary, texts(), {"Pulse", "pulse@ishoj.dk"}, {"leder@ishoj.dk", "souschef@ishoj.dk"}, kNow, "abc123");
    const Parsed p = parse(message);
    CHECK(p.header_names == std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                                                     "Content-Type", "Auto-Submitted"});
    const auto h = [&](const std::string& name) { return p.headers.at(name); };
    CHECK(h("From") == "Pulse <pulse@ishoj.dk>");
    CHECK(h("To") == "leder@ishoj.dk, souschef@ishoj.dk");
    CHECK(h("Subject") == "Ugentlig puls: wp-a, uge 48 2026");
    CHECK(h("Date") == "Mon, 30 Nov 2026 07:00:00 +0100");
    CHECK(h("Message-ID") == "<pulse.2026-W48.abc123@ishoj.dk>");
    CHECK(h("MIME-Version") == "1.0");
    CHECK(h("Content-Type") == "multipart/alternative; boundary=\"=_pulse_abc123\"");
    CHECK(h("Auto-Submitted") == "auto-generated");
}

TEST_CASE("the html part decodes to the summary page and the text part gives the themes") {
    const Summary summary = test_summary();
    const Parsed p = parse(build_email_message(summary, texts(), {"", "pulse@ishoj.dk"}, {"leder@ishoj.dk"}, kNow, "x1"));
    REQUIRE(p.parts.size() == 2);
    CHECK(p.parts[0].headers.at("Content-Type") == "text/plain; charset=UTF-8");
    CHECK(p.parts[0].headers.at("Content-Transfer-Encoding") == "base64");
    CHECK(p.parts[1].headers.at("Content-Type") == "text/html; charset=UTF-8");
    CHECK(p.parts[1].headers.at("Content-Transfer-Encoding") == "base64");

    bool ok = false;
    const std::string html = base64_decode(p.parts[1].body, &ok);
    REQUIRE(ok);
    // The part is in canonical form (CRLF); with LF again it is the page byte for byte.
    CHECK(summary_html(summary, texts(), HtmlFor::email).find('\r') == std::string::npos);
    CHECK(lf(html) == summary_html(summary, texts(), HtmlFor::email));
    CHECK(html.find("for få svar") != std::string::npos);

    const std::string text = lf(base64_decode(p.parts[0].body, &ok));
    REQUIRE(ok);
    CHECK(text == email_text(summary, texts()));
    CHECK(text.rfind("Ugentlig puls: wp-a, uge 48 2026\n\nSvar i ugen: ", 0) == 0);
    for (const ThemeSummary& t : summary.themes) CHECK(text.find("- " + t.title + ": ") != std::string::npos);
}

TEST_CASE("withheld figures are for få svar in both parts and never a number") {
    const Summary summary = test_summary();
    // The fixture has one theme with figures and the others withheld.
    REQUIRE(std::any_of(summary.themes.begin(), summary.themes.end(), [](const ThemeSummary& t) { return t.figures.withheld; }));
    const std::string text = email_text(summary, texts());
    for (const ThemeSummary& t : summary.themes) {
        const std::size_t at = text.find("- " + t.title + ": ");
        REQUIRE(at != std::string::npos);
        const std::string line = text.substr(at, text.find('\n', at) - at);
        if (t.figures.withheld) CHECK(line == "- " + t.title + ": for få svar");
        else CHECK(line.find("for få svar") == std::string::npos);
    }
    const std::string english = email_text(test_summary("en"), texts());
    CHECK(english.find("too few answers") != std::string::npos);
    CHECK(english.find("for få svar") == std::string::npos);
}

TEST_CASE("every line ends in crlf and none is longer than 998 octets") {
    const std::vector<std::string> many = {"a.very.long.name.indeed@ishoj.dk", "another.long.name@ishoj.dk",
                                           "third.person.with.a.title@ishoj.dk", "fourth@ishoj.dk",
                                           "fifth.one@ishoj.dk"};
    const std::string message = build_email_message(test_summary(), texts(), {"Puls – Ishøj Kommune", "pulse@ishoj.dk"}, many,
                                                     kNow, "q9");
    std::size_t start = 0, lines = 0;
    while (start < message.size()) {
        const std::size_t end = message.find("\r\n", start);
        REQUIRE_MESSAGE(end != std::string::npos, "the message does not end in CRLF");
        const std::string line = message.substr(start, end - start);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find('\r') == std::string::npos);
        CHECK(line.size() <= 998);
        CHECK(line.size() <= 78);  // what we aim at: headers folded, base64 in 76
        CHECK(std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7F; }));  // 7-bit
        start = end + 2;
        ++lines;
    }
    CHECK(lines > 20);
    const Parsed p = parse(message);
    CHECK(p.headers.at("To") == "a.very.long.name.indeed@ishoj.dk, another.long.name@ishoj.dk," +
                                    std::string(" third.person.with.a.title@ishoj.dk, fourth@ishoj.dk, fifth.one@ishoj.dk"));
}

TEST_CASE("with the mailer's real unique tokens the MIME boundary keeps to 70 characters and differs per message") {
    std::string previous;
    for (int i = 0; i < 50; ++i) {
        const std::string message = build_email_message(test_summary(), texts(), {"Pulse", "pulse@ishoj.dk"},
                                                         {"leder@ishoj.dk"}, kNow, unique_message_token());
        const std::string key = "boundary=\"";
        const std::size_t at = message.find(key);
        REQUIRE(at != std::string::npos);
        const std::string boundary = message.substr(at + key.size(), message.find('"', at + key.size()) - at - key.size());
        CHECK(boundary.size() <= 70);
        CHECK(boundary.size() >= 40);
        CHECK(message.find("\r\n--" + boundary + "--\r\n") != std::string::npos);
        CHECK(boundary != previous);
        previous = boundary;
    }
}

TEST_CASE("non-ascii header text is rfc 2047 encoded in short words that split no character") {
    const std::string long_name = "Pulsmåling for Ishøj Kommunes ældrepleje, sundhed og trivsel på arbejdspladsen";
    const std::string encoded = encode_header_text(long_name);
    CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(decode_words(encoded) == long_name);
    std::size_t words = 0, pos = 0;
    while (pos < encoded.size()) {
        std::size_t end = encoded.find("\r\n ", pos);
        if (end == std::string::npos) end = encoded.size();
        const std::string word = encoded.substr(pos, end - pos);
        CHECK(word.size() <= 60);  // "Subject: " or "From: " and one word stay under 76
        // Each word holds whole UTF-8 characters: it decodes without a dangling byte.
        const std::string bytes = base64_decode(word.substr(10, word.size() - 12));
        CHECK_MESSAGE(whole_utf8(bytes), "a word splits a character: ", word);
        ++words;
        pos = end + 3;
    }
    CHECK(words >= 2);
    CHECK(encode_header_text("Weekly pulse: wp-a") == "Weekly pulse: wp-a");

    const Parsed p = parse(build_email_message(test_summary(), texts(), {"Puls – Ishøj", "pulse@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z"));
    const std::string from = p.headers.at("From");
    CHECK(from.find("<pulse@ishoj.dk>") != std::string::npos);
    CHECK(decode_words(from) == "Puls – Ishøj");
    CHECK(parse(build_email_message(test_summary(), texts(), {"Puls, Ishoj", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z"))
              .headers.at("From") == "\"Puls, Ishoj\" <p@ishoj.dk>");
}

TEST_CASE("ascii header text too long for one line is encoded in folded words, so no line passes 998 octets") {
    // The fuzzer's find: a sender name of 1000 ASCII characters stood as is in From:.
    const std::string name(1000, 'A');
    const std::string encoded = encode_header_text(name);
    CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(decode_words(encoded) == name);
    CHECK(encode_header_text(std::string(kPlainHeaderTextMax, 'A')) == std::string(kPlainHeaderTextMax, 'A'));
    const std::string message = build_email_message(test_summary(), texts(), {name, "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z");
    const std::string head = message.substr(0, message.find("\r\n\r\n"));
    std::size_t pos = 0, longest = 0;
    while (pos <= head.size()) {
        std::size_t end = head.find("\r\n", pos);
        if (end == std::string::npos) end = head.size();
        longest = std::max(longest, end - pos);
        pos = end + 2;
    }
    CHECK(longest <= 998);
    CHECK(decode_words(parse(message).headers.at("From")).find(name) != std::string::npos);
}

TEST_CASE("the english e-mail has an english subject") {
    const Parsed p = parse(build_email_message(test_summary("en"), texts(), {"", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "e"));
    CHECK(p.headers.at("Subject") == "Weekly pulse: wp-a, week 48 2026");
    CHECK(p.headers.at("From") == "p@ishoj.dk");
}

TEST_CASE("the date header is copenhagen time with its offset in winter and summer") {
    CHECK(rfc5322_date(*parse_iso8601("2026-11-30T06:00:00Z")) == "Mon, 30 Nov 2026 07:00:00 +0100");
    CHECK(rfc5322_date(*parse_iso8601("2026-06-29T05:00:00Z")) == "Mon, 29 Jun 2026 07:00:00 +0200");
    CHECK(rfc5322_date(*parse_iso8601("2026-12-31T23:30:05Z")) == "Fri, 01 Jan 2027 00:30:05 +0100");
}

TEST_CASE("addresses are plain ascii addr-specs and mailboxes may carry a name") {
    for (const char* good : {"leder@ishoj.dk", "a.b+c@x-y.ishoj.dk", "root@localhost", "o'brien@ishoj.dk"}) {
        CHECK_MESSAGE(is_email_address(good), good);
    }
    for (const char* bad : {"", "leder", "@ishoj.dk", "leder@", "le der@ishoj.dk", "leder@@ishoj.dk", ".a@ishoj.dk",
                            "a..b@ishoj.dk", "a@-ishoj.dk", "a@ishoj-.dk", "a@ishoj..dk", "æ@ishoj.dk", "a@ishøj.dk",
                            "a@ishoj.dk>", "\"a\"@ishoj.dk"}) {
        CHECK_FALSE_MESSAGE(is_email_address(bad), bad);
    }
    CHECK(parse_mailbox("Pulse <pulse@ishoj.dk>")->name == "Pulse");
    CHECK(parse_mailbox("Pulse <pulse@ishoj.dk>")->address == "pulse@ishoj.dk");
    CHECK(parse_mailbox("pulse@ishoj.dk")->name.empty());
    CHECK(parse_mailbox("<pulse@ishoj.dk>")->address == "pulse@ishoj.dk");
    CHECK_FALSE(parse_mailbox("Pulse <pulse@ishoj.dk> x"));
    CHECK_FALSE(parse_mailbox("Pulse <pulse@ishoj.dk"));
    CHECK_FALSE(parse_mailbox("Pu\"lse <pulse@ishoj.dk>"));
    CHECK_FALSE(parse_mailbox("Pulse\r\nBcc: x@y.dk <pulse@ishoj.dk>"));
}
