// config_reader.hpp — how pulse-collector's config files are read: typed
// keys of one TOML table, every problem as "FILE:LINE: [where] key …". Used by
// the config loader (config.cpp) and by the readers of its sections kept with
// their concern ([email]: email/email_config.cpp).
#pragma once

#include "common/diagnostic.hpp"
#include "common/sha256.hpp"  // is_sha256_hex
#include "common/toml_util.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {


// A name for URLs: [A-Za-z0-9._-]+, not empty.
inline bool is_url_safe_name(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    });
}

// Typed keys of one table; every problem goes to errors as "[where] key …"
// at its line.
class ConfigReader {
public:
    ConfigReader(std::string file, Diagnostics& errors) : file_(std::move(file)), errors_(errors) {}

    void error(int line, std::string message) { errors_.push_back({file_, line, std::move(message)}); }

    // t may be null (table absent): then required keys are reported at line 0.
    std::optional<std::string> string(const toml::table* t, const std::string& where, std::string_view key,
                                      bool required) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) {
            if (required) error(t ? toml_line_of(*t) : 0, where + " " + std::string(key) + " is missing");
            return std::nullopt;
        }
        if (const auto* v = n->as_string()) return v->get();
        error(toml_line_of(*n), where + " " + std::string(key) + " must be a string (in quotes), not " +
                                    toml_type_name(*n));
        return std::nullopt;
    }

    std::optional<int> integer(const toml::table* t, const std::string& where, std::string_view key, int lo,
                               int hi) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) return std::nullopt;
        const auto* v = n->as_integer();
        if (!v) {
            error(toml_line_of(*n), where + " " + std::string(key) + " must be a whole number, not " +
                                        toml_type_name(*n));
            return std::nullopt;
        }
        if (v->get() < lo || v->get() > hi) {
            error(toml_line_of(*n), where + " " + std::string(key) + " = " + std::to_string(v->get()) +
                                        " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
            return std::nullopt;
        }
        return static_cast<int>(v->get());
    }

    // An array of non-empty strings (at least one).
    std::optional<std::vector<std::pair<std::string, int>>> strings(const toml::table* t, const std::string& where,
                                                                    std::string_view key, bool required) {
        const toml::node* n = t ? t->get(key) : nullptr;
        if (!n) {
            if (required) error(t ? toml_line_of(*t) : 0, where + " " + std::string(key) + " is missing");
            return std::nullopt;
        }
        const auto* arr = n->as_array();
        if (!arr) {
            error(toml_line_of(*n), where + " " + std::string(key) + " must be an array of strings, not " +
                                        toml_type_name(*n));
            return std::nullopt;
        }
        std::vector<std::pair<std::string, int>> out;
        for (const toml::node& item : *arr) {
            const auto* s = item.as_string();
            if (!s || s->get().empty()) {
                error(toml_line_of(item), where + " " + std::string(key) + " must hold non-empty strings only");
                return std::nullopt;
            }
            out.emplace_back(s->get(), toml_line_of(item));
        }
        if (out.empty()) {
            error(toml_line_of(*n), where + " " + std::string(key) + " is empty; give at least one");
            return std::nullopt;
        }
        return out;
    }

    // A token hash: 64 lower-case hex digits.
    std::optional<std::string> token_hash(const toml::table* t, const std::string& where) {
        auto h = string(t, where, "token_sha256", true);
        if (h && !is_sha256_hex(*h)) {
            error(toml_line_of(*t->get("token_sha256")),
                  where + " token_sha256 must be 64 lower-case hex digits (the SHA-256 of the token; "
                          "`pulse-collector token new` prints one)");
            return std::nullopt;
        }
        return h;
    }

    // A name for URLs: [A-Za-z0-9._-]+.
    std::optional<std::string> name(const toml::table* t, const std::string& where, std::string_view key) {
        auto v = string(t, where, key, true);
        if (v && !is_url_safe_name(*v)) {
            error(toml_line_of(*t->get(key)), where + " " + std::string(key) + " = \"" + *v +
                                                  "\" may hold only A–Z a–z 0–9 . _ -");
            return std::nullopt;
        }
        return v;
    }

private:
    std::string file_;
    Diagnostics& errors_;
};

// p relative to base_dir (the config file's folder), made absolute and
// canonical where the file exists.
inline std::filesystem::path resolve_config_path(const std::filesystem::path& base_dir, const std::filesystem::path& p) {
    const std::filesystem::path joined = p.is_absolute() ? p : base_dir / p;
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(joined, ec);
    return ec ? joined.lexically_normal() : resolved;
}

}  // namespace pulse
