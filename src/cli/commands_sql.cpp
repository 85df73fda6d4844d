// The sql command(s); see commands.h.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace dealtrail::cli {

void AddSqlCommands(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace dealtrail::cli
