// test_fleet.cpp — IT's fleet page and silence alerts against a real
// collector on 127.0.0.1 and a real SMTP sink (web_fleet: web_fixture.hpp):
// a heartbeat shows on /fleet and /fleet.json as ok; a stopped terminal
// turns stale, then silent, on the test's clock, and IT gets exactly one
// alert (none before 2 hours of opening time, none at night, none again
// after a restart) and one recovery mail; a bad report is an error; only an
// admin reads the fleet. Suite "store": these run again on PostgreSQL.
#include "web_fixture.hpp"

#include "collector/fleet/fleet.hpp"
#include "collector/fleet/fleet_alerts.hpp"
#include "eventually.hpp"

#include <doctest/doctest.h>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_fleet {

using namespace pulse;
using namespace pulse::testing;
using nlohmann::json;

namespace {

// A valid heartbeat body (docs/protocol.md).
json fleet_heartbeat() {
    return {{"schema", 1},
            {"version", "1.4.0"},
            {"config_version", "sha256:0123456789abcdef"},
            {"uptime_h", 3},
            {"database_ok", true},
            {"last_contact_hour", "2026-12-01T09:00:00Z"},
            {"answers_set_aside", false},
            {"clock_offset_s", 2},
            {"free_disk_mb", 5000},
            {"screen", "in_service"}};
}

// The collector of web_fixture.hpp, and IT's silence alerts on its clock,
// store and SMTP sink.
struct FleetWorld {
    WebWorld w;
    std::unique_ptr<MailSender> alert_sender = make_curl_mail_sender(*w.config.email);
    std::optional<Schedule> schedule;  // every terminal's opening hours; nullopt = always open
    std::unique_ptr<FleetAlerter> alerter = new_alerter(*w.store);

    std::unique_ptr<FleetAlerter> new_alerter(CollectorStore& store) {
        return std::make_unique<FleetAlerter>(
            w.config, store, *alert_sender, [this](const std::string&) { return schedule; }, w.log.sink());
    }

    // POSTs body as terminal token's heartbeat at the collector's now.
    void heartbeat(const json& body = fleet_heartbeat(), const std::string& token = kTerminalToken) {
        httplib::Client client("127.0.0.1", w.port);
        httplib::Result r = client.Post("/v1/heartbeat", {{"Authorization", "Bearer " + token}}, body.dump(),
                                        "application/json");
        REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
        REQUIRE_MESSAGE(r->status == 204, r->body);
    }

    // The sink's messages whose subject holds fragment.
    std::vector<SinkMessage> mails(const std::string& fragment) const {
        std::vector<SinkMessage> out;
        for (const SinkMessage& m : w.sink.messages()) {
            if (m.data.find("Subject: Pulse: terminal " + fragment) != std::string::npos) out.push_back(m);
        }
        return out;
    }
};

// Signs email in through the form and the mailed link; the client then
// holds the session cookie.
void sign_in(WebWorld& w, CookieClient& c, const std::string& email) {
    const std::size_t mail_index = w.sink.message_count();
    httplib::Result r = c.get("/");
    REQUIRE(r->status == 200);
    r = c.post("/signin", {{"email", email}, {"csrf", csrf_of(r->body)}});
    REQUIRE(r->status == 200);
    const std::string path = w.signin_link(mail_index).substr(w.base_url.size());
    r = c.get(path);
    REQUIRE(r->status == 200);
    r = c.post(path, {{"csrf", csrf_of(r->body)}});
    REQUIRE_MESSAGE(r->status == 303, r->body);
}

// The text part of a message from build_text_email, decoded.
std::string mail_text(const SinkMessage& m) {
    const std::size_t body = m.data.find("\r\n\r\n");
    REQUIRE(body != std::string::npos);
    bool ok = false;
    const std::string text = base64_decode(m.data.substr(body + 4), &ok);
    REQUIRE_MESSAGE(ok, m.data);
    return text;
}

// /fleet.json's entry for terminal.
json fleet_entry(CookieClient& it, const std::string& terminal) {
    httplib::Result r = it.get("/fleet.json");
    REQUIRE_MESSAGE(r->status == 200, r->body);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    const json list = json::parse(r->body);
    REQUIRE(list.is_array());
    for (const json& item : list) {
        if (item.at("terminal") == terminal) return item;
    }
    FAIL("no entry for ", terminal, " in ", r->body);
    return {};
}

}  // namespace

