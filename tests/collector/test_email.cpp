// test_email.cpp — the weekly e-mail end to end against a real SMTP server
// on 127.0.0.1 (tests/support/smtp_sink) through libcurl, with a real ledger
// (SQLite; the suite "store" cases again on PostgreSQL): delivery to every
// recipient with the CSV attached and, with [web], the link to the week's
// page; 451s and cut connections retried on a
// fake clock until the message arrives exactly once, no resend after success,
// a restart or a second mailer; then the `pulse-collector email` and `serve`
// binaries against the sink.
#include "collector_fixture.hpp"
#include "eventually.hpp"
#include "collector/storage/store.hpp"
#include "collector/email/email_message.hpp"
#include "collector/email/mailer.hpp"
#include "collector/publication.hpp"
#include "process.hpp"
#include "smtp_sink.hpp"
#include "test_certificates.hpp"
#include "collector/summary/formats.hpp"
#include "collector/summary/summary.hpp"
#include "common/copenhagen_time.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace collector_test_email {

using namespace pulse;
using namespace pulse::testing;

namespace {

// 2026-W48's e-mail is due Monday 30 November 2026 07:00 Copenhagen time.
const UnixSeconds kDue = *parse_iso8601("2026-11-30T06:00:00Z");
constexpr IsoWeek kWeek{2026, 48};
// wp-a's managers: the fixture's and a second one added by email_section.
const std::vector<std::string> kRecipients = {"leder.a@ishoj.dk", "souschef@ishoj.dk"};

// The [email] table for the fixture's config, sending to url, with extra
// keys; then a second manager of wp-a (the e-mail's recipients are its managers).
std::string email_section(const std::string& url, const std::string& extra = "") {
    return "[email]\nsmtp_url = \"" + url + "\"\nsender = \"Pulse <pulse@ishoj.dk>\"\n" + extra +
           "[[manager]]\nname = \"Souschef A\"\nemail = \"souschef@ishoj.dk\"\nworkplaces = [\"wp-a\"]\n";
}

// A running sink, a config with [email] pointing at it in a temp folder, its
// SQLite store with six answers for wp-a in 2026-W48, and libcurl's sender.
struct EmailWorld {
    SmtpSink sink;
    TempDir temp{"pulse-email"};
    std::filesystem::path dir = temp.path;
    std::filesystem::path config_file;
    CollectorConfig config;
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<MailSender> sender;
    LogLines log;

    // extra: more [email] keys; tail: more tables after the e-mail's.
    explicit EmailWorld(const std::string& extra = "", SmtpSinkOptions options = {},
                        const std::function<void(const std::filesystem::path&)>& prepare = {},
                        const std::string& tail = "")
        : sink(std::move(options)) {
        std::string error;
        REQUIRE_MESSAGE(sink.start(&error), error);
        if (prepare) prepare(dir);
        config_file =
            write_file(dir / "collector.toml", collector_config_text() + email_section(sink.url(), extra) + tail);
        CollectorConfigLoad load = load_collector_config(config_file);
        REQUIRE_MESSAGE(load.config, all(load.errors));
        config = *load.config;
        store = open_collector_store(config.database, &error);
        REQUIRE_MESSAGE(store, error);
        std::vector<Answer> answers;
        for (unsigned i = 0; i < 6; ++i) {
            answers.push_back({test_uuid(i + 1), "1.1", 4, "da", *parse_iso8601("2026-11-24T09:00:00Z")});
        }
        REQUIRE(store->store_batch("wp-a", "term-a", answers).kind == StoreResult::Kind::stored);
        sender = make_curl_mail_sender(*config.email);
    }

