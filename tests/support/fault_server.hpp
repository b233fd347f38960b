// fault_server.hpp — for the upload tests: a collector of upload protocol v1
// (docs/protocol.md) on 127.0.0.1 that misbehaves on demand. It is plain
// POSIX sockets on one thread, so it can do what a well-behaved HTTP library
// cannot: reset a connection after storing a batch, hang, trickle bytes.
//
// Honest part: POST /v1/batches with the right bearer token and a valid
// body stores each answer by id, forever; an id already stored with the same
// content is a duplicate, with other content the whole batch is refused with
// 409 and nothing of it is stored. The reply is 200 {"accepted":N,"duplicates":M}.
// Fault part: each request for /v1/batches takes the next fault from a queue, or, when the
// queue is empty, draws one at random (seeded) if random mode is on, else `ok`.
// Clock part: every response can carry a Date header of the test's choosing
// (FaultServerOptions::date), as the real collector's do.
#pragma once

#include "terminal/answer_store.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pulse::testing {

// What the server does with one request.
enum class Fault {
    ok,                      // the honest collector
    status_500,              // 500, nothing stored
    status_503_retry_after,  // 503 with "Retry-After: 1", nothing stored
    status_429,              // 429 (no Retry-After), nothing stored
    reset_before_response,   // reads the request, then RST (SO_LINGER 0); nothing stored
    ack_lost,                // stores like `ok`, then RST instead of the response
    hang,                    // reads the request, never answers (until the client or stop() closes)
    trickle,                 // stores like `ok`, then sends the status line and one byte every trickle_interval_ms
    html_200,                // 200 with a captive portal's HTML page, nothing stored
    status_401,              // 401 {"error":...}, nothing stored
    status_413,              // 413 if the batch has more than split_above answers; else like `ok`
    status_400,              // 400 {"error":...}, nothing stored
    redirect_302,            // 302 to /portal (a captive portal), nothing stored
    status_425_retry_after,  // 425 Too Early with Retry-After (too_early_retry_after), nothing stored:
                             // the collector's answer to an hour that has not ended by its clock
};
inline constexpr int kFaultKinds = 14;

// "ok", "status_500", ... (the enumerator's name).
const char* fault_name(Fault fault);

struct FaultServerOptions {
    std::string token = "test-token";         // the bearer token accepted; anything else gets 401
    std::size_t split_above = 1;              // status_413 refuses only batches with more answers than this
    std::size_t max_answers = 5000;           // protocol limit: a larger batch always gets 413
    std::size_t max_body_bytes = 2u << 20;    // protocol limit (decompressed): a larger body always gets 413
    int trickle_interval_ms = 2000;           // `trickle`: one byte per this interval
    std::string too_early_retry_after = "1";  // `status_425_retry_after`: its Retry-After value
    // The value of a Date header on every response (called for each one, on
    // the server's thread; FaultServer::http_date writes one); unset: no Date.
    std::function<std::string()> date;
    std::uint16_t port = 0;                   // 0: an ephemeral port, chosen by the first start()
};

// What happened to one request, in arrival order.
struct RequestRecord {
    std::string method, target;   // "POST", "/v1/batches"
    Fault fault = Fault::ok;      // what the server did (status_413 on a small batch is recorded as ok)
    int status = 0;               // status line sent or being sent; 0 for reset, ack lost and hang
    std::string idempotency_key;  // as sent; empty if absent
    std::size_t answers = 0;      // answers in the body (0 if it could not be read)
    bool gzip = false;            // the body came with Content-Encoding: gzip
    std::size_t accepted = 0;     // answers this request stored for the first time
    std::size_t duplicates = 0;   // answers this request sent that were already stored
};

class FaultServer {
public:
    explicit FaultServer(FaultServerOptions options = {});
    ~FaultServer();  // stop()
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    // Listens on 127.0.0.1 and starts the server thread. After a stop() it
    // listens on the same port again with everything stored kept (a server
    // restart). Returns false with *error (may be null) if it cannot listen.
    bool start(std::string* error = nullptr);

    // Closes every connection (hung and trickling ones too, within ~50 ms)
    // and the listening socket, and joins the thread. Idempotent.
    void stop();

    std::uint16_t port() const;  // valid after the first successful start()
    std::string url() const;     // "http://127.0.0.1:PORT": an [upload] endpoint

    // [SECTION] Fault schedule (thread-safe; applies to requests not yet read)

    void push(Fault fault, int times = 1);        // appends to the queue
    void push(std::initializer_list<Fault> faults);
    // When the queue is empty, draw each request's fault with these relative
    // weights from an RNG seeded with seed (same seed, same sequence).
    void set_random(std::uint64_t seed, std::vector<std::pair<Fault, double>> weights);
    void clear_schedule();  // empties the queue and turns random mode off: every request is `ok`

    // [SECTION] Observations (thread-safe snapshots)

    std::map<std::string, std::string> stored() const;  // answer id -> canonical content (see canonical())
    std::size_t stored_count() const;
    std::size_t request_count() const;          // every request read, whatever was done with it
    std::size_t connection_count() const;       // TCP connections accepted (keep-alive reuses one)
    int fault_count(Fault fault) const;         // requests that got this fault (as in RequestRecord::fault)
    std::size_t idempotency_keys_seen() const;  // distinct Idempotency-Key values
    std::vector<RequestRecord> requests() const;

    // unix_s as an HTTP date (IMF-fixdate, "Fri, 27 Nov 2026 10:00:00 GMT").
    static std::string http_date(std::int64_t unix_s);

    // An answer's content as the server compares and stores it: compact JSON
    // with sorted keys, {"hour":"2026-11-27T09:00:00Z","id":…,"lang":…,"question":…,"value":4|null}.
    static std::string canonical(const Answer& answer);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pulse::testing
