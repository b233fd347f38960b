// pages.cpp — the browser pages' HTML (see pages.hpp): one layout (head with
// the summary's style sheet, the site header, <main>) and each page's content.
#include "collector/web/pages.hpp"

#include "collector/summary/format_text.hpp"   // html_escape
#include "collector/summary/summary_css.hpp"  // generated from summary.css (collector/CMakeLists.txt)
#include "collector/week_response.hpp"        // kResponseMaxChars

#include <sstream>

namespace pulse {
namespace {

const SummaryWords& words_of(const SummaryTexts& texts, const PageFrame& frame) { return texts.words(frame.language); }

// The whole page: head, site header, main holding content (HTML).
std::string layout(const SummaryTexts& texts, const PageFrame& frame, const std::string& title,
                   const std::string& content) {
    const SummaryWords& w = words_of(texts, frame);
    std::ostringstream out;
    out << "<!doctype html>\n<html lang=\"" << html_escape(frame.language) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << html_escape(title) << " – " << html_escape(w.title) << "</title>\n"
        << "<style>" << kSummaryCss << "</style>\n</head>\n<body>\n"
        << site_header_html(texts, frame) << "<main>\n" << content << "</main>\n</body>\n</html>\n";
    return out.str();
}

// A hidden CSRF field.
std::string csrf_field(const std::string& csrf) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + html_escape(csrf) + "\">";
}

std::string week_text(const SummaryWords& w, IsoWeek week) {
    return fill_placeholders(w.web_week_item, {{"week", std::to_string(week.week)}, {"year", std::to_string(week.year)}});
}

}  // namespace

std::string lang_query(const std::string& language) { return language == "da" ? "" : "?lang=" + language; }

std::string site_header_html(const SummaryTexts& texts, const PageFrame& frame) {
    const SummaryWords& w = words_of(texts, frame);
    const std::string other = frame.language == "da" ? "en" : "da";
    std::ostringstream out;
    out << "<header class=\"site\"><div class=\"bar\">"
        << "<a class=\"brand\" href=\"/" << (frame.signed_in_email.empty() ? "" : "workplaces") << "\">"
        << html_escape(w.title) << "</a>"
        << "<a class=\"lang\" lang=\"" << other << "\" hreflang=\"" << other << "\" href=\""
        << html_escape(frame.other_language_href) << "\">" << html_escape(w.web_other_language) << "</a>";
    if (!frame.signed_in_email.empty()) {
        out << "<span class=\"who\">"
            << html_escape(fill_placeholders(w.web_signed_in_as, {{"email", frame.signed_in_email}})) << "</span>"
            << "<form method=\"post\" action=\"/signout\">" << csrf_field(frame.csrf) << "<button type=\"submit\">"
            << html_escape(w.web_sign_out) << "</button></form>";
    }
    out << "</div></header>\n";
    return out.str();
}

std::string message_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& heading,
                         const std::string& text, const std::string& link_text, const std::string& link_href) {
    std::string content = "<h1>" + html_escape(heading) + "</h1>\n<div class=\"card\">";
    if (!text.empty()) content += "<p>" + html_escape(text) + "</p>";
    if (!link_text.empty()) {
        content += "<p><a class=\"button\" href=\"" + html_escape(link_href) + "\">" + html_escape(link_text) + "</a></p>";
    }
    content += "</div>\n";
    return layout(texts, frame, heading, content);
}

std::string signin_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& csrf,
                        const std::string& email, const std::string& error) {
    const SummaryWords& w = words_of(texts, frame);
    std::ostringstream out;
    out << "<h1>" << html_escape(w.web_signin_heading) << "</h1>\n<div class=\"card\">\n<p>"
        << html_escape(w.web_signin_intro) << "</p>\n";
    if (!error.empty()) out << "<p class=\"error\" id=\"email-error\" role=\"alert\">" << html_escape(error) << "</p>\n";
    out << "<form class=\"signin\" method=\"post\" action=\"/signin" << lang_query(frame.language) << "\">"
        << csrf_field(csrf) << "<label for=\"email\">" << html_escape(w.web_email_label) << "</label>"
        << "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\""
        << html_escape(email) << "\"" << (error.empty() ? "" : " aria-describedby=\"email-error\"") << ">"
        << "<button class=\"primary\" type=\"submit\">" << html_escape(w.web_signin_button) << "</button></form>\n"
        << "</div>\n";
    return layout(texts, frame, w.web_signin_heading, out.str());
}

std::string check_mail_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& email) {
    const SummaryWords& w = words_of(texts, frame);
    return message_page(texts, frame, w.web_check_mail, fill_placeholders(w.web_check_mail_text, {{"email", email}}));
}

