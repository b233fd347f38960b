// summary_texts.hpp — every word the weekly summary (CSV, HTML) and the
// e-mail's subject and text part use, per language, from config
// (config/summary_texts.toml, checked strictly); none is written in the code.
#pragma once

#include "common/diagnostic.hpp"
#include "common/texts_file.hpp"  // fill_placeholders, for the renderers

#include <array>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pulse {

// The file a collector config uses when [summary] texts is absent: this name
// in the folder of its first question bank (as the kiosk's texts.toml).
inline constexpr const char* kSummaryTextsFileName = "summary_texts.toml";

// The words of one language. The {names} in a field's comment are the
// placeholders its text may hold: the renderers fill them in, and the loader
// refuses any other.
struct SummaryWords {
    // [SECTION] Every format
    std::string too_few;                    // a withheld figure: "for få svar"
    std::array<std::string, 7> weekdays;    // Monday first: "mandag" …

    // [SECTION] CSV
    std::array<std::string, 16> csv_columns;  // the header row, joined with ';'
    std::string level_participation;          // first column of the participation rows
    std::string level_theme;                  // … of a theme's row
    std::string level_question;               // … of a question's row
    std::string whole_week;                   // the participation row of the whole week

    // [SECTION] HTML page
    std::string title;                         // "Pulsmåling"
    std::array<std::string, 5> scale;          // the answers 1..5: "Helt uenig" … "Helt enig"
    std::array<std::string, 7> weekdays_short;  // Monday first: "man" …
    std::array<std::string, 12> months;        // January first: "januar" …
    std::string week_heading;      // {week} {year} (the ISO week) {dates}: "Uge 48, 2026 · 23. – 29. november 2026"
    std::string dates_one_month;   // {first_day} {last_day} {month} {year}: the week's Monday to Sunday
    std::string dates_two_months;  // {first_day} {first_month} {last_day} {last_month} {year} (the Sunday's year)
    std::string answers_in_week;   // {answers}: "22 svar i ugen"
    std::string item_answers;      // {n}: an item's answers with a value, "7 svar"
    std::string item_dont_know;    // {n}: "2 ved ikke"
    std::string agree;             // {percent}: the bar's right end, answers 4–5: "57 % enige"
    std::string disagree;          // {percent}: the bar's left end, answers 1–2: "14 % uenige"
    std::array<std::string, 3> bar_legend;     // the bar's parts: answers 1–2, 3, 4–5
    std::array<std::string, 6> theme_columns;  // the theme table: theme, mean, agree, disagree, change, answers
    std::string mean;              // label of an item's mean
    std::string change;            // tooltip of the change
    std::string trend;             // label of the last four weeks' means
    std::string trend_week;        // {week} {mean}: one week of the trend, "uge 46: 3,8" (or a period's weeks)
    std::string trend_periods;     // label of the last four periods' means (a question's trend)
    std::string period_weeks;      // {first} {last}: a 4-week period's week numbers, "uge 41–44"
    std::string questions_period;  // {weeks}: above the statements, why they cover 4 weeks and themes one
    std::string questions_none;    // instead of the statements, while no 4-week period is published
    std::string statements_in;     // {weeks}: under "Højest" and "Lavest", the period their statements cover
    std::string since_week;        // a theme's change in moved_up / moved_down: "siden sidste uge"
    std::string since_period;      // a statement's: "siden de 4 uger før"
    std::string low;               // the mark of a mean below the scale's middle
    std::string days_heading;      // label of the answers per weekday
    std::string moved;             // heading: the changes since last week that pass the rule
    std::string moved_up;          // {item} {before} {now} {since} {n_before} {n}: one rise, as a sentence
    std::string moved_down;        // {item} {before} {now} {since} {n_before} {n}: one fall, as a sentence
    std::string moved_rule;        // {min_n}: the rule a change must pass to be listed
    std::string nothing_moved;     // when no change passes the rule
    std::string highest;           // heading: the highest means
    std::string lowest;            // heading: the lowest means
    std::string mean_line;         // {item} {mean} {n}: one item under highest or lowest
    std::string withheld_items;    // a theme's heading over its questions shown without figures
    std::string anonymity;         // {min_answers}: what "too few answers" means, in one line
    std::string inactive;          // after a question no longer asked

    // [SECTION] E-mail: the subject and the text part
    std::string email_subject;     // {workplace} {week} {year}: "Ugentlig puls: wp-a, uge 48 2026"
    std::string email_answers;     // {answers} (a number or too_few): "Svar i ugen: 22"
    std::string email_themes;      // the heading above the themes' lines
    std::string email_no_answers;  // a shown theme without a mean
    std::string email_favourable;  // {percent}: "57 % enige"
    std::string email_html_part;   // where the whole summary is
    std::string email_anonymity;   // {min_answers}
    std::string email_sent_by;     // the last line
    std::string email_week_link;   // {link}: where the week's page is, in the text part
    std::string email_open_page;   // the HTML part's link text to the week's page
    std::string email_csv;         // what the CSV attachment is, in both parts

