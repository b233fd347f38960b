// eventually.hpp — for tests that wait on an event in another thread or
// process: poll a condition until it holds. The bound is a safety net against
// a hang, never a timing claim, so a busy machine cannot fail a test.
#pragma once

#include <chrono>
#include <thread>

namespace pulse::testing {

// True once condition() holds, polling every 5 ms; false when it still does
// not after safety_net.
template <typename Condition>
bool eventually(Condition condition,
                std::chrono::steady_clock::duration safety_net = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + safety_net;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return condition();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace pulse::testing
