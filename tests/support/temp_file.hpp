// temp_file.hpp — for the loader tests (config, question bank, texts): files
// written under the temp folder to load, and checks that name the line and
// words of an expected Diagnostic, printing every error found when one fails.
#pragma once

#include "common/diagnostic.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>
#include <unistd.h>

namespace pulse::testing {

// A new folder under the temp folder, one per call and per test process, so
// files never overwrite each other and relative paths resolve beside them.
// Every one is removed when the test process exits normally.
inline std::filesystem::path temp_folder() {
    struct Made {
        std::mutex mutex;
        std::vector<std::filesystem::path> folders;
        ~Made() {
            std::error_code ec;
            for (const auto& f : folders) std::filesystem::remove_all(f, ec);
        }
    };
    static Made made;
    static std::atomic<int> counter{0};
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("pulse-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    std::lock_guard<std::mutex> lock(made.mutex);
    made.folders.push_back(dir);
    return dir;
}

// Writes content to file (creating its folders) and returns file.
inline std::filesystem::path write_file(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
}

// Writes content to file_name in a new temp_folder() and returns its path.
inline std::filesystem::path write_temp(const std::string& content, const std::string& file_name = "test.toml") {
    return write_file(temp_folder() / file_name, content);
}

// Every error as "FILE:LINE: message", one a line, for failure messages.
inline std::string all(const Diagnostics& errors) {
    std::string out;
    for (const auto& e : errors) out += e.str() + "\n";
    return out;
}

// True when some error is on line and its message contains fragment.
inline bool has_error(const Diagnostics& errors, int line, const std::string& fragment) {
    for (const auto& e : errors) {
        if (e.line == line && e.message.find(fragment) != std::string::npos) return true;
    }
    return false;
}

}  // namespace pulse::testing

// Checks that load (a *Load with .errors) holds an error on line containing fragment.
#define CHECK_ERROR(load, line, fragment)                                                                    \
    CHECK_MESSAGE(pulse::testing::has_error((load).errors, (line), (fragment)), "expected line ", (line), " \"", \
                  (fragment), "\" in:\n", pulse::testing::all((load).errors))
