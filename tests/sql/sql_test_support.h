// Shared by the SQL tests: a fixture ledger in a temporary directory, and
// `dealtrail …` run in-process with a fixed clock.
#ifndef DEALTRAIL_TESTS_SQL_SQL_TEST_SUPPORT_H_
#define DEALTRAIL_TESTS_SQL_SQL_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "test_support.h"

namespace dealtrail::test {

// The clock every in-process command here runs with (as the golden cases).
inline constexpr const char* kSqlTestNow = "2026-03-15T12:00:00Z";

struct CliOutcome {
  int code = 0;
  std::string out;
  std::string err;
};

// Runs `dealtrail --ledger <ledger> <args…>` in-process.
CliOutcome RunCli(const std::string& ledger, const std::vector<std::string>& args,
                  const std::string& input = "");

// Creates a ledger at `path` holding fixtures/nvidia-openai.jsonl; fails the
// calling test on error.
void MakeFixtureLedger(const std::string& path);

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_SQL_SQL_TEST_SUPPORT_H_
