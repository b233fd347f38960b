// test_email_message.cpp — the e-mails' bytes: RFC 5322 headers; the weekly
// e-mail as multipart/mixed of a multipart/alternative (a text and an HTML
// part whose decoded HTML is the summary page, with or without the link to
// the week's page) and the summary's CSV attached; withheld figures as "for
// få svar", CRLF everywhere, no line over 998 octets, RFC 2047 for non-ASCII
// header text; the plain text e-mail of the sign-in link.
#include "collector/email/email_message.hpp"
#include "collector/email/mailer.hpp"  // unique_message_token
#include "collector/summary/formats.hpp"
#include "collector_fixture.hpp"  // shipped_summary_texts
#include "smtp_sink.hpp"  // base64_decode: an independent decoder

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_email_message {

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

const std::string kWeekUrl = "https://pulse.example/workplaces/wp-a/2026-W48";

// A MIME entity: its headers and either its still encoded body or, when it
// is multipart, its parts.
struct Parsed {
    std::map<std::string, std::string> headers;  // name → unfolded value (the last one if repeated)
    std::vector<std::string> header_names;       // in order
    std::string body;                            // still encoded; "" for a multipart
    std::vector<Parsed> parts;
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

// A message or body part: headers, then the body; a multipart's body split
// at its boundary into parts, each parsed the same way.
Parsed parse(const std::string& entity) {
    Parsed p;
    const std::size_t split = entity.find("\r\n\r\n");
    REQUIRE(split != std::string::npos);
    p.headers = parse_headers(entity.substr(0, split), &p.header_names);
    const std::string body = entity.substr(split + 4);
    const std::string type = p.headers["Content-Type"];
    if (type.rfind("multipart/", 0) != 0) {
        p.body = body;
        return p;
    }
    const std::size_t b = type.find("boundary=\"");
    REQUIRE(b != std::string::npos);
    const std::string boundary = type.substr(b + 10, type.find('"', b + 10) - b - 10);
    const std::string delimiter = "--" + boundary;
    REQUIRE_MESSAGE(body.find(delimiter + "--\r\n") != std::string::npos, "no closing boundary");
    std::size_t pos = body.find(delimiter + "\r\n");
    while (pos != std::string::npos) {
        const std::size_t start = pos + delimiter.size() + 2;
        const std::size_t end = body.find("\r\n" + delimiter, start);  // the CRLF before it is the delimiter's
        REQUIRE(end != std::string::npos);
        p.parts.push_back(parse(body.substr(start, end + 2 - start)));
        pos = body.compare(end + 2, delimiter.size() + 2, delimiter + "--") == 0 ? std::string::npos : end + 2;
    }
    return p;
}

// The decoded body of a base64 part.
std::string decoded(const Parsed& part) {
    REQUIRE(part.headers.at("Content-Transfer-Encoding") == "base64");
    bool ok = false;
    std::string bytes = base64_decode(part.body, &ok);
    REQUIRE(ok);
    return bytes;
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

// p has exactly the expected headers, in this order, with these (unfolded) values.
void check_headers(const Parsed& p, const std::vector<std::pair<std::string, std::string>>& expected) {
    std::vector<std::string> names;
    for (const auto& [name, value] : expected) {
        names.push_back(name);
        CHECK_MESSAGE(p.headers.count(name) == 1, name);
        if (p.headers.count(name) == 1) CHECK_MESSAGE(p.headers.at(name) == value, name);
    }
    CHECK(p.header_names == names);
}

// A summary page without what summary_html's chrome put first in <body>.
std::string without_chrome(const std::string& html) {
    const std::size_t body = html.find("<body");
    const std::size_t main = html.find("<main");
    REQUIRE(body != std::string::npos);
    REQUIRE(main != std::string::npos);
    return html.substr(0, html.find(">\n", body) + 2) + html.substr(main);
}

// Every line of message ends in CRLF, is 7-bit printable and at most 78
// characters (what we aim at: headers folded, base64 in 76; SMTP allows 998).
void check_lines(const std::string& message) {
    std::size_t start = 0;
    while (start < message.size()) {
        const std::size_t end = message.find("\r\n", start);
        REQUIRE_MESSAGE(end != std::string::npos, "the message does not end in CRLF");
        const std::string line = message.substr(start, end - start);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find('\r') == std::string::npos);
        CHECK(line.size() <= 78);
        CHECK(std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7F; }));
        start = end + 2;
    }
}

}  // namespace

