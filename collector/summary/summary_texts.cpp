// summary_texts.cpp — the summary's words: the keys a texts file must hold
// (one per field of SummaryWords, with the placeholders each takes), the
// strict loader of config/summary_texts.toml, and placeholder filling.
#include "collector/summary/summary_texts.hpp"

#include "common/question_bank.hpp"  // kLanguages
#include "common/texts_file.hpp"
#include "common/toml_util.hpp"

#include <algorithm>
#include <cassert>
#include <span>
#include <vector>

namespace pulse {
namespace {

// [SECTION] The keys

// One key of a language table and the field of SummaryWords it fills.
struct WordsKey {
    std::string_view key;
    std::span<std::string> (*field)(SummaryWords&);  // one string, or the array's entries
    bool list = false;                               // an array of field(…).size() strings
    std::string_view order;                          // for a list: how its entries are ordered
    std::vector<std::string_view> placeholders;      // the {names} its text may hold
};

template <auto Field>
WordsKey string_key(std::string_view key, std::vector<std::string_view> placeholders = {}) {
    return {key, [](SummaryWords& w) { return std::span<std::string>(&(w.*Field), 1); }, false, {},
            std::move(placeholders)};
}

template <auto Field>
WordsKey array_key(std::string_view key, std::string_view order) {
    return {key, [](SummaryWords& w) { return std::span<std::string>(w.*Field); }, true, order, {}};
}

// Every field of SummaryWords, once, in the file's order: the contract
// between config/summary_texts.toml and the renderers.
const std::vector<WordsKey>& words_keys() {
    static const std::vector<WordsKey> keys = {
        string_key<&SummaryWords::too_few>("too_few"),
        array_key<&SummaryWords::weekdays>("weekdays", "Monday first"),
        array_key<&SummaryWords::csv_columns>("csv_columns", "the CSV's columns, left to right"),
        string_key<&SummaryWords::level_participation>("level_participation"),
        string_key<&SummaryWords::level_theme>("level_theme"),
        string_key<&SummaryWords::level_question>("level_question"),
        string_key<&SummaryWords::whole_week>("whole_week"),
        string_key<&SummaryWords::title>("title"),
        array_key<&SummaryWords::scale>("scale", "the answers 1 to 5"),
        array_key<&SummaryWords::weekdays_short>("weekdays_short", "Monday first"),
        array_key<&SummaryWords::months>("months", "January first"),
        string_key<&SummaryWords::week_heading>("week_heading", {"week", "year", "dates"}),
        string_key<&SummaryWords::dates_one_month>("dates_one_month", {"first_day", "last_day", "month", "year"}),
        string_key<&SummaryWords::dates_two_months>("dates_two_months",
                                                    {"first_day", "first_month", "last_day", "last_month", "year"}),
        string_key<&SummaryWords::answers_in_week>("answers_in_week", {"answers"}),
        string_key<&SummaryWords::item_answers>("item_answers", {"n"}),
        string_key<&SummaryWords::item_dont_know>("item_dont_know", {"n"}),
        string_key<&SummaryWords::agree>("agree", {"percent"}),
        string_key<&SummaryWords::disagree>("disagree", {"percent"}),
        array_key<&SummaryWords::bar_legend>("bar_legend", "answers 1–2, 3, 4–5"),
        array_key<&SummaryWords::theme_columns>("theme_columns", "theme, mean, agree, disagree, change, answers"),
        string_key<&SummaryWords::mean>("mean"),
        string_key<&SummaryWords::change>("change"),
        string_key<&SummaryWords::trend>("trend"),
        string_key<&SummaryWords::trend_week>("trend_week", {"week", "mean"}),
        string_key<&SummaryWords::trend_periods>("trend_periods"),
        string_key<&SummaryWords::period_weeks>("period_weeks", {"first", "last"}),
        string_key<&SummaryWords::questions_period>("questions_period", {"weeks"}),
        string_key<&SummaryWords::questions_none>("questions_none"),
        string_key<&SummaryWords::statements_in>("statements_in", {"weeks"}),
        string_key<&SummaryWords::since_week>("since_week"),
        string_key<&SummaryWords::since_period>("since_period"),
        string_key<&SummaryWords::low>("low"),
        string_key<&SummaryWords::days_heading>("days_heading"),
        string_key<&SummaryWords::moved>("moved"),
        string_key<&SummaryWords::moved_up>("moved_up", {"item", "before", "now", "since", "n_before", "n"}),
        string_key<&SummaryWords::moved_down>("moved_down", {"item", "before", "now", "since", "n_before", "n"}),
        string_key<&SummaryWords::moved_rule>("moved_rule", {"min_n"}),
        string_key<&SummaryWords::nothing_moved>("nothing_moved"),
        string_key<&SummaryWords::highest>("highest"),
        string_key<&SummaryWords::lowest>("lowest"),
        string_key<&SummaryWords::mean_line>("mean_line", {"item", "mean", "n"}),
        string_key<&SummaryWords::withheld_items>("withheld_items"),
        string_key<&SummaryWords::anonymity>("anonymity", {"min_answers"}),
        string_key<&SummaryWords::inactive>("inactive"),
        string_key<&SummaryWords::email_subject>("email_subject", {"workplace", "week", "year"}),
        string_key<&SummaryWords::email_answers>("email_answers", {"answers"}),
        string_key<&SummaryWords::email_themes>("email_themes"),
        string_key<&SummaryWords::email_no_answers>("email_no_answers"),
        string_key<&SummaryWords::email_favourable>("email_favourable", {"percent"}),
        string_key<&SummaryWords::email_html_part>("email_html_part"),
        string_key<&SummaryWords::email_anonymity>("email_anonymity", {"min_answers"}),
        string_key<&SummaryWords::email_sent_by>("email_sent_by"),
        string_key<&SummaryWords::email_week_link>("email_week_link", {"link"}),
        string_key<&SummaryWords::email_open_page>("email_open_page"),
        string_key<&SummaryWords::email_csv>("email_csv"),
        string_key<&SummaryWords::web_other_language>("web_other_language"),
        string_key<&SummaryWords::web_signin_heading>("web_signin_heading"),
        string_key<&SummaryWords::web_signin_intro>("web_signin_intro"),
        string_key<&SummaryWords::web_email_label>("web_email_label"),
        string_key<&SummaryWords::web_signin_button>("web_signin_button"),
        string_key<&SummaryWords::web_not_an_address>("web_not_an_address", {"email"}),
        string_key<&SummaryWords::web_check_mail>("web_check_mail"),
        string_key<&SummaryWords::web_check_mail_text>("web_check_mail_text", {"email"}),
        string_key<&SummaryWords::web_rate_limited>("web_rate_limited", {"minutes"}),
        string_key<&SummaryWords::web_link_heading>("web_link_heading"),
        string_key<&SummaryWords::web_link_text>("web_link_text"),
        string_key<&SummaryWords::web_link_button>("web_link_button"),
        string_key<&SummaryWords::web_link_refused>("web_link_refused"),
        string_key<&SummaryWords::web_link_refused_text>("web_link_refused_text"),
        string_key<&SummaryWords::web_new_link>("web_new_link"),
        string_key<&SummaryWords::web_form_expired>("web_form_expired"),
        string_key<&SummaryWords::web_signed_in_as>("web_signed_in_as", {"email"}),
        string_key<&SummaryWords::web_sign_out>("web_sign_out"),
        string_key<&SummaryWords::web_signed_out>("web_signed_out"),
        string_key<&SummaryWords::web_my_workplaces>("web_my_workplaces"),
        string_key<&SummaryWords::web_no_workplaces>("web_no_workplaces"),
        string_key<&SummaryWords::web_overview_link>("web_overview_link"),
        string_key<&SummaryWords::web_weeks_heading>("web_weeks_heading", {"workplace"}),
        string_key<&SummaryWords::web_week_item>("web_week_item", {"week", "year"}),
        string_key<&SummaryWords::web_no_weeks>("web_no_weeks"),
        string_key<&SummaryWords::web_csv>("web_csv"),
        string_key<&SummaryWords::web_print>("web_print"),
        string_key<&SummaryWords::web_back>("web_back"),
        string_key<&SummaryWords::web_overview_heading>("web_overview_heading", {"week", "year"}),
        string_key<&SummaryWords::web_overview_intro>("web_overview_intro"),
        array_key<&SummaryWords::web_overview_columns>("web_overview_columns",
                                                      "workplace, terminals, answers, late answers"),
        string_key<&SummaryWords::web_earlier_week>("web_earlier_week"),
        string_key<&SummaryWords::web_later_week>("web_later_week"),
        string_key<&SummaryWords::web_forbidden>("web_forbidden"),
        string_key<&SummaryWords::web_forbidden_text>("web_forbidden_text"),
        string_key<&SummaryWords::web_not_found>("web_not_found"),
        string_key<&SummaryWords::web_not_found_text>("web_not_found_text"),
        string_key<&SummaryWords::web_unavailable>("web_unavailable"),
        string_key<&SummaryWords::signin_mail_subject>("signin_mail_subject"),
        string_key<&SummaryWords::signin_mail_text>("signin_mail_text", {"name", "link", "minutes"}),
        string_key<&SummaryWords::web_fleet_link>("web_fleet_link"),
        string_key<&SummaryWords::web_fleet_heading>("web_fleet_heading"),
        string_key<&SummaryWords::web_fleet_intro>("web_fleet_intro", {"now"}),
        array_key<&SummaryWords::web_fleet_columns>(
            "web_fleet_columns", "terminal, workplace, state, last heartbeat, version, config version, screen, "
                                 "uptime, last upload, clock offset, free disk, problems"),
        array_key<&SummaryWords::web_fleet_states>("web_fleet_states", "ok, stale, silent, error"),
        array_key<&SummaryWords::web_fleet_screens>("web_fleet_screens", "in_service, closed, out_of_order"),
        array_key<&SummaryWords::web_fleet_problems>(
            "web_fleet_problems",
            "database, answers set aside, out of order, clock offset, unreadable report, overlay reverted"),
        string_key<&SummaryWords::web_fleet_never>("web_fleet_never"),
        string_key<&SummaryWords::web_fleet_none>("web_fleet_none"),
        string_key<&SummaryWords::fleet_alert_subject>("fleet_alert_subject", {"terminal", "workplace"}),
        string_key<&SummaryWords::fleet_alert_text>("fleet_alert_text",
                                                    {"terminal", "workplace", "last_heartbeat", "hours"}),
        string_key<&SummaryWords::fleet_recovered_subject>("fleet_recovered_subject", {"terminal", "workplace"}),
        string_key<&SummaryWords::fleet_recovered_text>("fleet_recovered_text",
                                                        {"terminal", "workplace", "last_heartbeat"}),
        string_key<&SummaryWords::fleet_mail_link>("fleet_mail_link", {"link"}),
        string_key<&SummaryWords::web_response_heading>("web_response_heading", {"name", "week", "year"}),
        string_key<&SummaryWords::web_response_form_heading>("web_response_form_heading"),
        string_key<&SummaryWords::web_response_form_intro>("web_response_form_intro"),
        string_key<&SummaryWords::web_response_field_da>("web_response_field_da"),
        string_key<&SummaryWords::web_response_field_en>("web_response_field_en"),
        string_key<&SummaryWords::web_response_hint_da>("web_response_hint_da", {"max"}),
        string_key<&SummaryWords::web_response_hint_en>("web_response_hint_en", {"max"}),
        string_key<&SummaryWords::web_response_save>("web_response_save"),
        string_key<&SummaryWords::web_response_empty>("web_response_empty", {"field"}),
        string_key<&SummaryWords::web_response_too_long>("web_response_too_long", {"field", "length", "max"}),
        string_key<&SummaryWords::web_response_not_text>("web_response_not_text", {"field"}),
        string_key<&SummaryWords::web_response_closed>("web_response_closed"),
        string_key<&SummaryWords::web_response_closed_text>("web_response_closed_text"),
        string_key<&SummaryWords::web_response_history>("web_response_history"),
        string_key<&SummaryWords::web_response_history_item>("web_response_history_item", {"time", "name", "email"}),
    };
    return keys;
}

const WordsKey* find_key(std::string_view key) {
    for (const WordsKey& k : words_keys()) {
        if (k.key == key) return &k;
    }
    return nullptr;
}

// [SECTION] The loader

using Reporter = TextsReporter;

// One string of a key (the key's value, or an entry of its array) into out;
// false, with the problem reported, when it is not a usable text.
bool read_text(const std::string& where, const WordsKey& key, const toml::node& node, std::string& out,
               const Reporter& report) {
    const auto* str = node.as_string();
    if (!str) {
        report(toml_line_of(node), where + " must be a string (in quotes), not " + toml_type_name(node));
        return false;
    }
    if (is_blank(str->get())) {
        report(toml_line_of(node), where + " is empty; write the text");
        return false;
    }
    // The CSV's header row is written as it is, unquoted: these would shift or split its columns.
    if (const std::size_t bad = str->get().find_first_of(";\"\r\n");
        key.key == "csv_columns" && bad != std::string::npos) {
        const char c = str->get()[bad];
        const std::string what = c == ';' ? "';'" : c == '"' ? "'\"'" : "a line break";
        report(toml_line_of(node), where + " holds " + what + ", which would break the CSV's columns; leave it out");
        return false;
    }
    check_placeholders(where, str->get(), key.placeholders, toml_line_of(node), report);
    out = str->get();
    return true;
}

// One key of [lang] into words.
void read_key(const std::string& lang, const WordsKey& key, const toml::node& node, SummaryWords& words,
              const Reporter& report) {
    const std::string where = "[" + lang + "] " + std::string(key.key);
    const std::span<std::string> field = key.field(words);
    if (!key.list) {
        read_text(where, key, node, field[0], report);
        return;
    }
    const std::string wanted = std::to_string(field.size()) + " texts (" + std::string(key.order) + ")";
    const toml::array* array = node.as_array();
    if (!array) {
        report(toml_line_of(node), where + " must be an array of " + wanted + ", not " + toml_type_name(node));
        return;
    }
    if (array->size() != field.size()) {
        report(toml_line_of(node), where + " must hold " + wanted + ", not " + std::to_string(array->size()));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        std::string text;
        if (read_text(where + " entry " + std::to_string(i + 1), key, *array->get(i), text, report) &&
            i < field.size()) {
            field[i] = std::move(text);
        }
    }
}

void load_into(const std::filesystem::path& file, SummaryTexts& texts, const Reporter& report) {
    const std::optional<toml::table> parsed = parse_toml_file(file, "the summary texts file", report.errors());
    if (!parsed) return;
    for (const auto& [lang, table] : language_tables(*parsed, "word (see config/" + std::string(kSummaryTextsFileName) + ")", report)) {
        SummaryWords& words = texts.languages[lang];
        for (const auto& [name, value] : *table) {
            if (const WordsKey* key = find_key(name.str())) {
                read_key(lang, *key, value, words, report);
            } else {
                report(toml_line_of(value), "[" + lang + "] " + std::string(name.str()) +
                                                " is not a known key; check the spelling or remove it");
            }
        }
        for (const WordsKey& key : words_keys()) {
            if (!table->contains(key.key)) {
                const std::string name(key.key);
                report(toml_line_of(*table), "[" + lang + "] " + name + " is missing; add " + name +
                                                 (key.list ? " = [\"…\", …]" : " = \"…\""));
            }
        }
    }
}

}  // namespace

const SummaryWords& SummaryTexts::words(std::string_view language) const {
    auto it = languages.find(language);
    if (it == languages.end()) it = languages.find(kLanguages.front());
    if (it != languages.end()) return it->second;
    assert(false && "SummaryTexts::words: no words at all; was it loaded by load_summary_texts?");
    static const SummaryWords kNone;  // empty words rather than undefined behaviour in a release build
    return kNone;
}

SummaryTextsLoad load_summary_texts(const std::filesystem::path& file) {
    SummaryTextsLoad load;
    SummaryTexts texts;
    const Reporter report(file.string(), load.errors);
    run_loader(file, "the summary texts file", load.errors, [&] { load_into(file, texts, report); });
    if (load.errors.empty()) load.texts = std::move(texts);
    return load;
}

}  // namespace pulse
