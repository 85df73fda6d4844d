// Read-only SQL on a ledger file: what `dealtrail sql` runs. One statement
// per call, on a connection that cannot write, with the views of the schema,
// positions_as_of() and the money helpers (docs/sql.md), within limits of
// time, memory and size. Whatever the statement, the ledger is not changed.
#ifndef DEALTRAIL_SQL_H_
#define DEALTRAIL_SQL_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealtrail/status.h"
#include "dealtrail/time.h"

namespace dealtrail {

// Bounds on one statement. A statement past a limit is stopped: its result
// is an error naming the limit, never a partial result.
struct SqlLimits {
  // Wall-clock time the statement may run (checked every 1000 virtual
  // machine instructions).
  std::chrono::milliseconds timeout{5'000};
  // Rows in the result.
  std::int64_t max_rows = 100'000;
  // Bytes of text and blobs in the result.
  std::int64_t max_result_bytes = 256 << 20;
  // SQLite's heap while the statement runs. Process-wide
  // (sqlite3_hard_heap_limit64): set for the call and restored after it.
  std::int64_t max_memory_bytes = 512 << 20;
  // Length of the statement's text (SQLITE_LIMIT_SQL_LENGTH).
  int max_sql_bytes = 100'000;
  // Length of any string or blob the statement makes (SQLITE_LIMIT_LENGTH).
  int max_value_bytes = 16 << 20;
  // Size of the compiled statement in virtual machine instructions
  // (SQLITE_LIMIT_VDBE_OP); the largest view compiles to about 5,000.
  int max_program_ops = 200'000;
};

struct SqlOptions {
  SqlLimits limits;
  // The clock positions_as_of() uses for its default known_at ("now").
  Clock clock = SystemClock();
};

enum class SqlType { kNull, kInteger, kReal, kText, kBlob };

// One value of a result, with SQLite's type. Amounts in dealtrail's tables
// and views are INTEGER minor units; a REAL only comes from the user's own
// arithmetic.
struct SqlValue {
  SqlType type = SqlType::kNull;
  std::int64_t integer = 0;  // kInteger
  double real = 0;           // kReal
  // kText: the UTF-8 text; kBlob: the bytes; kReal: SQLite's own text for
  // the number ("0.5", "1.0e+20"), so output matches the sqlite3 shell.
  std::string text;
};

struct SqlResult {
  std::vector<std::string> columns;  // names as SQLite gives them; may repeat
  std::vector<std::vector<SqlValue>> rows;
};

// Runs one read-only statement on the ledger at `ledger_path`.
//
// The connection is opened read-only (SQLITE_OPEN_READONLY, query_only,
// defensive, extension loading off, no ATTACH) with an authorizer that lets
// only reading statements through: SELECT, WITH, VALUES, EXPLAIN, and
// PRAGMAs that only read (table_info, index_list, integrity_check, …).
// Trailing statements are refused ("SELECT 1; DELETE …").
//
// A ledger written by an older dealtrail is first migrated to the current
// schema (as opening it for writing would), so that the views exist; that
// adds views and reference tables, never events. When the file cannot be
// written, the error (kNotALedger) names the older schema.
//
// Errors: kInvalidInput for the statement — refused ("refused: …"), stopped
// at a limit ("stopped: …"), or failed in SQLite (its message, such as
// `near "SELEC": syntax error`); kIo, kNotALedger or kCorrupt for the file.
//
// Not for concurrent use from several threads: the memory limit is
// process-wide.
Result<SqlResult> RunReadOnlySql(const std::string& ledger_path, std::string_view sql,
                                 const SqlOptions& options = {});

// Turns SQLite's memory statistics off for the whole process. While they are
// on, SQLite counts every allocation it makes under a process-wide mutex; off,
// an import runs about 5% fewer instructions (docs/benchmarks.md). SQLite takes
// the setting only before it starts, that is before anything opens a
// database: returns whether it took effect. The memory limit of
// RunReadOnlySql needs the statistics, so once they are off RunReadOnlySql
// runs nothing and says why (kInternal). `dealtrail` turns them off for every
// command but `sql`.
bool TurnOffSqliteMemoryStatistics();

}  // namespace dealtrail

#endif  // DEALTRAIL_SQL_H_
