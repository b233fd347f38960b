// routes.hpp — the managers' browser pages on the collector's HTTP server
// (issue 11; docs/deployment.md, "Browser pages"): sign-in by e-mailed link
// or through a single sign-on proxy, sessions in a cookie, my workplaces,
// a workplace's published weeks, a week's summary (HTML, CSV, print view)
// with the manager's response and its form (issue 15), IT's overview, IT's
// fleet page (GET /fleet and /fleet.json), sign-out.
// Who may read what is the API's rule (docs/anonymity.md): a manager their
// workplaces, HR its own, IT the overview and the fleet and no results; only
// published, sealed weeks.
//
// Every page is server-rendered (pages.hpp) with a strict Content-Security-
// Policy (no script at all), no-store caching and no Referer. Every POST
// carries a CSRF token: the session's (auth.hpp's csrf_token) or, before
// sign-in, one tied to a pre-session cookie (double submit).
#pragma once

#include "collector/config.hpp"
#include "collector/email/smtp_sender.hpp"
#include "collector/storage/store.hpp"
#include "collector/web/auth.hpp"

#include <functional>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace pulse {

class SignInMailer;

class WebPages {
public:
    using Clock = std::function<UnixSeconds()>;
    using Log = std::function<void(const std::string&)>;

    // config (with [web]), store and mail_sender must outlive it. mail_sender
    // null: sign-in links cannot be mailed (a config without [email] signs
    // in only through trusted_header); a request is then answered as usual
    // and logged. limits: the sign-in rate limit (tests lower it).
    WebPages(const CollectorConfig& config, CollectorStore& store, Clock clock, Log log, MailSender* mail_sender,
             SignInLimits limits = {});
    ~WebPages();
    WebPages(const WebPages&) = delete;
    WebPages& operator=(const WebPages&) = delete;

    // Adds the pages' routes to http (GET /, POST /signin, GET and POST
    // /signin/<link>, POST /signout, GET /workplaces…, POST
    // /workplaces/<id>/<week>/response, GET /overview, GET /fleet,
    // GET /fleet.json).
    void install(httplib::Server& http);

    // Waits until every queued sign-in e-mail is handed to the mail server (tests).
    void drain_mail();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pulse
