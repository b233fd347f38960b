// texts.cpp — the screen texts: lookup, and the loader that checks
// config/texts.toml against the keys of common/kiosk_text_keys.hpp.
#include "terminal/texts.hpp"

#include "common/question_bank.hpp"  // kLanguages
#include "common/texts_file.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>

namespace pulse {

namespace {

void load_into(const std::filesystem::path& file, Texts& texts, const TextsReporter& report) {
    const std::optional<toml::table> parsed = parse_toml_file(file, "the texts file", report.errors());
    if (!parsed) return;
    const toml::table& root = *parsed;

    for (const auto& [lang, table] : language_tables(root, "text", report)) {
        for (const auto& [key, value] : *table) {
            const std::string where = "[" + lang + "] " + std::string(key.str());
            if (!is_kiosk_text_key(key.str())) {
                report(toml_line_of(value), where + " is not a known text key; check the spelling or remove it");
            } else if (const auto* str = value.as_string()) {
                if (is_blank(str->get())) report(toml_line_of(value), where + " is empty; write the text");
                check_placeholders(where, str->get(), kiosk_text_placeholders(key.str()), toml_line_of(value), report);
                texts.set(lang, std::string(key.str()), str->get());
            } else {
                report(toml_line_of(value), where + " must be a string (in quotes), not " + toml_type_name(value));
            }
        }
        for (const auto& key : kTextKeys) {
            if (!table->contains(key)) {
                report(toml_line_of(*table), "[" + lang + "] " + key + " is missing; add " + key + " = \"…\"");
            }
        }
    }
}

}  // namespace

std::string Texts::all_text() const {
    std::string out;
    for (const auto& [lang, texts] : by_lang_)
        for (const auto& [key, text] : texts) out += text;
    return out;
}

const std::string& Texts::get(const std::string& lang, const std::string& key) const {
    assert(is_kiosk_text_key(key) && "Texts::get: key is not in kTextKeys; add it there and to config/texts.toml");
    auto by_key = by_lang_.find(lang);
    if (by_key != by_lang_.end()) {
        auto text = by_key->second.find(key);
        if (text != by_key->second.end()) return text->second;
    }
    assert(false && "Texts::get: no text for this language and key; was this Texts loaded by load_texts?");
    static const std::string kNone;
    return kNone;
}

void Texts::set(const std::string& lang, const std::string& key, std::string value) {
    by_lang_[lang][key] = std::move(value);
}

bool Texts::has(const std::string& lang, const std::string& key) const {
    auto by_key = by_lang_.find(lang);
    return by_key != by_lang_.end() && by_key->second.count(key) > 0;
}

TextsLoad load_texts(const std::filesystem::path& file) {
    TextsLoad out;
    const TextsReporter report(file.string(), out.errors);
    Texts texts;
    run_loader(file, "the texts", out.errors, [&] { load_into(file, texts, report); });
    if (out.errors.empty()) out.texts = std::move(texts);
    return out;
}

}  // namespace pulse
