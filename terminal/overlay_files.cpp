// overlay_files.cpp — laying an overlay over a config, and its files on the
// terminal (see overlay_files.hpp).
#include "terminal/overlay_files.hpp"

#include "common/replace_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace pulse {

namespace fs = std::filesystem;

void apply_overlay(const ConfigOverlay& o, KioskConfig& config, QuestionBank& bank, Texts& texts) {
    if (o.language) config.language = *o.language;
    if (o.per_session) config.per_session = *o.per_session;
    if (o.schedule) config.schedule = *o.schedule;
    if (o.pin_hash) config.admin_pin_hash = *o.pin_hash;
    if (o.questions_enabled) {
        for (Question& q : bank.questions) {
            q.active = q.active && std::find(o.questions_enabled->begin(), o.questions_enabled->end(), q.id) !=
                                       o.questions_enabled->end();
        }
    }
    for (const auto& [lang, keys] : o.texts) {
        for (const auto& [key, text] : keys) texts.set(lang, key, text);
    }
}

OverlayFiles overlay_files_for(const fs::path& database) { return OverlayFiles{database.parent_path()}; }

namespace {

std::optional<std::string> read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Replaces to with from's bytes (or removes to when from is missing).
bool copy_or_remove(const fs::path& from, const fs::path& to, std::string* error) {
    if (const std::optional<std::string> bytes = read_all(from)) {
        const ReplaceFile r = replace_file(to, *bytes, 0644);
        if (r.outcome != ReplaceFile::Outcome::replaced) {
            if (error) *error = r.error;
            return false;
        }
        return true;
    }
    std::error_code ec;
    fs::remove(to, ec);
    if (ec && error) *error = "cannot remove " + to.string() + ": " + ec.message();
    return !ec;
}

bool write_word(const fs::path& file, const std::string& word, std::string* error) {
    const ReplaceFile r = replace_file(file, word + "\n", 0644);
    if (r.outcome != ReplaceFile::Outcome::replaced && error) *error = r.error;
    return r.outcome == ReplaceFile::Outcome::replaced;
}

}  // namespace

std::string read_overlay_word(const fs::path& file) {
    std::ifstream in(file);
    std::string word;
    std::getline(in, word);
    return word;
}

bool begin_overlay_start(const OverlayFiles& f, const OverlayLog& log) {
    std::error_code ec;
    bool reverted = false;
    std::string error;
    if (fs::exists(f.trial(), ec)) {
        const std::string etag = read_overlay_word(f.etag());
        const bool ok = copy_or_remove(f.good(), f.current(), &error) && copy_or_remove(f.good_etag(), f.etag(), &error) &&
                        write_word(f.reverted(), etag.empty() ? "unknown" : etag, &error);
        if (log) {
            log(ok ? "config overlay " + (etag.empty() ? std::string("(no ETag)") : etag) +
                         " did not reach the attract screen at the last start: reverted to the last good one"
                   : "config overlay: reverting the one that did not start failed: " + error);
        }
        fs::remove(f.trial(), ec);
        reverted = true;
    }
    const std::optional<std::string> current = read_all(f.current()), good = read_all(f.good());
    if (current != good && !write_word(f.trial(), "starting", &error) && log) {
        log("config overlay: cannot mark the start with the new overlay: " + error);
    }
    return reverted;
}

void confirm_overlay_start(const OverlayFiles& f, const OverlayLog& log) {
    std::error_code ec;
    if (!fs::exists(f.trial(), ec)) return;
    std::string error;
    if (!copy_or_remove(f.current(), f.good(), &error) || !copy_or_remove(f.etag(), f.good_etag(), &error)) {
        if (log) log("config overlay: cannot keep the overlay as the last good one: " + error);
        return;
    }
    fs::remove(f.trial(), ec);
    fs::remove(f.reverted(), ec);
    if (log) log("config overlay " + read_overlay_word(f.etag()) + " is in use");
}

OverlayAccept accept_overlay(const OverlayFiles& f, const std::optional<std::string>& bytes, const std::string& etag,
                             const std::function<bool(const fs::path&, Diagnostics&)>& check, Diagnostics& errors,
                             std::string* error) {
    const std::optional<std::string> current = read_all(f.current());
    if (current == bytes) return OverlayAccept::unchanged;
    if (!bytes) {  // the collector has none for this terminal now: back to the config alone
        std::error_code ec;
        fs::remove(f.current(), ec);
        fs::remove(f.etag(), ec);
        if (ec) {
            if (error) *error = "cannot remove " + f.current().string() + ": " + ec.message();
            return OverlayAccept::failed;
        }
        return OverlayAccept::accepted;
    }
    // Checked in place of the current one, as a temp file beside it: the
    // config is loaded with it exactly as the kiosk will load it.
    bool passed = false;
    const ReplaceFile r = replace_file(f.current(), *bytes, 0644, std::nullopt,
                                       [&](const fs::path& temp, std::string* reason) {
                                           passed = check(temp, errors);
                                           if (!passed && reason) *reason = "the overlay fails its check";
                                           return passed;
                                       });
    if (r.outcome == ReplaceFile::Outcome::refused) return OverlayAccept::refused;
    if (r.outcome != ReplaceFile::Outcome::replaced) {
        if (error) *error = r.error;
        return OverlayAccept::failed;
    }
    if (!write_word(f.etag(), etag, error)) return OverlayAccept::failed;
    return OverlayAccept::accepted;
}

}  // namespace pulse
