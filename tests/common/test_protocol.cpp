// test_protocol.cpp — protocol v1's batch body as both sides use it: the
// writer's exact shape and shuffled order, the parser reading back exactly
// what the writer wrote (a round trip over random batches), the id and
// hour formats, and hostile bodies (hostile_bodies.hpp): each refused with a
// short message, safe to send and log, naming its field. The collector's
// own rules on top are in test_ingest.cpp.
#include "common/protocol.hpp"

#include "hostile_bodies.hpp"
#include "protocol_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace common_test_protocol {

using pulse::Answer;

namespace {

pulse::UnixSeconds at(const char* iso) {
    auto t = pulse::parse_iso8601(iso);
    REQUIRE_MESSAGE(t.has_value(), "bad test time " << iso);
    return *t;
}

// Answers sorted by id, for comparing what was written with what was read.
std::vector<Answer> by_id(std::vector<Answer> answers) {
    std::sort(answers.begin(), answers.end(), [](const Answer& a, const Answer& b) { return a.id < b.id; });
    return answers;
}

bool same(const Answer& a, const Answer& b) {
    return a.id == b.id && a.question == b.question && a.value == b.value && a.lang == b.lang && a.hour == b.hour;
}

}  // namespace

TEST_CASE("a batch body has exactly the protocol's fields, null for don't know, and whole hours") {
    pulse::Rng rng(3);
    auto answers = pulse::testing::some_answers(12, rng);
    answers[0].hour = at("2026-11-27T09:37:12Z");  // a minute must never reach the wire
    std::string body = pulse::write_batch_body("ishoj-raadhus-1", "raadhus-borgerservice",
                                         "0b5c6f0e-2f0b-4f7e-9a55-4c1f0f8f3b21", "2026.1", answers, rng);
    auto json = nlohmann::json::parse(body);
    REQUIRE(json.is_object());
    std::set<std::string> keys;
    for (const auto& [key, value] : json.items()) keys.insert(key);
    CHECK(keys == std::set<std::string>{"schema", "terminal", "workplace", "batch", "bank", "answers"});
    CHECK(json["schema"] == 1);
    CHECK(json["terminal"] == "ishoj-raadhus-1");
    CHECK(json["workplace"] == "raadhus-borgerservice");
    CHECK(json["batch"] == "0b5c6f0e-2f0b-4f7e-9a55-4c1f0f8f3b21");
    CHECK(json["bank"] == "2026.1");
    REQUIRE(json["answers"].size() == answers.size());

    std::map<std::string, const Answer*> by_id;
    for (const auto& a : answers) by_id[a.id] = &a;
    for (const auto& item : json["answers"]) {
        std::set<std::string> fields;
        for (const auto& [key, value] : item.items()) fields.insert(key);
        CHECK(fields == std::set<std::string>{"id", "question", "value", "lang", "hour"});
        REQUIRE(by_id.count(item["id"].get<std::string>()) == 1);
        const Answer& a = *by_id[item["id"].get<std::string>()];
        by_id.erase(a.id);
        CHECK(item["question"] == a.question);
        CHECK(item["lang"] == a.lang);
        if (a.value) {
            CHECK(item["value"].is_number_integer());
            CHECK(item["value"] == *a.value);
        } else {
            CHECK(item["value"].is_null());
        }
        CHECK(item["hour"] == pulse::format_iso_utc(pulse::truncate_to_hour(a.hour)));
        CHECK(item["hour"].get<std::string>().substr(13) == ":00:00Z");
    }
    CHECK(by_id.empty());
}

TEST_CASE("a batch's answers are shuffled, never in the order they were given") {
    pulse::Rng make(11);
    auto answers = pulse::testing::some_answers(200, make);
    pulse::Rng rng(12);
    std::string body = pulse::write_batch_body("t", "w", "b", "v", answers, rng);
    auto json = nlohmann::json::parse(body);
    std::vector<std::string> sent;
    for (const auto& item : json["answers"]) sent.push_back(item["id"]);
    std::vector<std::string> given;
    for (const auto& a : answers) given.push_back(a.id);
    CHECK(sent != given);
    std::vector<std::string> sorted_given = given;
    std::sort(sorted_given.begin(), sorted_given.end());
    CHECK(sent != sorted_given);  // not in id order either
    int in_place = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) in_place += sent[i] == given[i];
    CHECK(in_place < 10);  // a shuffle leaves about one in place
    std::sort(sent.begin(), sent.end());
    CHECK(sent == sorted_given);  // the same answers, every one once

    pulse::Rng again(12);  // the same seed, the same order
    CHECK(pulse::write_batch_body("t", "w", "b", "v", answers, again) == body);
}

