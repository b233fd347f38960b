// terminal_add.cpp — `pulse-collector terminal add`: the config file edited
// under a lock, appended to only (what IT wrote stays byte for byte), checked
// by the config loader before it replaces the original, replaced atomically.
// Why the config file and not a table in the database: docs/deployment.md,
// "Provisioning a terminal".
#include "collector/terminal_add.hpp"

#include "collector/config.hpp"
#include "collector/config_reader.hpp"  // is_url_safe_name
#include "common/replace_file.hpp"
#include "common/sha256.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ostream>
#include <thread>

namespace pulse {
namespace {

namespace fs = std::filesystem;

// How long `terminal add` waits for another editor's lock on the config.
constexpr auto kLockWait = std::chrono::seconds(10);

// Closes a file descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

std::string errno_text() { return std::strerror(errno); }

// The config file opened and exclusively locked (flock), or fd -1 with *error
// set. A file renamed over the path while this waited (another `terminal
// add`) is not the config any more: the new one is opened and locked instead.
int open_locked(const fs::path& file, std::string* error) {
    const auto deadline = std::chrono::steady_clock::now() + kLockWait;
    for (;;) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            *error = "cannot open " + file.string() + ": " + errno_text();
            return -1;
        }
        while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK && errno != EINTR) {
                *error = "cannot lock " + file.string() + ": " + errno_text();
                ::close(fd);
                return -1;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                *error = file.string() + " is locked by another process (another `pulse-collector terminal add`?) "
                                         "for more than 10 s; try again";
                ::close(fd);
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        struct stat locked {}, now_at_path {};
        if (::fstat(fd, &locked) == 0 && ::stat(file.c_str(), &now_at_path) == 0 &&
            locked.st_dev == now_at_path.st_dev && locked.st_ino == now_at_path.st_ino) {
            return fd;
        }
        ::close(fd);  // replaced meanwhile: lock the file that is there now
    }
}

// The whole content of fd from its start; false with *error on a read error.
bool read_all(int fd, const fs::path& file, std::string* text, std::string* error) {
    text->clear();
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) return true;
        if (n < 0) {
            if (errno == EINTR) continue;
            *error = "cannot read " + file.string() + ": " + errno_text();
            return false;
        }
        text->append(buffer, static_cast<std::size_t>(n));
    }
}

// Prints every diagnostic, with `shown_as` for the temp file's name.
void print_errors(const Diagnostics& errors, const fs::path& temp, const fs::path& shown_as, std::ostream& err) {
    for (Diagnostic d : errors) {
        if (d.file == temp.string()) d.file = shown_as.string();
        err << d.str() << "\n";
    }
}

}  // namespace

std::string with_terminal_appended(const std::string& text, const std::string& id, const std::string& workplace,
                                   const std::string& token_sha256) {
    std::string out = text;
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty() && out.compare(out.size() - std::min<std::size_t>(out.size(), 2), 2, "\n\n") != 0) out += '\n';
    out += "[[terminal]]\nid = \"" + id + "\"\nworkplace = \"" + workplace + "\"\ntoken_sha256 = \"" + token_sha256 +
           "\"\n";
    return out;
}

std::string single_quoted(const std::string& word) {
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string shell_quoted(const std::string& word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               (c != '\0' && std::strchr("_./:@%+=,-", c) != nullptr);
    });
    return plain ? word : single_quoted(word);
}

