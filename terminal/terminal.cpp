// terminal.cpp — glue between flow, rotation and writer (see terminal.hpp).
#include "terminal/terminal.hpp"

#include "terminal/rotation.hpp"
#include "common/copenhagen_time.hpp"

#include <cstdio>

namespace pulse {

Terminal::Terminal(const QuestionBank& bank, const FlowSettings& settings, std::unique_ptr<AnswerWriter> writer,
                   Rng rng, std::map<std::string, int> answers_this_week, Millis now, UnixSeconds wall_now,
                   Log log)
    : bank_(bank),
      flow_(make_flow(settings, now)),
      writer_(std::move(writer)),
      rng_(std::move(rng)),
      answers_this_week_(std::move(answers_this_week)),
      week_(copenhagen_iso_week(wall_now)),
      log_(std::move(log)) {}

void Terminal::roll_week(UnixSeconds wall_now) {
    const IsoWeek week = copenhagen_iso_week(wall_now);
    if (week != week_) {
        week_ = week;
        answers_this_week_.clear();  // a new week starts with no answers
    }
}

bool Terminal::apply(const Intent& intent, Millis now, UnixSeconds wall_now) {
    roll_week(wall_now);
    std::vector<GivenAnswer> given;
    const SessionPicker pick = [&](int count) { return pick_session(bank_, answers_this_week_, count, rng_); };
    const bool changed = step(flow_, intent, now, pick, &given);
    for (GivenAnswer& g : given) {
        ++answers_this_week_[g.question];
        writer_->submit(Answer{uuid_v4(rng_), std::move(g.question), g.value, std::move(g.language),
                               truncate_to_hour(wall_now)});
    }
    return update(now, wall_now) || changed;
}

bool Terminal::update(Millis now, UnixSeconds wall_now) {
    roll_week(wall_now);
    const Screen before = flow_.screen;
    const int unsaved_before = flow_.unsaved;
    for (const WriteEvent& e : writer_->poll()) {
        switch (e.kind) {
            case WriteEvent::Kind::durable:
                answers_durable_ += e.count;
                on_answers_durable(flow_, e.count, now);
                break;
            case WriteEvent::Kind::failed: {
                const std::string code = "DB-" + std::to_string(e.code);
                last_store_error_ = e.message;
                if (log_) log_("out of order [" + code + "]: answers cannot be stored, retrying: " + e.message);
                on_store_failed(flow_, code, now);
                break;
            }
            case WriteEvent::Kind::recovered:
                if (log_) log_("answers can be stored again; back in service");
                on_store_recovered(flow_, now);
                break;
            case WriteEvent::Kind::moved_aside:
                moved_aside_to_ = e.message;
                if (log_) log_("the database was corrupt: moved aside to " + e.message + "; started a fresh one");
                break;
        }
    }
    const bool timers = tick(flow_, now);
    return timers || flow_.screen != before || flow_.unsaved != unsaved_before;
}

}  // namespace pulse
