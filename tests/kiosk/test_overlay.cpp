// test_overlay.cpp — the config overlay on the terminal (issue 13): laid over
// config, bank and texts by the loader every command uses; a pulled overlay
// taken only when the config loads with it, else the current one stays; a
// start with a new overlay on trial until the first frame, and the real
// `pulse-kiosk run` reverting one that did not reach its attract screen.
#include "sim_env.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "terminal/overlay_files.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_overlay {

using namespace pulse;
using namespace pulse::test;
using pulse::testing::ProcessResult;
using pulse::testing::run_process;
using pulse::testing::TempDir;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const char* kOverlay = "[terminal]\nlanguage = \"en\"\n[pulse]\nper_session = 1\nquestions_enabled = [\"1.1\", \"2.1\"]\n"
                       "[schedule]\nfriday = \"07:00-15:00\"\n[texts.en]\nattract_headline = \"How is it going at the town hall?\"\n";

// The checker the kiosk's pull thread uses: the config loaded with the overlay.
bool check_with(const SimEnv& env, const std::filesystem::path& overlay, Diagnostics& errors) {
    return load_all(env.config, &errors, nullptr, overlay).has_value();
}

}  // namespace

TEST_CASE("an overlay beside the database is laid over the config, the bank and the texts by every command's loader") {
    SimEnv env;
    Diagnostics errors;
    const std::optional<LoadedConfig> plain = load_all(env.config, &errors);
    REQUIRE(plain);
    CHECK(plain->config.language == "da");
    CHECK(plain->overlay_etag.empty());

    const OverlayFiles files = overlay_files_for(env.db);
    std::ofstream(files.current()) << kOverlay;
    std::ofstream(files.etag()) << "\"sha256-abc\"\n";
    const std::optional<LoadedConfig> laid = load_all(env.config, &errors);
    REQUIRE_MESSAGE(laid, (errors.empty() ? std::string() : errors.front().str()));
    CHECK(laid->config.language == "en");
    CHECK(laid->config.per_session == 1);
    REQUIRE(laid->config.schedule);
    CHECK(laid->config.schedule->hours[4] == DayHours{7 * 60, 15 * 60});
    CHECK(laid->bank.active_questions().size() == 2);
    CHECK(laid->texts.get("en", "attract_headline") == "How is it going at the town hall?");
    CHECK(laid->texts.get("da", "attract_headline") == plain->texts.get("da", "attract_headline"));
    CHECK(laid->overlay_etag == "\"sha256-abc\"");
    // And on screen: the English headline of the overlay.
    const SimResult r = env.simulate("tap answer-1\n", "", 1, "2026-11-27T09:41:00Z");
    CHECK_MESSAGE(r.exit_code == 0, r.err);

    // A broken overlay stops the loader like a broken config, naming the file.
    std::ofstream(files.current()) << "[upload]\nendpoint = \"https://evil.example\"\n";
    errors.clear();
    CHECK_FALSE(load_all(env.config, &errors));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().str().find(files.current().string() + ":2: [upload] endpoint stays on the terminal") == 0);
}

TEST_CASE("a pulled overlay is taken only when the config loads with it; a refused one leaves the current one") {
    SimEnv env;
    const OverlayFiles files = overlay_files_for(env.db);
    const auto check = [&env](const std::filesystem::path& p, Diagnostics& e) { return check_with(env, p, e); };
    Diagnostics errors;
    std::string error;
    CHECK(accept_overlay(files, std::nullopt, "", check, errors, &error) == OverlayAccept::unchanged);
    CHECK(accept_overlay(files, std::string(kOverlay), "\"v1\"", check, errors, &error) == OverlayAccept::accepted);
    CHECK(read_text(files.current()) == kOverlay);
    CHECK(read_overlay_word(files.etag()) == "\"v1\"");
    CHECK(accept_overlay(files, std::string(kOverlay), "\"v1\"", check, errors, &error) == OverlayAccept::unchanged);

    // Valid TOML, but questions_enabled names a question the bank lacks: refused, v1 stays.
    const std::string bad = "[pulse]\nquestions_enabled = [\"9.9\"]\n";
    CHECK(accept_overlay(files, bad, "\"v2\"", check, errors, &error) == OverlayAccept::refused);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().message.find("\"9.9\" is not a question") != std::string::npos);
    CHECK(read_text(files.current()) == kOverlay);
    CHECK(read_overlay_word(files.etag()) == "\"v1\"");
    for (const auto& entry : std::filesystem::directory_iterator(env.dir)) {
        CHECK_MESSAGE(entry.path().filename().string().rfind(".overlay", 0) != 0, entry.path());  // no temp file left
    }
    // The collector has none any more: back to the config alone.
    CHECK(accept_overlay(files, std::nullopt, "", check, errors, &error) == OverlayAccept::accepted);
    CHECK_FALSE(std::filesystem::exists(files.current()));
    CHECK_FALSE(std::filesystem::exists(files.etag()));
}

