// diagnostic.hpp — one error found in a file the operator wrote (config,
// question bank, texts, simulation script), as "FILE:LINE: message".
#pragma once

#include <string>
#include <vector>

namespace pulse {

// One problem in an input file. line is 1-based; 0 means "the file as a whole"
// (e.g. it cannot be read), and is then left out of the printed form.
struct Diagnostic {
    std::string file;     // path as the operator gave it (or as resolved)
    int line = 0;         // 1-based line, 0 = whole file
    std::string message;  // what is wrong and, where it helps, what to do

    // "FILE:LINE: message" (or "FILE: message" when line is 0).
    std::string str() const {
        return line > 0 ? file + ":" + std::to_string(line) + ": " + message
                        : file + ": " + message;
    }
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace pulse
