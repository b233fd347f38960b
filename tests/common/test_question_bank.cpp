// test_question_bank.cpp — the shipped question bank is the framework's 28
// examples, and every kind of mistake in a bank is reported with its line.
#include "common/question_bank.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_question_bank {

namespace {

namespace fs = std::filesystem;
using pulse::load_question_bank;
using pulse::testing::all;
using pulse::testing::write_temp;

// Number of Unicode code points in UTF-8 text.
std::size_t characters(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

const fs::path kShippedBank = fs::path(PULSE_SOURCE_DIR) / "config" / "questions.toml";

// A valid bank; line numbers below refer to it.
const std::string kValidBank = R"([[theme]]
id = "1"
title = { da = "T", en = "T" }

[[question]]
id = "1.1"
theme = "1"
text = { da = "Min leder lytter.", en = "My manager listens." }
)";

}  // namespace

TEST_CASE("the shipped question bank holds the framework's 28 examples under its 4 statements, in order") {
    const auto load = load_question_bank(kShippedBank);
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    const auto& bank = *load.bank;

    REQUIRE(bank.themes.size() == 4);
    const char* statements[] = {"Jeg påtager mig og udvikler mit lederskab", "Jeg kommunikerer",
                                "Jeg bidrager til trivsel og et godt arbejdsliv for den enkelte",
                                "Jeg udvikler og skaber rum for nytænkning"};
    for (int t = 0; t < 4; ++t) {
        CHECK(bank.themes[t].id == std::to_string(t + 1));
        CHECK(bank.themes[t].statement.at("da") == statements[t]);
    }

    const int examples[] = {8, 6, 8, 6};
    std::vector<std::string> expected_ids;
    for (int t = 0; t < 4; ++t) {
        for (int e = 1; e <= examples[t]; ++e) expected_ids.push_back(std::to_string(t + 1) + "." + std::to_string(e));
    }
    std::vector<std::string> ids;
    for (const auto& q : bank.questions) ids.push_back(q.id);
    CHECK(ids == expected_ids);
    CHECK(bank.active_questions().size() == 28);
    CHECK(bank.version == "2026.1");
    for (const auto& q : bank.questions) {
        CHECK(q.theme == q.id.substr(0, 1));
    }
}

TEST_CASE("every shipped text exists in both languages and every question speaks of one's own manager, briefly") {
    const auto load = load_question_bank(kShippedBank);
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    for (const auto& theme : load.bank->themes) {
        for (const auto& lang : pulse::kLanguages) {
            CHECK_MESSAGE(!theme.title.at(lang).empty(), theme.id);
            CHECK_MESSAGE(characters(theme.title.at(lang)) <= 20, theme.title.at(lang));
            CHECK_MESSAGE(!theme.statement.at(lang).empty(), theme.id);
        }
    }
    for (const auto& q : load.bank->questions) {
        const std::string& da = q.text.at("da");
        const std::string& en = q.text.at("en");
        CHECK_MESSAGE(da.rfind("Min leder ", 0) == 0, q.id, ": ", da);
        CHECK_MESSAGE(en.rfind("My manager ", 0) == 0, q.id, ": ", en);
        CHECK_MESSAGE((da.back() == '.' && en.back() == '.'), q.id);
        CHECK_MESSAGE(characters(da) <= 100, q.id, ": ", da);  // ≤ 2 lines at 56 px on 80 % of 1920 px
        CHECK_MESSAGE(characters(en) <= 100, q.id, ": ", en);
    }
}

TEST_CASE("a bank without a version key is versioned by the SHA-256 of its bytes") {
    // sha256sum of kValidBank: 3d92207f669ce12e4aa7aca6ba0badae26eb21491e790208bc7abb871cc6072d
    const auto load = load_question_bank(write_temp(kValidBank));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.bank->version == "sha256:3d92207f669ce12e");
}

TEST_CASE("a bank's version key is used as given, and lookups find themes and questions by id") {
    const auto load = load_question_bank(write_temp("version = \"2026.7\"\n" + kValidBank));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.bank->version == "2026.7");
    REQUIRE(load.bank->find_question("1.1") != nullptr);
    CHECK(load.bank->find_question("1.1")->text.at("en") == "My manager listens.");
    CHECK(load.bank->find_question("1.2") == nullptr);
    REQUIRE(load.bank->find_theme("1") != nullptr);
    CHECK(load.bank->find_theme("1")->statement.empty());  // statement is optional
    CHECK(load.bank->find_theme("2") == nullptr);
}

