// Helpers for the timeline tests: a ledger holding the reference fixture,
// a timeline built the way the command builds it, and running the CLI
// in-process with the golden cases' fixed clock.
#ifndef DEALTRAIL_TESTS_TIMELINE_TIMELINE_SUPPORT_H_
#define DEALTRAIL_TESTS_TIMELINE_TIMELINE_SUPPORT_H_

#include <string>
#include <unordered_set>
#include <vector>

#include "dealtrail/ledger.h"
#include "dealtrail/timeline.h"
#include "test_support.h"

namespace dealtrail::test {

inline const char* kGoldenNow = "2026-03-15T12:00:00Z";

// A new ledger at `path` with the reference fixture imported.
Result<Ledger> FixtureLedger(const std::string& path);

// The timeline of `query` (its filters pick the rows; every event in view
// gives the running totals), as `dealtrail timeline` builds it.
Result<Timeline> BuildTimeline(const Ledger& ledger, const TimelineQuery& query,
                               const TimelineOptions& options);

struct CliResult {
  int code = 0;
  std::string out;
  std::string err;
};
// Runs `dealtrail ARGS` on the ledger at `ledger_path` with the fixed clock.
CliResult RunCli(const std::string& ledger_path, const std::vector<std::string>& args);

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_TIMELINE_TIMELINE_SUPPORT_H_
