// RunReadOnlySql: a user's statement on a read-only connection with limits.
// The defences overlap on purpose (read-only open, query_only, an authorizer,
// sqlite3_stmt_readonly), so no single mistake lets a write through.
#include "dealtrail/sql.h"

#include <sqlite3.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "dealtrail/ledger.h"
#include "storage/schema.h"
#include "storage/sql_functions.h"

namespace dealtrail {
namespace {

using storage::FromSqlite;

constexpr std::string_view kReadsOnly =
    "only reading statements run here (SELECT, WITH, VALUES, EXPLAIN and read-only PRAGMAs)";

// PRAGMAs that only read. The first group takes no argument (with one it
// would set something); the second takes a table or index name, or a limit.
constexpr std::array<std::string_view, 14> kReadPragmas = {
    "application_id", "collation_list", "compile_options", "data_version", "database_list",
    "encoding",       "freelist_count", "function_list",   "module_list",  "page_count",
    "page_size",      "pragma_list",    "schema_version",  "user_version",
};
constexpr std::array<std::string_view, 10> kReadPragmasWithArgument = {
    "foreign_key_check", "foreign_key_list", "index_info", "index_list", "index_xinfo",
    "integrity_check",   "quick_check",      "table_info", "table_list", "table_xinfo",
};

// The table-valued functions a statement may use: dealtrail's, JSON's, and
// the read-only PRAGMAs'.
constexpr std::array<std::string_view, 22> kTableFunctions = {
    "positions_as_of",
    "json_each",
    "json_tree",
    "dbstat",
    "pragma_collation_list",
    "pragma_compile_options",
    "pragma_database_list",
    "pragma_foreign_key_check",
    "pragma_foreign_key_list",
    "pragma_function_list",
    "pragma_index_info",
    "pragma_index_list",
    "pragma_index_xinfo",
    "pragma_integrity_check",
    "pragma_module_list",
    "pragma_pragma_list",
    "pragma_quick_check",
    "pragma_table_info",
    "pragma_table_list",
    "pragma_table_xinfo",
    "pragma_user_version",
    "pragma_application_id",
};

bool Contains(const auto& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// What the authorizer saw, for the error message.
struct Guard {
  std::string refusal;  // the statement part refused
  // The refusal is a write to sqlite_master, the first thing CREATE, DROP
  // and ANALYZE do: the statement's own words say more.
  bool schema_write = false;
};

// The statement's leading keywords ("CREATE TEMP VIEW", "DROP TABLE"),
// past white space and comments, for messages about schema changes.
std::string LeadingWords(std::string_view sql) {
  static constexpr std::array<std::string_view, 13> kWords = {
      "ALTER",     "ANALYZE", "CREATE", "DROP", "INDEX",   "TABLE",  "TEMP",
      "TEMPORARY", "TRIGGER", "UNIQUE", "VIEW", "VIRTUAL", "EXPLAIN"};
  std::string out;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = std::min(sql.find('\n', i), sql.size());
    } else if (sql.substr(i, 2) == "/*") {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      std::string word;
      while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
        word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
      }
      if (word.empty() || !Contains(kWords, word)) break;
      out += (out.empty() ? "" : " ") + word;
    }
  }
  return out;
}

