// script.hpp — the simulator's script language, parsed before anything runs:
//   tap <id>        tap the centre of the element with that id
//   tap <x> <y>     tap a point in the panel's (the window's) pixels; with [display] rotation it
//                   is turned onto the screens' layout as a touch is
//   wait <seconds>  advance the virtual clock; timeouts fire
//   shot <name>     save the current frame as <shots>/<name>.png
//   pull            fetch the manager's response from the collector now ([upload]
//                   endpoint and token), as the kiosk does at start and every hour
// Blank lines and lines starting with '#' are ignored.
#pragma once

#include "common/diagnostic.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace pulse {

struct ScriptStep {
    enum class Kind { tap_id, tap_point, wait, shot, pull };
    Kind kind = Kind::tap_id;
    int line = 0;            // 1-based line in the script
    std::string name;        // tap_id: element id; shot: file name without .png
    float x = 0, y = 0;      // tap_point
    double seconds = 0;      // wait
};

struct Script {
    std::vector<ScriptStep> steps;
    Diagnostics errors;  // every bad line; steps is only meaningful when empty
};

// Parses script text; file names the source in diagnostics.
Script parse_script(const std::string& text, const std::string& file);

// Reads and parses a script file (an unreadable file is one diagnostic).
Script load_script(const std::filesystem::path& file);

}  // namespace pulse
