// routes.cpp — the browser pages' HTTP handling (see routes.hpp): who is
// signed in (session cookie, or the trusted header from a trusted proxy),
// what they may read and write (the manager's response, issue 15), CSRF,
// cookies and headers; the HTML is pages.cpp's.
#include "collector/web/routes.hpp"

#include "collector/email/email_message.hpp"  // is_email_address
#include "collector/fleet/fleet.hpp"
#include "collector/publication.hpp"
#include "collector/summary/format_text.hpp"  // html_escape
#include "collector/summary/formats.hpp"
#include "collector/web/pages.hpp"
#include "collector/web/signin_mail.hpp"
#include "collector/week_response.hpp"
#include "common/protocol.hpp"  // quoted_for_message

#include <httplib.h>

#include <arpa/inet.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>

namespace pulse {
namespace {

// [SECTION] Requests and responses

// The value of cookie name in the request's Cookie header(s); "" when absent.
std::string cookie_value(const httplib::Request& req, const std::string& name) {
    const std::size_t headers = req.get_header_value_count("Cookie");
    for (std::size_t h = 0; h < headers; ++h) {
        const std::string line = req.get_header_value("Cookie", h);
        std::size_t at = 0;
        while (at < line.size()) {
            std::size_t end = line.find(';', at);
            if (end == std::string::npos) end = line.size();
            std::string pair = line.substr(at, end - at);
            const std::size_t first = pair.find_first_not_of(' ');
            pair = first == std::string::npos ? "" : pair.substr(first);
            const std::size_t eq = pair.find('=');
            if (eq != std::string::npos && pair.compare(0, eq, name) == 0 && eq == name.size()) {
                return pair.substr(eq + 1);
            }
            at = end + 1;
        }
    }
    return "";
}

// A secret as new_secret makes them: 43 base64url characters.
bool looks_like_secret(const std::string& text) {
    return text.size() == 43 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_';
           });
}

// Headers of every page: nothing cached, no script, no framing, no Referer
// (a sign-in link's path must not travel on to another site).
void page_headers(httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                   "frame-ancestors 'none'; base-uri 'none'");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
}

// body as the response's content, never compressed here: Debian's
// cpp-httplib compresses a plain body itself, and for a browser (which offers
// "br") with brotli at its slowest quality, some 100 ms for a week's page
// (docs/performance.md, "A week's page"). A sized content provider is sent
// as it is; nginx in front compresses with gzip instead.
void set_uncompressed(httplib::Response& res, std::string body, const char* content_type) {
    auto shared = std::make_shared<const std::string>(std::move(body));
    res.set_content_provider(shared->size(), content_type,
                             [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 sink.write(shared->data() + offset, length);
                                 return true;
                             });
}

void send_page(httplib::Response& res, int status, std::string html) {
    page_headers(res);
    res.status = status;
    set_uncompressed(res, std::move(html), "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& location) {
    page_headers(res);
    res.status = 303;
    res.set_header("Location", location);
}

// An IP address in one spelling: an IPv4 address mapped into IPv6
// ("::ffff:127.0.0.1", how a collector listening on "::" sees IPv4 peers) as
// plain IPv4, IPv6 as inet_ntop writes it; anything else as it is.
std::string canonical_address(const std::string& address) {
    unsigned char bytes[16];
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
        static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        const bool mapped = std::equal(kMapped, kMapped + 12, bytes);
        if (inet_ntop(mapped ? AF_INET : AF_INET6, mapped ? bytes + 12 : bytes, text, sizeof text)) return text;
    }
    return address;
}

// Whether the request's peer is one of the trusted proxies (compared as
// addresses, not as text).
bool from_trusted_proxy(const httplib::Request& req, const WebConfig& web) {
    const std::string peer = canonical_address(req.remote_addr);
    return std::any_of(web.trusted_proxies.begin(), web.trusted_proxies.end(),
                       [&](const std::string& proxy) { return canonical_address(proxy) == peer; });
}

// The client's address for the rate limit: X-Real-IP when the request came
// from a trusted proxy (nginx sets it), else the peer; an IPv6 address
// reduced to its /64, which one client usually holds whole.
std::string client_key(const httplib::Request& req, const WebConfig& web) {
    std::string address = canonical_address(
        from_trusted_proxy(req, web) && req.has_header("X-Real-IP") ? req.get_header_value("X-Real-IP") : req.remote_addr);
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
        std::fill(bytes + 8, bytes + 16, 0);
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, bytes, text, sizeof text)) address = std::string(text) + "/64";
    }
    return address;
}

