// test_bank_versions.cpp — answers given under every configured version of
// the question bank count in the published summary, the overview and the
// e-mail's summary, matched by question id: a question the newest bank
// dropped still counts in its theme, shown as no longer asked. On a real
// server with a real (SQLite) database.
#include "collector_fixture.hpp"
#include "collector/http/server.hpp"
#include "collector/publication.hpp"
#include "common/copenhagen_time.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_bank_versions {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

const UnixSeconds kFriday = *parse_iso8601("2026-11-27T10:30:00Z");        // answers at 09:00 that day, W48
const UnixSeconds kW48Published = *parse_iso8601("2026-11-30T06:00:00Z");  // Monday 07:00 Copenhagen

// The newest bank, "2026.2": theme 2 keeps 2.1, drops 2.3 (of the shipped
// "2026.1") and adds 2.9; theme 5 is new. Listed first, so it is current.
const char* const kNewBank = R"toml(version = "2026.2"
[[theme]]
id = "1"
title = { da = "Mål", en = "Goals" }
[[theme]]
id = "2"
title = { da = "Kommunikation (ny)", en = "Communication (new)" }
[[theme]]
id = "5"
title = { da = "Arbejdsmiljø", en = "Work environment" }
[[question]]
id = "1.1"
theme = "1"
text = { da = "Min leder formidler målene.", en = "My manager conveys the goals." }
[[question]]
id = "2.1"
theme = "2"
text = { da = "Min leder lytter.", en = "My manager listens." }
[[question]]
id = "2.9"
theme = "2"
text = { da = "Min leder svarer hurtigt.", en = "My manager answers quickly." }
[[question]]
id = "5.1"
theme = "5"
text = { da = "Jeg har ro til mit arbejde.", en = "I can work undisturbed." }
)toml";

// n answers of term-a to question, value 4, under bank version, ids first_id...
json batch(const std::string& bank, const std::string& question, unsigned n, unsigned first_id, unsigned batch_id) {
    json b = wire_batch(n, first_id, batch_id);
    b["bank"] = bank;
    for (json& a : b["answers"]) a["question"] = question;
    return b;
}

