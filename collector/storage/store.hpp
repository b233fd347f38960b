// store.hpp — where the collector keeps answers: SQLite (one file,
// WAL) by default, PostgreSQL when the database setting is a postgresql://
// URL. Answer ids are unique forever; a batch is stored all or nothing.
// Per answer: its id, workplace, question, value and hour — never the
// language it was given in (issue 14; docs/anonymity.md).
// Also the weekly e-mail's ledger, the sealed weeks, managers' browser
// sign-in links and sessions (as hashes), each terminal's last heartbeat,
// the silence alerts IT has been mailed, and the managers' responses to
// published weeks with every change to them (issue 15).
#pragma once

#include "common/protocol.hpp"
#include "common/sha256.hpp"             // is_sha256_hex
#include "collector/summary/summary.hpp"       // AnswerCount

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

namespace pulse {

// finish_email's error when the claim was no longer the caller's.
inline constexpr const char* kEmailClaimLost =
    "the claim was lost: it outlived its lease and another instance took the e-mail over";

// The weekly e-mail's bookkeeping for one workplace and week, kept in the
// database so a restart never sends twice and several collector instances on
// one PostgreSQL database share it.
struct EmailRecord {
    std::string workplace;
    IsoWeek week;
    bool sent = false;
    int attempts = 0;               // sends tried so far
    UnixSeconds next_attempt = 0;   // not sent: no instance tries before this (a claim or a retry wait)
    std::string last_error;         // of the last failed attempt, "" if none
};

struct StoreResult {
    // unsealed: the week the caller required sealed is not (nothing stored;
    // seal it, then store again).
    enum class Kind { stored, conflict, unsealed, error };
    Kind kind = Kind::stored;
    long accepted = 0;      // stored: answers new to the store
    long duplicates = 0;    // stored: answers already there with the same content
    std::string message;    // conflict: which id; error: what failed
};

// [SECTION] Publication: what a seal reads and writes (collector/publication.hpp)

// One workplace's share of a week being sealed.
struct SealInput {
    std::string workplace;
    std::vector<AnswerCount> counts;                    // the week's answers held now (week_offset 0)
    std::array<std::optional<std::string>, 3> earlier;  // the sealed summaries of the 3 weeks before, newest first
};

// Turns the inputs into one sealed summary text per input, in their order
// (collector/summary/sealed.hpp's form). Runs inside seal_week's transaction.
using SealBuilder = std::function<std::vector<std::string>(const std::vector<SealInput>& inputs)>;

enum class SealOutcome { sealed, already_sealed, error };

// One workplace's sealed week as read back.
struct SealedWeek {
    std::string summary;               // sealed_summary_json
    std::int64_t answers_at_seal = 0;  // every answer of the week held at sealing, shown or not (never shown itself)
    UnixSeconds sealed_at = 0;         // when the week was sealed
};

// A database fault (PostgreSQL stopped or restarted, a full disk, a file
// turned read-only) is each call's failure value — Kind::error, -1, nullopt
// or *error — returned without waiting for the database to come back
// (PostgreSQL: the pool's outage rules in postgres_store.cpp). Nothing needs
// reopening: the first call after the fault is gone works.
// IT has been mailed that a terminal went silent (collector/fleet/
// fleet_alerts.hpp): kept so that a restart, or another instance on the same
// PostgreSQL database, neither mails it again nor forgets to mail its
// recovery. One row per alerted terminal; it goes when the recovery is mailed.
struct SilenceAlert {
    std::string terminal;            // [[terminal]] id
    UnixSeconds last_heartbeat = 0;  // received_at of the heartbeat it fell silent after; a later one is its recovery
    UnixSeconds alerted_at = 0;      // when the alert was claimed (the collector's clock)
};

// A terminal's last heartbeat (docs/protocol.md, POST /v1/heartbeat): the
// validated report as compact JSON, and when it arrived by the collector's
// clock. One per terminal: a newer heartbeat replaces it. Nothing in it
// moves when someone answers (docs/anonymity.md, "The heartbeat").
struct TerminalHeartbeat {
    std::string terminal;      // from the token, never from the body
    std::string report_json;   // the body as validate_heartbeat kept it
    UnixSeconds received_at = 0;
};

// A manager's (or HR's) response to a published week of a workplace (issue
// 15, "You said, we did"): their own words to the staff, shown with their
// name on the week's page and on the workplace's terminals. One per
// (workplace, week); the same struct is one entry of its audit list.
// The texts are stored as given: collector/week_response.hpp checks them.
struct WeekResponse {
    std::string workplace;
    IsoWeek week;
    std::string text_da;                 // required; never empty once checked
    std::optional<std::string> text_en;  // nullopt: no English text
    std::string author_name;             // the author's config entry's name, as shown beside the text
    std::string author_email;            // normalised; only the audit list shows it
    UnixSeconds written_at = 0;          // when this version was stored (the collector's clock)
};

class CollectorStore {
public:
    virtual ~CollectorStore() = default;

