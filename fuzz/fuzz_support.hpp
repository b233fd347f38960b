// fuzz_support.hpp — what the libFuzzer harnesses of fuzz/ share: a check
// that stops the run with a message (an invariant broken is a finding, like
// a crash), a scratch folder for the loaders that read a file, and the
// repository's own config files (PULSE_SOURCE_DIR) for fixed inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace pulse::fuzz {

// Prints "fuzz check failed: <what>" and aborts, so libFuzzer reports the
// input as a crash and saves it. For broken invariants only, never for an
// input that is merely invalid.
[[noreturn]] inline void fail(const char* file, int line, const std::string& what) {
    std::fprintf(stderr, "\n%s:%d: fuzz check failed: %s\n", file, line, what.c_str());
    std::abort();
}

// PULSE_FUZZ_CHECK(condition, message): fail with message unless condition.
#define PULSE_FUZZ_CHECK(condition, message)                                              \
    do {                                                                                  \
        if (!(condition)) ::pulse::fuzz::fail(__FILE__, __LINE__, std::string(#condition) + ": " + (message)); \
    } while (0)

// The input's bytes as text (any bytes, including NUL and invalid UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// True when text is valid UTF-8 (RFC 3629: no overlong form, no surrogate,
// nothing above U+10FFFF), which JSON text and nlohmann's dump require.
inline bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n > text.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += n;
    }
    return true;
}

// A file of the repository (e.g. "config/questions.toml").
inline std::filesystem::path source_file(std::string_view relative) {
    return std::filesystem::path(PULSE_SOURCE_DIR) / relative;
}

// This process's own scratch folder (mkdtemp under $TMPDIR or /tmp), made
// on first use and removed when the process exits normally; a crashed run
// leaves it behind (pulse-fuzz-XXXXXX). Several fuzzing processes never
// share one. Aborts when no folder can be made: nothing could be fuzzed.
class ScratchDir {
public:
    static const std::filesystem::path& path() {
        static ScratchDir dir;
        return dir.path_;
    }

    // Writes bytes to name in the folder (replacing it) and returns its path.
    // Aborts when the file cannot be written (a full disk, not a finding).
    static std::filesystem::path write(std::string_view name, std::string_view bytes) {
        const std::filesystem::path file = path() / name;
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) fail(__FILE__, __LINE__, "cannot write " + file.string());
        return file;
    }

    // Copies a repository file into the folder under name (a fixed
    // neighbour for the input, such as the question bank a config names).
    static void copy_from_source(std::string_view relative, std::string_view name) {
        std::error_code ec;
        std::filesystem::copy_file(source_file(relative), path() / name,
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) fail(__FILE__, __LINE__, "cannot copy " + source_file(relative).string() + ": " + ec.message());
    }

private:
    ScratchDir() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pulse-fuzz-XXXXXX";
        if (!mkdtemp(pattern.data())) fail(__FILE__, __LINE__, "mkdtemp " + pattern + " failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::filesystem::path path_;
};

}  // namespace pulse::fuzz
