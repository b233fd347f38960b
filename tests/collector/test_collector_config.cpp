// test_collector_config.cpp — the collector's config is read strictly: every
// mistake names the file, line and key; the registry (workplaces with names,
// people with addresses) holds together; the example and demo configs load.
#include "collector/config.hpp"
#include "collector_fixture.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_collector_config {

using namespace pulse;
using namespace pulse::testing;

namespace {

const std::string kHash = std::string(64, 'a');
const std::string kBank = "[bank]\nquestions = [\"" PULSE_SOURCE_DIR "/config/questions.toml\"]\n";
// One workplace, "w" (3 lines).
const std::string kPlace = "[[workplace]]\nid = \"w\"\nname = \"W\"\n";

CollectorConfigLoad load_text(const std::string& text) { return load_collector_config(write_temp(text, "c.toml")); }

}  // namespace

TEST_CASE("the test config loads with every role and its bank") {
    const CollectorConfig c = test_collector_config();
    CHECK(c.port == 0);
    CHECK(c.publication == WeeklyMoment{0, 7 * 60});  // Monday 07:00, the default
    CHECK(c.min_answers == 5);
    REQUIRE(c.terminals.size() == 2);
    CHECK(c.terminals[0].workplace == "wp-a");
    CHECK(c.managers.size() == 1);
    CHECK(c.admins.size() == 1);
    REQUIRE(c.banks.size() == 1);
    CHECK(c.find_bank("2026.1") != nullptr);
    CHECK(c.workplaces() == std::vector<std::string>{"wp-a", "wp-b"});
    CHECK(std::filesystem::path(c.database).is_absolute());
}

TEST_CASE("the example and demo configs are valid") {
    for (const char* name : {"collector.example.toml", "collector.demo.toml"}) {
        CollectorConfigLoad load = load_collector_config(std::string(PULSE_SOURCE_DIR) + "/config/" + name);
        CHECK_MESSAGE(load.config, name, ":\n", all(load.errors));
    }
}

TEST_CASE("defaults apply when optional keys are absent") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x.sqlite3\"\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->listen == "127.0.0.1");
    CHECK(load.config->port == 8080);
    CHECK(load.config->publication == WeeklyMoment{0, 7 * 60});
    CHECK(load.config->hr.empty());
    CHECK(load.config->min_answers == 5);
}

TEST_CASE("an unknown key, a wrong type and an out-of-range value each name their line and key") {
    CollectorConfigLoad load = load_text("[server]\nport = 70000\nhost = \"x\"\n"       // 2, 3
                                         "[storage]\ndatabase = 5\n"                    // 5
                                         "[anonymity]\nmin_answers = \"5\"\n" + kBank +  // 7
                                         "[extra]\n");                                   // 10
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 2, "[server] port = 70000 is out of range (0..65535)");
    CHECK_ERROR(load, 3, "[server] host is not a known key");
    CHECK_ERROR(load, 5, "[storage] database must be a string");
    CHECK_ERROR(load, 7, "[anonymity] min_answers must be a whole number");
    CHECK_ERROR(load, 10, "extra is not a known table");
}

TEST_CASE("a missing database and a missing bank are errors") {
    CollectorConfigLoad load = load_text("[server]\nport = 1\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 0, "[storage] database is missing");
    CHECK_ERROR(load, 0, "[bank] questions is missing");
}

TEST_CASE("a bank file with errors is reported with its own file and line") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n[bank]\nquestions = [\"nope.toml\"]\n");
    CHECK_FALSE(load.config);
    REQUIRE_FALSE(load.errors.empty());
    CHECK(load.errors[0].file.find("nope.toml") != std::string::npos);
}

TEST_CASE("duplicate terminal ids and duplicate token hashes are errors") {
    const std::string t = "[[terminal]]\nid = \"t1\"\nworkplace = \"w\"\ntoken_sha256 = \"" + kHash + "\"\n";
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank + kPlace + t + t +
                                         "[[admin]]\nname = \"a\"\nemail = \"a@ishoj.dk\"\ntoken_sha256 = \"" +
                                         kHash + "\"\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 13, "[[terminal]] id = \"t1\" is already used on line 9");
    CHECK_ERROR(load, 15, "[[terminal]] token_sha256 is already used on line 11");
    CHECK_ERROR(load, 19, "[[admin]] token_sha256 is already used on line 11");
}

