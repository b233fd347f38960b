// question_bank.cpp — loads and checks the question bank (config/questions.toml)
// and versions it: the file's `version` key, or "sha256:" + the first 16 hex
// digits of the SHA-256 of its bytes (same as `sha256sum questions.toml | cut -c1-16`).
#include "common/question_bank.hpp"

#include "common/sha256.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <string_view>

namespace pulse {
namespace {

// [SECTION] Helpers

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos;
}

// Theme ids become the "T" of question ids "T.E", so they hold no dot.
bool is_valid_theme_id(std::string_view id) {
    if (id.empty()) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// "E" of "T.E": a positive integer without leading zeros.
bool is_example_number(std::string_view text) {
    if (text.empty() || text.size() > 6 || text[0] == '0') return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string language_list() {
    std::string out;
    for (const auto& lang : kLanguages) out += (out.empty() ? "" : ", ") + lang;
    return out;
}

// Collects the diagnostics of one file.
struct Reporter {
    std::string file;
    Diagnostics& errors;
    void operator()(int line, std::string message) const { errors.push_back({file, line, std::move(message)}); }
};

// Reports each key of table that is not in allowed, as "<where>: unknown key …".
void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                const std::string& where, const Reporter& report) {
    for (const auto& [key, node] : table) {
        if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
        std::string known;
        for (auto name : allowed) known += std::string(known.empty() ? "" : ", ") + std::string(name);
        report(toml_line_of(node), where + ": unknown key \"" + std::string(key.str()) + "\" (allowed: " + known +
                                       "); check the spelling or remove it");
    }
}

// Reads an optional string key; reports a wrong type. nullopt if absent or wrong.
std::optional<std::string> read_string(const toml::table& table, std::string_view key, const std::string& where,
                                       const Reporter& report) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    report(toml_line_of(*node),
           where + ": " + std::string(key) + " must be a string (in quotes), not " + toml_type_name(*node));
    return std::nullopt;
}

// Reads `key = { da = "…", en = "…" }`. Reports a missing table (when
// required), a wrong type, an unknown or missing language, an empty text.
// Returns the texts read, possibly incomplete.
LocalText read_local_text(const toml::table& owner, int owner_line, std::string_view key, bool required,
                          const std::string& where, const Reporter& report) {
    LocalText text;
    const std::string shape = "{ da = \"…\", en = \"…\" }";
    const toml::node* node = owner.get(key);
    if (!node) {
        if (required) report(owner_line, where + ": " + std::string(key) + " is missing; add " + std::string(key) + " = " + shape);
        return text;
    }
    const toml::table* table = node->as_table();
    if (!table) {
        report(toml_line_of(*node),
               where + ": " + std::string(key) + " must be " + shape + ", not " + toml_type_name(*node));
        return text;
    }
    for (const auto& [lang, value] : *table) {
        const std::string name = std::string(key) + "." + std::string(lang.str());
        if (std::find(kLanguages.begin(), kLanguages.end(), lang.str()) == kLanguages.end()) {
            report(toml_line_of(value), where + ": " + std::string(key) + " has unknown language \"" +
                                            std::string(lang.str()) + "\" (allowed: " + language_list() + ")");
        } else if (const auto* str = value.as_string()) {
            if (is_blank(str->get())) {
                report(toml_line_of(value), where + ": " + name + " is empty; write the text");
            }
            text[std::string(lang.str())] = str->get();
        } else {
            report(toml_line_of(value),
                   where + ": " + name + " must be a string (in quotes), not " + toml_type_name(value));
        }
    }
    for (const auto& lang : kLanguages) {
        if (!table->contains(lang)) {
            report(toml_line_of(*node), where + ": " + std::string(key) + " has no \"" + lang + "\" translation; add " +
                                            lang + " = \"…\"");
        }
    }
    return text;
}

// The tables of a top-level [[name]] array; reports anything that is not one.
std::vector<const toml::table*> array_of_tables(const toml::table& root, std::string_view name,
                                                const Reporter& report) {
    std::vector<const toml::table*> tables;
    const toml::node* node = root.get(name);
    if (!node) return tables;
    const toml::array* array = node->as_array();
    if (!array) {
        report(toml_line_of(*node), std::string(name) + " must be written as [[" + std::string(name) +
                                        "]] tables, not " + toml_type_name(*node));
        return tables;
    }
    for (const auto& element : *array) {
        if (const auto* table = element.as_table()) {
            tables.push_back(table);
        } else {
            report(toml_line_of(element), std::string(name) + " must hold [[" + std::string(name) + "]] tables, not " +
                                              toml_type_name(element));
        }
    }
    return tables;
}

// [SECTION] Loader

void load_into(const std::filesystem::path& file, QuestionBank& bank, const Reporter& report) {
    // Read, then parse: the bytes are hashed for the version below.
    const std::optional<std::string> bytes = read_file_bytes(file, "the question bank", report.errors);
    if (!bytes) return;
    const std::optional<toml::table> parsed = parse_toml(*bytes, file, report.errors);
    if (!parsed) return;
    const toml::table& root = *parsed;

    check_keys(root, {"version", "theme", "question"}, "top level", report);
    if (const toml::node* node = root.get("version")) {
        const auto* version = node->as_string();
        if (!version || is_blank(version->get())) {
            report(toml_line_of(*node), "version must be a non-empty string such as \"2026.1\" (or remove it to "
                                        "version the bank by its SHA-256)");
        } else {
            bank.version = version->get();
        }
    } else {
        bank.version = "sha256:" + sha256_hex(*bytes).substr(0, 16);
    }

    // Themes. Every id read is remembered, even from a theme with other
    // errors, so its questions are not also reported as orphans.
    std::map<std::string, int> theme_lines;  // id -> line of its [[theme]]
    for (const toml::table* table : array_of_tables(root, "theme", report)) {
        Theme theme;
        theme.line = toml_line_of(*table);
        std::string where = "[[theme]]";
        if (auto id = read_string(*table, "id", where, report)) {
            theme.id = *id;
            where = "[[theme]] \"" + theme.id + "\"";
            if (!is_valid_theme_id(theme.id)) {
                report(toml_line_of(*table->get("id")),
                       where + ": id may only contain letters A–Z, digits, '_' and '-' (no dot: it begins the "
                               "question ids \"T.E\")");
            }
            if (auto seen = theme_lines.find(theme.id); seen != theme_lines.end()) {
                report(toml_line_of(*table->get("id")), where + ": duplicate theme id; it is already used at line " +
                                                            std::to_string(seen->second));
            } else {
                theme_lines[theme.id] = theme.line;
            }
        } else if (!table->contains("id")) {
            report(theme.line, where + ": id is missing; add id = \"…\"");
        }
        check_keys(*table, {"id", "title", "statement"}, where, report);
        theme.title = read_local_text(*table, theme.line, "title", true, where, report);
        theme.statement = read_local_text(*table, theme.line, "statement", false, where, report);
        bank.themes.push_back(std::move(theme));
    }

    // Questions.
    std::map<std::string, int> question_lines;  // id -> line of its [[question]]
    for (const toml::table* table : array_of_tables(root, "question", report)) {
        Question question;
        question.line = toml_line_of(*table);
        std::string where = "[[question]]";
        const std::optional<std::string> id = read_string(*table, "id", where, report);
        if (id) {
            question.id = *id;
            where = "[[question]] \"" + question.id + "\"";
        } else if (!table->contains("id")) {
            report(question.line, where + ": id is missing; add id = \"T.E\" (theme id, dot, number)");
        }
        const std::optional<std::string> theme = read_string(*table, "theme", where, report);
        if (theme) {
            question.theme = *theme;
            if (!theme_lines.count(question.theme)) {
                report(toml_line_of(*table->get("theme")),
                       where + ": theme \"" + question.theme +
                           "\" is not defined; add a [[theme]] with that id or fix it");
            }
        } else if (!table->contains("theme")) {
            report(question.line, where + ": theme is missing; add theme = \"…\" (the id of its [[theme]])");
        }
        if (id) {
            const int id_line = toml_line_of(*table->get("id"));
            const std::size_t dot = question.id.rfind('.');
            const bool well_formed = dot != std::string::npos && dot > 0 &&
                                     is_example_number(std::string_view(question.id).substr(dot + 1));
            if (!well_formed) {
                report(id_line, where + ": id must be \"T.E\": its theme id, a dot and a number from 1, e.g. \"" +
                                    (theme ? *theme : std::string("1")) + ".1\"");
            } else if (theme && question.id.substr(0, dot) != *theme) {
                report(id_line, where + ": id must begin with its theme id \"" + *theme + ".\"");
            }
            if (auto seen = question_lines.find(question.id); seen != question_lines.end()) {
                report(id_line, where + ": duplicate question id; it is already used at line " +
                                    std::to_string(seen->second));
            } else {
                question_lines[question.id] = question.line;
            }
        }
        check_keys(*table, {"id", "theme", "text", "active"}, where, report);
        question.text = read_local_text(*table, question.line, "text", true, where, report);
        if (const toml::node* node = table->get("active")) {
            if (const auto* active = node->as_boolean()) {
                question.active = active->get();
            } else {
                report(toml_line_of(*node),
                       where + ": active must be true or false (no quotes), not " + toml_type_name(*node));
            }
        }
        bank.questions.push_back(std::move(question));
    }

    if (bank.active_questions().empty()) {
        report(0, "no active question: add a [[question]] (or set active = true on one)");
    }
}

}  // namespace

