// The dealtrail executable: forwards to cli::Run.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/heap.h"
#include "cli/run.h"
#include "dealtrail/sql.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::string_view command = dealtrail::cli::NamedCommand(args);
  dealtrail::cli::PrepareHeap(command);
  // Every command but `sql`, whose memory limit needs them, runs without
  // SQLite's memory statistics: one process-wide mutex fewer per allocation.
  if (command != "sql") dealtrail::TurnOffSqliteMemoryStatistics();
  try {
    dealtrail::cli::Environment env;
    if (const char* ledger = std::getenv("DEALTRAIL_LEDGER")) env.vars["DEALTRAIL_LEDGER"] = ledger;
    env.in = &std::cin;
    env.stderr_is_terminal = isatty(STDERR_FILENO) != 0;
    env.stdin_is_terminal = isatty(STDIN_FILENO) != 0;
    std::ios::sync_with_stdio(false);
    const int code = dealtrail::cli::Run(args, std::cout, std::cerr, env);
    std::cout.flush();
    return code;
  } catch (const std::exception& e) {
    std::cerr << "dealtrail: internal error: " << e.what() << "\n";
    return 1;
  }
}
