// test_end_to_end.cpp — the whole path with the real binaries: `pulse-kiosk
// simulate` answers on a headless kiosk, `pulse-kiosk sync` uploads to a
// collector running in this process on 127.0.0.1, and what the collector
// stores and summarises matches the kiosk's own database row for row.
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"
#include "process.hpp"
#include "collector/http/server.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_end_to_end {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

// The collector's clock: the afternoon of the day the kiosk answers on, so
// the answers' hours are neither in the future nor too old.
constexpr const char* kKioskNow = "2026-11-24T09:30:00Z";  // Tuesday of 2026-W48
const UnixSeconds kCollectorNow = *parse_iso8601("2026-11-24T12:00:00Z");
constexpr IsoWeek kWeek{2026, 48};

// A (question, value) pair; value 0 = "ved ikke".
using Key = std::pair<std::string, int>;

// Answers per (question, value) in the kiosk's database, read with SQLite.
std::map<Key, std::int64_t> kiosk_counts(const std::filesystem::path& db_file) {
    sqlite3* db = nullptr;
    REQUIRE_MESSAGE(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
                    "cannot open ", db_file.string());
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT question, COALESCE(value, 0), COUNT(*) FROM answers GROUP BY 1, 2", -1,
                               &st, nullptr) == SQLITE_OK);
    std::map<Key, std::int64_t> counts;
    while (sqlite3_step(st) == SQLITE_ROW) {
        counts[{reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), sqlite3_column_int(st, 1)}] =
            sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return counts;
}

// One session: two values (the first on the attract screen) and a "ved
// ikke" (3 questions per session), each with its check mark's wait, then
// long enough for the thank-you screen and the cooldown to pass.
std::string session_script(int n) {
    return "tap answer-" + std::to_string(1 + n % 5) + "\nwait 0.4\ntap answer-" + std::to_string(1 + (n * 3 + 2) % 5) +
           "\nwait 0.4\ntap dont-know\nwait 12\n";
}

}  // namespace

TEST_CASE("answers given on the simulated kiosk and synced reach the collector's counts and summary unchanged" *
          doctest::test_suite("store")) {
    // The collector, on a free port, with term-a (workplace wp-a) registered.
    CollectorConfig config = test_collector_config();
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    std::atomic<UnixSeconds> collector_now{kCollectorNow};
    CollectorServer server(config, *store, [&] { return collector_now.load(); }, [](const std::string&) {});
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(server.port());

    // The kiosk: term-a's config, its token in a file only it may read. A
    // small window: this test is about the data, and 60 sessions of frames
    // are most of its time (under ASan above all).
    const std::filesystem::path dir = temp_folder();
    write_file(dir / "token", kTerminalToken + "\n");
    std::filesystem::permissions(dir / "token", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const std::filesystem::path kiosk_config =
        write_file(dir / "terminal.toml", "[terminal]\nid = \"term-a\"\nworkplace = \"wp-a\"\nlanguage = \"da\"\n\n"
                                          "[pulse]\nquestions = \"" PULSE_SOURCE_DIR "/config/questions.toml\"\n\n"
                                          "[storage]\ndatabase = \"answers.sqlite3\"\n\n"
                                          "[display]\nfullscreen = false\nwidth = 800\nheight = 500\n"
                                          "diagonal_inch = 21.5\n\n"
                                          "[upload]\nendpoint = \"" + endpoint + "\"\ntoken_file = \"token\"\n"
                                          "batch_size = 50\nbackoff_min_s = 1\nbackoff_max_s = 2\n");
    const std::vector<std::string> headless = {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"};

    // 3 runs × 20 sessions × 3 answers over the bank's 28 questions: the
    // rotation spreads them evenly, so most questions pass the threshold of 5.
    constexpr int kRuns = 3, kSessions = 20;
    for (int run = 0; run < kRuns; ++run) {
        std::string script;
        for (int s = 0; s < kSessions; ++s) script += session_script(run * kSessions + s);
        const std::filesystem::path script_file = write_file(dir / ("script-" + std::to_string(run) + ".txt"), script);
        const ProcessResult r = run_process({PULSE_KIOSK_EXE, "simulate", "--config", kiosk_config.string(), "--script",
                                             script_file.string(), "--seed", std::to_string(11 + run), "--now",
                                             kKioskNow},
                                            headless, dir, 180);  // a safety net for slow builds (ASan), not a timing claim
        REQUIRE_MESSAGE(r.exit_code == 0, "simulate run ", run, ": ", r.out, r.err);
        CHECK(r.out == "{\"screen\":\"attract\",\"answers_stored\":" + std::to_string(kSessions * 3) + "}\n");
    }

    const std::map<Key, std::int64_t> kiosk = kiosk_counts(dir / "answers.sqlite3");
    std::int64_t kiosk_total = 0, kiosk_dont_know = 0;
    std::map<std::string, std::int64_t> kiosk_per_question;
    for (const auto& [key, n] : kiosk) {
        kiosk_total += n;
        kiosk_per_question[key.first] += n;
        if (key.second == 0) kiosk_dont_know += n;
    }
    REQUIRE(kiosk_total == kRuns * kSessions * 3);
    CHECK(kiosk_dont_know == kRuns * kSessions);

    const ProcessResult sync =
        run_process({PULSE_KIOSK_EXE, "sync", "--config", kiosk_config.string(), "--timeout", "30"}, headless, dir, 60);
    REQUIRE_MESSAGE(sync.exit_code == 0, "sync: ", sync.out, sync.err);

    // What the collector stored, per (question, value), in that week.
    std::map<Key, std::int64_t> collected;
    for (const AnswerCount& c : store->counts("wp-a", kWeek, 0)) {
        if (c.week_offset == 0) collected[{c.question, c.value.value_or(0)}] += c.n;
    }
    CHECK(collected == kiosk);
    CHECK(store->answers_in_week("wp-a", kWeek) == kiosk_total);

    // The manager's summary over HTTP, once the week is published, tells the same numbers.
    collector_now = *parse_iso8601("2026-11-30T06:00:00Z");  // Monday 07:00 Copenhagen
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(30, 0);
    const httplib::Result r = client.Get("/v1/workplaces/wp-a/summary?week=2026-W48",
                                         httplib::Headers{{"Authorization", "Bearer " + kManagerToken}});
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    REQUIRE_MESSAGE(r->status == 200, r->body);
    const json summary = json::parse(r->body);
    CHECK(summary["answers"] == kiosk_total);
    int shown = 0, withheld = 0;
    for (const json& theme : summary["themes"]) {
        for (const json& q : theme["questions"]) {
            const std::string id = q["id"];
            if (q["withheld"] == true) {
                ++withheld;
                CHECK_MESSAGE(!q.contains("n"), id);
                continue;
            }
            ++shown;
            CHECK_MESSAGE(q["n"].get<std::int64_t>() + q["dont_know"].get<std::int64_t>() == kiosk_per_question[id], id);
            for (int v = 1; v <= 5; ++v) {
                const auto it = kiosk.find({id, v});
                CHECK_MESSAGE(q["distribution"][v - 1] == (it == kiosk.end() ? 0 : it->second), id, " value ", v);
            }
            const auto dk = kiosk.find({id, 0});
            CHECK_MESSAGE(q["dont_know"] == (dk == kiosk.end() ? 0 : dk->second), id);
        }
    }
    CHECK_MESSAGE(shown > 0, "no question passed the anonymity threshold: ", r->body);
    MESSAGE("questions shown: ", shown, ", withheld: ", withheld, ", answers: ", kiosk_total);
    server.stop();
}

}  // namespace collector_test_end_to_end
