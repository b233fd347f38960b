// flow.hpp — what an employee goes through, as a pure state machine:
// attract -> 1..3 questions -> (saving) -> thanks -> cooldown -> attract.
// By default the attract screen already shows the session's first statement
// with its answers, so the first tap is an answer ([pulse] start =
// "question"); with start = "button" a tap on a start button opens the first
// question. A chosen answer is confirmed with a check mark for confirm_ms
// before the next screen; "back" returns to the previous statement, whose
// answer is replaced, not added: a session's answers stay here, in memory,
// until the session ends, and only then go to the store (take_answers()).
// Idle questions ask "are you still there?" before the session is left;
// an "about anonymity" screen opens from attract; out of order when answers
// cannot be stored, dark outside opening hours. Time is passed in
// (milliseconds on any monotonic clock); nothing here draws, sleeps or
// touches a disk.
#pragma once

#include "terminal/admin.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

using Millis = std::int64_t;  // monotonic milliseconds (virtual in tests and simulation)

enum class Screen {
    attract,       // start = question: the first statement and its answers; start = button: a start button
    question,      // one statement, five answers, "don't know", "skip"
    saving,        // session over, waiting for the last answers to be durable
    thanks,        // "Tak! Dit svar er gemt." for thanks_ms (with "Fortryd": at least undo_ms)
    cooldown,      // attract, dimmed; no new session for cooldown_ms
    out_of_order,  // answers cannot be stored; retrying in the background
    closed,        // outside opening hours: dark; a tap shows "closed" for closed_message_ms
    about,         // "about anonymity", opened from attract; back to attract on close or after about_ms
};

const char* screen_name(Screen s);  // "attract", "question", ...

struct FlowSettings {
    int per_session = 3;              // questions per session, >= 1
    Millis idle_timeout_ms = 20'000;  // question screen with no tap -> "are you still there?"
    Millis thanks_ms = 3'000;         // thanks screen duration
    Millis cooldown_ms = 5'000;       // after thanks; 0 = none
    std::string default_language = "da";  // each session starts in this language
    Millis closed_message_ms = 10'000;    // closed screen: how long a tap shows the message
    bool start_with_question = true;  // [pulse] start: "question" (true) or "button"
    Millis idle_warning_ms = 10'000;  // the idle warning shows this long, then the session is left
    Millis confirm_ms = 400;          // a chosen answer's check mark, before the next screen
    Millis about_ms = 60'000;         // the about screen closes itself after this
    Millis undo_ms = 10'000;          // thanks: "Fortryd" can remove the session's answers this long; 0 = never
};

// What a person did on the screen (returned by drawing, applied by step()).
// Admin intents (Action::admin) go to the admin state machine (admin.hpp),
// never to the flow.
struct Intent {
    enum class Action { none, start, answer, dont_know, skip, set_language, admin, back, stay, about, close, undo };
    Action action = Action::none;
    int value = 0;          // answer: 1 (strongly disagree) .. 5 (strongly agree); admin: a digit, or -1/+1
    std::string language;   // set_language: "da" | "en"
    AdminAction admin = AdminAction::corner;  // admin: what was tapped
    float x = 0, y = 0;     // admin touch: where, in screen pixels
};

// An answer the flow hands to the store. Carries no time and no session:
// the caller adds the random id and the hour. (Within a Flow, a session's
// answers sit side by side in memory until the session ends; once handed
// over, nothing ties them together.)
struct GivenAnswer {
    std::string question;      // question id
    std::optional<int> value;  // 1..5, nullopt = "don't know"
    std::string language;      // language the statement was shown in
};

// Chooses the questions of a new session (see rotation.hpp); may return fewer
// than asked, or none (then no session starts).
using SessionPicker = std::function<std::vector<std::string>(int count)>;