std::string link_page(const SummaryTexts& texts, const PageFrame& frame, const std::string& action,
                      const std::string& csrf) {
    const SummaryWords& w = words_of(texts, frame);
    std::ostringstream out;
    out << "<h1>" << html_escape(w.web_link_heading) << "</h1>\n<div class=\"card\">\n<p>"
        << html_escape(w.web_link_text) << "</p>\n<form method=\"post\" action=\"" << html_escape(action) << "\">"
        << csrf_field(csrf) << "<button class=\"primary\" type=\"submit\">" << html_escape(w.web_link_button)
        << "</button></form>\n</div>\n";
    return layout(texts, frame, w.web_link_heading, out.str());
}

std::string workplaces_page(const SummaryTexts& texts, const PageFrame& frame,
                            const std::vector<WorkplaceLink>& workplaces, bool with_overview) {
    const SummaryWords& w = words_of(texts, frame);
    std::ostringstream out;
    out << "<h1>" << html_escape(w.web_my_workplaces) << "</h1>\n<div class=\"card\">\n";
    if (workplaces.empty() && !with_overview) out << "<p>" << html_escape(w.web_no_workplaces) << "</p>\n";
    if (!workplaces.empty()) {
        out << "<ul class=\"list\">\n";
        for (const WorkplaceLink& p : workplaces) {
            out << "<li><a href=\"/workplaces/" << html_escape(p.id) << lang_query(frame.language) << "\">"
                << html_escape(p.name) << "</a></li>\n";
        }
        out << "</ul>\n";
    }
    if (with_overview) {
        out << "<p><a class=\"button\" href=\"/overview" << lang_query(frame.language) << "\">"
            << html_escape(w.web_overview_link) << "</a></p>\n"
            << "<p><a class=\"button\" href=\"/fleet" << lang_query(frame.language) << "\">"
            << html_escape(w.web_fleet_link) << "</a></p>\n";
    }
    out << "</div>\n";
    return layout(texts, frame, w.web_my_workplaces, out.str());
}

std::string weeks_page(const SummaryTexts& texts, const PageFrame& frame, const WorkplaceLink& workplace,
                       const std::vector<WeekRow>& weeks) {
    const SummaryWords& w = words_of(texts, frame);
    const std::string heading = fill_placeholders(w.web_weeks_heading, {{"workplace", workplace.name}});
    std::ostringstream out;
    out << "<nav class=\"actions\"><a href=\"/workplaces" << lang_query(frame.language) << "\">"
        << html_escape(w.web_back) << "</a></nav>\n<h1>" << html_escape(heading) << "</h1>\n<div class=\"card\">\n";
    if (weeks.empty()) out << "<p>" << html_escape(w.web_no_weeks) << "</p>\n";
    else {
        out << "<ul class=\"list\">\n";
        for (const WeekRow& row : weeks) {
            out << "<li><a href=\"/workplaces/" << html_escape(workplace.id) << "/" << row.week.str()
                << lang_query(frame.language) << "\"><span>" << html_escape(week_text(w, row.week))
                << "</span><span class=\"n\">";
            if (row.answers) out << html_escape(fill_placeholders(w.answers_in_week, {{"answers", std::to_string(*row.answers)}}));
            else out << html_escape(w.too_few);
            out << "</span></a></li>\n";
        }
        out << "</ul>\n";
    }
    out << "</div>\n";
    return layout(texts, frame, heading, out.str());
}

std::string week_actions_html(const SummaryTexts& texts, const std::string& language, const std::string& workplace_id,
                              IsoWeek week) {
    const SummaryWords& w = texts.words(language);
    const std::string base = "/workplaces/" + html_escape(workplace_id);
    const std::string q = lang_query(language);
    return "<nav class=\"actions\"><a href=\"" + base + q + "\">" + html_escape(w.web_back) + "</a><a href=\"" + base +
           "/" + week.str() + ".csv" + q + "\" download>" + html_escape(w.web_csv) + "</a><a href=\"" + base + "/" +
           week.str() + "/print" + q + "\">" + html_escape(w.web_print) + "</a></nav>\n";
}

namespace {

// text escaped, each line break a <br> (a response keeps its lines).
std::string escaped_lines(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    for (;;) {
        const std::size_t end = text.find('\n', at);
        out += html_escape(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) return out;
        out += "<br>";
        at = end + 1;
    }
}

}  // namespace

std::string response_html(const SummaryTexts& texts, const std::string& language, const WeekResponse& response) {
    const SummaryWords& w = texts.words(language);
    const bool english = language == "en" && response.text_en;
    const std::string heading = fill_placeholders(
        w.web_response_heading, {{"name", response.author_name},
                                 {"week", std::to_string(response.week.week)},
                                 {"year", std::to_string(response.week.year)}});
    std::ostringstream out;
    out << "<section class=\"response card\" id=\"response\" aria-labelledby=\"response-heading\"><h2 id=\"response-heading\">"
        << html_escape(heading) << "</h2><p" << (language != "da" && !english ? " lang=\"da\"" : "") << ">"
        << escaped_lines(english ? *response.text_en : response.text_da) << "</p></section>\n";
    return out.str();
}

