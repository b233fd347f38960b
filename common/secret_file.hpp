// secret_file.hpp — reading a small secret a config names by path (the
// terminal's upload token, the SMTP password): only a regular file is opened,
// so a path to /dev/zero or a FIFO can neither use up memory nor hang the
// config check, and a file larger than any secret is refused unread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace pulse {

struct SecretFile {
    enum class Status {
        ok,          // text holds the whole file
        not_a_file,  // missing, or a directory, device, FIFO or socket (nothing was opened)
        unreadable,  // a regular file that could not be opened or read (owner, permissions)
        too_large,   // more than max_bytes (only max_bytes + 1 were read)
    };
    Status status = Status::not_a_file;
    std::string text;                 // ok: the file's bytes, unchanged
    bool readable_by_others = false;  // ok: group or others may read it (worth a warning)
};

// Reads the regular file at path if it holds at most max_bytes. Never throws.
SecretFile read_secret_file(const std::filesystem::path& path, std::size_t max_bytes = 4096);

}  // namespace pulse
