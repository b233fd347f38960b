// test_simulate.cpp — headless simulations that tap through sessions with the
// real UI and check what reached the database.
#include "sim_env.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <set>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_simulate {

using namespace pulse;
using namespace pulse::test;

TEST_CASE("a session of an answer (the first tap, on attract), a don't know and a skip stores exactly two rows, and nothing else") {
    SimEnv env;
    SimResult r = env.simulate("tap answer-4\nwait 0.4\ntap dont-know\nwait 0.4\ntap skip\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "{\"screen\":\"thanks\",\"answers_stored\":2}\n");
    std::vector<Row> rows = env.rows();
    REQUIRE(rows.size() == 2);
    int dont_know = 0, fours = 0;
    // 8-4-4-4-12 lower-case hex, version 4, variant 10xx.
    auto is_uuid_v4 = [](const std::string& s) {
        if (s.size() != 36) return false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash != (s[i] == '-')) return false;
            if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
            if (!dash && std::isupper(static_cast<unsigned char>(s[i]))) return false;
        }
        return s[14] == '4' && std::string("89ab").find(s[19]) != std::string::npos;
    };
    for (const Row& row : rows) {
        CHECK(is_uuid_v4(row.id));
        CHECK(row.lang == "da");
        CHECK(row.hour == *parse_iso8601("2026-11-27T09:00:00Z"));  // 09:41 stored as 09:00
        if (!row.value) ++dont_know;
        else if (*row.value == 4) ++fours;
    }
    CHECK(dont_know == 1);
    CHECK(fours == 1);
    CHECK(rows[0].question != rows[1].question);
}

TEST_CASE("the five answer buttons store the values 1 to 5") {
    SimEnv env;
    std::string script;
    for (int v = 1; v <= 5; ++v) script += "tap answer-" + std::to_string(v) + "\nwait 0.4\ntap skip\ntap skip\nwait 10\n";
    SimResult r = env.simulate(script);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::multiset<int> values;
    for (const Row& row : env.rows()) values.insert(*row.value);
    CHECK(values == std::multiset<int>{1, 2, 3, 4, 5});
}

