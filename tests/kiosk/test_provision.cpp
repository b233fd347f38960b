// test_provision.cpp — `pulse-kiosk provision` as IT runs it: the real
// program against the real `pulse-collector serve` on 127.0.0.1 (its own
// port and SQLite file), into temp folders for /etc/pulse and /var/lib. The
// round trip from `pulse-collector terminal add` through provision, `check`
// and `sync`; the same bytes and modes twice; refusals (exit 2, nothing
// written); a refused or unreachable endpoint (exit 1, files written); and
// that asking the collector stores nothing.
#include "common/sha256.hpp"
#include "common/random.hpp"
#include "loopback.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "terminal/answer_store.hpp"

#include "common/pin_hash.hpp"
#include "terminal/overlay_files.hpp"
#include "terminal/overlay_pull.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_provision {

using namespace pulse;
using namespace pulse::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCollectorExe = PULSE_BINARY_DIR "/pulse-collector";
const std::string kToken = "provision-test-token-1";  // ishoj-1's, when the collector is made with it

// One word for /bin/sh.
std::string sh_word(const std::string& word) {
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string current_user() {
    const passwd* me = ::getpwuid(::geteuid());
    REQUIRE(me);
    return me->pw_name;
}

struct stat stat_of(const fs::path& file) {
    struct stat st {};
    REQUIRE_MESSAGE(::stat(file.c_str(), &st) == 0, file.string());
    return st;
}

// Rows in every table of the SQLite database at file, by table.
std::map<std::string, std::int64_t> row_counts(const fs::path& file) {
    std::map<std::string, std::int64_t> counts;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* names = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &names, nullptr) == SQLITE_OK);
    while (sqlite3_step(names) == SQLITE_ROW) {
        const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(names, 0));
        sqlite3_stmt* count = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM \"" + table + "\"").c_str(), -1, &count, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(count) == SQLITE_ROW);
        counts[table] = sqlite3_column_int64(count, 0);
        sqlite3_finalize(count);
    }
    sqlite3_finalize(names);
    sqlite3_close(db);
    REQUIRE(counts.count("answers") == 1);
    return counts;
}

// The real `pulse-collector serve` on its own port of 127.0.0.1 and SQLite
// file, with the workplace raadhus (and the terminal ishoj-1 holding kToken,
// when asked). Killed on scope exit if still running.
struct CollectorProcess {
    TempDir dir{"pulse-provision-collector"};
    fs::path config = dir.path / "collector.toml";
    fs::path database = dir.path / "collector.sqlite3";
    int port = 0;
    pid_t pid = -1;

    explicit CollectorProcess(bool with_terminal) {
        std::string error;
        port = free_loopback_port(&error);
        REQUIRE_MESSAGE(port > 0, error);
        std::ofstream(config) << "# the test's collector\n[server]\nlisten = \"127.0.0.1\"\nport = " << port << "\n"
                              << "[storage]\ndatabase = \"collector.sqlite3\"\n"
                              << "[bank]\nquestions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]\n"
                              << "[[workplace]]\nid = \"raadhus\"\nname = \"Rådhuset\"\n"
                              << (with_terminal ? "[[terminal]]\nid = \"ishoj-1\"\nworkplace = \"raadhus\"\n"
                                                  "token_sha256 = \"" + sha256_hex(kToken) + "\"\n"
                                                : std::string());
        start();
    }
    ~CollectorProcess() {
        if (pid > 0) {
            kill(-pid, SIGKILL);
            wait_exit(pid);
        }
    }
    CollectorProcess(const CollectorProcess&) = delete;
    CollectorProcess& operator=(const CollectorProcess&) = delete;

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port); }

    void start() {
        const fs::path err = dir.path / "serve.err";
        pid = spawn_process({kCollectorExe, "serve", "--config", config.string()}, {}, dir.path / "serve.out", err);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (slurp(err).find("listening on http://127.0.0.1:") == std::string::npos) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "pulse-collector did not start:\n", slurp(err));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    // SIGTERM, as systemctl stop sends it; then start again on the same config and port.
    void restart() {
        REQUIRE(kill(pid, SIGTERM) == 0);
        CHECK(wait_exit(pid, 30) == 0);
        pid = -1;
        start();
    }
};

