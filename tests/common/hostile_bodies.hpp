// hostile_bodies.hpp — batch bodies written to break a parser, one per kind
// (numbers beyond a double, NaN and Infinity, bytes that are not UTF-8 in
// values and keys, deep nesting, duplicate keys, huge strings, control
// characters, trailing bytes), each made from one valid batch of the
// collector tests' terminal "term-a" (workplace "wp-a", bank "2026.1", hours
// at 2026-11-27T09:00Z) by changing one thing, with the field its refusal
// must name. Used at every level: the parser (test_protocol.cpp), the
// collector's rules (test_ingest.cpp) and the real server (test_server.cpp).
#pragma once

#include <string>
#include <vector>

namespace pulse::testing {

struct HostileBody {
    std::string kind;        // what is wrong, for the test's report
    std::string body;        // the bytes sent
    std::string field;       // the refusal's message starts with this (then ": " or more of the path)
    int status = 400;        // the collector's answer
    bool form_error = true;  // refused by parse_batch_body itself (else by the collector's rules)
};

namespace hostile {

inline const std::string kFirstAnswer =
    R"({"id":"00000000-0000-4000-8000-000000000001","question":"2.3","value":4,"lang":"da","hour":"2026-11-27T09:00:00Z"})";

// A valid batch whose top members before "answers" are `top` (the batch's
// own when empty) and whose second answer is `second` (raw text).
inline std::string batch(const std::string& second, const std::string& top = "") {
    const std::string head = top.empty() ? R"("schema":1,"terminal":"term-a","workplace":"wp-a",)"
                                           R"("batch":"00000000-0000-4000-8000-000000000bad","bank":"2026.1")"
                                         : top;
    return "{" + head + R"(,"answers":[)" + kFirstAnswer + "," + second + "]}";
}

// The second answer with its value (raw JSON text) replaced.
inline std::string answer_with(const std::string& key, const std::string& raw_value) {
    std::string fields[][2] = {{"id", R"("00000000-0000-4000-8000-000000000002")"},
                               {"question", R"("2.3")"},
                               {"value", "4"},
                               {"lang", R"("da")"},
                               {"hour", R"("2026-11-27T09:00:00Z")"}};
    std::string out = "{";
    for (auto& [k, v] : fields) {
        out += (out.size() > 1 ? "," : "") + ("\"" + k + "\":") + (k == key ? raw_value : v);
    }
    return out + "}";
}

inline const std::string kTop = R"("schema":1,"terminal":"term-a","workplace":"wp-a",)"
                                R"("batch":"00000000-0000-4000-8000-000000000bad","bank":"2026.1")";

}  // namespace hostile

// Every kind, each a body of at most 2 MiB (so that it reaches the parser).
inline std::vector<HostileBody> hostile_bodies() {
    using namespace hostile;
    const std::string huge(1500 * 1000, 'x');  // 1.5 MB: under the 2 MiB limit
    std::string deep_array, deep_object;
    for (int i = 0; i < 100; ++i) deep_array += "[";
    deep_array += "1";
    for (int i = 0; i < 100; ++i) deep_array += "]";
    for (int i = 0; i < 50; ++i) deep_object += R"({"a":)";
    deep_object += "1";
    for (int i = 0; i < 50; ++i) deep_object += "}";
    const std::string only_brackets(1000 * 1000, '[');

    return {
        {"a number beyond a double", batch(answer_with("value", "1e400")), "answers[1].value: "},
        {"a negative number beyond a double", batch(answer_with("value", "-1e400")), "answers[1].value: "},
        {"a number beyond a double at the top", batch(answer_with("value", "4"), R"("schema":1e999,)" + kTop.substr(11)),
         "schema: "},
        {"an integer beyond 64 bits", batch(answer_with("value", "18446744073709551616")), "answers[1].value: "},
        {"NaN", batch(answer_with("value", "NaN")), "answers[1].value: "},
        {"Infinity", batch(answer_with("value", "Infinity")), "answers[1].value: "},
        {"-Infinity", batch(answer_with("value", "-Infinity")), "answers[1].value: "},
        {"a byte that is not UTF-8 in a value", batch(answer_with("question", "\"2.\xff\"")), "answers[1].question: "},
        {"a UTF-8 sequence cut short", batch(answer_with("lang", "\"d\xc3\"")), "answers[1].lang: "},
        {"an overlong UTF-8 form", batch(answer_with("value", "4"), R"("schema":1,"terminal":"term-)" "\xc0\xaf"
                                                                    R"(","workplace":"wp-a","batch":"00000000-0000-4000-8000-000000000bad","bank":"2026.1")"),
         "terminal: "},
        {"a lone UTF-16 surrogate escape", batch(answer_with("question", R"("\ud800")")), "answers[1].question: "},
        {"a byte that is not UTF-8 in a key", batch(R"({"id":"00000000-0000-4000-8000-000000000002","qu)" "\xfe"
                                                    R"(estion":"2.3","value":4,"lang":"da","hour":"2026-11-27T09:00:00Z"})"),
         "answers[1]: "},
        {"a byte that is not UTF-8 in a top key", batch(answer_with("value", "4"), kTop + ",\"\xff\":1"), "body: "},
        {"a raw control character in a string", batch(answer_with("question", "\"2.\n3\"")), "answers[1].question: "},
        {"an array nested 100 deep in a field", batch(answer_with("value", deep_array)), "answers[1].value"},
        {"objects nested 50 deep in an extra field", batch(answer_with("value", "4"), kTop + ",\"extra\":" + deep_object),
         "extra.a.a"},
        {"a body of a million [", only_brackets, "body[0][0]"},
        {"a key twice at the top", batch(answer_with("value", "4"), kTop + R"(,"bank":"2026.1")"), "bank: "},
        {"a key twice in an answer", batch(R"({"id":"00000000-0000-4000-8000-000000000002","question":"2.3","value":4,)"
                                           R"("value":1,"lang":"da","hour":"2026-11-27T09:00:00Z"})"),
         "answers[1].value: "},
        {"a huge string where a short one is due", batch(answer_with("lang", "\"" + huge + "\"")), "answers[1].lang: "},
        {"a huge key", batch(R"({"id":"00000000-0000-4000-8000-000000000002","question":"2.3","value":4,"lang":"da",)"
                             R"("hour":"2026-11-27T09:00:00Z",")" + huge + R"(":1})"),
         "answers[1].\"xxxx"},
        {"a huge question", batch(answer_with("question", "\"" + huge + "\"")), "answers[1].question: ", 400, false},
        {"a huge terminal id", batch(answer_with("value", "4"), R"("schema":1,"terminal":")" + huge +
                                                                   R"(","workplace":"wp-a","batch":"00000000-0000-4000-8000-000000000bad","bank":"2026.1")"),
         "terminal: ", 403, false},
        {"bytes after the batch", batch(answer_with("value", "4")) + " {}", "body: "},
        {"an empty body", "", "body: "},
        {"a body of zero bytes", std::string(64, '\0'), "body: "},
    };
}

}  // namespace pulse::testing