    // Stores a validated batch for workplace (from terminal) in one
    // transaction: new ids are inserted; an id already stored with the same
    // content (workplace, question, value and hour) is a duplicate; an id
    // stored with other content makes the whole batch a conflict and nothing
    // of it is stored. An answer's lang is never stored nor compared (issue
    // 14): a resend that differs only in lang is a duplicate. Safe to call from several
    // threads and processes at once (the same batch twice concurrently gives
    // one `accepted`, one `duplicates`).
    // With require_sealed, the batch is stored only if that week is sealed,
    // checked in the batch's own transaction under the seal lock: a batch
    // that arrives after a week's publication moment can never slip into its
    // seal. Otherwise Kind::unsealed and nothing stored.
    virtual StoreResult store_batch(const std::string& workplace, const std::string& terminal,
                                    const std::vector<Answer>& answers,
                                    std::optional<IsoWeek> require_sealed = std::nullopt) = 0;

    // Aggregated counts for workplace over the Copenhagen weeks `week` and
    // the `weeks_before` weeks before it (see AnswerCount). When the database
    // fails: empty, and *error (if given) says why — so a caller can tell a
    // failure from a week nobody answered; on success *error is untouched.
    virtual std::vector<AnswerCount> counts(const std::string& workplace, IsoWeek week, int weeks_before,
                                            std::string* error = nullptr) = 0;

    // Answers stored for workplace in `week` (the admin overview); -1 when
    // the database fails.
    virtual std::int64_t answers_in_week(const std::string& workplace, IsoWeek week) = 0;

    // Seals `week` exactly once across threads and instances, in one
    // transaction under the seal lock (no batch is stored meanwhile): when
    // the week is sealed already, already_sealed and nothing else happens;
    // otherwise reads each of workplaces' counts of the week and the sealed
    // summaries of the three weeks before, calls build, stores one sealed row
    // per workplace (with its answers at sealing) and marks the week sealed
    // at now. error, with *error and nothing changed, when the database fails.
    virtual SealOutcome seal_week(IsoWeek week, const std::vector<std::string>& workplaces, UnixSeconds now,
                                  const SealBuilder& build, std::string* error) = 0;

    // The newest sealed week; nullopt when none is (or, with *error set, when
    // the database fails).
    virtual std::optional<IsoWeek> newest_sealed_week(std::string* error) = 0;

    // Whether `week` is sealed, and workplace's seal in it (nullopt: the week
    // is not sealed, or the workplace was not in its seal). False with
    // *error when the database fails.
    virtual bool read_sealed(const std::string& workplace, IsoWeek week, bool* week_sealed,
                             std::optional<SealedWeek>* seal, std::string* error) = 0;

    // The weeks sealed with a summary of workplace, newest first (the list a
    // manager chooses a week from). nullopt with *error when the database
    // fails; this default fails every call (a store for tests that need none).
    virtual std::optional<std::vector<IsoWeek>> sealed_weeks_of(const std::string& workplace, std::string* error) {
        (void)workplace;
        if (error) *error = "this store cannot list sealed weeks";
        return std::nullopt;
    }

