// `dealtrail sql` and RunReadOnlySql on ordinary statements: output formats
// and SQLite's types, what reads are allowed, the row limit, reading the
// statement from standard input, files that are not ledgers, and ledgers of
// the older schema (migrated so the views exist).
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "dealtrail/ledger.h"
#include "dealtrail/sql.h"
#include "sql_test_support.h"
#include "storage/schema.h"

namespace dealtrail {
namespace {

class SqlCommand : public testing::Test {
 protected:
  void SetUp() override { test::MakeFixtureLedger(ledger_); }
  test::CliOutcome Sql(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> all = {"sql"};
    all.insert(all.end(), args.begin(), args.end());
    return test::RunCli(ledger_, all, input);
  }
  test::TempDir dir_;
  std::string ledger_ = dir_.File("ledger.db");
};

TEST_F(SqlCommand, PrintsAnAlignedTable) {
  const auto got =
      Sql({"SELECT seq, kind, amount FROM event_details WHERE seq BETWEEN 3 AND 5 ORDER BY seq"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out,
            "seq  kind        amount\n"
            "3    round-open\n"
            "4    open        about 100000000.00 USD\n"
            "5    fund        about 100000000.00 USD\n");
}

TEST_F(SqlCommand, JsonKeepsSqliteTypes) {
  const auto got = Sql(
      {"SELECT 1 AS i, 0.5 AS r, 'x' AS t, NULL AS n, x'00ff' AS b, 2 AS i", "--format", "json"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out,
            "[\n  {\n    \"i\": 1,\n    \"r\": 0.5,\n    \"t\": \"x\",\n    \"n\": null,\n"
            "    \"b\": \"00FF\",\n    \"i:2\": 2\n  }\n]\n");
}

TEST_F(SqlCommand, JsonOfNoRowsIsAnEmptyArray) {
  const auto got = Sql({"SELECT * FROM events WHERE 0", "--format", "json"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "[]\n");
}

TEST_F(SqlCommand, CsvQuotesWhatNeedsQuoting) {
  const auto got =
      Sql({"SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, 1.0e20 AS w", "--format", "csv"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "x,y,z,w\n\"a,b\",\"say \"\"hi\"\"\",,1.0e+20\n");
}

TEST_F(SqlCommand, TableCellsCannotMoveTheCursor) {
  const auto got = Sql({"SELECT 'a' || char(10) || 'b' || char(27) || '[2J' AS x"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "x\na\\nb\\x1b[2J\n");
}

TEST_F(SqlCommand, ArabicNamesAreIsolatedInTables) {
  const auto got =
      Sql({"SELECT alias FROM party_aliases WHERE party_id = 'amazon' AND "
           "alias NOT GLOB '*[A-Za-z]*'"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out,
            "alias\n\xE2\x81\xA8\xD8\xA3\xD9\x85\xD8\xA7\xD8\xB2\xD9\x88\xD9\x86\xE2\x81\xA9\n");
}

TEST_F(SqlCommand, ReadsTheStatementFromStandardInput) {
  const auto got = Sql({"-", "--format", "csv"}, "SELECT count(*) AS n FROM events;\n");
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "n\n25\n");
}

TEST_F(SqlCommand, AllowsPragmasThatOnlyRead) {
  for (const char* sql :
       {"PRAGMA table_info(events)", "PRAGMA integrity_check", "PRAGMA user_version",
        "PRAGMA main.index_list(events)", "SELECT * FROM pragma_table_info('parties')",
        "SELECT * FROM pragma_foreign_key_check"}) {
    const auto got = Sql({sql});
    EXPECT_EQ(got.code, 0) << sql << ": " << got.err;
  }
  EXPECT_EQ(Sql({"PRAGMA user_version", "--format", "csv"}).out,
            "user_version\n" + std::to_string(CurrentSchemaVersion()) + "\n");
}

TEST_F(SqlCommand, AllowsJsonTableFunctions) {
  const auto got =
      Sql({"SELECT count(*) AS n FROM event_details, json_each(aliases)", "--format", "csv"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "n\n11\n");
}

TEST_F(SqlCommand, ExplainAndRecursiveQueriesAreReads) {
  EXPECT_EQ(Sql({"EXPLAIN QUERY PLAN SELECT * FROM events WHERE seq = 1"}).code, 0);
  const auto got =
      Sql({"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
           "WHERE i < 5) SELECT sum(i) AS s FROM r",
           "--format", "csv"});
  EXPECT_EQ(got.out, "s\n15\n");
}

TEST_F(SqlCommand, RowLimitCountsRows) {
  const std::string three = "SELECT seq FROM events WHERE seq <= 3";
  EXPECT_EQ(Sql({three, "--max-rows", "3", "--format", "csv"}).out, "seq\n1\n2\n3\n");
  const auto got = Sql({three, "--max-rows", "2"});
  EXPECT_EQ(got.code, 2);
  EXPECT_EQ(got.out, "");
  EXPECT_EQ(got.err,
            "dealtrail sql: stopped: the result has more than 2 rows (add a LIMIT, or raise the "
            "row limit)\n");
}

TEST_F(SqlCommand, BadFlagsAreRefused) {
  EXPECT_EQ(Sql({"SELECT 1", "--timeout", "0"}).code, 2);
  EXPECT_EQ(Sql({"SELECT 1", "--format", "xml"}).code, 2);
  EXPECT_EQ(Sql({}).code, 2);
}

TEST_F(SqlCommand, TheMemoryLimitIsRestoredAfterTheCall) {
  const sqlite3_int64 before = sqlite3_hard_heap_limit64(-1);
  EXPECT_EQ(Sql({"SELECT 1", "--max-memory", "64"}).code, 0);
  EXPECT_EQ(sqlite3_hard_heap_limit64(-1), before);
}

TEST(SqlFiles, AMissingLedgerIsAnIoError) {
  test::TempDir dir;
  const auto got = test::RunCli(dir.File("none.db"), {"sql", "SELECT 1"});
  EXPECT_EQ(got.code, 1);
  EXPECT_NE(got.err.find("no ledger here"), std::string::npos) << got.err;
}

TEST(SqlFiles, AnotherSqliteDatabaseIsNotALedger) {
  test::TempDir dir;
  {
    SQLite::Database(dir.File("other.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
        .exec("CREATE TABLE t(x)");
  }
  const std::string before = test::ReadBytes(dir.File("other.db"));
  const auto got = test::RunCli(dir.File("other.db"), {"sql", "SELECT * FROM t"});
  EXPECT_EQ(got.code, 1);
  EXPECT_NE(got.err.find("not a dealtrail ledger"), std::string::npos) << got.err;
  EXPECT_TRUE(test::ReadBytes(dir.File("other.db")) == before);
}

// A ledger of schema version 1 (the tables without the views, the replay
// checkpoints or the party indexes): what a ledger written before
// 0002_views.sql looks like.
void DowngradeToVersion1(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(
      "DROP VIEW round_participants; DROP VIEW current_rounds; DROP VIEW timeline; "
      "DROP VIEW current_commitments; DROP VIEW event_details; DROP TABLE iso_currencies; "
      "DROP TABLE replay_checkpoints; DROP INDEX events_by_from; DROP INDEX events_by_to; "
      "DROP INDEX events_by_party; DROP INDEX party_aliases_by_party; PRAGMA user_version = 1");
}

// Opens the fixture ledger at `path` for writing, which migrates it, and
// checks that it verifies at the current version with its 25 events.
void ExpectAWriterMigratesIt(const std::string& path) {
  auto opened = Ledger::Open(path, SystemClock(), /*read_only=*/false);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto report = opened->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->schema_version, CurrentSchemaVersion());
  EXPECT_EQ(report->events, 25);
}

TEST(SqlMigration, SqlMigratesAnOlderLedgerSoTheViewsExist) {
  test::TempDir dir;
  const std::string ledger = dir.File("ledger.db");
  test::MakeFixtureLedger(ledger);
  DowngradeToVersion1(ledger);
  const auto got = test::RunCli(
      ledger, {"sql", "SELECT count(*) AS n FROM current_commitments", "--format", "csv"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out, "n\n7\n");
  const auto verify = test::RunCli(ledger, {"verify"});
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("schema version  " + std::to_string(CurrentSchemaVersion())),
            std::string::npos);
}

TEST(SqlMigration, OpeningForWritingMigratesAndKeepsTheChain) {
  test::TempDir dir;
  const std::string ledger = dir.File("ledger.db");
  test::MakeFixtureLedger(ledger);
  DowngradeToVersion1(ledger);
  ExpectAWriterMigratesIt(ledger);
  SQLite::Database db(ledger, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'view'").getInt(), 5);
}

// Version 4 indexed the opening events by party under `kind = 'open'`,
// which a foreign-key look cannot use, and had no index of party_id: a
// writer brings it to the current version, the same rows indexed.
TEST(SqlMigration, AVersion4LedgerGetsIndexesEveryPartyLookCanUse) {
  test::TempDir dir;
  const std::string ledger = dir.File("ledger.db");
  test::MakeFixtureLedger(ledger);
  {
    SQLite::Database db(ledger, SQLite::OPEN_READWRITE);
    db.exec(
        "DROP INDEX events_by_party; DROP INDEX party_aliases_by_party; "
        "DROP INDEX events_by_from; DROP INDEX events_by_to; "
        "CREATE INDEX events_by_from ON events (from_party, to_party) WHERE kind = 'open'; "
        "CREATE INDEX events_by_to ON events (to_party) WHERE kind = 'open'; "
        "PRAGMA user_version = 4");
  }
  ExpectAWriterMigratesIt(ledger);
  SQLite::Database db(ledger, SQLite::OPEN_READONLY);
  auto sql_of = [&](const char* name) {
    SQLite::Statement q(db, "SELECT sql FROM sqlite_schema WHERE name = ?");
    q.bind(1, name);
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(none)");
  };
  EXPECT_NE(sql_of("events_by_from").find("WHERE from_party IS NOT NULL"), std::string::npos);
  EXPECT_NE(sql_of("events_by_to").find("WHERE to_party IS NOT NULL"), std::string::npos);
  EXPECT_NE(sql_of("events_by_party").find("(party_id)"), std::string::npos);
  EXPECT_NE(sql_of("party_aliases_by_party").find("(party_id)"), std::string::npos);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_from "
                          "WHERE from_party > ''")
                .getInt(),
            db.execAndGet("SELECT count(*) FROM events WHERE kind = 'open'").getInt());
}

TEST(SqlMigration, SchemaFilesRunInOrderOnAnEmptyDatabase) {
  test::TempDir dir;
  SQLite::Database db(dir.File("plain.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const storage::Migration& m : storage::Migrations()) {
    db.exec(m.sql);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), m.version) << m.name;
  }
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM current_commitments").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM timeline").getInt(), 0);
}

}  // namespace
}  // namespace dealtrail
