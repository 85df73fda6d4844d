// The dealtrail command line as a function, so tests run it in-process with
// a fixed clock and captured streams. main() only forwards to it.
#ifndef DEALTRAIL_SRC_CLI_RUN_H_
#define DEALTRAIL_SRC_CLI_RUN_H_

#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dealtrail/time.h"

namespace dealtrail::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // I/O, damaged ledger, verify found problems
inline constexpr int kExitBadInput = 2;  // the user's input: a flag, a file, a name
inline constexpr int kExitVersion = 4;   // --expect-version: the commitment moved on

struct Environment {
  Clock clock = SystemClock();
  std::map<std::string, std::string> vars;  // DEALTRAIL_LEDGER, …
  std::istream* in = nullptr;               // for "import -"
  bool stderr_is_terminal = false;          // progress reports only on a terminal
  bool stdin_is_terminal = false;           // "import -" typed by hand: no reading ahead
};

// The command `args` names after the global --ledger option, if it is one of
// dealtrail's ("record", "sql", …); empty otherwise (help, a typo), and then
// Run builds every command so that help and errors read as they always do.
std::string_view NamedCommand(const std::vector<std::string>& args);

// Runs one command. `args` excludes the program name.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Environment& env);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_RUN_H_
