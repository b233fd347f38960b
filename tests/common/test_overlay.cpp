// test_overlay.cpp — a terminal's config overlay from the centre (issue 13):
// the keys it may set are read as kiosk.toml reads them, and everything else
// — identity, endpoint, token, storage, display, a typo — is refused with its
// line, as is a bad value, an unknown question id or text key, a placeholder
// a text does not take. The same checker runs in the collector's `check` and
// on the terminal.
#include "common/overlay.hpp"
#include "common/pin_hash.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_overlay {

using namespace pulse;
using pulse::testing::all;

namespace {

const QuestionBank& shipped_bank() {
    static const BankLoad load = load_question_bank(std::filesystem::path(PULSE_SOURCE_DIR) / "config/questions.toml");
    REQUIRE_MESSAGE(load.bank, all(load.errors));
    return *load.bank;
}

OverlayLoad parse(const std::string& text) { return parse_overlay(text, "overlays/raadhus.toml", &shipped_bank()); }

}  // namespace

TEST_CASE("an overlay sets language, questions per session, the questions asked, opening hours, the PIN hash and texts") {
    std::string why;
    const std::string hash = *hash_pin("2468", &why);
    const std::string first = shipped_bank().questions.at(0).id, second = shipped_bank().questions.at(1).id;
    const OverlayLoad load = parse("[terminal]\nlanguage = \"en\"\n"
                                   "[pulse]\nper_session = 2\nquestions_enabled = [\"" + first + "\", \"" + second + "\"]\n"
                                   "[schedule]\nmonday = \"07:00-17:00\"\nclosed = [\"2026-12-24\"]\n"
                                   "[admin]\npin_hash = \"" + hash + "\"\n"
                                   "[texts.da]\nattract_headline = \"Hvordan går det i Rådhuset?\"\n"
                                   "[texts.en]\nprogress = \"{n} / {total}\"\n");
    REQUIRE_MESSAGE(load.overlay, all(load.errors));
    const ConfigOverlay& o = *load.overlay;
    CHECK(o.language == "en");
    CHECK(o.per_session == 2);
    CHECK(o.questions_enabled == std::vector<std::string>{first, second});
    REQUIRE(o.schedule);
    CHECK(o.schedule->hours[0] == DayHours{7 * 60, 17 * 60});
    CHECK(o.schedule->closed == std::vector<CivilDate>{{2026, 12, 24}});
    CHECK(o.pin_hash == hash);
    CHECK(o.texts.at("da").at("attract_headline") == "Hvordan går det i Rådhuset?");
    CHECK(o.texts.at("en").at("progress") == "{n} / {total}");

    const OverlayLoad empty = parse("");
    REQUIRE(empty.overlay);  // changes nothing
    CHECK_FALSE(empty.overlay->language);
    CHECK_FALSE(empty.overlay->schedule);
    CHECK(empty.overlay->texts.empty());
}

TEST_CASE("identity, endpoint, token, storage and display stay on the terminal: an overlay naming them is refused with its line") {
    const OverlayLoad load = parse("[terminal]\nid = \"ishoj-9\"\nworkplace = \"other\"\n"   // 2, 3
                                   "[upload]\nendpoint = \"https://evil.example\"\n"        // 5
                                   "token_file = \"/tmp/t\"\n"                              // 6
                                   "[storage]\ndatabase = \"/tmp/x.sqlite3\"\n"             // 8
                                   "[display]\nrotation = 90\n"                             // 10
                                   "[pulse]\nquestions = \"/tmp/q.toml\"\nper_sesion = 2\n"  // 12, 13
                                   "[colour]\naccent = \"#000000\"\n");                      // 15
    CHECK_FALSE(load.overlay);
    CHECK_ERROR(load, 2, "[terminal] id stays on the terminal (the terminal's identity)");
    CHECK_ERROR(load, 3, "[terminal] workplace stays on the terminal");
    CHECK_ERROR(load, 5, "[upload] endpoint stays on the terminal (where and how the terminal uploads, and its token)");
    CHECK_ERROR(load, 6, "[upload] token_file stays on the terminal");
    CHECK_ERROR(load, 8, "[storage] database stays on the terminal");
    CHECK_ERROR(load, 10, "[display] rotation stays on the terminal");
    CHECK_ERROR(load, 12, "[pulse] questions stays on the terminal");
    CHECK_ERROR(load, 13, "[pulse] per_sesion is not a key an overlay may set");
    CHECK_ERROR(load, 15, "[colour] accent is not a key an overlay may set");
    CHECK_MESSAGE(load.errors.size() == 9, all(load.errors));
    for (const Diagnostic& d : load.errors) CHECK(d.file == "overlays/raadhus.toml");
}

TEST_CASE("every bad value in an overlay is reported at its line with what to write") {
    const OverlayLoad load = parse("[terminal]\nlanguage = \"de\"\n"                          // 2
                                   "[pulse]\nper_session = 4\n"                               // 4
                                   "questions_enabled = [\"1.1\", \"9.9\", 3, \"1.1\"]\n"     // 5
                                   "[schedule]\ntuesday = \"17:00-07:00\"\n"                  // 7
                                   "[admin]\npin_hash = \"4711\"\n"                           // 9
                                   "[texts.da]\nskip = \" \"\nsavng = \"Gemmer\"\n"           // 11, 12
                                   "progress = \"{n} af {ialt}\"\n"                           // 13
                                   "[texts.de]\nskip = \"Weiter\"\n");                         // 14
    CHECK_FALSE(load.overlay);
    CHECK_ERROR(load, 2, "[terminal] language must be \"da\" or \"en\"");
    CHECK_ERROR(load, 4, "[pulse] per_session must be a whole number 1..3");
    CHECK_ERROR(load, 5, "[pulse] questions_enabled: \"9.9\" is not a question of questions.toml");
    CHECK_ERROR(load, 5, "[pulse] questions_enabled: an integer is not a question id");
    CHECK_ERROR(load, 5, "[pulse] questions_enabled: \"1.1\" is listed twice");
    CHECK_ERROR(load, 7, "[schedule] tuesday = \"17:00-07:00\" closes before it opens");
    CHECK_ERROR(load, 9, "[admin] pin_hash is not an Argon2id hash string");
    CHECK_ERROR(load, 11, "[texts.da] skip is empty");
    CHECK_ERROR(load, 12, "[texts.da] savng is not a known text key");
    CHECK_ERROR(load, 13, "[texts.da] progress: unknown placeholder {ialt}");
    CHECK_ERROR(load, 14, "[texts.de] is not a language's table");
    CHECK_MESSAGE(load.errors.size() == 11, all(load.errors));

    const OverlayLoad none = parse("[pulse]\nquestions_enabled = []\n");
    CHECK_ERROR(none, 2, "[pulse] questions_enabled must be a list of question ids");
    const OverlayLoad syntax = parse("[pulse\n");
    CHECK_ERROR(syntax, 1, "TOML syntax error");
}

}  // namespace common_test_overlay