    // [SECTION] Browser pages (collector/web/): sign-in, lists, errors
    std::string web_other_language;   // the switch to the other language, in that language: "English"
    std::string web_signin_heading;   // "Log ind"
    std::string web_signin_intro;     // what happens after the address is sent
    std::string web_email_label;      // the address field's label
    std::string web_signin_button;    // "Send link"
    std::string web_not_an_address;   // {email}: the field did not hold an e-mail address
    std::string web_check_mail;       // heading after sending: the same whether the address is known or not
    std::string web_check_mail_text;  // {email}
    std::string web_rate_limited;     // {minutes}: too many sign-in requests
    std::string web_link_heading;     // the page an e-mailed link opens
    std::string web_link_text;
    std::string web_link_button;      // "Log ind"
    std::string web_link_refused;     // heading: the link was used, expired or never existed
    std::string web_link_refused_text;
    std::string web_new_link;         // a link back to the sign-in form
    std::string web_form_expired;     // a POST without a valid CSRF token
    std::string web_signed_in_as;     // {email}
    std::string web_sign_out;         // the button
    std::string web_signed_out;       // after signing out
    std::string web_my_workplaces;    // heading
    std::string web_no_workplaces;    // a person entitled to none
    std::string web_overview_link;    // IT's link to the overview
    std::string web_weeks_heading;    // {workplace}: its published weeks
    std::string web_week_item;        // {week} {year}: one week in the list
    std::string web_no_weeks;         // none published yet
    std::string web_csv;              // the CSV download link
    std::string web_print;            // the print view link
    std::string web_back;             // back to the list above
    std::string web_overview_heading;  // {week} {year}
    std::string web_overview_intro;    // IT sees participation, not results
    std::array<std::string, 4> web_overview_columns;  // workplace, terminals, answers, late answers
    std::string web_earlier_week;     // link to the week before
    std::string web_later_week;       // link to the week after
    std::string web_forbidden;        // heading of the 403 page
    std::string web_forbidden_text;
    std::string web_not_found;        // heading of the 404 page
    std::string web_not_found_text;
    std::string web_unavailable;      // the store cannot be read now (503)
    std::string signin_mail_subject;  // the sign-in e-mail
    std::string signin_mail_text;     // {name} {link} {minutes}

    // [SECTION] IT's fleet page and silence alerts (collector/fleet/). Never a word about answers.
    std::string web_fleet_link;       // IT's link to the fleet page (from the overview and my workplaces)
    std::string web_fleet_heading;    // "Terminaler"
    std::string web_fleet_intro;      // {now}: what the states mean, as of now (Copenhagen time)
    std::array<std::string, 12> web_fleet_columns;  // terminal, workplace, state, last heartbeat, version, config
                                                    // version, screen, uptime h, last upload, clock offset s,
                                                    // free disk MB, problems
    std::array<std::string, 4> web_fleet_states;    // ok, stale, silent, error
    std::array<std::string, 3> web_fleet_screens;   // in_service, closed, out_of_order
    std::array<std::string, 6> web_fleet_problems;  // database, answers set aside, out of order, clock, unreadable,
                                                    // overlay reverted
    std::string web_fleet_never;      // the last heartbeat of a terminal never heard from
    std::string web_fleet_none;       // no [[terminal]] registered
    std::string fleet_alert_subject;  // {terminal} {workplace}: a terminal silent for 2 open hours
    std::string fleet_alert_text;     // {terminal} {workplace} {last_heartbeat} {hours}
    std::string fleet_recovered_subject;  // {terminal} {workplace}: heard from again
    std::string fleet_recovered_text;     // {terminal} {workplace} {last_heartbeat}
    std::string fleet_mail_link;      // {link}: the fleet page, below either text (only with [web])

    // [SECTION] The manager's response to a week (issue 15), on the week's page
    std::string web_response_heading;       // {name} {week} {year}: above the response, "Svar fra Leder A, uge 48"
    std::string web_response_form_heading;  // above the form (those who may write)
    std::string web_response_form_intro;    // who sees it, until when it can be changed, that changes are kept
    std::string web_response_field_da;      // the Danish field's label, and its name in a message
    std::string web_response_field_en;      // the English field's label, and its name in a message
    std::string web_response_hint_da;       // {max}: under the Danish label: required, the limit
    std::string web_response_hint_en;       // {max}: under the English label: optional, the limit, empty removes it
    std::string web_response_save;          // the form's button
    std::string web_response_empty;         // {field}: the Danish field was left empty
    std::string web_response_too_long;      // {field} {length} {max}: a field over the limit (in characters)
    std::string web_response_not_text;      // {field}: a field that was not UTF-8 text
    std::string web_response_closed;        // heading of the 409 page, and of the note that replaces the form
    std::string web_response_closed_text;   // why: the next week is published
    std::string web_response_history;       // heading of the audit list (its times are Copenhagen time)
    std::string web_response_history_item;  // {time} {name} {email}: one change in the audit list
};

// The words of every language in kLanguages (common/question_bank.hpp).
struct SummaryTexts {
    std::map<std::string, SummaryWords, std::less<>> languages;  // "da", "en"

    // The words of language; a language it lacks gets the first of
    // kLanguages (as build_summary does). Asserts that is there: a
    // SummaryTexts from load_summary_texts has every language.
    const SummaryWords& words(std::string_view language) const;
};

struct SummaryTextsLoad {
    std::optional<SummaryTexts> texts;  // set only when errors is empty
    Diagnostics errors;                 // every problem, in line order
};

// Reads and checks a summary texts file (config/summary_texts.toml): one
// table per language of kLanguages ([da], [en]) holding exactly the keys of
// SummaryWords, each a non-empty string, or for weekdays, weekdays_short,
// scale, bar_legend, theme_columns, months and csv_columns an array of
// exactly 7, 7, 5, 3, 6, 12 and 16 such
// strings (a CSV column may hold no ';', '"' or line break). Every problem is
// a Diagnostic "FILE:LINE: [lang] key …": TOML syntax, a missing or unknown
// language or key, a wrong type, a wrong array length, an empty text, a
// {placeholder} the key does not take. Never throws.
SummaryTextsLoad load_summary_texts(const std::filesystem::path& file);

}  // namespace pulse
