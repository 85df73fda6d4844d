// The golden case file format (docs/testing.md): parsing and rendering.
#ifndef DEALTRAIL_TESTS_CLI_GOLDEN_CASE_H_
#define DEALTRAIL_TESTS_CLI_GOLDEN_CASE_H_

#include <string>
#include <utility>
#include <vector>

#include "dealtrail/status.h"

namespace dealtrail::golden {

// Every case runs with this clock.
inline constexpr const char* kFixedNow = "2026-03-15T12:00:00Z";

struct Outcome {
  std::string out;
  std::string err;
  int code = 0;
};

struct Step {
  std::string text;                // the command line as written after "$ "
  std::vector<std::string> words;  // split like a shell; "dealtrail" dropped
  std::string input;               // standard input ("<<<" lines)
  Outcome expected;
  int line = 0;
};

struct Case {
  std::string header;              // everything before the first command, kept verbatim
  std::string ledger = "fixture";  // fixture | empty | none
  std::vector<std::pair<std::string, std::string>> files;  // name -> content
  std::vector<Step> steps;
};

Result<Case> ParseCase(const std::string& text);
// The case with `actual` outcomes in place of the expected ones.
std::string Render(const Case& c, const std::vector<Outcome>& actual);

}  // namespace dealtrail::golden

#endif  // DEALTRAIL_TESTS_CLI_GOLDEN_CASE_H_