std::string response_form_html(const SummaryTexts& texts, const std::string& language, const ResponseForm& form) {
    const SummaryWords& w = texts.words(language);
    const std::string max = std::to_string(kResponseMaxChars);
    std::ostringstream out;
    out << "<section class=\"response-edit card\" id=\"response-form\" aria-labelledby=\"response-form-heading\">";
    if (form.editable) {
        out << "<h2 id=\"response-form-heading\">" << html_escape(w.web_response_form_heading) << "</h2><p>"
            << html_escape(w.web_response_form_intro) << "</p>";
        if (!form.error.empty()) {
            out << "<p class=\"error\" id=\"response-error\" role=\"alert\">" << html_escape(form.error) << "</p>";
        }
        out << "<form class=\"response\" method=\"post\" action=\"" << html_escape(form.action) << "\">"
            << csrf_field(form.csrf);
        const auto field = [&](const char* lang, const std::string& label, const std::string& hint,
                               const std::string& value, bool required) {
            const std::string id = std::string("response-") + lang;
            const bool invalid = form.error_field == lang && !form.error.empty();
            out << "<label for=\"" << id << "\">" << html_escape(label) << "</label><p class=\"hint\" id=\"" << id
                << "-hint\">" << html_escape(fill_placeholders(hint, {{"max", max}})) << "</p><textarea id=\"" << id
                << "\" name=\"text_" << lang << "\" lang=\"" << lang << "\" rows=\"4\" maxlength=\"" << max << "\""
                << (required ? " required" : "") << (invalid ? " aria-invalid=\"true\"" : "")
                << " aria-describedby=\"" << id << "-hint" << (invalid ? " response-error" : "") << "\">"
                << html_escape(value) << "</textarea>";
        };
        field("da", w.web_response_field_da, w.web_response_hint_da, form.text_da, true);
        field("en", w.web_response_field_en, w.web_response_hint_en, form.text_en, false);
        out << "<button class=\"primary\" type=\"submit\">" << html_escape(w.web_response_save) << "</button></form>";
    } else {
        out << "<h2 id=\"response-form-heading\">" << html_escape(w.web_response_closed) << "</h2><p>"
            << html_escape(w.web_response_closed_text) << "</p>";
    }
    if (!form.history.empty()) {
        out << "<h3>" << html_escape(w.web_response_history) << "</h3><ol class=\"history\">";
        for (const WeekResponse& change : form.history) {
            out << "<li><p class=\"who\">"
                << html_escape(fill_placeholders(w.web_response_history_item,
                                                 {{"time", copenhagen_minute_text(change.written_at)},
                                                  {"name", change.author_name},
                                                  {"email", change.author_email}}))
                << "</p><p><span class=\"muted\">" << html_escape(w.web_response_field_da) << ":</span> <span lang=\"da\">"
                << escaped_lines(change.text_da) << "</span></p>";
            if (change.text_en) {
                out << "<p><span class=\"muted\">" << html_escape(w.web_response_field_en)
                    << ":</span> <span lang=\"en\">" << escaped_lines(*change.text_en) << "</span></p>";
            }
            out << "</li>";
        }
        out << "</ol>";
    }
    out << "</section>\n";
    return out.str();
}

std::string overview_page(const SummaryTexts& texts, const PageFrame& frame, IsoWeek week,
                          const std::vector<OverviewLine>& lines, std::optional<IsoWeek> earlier,
                          std::optional<IsoWeek> later) {
    const SummaryWords& w = words_of(texts, frame);
    const std::string heading = fill_placeholders(
        w.web_overview_heading, {{"week", std::to_string(week.week)}, {"year", std::to_string(week.year)}});
    const std::string amp = frame.language == "da" ? "" : "&amp;lang=" + frame.language;
    std::ostringstream out;
    out << "<nav class=\"actions\"><a href=\"/workplaces" << lang_query(frame.language) << "\">"
        << html_escape(w.web_back) << "</a>";
    if (earlier) out << "<a href=\"/overview?week=" << earlier->str() << amp << "\">" << html_escape(w.web_earlier_week) << "</a>";
    if (later) out << "<a href=\"/overview?week=" << later->str() << amp << "\">" << html_escape(w.web_later_week) << "</a>";
    out << "<a href=\"/fleet" << lang_query(frame.language) << "\">" << html_escape(w.web_fleet_link) << "</a>";
    out << "</nav>\n<h1>" << html_escape(heading) << "</h1>\n<p>" << html_escape(w.web_overview_intro) << "</p>\n"
        << "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"" << html_escape(heading) << "\">"
        << "<table class=\"overview\"><thead><tr><th scope=\"col\">" << html_escape(w.web_overview_columns[0])
        << "</th><th scope=\"col\">" << html_escape(w.web_overview_columns[1]) << "</th><th scope=\"col\" class=\"num\">"
        << html_escape(w.web_overview_columns[2]) << "</th><th scope=\"col\" class=\"num\">"
        << html_escape(w.web_overview_columns[3]) << "</th></tr></thead>\n<tbody>\n";
    const auto figure = [&](const std::optional<std::int64_t>& n) {
        return n ? std::to_string(*n) : "<span class=\"withheld\">" + html_escape(w.too_few) + "</span>";
    };
    for (const OverviewLine& line : lines) {
        std::string terminals;
        for (const std::string& t : line.terminals) terminals += (terminals.empty() ? "" : ", ") + html_escape(t);
        out << "<tr><th scope=\"row\">" << html_escape(line.name) << "</th><td>" << terminals << "</td><td class=\"num\">"
            << figure(line.answers) << "</td><td class=\"num\">" << figure(line.late) << "</td></tr>\n";
    }
    out << "</tbody></table></div>\n";
    return layout(texts, frame, heading, out.str());
}