    MailerStep step(UnixSeconds now) { return run_due_emails(config, *store, *sender, now, log.sink()); }
};

// A plain sink that requires AUTH with user and password (echo_password: its
// 535 repeats the password tried).
SmtpSinkOptions login(std::string user, std::string password, bool echo_password = false) {
    SmtpSinkOptions options;
    options.user = std::move(user);
    options.password = std::move(password);
    options.echo_password = echo_password;
    return options;
}

// [web] for the fixture's config: the pages at https://pulse.example.
const std::string kWebSection = "[web]\nbase_url = \"https://pulse.example\"\n";

// The decoded body of the part of a message (as the sink received it) whose
// header lines are `headers`, CRLF-ended.
std::string decoded_part(const std::string& data, const std::string& headers) {
    const std::size_t start = data.find(headers + "\r\n");
    REQUIRE_MESSAGE(start != std::string::npos, "no part with ", headers);
    const std::size_t body = start + headers.size() + 2;
    const std::size_t end = data.find("\r\n--=_pulse_", body);
    REQUIRE(end != std::string::npos);
    bool ok = false;
    std::string bytes = base64_decode(data.substr(body, end - body), &ok);
    REQUIRE(ok);
    return bytes;
}

// A text part of a message with LF line ends again.
std::string text_part(const std::string& data, const std::string& type) {
    std::string text = decoded_part(data, "Content-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n");
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

std::string html_part(const std::string& data) { return text_part(data, "text/html"); }
std::string plain_part(const std::string& data) { return text_part(data, "text/plain"); }

// The attachment of 2026-W48's e-mail for wp-a, byte for byte.
std::string csv_attachment(const std::string& data) {
    return decoded_part(data, "Content-Type: text/csv; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
                              "Content-Disposition: attachment; filename=\"pulse-wp-a-2026-W48.csv\"\r\n");
}

// wp-a's 2026-W48 summary as `report` makes it from w's store, in language:
// the sealed week (its themes as build_summary makes them from the week's
// counts, checked here too; its statements over the 4-week period).
Summary report_summary(EmailWorld& w, const std::string& language = "da") {
    const PublishedSummary published = published_summary(*w.store, w.config, "wp-a", kWeek, language, kDue);
    REQUIRE_MESSAGE(published.status == PublishedSummary::Status::ok, published.message);
    const Summary weekly = build_summary("wp-a", kWeek, w.config.banks.front(), w.store->counts("wp-a", kWeek, 4),
                                         w.config.min_answers, language);
    CHECK(published.summary.answers == weekly.answers);
    for (std::size_t t = 0; t < weekly.themes.size(); ++t) {
        CHECK(published.summary.themes[t].figures.n == weekly.themes[t].figures.n);
        CHECK(published.summary.themes[t].figures.mean == weekly.themes[t].figures.mean);
    }
    CHECK(published.summary.workplace_name == "Borgerservice");  // the [[workplace]] name, not the id
    return published.summary;
}

}  // namespace

// [SECTION] The mailer against the sink

TEST_CASE("the due week's summary reaches every recipient of the workplace through libcurl") {
    EmailWorld w;
    const MailerStep step = w.step(kDue);
    CHECK(step.sent == 1);
    CHECK(step.failed == 0);
    REQUIRE_MESSAGE(w.sink.message_count() == 1, w.log.text());
    const SinkMessage m = w.sink.messages().front();
    CHECK(m.from == "pulse@ishoj.dk");
    CHECK(m.recipients == kRecipients);
    CHECK(m.data.find("To: leder.a@ishoj.dk, souschef@ishoj.dk\r\n") != std::string::npos);
    CHECK(m.data.find("Subject: Ugentlig puls: Borgerservice, uge 48 2026\r\n") != std::string::npos);

    // The HTML is the summary `report` would make: the same counts, bank and
    // threshold; without [web] it links nowhere.
    const Summary summary = report_summary(w);
    CHECK(html_part(m.data) == email_html(summary, w.config.summary_texts, ""));
    CHECK(html_part(m.data).find("for få svar") != std::string::npos);
    CHECK(plain_part(m.data) == email_text(summary, w.config.summary_texts, ""));
    // The CSV `report --format csv` would make, attached.
    CHECK(csv_attachment(m.data) == summary_csv(summary, w.config.summary_texts));

    CHECK(w.log.all() == std::vector<std::string>{"email: wp-a 2026-W48 sent to 2 recipients"});
    const std::optional<EmailRecord> record = w.store->email_record("wp-a", kWeek);
    REQUIRE(record);
    CHECK(record->sent);
    CHECK(record->attempts == 1);
    CHECK(record->last_error.empty());
    CHECK(step.next_check == *parse_iso8601("2026-12-07T06:00:00Z"));  // the next week's send time
}

TEST_CASE("with [web] both parts link to the week's page, in the e-mail's language") {
    for (const std::string language : {"da", "en"}) {
        CAPTURE(language);
        EmailWorld w("language = \"" + language + "\"\n", {}, {}, kWebSection);
        REQUIRE(w.config.web);
        REQUIRE_MESSAGE(w.step(kDue).sent == 1, w.log.text());
        REQUIRE(w.sink.message_count() == 1);
        const std::string data = w.sink.messages().front().data;
        const SummaryWords& words = w.config.summary_texts.words(language);
        const std::string url =
            "https://pulse.example/workplaces/wp-a/2026-W48" + std::string(language == "en" ? "?lang=en" : "");

        const std::string text = plain_part(data);
        CHECK_MESSAGE(text.find(fill_placeholders(words.email_week_link, {{"link", url}}) + "\n") != std::string::npos,
                      text);
        const std::string html = html_part(data);
        const std::size_t link = html.find("<a href=\"" + url + "\"");
        REQUIRE_MESSAGE(link != std::string::npos, html);
        CHECK(link < html.find("<main>"));  // above the summary
        CHECK(html.find(">" + words.email_open_page + "</a>", link) != std::string::npos);

        const Summary summary = report_summary(w, language);
        CHECK(html == email_html(summary, w.config.summary_texts, url));
        CHECK(csv_attachment(data) == summary_csv(summary, w.config.summary_texts));
        CHECK(text.find(words.email_csv) != std::string::npos);
        CHECK(html.find(words.email_csv) != std::string::npos);
    }
}

TEST_CASE("without [web] the e-mail has no link and no word of one, but still the csv") {
    EmailWorld w;
    REQUIRE_FALSE(w.config.web);
    REQUIRE(w.step(kDue).sent == 1);
    const std::string data = w.sink.messages().front().data;
    const SummaryWords& words = w.config.summary_texts.words("da");
    const std::string text = plain_part(data), html = html_part(data);
    CHECK(text.find("http") == std::string::npos);
    CHECK(text.find(words.email_week_link.substr(0, words.email_week_link.find("{link}"))) == std::string::npos);
    CHECK(html.find("<a ") == std::string::npos);
    CHECK(html.find(words.email_open_page) == std::string::npos);
    CHECK(text.find(words.email_csv) != std::string::npos);
    CHECK(html.find(words.email_csv) != std::string::npos);
    CHECK(csv_attachment(data) == summary_csv(report_summary(w), w.config.summary_texts));
}

TEST_CASE("a second run after a successful send sends nothing") {
    EmailWorld w;
    REQUIRE(w.step(kDue).sent == 1);
    const MailerStep again = w.step(kDue + 600);
    CHECK(again.sent == 0);
    CHECK(again.failed == 0);
    CHECK(w.step(kDue + 6 * 86400).sent == 0);
    CHECK(w.sink.message_count() == 1);
    CHECK(w.log.all().size() == 1);
}

TEST_CASE("a 451 from the server is logged, recorded and retried later until the message arrives exactly once" *
          doctest::test_suite("store")) {
    EmailWorld w;
    w.sink.fail_next(2);

    // Attempt 1 fails: logged with its number and the next try; recorded.
    MailerStep step = w.step(kDue);
    CHECK(step.failed == 1);
    CHECK(step.next_check == kDue + 60);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 1 failed: "), w.log.text());
    CHECK_MESSAGE(w.log.has("451 4.3.0 try again"), w.log.text());
    CHECK_MESSAGE(w.log.has("; next try 2026-11-30T06:01:00Z"), w.log.text());
    std::optional<EmailRecord> record = w.store->email_record("wp-a", kWeek);
    REQUIRE(record);
    CHECK_FALSE(record->sent);
    CHECK(record->attempts == 1);
    CHECK(record->next_attempt == kDue + 60);
    CHECK(record->last_error.find("451") != std::string::npos);

    // Before the retry time: nothing is tried.
    CHECK(w.step(kDue + 30).failed == 0);
    CHECK(w.sink.failed_transactions() == 1);

    // Attempt 2 fails and waits 5 minutes; attempt 3 gets through.
    step = w.step(kDue + 60);
    CHECK(step.failed == 1);
    CHECK(step.next_check == kDue + 60 + 300);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 2 failed: "), w.log.text());
    CHECK_MESSAGE(w.log.has("; next try 2026-11-30T06:06:00Z"), w.log.text());
    CHECK(w.store->email_record("wp-a", kWeek)->attempts == 2);
    CHECK(w.step(kDue + 200).failed == 0);
    step = w.step(kDue + 360);
    CHECK(step.sent == 1);
    record = w.store->email_record("wp-a", kWeek);
    CHECK(record->sent);
    CHECK(record->attempts == 3);

    // And never again.
    CHECK(w.step(kDue + 3600).sent == 0);
    CHECK(w.step(kDue + 5 * 86400).sent == 0);
    CHECK(w.sink.message_count() == 1);
    CHECK(w.sink.failed_transactions() == 2);
    CHECK(w.sink.messages().front().recipients == kRecipients);
}

// The real store, but its sealed weeks cannot be read while `failing` is set
// (a database gone away while the ledger still answers).
struct SealsFail final : CollectorStore {
    CollectorStore& real;
    bool failing = true;
    explicit SealsFail(CollectorStore& r) : real(r) {}
    StoreResult store_batch(const std::string& w, const std::string& t, const std::vector<Answer>& a,
                            std::optional<IsoWeek> sealed) override {
        return real.store_batch(w, t, a, sealed);
    }
    std::vector<AnswerCount> counts(const std::string& w, IsoWeek week, int before, std::string* error) override {
        return real.counts(w, week, before, error);
    }
    std::int64_t answers_in_week(const std::string& w, IsoWeek week) override { return real.answers_in_week(w, week); }
    SealOutcome seal_week(IsoWeek week, const std::vector<std::string>& workplaces, UnixSeconds now,
                          const SealBuilder& build, std::string* error) override {
        if (!failing) return real.seal_week(week, workplaces, now, build, error);
        if (error) *error = kFailure;
        return SealOutcome::error;
    }
    std::optional<IsoWeek> newest_sealed_week(std::string* error) override {
        if (!failing) return real.newest_sealed_week(error);
        if (error) *error = kFailure;
        return std::nullopt;
    }
    bool read_sealed(const std::string& w, IsoWeek week, bool* sealed, std::optional<SealedWeek>* seal,
                     std::string* error) override {
        if (!failing) return real.read_sealed(w, week, sealed, seal, error);
        if (error) *error = kFailure;
        return false;
    }
    int claim_email(const std::string& w, IsoWeek week, UnixSeconds now, UnixSeconds lease, std::string* e) override {
        return real.claim_email(w, week, now, lease, e);
    }
    bool finish_email(const std::string& w, IsoWeek week, int attempt, bool sent, const std::string& text,
                      UnixSeconds next, std::string* e) override {
        return real.finish_email(w, week, attempt, sent, text, next, e);
    }
    std::optional<EmailRecord> email_record(const std::string& w, IsoWeek week) override {
        return real.email_record(w, week);
    }
    static constexpr const char* kFailure = "collector.sqlite3: cannot read the counts: disk I/O error";
};

TEST_CASE("answers that cannot be read make a failed attempt that is retried, never an empty summary") {
    EmailWorld w;
    SealsFail store(*w.store);
    MailerStep step = run_due_emails(w.config, store, *w.sender, kDue, w.log.sink());
    CHECK(step.failed == 1);
    CHECK(step.sent == 0);
    CHECK(w.sink.message_count() == 0);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 1 failed: cannot read the answers: collector.sqlite3: "
                            "cannot read the counts: disk I/O error; next try 2026-11-30T06:01:00Z"),
                  w.log.text());
    CHECK(w.store->email_record("wp-a", kWeek)->last_error.find("cannot read the answers") != std::string::npos);
    store.failing = false;
    step = run_due_emails(w.config, store, *w.sender, kDue + 60, w.log.sink());
    CHECK(step.sent == 1);
    REQUIRE(w.sink.message_count() == 1);
    CHECK(html_part(w.sink.messages().front().data).find("Borgerservice") != std::string::npos);
}

