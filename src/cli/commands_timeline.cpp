// The timeline command(s); see commands.h.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace dealtrail::cli {

void AddTimelineCommands(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace dealtrail::cli