TEST_CASE("the parser reads back exactly what the writer wrote, for random batches of every size") {
    pulse::Rng rng(2026);
    for (int size : {0, 1, 2, 3, 17, 500, 5000}) {
        std::vector<Answer> written = pulse::testing::some_answers(size, rng);
        const std::string batch_id = pulse::uuid_v4(rng);
        const std::string body = pulse::write_batch_body("ishoj-raadhus-1", "raadhus-borgerservice", batch_id,
                                                         "sha256:0123456789abcdef", written, rng);
        const pulse::BatchBodyParse read = pulse::parse_batch_body(body);
        REQUIRE_MESSAGE(read.body, size, " answers: ", read.problem.message);
        CHECK(read.body->terminal == "ishoj-raadhus-1");
        CHECK(read.body->workplace == "raadhus-borgerservice");
        CHECK(read.body->batch_id == batch_id);
        CHECK(read.body->bank_version == "sha256:0123456789abcdef");
        const std::vector<Answer> sent = by_id(written), received = by_id(read.body->answers);
        REQUIRE(received.size() == sent.size());
        for (std::size_t i = 0; i < sent.size(); ++i) CHECK_MESSAGE(same(sent[i], received[i]), "answer ", sent[i].id);
    }
}

TEST_CASE("an hour written with minutes is read back as its whole hour, never the minute") {
    pulse::Rng rng(7);
    std::vector<Answer> written = pulse::testing::some_answers(1, rng);
    written[0].hour = at("2026-03-29T01:59:59Z");
    const pulse::BatchBodyParse read =
        pulse::parse_batch_body(pulse::write_batch_body("t", "w", pulse::uuid_v4(rng), "v", written, rng));
    REQUIRE_MESSAGE(read.body, read.problem.message);
    CHECK(read.body->answers.at(0).hour == at("2026-03-29T01:00:00Z"));
}

TEST_CASE("answer hours have one form on the wire: whole UTC hours of real dates") {
    CHECK(pulse::format_answer_hour(at("2026-11-27T09:59:00Z")) == "2026-11-27T09:00:00Z");
    CHECK(pulse::parse_answer_hour("2026-11-27T09:00:00Z") == at("2026-11-27T09:00:00Z"));
    CHECK(pulse::parse_answer_hour("2028-02-29T23:00:00Z") == at("2028-02-29T23:00:00Z"));
    for (const char* bad : {"2026-11-27T09:30:00Z", "2026-11-27T09:00:00+01:00", "2026-02-30T09:00:00Z",
                            "2027-02-29T09:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27 09:00:00Z", "",
                            "2026-11-27T09:00:00z", "20261127T090000Z"}) {
        CHECK_MESSAGE(!pulse::parse_answer_hour(bad).has_value(), bad);
    }
}

TEST_CASE("ids on the wire are lower-case UUIDs, and the generator makes them") {
    pulse::Rng rng(1);
    for (int i = 0; i < 100; ++i) CHECK(pulse::is_uuid(pulse::uuid_v4(rng)));
    CHECK_FALSE(pulse::is_uuid("6F1D2C3B-0000-4ABC-8DEF-0123456789AB"));
    CHECK_FALSE(pulse::is_uuid("6f1d2c3b-0000-4abc-8def-0123456789a"));
}

TEST_CASE("the parser names the field of the first problem and marks too many answers apart") {
    pulse::Rng rng(9);
    const std::string good = pulse::write_batch_body("t", "w", pulse::uuid_v4(rng), "v",
                                                     pulse::testing::some_answers(3, rng), rng);
    nlohmann::json doc = nlohmann::json::parse(good);
    doc["answers"][2]["value"] = 6;
    pulse::BatchBodyParse bad = pulse::parse_batch_body(doc.dump());
    CHECK_FALSE(bad.body);
    CHECK_FALSE(bad.problem.too_many);
    CHECK(bad.problem.message == "answers[2].value: 6 is not 1–5 or null");

    const std::string many = pulse::write_batch_body("t", "w", pulse::uuid_v4(rng), "v",
                                                     pulse::testing::some_answers(5001, rng), rng);
    bad = pulse::parse_batch_body(many);
    CHECK_FALSE(bad.body);
    CHECK(bad.problem.too_many);
    CHECK(bad.problem.message.find("5001 answers, more than 5000") != std::string::npos);

    CHECK(pulse::parse_batch_body("{\"schema\": 1,").problem.message.find("body: not valid JSON") == 0);
}