// [SECTION] People: who an address is, and what they may read

}  // namespace

// Outside the anonymous namespace because WebPages::Impl (declared in the
// header) holds one; only this file defines or uses it.
struct Person {
    std::string email;  // normalised
    std::string name;
    std::vector<std::string> workplaces;  // may read the results of these, sorted
    std::vector<std::string> responds_for;  // may write the response of these (issue 15), sorted
    bool admin = false;                   // may read the overview
};

namespace {

std::optional<Person> find_person(const CollectorConfig& config, const std::string& address) {
    const std::string email = normalise_email(address);
    if (email.empty()) return std::nullopt;
    Person p;
    p.email = email;
    bool found = false;
    const auto add = [&](const std::vector<std::string>& places) {
        p.workplaces.insert(p.workplaces.end(), places.begin(), places.end());
    };
    // Who writes a workplace's response is who reads its results as manager
    // or HR; IT ([[admin]]) neither reads nor writes one.
    for (const ManagerEntry& m : config.managers) {
        if (normalise_email(m.email) != email) continue;
        found = true;
        p.name = m.name;
        add(m.workplaces);
        p.responds_for.insert(p.responds_for.end(), m.workplaces.begin(), m.workplaces.end());
    }
    for (const HrEntry& h : config.hr) {
        if (normalise_email(h.email) != email) continue;
        found = true;
        p.name = h.name;
        const std::vector<std::string> places = h.workplaces ? *h.workplaces : config.workplaces();
        add(places);
        p.responds_for.insert(p.responds_for.end(), places.begin(), places.end());
    }
    for (const AdminEntry& a : config.admins) {
        if (normalise_email(a.email) != email) continue;
        found = true;
        if (p.name.empty()) p.name = a.name;
        p.admin = true;
    }
    if (!found) return std::nullopt;
    for (std::vector<std::string>* list : {&p.workplaces, &p.responds_for}) {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    return p;
}

bool may_read(const Person& p, const std::string& workplace) {
    return std::binary_search(p.workplaces.begin(), p.workplaces.end(), workplace);
}

// Whether p may write workplace's response to a week (issue 15): a
// [[manager]] listing it, or [[hr]] entitled to it.
bool may_respond(const Person& p, const std::string& workplace) {
    return std::binary_search(p.responds_for.begin(), p.responds_for.end(), workplace);
}

}  // namespace

// [SECTION] The pages

struct WebPages::Impl {
    const CollectorConfig& config;
    const WebConfig& web;
    CollectorStore& store;
    Clock clock;
    Log log;
    // Answered with 429: per address from one client, and per client. Per
    // address and client, so nobody can lock a manager out from elsewhere.
    SignInRateLimiter limiter;
    // Silent: links mailed per address from all clients together. Beyond it
    // the request gets the usual page and no mail, so the limit tells no one
    // whether an address is known or was asked for.
    SignInRateLimiter mail_limiter;
    std::unique_ptr<SignInMailer> mailer;

    // A signed-in request: the person and their session's id (for CSRF).
    struct Session {
        Person person;
        std::string id;
    };

    Impl(const CollectorConfig& c, CollectorStore& s, Clock k, Log l, MailSender* sender, SignInLimits limits)
        : config(c), web(*c.web), store(s), clock(std::move(k)), log(std::move(l)), limiter(limits),
          mail_limiter(SignInLimits{2 * limits.per_address, std::numeric_limits<int>::max(), limits.window_s,
                                    limits.max_keys}) {
        if (sender && config.email) mailer = std::make_unique<SignInMailer>(config, store, *sender, clock, log);
    }

    void note(const std::string& line) const {
        if (log) log("web: " + line);
    }

    // Cookie names: with Secure, the __Host- prefix (the browser then
    // refuses the cookie from any other host or path, and over plain HTTP).
    std::string session_cookie() const { return web.secure_cookies ? "__Host-pulse-session" : "pulse-session"; }
    std::string pre_cookie() const { return web.secure_cookies ? "__Host-pulse-pre" : "pulse-pre"; }

    std::string cookie(const std::string& name, const std::string& value, UnixSeconds max_age) const {
        return name + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly" +
               (web.secure_cookies ? "; Secure" : "") + "; SameSite=Strict";
    }