    // Claims the e-mail of (workplace, week) for the caller when it is not
    // sent and nobody holds it (no record, or next_attempt <= now): the
    // record's attempts grows by one and next_attempt becomes now + lease_s, so
    // no other instance sends it meanwhile. Returns the attempt's number (the
    // new attempts, >= 1), the caller's ticket for finish_email. 0 when sent or
    // held; 0 with *error set when the database fails.
    virtual int claim_email(const std::string& workplace, IsoWeek week, UnixSeconds now, UnixSeconds lease_s,
                            std::string* error) = 0;

    // Records the outcome of the claim numbered `attempt`: sent, or failed
    // with failure_text and the earliest next try. Only while that claim is
    // the latest and the e-mail is not sent: a caller that overran its lease
    // and lost the e-mail to another instance changes nothing. False with
    // *error set when the database fails or the claim was lost (the text says
    // which).
    virtual bool finish_email(const std::string& workplace, IsoWeek week, int attempt, bool sent,
                              const std::string& failure_text, UnixSeconds next_attempt, std::string* error) = 0;

    // The record of (workplace, week), nullopt if none was ever claimed.
    virtual std::optional<EmailRecord> email_record(const std::string& workplace, IsoWeek week) = 0;

    // [SECTION] Web sign-in and sessions
    //
    // Managers' browser sign-in (issue 11). The policy — lifetimes, how many
    // sessions a person keeps, the hashing — is collector/web/auth.hpp's and
    // comes in as arguments. Kept here: only SHA-256 hex of link and session
    // secrets (auth.hpp's secret_hash; the tables refuse anything else, so a
    // secret itself can never be stored by mistake), and managers' addresses
    // as normalise_email gives them, compared exactly. Nothing about answers
    // or who answered: these calls touch no other table.
    // A database fault is each call's failure value with *error, as above;
    // on success *error is untouched, so nullopt alone means "refused".
    // Not pure: a store that does not override them (a test double) fails
    // every call with kNoWebSessions, so nobody is signed in through it.

    // Stores the sign-in link whose hash is link_hash for email; it works
    // while now < expires_at (auth.hpp's signin_link_expires_at). Deletes
    // anyone's expired links (expires_at <= now) too. False with *error when
    // the database fails, or link_hash is not 64 lower-case hex digits or is
    // stored already.
    virtual bool add_signin_link(const std::string& link_hash, const std::string& email, UnixSeconds now,
                                 UnixSeconds expires_at, std::string* error);

    // Uses the link: deletes it, and returns its address if it was stored
    // and now < its expires_at; nullopt for an unknown, used or expired link.
    // Of concurrent uses of one link, across threads and instances, exactly
    // one gets the address. Deletes anyone's expired links too. nullopt with
    // *error when the database fails.
    virtual std::optional<std::string> use_signin_link(const std::string& link_hash, UnixSeconds now,
                                                       std::string* error);

    // Starts the session whose hash is session_hash for email, signed in and
    // last used at now, and in the same transaction ends that person's
    // sessions beyond their newest keep_newest (auth.hpp's
    // kSessionsKeptPerPerson; at least 1), newest by sign-in time; the new
    // one is always kept, even when another instance's clock is behind.
    // False with *error (nothing stored) when the database fails, or
    // session_hash is not 64 lower-case hex digits or is stored already.
    virtual bool add_session(const std::string& session_hash, const std::string& email, UnixSeconds now,
                             int keep_newest, std::string* error);

