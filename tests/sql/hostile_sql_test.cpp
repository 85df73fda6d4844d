// The catalogue of hostile and broken statements: each runs through
// `dealtrail sql` (cli::Run, the command's own code path) and through
// RunReadOnlySql, and must be refused, stopped or failed with one clear line
// and exit code 2 — while the ledger file stays byte-for-byte the same and
// nothing else appears next to it. Runaway statements use a 200 ms time
// limit; the test checks they were stopped by it, not how long they took.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "dealtrail/sql.h"
#include "sql_test_support.h"

namespace dealtrail {
namespace {

namespace fs = std::filesystem;

enum class Outcome {
  kRefused,   // "refused: …" before anything runs
  kStopped,   // "stopped: …" at a limit while running
  kSqlError,  // SQLite's own error (syntax, a function's argument, …)
  kNull,      // SQLite caps the value at the length limit and gives NULL
};

struct Hostile {
  const char* name;
  std::string sql;  // $DIR is the ledger's directory
  Outcome outcome;
  const char* message;                  // part of the error line
  std::vector<std::string> extra = {};  // more `dealtrail sql` flags
};

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string CompoundSelect(int terms) {
  std::string sql = "SELECT 1";
  for (int i = 1; i < terms; ++i) sql += " UNION ALL SELECT 1";
  return sql;
}

const std::string kRunaway =
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r";

std::vector<Hostile> Catalogue() {
  const std::vector<std::string> quick = {"--timeout", "200"};
  return {
      // Schema changes.
      {"create_table", "CREATE TABLE t(x INTEGER)", Outcome::kRefused, "CREATE TABLE"},
      {"create_temp_table", "CREATE TEMP TABLE t AS SELECT * FROM events", Outcome::kRefused,
       "CREATE TEMP TABLE"},
      {"create_view", "CREATE VIEW v AS SELECT 1", Outcome::kRefused, "CREATE VIEW"},
      {"create_temp_view", "CREATE TEMP VIEW v AS SELECT 1", Outcome::kRefused, "CREATE TEMP VIEW"},
      {"create_index", "CREATE INDEX i ON events(note)", Outcome::kRefused, "CREATE INDEX"},
      {"create_trigger", "CREATE TRIGGER t AFTER INSERT ON events BEGIN SELECT 1; END",
       Outcome::kRefused, "CREATE TRIGGER"},
      {"create_virtual_table", "CREATE VIRTUAL TABLE f USING fts5(x)", Outcome::kRefused,
       "CREATE VIRTUAL TABLE"},
      {"drop_table", "DROP TABLE events", Outcome::kRefused, "DROP TABLE"},
      {"drop_view", "DROP VIEW current_commitments", Outcome::kRefused, "DROP VIEW"},
      {"drop_trigger", "DROP TRIGGER events_no_update", Outcome::kRefused, "DROP TRIGGER"},
      {"alter_table", "ALTER TABLE events ADD COLUMN x TEXT", Outcome::kRefused, "ALTER TABLE"},
      // Data changes.
      {"insert", "INSERT INTO parties VALUES ('x', 'X', 'company', 1)", Outcome::kRefused,
       "INSERT into parties"},
      {"insert_returning", "INSERT INTO party_aliases SELECT 'k', 'K', 'nvidia', 1 RETURNING *",
       Outcome::kRefused, "INSERT into party_aliases"},
      {"update", "UPDATE events SET note = 'edited'", Outcome::kRefused, "UPDATE of events"},
      {"delete", "DELETE FROM events WHERE seq = 1", Outcome::kRefused, "DELETE from events"},
      {"replace", "REPLACE INTO iso_currencies VALUES ('USD', 0, 1)", Outcome::kRefused,
       "INSERT into iso_currencies"},
      {"update_schema", "UPDATE sqlite_master SET sql = 'x'", Outcome::kSqlError,
       "table sqlite_master may not be modified"},
      {"explain_delete", "EXPLAIN DELETE FROM events", Outcome::kRefused, "DELETE from events"},
      // Other databases and files.
      {"attach_file", "ATTACH DATABASE '$DIR/other.db' AS other", Outcome::kRefused, "ATTACH"},
      {"attach_memory", "ATTACH ':memory:' AS scratch", Outcome::kRefused, "ATTACH"},
      {"detach", "DETACH DATABASE main", Outcome::kRefused, "DETACH"},
      {"vacuum", "VACUUM", Outcome::kRefused, "the statement would write"},
      {"vacuum_into", "VACUUM INTO '$DIR/copy.db'", Outcome::kRefused, "the statement would write"},
      // PRAGMAs that set something.
      {"pragma_query_only_off", "PRAGMA query_only=0", Outcome::kRefused, "PRAGMA query_only = 0"},
      {"pragma_writable_schema", "PRAGMA writable_schema=1", Outcome::kRefused,
       "PRAGMA writable_schema = 1"},
      {"pragma_journal_mode", "PRAGMA journal_mode=DELETE", Outcome::kRefused,
       "PRAGMA journal_mode = DELETE"},
      {"pragma_user_version", "PRAGMA main.user_version=99", Outcome::kRefused,
       "PRAGMA user_version = 99"},
      {"pragma_trusted_schema", "PRAGMA trusted_schema=ON", Outcome::kRefused,
       "PRAGMA trusted_schema = ON"},
      {"pragma_foreign_keys", "PRAGMA foreign_keys=OFF", Outcome::kRefused,
       "PRAGMA foreign_keys = OFF"},
      {"pragma_function_query_only", "SELECT * FROM pragma_query_only(0)", Outcome::kRefused,
       "not available here"},
      // Code loading.
      {"load_extension", "SELECT load_extension('$DIR/evil.so')", Outcome::kRefused,
       "load_extension()"},
      {"fts3_tokenizer", "SELECT fts3_tokenizer('simple')", Outcome::kRefused, "fts3_tokenizer()"},
      // Transactions.
      {"begin", "BEGIN IMMEDIATE", Outcome::kRefused, "BEGIN (transactions)"},
      {"savepoint", "SAVEPOINT s", Outcome::kRefused, "SAVEPOINT"},
      {"reindex", "REINDEX", Outcome::kRefused, "REINDEX"},
      {"analyze", "ANALYZE", Outcome::kRefused, "ANALYZE"},
      {"create_after_comment", "/* looks harmless */ -- still\n create table t(x)",
       Outcome::kRefused, "CREATE TABLE"},
      // More than one statement, or none.
      {"trailing_delete", "SELECT 1; DELETE FROM events", Outcome::kRefused,
       "more than one statement"},
      {"two_selects", "SELECT 1; SELECT 2", Outcome::kRefused, "more than one statement"},
      {"trailing_garbage", "SELECT 1; garbage", Outcome::kRefused, "more than one statement"},
      {"empty", "", Outcome::kRefused, "no SQL statement"},
      {"comment_only", "-- nothing to do", Outcome::kRefused, "no SQL statement"},
      // Runaway statements, stopped by the progress handler.
      {"runaway_recursive_cte", kRunaway, Outcome::kStopped, "time limit of 200 ms", quick},
      {"runaway_cross_join",
       "SELECT count(*) FROM events a, events b, events c, events d, events e, events f",
       Outcome::kStopped, "time limit of 200 ms", quick},
      {"runaway_in_view_join",
       "SELECT count(*) FROM event_details a, event_details b, event_details c, "
       "event_details d, event_details e",
       Outcome::kStopped, "time limit of 200 ms", quick},
      // Values and memory past the limits.
      {"randomblob_2gb", "SELECT randomblob(2000000000)", Outcome::kStopped,
       "longer than the limit of 16 MiB"},
      {"zeroblob_2gb", "SELECT zeroblob(2000000000)", Outcome::kStopped,
       "longer than the limit of 16 MiB"},
      {"hex_growth", "SELECT replace(hex(zeroblob(10000000)), '0', '00')", Outcome::kStopped,
       "longer than the limit of 16 MiB"},
      {"group_concat_growth",
       "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000) "
       "SELECT length(group_concat(printf('%.*c', 100000, 'x'))) FROM r",
       Outcome::kStopped,
       "longer than the limit of 16 MiB",
       {"--timeout", "60000"}},
      {"memory",
       "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000000) "
       "SELECT count(*) FROM (SELECT DISTINCT i FROM r)",
       Outcome::kStopped,
       "more memory than the limit of 8 MiB",
       {"--max-memory", "8", "--timeout", "60000"}},
      {"too_many_rows",
       "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
       "SELECT i FROM r",
       Outcome::kStopped,
       "more than 1000 rows",
       {"--max-rows", "1000", "--timeout", "60000"}},
      {"printf_huge_width", "SELECT printf('%2000000000d', 1)", Outcome::kNull, ""},
      {"printf_huge_precision", "SELECT printf('%.*f', 2000000000, 1.5)", Outcome::kNull, ""},
      {"printf_huge_left_width", "SELECT printf('%-2000000000s|', 'x')", Outcome::kNull, ""},
      // Statements too large to compile.
      {"statement_too_long", "SELECT 1" + std::string(200'000, ' '), Outcome::kRefused,
       "longer than the limit of 100000 bytes"},
      {"expression_too_deep", "SELECT 1" + Repeat(" + 1", 300), Outcome::kSqlError,
       "Expression tree is too large (maximum depth 200)"},
      {"parentheses_too_deep", "SELECT " + Repeat("(", 300) + "1" + Repeat(")", 300),
       Outcome::kSqlError, "parser stack overflow"},
      {"compound_too_long", CompoundSelect(150), Outcome::kSqlError,
       "too many terms in compound SELECT"},
      {"like_pattern_too_long", "SELECT 'a' LIKE printf('%.*c', 5000, 'x')", Outcome::kSqlError,
       "LIKE or GLOB pattern too complex"},
      // Broken statements and bad arguments.
      {"syntax_error", "SELEC 1", Outcome::kSqlError, "near \"SELEC\": syntax error"},
      {"no_such_table", "SELECT * FROM no_such_table", Outcome::kSqlError,
       "no such table: no_such_table"},
      {"no_such_function", "SELECT writefile('$DIR/x', 'y')", Outcome::kSqlError,
       "no such function: writefile"},
      {"positions_bad_date", "SELECT * FROM positions_as_of('2026-02-30')", Outcome::kSqlError,
       "positions_as_of: as-of date"},
      {"positions_no_date", "SELECT * FROM positions_as_of", Outcome::kSqlError,
       "positions_as_of: expected an as-of date"},
      {"money_sum_overflow",
       "SELECT money_sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)",
       Outcome::kSqlError, "money_sum: the sum overflows 64-bit minor units"},
      {"money_real", "SELECT money(1.5, 'USD')", Outcome::kSqlError,
       "money: expected integer minor units"},
  };
}

// gtest prints a parameter with this (its name) in failure messages.
void PrintTo(const Hostile& h, std::ostream* os) { *os << h.name; }

std::string Expand(std::string s, const std::string& dir) {
  for (std::size_t pos = 0; (pos = s.find("$DIR", pos)) != std::string::npos;) {
    s.replace(pos, 4, dir);
  }
  return s;
}

// What is in the ledger's directory: the ledger and SQLite's side files only.
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name != "ledger.db-wal" && name != "ledger.db-shm") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class HostileSql : public testing::TestWithParam<Hostile> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    test::MakeFixtureLedger(dir_->File("ledger.db"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static test::TempDir* dir_;
};
test::TempDir* HostileSql::dir_ = nullptr;

TEST_P(HostileSql, IsRefusedOrStoppedAndTheLedgerIsUnchanged) {
  const Hostile& h = GetParam();
  const std::string ledger = dir_->File("ledger.db");
  const std::string dir = fs::path(ledger).parent_path().string();
  const std::string sql = Expand(h.sql, dir);
  const std::string before = test::ReadBytes(ledger);

  std::vector<std::string> args = {"sql"};
  args.insert(args.end(), h.extra.begin(), h.extra.end());
  args.push_back(sql);
  const test::CliOutcome got = test::RunCli(ledger, args);

  if (h.outcome == Outcome::kNull) {
    EXPECT_EQ(got.code, 0) << got.err;
    EXPECT_EQ(got.err, "");
    // The one value is NULL (an empty cell) instead of a 2 GB string.
    EXPECT_EQ(got.out.substr(got.out.find('\n') + 1), "\n");
  } else {
    EXPECT_EQ(got.code, 2) << got.err;
    EXPECT_EQ(got.out, "");
    const std::string prefix = h.outcome == Outcome::kRefused   ? "dealtrail sql: refused: "
                               : h.outcome == Outcome::kStopped ? "dealtrail sql: stopped: "
                                                                : "dealtrail sql: ";
    EXPECT_EQ(got.err.rfind(prefix, 0), 0u) << got.err;
    EXPECT_NE(got.err.find(h.message), std::string::npos) << got.err;
    EXPECT_EQ(std::count(got.err.begin(), got.err.end(), '\n'), 1) << got.err;
    if (h.outcome == Outcome::kSqlError) {
      EXPECT_EQ(got.err.find("refused:"), std::string::npos) << got.err;
      EXPECT_EQ(got.err.find("stopped:"), std::string::npos) << got.err;
    }
  }
  EXPECT_TRUE(test::ReadBytes(ledger) == before) << "the ledger file changed";
  EXPECT_EQ(Entries(dir), std::vector<std::string>{"ledger.db"});
}

// The library call behind the command says the same, as a Status.
TEST_P(HostileSql, TheRunnerGivesTheSameAnswer) {
  const Hostile& h = GetParam();
  const std::string ledger = dir_->File("ledger.db");
  const std::string sql = Expand(h.sql, fs::path(ledger).parent_path().string());
  SqlOptions options;
  for (std::size_t i = 0; i + 1 < h.extra.size(); i += 2) {
    const std::int64_t v = std::stoll(h.extra[i + 1]);
    if (h.extra[i] == "--timeout") options.limits.timeout = std::chrono::milliseconds(v);
    if (h.extra[i] == "--max-rows") options.limits.max_rows = v;
    if (h.extra[i] == "--max-memory") options.limits.max_memory_bytes = v << 20;
  }
  const std::string before = test::ReadBytes(ledger);
  auto result = RunReadOnlySql(ledger, sql, options);
  if (h.outcome == Outcome::kNull) {
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_EQ(result->rows.size(), 1u);
    EXPECT_EQ(result->rows[0][0].type, SqlType::kNull);
  } else {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(result.status().message().find(h.message), std::string::npos)
        << result.status().message();
  }
  EXPECT_TRUE(test::ReadBytes(ledger) == before) << "the ledger file changed";
}

TEST(HostileSqlCatalogue, HasAtLeastThirtyCasesCoveringTheIssue) {
  const auto catalogue = Catalogue();
  EXPECT_GE(catalogue.size(), 30u);
  for (const char* named :
       {"create_table", "insert", "update", "delete", "attach_file", "pragma_query_only_off",
        "pragma_writable_schema", "vacuum_into", "load_extension", "runaway_recursive_cte",
        "randomblob_2gb", "printf_huge_width", "syntax_error"}) {
    EXPECT_TRUE(std::any_of(catalogue.begin(), catalogue.end(), [&](const Hostile& h) {
      return std::string(h.name) == named;
    })) << named;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, HostileSql, testing::ValuesIn(Catalogue()),
                         [](const testing::TestParamInfo<Hostile>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace dealtrail