const json* find_by_id(const json& list, const std::string& id) {
    for (const json& item : list) {
        if (item["id"] == id) return &item;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("answers under an older bank version count by question id; a question the newest bank dropped counts in its theme") {
    const std::filesystem::path new_bank = write_temp(kNewBank, "questions-2026.2.toml");
    std::string text = collector_config_text();
    const std::string shipped = "questions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]";
    REQUIRE(text.find(shipped) != std::string::npos);
    text.replace(text.find(shipped), shipped.size(),
                 "questions = [\"" + new_bank.string() + "\", \"" PULSE_SOURCE_DIR "/config/questions.toml\"]\n"
                 "[summary]\ntexts = \"" PULSE_SOURCE_DIR "/config/summary_texts.toml\"");
    CollectorConfigLoad load = load_collector_config(write_temp(text, "collector.toml"));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    const CollectorConfig config = *load.config;
    REQUIRE(config.banks.size() == 2);

    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    std::atomic<UnixSeconds> now{kFriday};
    CollectorServer server(config, *store, [&] { return now.load(); }, nullptr);
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(30, 0);
    const auto post = [&](const json& body) {
        const httplib::Result r = client.Post("/v1/batches", {{"Authorization", "Bearer " + kTerminalToken}},
                                              body.dump(), "application/json");
        REQUIRE(r);
        CHECK_MESSAGE(r->status == 200, r->body);
    };
    post(batch("2026.1", "2.3", 6, 1, 0xa1));   // only the old bank has 2.3
    post(batch("2026.1", "1.1", 5, 20, 0xa2));  // both banks have 1.1
    post(batch("2026.2", "1.1", 5, 40, 0xa3));
    post(batch("2026.2", "2.9", 7, 60, 0xa4));  // only the new bank has 2.9
    // An id the old bank has under one version and the new bank rejects is still refused.
    const httplib::Result wrong = client.Post("/v1/batches", {{"Authorization", "Bearer " + kTerminalToken}},
                                              batch("2026.2", "2.3", 1, 80, 0xa5).dump(), "application/json");
    REQUIRE(wrong);
    CHECK(wrong->status == 400);

    now = kW48Published;
    const httplib::Result r = client.Get("/v1/workplaces/wp-a/summary?week=2026-W48&lang=en",
                                         {{"Authorization", "Bearer " + kManagerToken}});
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    const json s = json::parse(r->body);
    CHECK(s["answers"] == 23);
    // The newest bank's themes first, in its order, then what only the old one has.
    std::vector<std::string> theme_ids;
    for (const json& t : s["themes"]) theme_ids.push_back(t["id"]);
    CHECK(theme_ids == std::vector<std::string>{"1", "2", "5", "3", "4"});
    const json* goals = find_by_id(s["themes"], "1");
    REQUIRE(goals);
    CHECK((*goals)["title"] == "Goals");
    const json* q11 = find_by_id((*goals)["questions"], "1.1");
    REQUIRE(q11);
    CHECK((*q11)["n"] == 10);
    CHECK((*q11)["text"] == "My manager conveys the goals.");  // the newest wording
    const json* communication = find_by_id(s["themes"], "2");
    REQUIRE(communication);
    CHECK((*communication)["n"] == 13);  // 2.3 and 2.9 together
    const json* q23 = find_by_id((*communication)["questions"], "2.3");
    const json* q29 = find_by_id((*communication)["questions"], "2.9");
    REQUIRE(q23);
    REQUIRE(q29);
    CHECK((*q23)["n"] == 6);
    CHECK((*q23)["active"] == false);  // dropped: no longer asked, still counted
    CHECK((*q23)["text"].get<std::string>().find("My manager") == 0);  // the old bank's own wording
    CHECK((*q29)["n"] == 7);
    CHECK((*q29)["active"] == true);
    // The old bank's other questions are there, inactive, with nothing to show.
    const json* q31 = find_by_id((*find_by_id(s["themes"], "3"))["questions"], "3.1");
    REQUIRE(q31);
    CHECK((*q31)["active"] == false);

    // IT's overview counts the same 23.
    const httplib::Result o = client.Get("/v1/admin/overview?week=2026-W48", {{"Authorization", "Bearer " + kAdminToken}});
    REQUIRE(o);
    REQUIRE_MESSAGE(o->status == 200, o->body);
    CHECK(json::parse(o->body)["workplaces"][0]["answers_in_week"] == 23);

    // The e-mail reads the same published summary (mailer.cpp: published_summary).
    const PublishedSummary published = published_summary(*store, config, "wp-a", IsoWeek{2026, 48}, "da", now.load());
    REQUIRE(published.status == PublishedSummary::Status::ok);
    CHECK(published.summary.answers == 23);
    server.stop();
}

TEST_CASE("merging bank versions: the current bank's order, texts and flags first, then what older ones alone have") {
    const auto bank = [](std::string version, std::vector<std::pair<std::string, bool>> questions) {
        QuestionBank b;
        b.version = std::move(version);
        for (const auto& [id, active] : questions) {
            const std::string theme = id.substr(0, id.find('.'));
            if (!b.find_theme(theme)) b.themes.push_back({theme, {{"da", b.version + " tema " + theme}}, {}, 0});
            b.questions.push_back({id, theme, {{"da", b.version + " " + id}}, active, 0});
        }
        return b;
    };
    const QuestionBank merged = merge_question_banks(
        {bank("v3", {{"1.1", true}, {"1.2", false}}), bank("v2", {{"1.1", true}, {"1.3", true}, {"2.1", true}}),
         bank("v1", {{"1.3", true}, {"1.4", true}, {"3.1", true}})});
    CHECK(merged.version == "v3");
    std::vector<std::string> ids, themes;
    for (const Question& q : merged.questions) ids.push_back(q.id + (q.active ? "" : "-") + " " + q.text.at("da"));
    for (const Theme& t : merged.themes) themes.push_back(t.title.at("da"));
    CHECK(ids == std::vector<std::string>{"1.1 v3 1.1", "1.2- v3 1.2", "1.3- v2 1.3", "2.1- v2 2.1", "1.4- v1 1.4",
                                          "3.1- v1 3.1"});
    CHECK(themes == std::vector<std::string>{"v3 tema 1", "v2 tema 2", "v1 tema 3"});
    // One bank merges to itself.
    const QuestionBank one = merge_question_banks({bank("v1", {{"1.1", true}})});
    CHECK(one.questions.size() == 1);
    CHECK(one.questions[0].active);
}

}  // namespace collector_test_bank_versions