    // The address of the session whose hash is session_hash if it is live
    // at now: now < last use + idle_s and now < sign-in + max_age_s (auth.hpp's
    // kSessionIdle_s, kSessionMaxAge_s and session_live). Then records now
    // as its last use, but only when the stored one is at least
    // kSessionTouchInterval_s old (fewer writes; so a session may end up to
    // that much sooner than idle_s after its very last use), and deletes
    // anyone's sessions that are over. A session found over is deleted and
    // nullopt returned; nullopt too for an unknown one, and for one ended
    // meanwhile. nullopt with *error when the database fails.
    virtual std::optional<std::string> touch_session(const std::string& session_hash, UnixSeconds now,
                                                     UnixSeconds idle_s, UnixSeconds max_age_s, std::string* error);

    // Ends one session (sign-out). True also when it was not stored (ended
    // already, or expired and deleted); false with *error when the database
    // fails.
    virtual bool end_session(const std::string& session_hash, std::string* error);

    // Ends every session of email and deletes its unused sign-in links: for
    // a person who is no longer in the config. True also when there were none;
    // false with *error when the database fails.
    virtual bool end_sessions_of(const std::string& email, std::string* error);

    // [SECTION] Heartbeats (issue 13)
    //
    // Keeps heartbeat as its terminal's last one (inserted, or replacing the
    // one before: one row per terminal); no other terminal's row and no
    // other table is touched. False with *error when the database fails (the
    // one before is then kept). This default fails every call (a test double).
    virtual bool put_heartbeat(const TerminalHeartbeat& heartbeat, std::string* error) {
        (void)heartbeat;
        if (error) *error = "this store keeps no heartbeats";
        return false;
    }

    // Every terminal's last heartbeat, ordered by terminal id (for the fleet
    // page and the alert e-mails). nullopt with *error when the database
    // fails; this default fails every call.
    virtual std::optional<std::vector<TerminalHeartbeat>> heartbeats(std::string* error) {
        if (error) *error = "this store keeps no heartbeats";
        return std::nullopt;
    }

    // [SECTION] Silence alerts (issue 13; collector/fleet/fleet_alerts.hpp)
    //
    // Claims the alert of alert.terminal: stores alert unless a row for that
    // terminal is there already. true: stored by this call (the caller mails
    // IT); false: already alerted (by this or another instance; nothing
    // changed). nullopt with *error when the database fails. Atomic across
    // threads and instances: of concurrent claims exactly one gets true.
    // Touches no other table. This default fails every call (a test double).
    virtual std::optional<bool> claim_silence_alert(const SilenceAlert& alert, std::string* error) {
        (void)alert;
        if (error) *error = "this store keeps no silence alerts";
        return std::nullopt;
    }

    // Ends terminal's alert: deletes its row. true: deleted by this call (the
    // caller mails the recovery); false: there was none (never alerted, or
    // ended already by another instance). nullopt with *error when the
    // database fails. Atomic like claim_silence_alert. This default fails.
    virtual std::optional<bool> end_silence_alert(const std::string& terminal, std::string* error) {
        (void)terminal;
        if (error) *error = "this store keeps no silence alerts";
        return std::nullopt;
    }

    // Every alert in force, ordered by terminal id. nullopt with *error
    // when the database fails; this default fails every call.
    virtual std::optional<std::vector<SilenceAlert>> silence_alerts(std::string* error) {
        if (error) *error = "this store keeps no silence alerts";
        return std::nullopt;
    }

    // [SECTION] Managers' responses (issue 15; collector/week_response.hpp)
    //
    // Who may write and when is the caller's rule; the store keeps what it
    // is given. The audit list is only ever appended to.

    // Stores response as the response of (response.workplace,
    // response.week), replacing the one before, and appends it to that
    // week's audit list, in one transaction: both or neither. False with
    // *error when the database fails. This default fails every call (a test
    // double).
    virtual bool put_response(const WeekResponse& response, std::string* error) {
        (void)response;
        if (error) *error = "this store keeps no responses";
        return false;
    }

    // The response of workplace for the newest week in [first, last] that
    // has one (first == last: that week's), in *response; reset when none
    // has. False with *error when the database fails; this default fails.
    virtual bool newest_response(const std::string& workplace, IsoWeek first, IsoWeek last,
                                 std::optional<WeekResponse>* response, std::string* error) {
        (void)workplace, (void)first, (void)last;
        response->reset();
        if (error) *error = "this store keeps no responses";
        return false;
    }

