// email_config.hpp — the [email] section of pulse-collector's config: the
// mail server, the sender and the schedule of the weekly e-mail
// (docs/email.md), read and checked as strictly as the rest. Its recipients
// are the managers of the registry ([[manager]] email).
#pragma once

#include "collector/config_reader.hpp"
#include "collector/email/email_message.hpp"  // Mailbox
#include "collector/email/email_policy.hpp"   // EmailSchedule

#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pulse {

// [email]: the weekly e-mail of each workplace's summary (docs/email.md).
struct EmailConfig {
    std::string smtp_url;                  // smtps://host[:port], or smtp://host[:port] (loopback, or with starttls)
    bool starttls = false;                 // smtp:// upgraded with STARTTLS, required (CURLUSESSL_ALL)
    std::string username;                  // SMTP AUTH user; "" = no AUTH
    std::string password;                  // read from password_file at load; never logged
    std::filesystem::path password_file;   // resolved, absolute; empty if not set
    std::filesystem::path ca_file;         // extra CA bundle; empty = the system's
    Mailbox sender;                        // From: and the envelope sender
    EmailSchedule schedule;                // send_day, send_time (Copenhagen); default Monday 07:00
    std::string language = "da";           // the summary's language, "da" | "en"
    // The recipients are each workplace's managers (CollectorConfig::managers_of).
};

struct CollectorConfig;

// [email] of table t, checked: the URL's scheme (plain smtp:// only to this
// machine or with STARTTLS), the password file (exists, one line; readable by
// others is a warning), the sender, the send day and time; a leftover
// [email.recipients] is an error saying where the addresses go now
// ([[manager]] email). Sets c.email when everything is right; every problem
// goes to read's errors with its line.
void read_email_config(ConfigReader& read, const toml::table& t, const std::filesystem::path& base_dir,
                       CollectorConfig& c, Diagnostics& warnings);

}  // namespace pulse
