// test_config_upload.cpp — the [upload] section: where answers go and with
// which token, checked before anything runs.
#include "terminal/kiosk_config.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_config_upload {

namespace {

namespace fs = std::filesystem;
using pulse::load_kiosk_config;
using pulse::testing::all;
using pulse::testing::temp_folder;
using pulse::testing::write_file;

// A minimal terminal (lines 1-11) followed by an [upload] table from line 12.
fs::path config_with_upload(const fs::path& dir, const std::string& upload, const std::string& token = "tok-123\n",
                            fs::perms token_perms = fs::perms::owner_read | fs::perms::owner_write) {
    if (!token.empty()) {
        write_file(dir / "token", token);
        fs::permissions(dir / "token", token_perms);
    }
    return write_file(dir / "terminal.toml", "[terminal]\nid = \"t-1\"\nworkplace = \"w\"\n"
                                             "[pulse]\nquestions = \"questions.toml\"\n"
                                             "[storage]\ndatabase = \"answers.sqlite3\"\n"
                                             "keep_uploaded_days = 60\n"
                                             "[display]\ndpi = 96\n\n"
                                             "[upload]\n" + upload);
}

}  // namespace

TEST_CASE("without [upload] the terminal is offline") {
    const fs::path dir = temp_folder();
    const fs::path file = write_file(dir / "t.toml", "[terminal]\nid = \"t\"\nworkplace = \"w\"\n[pulse]\nquestions = \"q.toml\"\n"
                                                     "[storage]\ndatabase = \"a.sqlite3\"\n[display]\ndpi = 96\n");
    auto load = load_kiosk_config(file);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK_FALSE(load.config->upload.has_value());
    CHECK(load.config->keep_uploaded_days == 35);
}

TEST_CASE("an https endpoint with a private token file loads, with every key read and the token from the file") {
    const fs::path dir = temp_folder();
    auto load = load_kiosk_config(config_with_upload(dir,
        "endpoint = \"https://pulse.ishoj.dk/\"\ntoken_file = \"token\"\nbatch_size = 200\n"
        "backoff_min_s = 2\nbackoff_max_s = 600\n"));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    const pulse::UploadConfig& up = *load.config->upload;
    CHECK(up.endpoint == "https://pulse.ishoj.dk");  // no trailing slash
    CHECK(up.token == "tok-123");                     // whitespace around it trimmed
    CHECK(up.token_file == fs::weakly_canonical(dir / "token"));
    CHECK(up.batch_size == 200);
    CHECK(up.backoff_min_s == 2);
    CHECK(up.backoff_max_s == 600);
    CHECK(load.config->keep_uploaded_days == 60);
    CHECK(load.warnings.empty());
}

TEST_CASE("plain http is accepted only to this machine") {
    for (const char* ok : {"http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:80", "http://127.1.2.3"}) {
        auto load = load_kiosk_config(config_with_upload(temp_folder(), std::string("endpoint = \"") + ok +
                                                                             "\"\ntoken_file = \"token\"\n"));
        CHECK_MESSAGE(load.config, ok, "\n", all(load.errors));
    }
    for (const char* bad : {"http://pulse.ishoj.dk", "http://10.0.0.5:8080", "http://127.0.0.1.evil.example"}) {
        auto load = load_kiosk_config(config_with_upload(temp_folder(), std::string("endpoint = \"") + bad +
                                                                              "\"\ntoken_file = \"token\"\n"));
        CHECK_FALSE(load.config);
        CHECK_ERROR(load, 13, "[upload] endpoint");
        CHECK_ERROR(load, 13, "https://");
    }
}

TEST_CASE("an endpoint that is not a URL is an error naming the key and line") {
    auto load = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"ftp://x\"\ntoken_file = \"token\"\n"));
    CHECK_ERROR(load, 13, "[upload] endpoint = \"ftp://x\" must start with https://");
}

