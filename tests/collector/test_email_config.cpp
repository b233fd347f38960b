// test_email_config.cpp — the collector config's [email] table is read as
// strictly as the rest: every mistake names the file, line and key; plain
// SMTP only to this machine or with STARTTLS; the recipients are the
// registry's managers; a password file others can read is a warning.
#include "collector/config.hpp"
#include "collector_fixture.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_email_config {

using namespace pulse;
using namespace pulse::testing;

namespace {

// Lines of the fixture's config: the [email] text appended starts on the next one.
int fixture_lines() {
    const std::string text = collector_config_text();
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// The fixture's config with `email` appended, in dir (files may be put beside it
// first); by default in a folder removed again at once.
CollectorConfigLoad load_with(const std::string& email, const std::filesystem::path& dir = {}) {
    if (dir.empty()) {
        TempDir temp("pulse-email-config");
        return load_collector_config(write_file(temp.path / "collector.toml", collector_config_text() + email));
    }
    return load_collector_config(write_file(dir / "collector.toml", collector_config_text() + email));
}

const std::string kMinimal = "[email]\n"                                 // +1
                             "smtp_url = \"smtps://mail.ishoj.dk\"\n"   // +2
                             "sender = \"pulse@ishoj.dk\"\n";            // +3

bool has_warning(const CollectorConfigLoad& load, int line, const std::string& fragment) {
    return std::any_of(load.warnings.begin(), load.warnings.end(), [&](const Diagnostic& d) {
        return d.line == line && d.message.find(fragment) != std::string::npos;
    });
}

}  // namespace

TEST_CASE("a config without an [email] table sends no e-mail") {
    CollectorConfigLoad load = load_with("");
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK_FALSE(load.config->email.has_value());
}

TEST_CASE("a minimal [email] table gets monday 07:00 in Danish by default") {
    CollectorConfigLoad load = load_with(kMinimal);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.config->email);
    const EmailConfig& e = *load.config->email;
    CHECK(e.smtp_url == "smtps://mail.ishoj.dk");
    CHECK_FALSE(e.starttls);
    CHECK(e.username.empty());
    CHECK(e.password.empty());
    CHECK(e.ca_file.empty());
    CHECK(e.sender.name.empty());
    CHECK(e.sender.address == "pulse@ishoj.dk");
    CHECK(e.schedule.send_day == 0);
    CHECK(e.schedule.send_minute == 7 * 60);
    CHECK(e.language == "da");
    // The e-mail goes to each workplace's managers: wp-a's one; wp-b has none.
    CHECK(load.config->managers_of("wp-a") == std::vector<std::string>{"leder.a@ishoj.dk"});
    CHECK(load.config->managed_workplaces() == std::vector<std::string>{"wp-a"});
    CHECK(load.warnings.empty());
}