// The folders of one terminal: /etc/pulse and /var/lib/pulse/kiosk in a temp
// folder; the project's config/ as /usr/share/pulse.
struct Terminal {
    TempDir dir{"pulse-provision"};
    fs::path config_dir = dir.path / "etc" / "pulse";
    fs::path state_dir = dir.path / "var" / "kiosk";
    fs::path logs = dir.path / "logs";
    fs::path config = config_dir / "kiosk.toml";
    fs::path token = config_dir / "token";

    Terminal() { fs::create_directories(logs); }

    // These folders as provision's options, and --user: the current user (keep the owner).
    std::string folder_options(const std::string& share = PULSE_SOURCE_DIR "/config") const {
        return " --config-dir " + sh_word(config_dir.string()) + " --share " + sh_word(share) + " --state-dir " +
               sh_word(state_dir.string()) + " --user " + sh_word(current_user());
    }

    // Runs a /bin/sh command line (provision's stdin is its pipe).
    ProcessResult sh(const std::string& command) const { return run_process({"/bin/sh", "-c", command}, {}, logs, 90); }

    // `pulse-kiosk provision ARGS` with these folders and `token_line` piped in.
    ProcessResult provision(const std::string& args, const std::string& token_line,
                            const std::string& share = PULSE_SOURCE_DIR "/config") const {
        return sh("printf '%s\\n' " + sh_word(token_line) + " | " + sh_word(PULSE_KIOSK_EXE) + " provision " + args +
                  " --token-file -" + folder_options(share));
    }

    ProcessResult kiosk(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {PULSE_KIOSK_EXE};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"}, logs, 90);
    }
};

// The config provision writes for ishoj-1 in raadhus with the defaults.
std::string expected_config(const Terminal& t, const std::string& endpoint) {
    return "# kiosk.toml — this terminal's config, written by `pulse-kiosk provision` (docs/deployment.md,\n"
           "# \"Provisioning a terminal\"). Every key: config/terminal.example.toml. Check it after an\n"
           "# edit: pulse-kiosk check --config " + t.config.string() + "\n"
           "\n[terminal]\nid = \"ishoj-1\"\nworkplace = \"raadhus\"\nlanguage = \"da\"\n"
           "\n[pulse]\nquestions = \"" PULSE_SOURCE_DIR "/config/questions.toml\"\n"
           "\n[storage]\ndatabase = \"" + (t.state_dir / "answers.sqlite3").string() + "\"\n"
           "\n[display]\ndiagonal_inch = 23.8\n"
           "\n[upload]\nendpoint = \"" + endpoint + "\"\ntoken_file = \"" + t.token.string() + "\"\n";
}

UnixSeconds wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a terminal registered with terminal add and provisioned from the printed line uploads to its collector") {
    CollectorProcess collector(false);
    Terminal terminal;

    // IT on the collector: the printed line carries the token to the terminal.
    const ProcessResult added = run_process({kCollectorExe, "terminal", "add", "--config", collector.config.string(),
                                             "--id", "ishoj-1", "--workplace", "raadhus", "--endpoint",
                                             collector.endpoint()},
                                            {}, terminal.logs, 60);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    const std::size_t start = added.out.find("  printf '%s\\n' '");
    REQUIRE_MESSAGE(start != std::string::npos, added.out);
    std::string command = added.out.substr(start + 2, added.out.find('\n', start) - start - 2);
    const std::string sudo = "sudo pulse-kiosk provision";
    REQUIRE_MESSAGE(command.find(sudo) != std::string::npos, command);
    command.replace(command.find(sudo), sudo.size(), sh_word(PULSE_KIOSK_EXE) + " provision");
    command += terminal.folder_options();

    // Before the collector is restarted it does not know the token: exit 1, the files written.
    ProcessResult r = terminal.sh(command);
    CHECK_MESSAGE(r.exit_code == 1, r.out, r.err);
    CHECK_MESSAGE(r.out.find(collector.endpoint() + " refused the token (HTTP 401: Authorization:") != std::string::npos,
                  r.out);
    CHECK(fs::exists(terminal.config));

    // Restarted, it does; asking it stored nothing.
    collector.restart();
    const std::map<std::string, std::int64_t> rows_before = row_counts(collector.database);
    r = terminal.sh(command);
    REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(r.out == "provisioned ishoj-1 (workplace raadhus) in " + terminal.config.string() + ": config OK; " +
                       collector.endpoint() + " accepted the token for ishoj-1 in raadhus\n");
    CHECK_MESSAGE(r.err.empty(), r.err);
    CHECK(row_counts(collector.database) == rows_before);
    CHECK(row_counts(collector.database).at("answers") == 0);

    // The files: the config, and the token from the printed line, 0600.
    CHECK(slurp(terminal.config) == expected_config(terminal, collector.endpoint()));
    const std::string token = command.substr(command.find("' '") + 3, 43);
    CHECK(slurp(terminal.token) == token + "\n");
    CHECK((stat_of(terminal.config).st_mode & 07777) == 0644);
    CHECK((stat_of(terminal.token).st_mode & 07777) == 0600);
    CHECK(stat_of(terminal.token).st_uid == ::geteuid());

    // `check` accepts it, and `sync` uploads with the provisioned token.
    r = terminal.kiosk({"check", "--config", terminal.config.string()});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    StoreStatus status;
    std::unique_ptr<AnswerStore> store = AnswerStore::open(terminal.state_dir / "answers.sqlite3", &status);
    REQUIRE_MESSAGE(store, status.message);
    std::vector<Answer> answers;
    for (int i = 0; i < 7; ++i) {
        answers.push_back({random_uuid_v4(), "3.2", 1 + i % 5, "da", truncate_to_hour(wall_now()) - 2 * kSecondsPerHour});
    }
    REQUIRE(store->insert(answers));
    store.reset();
    r = terminal.kiosk({"sync", "--config", terminal.config.string(), "--timeout", "30"});
    CHECK_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(row_counts(collector.database).at("answers") == 7);
}

