// In-process CLI runs and the fixture ledger for the SQL tests.
#include "sql_test_support.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/run.h"

namespace dealtrail::test {

CliOutcome RunCli(const std::string& ledger, const std::vector<std::string>& args,
                  const std::string& input) {
  cli::Environment env;
  env.clock = FixedClock(At(kSqlTestNow));
  std::istringstream in(input);
  env.in = &in;
  std::vector<std::string> all = {"--ledger", ledger};
  all.insert(all.end(), args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::Run(all, out, err, env);
  return {code, out.str(), err.str()};
}

void MakeFixtureLedger(const std::string& path) {
  const CliOutcome init = RunCli(path, {"init"});
  ASSERT_EQ(init.code, 0) << init.err;
  const CliOutcome import = RunCli(path, {"import", FixturePath()});
  ASSERT_EQ(import.code, 0) << import.err;
}

}  // namespace dealtrail::test