TEST_CASE("the e-mail has every header a mail server and a reader expect") {
    const Summary summary = test_summary();
    const std::string message =
        build_email_message(summary, texts(), {"Pulse", "pulse@ishoj.dk"}, {"leder@ishoj.dk", "souschef@ishoj.dk"}, kNow,
                            "abc123", kWeekUrl);
    check_headers(parse(message), {{"From", "Pulse <pulse@ishoj.dk>"},
                                   {"To", "leder@ishoj.dk, souschef@ishoj.dk"},
                                   {"Subject", "Ugentlig puls: wp-a, uge 48 2026"},
                                   {"Date", "Mon, 30 Nov 2026 07:00:00 +0100"},
                                   {"Message-ID", "<pulse.2026-W48.abc123@ishoj.dk>"},
                                   {"MIME-Version", "1.0"},
                                   {"Content-Type", "multipart/mixed; boundary=\"=_pulse_m_abc123\""},
                                   {"Auto-Submitted", "auto-generated"}});
}

TEST_CASE("a plain text e-mail has the weekly e-mail's headers and one text part that decodes to the text") {
    const std::string text = "Hej Leder A\n\nHer er dit link til at logge ind på Pulse:\n\n"
                             "https://pulse.example/signin/abc\n\nSendt automatisk af Pulse.";
    const std::string message =
        build_text_email({"Pulse", "pulse@ishoj.dk"}, "leder@ishoj.dk", "Dit link til Pulse", text, kNow, "s1");
    check_lines(message);
    const Parsed p = parse(message);
    check_headers(p, {{"From", "Pulse <pulse@ishoj.dk>"},
                      {"To", "leder@ishoj.dk"},
                      {"Subject", "Dit link til Pulse"},
                      {"Date", "Mon, 30 Nov 2026 07:00:00 +0100"},
                      {"Message-ID", "<pulse.s1@ishoj.dk>"},
                      {"MIME-Version", "1.0"},
                      {"Content-Type", "text/plain; charset=UTF-8"},
                      {"Content-Transfer-Encoding", "base64"},
                      {"Auto-Submitted", "auto-generated"}});
    CHECK(p.parts.empty());

    const std::string body = decoded(p);
    CHECK(lf(body) == text);
    CHECK(std::count(body.begin(), body.end(), '\n') == std::count(body.begin(), body.end(), '\r'));  // all CRLF

    // Non-ASCII subjects are encoded words; the sender is written as the weekly e-mail writes it.
    for (const Mailbox& from : {Mailbox{"", "p@ishoj.dk"}, Mailbox{"Puls, Ishoj", "p@ishoj.dk"},
                                Mailbox{"Puls – Ishøj", "p@ishoj.dk"}}) {
        CAPTURE(from.name);
        const Parsed plain = parse(build_text_email(from, "l@ishoj.dk", "Dit link – Ishøj", "x", kNow, "s2"));
        CHECK(decode_words(plain.headers.at("Subject")) == "Dit link – Ishøj");
        CHECK(plain.headers.at("From") ==
              parse(build_email_message(test_summary(), texts(), from, {"l@ishoj.dk"}, kNow, "s2", "")).headers.at("From"));
    }
}

TEST_CASE("the message is the text and html parts as alternatives followed by the csv attachment") {
    const Summary summary = test_summary();
    const Parsed p = parse(build_email_message(summary, texts(), {"", "pulse@ishoj.dk"}, {"leder@ishoj.dk"}, kNow, "x1", ""));
    REQUIRE(p.parts.size() == 2);
    const Parsed& alternative = p.parts[0];
    CHECK(alternative.headers.at("Content-Type") == "multipart/alternative; boundary=\"=_pulse_a_x1\"");
    REQUIRE(alternative.parts.size() == 2);
    CHECK(alternative.parts[0].headers.at("Content-Type") == "text/plain; charset=UTF-8");
    CHECK(alternative.parts[1].headers.at("Content-Type") == "text/html; charset=UTF-8");
    CHECK(p.parts[1].headers.at("Content-Type") == "text/csv; charset=UTF-8");
    CHECK(p.parts[1].headers.at("Content-Disposition") == "attachment; filename=\"pulse-wp-a-2026-W48.csv\"");
    for (const Parsed* part : {&alternative.parts[0], &alternative.parts[1], &p.parts[1]}) {
        CHECK(part->headers.at("Content-Transfer-Encoding") == "base64");
    }
}

