// news.hpp — "you said, we did" on the terminal (issue 15): the manager's
// response to the last published week of the terminal's own workplace, with
// that week's participation as its published summary shows it. The
// collector serves it (GET /v1/news, docs/protocol.md); the terminal pulls
// it at start and every hour, keeps the last one on disk beside its
// database, and the attract screen shows it until the next one replaces it
// (204: none, and the screen shows nothing). Model and I/O only: no SDL, no
// ImGui (kiosk/news_band.cpp draws it).
// A pull's failure is logged by the field it names, never with the text.
#pragma once

#include "terminal/http_client.hpp"
#include "common/calendar.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace pulse {

inline constexpr std::int64_t kNewsPullInterval_s = 3600;
inline constexpr std::size_t kNewsMaxChars = 280;  // per language, in code points (the collector's limit)

struct News {
    IsoWeek week;                                 // the published week it answers
    std::optional<std::int64_t> answers;          // that week's participation; nullopt: withheld (show no number)
    std::string manager;                          // who wrote it
    std::map<std::string, std::string> response;  // "da" always; "en" when written
    bool operator==(const News&) const = default;
};

// GET /v1/news's body (and the kept file's): {"week", "answers" (number or
// null), "manager", "response": {"da", "en"?}}. nullopt with *error naming
// the field when it is not that (a text over kNewsMaxChars code points, a
// bad week, a negative count, a language other than da and en).
std::optional<News> parse_news(std::string_view json, std::string* error);
std::string news_json(const News& news);

// The response in language, else in Danish.
const std::string& news_text(const News& news, const std::string& language);

// Where a terminal whose database is at database keeps its news: news.json
// and news.etag beside it.
std::filesystem::path news_file_for(const std::filesystem::path& database);

// The kept news: nullopt when there is none; nullopt with *problem set when
// the file cannot be read or parsed (it is then ignored, as if none).
std::optional<News> read_news(const std::filesystem::path& file, std::string* problem);
// Keeps news (nullopt: removes it) with its ETag, each written to a
// temporary file, fsync'ed and renamed, so a crash leaves the old or the new.
// False with *error when the disk refuses.
bool write_news(const std::filesystem::path& file, const std::optional<News>& news, const std::string& etag,
                std::string* error);
// The ETag kept beside file ("" when none).
std::string read_news_etag(const std::filesystem::path& file);

struct NewsPull {
    enum class Kind {
        news,          // 200: news and etag
        not_modified,  // 304: the kept one is current
        none,          // 204: no response for the workplace: show nothing
        failed,        // anything else (failure says what); the terminal keeps what it has
    };
    Kind kind = Kind::failed;
    std::optional<News> news;
    std::string etag, failure;
};

// GET endpoint/v1/news with the bearer token and If-None-Match: etag (when
// not empty). A 200 without an ETag, over 16 KiB or not parse_news's form is
// a failure. Never throws.
NewsPull pull_news(HttpClient& http, const std::string& endpoint, const std::string& token, const std::string& etag);

// One pull and its keeping, as the thread does it: returns true when the
// kept news changed (written to file: new, replaced or removed); false when
// nothing changed, or with *failure when the pull or the write failed.
bool pull_and_keep_news(HttpClient& http, const std::filesystem::path& file, const std::string& endpoint,
                        const std::string& token, std::string* failure);

// Pulls now and every kNewsPullInterval_s on a thread of its own; the UI
// asks changed() and takes the file's news with read_news. Logs a failure
// once per kind of failure, never the text.
class NewsPullThread {
public:
    using HttpFactory = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;
    using Log = std::function<void(const std::string& line)>;

    NewsPullThread(std::filesystem::path file, std::string endpoint, std::string token, HttpFactory make_http, Log log);
    ~NewsPullThread();
    NewsPullThread(const NewsPullThread&) = delete;
    NewsPullThread& operator=(const NewsPullThread&) = delete;

    // True once after each change of the kept file (then false until the next).
    bool take_changed() { return changed_.exchange(false); }

private:
    void run();
    std::filesystem::path file_;
    std::string endpoint_, token_;
    HttpFactory make_http_;
    Log log_;
    std::atomic<bool> changed_{false};
    std::atomic<bool> cancel_{false};
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    std::thread worker_;  // last
};

}  // namespace pulse
