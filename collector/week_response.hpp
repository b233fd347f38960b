// week_response.hpp — the manager's response to a published week (issue 15,
// "You said, we did"): what a valid response is (checked here, stored by
// the store as given), when it may still be changed, and what a
// workplace's terminals show of it (GET /v1/news, docs/protocol.md "News").
// Who may write is the browser pages' rule (collector/web/routes.cpp).
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

// The most a response's text may hold, per language, in Unicode code points
// (not bytes: "æ" is one): what fits the terminal's news screen.
inline constexpr std::size_t kResponseMaxChars = 280;

// A terminal shows a response only while its week is at most this many
// weeks before the latest published week; older ones are no longer news.
inline constexpr int kNewsMaxWeeksBack = 4;

// The number of Unicode code points in text; nullopt when it is not valid
// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::optional<std::size_t> utf8_code_points(std::string_view text);

// A form's text as it is stored: line ends as "\n" (a browser sends a
// textarea's as "\r\n", and counts them as one character), white space at
// either end removed.
std::string normalise_response_text(std::string_view text);

// The outcome of checking a response's two fields.
struct ResponseCheck {
    enum class Problem {
        none,         // text_da and text_en are what to store
        empty,        // field is "da": the Danish text is required
        too_long,     // field holds more than kResponseMaxChars code points (length says how many)
        not_utf8,     // field is not valid UTF-8 (only a forged request sends that)
    };
    Problem problem = Problem::none;
    std::string field;                   // "da" | "en": the field with the problem
    std::size_t length = 0;              // too_long: the field's code points
    std::string text_da;                 // none: normalised
    std::optional<std::string> text_en;  // none: normalised; nullopt when the field was empty (no English text)
};

// Checks the form's fields, Danish first: Danish required, each at most
// kResponseMaxChars code points after normalise_response_text; an empty
// English field means no English text. The first problem found is reported.
// Never throws (but for std::bad_alloc).
ResponseCheck check_response(std::string_view text_da, std::string_view text_en);

// Whether week's response may be written or changed at now: only while it
// is the latest published week (until the next one is published).
bool response_editable(const CollectorConfig& config, IsoWeek week, UnixSeconds now);

// What GET /v1/news gives a terminal of workplace at now.
struct TerminalNews {
    enum class Status {
        news,         // the fields below are set
        none,         // no response within kNewsMaxWeeksBack of the latest published week: 204
        store_error,  // the store cannot be read now (message says why): 503
    };
    Status status = Status::store_error;
    IsoWeek week;                         // news: the response's week
    std::optional<std::int64_t> answers;  // news: the week's participation as its sealed summary shows it; nullopt: withheld
    std::string manager;                  // news: the author's name
    std::string text_da;                  // news
    std::optional<std::string> text_en;   // news: nullopt when there is no English text
    std::string message;                  // store_error
};

// The newest published week of workplace with a response, if it is at most
// kNewsMaxWeeksBack weeks before the latest published week at now, with its
// participation from published_summary (the sealed figure, withheld as the
// week's page withholds it; never a live count). Seals what is due first.
TerminalNews terminal_news(CollectorStore& store, const CollectorConfig& config, const std::string& workplace,
                           UnixSeconds now);

}  // namespace pulse
