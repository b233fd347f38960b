// test_terminal_add.cpp — registering a terminal as IT does: the real
// `pulse-collector terminal add` on a real config file (appended to only,
// refusals leave it untouched, mode and owner kept, the result passes
// `check`, concurrent runs serialised by the lock), and the route
// `pulse-kiosk provision` asks, /v1/terminal, on a real server on 127.0.0.1
// with a real database: who a token is, and nothing stored.
#include "collector_fixture.hpp"
#include "collector/http/server.hpp"
#include "collector/terminal_add.hpp"
#include "common/sha256.hpp"
#include "process.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_terminal_add {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A hand-written collector config in a folder of its own (comments, blank
// lines, no final newline: all of it must survive), and the folder for the
// program's output files.
struct ConfigFile {
    fs::path dir = temp_folder();
    fs::path logs = temp_folder();
    fs::path file = dir / "collector.toml";
    std::string original;

    explicit ConfigFile(const std::string& extra = "") {
        original = "# Ishøj's collector — kept in git; edited by hand   \n\n" + collector_config_text("collector.sqlite3") +
                   extra + "\n# the end, no newline after this";
        write_file(file, original);
    }

    ProcessResult add(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {PULSE_COLLECTOR_EXE, "terminal", "add", "--config", file.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, {}, logs, 60);
    }
    std::string text() const { return slurp(file); }
    // Every file in the config's folder: no temp file may be left behind.
    std::vector<std::string> folder() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
};

// The token in the printed `printf '%s\n' 'TOKEN' | …` line ("" if none).
std::string printed_token(const std::string& out) {
    const std::string marker = "printf '%s\\n' '";
    const std::size_t at = out.find(marker);
    if (at == std::string::npos) return "";
    const std::size_t start = at + marker.size();
    return out.substr(start, out.find('\'', start) - start);
}

struct stat stat_of(const fs::path& file) {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    return st;
}

// Rows in every table of the SQLite database at file, by table.
std::map<std::string, std::int64_t> row_counts(const std::string& file) {
    std::map<std::string, std::int64_t> counts;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> tables;
    while (sqlite3_step(st) == SQLITE_ROW) tables.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    REQUIRE(!tables.empty());
    for (const std::string& t : tables) counts[t] = query_int(file, "SELECT COUNT(*) FROM \"" + t + "\"");
    return counts;
}

}  // namespace

