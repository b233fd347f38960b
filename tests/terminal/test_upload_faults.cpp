// test_upload_faults.cpp — the uploader over a real network: libcurl against a
// misbehaving collector on 127.0.0.1 (tests/support/fault_server.hpp). The
// uploader's clock is virtual (each step runs when the last one said), the
// HTTP and the database are real. After every fault, and after a random mix
// of a thousand requests, every answer is on the server exactly once; 425 Too
// Early keeps a batch; the collector's Date header gives the clock offset;
// and the uploader thread (real clock) follows a database file the writer
// replaced.
#include "terminal/answer_writer.hpp"
#include "eventually.hpp"
#include "terminal/uploader.hpp"

#include "fault_server.hpp"
#include "store_faults.hpp"
#include "temp_file.hpp"
#include "upload_check.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <thread>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace terminal_test_upload_faults {

using namespace pulse;
using namespace pulse::testing;

namespace {

constexpr UnixSeconds kStart = 1795770000;  // 2026-11-27T09:00:00Z, the latest hour answers are given in
// 10:10: every answer's hour has ended and the uploader's offset has passed.
constexpr UnixSeconds kFirstStep = kStart + kSecondsPerHour + kAfterHourMax_s;

struct Rig {
    std::filesystem::path dir = temp_folder();
    std::filesystem::path db = dir / "answers.sqlite3";
    FaultServer server;
    std::unique_ptr<AnswerStore> store;
    std::unique_ptr<HttpClient> http;
    UploadSettings settings;
    Rng rng{99};
    std::vector<std::string> log;

    explicit Rig(FaultServerOptions options = {}, long total_timeout_s = 2) : server(options) {
        std::string error;
        REQUIRE_MESSAGE(server.start(&error), error);
        StoreStatus status;
        store = AnswerStore::open(db, &status);
        REQUIRE_MESSAGE(store, status.message);
        CurlOptions curl;
        curl.connect_timeout_s = 2;
        curl.low_speed_bytes_s = 100;
        curl.low_speed_time_s = 1;
        curl.total_timeout_s = total_timeout_s;
        http = make_curl_http_client(curl);
        settings.endpoint = server.url();
        settings.token = "test-token";
        settings.terminal = "t-1";
        settings.workplace = "w-1";
        settings.bank_version = "2026.1";
        settings.batch_size = 50;
        settings.backoff = {1, 4};
        // The virtual clock runs for weeks here (an idle uploader waits an
        // hour a step): keep what was uploaded, to compare with the server.
        settings.keep_uploaded_days = 3650;
    }
    ~Rig() {
        server.stop();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    void add(int n) {
        std::vector<Answer> answers;
        for (int i = 0; i < n; ++i) {
            const int v = static_cast<int>(rng() % 6);
            answers.push_back(Answer{uuid_v4(rng), std::to_string(1 + rng() % 4) + "." + std::to_string(1 + rng() % 6),
                                     v == 0 ? std::nullopt : std::optional<int>(v), rng() % 2 ? "da" : "en",
                                     kStart - static_cast<UnixSeconds>(rng() % 48) * 3600});
        }
        REQUIRE(store->insert(answers));
    }

    Uploader uploader() {
        return Uploader(*store, *http, settings, Rng(7), [this](const std::string& line) { log.push_back(line); });
    }

    // Steps at the times the uploader asks for until nothing is pending.
    UnixSeconds drain(Uploader& up, UnixSeconds now, int max_steps = 200) {
        for (int i = 0; i < max_steps && store->upload_queue().count_pending_upload() > 0; ++i) {
            now = std::max(now, up.step(now).next_attempt);
        }
        return now;
    }
};

}  // namespace

TEST_CASE("after each kind of server fault, every answer ends up on the server exactly once") {
    const Fault faults[] = {Fault::status_500,      Fault::status_503_retry_after, Fault::status_429,
                            Fault::reset_before_response, Fault::ack_lost,     Fault::hang,
                            Fault::trickle,         Fault::html_200,           Fault::status_401,
                            Fault::redirect_302};
    for (Fault fault : faults) {
        CAPTURE(fault_name(fault));
        FaultServerOptions options;
        options.trickle_interval_ms = 1500;
        Rig rig(options);
        rig.add(120);
        rig.server.push(fault, 2);
        Uploader up = rig.uploader();
        rig.drain(up, kFirstStep);
        CHECK(rig.server.fault_count(fault) == 2);
        const LocalUploadState local = read_upload_state(rig.db);
        CHECK(local.uploaded.size() == 120);
        CHECK(rig.server.stored_count() == 120);
        check_exactly_once(rig.server, local);
    }
}

TEST_CASE("an acknowledgement lost on the way makes the resend count duplicates, not new answers") {
    Rig rig;
    rig.add(30);
    rig.server.push(Fault::ack_lost);
    Uploader up = rig.uploader();
    rig.drain(up, kFirstStep);
    const std::vector<RequestRecord> requests = rig.server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].accepted == 30);   // stored, but the terminal never heard
    CHECK(requests[1].duplicates == 30);  // the same batch again
    CHECK(requests[1].accepted == 0);
    CHECK(requests[0].idempotency_key == requests[1].idempotency_key);
    check_exactly_once(rig.server, read_upload_state(rig.db));
}

