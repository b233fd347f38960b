// protocol.cpp — the batch body of protocol v1, written (nlohmann's
// ordered_json, members in the protocol's order) and read (every field
// checked, the first problem named). Reading goes through nlohmann's SAX
// interface (BoundedDom below) rather than json::parse: that keeps the path
// of what is being read for every message, refuses a key given twice and
// bounds the nesting before any DOM of it exists.
#include "common/protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace pulse {
namespace {

using nlohmann::json;

const std::vector<std::string> kBatchFields = {"schema", "terminal", "workplace", "batch", "bank", "answers"};
const std::vector<std::string> kAnswerFields = {"id", "question", "value", "lang", "hour"};

BatchBodyParse problem(std::string message, bool too_many = false) {
    BatchBodyParse p;
    p.problem = {too_many, std::move(message)};
    return p;
}

// [SECTION] Safe text for messages

// The length of the UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) starting at text[i], or 0 when the
// byte there does not start one.
std::size_t utf8_length_at(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;  // overlong
        if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;  // overlong
        if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return n;
}

// text escaped for a message: JSON's escapes (json_quotes: also \" and
// \\) for control characters, \xNN for a byte that is not UTF-8; at most
// max_bytes of text are taken. *cut is set when some were left.
std::string escaped(std::string_view text, std::size_t max_bytes, bool json_quotes, bool* cut) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = utf8_length_at(text, i);
        if (i + std::max<std::size_t>(n, 1) > max_bytes) break;
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (n == 0) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
            i += 1;
            continue;
        }
        if (n == 1 && (c < 0x20 || c == 0x7F)) {
            switch (c) {
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
            }
        } else if (json_quotes && (c == '"' || c == '\\')) {
            out += '\\';
            out += static_cast<char>(c);
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    if (cut) *cut = i < text.size();
    return out;
}

// A JSON value shortened for a message: `7`, `"x"`, `null`, `1e+23`.
std::string shown(const json& value) {
    if (value.is_string()) return quoted_for_message(value.get_ref<const std::string&>());
    // Every string in a parsed document is UTF-8 (the parser checks), but
    // replace rather than throw all the same.
    const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    bool cut = false;
    std::string out = escaped(text, 57, false, &cut);
    return cut ? out + "..." : out;
}

// A key as a step of a field's path: as it is when it looks like a field
// name, else quoted (a key may hold anything, a megabyte of it too).
std::string key_step(std::string_view key) {
    const bool plain = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    return plain ? std::string(key) : quoted_for_message(key, 40);
}

// [SECTION] Reading the JSON text

// A SAX handler that builds the document as nlohmann's own DOM parser does
// and stops at the first problem, which it names with the path of the value
// being read ("answers[2].value"): a syntax error, a number out of a
// double's range, a key an object already holds (nlohmann's DOM parser
// would keep one of the two silently), a value nested deeper than
// kMaxBodyDepth (a body is at most 3 deep; this bounds the work a hostile
// body can cause). Its problem is always safe to send and to log.
class BoundedDom {
public:
    explicit BoundedDom(json& root) : root_(root) {}

    std::string problem;  // set when a callback returned false

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(json::number_integer_t v) { return put(v); }
    bool number_unsigned(json::number_unsigned_t v) { return put(v); }
    bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
    bool string(json::string_t& v) { return put(std::move(v)); }
    bool binary(json::binary_t&) { return fail(where() + ": binary data is not JSON"); }  // only for CBOR & co.

    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(json::string_t& k) {
        Frame& top = stack_.back();
        auto [slot, fresh] = top.value->get_ref<json::object_t&>().emplace(k, nullptr);
        if (!fresh) {
            return fail(path(stack_.size() - 1) + step(top, k) +
                        ": given twice in one object; a duplicate key is ambiguous, send each field once");
        }
        top.key = std::move(k);
        top.slot = &slot->second;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        // e.what(): "[json.exception.parse_error.101] parse error at line 1,
        // column 9: syntax error while parsing value - invalid literal; last
        // read: '...'". The text read may be anything: escaped and cut.
        std::string_view what = e.what();
        if (const std::size_t end = what.find("] "); what.rfind("[json.exception.", 0) == 0 && end != what.npos) {
            what.remove_prefix(end + 2);
        }
        bool cut = false;
        const std::string reason = escaped(what, 200, false, &cut);
        return fail(where() + ": not valid JSON at byte " + std::to_string(position) + " (" + reason +
                    (cut ? "..." : "") + ")");
    }

private:
    struct Frame {
        json* value = nullptr;  // an object or array being read
        std::string key;        // object: the key of the member being read, "" between members
        json* slot = nullptr;   // object: that member's value, created with the key
    };

