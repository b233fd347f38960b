// test_ingest.cpp — the protocol's rules for one uploaded body, without a
// network: each kind of bad body gives its status and a message naming what
// was wrong (hostile ones too: ../common/hostile_bodies.hpp); gzip and the
// size limits; an hour ahead of the clock is early (425), not wrong.
#include "../common/hostile_bodies.hpp"
#include "collector_fixture.hpp"
#include "collector/http/ingest.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_ingest {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

const UnixSeconds kNow = *parse_iso8601("2026-11-27T10:30:00Z");

struct Ingest {
    CollectorConfig config = test_collector_config();
    const TerminalEntry& terminal() const { return config.terminals[0]; }

    IngestResult run(const std::string& body, const std::string& encoding = "") const {
        return validate_batch(body, encoding, terminal(), config, kNow);
    }
    IngestResult run(const json& body) const { return run(body.dump()); }
    IngestResult run_at(const json& body, UnixSeconds now) const {
        return validate_batch(body.dump(), "", terminal(), config, now);
    }
};

// Checks that result is a rejection with status whose message contains fragment.
#define CHECK_REJECTED(result, code, fragment)                                                             \
    do {                                                                                                   \
        const IngestResult& r_ = (result);                                                                 \
        CHECK_FALSE(r_.batch);                                                                             \
        CHECK(r_.rejection.status == (code));                                                              \
        CHECK_MESSAGE(r_.rejection.message.find(fragment) != std::string::npos, "message: ", r_.rejection.message); \
    } while (false)

}  // namespace

TEST_CASE("a valid batch gives its answers with the terminal's workplace") {
    Ingest f;
    json body = wire_batch(2);
    body["answers"][1]["value"] = nullptr;
    body["answers"][1]["lang"] = "en";
    const IngestResult r = f.run(body);
    REQUIRE_MESSAGE(r.batch, r.rejection.message);
    CHECK(r.batch->workplace == "wp-a");
    REQUIRE(r.batch->answers.size() == 2);
    CHECK(r.batch->answers[0].id == test_uuid(1));
    CHECK(r.batch->answers[0].value == 4);
    CHECK(r.batch->answers[0].hour == *parse_iso8601("2026-11-27T09:00:00Z"));
    CHECK_FALSE(r.batch->answers[1].value);
    CHECK(r.batch->answers[1].lang == "en");
}

TEST_CASE("an empty batch is valid") {
    Ingest f;
    CHECK(f.run(wire_batch(0)).batch);
}

TEST_CASE("a gzip body is accepted, a corrupt one is 400 and a gzip bomb 413") {
    Ingest f;
    const std::string body = wire_batch(3).dump();
    const IngestResult ok = f.run(gzip(body), "gzip");
    REQUIRE_MESSAGE(ok.batch, ok.rejection.message);
    CHECK(ok.batch->answers.size() == 3);

    std::string broken = gzip(body);
    broken[broken.size() / 2] ^= 0x5A;
    broken[broken.size() / 2 + 1] ^= 0x5A;
    CHECK_REJECTED(f.run(broken, "gzip"), 400, "not valid gzip");
    CHECK_REJECTED(f.run(gzip(body).substr(0, 20), "gzip"), 400, "not valid gzip");
    CHECK_REJECTED(f.run(body, "gzip"), 400, "not valid gzip");

    const std::string bomb = gzip(std::string(kMaxBodyBytes + 1, ' '));
    CHECK(bomb.size() < 10000);
    CHECK_REJECTED(f.run(bomb, "gzip"), 413, "after gzip decompression");
    CHECK_REJECTED(f.run(body, "br"), 415, "Content-Encoding");
}

TEST_CASE("a body over 2 MiB is 413 and 5001 answers are 413") {
    Ingest f;
    CHECK_REJECTED(f.run(std::string(kMaxBodyBytes + 1, ' ')), 413, "more than the limit");
    CHECK_REJECTED(f.run(wire_batch(5001)), 413, "answers: 5001 answers, more than 5000");
    CHECK(f.run(wire_batch(5000)).batch);
}

TEST_CASE("a body that is not a JSON object with exactly the protocol's fields is 400") {
    Ingest f;
    CHECK_REJECTED(f.run(std::string("{\"schema\": 1,")), 400, "body: not valid JSON");
    CHECK_REJECTED(f.run(std::string("[1]")), 400, "body: must be a JSON object, not array");
    json missing = wire_batch(1);
    missing.erase("bank");
    CHECK_REJECTED(f.run(missing), 400, "bank: missing");
    json extra = wire_batch(1);
    extra["session"] = 7;
    CHECK_REJECTED(f.run(extra), 400, "session: not a field of protocol v1");
    json answer_extra = wire_batch(2);
    answer_extra["answers"][1]["minute"] = 3;
    CHECK_REJECTED(f.run(answer_extra), 400, "answers[1].minute: not a field of protocol v1");
    json answer_missing = wire_batch(2);
    answer_missing["answers"][0].erase("lang");
    CHECK_REJECTED(f.run(answer_missing), 400, "answers[0].lang: missing");
}

