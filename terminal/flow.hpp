// flow.hpp — what an employee goes through, as a pure state machine:
// attract -> 1..3 questions -> (saving) -> thanks -> cooldown -> attract,
// with an inactivity timeout on questions, an out-of-order state when
// answers cannot be stored, and a dark closed state outside opening hours. Time is passed in (milliseconds on any monotonic
// clock); nothing here draws, sleeps or touches a disk.
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
    attract,       // invites a tap; language toggle
    question,      // one statement, five answers, "don't know", "skip"
    saving,        // session over, waiting for the last answers to be durable
    thanks,        // "Tak! Dit svar er gemt." for thanks_ms
    cooldown,      // attract, dimmed; no new session for cooldown_ms
    out_of_order,  // answers cannot be stored; retrying in the background
    closed,        // outside opening hours: dark; a tap shows "closed" for closed_message_ms
};

const char* screen_name(Screen s);  // "attract", "question", ...

struct FlowSettings {
    int per_session = 3;              // questions per session, >= 1
    Millis idle_timeout_ms = 20'000;  // question screen with no tap -> attract
    Millis thanks_ms = 3'000;         // thanks screen duration
    Millis cooldown_ms = 5'000;       // after thanks; 0 = none
    std::string default_language = "da";  // each session starts in this language
    Millis closed_message_ms = 10'000;    // closed screen: how long a tap shows the message
};

// What a person did on the screen (returned by drawing, applied by step()).
// Admin intents (Action::admin) go to the admin state machine (admin.hpp),
// never to the flow.
struct Intent {
    enum class Action { none, start, answer, dont_know, skip, set_language, admin };
    Action action = Action::none;
    int value = 0;          // answer: 1 (strongly disagree) .. 5 (strongly agree); admin: a digit, or -1/+1
    std::string language;   // set_language: "da" | "en"
    AdminAction admin = AdminAction::corner;  // admin: what was tapped
    float x = 0, y = 0;     // admin touch: where, in screen pixels
};

// An answer the flow hands to the store. Carries no time and no session:
// the caller adds the random id and the hour.
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
    int answered = 0;                   // answers given this session (not skips)
    int unsaved = 0;                    // answers handed to the store, not yet durable
    Millis since_ms = 0;                // start of this screen, or last tap on a question
    std::string fault_code;             // out_of_order: short code for IT ("DB-13")
    bool hours_closed = false;          // outside opening hours (see on_hours)
    bool closed_message = false;        // closed: the message is shown (since since_ms)

    // The question shown now (screen == question), else empty.
    const std::string& current_question() const;
};

// A flow on the attract screen at time now.
Flow make_flow(const FlowSettings& settings, Millis now);

// Applies what the person did. Intents that make no sense on the current
// screen (a tap during thanks or cooldown, an answer on attract) are ignored
// and return false. On the closed screen a start (a tap anywhere) shows the
// "closed" message for closed_message_ms; no session starts. Returns true if the state changed. An answer or "don't
// know" is appended to *given (the caller must store it).
bool step(Flow& flow, const Intent& intent, Millis now, const SessionPicker& pick,
          std::vector<GivenAnswer>* given);

// Fires due timers: idle timeout (exactly at idle_timeout_ms after the last
// tap, the question is left), end of thanks, end of cooldown, end of the
// closed message. Returns true if the state changed.
bool tick(Flow& flow, Millis now);

// When tick() must next be called (nullopt: nothing is due until an event).
std::optional<Millis> next_deadline(const Flow& flow);

// Store feedback. durable: `count` answers are now on disk. failed: the store
// cannot write (code for IT); the flow shows out_of_order until recovered.
void on_answers_durable(Flow& flow, int count, Millis now);
void on_store_failed(Flow& flow, const std::string& code, Millis now);
void on_store_recovered(Flow& flow, Millis now);

// Opening hours (decided by the caller from the wall clock). Closing: attract
// and cooldown go dark at once; a session in progress is finished gracefully
// (its questions, thanks) and the flow goes dark where it would have gone
// back to attract, so the idle timeout still ends an abandoned one; out of
// order stays until the store recovers. Opening: the closed screen returns
// to attract. Returns true if the state changed.
bool on_hours(Flow& flow, bool open, Millis now);

}  // namespace pulse