    // The path of stack_[0, depth), as a prefix for one more step.
    std::string path(std::size_t depth) const {
        std::string out;
        for (std::size_t d = 0; d < depth; ++d) {
            const Frame& f = stack_[d];
            // Below the top, each container is inside the member or element being read.
            out += f.value->is_array() ? index_step(f, f.value->size() - 1) : step(f, f.key);
        }
        return out;
    }
    // One step after a path: ".key" (no dot at the top) or "[i]" (the next element).
    std::string step(const Frame& f, std::string_view key) const {
        if (f.value->is_array()) return index_step(f, f.value->size());
        return (&f == &stack_.front() ? "" : ".") + key_step(key);
    }
    std::string index_step(const Frame& f, std::size_t i) const {
        return (&f == &stack_.front() ? "body[" : "[") + std::to_string(i) + "]";
    }
    // The value being read now: the next element of an array, the member
    // whose key was read; between members (a key or a comma is wrong), the
    // object itself. "body" for the top.
    std::string where() const {
        if (stack_.empty()) return "body";
        const Frame& top = stack_.back();
        if (top.value->is_object() && !top.slot) {
            const std::string p = path(stack_.size() - 1);
            return p.empty() ? "body" : p;
        }
        return path(stack_.size() - 1) + step(top, top.key);
    }

    bool fail(std::string message) {
        problem = std::move(message);
        return false;
    }

    // The value's place: the top, the next element, the member whose key was read.
    json* place() {
        if (stack_.empty()) return &root_;
        Frame& top = stack_.back();
        if (top.value->is_array()) {
            top.value->push_back(nullptr);
            return &top.value->back();
        }
        json* slot = top.slot;
        top.slot = nullptr;
        top.key.clear();
        return slot;
    }

    bool put(json v) {
        *place() = std::move(v);
        return true;
    }

    bool open(json container) {
        if (stack_.size() >= kMaxBodyDepth) {
            return fail(where() + ": nested deeper than " + std::to_string(kMaxBodyDepth) +
                        " levels; a batch is 3 deep");
        }
        // path() reads the open member's key of each frame below the top:
        // keep it until the container closes.
        Frame* top = stack_.empty() ? nullptr : &stack_.back();
        std::string key = top && top->value->is_object() ? top->key : std::string();
        json* slot = place();
        if (top && top->value->is_object()) top->key = std::move(key);
        *slot = std::move(container);
        stack_.push_back(Frame{slot, {}, nullptr});
        return true;
    }

    bool close() {
        stack_.pop_back();
        if (!stack_.empty() && stack_.back().value->is_object()) stack_.back().key.clear();
        return true;
    }

    json& root_;
    std::vector<Frame> stack_;  // the containers being read, outermost first
};

// "" when object has exactly fields; else what is missing or extra, prefixed
// by where: the first missing field in `fields` order, else the extra key
// that sorts first (object keys are unique, so "all present and the same
// count" means "exactly these").
std::string field_problem(const json& object, const std::vector<std::string>& fields, const std::string& where) {
    for (const std::string& f : fields) {
        if (!object.contains(f)) return where + f + ": missing";
    }
    if (object.size() == fields.size()) return "";
    for (const auto& item : object.items()) {
        if (std::find(fields.begin(), fields.end(), item.key()) == fields.end()) {
            return where + key_step(item.key()) + ": not a field of protocol v1";
        }
    }
    return "";
}

// The value of text[pos, pos + digits) as decimal digits, or -1.
int digits_at(std::string_view text, std::size_t pos, std::size_t digits) {
    int value = 0;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::string format_answer_hour(UnixSeconds hour) { return format_iso_utc(truncate_to_hour(hour)); }

// Read in place: this runs once per answer, 500 times a batch.
std::optional<UnixSeconds> parse_answer_hour(std::string_view text) {
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text.substr(13) != ":00:00Z") {
        return std::nullopt;
    }
    const int year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2),
              hour = digits_at(text, 11, 2);
    if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23) return std::nullopt;
    if (!is_valid_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) return std::nullopt;
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kSecondsPerDay +
           hour * kSecondsPerHour;
}

std::string write_batch_body(const std::string& terminal, const std::string& workplace, const std::string& batch_id,
                             const std::string& bank_version, std::vector<Answer> answers, Rng& rng) {
    std::shuffle(answers.begin(), answers.end(), rng);
    // ordered_json keeps the members in the protocol's order, for a reader of a capture.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Answer& a : answers) {
        nlohmann::ordered_json item;
        item["id"] = a.id;
        item["question"] = a.question;
        item["value"] = a.value ? nlohmann::ordered_json(*a.value) : nlohmann::ordered_json(nullptr);
        item["lang"] = a.lang;
        item["hour"] = format_answer_hour(a.hour);
        list.push_back(std::move(item));
    }
    nlohmann::ordered_json body;
    body["schema"] = kProtocolSchema;
    body["terminal"] = terminal;
    body["workplace"] = workplace;
    body["batch"] = batch_id;
    body["bank"] = bank_version;
    body["answers"] = std::move(list);
    // replace: invalid UTF-8 (impossible in checked config) must not throw.
    return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

