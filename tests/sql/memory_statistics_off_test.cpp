// A process that turns SQLite's memory statistics off, as `dealtrail` does for
// every command but `sql`: the ledger still imports, replays and verifies, and
// RunReadOnlySql, whose memory limit needs the statistics, runs nothing and
// says why. An executable of its own: the setting holds for the whole process
// and only before SQLite starts, so this is its one test.
#include <gtest/gtest.h>

#include "dealtrail/sql.h"
#include "sql_test_support.h"

namespace dealtrail {
namespace {

TEST(MemoryStatisticsOff, LedgersWorkAndSqlRefusesWithoutItsMemoryLimit) {
  ASSERT_TRUE(TurnOffSqliteMemoryStatistics()) << "SQLite started before the test";
  test::TempDir dir;
  const std::string ledger = dir.File("ledger.db");
  test::MakeFixtureLedger(ledger);
  EXPECT_FALSE(TurnOffSqliteMemoryStatistics()) << "SQLite takes the setting only before it starts";

  const auto replay = test::RunCli(ledger, {"replay", "--as-of", "2026-03-01"});
  EXPECT_EQ(replay.code, 0) << replay.err;
  EXPECT_NE(replay.out.find("OpenAI"), std::string::npos) << replay.out;
  const auto verify = test::RunCli(ledger, {"verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;

  const std::string before = test::ReadBytes(ledger);
  const auto sql = RunReadOnlySql(ledger, "SELECT count(*) FROM events");
  ASSERT_FALSE(sql.ok());
  EXPECT_EQ(sql.status().code(), StatusCode::kInternal);
  EXPECT_NE(sql.status().message().find("memory statistics are off"), std::string::npos)
      << sql.status().message();
  EXPECT_EQ(test::ReadBytes(ledger), before);
}

}  // namespace
}  // namespace dealtrail
