// script.cpp — parsing the simulator's scripts (see script.hpp).
#include "kiosk/script.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace pulse {

namespace {

bool parse_number(const std::string& s, double& out) {
    try {
        std::size_t used = 0;
        out = std::stod(s, &used);
        return used == s.size() && std::isfinite(out);
    } catch (...) {
        return false;
    }
}

bool valid_shot_name(const std::string& name) {
    if (name.empty() || name.size() > 100) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok) return false;
    }
    return name.front() != '.';
}

}  // namespace

Script parse_script(const std::string& text, const std::string& file) {
    Script script;
    std::istringstream lines(text);
    std::string raw;
    int line_no = 0;
    while (std::getline(lines, raw)) {
        ++line_no;
        const std::size_t hash = raw.find('#');
        std::istringstream words(hash == std::string::npos ? raw : raw.substr(0, hash));
        std::vector<std::string> w;
        for (std::string word; words >> word;) w.push_back(word);
        if (w.empty()) continue;
        auto fail = [&](const std::string& message) { script.errors.push_back({file, line_no, message}); };
        ScriptStep step;
        step.line = line_no;
        if (w[0] == "tap" && w.size() == 2) {
            step.kind = ScriptStep::Kind::tap_id;
            step.name = w[1];
        } else if (w[0] == "tap" && w.size() == 3) {
            double x, y;
            // Bounded so the float a tap holds is the number written (1e39
            // would become infinity); any screen is far smaller.
            constexpr double kMaxPixel = 100000;
            if (!parse_number(w[1], x) || !parse_number(w[2], y) || x < 0 || y < 0 || x > kMaxPixel ||
                y > kMaxPixel) {
                fail("tap needs two pixel coordinates from 0 to 100000, got '" + w[1] + " " + w[2] + "'");
                continue;
            }
            step.kind = ScriptStep::Kind::tap_point;
            step.x = static_cast<float>(x);
            step.y = static_cast<float>(y);
        } else if (w[0] == "wait" && w.size() == 2) {
            if (!parse_number(w[1], step.seconds) || step.seconds < 0 || step.seconds > 30 * 86400) {
                fail("wait needs seconds between 0 and 2592000, got '" + w[1] + "'");
                continue;
            }
            step.kind = ScriptStep::Kind::wait;
        } else if (w[0] == "shot" && w.size() == 2) {
            if (!valid_shot_name(w[1])) {
                fail("shot needs a file name of letters, digits, '-', '_' or '.', got '" + w[1] + "'");
                continue;
            }
            step.kind = ScriptStep::Kind::shot;
            step.name = w[1];
        } else if (w[0] == "pull" && w.size() == 1) {
            step.kind = ScriptStep::Kind::pull;
        } else if (w[0] == "tap" || w[0] == "wait" || w[0] == "shot" || w[0] == "pull") {
            fail("wrong number of arguments to '" + w[0] +
                 "' (expected: tap <id> | tap <x> <y> | wait <seconds> | shot <name> | pull)");
            continue;
        } else {
            fail("unknown command '" + w[0] + "' (expected tap, wait, shot or pull)");
            continue;
        }
        script.steps.push_back(step);
    }
    return script;
}

Script load_script(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        Script s;
        s.errors.push_back({file.string(), 0, "cannot read the script file"});
        return s;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_script(text.str(), file.string());
}

}  // namespace pulse
