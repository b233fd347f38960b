// fleet_alerts.cpp — the silence alerts (see fleet_alerts.hpp): the two
// e-mails, one step of the policy, and the thread that steps it.
#include "collector/fleet/fleet_alerts.hpp"

#include "collector/email/email_message.hpp"
#include "collector/email/mailer.hpp"  // unique_message_token
#include "collector/fleet/fleet.hpp"
#include "collector/web/auth.hpp"      // normalise_email
#include "collector/web/pages.hpp"     // lang_query

#include <algorithm>
#include <chrono>
#include <map>

namespace pulse {
namespace {

// The text of a fleet e-mail: body, then the fleet page's link with [web].
std::string with_fleet_link(const CollectorConfig& config, const SummaryWords& w, const std::string& body) {
    if (!config.web) return body;
    const std::string link = config.web->base_url + "/fleet" + lang_query(config.email->language);
    return body + "\n\n" + fill_placeholders(w.fleet_mail_link, {{"link", link}});
}

}  // namespace

std::string silence_alert_message(const CollectorConfig& config, const std::vector<std::string>& to,
                                  const std::string& terminal, const std::string& workplace,
                                  UnixSeconds last_heartbeat, UnixSeconds now, const std::string& unique) {
    const SummaryWords& w = config.summary_texts.words(config.email->language);
    const std::string name = config.workplace_name(workplace);
    const std::string subject = fill_placeholders(w.fleet_alert_subject, {{"terminal", terminal}, {"workplace", name}});
    const std::string text = fill_placeholders(
        w.fleet_alert_text, {{"terminal", terminal},
                             {"workplace", name},
                             {"last_heartbeat", copenhagen_minute_text(last_heartbeat)},
                             {"hours", std::to_string(kSilenceAlertAfter_s / 3600)}});
    return build_text_email(config.email->sender, to, subject, with_fleet_link(config, w, text), now, unique);
}

std::string recovery_message(const CollectorConfig& config, const std::vector<std::string>& to,
                             const std::string& terminal, const std::string& workplace, UnixSeconds heard_at,
                             UnixSeconds now, const std::string& unique) {
    const SummaryWords& w = config.summary_texts.words(config.email->language);
    const std::string name = config.workplace_name(workplace);
    const std::string subject =
        fill_placeholders(w.fleet_recovered_subject, {{"terminal", terminal}, {"workplace", name}});
    const std::string text = fill_placeholders(
        w.fleet_recovered_text,
        {{"terminal", terminal}, {"workplace", name}, {"last_heartbeat", copenhagen_minute_text(heard_at)}});
    return build_text_email(config.email->sender, to, subject, with_fleet_link(config, w, text), now, unique);
}

std::vector<std::string> fleet_alert_recipients(const CollectorConfig& config) {
    std::vector<std::string> to;
    for (const AdminEntry& a : config.admins) {
        const std::string email = normalise_email(a.email);
        if (!email.empty() && std::find(to.begin(), to.end(), email) == to.end()) to.push_back(email);
    }
    return to;
}

// [SECTION] The policy

FleetAlerter::FleetAlerter(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                           ScheduleOf schedule_of, FleetLog log)
    : config_(config), store_(store), sender_(sender), schedule_of_(std::move(schedule_of)), log_(std::move(log)) {}

bool FleetAlerter::send(const std::vector<std::string>& to, const std::string& message, const std::string& what) {
    const SendResult result = sender_.send(config_.email->sender.address, to, message);
    if (log_) {
        log_(result.ok ? "fleet: " + what + " mailed to " + std::to_string(to.size()) + " admin(s)"
                       : "fleet: " + what + " could not be mailed: " + result.error + "; trying again in a minute");
    }
    return result.ok;
}

FleetAlertStep FleetAlerter::step(UnixSeconds now) {
    FleetAlertStep out;
    const std::vector<std::string> to = fleet_alert_recipients(config_);
    if (to.empty() || !config_.email) {
        if (!said_why_not_ && log_) {
            log_(to.empty() ? "fleet: no [[admin]] in the config, so no silence alerts are mailed (they go to the "
                              "admins' addresses)"
                            : "fleet: no [email] in the config, so no silence alerts are mailed");
        }
        said_why_not_ = true;
        return out;
    }
    const auto store_failed = [&](const std::string& error) {
        if (log_) log_("fleet: cannot look at the silence alerts: " + error + "; trying again in a minute");
        out.store_failed = true;
        return out;
    };
    std::string error;
    const std::optional<std::vector<TerminalHeartbeat>> heartbeats = store_.heartbeats(&error);
    if (!heartbeats) return store_failed(error);
    const std::optional<std::vector<SilenceAlert>> alerts = store_.silence_alerts(&error);
    if (!alerts) return store_failed(error);
    std::map<std::string, const TerminalHeartbeat*> heard;
    for (const TerminalHeartbeat& h : *heartbeats) heard.emplace(h.terminal, &h);
    std::map<std::string, const SilenceAlert*> alerted;
    for (const SilenceAlert& a : *alerts) alerted.emplace(a.terminal, &a);

    for (const TerminalEntry& terminal : config_.terminals) {
        const auto h = heard.find(terminal.id);
        const auto a = alerted.find(terminal.id);
        const std::string name = "terminal " + terminal.id + " (" + terminal.workplace + ")";
        if (a != alerted.end()) {
            if (h == heard.end() || h->second->received_at <= a->second->last_heartbeat) continue;  // still silent
            const SilenceAlert was = *a->second;
            const std::optional<bool> ended = store_.end_silence_alert(terminal.id, &error);
            if (!ended) return store_failed(error);
            if (!*ended) continue;  // another instance ended it and mails the recovery
            const std::string message = recovery_message(config_, to, terminal.id, terminal.workplace,
                                                         h->second->received_at, now, unique_message_token());
            if (send(to, message, "recovery of " + name)) {
                ++out.recoveries_sent;
                continue;
            }
            ++out.failed;
            if (!store_.claim_silence_alert(was, &error)) return store_failed(error);  // mailed next step
            continue;
        }
        if (h == heard.end()) continue;  // never heard from: no alert (see fleet_alerts.hpp)
        const UnixSeconds since = h->second->received_at;
        const std::optional<Schedule> schedule = schedule_of_ ? schedule_of_(terminal.id) : std::nullopt;
        if (open_seconds_between(schedule, since, now, kSilenceAlertAfter_s) < kSilenceAlertAfter_s) continue;
        const std::optional<bool> claimed = store_.claim_silence_alert({terminal.id, since, now}, &error);
        if (!claimed) return store_failed(error);
        if (!*claimed) continue;  // alerted already (another instance, just now)
        const std::string message =
            silence_alert_message(config_, to, terminal.id, terminal.workplace, since, now, unique_message_token());
        if (send(to, message, "silence alert for " + name)) {
            ++out.alerts_sent;
            continue;
        }
        ++out.failed;
        if (!store_.end_silence_alert(terminal.id, &error)) return store_failed(error);  // claimed again next step
    }

    // Alerts of terminals taken out of the registry: nobody waits for their recovery.
    for (const SilenceAlert& a : *alerts) {
        const bool registered = std::any_of(config_.terminals.begin(), config_.terminals.end(),
                                            [&](const TerminalEntry& t) { return t.id == a.terminal; });
        if (registered) continue;
        if (!store_.end_silence_alert(a.terminal, &error)) return store_failed(error);
        if (log_) log_("fleet: terminal " + a.terminal + " is no longer registered; its silence alert is dropped");
    }
    return out;
}

// [SECTION] FleetAlertThread

FleetAlertThread::FleetAlertThread(const CollectorConfig& config, CollectorStore& store, MailSender& sender,
                                   ScheduleOf schedule_of, std::function<UnixSeconds()> clock, FleetLog log,
                                   int max_sleep_ms)
    : alerter_(config, store, sender, std::move(schedule_of), log), clock_(std::move(clock)), log_(std::move(log)),
      max_sleep_ms_(std::max(1, max_sleep_ms)) {}

FleetAlertThread::~FleetAlertThread() { stop(); }

void FleetAlertThread::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void FleetAlertThread::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void FleetAlertThread::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    cv_.notify_all();
}

int FleetAlertThread::steps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return steps_;
}

void FleetAlertThread::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        woken_ = false;
        lock.unlock();
        try {
            alerter_.step(clock_());
        } catch (const std::exception& e) {
            // E.g. bad_alloc while building a message: say so, look again next time.
            if (log_) log_(std::string("fleet: a step failed: ") + e.what());
        }
        lock.lock();
        ++steps_;
        cv_.notify_all();
        cv_.wait_for(lock, std::chrono::milliseconds(max_sleep_ms_), [&] { return stopping_ || woken_; });
    }
}

}  // namespace pulse