TEST_CASE("a connection cut after the message is a failed attempt that is retried") {
    EmailWorld w;
    w.sink.drop_next(1);
    CHECK(w.step(kDue).failed == 1);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 1 failed: "), w.log.text());
    CHECK(w.sink.message_count() == 0);
    CHECK(w.step(kDue + 60).sent == 1);
    CHECK(w.sink.message_count() == 1);
}

TEST_CASE("a server that cannot be reached is a failed attempt with curl's reason") {
    EmailWorld w;
    // A port that is ours (bound, so no other test's server can take it) but not listening.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    w.config.email->smtp_url = "smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    w.sender = make_curl_mail_sender(*w.config.email);
    CHECK(w.step(kDue).failed == 1);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 1 failed: "), w.log.text());
    const std::optional<EmailRecord> record = w.store->email_record("wp-a", kWeek);
    REQUIRE(record);
    CHECK_FALSE(record->sent);
    CHECK(record->last_error.find("onnect") != std::string::npos);  // "Couldn't connect to server"
    CHECK(w.sink.message_count() == 0);
    ::close(fd);
}

TEST_CASE("two mailers on the same store in two threads send the e-mail once" *
          doctest::test_suite("store")) {
    EmailWorld w;
    std::unique_ptr<MailSender> second_sender = make_curl_mail_sender(*w.config.email);
    std::latch go(2);
    std::atomic<int> sent{0};
    const auto mailer = [&](MailSender& sender) {
        go.arrive_and_wait();
        sent += run_due_emails(w.config, *w.store, sender, kDue, w.log.sink()).sent;
    };
    std::thread a(mailer, std::ref(*w.sender)), b(mailer, std::ref(*second_sender));
    a.join();
    b.join();
    CHECK(sent == 1);
    CHECK(w.sink.message_count() == 1);
    CHECK(w.store->email_record("wp-a", kWeek)->attempts == 1);
}

