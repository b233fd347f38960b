// random.hpp — Pulse's two sources of randomness. The seeded generator (Rng)
// is injected wherever Pulse chooses at random for its own behaviour
// (rotation tie-breaks, batch order, backoff jitter), so a seed makes a run
// repeatable. Ids (answers, batches) come from the kernel's CSPRNG instead:
// they travel and are stored, so they must not be predictable or repeatable.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>

namespace pulse {

// Never use it for anything that leaves the terminal: its outputs are an
// invertible function of its state, so a few of them give away all others.
using Rng = std::mt19937_64;

// A generator seeded from the operating system's entropy source.
Rng make_os_seeded_rng();

// A UUID v4 (lower-case 8-4-4-4-12) built from rng. For test data and tools
// only: ids derived from a seeded generator can be recomputed from one another.
std::string uuid_v4(Rng& rng);

// A UUID v4 whose 122 random bits come from the kernel's CSPRNG
// (getrandom(2)): unpredictable, and different in every process and run,
// whatever seed the Rng got. Blocks only while the kernel's generator has not
// been seeded yet (early in boot), and retries when a signal interrupts it.
// If the kernel refuses for good (ENOSYS: a kernel older than 3.17; EPERM:
// a seccomp filter such as systemd's SystemCallFilter forbids getrandom)
// there is no secure source on this machine and no fallback would be
// anything but predictable: it returns an empty string and sets *error (may
// be null) to what the kernel said. It never returns a predictable id.
std::string random_uuid_v4(std::string* error = nullptr);

// Where ids come from: random_uuid_v4, or a stand-in in tests. Same contract:
// a fresh UUID v4, or "" with *error set when none can be made.
using IdSource = std::function<std::string(std::string* error)>;

}  // namespace pulse
