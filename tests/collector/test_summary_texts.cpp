// test_summary_texts.cpp — the summary's words file (config/summary_texts.toml)
// is read strictly: the shipped file loads; each kind of mistake names its file,
// line and key; the collector config finds it ([summary] texts, or beside the
// first bank) and `pulse-collector check` reports its mistakes and exits 2.
#include "collector/config.hpp"
#include "collector/summary/summary_texts.hpp"
#include "collector_fixture.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <sstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_summary_texts {

using namespace pulse;
using namespace pulse::testing;

namespace {

const std::filesystem::path kShipped = PULSE_SOURCE_DIR "/config/summary_texts.toml";

// The lines of text, without their line ends.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The 1-based number of the first line after line `after` that starts with
// `start`; fails the test when there is none.
int line_starting(const std::string& text, const std::string& start, int after = 0) {
    const std::vector<std::string> lines = lines_of(text);
    for (int i = after; i < static_cast<int>(lines.size()); ++i) {
        if (lines[i].rfind(start, 0) == 0) return i + 1;
    }
    FAIL("no line starts with ", start, " after line ", after);
    return 0;
}

// text with its line `line` (1-based) replaced by replacement (which may hold
// line ends); the other lines keep their numbers when replacement is one line.
std::string with_line(const std::string& text, int line, const std::string& replacement) {
    std::vector<std::string> lines = lines_of(text);
    REQUIRE(line >= 1);
    REQUIRE(line <= static_cast<int>(lines.size()));
    lines[line - 1] = replacement;
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}

// The shipped file and the line of its [en] table, where the English keys start.
struct Shipped {
    std::string text = slurp(kShipped);
    int en = line_starting(text, "[en]");
};

// load_summary_texts of text written to a new temp file.
SummaryTextsLoad load_text(const std::string& text, std::filesystem::path* written = nullptr) {
    const std::filesystem::path file = write_temp(text, "summary_texts.toml");
    if (written) *written = file;
    return load_summary_texts(file);
}

}  // namespace

// [SECTION] The loader

TEST_CASE("the shipped summary texts load with every word in both languages") {
    const SummaryTextsLoad load = load_summary_texts(kShipped);
    REQUIRE_MESSAGE(load.texts, all(load.errors));
    const SummaryWords& da = load.texts->words("da");
    const SummaryWords& en = load.texts->words("en");
    CHECK(da.too_few == "for få svar");
    CHECK(en.too_few == "too few answers");
    CHECK(da.weekdays.back() == "søndag");
    CHECK(en.months.front() == "January");
    CHECK(da.scale[2] == "Hverken enig eller uenig");
    CHECK(en.csv_columns[13] == "don't know");
    CHECK(da.csv_columns[6] == "enige %");  // not the anglicism "positive"
    CHECK(da.anonymity.find("{min_answers}") != std::string::npos);
    CHECK(&load.texts->words("xx") == &da);  // an unknown language gets the first of kLanguages
}

TEST_CASE("a missing key in the summary texts is named with its language table's line") {
    const Shipped shipped;
    const int inactive = line_starting(shipped.text, "inactive = ", shipped.en);
    std::filesystem::path file;
    const SummaryTextsLoad load = load_text(with_line(shipped.text, inactive, ""), &file);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, shipped.en, "[en] inactive is missing");
    REQUIRE_FALSE(load.errors.empty());
    CHECK(load.errors.front().file == file.string());
}

TEST_CASE("an unknown key in the summary texts is named with its line") {
    const Shipped shipped;
    const int title = line_starting(shipped.text, "title = ");
    const SummaryTextsLoad load = load_text(with_line(shipped.text, title, "titel = \"Pulsmåling\""));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, title, "[da] titel is not a known key");
    CHECK_ERROR(load, line_starting(shipped.text, "[da]"), "[da] title is missing");
}