// [SECTION] QuestionBank

const Theme* QuestionBank::find_theme(const std::string& id) const {
    auto it = std::find_if(themes.begin(), themes.end(), [&](const Theme& t) { return t.id == id; });
    return it == themes.end() ? nullptr : &*it;
}

const Question* QuestionBank::find_question(const std::string& id) const {
    auto it = std::find_if(questions.begin(), questions.end(), [&](const Question& q) { return q.id == id; });
    return it == questions.end() ? nullptr : &*it;
}

std::vector<const Question*> QuestionBank::active_questions() const {
    std::vector<const Question*> out;
    for (const auto& question : questions) {
        if (question.active) out.push_back(&question);
    }
    return out;
}

QuestionBank merge_question_banks(const std::vector<QuestionBank>& banks) {
    assert(!banks.empty() && "merge_question_banks needs at least one bank");
    QuestionBank merged = banks.front();
    for (std::size_t b = 1; b < banks.size(); ++b) {
        for (const Theme& theme : banks[b].themes) {
            if (!merged.find_theme(theme.id)) merged.themes.push_back(theme);
        }
        for (const Question& question : banks[b].questions) {
            if (merged.find_question(question.id)) continue;
            merged.questions.push_back(question);
            merged.questions.back().active = false;
        }
    }
    return merged;
}

BankLoad load_question_bank(const std::filesystem::path& file) {
    BankLoad out;
    Reporter report{file.string(), out.errors};
    QuestionBank bank;
    bank.source = file;
    run_loader(file, "the question bank", out.errors, [&] { load_into(file, bank, report); });
    if (out.errors.empty()) out.bank = std::move(bank);
    return out;
}

}  // namespace pulse