TEST_CASE("a start with a new overlay is on trial until confirmed; a trial left over from the last start reverts to the last good one") {
    TempDir dir("pulse-overlay-files");
    const OverlayFiles f{dir.path};
    std::vector<std::string> log;
    const OverlayLog to_log = [&log](const std::string& line) { log.push_back(line); };

    CHECK_FALSE(begin_overlay_start(f, to_log));  // nothing at all: no trial
    CHECK_FALSE(std::filesystem::exists(f.trial()));

    std::ofstream(f.current()) << "# v1\n";
    std::ofstream(f.etag()) << "\"v1\"\n";
    CHECK_FALSE(begin_overlay_start(f, to_log));
    CHECK(std::filesystem::exists(f.trial()));
    confirm_overlay_start(f, to_log);
    CHECK_FALSE(std::filesystem::exists(f.trial()));
    CHECK(read_text(f.good()) == "# v1\n");
    CHECK(read_overlay_word(f.good_etag()) == "\"v1\"");

    // v2 arrives; its start dies before the first frame; the next start reverts.
    std::ofstream(f.current()) << "# v2\n";
    std::ofstream(f.etag()) << "\"v2\"\n";
    CHECK_FALSE(begin_overlay_start(f, to_log));
    CHECK(std::filesystem::exists(f.trial()));
    CHECK(begin_overlay_start(f, to_log));  // the crash: the trial is still there
    CHECK(read_text(f.current()) == "# v1\n");
    CHECK(read_overlay_word(f.etag()) == "\"v1\"");
    CHECK(read_overlay_word(f.reverted()) == "\"v2\"");
    CHECK_FALSE(std::filesystem::exists(f.trial()));  // v1 is good: nothing on trial
    REQUIRE_FALSE(log.empty());
    CHECK(log.back().find("\"v2\" did not reach the attract screen") != std::string::npos);

    // The first overlay ever, and it fails: back to none.
    TempDir fresh("pulse-overlay-first");
    const OverlayFiles g{fresh.path};
    std::ofstream(g.current()) << "# first\n";
    begin_overlay_start(g, to_log);
    CHECK(begin_overlay_start(g, to_log));
    CHECK_FALSE(std::filesystem::exists(g.current()));
}

TEST_CASE("pulse-kiosk run reverts an overlay that did not reach the attract screen, and one that does not load at all") {
    SimEnv env;
    const OverlayFiles files = overlay_files_for(env.db);
    TempDir logs("pulse-overlay-run");
    const auto run = [&] {
        return run_process({PULSE_KIOSK_EXE, "run", "--config", env.config.string()},
                           {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy", "PULSE_EXIT_AFTER_FIRST_FRAME=1"},
                           logs.path, 60);
    };
    // A good overlay starts and becomes the good one.
    std::ofstream(files.current()) << kOverlay;
    std::ofstream(files.etag()) << "\"v1\"\n";
    ProcessResult r = run();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_text(files.good()) == kOverlay);
    CHECK(r.err.find("config overlay \"v1\" is in use") != std::string::npos);

    // v2 was taken, and the kiosk died with it before its first frame (the trial is left).
    std::ofstream(files.current()) << "[terminal]\nlanguage = \"da\"\n";
    std::ofstream(files.etag()) << "\"v2\"\n";
    std::ofstream(files.trial()) << "starting\n";
    r = run();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("config overlay \"v2\" did not reach the attract screen at the last start: reverted") !=
          std::string::npos);
    CHECK(read_text(files.current()) == kOverlay);
    CHECK(read_overlay_word(files.reverted()) == "\"v2\"");
    {
        // The next heartbeat says so, with the overlay in use.
        Diagnostics errors;
        std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
        REQUIRE(cfg);
        cfg->config.upload = UploadConfig{};
        cfg->config.upload->endpoint = "https://pulse.ishoj.dk";
        std::string error;
        const HeartbeatSettings s = heartbeat_settings_for(*cfg, env.config, "v", &error);
        CHECK(s.overlay == "\"v1\"");
        CHECK(s.overlay_reverted == "\"v2\"");
    }

    // v3 does not load at all (it leaves no question): reverted in the same start.
    std::ofstream(files.current()) << "[pulse]\nquestions_enabled = [\"1.1\"]\n[texts.en]\nskip = \"{n}\"\n";
    std::ofstream(files.etag()) << "\"v3\"\n";
    r = run();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("[texts.en] skip: unknown placeholder {n}") != std::string::npos);
    CHECK(r.err.find("config overlay \"v3\" did not reach the attract screen") != std::string::npos);
    CHECK(read_text(files.current()) == kOverlay);
}

}  // namespace kiosk_test_overlay
