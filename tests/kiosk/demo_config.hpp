// demo_config.hpp — for tests that run the real `pulse-kiosk run`: the demo
// terminal's config (config/demo.toml) written to a test's folder with
// absolute paths and a fresh database there.
#pragma once

#include "temp_file.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace pulse::testing {

// dir/kiosk.toml: config/demo.toml with the project's question bank and the
// database dir/k.sqlite3.
inline std::filesystem::path demo_kiosk_config(const std::filesystem::path& dir) {
    std::ifstream demo(PULSE_SOURCE_DIR "/config/demo.toml");
    std::stringstream text;
    text << demo.rdbuf();
    std::string config = std::regex_replace(text.str(), std::regex("questions = \"questions.toml\""),
                                            "questions = \"" PULSE_SOURCE_DIR "/config/questions.toml\"");
    config = std::regex_replace(config, std::regex("database = \"[^\"]*\""),
                                "database = \"" + (dir / "k.sqlite3").string() + "\"");
    return write_file(dir / "kiosk.toml", config);
}

}  // namespace pulse::testing