TEST_CASE("schema, batch and bank are checked") {
    Ingest f;
    json b = wire_batch(1);
    b["schema"] = 2;
    CHECK_REJECTED(f.run(b), 400, "schema: 2 is not 1");
    b = wire_batch(1);
    b["schema"] = "1";
    CHECK_REJECTED(f.run(b), 400, "schema: \"1\" is not 1");
    b = wire_batch(1);
    b["batch"] = "batch-1";
    CHECK_REJECTED(f.run(b), 400, "batch: \"batch-1\" is not a UUID");
    b = wire_batch(1);
    b["bank"] = "2025.9";
    CHECK_REJECTED(f.run(b), 400, "bank: \"2025.9\" is not a question bank this server knows (\"2026.1\")");
}

TEST_CASE("another terminal's id or another workplace is 403") {
    Ingest f;
    json b = wire_batch(1);
    b["terminal"] = "term-b";
    CHECK_REJECTED(f.run(b), 403, "terminal: \"term-b\" is not the terminal this token belongs to");
    b = wire_batch(1);
    b["workplace"] = "wp-b";
    CHECK_REJECTED(f.run(b), 403, "workplace: \"wp-b\" is not this terminal's workplace");
}

TEST_CASE("each bad answer field names its index and what was wrong") {
    Ingest f;
    const auto with = [](unsigned index, const char* field, const json& value) {
        json b = wire_batch(5);
        b["answers"][index][field] = value;
        return b;
    };
    CHECK_REJECTED(f.run(with(3, "value", 7)), 400, "answers[3].value: 7 is not 1–5 or null");
    CHECK_REJECTED(f.run(with(3, "value", 0)), 400, "answers[3].value: 0 is not 1–5 or null");
    CHECK_REJECTED(f.run(with(0, "value", 2.5)), 400, "answers[0].value: 2.5 is not 1–5 or null");
    CHECK_REJECTED(f.run(with(0, "value", "4")), 400, "answers[0].value: \"4\" is not 1–5 or null");
    CHECK_REJECTED(f.run(with(1, "id", "x")), 400, "answers[1].id: \"x\" is not a UUID");
    CHECK_REJECTED(f.run(with(1, "id", test_uuid(1))), 400, "answers[1].id: \"" + test_uuid(1) + "\" appears twice");
    CHECK_REJECTED(f.run(with(2, "question", "9.9")), 400, "answers[2].question: \"9.9\" is not a question of bank \"2026.1\"");
    CHECK_REJECTED(f.run(with(2, "lang", "de")), 400, "answers[2].lang: \"de\" is not \"da\" or \"en\"");
    CHECK_REJECTED(f.run(with(4, "hour", "2026-11-27T09:30:00Z")), 400, "answers[4].hour: \"2026-11-27T09:30:00Z\" is not a UTC hour");
    CHECK_REJECTED(f.run(with(4, "hour", "2026-11-27T09:00:00+01:00")), 400, "is not a UTC hour");
    CHECK_REJECTED(f.run(with(4, "hour", "2026-02-30T09:00:00Z")), 400, "is not a UTC hour");
    CHECK_REJECTED(f.run(with(4, "hour", 1764234000)), 400, "is not a UTC hour");
    json not_object = wire_batch(2);
    not_object["answers"][1] = 5;
    CHECK_REJECTED(f.run(not_object), 400, "answers[1]: must be an object");
}

TEST_CASE("an hour up to one hour ahead is accepted, a later one is early (425), and an old hour of any age is accepted") {
    Ingest f;  // now is 10:30
    const auto with_hour = [](const std::string& hour) {
        json b = wire_batch(1);
        b["answers"][0]["hour"] = hour;
        return b;
    };
    CHECK(f.run(with_hour("2026-11-27T11:00:00Z")).batch);
    CHECK_REJECTED(f.run(with_hour("2026-11-27T12:00:00Z")), 425,
                   "answers[0].hour: \"2026-11-27T12:00:00Z\" is ahead of the server's clock (server time "
                   "2026-11-27T10:30:00Z)");
    CHECK(f.run(with_hour("2026-10-29T11:00:00Z")).batch);
    CHECK(f.run(with_hour("2026-10-28T10:00:00Z")).batch);  // its week is sealed: stored, counted late
    CHECK(f.run(with_hour("2020-01-06T08:00:00Z")).batch);
}

