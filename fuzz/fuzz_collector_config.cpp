// fuzz_collector_config.cpp — libFuzzer harness of pulse-collector's config
// loader (collector/config.cpp load_collector_config, with [email] from
// collector/email/email_config.cpp): the input is written as collector.toml
// into a scratch folder that also holds the repository's questions.toml and
// summary_texts.toml (what the example configs name) and an SMTP password
// file "smtp-password" (chmod 600). Checks that a config it accepts holds
// only what its header promises (ranges, unique bank versions and terminal
// ids, the registry: workplaces unique by id and name and every one named
// declared, people's addresses valid and unique, token hashes; the e-mail's
// sender and recipients) and that a refused one says why.
#include "collector/config.hpp"

#include "collector/config_reader.hpp"  // is_sha256_hex, is_url_safe_name

#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cctype>
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
    for (const std::string& workplace : c.managed_workplaces()) {
        const std::vector<std::string> to = c.managers_of(workplace);
        PULSE_FUZZ_CHECK(!to.empty(), workplace + " has no address");
        for (const std::string& address : to) PULSE_FUZZ_CHECK(pulse::is_email_address(address), address);
    }
}

// Lower-case, as the loader compares addresses.
std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return text;
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
    const std::vector<std::string> places = c.workplaces();
    std::set<std::string> names;
    for (const pulse::WorkplaceEntry& w : c.workplace_entries) {
        PULSE_FUZZ_CHECK(pulse::is_url_safe_name(w.id) && !w.name.empty(), w.id);
        PULSE_FUZZ_CHECK(names.insert(w.name).second, "workplace name " + w.name + " twice");
        PULSE_FUZZ_CHECK(c.workplace_name(w.id) == w.name, w.id);
    }
    PULSE_FUZZ_CHECK(std::set<std::string>(places.begin(), places.end()).size() == c.workplace_entries.size(),
                     "a workplace id twice");
    const auto known = [&](const std::string& w) { return std::binary_search(places.begin(), places.end(), w); };
    std::set<std::string> ids;
    for (const pulse::TerminalEntry& t : c.terminals) {
        PULSE_FUZZ_CHECK(pulse::is_url_safe_name(t.id) && known(t.workplace), t.id + " " + t.workplace);
        PULSE_FUZZ_CHECK(ids.insert(t.id).second, "terminal " + t.id + " twice");
        PULSE_FUZZ_CHECK(pulse::is_sha256_hex(t.token_sha256), t.token_sha256);
    }
    // A person's token is optional; an address names one reader and one admin.
    const auto person_token = [](const std::string& h) { return h.empty() || pulse::is_sha256_hex(h); };
    std::set<std::string> readers, admins;
    for (const pulse::ManagerEntry& m : c.managers) {
        PULSE_FUZZ_CHECK(person_token(m.token_sha256) && !m.workplaces.empty(), m.name);
        PULSE_FUZZ_CHECK(pulse::is_email_address(m.email) && readers.insert(lower(m.email)).second, m.email);
        for (const std::string& w : m.workplaces) PULSE_FUZZ_CHECK(known(w), w);
    }
    for (const pulse::HrEntry& h : c.hr) {
        PULSE_FUZZ_CHECK(person_token(h.token_sha256), h.name);
        PULSE_FUZZ_CHECK(pulse::is_email_address(h.email) && readers.insert(lower(h.email)).second, h.email);
        if (h.workplaces) {
            for (const std::string& w : *h.workplaces) PULSE_FUZZ_CHECK(known(w), w);
        }
    }
    for (const pulse::AdminEntry& a : c.admins) {
        PULSE_FUZZ_CHECK(person_token(a.token_sha256), a.name);
        PULSE_FUZZ_CHECK(pulse::is_email_address(a.email) && admins.insert(lower(a.email)).second, a.email);
    }
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
