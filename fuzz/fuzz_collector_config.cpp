// fuzz_collector_config.cpp — libFuzzer harness of pulse-collector's config
// loader (collector/config.cpp load_collector_config, with [email] from
// collector/email/email_config.cpp): the input is written as collector.toml
// into a scratch folder that also holds the repository's questions.toml and
// summary_texts.toml (what the example configs name) and an SMTP password
// file "smtp-password" (chmod 600). Checks that a config it accepts holds
// only what its header promises (ranges, unique bank versions and terminal
// ids, token hashes, e-mail sender and recipients) and that a refused one
// says why.
#include "collector/config.hpp"

#include "collector/config_reader.hpp"  // is_sha256_hex, is_url_safe_name

#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

namespace {

void check_email(const pulse::CollectorConfig& c) {
    const pulse::EmailConfig& e = *c.email;
    PULSE_FUZZ_CHECK(e.smtp_url.rfind("smtps://", 0) == 0 || e.smtp_url.rfind("smtp://", 0) == 0, e.smtp_url);
    PULSE_FUZZ_CHECK(e.username.empty() == e.password_file.empty(), "username and password_file: both or neither");
    PULSE_FUZZ_CHECK(pulse::is_email_address(e.sender.address), e.sender.address);
    PULSE_FUZZ_CHECK(e.language == "da" || e.language == "en", e.language);
    PULSE_FUZZ_CHECK(e.schedule.send_day >= 0 && e.schedule.send_day <= 6, std::to_string(e.schedule.send_day));
    PULSE_FUZZ_CHECK(e.schedule.send_minute >= 0 && e.schedule.send_minute < 1440,
                     std::to_string(e.schedule.send_minute));
    PULSE_FUZZ_CHECK(!e.recipients.empty(), "no recipient workplace");
    const std::vector<std::string> known = c.workplaces();
    for (const auto& [workplace, addresses] : e.recipients) {
        PULSE_FUZZ_CHECK(std::find(known.begin(), known.end(), workplace) != known.end(), workplace);
        PULSE_FUZZ_CHECK(!addresses.empty(), workplace + " has no address");
        const std::set<std::string> unique(addresses.begin(), addresses.end());
        PULSE_FUZZ_CHECK(unique.size() == addresses.size(), workplace + " lists an address twice");
        for (const std::string& a : addresses) PULSE_FUZZ_CHECK(pulse::is_email_address(a), a);
    }
}

void check_config(const pulse::CollectorConfig& c) {
    PULSE_FUZZ_CHECK(!c.listen.empty(), "listen");
    PULSE_FUZZ_CHECK(c.port >= 0 && c.port <= 65535, std::to_string(c.port));
    PULSE_FUZZ_CHECK(!c.database.empty(), "database");
    PULSE_FUZZ_CHECK(c.min_answers >= 3 && c.min_answers <= 1000, std::to_string(c.min_answers));
    PULSE_FUZZ_CHECK(!c.banks.empty() && c.banks.size() == c.question_files.size(),
                     std::to_string(c.banks.size()) + " banks");
    std::set<std::string> versions;
    for (const pulse::QuestionBank& b : c.banks) {
        PULSE_FUZZ_CHECK(versions.insert(b.version).second, "bank version " + b.version + " twice");
        PULSE_FUZZ_CHECK(c.find_bank(b.version) == &b, b.version);
    }
    for (const std::string& lang : pulse::kLanguages) {
        PULSE_FUZZ_CHECK(c.summary_texts.languages.count(lang) == 1, "summary texts lack " + lang);
    }
    PULSE_FUZZ_CHECK(c.publication.day >= 0 && c.publication.day <= 6 && c.publication.minute >= 0 &&
                         c.publication.minute < 1440,
                     "publication moment");
    std::set<std::string> ids;
    for (const pulse::TerminalEntry& t : c.terminals) {
        PULSE_FUZZ_CHECK(pulse::is_url_safe_name(t.id) && pulse::is_url_safe_name(t.workplace), t.id + " " + t.workplace);
        PULSE_FUZZ_CHECK(ids.insert(t.id).second, "terminal " + t.id + " twice");
        PULSE_FUZZ_CHECK(pulse::is_sha256_hex(t.token_sha256), t.token_sha256);
    }
    for (const pulse::ManagerEntry& m : c.managers) {
        PULSE_FUZZ_CHECK(pulse::is_sha256_hex(m.token_sha256) && !m.workplaces.empty(), m.name);
        for (const std::string& w : m.workplaces) PULSE_FUZZ_CHECK(pulse::is_url_safe_name(w), w);
    }
    for (const pulse::HrEntry& h : c.hr) PULSE_FUZZ_CHECK(pulse::is_sha256_hex(h.token_sha256), h.name);
    for (const pulse::AdminEntry& a : c.admins) PULSE_FUZZ_CHECK(pulse::is_sha256_hex(a.token_sha256), a.name);
    if (c.email) check_email(c);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    pulse::fuzz::ScratchDir::copy_from_source("config/questions.toml", "questions.toml");
    pulse::fuzz::ScratchDir::copy_from_source("config/summary_texts.toml", "summary_texts.toml");
    pulse::fuzz::ScratchDir::write("smtp-password", "fuzz-password\n");
    std::filesystem::permissions(pulse::fuzz::ScratchDir::path() / "smtp-password",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file =
        pulse::fuzz::ScratchDir::write("collector.toml", pulse::fuzz::as_text(data, size));
    const pulse::CollectorConfigLoad load = pulse::load_collector_config(file);
    PULSE_FUZZ_CHECK(load.config.has_value() == load.errors.empty(), "a config is set exactly when nothing is wrong");
    for (const pulse::Diagnostic& d : load.errors) PULSE_FUZZ_CHECK(!d.message.empty() && d.line >= 0, d.str());
    if (load.config) check_config(*load.config);
    return 0;
}