TEST_CASE("a wrong type in the summary texts is named with its line and key") {
    const Shipped shipped;
    const int title = line_starting(shipped.text, "title = ", shipped.en);
    const int weekdays = line_starting(shipped.text, "weekdays = ");
    const int months = line_starting(shipped.text, "months = ", shipped.en);
    std::string text = with_line(shipped.text, title, "title = 5");
    text = with_line(text, weekdays, "weekdays = \"mandag\"");
    text = with_line(text, months, "months = [\"January\", 2, \"March\", \"April\", \"May\", \"June\", \"July\", "
                                   "\"August\", \"September\", \"October\",");
    const SummaryTextsLoad load = load_text(text);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, title, "[en] title must be a string (in quotes), not an integer");
    CHECK_ERROR(load, weekdays, "[da] weekdays must be an array of 7 texts (Monday first), not a string");
    CHECK_ERROR(load, months, "[en] months entry 2 must be a string (in quotes), not an integer");
}

TEST_CASE("an array of the wrong length in the summary texts names its line, key and the length it needs") {
    const Shipped shipped;
    const int weekdays = line_starting(shipped.text, "weekdays = ");
    const int scale = line_starting(shipped.text, "scale = ", shipped.en);
    const int months = line_starting(shipped.text, "months = ");
    std::string text = with_line(shipped.text, weekdays,
                                 "weekdays = [\"mandag\", \"tirsdag\", \"onsdag\", \"torsdag\", \"fredag\", "
                                 "\"lørdag\"]");
    text = with_line(text, scale, "scale = [\"Strongly disagree\", \"Disagree\", \"Neutral\", \"Agree\"]");
    // months spans two lines; its second loses "december".
    text = with_line(text, months + 1, "          \"november\"]");
    const SummaryTextsLoad load = load_text(text);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, weekdays, "[da] weekdays must hold 7 texts (Monday first), not 6");
    CHECK_ERROR(load, scale, "[en] scale must hold 5 texts (the answers 1 to 5), not 4");
    CHECK_ERROR(load, months, "[da] months must hold 12 texts (January first), not 11");
}

TEST_CASE("an unknown placeholder in the summary texts names its line, key and the placeholders the key takes") {
    const Shipped shipped;
    const int anonymity = line_starting(shipped.text, "anonymity = ");
    const int subject = line_starting(shipped.text, "email_subject = ", shipped.en);
    const int lowest = line_starting(shipped.text, "lowest = ");
    std::string text = with_line(shipped.text, anonymity, "anonymity = \"Færre end {min} svar vises ikke.\"");
    text = with_line(text, subject, "email_subject = \"Weekly pulse: {workplace}, week {week} {yaer}\"");
    text = with_line(text, lowest, "lowest = \"Lavest {n}\"");
    const SummaryTextsLoad load = load_text(text);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, anonymity, "[da] anonymity: unknown placeholder {min} (allowed: {min_answers})");
    CHECK_ERROR(load, subject, "[en] email_subject: unknown placeholder {yaer} (allowed: {workplace} {week} {year})");
    CHECK_ERROR(load, lowest, "[da] lowest: unknown placeholder {n} (it takes none)");
}

TEST_CASE("a missing or unknown language in the summary texts is an error") {
    const Shipped shipped;
    const std::string danish_only = shipped.text.substr(0, shipped.text.find("\n[en]") + 1);
    std::filesystem::path file;
    const SummaryTextsLoad load = load_text(danish_only + "[de]\ntitle = \"Puls\"\n", &file);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, 0, "[en] is missing");
    CHECK_ERROR(load, shipped.en, "unknown language \"de\" (allowed: da, en)");
    CHECK(all(load.errors).find(file.string() + ": [en] is missing") != std::string::npos);
}

TEST_CASE("an empty text, and a CSV column that would split the CSV, are errors in the summary texts") {
    const Shipped shipped;
    const int low = line_starting(shipped.text, "low = ");
    const int columns = line_starting(shipped.text, "csv_columns = ", shipped.en);
    std::string text = with_line(shipped.text, low, "low = \" \"");
    text = with_line(text, columns, "csv_columns = [\"level\", \"theme\", \"id\", \"text\", \"n\", \"mean\", "
                                    "\"agree;%\", \"disagree %\", \"1\", \"2\", \"3\", \"4\", \"5\",");
    const SummaryTextsLoad load = load_text(text);
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, low, "[da] low is empty");
    CHECK_ERROR(load, columns, "[en] csv_columns entry 7 holds ';'");
}

