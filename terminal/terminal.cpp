// terminal.cpp — glue between flow, rotation and writer (see terminal.hpp).
#include "terminal/terminal.hpp"

#include "terminal/rotation.hpp"
#include "common/copenhagen_time.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>

namespace pulse {

namespace {

// How often a terminal without ids asks the kernel again.
constexpr Millis kIdRetry_ms = 1000;

}  // namespace

Terminal::Terminal(const QuestionBank& bank, const FlowSettings& settings, std::unique_ptr<AnswerWriter> writer,
                   Rng rng, std::map<std::string, int> answers_this_week, Millis now, UnixSeconds wall_now,
                   Log log, IdSource new_id)
    : bank_(bank),
      flow_(make_flow(settings, now)),
      writer_(std::move(writer)),
      rng_(std::move(rng)),
      answers_this_week_(std::move(answers_this_week)),
      week_(copenhagen_iso_week(wall_now)),
      log_(std::move(log)),
      new_id_(std::move(new_id)) {
    prepare_session(flow_, picker());  // attract shows the first session's first statement
}

void Terminal::roll_week(UnixSeconds wall_now) {
    const IsoWeek week = copenhagen_iso_week(wall_now);
    if (week != week_) {
        week_ = week;
        answers_this_week_.clear();  // a new week starts with no answers
    }
}

void Terminal::set_schedule(std::optional<Schedule> schedule) {
    schedule_ = std::move(schedule);
    hours_known_ = false;
    hours_change_.reset();
    if (!schedule_) on_hours(flow_, true, hours_now_);
}

bool Terminal::follow_hours(Millis now, UnixSeconds wall_now) {
    if (!schedule_) return false;
    // is_open is cheap; next_change scans days, so it is redone only when the
    // change it found has come or the wall clock went back (it was set).
    const bool stale = !hours_known_ || wall_now < hours_wall_ || (hours_change_ && wall_now >= *hours_change_);
    if (stale) {
        hours_change_ = next_change(*schedule_, wall_now);
        hours_known_ = true;
    }
    hours_now_ = now;
    hours_wall_ = wall_now;
    return on_hours(flow_, is_open(*schedule_, wall_now), now);
}

void Terminal::set_admin(std::optional<std::string> pin_hash, std::filesystem::path lock_file, UnixSeconds wall_now,
                         PinCheck check) {
    admin_enabled_ = pin_hash.has_value();
    admin_lock_file_ = std::move(lock_file);
    pin_check_ = check ? std::move(check) : PinCheck([hash = pin_hash.value_or("")](const std::string& pin) {
        return verify_pin(hash, pin);
    });
    const AdminLockRead read = read_admin_lock(admin_lock_file_, wall_now);
    admin_.lock = read.lock;
    if (!read.problem.empty()) {
        if (log_) log_("admin: " + read.problem);
        std::string error;
        if (!write_admin_lock(admin_lock_file_, admin_.lock, &error) && log_) log_("admin: " + error);
    }
}

bool Terminal::apply_admin(const Intent& intent, Millis now, UnixSeconds wall_now) {
    const AdminStep s = admin_apply(admin_, intent.admin, intent.value, intent.x, intent.y, now, wall_now,
                                    admin_enabled_, pin_check_);
    if (s.lock_changed) {
        std::string error;
        if (!write_admin_lock(admin_lock_file_, admin_.lock, &error) && log_) {
            log_("admin: the PIN pad's lock could not be kept: " + error);
        }
    }
    // IT's log says when the pad was used, never a PIN or a digit.
    if (log_ && intent.admin == AdminAction::ok && s.changed) {
        if (admin_.mode == AdminMode::panel) {
            log_("admin: the admin panel was opened with the PIN");
        } else if (admin_.wrong_pin && admin_.lock.failures == 0) {
            log_("admin: a wrong PIN, the " + std::to_string(kPinTriesBeforeLock) + "th in a row: the pad is locked for " +
                 std::to_string(pin_lock_remaining_s(admin_.lock, wall_now) / 60) + " minutes");
        } else if (admin_.wrong_pin) {
            log_("admin: a wrong PIN (" + std::to_string(admin_.lock.failures) + " in a row)");
        }
    }
    return s.changed;
}

bool Terminal::apply(const Intent& intent, Millis now, UnixSeconds wall_now) {
    roll_week(wall_now);
    if (intent.action == Intent::Action::admin) return apply_admin(intent, now, wall_now) | update(now, wall_now);
    if (admin_.mode != AdminMode::off) return update(now, wall_now);  // the flow is not on screen
    const bool hours = follow_hours(now, wall_now);  // no session starts once the hours are over
    const bool changed = step(flow_, intent, now, picker(), nullptr);
    if (changed && intent.action == Intent::Action::undo) {
        // "Fortryd": the session's answers leave the file before they ever
        // leave the terminal; the link between them is forgotten here.
        std::vector<std::string> ids;
        for (auto& [id, question] : undo_) {
            ids.push_back(std::move(id));
            if (auto it = answers_this_week_.find(question); it != answers_this_week_.end() && it->second > 0) --it->second;
        }
        undo_.clear();
        removing_ += static_cast<int>(ids.size());  // the uploader's hold lasts until they are gone
        writer_->remove(std::move(ids));
    }
    return update(now, wall_now) || changed || hours;
}

SessionPicker Terminal::picker() {
    return [this](int count) { return pick_session(bank_, answers_this_week_, count, rng_); };
}

std::optional<UnixSeconds> Terminal::undo_hour() const {
    if (undo_.empty() && removing_ == 0) return std::nullopt;
    return undo_hour_;
}

void Terminal::shutdown(Millis now, UnixSeconds wall_now) {
    if (on_shutdown(flow_, now)) hand_over(now, wall_now);
}

void Terminal::hand_over(Millis now, UnixSeconds wall_now) {
    std::vector<GivenAnswer> given = take_answers(flow_);
    if (given.empty()) return;
    // A session that ended with its last statement may be undone from the
    // thanks screen: give_ids notes its answers' ids, here in memory only.
    undo_.clear();
    collecting_undo_ = flow_.undo_offered;
    undo_hour_ = truncate_to_hour(wall_now);
    for (GivenAnswer& g : given) {
        ++answers_this_week_[g.question];
        // The id is drawn in give_ids, never from rng_: ids are stored and
        // sent, and a seeded generator's outputs give away one another.
        answers_without_id_.push_back(
            Answer{"", std::move(g.question), g.value, std::move(g.language), truncate_to_hour(wall_now)});
    }
    give_ids(now);
    collecting_undo_ = false;
}

void Terminal::give_ids(Millis now) {
    std::size_t given = 0;
    std::string error;
    for (; given < answers_without_id_.size(); ++given) {
        std::string id = new_id_(&error);
        if (id.empty()) break;
        if (collecting_undo_) undo_.emplace_back(id, answers_without_id_[given].question);
        answers_without_id_[given].id = std::move(id);
        writer_->submit(std::move(answers_without_id_[given]));
    }
    answers_without_id_.erase(answers_without_id_.begin(), answers_without_id_.begin() + static_cast<std::ptrdiff_t>(given));
    if (!answers_without_id_.empty()) {
        next_id_try_ = now + kIdRetry_ms;
        if (!ids_failing_) {
            ids_failing_ = true;
            if (log_) log_("out of order [RNG]: no random id for an answer, the answer is kept, retrying: " + error);
            on_store_failed(flow_, "RNG", now);
        }
    } else if (ids_failing_) {
        ids_failing_ = false;
        if (log_) log_("random ids can be drawn again; the kept answers are handed to the store");
        if (!store_failing_) on_store_recovered(flow_, now);
    }
}

std::optional<Millis> Terminal::next_deadline() const {
    std::optional<Millis> due = pulse::next_deadline(flow_);
    if (ids_failing_ && (!due || next_id_try_ < *due)) due = next_id_try_;
    if (const std::optional<Millis> admin = admin_deadline(admin_); admin && (!due || *admin < *due)) due = admin;
    if (schedule_ && hours_change_) {
        const Millis change = hours_now_ + (*hours_change_ - hours_wall_) * 1000;
        if (!due || change < *due) due = change;
    }
    return due;
}

bool Terminal::update(Millis now, UnixSeconds wall_now) {
    roll_week(wall_now);
    const Screen before = flow_.screen;
    const int unsaved_before = flow_.unsaved;
    const std::string fault_before = flow_.fault_code;
    if (ids_failing_ && now >= next_id_try_) give_ids(now);
    for (const WriteEvent& e : writer_->poll()) {
        switch (e.kind) {
            case WriteEvent::Kind::durable:
                answers_durable_ += e.count;
                on_answers_durable(flow_, e.count, now);
                break;
            case WriteEvent::Kind::failed: {
                const std::string code = "DB-" + std::to_string(e.code);
                last_store_error_ = e.message;
                store_failing_ = true;
                if (log_) log_("out of order [" + code + "]: answers cannot be stored, retrying: " + e.message);
                on_store_failed(flow_, code, now);
                break;
            }
            case WriteEvent::Kind::recovered:
                store_failing_ = false;
                if (log_) log_("answers can be stored again; back in service");
                if (ids_failing_) on_store_failed(flow_, "RNG", now);  // still no ids: stay out of order
                else on_store_recovered(flow_, now);
                break;
            case WriteEvent::Kind::moved_aside:
                moved_aside_to_ = e.message;
                if (log_) log_("the database was corrupt: moved aside to " + e.message + "; started a fresh one");
                break;
            case WriteEvent::Kind::removed: {  // an undo is done; not logged (a line's time would say when)
                answers_durable_ -= std::min(answers_durable_, e.count);
                const int asked = std::exchange(removing_, 0);
                // Only if the hold failed: an answer already in a batch is not removed. Said without a count.
                if (e.count < asked && log_) log_("undo: an undone session's answers had already left in a batch");
                break;
            }
        }
    }
    const bool timers = tick(flow_, now) | admin_tick(admin_, now);
    const bool hours = follow_hours(now, wall_now);
    hand_over(now, wall_now);
    if (!flow_.undo_offered) undo_.clear();  // the window closed (or never opened): the ids are forgotten
    // The next session's first statement, once attract shows (the
    // rotation counts the answers just handed over).
    const bool prepared = prepare_session(flow_, picker());
    return timers || hours || prepared || flow_.screen != before || flow_.unsaved != unsaved_before || flow_.fault_code != fault_before;
}

}  // namespace pulse
