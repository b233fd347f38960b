// test_config.cpp — the shipped kiosk configs load; paths resolve beside the
// config file; every kind of mistake is reported as "[table] key" with its line.
#include "terminal/kiosk_config.hpp"
#include "minimal_config.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_config {

namespace {

namespace fs = std::filesystem;
using pulse::load_kiosk_config;
using pulse::testing::all;
using pulse::testing::temp_folder;
using pulse::testing::write_file;
using pulse::testing::write_temp;

// A minimal valid config; line numbers in the tests refer to it.
const std::string& kMinimal = pulse::testing::kMinimalKioskConfig;

// kMinimal with one line replaced (the first that starts with prefix).
std::string with_line(const std::string& prefix, const std::string& replacement) {
    std::string content = kMinimal;
    const std::size_t start = content.find(prefix);
    content.replace(start, content.find('\n', start) - start, replacement);
    return content;
}

fs::path canonical_source(const char* relative) {
    return fs::weakly_canonical(fs::path(PULSE_SOURCE_DIR) / relative);
}

}  // namespace

TEST_CASE("the shipped demo config loads and its paths resolve beside it") {
    const auto load = load_kiosk_config(fs::path(PULSE_SOURCE_DIR) / "config" / "demo.toml");
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    const pulse::KioskConfig& c = *load.config;
    CHECK(c.terminal_id == "demo-1");
    CHECK(c.workplace == "demo");
    CHECK(c.language == "da");
    CHECK(c.questions_file == canonical_source("config/questions.toml"));
    CHECK(c.texts_file == canonical_source("config/texts.toml"));
    CHECK(c.database == canonical_source("data/demo.sqlite3"));
    CHECK(c.database.is_absolute());
    CHECK_FALSE(c.fullscreen);
    CHECK(c.width == 1280);
    CHECK(c.height == 800);
    CHECK(c.diagonal_inch == doctest::Approx(21.5));
    CHECK(c.dpi == 0);
    CHECK(c.per_session == 3);  // defaults
    CHECK(c.idle_timeout_s == doctest::Approx(20));
    CHECK(c.accent == "#2F6FA8");
    CHECK(c.font.empty());
}

TEST_CASE("the example terminal config loads with no errors") {
    const auto load = load_kiosk_config(fs::path(PULSE_SOURCE_DIR) / "config" / "terminal.example.toml");
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.config->terminal_id == "ishoj-raadhus-1");
    CHECK(load.config->database == fs::path("/var/lib/pulse/answers.sqlite3"));
}

TEST_CASE("paths are relative to the config file's folder and stored absolute and normalised") {
    const fs::path dir = temp_folder();
    const auto load = load_kiosk_config(write_file(dir / "site" / "kiosk.toml", R"([terminal]
id = "t-1"
workplace = "w"

[pulse]
questions = "bank/./q.toml"
texts = "../words/texts-da.toml"

[storage]
database = "../data/a.sqlite3"

[display]
dpi = 96
font = "/usr/share/fonts/x.ttf"
)"));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    const fs::path root = fs::weakly_canonical(dir);
    CHECK(load.config->source == (dir / "site" / "kiosk.toml").lexically_normal());
    CHECK(load.config->questions_file == root / "site" / "bank" / "q.toml");
    CHECK(load.config->texts_file == root / "words" / "texts-da.toml");
    CHECK(load.config->database == root / "data" / "a.sqlite3");
    CHECK(load.config->font == fs::path("/usr/share/fonts/x.ttf"));
}

TEST_CASE("texts default to texts.toml beside the question bank") {
    const fs::path dir = temp_folder();
    const auto load = load_kiosk_config(write_file(dir / "kiosk.toml", with_line("questions", "questions = \"bank/q.toml\"")));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.config->texts_file == fs::weakly_canonical(dir) / "bank" / "texts.toml");
}

