// ingest.cpp — validation of one uploaded batch (see ingest.hpp): size and
// gzip limits, the JSON shape of protocol v1, and every answer's fields.
#include "ingest.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <set>

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

// "" when object has exactly fields; else what is missing or extra, prefixed by where.
std::string field_problem(const json& object, const std::vector<std::string>& fields, const std::string& where) {
    for (const std::string& f : fields) {
        if (!object.contains(f)) return where + f + ": missing";
    }
    for (const auto& item : object.items()) {
        if (std::find(fields.begin(), fields.end(), item.key()) == fields.end()) {
            return where + item.key() + ": not a field of protocol v1";
        }
    }
    return "";
}

// The hour of "YYYY-MM-DDTHH:00:00Z" exactly, or nullopt.
std::optional<UnixSeconds> parse_hour(const std::string& text) {
    if (text.size() != 20 || text.compare(13, 7, ":00:00Z") != 0) return std::nullopt;
    const std::optional<UnixSeconds> t = parse_iso8601(text);
    if (!t || format_iso_utc(*t) != text) return std::nullopt;  // rejects 2026-02-30 and the like
    return t;
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
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "answers[" + std::to_string(i) + "].";
        const json& a = list[i];
        if (!a.is_object()) return reject(400, "answers[" + std::to_string(i) + "]: must be an object, not " + shown(a));
        if (std::string p = field_problem(a, kAnswerFields, where); !p.empty()) return reject(400, p);
        Answer answer;

        if (!a["id"].is_string() || !is_uuid(a["id"].get<std::string>())) {
            return reject(400, where + "id: " + shown(a["id"]) + " is not a UUID");
        }
        answer.id = a["id"].get<std::string>();
        if (!ids.insert(answer.id).second) {
            return reject(400, where + "id: \"" + answer.id + "\" appears twice in this batch");
        }

        if (!a["question"].is_string() || !bank->find_question(a["question"].get<std::string>())) {
            return reject(400, where + "question: " + shown(a["question"]) + " is not a question of bank \"" +
                                   bank->version + "\"");
        }
        answer.question = a["question"].get<std::string>();

        const json& value = a["value"];
        if (!value.is_null()) {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 5) {
                return reject(400, where + "value: " + shown(value) + " is not 1–5 or null");
            }
            answer.value = value.get<int>();
        }

        if (!a["lang"].is_string() || (a["lang"] != "da" && a["lang"] != "en")) {
            return reject(400, where + "lang: " + shown(a["lang"]) + " is not \"da\" or \"en\"");
        }
        answer.lang = a["lang"].get<std::string>();

        const std::optional<UnixSeconds> hour =
            a["hour"].is_string() ? parse_hour(a["hour"].get<std::string>()) : std::nullopt;
        if (!hour) {
            return reject(400, where + "hour: " + shown(a["hour"]) + " is not a UTC hour \"YYYY-MM-DDTHH:00:00Z\"");
        }
        if (*hour > latest) {
            return reject(400, where + "hour: " + shown(a["hour"]) + " is in the future (server time " +
                                   format_iso_utc(now) + "); check the terminal's clock");
        }
        if (*hour < oldest) {
            return reject(400, where + "hour: " + shown(a["hour"]) + " is older than " +
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
