// test_week_response.cpp — the manager's response to a week (issue 15):
// the checks of its texts (code points, not bytes; Danish required; an empty
// English field removes the English text), and the store on a real database
// — replaced in place, found by week range, every version kept in its audit
// list, the tables made in an older database when it is opened. Suite
// "store": those run again on PostgreSQL (tests/CMakeLists.txt). The pages
// and GET /v1/news: test_web_response.cpp.
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "collector/week_response.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_week_response {

using namespace pulse;
using namespace pulse::testing;

namespace {

// text repeated n times.
std::string times(const std::string& text, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += text;
    return out;
}

// Runs sql on database (a SQLite file or a postgresql:// URL); fails the test on an error.
void exec_sql(const std::string& database, const std::string& sql) {
    if (is_postgres_url(database)) return postgres_exec(database, sql);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(database.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, sql, ": ", text);
}

WeekResponse response(IsoWeek week, std::string da, std::optional<std::string> en, std::string name,
                      std::string email, UnixSeconds at, std::string workplace = "wp-a") {
    return WeekResponse{std::move(workplace), week, std::move(da), std::move(en), std::move(name), std::move(email), at};
}

}  // namespace

// [SECTION] The texts

TEST_CASE("a response's limit counts characters, not bytes: 280 of 'æ' pass, 281 are refused naming the field and length") {
    const ResponseCheck at_limit = check_response(times("æ", 280), times("🙂", 280));
    CHECK(at_limit.problem == ResponseCheck::Problem::none);
    CHECK(at_limit.text_da.size() == 560);
    REQUIRE(at_limit.text_en);
    CHECK(at_limit.text_en->size() == 1120);

    const ResponseCheck da = check_response(times("æ", 281), "");
    CHECK(da.problem == ResponseCheck::Problem::too_long);
    CHECK(da.field == "da");
    CHECK(da.length == 281);
    const ResponseCheck en = check_response("Tak.", times("a", 281));
    CHECK(en.problem == ResponseCheck::Problem::too_long);
    CHECK(en.field == "en");
    CHECK(en.length == 281);
    // A browser sends a textarea's line break as CRLF and counts it as one.
    const ResponseCheck lines = check_response(times("a\r\n", 140), "");
    CHECK(lines.problem == ResponseCheck::Problem::none);
    CHECK(lines.text_da == times("a\n", 139) + "a");
}

TEST_CASE("a response needs its Danish text, an empty English field means no English text, and text that is not UTF-8 is refused") {
    for (const char* blank : {"", "   ", "\r\n\t "}) {
        const ResponseCheck c = check_response(blank, "Thanks.");
        CHECK(c.problem == ResponseCheck::Problem::empty);
        CHECK(c.field == "da");
    }
    const ResponseCheck no_english = check_response("  Tak for svarene.\r\n", " \r\n ");
    CHECK(no_english.problem == ResponseCheck::Problem::none);
    CHECK(no_english.text_da == "Tak for svarene.");
    CHECK(!no_english.text_en);
    const ResponseCheck bad = check_response("Tak", "\xC3\x28");
    CHECK(bad.problem == ResponseCheck::Problem::not_utf8);
    CHECK(bad.field == "en");
    CHECK(utf8_code_points("\xED\xA0\x80") == std::nullopt);  // a surrogate
    CHECK(utf8_code_points("\xC0\xAF") == std::nullopt);      // overlong
    CHECK(utf8_code_points("aæ€🙂") == std::optional<std::size_t>(4));
}

// [SECTION] The store

TEST_SUITE_BEGIN("store");

