// test_overlay_serve.cpp — the collector's side of the config overlays
// (issue 13): the overlays folder beside the config is checked when the
// config loads (a bad file or an unknown workplace's name is an error naming
// the file), and GET /v1/config gives a terminal its workplace's overlay or
// the default one with an ETag, 304 for the same ETag, 204 when there is none.
#include "collector_fixture.hpp"
#include "collector/http/server.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_overlay_serve {

using namespace pulse;
using namespace pulse::testing;

namespace {

// The fixture's config in a folder of its own, with these overlay files.
CollectorConfigLoad load_with(const TempDir& dir, const std::map<std::string, std::string>& overlays) {
    std::filesystem::create_directories(dir.path / "overlays");
    for (const auto& [name, text] : overlays) std::ofstream(dir.path / "overlays" / name) << text;
    std::ofstream(dir.path / "collector.toml") << collector_config_text();
    return load_collector_config(dir.path / "collector.toml");
}

}  // namespace

TEST_CASE("the overlays beside the collector's config are checked when it loads, each error naming its file and line") {
    TempDir dir("pulse-overlays");
    const CollectorConfigLoad load = load_with(dir, {{"wp-a.toml", "[display]\nrotation = 90\n"},
                                                     {"kantine.toml", "[terminal]\nlanguage = \"da\"\n"},
                                                     {"default.toml", "[pulse]\nper_session = 9\n"},
                                                     {"notes.txt", "not an overlay: ignored"}});
    CHECK_FALSE(load.config);
    CHECK(has_error(load.errors, 2, "[display] rotation stays on the terminal"));
    CHECK(has_error(load.errors, 0, "no [[workplace]] has the id 'kantine'"));
    CHECK(has_error(load.errors, 2, "[pulse] per_session must be a whole number 1..3"));
    CHECK_MESSAGE(load.errors.size() == 3, all(load.errors));
}

TEST_CASE("GET /v1/config: the workplace's overlay or the default with its ETag, 304 for the same ETag, 204 for none, 401 without a token") {
    TempDir dir("pulse-overlays");
    const std::string a = "[terminal]\nlanguage = \"en\"\n", fallback = "[pulse]\nper_session = 2\n";
    CollectorConfigLoad load = load_with(dir, {{"wp-a.toml", a}, {"default.toml", fallback}});
    REQUIRE_MESSAGE(load.config, all(load.errors));
    CollectorConfig config = *load.config;
    std::string error;
    std::unique_ptr<CollectorStore> store = open_collector_store(config.database, &error);
    REQUIRE_MESSAGE(store, error);
    LogLines log;
    CollectorServer server(config, *store, [] { return UnixSeconds{1'796'119'200}; }, log.sink());
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &error), error);
    httplib::Client client("127.0.0.1", server.port());
    const auto get = [&client](const std::string& token, const std::string& etag = "") {
        httplib::Headers h{{"Authorization", "Bearer " + token}};
        if (!etag.empty()) h.emplace("If-None-Match", etag);
        return client.Get("/v1/config", h);
    };

    auto r = get(kTerminalToken);  // term-a in wp-a: its own
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == a);
    const std::string etag = r->get_header_value("ETag");
    CHECK(etag == "\"sha256:" + sha256_hex(a).substr(0, 16) + "\"");
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    r = get(kTerminalToken, etag);
    REQUIRE(r);
    CHECK(r->status == 304);
    CHECK(r->body.empty());
    r = get(kTerminalToken, "\"sha256:0000000000000000\"");
    REQUIRE(r);
    CHECK(r->status == 200);

    r = get(kOtherTerminalToken);  // term-b in wp-b: the default
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == fallback);

    r = get("no-such-token");
    REQUIRE(r);
    CHECK(r->status == 401);
    r = get(kManagerToken);
    REQUIRE(r);
    CHECK(r->status == 401);

    // No overlays at all: 204.
    TempDir bare("pulse-no-overlays");
    std::ofstream(bare.path / "collector.toml") << collector_config_text();
    CollectorConfigLoad plain = load_collector_config(bare.path / "collector.toml");
    REQUIRE(plain.config);
    CollectorConfig plain_config = *plain.config;
    std::unique_ptr<CollectorStore> plain_store = open_collector_store(plain_config.database, &error);
    REQUIRE(plain_store);
    CollectorServer plain_server(plain_config, *plain_store, [] { return UnixSeconds{1'796'119'200}; }, log.sink());
    REQUIRE(plain_server.start("127.0.0.1", 0, &error));
    httplib::Client plain_client("127.0.0.1", plain_server.port());
    auto none = plain_client.Get("/v1/config", httplib::Headers{{"Authorization", "Bearer " + kTerminalToken}});
    REQUIRE(none);
    CHECK(none->status == 204);
    plain_server.stop();
    server.stop();
}

}  // namespace collector_test_overlay_serve
