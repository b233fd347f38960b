// texts.cpp — the screen texts: the list of keys (the contract with the
// screens), lookup, and the loader that checks config/texts.toml.
#include "terminal/texts.hpp"

#include "common/question_bank.hpp"  // kLanguages
#include "common/texts_file.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <cassert>
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
    "closed_message",      // closed (outside opening hours): shown for a while after a tap
    // The admin screens (IT only; issue 13).
    "admin_pin_title",     // PIN pad: headline
    "admin_pin_wrong",     // PIN pad: the PIN was wrong
    "admin_pin_locked",    // PIN pad: locked for "{minutes}" more minutes
    "admin_ok",            // PIN pad: check the PIN
    "admin_delete",        // PIN pad: delete the last digit
    "admin_close",         // pad and panel: close
    "admin_title",         // panel: headline
    "admin_terminal",      // panel labels …
    "admin_workplace",
    "admin_version",
    "admin_config",
    "admin_server",
    "admin_last_upload",
    "admin_last_error",
    "admin_database",
    "admin_set_aside",
    "admin_clock",
    "admin_disk",          // … panel labels
    "admin_reachable",     // panel: the collector answered at "{hour}"
    "admin_unreachable",   // panel: the collector did not answer at "{hour}"
    "admin_not_tried",     // panel: no contact tried yet
    "admin_offline",       // panel: no [upload] in the config
    "admin_never",         // panel: no upload yet
    "admin_no_error",      // panel: no error
    "admin_database_ok",
    "admin_database_failed",
    "admin_yes",
    "admin_no",
    "admin_unknown",       // panel: a fact not known yet
    "admin_upload_now",    // panel actions …
    "admin_upload_started",
    "admin_touch_test",
    "admin_brightness",    // "{percent}"
    "admin_restart",       // … panel actions
    "admin_touch_hint",    // touch test: headline
    "admin_touch_done",    // touch test: back to the panel
};

namespace {

// The {placeholders} a key's text may contain; the screens fill them in.
// Any other {word} is a typo that would show on screen as written.
std::vector<std::string_view> placeholders_of(std::string_view key) {
    if (key == "progress") return {"n", "total"};
    if (key == "thanks_many") return {"n"};
    if (key == "out_of_order_code") return {"code"};
    if (key == "admin_pin_locked") return {"minutes"};
    if (key == "admin_reachable" || key == "admin_unreachable") return {"hour"};
    if (key == "admin_brightness") return {"percent"};
    return {};
}

bool is_text_key(std::string_view key) {
    return std::find(kTextKeys.begin(), kTextKeys.end(), key) != kTextKeys.end();
}

void load_into(const std::filesystem::path& file, Texts& texts, const TextsReporter& report) {
    const std::optional<toml::table> parsed = parse_toml_file(file, "the texts file", report.errors());
    if (!parsed) return;
    const toml::table& root = *parsed;

    for (const auto& [lang, table] : language_tables(root, "text", report)) {
        for (const auto& [key, value] : *table) {
            const std::string where = "[" + lang + "] " + std::string(key.str());
            if (!is_text_key(key.str())) {
                report(toml_line_of(value), where + " is not a known text key; check the spelling or remove it");
            } else if (const auto* str = value.as_string()) {
                if (is_blank(str->get())) report(toml_line_of(value), where + " is empty; write the text");
                check_placeholders(where, str->get(), placeholders_of(key.str()), toml_line_of(value), report);
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
    const TextsReporter report(file.string(), out.errors);
    Texts texts;
    run_loader(file, "the texts", out.errors, [&] { load_into(file, texts, report); });
    if (out.errors.empty()) out.texts = std::move(texts);
    return out;
}

}  // namespace pulse