TEST_CASE("fleet: a terminal's heartbeat appears on the fleet page and in its JSON with state ok" *
          doctest::test_suite("store")) {
    FleetWorld f;
    f.heartbeat();
    CookieClient it(f.w.port);
    sign_in(f.w, it, "it@ishoj.dk");

    httplib::Result r = it.get("/fleet");
    REQUIRE_MESSAGE(r->status == 200, r->body);
    CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
    const std::string& page = r->body;
    CHECK(page.find("<th scope=\"row\">term-a</th><td>Borgerservice</td>") != std::string::npos);
    CHECK(page.find("<span class=\"state state-ok\">OK</span>") != std::string::npos);
    CHECK(page.find("2026-12-01 11:00") != std::string::npos);  // 10:00 UTC on Copenhagen's clock
    CHECK(page.find("1.4.0") != std::string::npos);
    CHECK(page.find("sha256:0123456789abcdef") != std::string::npos);
    CHECK(page.find("I drift") != std::string::npos);
    // term-b never sent one: silent, and said so in words.
    CHECK(page.find("<th scope=\"row\">term-b</th><td>Biblioteket</td><td><span class=\"state state-silent\">Tavs</span>"
                    "</td><td>aldrig</td>") != std::string::npos);
    CHECK(page.find("svar i ugen") == std::string::npos);

    const json a = fleet_entry(it, "term-a");
    CHECK(a.at("state") == "ok");
    CHECK(a.at("workplace") == "wp-a");
    CHECK(a.at("workplace_name") == "Borgerservice");
    CHECK(a.at("last_heartbeat") == "2026-12-01T11:00:00+01:00");
    CHECK(a.at("version") == "1.4.0");
    CHECK(a.at("config_version") == "sha256:0123456789abcdef");
    CHECK(a.at("uptime_h") == 3);
    CHECK(a.at("database_ok") == true);
    CHECK(a.at("last_contact_hour") == "2026-12-01T10:00:00+01:00");
    CHECK(a.at("answers_set_aside") == false);
    CHECK(a.at("clock_offset_s") == 2);
    CHECK(a.at("free_disk_mb") == 5000);
    CHECK(a.at("screen") == "in_service");
    CHECK(a.at("problems") == json::array());
    const json b = fleet_entry(it, "term-b");
    CHECK(b.at("state") == "silent");
    CHECK(b.at("last_heartbeat").is_null());
    CHECK(b.at("version").is_null());

    // In English, and linked from the overview and from IT's start page.
    r = it.get("/fleet?lang=en");
    CHECK(r->body.find("<span class=\"state state-ok\">OK</span>") != std::string::npos);
    CHECK(r->body.find("<span class=\"state state-silent\">Silent</span>") != std::string::npos);
    CHECK(r->body.find("In service") != std::string::npos);
    r = it.get("/overview");
    REQUIRE(r->status == 200);
    CHECK(r->body.find("href=\"/fleet?lang=en\"") != std::string::npos);
    CHECK(it.get("/workplaces")->body.find("href=\"/fleet?lang=en\"") != std::string::npos);
}

TEST_CASE("fleet: a manager and HR get 403 for the fleet page and its JSON" * doctest::test_suite("store")) {
    FleetWorld f;
    f.heartbeat();
    for (const char* who : {"leder.a@ishoj.dk", "hr@ishoj.dk"}) {
        CAPTURE(who);
        CookieClient c(f.w.port);
        sign_in(f.w, c, who);
        CHECK(c.get("/fleet")->status == 403);
        httplib::Result r = c.get("/fleet.json");
        CHECK(r->status == 403);
        CHECK(r->body.find("term-a") == std::string::npos);
        CHECK(c.get("/workplaces")->body.find("/fleet") == std::string::npos);
    }
    CHECK(f.w.log.has("leder.a@ishoj.dk refused the fleet (403)"));
    // Nobody signed in: no fleet either.
    CookieClient nobody(f.w.port);
    httplib::Result r = nobody.get("/fleet.json");
    CHECK(r->body.find("term-a") == std::string::npos);
    CHECK(r->get_header_value("Content-Type") != "application/json");
}

