// test_fleet_store.cpp — the store's silence alerts (store.hpp, [SECTION]
// Silence alerts) on a real database: a claim is taken once, across store
// objects and threads; ending one is reported once; they outlive a reopen.
// Suite "store": these run again on PostgreSQL (tests/CMakeLists.txt).
#include "collector_fixture.hpp"
#include "collector/storage/store.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_fleet_store {

using namespace pulse;
using namespace pulse::testing;

TEST_CASE("store: a silence alert is claimed once, listed, kept across a reopen and ended once" *
          doctest::test_suite("store")) {
    FreshStore db;
    std::string error;
    REQUIRE_MESSAGE(db.store->silence_alerts(&error), error);
    CHECK(db.store->silence_alerts(&error)->empty());

    const std::optional<bool> first = db.store->claim_silence_alert({"term-b", 1000, 8200}, &error);
    REQUIRE_MESSAGE(first, error);
    CHECK(*first);
    CHECK(db.store->claim_silence_alert({"term-a", 2000, 9200}, &error) == std::optional<bool>(true));
    // A second claim changes nothing, even with other times.
    CHECK(db.store->claim_silence_alert({"term-b", 5000, 9999}, &error) == std::optional<bool>(false));

    // Another store object on the database (a restart, or a second instance) sees both, by terminal.
    std::unique_ptr<CollectorStore> reopened = db.open();
    std::optional<std::vector<SilenceAlert>> alerts = reopened->silence_alerts(&error);
    REQUIRE_MESSAGE(alerts, error);
    REQUIRE(alerts->size() == 2);
    CHECK((*alerts)[0].terminal == "term-a");
    CHECK((*alerts)[1].terminal == "term-b");
    CHECK((*alerts)[1].last_heartbeat == 1000);
    CHECK((*alerts)[1].alerted_at == 8200);
    CHECK(reopened->claim_silence_alert({"term-b", 1000, 8200}, &error) == std::optional<bool>(false));

    CHECK(reopened->end_silence_alert("term-b", &error) == std::optional<bool>(true));
    CHECK(db.store->end_silence_alert("term-b", &error) == std::optional<bool>(false));
    CHECK(db.store->end_silence_alert("never-alerted", &error) == std::optional<bool>(false));
    alerts = db.store->silence_alerts(&error);
    REQUIRE(alerts);
    REQUIRE(alerts->size() == 1);
    CHECK((*alerts)[0].terminal == "term-a");

    // The heartbeats are untouched by all this, and the other way round.
    CHECK(db.store->heartbeats(&error)->empty());
    REQUIRE(db.store->put_heartbeat({"term-a", "{}", 3000}, &error));
    CHECK(db.store->silence_alerts(&error)->size() == 1);
}

TEST_CASE("store: of concurrent claims of one silence alert exactly one wins" * doctest::test_suite("store")) {
    FreshStore db;
    constexpr int kInstances = 4;
    std::vector<std::unique_ptr<CollectorStore>> stores;
    for (int i = 0; i < kInstances; ++i) stores.push_back(db.open());
    for (int round = 0; round < 5; ++round) {
        std::atomic<int> claimed{0}, failed{0}, ended{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kInstances; ++i) {
            threads.emplace_back([&, i] {
                std::string error;
                const std::optional<bool> won = stores[static_cast<std::size_t>(i)]->claim_silence_alert(
                    {"term-a", 100 + round, 7300 + round}, &error);
                if (!won) ++failed;
                else if (*won) ++claimed;
            });
        }
        for (std::thread& t : threads) t.join();
        CHECK(failed == 0);
        CHECK(claimed == 1);
        threads.clear();
        for (int i = 0; i < kInstances; ++i) {
            threads.emplace_back([&, i] {
                std::string error;
                const std::optional<bool> won = stores[static_cast<std::size_t>(i)]->end_silence_alert("term-a", &error);
                if (!won) ++failed;
                else if (*won) ++ended;
            });
        }
        for (std::thread& t : threads) t.join();
        CHECK(failed == 0);
        CHECK(ended == 1);
    }
}

}  // namespace collector_test_fleet_store