    // The page's language: ?lang= (remembered in a cookie), else the cookie,
    // else Danish.
    std::string language(const httplib::Request& req, httplib::Response& res) const {
        if (req.has_param("lang")) {
            const std::string lang = req.get_param_value("lang");
            if (lang == "da" || lang == "en") {
                if (cookie_value(req, "pulse-lang") != lang) {
                    res.set_header("Set-Cookie", cookie("pulse-lang", lang, 365 * kSecondsPerDay));
                }
                return lang;
            }
        }
        const std::string remembered = cookie_value(req, "pulse-lang");
        return remembered == "en" ? "en" : "da";
    }

    // The site header's state for a page at path (with its query, if any,
    // kept by the language switch).
    PageFrame frame(const std::string& lang, const std::string& path, const Session* session) const {
        PageFrame f;
        f.language = lang;
        f.other_language_href = path + (path.find('?') == std::string::npos ? "?" : "&") + "lang=" +
                                (lang == "da" ? "en" : "da");
        if (session) {
            f.signed_in_email = session->person.email;
            f.csrf = csrf_token(session->id);
        }
        return f;
    }

    // Starts a session for person: stored as its hash, the cookie set.
    std::optional<Session> start_session(const Person& person, httplib::Response& res) {
        const std::optional<std::string> id = new_secret();
        std::string error;
        if (!id || !store.add_session(secret_hash(*id), person.email, clock(), kSessionsKeptPerPerson, &error)) {
            note("cannot start a session for " + person.email + ": " + (id ? error : "the random source failed"));
            return std::nullopt;
        }
        res.set_header("Set-Cookie", cookie(session_cookie(), *id, kSessionMaxAge_s));
        return Session{person, *id};
    }

    // Who is signed in. From a trusted proxy with the trusted header: that
    // person (their session kept in the cookie, or a new one). Otherwise the
    // session cookie's person, if the session is live and they are still in
    // the registry. nullopt: nobody (*store_failed when the store could not
    // tell).
    std::optional<Session> signed_in(const httplib::Request& req, httplib::Response& res, bool* store_failed) {
        *store_failed = false;
        const std::string id = cookie_value(req, session_cookie());
        std::optional<std::string> session_email;
        if (looks_like_secret(id)) {
            std::string error;
            session_email = store.touch_session(secret_hash(id), clock(), kSessionIdle_s, kSessionMaxAge_s, &error);
            if (!session_email && !error.empty()) {
                note("cannot read a session: " + error);
                *store_failed = true;
                return std::nullopt;
            }
        }
        if (!web.trusted_header.empty() && req.has_header(web.trusted_header)) {
            const bool trusted = from_trusted_proxy(req, web);
            const std::string named = req.get_header_value(web.trusted_header);
            if (!trusted) {
                note(web.trusted_header + " from " + req.remote_addr + " ignored: not a trusted proxy");
            } else if (const std::optional<Person> person = find_person(config, named)) {
                if (session_email == person->email) return Session{*person, id};
                note(person->email + " signed in through " + web.trusted_header);
                return start_session(*person, res);
            } else if (!named.empty()) {
                note(web.trusted_header + " names " + quoted_for_message(named) + ", who is not in the registry");
                return std::nullopt;
            }
        }
        if (!session_email) return std::nullopt;
        std::optional<Person> person = find_person(config, *session_email);
        if (!person) return std::nullopt;  // removed from the config since
        return Session{std::move(*person), id};
    }

    // The pre-session CSRF token for a form shown before sign-in, setting
    // its cookie when the request has none.
    std::string pre_csrf(const httplib::Request& req, httplib::Response& res) const {
        std::string pre = cookie_value(req, pre_cookie());
        if (!looks_like_secret(pre)) {
            pre = new_secret().value_or("");
            res.set_header("Set-Cookie", cookie(pre_cookie(), pre, 2 * kSecondsPerHour));
        }
        return pre.empty() ? "" : csrf_token(pre);
    }

    bool pre_csrf_ok(const httplib::Request& req) const {
        return csrf_token_matches(cookie_value(req, pre_cookie()), req.get_param_value("csrf"));
    }

    // The store cannot be read now: 503, try again shortly.
    void send_503(httplib::Response& res, const std::string& lang, const std::string& path) {
        const SummaryWords& w = config.summary_texts.words(lang);
        res.set_header("Retry-After", "30");
        send_page(res, 503, message_page(config.summary_texts, frame(lang, path, nullptr), w.web_unavailable, ""));
    }