TEST_CASE("whole numbers are accepted where seconds are expected, and every [pulse] key is read") {
    const auto load = load_kiosk_config(write_temp(with_line(
        "questions", "questions = \"q.toml\"\nper_session = 1\nidle_timeout_s = 30\nthanks_s = 2.5\ncooldown_s = 0")));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.config->per_session == 1);
    CHECK(load.config->idle_timeout_s == doctest::Approx(30));
    CHECK(load.config->thanks_s == doctest::Approx(2.5));
    CHECK(load.config->cooldown_s == doctest::Approx(0));
}

TEST_CASE("a value out of range names [table] key, the value, the range and the line") {
    const auto load = load_kiosk_config(write_temp(with_line("questions", "questions = \"q.toml\"\nper_session = 7")));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 7, "[pulse] per_session = 7 is out of range (1..3)");

    const auto seconds = load_kiosk_config(write_temp(with_line("questions", "questions = \"q.toml\"\nidle_timeout_s = 2.5")));
    CHECK_ERROR(seconds, 7, "[pulse] idle_timeout_s = 2.5 is out of range (5..600 seconds)");

    const auto width = load_kiosk_config(write_temp(with_line("dpi", "dpi = 96\nwidth = 100000")));
    CHECK_ERROR(width, 13, "[display] width = 100000 is out of range (320..8192 px)");
}

TEST_CASE("a value of the wrong type is reported with the type expected") {
    const auto load = load_kiosk_config(write_temp(with_line("dpi", "dpi = \"96\"\nfullscreen = \"yes\"\nwidth = 1920.0\naccent = 0x2F6FA8")));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 12, "[display] dpi must be a number, not a string");
    CHECK_ERROR(load, 13, "[display] fullscreen must be true or false (no quotes), not a string");
    CHECK_ERROR(load, 14, "[display] width must be a whole number");
    CHECK_ERROR(load, 15, "[display] accent must be a string");
    CHECK_MESSAGE(load.errors.size() == 4, all(load.errors));
}

TEST_CASE("an unknown key and an unknown table are reported") {
    const auto load = load_kiosk_config(write_temp(with_line("workplace", "workplace = \"w\"\nlanguage_ = \"da\"") +
                                                   "\n[uploads]\nurl = \"https://example.org\"\n"));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 4, "[terminal] language_ is not a known key (known: id, workplace, language)");
    CHECK_ERROR(load, 15, "[uploads] is not a known table");
    CHECK_MESSAGE(load.errors.size() == 2, all(load.errors));
}

TEST_CASE("a missing required key is reported at its table's header, or for the file when the table is missing too") {
    std::string content = with_line("workplace", "");
    content = content.substr(0, content.find("[storage]"));
    const auto load = load_kiosk_config(write_temp(content + "[display]\ndpi = 96\n"));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 1, "[terminal] workplace is missing");
    CHECK_ERROR(load, 0, "[storage] database is missing");
    CHECK_MESSAGE(load.errors.size() == 2, all(load.errors));
}

TEST_CASE("a path key that is empty is reported") {
    const auto load = load_kiosk_config(write_temp(with_line("database", "database = \"\"")));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 9, "[storage] database is empty; give a file path");
    const auto wrong_type = load_kiosk_config(write_temp(with_line("questions", "questions = [\"q.toml\"]")));
    CHECK_ERROR(wrong_type, 6, "[pulse] questions must be a string (in quotes), not an array");
}

TEST_CASE("terminal id and workplace may only hold characters that are safe in URLs") {
    const auto load = load_kiosk_config(write_temp(with_line("id", "id = \"ishøj rådhus\"")));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 2, "[terminal] id = \"ishøj rådhus\" may only contain A–Z, a–z, 0–9, '.', '_' and '-'");
    const auto empty = load_kiosk_config(write_temp(with_line("workplace", "workplace = \"\"")));
    CHECK_ERROR(empty, 3, "[terminal] workplace = \"\" may only contain");
}

