// pages.hpp — the HTML of the managers' browser pages (issue 11): sign-in,
// the e-mailed link's page, my workplaces, a workplace's published weeks,
// IT's overview and the message pages (403, 404, signed out, …), and the site
// header, the manager's response and its form (issue 15) that go around a
// week's summary (summary_html's chrome). Pure: state
// in, one page out; every word from SummaryTexts in the page's language, every
// value escaped. Server-rendered, no script; the style is summary.css.
// routes.cpp decides which page a request gets.
#pragma once

#include "collector/fleet/fleet.hpp"
#include "collector/storage/store.hpp"  // WeekResponse
#include "collector/summary/summary_texts.hpp"
#include "common/calendar.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// What the site header of every page shows.
struct PageFrame {
    std::string language = "da";  // "da" | "en": the page's words and <html lang>
    // The link to the same page in the other language: the current path and
    // query with lang= set to the other language (routes.cpp builds it).
    std::string other_language_href;
    // Signed in: the person's address, shown, and the CSRF token of their
    // session for the sign-out form. Empty: signed out (no sign-out button).
    std::string signed_in_email;
    std::string csrf;
};

// The query that keeps a link in language: "?lang=en" for English, "" for
// Danish (the default).
std::string lang_query(const std::string& language);

// The site header alone (brand, language switch, who is signed in, sign-out
// button): what a week's page puts above its summary.
std::string site_header_html(const SummaryTexts& texts, const PageFrame& frame);

// A message, a heading and a paragraph: a 403, 404, 503, "signed out", "link
// refused" page. text "" = the heading says it all (no paragraph).
// link_text/link_href: one action below it ("" = none).
std::string message_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& heading,
                         const std::string& text, const std::string& link_text = "",
                         const std::string& link_href = "");

// The sign-in form: POST /signin with email and csrf (the pre-session
// token). email is put back in the field; error, when not empty, is shown
// above the form (a malformed address).
std::string signin_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& csrf,
                        const std::string& email = "", const std::string& error = "");

// After a sign-in request: the same words whether the address is known or not.
std::string check_mail_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& email);

// The page an e-mailed link opens: a button that POSTs to action (the
// link's own path) with csrf, so a mail scanner that follows the link signs
// nobody in and uses nothing up.
std::string link_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& action,
                      const std::string& csrf);

// A workplace in a list: its id (for the URL) and name.
struct WorkplaceLink {
    std::string id;
    std::string name;
};

// My workplaces: each links to /workplaces/<id>; with_overview adds IT's
// links to /overview and /fleet.
std::string workplaces_page(const SummaryTexts& texts, const PageFrame& frame,
                            const std::vector<WorkplaceLink>& workplaces, bool with_overview);

// One published week in a workplace's list: its participation as its
// summary shows it (nullopt: withheld, "for få svar").
struct WeekRow {
    IsoWeek week;
    std::optional<std::int64_t> answers;
};

// A workplace's published weeks, newest first as given; each links to
// /workplaces/<id>/<week>.
std::string weeks_page(const SummaryTexts& texts, const PageFrame& frame, const WorkplaceLink& workplace,
                       const std::vector<WeekRow>& weeks);

// The links above a week's summary: back to the weeks, the CSV, the print view.
std::string week_actions_html(const SummaryTexts& texts, const std::string& language, const std::string& workplace_id,
                              IsoWeek week);

// The manager's response as every reader of the week's page sees it, under
// the headline: "Svar fra Leder A, uge 48" and the text in the page's
// language (on an English page without an English text, the Danish one,
// marked lang="da"). Every value escaped; line breaks kept.
std::string response_html(const SummaryTexts& texts, const std::string& language, const WeekResponse& response);

// What those who may write a week's response (routes.cpp's may_respond) see
// at the end of its page.
struct ResponseForm {
    bool editable = false;   // the week is the latest published: the form; otherwise a note saying why not
    std::string action;      // the form's path, with the page's language query
    std::string csrf;        // the session's CSRF token
    std::string text_da;     // the fields' content: the response in force, or what a refused save sent
    std::string text_en;
    std::string error;        // a refused save's message, shown above the form ("" = none)
    std::string error_field;  // "da" | "en": the field error is about, marked invalid and described by it
    std::vector<WeekResponse> history;  // the audit list, newest first (times on Copenhagen's clock)
};

// The form (POST action with csrf, text_da and text_en: two labelled
// textareas, each with its limit, kResponseMaxChars, in words and as
// maxlength) or, when not editable, the note; then the audit list.
std::string response_form_html(const SummaryTexts& texts, const std::string& language, const ResponseForm& form);

// One row of IT's overview.
struct OverviewLine {
    std::string name;
    std::vector<std::string> terminals;
    std::optional<std::int64_t> answers;  // nullopt: withheld
    std::optional<std::int64_t> late;     // nullopt: withheld
};

// IT's overview of week: participation and terminals per workplace, with
// links to the weeks before and after (nullopt: none to link) and to the
// fleet page.
std::string overview_page(const SummaryTexts& texts, const PageFrame& frame, IsoWeek week,
                          const std::vector<OverviewLine>& lines, std::optional<IsoWeek> earlier,
                          std::optional<IsoWeek> later);

// IT's fleet page: every terminal of rows (fleet_rows) in a table, its state
// as a word on a coloured badge (the word carries it; the colour only
// repeats it), times on Copenhagen's clock, a value not reported as "–";
// now (the state's moment) above it.
std::string fleet_page(const SummaryTexts& texts, const PageFrame& frame, const std::vector<FleetRow>& rows,
                       UnixSeconds now);

}  // namespace pulse