TEST_CASE("provision run twice with the same options writes the same bytes and modes, whatever the umask") {
    CollectorProcess collector(true);
    Terminal terminal;
    const std::string args = "--id ishoj-1 --workplace raadhus --endpoint " + collector.endpoint() +
                             " --language en --rotation 90 --diagonal-inch 21.5";
    std::string config, token;
    for (const char* umask : {"022", "077"}) {
        CAPTURE(umask);
        const ProcessResult r = terminal.sh(std::string("umask ") + umask + "; printf '%s\\n' " + sh_word(kToken) + " | " +
                                            sh_word(PULSE_KIOSK_EXE) + " provision " + args + " --token-file -" +
                                            terminal.folder_options());
        REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
        CHECK((stat_of(terminal.config).st_mode & 07777) == 0644);
        CHECK((stat_of(terminal.token).st_mode & 07777) == 0600);
        if (config.empty()) {
            config = slurp(terminal.config);
            token = slurp(terminal.token);
        } else {
            CHECK(slurp(terminal.config) == config);
            CHECK(slurp(terminal.token) == token);
        }
        // Nothing but the two files in the config folder (no temp file left).
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(terminal.config_dir)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        CHECK(names == std::vector<std::string>{"kiosk.toml", "token"});
    }
    CHECK(token == kToken + "\n");
    CHECK(config.find("\n[terminal]\nid = \"ishoj-1\"\nworkplace = \"raadhus\"\nlanguage = \"en\"\n") != std::string::npos);
    CHECK(config.find("\n[display]\ndiagonal_inch = 21.5\nrotation = 90\n") != std::string::npos);

    // A token file given by path instead of stdin gives the same files.
    const fs::path token_file = terminal.dir.path / "token-from-it";
    std::ofstream(token_file) << kToken << "\n";
    const ProcessResult r = terminal.sh(sh_word(PULSE_KIOSK_EXE) + " provision " + args + " --token-file " +
                                        sh_word(token_file.string()) + terminal.folder_options());
    REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(slurp(terminal.config) == config);
    CHECK(slurp(terminal.token) == token);
}

