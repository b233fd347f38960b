// store_faults.hpp — for the terminal's tests: a database file that turns
// corrupt under connections that keep it open (the writer's, the
// uploader's), as a failing disk would do it, so that the next AnswerStore::open
// moves it aside.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace pulse::testing {

// Makes the database at db unreadable for every connection opened from now
// on; connections already open keep the file (and what they cached). First a
// connection of its own moves every committed page from the WAL into the
// file and empties the WAL (wal_checkpoint(TRUNCATE), which must complete:
// no other connection may be inside a transaction), then SQLite's 100-byte
// header at the start of the file is overwritten. A new connection then gets
// SQLITE_NOTADB, and AnswerStore::open moves the file aside.
inline void corrupt_in_place(const std::filesystem::path& db) {
    sqlite3* c = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(c, 10'000);
    sqlite3_stmt* checkpoint = nullptr;
    REQUIRE(sqlite3_prepare_v2(c, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &checkpoint, nullptr) == SQLITE_OK);
    const int rc = sqlite3_step(checkpoint);
    const int busy = sqlite3_column_int(checkpoint, 0);  // 1 if it could not complete
    sqlite3_finalize(checkpoint);
    const std::string error = sqlite3_errmsg(c);
    sqlite3_close(c);
    REQUIRE_MESSAGE(rc == SQLITE_ROW, "checkpoint of ", db, ": ", error);
    REQUIRE_MESSAGE(busy == 0, "checkpoint of ", db, " could not complete: a connection is inside a transaction");

    std::fstream file(db, std::ios::binary | std::ios::in | std::ios::out);
    file.write(std::string(100, '\x5a').data(), 100);
    REQUIRE_MESSAGE(file.good(), "cannot overwrite the header of ", db);
}

// The whole content of file ("" if it cannot be read).
inline std::string file_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace pulse::testing
