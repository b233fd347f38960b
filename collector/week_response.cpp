// week_response.cpp — the response's checks, its editing window and the
// terminal's news (see week_response.hpp).
#include "collector/week_response.hpp"

#include "collector/publication.hpp"

namespace pulse {

std::optional<std::size_t> utf8_code_points(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
        const unsigned char b0 = byte(i);
        std::size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
        if (b0 < 0x80) {
            n = 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) lo = 0xA0;  // overlong
            if (b0 == 0xED) hi = 0x9F;  // surrogates
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) lo = 0x90;  // overlong
            if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return std::nullopt;
        }
        if (i + n > text.size()) return std::nullopt;
        if (n > 1 && (byte(i + 1) < lo || byte(i + 1) > hi)) return std::nullopt;
        for (std::size_t k = 2; k < n; ++k) {
            if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return std::nullopt;
        }
        i += n;
    }
    return count;
}

std::string normalise_response_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    constexpr const char* kSpace = " \t\n\v\f";
    const std::size_t first = out.find_first_not_of(kSpace);
    if (first == std::string::npos) return "";
    return out.substr(first, out.find_last_not_of(kSpace) - first + 1);
}

ResponseCheck check_response(std::string_view text_da, std::string_view text_en) {
    ResponseCheck check;
    const auto checked = [&](std::string_view raw, const char* field, bool required) {
        std::string text = normalise_response_text(raw);
        const std::optional<std::size_t> length = utf8_code_points(text);
        check.field = field;
        if (!length) check.problem = ResponseCheck::Problem::not_utf8;
        else if (required && *length == 0) check.problem = ResponseCheck::Problem::empty;
        else if (*length > kResponseMaxChars) {
            check.problem = ResponseCheck::Problem::too_long;
            check.length = *length;
        }
        return text;
    };
    check.text_da = checked(text_da, "da", true);
    if (check.problem != ResponseCheck::Problem::none) return check;
    std::string en = checked(text_en, "en", false);
    if (check.problem != ResponseCheck::Problem::none) return check;
    check.field.clear();
    if (!en.empty()) check.text_en = std::move(en);
    return check;
}

bool response_editable(const CollectorConfig& config, IsoWeek week, UnixSeconds now) {
    return latest_published_week(config, now) == week;
}

TerminalNews terminal_news(CollectorStore& store, const CollectorConfig& config, const std::string& workplace,
                           UnixSeconds now) {
    TerminalNews news;
    const IsoWeek latest = latest_published_week(config, now);
    IsoWeek oldest = latest;
    for (int k = 0; k < kNewsMaxWeeksBack; ++k) oldest = previous_week(oldest);
    std::optional<WeekResponse> response;
    if (!store.newest_response(workplace, oldest, latest, &response, &news.message)) return news;
    if (!response) {
        news.status = TerminalNews::Status::none;
        return news;
    }
    // The participation the week's own page shows: the seal's, withheld alike.
    const PublishedSummary published = published_summary(store, config, workplace, response->week, "da", now);
    if (published.status == PublishedSummary::Status::store_error) {
        news.message = published.message;
        return news;
    }
    if (published.status == PublishedSummary::Status::ok && !published.summary.answers_withheld) {
        news.answers = published.summary.answers;
    }
    news.status = TerminalNews::Status::news;
    news.week = response->week;
    news.manager = response->author_name;
    news.text_da = response->text_da;
    news.text_en = response->text_en;
    return news;
}

}  // namespace pulse
