// texts.cpp — the screen texts: the list of keys (the contract with the
// screens), lookup, and the loader that checks config/texts.toml.
#include "texts.hpp"

#include "question_bank.hpp"  // kLanguages

#include <toml++/toml.h>

#include <algorithm>
#include <cassert>
#include <fstream>
#include <sstream>
#include <string_view>

namespace pulse {

const std::vector<std::string> kTextKeys = {
    "attract_headline",    // attract: the big question
    "attract_button",      // attract: the button that starts a session
    "attract_anonymity",   // attract: one line on what is (not) recorded
    "language_label",      // the language's own name, on the language toggle
    "cooldown_message",    // attract, dimmed, after a session
    "progress",            // question: "{n} af {total}"
    "answer_1",            // the five-point scale, 1 = strongly disagree …
    "answer_2",
    "answer_3",
    "answer_4",
    "answer_5",            // … 5 = strongly agree
    "dont_know",           // secondary button: counts as an answer "don't know"
    "skip",                // secondary button: no answer to this question
    "saving",              // shown while the answers are written
    "thanks_title",        // thanks: headline
    "thanks_one",          // thanks: one answer saved
    "thanks_many",         // thanks: "{n}" answers saved
    "thanks_none",         // thanks: everything skipped
    "out_of_order_title",  // out of order: headline
    "out_of_order_body",   // out of order: what staff need to know
    "out_of_order_code",   // out of order: "{code}" for IT to look up in the log
};

namespace {

// The {placeholders} a key's text may contain; the screens fill them in.
// Any other {word} is a typo that would show on screen as written.
std::vector<std::string_view> placeholders_of(std::string_view key) {
    if (key == "progress") return {"n", "total"};
    if (key == "thanks_many") return {"n"};
    if (key == "out_of_order_code") return {"code"};
    return {};
}

bool is_text_key(std::string_view key) {
    return std::find(kTextKeys.begin(), kTextKeys.end(), key) != kTextKeys.end();
}

bool is_language(std::string_view lang) {
    return std::find(kLanguages.begin(), kLanguages.end(), lang) != kLanguages.end();
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "true/false";
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos;
}

struct Reporter {
    std::string file;
    Diagnostics& errors;
    void operator()(int line, std::string message) const { errors.push_back({file, line, std::move(message)}); }
};

// Reports every "{word}" in text that key does not allow.
void check_placeholders(std::string_view lang, std::string_view key, std::string_view text, int line,
                        const Reporter& report) {
    const std::vector<std::string_view> allowed = placeholders_of(key);
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view name = text.substr(open + 1, close - open - 1);
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        std::string hint = "it takes none";
        if (!allowed.empty()) {
            hint = "allowed:";
            for (auto a : allowed) hint += " {" + std::string(a) + "}";
        }
        report(line, "[" + std::string(lang) + "] " + std::string(key) + ": unknown placeholder {" +
                         std::string(name) + "} (" + hint + ")");
    }
}

void load_into(const std::filesystem::path& file, Texts& texts, const Reporter& report) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        report(0, std::filesystem::exists(file, ec) ? "the texts file is not a regular file"
                                                    : "the texts file does not exist");
        return;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (!in || !(bytes << in.rdbuf())) {
        report(0, "the texts file cannot be read (check its permissions)");
        return;
    }
    toml::table root;
    try {
        root = toml::parse(bytes.str(), std::string_view{report.file});
    } catch (const toml::parse_error& error) {
        report(static_cast<int>(error.source().begin.line),
               "TOML syntax error: " + std::string(error.description()));
        return;
    }

    for (const auto& [name, node] : root) {
        if (!is_language(name.str())) {
            std::string known;
            for (const auto& lang : kLanguages) known += (known.empty() ? "" : ", ") + lang;
            report(line_of(node), "unknown language \"" + std::string(name.str()) + "\" (allowed: " + known +
                                      "); check the spelling or remove it");
        }
    }
    for (const auto& lang : kLanguages) {
        const toml::node* node = root.get(lang);
        if (!node) {
            report(0, "[" + lang + "] is missing; add an [" + lang + "] table with every text");
            continue;
        }
        const toml::table* table = node->as_table();
        if (!table) {
            report(line_of(*node), "[" + lang + "] must be a table of texts, not " + type_name(*node));
            continue;
        }
        for (const auto& [key, value] : *table) {
            const std::string where = "[" + lang + "] " + std::string(key.str());
            if (!is_text_key(key.str())) {
                report(line_of(value), where + " is not a known text key; check the spelling or remove it");
            } else if (const auto* str = value.as_string()) {
                if (is_blank(str->get())) report(line_of(value), where + " is empty; write the text");
                check_placeholders(lang, key.str(), str->get(), line_of(value), report);
                texts.set(lang, std::string(key.str()), str->get());
            } else {
                report(line_of(value), where + " must be a string (in quotes), not " + type_name(value));
            }
        }
        for (const auto& key : kTextKeys) {
            if (!table->contains(key)) {
                report(line_of(*table), "[" + lang + "] " + key + " is missing; add " + key + " = \"…\"");
            }
        }
    }
}

}  // namespace

const std::string& Texts::get(const std::string& lang, const std::string& key) const {
    assert(is_text_key(key) && "Texts::get: key is not in kTextKeys; add it there and to config/texts.toml");
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
    Reporter report{file.string(), out.errors};
    Texts texts;
    try {
        load_into(file, texts, report);
    } catch (const std::exception& error) {  // e.g. bad_alloc: the contract is "never throws"
        report(0, std::string("the texts could not be loaded: ") + error.what());
    }
    std::stable_sort(out.errors.begin(), out.errors.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    if (out.errors.empty()) out.texts = std::move(texts);
    return out;
}

}  // namespace pulse