TEST_CASE("a missing or empty token file is an error naming the key and line") {
    auto missing = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"https://x.dk\"\ntoken_file = \"nope\"\n", ""));
    CHECK_FALSE(missing.config);
    CHECK_ERROR(missing, 14, "[upload] token_file");
    CHECK_ERROR(missing, 14, "does not exist");

    auto empty = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"https://x.dk\"\ntoken_file = \"token\"\n", "\n\n"));
    CHECK_ERROR(empty, 14, "must hold exactly one token");

    auto absent = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"https://x.dk\"\n"));
    CHECK_ERROR(absent, 12, "[upload] token_file is missing");

    // A device that never ends is refused unread (it would fill memory), and
    // so is a file far larger than a token.
    auto device = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"https://x.dk\"\ntoken_file = \"/dev/zero\"\n"));
    CHECK_ERROR(device, 14, "does not exist or is not a file");
    auto huge = load_kiosk_config(config_with_upload(temp_folder(), "endpoint = \"https://x.dk\"\ntoken_file = \"token\"\n",
                                                     std::string(100000, 'a')));
    CHECK_ERROR(huge, 14, "must hold exactly one token");
}

TEST_CASE("a token file other users can read loads, with a warning that says how to fix it") {
    const fs::path dir = temp_folder();
    auto load = load_kiosk_config(config_with_upload(dir, "endpoint = \"https://x.dk\"\ntoken_file = \"token\"\n",
                                                     "tok\n", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.warnings.size() == 1);
    CHECK(load.warnings[0].line == 14);
    CHECK(load.warnings[0].message.find("chmod 600") != std::string::npos);
    CHECK(load.warnings[0].message.find("tok\n") == std::string::npos);  // the token itself is never shown
}

TEST_CASE("upload numbers out of range, and backoff_max_s below backoff_min_s, are errors with their lines") {
    auto load = load_kiosk_config(config_with_upload(temp_folder(),
        "endpoint = \"https://x.dk\"\ntoken_file = \"token\"\nbatch_size = 0\n# (line 16)\n"
        "backoff_min_s = 30\nbackoff_max_s = 10\nca_file = \"missing.pem\"\nretries = 3\n"));
    CHECK_ERROR(load, 15, "[upload] batch_size = 0 is out of range");
    CHECK_ERROR(load, 18, "backoff_max_s = 10 is below backoff_min_s (30)");
    CHECK_ERROR(load, 19, "[upload] ca_file");
    CHECK_ERROR(load, 20, "[upload] retries is not a known key");
}

TEST_CASE("[upload] interval_s of an older config still loads, with a warning that uploads follow whole hours") {
    for (const char* value : {"300", "1", "\"soon\""}) {  // once valid, once out of range, never a number
        CAPTURE(value);
        auto load = load_kiosk_config(config_with_upload(temp_folder(),
            std::string("endpoint = \"https://x.dk\"\ntoken_file = \"token\"\ninterval_s = ") + value + "\n"));
        REQUIRE_MESSAGE(load.config, all(load.errors));
        REQUIRE(load.warnings.size() == 1);
        CHECK(load.warnings[0].line == 15);
        CHECK(load.warnings[0].message.find("[upload] interval_s is ignored") != std::string::npos);
        CHECK(load.warnings[0].message.find("UTC hour") != std::string::npos);
    }
}

TEST_CASE("the example config's commented [upload] section is valid once uncommented") {
    std::ifstream in(std::string(PULSE_SOURCE_DIR) + "/config/terminal.example.toml");
    std::string text((std::istreambuf_iterator<char>(in)), {}), out;
    std::istringstream lines(text);
    int uncommented = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > 1 && line[0] == '#' && (std::islower(static_cast<unsigned char>(line[1])) || line[1] == '[')) {
            line.erase(0, 1);
            ++uncommented;
        }
        out += line + "\n";
    }
    CHECK(uncommented == 6);  // [upload] and its five keys
    const fs::path dir = temp_folder();
    write_file(dir / "token", "tok\n");
    fs::permissions(dir / "token", fs::perms::owner_read);
    const std::string token_line = "token_file = \"/etc/pulse/token\"";
    REQUIRE(out.find(token_line) != std::string::npos);
    out.replace(out.find(token_line), token_line.size(), "token_file = \"token\"");
    auto load = load_kiosk_config(write_file(dir / "terminal.toml", out));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.config->upload);
    CHECK(load.config->upload->endpoint == "https://pulse.ishoj.dk");
    CHECK(load.config->upload->batch_size == 500);
}

}  // namespace terminal_test_config_upload