TEST_CASE("a token hash must be 64 lower-case hex digits and names must be URL-safe") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank + kPlace +
                                         "[[terminal]]\nid = \"t 1\"\nworkplace = \"w\"\ntoken_sha256 = \"" +
                                         std::string(64, 'A') + "\"\n"
                                         "[[manager]]\nname = \"m\"\nemail = \"m@ishoj.dk\"\ntoken_sha256 = \"" +
                                         kHash + "\"\nworkplaces = []\nfoo = 1\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 9, "[[terminal]] id = \"t 1\" may hold only");
    CHECK_ERROR(load, 11, "[[terminal]] token_sha256 must be 64 lower-case hex digits");
    CHECK_ERROR(load, 16, "[[manager]] workplaces is empty");
    CHECK_ERROR(load, 17, "[[manager]] foo is not a known key");
}

TEST_CASE("every workplace named is a [[workplace]], and each workplace id and name is used once") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +  // 1-4
                                         "[[workplace]]\nid = \"a\"\nname = \"Skolen\"\n"    // 5-7
                                         "[[workplace]]\nid = \"a\"\nname = \"Hallen\"\n"    // 8-10
                                         "[[workplace]]\nid = \"b\"\nname = \"Skolen\"\n"    // 11-13
                                         "[[workplace]]\nid = \"c\"\nname = \"\"\n"          // 14-16
                                         "[[workplace]]\nid = \"d e\"\n"                      // 17-18, no name
                                         "[[terminal]]\nid = \"t1\"\nworkplace = \"x\"\ntoken_sha256 = \"" +
                                         kHash + "\"\n"                                        // 19-22
                                         "[[manager]]\nname = \"m\"\nemail = \"m@ishoj.dk\"\n"
                                         "workplaces = [\"a\", \"y\"]\n"                       // 23-26
                                         "[[hr]]\nname = \"h\"\nemail = \"h@ishoj.dk\"\n"
                                         "workplaces = [\"z\"]\n");                            // 27-30
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 9, "[[workplace]] id = \"a\" is already used on line 6");
    CHECK_ERROR(load, 13, "[[workplace]] name = \"Skolen\" is already used on line 7");
    CHECK_ERROR(load, 16, "[[workplace]] name is empty");
    CHECK_ERROR(load, 17, "[[workplace]] name is missing");
    CHECK_ERROR(load, 18, "[[workplace]] id = \"d e\" may hold only");
    CHECK_ERROR(load, 21, "[[terminal]] workplace = \"x\" is not the id of any [[workplace]] in this config");
    CHECK_ERROR(load, 26, "[[manager]] workplaces: \"y\" is not the id of any [[workplace]]");
    CHECK_ERROR(load, 30, "[[hr]] workplaces: \"z\" is not the id of any [[workplace]]");
    CHECK_MESSAGE(load.errors.size() == 8, all(load.errors));
}

TEST_CASE("an e-mail address signs in one person: once among managers and HR, once among admins") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank + kPlace +            // 1-7
                                         "[[manager]]\nname = \"m1\"\nemail = \"Leder@Ishoj.dk\"\n"
                                         "workplaces = [\"w\"]\n"                                        // 8-11
                                         "[[manager]]\nname = \"m2\"\nemail = \"leder@ishoj.dk\"\n"
                                         "workplaces = [\"w\"]\n"                                        // 12-15
                                         "[[hr]]\nname = \"h\"\nemail = \"LEDER@ishoj.dk\"\n"          // 16-18
                                         "[[admin]]\nname = \"it\"\nemail = \"leder@ishoj.dk\"\n"      // 19-21
                                         "[[admin]]\nname = \"it2\"\nemail = \"leder@ishoj.dk\"\n"     // 22-24
                                         "[[admin]]\nname = \"it3\"\nemail = \"Leder <it@ishoj.dk>\"\n"  // 25-27
                                         "[[manager]]\nname = \"m3\"\nworkplaces = [\"w\"]\n");          // 28-30
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 14, "[[manager]] email = \"leder@ishoj.dk\" is already used by the [[manager]] on line 10");
    CHECK_ERROR(load, 18, "[[hr]] email = \"LEDER@ishoj.dk\" is already used by the [[manager]] on line 10");
    CHECK_ERROR(load, 24, "[[admin]] email = \"leder@ishoj.dk\" is already used by the [[admin]] on line 21");
    CHECK_ERROR(load, 27, "[[admin]] email = \"Leder <it@ishoj.dk>\" is not an e-mail address");
    CHECK_ERROR(load, 28, "[[manager]] email is missing");
    CHECK_MESSAGE(load.errors.size() == 5, all(load.errors));  // IT may share a reader's address (line 21)
}