TEST_CASE("a summary texts file that is not TOML names the line of the syntax error") {
    const Shipped shipped;
    const int title = line_starting(shipped.text, "title = ");
    const SummaryTextsLoad load = load_text(with_line(shipped.text, title, "title = \"Pulsmåling"));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, title, "TOML syntax error");
}

TEST_CASE("placeholders are filled in by name and any other brace is kept as written") {
    CHECK(fill_placeholders("Uge {week}, {year}", {{"week", "48"}, {"year", "2026"}}) == "Uge 48, 2026");
    CHECK(fill_placeholders("{n} svar · {n}", {{"n", "7"}}) == "7 svar · 7");
    CHECK(fill_placeholders("{other} {n", {{"n", "7"}}) == "{other} {n");
    CHECK(fill_placeholders("a {{n}} b", {{"n", "7"}}) == "a {7} b");
    CHECK(fill_placeholders("", {{"n", "7"}}).empty());
}

// [SECTION] In the collector's config

TEST_CASE("the collector config finds the summary texts beside its first bank unless [summary] texts names a file") {
    const CollectorConfig shipped = test_collector_config();
    CHECK(shipped.summary_texts_file == std::filesystem::weakly_canonical(kShipped));
    CHECK(shipped.summary_texts.words("da").title == "Pulsmåling");

    const std::filesystem::path dir = temp_folder();
    const Shipped texts;
    write_file(dir / "words" / "mine.toml",
               with_line(texts.text, line_starting(texts.text, "title = "), "title = \"Trivselsmåling\""));
    const std::filesystem::path config =
        write_file(dir / "collector.toml", collector_config_text() + "[summary]\ntexts = \"words/mine.toml\"\n");
    const CollectorConfigLoad load = load_collector_config(config);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->summary_texts_file == std::filesystem::weakly_canonical(dir / "words" / "mine.toml"));
    CHECK(load.config->summary_texts.words("da").title == "Trivselsmåling");
}

TEST_CASE("a summary texts file that does not exist is reported at the config line that leads to it") {
    const std::filesystem::path dir = temp_folder();
    write_file(dir / "questions.toml", slurp(PULSE_SOURCE_DIR "/config/questions.toml"));
    const std::string head = "[storage]\ndatabase = \"x.sqlite3\"\n[bank]\nquestions = [\"questions.toml\"]\n";
    CollectorConfigLoad load = load_collector_config(write_file(dir / "default.toml", head));  // questions: line 4
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 4, "[summary] texts: " + (dir / "summary_texts.toml").string() +
                             " does not exist (the default: summary_texts.toml beside the first question bank)");

    load = load_collector_config(write_file(dir / "named.toml", head + "[summary]\ntexts = \"nope.toml\"\n"));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 6, "[summary] texts: " + (dir / "nope.toml").string() + " does not exist; check the path");

    load = load_collector_config(write_file(dir / "typo.toml", head + "[summary]\ntext = \"x.toml\"\n"));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 6, "[summary] text is not a known key");
}

TEST_CASE("pulse-collector check names the line and key of a mistake in the summary texts and exits 2") {
    const std::filesystem::path dir = temp_folder();
    const Shipped texts;
    const int title = line_starting(texts.text, "title = ", texts.en);
    const std::filesystem::path words = write_file(dir / "words.toml", with_line(texts.text, title, "title = 5"));
    const std::filesystem::path config =
        write_file(dir / "collector.toml", collector_config_text() + "[summary]\ntexts = \"words.toml\"\n");

    const ProcessResult bad = run_process({PULSE_COLLECTOR_EXE, "check", "--config", config.string()}, {}, dir, 30);
    CHECK(bad.exit_code == 2);
    const std::string expected = std::filesystem::weakly_canonical(words).string() + ":" + std::to_string(title) +
                                 ": [en] title must be a string (in quotes), not an integer";
    CHECK_MESSAGE(bad.err.find(expected) != std::string::npos, "expected ", expected, " in:\n", bad.err);
    CHECK(bad.out.empty());

    write_file(words, texts.text);
    const ProcessResult good = run_process({PULSE_COLLECTOR_EXE, "check", "--config", config.string()}, {}, dir, 30);
    CHECK_MESSAGE(good.exit_code == 0, good.err);
}

}  // namespace collector_test_summary_texts
