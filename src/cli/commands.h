// What the command implementations share: the run context (streams, clock,
// ledger path, exit code) and the functions that register each group of
// subcommands on the CLI11 app.
#ifndef DEALTRAIL_SRC_CLI_COMMANDS_H_
#define DEALTRAIL_SRC_CLI_COMMANDS_H_

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/positions_format.h"
#include "cli/run.h"
#include "dealtrail/ledger.h"

namespace CLI {
class App;
}  // namespace CLI

namespace dealtrail::cli {

// Names the flag or argument that carries an event field ("amount" ->
// "--amount"), for error messages of commands that build events from flags.
using FlagNamer = std::function<std::string(std::string_view field)>;

struct Context {
  std::ostream& out;
  std::ostream& err;
  const Environment& env;
  std::string ledger_path;
  std::string command;  // "record", "import", … for error messages
  int code = kExitOk;

  // Prints one line for `s` and sets the exit code. With a `namer`, a field
  // name is shown as the flag or argument that carries it ("--amount").
  int Fail(const Status& s, const FlagNamer& namer = nullptr);
  // Opens the ledger, or reports why not and returns nothing.
  std::optional<Ledger> Open(bool read_only);
};

int ExitCodeFor(const Status& s);
// "amount" -> "--amount", "commitment_kind" -> "--kind".
std::string FlagFor(std::string_view field);
// Party id -> display name, for output.
Result<Names> LoadNames(const Ledger& ledger);

// Flag values shared by replay, timeline and diff, with errors naming the
// flag. An empty text (the flag not given) is std::nullopt.
Result<std::optional<date::sys_days>> ParseDayFlag(const std::string& flag,
                                                   const std::string& text);
Result<std::optional<Timestamp>> ParseTimeFlag(const std::string& flag, const std::string& text);
// --min-certainty: a certainty level by name.
Result<Certainty> ParseCertaintyFlag(const std::string& text);

// Which commands to build: every one, or only the one the command line
// names, so a short command does not spend its start building the others'
// options.
class Wanted {
 public:
  explicit Wanted(std::string_view only = {}) : only_(only) {}
  bool operator()(std::string_view command) const { return only_.empty() || command == only_; }

 private:
  std::string_view only_;
};

// init, party add, party alias, record, import, checkpoint.
void AddWriteCommands(CLI::App& app, Context& ctx, const Wanted& wanted);
// party list, export, replay, verify, backup.
void AddReadCommands(CLI::App& app, Context& ctx, const Wanted& wanted);
// timeline, diff (commands_timeline.cpp).
void AddTimelineCommands(CLI::App& app, Context& ctx, const Wanted& wanted);
// sql (commands_sql.cpp).
void AddSqlCommands(CLI::App& app, Context& ctx, const Wanted& wanted);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_COMMANDS_H_
