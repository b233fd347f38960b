// fuzz_question_bank.cpp — libFuzzer harness of the question bank loader
// (common/question_bank.cpp load_question_bank): the input is written as
// questions.toml into a scratch folder. Checks that a bank it accepts holds
// only what its header promises: unique theme and question ids of the form
// "T.E" under a known theme, every text present and not blank in every
// language, at least one active question, lookups that find each, and a
// version (the `version` key, or "sha256:" and 16 hex digits of the bytes).
#include "common/question_bank.hpp"

#include "common/sha256.hpp"

#include "fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n\v\f") == std::string::npos; }

void check_text(const pulse::LocalText& text, const std::string& where) {
    for (const std::string& lang : pulse::kLanguages) {
        const auto it = text.find(lang);
        PULSE_FUZZ_CHECK(it != text.end() && !blank(it->second), where + " lacks " + lang);
    }
    PULSE_FUZZ_CHECK(text.size() == pulse::kLanguages.size(), where + " has a language not in kLanguages");
}

void check_bank(const pulse::QuestionBank& bank, std::string_view bytes) {
    PULSE_FUZZ_CHECK(!blank(bank.version), "empty version");
    if (bank.version.rfind("sha256:", 0) == 0 && bank.version.size() == 23) {
        // Either the file's hash or a `version` key that happens to look like one.
        const std::string hash = "sha256:" + pulse::sha256_hex(bytes).substr(0, 16);
        PULSE_FUZZ_CHECK(bank.version == hash || bytes.find("version") != std::string_view::npos, bank.version);
    }
    std::set<std::string> themes;
    for (const pulse::Theme& t : bank.themes) {
        PULSE_FUZZ_CHECK(!t.id.empty() && t.id.find('.') == std::string::npos, "theme id \"" + t.id + "\"");
        PULSE_FUZZ_CHECK(themes.insert(t.id).second, "theme " + t.id + " twice");
        PULSE_FUZZ_CHECK(bank.find_theme(t.id) == &t, t.id);
        check_text(t.title, "theme " + t.id + " title");
    }
    std::set<std::string> questions;
    for (const pulse::Question& q : bank.questions) {
        PULSE_FUZZ_CHECK(themes.count(q.theme) == 1, "question " + q.id + " of unknown theme " + q.theme);
        PULSE_FUZZ_CHECK(q.id.rfind(q.theme + ".", 0) == 0 && q.id.size() > q.theme.size() + 1,
                         "question id " + q.id + " of theme " + q.theme);
        PULSE_FUZZ_CHECK(questions.insert(q.id).second, "question " + q.id + " twice");
        PULSE_FUZZ_CHECK(bank.find_question(q.id) == &q, q.id);
        check_text(q.text, "question " + q.id + " text");
    }
    PULSE_FUZZ_CHECK(!bank.active_questions().empty(), "no active question");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = pulse::fuzz::as_text(data, size);
    const std::filesystem::path file = pulse::fuzz::ScratchDir::write("questions.toml", bytes);
    const pulse::BankLoad load = pulse::load_question_bank(file);
    PULSE_FUZZ_CHECK(load.bank.has_value() == load.errors.empty(), "a bank is set exactly when nothing is wrong");
    for (const pulse::Diagnostic& d : load.errors) PULSE_FUZZ_CHECK(!d.message.empty() && d.line >= 0, d.str());
    if (load.bank) check_bank(*load.bank, bytes);
    return 0;
}