TEST_CASE("fleet: a stopped terminal turns stale, then silent, and IT gets exactly one alert and one recovery mail" *
          doctest::test_suite("store")) {
    FleetWorld f;
    const UnixSeconds t0 = kWebNow;
    f.heartbeat();
    CookieClient it(f.w.port);
    sign_in(f.w, it, "it@ishoj.dk");
    const auto state_at = [&](UnixSeconds t) {
        f.w.now = t;
        return fleet_entry(it, "term-a").at("state").get<std::string>();
    };
    const auto step_at = [&](UnixSeconds t) {
        f.w.now = t;
        return f.alerter->step(t);
    };

    CHECK(state_at(t0 + 30 * 60) == "ok");
    CHECK(state_at(t0 + 30 * 60 + 1) == "stale");
    CHECK(step_at(t0 + 30 * 60 + 1).alerts_sent == 0);
    CHECK(state_at(t0 + 2 * 3600 - 1) == "stale");
    CHECK(step_at(t0 + 2 * 3600 - 1).alerts_sent == 0);
    CHECK(f.mails("term-a").empty());

    CHECK(state_at(t0 + 2 * 3600) == "silent");
    const FleetAlertStep alerted = step_at(t0 + 2 * 3600);
    CHECK(alerted.alerts_sent == 1);
    CHECK(alerted.failed == 0);
    std::vector<SinkMessage> mails = f.mails("term-a");
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].recipients == std::vector<std::string>{"it@ishoj.dk"});
    CHECK(mails[0].data.find("Subject: Pulse: terminal term-a (Borgerservice) er tavs\r\n") != std::string::npos);
    const std::string text = mail_text(mails[0]);
    CHECK(text.find("Terminal term-a på Borgerservice har ikke sendt livstegn i 2 timer") != std::string::npos);
    CHECK(text.find("Seneste livstegn: 2026-12-01 11:00 (dansk tid)") != std::string::npos);
    CHECK(text.find(f.w.base_url + "/fleet") != std::string::npos);
    CHECK(text.find("svar") == std::string::npos);  // nothing about answers
    CHECK(f.w.log.has("fleet: silence alert for terminal term-a (wp-a) mailed to 1 admin(s)"));

    // Looked at again, and by a collector restarted on the same database: no second mail.
    CHECK(step_at(t0 + 2 * 3600 + 60).alerts_sent == 0);
    CHECK(step_at(t0 + 5 * 3600).alerts_sent == 0);
    {
        std::string error;
        std::unique_ptr<CollectorStore> reopened = open_collector_store(f.w.config.database, &error);
        REQUIRE_MESSAGE(reopened, error);
        std::unique_ptr<FleetAlerter> restarted = f.new_alerter(*reopened);
        const FleetAlertStep after_restart = restarted->step(t0 + 5 * 3600 + 60);
        CHECK(after_restart.alerts_sent == 0);
        CHECK(after_restart.recoveries_sent == 0);
    }
    CHECK(f.mails("term-a").size() == 1);
    CHECK(f.mails("term-b").empty());  // never heard from: no alert

    // A heartbeat arrives: one recovery mail, then nothing more.
    f.w.now = t0 + 6 * 3600;
    f.heartbeat();
    CHECK(state_at(t0 + 6 * 3600) == "ok");
    CHECK(step_at(t0 + 6 * 3600 + 30).recoveries_sent == 1);
    CHECK(step_at(t0 + 6 * 3600 + 90).recoveries_sent == 0);
    mails = f.mails("term-a");
    REQUIRE(mails.size() == 2);
    CHECK(mails[1].data.find("Subject: Pulse: terminal term-a (Borgerservice) melder sig igen\r\n") != std::string::npos);
    CHECK(mail_text(mails[1]).find("Livstegn modtaget: 2026-12-01 17:00 (dansk tid)") != std::string::npos);
    std::string error;
    CHECK(f.w.store->silence_alerts(&error)->empty());
}

TEST_CASE("fleet: silence counts only opening hours, so a terminal closed for the night raises no alert" *
          doctest::test_suite("store")) {
    FleetWorld f;
    // Monday to Friday 08:00–16:00 Copenhagen time.
    Schedule weekdays;
    for (int day = 0; day < 5; ++day) weekdays.hours[static_cast<std::size_t>(day)] = DayHours{8 * 60, 16 * 60};
    f.schedule = weekdays;
    // Its last heartbeat: Tuesday 1 December 2026, 15:00 Copenhagen time (one open hour left).
    const UnixSeconds last = *parse_iso8601("2026-12-01T14:00:00Z");
    f.w.now = last;
    f.heartbeat();

    for (const char* at : {"2026-12-01T15:00:00Z", "2026-12-01T18:00:00Z", "2026-12-01T23:00:00Z",
                           "2026-12-02T03:00:00Z", "2026-12-02T06:59:00Z", "2026-12-02T07:59:59Z"}) {
        CAPTURE(at);
        CHECK(f.alerter->step(*parse_iso8601(at)).alerts_sent == 0);  // 1 h of opening time, and less than 2
    }
    CHECK(f.mails("term-a").empty());
    // Wednesday 09:00 Copenhagen time: the second open hour is over.
    CHECK(f.alerter->step(*parse_iso8601("2026-12-02T08:00:00Z")).alerts_sent == 1);
    CHECK(f.mails("term-a").size() == 1);
}

