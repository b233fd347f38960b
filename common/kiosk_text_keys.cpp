// kiosk_text_keys.cpp — the screen texts' keys and placeholders (see
// kiosk_text_keys.hpp).
#include "common/kiosk_text_keys.hpp"

#include <algorithm>

namespace pulse {

const std::vector<std::string> kTextKeys = {
    "attract_headline",    // attract: the big question, above the first statement
    "attract_button",      // attract ([pulse] start = "button"): the button that starts a session
    "attract_cost_one",    // ... under it: what one question costs
    "attract_cost_many",   // ... under it: "{n}" questions, about "{seconds}" seconds
    "attract_anonymity",   // attract: the anonymity promise, under the answers
    "news_heading",        // attract: above the manager's response, "{answers}" in week "{week}", by "{manager}"
    "news_heading_withheld",  // ... when that week's participation is withheld: "{week}", "{manager}", no number
    "about_button",        // attract: opens the about-anonymity screen
    "about_title",         // about: headline
    "about_stored",        // about: what is stored
    "about_not_stored",    // about: what is not
    "about_who",           // about: who sees what
    "about_when",          // about: when
    "about_close",         // about: back to the question
    "language_label",      // the language's own name, on the language toggle
    "cooldown_message",    // attract, dimmed, after a session
    "progress",            // question: "{n} af {total}"
    "answer_1",            // the five-point scale, 1 = strongly disagree …
    "answer_2",
    "answer_3",
    "answer_4",
    "answer_5",            // … 5 = strongly agree
    "dont_know",           // secondary button: counts as an answer "don't know"
    "skip",                // secondary button: no answer to this question
    "back",                // question 2-3: back to the previous statement, to change its answer
    "still_there_title",   // idle warning on a question: "are you still there?"
    "still_there_continue",  // ... the button that keeps the session
    "saving",              // shown while the answers are written
    "thanks_title",        // thanks: headline
    "thanks_one",          // thanks: one answer saved
    "thanks_many",         // thanks: "{n}" answers saved
    "thanks_none",         // thanks: everything skipped
    "undo",                // thanks: the button that removes the session's answers ("Fortryd")
    "undone_title",        // thanks after undo: heading
    "undone_body",         // thanks after undo: the answers are gone
    "out_of_order_title",  // out of order: headline
    "out_of_order_body",   // out of order: what staff need to know
    "out_of_order_code",   // out of order: "{code}" for IT to look up in the log
    "closed_message",      // closed (outside opening hours): shown for a while after a tap
    // The admin screens (IT only; issue 13).
    "admin_pin_title",     // PIN pad: headline
    "admin_pin_wrong",     // PIN pad: the PIN was wrong
    "admin_pin_locked",    // PIN pad: locked for "{minutes}" more minutes
    "admin_ok",            // PIN pad: check the PIN
    "admin_delete",        // PIN pad: delete the last digit
    "admin_close",         // pad and panel: close
    "admin_title",         // panel: headline
    "admin_terminal",      // panel labels …
    "admin_workplace",
    "admin_version",
    "admin_config",
    "admin_server",
    "admin_last_upload",
    "admin_last_error",
    "admin_database",
    "admin_set_aside",
    "admin_clock",
    "admin_disk",          // … panel labels
    "admin_reachable",     // panel: the collector answered at "{hour}"
    "admin_unreachable",   // panel: the collector did not answer at "{hour}"
    "admin_not_tried",     // panel: no contact tried yet
    "admin_offline",       // panel: no [upload] in the config
    "admin_never",         // panel: no upload yet
    "admin_no_error",      // panel: no error
    "admin_database_ok",
    "admin_database_failed",
    "admin_yes",
    "admin_no",
    "admin_unknown",       // panel: a fact not known yet
    "admin_upload_now",    // panel actions …
    "admin_upload_started",
    "admin_touch_test",
    "admin_brightness",    // "{percent}"
    "admin_restart",       // … panel actions
    "admin_touch_hint",    // touch test: headline
    "admin_touch_done",    // touch test: back to the panel
};

// The {placeholders} a key's text may contain; the screens fill them in.
// Any other {word} is a typo that would show on screen as written.
std::vector<std::string_view> kiosk_text_placeholders(std::string_view key) {
    if (key == "progress") return {"n", "total"};
    if (key == "thanks_many") return {"n"};
    if (key == "attract_cost_many") return {"n", "seconds"};
    if (key == "news_heading") return {"answers", "week", "manager"};
    if (key == "news_heading_withheld") return {"week", "manager"};
    if (key == "out_of_order_code") return {"code"};
    if (key == "admin_pin_locked") return {"minutes"};
    if (key == "admin_reachable" || key == "admin_unreachable") return {"hour"};
    if (key == "admin_brightness") return {"percent"};
    return {};
}

bool is_kiosk_text_key(std::string_view key) {
    return std::find(kTextKeys.begin(), kTextKeys.end(), key) != kTextKeys.end();
}

}  // namespace pulse
