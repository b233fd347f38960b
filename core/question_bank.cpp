// question_bank.cpp — loads and checks the question bank (config/questions.toml)
// and versions it: the file's `version` key, or "sha256:" + the first 16 hex
// digits of the SHA-256 of its bytes (same as `sha256sum questions.toml | cut -c1-16`).
#include "question_bank.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace pulse {
namespace {

// [SECTION] SHA-256 (FIPS 180-4)
// A small one of our own: pulse_core links no crypto library, and this hash
// only names a version of a text file, it protects nothing.

constexpr std::array<std::uint32_t, 64> kSha256Rounds = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// Lower-case hex digest of data (64 characters).
std::string sha256_hex(std::string_view data) {
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    // Padding: 0x80, zeros, then the message length in bits, big-endian, to a multiple of 64 bytes.
    std::string message(data);
    const std::uint64_t bit_length = static_cast<std::uint64_t>(data.size()) * 8;
    message += static_cast<char>(0x80);
    while (message.size() % 64 != 56) message += '\0';
    for (int i = 7; i >= 0; --i) message += static_cast<char>((bit_length >> (8 * i)) & 0xFF);

    for (std::size_t block = 0; block < message.size(); block += 64) {
        std::array<std::uint32_t, 64> w{};
        for (int i = 0; i < 16; ++i) {
            for (int b = 0; b < 4; ++b) {
                w[i] = (w[i] << 8) | static_cast<std::uint8_t>(message[block + 4 * i + b]);
            }
        }
        for (int i = 16; i < 64; ++i) {
            std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::array<std::uint32_t, 8> v = h;  // a..h
        for (int i = 0; i < 64; ++i) {
            std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
            std::uint32_t choose = (v[4] & v[5]) ^ (~v[4] & v[6]);
            std::uint32_t t1 = v[7] + s1 + choose + kSha256Rounds[i] + w[i];
            std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
            std::uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            std::uint32_t t2 = s0 + majority;
            v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
        }
        for (int i = 0; i < 8; ++i) h[i] += v[i];
    }

    static const char* hex = "0123456789abcdef";
    std::string out;
    for (std::uint32_t word : h) {
        for (int shift = 28; shift >= 0; shift -= 4) out += hex[(word >> shift) & 0xF];
    }
    return out;
}

// [SECTION] Helpers

// "a string", "an integer", … for "must be X, not Y" messages.
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

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

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
        report(line_of(node), where + ": unknown key \"" + std::string(key.str()) + "\" (allowed: " + known +
                                  "); check the spelling or remove it");
    }
}

// Reads an optional string key; reports a wrong type. nullopt if absent or wrong.
std::optional<std::string> read_string(const toml::table& table, std::string_view key, const std::string& where,
                                       const Reporter& report) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    report(line_of(*node), where + ": " + std::string(key) + " must be a string (in quotes), not " + type_name(*node));
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
        report(line_of(*node), where + ": " + std::string(key) + " must be " + shape + ", not " + type_name(*node));
        return text;
    }
    for (const auto& [lang, value] : *table) {
        const std::string name = std::string(key) + "." + std::string(lang.str());
        if (std::find(kLanguages.begin(), kLanguages.end(), lang.str()) == kLanguages.end()) {
            report(line_of(value), where + ": " + std::string(key) + " has unknown language \"" +
                                       std::string(lang.str()) + "\" (allowed: " + language_list() + ")");
        } else if (const auto* str = value.as_string()) {
            if (is_blank(str->get())) {
                report(line_of(value), where + ": " + name + " is empty; write the text");
            }
            text[std::string(lang.str())] = str->get();
        } else {
            report(line_of(value), where + ": " + name + " must be a string (in quotes), not " + type_name(value));
        }
    }
    for (const auto& lang : kLanguages) {
        if (!table->contains(lang)) {
            report(line_of(*node), where + ": " + std::string(key) + " has no \"" + lang + "\" translation; add " +
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
        report(line_of(*node), std::string(name) + " must be written as [[" + std::string(name) +
                                   "]] tables, not " + type_name(*node));
        return tables;
    }
    for (const auto& element : *array) {
        if (const auto* table = element.as_table()) {
            tables.push_back(table);
        } else {
            report(line_of(element), std::string(name) + " must hold [[" + std::string(name) + "]] tables, not " +
                                         type_name(element));
        }
    }
    return tables;
}

// The file's bytes, or nullopt with a reason.
std::optional<std::string> read_bytes(const std::filesystem::path& file, std::string& why) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        why = std::filesystem::exists(file, ec) ? "is not a regular file" : "does not exist";
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (!in || !(bytes << in.rdbuf())) {
        why = "cannot be read (check its permissions)";
        return std::nullopt;
    }
    return bytes.str();
}

// [SECTION] Loader

void load_into(const std::filesystem::path& file, QuestionBank& bank, const Reporter& report) {
    std::string why;
    const std::optional<std::string> bytes = read_bytes(file, why);
    if (!bytes) {
        report(0, "the question bank " + why);
        return;
    }
    toml::table root;
    try {
        root = toml::parse(*bytes, std::string_view{report.file});
    } catch (const toml::parse_error& error) {
        report(static_cast<int>(error.source().begin.line),
               "TOML syntax error: " + std::string(error.description()));
        return;
    }

    check_keys(root, {"version", "theme", "question"}, "top level", report);
    if (const toml::node* node = root.get("version")) {
        const auto* version = node->as_string();
        if (!version || is_blank(version->get())) {
            report(line_of(*node), "version must be a non-empty string such as \"2026.1\" (or remove it to "
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
        theme.line = line_of(*table);
        std::string where = "[[theme]]";
        if (auto id = read_string(*table, "id", where, report)) {
            theme.id = *id;
            where = "[[theme]] \"" + theme.id + "\"";
            if (!is_valid_theme_id(theme.id)) {
                report(line_of(*table->get("id")),
                       where + ": id may only contain letters A–Z, digits, '_' and '-' (no dot: it begins the "
                               "question ids \"T.E\")");
            }
            if (auto seen = theme_lines.find(theme.id); seen != theme_lines.end()) {
                report(line_of(*table->get("id")), where + ": duplicate theme id; it is already used at line " +
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
        question.line = line_of(*table);
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
                report(line_of(*table->get("theme")), where + ": theme \"" + question.theme +
                                                          "\" is not defined; add a [[theme]] with that id or fix it");
            }
        } else if (!table->contains("theme")) {
            report(question.line, where + ": theme is missing; add theme = \"…\" (the id of its [[theme]])");
        }
        if (id) {
            const int id_line = line_of(*table->get("id"));
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
                report(line_of(*node), where + ": active must be true or false (no quotes), not " + type_name(*node));
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

BankLoad load_question_bank(const std::filesystem::path& file) {
    BankLoad out;
    Reporter report{file.string(), out.errors};
    QuestionBank bank;
    bank.source = file;
    try {
        load_into(file, bank, report);
    } catch (const std::exception& error) {  // e.g. bad_alloc: the contract is "never throws"
        report(0, std::string("the question bank could not be loaded: ") + error.what());
    }
    std::stable_sort(out.errors.begin(), out.errors.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    if (out.errors.empty()) out.bank = std::move(bank);
    return out;
}

}  // namespace pulse
