// flow.cpp — the employee flow's transitions. Every rule of the flow lives
// here; the screens only draw a Flow and report Intents.
#include "terminal/flow.hpp"

#include <algorithm>

namespace pulse {

namespace {

void enter(Flow& f, Screen s, Millis now) {
    f.screen = s;
    f.since_ms = now;
    f.still_there = false;
}

// The session's answers leave its memory for the outbox, one by one with
// nothing that ties them together; counted in `unsaved` until the store
// confirms them and in `answered` for the thanks screen.
void release_answers(Flow& f) {
    f.answered = 0;
    for (std::optional<GivenAnswer>& a : f.answers) {
        if (!a) continue;
        f.outbox.push_back(std::move(*a));
        ++f.answered;
        ++f.unsaved;
    }
    f.answers.clear();
}

// The session is over and forgotten; the language goes back to the
// terminal's default. Its answers must have been released first.
void forget_session(Flow& f) {
    f.session.clear();
    f.answers.clear();
    f.index = 0;
    f.chosen = -1;
    f.confirming = false;
    f.language = f.settings.default_language;
    f.undo_offered = false;
    f.undone = false;
}

// Back to the attract screen, or dark outside opening hours, with whatever
// the session had answered handed over.
void end_session(Flow& f, Millis now) {
    release_answers(f);
    forget_session(f);
    f.closed_message = false;
    enter(f, f.hours_closed ? Screen::closed : Screen::attract, now);
}

// After the last statement: thank the person once every answer is durable.
void finish_session(Flow& f, Millis now) {
    release_answers(f);
    f.chosen = -1;
    f.confirming = false;
    f.undo_offered = f.settings.undo_ms > 0 && f.answered > 0;
    f.undone = false;
    enter(f, f.unsaved > 0 ? Screen::saving : Screen::thanks, now);
}

// The cooldown fills what is left of thanks_ms + cooldown_ms after the
// thanks screen: a thanks screen held longer for "Fortryd" already kept
// the next session off the screen.
void after_thanks(Flow& f, Millis now) {
    const Millis shown = now - f.since_ms;
    const Millis cooldown_left = f.settings.thanks_ms + f.settings.cooldown_ms - shown;
    if (f.settings.cooldown_ms > 0 && cooldown_left > 0 && !f.hours_closed) {
        forget_session(f);
        enter(f, Screen::cooldown, now - (f.settings.cooldown_ms - cooldown_left));
    } else {
        end_session(f, now);
    }
}

// Starts a session with questions (none: no session).
bool begin_session(Flow& f, std::vector<std::string> questions) {
    if (questions.empty()) return false;
    f.session = std::move(questions);
    f.answers.assign(f.session.size(), std::nullopt);
    f.index = 0;
    f.chosen = -1;
    f.confirming = false;
    return true;
}

// value 1..5, or nullopt for "don't know", for the statement shown: kept
// (replacing an earlier answer to it) and shown with a check mark.
void choose(Flow& f, std::optional<int> value, Millis now) {
    f.answers[static_cast<std::size_t>(f.index)] = GivenAnswer{f.session[static_cast<std::size_t>(f.index)], value, f.language};
    f.chosen = value.value_or(0);
    f.confirming = true;
    f.still_there = false;
    f.since_ms = now;
}

// The next statement, or the end of the session.
void advance(Flow& f, Millis now) {
    f.chosen = -1;
    f.confirming = false;
    if (++f.index >= static_cast<int>(f.session.size())) {
        finish_session(f, now);
    } else {
        enter(f, Screen::question, now);
    }
}

// The check mark an answer already given to the statement at f.index shows
// when the person comes back to it (-1: none).
int earlier_choice(const Flow& f) {
    const std::optional<GivenAnswer>& a = f.answers[static_cast<std::size_t>(f.index)];
    return a ? a->value.value_or(0) : -1;
}

// An answer or "don't know" to the statement shown (attract with start =
// question, or a question). Returns true if taken.
bool take_answer(Flow& f, const Intent& in, Millis now) {
    using A = Intent::Action;
    if (in.action == A::answer && (in.value < 1 || in.value > 5)) return false;
    choose(f, in.action == A::answer ? std::optional<int>(in.value) : std::nullopt, now);
    return true;
}

}  // namespace

Millis thanks_duration(const Flow& f) {
    return f.undo_offered && !f.undone ? std::max(f.settings.thanks_ms, f.settings.undo_ms) : f.settings.thanks_ms;
}

const char* screen_name(Screen s) {
    switch (s) {
        case Screen::attract: return "attract";
        case Screen::question: return "question";
        case Screen::saving: return "saving";
        case Screen::thanks: return "thanks";
        case Screen::cooldown: return "cooldown";
        case Screen::out_of_order: return "out_of_order";
        case Screen::closed: return "closed";
        case Screen::about: return "about";
    }
    return "unknown";
}

const std::string& Flow::current_question() const {
    static const std::string none;
    const bool shown = screen == Screen::question || (screen == Screen::attract && settings.start_with_question);
    return shown && index < static_cast<int>(session.size()) ? session[static_cast<std::size_t>(index)] : none;
}

Flow make_flow(const FlowSettings& settings, Millis now) {
    Flow f;
    f.settings = settings;
    f.language = settings.default_language;
    f.since_ms = now;
    return f;
}

namespace {

bool step_flow(Flow& f, const Intent& in, Millis now, const SessionPicker& pick) {
    using A = Intent::Action;
    if (f.confirming) return false;  // the check mark shows; then the screen moves on by itself
    switch (f.screen) {
        case Screen::attract:
            switch (in.action) {
                case A::set_language:
                    if (in.language.empty() || f.language == in.language) return false;
                    f.language = in.language;
                    f.since_ms = now;  // an idle attract goes back to the default language later
                    return true;
                case A::about:
                    enter(f, Screen::about, now);
                    return true;
                case A::start:
                    if (f.settings.start_with_question) return false;
                    if (!begin_session(f, pick(f.settings.per_session))) return false;
                    enter(f, Screen::question, now);
                    return true;
                case A::answer:
                case A::dont_know:
                    if (!f.settings.start_with_question) return false;
                    if (f.session.empty() && !begin_session(f, pick(f.settings.per_session))) return false;
                    if (f.answers.size() != f.session.size()) f.answers.assign(f.session.size(), std::nullopt);
                    return take_answer(f, in, now);
                default:
                    return false;
            }

        case Screen::question:
            if (f.still_there) {  // only "yes, I am here" counts; the rest of the screen is under the warning
                if (in.action != A::stay) return false;
                f.still_there = false;
                f.since_ms = now;
                return true;
            }
            switch (in.action) {
                case A::set_language:
                    if (in.language.empty() || f.language == in.language) return false;
                    f.language = in.language;
                    f.since_ms = now;  // a tap is activity
                    return true;
                case A::answer:
                case A::dont_know:
                    return take_answer(f, in, now);
                case A::skip:
                    f.answers[static_cast<std::size_t>(f.index)].reset();  // skipping after "back" withdraws the answer
                    advance(f, now);
                    return true;
                case A::back:
                    if (f.index == 0) return false;
                    --f.index;
                    enter(f, Screen::question, now);
                    f.chosen = earlier_choice(f);
                    return true;
                default:
                    return false;
            }

        case Screen::about:
            if (in.action == A::set_language && !in.language.empty() && in.language != f.language) {
                f.language = in.language;
                f.since_ms = now;
                return true;
            }
            if (in.action != A::close) return false;
            enter(f, f.hours_closed ? Screen::closed : Screen::attract, now);
            return true;

        case Screen::closed:
            if (in.action != A::start) return false;
            f.closed_message = true;
            f.since_ms = now;  // a second tap shows it for the full time again
            return true;

        case Screen::thanks:
            if (in.action != A::undo || !f.undo_offered || f.undone) return false;
            f.undone = true;
            f.undo_offered = false;
            f.since_ms = now;  // "removed" shows for thanks_ms
            return true;

        case Screen::saving:
        case Screen::cooldown:
        case Screen::out_of_order:
            return false;  // taps are ignored until the screen moves on by itself
    }
    return false;
}

}  // namespace

bool step(Flow& f, const Intent& in, Millis now, const SessionPicker& pick, std::vector<GivenAnswer>* given) {
    const bool changed = step_flow(f, in, now, pick);
    if (given) {
        for (GivenAnswer& a : take_answers(f)) given->push_back(std::move(a));
    }
    return changed;
}

bool prepare_session(Flow& f, const SessionPicker& pick) {
    if (!f.settings.start_with_question || f.screen != Screen::attract || !f.session.empty()) return false;
    return begin_session(f, pick(f.settings.per_session));
}

std::vector<GivenAnswer> take_answers(Flow& f) {
    std::vector<GivenAnswer> out = std::move(f.outbox);
    f.outbox.clear();
    return out;
}

std::optional<Millis> next_deadline(const Flow& f) {
    if (f.confirming) return f.since_ms + f.settings.confirm_ms;
    switch (f.screen) {
        case Screen::attract:
            if (f.language != f.settings.default_language) return f.since_ms + f.settings.idle_timeout_ms;
            return std::nullopt;
        case Screen::question:
            return f.since_ms + (f.still_there ? f.settings.idle_warning_ms : f.settings.idle_timeout_ms);
        case Screen::thanks: return f.since_ms + thanks_duration(f);
        case Screen::cooldown: return f.since_ms + f.settings.cooldown_ms;
        case Screen::about: return f.since_ms + f.settings.about_ms;
        case Screen::closed:
            if (f.closed_message) return f.since_ms + f.settings.closed_message_ms;
            return std::nullopt;
        default: return std::nullopt;
    }
}

bool tick(Flow& f, Millis now) {
    std::optional<Millis> due = next_deadline(f);
    if (!due || now < *due) return false;
    if (f.confirming) {
        advance(f, now);
        return true;
    }
    switch (f.screen) {
        case Screen::attract:  // idle in another language: back to the default
            f.language = f.settings.default_language;
            f.since_ms = now;
            break;
        case Screen::question:
            if (!f.still_there) {
                f.still_there = true;
                f.since_ms = now;
            } else {
                end_session(f, now);
            }
            break;
        case Screen::thanks: after_thanks(f, now); break;
        case Screen::cooldown: end_session(f, now); break;
        case Screen::about: end_session(f, now); break;
        case Screen::closed: f.closed_message = false; break;
        default: return false;
    }
    return true;
}

void on_answers_durable(Flow& f, int count, Millis now) {
    f.unsaved = count >= f.unsaved ? 0 : f.unsaved - count;
    if (f.unsaved == 0 && f.screen == Screen::saving) enter(f, Screen::thanks, now);
}

void on_store_failed(Flow& f, const std::string& code, Millis now) {
    f.fault_code = code;
    if (f.screen == Screen::out_of_order) return;
    f.undo_offered = false;  // no thanks screen, no undo: the writer keeps the answers
    release_answers(f);  // the writer keeps what it is given; nothing answered is dropped
    forget_session(f);
    enter(f, Screen::out_of_order, now);
}

void on_store_recovered(Flow& f, Millis now) {
    f.fault_code.clear();
    if (f.screen == Screen::out_of_order) end_session(f, now);
}

bool on_shutdown(Flow& f, Millis now) {
    bool given = false;
    for (const std::optional<GivenAnswer>& a : f.answers) given = given || a.has_value();
    if (!given) return false;  // nothing in memory (attract's prepared session has no answer yet)
    end_session(f, now);
    return true;
}

bool on_hours(Flow& f, bool open, Millis now) {
    f.hours_closed = !open;
    // Closing: a resting screen goes dark (not an answer being confirmed on attract: that session goes on).
    const bool resting = (f.screen == Screen::attract && !f.confirming) || f.screen == Screen::cooldown ||
                         f.screen == Screen::about;
    if (!open && resting) {
        end_session(f, now);
        return true;
    }
    if (open && f.screen == Screen::closed) {
        end_session(f, now);
        return true;
    }
    return false;
}

}  // namespace pulse
