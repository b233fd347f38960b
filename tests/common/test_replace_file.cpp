// test_replace_file.cpp — common/replace_file.hpp: the new bytes with the asked
// mode (and owner), a check that refuses leaves the file as it was, a failure
// names the step, and no temp file stays behind either way.
#include "common/replace_file.hpp"
#include "process.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_replace_file {

using namespace pulse;
using namespace pulse::testing;
namespace fs = std::filesystem;

namespace {

// The names in dir, sorted.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

mode_t mode_of(const fs::path& file) {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("replace_file puts the new bytes in place with the mode asked, whatever was there") {
    const fs::path dir = temp_folder();
    const fs::path file = write_file(dir / "kiosk.toml", "old\n");
    ::chmod(file.c_str(), 0644);
    const ReplaceFile r = replace_file(file, "new text\n", 0600);
    CHECK(r.outcome == ReplaceFile::Outcome::replaced);
    CHECK(r.folder_synced);
    CHECK(slurp(file) == "new text\n");
    CHECK(mode_of(file) == 0600);
    CHECK(names_in(dir) == std::vector<std::string>{"kiosk.toml"});
    // A file that was not there is made.
    CHECK(replace_file(dir / "token", "t\n", 0640).outcome == ReplaceFile::Outcome::replaced);
    CHECK(mode_of(dir / "token") == 0640);
}

TEST_CASE("a check that refuses leaves the file untouched, and the check sees the new bytes in the temp file") {
    const fs::path dir = temp_folder();
    const fs::path file = write_file(dir / "collector.toml", "before\n");
    std::string seen;
    const ReplaceFile r = replace_file(file, "after\n", 0644, std::nullopt, [&](const fs::path& temp, std::string* why) {
        seen = slurp(temp);
        CHECK(temp.parent_path() == dir);
        *why = "not today";
        return false;
    });
    CHECK(r.outcome == ReplaceFile::Outcome::refused);
    CHECK(r.error == "not today");
    CHECK(seen == "after\n");
    CHECK(slurp(file) == "before\n");
    CHECK(names_in(dir) == std::vector<std::string>{"collector.toml"});
}

TEST_CASE("a step that fails is named with the file and the reason, and nothing changes") {
    const fs::path dir = temp_folder();
    const ReplaceFile no_folder = replace_file(dir / "missing" / "kiosk.toml", "x", 0644);
    CHECK(no_folder.outcome == ReplaceFile::Outcome::failed);
    CHECK(no_folder.error.find("cannot create a file in " + (dir / "missing").string()) == 0);
    CHECK(no_folder.error.find("No such file or directory") != std::string::npos);
    // Renaming over a folder fails after the temp was written: it is removed.
    fs::create_directories(dir / "a-folder");
    const ReplaceFile over_folder = replace_file(dir / "a-folder", "x", 0644);
    CHECK(over_folder.outcome == ReplaceFile::Outcome::failed);
    CHECK(over_folder.error.find("cannot replace " + (dir / "a-folder").string()) == 0);
    CHECK(names_in(dir) == std::vector<std::string>{"a-folder"});
}

TEST_CASE("replace_file gives the file the owner asked (as root), or says it cannot") {
    const fs::path dir = temp_folder();
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    const ReplaceFile r = replace_file(dir / "token", "secret\n", 0600, std::make_pair(nobody->pw_uid, nobody->pw_gid));
    if (::geteuid() == 0) {
        REQUIRE(r.outcome == ReplaceFile::Outcome::replaced);
        struct stat st {};
        REQUIRE(::stat((dir / "token").c_str(), &st) == 0);
        CHECK(st.st_uid == nobody->pw_uid);
        CHECK(st.st_gid == nobody->pw_gid);
    } else {
        CHECK(r.outcome == ReplaceFile::Outcome::failed);
        CHECK(r.error.find("cannot give") == 0);
        CHECK(names_in(dir).empty());
    }
}

}  // namespace common_test_replace_file