TEST_CASE("provision refuses a bad id, workplace, endpoint or token with exit 2 naming the option, writing nothing") {
    Terminal terminal;
    struct Case {
        std::string args, token, names;
    };
    const std::string good = "--id ishoj-1 --workplace raadhus --endpoint https://pulse.ishoj.dk";
    for (const Case& c : {
             Case{"--id 'ishoj 1' --workplace raadhus --endpoint https://pulse.ishoj.dk", kToken, "--id: 'ishoj 1'"},
             Case{"--id ishoj-1 --workplace raad/hus --endpoint https://pulse.ishoj.dk", kToken, "--workplace: 'raad/hus'"},
             Case{"--id ishoj-1 --workplace raadhus --endpoint http://pulse.ishoj.dk", kToken,
                  "--endpoint: 'http://pulse.ishoj.dk' uses plain http:// to another machine"},
             Case{"--id ishoj-1 --workplace raadhus --endpoint ftp://pulse.ishoj.dk", kToken,
                  "--endpoint: 'ftp://pulse.ishoj.dk' must start with https://"},
             Case{"--id ishoj-1 --workplace raadhus --endpoint https://:8443", kToken,
                  "--endpoint: 'https://:8443' has no host name"},
             Case{"--id ishoj-1 --workplace raadhus --endpoint 'https://a b'", kToken,
                  "--endpoint: 'https://a b' is not a URL"},
             Case{good, "", "--token-file: the token from stdin is empty"},
             Case{good, "two words", "--token-file: the token from stdin holds a space"},
             Case{good, "tab\there", "--token-file: the token from stdin holds a space"},
             Case{good + " --rotation 45", kToken, "--rotation: 45 is not one of 0, 90, 180, 270"},
             Case{good + " --language de", kToken, "--language: 'de' is not da or en"},
             Case{good + " --admin-pin-hash 4711", kToken, "--admin-pin-hash: '4711' is not an Argon2id hash string"},
         }) {
        CAPTURE(c.args);
        const ProcessResult r = terminal.provision(c.args, c.token);
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(r.err.find("pulse-kiosk provision: " + c.names) != std::string::npos, r.err);
        CHECK(r.out.empty());
        CHECK_FALSE(fs::exists(terminal.config_dir));
    }
    // Two lines on stdin are not one token.
    ProcessResult r = terminal.sh("printf 'abc\\ndef\\n' | " + sh_word(PULSE_KIOSK_EXE) + " provision " + good +
                                  " --token-file -" + terminal.folder_options());
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find("--token-file: the token from stdin holds a space, line break") != std::string::npos, r.err);

    // As root, the token file's owner must exist.
    if (::geteuid() == 0) {
        r = terminal.sh("printf 'abc\\n' | " + sh_word(PULSE_KIOSK_EXE) + " provision " + good + " --token-file -" +
                        " --config-dir " + sh_word(terminal.config_dir.string()) + " --user no-such-user-here");
        CHECK(r.exit_code == 2);
        CHECK_MESSAGE(r.err.find("--user: there is no user 'no-such-user-here'") != std::string::npos, r.err);
    }
    CHECK_FALSE(fs::exists(terminal.config_dir));
}

TEST_CASE("hash-pin prints an Argon2id hash of the PIN on stdin, and provision --admin-pin-hash puts it in [admin]") {
    Terminal terminal;
    const ProcessResult hashed = terminal.sh("echo 4711 | " + sh_word(PULSE_KIOSK_EXE) + " hash-pin");
    REQUIRE_MESSAGE(hashed.exit_code == 0, hashed.err);
    std::string hash = hashed.out;
    while (!hash.empty() && hash.back() == '\n') hash.pop_back();
    CHECK(verify_pin(hash, "4711"));
    CHECK(hashed.out.find("4711") == std::string::npos);
    for (const char* bad : {"12", "12345678901", "47a1", ""}) {
        CAPTURE(bad);
        const ProcessResult refused =
            terminal.sh("printf '%s\\n' " + sh_word(bad) + " | " + sh_word(PULSE_KIOSK_EXE) + " hash-pin");
        CHECK(refused.exit_code == 2);
        CHECK(refused.out.empty());
        CHECK_MESSAGE(refused.err.find("the PIN on stdin must be 4 to 8 digits") != std::string::npos, refused.err);
    }

    // The endpoint is unreachable (exit 1), but the files are written and checked.
    const ProcessResult r = terminal.provision(
        "--id ishoj-1 --workplace raadhus --endpoint http://127.0.0.1:9 --admin-pin-hash " + sh_word(hash), kToken);
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    std::ifstream in(terminal.config);
    const std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(config.find("\n[admin]\npin_hash = \"" + hash + "\"\n") != std::string::npos);
    const ProcessResult check = terminal.kiosk({"check", "--config", terminal.config.string()});
    CHECK_MESSAGE(check.exit_code == 0, check.err);
}

