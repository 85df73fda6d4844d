// The ledger's schema: the embedded migrations, and opening a file as a
// ledger (checking it is one, migrating it, setting the connection pragmas).
#ifndef DEALTRAIL_SRC_STORAGE_SCHEMA_H_
#define DEALTRAIL_SRC_STORAGE_SCHEMA_H_

#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "dealtrail/status.h"

namespace dealtrail::storage {

struct Migration {
  int version;       // the NNNN of schema/NNNN_name.sql
  const char* name;  // "0001_ledger"
  const char* sql;
};

// Every migration, in version order (generated from schema/*.sql).
const std::vector<Migration>& Migrations();

// Creates a ledger file at `path` and applies every migration in one
// transaction. The file must not exist.
Result<std::unique_ptr<SQLite::Database>> CreateLedgerFile(const std::string& path);

// Opens `path`, refusing files that are not dealtrail ledgers or are newer
// than this build, and migrating older ones (unless read-only).
Result<std::unique_ptr<SQLite::Database>> OpenLedgerFile(const std::string& path, bool read_only);

// Converts a SQLiteCpp exception into a Status keeping SQLite's extended code.
Status FromSqlite(const std::exception& e);

// Pragmas every connection gets: foreign keys, busy timeout, synchronous=FULL.
void ConfigureConnection(SQLite::Database& db);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_SCHEMA_H_
