// fleet_alerts.hpp — IT's silence alerts (issue 13): one e-mail when a
// terminal has sent no heartbeat for 2 hours of its opening hours, one more
// when it is heard from again. FleetAlerter::step is the policy on injected
// time, store and mail sender (testable with a fake clock); FleetAlertThread
// runs it every minute for `serve`. Which terminals are alerted is kept in
// the store (CollectorStore::claim_silence_alert), so a restart, or a second
// instance on one PostgreSQL database, neither mails twice nor forgets a
// recovery. The mails name the terminal, its workplace and times, nothing
// about answers.
#pragma once

#include "collector/config.hpp"
#include "collector/email/smtp_sender.hpp"
#include "collector/storage/store.hpp"
#include "common/schedule.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pulse {

// A terminal's opening hours, by terminal id; nullopt: not known, the
// terminal counts as always open. (main.cpp passes one that knows none yet;
// the per-workplace overlays will feed it.)
using ScheduleOf = std::function<std::optional<Schedule>(const std::string& terminal_id)>;

// One log line, without a newline; from the alerter's thread.
using FleetLog = std::function<void(const std::string&)>;

// Open time without a heartbeat after which IT is mailed.
inline constexpr UnixSeconds kSilenceAlertAfter_s = 2 * 3600;

// How often serve's thread looks (and at most how long it sleeps).
inline constexpr int kFleetAlertCheckInterval_ms = 60'000;

// The alert e-mail for a terminal silent since last_heartbeat: To every
// address of `to` (at least one), From [email] sender, in [email] language,
// texts' fleet_alert_subject and fleet_alert_text (times in Copenhagen
// time), with fleet_mail_link to <base_url>/fleet when the config has
// [web]. Requires config.email. Cannot fail.
std::string silence_alert_message(const CollectorConfig& config, const std::vector<std::string>& to,
                                  const std::string& terminal, const std::string& workplace,
                                  UnixSeconds last_heartbeat, UnixSeconds now, const std::string& unique);

// The recovery e-mail: the same, with fleet_recovered_subject and
// fleet_recovered_text, heard_at being the heartbeat that ended the silence.
std::string recovery_message(const CollectorConfig& config, const std::vector<std::string>& to,
                             const std::string& terminal, const std::string& workplace, UnixSeconds heard_at,
                             UnixSeconds now, const std::string& unique);

// The alerts' recipients: every [[admin]] address, normalised, each once,
// in the config's order. Empty when there is no admin.
std::vector<std::string> fleet_alert_recipients(const CollectorConfig& config);

// What one step did.
struct FleetAlertStep {
    int alerts_sent = 0;      // silence alerts the mail server accepted
    int recoveries_sent = 0;  // recovery mails the mail server accepted
    int failed = 0;           // sends that failed (each logged; tried again next step)
    bool store_failed = false;  // the store could not be read or written (logged)
};

class FleetAlerter {
public:
    // config, store and sender must outlive it; schedule_of null = every
    // terminal always open.
    FleetAlerter(const CollectorConfig& config, CollectorStore& store, MailSender& sender, ScheduleOf schedule_of,
                 FleetLog log);

    // One look at the fleet at now, for every [[terminal]]:
    //  - no alert in force, a heartbeat received at some time h, and the
    //    terminal's schedule open for at least kSilenceAlertAfter_s of
    //    [h, now): claims the alert in the store, then mails it; a failed
    //    send releases the claim (the next step tries again);
    //  - an alert in force and a heartbeat received after the one it was
    //    raised on: ends the alert, then mails the recovery; a failed send
    //    puts the alert back (the next step tries again).
    // A terminal never heard from gets no alert (one registered but not yet
    // set up would alarm at once; the fleet page shows it silent). An alert
    // of a terminal no longer registered is dropped without mail. Without an
    // [[admin]] or without [email] nothing is looked at or sent, and that is
    // logged once. A store that fails ends the step (logged, store_failed);
    // the next step tries again. Logs one line per mail sent or failed.
    // Not thread-safe: one thread steps it.
    FleetAlertStep step(UnixSeconds now);

private:
    bool send(const std::vector<std::string>& to, const std::string& message, const std::string& what);

    const CollectorConfig& config_;
    CollectorStore& store_;
    MailSender& sender_;
    ScheduleOf schedule_of_;
    FleetLog log_;
    bool said_why_not_ = false;  // the "no admin / no [email]" line was logged
};

// FleetAlerter::step in the background: a step at start, then one every
// max_sleep_ms, or at wake(), until stop(). The store must be safe for use
// from this thread alongside the server's.
class FleetAlertThread {
public:
    FleetAlertThread(const CollectorConfig& config, CollectorStore& store, MailSender& sender, ScheduleOf schedule_of,
                     std::function<UnixSeconds()> clock, FleetLog log,
                     int max_sleep_ms = kFleetAlertCheckInterval_ms);
    ~FleetAlertThread();  // stop()
    FleetAlertThread(const FleetAlertThread&) = delete;
    FleetAlertThread& operator=(const FleetAlertThread&) = delete;

    void start();  // starts the thread; no-op if running
    void stop();   // asks it to stop and joins it (a send in progress finishes first, at most 60 s); idempotent
    void wake();   // makes it step now (after a test moved its clock)
    int steps() const;  // steps finished so far

private:
    void run();

    FleetAlerter alerter_;
    std::function<UnixSeconds()> clock_;
    FleetLog log_;
    int max_sleep_ms_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    int steps_ = 0;
    std::thread thread_;
};

}  // namespace pulse
