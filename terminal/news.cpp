// news.cpp — the manager's response on the terminal: its JSON, the kept
// file, the pull and the pulling thread (see news.hpp).
#include "terminal/news.hpp"

#include "common/replace_file.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>

namespace pulse {

namespace {

constexpr std::size_t kMaxNewsBytes = 16 * 1024;

// Code points of valid UTF-8 text; nullopt when it is not valid UTF-8.
std::optional<std::size_t> code_points(const std::string& text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++n) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > text.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return std::nullopt;
        }
        i += len;
    }
    return n;
}

std::string slurp(const std::filesystem::path& file, bool* exists) {
    std::ifstream in(file, std::ios::binary);
    *exists = static_cast<bool>(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::filesystem::path etag_file(const std::filesystem::path& file) {
    std::filesystem::path p = file;
    return p.replace_extension(".etag");
}

}  // namespace

std::optional<News> parse_news(std::string_view text, std::string* error) {
    const auto fail = [error](const std::string& why) -> std::optional<News> {
        if (error) *error = why;
        return std::nullopt;
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        return fail(std::string("not JSON: ") + e.what());
    }
    if (!j.is_object()) return fail("not a JSON object");
    News news;
    const auto week = j.find("week");
    if (week == j.end() || !week->is_string()) return fail("week: missing or not a string");
    const std::optional<IsoWeek> w = parse_iso_week(week->get<std::string>());
    if (!w) return fail("week: \"" + week->get<std::string>() + "\" is not an ISO week like 2026-W48");
    news.week = *w;
    const auto answers = j.find("answers");
    if (answers == j.end()) return fail("answers: missing (a number, or null when withheld)");
    if (!answers->is_null()) {
        if (!answers->is_number_integer() || answers->get<std::int64_t>() < 0) return fail("answers: not a count");
        news.answers = answers->get<std::int64_t>();
    }
    const auto manager = j.find("manager");
    if (manager == j.end() || !manager->is_string() || manager->get<std::string>().empty()) {
        return fail("manager: missing or empty");
    }
    news.manager = manager->get<std::string>();
    if (news.manager.size() > 200) return fail("manager: longer than 200 bytes");
    const auto response = j.find("response");
    if (response == j.end() || !response->is_object()) return fail("response: missing or not an object");
    for (const auto& [language, value] : response->items()) {
        if (language != "da" && language != "en") return fail("response." + language + ": only da and en are shown");
        if (!value.is_string()) return fail("response." + language + ": not a string");
        const std::string t = value.get<std::string>();
        const std::optional<std::size_t> n = code_points(t);
        if (!n) return fail("response." + language + ": not UTF-8");
        if (*n == 0) return fail("response." + language + ": empty");
        if (*n > kNewsMaxChars) {
            return fail("response." + language + ": " + std::to_string(*n) + " characters, at most " +
                        std::to_string(kNewsMaxChars));
        }
        news.response[language] = t;
    }
    if (!news.response.count("da")) return fail("response.da: missing (the Danish text is required)");
    return news;
}

std::string news_json(const News& news) {
    nlohmann::ordered_json j;
    j["week"] = news.week.str();
    j["answers"] = news.answers ? nlohmann::ordered_json(*news.answers) : nlohmann::ordered_json(nullptr);
    j["manager"] = news.manager;
    j["response"] = news.response;
    return j.dump() + "\n";
}

const std::string& news_text(const News& news, const std::string& language) {
    const auto it = news.response.find(language);
    return it != news.response.end() ? it->second : news.response.at("da");
}

std::filesystem::path news_file_for(const std::filesystem::path& database) {
    return database.parent_path() / "news.json";
}

std::optional<News> read_news(const std::filesystem::path& file, std::string* problem) {
    bool exists = false;
    const std::string text = slurp(file, &exists);
    if (!exists) return std::nullopt;
    std::string why;
    std::optional<News> news = parse_news(text, &why);
    if (!news && problem) *problem = file.string() + ": " + why;
    return news;
}

std::string read_news_etag(const std::filesystem::path& file) {
    bool exists = false;
    std::string text = slurp(etag_file(file), &exists);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

bool write_news(const std::filesystem::path& file, const std::optional<News>& news, const std::string& etag,
                std::string* error) {
    // The old ETag goes first: it never stays beside news it does not name
    // (a crash between the steps leaves news without an ETag: pulled whole again).
    std::error_code ec;
    std::filesystem::remove(etag_file(file), ec);
    if (ec) {
        if (error) *error = etag_file(file).string() + ": cannot remove: " + ec.message();
        return false;
    }
    if (!news) {
        std::filesystem::remove(file, ec);
        if (ec) {
            if (error) *error = file.string() + ": cannot remove: " + ec.message();
            return false;
        }
        return true;
    }
    const ReplaceFile written = replace_file(file, news_json(*news), 0644);
    if (written.outcome != ReplaceFile::Outcome::replaced) {
        if (error) *error = written.error;
        return false;
    }
    const ReplaceFile tag = replace_file(etag_file(file), etag + "\n", 0644);
    if (tag.outcome != ReplaceFile::Outcome::replaced) {
        if (error) *error = tag.error;
        return false;
    }
    return true;
}

NewsPull pull_news(HttpClient& http, const std::string& endpoint, const std::string& token, const std::string& etag) {
    HttpRequest request;
    request.url = endpoint + "/v1/news";
    request.headers = {{"Authorization", "Bearer " + token}};
    if (!etag.empty()) request.headers.push_back({"If-None-Match", etag});
    const HttpResponse r = http.get(request);
    NewsPull out;
    if (r.transport_failed()) {
        out.failure = "transport error " + std::to_string(r.transport_error) + " (" + r.transport_message + ")";
    } else if (r.status == 304) {
        out.kind = NewsPull::Kind::not_modified;
    } else if (r.status == 204) {
        out.kind = NewsPull::Kind::none;
    } else if (r.status == 200) {
        const auto tag = r.headers.find("etag");
        std::string why;
        if (tag == r.headers.end() || tag->second.empty()) {
            out.failure = "HTTP 200 without an ETag";
        } else if (r.body.size() > kMaxNewsBytes) {
            out.failure = "a body of " + std::to_string(r.body.size()) + " bytes (at most 16 KiB)";
        } else if (std::optional<News> news = parse_news(r.body, &why)) {
            out.kind = NewsPull::Kind::news;
            out.news = std::move(news);
            out.etag = tag->second;
        } else {
            // The reason names the field; a JSON parser's message could quote the text itself.
            out.failure = "the collector's news is not usable: " + why.substr(0, why.find(':'));
        }
    } else {
        out.failure = "HTTP " + std::to_string(r.status);
    }
    return out;
}

bool pull_and_keep_news(HttpClient& http, const std::filesystem::path& file, const std::string& endpoint,
                        const std::string& token, std::string* failure) {
    // The ETag only with news that reads: else a 304 would keep a damaged file's nothing.
    std::string unreadable;
    const bool readable = read_news(file, &unreadable).has_value();
    const NewsPull pull = pull_news(http, endpoint, token, readable ? read_news_etag(file) : std::string());
    switch (pull.kind) {
        case NewsPull::Kind::failed:
            if (failure) *failure = pull.failure;
            return false;
        case NewsPull::Kind::not_modified: return false;
        case NewsPull::Kind::none: {
            std::error_code ec;
            if (!std::filesystem::exists(file, ec) && !std::filesystem::exists(etag_file(file), ec)) return false;
            return write_news(file, std::nullopt, "", failure);
        }
        case NewsPull::Kind::news: {
            std::string ignored;
            if (read_news(file, &ignored) == pull.news && read_news_etag(file) == pull.etag) return false;
            return write_news(file, pull.news, pull.etag, failure);
        }
    }
    return false;
}

NewsPullThread::NewsPullThread(std::filesystem::path file, std::string endpoint, std::string token,
                               HttpFactory make_http, Log log)
    : file_(std::move(file)), endpoint_(std::move(endpoint)), token_(std::move(token)),
      make_http_(std::move(make_http)), log_(std::move(log)) {
    worker_ = std::thread([this] { run(); });
}

NewsPullThread::~NewsPullThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;
    wakeup_.notify_all();
    worker_.join();
}

void NewsPullThread::run() {
    std::unique_ptr<HttpClient> http = make_http_(&cancel_);
    std::unique_lock lock(mutex_);
    std::string last_failure;
    while (!stopping_) {
        lock.unlock();
        std::string failure;
        if (pull_and_keep_news(*http, file_, endpoint_, token_, &failure)) changed_ = true;
        if (!failure.empty() && failure != last_failure && log_) {
            log_("news: cannot fetch or keep the manager's response: " + failure + "; the kept one stays");
        }
        last_failure = failure;
        lock.lock();
        wakeup_.wait_for(lock, std::chrono::seconds(kNewsPullInterval_s), [this] { return stopping_; });
    }
}

}  // namespace pulse