TEST_CASE("two collector instances on one database send the e-mail once" * doctest::test_suite("store")) {
    EmailWorld w;
    std::string error;
    std::unique_ptr<CollectorStore> other_store = open_collector_store(w.config.database, &error);
    REQUIRE_MESSAGE(other_store, error);
    std::unique_ptr<MailSender> other_sender = make_curl_mail_sender(*w.config.email);
    std::latch go(2);
    std::atomic<int> sent{0};
    std::thread a([&] {
        go.arrive_and_wait();
        sent += run_due_emails(w.config, *w.store, *w.sender, kDue, w.log.sink()).sent;
    });
    std::thread b([&] {
        go.arrive_and_wait();
        sent += run_due_emails(w.config, *other_store, *other_sender, kDue, w.log.sink()).sent;
    });
    a.join();
    b.join();
    CHECK_MESSAGE(sent == 1, w.log.text());
    CHECK(w.sink.message_count() == 1);
}

TEST_CASE("a restart with a new store on the same file does not send again" *
          doctest::test_suite("store")) {
    EmailWorld w;
    REQUIRE(w.step(kDue).sent == 1);
    w.store.reset();
    std::string error;
    w.store = open_collector_store(w.config.database, &error);
    REQUIRE_MESSAGE(w.store, error);
    CHECK(w.step(kDue + 3600).sent == 0);
    CHECK(w.sink.message_count() == 1);
}

