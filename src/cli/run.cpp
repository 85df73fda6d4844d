// The command line: argument parsing (CLI11), dispatch, and the mapping of
// Status values to one-line errors and exit codes. Output formats live in
// their own files; everything else is the library's.
#include "cli/run.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <optional>

#include "cli/commands.h"

namespace dealtrail::cli {

int ExitCodeFor(const Status& s) {
  if (s.ok()) return kExitOk;
  if (s.code() == StatusCode::kVersionMismatch) return kExitVersion;
  return s.IsBadInput() ? kExitBadInput : kExitFailure;
}

std::string FlagFor(std::string_view field) {
  if (field.empty() || field.front() == '-') return std::string(field);
  if (field == "commitment_kind" || field == "party_kind") return "--kind";
  if (field == "aliases") return "--alias";
  if (field == "kind") return "KIND";
  std::string flag = "--" + std::string(field);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

int Context::Fail(const Status& s, const FlagNamer& namer) {
  Status shown = s;
  if (namer && s.where().empty() && !s.field().empty()) {
    shown = Status(s.code(), namer(s.field()), s.message());
  }
  if (shown.where().empty()) {
    err << "dealtrail " << command << ": " << shown.ToString() << "\n";
  } else {
    err << shown.ToString() << "\n";
  }
  code = ExitCodeFor(s);
  return code;
}

Result<std::optional<date::sys_days>> ParseDayFlag(const std::string& flag,
                                                   const std::string& text) {
  if (text.empty()) return std::optional<date::sys_days>();
  auto d = ParseDay(text);
  if (!d.ok()) return d.status().For(flag);
  return std::optional(*d);
}

Result<std::optional<Timestamp>> ParseTimeFlag(const std::string& flag, const std::string& text) {
  if (text.empty()) return std::optional<Timestamp>();
  auto t = ParseTimestamp(text);
  if (!t.ok()) return t.status().For(flag);
  return std::optional(*t);
}

Result<Certainty> ParseCertaintyFlag(const std::string& text) {
  auto level = CertaintyFromName(text);
  if (!level) {
    return Status::Invalid(
        "--min-certainty",
        "expected rumored, reported, announced, signed or closed; got '" + text + "'");
  }
  return *level;
}

std::optional<Ledger> Context::Open(bool read_only) {
  auto ledger = Ledger::Open(ledger_path, env.clock, read_only);
  if (!ledger.ok()) {
    Fail(ledger.status());
    return std::nullopt;
  }
  return std::move(ledger).value();
}

std::string_view NamedCommand(const std::vector<std::string>& args) {
  static constexpr std::string_view kCommands[] = {"init",       "party",    "record", "import",
                                                   "checkpoint", "export",   "replay", "verify",
                                                   "backup",     "timeline", "diff",   "sql"};
  std::size_t i = 0;
  while (i < args.size()) {
    if (args[i] == "--ledger") {
      i += 2;
    } else if (args[i].starts_with("--ledger=")) {
      i += 1;
    } else {
      break;
    }
  }
  if (i >= args.size()) return {};
  for (std::string_view command : kCommands) {
    if (args[i] == command) return command;
  }
  return {};
}

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Environment& env) {
  CLI::App app{
      "dealtrail: an append-only ledger of dated commitments between companies, replayable to "
      "any date and as known at any time.",
      "dealtrail"};
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx{out, err, env, "", "", kExitOk};
  auto it = env.vars.find("DEALTRAIL_LEDGER");
  ctx.ledger_path = it != env.vars.end() && !it->second.empty() ? it->second : "dealtrail.db";
  app.add_option("--ledger", ctx.ledger_path,
                 "ledger file (default: $DEALTRAIL_LEDGER, else ./dealtrail.db)");

  const Wanted wanted(NamedCommand(args));
  AddWriteCommands(app, ctx, wanted);
  AddReadCommands(app, ctx, wanted);
  AddTimelineCommands(app, ctx, wanted);
  AddSqlCommands(app, ctx, wanted);

  std::vector<const char*> argv = {"dealtrail"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    err << "dealtrail: " << what << " (see dealtrail --help)\n";
    return kExitBadInput;
  }
  return ctx.code;
}

}  // namespace dealtrail::cli
