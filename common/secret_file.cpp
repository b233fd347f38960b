// secret_file.cpp — a secret read from a small regular file (see secret_file.hpp).
#include "common/secret_file.hpp"

#include <fstream>

namespace pulse {

namespace fs = std::filesystem;

SecretFile read_secret_file(const fs::path& path, std::size_t max_bytes) {
    SecretFile out;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::is_regular_file(status)) return out;  // not_a_file; opened nothing
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        out.status = SecretFile::Status::unreadable;
        return out;
    }
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        out.status = SecretFile::Status::unreadable;
        return out;
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
        out.status = SecretFile::Status::too_large;
        return out;
    }
    out.status = SecretFile::Status::ok;
    out.text = std::move(text);
    out.readable_by_others =
        (status.permissions() & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none;
    return out;
}

}  // namespace pulse
