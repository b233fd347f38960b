// overlay.cpp — checking a terminal's config overlay (see overlay.hpp).
#include "common/overlay.hpp"

#include "common/kiosk_text_keys.hpp"
#include "common/pin_hash.hpp"
#include "common/texts_file.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <set>

namespace pulse {

namespace {

// The tables an overlay may hold and their keys ([texts.*] apart).
const std::map<std::string, std::vector<std::string>, std::less<>> kOverlaySchema = {
    {"terminal", {"language"}},
    {"pulse", {"per_session", "questions_enabled"}},
    {"schedule", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "closed"}},
    {"admin", {"pin_hash"}},
};

// Keys of kiosk.toml that stay on the terminal, with why.
std::string stays_local(std::string_view table, std::string_view key) {
    if (table == "terminal" && (key == "id" || key == "workplace")) return "the terminal's identity";
    if (table == "upload") return "where and how the terminal uploads, and its token";
    if (table == "storage") return "where the terminal keeps its answers";
    if (table == "display") return "the terminal's own screen";
    if (table == "pulse" && (key == "questions" || key == "texts")) return "the terminal's own files";
    return "";
}

void load_into(std::string_view bytes, const std::filesystem::path& file, const QuestionBank* bank,
               ConfigOverlay& o, Diagnostics& errors) {
    const std::string name = file.string();
    const auto error = [&](int line, std::string message) { errors.push_back({name, line, std::move(message)}); };
    const std::optional<toml::table> parsed = parse_toml(bytes, file, errors);
    if (!parsed) return;
    const toml::table& root = *parsed;

    for (const auto& [table_name, node] : root) {
        const std::string t(table_name.str());
        const toml::table* table = node.as_table();
        if (!table) {
            error(toml_line_of(node), "[" + t + "] must be a table, not " + toml_type_name(node));
            continue;
        }
        if (t == "texts") continue;  // below
        const auto schema = kOverlaySchema.find(t);
        for (const auto& [key, value] : *table) {
            const std::string k(key.str());
            if (schema != kOverlaySchema.end() &&
                std::find(schema->second.begin(), schema->second.end(), k) != schema->second.end()) {
                continue;
            }
            const std::string local = stays_local(t, k);
            error(toml_line_of(value), "[" + t + "] " + k +
                                           (local.empty() ? " is not a key an overlay may set"
                                                          : " stays on the terminal (" + local + ")") +
                                           "; an overlay may set [terminal] language, [pulse] per_session and "
                                           "questions_enabled, [schedule], [admin] pin_hash and [texts.da|en]");
        }
    }

    if (const toml::node* n = root["terminal"]["language"].node()) {
        const auto* text = n->as_string();
        if (text && std::find(kLanguages.begin(), kLanguages.end(), text->get()) != kLanguages.end()) {
            o.language = text->get();
        } else {
            error(toml_line_of(*n), "[terminal] language must be \"da\" or \"en\"");
        }
    }
    if (const toml::node* n = root["pulse"]["per_session"].node()) {
        const auto* v = n->as_integer();
        if (v && v->get() >= 1 && v->get() <= 3) o.per_session = static_cast<int>(v->get());
        else error(toml_line_of(*n), "[pulse] per_session must be a whole number 1..3");
    }
    if (const toml::node* n = root["pulse"]["questions_enabled"].node()) {
        const toml::array* ids = n->as_array();
        std::vector<std::string> enabled;
        if (!ids || ids->empty()) {
            error(toml_line_of(*n), "[pulse] questions_enabled must be a list of question ids, e.g. [\"1.1\", \"2.3\"], "
                                    "with at least one");
        } else {
            for (const toml::node& entry : *ids) {
                const auto* id = entry.as_string();
                const int line = toml_line_of(entry) > 0 ? toml_line_of(entry) : toml_line_of(*n);
                if (!id) {
                    error(line, "[pulse] questions_enabled: " + toml_type_name(entry) + " is not a question id");
                } else if (bank && !bank->find_question(id->get())) {
                    error(line, "[pulse] questions_enabled: \"" + id->get() + "\" is not a question of " +
                                    bank->source.filename().string() + " (version " + bank->version + ")");
                } else if (std::find(enabled.begin(), enabled.end(), id->get()) != enabled.end()) {
                    error(line, "[pulse] questions_enabled: \"" + id->get() + "\" is listed twice");
                } else {
                    enabled.push_back(id->get());
                }
            }
            o.questions_enabled = enabled;
        }
    }
    if (const toml::node* n = root.get("schedule"); n && n->as_table()) {
        o.schedule = read_schedule_table(*n->as_table(), name, errors);
    }
    if (const toml::node* n = root["admin"]["pin_hash"].node()) {
        std::string why;
        const auto* text = n->as_string();
        if (text && is_pin_hash(text->get(), &why)) o.pin_hash = text->get();
        else error(toml_line_of(*n), "[admin] pin_hash " + (text ? why : "must be a string (in quotes)"));
    }
    if (const toml::node* n = root.get("texts"); n && n->as_table()) {
        const TextsReporter report(name, errors);
        for (const auto& [lang_key, lang_node] : *n->as_table()) {
            const std::string lang(lang_key.str());
            const toml::table* texts = lang_node.as_table();
            if (std::find(kLanguages.begin(), kLanguages.end(), lang) == kLanguages.end() || !texts) {
                error(toml_line_of(lang_node), "[texts." + lang + "] is not a language's table ([texts.da] or [texts.en])");
                continue;
            }
            for (const auto& [key, value] : *texts) {
                const std::string k(key.str());
                const std::string where = "[texts." + lang + "] " + k;
                const auto* text = value.as_string();
                if (!is_kiosk_text_key(k)) {
                    error(toml_line_of(value), where + " is not a known text key (config/texts.toml has them all)");
                } else if (!text) {
                    error(toml_line_of(value), where + " must be a string (in quotes), not " + toml_type_name(value));
                } else if (is_blank(text->get())) {
                    error(toml_line_of(value), where + " is empty; write the text or leave the key out");
                } else {
                    check_placeholders(where, text->get(), kiosk_text_placeholders(k), toml_line_of(value), report);
                    o.texts[lang][k] = text->get();
                }
            }
        }
    }
}

}  // namespace

OverlayLoad parse_overlay(std::string_view bytes, const std::filesystem::path& file, const QuestionBank* bank) {
    OverlayLoad out;
    ConfigOverlay o;
    run_loader(file, "the overlay", out.errors, [&] { load_into(bytes, file, bank, o, out.errors); });
    if (out.errors.empty()) out.overlay = std::move(o);
    return out;
}

}  // namespace pulse
