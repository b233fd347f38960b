// cmd_check.cpp — `pulse-kiosk check`: the terminal's config, question bank,
// texts and font checked, every problem printed as FILE:LINE: message.
#include "kiosk/commands.hpp"

#include <ostream>

namespace pulse {

int cmd_check(const std::filesystem::path& config_file, std::ostream& out, std::ostream& err) {
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(config_file, &errors, &err);
    if (!loaded) {
        print_diagnostics(errors, err);
        return kExitBadConfig;
    }
    const std::filesystem::path font = font_for(loaded->config);
    if (!std::filesystem::is_regular_file(font)) {
        err << config_file.string() << ": font " << font.string()
            << " not found (install Debian's fonts-open-sans, or set [display] font)\n";
        return kExitBadConfig;
    }
    out << config_file.string() << ": ok — terminal " << loaded->config.terminal_id << ", workplace "
        << loaded->config.workplace << ", " << loaded->bank.active_questions().size() << " active questions (bank "
        << loaded->bank.version << ")\n";
    return kExitOk;
}

}  // namespace pulse
