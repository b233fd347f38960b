// texts.hpp — every string the kiosk shows, per language, from config
// (config/texts.toml). Drawing code looks texts up by key; none is hard-coded.
#pragma once

#include "common/diagnostic.hpp"
#include "common/kiosk_text_keys.hpp"  // kTextKeys: the keys every language defines

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

class Texts {
public:
    // The text for key in lang. Asserts that key is one of kTextKeys (a
    // programming error otherwise); a loaded Texts has every key in every language.
    const std::string& get(const std::string& lang, const std::string& key) const;

    // Used by the loader and tests.
    void set(const std::string& lang, const std::string& key, std::string value);
    bool has(const std::string& lang, const std::string& key) const;

    // Every text of every language, one after another: the characters the
    // screens' large fonts must have (kiosk/gui.cpp).
    std::string all_text() const;

private:
    std::map<std::string, std::map<std::string, std::string>> by_lang_;
};

struct TextsLoad {
    std::optional<Texts> texts;  // set only when errors is empty
    Diagnostics errors;
};

// Reads texts.toml: one table per language ([da], [en]) with string values.
// Errors: TOML syntax, a missing language table, a missing or empty key, an
// unknown key (likely a typo), a non-string value. Never throws.
TextsLoad load_texts(const std::filesystem::path& file);

}  // namespace pulse
