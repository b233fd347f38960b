// email_message.cpp — addresses, RFC 2047 header words, the RFC 5322 date,
// the weekly e-mail's text and HTML parts, and the MIME assembly of the
// weekly and the plain text e-mail (one header block for both).
#include "collector/email/email_message.hpp"

#include "collector/summary/format_text.hpp"  // html_escape
#include "collector/summary/formats.hpp"
#include "common/base64.hpp"
#include "common/copenhagen_time.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>

namespace pulse {
namespace {

// [SECTION] Characters

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 5322 atext.
bool is_atext(char c) {
    return is_alnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool is_printable_ascii(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// Dot-separated non-empty runs of chars accepted by ok.
template <typename Ok>
bool dotted(std::string_view text, Ok ok) {
    if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [&](char c) { return c == '.' || ok(c); });
}

// [SECTION] Base64 lines and CRLF

// bytes in base64, CRLF after every 76 characters and at the end.
std::string base64_lines(std::string_view bytes) {
    const std::string encoded = base64_encode(bytes);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
    return out;
}

// text with every line end (LF or CRLF) as CRLF: the canonical form of text/* (RFC 2046).
std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

// [SECTION] Numbers in the summary's language

std::string one_decimal(double v, const std::string& language) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (language != "en") std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

// share 0..1 as a whole percentage, "57" (the word after it is the texts').
std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))); }

// [SECTION] The header block every message opens with

// The From header's value: an atom phrase as is; other ASCII quoted; anything
// else (or too long for one line) RFC 2047 words, which fold.
std::string from_value(const Mailbox& from) {
    if (from.name.empty()) return from.address;
    const bool atoms = std::all_of(from.name.begin(), from.name.end(), [](char c) { return is_atext(c) || c == ' '; });
    // RFC 5322 §2.1.1: a line holds at most 998 octets.
    const bool fits = from.name.size() <= kPlainHeaderTextMax;
    std::string phrase;
    if (atoms && fits) phrase = from.name;
    else if (is_printable_ascii(from.name) && fits) {
        phrase = "\"";
        for (char c : from.name) {
            if (c == '\\') phrase += '\\';
            phrase += c;
        }
        phrase += "\"";
    } else {
        phrase = encode_header_text(from.name);
    }
    return phrase + " <" + from.address + ">";
}

// The To header's value: the addresses, folded before a line would pass 78
// characters ("To: " counted).
std::string to_value(const std::vector<std::string>& to) {
    std::string out = to.front();
    std::size_t line_length = 4 + out.size();
    for (std::size_t i = 1; i < to.size(); ++i) {
        if (line_length + 2 + to[i].size() > 78) {
            out += ",\r\n " + to[i];
            line_length = 1 + to[i].size();
        } else {
            out += ", " + to[i];
            line_length += 2 + to[i].size();
        }
    }
    return out;
}

// The headers of a message and the blank line after them, CRLF-ended, in
// this order: From, To, Subject (encoded here), Date, Message-ID
// "<pulse.<id_prefix><unique>@<from's domain>>", MIME-Version,
// content_headers (the body's Content-Type line and any other, each
// CRLF-ended), Auto-Submitted. `to` holds at least one address; unique is
// letters and digits (asserted: it also makes MIME boundaries).
std::string message_head(const Mailbox& from, const std::vector<std::string>& to, const std::string& subject,
                         UnixSeconds now, const std::string& id_prefix, const std::string& unique,
                         const std::string& content_headers) {
    assert(!to.empty() && "a message needs at least one recipient");
    assert(!unique.empty() && std::all_of(unique.begin(), unique.end(), is_alnum) &&
           "unique must be letters and digits (it goes into the Message-ID and the MIME boundary)");
    const std::string domain = from.address.substr(from.address.rfind('@') + 1);
    std::string h;
    h += "From: " + from_value(from) + "\r\n";
    h += "To: " + to_value(to) + "\r\n";
    h += "Subject: " + encode_header_text(subject) + "\r\n";
    h += "Date: " + rfc5322_date(now) + "\r\n";
    h += "Message-ID: <pulse." + id_prefix + unique + "@" + domain + ">\r\n";
    h += "MIME-Version: 1.0\r\n";
    h += content_headers;
    h += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies
    h += "\r\n";
    return h;
}

// [SECTION] Body parts

// The header lines of a base64 body of MIME type `type`.
std::string base64_headers(const std::string& type) {
    return "Content-Type: " + type + "\r\nContent-Transfer-Encoding: base64\r\n";
}

