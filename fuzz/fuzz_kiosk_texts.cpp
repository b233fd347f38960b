// fuzz_kiosk_texts.cpp — libFuzzer harness of the kiosk's screen texts loader
// (terminal/texts.cpp load_texts, with common/texts_file.cpp's language
// tables and placeholder check): the input is written as texts.toml into a
// scratch folder. Checks that texts it accepts have every key of kTextKeys,
// not blank, in every language of kLanguages, and that refused texts say why.
#include "terminal/texts.hpp"

#include "common/question_bank.hpp"  // kLanguages

#include "fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = pulse::fuzz::ScratchDir::write("texts.toml", pulse::fuzz::as_text(data, size));
    const pulse::TextsLoad load = pulse::load_texts(file);
    PULSE_FUZZ_CHECK(load.texts.has_value() == load.errors.empty(), "texts are set exactly when nothing is wrong");
    for (const pulse::Diagnostic& d : load.errors) PULSE_FUZZ_CHECK(!d.message.empty() && d.line >= 0, d.str());
    if (!load.texts) return 0;
    for (const std::string& lang : pulse::kLanguages) {
        for (const std::string& key : pulse::kTextKeys) {
            PULSE_FUZZ_CHECK(load.texts->has(lang, key), "[" + lang + "] " + key + " missing");
            const std::string& text = load.texts->get(lang, key);
            PULSE_FUZZ_CHECK(text.find_first_not_of(" \t\r\n\v\f") != std::string::npos,
                             "[" + lang + "] " + key + " blank");
        }
    }
    return 0;
}