TEST_CASE("every [email] key is read with its value") {
    TempDir temp("pulse-email-config");
    const std::filesystem::path dir = temp.path;
    write_file(dir / "smtp-password", "s3cret pass\n");
    std::filesystem::permissions(dir / "smtp-password",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    write_file(dir / "ca.pem", "-----BEGIN CERTIFICATE-----\n");
    CollectorConfigLoad load = load_with("[email]\n"
                                         "smtp_url = \"smtp://mail.ishoj.dk:587/\"\n"
                                         "starttls = true\n"
                                         "username = \"pulse\"\n"
                                         "password_file = \"smtp-password\"\n"
                                         "ca_file = \"ca.pem\"\n"
                                         "sender = \"Puls, Ishøj <pulse@ishoj.dk>\"\n"
                                         "send_day = \"friday\"\n"
                                         "send_time = \"16:30\"\n"
                                         "language = \"en\"\n",
                                         dir);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    const EmailConfig& e = *load.config->email;
    CHECK(e.smtp_url == "smtp://mail.ishoj.dk:587");
    CHECK(e.starttls);
    CHECK(e.username == "pulse");
    CHECK(e.password == "s3cret pass");  // only the line end is taken off
    CHECK(e.password_file.is_absolute());
    CHECK(e.ca_file == std::filesystem::weakly_canonical(dir / "ca.pem"));
    CHECK(e.sender.name == "Puls, Ishøj");
    CHECK(e.sender.address == "pulse@ishoj.dk");
    CHECK(e.schedule.send_day == 4);
    CHECK(e.schedule.send_minute == 16 * 60 + 30);
    CHECK(e.language == "en");
    CHECK_MESSAGE(load.warnings.empty(), all(load.warnings));
}

TEST_CASE("plain smtp is refused to another machine unless starttls is on") {
    const int base = fixture_lines();
    const auto with_url = [](const std::string& url, const std::string& extra = "") {
        return load_with("[email]\nsmtp_url = \"" + url + "\"\n" + extra + "sender = \"pulse@ishoj.dk\"\n");
    };
    CollectorConfigLoad remote = with_url("smtp://mail.ishoj.dk");
    CHECK_ERROR(remote, base + 2, "[email] smtp_url = \"smtp://mail.ishoj.dk\" sends the summaries unencrypted");
    CHECK_FALSE(remote.config);
    for (const char* loopback : {"smtp://127.0.0.1:2525", "smtp://localhost", "smtp://[::1]:25", "smtp://127.0.0.2"}) {
        CollectorConfigLoad load = with_url(loopback);
        CHECK_MESSAGE(load.config, loopback, ":\n", all(load.errors));
    }
    CollectorConfigLoad starttls = with_url("smtp://mail.ishoj.dk:587", "starttls = true\n");
    CHECK_MESSAGE(starttls.config, all(starttls.errors));
}

TEST_CASE("a bad smtp_url names its line and what is wrong") {
    const int line = fixture_lines() + 2;
    const auto with_url = [](const std::string& url, const std::string& extra = "") {
        return load_with("[email]\nsmtp_url = \"" + url + "\"\n" + extra + "sender = \"pulse@ishoj.dk\"\n");
    };
    CHECK_ERROR(with_url("https://mail.ishoj.dk"), line, "must start with smtps://");
    const CollectorConfigLoad with_password = with_url("smtps://pulse:s3cret@mail.ishoj.dk");
    CHECK_ERROR(with_password, line, "put them in username and password_file");
    CHECK(all(with_password.errors).find("s3cret") == std::string::npos);  // errors reach the log
    CHECK_ERROR(with_url("smtps://"), line, "has no host name");
    CHECK_ERROR(with_url("smtps://mail.ishoj.dk:99999"), line, "has port \"99999\"");
    CHECK_ERROR(with_url("smtps://mail.ishoj.dk/client.dk"), line, "has a path");
    CHECK_ERROR(with_url("smtps://mail.ishoj.dk", "starttls = true\n"), line + 1,
                "starttls = true applies only to smtp:// URLs");
}

TEST_CASE("an unknown key, a wrong type and a bad value in [email] each name their line and key") {
    const int base = fixture_lines();
    CollectorConfigLoad load = load_with("[email]\n"                                // +1
                                         "smtp_url = \"smtps://mail.ishoj.dk\"\n"  // +2
                                         "smtp_host = \"mail\"\n"                  // +3
                                         "starttls = \"yes\"\n"                    // +4
                                         "sender = \"not an address\"\n"           // +5
                                         "send_day = \"mandag\"\n"                 // +6
                                         "send_time = \"7:00\"\n"                  // +7
                                         "language = \"de\"\n"                     // +8
                                         "username = 42\n");                       // +9
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, base + 3, "[email] smtp_host is not a known key");
    CHECK_ERROR(load, base + 4, "[email] starttls must be true or false, not a string");
    CHECK_ERROR(load, base + 5, "[email] sender = \"not an address\" is not an address");
    CHECK_ERROR(load, base + 6, "[email] send_day = \"mandag\" is not one of \"monday\" .. \"sunday\"");
    CHECK_ERROR(load, base + 7, "[email] send_time = \"7:00\" is not a time HH:MM");
    CHECK_ERROR(load, base + 8, "[email] language = \"de\" is not \"da\" or \"en\"");
    CHECK_ERROR(load, base + 9, "[email] username must be a string");

    CollectorConfigLoad late = load_with("[email]\nsmtp_url = \"smtps://m.dk\"\nsender = \"p@m.dk\"\n"
                                         "send_time = \"24:00\"\n");
    CHECK_ERROR(late, base + 4, "[email] send_time = \"24:00\" is not a time");
}

TEST_CASE("smtp_url and sender are required in [email]") {
    CollectorConfigLoad load = load_with("[email]\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, fixture_lines() + 1, "[email] smtp_url is missing");
    CHECK_ERROR(load, fixture_lines() + 1, "[email] sender is missing");
}

TEST_CASE("a leftover [email.recipients] is an error that says the addresses now go in [[manager]] email") {
    const int base = fixture_lines();
    CollectorConfigLoad load = load_with("[email]\n"                                // +1
                                         "smtp_url = \"smtps://mail.ishoj.dk\"\n"  // +2
                                         "sender = \"pulse@ishoj.dk\"\n"            // +3
                                         "[email.recipients]\n"                     // +4
                                         "wp-a = [\"leder@ishoj.dk\"]\n");          // +5
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, base + 4, "[email.recipients] is no longer read: each workplace's e-mail goes to its managers");
    CHECK(load.errors.size() == 1);
}

