// random.cpp — seeding, and UUID v4 (RFC 9562 §5.4: 122 random bits, version
// 4, variant 10) from the seeded generator (test data) or from the kernel.
#include "common/random.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <system_error>

namespace pulse {

namespace {

// Sets the version and variant bits and writes the 16 bytes as 8-4-4-4-12.
std::string format_uuid_v4(std::array<std::uint8_t, 16> bytes) {
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // variant 10
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0x0F];
    }
    return out;
}

}  // namespace

Rng make_os_seeded_rng() {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return Rng(seed);
}

std::string uuid_v4(Rng& rng) {
    std::array<std::uint8_t, 16> bytes{};
    for (int i = 0; i < 2; ++i) {
        std::uint64_t r = rng();
        for (int b = 0; b < 8; ++b) bytes[i * 8 + b] = static_cast<std::uint8_t>(r >> (8 * b));
    }
    return format_uuid_v4(bytes);
}

// getrandom(2) rather than OpenSSL's RAND_bytes: it is the kernel's CSPRNG
// itself, with no generator state in our process (nothing in a core dump or
// in memory from which other ids could be worked out, nothing to reseed
// after a fork), needs no library initialisation, and its failures are few
// and documented. RAND_bytes would add a user-space DRBG seeded from this
// same call. With flags 0 it blocks until the kernel's pool is seeded, which
// is the right trade: an id a little later rather than a guessable one.
std::string random_uuid_v4(std::string* error) {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got > 0) {
            filled += static_cast<std::size_t>(got);
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        const int code = got < 0 ? errno : EIO;  // 0 bytes for a non-empty request: never seen, never looped on
        if (error) {
            *error = "the kernel's random generator (getrandom) refused: " +
                     std::error_code(code, std::generic_category()).message() + " (errno " + std::to_string(code) + ")";
        }
        return "";
    }
    return format_uuid_v4(bytes);
}

}  // namespace pulse