// Words for an action the authorizer refuses.
std::string Describe(int action, const char* a3, const char* a4) {
  switch (action) {
    case SQLITE_INSERT:
      return "INSERT into " + Str(a3);
    case SQLITE_UPDATE:
      if (Str(a3) == "sqlite_master") {
        return "UPDATE of sqlite_master (or a table-valued function that is not available here)";
      }
      return "UPDATE of " + Str(a3);
    case SQLITE_DELETE:
      return "DELETE from " + Str(a3);
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TEMP_INDEX:
      return "CREATE INDEX";
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE:
      return "CREATE TABLE";
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_TEMP_TRIGGER:
      return "CREATE TRIGGER";
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_TEMP_VIEW:
      return "CREATE VIEW";
    case SQLITE_CREATE_VTABLE:
      return "CREATE VIRTUAL TABLE";
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TEMP_INDEX:
      return "DROP INDEX";
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE:
      return "DROP TABLE";
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_TEMP_TRIGGER:
      return "DROP TRIGGER";
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_TEMP_VIEW:
      return "DROP VIEW";
    case SQLITE_DROP_VTABLE:
      return "DROP VIRTUAL TABLE";
    case SQLITE_ALTER_TABLE:
      return "ALTER TABLE";
    case SQLITE_ATTACH:
      return "ATTACH";
    case SQLITE_DETACH:
      return "DETACH";
    case SQLITE_TRANSACTION:
      return Str(a3) + " (transactions)";
    case SQLITE_SAVEPOINT:
      return "SAVEPOINT";
    case SQLITE_REINDEX:
      return "REINDEX";
    case SQLITE_ANALYZE:
      return "ANALYZE";
    case SQLITE_PRAGMA:
      return a4 == nullptr ? "PRAGMA " + Str(a3) : "PRAGMA " + Str(a3) + " = " + Str(a4);
    case SQLITE_FUNCTION:
      return Str(a4) + "()";
    default:
      return "this statement (action " + std::to_string(action) + ")";
  }
}

int Authorize(void* user, int action, const char* a3, const char* a4, const char* /*db*/,
              const char* /*trigger*/) {
  auto* guard = static_cast<Guard*>(user);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION: {
      const std::string_view name = a4 == nullptr ? "" : a4;
      // Loading code, and the FTS3 tokenizer hook that reads pointers.
      if (name != "load_extension" && name != "fts3_tokenizer") return SQLITE_OK;
      break;
    }
    case SQLITE_PRAGMA: {
      const std::string_view name = a3 == nullptr ? "" : a3;
      if (Contains(kReadPragmasWithArgument, name)) return SQLITE_OK;
      if (a4 == nullptr && Contains(kReadPragmas, name)) return SQLITE_OK;
      break;
    }
    default:
      break;
  }
  if (guard->refusal.empty()) {
    const std::string table = Str(a3);
    guard->schema_write = (action == SQLITE_INSERT || action == SQLITE_DELETE) &&
                          (table == "sqlite_master" || table == "sqlite_temp_master");
    guard->refusal = Describe(action, a3, a4);
  }
  return SQLITE_DENY;
}

struct Deadline {
  std::chrono::steady_clock::time_point at;
  bool passed = false;
};

int Progress(void* user) {
  auto* deadline = static_cast<Deadline*>(user);
  if (std::chrono::steady_clock::now() < deadline->at) return 0;
  deadline->passed = true;
  return 1;  // interrupt: the statement fails with SQLITE_INTERRUPT
}

// Sets SQLite's process-wide hard heap limit for the call, and restores the
// previous one after it.
class HeapLimit {
 public:
  explicit HeapLimit(std::int64_t bytes) : previous_(sqlite3_hard_heap_limit64(-1)) {
    sqlite3_hard_heap_limit64(bytes);
  }
  ~HeapLimit() { sqlite3_hard_heap_limit64(previous_); }
  HeapLimit(const HeapLimit&) = delete;
  HeapLimit& operator=(const HeapLimit&) = delete;

 private:
  sqlite3_int64 previous_;
};

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Status Refused(const std::string& what) { return Status::Invalid("", "refused: " + what); }
Status Stopped(const std::string& what) { return Status::Invalid("", "stopped: " + what); }

std::string Mib(std::int64_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                : std::to_string(bytes) + " bytes";
}

// A ledger of an older schema lacks the views; migrate it the way opening it
// for writing would. Anything odd about the file, or a migration that cannot
// run (a read-only file), is left for the read-only open to report: it names
// the older schema.
void MigrateIfOlder(const std::string& path) {
  int app_id = 0;
  int version = 0;
  try {
    SQLite::Database peek(path, SQLite::OPEN_READONLY);
    app_id = peek.execAndGet("PRAGMA application_id").getInt();
    version = peek.execAndGet("PRAGMA user_version").getInt();
  } catch (const std::exception&) {
    return;
  }
  if (app_id != kApplicationId || version < 1 || version >= CurrentSchemaVersion()) return;
  (void)storage::OpenLedgerFile(path, /*read_only=*/false);
}

