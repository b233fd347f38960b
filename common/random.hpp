// random.hpp — the one random number generator type, injected wherever Pulse
// chooses at random (rotation tie-breaks, answer ids, batch order), so a
// seed makes a run repeatable. The kiosk seeds it from std::random_device.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace pulse {

using Rng = std::mt19937_64;

// A generator seeded from the operating system's entropy source.
Rng make_os_seeded_rng();

// A random UUID v4 in lower-case 8-4-4-4-12 form.
std::string uuid_v4(Rng& rng);

}  // namespace pulse