TEST_CASE("a restart while a send was claimed but never finished sends after the lease" *
          doctest::test_suite("store")) {
    EmailWorld w;
    // An instance claimed the week and died before it could send or record anything.
    std::string error;
    REQUIRE(w.store->claim_email("wp-a", kWeek, kDue, kEmailLease_s, &error) == 1);
    CHECK(w.step(kDue + 60).sent == 0);
    CHECK(w.sink.message_count() == 0);
    CHECK(w.step(kDue + kEmailLease_s).sent == 1);
    CHECK(w.store->email_record("wp-a", kWeek)->attempts == 2);
    CHECK(w.sink.message_count() == 1);
}

TEST_CASE("a collector down for weeks sends only the latest ended week, once") {
    EmailWorld w;
    // Back on Wednesday 20 January 2027 (2027-W03): 2027-W02 is due, nothing older.
    const UnixSeconds back = *parse_iso8601("2027-01-20T10:00:00Z");
    CHECK(w.step(back).sent == 1);
    CHECK(w.step(back + 3600).sent == 0);
    REQUIRE(w.sink.message_count() == 1);
    CHECK(w.sink.messages().front().data.find("Subject: Ugentlig puls: Borgerservice, uge 2 2027\r\n") != std::string::npos);
    CHECK(w.store->email_record("wp-a", {2027, 2})->sent);
    for (IsoWeek old : {kWeek, IsoWeek{2026, 53}, IsoWeek{2027, 1}}) CHECK_FALSE(w.store->email_record("wp-a", old));
}

