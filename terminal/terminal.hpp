// terminal.hpp — one terminal's model, wired: the flow, the rotation counts,
// the answer writer and the random sources. The kiosk's loop (real or
// simulated) feeds it intents and the time; it hands answers to the writer
// with an id from the kernel's CSPRNG and the UTC hour, and reacts to what
// the writer reports. No SDL, no ImGui.
#pragma once

#include "terminal/admin.hpp"
#include "terminal/answer_writer.hpp"
#include "terminal/flow.hpp"
#include "common/schedule.hpp"
#include "common/question_bank.hpp"
#include "common/random.hpp"
#include "common/calendar.hpp"

#include <filesystem>
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

    // Admin access (admin.hpp): pin_hash from [admin] (nullopt: the corner
    // gesture opens nothing), the lock kept in lock_file (read now: a bad
    // file fails closed and is logged and rewritten), check the PIN test
    // (verify_pin against pin_hash unless a test stands in). Without a call
    // the admin screens never open.
    void set_admin(std::optional<std::string> pin_hash, std::filesystem::path lock_file, UnixSeconds wall_now,
                   PinCheck check = {});

    // Applies a tap. Admin intents go to the admin state (a changed lock is
    // written to the lock file at once; a failed write is logged). Answers go to the writer with a fresh id. If no id can
    // be drawn (random_uuid_v4 failed: no secure source), the answer is kept
    // here, never given a predictable id, the flow goes out of order with
    // code "RNG", and update() tries again (next_deadline() says when).
    // Returns true if the state changed.
    bool apply(const Intent& intent, Millis now, UnixSeconds wall_now);

    // Gives ids to answers still waiting for one, polls the writer and fires
    // due timers. Returns true if the state changed.
    bool update(Millis now, UnixSeconds wall_now);

    // While the thanks screen offers "Fortryd", and after a tap on it until
    // the writer has removed the answers: the UTC hour of the session's
    // answers (all handed over at its end, with one hour), which the
    // uploader must not put in a batch meanwhile, even if the hour ends;
    // nullopt otherwise.
    std::optional<UnixSeconds> undo_hour() const;

    // The kiosk is stopping: a session in progress ends (on_shutdown) and
    // its answers so far go to the writer, with the hour of wall_now, as a
    // session's answers do when it ends; the writer then has them (the
    // threaded writer's destructor writes what is queued). Answers still
    // without an id (no secure random source) cannot be stored and are
    // lost, as the log said when they first could not get one.
    void shutdown(Millis now, UnixSeconds wall_now);

    // When update() must next run, if nothing else happens first; includes
    // the next opening or closing time, on the monotonic clock as it related
    // to the wall clock at the last apply() or update().
    std::optional<Millis> next_deadline() const;

    const Flow& flow() const { return flow_; }
    const AdminState& admin() const { return admin_; }
    bool admin_enabled() const { return admin_enabled_; }  // a PIN hash is configured (set_admin)
    // What the admin panel asked the kiosk to do, once (then none).
    AdminRequest take_admin_request() { return take_request(admin_); }
    int answers_durable() const { return answers_durable_; }  // since start, less those undone
    const std::string& last_store_error() const { return last_store_error_; }
    const std::string& moved_aside_to() const { return moved_aside_to_; }

private:
    void roll_week(UnixSeconds wall_now);
    // The rotation (rotation.hpp) over this week's counts, drawing from rng_.
    SessionPicker picker();
    // Stores the answers of sessions the flow ended (its outbox), each with
    // the hour of wall_now and a fresh id (give_ids).
    void hand_over(Millis now, UnixSeconds wall_now);
    // An admin intent: the admin state machine, the lock file, the log.
    bool apply_admin(const Intent& intent, Millis now, UnixSeconds wall_now);
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
    // The session the thanks screen may undo: its answers' ids and questions
    // (for the rotation's counts), in memory only, while the flow offers it.
    std::vector<std::pair<std::string, std::string>> undo_;
    UnixSeconds undo_hour_ = 0;
    int removing_ = 0;                         // ids handed to writer_->remove(), not yet reported removed
    bool collecting_undo_ = false;            // hand_over: give_ids notes the ids in undo_
    bool ids_failing_ = false;                 // out of order because no id could be drawn
    bool store_failing_ = false;               // out of order because the writer reported a failure
    Millis next_id_try_ = 0;                   // ids_failing_: when update() tries again
    AdminState admin_;
    bool admin_enabled_ = false;               // a PIN hash is configured
    std::filesystem::path admin_lock_file_;
    PinCheck pin_check_;
    std::optional<Schedule> schedule_;         // nullopt = always open
    std::optional<UnixSeconds> hours_change_;  // next opening or closing (wall clock), if any
    bool hours_known_ = false;                 // hours_change_ is valid for hours_wall_ onwards
    Millis hours_now_ = 0;                     // monotonic time of the last follow_hours
    UnixSeconds hours_wall_ = 0;               // wall time of the last follow_hours
};

}  // namespace pulse