    // A protected page asked for by someone not signed in. A link from an
    // e-mail arrives cross-site, and the browser then withholds the
    // SameSite=Strict session cookie: once, the page reloads itself (a
    // same-site request, which carries it); after that, sign-in.
    void not_signed_in(const httplib::Request& req, httplib::Response& res, const std::string& lang) {
        if (!req.has_param("hop") && cookie_value(req, session_cookie()).empty()) {
            std::string target = req.path + "?hop=1";
            if (req.has_param("lang")) target += "&lang=" + lang;
            send_page(res, 200,
                      "<!doctype html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>Pulse</title>"
                      "<meta http-equiv=\"refresh\" content=\"0;url=" + target + "\"></head><body></body></html>\n");
            return;
        }
        redirect(res, "/" + lang_query(lang));
    }

    void forbidden(httplib::Response& res, const std::string& lang, const std::string& path, const Session& s) {
        const SummaryWords& w = config.summary_texts.words(lang);
        send_page(res, 403, message_page(config.summary_texts, frame(lang, path, &s), w.web_forbidden, w.web_forbidden_text,
                                         w.web_back, "/workplaces" + lang_query(lang)));
    }

    void not_found(httplib::Response& res, const std::string& lang, const std::string& path, const Session& s) {
        const SummaryWords& w = config.summary_texts.words(lang);
        send_page(res, 404, message_page(config.summary_texts, frame(lang, path, &s), w.web_not_found, w.web_not_found_text,
                                         w.web_back, "/workplaces" + lang_query(lang)));
    }

    // Runs page for a signed-in request; answers everyone else.
    template <class Page>
    void with_session(const httplib::Request& req, httplib::Response& res, Page page) {
        const std::string lang = language(req, res);
        bool store_failed = false;
        const std::optional<Session> s = signed_in(req, res, &store_failed);
        if (store_failed) return send_503(res, lang, req.path);
        if (!s) return not_signed_in(req, res, lang);
        page(*s, lang);
    }

    // [SECTION] Sign-in

    void get_root(const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req, res);
        bool store_failed = false;
        if (signed_in(req, res, &store_failed)) return redirect(res, "/workplaces" + lang_query(lang));
        if (store_failed) return send_503(res, lang, "/");
        const std::string csrf = pre_csrf(req, res);
        send_page(res, 200, signin_page(config.summary_texts, frame(lang, "/", nullptr), csrf));
    }

