// upload_check.hpp — for the upload tests: reads a terminal database's upload
// state straight from SQLite (independent of AnswerStore's own counting) and
// checks the protocol's promise against a FaultServer: every answer the
// terminal holds is on the server exactly once, or still pending, or set
// aside; nothing the server lacks is marked uploaded.
#pragma once

#include "fault_server.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <string>

namespace pulse::testing {

struct LocalUploadState {
    std::set<std::string> uploaded, pending, set_aside;  // answer ids by state
    std::map<std::string, std::string> content;          // id -> FaultServer::canonical
};

inline LocalUploadState read_upload_state(const std::filesystem::path& db) {
    LocalUploadState s;
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h,
                               "SELECT a.id, a.question, a.value, a.lang, a.hour, a.uploaded_day, b.state "
                               "FROM answers a LEFT JOIN batches b ON b.id = a.batch",
                               -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        Answer a;
        a.id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        a.question = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) a.value = sqlite3_column_int(st, 2);
        a.lang = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
        a.hour = sqlite3_column_int64(st, 4);
        const bool uploaded = sqlite3_column_type(st, 5) != SQLITE_NULL;
        const bool aside = sqlite3_column_type(st, 6) != SQLITE_NULL &&
                           std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 6))) == "set_aside";
        (uploaded ? s.uploaded : aside ? s.set_aside : s.pending).insert(a.id);
        s.content[a.id] = FaultServer::canonical(a);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return s;
}

// Every answer in the database, whatever its state.
inline std::size_t store_count_all(const std::filesystem::path& db) {
    return read_upload_state(db).content.size();
}

// The protocol's promise, once nothing is pending: every answer marked
// uploaded is on the server, once, with the same content; the server holds
// nothing the terminal did not send; each answer was accepted once (resends
// are duplicates); set-aside answers are still in the terminal's database.
// A set-aside answer may be on the server too: a fault schedule can answer
// 400 to the resend of a batch whose first acknowledgement was lost. Then it
// is kept on the terminal (never lost) and stored once (never doubled).
inline void check_exactly_once(const FaultServer& server, const LocalUploadState& local) {
    const std::map<std::string, std::string> stored = server.stored();
    CHECK(local.pending.empty());
    for (const std::string& id : local.uploaded) {
        auto it = stored.find(id);
        CHECK_MESSAGE(it != stored.end(), "marked uploaded but not on the server: ", id);
        if (it != stored.end()) CHECK(it->second == local.content.at(id));
    }
    for (const auto& [id, content] : stored) {
        CHECK_MESSAGE((local.uploaded.count(id) || local.set_aside.count(id)), "on the server, unknown or not marked: ", id);
    }
    // Each stored answer was accepted exactly once (the rest were duplicates).
    std::size_t accepted = 0;
    for (const RequestRecord& r : server.requests()) accepted += r.accepted;
    CHECK(accepted == stored.size());
}

}  // namespace pulse::testing
