// flow.cpp — the employee flow's transitions. Every rule of the flow lives
// here; the screens only draw a Flow and report Intents.
#include "terminal/flow.hpp"

namespace pulse {

namespace {

void enter(Flow& f, Screen s, Millis now) {
    f.screen = s;
    f.since_ms = now;
}

// The session is over and forgotten; the language goes back to the
// terminal's default. Answers already handed to the store stay counted in
// `unsaved` until the store confirms them.
void forget_session(Flow& f) {
    f.session.clear();
    f.index = 0;
    f.answered = 0;
    f.language = f.settings.default_language;
}

// Back to the attract screen, or dark outside opening hours.
void end_session(Flow& f, Millis now) {
    forget_session(f);
    f.closed_message = false;
    enter(f, f.hours_closed ? Screen::closed : Screen::attract, now);
}

// After the last question: thank the person once every answer is durable.
void finish_session(Flow& f, Millis now) {
    enter(f, f.unsaved > 0 ? Screen::saving : Screen::thanks, now);
}

void after_thanks(Flow& f, Millis now) {
    if (f.settings.cooldown_ms > 0 && !f.hours_closed) {
        forget_session(f);
        enter(f, Screen::cooldown, now);
    } else {
        end_session(f, now);
    }
}

}  // namespace

const char* screen_name(Screen s) {
    switch (s) {
        case Screen::attract: return "attract";
        case Screen::question: return "question";
        case Screen::saving: return "saving";
        case Screen::thanks: return "thanks";
        case Screen::cooldown: return "cooldown";
        case Screen::out_of_order: return "out_of_order";
        case Screen::closed: return "closed";
    }
    return "unknown";
}

const std::string& Flow::current_question() const {
    static const std::string none;
    return screen == Screen::question && index < static_cast<int>(session.size()) ? session[index] : none;
}

Flow make_flow(const FlowSettings& settings, Millis now) {
    Flow f;
    f.settings = settings;
    f.language = settings.default_language;
    f.since_ms = now;
    return f;
}

bool step(Flow& f, const Intent& in, Millis now, const SessionPicker& pick, std::vector<GivenAnswer>* given) {
    using A = Intent::Action;
    switch (f.screen) {
        case Screen::attract:
            if (in.action == A::set_language && !in.language.empty()) {
                if (f.language == in.language) return false;
                f.language = in.language;
                return true;
            }
            if (in.action == A::start) {
                std::vector<std::string> questions = pick(f.settings.per_session);
                if (questions.empty()) return false;
                f.session = std::move(questions);
                f.index = 0;
                f.answered = 0;
                enter(f, Screen::question, now);
                return true;
            }
            return false;

        case Screen::question:
            switch (in.action) {
                case A::set_language:
                    if (in.language.empty() || f.language == in.language) return false;
                    f.language = in.language;
                    f.since_ms = now;  // a tap is activity
                    return true;
                case A::answer:
                case A::dont_know:
                    if (in.action == A::answer && (in.value < 1 || in.value > 5)) return false;
                    if (given) {
                        given->push_back(GivenAnswer{f.session[f.index],
                                                     in.action == A::answer ? std::optional<int>(in.value)
                                                                            : std::nullopt,
                                                     f.language});
                    }
                    ++f.answered;
                    ++f.unsaved;
                    [[fallthrough]];
                case A::skip:
                    if (++f.index >= static_cast<int>(f.session.size())) {
                        finish_session(f, now);
                    } else {
                        f.since_ms = now;
                    }
                    return true;
                default:
                    return false;
            }

        case Screen::closed:
            if (in.action != A::start) return false;
            f.closed_message = true;
            f.since_ms = now;  // a second tap shows it for the full time again
            return true;

        case Screen::saving:
        case Screen::thanks:
        case Screen::cooldown:
        case Screen::out_of_order:
            return false;  // taps are ignored until the screen moves on by itself
    }
    return false;
}

std::optional<Millis> next_deadline(const Flow& f) {
    switch (f.screen) {
        case Screen::question: return f.since_ms + f.settings.idle_timeout_ms;
        case Screen::thanks: return f.since_ms + f.settings.thanks_ms;
        case Screen::cooldown: return f.since_ms + f.settings.cooldown_ms;
        case Screen::closed:
            if (f.closed_message) return f.since_ms + f.settings.closed_message_ms;
            return std::nullopt;
        default: return std::nullopt;
    }
}

bool tick(Flow& f, Millis now) {
    std::optional<Millis> due = next_deadline(f);
    if (!due || now < *due) return false;
    switch (f.screen) {
        case Screen::question: end_session(f, now); break;
        case Screen::thanks: after_thanks(f, now); break;
        case Screen::cooldown: end_session(f, now); break;
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
    forget_session(f);
    enter(f, Screen::out_of_order, now);
}

void on_store_recovered(Flow& f, Millis now) {
    f.fault_code.clear();
    if (f.screen == Screen::out_of_order) end_session(f, now);
}

bool on_hours(Flow& f, bool open, Millis now) {
    f.hours_closed = !open;
    if (!open && (f.screen == Screen::attract || f.screen == Screen::cooldown)) {
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
