// terminal.hpp — one terminal's model, wired: the flow, the rotation counts,
// the answer writer and the random sources. The kiosk's loop (real or
// simulated) feeds it intents and the time; it hands answers to the writer
// with an id from the kernel's CSPRNG and the UTC hour, and reacts to what
// the writer reports. No SDL, no ImGui.
#pragma once

#include "terminal/answer_writer.hpp"
#include "terminal/flow.hpp"
#include "terminal/schedule.hpp"
#include "common/question_bank.hpp"
#include "common/random.hpp"
#include "common/calendar.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pulse {

class Terminal {
public:
    // Receives one line for the operator's log: store faults (with the code
    // the out-of-order screen shows), recovery, a corrupt file moved aside.
    // Never anything about an answer.
    using Log = std::function<void(const std::string& line)>;

    // bank must outlive the terminal. answers_this_week are the stored
    // answers per question in the Copenhagen ISO week of wall_now (from the
    // store; empty if it could not be read). rng drives rotation only (a
    // seed makes a simulation repeatable); answer ids come from new_id, the
    // kernel's CSPRNG unless a test stands in for it.
    Terminal(const QuestionBank& bank, const FlowSettings& settings, std::unique_ptr<AnswerWriter> writer,
             Rng rng, std::map<std::string, int> answers_this_week, Millis now, UnixSeconds wall_now,
             Log log = {}, IdSource new_id = IdSource(&random_uuid_v4));

    // Opening hours ([schedule]); nullopt (the default) = always open. Takes
    // effect at the next apply() or update(), which read the wall clock:
    // outside the hours the flow shows the closed screen (flow.hpp, on_hours).
    void set_schedule(std::optional<Schedule> schedule);

    // Applies a tap. Answers go to the writer with a fresh id. If no id can
    // be drawn (random_uuid_v4 failed: no secure source), the answer is kept
    // here, never given a predictable id, the flow goes out of order with
    // code "RNG", and update() tries again (next_deadline() says when).
    // Returns true if the state changed.
    bool apply(const Intent& intent, Millis now, UnixSeconds wall_now);

    // Gives ids to answers still waiting for one, polls the writer and fires
    // due timers. Returns true if the state changed.
    bool update(Millis now, UnixSeconds wall_now);

    // When update() must next run, if nothing else happens first; includes
    // the next opening or closing time, on the monotonic clock as it related
    // to the wall clock at the last apply() or update().
    std::optional<Millis> next_deadline() const;

    const Flow& flow() const { return flow_; }
    int answers_durable() const { return answers_durable_; }  // since start
    const std::string& last_store_error() const { return last_store_error_; }
    const std::string& moved_aside_to() const { return moved_aside_to_; }

private:
    void roll_week(UnixSeconds wall_now);
    // Tells the flow whether wall_now is within the opening hours, and
    // remembers when that next changes. Returns true if the flow changed.
    bool follow_hours(Millis now, UnixSeconds wall_now);
    // Submits answers_without_id_ with fresh ids, in order, until one cannot
    // be drawn; goes out of order on the first failure, back in service once
    // all have one.
    void give_ids(Millis now);

    const QuestionBank& bank_;
    Flow flow_;
    std::unique_ptr<AnswerWriter> writer_;
    Rng rng_;
    std::map<std::string, int> answers_this_week_;
    IsoWeek week_;
    int answers_durable_ = 0;
    std::string last_store_error_;
    std::string moved_aside_to_;
    Log log_;
    IdSource new_id_;
    std::vector<Answer> answers_without_id_;  // given, but no id could be drawn yet (hour set)
    bool ids_failing_ = false;                 // out of order because no id could be drawn
    bool store_failing_ = false;               // out of order because the writer reported a failure
    Millis next_id_try_ = 0;                   // ids_failing_: when update() tries again
    std::optional<Schedule> schedule_;         // nullopt = always open
    std::optional<UnixSeconds> hours_change_;  // next opening or closing (wall clock), if any
    bool hours_known_ = false;                 // hours_change_ is valid for hours_wall_ onwards
    Millis hours_now_ = 0;                     // monotonic time of the last follow_hours
    UnixSeconds hours_wall_ = 0;               // wall time of the last follow_hours
};

}  // namespace pulse
