// test_terminal_ids.cpp — where answer ids come from: the kernel's CSPRNG,
// never the seeded generator that makes rotation repeatable, and what the
// terminal does when no id can be drawn (keeps the answer, out of order,
// stores it once ids come back). The shipped bank, an inline writer, a real
// SQLite file in a fresh folder.
#include "terminal/terminal.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_terminal_ids {

using namespace pulse;

namespace {

constexpr UnixSeconds kWall = 1795773599;  // 2026-11-27T09:59:59Z, the last second of an hour

const QuestionBank& shipped_bank() {
    static const BankLoad load = load_question_bank(std::filesystem::path(PULSE_SOURCE_DIR) / "config/questions.toml");
    REQUIRE_MESSAGE(load.bank, "the shipped question bank does not load");
    return *load.bank;
}

Intent tap(Intent::Action action, int value = 0) {
    Intent i;
    i.action = action;
    i.value = value;
    return i;
}

// A terminal on its own database, seeded with seed, ids from new_id.
struct Rig {
    pulse::testing::TempDir dir{"pulse-terminal-test"};
    std::filesystem::path db = dir.path / "answers.sqlite3";
    std::vector<std::string> log;
    std::unique_ptr<Terminal> terminal;

    explicit Rig(std::uint64_t seed, IdSource new_id = IdSource(&random_uuid_v4)) {
        FlowSettings settings;
        settings.per_session = 3;
        terminal = std::make_unique<Terminal>(shipped_bank(), settings, make_inline_writer(db), Rng(seed),
                                              std::map<std::string, int>{}, 0, kWall,
                                              [this](const std::string& line) { log.push_back(line); },
                                              std::move(new_id));
    }

    // A tap at now and the end of its check mark (the flow moves on).
    void give(const Intent& intent, Millis now) {
        terminal->apply(intent, now, kWall);
        terminal->update(now + terminal->flow().settings.confirm_ms, kWall);
    }

    // One session of three answers at the same instants on every rig (the
    // first on the attract screen).
    void answer_three() {
        give(tap(Intent::Action::answer, 4), 1000);
        give(tap(Intent::Action::dont_know), 2000);
        give(tap(Intent::Action::answer, 2), 3000);
    }

    std::vector<Answer> stored() {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
        REQUIRE_MESSAGE(store, status.message);
        return store->all_answers();
    }
};

std::multiset<std::string> questions_of(const std::vector<Answer>& answers) {
    std::multiset<std::string> questions;
    for (const Answer& a : answers) questions.insert(a.question + "=" + (a.value ? std::to_string(*a.value) : "?"));
    return questions;
}

}  // namespace

TEST_CASE("random_uuid_v4 gives well-formed version 4 ids that never repeat") {
    std::set<std::string> ids;
    for (int i = 0; i < 2000; ++i) {
        std::string error = "unchanged";
        const std::string id = random_uuid_v4(&error);
        REQUIRE(is_uuid(id));
        CHECK(id[14] == '4');
        CHECK(std::string("89ab").find(id[19]) != std::string::npos);
        CHECK(error == "unchanged");  // set only on failure
        CHECK(ids.insert(id).second);
    }
}

TEST_CASE("two terminals with the same seed and the same taps ask the same questions but store different ids") {
    Rig a(42), b(42);
    a.answer_three();
    b.answer_three();
    const std::vector<Answer> in_a = a.stored(), in_b = b.stored();
    REQUIRE(in_a.size() == 3);
    REQUIRE(in_b.size() == 3);
    CHECK(questions_of(in_a) == questions_of(in_b));  // the seed still fixes the rotation
    std::set<std::string> ids;
    for (const Answer& x : in_a) ids.insert(x.id);
    for (const Answer& x : in_b) ids.insert(x.id);
    CHECK(ids.size() == 6);  // no id repeats across the two
    for (const std::string& id : ids) CHECK(is_uuid(id));
}

TEST_CASE("an answer whose id cannot be drawn is kept, the terminal is out of order, and it is stored once ids come back") {
    bool failing = false;
    int drawn = 0;
    Rig rig(7, [&](std::string* error) -> std::string {
        if (failing) {
            if (error) *error = "getrandom refused in this test";
            return "";
        }
        ++drawn;
        return random_uuid_v4(error);
    });
    Terminal& t = *rig.terminal;
    rig.give(tap(Intent::Action::answer, 5), 1000);
    rig.give(tap(Intent::Action::answer, 3), 2000);
    CHECK(rig.stored().empty());  // a session's answers leave the terminal's memory when it ends

    failing = true;
    rig.give(tap(Intent::Action::answer, 1), 3000);  // the session ends at 3400: its three answers need ids
    CHECK(t.flow().screen == Screen::out_of_order);
    CHECK(t.flow().fault_code == "RNG");
    CHECK(rig.stored().empty());  // never stored under a made-up id
    REQUIRE_FALSE(rig.log.empty());
    CHECK(rig.log.back().find("out of order [RNG]") != std::string::npos);
    CHECK(rig.log.back().find("getrandom refused in this test") != std::string::npos);
    REQUIRE(t.next_deadline().has_value());
    CHECK(*t.next_deadline() == 4400);  // it tries again a second later

    CHECK_FALSE(t.update(4000, kWall + 1));  // not yet
    t.update(4400, kWall + 2);               // still failing: stays out of order
    CHECK(t.flow().screen == Screen::out_of_order);
    CHECK(rig.stored().empty());

    failing = false;
    CHECK(t.update(5400, kWall + 3));  // 10:00:02 now, but the answers were handed over at 09:59:59
    CHECK(t.flow().screen == Screen::attract);
    CHECK(t.flow().fault_code.empty());
    CHECK(t.flow().unsaved == 0);
    const std::vector<Answer> stored = rig.stored();
    REQUIRE(stored.size() == 3);
    for (const Answer& a : stored) {
        CHECK(a.hour == truncate_to_hour(kWall));
        CHECK(is_uuid(a.id));
    }
    CHECK(std::count_if(stored.begin(), stored.end(), [](const Answer& a) { return a.value == 1; }) == 1);
    CHECK(drawn == 3);
    CHECK(rig.log.back().find("random ids can be drawn again") != std::string::npos);
    CHECK_FALSE(t.next_deadline().has_value());  // resting on attract, nothing due
}