TEST_CASE("the html part decodes to the summary page and the text part gives the themes") {
    const Summary summary = test_summary();
    const Parsed p = parse(build_email_message(summary, texts(), {"", "pulse@ishoj.dk"}, {"leder@ishoj.dk"}, kNow, "x1", ""));
    const Parsed& alternative = p.parts.at(0);
    REQUIRE(alternative.parts.size() == 2);

    const std::string html = decoded(alternative.parts[1]);
    // The part is in canonical form (CRLF); with LF again it is the page byte for byte.
    CHECK(email_html(summary, texts(), "").find('\r') == std::string::npos);
    CHECK(lf(html) == email_html(summary, texts(), ""));
    // The page `report` makes, with only the e-mail's block above it.
    CHECK(without_chrome(lf(html)) == summary_html(summary, texts(), HtmlFor::email));
    CHECK(html.find("for få svar") != std::string::npos);

    const std::string text = lf(decoded(alternative.parts[0]));
    CHECK(text == email_text(summary, texts(), ""));
    CHECK(text.rfind("Ugentlig puls: wp-a, uge 48 2026\n\nSvar i ugen: ", 0) == 0);
    for (const ThemeSummary& t : summary.themes) CHECK(text.find("- " + t.title + ": ") != std::string::npos);
    // Theme 1: 2 × 2, 4 × 4, 2 × 5: the page's theme table's shares, in words.
    CHECK(text.find(": 3,8, 75 % enige, 25 % uenige, 8 svar\n") != std::string::npos);
    CHECK(text.find("positive") == std::string::npos);
}

TEST_CASE("the attachment is the summary's csv, byte for byte, named after the workplace and week") {
    for (const std::string language : {"da", "en"}) {
        CAPTURE(language);
        const Summary summary = test_summary(language);
        const Parsed p = parse(build_email_message(summary, texts(), {"", "pulse@ishoj.dk"}, {"leder@ishoj.dk"}, kNow,
                                                   "c1", kWeekUrl));
        REQUIRE(p.parts.size() == 2);
        const std::string csv = decoded(p.parts[1]);
        CHECK(csv == summary_csv(summary, texts()));
        CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);  // the BOM Excel needs survives
        CHECK(p.parts[1].headers.at("Content-Disposition") == "attachment; filename=\"pulse-wp-a-2026-W48.csv\"");
        // Both parts say it is attached, in the summary's language.
        const std::string said = texts().words(language).email_csv;
        CHECK(lf(decoded(p.parts[0].parts[0])).find(said + "\n") != std::string::npos);
        CHECK(decoded(p.parts[0].parts[1]).find(">" + said + "</p>") != std::string::npos);
    }
    CHECK(texts().words("da").email_csv != texts().words("en").email_csv);
}