TEST_CASE("store: a week's response is replaced in place, found by week range, and every version stays in its audit list") {
    FreshStore db;
    std::string error;
    std::optional<WeekResponse> found;
    REQUIRE_MESSAGE(db.store->newest_response("wp-a", {2026, 44}, {2026, 48}, &found, &error), error);
    CHECK(!found);
    std::optional<std::vector<WeekResponse>> history = db.store->response_history("wp-a", {2026, 48}, &error);
    REQUIRE_MESSAGE(history, error);
    CHECK(history->empty());

    const WeekResponse first = response({2026, 48}, "Vi bestiller nye stole.", std::nullopt, "Leder A",
                                        "leder.a@ishoj.dk", 1000);
    const WeekResponse second = response({2026, 48}, "Nye stole i januar »æøå« 🙂\nTak.", "New chairs in January.",
                                         "HR", "hr@ishoj.dk", 2000);
    REQUIRE_MESSAGE(db.store->put_response(first, &error), error);
    REQUIRE_MESSAGE(db.store->put_response(second, &error), error);
    REQUIRE(db.store->put_response(response({2026, 46}, "Tak for svarene.", std::nullopt, "Leder A", "leder.a@ishoj.dk", 500), &error));
    REQUIRE(db.store->put_response(response({2026, 48}, "Biblioteket svarer.", std::nullopt, "HR", "hr@ishoj.dk", 900, "wp-b"), &error));

    // Another store object on the database (a restart, or a second instance) reads them back.
    const std::unique_ptr<CollectorStore> reopened = db.open();
    REQUIRE_MESSAGE(reopened->newest_response("wp-a", {2026, 44}, {2026, 48}, &found, &error), error);
    REQUIRE(found);
    CHECK(found->workplace == "wp-a");
    CHECK(found->week == IsoWeek{2026, 48});
    CHECK(found->text_da == second.text_da);
    CHECK(found->text_en == second.text_en);
    CHECK(found->author_name == "HR");
    CHECK(found->author_email == "hr@ishoj.dk");
    CHECK(found->written_at == 2000);
    // A range without week 48 finds week 46; a week without one finds none;
    // a range over the turn of the year still orders by week.
    REQUIRE(reopened->newest_response("wp-a", {2026, 44}, {2026, 47}, &found, &error));
    REQUIRE(found);
    CHECK(found->week == IsoWeek{2026, 46});
    CHECK(!found->text_en);
    REQUIRE(reopened->newest_response("wp-a", {2026, 47}, {2026, 47}, &found, &error));
    CHECK(!found);
    REQUIRE(reopened->newest_response("wp-a", {2026, 40}, {2027, 2}, &found, &error));
    REQUIRE(found);
    CHECK(found->week == IsoWeek{2026, 48});
    REQUIRE(reopened->newest_response("wp-b", {2026, 48}, {2026, 48}, &found, &error));
    REQUIRE(found);
    CHECK(found->text_da == "Biblioteket svarer.");

    // The audit list: every version of that week, newest first.
    history = reopened->response_history("wp-a", {2026, 48}, &error);
    REQUIRE_MESSAGE(history, error);
    REQUIRE(history->size() == 2);
    CHECK((*history)[0].author_email == "hr@ishoj.dk");
    CHECK((*history)[0].text_en == second.text_en);
    CHECK((*history)[0].written_at == 2000);
    CHECK((*history)[1].author_name == "Leder A");
    CHECK((*history)[1].text_da == first.text_da);
    CHECK(!(*history)[1].text_en);
    CHECK((*history)[1].written_at == 1000);

    // Removing the English text: the response has none, the audit keeps the version that had it.
    REQUIRE(reopened->put_response(response({2026, 48}, "Stolene kommer.", std::nullopt, "Leder A", "leder.a@ishoj.dk", 3000), &error));
    REQUIRE(db.store->newest_response("wp-a", {2026, 48}, {2026, 48}, &found, &error));
    REQUIRE(found);
    CHECK(!found->text_en);
    history = db.store->response_history("wp-a", {2026, 48}, &error);
    REQUIRE(history);
    REQUIRE(history->size() == 3);
    CHECK((*history)[1].text_en == second.text_en);
    CHECK(query_int(db.database, "SELECT COUNT(*) FROM week_responses") == 3);
    CHECK(query_int(db.database, "SELECT COUNT(*) FROM week_response_changes") == 5);
}

TEST_CASE("store: a database from before the responses gets their tables when it is opened") {
    FreshStore db;
    std::string error;
    REQUIRE(db.store->put_response(response({2026, 47}, "Før.", std::nullopt, "Leder A", "leder.a@ishoj.dk", 10), &error));
    db.store.reset();
    exec_sql(db.database, "DROP TABLE week_responses; DROP TABLE week_response_changes;");
    const std::unique_ptr<CollectorStore> reopened = db.open();
    REQUIRE_MESSAGE(reopened->put_response(response({2026, 48}, "Efter.", std::nullopt, "Leder A", "leder.a@ishoj.dk", 20), &error), error);
    std::optional<std::vector<WeekResponse>> history = reopened->response_history("wp-a", {2026, 48}, &error);
    REQUIRE_MESSAGE(history, error);
    REQUIRE(history->size() == 1);
    CHECK(history->front().text_da == "Efter.");
}

TEST_SUITE_END();

}  // namespace collector_test_week_response
