// collector_fixture.hpp — for the collector tests: a config with two
// workplaces ("Borgerservice" wp-a, "Biblioteket" wp-b), a terminal of each,
// a manager of wp-a (leder.a@ishoj.dk), HR and an admin, written to a temp
// folder with the project's question bank and a fresh database
// (test_database.hpp); the project's summary texts; batch bodies to upload;
// gzip; log lines collected from any thread.
#pragma once

#include "collector/config.hpp"
#include "collector/storage/store.hpp"
#include "collector/summary/summary_texts.hpp"
#include "common/sha256.hpp"
#include "temp_file.hpp"
#include "test_database.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cstdio>
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace pulse::testing {

inline const std::string kTerminalToken = "terminal-token-a";    // terminal "term-a", workplace "wp-a"
inline const std::string kOtherTerminalToken = "terminal-token-b";  // terminal "term-b", workplace "wp-b"
inline const std::string kManagerToken = "manager-token-a";      // reads wp-a only
inline const std::string kHrToken = "hr-token";                  // HR: reads every workplace
inline const std::string kAdminToken = "admin-token";            // IT: the overview, no results

// The config's text; database relative to the config file, by default a new
// empty one (SQLite, or PostgreSQL in the "postgres: " runs).
inline std::string collector_config_text(const std::string& database = fresh_test_database()) {
    return "[server]\nlisten = \"127.0.0.1\"\nport = 0\n"
           "[storage]\ndatabase = \"" + database + "\"\n"
           "[anonymity]\nmin_answers = 5\n"
           "[bank]\nquestions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]\n"
           "[[workplace]]\nid = \"wp-a\"\nname = \"Borgerservice\"\n"
           "[[workplace]]\nid = \"wp-b\"\nname = \"Biblioteket\"\n"
           "[[terminal]]\nid = \"term-a\"\nworkplace = \"wp-a\"\ntoken_sha256 = \"" + sha256_hex(kTerminalToken) + "\"\n"
           "[[terminal]]\nid = \"term-b\"\nworkplace = \"wp-b\"\ntoken_sha256 = \"" + sha256_hex(kOtherTerminalToken) + "\"\n"
           "[[manager]]\nname = \"Leder A\"\nemail = \"leder.a@ishoj.dk\"\ntoken_sha256 = \"" + sha256_hex(kManagerToken) + "\"\nworkplaces = [\"wp-a\"]\n"
           "[[hr]]\nname = \"HR\"\nemail = \"hr@ishoj.dk\"\ntoken_sha256 = \"" + sha256_hex(kHrToken) + "\"\n"
           "[[admin]]\nname = \"IT\"\nemail = \"it@ishoj.dk\"\ntoken_sha256 = \"" + sha256_hex(kAdminToken) + "\"\n";
}

// Log lines, collected from any thread.
struct LogLines {
    mutable std::mutex mutex;
    std::vector<std::string> lines;

    std::function<void(const std::string&)> sink() {
        return [this](const std::string& line) {
            std::lock_guard<std::mutex> lock(mutex);
            lines.push_back(line);
        };
    }
    std::vector<std::string> all() const {
        std::lock_guard<std::mutex> lock(mutex);
        return lines;
    }
    bool has(const std::string& fragment) const {
        const std::vector<std::string> copy = all();
        return std::any_of(copy.begin(), copy.end(), [&](const std::string& l) { return l.find(fragment) != std::string::npos; });
    }
    std::string text() const {
        std::string out;
        for (const std::string& l : all()) out += l + "\n";
        return out;
    }
};

// The loaded config in a new temp folder (its database beside it).
inline CollectorConfig test_collector_config() {
    CollectorConfigLoad load = load_collector_config(write_temp(collector_config_text(), "collector.toml"));
    REQUIRE_MESSAGE(load.config, all(load.errors));
    return *load.config;
}

// The project's summary texts (config/summary_texts.toml), loaded once: the
// words the collector uses when its config names no other file.
inline const SummaryTexts& shipped_summary_texts() {
    static const SummaryTexts texts = [] {
        SummaryTextsLoad load = load_summary_texts(PULSE_SOURCE_DIR "/config/summary_texts.toml");
        REQUIRE_MESSAGE(load.texts, all(load.errors));
        return *load.texts;
    }();
    return texts;
}

// A fresh database (a SQLite file, or a PostgreSQL schema in the "on
// PostgreSQL" runs) and a store on it; test files add their own queries.
struct FreshStore {
    std::filesystem::path folder = temp_folder();
    std::string database = fresh_test_database((folder / "collector.sqlite3").string());
    std::unique_ptr<CollectorStore> store = open();

    // Another store object on the same database (a second instance, or a restart).
    std::unique_ptr<CollectorStore> open() const {
        std::string error;
        std::unique_ptr<CollectorStore> s = open_collector_store(database, &error);
        REQUIRE_MESSAGE(s, error);
        return s;
    }
    bool postgres() const { return is_postgres_url(database); }
};

// A UUID that differs per n ("00000000-0000-4000-8000-00000000000n" in hex).
inline std::string test_uuid(unsigned n) {
    char text[37];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012x", n);
    return text;
}

// One answer as on the wire.
inline nlohmann::json wire_answer(unsigned n, const std::string& hour = "2026-11-27T09:00:00Z", int value = 4) {
    return {{"id", test_uuid(n)}, {"question", "2.3"}, {"value", value}, {"lang", "da"}, {"hour", hour}};
}

// A valid batch of term-a with `count` answers, ids first_id.. .
inline nlohmann::json wire_batch(unsigned count, unsigned first_id = 1, unsigned batch_n = 0xbad) {
    nlohmann::json answers = nlohmann::json::array();
    for (unsigned i = 0; i < count; ++i) answers.push_back(wire_answer(first_id + i));
    return {{"schema", 1}, {"terminal", "term-a"}, {"workplace", "wp-a"},
            {"batch", test_uuid(batch_n)}, {"bank", "2026.1"}, {"answers", answers}};
}

// A store without a database: counts() returns `rows` (and remembers what it
// was asked), or fails with `fail_with` when that is set; it stores nothing
// and holds no e-mail records. Sealing a week reads from `rows` the counts
// whose week_offset is that week's distance before `rows_week` (as if they
// were that week's answers) and keeps the seals in memory.
struct ScriptedStore : CollectorStore {
    std::vector<AnswerCount> rows;
    IsoWeek rows_week{2026, 48};  // rows' week_offset 0
    std::string fail_with;  // non-empty: every read fails with this message
    std::string asked_workplace;
    IsoWeek asked_week;
    int asked_weeks_before = -1;
    std::map<std::pair<std::string, IsoWeek>, SealedWeek> seals;
    std::set<IsoWeek> sealed_weeks;

    StoreResult store_batch(const std::string&, const std::string&, const std::vector<Answer>&,
                            std::optional<IsoWeek>) override {
        return {};
    }
    std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before,
                                    std::string* error) override {
        if (!fail_with.empty()) {
            if (error) *error = fail_with;
            return {};
        }
        asked_workplace = workplace;
        asked_week = week;
        asked_weeks_before = weeks_before;
        return rows;
    }
    std::int64_t answers_in_week(const std::string&, IsoWeek) override { return fail_with.empty() ? 0 : -1; }
    SealOutcome seal_week(IsoWeek week, const std::vector<std::string>& workplaces, UnixSeconds now,
                          const SealBuilder& build, std::string* error) override {
        if (!fail_with.empty()) {
            if (error) *error = fail_with;
            return SealOutcome::error;
        }
        if (sealed_weeks.count(week)) return SealOutcome::already_sealed;
        int offset = 0;
        for (IsoWeek w = week; w < rows_week && offset < 1000; w = next_week(w)) ++offset;
        std::vector<SealInput> inputs;
        for (const std::string& workplace : workplaces) {
            SealInput input;
            input.workplace = workplace;
            for (const AnswerCount& c : rows) {
                if (c.week_offset != offset || week > rows_week) continue;
                AnswerCount moved = c;
                moved.week_offset = 0;
                input.counts.push_back(moved);
            }
            IsoWeek before = week;
            for (auto& text : input.earlier) {
                before = previous_week(before);
                if (auto it = seals.find({workplace, before}); it != seals.end()) text = it->second.summary;
            }
            inputs.push_back(std::move(input));
        }
        const std::vector<std::string> texts = build(inputs);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            std::int64_t total = 0;
            for (const AnswerCount& c : inputs[i].counts) total += c.n;
            seals[{inputs[i].workplace, week}] = SealedWeek{texts.at(i), total, now};
        }
        sealed_weeks.insert(week);
        return SealOutcome::sealed;
    }
    std::optional<IsoWeek> newest_sealed_week(std::string* error) override {
        if (!fail_with.empty()) {
            if (error) *error = fail_with;
            return std::nullopt;
        }
        if (sealed_weeks.empty()) return std::nullopt;
        return *sealed_weeks.rbegin();
    }
    bool read_sealed(const std::string& workplace, IsoWeek week, bool* week_sealed, std::optional<SealedWeek>* seal,
                     std::string* error) override {
        *week_sealed = false;
        seal->reset();
        if (!fail_with.empty()) {
            if (error) *error = fail_with;
            return false;
        }
        *week_sealed = sealed_weeks.count(week) > 0;
        if (auto it = seals.find({workplace, week}); it != seals.end()) *seal = it->second;
        return true;
    }
    int claim_email(const std::string&, IsoWeek, UnixSeconds, UnixSeconds, std::string*) override { return 0; }
    bool finish_email(const std::string&, IsoWeek, int, bool, const std::string&, UnixSeconds, std::string*) override {
        return false;
    }
    std::optional<EmailRecord> email_record(const std::string&, IsoWeek) override { return std::nullopt; }
};

// bytes gzip-compressed.
inline std::string gzip(const std::string& bytes) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace pulse::testing