TEST_CASE("the registry gives each workplace its name and its managers, who need no API token") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                         "[[workplace]]\nid = \"skole\"\nname = \"Skolen\"\n"
                                         "[[workplace]]\nid = \"hal\"\nname = \"Hallen\"\n"
                                         "[[workplace]]\nid = \"bib\"\nname = \"Biblioteket\"\n"
                                         "[[manager]]\nname = \"A\"\nemail = \"a@ishoj.dk\"\nworkplaces = [\"skole\", \"hal\"]\n"
                                         "[[manager]]\nname = \"B\"\nemail = \"b@ishoj.dk\"\nworkplaces = [\"hal\"]\n"
                                         "token_sha256 = \"" + kHash + "\"\n");
    REQUIRE_MESSAGE(load.config, all(load.errors));
    const CollectorConfig& c = *load.config;
    CHECK(c.workplaces() == std::vector<std::string>{"bib", "hal", "skole"});
    CHECK(c.workplace_name("hal") == "Hallen");
    CHECK(c.workplace_name("gone") == "gone");
    CHECK(c.managers_of("hal") == std::vector<std::string>{"a@ishoj.dk", "b@ishoj.dk"});
    CHECK(c.managers_of("skole") == std::vector<std::string>{"a@ishoj.dk"});
    CHECK(c.managers_of("bib").empty());
    CHECK(c.managed_workplaces() == std::vector<std::string>{"hal", "skole"});
    CHECK(c.managers[0].token_sha256.empty());
    CHECK(c.managers[1].token_sha256 == kHash);
}

TEST_CASE("a postgresql URL is kept as given, and a path is made absolute beside the config") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"postgresql://pulse@db/pulse\"\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->database == "postgresql://pulse@db/pulse");
}

TEST_CASE("min_answers below 3 is refused with its line, and 3 is accepted") {
    for (int below : {1, 2}) {
        CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n[anonymity]\nmin_answers = " +
                                             std::to_string(below) + "\n" + kBank);
        CHECK_FALSE(load.config);
        CHECK_ERROR(load, 4, "[anonymity] min_answers = " + std::to_string(below) + " is below 3");
    }
    CollectorConfigLoad three = load_text("[storage]\ndatabase = \"x\"\n[anonymity]\nmin_answers = 3\n" + kBank);
    REQUIRE_MESSAGE(three.config, all(three.errors));
    CHECK(three.config->min_answers == 3);
}

TEST_CASE("max_age_days still loads, with a warning that old answers are now stored and counted late") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\nmax_age_days = 30\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.warnings.size() == 1);
    CHECK(load.warnings[0].line == 3);
    CHECK(load.warnings[0].message.find("max_age_days is ignored") != std::string::npos);
}

TEST_CASE("the publication moment is read from [summary], and a bad day or time names its line") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                         "[summary]\npublish_day = \"tuesday\"\npublish_time = \"06:30\"\n");
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->publication == WeeklyMoment{1, 6 * 60 + 30});
    CollectorConfigLoad bad = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                        "[summary]\npublish_day = \"tirsdag\"\npublish_time = \"7:00\"\n");
    CHECK_FALSE(bad.config);
    CHECK_ERROR(bad, 6, "[summary] publish_day = \"tirsdag\" is not one of \"monday\" .. \"sunday\"");
    CHECK_ERROR(bad, 7, "[summary] publish_time = \"7:00\" is not a time");
}

TEST_CASE("an e-mail sent before the week's publication is an error naming its line") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                         "[summary]\npublish_time = \"08:00\"\n" + kPlace +
                                         "[[manager]]\nname = \"m\"\nemail = \"m@ishoj.dk\"\nworkplaces = [\"w\"]\n"
                                         "[email]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nsender = \"p@ishoj.dk\"\n"
                                         "send_day = \"monday\"\nsend_time = \"07:00\"\n");
    CHECK_FALSE(load.config);
    CHECK_ERROR(load, 17, "is before the week's publication");
}