    void post_signin(const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req, res);
        const SummaryWords& w = config.summary_texts.words(lang);
        const PageFrame f = frame(lang, "/", nullptr);
        const std::string typed = req.get_param_value("email");
        if (!pre_csrf_ok(req)) {
            note("sign-in form refused: no valid CSRF token (from " + req.remote_addr + ")");
            const std::string csrf = pre_csrf(req, res);
            return send_page(res, 403, signin_page(config.summary_texts, f, csrf, typed, w.web_form_expired));
        }
        const std::string email = normalise_email(typed);
        if (email.size() > 254 || !is_email_address(email)) {
            const std::string csrf = pre_csrf(req, res);
            return send_page(res, 400, signin_page(config.summary_texts, f, csrf, typed,
                                                   fill_placeholders(w.web_not_an_address, {{"email", typed}})));
        }
        const std::string client = client_key(req, web);
        const SignInVerdict verdict = limiter.request(email + " " + client, client, clock());
        if (!verdict) {
            note(std::string("sign-in request refused: too many for this ") +
                 (verdict.kind == SignInVerdict::Kind::address_limited ? "address" : "client") + " (" +
                 client_key(req, web) + ")");
            res.set_header("Retry-After", std::to_string(verdict.retry_after_s));
            const std::string minutes = std::to_string((verdict.retry_after_s + 59) / 60);
            return send_page(res, 429, message_page(config.summary_texts, f, w.web_signin_heading,
                                                    fill_placeholders(w.web_rate_limited, {{"minutes", minutes}})));
        }
        // The same page, at once, either way: the link is made and mailed
        // by the mailer's thread.
        if (const std::optional<Person> person = find_person(config, email)) {
            if (!mail_limiter.request(email, "", clock())) {
                note("sign-in link asked for by " + email + ": not sent, too many for this address from all clients");
            } else if (mailer) {
                note("sign-in link asked for by " + email);
                mailer->enqueue(email, person->name, lang);
            } else {
                note("sign-in link asked for by " + email + ", but there is no [email] to send it with");
            }
        } else {
            note("sign-in link asked for an address not in the registry");
            if (mailer && mail_limiter.request(email, "", clock())) mailer->enqueue_unknown();
        }
        send_page(res, 200, check_mail_page(config.summary_texts, f, email));
    }

    void get_link(const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req, res);
        const std::string csrf = pre_csrf(req, res);
        send_page(res, 200, link_page(config.summary_texts, frame(lang, "/", nullptr), req.path + lang_query(lang), csrf));
    }

    void post_link(const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req, res);
        const SummaryWords& w = config.summary_texts.words(lang);
        const PageFrame f = frame(lang, "/", nullptr);
        if (!pre_csrf_ok(req)) {
            note("sign-in link form refused: no valid CSRF token (from " + req.remote_addr + ")");
            const std::string csrf = pre_csrf(req, res);
            return send_page(res, 403, link_page(config.summary_texts, f, req.path + lang_query(lang), csrf));
        }
        std::string error;
        const std::optional<std::string> email = store.use_signin_link(secret_hash(req.matches[1].str()), clock(), &error);
        if (!email && !error.empty()) {
            note("cannot use a sign-in link: " + error);
            return send_503(res, lang, "/");
        }
        const std::optional<Person> person = email ? find_person(config, *email) : std::nullopt;
        if (!person) {
            note("sign-in link refused: unknown, used or expired");
            return send_page(res, 410, message_page(config.summary_texts, f, w.web_link_refused, w.web_link_refused_text,
                                                    w.web_new_link, "/" + lang_query(lang)));
        }
        if (!start_session(*person, res)) return send_503(res, lang, "/");
        note(person->email + " signed in with an e-mailed link");
        redirect(res, "/workplaces" + lang_query(lang));
    }

    void post_signout(const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req, res);
        const SummaryWords& w = config.summary_texts.words(lang);
        bool store_failed = false;
        const std::optional<Session> s = signed_in(req, res, &store_failed);
        if (store_failed) return send_503(res, lang, "/");
        if (s && !csrf_token_matches(s->id, req.get_param_value("csrf"))) {
            note("sign-out refused for " + s->person.email + ": no valid CSRF token");
            return send_page(res, 403, message_page(config.summary_texts, frame(lang, "/", &*s), w.web_form_expired, "",
                                                    w.web_back, "/workplaces" + lang_query(lang)));
        }
        if (s) {
            std::string error;
            if (!store.end_session(secret_hash(s->id), &error)) {
                note("cannot end a session: " + error);
                return send_503(res, lang, "/");
            }
            note(s->person.email + " signed out");
        }
        // Cleared only for a session that showed itself: a cross-site POST
        // carries no SameSite=Strict cookie, and must not sign anyone out.
        if (s) res.set_header("Set-Cookie", cookie(session_cookie(), "", 0));
        send_page(res, 200, message_page(config.summary_texts, frame(lang, "/", nullptr), w.web_signed_out,
                                         "", w.web_signin_heading, "/" + lang_query(lang)));
    }

    // [SECTION] Results

    void get_workplaces(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            std::vector<WorkplaceLink> links;
            for (const std::string& id : s.person.workplaces) links.push_back({id, config.workplace_name(id)});
            send_page(res, 200, workplaces_page(config.summary_texts, frame(lang, req.path, &s), links, s.person.admin));
        });
    }

    void get_weeks(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            const std::string workplace = req.matches[1];
            if (!may_read(s.person, workplace)) {
                note(s.person.email + " refused workplace " + quoted_for_message(workplace) + " (403)");
                return forbidden(res, lang, req.path, s);
            }
            const UnixSeconds now = clock();
            std::string error;
            // Seal what is due first, so the newest published week is listed.
            if (!seal_published_weeks(store, config, now, &error)) return send_503(res, lang, req.path);
            const std::optional<std::vector<IsoWeek>> weeks = store.sealed_weeks_of(workplace, &error);
            if (!weeks) {
                note("cannot list the weeks of " + workplace + ": " + error);
                return send_503(res, lang, req.path);
            }
            std::vector<WeekRow> rows;
            for (const IsoWeek week : *weeks) {
                const PublishedSummary p = published_summary(store, config, workplace, week, lang, now);
                if (p.status == PublishedSummary::Status::store_error) return send_503(res, lang, req.path);
                if (p.status != PublishedSummary::Status::ok) continue;
                WeekRow row{week, std::nullopt};
                if (!p.summary.answers_withheld) row.answers = p.summary.answers;
                rows.push_back(row);
            }
            send_page(res, 200, weeks_page(config.summary_texts, frame(lang, req.path, &s),
                                           {workplace, config.workplace_name(workplace)}, rows));
        });
    }

    void get_week(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            const std::string workplace = req.matches[1];
            const std::string view = req.matches[3];  // "", ".csv" or "/print"
            if (!may_read(s.person, workplace)) {
                note(s.person.email + " refused workplace " + quoted_for_message(workplace) + " (403)");
                return forbidden(res, lang, req.path, s);
            }
            const std::optional<IsoWeek> week = parse_iso_week(req.matches[2]);
            if (!week) return not_found(res, lang, req.path, s);
            const PublishedSummary p = published_summary(store, config, workplace, *week, lang, clock());
            if (p.status == PublishedSummary::Status::store_error) {
                note("cannot read " + workplace + " " + week->str() + ": " + p.message);
                return send_503(res, lang, req.path);
            }
            if (p.status != PublishedSummary::Status::ok) return not_found(res, lang, req.path, s);
            if (view == ".csv") {
                page_headers(res);
                res.set_header("Content-Disposition",
                               "attachment; filename=\"pulse-" + workplace + "-" + week->str() + ".csv\"");
                set_uncompressed(res, summary_csv(p.summary, config.summary_texts), "text/csv; charset=utf-8");
                return;
            }
            send_week(req, res, s, lang, workplace, *week, p, view == "/print", 200, nullptr);
        });
    }

    // The week's page of workplace (p its published summary) for s, as
    // HTML with status: the response under the headline for every reader;
    // for those who may write it, the form (or why it is closed) and the
    // audit list at the end, not in the print view. draft, when given, is a
    // refused save's form (its texts and message) in place of the stored
    // response's texts. A store that fails: 503.
    void send_week(const httplib::Request& req, httplib::Response& res, const Session& s, const std::string& lang,
                   const std::string& workplace, IsoWeek week, const PublishedSummary& p, bool print, int status,
                   const ResponseForm* draft) {
        const std::string page = "/workplaces/" + workplace + "/" + week.str();
        std::string error;
        std::optional<WeekResponse> current;
        if (!store.newest_response(workplace, week, week, &current, &error)) {
            note("cannot read the response of " + workplace + " " + week.str() + ": " + error);
            return send_503(res, lang, req.path);
        }
        HtmlChrome chrome;
        if (current) chrome.lead_html = response_html(config.summary_texts, lang, *current);
        if (print) {
            const SummaryWords& w = config.summary_texts.words(lang);
            chrome.header_html = "<div class=\"actions-bar\"><nav class=\"actions\"><a href=\"" + page + lang_query(lang) +
                                 "\">" + html_escape(w.web_back) + "</a></nav></div>\n";
            chrome.body_class = "print-view";
        } else {
            // The page's own path (not a refused POST's) for the language switch.
            chrome.header_html = site_header_html(config.summary_texts, frame(lang, page, &s)) +
                                 "<div class=\"actions-bar\">" +
                                 week_actions_html(config.summary_texts, lang, workplace, week) + "</div>\n";
            if (may_respond(s.person, workplace)) {
                ResponseForm form = draft ? *draft : ResponseForm{};
                form.editable = response_editable(config, week, clock());
                // The fragment brings a refused save's page to its form and message.
                form.action = page + "/response" + lang_query(lang) + "#response-form";
                form.csrf = csrf_token(s.id);
                if (!draft && current) {
                    form.text_da = current->text_da;
                    form.text_en = current->text_en.value_or("");
                }
                std::optional<std::vector<WeekResponse>> history = store.response_history(workplace, week, &error);
                if (!history) {
                    note("cannot read the response's audit list of " + workplace + " " + week.str() + ": " + error);
                    return send_503(res, lang, req.path);
                }
                form.history = std::move(*history);
                chrome.tail_html = response_form_html(config.summary_texts, lang, form);
            }
        }
        send_page(res, status, summary_html(p.summary, config.summary_texts, HtmlFor::browser, chrome));
    }

    // POST /workplaces/<id>/<week>/response: writes the response of a
    // published week (issue 15). 403 for anyone who may not write it or
    // without the page's CSRF token; 404 for a week not published; 409 once
    // the next week is published; 400 with the form again and a message
    // naming the field and the limit for a text that is refused (nothing
    // stored); else stored with its audit entry and 303 back to the week's
    // response (#response).
    void post_response(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            const SummaryWords& w = config.summary_texts.words(lang);
            const std::string workplace = req.matches[1];
            if (!may_respond(s.person, workplace)) {
                note(s.person.email + " refused writing the response of " + quoted_for_message(workplace) + " (403)");
                return forbidden(res, lang, req.path, s);
            }
            const std::optional<IsoWeek> week = parse_iso_week(req.matches[2]);
            if (!week) return not_found(res, lang, req.path, s);
            const std::string here = "/workplaces/" + workplace + "/" + week->str();  // the week's page
            const std::string page = here + lang_query(lang);
            if (!csrf_token_matches(s.id, req.get_param_value("csrf"))) {
                note("response form refused for " + s.person.email + ": no valid CSRF token");
                return send_page(res, 403, message_page(config.summary_texts, frame(lang, here, &s),
                                                        w.web_form_expired, "", w.web_back, page));
            }
            const UnixSeconds now = clock();
            const PublishedSummary p = published_summary(store, config, workplace, *week, lang, now);
            if (p.status == PublishedSummary::Status::store_error) {
                note("cannot read " + workplace + " " + week->str() + ": " + p.message);
                return send_503(res, lang, req.path);
            }
            if (p.status != PublishedSummary::Status::ok) return not_found(res, lang, req.path, s);
            if (!response_editable(config, *week, now)) {
                note(s.person.email + " refused writing the response of " + workplace + " " + week->str() +
                     ": a later week is published (409)");
                return send_page(res, 409, message_page(config.summary_texts, frame(lang, here, &s),
                                                        w.web_response_closed, w.web_response_closed_text,
                                                        w.web_back, page));
            }
            const std::string sent_da = req.get_param_value("text_da"), sent_en = req.get_param_value("text_en");
            const ResponseCheck check = check_response(sent_da, sent_en);
            if (check.problem != ResponseCheck::Problem::none) {
                const std::string& field = check.field == "da" ? w.web_response_field_da : w.web_response_field_en;
                ResponseForm draft;
                draft.text_da = sent_da;
                draft.text_en = sent_en;
                draft.error_field = check.field;
                draft.error = check.problem == ResponseCheck::Problem::empty
                                  ? fill_placeholders(w.web_response_empty, {{"field", field}})
                              : check.problem == ResponseCheck::Problem::too_long
                                  ? fill_placeholders(w.web_response_too_long,
                                                      {{"field", field},
                                                       {"length", std::to_string(check.length)},
                                                       {"max", std::to_string(kResponseMaxChars)}})
                                  : fill_placeholders(w.web_response_not_text, {{"field", field}});
                // Text that is not UTF-8 is not put back into the page.
                if (check.problem == ResponseCheck::Problem::not_utf8) {
                    (check.field == "da" ? draft.text_da : draft.text_en).clear();
                }
                return send_week(req, res, s, lang, workplace, *week, p, false, 400, &draft);
            }
            WeekResponse response;
            response.workplace = workplace;
            response.week = *week;
            response.text_da = check.text_da;
            response.text_en = check.text_en;
            response.author_name = s.person.name;
            response.author_email = s.person.email;
            response.written_at = now;
            std::string error;
            if (!store.put_response(response, &error)) {
                note("cannot store the response of " + workplace + " " + week->str() + ": " + error);
                return send_503(res, lang, req.path);
            }
            note(s.person.email + " wrote the response of " + workplace + " " + week->str());
            redirect(res, page + "#response");  // to the response as readers see it
        });
    }

    void get_overview(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            if (!s.person.admin) {
                note(s.person.email + " refused the overview (403)");
                return forbidden(res, lang, req.path, s);
            }
            const UnixSeconds now = clock();
            const IsoWeek latest = latest_published_week(config, now);
            IsoWeek week = latest;
            if (req.has_param("week")) {
                const std::optional<IsoWeek> asked = parse_iso_week(req.get_param_value("week"));
                if (!asked) return not_found(res, lang, req.path, s);
                week = *asked;
            }
            const PublishedOverview overview = published_overview(store, config, week, now);
            if (overview.status == PublishedSummary::Status::store_error) return send_503(res, lang, req.path);
            if (overview.status != PublishedSummary::Status::ok) return not_found(res, lang, req.path, s);
            std::vector<OverviewLine> lines;
            for (const OverviewRow& row : overview.rows) {
                lines.push_back({config.workplace_name(row.workplace), row.terminals, row.answers, row.late});
            }
            const std::optional<IsoWeek> later = week < latest ? std::optional<IsoWeek>(next_week(week)) : std::nullopt;
            // The week before only when it was sealed (else its link is a 404).
            std::optional<IsoWeek> earlier;
            bool earlier_sealed = false;
            std::optional<SealedWeek> seal;
            std::string error;
            if (!overview.rows.empty() &&
                store.read_sealed(overview.rows.front().workplace, previous_week(week), &earlier_sealed, &seal, &error) &&
                earlier_sealed) {
                earlier = previous_week(week);
            }
            const std::string here = req.has_param("week") ? req.path + "?week=" + week.str() : req.path;
            send_page(res, 200, overview_page(config.summary_texts, frame(lang, here, &s), week, lines, earlier, later));
        });
    }

    // [SECTION] IT's fleet (collector/fleet/fleet.hpp): admins only

    // The fleet at now for an admin; nullopt after answering anyone else
    // (403) or a store that fails (503).
    std::optional<std::vector<FleetRow>> fleet_for(const httplib::Request& req, httplib::Response& res,
                                                   const Session& s, const std::string& lang, UnixSeconds now) {
        if (!s.person.admin) {
            note(s.person.email + " refused the fleet (403)");
            forbidden(res, lang, req.path, s);
            return std::nullopt;
        }
        std::string error;
        const std::optional<std::vector<TerminalHeartbeat>> heartbeats = store.heartbeats(&error);
        if (!heartbeats) {
            note("cannot read the heartbeats: " + error);
            send_503(res, lang, req.path);
            return std::nullopt;
        }
        return fleet_rows(config, *heartbeats, now);
    }

    void get_fleet(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            const UnixSeconds now = clock();
            const std::optional<std::vector<FleetRow>> rows = fleet_for(req, res, s, lang, now);
            if (!rows) return;
            send_page(res, 200, fleet_page(config.summary_texts, frame(lang, req.path, &s), *rows, now));
        });
    }

    // The same as JSON (fleet_json; docs/deployment.md, "Fleet page and
    // alerts"). A refusal is the HTML page the browser pages give (a person
    // reads it).
    void get_fleet_json(const httplib::Request& req, httplib::Response& res) {
        with_session(req, res, [&](const Session& s, const std::string& lang) {
            const std::optional<std::vector<FleetRow>> rows = fleet_for(req, res, s, lang, clock());
            if (!rows) return;
            page_headers(res);
            res.status = 200;
            set_uncompressed(res, fleet_json(*rows), "application/json");
        });
    }
};

