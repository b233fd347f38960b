// protocol.cpp — the batch body of protocol v1, written (nlohmann's
// ordered_json, members in the protocol's order) and read (every field
// checked, the first problem named).
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

// A JSON value shortened for a message: `7`, `"x"`, `null`.
std::string shown(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

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
            return where + item.key() + ": not a field of protocol v1";
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
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::exception& e) {
        return problem(std::string("body: not valid JSON (") + e.what() + ")");
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
    if (!is_uuid(body.batch_id)) return problem("batch: \"" + body.batch_id + "\" is not a UUID");
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
        if (!ids.insert(id_text).second) return problem(where() + "id: \"" + id_text + "\" appears twice in this batch");
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

}  // namespace pulse
