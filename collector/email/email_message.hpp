// email_message.hpp — e-mails as bytes: complete RFC 5322 / MIME messages,
// CRLF line ends, no line over 998 octets. The weekly e-mail is
// multipart/mixed: a multipart/alternative (a short text/plain part and the
// HTML summary) and the summary's CSV as an attachment, all UTF-8 in base64.
// It is built only from a Summary, so the anonymity rule of summary.hpp
// holds here too; nothing about an individual answer can be in it. A plain
// text e-mail (the sign-in link) shares its headers. Pure: no clock, no RNG.
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

// The address of the week's page in the browser (collector/web/):
// "<base_url>/workplaces/<workplace>/<week>", and "?lang=<language>" for any
// language but Danish, the pages' default:
// "https://pulse.ishoj.dk/workplaces/wp-a/2026-W48?lang=en". base_url as in
// WebConfig (no trailing '/'); workplace a [[workplace]] id (URL-safe). Cannot fail.
std::string week_page_url(const std::string& base_url, const std::string& workplace, IsoWeek week,
                          const std::string& language);

// The short text/plain part (LF line ends), in summary.language from texts:
// the subject, then email_week_link with week_url (only when week_url is not
// ""), the week's answers and each theme's mean, agree and disagree shares and n
// (the page's theme table without the change),
// withheld figures as the too_few word ("for få svar" / "too few answers"),
// a pointer to the HTML part and email_csv (the attachment). Cannot fail.
std::string email_text(const Summary& summary, const SummaryTexts& texts, const std::string& week_url);

// The HTML part: summary_html(summary, texts, HtmlFor::email) with a block
// first in <body>: a button-like link, email_open_page, to week_url (only
// when week_url is not ""), and email_csv. Tables and inline styles only
// (no <style>, flexbox or grid), which Outlook for Windows and Gmail keep.
// Cannot fail.
std::string email_html(const Summary& summary, const SummaryTexts& texts, const std::string& week_url);

// The attachment's file name: "pulse-<workplace id>-<week>.csv", as the
// browser's CSV download names it; "pulse-<week>.csv" when the id is so long
// the name would not fit a header line. Cannot fail.
std::string email_csv_filename(const Summary& summary);

// The weekly message for summary: From `from`, To every address of `to`
// (at least one), Subject email_subject, Date rfc5322_date(now), a
// Message-ID and MIME boundaries made from `unique` (letters and digits only,
// different for every message, e.g. random), MIME-Version, Auto-Submitted.
// The body is multipart/mixed: first a multipart/alternative of
// email_text and email_html (week_url: the week's page, week_page_url, or ""
// for none: no link and no word of one), each turned to CRLF line ends; then
// summary_csv(summary, texts) as it is (already CRLF), text/csv, an
// attachment named email_csv_filename. Every part base64 in lines of 76.
// Every word from texts, in summary.language.
std::string build_email_message(const Summary& summary, const SummaryTexts& texts, const Mailbox& from,
                                const std::vector<std::string>& to, UnixSeconds now, const std::string& unique,
                                const std::string& week_url);

// A plain text message: From `from` (as build_email_message writes it), To
// `to` (one is_email_address), Subject encode_header_text(subject), Date
// rfc5322_date(now), Message-ID "<pulse.<unique>@<from's domain>>" (unique:
// letters and digits, different for every message), MIME-Version,
// Auto-Submitted: auto-generated, and one text/plain UTF-8 body: text with
// CRLF line ends, base64 in lines of 76. Cannot fail.
std::string build_text_email(const Mailbox& from, const std::string& to, const std::string& subject,
                             const std::string& text, UnixSeconds now, const std::string& unique);

// The same to every address of `to` (at least one, each is_email_address),
// all in one To header: IT's silence alerts. Cannot fail.
std::string build_text_email(const Mailbox& from, const std::vector<std::string>& to, const std::string& subject,
                             const std::string& text, UnixSeconds now, const std::string& unique);

}  // namespace pulse