TEST_CASE("413 splits batches until they fit, 400 sets a batch aside and keeps it, and the rest goes through") {
    FaultServerOptions options;
    options.split_above = 10;
    Rig rig(options);
    rig.add(200);
    rig.server.push(Fault::status_413, 3);
    rig.server.push(Fault::status_400);
    Uploader up = rig.uploader();
    rig.drain(up, kFirstStep);
    const LocalUploadState local = read_upload_state(rig.db);
    CHECK(local.set_aside.size() >= 1);
    CHECK(local.set_aside.size() <= 50);
    CHECK(local.uploaded.size() + local.set_aside.size() == 200);
    CHECK(store_count_all(rig.db) == 200);
    check_exactly_once(rig.server, local);
}

TEST_CASE("a random mix of faults over a thousand requests loses nothing and doubles nothing") {
    FaultServerOptions options;
    options.split_above = 8;
    options.trickle_interval_ms = 1500;
    Rig rig(options, 1);
    rig.settings.batch_size = 12;
    rig.server.set_random(20261127, {{Fault::ok, 40},
                                     {Fault::status_500, 8},
                                     {Fault::status_503_retry_after, 5},
                                     {Fault::status_429, 5},
                                     {Fault::reset_before_response, 8},
                                     {Fault::ack_lost, 10},
                                     {Fault::html_200, 5},
                                     {Fault::redirect_302, 2},
                                     {Fault::status_401, 3},
                                     {Fault::status_413, 6},
                                     {Fault::status_400, 1},
                                     {Fault::hang, 0.4},
                                     {Fault::trickle, 0.4}});
    Uploader up = rig.uploader();
    UnixSeconds now = kFirstStep;
    for (int round = 0; rig.server.request_count() < 1000 && round < 5000; ++round) {
        if (round % 3 == 0) rig.add(1 + static_cast<int>(rig.rng() % 9));  // the kiosk keeps storing answers
        now = std::max(now, up.step(now).next_attempt);
    }
    CHECK(rig.server.request_count() >= 1000);
    rig.server.clear_schedule();
    rig.drain(up, now, 2000);
    const LocalUploadState local = read_upload_state(rig.db);
    MESSAGE("requests: ", rig.server.request_count(), ", stored: ", rig.server.stored_count(),
            ", set aside: ", local.set_aside.size(), ", ack lost: ", rig.server.fault_count(Fault::ack_lost));
    CHECK(rig.server.stored_count() >= local.uploaded.size());
    CHECK(rig.server.stored_count() <= local.uploaded.size() + local.set_aside.size());
    check_exactly_once(rig.server, local);
}

TEST_CASE("425 Too Early from the collector keeps the batch pending until the collector takes it, and sets nothing aside") {
    FaultServerOptions options;
    options.too_early_retry_after = "900";
    Rig rig(options);
    rig.add(30);
    rig.server.push(Fault::status_425_retry_after, 2);
    Uploader up = rig.uploader();
    const Uploader::Step first = up.step(kFirstStep);
    CHECK_FALSE(first.success);
    CHECK(first.next_attempt >= kFirstStep + 900);
    CHECK(read_upload_state(rig.db).pending.size() == 30);
    rig.drain(up, first.next_attempt);
    const std::vector<RequestRecord> requests = rig.server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].status == 425);
    CHECK(requests[1].status == 425);
    CHECK(requests[2].accepted == 30);
    for (const RequestRecord& r : requests) CHECK(r.idempotency_key == requests[0].idempotency_key);
    const LocalUploadState local = read_upload_state(rig.db);
    CHECK(local.set_aside.empty());
    CHECK(local.uploaded.size() == 30);
    check_exactly_once(rig.server, local);
}

