// texts_file.cpp — the per-language layout of a texts file and its {named}
// placeholders (see texts_file.hpp).
#include "common/texts_file.hpp"

#include "common/question_bank.hpp"  // kLanguages
#include "common/toml_util.hpp"

#include <algorithm>

namespace pulse {

std::vector<std::pair<std::string, const toml::table*>> language_tables(const toml::table& root, std::string_view what,
                                                                         const TextsReporter& report) {
    const auto is_language = [](std::string_view name) {
        return std::find(kLanguages.begin(), kLanguages.end(), name) != kLanguages.end();
    };
    for (const auto& [name, node] : root) {
        if (is_language(name.str())) continue;
        std::string known;
        for (const auto& lang : kLanguages) known += (known.empty() ? "" : ", ") + lang;
        report(toml_line_of(node), "unknown language \"" + std::string(name.str()) + "\" (allowed: " + known +
                                       "); check the spelling or remove it");
    }
    std::vector<std::pair<std::string, const toml::table*>> tables;
    for (const std::string& lang : kLanguages) {
        const toml::node* node = root.get(lang);
        if (!node) {
            report(0, "[" + lang + "] is missing; add an [" + lang + "] table with every " + std::string(what));
        } else if (const toml::table* table = node->as_table()) {
            tables.emplace_back(lang, table);
        } else {
            report(toml_line_of(*node), "[" + lang + "] must be a table, not " + toml_type_name(*node));
        }
    }
    return tables;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos; }

void check_placeholders(std::string_view where, std::string_view text, const std::vector<std::string_view>& allowed,
                        int line, const TextsReporter& report) {
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view name = text.substr(open + 1, close - open - 1);
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        std::string hint = "it takes none";
        if (!allowed.empty()) {
            hint = "allowed:";
            for (std::string_view a : allowed) hint += " {" + std::string(a) + "}";
        }
        report(line, std::string(where) + ": unknown placeholder {" + std::string(name) + "} (" + hint + ")");
    }
}

std::string fill_placeholders(std::string_view text,
                              std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find('{', at);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view name = text.substr(open + 1, close - open - 1);
        const auto value = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
        out.append(text.substr(at, open - at));
        if (value != values.end()) {
            out.append(value->second);
            at = close + 1;
        } else {
            out += '{';  // not a placeholder here: keep it, and look again after the brace
            at = open + 1;
        }
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace pulse