TEST_CASE("a week still failing when the next becomes due is superseded and the log says so") {
    EmailWorld w;
    w.sink.fail_next(1);
    CHECK(w.step(kDue).failed == 1);
    // A week later the next week is due: it is sent, and the unsent one is named.
    CHECK(w.step(kDue + 7 * 86400).sent == 1);
    CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 was never sent (1 attempts, last error: "), w.log.text());
    CHECK_MESSAGE(w.log.has("superseded by 2026-W49"), w.log.text());
    CHECK(w.log.has("email: wp-a 2026-W49 sent to 2 recipients"));
    const std::optional<EmailRecord> old = w.store->email_record("wp-a", kWeek);
    REQUIRE(old);
    CHECK_FALSE(old->sent);  // still visible as unsent
    CHECK(old->attempts == 1);
    CHECK(w.sink.message_count() == 1);
}

TEST_CASE("smtp auth logs in with the configured user and a wrong password never reaches the log") {
    const auto password_file = [](const std::string& password) {
        return [password](const std::filesystem::path& dir) {
            write_file(dir / "smtp-password", password + "\n");
            std::filesystem::permissions(dir / "smtp-password",
                                         std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        };
    };
    const std::string keys = "username = \"pulse\"\npassword_file = \"smtp-password\"\n";
    {
        EmailWorld good(keys, login("pulse", "correct-horse-7"), password_file("correct-horse-7"));
        CHECK_MESSAGE(good.step(kDue).sent == 1, good.log.text());
        REQUIRE(good.sink.message_count() == 1);
        CHECK(good.sink.messages().front().user == "pulse");
        CHECK(good.log.text().find("correct-horse-7") == std::string::npos);
    }
    {
        // The server repeats the password in its refusal: the sender must scrub it.
        EmailWorld bad(keys, login("pulse", "correct-horse-7", true), password_file("wrong-battery-9"));
        CHECK(bad.step(kDue).failed == 1);
        CHECK(bad.sink.message_count() == 0);
        CHECK(bad.sink.auth_failures() >= 1);
        CHECK_MESSAGE(bad.log.has("email: wp-a 2026-W48 attempt 1 failed: "), bad.log.text());
        CHECK_MESSAGE(bad.log.has("535 5.7.8 Authentication credentials invalid for password "), bad.log.text());
        CHECK(bad.log.text().find("wrong-battery-9") == std::string::npos);
        CHECK(bad.store->email_record("wp-a", kWeek)->last_error.find("wrong-battery-9") == std::string::npos);
    }
}

// [SECTION] TLS: smtps:// and STARTTLS against the sink's TLS, trusting the configured ca_file

namespace {

// A sink speaking `tls` with the test authority's server certificate.
SmtpSinkOptions tls_sink(SinkTls tls, std::string user = "", std::string password = "") {
    SmtpSinkOptions options = login(std::move(user), std::move(password));
    options.tls = tls;
    options.cert_file = test_certificates().server_cert.string();
    options.key_file = test_certificates().server_key.string();
    return options;
}

std::string ca_file_key(const std::filesystem::path& ca) { return "ca_file = \"" + ca.string() + "\"\n"; }

}  // namespace

TEST_CASE("smtps:// delivers the summary over TLS, verified against the configured ca_file") {
    EmailWorld w(ca_file_key(test_certificates().ca), tls_sink(SinkTls::implicit));
    REQUIRE(w.config.email->smtp_url.rfind("smtps://127.0.0.1:", 0) == 0);
    CHECK_MESSAGE(w.step(kDue).sent == 1, w.log.text());
    REQUIRE(w.sink.message_count() == 1);
    const SinkMessage m = w.sink.messages().front();
    CHECK(m.tls_version.rfind("TLSv1.", 0) == 0);
    CHECK(m.recipients == kRecipients);
    CHECK(html_part(m.data).find("2026-W48") != std::string::npos);
    CHECK(w.sink.tls_failures() == 0);
}

TEST_CASE("STARTTLS upgrades before logging in and sending, verified against the configured ca_file") {
    const auto password_file = [](const std::filesystem::path& dir) {
        write_file(dir / "smtp-password", "correct-horse-7\n");
        std::filesystem::permissions(dir / "smtp-password",
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    };
    EmailWorld w("starttls = true\nusername = \"pulse\"\npassword_file = \"smtp-password\"\n" +
                     ca_file_key(test_certificates().ca),
                 tls_sink(SinkTls::starttls, "pulse", "correct-horse-7"), password_file);
    REQUIRE(w.config.email->smtp_url.rfind("smtp://127.0.0.1:", 0) == 0);
    CHECK_MESSAGE(w.step(kDue).sent == 1, w.log.text());
    REQUIRE(w.sink.message_count() == 1);
    const SinkMessage m = w.sink.messages().front();
    CHECK(m.tls_version.rfind("TLSv1.", 0) == 0);  // the sink refuses AUTH and MAIL before STARTTLS
    CHECK(m.user == "pulse");
    CHECK(w.sink.auth_failures() == 0);
}

TEST_CASE("a server certificate the configured ca_file did not sign fails the attempt and nothing is sent") {
    for (const SinkTls tls : {SinkTls::implicit, SinkTls::starttls}) {
        CAPTURE(static_cast<int>(tls));
        EmailWorld w(std::string(tls == SinkTls::starttls ? "starttls = true\n" : "") +
                         ca_file_key(test_certificates().other_ca),
                     tls_sink(tls));
        const MailerStep step = w.step(kDue);
        CHECK(step.sent == 0);
        CHECK(step.failed == 1);
        CHECK(w.sink.message_count() == 0);
        CHECK(w.sink.tls_failures() >= 1);  // the sender broke off the handshake
        CHECK_MESSAGE(w.log.has("email: wp-a 2026-W48 attempt 1 failed: "), w.log.text());
        CHECK_FALSE(w.store->email_record("wp-a", kWeek)->sent);
    }
}

TEST_CASE("the mailer thread sends at start and retries on its fake clock until the message arrives") {
    EmailWorld w;
    w.sink.fail_next(1);
    std::atomic<UnixSeconds> now{kDue + 120};
    MailerThread thread(w.config, *w.store, *w.sender, [&] { return now.load(); }, w.log.sink(), 20);
    thread.start();
    REQUIRE(eventually([&] { return thread.steps() >= 1; }));
    REQUIRE_MESSAGE(w.log.has("attempt 1 failed"), w.log.text());
    // Woken again before the retry is due: it runs a step and sends nothing.
    const int failed_steps = thread.steps();
    thread.wake();
    REQUIRE(eventually([&] { return thread.steps() > failed_steps; }));
    CHECK(w.sink.message_count() == 0);
    CHECK(w.sink.failed_transactions() == 1);  // the one refused attempt, not retried yet
    now += 60;
    thread.wake();
    CHECK_MESSAGE(w.sink.wait_for_messages(1, 15000), w.log.text());
    now += 7 * 3600;
    const int steps = thread.steps();
    REQUIRE(eventually([&] { return thread.steps() > steps + 2; }));
    thread.stop();
    CHECK(w.sink.message_count() == 1);
    CHECK(w.store->email_record("wp-a", kWeek)->sent);
}

TEST_CASE("a mailer thread stops promptly while it sleeps") {
    EmailWorld w;
    MailerThread thread(w.config, *w.store, *w.sender, [] { return kDue; }, w.log.sink());  // sleeps up to 60 s
    thread.start();
    REQUIRE(w.sink.wait_for_messages(1, 15000));
    REQUIRE(eventually([&] { return thread.steps() >= 1; }));  // asleep now, for up to 60 s
    const auto before = std::chrono::steady_clock::now();
    thread.stop();
    // Far below the 60 s it would otherwise sleep, with room for a busy machine.
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(15));
}

// [SECTION] The binaries

TEST_CASE("pulse-collector email sends the given week to the sink, ignoring and keeping the ledger") {
    EmailWorld w;
    const std::vector<std::string> args = {PULSE_COLLECTOR_EXE, "email", "--config", w.config_file.string(),
                                           "--week", "2026-W48", "--workplace", "wp-a"};
    ProcessResult r = run_process(args, {}, w.dir, 60);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(r.err.find("email: wp-a 2026-W48 sent to 2 recipients") != std::string::npos, r.err);
    REQUIRE(w.sink.message_count() == 1);
    CHECK(w.sink.messages().front().recipients == kRecipients);
    CHECK(w.sink.messages().front().data.find("uge 48 2026") != std::string::npos);
    CHECK_FALSE(w.store->email_record("wp-a", kWeek));  // a send by hand leaves the ledger alone

    // A resend is a resend: it goes again.
    r = run_process(args, {}, w.dir, 60);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(w.sink.message_count() == 2);

    // A refused send: exit 1 and the reason.
    w.sink.fail_next(1);
    r = run_process(args, {}, w.dir, 60);
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find("email: wp-a 2026-W48 failed: ") != std::string::npos, r.err);
    CHECK_MESSAGE(r.err.find("451 4.3.0 try again") != std::string::npos, r.err);
    CHECK(w.sink.message_count() == 2);
}

TEST_CASE("pulse-collector email refuses bad arguments with exit 2") {
    EmailWorld w;
    const std::string config = w.config_file.string();
    ProcessResult r = run_process({PULSE_COLLECTOR_EXE, "email", "--config", config, "--week", "2026-W99"}, {}, w.dir, 30);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find("--week: '2026-W99' is not an ISO week") != std::string::npos, r.err);
    r = run_process({PULSE_COLLECTOR_EXE, "email", "--config", config, "--workplace", "wp-b"}, {}, w.dir, 30);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find("--workplace: 'wp-b' has no [[manager]]") != std::string::npos, r.err);
    r = run_process({PULSE_COLLECTOR_EXE, "email", "--config", config, "--bogus"}, {}, w.dir, 30);
    CHECK(r.exit_code == 2);
    const std::filesystem::path plain = write_file(w.dir / "plain.toml", collector_config_text());
    r = run_process({PULSE_COLLECTOR_EXE, "email", "--config", plain.string()}, {}, w.dir, 30);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find("has no [email] table") != std::string::npos, r.err);
    CHECK(w.sink.message_count() == 0);
}