// Locks the connection down before the user's statement sees it.
Status Configure(sqlite3* db, const SqlLimits& limits, const Clock& clock) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, limits.max_value_bytes);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, limits.max_sql_bytes);
  sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, limits.max_program_ops);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 200);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 100);
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000);
  // Sorts and temporary results stay in memory, under the heap limit, rather
  // than in temporary files. trusted_schema stays on: SQLite 3.40 counts
  // json_valid() in the events table's CHECK as unsafe and would refuse to
  // read the schema; the schema is dealtrail's own and cannot be changed here.
  char* error = nullptr;
  if (sqlite3_exec(db, "PRAGMA query_only = ON; PRAGMA temp_store = MEMORY", nullptr, nullptr,
                   &error) != SQLITE_OK) {
    Status s(StatusCode::kIo, "", "cannot configure the connection: " + Str(error));
    sqlite3_free(error);
    return s;
  }
  DEALTRAIL_RETURN_IF_ERROR(storage::RegisterSqlFunctions(db, clock));
  // A table-valued function connects on its first use, and declaring its
  // columns reaches the authorizer as an UPDATE of sqlite_master: connect
  // the ones a query may use now, before the authorizer is installed. A
  // name this SQLite lacks just fails to prepare.
  for (std::string_view name : kTableFunctions) {
    const std::string probe = "SELECT 1 FROM " + std::string(name) + " WHERE 0";
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, probe.c_str(), -1, &stmt, nullptr);
    sqlite3_finalize(stmt);
  }
  return {};
}

