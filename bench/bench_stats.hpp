// bench_stats.hpp — order statistics for the benchmark programs, and the one
// output format scripts/bench reads: a line of key=value pairs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace pulse::bench {

// The q-quantile (0 < q <= 1) of samples by the nearest-rank method: the
// smallest sample that at least q of all samples are <= to. samples must not
// be empty; it is sorted in place.
inline double quantile(std::vector<double>& samples, double q) {
    std::sort(samples.begin(), samples.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

// Prints "<label> n=N p50_ms=… p90_ms=… p99_ms=… max_ms=…" on stdout.
inline void print_summary(const char* label, std::vector<double> samples_ms) {
    std::printf("%s n=%zu p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", label, samples_ms.size(),
                quantile(samples_ms, 0.50), quantile(samples_ms, 0.90), quantile(samples_ms, 0.99),
                quantile(samples_ms, 1.0));
}

}  // namespace pulse::bench
