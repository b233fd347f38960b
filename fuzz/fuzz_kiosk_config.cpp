// fuzz_kiosk_config.cpp — libFuzzer harness of the kiosk's config loader
// (terminal/kiosk_config.cpp load_kiosk_config): the input is written as
// terminal.toml into a scratch folder that also holds a token file "token"
// (chmod 600) for [upload] token_file. Checks that a config it accepts holds
// only what its header promises (every range, id form, colour, renderer,
// exactly one of diagonal_inch and dpi, an upload endpoint and token) and
// that a refused one says why.
#include "terminal/kiosk_config.hpp"

#include "common/question_bank.hpp"  // kLanguages

#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace {

bool url_safe(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

bool in(double v, double lo, double hi) { return v >= lo && v <= hi; }

void check_config(const pulse::KioskConfig& c) {
    PULSE_FUZZ_CHECK(url_safe(c.terminal_id), c.terminal_id);
    PULSE_FUZZ_CHECK(url_safe(c.workplace), c.workplace);
    PULSE_FUZZ_CHECK(std::find(pulse::kLanguages.begin(), pulse::kLanguages.end(), c.language) !=
                         pulse::kLanguages.end(),
                     c.language);
    PULSE_FUZZ_CHECK(c.questions_file.is_absolute(), c.questions_file.string());
    PULSE_FUZZ_CHECK(c.texts_file.is_absolute(), c.texts_file.string());
    PULSE_FUZZ_CHECK(c.database.is_absolute(), c.database.string());
    PULSE_FUZZ_CHECK(c.per_session >= 1 && c.per_session <= 3, std::to_string(c.per_session));
    PULSE_FUZZ_CHECK(in(c.idle_timeout_s, 5, 600), std::to_string(c.idle_timeout_s));
    PULSE_FUZZ_CHECK(in(c.thanks_s, 1, 30), std::to_string(c.thanks_s));
    PULSE_FUZZ_CHECK(in(c.cooldown_s, 0, 300), std::to_string(c.cooldown_s));
    PULSE_FUZZ_CHECK(in(c.undo_s, 0, 60), std::to_string(c.undo_s));
    PULSE_FUZZ_CHECK(c.keep_uploaded_days >= 1 && c.keep_uploaded_days <= 3650, std::to_string(c.keep_uploaded_days));
    PULSE_FUZZ_CHECK(c.width >= 320 && c.width <= 8192 && c.height >= 320 && c.height <= 8192,
                     std::to_string(c.width) + "x" + std::to_string(c.height));
    PULSE_FUZZ_CHECK((c.diagonal_inch > 0) != (c.dpi > 0), "diagonal_inch and dpi: exactly one");
    PULSE_FUZZ_CHECK(c.diagonal_inch == 0 || in(c.diagonal_inch, 5, 150), std::to_string(c.diagonal_inch));
    PULSE_FUZZ_CHECK(c.dpi == 0 || in(c.dpi, 50, 1200), std::to_string(c.dpi));
    const double px_per_mm = c.px_per_mm();
    PULSE_FUZZ_CHECK(std::isfinite(px_per_mm) && px_per_mm > 0, std::to_string(px_per_mm));
    PULSE_FUZZ_CHECK(c.accent.size() == 7 && c.accent[0] == '#' &&
                         std::all_of(c.accent.begin() + 1, c.accent.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); }),
                     c.accent);
    PULSE_FUZZ_CHECK(c.renderer == "auto" || c.renderer == "gpu" || c.renderer == "software", c.renderer);
    if (!c.upload) return;
    const pulse::UploadConfig& u = *c.upload;
    PULSE_FUZZ_CHECK(u.endpoint.rfind("https://", 0) == 0 || u.endpoint.rfind("http://", 0) == 0, u.endpoint);
    PULSE_FUZZ_CHECK(u.endpoint.back() != '/', u.endpoint);
    PULSE_FUZZ_CHECK(!u.token.empty() && std::all_of(u.token.begin(), u.token.end(),
                                                     [](char ch) { return ch > 0x20 && ch < 0x7F; }),
                     "the token is not one printable word");
    PULSE_FUZZ_CHECK(u.batch_size >= 1 && u.batch_size <= 5000, std::to_string(u.batch_size));
    PULSE_FUZZ_CHECK(in(u.backoff_min_s, 1, 3600), std::to_string(u.backoff_min_s));
    PULSE_FUZZ_CHECK(in(u.backoff_max_s, u.backoff_min_s, 86400), std::to_string(u.backoff_max_s));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    pulse::fuzz::ScratchDir::write("token", "fuzz-terminal-token\n");
    std::filesystem::permissions(pulse::fuzz::ScratchDir::path() / "token", std::filesystem::perms::owner_read |
                                                                            std::filesystem::perms::owner_write);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = pulse::fuzz::ScratchDir::write("terminal.toml", pulse::fuzz::as_text(data, size));
    const pulse::ConfigLoad load = pulse::load_kiosk_config(file);
    PULSE_FUZZ_CHECK(load.config.has_value() == load.errors.empty(), "a config is set exactly when nothing is wrong");
    for (const pulse::Diagnostic& d : load.errors) PULSE_FUZZ_CHECK(!d.message.empty() && d.line >= 0, d.str());
    if (load.config) check_config(*load.config);
    return 0;
}
