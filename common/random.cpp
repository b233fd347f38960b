// random.cpp — seeding and UUID v4 (RFC 9562 §5.4: 122 random bits, version 4, variant 10).
#include "common/random.hpp"

#include <array>

namespace pulse {

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

}  // namespace pulse