struct Flow {
    FlowSettings settings;
    Screen screen = Screen::attract;
    std::string language;               // language shown now
    std::vector<std::string> session;   // question ids of the current session
    int index = 0;                      // current question within session
    // This session's answer per statement (nullopt: not answered, or
    // skipped), replaced when the person goes back and answers again.
    std::vector<std::optional<GivenAnswer>> answers;
    int answered = 0;                   // answers handed over from the last session (not skips)
    int unsaved = 0;                    // answers handed to the store, not yet durable
    int chosen = -1;                    // the check mark: 1..5, 0 = "don't know", -1 none
    bool confirming = false;            // an answer was just chosen (chosen); the screen waits confirm_ms
    bool still_there = false;           // question: the idle warning is shown (since since_ms)
    Millis since_ms = 0;                // start of this screen, or last tap on a question
    std::vector<GivenAnswer> outbox;    // answers of ended sessions, for the store (take_answers)
    std::string fault_code;             // out_of_order: short code for IT ("DB-13")
    bool hours_closed = false;          // outside opening hours (see on_hours)
    bool closed_message = false;        // closed: the message is shown (since since_ms)
    // The session that ended with its last statement may be undone on the
    // thanks screen ("Fortryd", for thanks_duration): its answers left for
    // the store, and the terminal keeps their ids in memory until then.
    bool undo_offered = false;
    bool undone = false;                // thanks: "Fortryd" was tapped; the screen says the answers are removed

    // The statement shown now (a question, or attract with start =
    // question), else empty.
    const std::string& current_question() const;
};

// How long the thanks screen shows: thanks_ms, or at least undo_ms while
// it offers "Fortryd" (the undo window is the whole thanks screen).
Millis thanks_duration(const Flow& flow);

// A flow on the attract screen at time now.
Flow make_flow(const FlowSettings& settings, Millis now);

// Applies what the person did. Intents that make no sense on the current
// screen (a tap during thanks or cooldown or a check mark, an answer on a
// button-start attract) are ignored and return false. "Fortryd" (undo) on a
// thanks screen that offers it sets undone and shows the thanks screen
// anew, for thanks_ms, saying the answers are removed: the caller, seeing
// it taken (true), removes the session's answers from the store. On attract with start
// = question an answer starts the session (pick() is used only if
// prepare_session() has not picked one). On the closed screen a start (a
// tap anywhere) shows the "closed" message for closed_message_ms; no
// session starts. Returns true if the state changed. When the step ends a
// session, its answers are appended to *given (null: left in the outbox)
// and the caller must store them.
bool step(Flow& flow, const Intent& intent, Millis now, const SessionPicker& pick,
          std::vector<GivenAnswer>* given);

// With start = question, on the attract screen with no session ready: picks
// the next session, whose first statement attract shows. Returns true if
// it picked one. Call it after every step, tick and store event.
bool prepare_session(Flow& flow, const SessionPicker& pick);

// Fires due timers: the check mark's end (the next statement, or the end of
// the session), idle timeout (at idle_timeout_ms after the last tap the
// warning shows, idle_warning_ms later the session is left with what it
// has), end of thanks, end of cooldown, the closed message and the about
// screen, and an idle attract's language going back to the default. Returns
// true if the state changed. Answers of a session it ends go to the outbox.
bool tick(Flow& flow, Millis now);

// Takes the answers of ended sessions out of the outbox (the caller stores them).
std::vector<GivenAnswer> take_answers(Flow& flow);

// When tick() must next be called (nullopt: nothing is due until an event).
std::optional<Millis> next_deadline(const Flow& flow);

// Store feedback. durable: `count` answers are now on disk. failed: the store
// cannot write (code for IT); the flow shows out_of_order until recovered
// (a session in progress ends: its answers go to the outbox, the writer keeps them).
void on_answers_durable(Flow& flow, int count, Millis now);
void on_store_failed(Flow& flow, const std::string& code, Millis now);
void on_store_recovered(Flow& flow, Millis now);

// The kiosk is stopping (SIGTERM from systemd, the window closed): a
// session in progress ends as the idle warning's end would end it, its
// answers so far (the one under a check mark too) to the outbox, and the
// flow rests on attract (or dark). Returns true if it ended a session that
// had answers; false (nothing changed) when no answer is in memory.
bool on_shutdown(Flow& flow, Millis now);

// Opening hours (decided by the caller from the wall clock). Closing: attract
// and cooldown go dark at once; a session in progress is finished gracefully
// (its questions, thanks) and the flow goes dark where it would have gone
// back to attract, so the idle timeout still ends an abandoned one; out of
// order stays until the store recovers. Opening: the closed screen returns
// to attract. Returns true if the state changed.
bool on_hours(Flow& flow, bool open, Millis now);

}  // namespace pulse