TEST_CASE("a batch ahead of the server's clock says how long until it is not, and is accepted as it is from then") {
    Ingest f;
    json b = wire_batch(4);
    b["answers"][1]["hour"] = "2026-11-27T12:00:00Z";
    b["answers"][2]["hour"] = "2026-11-27T14:00:00Z";  // the latest: it decides
    b["answers"][3]["hour"] = "2026-11-27T13:00:00Z";
    // 14:00 is no longer ahead once the clock plus kClockSkew_s reaches it: at 13:00.
    const UnixSeconds not_early = *parse_iso8601("2026-11-27T13:00:00Z");
    const IngestResult early = f.run_at(b, kNow);
    CHECK_REJECTED(early, 425, "answers[2].hour: \"2026-11-27T14:00:00Z\" is ahead of the server's clock");
    CHECK(early.rejection.retry_after_s == not_early - kNow);  // 2.5 h
    CHECK(early.rejection.message.find("nothing of this batch is stored") != std::string::npos);
    const IngestResult last_second = f.run_at(b, not_early - 1);
    CHECK_REJECTED(last_second, 425, "answers[2].hour");
    CHECK(last_second.rejection.retry_after_s == 1);  // at least 1, never 0
    const IngestResult then = f.run_at(b, not_early);
    REQUIRE_MESSAGE(then.batch, then.rejection.message);
    CHECK(then.batch->answers.size() == 4);
    // A hundred years ahead: early still, never a permanent refusal.
    json far = wire_batch(1);
    far["answers"][0]["hour"] = "2126-11-27T09:00:00Z";
    const IngestResult r = f.run(far);
    CHECK_REJECTED(r, 425, "answers[0].hour");
    CHECK(r.rejection.retry_after_s > 3000000000);
}

TEST_CASE("a batch that is early and also wrong is refused for what is wrong: 425 only when waiting is enough") {
    Ingest f;
    json b = wire_batch(3);
    b["answers"][0]["hour"] = "2026-11-27T15:00:00Z";
    b["answers"][2]["question"] = "9.9";
    CHECK_REJECTED(f.run(b), 400, "answers[2].question: \"9.9\" is not a question");
    b["answers"][2]["question"] = "2.3";
    b["bank"] = "1999.1";
    CHECK_REJECTED(f.run(b), 400, "bank: \"1999.1\"");
    b["bank"] = "2026.1";
    b["workplace"] = "wp-b";
    CHECK_REJECTED(f.run(b), 403, "workplace");
    b["workplace"] = "wp-a";
    CHECK_REJECTED(f.run(b), 425, "answers[0].hour");
    CHECK(f.run(b).rejection.retry_after_s == 4 * 3600 - 1800);  // until 14:00, when 14:00 + skew reaches 15:00
}

TEST_CASE("every hostile body is a 4xx naming its field, plain or gzip, never a crash or a 5xx") {
    Ingest f;
    for (const HostileBody& h : hostile_bodies()) {
        CAPTURE(h.kind);
        for (const bool gzipped : {false, true}) {
            CAPTURE(gzipped);
            const IngestResult r = gzipped ? f.run(gzip(h.body), "gzip") : f.run(h.body);
            REQUIRE_FALSE(r.batch);
            CHECK(r.rejection.status == h.status);
            CHECK_MESSAGE(r.rejection.message.rfind(h.field, 0) == 0, r.rejection.message);
            CHECK_MESSAGE(r.rejection.message.size() < 400, r.rejection.message.size(), " bytes");
            CHECK_NOTHROW((void)json(r.rejection.message).dump());  // valid UTF-8: the 4xx body can be written
            CHECK(r.rejection.message.find('\n') == std::string::npos);
            CHECK(r.rejection.retry_after_s == 0);
        }
    }
}

TEST_CASE("is_uuid accepts only lower-case 8-4-4-4-12 hex") {
    CHECK(is_uuid("6f1d2c3b-0000-4abc-8def-0123456789ab"));
    CHECK_FALSE(is_uuid("6F1D2C3B-0000-4ABC-8DEF-0123456789AB"));
    CHECK_FALSE(is_uuid("6f1d2c3b00004abc8def0123456789ab"));
    CHECK_FALSE(is_uuid("6f1d2c3b-0000-4abc-8def-0123456789a"));
}

}  // namespace collector_test_ingest
