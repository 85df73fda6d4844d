// The dealtrail executable: forwards to cli::Run.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/run.h"

int main(int argc, char** argv) {
  try {
    dealtrail::cli::Environment env;
    if (const char* ledger = std::getenv("DEALTRAIL_LEDGER")) env.vars["DEALTRAIL_LEDGER"] = ledger;
    env.in = &std::cin;
    env.stderr_is_terminal = isatty(STDERR_FILENO) != 0;
    env.stdin_is_terminal = isatty(STDIN_FILENO) != 0;
    std::ios::sync_with_stdio(false);
    const int code = dealtrail::cli::Run({argv + 1, argv + argc}, std::cout, std::cerr, env);
    std::cout.flush();
    return code;
  } catch (const std::exception& e) {
    std::cerr << "dealtrail: internal error: " << e.what() << "\n";
    return 1;
  }
}