int cmd_terminal_add(const fs::path& config_file, const std::string& id, const std::string& workplace,
                     const std::string& endpoint, const TokenSource& new_token, std::ostream& out, std::ostream& err) {
    const std::string url_safe = " may only contain A–Z, a–z, 0–9, '.', '_' and '-' (it becomes part of URLs)";
    if (!is_url_safe_name(id)) {
        err << "--id: '" << id << "'" << url_safe << "\n";
        return kTerminalAddRefused;
    }
    if (!is_url_safe_name(workplace)) {
        err << "--workplace: '" << workplace << "'" << url_safe << "\n";
        return kTerminalAddRefused;
    }
    // The real file: a symbolic link stays a link to the edited file.
    std::error_code ec;
    const fs::path file = fs::canonical(config_file, ec);
    if (ec) {
        err << "--config: " << config_file.string() << ": " << ec.message() << "\n";
        return kTerminalAddRefused;
    }

    // [SECTION] Under the lock: read, refuse or append
    std::string error;
    Fd locked(open_locked(file, &error));
    if (locked.fd < 0) {
        err << error << "\n";
        return kTerminalAddFailed;
    }
    std::string text;
    if (!read_all(locked.fd, file, &text, &error)) {
        err << error << "\n";
        return kTerminalAddFailed;
    }
    const CollectorConfigLoad before = load_collector_config(file);
    if (!before.config) {
        print_errors(before.errors, {}, {}, err);
        err << file.string() << " has errors (above): fix them first (pulse-collector check --config "
            << file.string() << "); nothing changed\n";
        return kTerminalAddRefused;
    }
    const CollectorConfig& config = *before.config;
    const bool taken = std::any_of(config.terminals.begin(), config.terminals.end(),
                                   [&](const TerminalEntry& t) { return t.id == id; });
    if (taken) {
        err << "--id: terminal '" << id << "' is already a [[terminal]] in " << file.string()
            << "; choose another id (or remove its block by hand to replace its token); nothing changed\n";
        return kTerminalAddRefused;
    }
    const std::vector<std::string> workplaces = config.workplaces();
    if (std::find(workplaces.begin(), workplaces.end(), workplace) == workplaces.end()) {
        err << "--workplace: '" << workplace << "' is not a [[workplace]] in " << file.string()
            << "; add it (id and name) first, or correct the id; nothing changed\n";
        return kTerminalAddRefused;
    }
    const std::optional<std::string> token = new_token ? new_token() : std::nullopt;
    if (!token) {
        err << "cannot get random bytes from the operating system for the token; nothing changed\n";
        return kTerminalAddFailed;
    }
    const std::string new_text = with_terminal_appended(text, id, workplace, sha256_hex(*token));

    // [SECTION] The new text beside the original, checked, then renamed over it
    struct stat original {};
    if (::fstat(locked.fd, &original) != 0) {
        err << "cannot read the mode of " << file.string() << ": " << errno_text() << "\n";
        return kTerminalAddFailed;
    }
    const auto loads = [&](const fs::path& temp, std::string* reason) {
        const CollectorConfigLoad after = load_collector_config(temp);
        if (after.config) return true;
        print_errors(after.errors, temp, file, err);
        *reason = "the new [[terminal]] would leave " + file.string() + " with errors (above); nothing changed";
        return false;
    };
    // The original's owner, when it is not who runs this (a temp file is theirs).
    std::optional<std::pair<uid_t, gid_t>> owner;
    if (original.st_uid != ::geteuid() || original.st_gid != ::getegid()) {
        owner = std::make_pair(original.st_uid, original.st_gid);
    }
    const ReplaceFile replaced = replace_file(file, new_text, original.st_mode & 07777, owner, loads);
    if (replaced.outcome == ReplaceFile::Outcome::refused) {
        err << replaced.error << "\n";
        return kTerminalAddRefused;
    }
    if (replaced.outcome == ReplaceFile::Outcome::failed) {
        err << replaced.error
            << (replaced.error.rfind("cannot give", 0) == 0 ? "; run as root or as the owner of " + file.string() : "")
            << "; nothing changed\n";
        return kTerminalAddFailed;
    }
    if (!replaced.folder_synced) {
        err << "warning: " << file.string() << " is replaced, but " << replaced.error << "\n";
    }

    // [SECTION] What IT passes on
    std::string url = endpoint;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.empty() && config.web) url = config.web->base_url;
    out << "added terminal " << id << " (workplace " << workplace << ") to " << file.string() << "\n"
        << "on the terminal, run (the token is shown only now; the collector keeps only its SHA-256):\n"
        << "  printf '%s\\n' " << single_quoted(*token) << " | sudo pulse-kiosk provision --id " << id
        << " --workplace " << workplace << " --endpoint " << (url.empty() ? "https://…" : shell_quoted(url))
        << " --token-file -\n";
    if (url.empty()) {
        out << "fill in https://… yourself: the address the terminals reach the collector at (no --endpoint was "
               "given and the config has no [web] base_url)\n";
    }
    out << "the running collector reads its config only at start: restart it to accept the token "
           "(systemctl restart pulse-collector); terminals retry meanwhile\n";
    return kTerminalAddOk;
}

}  // namespace pulse