TEST_CASE("a missing password file is an error and one that others can read is a warning") {
    const int base = fixture_lines();
    const std::string head = "[email]\nsmtp_url = \"smtps://mail.ishoj.dk\"\nsender = \"pulse@ishoj.dk\"\n"
                             "username = \"pulse\"\n";  // +1 .. +4

    CollectorConfigLoad missing = load_with(head + "password_file = \"nowhere\"\n");
    CHECK_ERROR(missing, base + 5, "[email] password_file: ");
    CHECK_ERROR(missing, base + 5, "does not exist or is not a file");
    CollectorConfigLoad device = load_with(head + "password_file = \"/dev/zero\"\n");  // never read
    CHECK_ERROR(device, base + 5, "does not exist or is not a file");

    TempDir temp("pulse-email-config");
    const std::filesystem::path dir = temp.path;
    write_file(dir / "pw", "hunter2\n");
    std::filesystem::permissions(dir / "pw", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                 std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    CollectorConfigLoad readable = load_with(head + "password_file = \"pw\"\n", dir);
    REQUIRE_MESSAGE(readable.config, all(readable.errors));
    CHECK(readable.config->email->password == "hunter2");
    CHECK_MESSAGE(has_warning(readable, base + 5, "can be read by other users; restrict it: chmod 600"),
                  all(readable.warnings));
    for (const Diagnostic& d : readable.warnings) CHECK(d.message.find("hunter2") == std::string::npos);

    TempDir temp2("pulse-email-config");
    const std::filesystem::path dir2 = temp2.path;
    write_file(dir2 / "pw", "");
    CollectorConfigLoad empty = load_with(head + "password_file = \"pw\"\n", dir2);
    CHECK_ERROR(empty, base + 5, "must hold the password on one line");
}

TEST_CASE("username and password_file go together") {
    const int base = fixture_lines();
    CollectorConfigLoad user_only = load_with("[email]\nsmtp_url = \"smtps://m.dk\"\nsender = \"p@m.dk\"\n"
                                              "username = \"pulse\"\n");
    CHECK_ERROR(user_only, base + 4, "username is set but password_file is not");

    TempDir temp("pulse-email-config");
    const std::filesystem::path dir = temp.path;
    write_file(dir / "pw", "pw\n");
    CollectorConfigLoad file_only = load_with("[email]\nsmtp_url = \"smtps://m.dk\"\nsender = \"p@m.dk\"\n"
                                              "password_file = \"pw\"\n",
                                              dir);
    CHECK_ERROR(file_only, base + 4, "password_file is set but username is not");
}

TEST_CASE("a ca_file that does not exist is an error") {
    CollectorConfigLoad load = load_with("[email]\nsmtp_url = \"smtps://m.dk\"\nsender = \"p@m.dk\"\n"
                                         "ca_file = \"no-such.pem\"\n");
    CHECK_ERROR(load, fixture_lines() + 4, "[email] ca_file: ");
    CHECK_ERROR(load, fixture_lines() + 4, "does not exist or is not a file");
}

TEST_CASE("the example config's [email] block is valid once uncommented") {
    std::ifstream in(PULSE_SOURCE_DIR "/config/collector.example.toml", std::ios::binary);
    const std::string example((std::istreambuf_iterator<char>(in)), {});
    const std::size_t block = example.find("# [email]\n");
    REQUIRE(block != std::string::npos);
    std::string text = example.substr(0, block);
    std::istringstream lines(example.substr(block));
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("# ", 0) == 0) text += line.substr(2) + "\n";
        else if (line == "#") text += "\n";
        else text += line + "\n";
    }
    const std::string bank_line = "questions = [\"questions.toml\"]";
    REQUIRE(text.find(bank_line) != std::string::npos);
    text.replace(text.find(bank_line), bank_line.size(), "questions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]");

    TempDir temp("pulse-email-config");
    const std::filesystem::path dir = temp.path;
    write_file(dir / "smtp-password", "secret\n");
    std::filesystem::permissions(dir / "smtp-password",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    write_file(dir / "ishoj-ca.pem", "-----BEGIN CERTIFICATE-----\n");
    CollectorConfigLoad load = load_collector_config(write_file(dir / "collector.toml", text));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.config->email);
    CHECK(load.config->email->smtp_url == "smtps://smtp.ishoj.dk:465");
    CHECK(load.config->managers_of("raadhus-borgerservice") == std::vector<std::string>{"leder.borgerservice@ishoj.dk"});
    CHECK(load.warnings.empty());
}

}  // namespace collector_test_email_config