TEST_CASE("a workplace id too long for a header line gives the attachment a name without it") {
    Summary summary = test_summary();
    summary.workplace = std::string(950, 'w');
    CHECK(email_csv_filename(summary) == "pulse-2026-W48.csv");
    summary.workplace = std::string(870, 'w');
    CHECK(email_csv_filename(summary) == "pulse-" + summary.workplace + "-2026-W48.csv");
    // Folded onto its own line, so the header stays within 998 octets.
    const Parsed p = parse(build_email_message(summary, texts(), {"", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "f", ""));
    CHECK(p.parts.at(1).headers.at("Content-Disposition") ==
          "attachment; filename=\"pulse-" + summary.workplace + "-2026-W48.csv\"");
}

TEST_CASE("the week's page is its workplace and iso week under base_url, with lang=en for english") {
    CHECK(week_page_url("https://pulse.ishoj.dk", "wp-a", {2026, 48}, "da") ==
          "https://pulse.ishoj.dk/workplaces/wp-a/2026-W48");
    CHECK(week_page_url("https://pulse.ishoj.dk", "wp-a", {2027, 2}, "en") ==
          "https://pulse.ishoj.dk/workplaces/wp-a/2027-W02?lang=en");
}

TEST_CASE("with a week page the text part gives its address and the html part opens with a link to it") {
    for (const std::string language : {"da", "en"}) {
        CAPTURE(language);
        const Summary summary = test_summary(language);
        const SummaryWords& w = texts().words(language);
        const std::string url = week_page_url("https://pulse.example", "wp-a", summary.week, language);
        const Parsed p = parse(build_email_message(summary, texts(), {"", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "w", url));
        const std::string text = lf(decoded(p.parts.at(0).parts.at(0)));
        const std::string line = fill_placeholders(w.email_week_link, {{"link", url}});
        CHECK(line.find(url) != std::string::npos);
        // Right after the subject, before the figures.
        CHECK(text.rfind(email_subject(summary, texts()) + "\n\n" + line + "\n\n", 0) == 0);

        const std::string html = lf(decoded(p.parts.at(0).parts.at(1)));
        const std::string link_start = "<a href=\"" + url + "\"";
        const std::size_t link = html.find(link_start);
        REQUIRE(link != std::string::npos);
        // The first thing in <body>, above the summary itself.
        CHECK(link < html.find("<main"));
        CHECK(html.compare(html.find(">\n", html.find("<body")) + 2, 4, "<div") == 0);
        CHECK(html.find(">" + w.email_open_page + "</a>", link) != std::string::npos);
        CHECK(without_chrome(html) == summary_html(summary, texts(), HtmlFor::email));
    }
    // The address is escaped in the HTML like any text.
    CHECK(email_html(test_summary(), texts(), "https://pulse.example/a?b=1&c=2").find("href=\"https://pulse.example/a?b=1&amp;c=2\"") !=
          std::string::npos);
}

TEST_CASE("without a week page neither part has a link or a word of one") {
    for (const std::string language : {"da", "en"}) {
        CAPTURE(language);
        const SummaryWords& w = texts().words(language);
        const Parsed p =
            parse(build_email_message(test_summary(language), texts(), {"", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "n", ""));
        const std::string text = lf(decoded(p.parts.at(0).parts.at(0)));
        const std::string html = lf(decoded(p.parts.at(0).parts.at(1)));
        const std::string link_words = w.email_week_link.substr(0, w.email_week_link.find("{link}"));
        REQUIRE(!link_words.empty());
        CHECK(text.find(link_words) == std::string::npos);
        CHECK(text.find("http") == std::string::npos);
        CHECK(html.find(w.email_open_page) == std::string::npos);
        CHECK(html.find("<a ") == std::string::npos);
        CHECK(html.find(w.email_csv) != std::string::npos);  // the attachment is still said
    }
}

TEST_CASE("withheld figures are for få svar in both parts and never a number") {
    const Summary summary = test_summary();
    // The fixture has one theme with figures and the others withheld.
    REQUIRE(std::any_of(summary.themes.begin(), summary.themes.end(), [](const ThemeSummary& t) { return t.figures.withheld; }));
    const std::string text = email_text(summary, texts(), "");
    for (const ThemeSummary& t : summary.themes) {
        const std::size_t at = text.find("- " + t.title + ": ");
        REQUIRE(at != std::string::npos);
        const std::string line = text.substr(at, text.find('\n', at) - at);
        if (t.figures.withheld) CHECK(line == "- " + t.title + ": for få svar");
        else CHECK(line.find("for få svar") == std::string::npos);
    }
    const std::string english = email_text(test_summary("en"), texts(), "");
    CHECK(english.find("too few answers") != std::string::npos);
    CHECK(english.find("for få svar") == std::string::npos);
}

TEST_CASE("every line ends in crlf and none is longer than 998 octets") {
    const std::vector<std::string> many = {"a.very.long.name.indeed@ishoj.dk", "another.long.name@ishoj.dk",
                                           "third.person.with.a.title@ishoj.dk", "fourth@ishoj.dk",
                                           "fifth.one@ishoj.dk"};
    const std::string message = build_email_message(test_summary(), texts(), {"Puls – Ishøj Kommune", "pulse@ishoj.dk"}, many,
                                                     kNow, "q9", kWeekUrl);
    check_lines(message);
    CHECK(std::count(message.begin(), message.end(), '\n') > 20);
    const Parsed p = parse(message);
    CHECK(p.headers.at("To") == "a.very.long.name.indeed@ishoj.dk, another.long.name@ishoj.dk," +
                                    std::string(" third.person.with.a.title@ishoj.dk, fourth@ishoj.dk, fifth.one@ishoj.dk"));
}

TEST_CASE("with the mailer's real unique tokens the MIME boundary keeps to 70 characters and differs per message") {
    std::string previous;
    for (int i = 0; i < 50; ++i) {
        const std::string message = build_email_message(test_summary(), texts(), {"Pulse", "pulse@ishoj.dk"},
                                                         {"leder@ishoj.dk"}, kNow, unique_message_token(), "");
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

    const Parsed p = parse(build_email_message(test_summary(), texts(), {"Puls – Ishøj", "pulse@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z", ""));
    const std::string from = p.headers.at("From");
    CHECK(from.find("<pulse@ishoj.dk>") != std::string::npos);
    CHECK(decode_words(from) == "Puls – Ishøj");
    CHECK(parse(build_email_message(test_summary(), texts(), {"Puls, Ishoj", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z", ""))
              .headers.at("From") == "\"Puls, Ishoj\" <p@ishoj.dk>");
}

TEST_CASE("ascii header text too long for one line is encoded in folded words, so no line passes 998 octets") {
    // The fuzzer's find: a sender name of 1000 ASCII characters stood as is in From:.
    const std::string name(1000, 'A');
    const std::string encoded = encode_header_text(name);
    CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(decode_words(encoded) == name);
    CHECK(encode_header_text(std::string(kPlainHeaderTextMax, 'A')) == std::string(kPlainHeaderTextMax, 'A'));
    const std::string message = build_email_message(test_summary(), texts(), {name, "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "z", "");
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
    const Parsed p = parse(build_email_message(test_summary("en"), texts(), {"", "p@ishoj.dk"}, {"l@ishoj.dk"}, kNow, "e", ""));
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

}  // namespace collector_test_email_message