SqlValue ValueAt(sqlite3_stmt* stmt, int i) {
  SqlValue v;
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      v.type = SqlType::kInteger;
      v.integer = sqlite3_column_int64(stmt, i);
      break;
    case SQLITE_FLOAT:
      v.type = SqlType::kReal;
      v.real = sqlite3_column_double(stmt, i);
      v.text = Str(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
      break;
    case SQLITE_TEXT: {
      v.type = SqlType::kText;
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      if (text != nullptr)
        v.text.assign(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      break;
    }
    case SQLITE_BLOB: {
      v.type = SqlType::kBlob;
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      if (bytes != nullptr) {
        v.text.assign(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
      break;
    }
    default:
      break;
  }
  return v;
}

// Prepares exactly one statement from `sql`, or says why it will not run.
Result<StatementPtr> Prepare(sqlite3* db, std::string_view sql, const Guard& guard,
                             const SqlLimits& limits) {
  if (sql.size() > static_cast<std::size_t>(limits.max_sql_bytes)) {
    return Refused("the statement is longer than the limit of " +
                   std::to_string(limits.max_sql_bytes) + " bytes");
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &raw, &tail);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) {
    if (!guard.refusal.empty()) {
      const std::string words = guard.schema_write ? LeadingWords(sql) : "";
      return Refused((words.empty() ? guard.refusal : words) + ": " + std::string(kReadsOnly));
    }
    if ((rc & 0xFF) == SQLITE_TOOBIG) {
      return Refused("the statement is longer than the limit of " +
                     std::to_string(limits.max_sql_bytes) + " bytes");
    }
    if ((rc & 0xFF) == SQLITE_NOMEM) {
      return Refused("the statement is too large to compile (more than " +
                     std::to_string(limits.max_program_ops) +
                     " virtual machine instructions, or more memory than " +
                     Mib(limits.max_memory_bytes) + ")");
    }
    return Status::Invalid("", sqlite3_errmsg(db));
  }
  if (!stmt) return Refused("no SQL statement (the text is empty or only comments)");
  // Anything but white space and comments after the statement is another one.
  const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
  sqlite3_stmt* next = nullptr;
  const int next_rc =
      sqlite3_prepare_v3(db, rest.data(), static_cast<int>(rest.size()), 0, &next, nullptr);
  StatementPtr next_stmt(next);
  if (next_rc != SQLITE_OK || next_stmt) {
    return Refused("more than one statement; run them one at a time");
  }
  if (!sqlite3_stmt_readonly(stmt.get())) {
    return Refused("the statement would write: " + std::string(kReadsOnly));
  }
  return stmt;
}

// The authorizer and the progress handler for one call, removed with it.
class Watch {
 public:
  Watch(sqlite3* db, std::chrono::milliseconds timeout)
      : db_(db), deadline_{std::chrono::steady_clock::now() + timeout} {
    sqlite3_set_authorizer(db_, Authorize, &guard_);
    sqlite3_progress_handler(db_, 1000, Progress, &deadline_);
  }
  ~Watch() {
    sqlite3_set_authorizer(db_, nullptr, nullptr);
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  const Guard& guard() const { return guard_; }
  bool timed_out() const { return deadline_.passed; }

 private:
  sqlite3* db_;
  Guard guard_;
  Deadline deadline_;
};

Result<SqlResult> Run(sqlite3* db, std::string_view sql, const SqlOptions& options) {
  const SqlLimits& limits = options.limits;
  DEALTRAIL_RETURN_IF_ERROR(Configure(db, limits, options.clock));
  const Watch watch(db, limits.timeout);
  const Guard& guard = watch.guard();
  HeapLimit heap(limits.max_memory_bytes);

  auto stmt = Prepare(db, sql, guard, limits);
  if (!stmt.ok()) return stmt.status();
  sqlite3_stmt* s = stmt->get();
  SqlResult result;
  const int columns = sqlite3_column_count(s);
  for (int i = 0; i < columns; ++i) result.columns.push_back(Str(sqlite3_column_name(s, i)));
  std::int64_t bytes = 0;
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (static_cast<std::int64_t>(result.rows.size()) >= limits.max_rows) {
      return Stopped("the result has more than " + std::to_string(limits.max_rows) +
                     " rows (add a LIMIT, or raise the row limit)");
    }
    std::vector<SqlValue> row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) {
      row.push_back(ValueAt(s, i));
      bytes += static_cast<std::int64_t>(row.back().text.size());
    }
    if (bytes > limits.max_result_bytes) {
      return Stopped("the result is larger than " + Mib(limits.max_result_bytes));
    }
    result.rows.push_back(std::move(row));
  }
  if (rc == SQLITE_DONE) return result;
  const int primary = rc & 0xFF;
  if (primary == SQLITE_INTERRUPT && watch.timed_out()) {
    return Stopped("the statement ran longer than the time limit of " +
                   std::to_string(limits.timeout.count()) + " ms");
  }
  if (primary == SQLITE_TOOBIG) {
    return Stopped("a string or blob would be longer than the limit of " +
                   Mib(limits.max_value_bytes));
  }
  if (primary == SQLITE_NOMEM) {
    return Stopped("the statement needed more memory than the limit of " +
                   Mib(limits.max_memory_bytes));
  }
  if (primary == SQLITE_AUTH && !guard.refusal.empty()) {
    return Refused(guard.refusal + ": " + std::string(kReadsOnly));
  }
  return Status::Invalid("", sqlite3_errmsg(db));
}

}  // namespace

Result<SqlResult> RunReadOnlySql(const std::string& ledger_path, std::string_view sql,
                                 const SqlOptions& options) {
  MigrateIfOlder(ledger_path);
  auto db = storage::OpenLedgerFile(ledger_path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  // SQLite counts nothing with its memory statistics off, and an open
  // connection has allocated memory, so a count of zero means they are off
  // and the memory limit would not hold.
  if (sqlite3_memory_used() == 0) {
    return Status{StatusCode::kInternal, "",
                  "SQLite's memory statistics are off in this process, so the memory limit "
                  "cannot hold; no statement runs without it"};
  }
  try {
    return Run((*db)->getHandle(), sql, options);
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

bool TurnOffSqliteMemoryStatistics() {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

}  // namespace dealtrail