TEST_CASE("language and accent must be one of the allowed forms") {
    const auto load = load_kiosk_config(write_temp(with_line("workplace", "workplace = \"w\"\nlanguage = \"de\"") +
                                                   "accent = \"blue\"\n"));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 4, "[terminal] language = \"de\" is not one of \"da\", \"en\"");
    CHECK_ERROR(load, 14, "[display] accent = \"blue\" is not a colour \"#RRGGBB\"");
}

TEST_CASE("rotation is 0 by default and takes only the quarter turns") {
    CHECK(load_kiosk_config(write_temp(kMinimal)).config->rotation == 0);
    for (int degrees : {0, 90, 180, 270}) {
        const auto load = load_kiosk_config(write_temp(kMinimal + "rotation = " + std::to_string(degrees) + "\n"));
        REQUIRE_MESSAGE(load.config, all(load.errors));
        CHECK(load.config->rotation == degrees);
    }
    const auto crooked = load_kiosk_config(write_temp(kMinimal + "rotation = 45\n"));
    CHECK_FALSE(crooked.config);
    CHECK_ERROR(crooked, 13, "[display] rotation = 45 is not one of 0, 90, 180, 270");
    const auto beyond = load_kiosk_config(write_temp(kMinimal + "rotation = 360\n"));
    CHECK_ERROR(beyond, 13, "[display] rotation = 360 is out of range (0..270 degrees)");
}

TEST_CASE("the display needs exactly one of diagonal_inch and dpi") {
    const auto neither = load_kiosk_config(write_temp(with_line("dpi", "fullscreen = false")));
    CHECK_FALSE(neither.config);
    CHECK_ERROR(neither, 11, "[display] needs diagonal_inch");
    const auto both = load_kiosk_config(write_temp(with_line("dpi", "diagonal_inch = 21.5\ndpi = 96")));
    CHECK_FALSE(both.config);
    CHECK_ERROR(both, 13, "[display] has both diagonal_inch and dpi");
}

TEST_CASE("a TOML syntax error in the config is reported with its line") {
    const auto load = load_kiosk_config(write_temp(with_line("database", "database = answers.sqlite3")));
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 9, "TOML syntax error");
}

TEST_CASE("a missing config file is reported for the whole file") {
    const auto load = load_kiosk_config(temp_folder() / "none.toml");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 0, "does not exist");
}

TEST_CASE("every error in a config is reported in one load, in line order") {
    const auto load = load_kiosk_config(write_temp(R"([terminal]
id = "a b"
workplace = 7

[pulse]
questions = ""
per_session = 0

[display]
dpi = 10
)"));
    CHECK_FALSE(load.config);
    // id, workplace, questions, per_session, database missing, dpi out of range
    CHECK_MESSAGE(load.errors.size() == 6, all(load.errors));
    for (std::size_t i = 1; i < load.errors.size(); ++i) CHECK(load.errors[i - 1].line <= load.errors[i].line);
}

TEST_CASE("pixels per millimetre come from dpi, else from the diagonal and the pixel size") {
    pulse::KioskConfig config;
    config.dpi = 254;
    CHECK(config.px_per_mm() == doctest::Approx(10.0));

    config.dpi = 0;
    config.width = 1600;
    config.height = 1200;        // diagonal 2000 px
    config.diagonal_inch = 20;   // 100 px per inch
    CHECK(config.px_per_mm() == doctest::Approx(100 / 25.4));

    const auto load = load_kiosk_config(write_temp(with_line("dpi", "width = 1920\nheight = 1080\ndiagonal_inch = 23.8")));
    REQUIRE_MESSAGE(load.errors.empty(), all(load.errors));
    CHECK(load.config->px_per_mm() == doctest::Approx(std::hypot(1920.0, 1080.0) / 23.8 / 25.4));
    CHECK(load.config->px_per_mm() == doctest::Approx(3.644).epsilon(0.001));
}

}  // namespace terminal_test_config