TEST_CASE("pulse-collector serve with [email] sends the due week at start and stops on SIGTERM" *
          doctest::test_suite("store")) {
    // Monday 00:00: the week just ended is always past its send time.
    // Published at Monday 00:00 too: the e-mail may not go before its week is published.
    EmailWorld w("send_day = \"monday\"\nsend_time = \"00:00\"\n", {}, {}, "[summary]\npublish_time = \"00:00\"\n");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    const IsoWeek expected = previous_week(copenhagen_iso_week(now));
    const pid_t pid = spawn_process({PULSE_COLLECTOR_EXE, "serve", "--config", w.config_file.string()}, {}, w.dir / "serve.out",
                            w.dir / "serve.err");
    const bool arrived = w.sink.wait_for_messages(1, 30000);
    kill(pid, SIGTERM);
    const int code = wait_exit(pid, 30);
    const std::string err = slurp(w.dir / "serve.err");
    REQUIRE_MESSAGE(arrived, err);
    CHECK_MESSAGE(code == 0, err);
    CHECK(w.sink.message_count() == 1);
    CHECK(w.sink.messages().front().recipients == kRecipients);
    CHECK_MESSAGE(err.find("email: wp-a " + expected.str() + " sent to 2 recipients") != std::string::npos, err);
    CHECK(w.store->email_record("wp-a", expected)->sent);
}

}  // namespace collector_test_email
