// email_message.cpp — addresses, RFC 2047 header words, the RFC 5322 date,
// the text part and the MIME assembly of the weekly e-mail.
#include "collector/email/email_message.hpp"

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

std::string email_text(const Summary& s, const SummaryTexts& texts) {
    const SummaryWords& w = texts.words(s.language);
    std::string out = email_subject(s, texts) + "\n\n";
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
        }
        out += "\n";
    }
    out += "\n";
    out += w.email_html_part + "\n";
    out += fill_placeholders(w.email_anonymity, {{"min_answers", std::to_string(s.min_answers)}}) + "\n";
    out += "\n" + w.email_sent_by + "\n";
    return out;
}

// [SECTION] The message

std::string build_email_message(const Summary& summary, const SummaryTexts& texts, const Mailbox& from,
                                const std::vector<std::string>& to, UnixSeconds now, const std::string& unique) {
    assert(!to.empty() && "build_email_message needs at least one recipient");
    assert(!unique.empty() && std::all_of(unique.begin(), unique.end(), is_alnum) &&
           "unique must be letters and digits (it goes into the Message-ID and the MIME boundary)");

    // From: an atom phrase as is; other ASCII quoted; anything else RFC 2047.
    std::string from_header = "From: ";
    if (!from.name.empty()) {
        const bool atoms = std::all_of(from.name.begin(), from.name.end(), [](char c) { return is_atext(c) || c == ' '; });
        // Longer than one line holds (RFC 5322 §2.1.1: 998 octets): encoded
        // words, which fold.
        const bool fits = from.name.size() <= kPlainHeaderTextMax;
        if (atoms && fits) from_header += from.name;
        else if (is_printable_ascii(from.name) && fits) {
            std::string quoted;
            for (char c : from.name) {
                if (c == '\\') quoted += '\\';
                quoted += c;
            }
            from_header += "\"" + quoted + "\"";
        } else {
            from_header += encode_header_text(from.name);
        }
        from_header += " <" + from.address + ">";
    } else {
        from_header += from.address;
    }

    // To: folded before a line would pass 78 characters.
    std::string to_header = "To: " + to.front();
    std::size_t line_length = to_header.size();
    for (std::size_t i = 1; i < to.size(); ++i) {
        if (line_length + 2 + to[i].size() > 78) {
            to_header += ",\r\n " + to[i];
            line_length = 1 + to[i].size();
        } else {
            to_header += ", " + to[i];
            line_length += 2 + to[i].size();
        }
    }

    const std::string domain = from.address.substr(from.address.rfind('@') + 1);
    // Base64 never holds '_' and '=' only at the end: "=_" cannot occur in a part.
    const std::string boundary = "=_pulse_" + unique.substr(0, 40);  // RFC 2046: at most 70 characters

    std::string m;
    m += from_header + "\r\n";
    m += to_header + "\r\n";
    m += "Subject: " + encode_header_text(email_subject(summary, texts)) + "\r\n";
    m += "Date: " + rfc5322_date(now) + "\r\n";
    m += "Message-ID: <pulse." + summary.week.str() + "." + unique + "@" + domain + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
    m += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies
    m += "\r\n";
    m += "This is a MIME message: a text part and an HTML part.\r\n";
    m += "--" + boundary + "\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(crlf(email_text(summary, texts)));
    m += "--" + boundary + "\r\n";
    m += "Content-Type: text/html; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(crlf(summary_html(summary, texts, HtmlFor::email)));
    m += "--" + boundary + "--\r\n";
    return m;
}

}  // namespace pulse