// One part of a multipart body: its delimiter, header lines (CRLF-ended),
// the blank line and bytes in base64 lines.
std::string base64_part(const std::string& boundary, const std::string& headers, std::string_view bytes) {
    return "--" + boundary + "\r\n" + headers + "\r\n" + base64_lines(bytes);
}

}  // namespace

// [SECTION] Addresses and headers

bool is_email_address(const std::string& text) {
    const std::size_t at = text.rfind('@');
    if (text.size() > 254 || at == std::string::npos || at == 0 || at > 64) return false;
    const std::string_view local = std::string_view(text).substr(0, at);
    const std::string_view domain = std::string_view(text).substr(at + 1);
    if (!dotted(local, is_atext) || !dotted(domain, [](char c) { return is_alnum(c) || c == '-'; })) return false;
    // No label may start or end with '-'.
    std::size_t start = 0;
    while (start <= domain.size()) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        if (label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        start = end + 1;
    }
    return true;
}

std::optional<Mailbox> parse_mailbox(const std::string& text) {
    const std::size_t open = text.find('<');
    if (open == std::string::npos) {
        if (!is_email_address(text)) return std::nullopt;
        return Mailbox{"", text};
    }
    const std::size_t close = text.find('>', open);
    if (close == std::string::npos || close + 1 != text.size()) return std::nullopt;
    std::string name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    if (std::any_of(name.begin(), name.end(), [](char c) {
            return (static_cast<unsigned char>(c) < 0x20) || c == 0x7F || c == '<' || c == '>' || c == '"';
        })) {
        return std::nullopt;
    }
    const std::string address = text.substr(open + 1, close - open - 1);
    if (!is_email_address(address)) return std::nullopt;
    return Mailbox{name, address};
}