BatchBodyParse parse_batch_body(std::string_view json_text) {
    // [SECTION] The batch object
    json doc;
    BoundedDom dom(doc);
    if (!json::sax_parse(json_text.begin(), json_text.end(), &dom)) {
        return problem(dom.problem.empty() ? "body: not valid JSON" : dom.problem);
    }
    if (!doc.is_object()) return problem("body: must be a JSON object, not " + std::string(doc.type_name()));
    if (std::string p = field_problem(doc, kBatchFields, ""); !p.empty()) return problem(p);

    const json& schema = doc["schema"];
    if (!schema.is_number_integer() || schema.get<std::int64_t>() != kProtocolSchema) {
        return problem("schema: " + shown(schema) + " is not 1 (this server speaks protocol v1)");
    }
    for (const char* f : {"terminal", "workplace", "batch", "bank"}) {
        if (!doc[f].is_string()) return problem(std::string(f) + ": must be a string, not " + shown(doc[f]));
    }
    BatchBody body;
    body.terminal = doc["terminal"].get<std::string>();
    body.workplace = doc["workplace"].get<std::string>();
    body.batch_id = doc["batch"].get<std::string>();
    body.bank_version = doc["bank"].get<std::string>();
    if (!is_uuid(body.batch_id)) return problem("batch: " + quoted_for_message(body.batch_id) + " is not a UUID");
    const json& list = doc["answers"];
    if (!list.is_array()) return problem("answers: must be an array, not " + shown(list));
    if (list.size() > kMaxBatchAnswers) {
        return problem("answers: " + std::to_string(list.size()) + " answers, more than " +
                           std::to_string(kMaxBatchAnswers) + " in one batch",
                       /*too_many=*/true);
    }

    // [SECTION] Each answer
    body.answers.reserve(list.size());
    std::unordered_set<std::string_view> ids;  // views into doc, which outlives the set
    ids.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& a = list[i];
        const auto where = [i] { return "answers[" + std::to_string(i) + "]."; };
        if (!a.is_object()) return problem("answers[" + std::to_string(i) + "]: must be an object, not " + shown(a));
        if (a.size() != kAnswerFields.size() ||
            !std::all_of(kAnswerFields.begin(), kAnswerFields.end(), [&](const std::string& f) { return a.contains(f); })) {
            return problem(field_problem(a, kAnswerFields, where()));
        }
        const json& id = a["id"];
        const json& question = a["question"];
        const json& value = a["value"];
        const json& lang = a["lang"];
        const json& hour_text = a["hour"];
        Answer answer;

        if (!id.is_string() || !is_uuid(id.get_ref<const std::string&>())) {
            return problem(where() + "id: " + shown(id) + " is not a UUID");
        }
        const std::string& id_text = id.get_ref<const std::string&>();
        if (!ids.insert(id_text).second) return problem(where() + "id: " + shown(id) + " appears twice in this batch");
        answer.id = id_text;

        if (!question.is_string()) return problem(where() + "question: " + shown(question) + " is not a string");
        answer.question = question.get_ref<const std::string&>();

        if (!value.is_null()) {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 5) {
                return problem(where() + "value: " + shown(value) + " is not 1–5 or null");
            }
            answer.value = value.get<int>();
        }

        if (!lang.is_string() || (lang.get_ref<const std::string&>() != "da" && lang.get_ref<const std::string&>() != "en")) {
            return problem(where() + "lang: " + shown(lang) + " is not \"da\" or \"en\"");
        }
        answer.lang = lang.get_ref<const std::string&>();

        const std::optional<UnixSeconds> hour =
            hour_text.is_string() ? parse_answer_hour(hour_text.get_ref<const std::string&>()) : std::nullopt;
        if (!hour) return problem(where() + "hour: " + shown(hour_text) + " is not a UTC hour \"YYYY-MM-DDTHH:00:00Z\"");
        answer.hour = *hour;
        body.answers.push_back(std::move(answer));
    }
    BatchBodyParse ok;
    ok.body = std::move(body);
    return ok;
}

std::string quoted_for_message(std::string_view text, std::size_t max_bytes) {
    bool cut = false;
    const std::string inner = escaped(text, max_bytes, true, &cut);
    return "\"" + inner + "\"" + (cut ? "..." : "");
}

}  // namespace pulse
