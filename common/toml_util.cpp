// toml_util.cpp — file reading, TOML parsing and message words shared by the
// three TOML loaders (kiosk_config.cpp, question_bank.cpp, texts.cpp), and
// their never-throw wrapper.
#include "common/toml_util.hpp"

#include <algorithm>
#include <exception>
#include <fstream>
#include <sstream>

namespace pulse {

int toml_line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string toml_type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        // Not just "a number": config messages say "must be a whole number, not …".
        case toml::node_type::floating_point: return "a number with a decimal point";
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

std::optional<std::string> read_file_bytes(const std::filesystem::path& file, std::string_view what,
                                           Diagnostics& errors) {
    const auto fail = [&](std::string_view why) {
        errors.push_back({file.string(), 0, std::string(what) + " " + std::string(why)});
        return std::nullopt;
    };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(std::filesystem::exists(file, ec) ? "is not a regular file" : "does not exist");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (!in || !(bytes << in.rdbuf())) return fail("cannot be read (check its permissions)");
    return bytes.str();
}

std::optional<toml::table> parse_toml(std::string_view bytes, const std::filesystem::path& file,
                                      Diagnostics& errors) {
    const std::string file_name = file.string();
    try {
        return toml::parse(bytes, std::string_view{file_name});
    } catch (const toml::parse_error& error) {
        errors.push_back({file_name, static_cast<int>(error.source().begin.line),
                          "TOML syntax error: " + std::string(error.description())});
        return std::nullopt;
    }
}

std::optional<toml::table> parse_toml_file(const std::filesystem::path& file, std::string_view what,
                                           Diagnostics& errors) {
    const std::optional<std::string> bytes = read_file_bytes(file, what, errors);
    if (!bytes) return std::nullopt;
    return parse_toml(*bytes, file, errors);
}

void run_loader(const std::filesystem::path& file, std::string_view what, Diagnostics& errors,
                const std::function<void()>& load_into) {
    try {
        load_into();
    } catch (const std::exception& error) {
        errors.push_back({file.string(), 0, std::string(what) + " could not be loaded: " + error.what()});
    }
    std::stable_sort(errors.begin(), errors.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

}  // namespace pulse