    // Every version of (workplace, week)'s response ever stored, newest
    // first (its audit list; written_at is when each was stored). nullopt
    // with *error when the database fails; this default fails.
    virtual std::optional<std::vector<WeekResponse>> response_history(const std::string& workplace, IsoWeek week,
                                                                       std::string* error) {
        (void)workplace, (void)week;
        if (error) *error = "this store keeps no responses";
        return std::nullopt;
    }

private:
    static bool no_web_sessions(std::string* error);
};

// touch_session writes a session's last use only when the stored one is at
// least this old: a page view a minute costs one write, not each request.
inline constexpr UnixSeconds kSessionTouchInterval_s = 60;

// The error of the web sign-in calls on a store that does not keep them.
inline constexpr const char* kNoWebSessions = "this store keeps no web sign-ins or sessions";

inline bool CollectorStore::no_web_sessions(std::string* error) {
    if (error) *error = kNoWebSessions;
    return false;
}
inline bool CollectorStore::add_signin_link(const std::string&, const std::string&, UnixSeconds, UnixSeconds,
                                            std::string* error) {
    return no_web_sessions(error);
}
inline std::optional<std::string> CollectorStore::use_signin_link(const std::string&, UnixSeconds, std::string* error) {
    no_web_sessions(error);
    return std::nullopt;
}
inline bool CollectorStore::add_session(const std::string&, const std::string&, UnixSeconds, int, std::string* error) {
    return no_web_sessions(error);
}
inline std::optional<std::string> CollectorStore::touch_session(const std::string&, UnixSeconds, UnixSeconds,
                                                                UnixSeconds, std::string* error) {
    no_web_sessions(error);
    return std::nullopt;
}
inline bool CollectorStore::end_session(const std::string&, std::string* error) { return no_web_sessions(error); }
inline bool CollectorStore::end_sessions_of(const std::string&, std::string* error) { return no_web_sessions(error); }

// Where open_collector_store reports what it changed in an existing
// database (one line per change, without the URL's password).
using StoreLog = std::function<void(const std::string& line)>;

// Opens the store named by `database`: a file path (SQLite) or a
// postgresql:// (or postgres://) URL, creating its tables when missing.
// A database made before issue 14, whose answers table has a lang column,
// is migrated first: the table is rebuilt without it, its rows kept, in one
// transaction (so an interrupted migration leaves the old table whole), and
// one line saying so goes to log (if given). SQLite then rewrites the file
// (VACUUM, WAL truncated) so no old language value lingers in free pages;
// if that cannot finish (another process holds the file), the open fails
// and the next open finishes it. nullptr and *error on failure (among them
// a SQLite file this process may not write); the error never contains the
// URL's password.
std::unique_ptr<CollectorStore> open_collector_store(const std::string& database, std::string* error,
                                                     const StoreLog& log = {});

// True when `database` names PostgreSQL rather than a SQLite file.
bool is_postgres_url(const std::string& database);

// For the stores' counts(): groups (question, value, hour) counts into the
// Copenhagen weeks [start(week − weeks_before), start(week + 1)) and their
// weekdays. Hours outside that range are ignored.
class WeekCounter {
public:
    WeekCounter(IsoWeek week, int weeks_before);
    UnixSeconds begin() const { return starts_.back(); }  // first hour counted
    UnixSeconds end() const { return end_; }              // first hour not counted
    void add(const std::string& question, std::optional<int> value, UnixSeconds hour, std::int64_t n);
    std::vector<AnswerCount> result() const;  // sorted by question, value, week, weekday

private:
    std::vector<UnixSeconds> starts_;  // starts_[k] = start of the week k weeks before `week`
    UnixSeconds end_ = 0;
    std::map<std::tuple<std::string, int, int, int>, std::int64_t> sums_;  // question, value (0 = null), offset, weekday
};

}  // namespace pulse
