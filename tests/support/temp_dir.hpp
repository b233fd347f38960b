// temp_dir.hpp — for tests: a fresh folder under the system temp folder,
// removed with everything in it when the test is done.
#pragma once

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace pulse::testing {

struct TempDir {
    std::filesystem::path path;

    // prefix names the folder ("pulse-store-test" -> /tmp/pulse-store-test-XXXXXX).
    explicit TempDir(const std::string& prefix = "pulse-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        REQUIRE_MESSAGE(mkdtemp(pattern.data()) != nullptr, "cannot create a temp folder from " << pattern);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace pulse::testing
