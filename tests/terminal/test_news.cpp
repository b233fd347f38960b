// test_news.cpp — the manager's response on the terminal (terminal/news.hpp):
// its JSON and the field each refusal names, the kept file (written whole,
// removed on 204), and the pull's outcomes on a scripted HTTP client (the
// real collector's route is exercised end to end, from a response written
// in Chromium to the simulated terminal's screenshot, in
// tests/collector/test_web_browser.cpp).
#include "terminal/news.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_news {

using namespace pulse;

namespace {

// Answers each GET with the next scripted response; remembers the requests.
class ScriptedHttp final : public HttpClient {
public:
    std::vector<HttpResponse> responses;
    std::vector<HttpRequest> requests;
    HttpResponse post(const HttpRequest& r) override { return get(r); }
    HttpResponse get(const HttpRequest& r) override {
        requests.push_back(r);
        HttpResponse out = responses.front();
        responses.erase(responses.begin());
        return out;
    }
};

HttpResponse response(int status, std::string body = "", std::string etag = "") {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    if (!etag.empty()) r.headers["etag"] = etag;
    return r;
}

const std::string kBody = R"({"week":"2026-W48","answers":38,"manager":"Leder A","response":{"da":"Tak.","en":"Thanks."}})";

std::string header(const HttpRequest& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

}  // namespace

TEST_CASE("news JSON: the collector's form reads back; each refusal names its field") {
    std::string error;
    const std::optional<News> news = parse_news(kBody, &error);
    REQUIRE_MESSAGE(news, error);
    CHECK(news->week == IsoWeek{2026, 48});
    CHECK(news->answers == 38);
    CHECK(news_text(*news, "en") == "Thanks.");
    CHECK(parse_news(news_json(*news), &error) == news);
    const std::optional<News> withheld =
        parse_news(R"({"week":"2026-W48","answers":null,"manager":"L","response":{"da":"Tak."}})", &error);
    REQUIRE(withheld);
    CHECK_FALSE(withheld->answers);
    CHECK(news_text(*withheld, "en") == "Tak.");  // no English: the Danish

    const auto refused = [](const std::string& body) {
        std::string why;
        CHECK_FALSE(parse_news(body, &why));
        return why;
    };
    CHECK(refused("[1]") == "not a JSON object");
    CHECK(refused(R"({"answers":1,"manager":"L","response":{"da":"x"}})").rfind("week:", 0) == 0);
    CHECK(refused(R"({"week":"2026-48","answers":1,"manager":"L","response":{"da":"x"}})").rfind("week:", 0) == 0);
    CHECK(refused(R"({"week":"2026-W48","manager":"L","response":{"da":"x"}})").rfind("answers:", 0) == 0);
    CHECK(refused(R"({"week":"2026-W48","answers":-1,"manager":"L","response":{"da":"x"}})").rfind("answers:", 0) == 0);
    CHECK(refused(R"({"week":"2026-W48","answers":1,"manager":"","response":{"da":"x"}})").rfind("manager:", 0) == 0);
    CHECK(refused(R"({"week":"2026-W48","answers":1,"manager":"L","response":{"en":"x"}})") ==
          "response.da: missing (the Danish text is required)");
    CHECK(refused(R"({"week":"2026-W48","answers":1,"manager":"L","response":{"da":"x","de":"y"}})") ==
          "response.de: only da and en are shown");
    const std::string long_text(281, 'a');
    CHECK(refused(R"({"week":"2026-W48","answers":1,"manager":"L","response":{"da":")" + long_text + "\"}}") ==
          "response.da: 281 characters, at most 280");
    // 280 characters of two bytes each are within the limit: it counts characters, not bytes.
    std::string danish;
    for (int i = 0; i < 280; ++i) danish += "æ";
    CHECK(parse_news(R"({"week":"2026-W48","answers":1,"manager":"L","response":{"da":")" + danish + "\"}}", &error));
}

TEST_CASE("the pull keeps what the collector says: 200 written with its ETag, 304 nothing, 204 removed, a failure keeps the file") {
    pulse::testing::TempDir dir{"pulse-news"};
    const std::filesystem::path file = news_file_for(dir.path / "answers.sqlite3");
    CHECK(file == dir.path / "news.json");
    ScriptedHttp http;
    std::string failure;

    http.responses = {response(200, kBody, "\"a1\"")};
    CHECK(pull_and_keep_news(http, file, "https://c", "tok", &failure));
    CHECK(failure.empty());
    CHECK(http.requests.back().url == "https://c/v1/news");
    CHECK(header(http.requests.back(), "Authorization") == "Bearer tok");
    CHECK(header(http.requests.back(), "If-None-Match").empty());
    std::string problem;
    REQUIRE(read_news(file, &problem));
    CHECK(read_news_etag(file) == "\"a1\"");

    http.responses = {response(304)};
    CHECK_FALSE(pull_and_keep_news(http, file, "https://c", "tok", &failure));
    CHECK(header(http.requests.back(), "If-None-Match") == "\"a1\"");

    http.responses = {response(500), response(200, "{not json", "\"b\""), response(200, kBody)};
    for (const char* why : {"HTTP 500", "the collector's news is not usable", "HTTP 200 without an ETag"}) {
        failure.clear();
        CHECK_FALSE(pull_and_keep_news(http, file, "https://c", "tok", &failure));
        CHECK(failure.find(why) != std::string::npos);
        CHECK(read_news(file, &problem));  // the kept one stays
    }

    http.responses = {response(204)};
    CHECK(pull_and_keep_news(http, file, "https://c", "tok", &failure));
    CHECK_FALSE(std::filesystem::exists(file));
    CHECK(read_news_etag(file).empty());
    http.responses = {response(204)};
    CHECK_FALSE(pull_and_keep_news(http, file, "https://c", "tok", &failure));  // nothing to change

    // A damaged file is ignored and said so.
    std::ofstream(file) << "{";
    problem.clear();
    CHECK_FALSE(read_news(file, &problem));
    CHECK(problem.find("news.json: not JSON") != std::string::npos);
}

}  // namespace terminal_test_news