TEST_CASE("a workplace's overlay on the real collector reaches its terminal, checked; one the terminal cannot use is refused and the old one stays") {
    CollectorProcess collector(true);
    // The terminal's own bank has question 1.1 switched off (an older bank).
    Terminal terminal;
    const fs::path share = terminal.dir.path / "share";
    fs::create_directories(share);
    std::string bank = slurp(PULSE_SOURCE_DIR "/config/questions.toml");
    const std::string q11 = "id = \"1.1\"";
    bank.insert(bank.find('\n', bank.find(q11)) + 1, "active = false\n");
    std::ofstream(share / "questions.toml") << bank;
    fs::copy_file(PULSE_SOURCE_DIR "/config/texts.toml", share / "texts.toml");
    const ProcessResult provisioned =
        terminal.provision("--id ishoj-1 --workplace raadhus --endpoint " + collector.endpoint(), kToken, share.string());
    REQUIRE_MESSAGE(provisioned.exit_code == 0, provisioned.err);

    // IT's overlays beside the collector's config; `check` reads them, and a restart serves them.
    fs::create_directories(collector.dir.path / "overlays");
    const std::string v1 = "[terminal]\nlanguage = \"en\"\n[texts.en]\nattract_headline = \"How is it going at the town hall?\"\n";
    std::ofstream(collector.dir.path / "overlays" / "raadhus.toml") << v1;
    std::ofstream(collector.dir.path / "overlays" / "default.toml") << "[pulse]\nper_session = 2\n";
    ProcessResult check = run_process({kCollectorExe, "check", "--config", collector.config.string()}, {}, terminal.logs, 60);
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    collector.restart();

    fs::create_directories(terminal.state_dir);  // the package makes it
    const OverlayFiles files = overlay_files_for(terminal.state_dir / "answers.sqlite3");
    const auto check_on_terminal = [&terminal](const fs::path& overlay, Diagnostics& errors) {
        return load_all(terminal.config, &errors, nullptr, overlay).has_value();
    };
    const std::unique_ptr<HttpClient> http = make_curl_http_client(CurlOptions{});
    Diagnostics errors;
    std::string failure;
    CHECK_MESSAGE(pull_and_accept(*http, files, collector.endpoint(), kToken, check_on_terminal, errors, &failure) ==
                      OverlayAccept::accepted,
                  failure, (errors.empty() ? std::string() : errors.front().str()));
    CHECK(slurp(files.current()) == v1);
    CHECK(read_overlay_word(files.etag()) == "\"sha256:" + sha256_hex(v1).substr(0, 16) + "\"");
    // Asked again with its ETag: 304, nothing changes hands.
    CHECK_FALSE(pull_and_accept(*http, files, collector.endpoint(), kToken, check_on_terminal, errors, &failure));
    CHECK(failure.empty());
    // The kiosk loads with it: English, the overlay's headline.
    std::optional<LoadedConfig> loaded = load_all(terminal.config, &errors);
    REQUIRE(loaded);
    CHECK(loaded->config.language == "en");
    CHECK(loaded->texts.get("en", "attract_headline") == "How is it going at the town hall?");

    // v2 asks only for question 1.1: fine on the collector's bank, so `check`
    // passes and it is served, but this terminal's bank has it switched off.
    std::ofstream(collector.dir.path / "overlays" / "raadhus.toml") << "[pulse]\nquestions_enabled = [\"1.1\"]\n";
    check = run_process({kCollectorExe, "check", "--config", collector.config.string()}, {}, terminal.logs, 60);
    CHECK_MESSAGE(check.exit_code == 0, check.err);
    collector.restart();
    CHECK(pull_and_accept(*http, files, collector.endpoint(), kToken, check_on_terminal, errors, &failure) ==
          OverlayAccept::refused);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.back().message.find("leaves no active question") != std::string::npos);
    CHECK(slurp(files.current()) == v1);  // the old one stays

    // An overlay that names the terminal's endpoint: `check` on the collector refuses it.
    std::ofstream(collector.dir.path / "overlays" / "raadhus.toml") << "[upload]\nendpoint = \"https://elsewhere\"\n";
    check = run_process({kCollectorExe, "check", "--config", collector.config.string()}, {}, terminal.logs, 60);
    CHECK(check.exit_code == 2);
    CHECK_MESSAGE(check.err.find("overlays/raadhus.toml:2: [upload] endpoint stays on the terminal") != std::string::npos,
                  check.err);
    std::ofstream(collector.dir.path / "overlays" / "kantine.toml") << "";
    check = run_process({kCollectorExe, "check", "--config", collector.config.string()}, {}, terminal.logs, 60);
    CHECK(check.err.find("overlays/kantine.toml: no [[workplace]] has the id 'kantine'") != std::string::npos);
}