TEST_CASE("HR reads every workplace or the listed ones, and one person may be IT and HR with one token") {
    CollectorConfigLoad load = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                         "[[workplace]]\nid = \"skolen\"\nname = \"Skolen\"\n"
                                         "[[workplace]]\nid = \"hallen\"\nname = \"Hallen\"\n"
                                         "[[hr]]\nname = \"HR\"\nemail = \"hr@ishoj.dk\"\ntoken_sha256 = \"" + kHash + "\"\n"
                                         "[[hr]]\nname = \"Direktion\"\nemail = \"dir@ishoj.dk\"\ntoken_sha256 = \"" +
                                         std::string(64, 'b') + "\"\nworkplaces = [\"skolen\"]\n"
                                         "[[admin]]\nname = \"IT og HR\"\nemail = \"hr@ishoj.dk\"\ntoken_sha256 = \"" +
                                         kHash + "\"\n");
    REQUIRE_MESSAGE(load.config, all(load.errors));
    REQUIRE(load.config->hr.size() == 2);
    CHECK_FALSE(load.config->hr[0].workplaces.has_value());
    CHECK(load.config->hr[1].workplaces == std::vector<std::string>{"skolen"});
    CHECK(load.config->admins.size() == 1);
    CHECK(load.config->workplaces() == std::vector<std::string>{"hallen", "skolen"});

    CollectorConfigLoad twice = load_text("[storage]\ndatabase = \"x\"\n" + kBank +
                                          "[[hr]]\nname = \"a\"\nemail = \"a@ishoj.dk\"\ntoken_sha256 = \"" + kHash + "\"\n"
                                          "[[hr]]\nname = \"b\"\nemail = \"b@ishoj.dk\"\ntoken_sha256 = \"" + kHash + "\"\n");
    CHECK_FALSE(twice.config);
    CHECK_ERROR(twice, 12, "[[hr]] token_sha256 is already used on line 8");
}

TEST_CASE("listen beyond loopback is an error naming file, line and key, unless listen_beyond_loopback = true") {
    for (const char* address : {"0.0.0.0", "::", "192.168.1.20", "10.0.0.7", "collector.ishoj.dk", "fe80::1"}) {
        CAPTURE(address);
        CollectorConfigLoad load = load_text("[server]\nport = 8080\nlisten = \"" + std::string(address) + "\"\n"
                                             "[storage]\ndatabase = \"x\"\n" + kBank);
        CHECK_FALSE(load.config);
        CHECK_ERROR(load, 3, "[server] listen = \"" + std::string(address) + "\" is not a loopback address");
        CHECK_ERROR(load, 3, "plain HTTP");
        CHECK_ERROR(load, 3, "listen_beyond_loopback = true");
        REQUIRE_FALSE(load.errors.empty());
        CHECK(load.errors[0].str().find("c.toml:3: ") != std::string::npos);  // FILE:LINE:
    }
    // listen_beyond_loopback = false says the same as no key.
    CollectorConfigLoad no = load_text("[server]\nlisten = \"0.0.0.0\"\nlisten_beyond_loopback = false\n"
                                       "[storage]\ndatabase = \"x\"\n" + kBank);
    CHECK_FALSE(no.config);
    CHECK_ERROR(no, 2, "is not a loopback address");
}

TEST_CASE("listen beyond loopback with listen_beyond_loopback = true loads, with a warning at its line") {
    CollectorConfigLoad load = load_text("[server]\nlisten_beyond_loopback = true\nlisten = \"0.0.0.0\"\n"
                                         "[storage]\ndatabase = \"x\"\n" + kBank);
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CHECK(load.config->listen == "0.0.0.0");
    REQUIRE(load.warnings.size() == 1);
    CHECK(load.warnings[0].line == 3);
    CHECK(load.warnings[0].message.find("[server] listen = \"0.0.0.0\" (listen_beyond_loopback = true)") == 0);
    CHECK(load.warnings[0].message.find("plain HTTP") != std::string::npos);

    CollectorConfigLoad typo = load_text("[server]\nlisten_beyond_loopback = \"yes\"\nlisten = \"0.0.0.0\"\n"
                                         "[storage]\ndatabase = \"x\"\n" + kBank);
    CHECK_FALSE(typo.config);
    CHECK_ERROR(typo, 2, "[server] listen_beyond_loopback must be true or false, not a string");
}

