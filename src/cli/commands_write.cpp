// Commands that write: init, party add, party alias, record, import. Flags
// are gathered into a RawEvent so the command line accepts exactly what an
// import file does, with the same checks and messages.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "dealtrail/reader.h"

namespace dealtrail::cli {
namespace {

// A flag, the event field it sets, and its help text.
struct Flag {
  std::string flag;
  std::string field;
  std::string help;
};

// The flags every appending command takes.
const std::vector<Flag> kCommonFlags = {
    {"--id", "id",
     "the event's id (default: derived from its content, so recording it again is a no-op)"},
    {"--date", "date", "when it happened: 2025-09-22, 2025-09, 2025-Q3 or 2025"},
    {"--certainty", "certainty", "rumored, reported, announced, signed or closed"},
    {"--source", "source", "who reported it"},
    {"--url", "url", "where the report is"},
    {"--published", "published", "the day the report was published"},
    {"--note", "note", "free text"},
};

// The flags `record` takes besides the common ones.
const std::vector<Flag> kRecordFlags = {
    {"--commitment", "commitment", "the commitment's id"},
    {"--kind", "commitment_kind", "open: pledge, equity, debt, grant or purchase"},
    {"--from", "from", "open: the party that commits (id or any alias)"},
    {"--to", "to", "open: the party that receives"},
    {"--amount", "amount",
     "'up to $100B', 'more than 100B USD', 'about $830B', '$2.75bn', '€500M'"},
    {"--conditional", "conditional", "open/revise: the part of the amount waiting on a condition"},
    {"--round", "round", "the round's id"},
    {"--terms", "terms", "the terms, as reported"},
    {"--by", "by", "supersede: the commitment that replaces this one"},
    {"--party", "party", "round-open: the raiser; valuation: the company valued"},
    {"--target", "target", "round-open/round-revise: the amount sought"},
    {"--pre-money", "pre_money", "round: the valuation before the money"},
    {"--post-money", "post_money", "round: the valuation after the money"},
    {"--basis", "basis", "valuation: pre or post (money)"},
    {"--retracts", "retracts", "retract: the id of the event recorded in error"},
};

std::string Today(const Context& ctx) {
  return FormatDay(date::floor<date::days>(ctx.env.clock()));
}

// Field names as `party add ID --name … --alias …` and `party alias PARTY
// ALIAS…` spell them.
std::string PartyAddFlag(std::string_view field) {
  if (field == "party") return "ID";
  return FlagFor(field);
}
std::string PartyAliasFlag(std::string_view field) {
  if (field == "party") return "PARTY";
  if (field == "aliases") return "ALIAS";
  return FlagFor(field);
}

void PrintAppended(Context& ctx, const AppendResult& r, const std::string& what) {
  if (r.already_present) {
    ctx.out << "already recorded as event " << r.seq << " (id " << r.id << "); nothing written\n";
  } else {
    ctx.out << "recorded event " << r.seq << ": " << what << " (id " << r.id << ")\n";
  }
  ctx.out << "hash " << r.hash << "\n";
}

// Turns the given flags into an event and appends it.
void AppendFromFlags(Context& ctx, const RawEvent& raw, const AppendOptions& options,
                     const std::string& what, const FlagNamer& namer = FlagFor) {
  auto event = EventFromRaw(raw);
  if (!event.ok()) {
    ctx.Fail(event.status(), namer);
    return;
  }
  auto ledger = ctx.Open(false);
  if (!ledger) return;
  auto appended = ledger->Append(std::move(event).value(), options);
  if (!appended.ok()) {
    ctx.Fail(appended.status(), namer);
    return;
  }
  PrintAppended(ctx, *appended, what);
}

struct FlagValues {
  std::map<std::string, std::string> values;  // field -> value
  void Register(CLI::App* cmd, const std::vector<Flag>& flags) {
    for (const Flag& f : flags) cmd->add_option(f.flag, values[f.field], f.help);
  }
  void AddTo(RawEvent& raw) const {
    for (const auto& [field, value] : values) {
      if (!value.empty()) raw.fields.emplace_back(field, value);
    }
  }
};

void AddInit(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("init", "create a new, empty ledger file");
  cmd->callback([&ctx] {
    ctx.command = "init";
    auto ledger = Ledger::Create(ctx.ledger_path, ctx.env.clock);
    if (!ledger.ok()) {
      ctx.Fail(ledger.status());
      return;
    }
    ctx.out << "created ledger " << ctx.ledger_path << " (schema version " << CurrentSchemaVersion()
            << ")\n";
  });
}

void AddParty(CLI::App& app, Context& ctx) {
  CLI::App* party = app.add_subcommand("party", "reference data: parties and their aliases");
  party->require_subcommand(1);

  struct AddArgs {
    std::string id;
    std::string name;
    std::string kind;
    std::vector<std::string> aliases;
    FlagValues common;
  };
  auto add_args = std::make_shared<AddArgs>();
  CLI::App* add = party->add_subcommand("add", "add a party: an id, a display name, aliases");
  add->add_option("ID", add_args->id, "short id: lower-case letters, digits, . _ -")->required();
  add->add_option("--name", add_args->name, "display name, in any script")->required();
  add->add_option("--kind", add_args->kind, "company (default), fund, person or state");
  add->add_option("--alias", add_args->aliases, "another name (repeatable)");
  add_args->common.Register(add, kCommonFlags);
  add->callback([&ctx, add_args] {
    ctx.command = "party add";
    RawEvent raw;
    raw.fields = {{"kind", "party-add"}, {"party", add_args->id}, {"name", add_args->name}};
    if (!add_args->kind.empty()) raw.fields.emplace_back("party_kind", add_args->kind);
    if (!add_args->aliases.empty()) raw.aliases = add_args->aliases;
    if (add_args->common.values["date"].empty()) add_args->common.values["date"] = Today(ctx);
    add_args->common.AddTo(raw);
    AppendFromFlags(ctx, raw, {}, "party " + add_args->id, PartyAddFlag);
  });

  struct AliasArgs {
    std::string party;
    std::vector<std::string> aliases;
    FlagValues common;
  };
  auto alias_args = std::make_shared<AliasArgs>();
  CLI::App* alias = party->add_subcommand("alias", "give a party more names");
  alias->add_option("PARTY", alias_args->party, "the party, by id or any alias")->required();
  alias->add_option("ALIAS", alias_args->aliases, "the new names")->required();
  alias_args->common.Register(alias, kCommonFlags);
  alias->callback([&ctx, alias_args] {
    ctx.command = "party alias";
    RawEvent raw;
    raw.fields = {{"kind", "party-alias"}, {"party", alias_args->party}};
    raw.aliases = alias_args->aliases;
    if (alias_args->common.values["date"].empty()) alias_args->common.values["date"] = Today(ctx);
    alias_args->common.AddTo(raw);
    AppendFromFlags(ctx, raw, {}, "aliases for " + alias_args->party, PartyAliasFlag);
  });
}

void AddRecord(CLI::App& app, Context& ctx) {
  struct RecordArgs {
    std::string kind;
    FlagValues flags;
    int expect_version = 0;
    CLI::Option* expect_version_flag = nullptr;
  };
  auto args = std::make_shared<RecordArgs>();
  CLI::App* cmd = app.add_subcommand(
      "record",
      "append one event: open, revise, fund, supersede, cancel, expire, complete, round-open, "
      "round-revise, round-close, valuation, retract");
  cmd->add_option("KIND", args->kind, "the event kind")->required();
  args->flags.Register(cmd, kCommonFlags);
  args->flags.Register(cmd, kRecordFlags);
  args->expect_version_flag =
      cmd->add_option("--expect-version", args->expect_version,
                      "revise only if the commitment is at this version (exit 4 otherwise)");
  cmd->callback([&ctx, args] {
    ctx.command = "record";
    if (args->kind == "party-add" || args->kind == "party-alias") {
      ctx.Fail(Status::Invalid("KIND",
                               "parties are added with: dealtrail party add ID --name NAME, "
                               "and aliases with: dealtrail party alias PARTY ALIAS"));
      return;
    }
    RawEvent raw;
    raw.fields = {{"kind", args->kind}};
    args->flags.AddTo(raw);
    AppendOptions options;
    if (args->expect_version_flag->count() > 0) options.expect_version = args->expect_version;
    const auto& v = args->flags.values;
    std::string subject = v.at("commitment");
    if (subject.empty()) subject = v.at("round");
    if (subject.empty()) subject = v.at("retracts");
    if (subject.empty()) subject = v.at("party");
    AppendFromFlags(ctx, raw, options, args->kind + " " + subject);
  });
}

void AddImport(CLI::App& app, Context& ctx) {
  struct ImportArgs {
    std::string file;
    bool dry_run = false;
    std::string input_format;
  };
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import", "append every event in a JSONL or CSV file, all or nothing (docs/events.md)");
  cmd->add_option("FILE", args->file, "the event file, or - for standard input")->required();
  cmd->add_flag("--dry-run", args->dry_run, "check every event, write nothing");
  cmd->add_option("--input-format", args->input_format,
                  "jsonl or csv (default: from the file name; jsonl for -)");
  cmd->callback([&ctx, args] {
    ctx.command = "import";
    std::string format = args->input_format;
    if (format.empty()) {
      const std::string& f = args->file;
      format = f.size() >= 4 && f.compare(f.size() - 4, 4, ".csv") == 0 ? "csv" : "jsonl";
    }
    if (format != "jsonl" && format != "csv") {
      ctx.Fail(Status::Invalid("--input-format", "expected jsonl or csv, got '" + format + "'"));
      return;
    }
    std::ifstream file;
    std::istream* in = ctx.env.in;
    if (args->file != "-") {
      file.open(args->file, std::ios::binary);
      if (!file) {
        ctx.Fail(Status(StatusCode::kInvalidInput, "",
                        args->file + ": cannot be read (" + std::strerror(errno) + ")"));
        return;
      }
      in = &file;
    } else if (!in) {
      ctx.Fail(Status::Invalid("FILE", "standard input is not available"));
      return;
    }
    auto reader =
        format == "csv" ? MakeCsvReader(*in, args->file) : MakeJsonlReader(*in, args->file);
    auto ledger = ctx.Open(false);
    if (!ledger) return;
    ImportOptions options;
    options.dry_run = args->dry_run;
    options.read_ahead = !(args->file == "-" && ctx.env.stdin_is_terminal);
    if (file.is_open()) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(args->file, ec);
      if (!ec) options.input_bytes = static_cast<std::int64_t>(size);
    }
    if (ctx.env.stderr_is_terminal) {
      options.progress = [&ctx](std::int64_t events, std::int64_t bytes) {
        ctx.err << "\rimporting: " << events << " events, " << bytes / (1 << 20) << " MiB read"
                << std::flush;
      };
    }
    auto summary = ledger->Import(*reader, options);
    if (ctx.env.stderr_is_terminal) ctx.err << "\n";
    if (!summary.ok()) {
      ctx.Fail(summary.status());
      return;
    }
    if (args->dry_run) {
      ctx.out << summary->read << " events checked; " << summary->added << " would be added, "
              << summary->already_present << " already present; nothing written (dry run)\n";
      return;
    }
    ctx.out << "imported " << summary->added << (summary->added == 1 ? " event" : " events");
    if (summary->added == 1) {
      ctx.out << " (event " << summary->first_seq << ")";
    } else if (summary->added > 1) {
      ctx.out << " (events " << summary->first_seq << "\xE2\x80\x93" << summary->last_seq << ")";
    }
    ctx.out << "; " << summary->already_present << " already present\n";
    if (summary->checkpoints > 0) {
      ctx.out << "built " << summary->checkpoints << " replay checkpoints\n";
    }
  });
}

void AddCheckpoint(CLI::App& app, Context& ctx) {
  auto every = std::make_shared<std::int64_t>(0);
  CLI::App* cmd = app.add_subcommand(
      "checkpoint", "rebuild the replay checkpoints (imports of 100,000 events or more do it too)");
  cmd->add_option(
      "--every", *every,
      "events between checkpoints (default: a sixteenth of the ledger, at least 10,000)");
  cmd->callback([&ctx, every] {
    ctx.command = "checkpoint";
    auto ledger = ctx.Open(false);
    if (!ledger) return;
    auto written = ledger->RebuildCheckpoints(*every);
    if (!written.ok()) {
      ctx.Fail(written.status());
      return;
    }
    ctx.out << "built " << *written
            << (*written == 1 ? " replay checkpoint" : " replay checkpoints") << "\n";
  });
}

}  // namespace

void AddWriteCommands(CLI::App& app, Context& ctx, const Wanted& wanted) {
  if (wanted("init")) AddInit(app, ctx);
  if (wanted("party")) AddParty(app, ctx);
  if (wanted("record")) AddRecord(app, ctx);
  if (wanted("import")) AddImport(app, ctx);
  if (wanted("checkpoint")) AddCheckpoint(app, ctx);
}

}  // namespace dealtrail::cli