std::string encode_header_text(const std::string& text) {
    if (is_printable_ascii(text) && text.size() <= kPlainHeaderTextMax) return text;
    // 52 characters per word: "=?UTF-8?B?" + 40 base64 characters (30 bytes) + "?=",
    // so "Subject: " and one word stay within RFC 2047's 76 (the limit per word is 75).
    constexpr std::size_t kBytesPerWord = 30;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = std::min(text.size(), i + kBytesPerWord);
        // Back up to the start of a UTF-8 character (never split one).
        while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        if (end == i) end = std::min(text.size(), i + kBytesPerWord);  // not UTF-8: split anywhere, but go on
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64_encode(std::string_view(text).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string rfc5322_date(UnixSeconds t) {
    const LocalTime local = copenhagen_local(t);
    // Day and month names in English whatever the locale (RFC 5322 §3.3).
    std::tm tm{};
    tm.tm_year = local.date.year - 1900;
    tm.tm_mon = static_cast<int>(local.date.month) - 1;
    tm.tm_mday = static_cast<int>(local.date.day);
    tm.tm_wday = (local.weekday + 1) % 7;  // tm counts from Sunday
    tm.tm_hour = local.second_of_day / 3600;
    tm.tm_min = local.second_of_day / 60 % 60;
    tm.tm_sec = local.second_of_day % 60;
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::put_time(&tm, "%a, %d %b %Y %H:%M:%S") << " +" << std::setw(2) << std::setfill('0')
        << local.utc_offset_s / 3600 << "00";
    return out.str();
}

// [SECTION] Contents

std::string email_subject(const Summary& s, const SummaryTexts& texts) {
    return fill_placeholders(texts.words(s.language).email_subject, {{"workplace", display_name(s)},
                                                                     {"week", std::to_string(s.week.week)},
                                                                     {"year", std::to_string(s.week.year)}});
}

std::string week_page_url(const std::string& base_url, const std::string& workplace, IsoWeek week,
                          const std::string& language) {
    return base_url + "/workplaces/" + workplace + "/" + week.str() + (language == "da" ? "" : "?lang=" + language);
}

std::string email_text(const Summary& s, const SummaryTexts& texts, const std::string& week_url) {
    const SummaryWords& w = texts.words(s.language);
    std::string out = email_subject(s, texts) + "\n\n";
    if (!week_url.empty()) out += fill_placeholders(w.email_week_link, {{"link", week_url}}) + "\n\n";
    out += fill_placeholders(w.email_answers,
                             {{"answers", s.answers_withheld ? w.too_few : std::to_string(s.answers)}});
    out += "\n\n";
    out += w.email_themes + "\n";
    for (const ThemeSummary& t : s.themes) {
        out += "- " + t.title + ": ";
        if (t.figures.withheld) out += w.too_few;
        else if (!t.figures.mean) out += w.email_no_answers;
        else {
            out += one_decimal(*t.figures.mean, s.language);
            if (t.figures.favourable) {
                out += ", " + fill_placeholders(w.email_favourable, {{"percent", percent(*t.figures.favourable)}});
            }
            if (const std::optional<double> disagree = unfavourable_share(t.figures)) {
                out += ", " + fill_placeholders(w.disagree, {{"percent", percent(*disagree)}});
            }
            out += ", " + fill_placeholders(w.item_answers, {{"n", std::to_string(t.figures.n)}});
        }
        out += "\n";
    }
    out += "\n";
    out += w.email_html_part + "\n";
    out += w.email_csv + "\n";
    out += fill_placeholders(w.email_anonymity, {{"min_answers", std::to_string(s.min_answers)}}) + "\n";
    out += "\n" + w.email_sent_by + "\n";
    return out;
}

std::string email_html(const Summary& s, const SummaryTexts& texts, const std::string& week_url) {
    const SummaryWords& w = texts.words(s.language);
    // Inline styles and no flexbox: Outlook for Windows and Gmail drop a <style> element.
    HtmlChrome chrome;
    chrome.header_html = "<div style=\"max-width:896px;margin:0 auto;padding:12px 12px 0\">\n";
    if (!week_url.empty()) {
        chrome.header_html += "<p style=\"margin:0 0 10px\"><a href=\"" + html_escape(week_url) +
                              "\" style=\"display:inline-block;padding:10px 16px;background:#1F5A94;color:#ffffff;"
                              "font-weight:600;text-decoration:none\">" +
                              html_escape(w.email_open_page) + "</a></p>\n";
    }
    chrome.header_html += "<p style=\"margin:0\">" + html_escape(w.email_csv) + "</p>\n</div>\n";
    return summary_html(s, texts, HtmlFor::email, chrome);
}

std::string email_csv_filename(const Summary& s) {
    const std::string name = "pulse-" + s.workplace + "-" + s.week.str() + ".csv";
    // Workplace ids are URL-safe (A–Z a–z 0–9 . _ -), so the name needs no
    // quoting, only room on its line.
    return name.size() <= kPlainHeaderTextMax ? name : "pulse-" + s.week.str() + ".csv";
}

// [SECTION] The message

std::string build_email_message(const Summary& summary, const SummaryTexts& texts, const Mailbox& from,
                                const std::vector<std::string>& to, UnixSeconds now, const std::string& unique,
                                const std::string& week_url) {
    // Base64 never holds '_', and '=' only at the end: "=_" cannot occur in a
    // part. The two boundaries differ at their 9th character, so neither is
    // the start of the other. RFC 2046: at most 70 characters.
    const std::string mixed = "=_pulse_m_" + unique.substr(0, 40);
    const std::string alternative = "=_pulse_a_" + unique.substr(0, 40);

    std::string disposition = "Content-Disposition: attachment;";
    const std::string filename = "filename=\"" + email_csv_filename(summary) + "\"";
    disposition += (disposition.size() + 1 + filename.size() <= 78 ? " " : "\r\n ") + filename + "\r\n";

    std::string m = message_head(from, to, email_subject(summary, texts), now, summary.week.str() + ".", unique,
                                 "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n");
    m += "This is a MIME message: a text part, an HTML part and a CSV attachment.\r\n";
    m += "--" + mixed + "\r\n";
    m += "Content-Type: multipart/alternative; boundary=\"" + alternative + "\"\r\n\r\n";
    m += base64_part(alternative, base64_headers("text/plain; charset=UTF-8"),
                     crlf(email_text(summary, texts, week_url)));
    m += base64_part(alternative, base64_headers("text/html; charset=UTF-8"),
                     crlf(email_html(summary, texts, week_url)));
    m += "--" + alternative + "--\r\n";
    // summary_csv is CRLF already; a line end inside a quoted cell stays as it is.
    m += base64_part(mixed, base64_headers("text/csv; charset=UTF-8") + disposition, summary_csv(summary, texts));
    m += "--" + mixed + "--\r\n";
    return m;
}

std::string build_text_email(const Mailbox& from, const std::string& to, const std::string& subject,
                             const std::string& text, UnixSeconds now, const std::string& unique) {
    return build_text_email(from, std::vector<std::string>{to}, subject, text, now, unique);
}

std::string build_text_email(const Mailbox& from, const std::vector<std::string>& to, const std::string& subject,
                             const std::string& text, UnixSeconds now, const std::string& unique) {
    return message_head(from, to, subject, now, "", unique, base64_headers("text/plain; charset=UTF-8")) +
           base64_lines(crlf(text));
}

}  // namespace pulse