TEST_CASE("terminal add appends one [[terminal]] after every byte of the file and prints the provision command") {
    ConfigFile config;
    const ProcessResult r = config.add({"--id", "ishoj-1", "--workplace", "wp-a", "--endpoint", "https://pulse.ishoj.dk/"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(r.err.empty(), r.err);

    const std::string token = printed_token(r.out);
    REQUIRE_MESSAGE(token.size() == 43, r.out);  // 32 random bytes, base64url
    const std::string text = config.text();
    CHECK(text == config.original + "\n\n[[terminal]]\nid = \"ishoj-1\"\nworkplace = \"wp-a\"\ntoken_sha256 = \"" +
                      sha256_hex(token) + "\"\n");
    CHECK(text.find(token) == std::string::npos);  // only its hash is kept

    CHECK_MESSAGE(r.out.find("  printf '%s\\n' '" + token + "' | sudo pulse-kiosk provision --id ishoj-1 --workplace "
                             "wp-a --endpoint https://pulse.ishoj.dk --token-file -\n") != std::string::npos,
                  r.out);
    CHECK_MESSAGE(r.out.find("restart it to accept the token (systemctl restart pulse-collector)") != std::string::npos,
                  r.out);
    CHECK(config.folder() == std::vector<std::string>{"collector.toml"});

    // The result is a config `check` accepts, with the new terminal and its token's hash.
    const ProcessResult check = run_process({PULSE_COLLECTOR_EXE, "check", "--config", config.file.string()}, {},
                                            config.logs, 60);
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    CHECK_MESSAGE(check.out.find("3 terminals") != std::string::npos, check.out);
    CollectorConfigLoad load = load_collector_config(config.file);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.config->terminals.size() == 3);
    CHECK(load.config->terminals[2].id == "ishoj-1");
    CHECK(load.config->terminals[2].workplace == "wp-a");
    CHECK(load.config->terminals[2].token_sha256 == sha256_hex(token));
}

TEST_CASE("terminal add keeps the config file's mode and owner") {
    ConfigFile config;
    REQUIRE(::chmod(config.file.c_str(), 0640) == 0);
    const bool root = ::geteuid() == 0;
    if (root) REQUIRE(::chown(config.file.c_str(), 65534, 65534) == 0);  // nobody: not the user running it
    const struct stat before = stat_of(config.file);

    const ProcessResult r = config.add({"--id", "ishoj-2", "--workplace", "wp-b"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const struct stat after = stat_of(config.file);
    CHECK(after.st_ino != before.st_ino);  // replaced, not written in place
    CHECK((after.st_mode & 07777) == 0640);
    CHECK(after.st_uid == before.st_uid);
    CHECK(after.st_gid == before.st_gid);
    if (root) CHECK(after.st_uid == 65534);
}

TEST_CASE("terminal add refuses a taken id, an unknown workplace and a bad id with exit 2, the file unchanged") {
    ConfigFile config;
    const struct stat before = stat_of(config.file);
    struct Case {
        std::vector<std::string> args;
        std::string names;
    };
    for (const Case& c : {Case{{"--id", "term-a", "--workplace", "wp-a"}, "--id: terminal 'term-a' is already"},
                          Case{{"--id", "ishoj-3", "--workplace", "wp-x"}, "--workplace: 'wp-x' is not a [[workplace]]"},
                          Case{{"--id", "ishoj 3", "--workplace", "wp-a"}, "--id: 'ishoj 3' may only contain"},
                          Case{{"--id", "ishoj-3", "--workplace", "wp/a"}, "--workplace: 'wp/a' may only contain"}}) {
        CAPTURE(c.names);
        const ProcessResult r = config.add(c.args);
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(r.err.find(c.names) != std::string::npos, r.err);
        CHECK(r.out.empty());
        CHECK(config.text() == config.original);
        CHECK(stat_of(config.file).st_ino == before.st_ino);
        CHECK(config.folder() == std::vector<std::string>{"collector.toml"});
    }
}

TEST_CASE("terminal add checks the new text with the config loader before it replaces the file") {
    // A token another terminal holds already: the loader refuses the second use.
    ConfigFile config;
    std::ostringstream out, err;
    const int rc = cmd_terminal_add(config.file, "ishoj-4", "wp-a", "", [] { return kTerminalToken; }, out, err);
    CHECK(rc == 2);
    CHECK_MESSAGE(err.str().find(config.file.string() + ":") != std::string::npos, err.str());  // not the temp file's name
    CHECK_MESSAGE(err.str().find("token_sha256 is already used") != std::string::npos, err.str());
    CHECK_MESSAGE(err.str().find("nothing changed") != std::string::npos, err.str());
    CHECK(out.str().empty());
    CHECK(config.text() == config.original);
    CHECK(config.folder() == std::vector<std::string>{"collector.toml"});

    // A config that does not load is not edited at all.
    write_file(config.file, config.original + "\n[server]\nport = 1\n");
    const std::string broken = config.text();
    const ProcessResult r = config.add({"--id", "ishoj-4", "--workplace", "wp-a"});
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find("fix them first") != std::string::npos, r.err);
    CHECK(config.text() == broken);
}

TEST_CASE("terminal add takes the endpoint from [web] base_url, else prints https://… for IT to fill in") {
    ConfigFile plain;
    ProcessResult r = plain.add({"--id", "ishoj-5", "--workplace", "wp-a"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(r.out.find("--endpoint https://… --token-file -\n") != std::string::npos, r.out);
    CHECK_MESSAGE(r.out.find("fill in https://… yourself") != std::string::npos, r.out);

    ConfigFile web("[web]\nbase_url = \"https://pulse.ishoj.dk\"\ntrusted_header = \"X-Forwarded-Email\"\n"
                   "trusted_proxies = [\"127.0.0.1\"]\n");
    r = web.add({"--id", "ishoj-5", "--workplace", "wp-a"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(r.out.find("--endpoint https://pulse.ishoj.dk --token-file -\n") != std::string::npos, r.out);
    CHECK(r.out.find("fill in") == std::string::npos);
}

TEST_CASE("terminal add run four times at once registers all four terminals: the lock serialises the edits") {
    ConfigFile config;
    std::vector<pid_t> pids;
    for (int i = 0; i < 4; ++i) {
        const std::string n = std::to_string(i);
        pids.push_back(spawn_process({PULSE_COLLECTOR_EXE, "terminal", "add", "--config", config.file.string(), "--id",
                                      "parallel-" + n, "--workplace", "wp-a"},
                                     {}, config.logs / ("p" + n + ".out"), config.logs / ("p" + n + ".err")));
    }
    for (std::size_t i = 0; i < pids.size(); ++i) {
        CHECK_MESSAGE(wait_exit(pids[i], 60) == 0, slurp(config.logs / ("p" + std::to_string(i) + ".err")));
    }
    const std::string text = config.text();
    CHECK(text.rfind(config.original, 0) == 0);
    CollectorConfigLoad load = load_collector_config(config.file);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->terminals.size() == 6);
    std::map<std::string, std::string> hash_of;
    for (const TerminalEntry& t : load.config->terminals) hash_of[t.id] = t.token_sha256;
    for (int i = 0; i < 4; ++i) {
        const std::string n = std::to_string(i);
        CHECK(hash_of["parallel-" + n] == sha256_hex(printed_token(slurp(config.logs / ("p" + n + ".out")))));
    }
    CHECK(config.folder() == std::vector<std::string>{"collector.toml"});
}

TEST_CASE("/v1/terminal answers a terminal's token with its id and workplace, refuses others, and stores nothing") {
    const CollectorConfig config = test_collector_config();
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    LogLines log;
    CollectorServer server(config, *store, nullptr, log.sink());
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
    httplib::Client client("127.0.0.1", server.port());
    const std::map<std::string, std::int64_t> before = row_counts(config.database);

    for (const std::string method : {"GET", "POST"}) {
        CAPTURE(method);
        const auto ask = [&](const std::string& token) {
            httplib::Headers headers;
            if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
            httplib::Result r = method == "GET" ? client.Get("/v1/terminal", headers)
                                                : client.Post("/v1/terminal", headers, "", "application/json");
            REQUIRE(r);
            return *r;
        };
        httplib::Response r = ask(kTerminalToken);
        CHECK(r.status == 200);
        CHECK(json::parse(r.body) == json{{"terminal", "term-a"}, {"workplace", "wp-a"}});
        CHECK(r.get_header_value("Cache-Control") == "no-store");
        r = ask(kOtherTerminalToken);
        CHECK(json::parse(r.body) == json{{"terminal", "term-b"}, {"workplace", "wp-b"}});

        r = ask("");
        CHECK(r.status == 401);
        CHECK(json::parse(r.body)["error"].get<std::string>().rfind("Authorization:", 0) == 0);
        CHECK(ask("not-a-token").status == 401);
        CHECK(ask(kManagerToken).status == 403);
        CHECK(ask(kAdminToken).status == 403);
    }
    server.stop();
    CHECK(row_counts(config.database) == before);
    CHECK(row_counts(config.database).at("answers") == 0);
    CHECK(log.has("/v1/terminal: 401 unknown terminal token"));
    CHECK_FALSE(log.has("term-a"));  // an accepted request leaves no line
}

}  // namespace collector_test_terminal_add
