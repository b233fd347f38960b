// sim_env.hpp — test fixture: a terminal config in a fresh temp folder that
// uses the shipped question bank and texts, a database beside it, and helpers
// to run `simulate` in-process and read the stored rows.
#pragma once

#include "kiosk/commands.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace pulse::test {

struct Row {
    std::string id, question;
    std::optional<int> value;
    std::string lang;
    std::int64_t hour = 0;
};

struct SimResult {
    int exit_code = 0;
    std::string out, err;
};

class SimEnv {
public:
    // extra_pulse: lines appended to [pulse]; database: override path;
    // extra_display: lines appended to [display] (e.g. "rotation = 90\n").
    explicit SimEnv(const std::string& extra_pulse = "", const std::string& database = "answers.sqlite3",
                    const std::string& extra_display = "") {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("pulse-kiosk-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir);
        config = dir / "terminal.toml";
        std::ofstream(config) << "[terminal]\nid = \"test-1\"\nworkplace = \"test\"\nlanguage = \"da\"\n\n"
                              << "[pulse]\nquestions = \"" << PULSE_SOURCE_DIR << "/config/questions.toml\"\n"
                              << extra_pulse << "\n"
                              << "[storage]\ndatabase = \"" << database << "\"\n\n"
                              << "[display]\nfullscreen = false\nwidth = 1920\nheight = 1080\ndiagonal_inch = 21.5\n"
                              << extra_display;
        db = database.front() == '/' ? std::filesystem::path(database) : dir / database;
    }
    ~SimEnv() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    SimResult simulate(const std::string& script, const std::string& args_note = "", std::uint64_t seed = 1,
                       const char* now = "2026-11-27T09:41:00Z", int width = 0, int height = 0,
                       const std::filesystem::path& shots = {}) {
        (void)args_note;
        const std::filesystem::path script_file = dir / ("script-" + std::to_string(++scripts_) + ".txt");
        std::ofstream(script_file) << script;
        SimulateOptions o;
        o.config_file = config;
        o.script_file = script_file;
        o.shots_dir = shots;
        o.seed = seed;
        o.now = parse_iso8601(now);
        o.width = width;
        o.height = height;
        std::ostringstream out, err;
        SimResult r;
        r.exit_code = cmd_simulate(o, out, err);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

    std::vector<Row> rows() const {
        std::vector<Row> rows;
        sqlite3* handle = nullptr;
        if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            sqlite3_close(handle);
            return rows;
        }
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(handle, "SELECT id, question, value, lang, hour FROM answers ORDER BY id", -1, &stmt, nullptr);
        while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
            Row r;
            r.id = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
            r.question = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
            if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) r.value = sqlite3_column_int(stmt, 2);
            r.lang = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
            r.hour = sqlite3_column_int64(stmt, 4);
            rows.push_back(r);
        }
        sqlite3_finalize(stmt);
        sqlite3_close(handle);
        return rows;
    }

    std::filesystem::path dir, config, db;

private:
    int scripts_ = 0;
};

}  // namespace pulse::test