TEST_CASE("a kiosk stopped mid-session stores the answers given so far, the one under its check mark too, and nothing else") {
    Rig rig(11);
    Terminal& t = *rig.terminal;
    t.shutdown(500, kWall);  // attract, nothing answered: nothing to store
    CHECK(rig.stored().empty());
    rig.give(tap(Intent::Action::answer, 5), 1000);
    t.apply(tap(Intent::Action::answer, 2), 2000, kWall);  // its check mark still shows
    REQUIRE(t.flow().confirming);
    CHECK(rig.stored().empty());  // a session's answers are in memory until it ends
    t.shutdown(2100, kWall);      // SIGTERM: cmd_run's SDL_QUIT
    CHECK(t.flow().screen == Screen::attract);
    t.update(2200, kWall);
    const std::vector<Answer> stored = rig.stored();
    REQUIRE(stored.size() == 2);
    CHECK(questions_of(stored).count(stored[0].question + "=" + std::to_string(*stored[0].value)) == 1);
    std::multiset<int> values;
    for (const Answer& a : stored) values.insert(a.value.value_or(0));
    CHECK(values == std::multiset<int>{2, 5});
    for (const Answer& a : stored) CHECK(a.hour == truncate_to_hour(kWall));
    t.shutdown(2300, kWall);  // twice: nothing more
    CHECK(rig.stored().size() == 2);
}

// Whether the bytes of file (and its WAL) hold text anywhere.
bool file_holds(const std::filesystem::path& file, const std::string& text) {
    for (const std::filesystem::path& p : {file, std::filesystem::path(file.string() + "-wal")}) {
        std::ifstream in(p, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (bytes.find(text) != std::string::npos) return true;
    }
    return false;
}

TEST_CASE("undo removes exactly the session's answers, at an hour's last second too, and leaves no trace in the file") {
    Rig rig(23);  // the default undo window: 10 s
    Terminal& t = *rig.terminal;
    rig.answer_three();  // a first session, kept
    t.update(20'000, kWall);
    const std::vector<Answer> kept = rig.stored();
    REQUIRE(kept.size() == 3);
    t.update(40'000, kWall);  // its undo window closed
    REQUIRE(t.flow().screen == Screen::attract);
    CHECK_FALSE(t.undo_hour());

    // A second session ends at 09:59:59; its hour ends inside the undo window.
    rig.give(tap(Intent::Action::answer, 1), 41'000);
    rig.give(tap(Intent::Action::answer, 1), 42'000);
    rig.give(tap(Intent::Action::answer, 2), 43'000);
    t.update(43'500, kWall);
    REQUIRE(t.flow().screen == Screen::thanks);
    REQUIRE(t.flow().undo_offered);
    CHECK(t.undo_hour() == truncate_to_hour(kWall));  // the uploader holds that hour back (cmd_run)
    std::vector<Answer> undone;
    for (const Answer& a : rig.stored()) {
        if (std::none_of(kept.begin(), kept.end(), [&](const Answer& k) { return k.id == a.id; })) undone.push_back(a);
    }
    REQUIRE(undone.size() == 3);
    for (const Answer& a : undone) CHECK(file_holds(rig.db, a.id));  // the check can see an id

    CHECK(t.apply(tap(Intent::Action::undo), 50'000, kWall + 5));  // 10:00:04
    CHECK(t.flow().undone);
    CHECK_FALSE(t.undo_hour());
    t.update(50'100, kWall + 5);
    const std::vector<Answer> after = rig.stored();
    REQUIRE(after.size() == 3);
    for (const Answer& a : after) {
        CHECK(std::any_of(kept.begin(), kept.end(), [&](const Answer& k) { return k.id == a.id; }));
    }
    // Not in a page, a free page or the WAL: the file was rebuilt after the removal.
    for (const Answer& a : undone) CHECK_FALSE(file_holds(rig.db, a.id));
    for (const Answer& a : kept) CHECK(file_holds(rig.db, a.id));
    // Nothing about it in the log.
    for (const std::string& line : rig.log) CHECK(line.find("undo") == std::string::npos);
}

}  // namespace terminal_test_terminal_ids
