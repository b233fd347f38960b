// email_message.hpp — the weekly e-mail as bytes: a complete RFC 5322 / MIME
// message (multipart/alternative: a short text/plain part and the HTML
// summary, both UTF-8 in base64), CRLF line ends, no line over 998 octets.
// Built only from a Summary, so the anonymity rule of summary.hpp holds here
// too; nothing about an individual answer can be in it. Pure: no clock, no RNG.
#pragma once

#include "collector/summary/summary.hpp"
#include "collector/summary/summary_texts.hpp"
#include "common/calendar.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pulse {

// An address with an optional display name: "Pulse <pulse@ishoj.dk>".
struct Mailbox {
    std::string name;     // display name, UTF-8, may be empty
    std::string address;  // "pulse@ishoj.dk": an addr-spec (see is_email_address)
};

// True for a plain ASCII addr-spec local@domain: the local part dot-atom text
// (A–Z a–z 0–9 and !#$%&'*+/=?^_`{|}~- with single dots inside), the domain
// dot-separated labels of A–Z a–z 0–9 and '-' (not first or last), at most
// 254 characters in all. Quoted local parts, IP literals and non-ASCII
// (SMTPUTF8) are refused: the message and the envelope would need more.
bool is_email_address(const std::string& text);

// "Name <local@domain>", "<local@domain>" or "local@domain" → Mailbox;
// nullopt when the address is not is_email_address, the name holds a control
// character, '<', '>' or '"', or anything follows '>'.
std::optional<Mailbox> parse_mailbox(const std::string& text);

// The longest text a header carries as it is: with its name ("Subject: ")
// and quotes it stays within RFC 5322's 998 octets a line.
inline constexpr std::size_t kPlainHeaderTextMax = 900;

// text as it may stand in a header: unchanged when printable ASCII of at most
// kPlainHeaderTextMax characters, else RFC 2047 "=?UTF-8?B?…?=" encoded words
// of at most 52 characters each, split between UTF-8 characters and joined by
// CRLF + space (a fold), so no line grows beyond 998 octets.
std::string encode_header_text(const std::string& text);

// The RFC 5322 date of t in Copenhagen local time: "Mon, 30 Nov 2026 07:00:00 +0100".
std::string rfc5322_date(UnixSeconds t);

// The subject, texts' email_subject in summary.language filled in: "Ugentlig
// puls: wp-a, uge 48 2026" (da) or "Weekly pulse: wp-a, week 48 2026" (en);
// not yet header-encoded. Cannot fail.
std::string email_subject(const Summary& summary, const SummaryTexts& texts);

// The short text/plain part (LF line ends), in summary.language from texts:
// the subject, the week's answers and each theme's mean and favourable
// share, withheld figures as the too_few word ("for få svar" / "too few
// answers"), and a pointer to the HTML part. Cannot fail.
std::string email_text(const Summary& summary, const SummaryTexts& texts);

// The whole message for summary: From `from`, To every address of `to`
// (at least one), Subject email_subject, Date rfc5322_date(now), a
// Message-ID and MIME boundary made from `unique` (letters and digits only,
// different for every message, e.g. random), MIME-Version, Auto-Submitted,
// multipart/alternative with email_text and summary_html(summary, texts,
// HtmlFor::email) (charts as table cells and text, which mail programs draw), each
// turned to CRLF line ends and base64-encoded in lines of 76. Every word from
// texts, in summary.language.
std::string build_email_message(const Summary& summary, const SummaryTexts& texts, const Mailbox& from,
                                const std::vector<std::string>& to, UnixSeconds now, const std::string& unique);

}  // namespace pulse
