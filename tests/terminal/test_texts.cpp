// test_texts.cpp — the shipped screen texts are complete in both languages,
// and every kind of mistake in a texts file is reported with its line.
#include "common/question_bank.hpp"  // kLanguages
#include "temp_file.hpp"
#include "terminal/texts.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <set>
#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_texts {

namespace {

namespace fs = std::filesystem;
using pulse::kTextKeys;
using pulse::load_texts;
using pulse::testing::all;
using pulse::testing::write_temp;

// A complete texts file: "[da]" on line 1, its N keys on lines 2..N+1,
// "[en]" on line N+2 (en_header_line), its keys on lines N+3..2N+2
// (en_line). Each value is "<lang> <key>".
std::string complete_texts() {
    std::string out;
    for (const auto& lang : pulse::kLanguages) {
        out += "[" + lang + "]\n";
        for (const auto& key : kTextKeys) out += key + " = \"" + lang + " " + key + "\"\n";
    }
    return out;
}

int en_header_line() { return static_cast<int>(kTextKeys.size()) + 2; }
int en_line(int key_index) { return en_header_line() + 1 + key_index; }

// The index of key in kTextKeys, and its line in complete_texts() per language.
int index_of(const std::string& key) {
    const auto it = std::find(kTextKeys.begin(), kTextKeys.end(), key);
    REQUIRE_MESSAGE(it != kTextKeys.end(), key);
    return static_cast<int>(it - kTextKeys.begin());
}
int da_line(const std::string& key) { return 2 + index_of(key); }
int en_line(const std::string& key) { return en_line(index_of(key)); }

// complete_texts() with the line `key = "<lang> <key>"` of lang replaced.
std::string with_line(const std::string& lang, const std::string& key, const std::string& replacement) {
    std::string content = complete_texts();
    const std::string line = key + " = \"" + lang + " " + key + "\"";
    content.replace(content.find(line), line.size(), replacement);
    return content;
}

}  // namespace

TEST_CASE("the screens' text keys are the 75 agreed ones (39 for everyone, 36 for IT's admin screens), in screen order, each once") {
    REQUIRE(kTextKeys.size() == 75);
    CHECK(kTextKeys.front() == "attract_headline");
    CHECK(index_of("attract_anonymity") < index_of("about_button"));
    CHECK(index_of("skip") + 1 == index_of("back"));
    CHECK(kTextKeys[38] == "closed_message");
    CHECK(kTextKeys[39] == "admin_pin_title");
    CHECK(kTextKeys.back() == "admin_touch_done");
    CHECK(std::set<std::string>(kTextKeys.begin(), kTextKeys.end()).size() == kTextKeys.size());
}

TEST_CASE("the shipped texts define every key in Danish and English") {
    const auto load = load_texts(fs::path(PULSE_SOURCE_DIR) / "config" / "texts.toml");
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    const pulse::Texts& texts = *load.texts;
    for (const auto& lang : pulse::kLanguages) {
        for (const auto& key : kTextKeys) CHECK_MESSAGE(!texts.get(lang, key).empty(), lang, " ", key);
    }
    CHECK(texts.get("da", "attract_headline") == "Hvad synes du om din nærmeste leder?");
    CHECK(texts.get("en", "attract_headline") == "What do you think of your manager?");
    CHECK(texts.get("da", "attract_cost_many").find("{seconds}") != std::string::npos);
    CHECK(texts.get("da", "language_label") == "Dansk");
    CHECK(texts.get("en", "language_label") == "English");
    CHECK(texts.get("da", "progress") == "{n} af {total}");
    CHECK(texts.get("en", "progress") == "{n} of {total}");
    CHECK(texts.get("en", "thanks_many").find("{n}") != std::string::npos);
    CHECK(texts.get("da", "out_of_order_code").find("{code}") != std::string::npos);
}

TEST_CASE("a complete texts file loads, and get returns each text") {
    const auto load = load_texts(write_temp(complete_texts()));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.texts->get("en", "skip") == "en skip");
    CHECK(load.texts->has("da", "skip"));
    CHECK_FALSE(load.texts->has("da", "no_such_key"));
}

TEST_CASE("a missing language table is reported for the whole file") {
    std::string content = complete_texts();
    content = content.substr(0, content.find("[en]"));
    const auto load = load_texts(write_temp(content));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, 0, "[en] is missing");
    CHECK(load.errors.size() == 1);
}

TEST_CASE("a missing key is reported at its language's table header") {
    const auto load = load_texts(write_temp(with_line("en", "skip", "")));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, en_header_line(), "[en] skip is missing");
    CHECK(load.errors.size() == 1);
}

TEST_CASE("an empty text, an unknown key and a value that is not a string are each reported at their line") {
    std::string content = with_line("da", "skip", "skip = \" \"");
    content.replace(content.find("en saving"), 9, "en saving\"\nsavng = \"x");  // savng after [en] saving
    content.replace(content.find("thanks_title = \"da thanks_title\""), 32, "thanks_title = 1");
    const auto load = load_texts(write_temp(content));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, da_line("skip"), "[da] skip is empty");
    CHECK_ERROR(load, da_line("thanks_title"), "[da] thanks_title must be a string (in quotes), not an integer");
    CHECK_ERROR(load, en_line("saving") + 1, "[en] savng is not a known text key");
    CHECK_MESSAGE(load.errors.size() == 3, all(load.errors));
}

TEST_CASE("an unknown language table is reported") {
    const auto load = load_texts(write_temp(complete_texts() + "[de]\nskip = \"Überspringen\"\n"));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, 2 * en_header_line() - 1, "unknown language \"de\"");
}

TEST_CASE("a placeholder a text does not take is reported, the ones it takes are accepted") {
    std::string content = with_line("da", "progress", "progress = \"{n} af {totalt}\"");
    content = content.replace(content.find("en thanks_many"), 14, "Your {n} answers are saved");
    content = content.replace(content.find("en skip"), 7, "Skip {n}");
    const auto load = load_texts(write_temp(content));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, da_line("progress"), "[da] progress: unknown placeholder {totalt} (allowed: {n} {total})");
    CHECK_ERROR(load, en_line("skip"), "[en] skip: unknown placeholder {n} (it takes none)");
    CHECK_MESSAGE(load.errors.size() == 2, all(load.errors));
}

TEST_CASE("a TOML syntax error in the texts is reported with its line") {
    const auto load = load_texts(write_temp(with_line("en", "skip", "skip = \"Skip")));
    CHECK_FALSE(load.texts);
    CHECK_ERROR(load, en_line("skip"), "TOML syntax error");
}

}  // namespace terminal_test_texts
