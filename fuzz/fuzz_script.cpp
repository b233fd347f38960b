// fuzz_script.cpp — libFuzzer harness of the simulator's script parser
// (kiosk/script.cpp parse_script): the input is a script. Checks each step
// against the language (taps at non-negative finite points, waits of 0 to
// 30 days, shot names of letters, digits, '-', '_', '.'), that lines count
// up, and that the steps written back as a script parse to the same steps.
#include "kiosk/script.hpp"

#include "fuzz/fuzz_support.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

using pulse::ScriptStep;

std::string number(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

// One step as a script line.
std::string line_of(const ScriptStep& s) {
    switch (s.kind) {
        case ScriptStep::Kind::tap_id: return "tap " + s.name;
        case ScriptStep::Kind::tap_point: return "tap " + number(s.x) + " " + number(s.y);
        case ScriptStep::Kind::wait: return "wait " + number(s.seconds);
        case ScriptStep::Kind::shot: return "shot " + s.name;
    }
    pulse::fuzz::fail(__FILE__, __LINE__, "unknown step kind");
}

bool same(const ScriptStep& a, const ScriptStep& b) {
    return a.kind == b.kind && a.name == b.name && a.x == b.x && a.y == b.y && a.seconds == b.seconds;
}

void check_step(const ScriptStep& s) {
    const std::string where = "line " + std::to_string(s.line) + ": " + line_of(s);
    switch (s.kind) {
        case ScriptStep::Kind::tap_id:
            PULSE_FUZZ_CHECK(!s.name.empty() && s.name.find_first_of(" \t\n\r#") == std::string::npos, where);
            break;
        case ScriptStep::Kind::tap_point:
            PULSE_FUZZ_CHECK(std::isfinite(s.x) && std::isfinite(s.y) && s.x >= 0 && s.y >= 0, where);
            break;
        case ScriptStep::Kind::wait:
            PULSE_FUZZ_CHECK(std::isfinite(s.seconds) && s.seconds >= 0 && s.seconds <= 30 * 86400, where);
            break;
        case ScriptStep::Kind::shot:
            PULSE_FUZZ_CHECK(!s.name.empty() && s.name.size() <= 100 && s.name.front() != '.' &&
                                 s.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                          "0123456789-_.") == std::string::npos,
                             where);
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(pulse::fuzz::as_text(data, size));
    const pulse::Script script = pulse::parse_script(text, "fuzz.txt");
    int last_line = 0;
    for (const pulse::Diagnostic& d : script.errors) PULSE_FUZZ_CHECK(d.line >= 1 && !d.message.empty(), d.str());
    for (const ScriptStep& s : script.steps) {
        PULSE_FUZZ_CHECK(s.line > last_line, "line " + std::to_string(s.line) + " after " + std::to_string(last_line));
        last_line = s.line;
        check_step(s);
    }
    if (!script.errors.empty()) return 0;

    std::string written;
    for (const ScriptStep& s : script.steps) written += line_of(s) + "\n";
    const pulse::Script again = pulse::parse_script(written, "written.txt");
    PULSE_FUZZ_CHECK(again.errors.empty(), "the written script is refused: " + again.errors.front().str());
    PULSE_FUZZ_CHECK(again.steps.size() == script.steps.size(), "step count differs");
    for (std::size_t i = 0; i < again.steps.size(); ++i) {
        PULSE_FUZZ_CHECK(same(again.steps[i], script.steps[i]),
                         line_of(script.steps[i]) + " came back as " + line_of(again.steps[i]));
    }
    return 0;
}