TEST_CASE("provision with a refused token, another terminal's id or an unreachable endpoint writes the files, "
          "says what failed and exits 1") {
    CollectorProcess collector(true);
    const std::map<std::string, std::int64_t> rows_before = row_counts(collector.database);
    struct Case {
        std::string endpoint, id, token, says;
    };
    std::string error;
    const int closed_port = free_loopback_port(&error);
    REQUIRE_MESSAGE(closed_port > 0, error);
    for (const Case& c : {
             Case{collector.endpoint(), "ishoj-1", "not-the-token",
                  collector.endpoint() + " refused the token (HTTP 401: Authorization: no terminal has this token"},
             Case{collector.endpoint(), "ishoj-2", kToken,
                  collector.endpoint() + " knows this token as terminal ishoj-1 in raadhus, not ishoj-2 in raadhus"},
             Case{"http://127.0.0.1:" + std::to_string(closed_port), "ishoj-1", kToken,
                  "http://127.0.0.1:" + std::to_string(closed_port) + " could not be reached: "},
         }) {
        CAPTURE(c.says);
        Terminal terminal;
        const ProcessResult r =
            terminal.provision("--id " + c.id + " --workplace raadhus --endpoint " + c.endpoint, c.token);
        CHECK(r.exit_code == 1);
        CHECK_MESSAGE(r.out.rfind("provisioned " + c.id + " (workplace raadhus) in " + terminal.config.string() +
                                      ": config OK; " + c.says, 0) == 0,
                      r.out);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
        CHECK(slurp(terminal.token) == c.token + "\n");
        CHECK(slurp(terminal.config).find("endpoint = \"" + c.endpoint + "\"") != std::string::npos);
    }
    CHECK(row_counts(collector.database) == rows_before);
}

TEST_CASE("provision says when the written config fails its check, and exits 2 with check's errors") {
    CollectorProcess collector(true);
    Terminal terminal;
    const fs::path empty_share = terminal.dir.path / "share";
    fs::create_directories(empty_share);
    const ProcessResult r = terminal.provision(
        "--id ishoj-1 --workplace raadhus --endpoint " + collector.endpoint(), kToken, empty_share.string());
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.out == "provisioned ishoj-1 (workplace raadhus) in " + terminal.config.string() +
                               ": config has errors (above); " + collector.endpoint() +
                               " accepted the token for ishoj-1 in raadhus\n",
                  r.out);
    CHECK_MESSAGE(r.err.find((empty_share / "questions.toml").string()) != std::string::npos, r.err);
    CHECK(fs::exists(terminal.config));
}

TEST_CASE("provision run as root gives the token file to the kiosk's user") {
    if (::geteuid() != 0) return;  // only root can give a file away
    CollectorProcess collector(true);
    Terminal terminal;
    const ProcessResult r = terminal.sh("printf '%s\\n' " + sh_word(kToken) + " | " + sh_word(PULSE_KIOSK_EXE) +
                                        " provision --id ishoj-1 --workplace raadhus --endpoint " +
                                        collector.endpoint() + " --token-file - --config-dir " +
                                        sh_word(terminal.config_dir.string()) + " --share " +
                                        sh_word(PULSE_SOURCE_DIR "/config") + " --state-dir " +
                                        sh_word(terminal.state_dir.string()) + " --user nobody");
    REQUIRE_MESSAGE(r.exit_code == 0, r.out, r.err);
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    const struct stat token = stat_of(terminal.token);
    CHECK(token.st_uid == nobody->pw_uid);
    CHECK(token.st_gid == nobody->pw_gid);
    CHECK((token.st_mode & 07777) == 0600);
    CHECK(stat_of(terminal.config).st_uid == 0);
}

}  // namespace kiosk_test_provision
