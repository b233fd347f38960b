// replace_file.cpp — see replace_file.hpp.
#include "common/replace_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pulse {

ReplaceFile replace_file(const std::filesystem::path& path, const std::string& text, mode_t mode,
                         const std::optional<std::pair<uid_t, gid_t>>& owner,
                         const std::function<bool(const std::filesystem::path& temp, std::string* reason)>& check) {
    ReplaceFile r;
    std::string temp = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        r.error = "cannot create a file in " + path.parent_path().string() + ": " + std::strerror(errno);
        return r;
    }
    bool open = true;
    const auto fail = [&](const std::string& what) {
        r.outcome = ReplaceFile::Outcome::failed;
        r.error = what + ": " + std::strerror(errno);
        if (open) ::close(fd);
        ::unlink(temp.c_str());
        return r;
    };
    if (owner && ::fchown(fd, owner->first, owner->second) != 0) {
        return fail("cannot give " + temp + " the owner uid " + std::to_string(owner->first) + ", gid " +
                    std::to_string(owner->second));
    }
    if (::fchmod(fd, mode) != 0) return fail("cannot set the mode of " + temp);
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("cannot write " + temp);
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return fail("cannot sync " + temp);
    open = false;
    if (::close(fd) != 0) return fail("cannot write " + temp);
    if (check) {
        std::string reason;
        if (!check(temp, &reason)) {
            ::unlink(temp.c_str());
            r.outcome = ReplaceFile::Outcome::refused;
            r.error = reason;
            return r;
        }
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot replace " + path.string());
    r.outcome = ReplaceFile::Outcome::replaced;
    const int folder = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0 || ::fsync(folder) != 0) {
        r.folder_synced = false;
        r.error = "cannot sync the folder " + path.parent_path().string() + ": " + std::strerror(errno);
    }
    if (folder >= 0) ::close(folder);
    return r;
}

}  // namespace pulse