TEST_CASE("fleet: a heartbeat that reports a problem puts the terminal in the error state" *
          doctest::test_suite("store")) {
    FleetWorld f;
    json bad = fleet_heartbeat();
    bad["database_ok"] = false;
    bad["clock_offset_s"] = -400;
    f.heartbeat(bad);
    json closed = fleet_heartbeat();
    closed["screen"] = "out_of_order";
    f.heartbeat(closed, kOtherTerminalToken);
    CookieClient it(f.w.port);
    sign_in(f.w, it, "it@ishoj.dk");

    json a = fleet_entry(it, "term-a");
    CHECK(a.at("state") == "error");
    CHECK(a.at("problems") == json{"database", "clock_offset"});
    CHECK(a.at("database_ok") == false);
    CHECK(a.at("clock_offset_s") == -400);
    const json b = fleet_entry(it, "term-b");
    CHECK(b.at("state") == "error");
    CHECK(b.at("problems") == json{"out_of_order"});
    const std::string page = it.get("/fleet")->body;
    CHECK(page.find("<span class=\"state state-error\">Fejl</span>") != std::string::npos);
    CHECK(page.find("Databasen virker ikke; Uret går forkert") != std::string::npos);
    CHECK(page.find("Ude af drift") != std::string::npos);

    // An error outranks stale; silence outranks the error (the report is too old to go by).
    f.w.now = kWebNow + 3600;
    CHECK(fleet_entry(it, "term-a").at("state") == "error");
    f.w.now = kWebNow + 2 * 3600;
    a = fleet_entry(it, "term-a");
    CHECK(a.at("state") == "silent");
    CHECK(a.at("problems") == json::array());
}

TEST_CASE("fleet: a failed alert is mailed at the next look, and without an admin none is mailed" *
          doctest::test_suite("store")) {
    FleetWorld f;
    f.heartbeat();
    const UnixSeconds later = kWebNow + 3 * 3600;

    SUBCASE("the mail server refuses once") {
        f.w.sink.fail_next(1);
        const FleetAlertStep refused = f.alerter->step(later);
        CHECK(refused.alerts_sent == 0);
        CHECK(refused.failed == 1);
        CHECK(f.w.log.has("fleet: silence alert for terminal term-a (wp-a) could not be mailed"));
        std::string error;
        CHECK(f.w.store->silence_alerts(&error)->empty());  // the claim was released
        CHECK(f.alerter->step(later + 60).alerts_sent == 1);
        CHECK(f.alerter->step(later + 120).alerts_sent == 0);
        CHECK(f.mails("term-a").size() == 1);
    }
    SUBCASE("no [[admin]]: logged once, nothing mailed or stored") {
        CollectorConfig no_admins = f.w.config;
        no_admins.admins.clear();
        FleetAlerter alerter(no_admins, *f.w.store, *f.alert_sender, nullptr, f.w.log.sink());
        CHECK(alerter.step(later).alerts_sent == 0);
        CHECK(alerter.step(later + 60).alerts_sent == 0);
        const std::vector<std::string> lines = f.w.log.all();
        CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
                  return l.find("fleet: no [[admin]] in the config") != std::string::npos;
              }) == 1);
        std::string error;
        CHECK(f.w.store->silence_alerts(&error)->empty());
        CHECK(f.mails("term-a").empty());
    }
}

TEST_CASE("fleet: serve's alert thread mails the alert on its clock" * doctest::test_suite("store")) {
    FleetWorld f;
    f.heartbeat();
    FleetAlertThread thread(f.w.config, *f.w.store, *f.alert_sender, nullptr, [&f] { return f.w.now.load(); },
                            f.w.log.sink(), 50);
    thread.start();
    REQUIRE(eventually([&] { return thread.steps() >= 2; }));
    CHECK(f.mails("term-a").empty());
    f.w.now = kWebNow + 2 * 3600;
    thread.wake();
    REQUIRE_MESSAGE(f.w.sink.wait_for_messages(1, 30000), f.w.log.text());
    const int steps = thread.steps();
    REQUIRE(eventually([&] { return thread.steps() >= steps + 3; }));
    thread.stop();
    CHECK(f.mails("term-a").size() == 1);
}

}  // namespace collector_test_fleet