TEST_CASE("an inactive question stays in the bank but is not asked") {
    const auto load = load_question_bank(write_temp(kValidBank + R"(
[[question]]
id = "1.2"
theme = "1"
text = { da = "Min leder taler.", en = "My manager talks." }
active = false
)"));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.bank->questions.size() == 2);
    REQUIRE(load.bank->active_questions().size() == 1);
    CHECK(load.bank->active_questions()[0]->id == "1.1");
}

TEST_CASE("a TOML syntax error is reported with its line") {
    const auto load = load_question_bank(write_temp(kValidBank + "\n[[question]]\nid = = \"1.2\"\n"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 11, "TOML syntax error");
}

TEST_CASE("a missing bank file is reported for the whole file") {
    const auto load = load_question_bank(fs::temp_directory_path() / "pulse-no-such-bank.toml");
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 0, "does not exist");
}

TEST_CASE("duplicate theme and question ids are reported at the second use, naming the first") {
    const auto load = load_question_bank(write_temp(kValidBank + R"(
[[theme]]
id = "1"
title = { da = "T", en = "T" }

[[question]]
id = "1.1"
theme = "1"
text = { da = "Min leder lytter.", en = "My manager listens." }
)"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 11, "duplicate theme id; it is already used at line 1");
    CHECK_ERROR(load, 15, "duplicate question id; it is already used at line 5");
    CHECK(load.errors.size() == 2);
}

TEST_CASE("a missing translation, an empty text and an unknown language are each reported") {
    const auto load = load_question_bank(write_temp(R"([[theme]]
id = "1"
title = { da = "Lederskab" }

[[question]]
id = "1.1"
theme = "1"
text = { da = "   ", en = "My manager listens.", de = "Mein Chef hört zu." }
)"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 3, "[[theme]] \"1\": title has no \"en\" translation");
    CHECK_ERROR(load, 8, "[[question]] \"1.1\": text.da is empty");
    CHECK_ERROR(load, 8, "text has unknown language \"de\"");
    CHECK(load.errors.size() == 3);
}

TEST_CASE("a question naming an unknown theme is reported at its theme key") {
    std::string content = kValidBank;
    content.replace(content.find("theme = \"1\""), 11, "theme = \"9\"");
    const auto load = load_question_bank(write_temp(content));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 7, "theme \"9\" is not defined");
    CHECK_ERROR(load, 6, "id must begin with its theme id \"9.\"");
}

TEST_CASE("unknown keys are reported at the top level, in a theme and in a question") {
    const auto load = load_question_bank(write_temp("versoin = \"1\"\n" + kValidBank + "actve = false\n"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 1, "top level: unknown key \"versoin\"");
    CHECK_ERROR(load, 10, "[[question]] \"1.1\": unknown key \"actve\" (allowed: id, theme, text, active)");
}

TEST_CASE("values of the wrong type are reported with the type expected") {
    const auto load = load_question_bank(write_temp(R"([[theme]]
id = 1
title = "Lederskab"

[[question]]
id = "1.1"
theme = "1"
text = { da = "Min leder lytter.", en = 5 }
active = "no"
)"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 2, "id must be a string");
    CHECK_ERROR(load, 3, "[[theme]]: title must be { da = \"…\", en = \"…\" }, not a string");
    CHECK_ERROR(load, 8, "text.en must be a string");
    CHECK_ERROR(load, 9, "active must be true or false");
}

TEST_CASE("a question id must be its theme id, a dot and a positive number") {
    const char* bad_ids[] = {"1", "1.0", "1.x", "1.01", ".1", "2.1"};
    for (const char* id : bad_ids) {
        std::string content = kValidBank;
        content.replace(content.find("id = \"1.1\""), 10, std::string("id = \"") + id + "\"");
        const auto load = load_question_bank(write_temp(content));
        CHECK_MESSAGE(!load.bank, id);
        CHECK_ERROR(load, 6, "id must");
    }
}

TEST_CASE("missing id, theme and text are reported at the line of their [[question]]") {
    const auto load = load_question_bank(write_temp(kValidBank + "\n[[question]]\nactive = true\n"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 10, "id is missing");
    CHECK_ERROR(load, 10, "theme is missing");
    CHECK_ERROR(load, 10, "text is missing");
}

TEST_CASE("a bank with no active question is refused") {
    const auto load = load_question_bank(write_temp(kValidBank + "active = false\n"));
    CHECK_FALSE(load.bank);
    CHECK_ERROR(load, 0, "no active question");
}

TEST_CASE("every error in a bank is reported in one load, in line order") {
    const auto load = load_question_bank(write_temp(R"(colour = "red"
[[theme]]
id = "1"
title = { da = "", en = "T" }

[[question]]
id = "1.1"
theme = "2"
text = { da = "Min leder lytter." }
)"));
    CHECK_FALSE(load.bank);
    CHECK_MESSAGE(load.errors.size() == 5, all(load.errors));  // colour, title.da, theme 2, id prefix, text.en
    for (std::size_t i = 1; i < load.errors.size(); ++i) CHECK(load.errors[i - 1].line <= load.errors[i].line);
    CHECK(load.errors.front().str().find("test.toml:1: ") != std::string::npos);  // FILE:LINE: message
}

}  // namespace common_test_question_bank
