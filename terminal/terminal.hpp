// terminal.hpp — one terminal's model, wired: the flow, the rotation counts,
// the answer writer and the random source. The kiosk's loop (real or
// simulated) feeds it intents and the time; it hands answers to the writer
// with a random id and the UTC hour, and reacts to what the writer reports.
// No SDL, no ImGui.
#pragma once

#include "terminal/answer_writer.hpp"
#include "terminal/flow.hpp"
#include "common/question_bank.hpp"
#include "common/random.hpp"
#include "common/calendar.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace pulse {

class Terminal {
public:
    // Receives one line for the operator's log: store faults (with the code
    // the out-of-order screen shows), recovery, a corrupt file moved aside.
    // Never anything about an answer.
    using Log = std::function<void(const std::string& line)>;

    // bank must outlive the terminal. answers_this_week are the stored
    // answers per question in the Copenhagen ISO week of wall_now (from the
    // store; empty if it could not be read).
    Terminal(const QuestionBank& bank, const FlowSettings& settings, std::unique_ptr<AnswerWriter> writer,
             Rng rng, std::map<std::string, int> answers_this_week, Millis now, UnixSeconds wall_now,
             Log log = {});

    // Applies a tap. Answers go to the writer. Returns true if the state changed.
    bool apply(const Intent& intent, Millis now, UnixSeconds wall_now);

    // Polls the writer and fires due timers. Returns true if the state changed.
    bool update(Millis now, UnixSeconds wall_now);

    // When update() must next run, if nothing else happens first.
    std::optional<Millis> next_deadline() const { return pulse::next_deadline(flow_); }

    const Flow& flow() const { return flow_; }
    int answers_durable() const { return answers_durable_; }  // since start
    const std::string& last_store_error() const { return last_store_error_; }
    const std::string& moved_aside_to() const { return moved_aside_to_; }

private:
    void roll_week(UnixSeconds wall_now);

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
};

}  // namespace pulse
