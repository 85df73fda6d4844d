// Prepared statements through SQLite's C API, for the hot paths (the replay
// scan, checkpoints, the writer's insert) where SQLiteCpp's per-column
// objects cost more than the work itself.
#ifndef DEALTRAIL_SRC_STORAGE_RAW_STATEMENT_H_
#define DEALTRAIL_SRC_STORAGE_RAW_STATEMENT_H_

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include <memory>

namespace dealtrail::storage {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Prepares `sql` on `db`; throws SQLite::Exception as SQLiteCpp would.
inline Stmt Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
  return Stmt(raw);
}

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_RAW_STATEMENT_H_