WebPages::WebPages(const CollectorConfig& config, CollectorStore& store, Clock clock, Log log, MailSender* mail_sender,
                   SignInLimits limits)
    : impl_(std::make_unique<Impl>(config, store, std::move(clock), std::move(log), mail_sender, limits)) {}

WebPages::~WebPages() = default;

void WebPages::drain_mail() {
    if (impl_->mailer) impl_->mailer->drain();
}

void WebPages::install(httplib::Server& http) {
    Impl& i = *impl_;
    http.Get("/", [&i](const httplib::Request& req, httplib::Response& res) { i.get_root(req, res); });
    http.Post("/signin", [&i](const httplib::Request& req, httplib::Response& res) { i.post_signin(req, res); });
    http.Get(R"(/signin/([A-Za-z0-9_-]{43}))",
             [&i](const httplib::Request& req, httplib::Response& res) { i.get_link(req, res); });
    http.Post(R"(/signin/([A-Za-z0-9_-]{43}))",
              [&i](const httplib::Request& req, httplib::Response& res) { i.post_link(req, res); });
    http.Post("/signout", [&i](const httplib::Request& req, httplib::Response& res) { i.post_signout(req, res); });
    http.Get("/workplaces", [&i](const httplib::Request& req, httplib::Response& res) { i.get_workplaces(req, res); });
    http.Get(R"(/workplaces/([A-Za-z0-9._-]+))",
             [&i](const httplib::Request& req, httplib::Response& res) { i.get_weeks(req, res); });
    http.Get(R"(/workplaces/([A-Za-z0-9._-]+)/(\d{4}-W\d{2})(\.csv|/print)?)",
             [&i](const httplib::Request& req, httplib::Response& res) { i.get_week(req, res); });
    http.Post(R"(/workplaces/([A-Za-z0-9._-]+)/(\d{4}-W\d{2})/response)",
              [&i](const httplib::Request& req, httplib::Response& res) { i.post_response(req, res); });
    http.Get("/overview", [&i](const httplib::Request& req, httplib::Response& res) { i.get_overview(req, res); });
    http.Get("/fleet", [&i](const httplib::Request& req, httplib::Response& res) { i.get_fleet(req, res); });
    http.Get("/fleet.json", [&i](const httplib::Request& req, httplib::Response& res) { i.get_fleet_json(req, res); });
}

}  // namespace pulse
