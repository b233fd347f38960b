// collector_store_pg.cpp — CollectorStore on PostgreSQL (libpq). Work in progress.
#include "collector_store.hpp"

namespace pulse {

std::unique_ptr<CollectorStore> open_postgres_collector_store(const std::string& /*url*/, std::string* error) {
    if (error) *error = "PostgreSQL is not supported yet in this build";
    return nullptr;
}

}  // namespace pulse
