// fuzz_texts_placeholders.cpp — libFuzzer harness of the {named}
// placeholders every texts file shares (common/texts_file.cpp
// fill_placeholders and check_placeholders): the input is one text. Checks
// that filling with no values leaves the text as it is, that filling {n} is
// exactly replacing every "{n}", and that a text check_placeholders lets
// through for {n} and {total}, once filled, holds no "{…}" that a reader
// would see as a placeholder left over.
#include "common/texts_file.hpp"

#include "fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

// text with every "{n}" replaced by value, left to right.
std::string replace_all(std::string_view text, std::string_view pattern, std::string_view value) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t hit = text.find(pattern); hit != std::string_view::npos; hit = text.find(pattern, at)) {
        out.append(text.substr(at, hit - at)).append(value);
        at = hit + pattern.size();
    }
    return out.append(text.substr(at));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pulse::fuzz::as_text(data, size);

    PULSE_FUZZ_CHECK(pulse::fill_placeholders(text, {}) == text, "filling nothing changed the text");
    PULSE_FUZZ_CHECK(pulse::fill_placeholders(text, {{"n", "7"}}) == replace_all(text, "{n}", "7"),
                     "{n} filled differently from replacing \"{n}\"");

    pulse::Diagnostics errors;
    const pulse::TextsReporter report("fuzz.toml", errors);
    pulse::check_placeholders("[da] progress", text, {"n", "total"}, 1, report);
    if (!errors.empty()) return 0;
    const std::string filled = pulse::fill_placeholders(text, {{"n", "1"}, {"total", "3"}});
    const std::size_t open = filled.find('{');
    PULSE_FUZZ_CHECK(open == std::string::npos || filled.find('}', open) == std::string::npos,
                     "a checked text keeps a {placeholder} after filling: " + filled.substr(0, 200));
    return 0;
}
