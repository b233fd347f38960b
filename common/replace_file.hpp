// replace_file.hpp — replacing a small file (a terminal's config and token,
// the collector's config) so that a reader, or a crash, sees the old file or
// the new one, never a part: a temp file beside it with the final mode and
// owner, fsynced, optionally checked, renamed over it, the folder fsynced.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace pulse {

struct ReplaceFile {
    enum class Outcome {
        replaced,  // path holds text now
        refused,   // check said no: path is untouched (check's reason in error)
        failed,    // a step failed: path is untouched (error names the step, the file and errno's text)
    };
    Outcome outcome = Outcome::failed;
    std::string error;
    // replaced only: false when the folder could not be fsynced afterwards
    // (the new file is in place but a power cut could still lose the rename;
    // error says so).
    bool folder_synced = true;
};

// Writes text to ".<name>.XXXXXX" beside path with mode (and owner, when
// given), fsyncs it, then calls check(temp_path, &reason) when given, and
// renames it over path and fsyncs the folder. The temp file never stays
// behind. Never throws.
ReplaceFile replace_file(const std::filesystem::path& path, const std::string& text, mode_t mode,
                         const std::optional<std::pair<uid_t, gid_t>>& owner = std::nullopt,
                         const std::function<bool(const std::filesystem::path& temp, std::string* reason)>& check = {});

}  // namespace pulse