TEST_CASE("the collector's Date header gives the clock offset over real HTTP: kept for status, logged once for many uploads") {
    FaultServerOptions options;
    options.date = [] { return FaultServer::http_date(kFirstStep - 7200); };  // the terminal runs two hours ahead
    Rig rig(options);
    rig.add(200);  // four batches of 50
    Uploader up(*rig.store, *rig.http, rig.settings, Rng(7), [&](const std::string& line) { rig.log.push_back(line); },
                IdSource(&random_uuid_v4), [] { return kFirstStep; });
    rig.drain(up, kFirstStep);
    CHECK(rig.server.request_count() >= 4);
    CHECK(up.clock_offset_s() == -7200);
    CHECK(rig.store->upload_queue().upload_facts()["clock_offset_s"] == "-7200");
    int clock_lines = 0;
    for (const std::string& line : rig.log) {
        if (line.find("clock is off") == std::string::npos) continue;
        ++clock_lines;
        CHECK_MESSAGE(line.find("off by 7200 s (ahead") != std::string::npos, line);
    }
    CHECK(clock_lines == 1);
    check_exactly_once(rig.server, read_upload_state(rig.db));
}

TEST_CASE("the uploader thread follows the database file the writer moved aside, and uploads the new answers without a restart") {
    const std::filesystem::path db = temp_folder() / "answers.sqlite3";
    FaultServer server;
    std::string error;
    REQUIRE_MESSAGE(server.start(&error), error);
    // The thread runs on the real clock: answers of an hour that ended two hours ago are due at once.
    const UnixSeconds ended_hour = truncate_to_hour(system_clock_s()) - 2 * kSecondsPerHour;
    Rng rng(31);
    const auto answers_of = [&](int n) {
        std::vector<Answer> answers;
        for (int i = 0; i < n; ++i) answers.push_back(Answer{uuid_v4(rng), "4.1", 1 + i % 5, "da", ended_hour});
        return answers;
    };
    {
        StoreStatus status;
        std::unique_ptr<AnswerStore> store = AnswerStore::open(db, &status);
        REQUIRE_MESSAGE(store, status.message);
        REQUIRE(store->insert(answers_of(5)));
    }

    UploadSettings settings;
    settings.endpoint = server.url();
    settings.token = "test-token";
    settings.terminal = "t-1";
    settings.workplace = "w-1";
    settings.bank_version = "2026.1";
    settings.after_hour_s = 0;
    settings.backoff = {1, 2};
    std::mutex log_mutex;
    std::vector<std::string> log;
    // Its first request hangs: the thread waits in it, touching no database,
    // while the file is damaged and replaced under it.
    server.push(Fault::hang);
    auto uploader = std::make_unique<UploaderThread>(
        db,
        [](const std::atomic<bool>* cancel) {
            CurlOptions curl;
            curl.cancel = cancel;
            return make_curl_http_client(curl);
        },
        settings,
        [&](const std::string& line) {
            std::lock_guard lock(log_mutex);
            log.push_back(line);
        });
    REQUIRE(eventually([&] { return server.fault_count(Fault::hang) == 1; }));

    corrupt_in_place(db);
    std::unique_ptr<AnswerWriter> writer = make_inline_writer(db);
    const std::vector<WriteEvent> events = writer->poll();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == WriteEvent::Kind::moved_aside);
    std::set<std::string> fresh;
    for (const Answer& a : answers_of(6)) {
        fresh.insert(a.id);
        writer->submit(a);
    }
    REQUIRE(writer->queued() == 0);

    server.stop();  // ends the hung request: a transport error, retried a second or two later
    REQUIRE_MESSAGE(server.start(&error), error);
    // Until the server holds them and the terminal has recorded the
    // acknowledgement (stopping the thread earlier would cancel that).
    const bool uploaded = eventually(
        [&] { return server.stored_count() == fresh.size() && read_upload_state(db).uploaded == fresh; });
    uploader.reset();
    std::string all_log;
    for (const std::string& line : log) all_log += line + "\n";
    REQUIRE_MESSAGE(uploaded, "the new answers did not reach the server; log:\n", all_log);
    std::set<std::string> on_server;
    for (const auto& [id, content] : server.stored()) on_server.insert(id);
    CHECK(on_server == fresh);  // the new file's answers; the old ones stay in the moved-aside file
    const LocalUploadState local = read_upload_state(db);
    CHECK(local.uploaded == fresh);
    CHECK(local.pending.empty());
    CHECK_MESSAGE(all_log.find("was replaced") != std::string::npos, all_log);
}

}  // namespace terminal_test_upload_faults