std::string fleet_page(const SummaryTexts& texts, const PageFrame& frame, const std::vector<FleetRow>& rows,
                       UnixSeconds now) {
    const SummaryWords& w = words_of(texts, frame);
    const std::string dash = "–";
    const auto number = [&](const std::optional<std::int64_t>& n) { return n ? std::to_string(*n) : dash; };
    std::ostringstream out;
    out << "<nav class=\"actions\"><a href=\"/workplaces" << lang_query(frame.language) << "\">"
        << html_escape(w.web_back) << "</a><a href=\"/overview" << lang_query(frame.language) << "\">"
        << html_escape(w.web_overview_link) << "</a></nav>\n<h1>" << html_escape(w.web_fleet_heading) << "</h1>\n<p>"
        << html_escape(fill_placeholders(w.web_fleet_intro, {{"now", copenhagen_minute_text(now)}})) << "</p>\n";
    if (rows.empty()) {
        out << "<div class=\"card\"><p>" << html_escape(w.web_fleet_none) << "</p></div>\n";
        return layout(texts, frame, w.web_fleet_heading, out.str());
    }
    out << "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"" << html_escape(w.web_fleet_heading)
        << "\"><table class=\"overview fleet\"><thead><tr>";
    for (std::size_t c = 0; c < w.web_fleet_columns.size(); ++c) {
        const bool numeric = c >= 7 && c <= 10 && c != 8;  // uptime, clock offset, free disk
        out << "<th scope=\"col\"" << (numeric ? " class=\"num\"" : "") << ">" << html_escape(w.web_fleet_columns[c])
            << "</th>";
    }
    out << "</tr></thead>\n<tbody>\n";
    for (const FleetRow& row : rows) {
        const std::size_t state = static_cast<std::size_t>(row.state);
        out << "<tr id=\"terminal-" << html_escape(row.terminal) << "\"><th scope=\"row\">" << html_escape(row.terminal)
            << "</th><td>" << html_escape(row.workplace_name) << "</td><td><span class=\"state state-"
            << fleet_state_name(row.state) << "\">" << html_escape(w.web_fleet_states[state]) << "</span></td><td>"
            << html_escape(row.last_heartbeat ? copenhagen_minute_text(*row.last_heartbeat) : w.web_fleet_never)
            << "</td>";
        if (row.report) {
            const FleetReport& r = *row.report;
            const std::size_t screen = r.screen == "in_service" ? 0 : r.screen == "closed" ? 1 : 2;
            out << "<td>" << html_escape(r.version) << "</td><td><code>" << html_escape(r.config_version)
                << "</code></td><td>" << html_escape(w.web_fleet_screens[screen]) << "</td><td class=\"num\">"
                << r.uptime_h << "</td><td>"
                << html_escape(r.last_contact_hour ? copenhagen_minute_text(*r.last_contact_hour) : dash)
                << "</td><td class=\"num\">" << number(r.clock_offset_s) << "</td><td class=\"num\">"
                << number(r.free_disk_mb) << "</td>";
        } else {
            for (int c = 0; c < 7; ++c) out << "<td" << (c == 3 || c == 5 || c == 6 ? " class=\"num\"" : "") << ">" << dash << "</td>";
        }
        std::string problems;
        for (const FleetProblem p : row.problems) {
            problems += (problems.empty() ? "" : "; ") + html_escape(w.web_fleet_problems[static_cast<std::size_t>(p)]);
        }
        out << "<td>" << (problems.empty() ? dash : problems) << "</td></tr>\n";
    }
    out << "</tbody></table></div>\n";
    return layout(texts, frame, w.web_fleet_heading, out.str());
}

}  // namespace pulse