TEST_CASE("every loopback address loads without a warning, with or without the opt-in") {
    for (const char* address : {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1", "localhost"}) {
        for (const char* opt_in : {"", "listen_beyond_loopback = true\n", "listen_beyond_loopback = false\n"}) {
            CAPTURE(address);
            CAPTURE(opt_in);
            CollectorConfigLoad load = load_text("[server]\nlisten = \"" + std::string(address) + "\"\n" + opt_in +
                                                 "[storage]\ndatabase = \"x\"\n" + kBank);
            REQUIRE_MESSAGE(load.config, all(load.errors));
            CHECK(load.warnings.empty());
        }
    }
    CHECK(is_loopback_address("127.0.0.1"));
    CHECK_FALSE(is_loopback_address("128.0.0.1"));
    CHECK_FALSE(is_loopback_address("::ffff:10.0.0.1"));
    CHECK_FALSE(is_loopback_address("localhost.example"));
    CHECK_FALSE(is_loopback_address("127.0.0.1 "));
}

TEST_CASE("[web] is read strictly: an https base URL, Secure cookies, a trusted header only with its proxies") {
    // Lines 1–7 are the same in every case; [web] is line 8.
    const std::string head = "[storage]\ndatabase = \"x\"\n" + kBank + kPlace;
    const std::string email = "[email]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nsender = \"p@ishoj.dk\"\n";
    CollectorConfigLoad ok = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk/\"\n" + email);
    REQUIRE_MESSAGE(ok.config, all(ok.errors));
    REQUIRE(ok.config->web);
    CHECK(ok.config->web->base_url == "https://pulse.ishoj.dk");
    CHECK(ok.config->web->secure_cookies);
    CHECK(ok.config->web->trusted_header.empty());

    CollectorConfigLoad sso = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\n"
                                               "trusted_header = \"X-Forwarded-Email\"\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\n");
    REQUIRE_MESSAGE(sso.config, all(sso.errors));  // no [email] needed: sign-on signs people in
    CHECK(sso.config->web->trusted_proxies == std::vector<std::string>{"127.0.0.1", "::1"});

    CollectorConfigLoad bad = load_text(head + "[web]\nbase_url = \"http://pulse.ishoj.dk\"\n" + email);
    CHECK_ERROR(bad, 9, "[web] base_url = \"http://pulse.ishoj.dk\" is plain http:// to another machine");
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk/pulse\"\n" + email);
    CHECK_ERROR(bad, 9, "has a path or query");
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\nsecure_cookies = false\n" + email);
    CHECK_ERROR(bad, 10, "[web] secure_cookies = false is only for tests on this machine");
    CollectorConfigLoad loopback =
        load_text(head + "[web]\nbase_url = \"http://127.0.0.1:8080\"\nsecure_cookies = false\n" + email);
    CHECK_MESSAGE(loopback.config, all(loopback.errors));
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\ntrusted_header = \"X-Forwarded-Email\"\n" + email);
    CHECK_ERROR(bad, 10, "[web] trusted_header needs trusted_proxies");
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\ntrusted_header = \"Cookie\"\n"
                           "trusted_proxies = [\"127.0.0.1\"]\n" + email);
    CHECK_ERROR(bad, 10, "trusted_header = \"Cookie\": only \"X-Forwarded-Email\" is supported");
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\ntrusted_header = \"X Email\"\n"
                           "trusted_proxies = [\"nginx.local\"]\n" + email);
    CHECK_ERROR(bad, 10, "is not a header name");
    CHECK_ERROR(bad, 11, "trusted_proxies: \"nginx.local\" is not an IP address");
    bad = load_text(head + "[web]\nbase_url = \"https://pulse.ishoj.dk\"\n");
    CHECK_ERROR(bad, 8, "[web] gives managers no way to sign in");
    bad = load_text(head + "[web]\nsecure_cookie = true\nbase_url = \"https://pulse.ishoj.dk\"\n" + email);
    CHECK_ERROR(bad, 9, "[web] secure_cookie is not a known key");
}

}  // namespace collector_test_collector_config