TEST_CASE("a session left in the middle returns to attract after the idle warning and keeps the answers already given") {
    SimEnv env;
    SimResult r = env.simulate("tap answer-2\nwait 19.9\ntap answer-5\nwait 30.4\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "{\"screen\":\"attract\",\"answers_stored\":2}\n");
    CHECK(env.rows().size() == 2);
}

TEST_CASE("idle on a question: the warning at 20 s, 10 s to continue, then attract; a tap on continue keeps the session") {
    SimEnv env;
    // Statement 2 shows once the first answer's check mark is over (0.4 s);
    // the warning comes 20 s after that, and the session ends 10 s later.
    CHECK(env.simulate("tap answer-1\nwait 20.399\n").out == "{\"screen\":\"question\",\"answers_stored\":0}\n");
    SimResult warned = env.simulate("tap answer-1\nwait 20.4\ntap still-here\nwait 19.9\n");
    REQUIRE_MESSAGE(warned.exit_code == 0, warned.err);
    CHECK(warned.out == "{\"screen\":\"question\",\"answers_stored\":0}\n");
    CHECK(env.simulate("tap answer-1\nwait 30.399\n").out == "{\"screen\":\"question\",\"answers_stored\":0}\n");
    CHECK(env.simulate("tap answer-1\nwait 30.4\n").out == "{\"screen\":\"attract\",\"answers_stored\":1}\n");
}

TEST_CASE("back changes the previous answer in memory: the session stores the new one only") {
    SimEnv env;
    SimResult r = env.simulate("tap answer-5\nwait 0.4\ntap back\ntap answer-1\nwait 0.4\ntap skip\ntap skip\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::vector<Row> rows = env.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].value == 1);
}

TEST_CASE("after thanks, 'Fortryd' for 10 s and nothing else to tap; then the next statement; undo removes the session") {
    SimEnv env;
    SimResult r = env.simulate("tap answer-3\nwait 0.4\ntap skip\ntap skip\nwait 3\ntap 640 200\n");
    REQUIRE_MESSAGE(r.exit_code == 1, r.err);  // only "Fortryd" to tap on the thanks screen
    CHECK(r.err.find("on the thanks screen") != std::string::npos);
    r = env.simulate("tap answer-3\nwait 0.4\ntap skip\ntap skip\nwait 9.9\n");
    CHECK(r.out == "{\"screen\":\"thanks\",\"answers_stored\":1}\n");
    r = env.simulate("tap answer-3\nwait 0.4\ntap skip\ntap skip\nwait 10\ntap answer-2\nwait 0.4\n");
    CHECK(r.out == "{\"screen\":\"question\",\"answers_stored\":1}\n");  // the new session's answer waits for its end
    const std::size_t before = env.rows().size();
    r = env.simulate("tap answer-1\nwait 0.4\ntap answer-2\nwait 0.4\ntap dont-know\nwait 0.4\nwait 6\ntap undo\nwait 3\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "{\"screen\":\"cooldown\",\"answers_stored\":0}\n");  // "removed", then the cooldown
    CHECK(env.rows().size() == before);  // exactly the session's three are gone, the earlier ones kept
}

TEST_CASE("switching to English stores English answers, and the next session starts in Danish again") {
    SimEnv env;
    SimResult r = env.simulate(
        "tap lang-en\ntap answer-3\nwait 0.4\ntap lang-da\ntap answer-1\nwait 0.4\ntap skip\nwait 10\ntap answer-5\nwait 0.4\n"
        "wait 30\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::multiset<std::string> langs;
    for (const Row& row : env.rows()) langs.insert(row.lang);
    CHECK(langs == std::multiset<std::string>{"en", "da", "da"});
}

TEST_CASE("a tap on an element that is not on the screen names the script line and exits 1") {
    SimEnv env;
    SimResult r = env.simulate("tap answer-3\n\nwait 0.4\ntap start\n");
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find("script-1.txt:4: no element 'start' on the question screen (there: answer-1") !=
                  std::string::npos, r.err);
}

TEST_CASE("a tap on nothing names the script line and exits 1") {
    SimEnv env;
    SimResult r = env.simulate("tap 5 1070\n");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("script-1.txt:1: nothing to tap at (5, 1070) on the attract screen") != std::string::npos);
}

TEST_CASE("a bad config stops simulate with exit 2 before anything runs") {
    SimEnv env("per_session = 9\n");
    SimResult r = env.simulate("tap answer-1\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("per_session") != std::string::npos);
    CHECK(r.err.find(env.config.string() + ":") == 0);
    CHECK_FALSE(std::filesystem::exists(env.db));
}

TEST_CASE("one session never asks the same question twice and spreads the themes") {
    SimEnv env;
    for (int s = 0; s < 10; ++s) {
        SimResult r = env.simulate("tap answer-3\nwait 0.4\ntap answer-3\nwait 0.4\ntap answer-3\nwait 0.4\n", "", 100 + s);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    // 10 sessions x 3 answers in one hour: the rotation gives 30 distinct questions' worth of spread.
    std::map<std::string, int> per_question;
    for (const Row& row : env.rows()) ++per_question[row.question];
    CHECK(env.rows().size() == 30);
    for (const auto& [q, n] : per_question) CHECK_MESSAGE(n <= 2, q);  // 28 questions, 30 answers
}

namespace {

// A stored row without its id, which is random in every run.
std::string content_of(const Row& row) {
    return row.question + "|" + (row.value ? std::to_string(*row.value) : "null") + "|" + row.lang + "|" +
           std::to_string(row.hour);
}

std::multiset<std::string> contents_of(const std::vector<Row>& rows) {
    std::multiset<std::string> contents;
    for (const Row& row : rows) contents.insert(content_of(row));
    return contents;
}

}  // namespace

TEST_CASE("the same script, config, seed and time give the same rows but for their ids, and byte-identical screenshots") {
    SimEnv a, b;
    const std::string script =
        "shot attract\ntap answer-2\nshot q1\nwait 0.4\nshot q2\ntap dont-know\nwait 0.4\ntap skip\nshot thanks\n";
    SimResult ra = a.simulate(script, "", 42, "2026-11-27T09:41:00Z", 0, 0, a.dir / "shots");
    SimResult rb = b.simulate(script, "", 42, "2026-11-27T09:41:00Z", 0, 0, b.dir / "shots");
    REQUIRE_MESSAGE(ra.exit_code == 0, ra.err);
    REQUIRE_MESSAGE(rb.exit_code == 0, rb.err);
    for (const char* name : {"attract", "q1", "q2", "thanks"}) {
        auto read = [](const std::filesystem::path& p) {
            std::ifstream in(p, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        const std::string pa = read(a.dir / "shots" / (std::string(name) + ".png"));
        CHECK(pa.size() > 1000);
        CHECK_MESSAGE(pa == read(b.dir / "shots" / (std::string(name) + ".png")), name);
    }
    // Rows come back in id order, which is random: compare them as sets.
    std::vector<Row> rows_a = a.rows(), rows_b = b.rows();
    REQUIRE(rows_a.size() == 2);
    REQUIRE(rows_b.size() == 2);
    CHECK(contents_of(rows_a) == contents_of(rows_b));
    // A different seed chooses different questions.
    SimEnv c;
    REQUIRE(c.simulate(script, "", 43, "2026-11-27T09:41:00Z", 0, 0, c.dir / "shots").exit_code == 0);
    CHECK(contents_of(c.rows()) != contents_of(rows_a));
}

TEST_CASE("two identical simulations (same seed, same time, same script) store different ids") {
    SimEnv a, b;
    const std::string script = "tap answer-2\nwait 0.4\ntap dont-know\nwait 0.4\ntap answer-5\nwait 0.4\n";
    REQUIRE(a.simulate(script, "", 42, "2026-11-27T09:41:00Z").exit_code == 0);
    REQUIRE(b.simulate(script, "", 42, "2026-11-27T09:41:00Z").exit_code == 0);
    const std::vector<Row> rows_a = a.rows(), rows_b = b.rows();
    REQUIRE(rows_a.size() == 3);
    REQUIRE(rows_b.size() == 3);
    CHECK(contents_of(rows_a) == contents_of(rows_b));  // the same answers...
    std::set<std::string> ids;
    for (const Row& row : rows_a) ids.insert(row.id);
    for (const Row& row : rows_b) ids.insert(row.id);
    CHECK(ids.size() == 6);  // ...under ids that nothing in the two runs repeats

    // A rerun on the same database with the same seed draws new ids too.
    REQUIRE(a.simulate(script, "", 42, "2026-11-27T09:41:00Z").exit_code == 0);
    std::set<std::string> again;
    for (const Row& row : a.rows()) again.insert(row.id);
    CHECK(again.size() == 6);
}

TEST_CASE("an unwritable database shows out of order, keeps the kiosk running, and stores nothing silently") {
    SimEnv env("", "/proc/version/answers.sqlite3");  // a folder that is a file: never writable
    SimResult r = env.simulate("wait 1\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "{\"screen\":\"out_of_order\",\"answers_stored\":0}\n");
    CHECK(r.err.find("out of order [DB-") != std::string::npos);
    SimResult tap = env.simulate("tap answer-1\n");
    CHECK(tap.exit_code == 1);  // there is nothing to tap while out of order
}

TEST_CASE("a corrupt database is moved aside with a timestamped name, logged, and answers go to a fresh one") {
    SimEnv env;
    std::ofstream(env.db, std::ios::binary) << std::string(8192, '\x5A');
    SimResult r = env.simulate("tap answer-5\nwait 0.4\ntap skip\ntap skip\n");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("the database was corrupt: moved aside to") != std::string::npos);
    bool found = false;
    for (const auto& entry : std::filesystem::directory_iterator(env.dir)) {
        if (entry.path().filename().string().rfind("answers.sqlite3.corrupt-", 0) == 0) {
            found = true;
            CHECK(std::filesystem::file_size(entry.path()) == 8192);
        }
    }
    CHECK(found);
    CHECK(env.rows().size() == 1);
}

}  // namespace kiosk_test_simulate
