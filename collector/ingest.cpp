// ingest.cpp — validation of one uploaded batch (see ingest.hpp): size and
// gzip limits, the JSON shape of protocol v1, and every answer's fields.
#include "ingest.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <unordered_set>

namespace pulse {
namespace {

using nlohmann::json;

IngestResult reject(int status, std::string message) {
    IngestResult r;
    r.rejection = {status, std::move(message)};
    return r;
}

// A JSON value shortened for a message: `7`, `"x"`, `null`.
std::string shown(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

const std::vector<std::string> kBatchFields = {"schema", "terminal", "workplace", "batch", "bank", "answers"};
const std::vector<std::string> kAnswerFields = {"id", "question", "value", "lang", "hour"};

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

// The hour of "YYYY-MM-DDTHH:00:00Z" exactly (a real date, hour 00–23), or
// nullopt. Read in place: this runs once per answer, 500 times a batch.
std::optional<UnixSeconds> parse_hour(std::string_view text) {
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text.substr(13) != ":00:00Z") {
        return std::nullopt;
    }
    const int year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2),
              hour = digits_at(text, 11, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return std::nullopt;
    const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    int y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(days, y, m, d);
    if (y != year || m != static_cast<unsigned>(month) || d != static_cast<unsigned>(day)) return std::nullopt;  // 2026-02-30
    return days * 86400 + hour * 3600;
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

std::optional<std::string> gunzip_limited(std::string_view compressed, std::size_t limit_bytes,
                                          IngestRejection* rejection) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) {  // 32: gzip or zlib header, detected
        *rejection = {500, "cannot start the gzip decoder"};
        return std::nullopt;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    char chunk[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(chunk, sizeof chunk - z.avail_out);
        if (out.size() > limit_bytes) {
            inflateEnd(&z);
            *rejection = {413, "body: more than " + std::to_string(limit_bytes) +
                                   " bytes after gzip decompression; send smaller batches"};
            return std::nullopt;
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // input ended before the stream did
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        *rejection = {400, "body: not valid gzip (corrupt or truncated)"};
        return std::nullopt;
    }
    return out;
}

IngestResult validate_batch(std::string_view body, const std::string& content_encoding,
                            const TerminalEntry& terminal, const CollectorConfig& config, UnixSeconds now) {
    // [SECTION] Size and encoding
    if (body.size() > kMaxBodyBytes) {
        return reject(413, "body: " + std::to_string(body.size()) + " bytes, more than the limit of " +
                               std::to_string(kMaxBodyBytes) + "; send smaller batches");
    }
    std::string inflated;
    if (content_encoding == "gzip" || content_encoding == "x-gzip") {
        IngestRejection why;
        std::optional<std::string> text = gunzip_limited(body, kMaxBodyBytes, &why);
        if (!text) return reject(why.status, why.message);
        inflated = std::move(*text);
        body = inflated;
    } else if (!content_encoding.empty() && content_encoding != "identity") {
        return reject(415, "Content-Encoding: \"" + content_encoding + "\" is not supported; send gzip or none");
    }

    // [SECTION] The batch object
    json doc;
    try {
        doc = json::parse(body.begin(), body.end());
    } catch (const json::parse_error& e) {
        return reject(400, std::string("body: not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object()) return reject(400, "body: must be a JSON object, not " + std::string(doc.type_name()));
    if (std::string p = field_problem(doc, kBatchFields, ""); !p.empty()) return reject(400, p);

    const json& schema = doc["schema"];
    if (!schema.is_number_integer() || schema.get<std::int64_t>() != 1) {
        return reject(400, "schema: " + shown(schema) + " is not 1 (this server speaks protocol v1)");
    }
    for (const char* f : {"terminal", "workplace", "batch", "bank"}) {
        if (!doc[f].is_string()) return reject(400, std::string(f) + ": must be a string, not " + shown(doc[f]));
    }
    const std::string terminal_id = doc["terminal"].get<std::string>();
    if (terminal_id != terminal.id) {
        return reject(403, "terminal: \"" + terminal_id + "\" is not the terminal this token belongs to");
    }
    const std::string workplace = doc["workplace"].get<std::string>();
    if (workplace != terminal.workplace) {
        return reject(403, "workplace: \"" + workplace + "\" is not this terminal's workplace; a terminal uploads "
                           "only for its own workplace");
    }
    const std::string batch_id = doc["batch"].get<std::string>();
    if (!is_uuid(batch_id)) return reject(400, "batch: \"" + batch_id + "\" is not a UUID");
    const QuestionBank* bank = config.find_bank(doc["bank"].get<std::string>());
    if (!bank) {
        std::string known;
        for (const QuestionBank& b : config.banks) known += (known.empty() ? "" : ", ") + ("\"" + b.version + "\"");
        return reject(400, "bank: \"" + doc["bank"].get<std::string>() + "\" is not a question bank this server "
                           "knows (" + known + ")");
    }
    const json& list = doc["answers"];
    if (!list.is_array()) return reject(400, "answers: must be an array, not " + shown(list));
    if (list.size() > kMaxBatchAnswers) {
        return reject(413, "answers: " + std::to_string(list.size()) + " answers, more than " +
                               std::to_string(kMaxBatchAnswers) + " in one batch");
    }

    // [SECTION] Each answer
    const UnixSeconds latest = truncate_to_hour(now + kClockSkew_s);
    const UnixSeconds oldest = now - static_cast<UnixSeconds>(config.max_age_days) * 86400;
    IngestBatch batch;
    batch.batch_id = batch_id;
    batch.workplace = terminal.workplace;
    batch.answers.reserve(list.size());
    std::unordered_set<std::string_view> ids;  // views into doc, which outlives the set
    ids.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& a = list[i];
        if (!a.is_object()) return reject(400, "answers[" + std::to_string(i) + "]: must be an object, not " + shown(a));
        if (a.size() != kAnswerFields.size() || !std::all_of(kAnswerFields.begin(), kAnswerFields.end(),
                                                             [&](const std::string& f) { return a.contains(f); })) {
            return reject(400, field_problem(a, kAnswerFields, "answers[" + std::to_string(i) + "]."));
        }
        const auto where = [i] { return "answers[" + std::to_string(i) + "]."; };
        const json& id = a["id"];
        const json& question = a["question"];
        const json& value = a["value"];
        const json& lang = a["lang"];
        const json& hour_text = a["hour"];
        Answer answer;

        if (!id.is_string() || !is_uuid(id.get_ref<const std::string&>())) {
            return reject(400, where() + "id: " + shown(id) + " is not a UUID");
        }
        const std::string& id_text = id.get_ref<const std::string&>();
        if (!ids.insert(id_text).second) {
            return reject(400, where() + "id: \"" + id_text + "\" appears twice in this batch");
        }
        answer.id = id_text;

        if (!question.is_string() || !bank->find_question(question.get_ref<const std::string&>())) {
            return reject(400, where() + "question: " + shown(question) + " is not a question of bank \"" +
                                   bank->version + "\"");
        }
        answer.question = question.get_ref<const std::string&>();

        if (!value.is_null()) {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 5) {
                return reject(400, where() + "value: " + shown(value) + " is not 1–5 or null");
            }
            answer.value = value.get<int>();
        }

        if (!lang.is_string() || (lang.get_ref<const std::string&>() != "da" && lang.get_ref<const std::string&>() != "en")) {
            return reject(400, where() + "lang: " + shown(lang) + " is not \"da\" or \"en\"");
        }
        answer.lang = lang.get_ref<const std::string&>();

        const std::optional<UnixSeconds> hour =
            hour_text.is_string() ? parse_hour(hour_text.get_ref<const std::string&>()) : std::nullopt;
        if (!hour) {
            return reject(400, where() + "hour: " + shown(hour_text) + " is not a UTC hour \"YYYY-MM-DDTHH:00:00Z\"");
        }
        if (*hour > latest) {
            return reject(400, where() + "hour: " + shown(hour_text) + " is in the future (server time " +
                                   format_iso_utc(now) + "); check the terminal's clock");
        }
        if (*hour < oldest) {
            return reject(400, where() + "hour: " + shown(hour_text) + " is older than " +
                                   std::to_string(config.max_age_days) + " days ([storage] max_age_days)");
        }
        answer.hour = *hour;
        batch.answers.push_back(std::move(answer));
    }
    IngestResult ok;
    ok.batch = std::move(batch);
    return ok;
}

}  // namespace pulse