namespace {

// True when text is UTF-8 and holds no control character (a message is
// sent as JSON and written to the operator's log as one line).
bool safe_message(const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
    } catch (const nlohmann::json::exception&) {
        return false;
    }
    return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

TEST_CASE("every hostile body is refused with a short message, safe to send and log, that names its field") {
    for (const pulse::testing::HostileBody& h : pulse::testing::hostile_bodies()) {
        CAPTURE(h.kind);
        const pulse::BatchBodyParse read = pulse::parse_batch_body(h.body);
        if (!h.form_error) {
            CHECK_MESSAGE(read.body, read.problem.message);  // the collector's rules refuse it (test_ingest.cpp)
            continue;
        }
        REQUIRE_FALSE(read.body);
        CHECK_FALSE(read.problem.too_many);
        CHECK_MESSAGE(read.problem.message.rfind(h.field, 0) == 0, read.problem.message);
        CHECK_MESSAGE(read.problem.message.size() < 400, read.problem.message.size(), " bytes");
        CHECK_MESSAGE(safe_message(read.problem.message), read.problem.message);
    }
}

TEST_CASE("a problem in the JSON text says where and what: overflow, NaN, a key twice, nesting") {
    using pulse::testing::hostile::answer_with;
    using pulse::testing::hostile::batch;
    const auto message = [](const std::string& body) { return pulse::parse_batch_body(body).problem.message; };
    const std::string overflow = batch(answer_with("value", "1e400"));
    CHECK(message(overflow) == "answers[1].value: not valid JSON at byte " +
                                   std::to_string(overflow.find("1e400") + 5) + " (number overflow parsing '1e400')");
    CHECK(message(batch(answer_with("value", "NaN"))).find("answers[1].value: not valid JSON at byte ") == 0);
    CHECK(message(batch(answer_with("value", "NaN"))).find("invalid literal") != std::string::npos);
    CHECK(message(batch(answer_with("question", "\"2.\xff\""))).find("ill-formed UTF-8 byte") != std::string::npos);
    CHECK(message(batch(answer_with("question", "\"2.\xff\""))).find("\\xff") != std::string::npos);  // shown, escaped
    CHECK(message(R"({"schema":1,"schema":1})") ==
          "schema: given twice in one object; a duplicate key is ambiguous, send each field once");

    // Nested exactly kMaxBodyDepth deep is JSON this parser reads (and then
    // refuses as a batch); one level more is refused while reading.
    const auto nested = [](std::size_t depth) {  // the top object and depth - 1 arrays in "x"
        return R"({"x":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
    };
    CHECK(message(nested(pulse::kMaxBodyDepth)) == "schema: missing");
    CHECK(message(nested(pulse::kMaxBodyDepth + 1)) ==
          "x[0][0][0][0][0][0][0]: nested deeper than 8 levels; a batch is 3 deep");
    CHECK(message("[[[[[[[[[[[[") == "body[0][0][0][0][0][0][0][0]: nested deeper than 8 levels; a batch is 3 deep");
    CHECK(message(R"({"schema":1,)").find("body: not valid JSON at byte 13 ") == 0);  // a key was due
    CHECK(message(R"({"schema":1, "a\u0000b":2})") == "terminal: missing");  // an escaped NUL is a key like any
}

TEST_CASE("text quoted in a message is escaped, never invalid UTF-8, and cut at a character") {
    CHECK(pulse::quoted_for_message("2.3") == "\"2.3\"");
    CHECK(pulse::quoted_for_message("a\"b\\c\nd\te\x01") == R"("a\"b\\c\nd\te\u0001")");
    CHECK(pulse::quoted_for_message("x\xffy\xc3") == R"("x\xffy\xc3")");
    CHECK(pulse::quoted_for_message("\xed\xa0\x80") == R"("\xed\xa0\x80")");  // a surrogate in UTF-8: not UTF-8
    CHECK(pulse::quoted_for_message("blåbær", 60) == "\"blåbær\"");
    CHECK(pulse::quoted_for_message("blåbær", 3) == "\"bl\"...");   // "å" would pass 3 bytes: cut before it
    CHECK(pulse::quoted_for_message("blåbær", 4) == "\"blå\"...");
    CHECK(pulse::quoted_for_message(std::string(1000000, 'x')).size() == 60 + 5);
    CHECK(pulse::quoted_for_message("€𝄞", 60) == "\"€𝄞\"");  // 3- and 4-byte forms pass as they are
}

}  // namespace common_test_protocol
