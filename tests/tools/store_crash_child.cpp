// store_crash_child.cpp — a writer for the store's crash test, which kills it
// with SIGKILL at a random moment. Usage: store_crash_child DB_PATH SEED
// It inserts batches of 1..3 answers forever and, only after insert()
// returned ok, writes each committed id to stdout as one line (one write(2)
// per batch, so the test never sees half a batch). Every answer of a batch
// gets the same unique `hour` and question = the batch size, so the test can
// check that each batch is stored whole or not at all.
#include "terminal/answer_store.hpp"
#include "common/random.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace {

// Writes all of text to fd 1; false if stdout is gone.
bool write_stdout(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(1, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_crash_child DB_PATH SEED\n");
        return 64;
    }
    std::uint64_t seed = 0;
    try {
        seed = std::stoull(argv[2]);
    } catch (const std::exception&) {
        std::fprintf(stderr, "store_crash_child: SEED must be a number, got '%s'\n", argv[2]);
        return 64;
    }

    pulse::StoreStatus error;
    auto store = pulse::AnswerStore::open(argv[1], &error);
    if (!store) {
        std::fprintf(stderr, "store_crash_child: %s\n", error.message.c_str());
        return 2;
    }

    pulse::Rng rng(seed);
    // Unique per run and batch: the seed picks a block of hours far from others.
    pulse::UnixSeconds batch_hour = static_cast<pulse::UnixSeconds>(seed % 1000000) * 1000000 * 3600;
    for (;;) {
        int batch_size = static_cast<int>(rng() % 3) + 1;
        batch_hour += 3600;
        std::vector<pulse::Answer> batch;
        std::string lines;
        for (int i = 0; i < batch_size; ++i) {
            pulse::Answer a;
            a.id = pulse::uuid_v4(rng);
            a.question = std::to_string(batch_size);
            int v = static_cast<int>(rng() % 6);
            if (v > 0) a.value = v;  // 0 = "don't know"
            a.lang = rng() % 2 ? "da" : "en";
            a.hour = batch_hour;
            lines += a.id + "\n";
            batch.push_back(std::move(a));
        }
        pulse::StoreStatus status = store->insert(batch);
        if (!status) {
            std::fprintf(stderr, "store_crash_child: %s\n", status.message.c_str());
            return 3;
        }
        if (!write_stdout(lines)) return 0;
    }
}
