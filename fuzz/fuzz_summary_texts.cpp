// fuzz_summary_texts.cpp — libFuzzer harness of the collector's summary texts
// loader (collector/summary/summary_texts.cpp load_summary_texts, with
// common/texts_file.cpp): the input is written as summary_texts.toml into a
// scratch folder. Checks that texts it accepts have the words of every
// language of kLanguages, no list entry blank, CSV columns free of ';', '"'
// and line breaks, and that refused texts say why.
#include "collector/summary/summary_texts.hpp"

#include "common/question_bank.hpp"  // kLanguages

#include "fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n\v\f") == std::string::npos; }

void check_list(std::span<const std::string> list, const std::string& where) {
    for (const std::string& s : list) PULSE_FUZZ_CHECK(!blank(s), where + " has a blank entry");
}

void check_words(const pulse::SummaryWords& w, const std::string& lang) {
    check_list(w.weekdays, lang + " weekdays");
    check_list(w.weekdays_short, lang + " weekdays_short");
    check_list(w.scale, lang + " scale");
    check_list(w.months, lang + " months");
    check_list(w.csv_columns, lang + " csv_columns");
    for (const std::string& column : w.csv_columns) {
        PULSE_FUZZ_CHECK(column.find_first_of(";\"\r\n") == std::string::npos, lang + " csv column " + column);
    }
    for (const std::string* s : {&w.too_few, &w.title, &w.week_heading, &w.email_subject, &w.anonymity,
                                 &w.email_sent_by, &w.level_question, &w.whole_week}) {
        PULSE_FUZZ_CHECK(!blank(*s), lang + ": a word is blank");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file =
        pulse::fuzz::ScratchDir::write("summary_texts.toml", pulse::fuzz::as_text(data, size));
    const pulse::SummaryTextsLoad load = pulse::load_summary_texts(file);
    PULSE_FUZZ_CHECK(load.texts.has_value() == load.errors.empty(), "texts are set exactly when nothing is wrong");
    for (const pulse::Diagnostic& d : load.errors) PULSE_FUZZ_CHECK(!d.message.empty() && d.line >= 0, d.str());
    if (!load.texts) return 0;
    for (const std::string& lang : pulse::kLanguages) {
        PULSE_FUZZ_CHECK(load.texts->languages.count(lang) == 1, lang + " missing");
        check_words(load.texts->words(lang), lang);
    }
    return 0;
}
