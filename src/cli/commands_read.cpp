// Commands that only read: party list, export, replay, verify. They open the
// ledger read-only.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "cli/table.h"

namespace dealtrail::cli {

Result<Names> LoadNames(const Ledger& ledger) {
  auto parties = ledger.Parties();
  if (!parties.ok()) return parties.status();
  Names names;
  for (const PartyInfo& p : *parties) names[p.id] = p.name;
  return names;
}

namespace {

CLI::Option* AddFormat(CLI::App* cmd, std::string& format, const std::string& choices) {
  return cmd->add_option("--format", format, "output format: " + choices)
      ->check(CLI::IsMember(CLI::detail::split(choices, '|')));
}

void AddPartyList(CLI::App& app, Context& ctx) {
  auto format = std::make_shared<std::string>("table");
  CLI::App* cmd = app.get_subcommand("party")->add_subcommand("list", "list parties and aliases");
  AddFormat(cmd, *format, "table|json|csv");
  cmd->callback([&ctx, format] {
    ctx.command = "party list";
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    auto parties = ledger->Parties();
    if (!parties.ok()) {
      ctx.Fail(parties.status());
      return;
    }
    if (*format == "json") {
      Json j = Json::array();
      for (const PartyInfo& p : *parties) {
        j.push_back(Json{{"id", p.id}, {"name", p.name}, {"kind", p.kind}, {"aliases", p.aliases}});
      }
      ctx.out << j.dump(2) << "\n";
      return;
    }
    if (*format == "csv") {
      WriteCsvRow(ctx.out, {"id", "name", "kind", "aliases"});
      for (const PartyInfo& p : *parties) {
        std::string aliases;
        for (const std::string& a : p.aliases) aliases += (aliases.empty() ? "" : ";") + a;
        WriteCsvRow(ctx.out, {p.id, p.name, p.kind, aliases});
      }
      return;
    }
    Table table({"id", "name", "kind", "aliases"});
    for (const PartyInfo& p : *parties) {
      std::string aliases;
      for (const std::string& a : p.aliases) aliases += (aliases.empty() ? "" : ", ") + Isolate(a);
      table.AddRow({p.id, Isolate(p.name), p.kind, aliases});
    }
    table.Print(ctx.out);
  });
}

void AddExport(CLI::App& app, Context& ctx) {
  auto output = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "export", "write every event as JSONL, in sequence order (import reads it back)");
  cmd->add_option("--output", *output, "write to this file instead of standard output");
  cmd->callback([&ctx, output] {
    ctx.command = "export";
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    std::ofstream file;
    std::ostream* out = &ctx.out;
    if (!output->empty()) {
      file.open(*output, std::ios::binary | std::ios::trunc);
      if (!file) {
        ctx.Fail(Status(StatusCode::kIo, "--output", *output + ": cannot be written"));
        return;
      }
      out = &file;
    }
    Status s = ledger->ForEachEvent([out](const Event& e) {
      *out << CanonicalJson(e) << "\n";
      return Status{};
    });
    if (!s.ok()) ctx.Fail(s);
  });
}

void AddReplay(CLI::App& app, Context& ctx) {
  struct ReplayArgs {
    std::string as_of;
    std::string known_at;
    std::string min_certainty = "rumored";
    std::string party;
    std::string format = "table";
    std::string section = "commitments";
    CLI::Option* section_flag = nullptr;
    bool no_checkpoints = false;
  };
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "positions per commitment, pair, party and round as of a date, as known at a time");
  cmd->add_option("--as-of", args->as_of, "effective date YYYY-MM-DD (default: today)");
  cmd->add_option(
      "--known-at", args->known_at,
      "what the ledger knew at this UTC time, or by the end of this day (default: now)");
  cmd->add_option("--min-certainty", args->min_certainty,
                  "leave out what is less certain: rumored, reported, announced, signed, closed");
  cmd->add_option("--party", args->party, "only commitments from or to this party");
  AddFormat(cmd, args->format, "table|json|csv");
  args->section_flag =
      cmd->add_option("--section", args->section,
                      "with --format csv: commitments (default), pairs, parties or rounds");
  cmd->add_flag("--no-checkpoints", args->no_checkpoints,
                "read every event instead of starting from the nearest replay checkpoint");
  cmd->callback([&ctx, args] {
    ctx.command = "replay";
    if (args->section_flag->count() > 0 && args->format != "csv") {
      ctx.Fail(Status::Invalid("--section", "applies to --format csv only"));
      return;
    }
    ReplayQuery query;
    const auto as_of = ParseDayFlag("--as-of", args->as_of);
    const auto known_at = ParseTimeFlag("--known-at", args->known_at);
    const auto level = ParseCertaintyFlag(args->min_certainty);
    for (const Status* s : {&as_of.status(), &known_at.status(), &level.status()}) {
      if (!s->ok()) {
        ctx.Fail(*s);
        return;
      }
    }
    query.as_of = *as_of;
    query.known_at = *known_at;
    query.filter.min_certainty = *level;
    query.use_checkpoints = !args->no_checkpoints;
    if (args->format == "csv") {
      // One section is printed; compute only that one.
      query.filter.commitments = args->section == "commitments";
      query.filter.pairs = args->section == "pairs";
      query.filter.parties = args->section == "parties";
      query.filter.rounds = args->section == "rounds";
    }
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    if (!args->party.empty()) {
      auto id = ledger->ResolveParty(args->party);
      if (!id.ok()) {
        ctx.Fail(Status(id.status().code(), "--party", id.status().message()));
        return;
      }
      query.filter.party = *id;
    }
    auto positions = ledger->Replay(query);
    if (!positions.ok()) {
      ctx.Fail(positions.status());
      return;
    }
    auto names = LoadNames(*ledger);
    if (!names.ok()) {
      ctx.Fail(names.status());
      return;
    }
    if (args->format == "json") {
      ctx.out << PositionsJson(*positions, *names).dump(2) << "\n";
    } else if (args->format == "csv") {
      Status s = PrintPositionsCsv(*positions, *names, args->section, ctx.out);
      if (!s.ok()) ctx.Fail(s);
    } else {
      PrintPositionsTable(*positions, *names, ctx.out);
    }
  });
}

// A chain checkpoint file: {"events": N, "head_hash": "…"}.
Result<ChainCheckpoint> ReadCheckpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("--against", path + ": cannot be read");
  const Json j = Json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("events") || !j["events"].is_number_integer() ||
      !j.contains("head_hash") || !j["head_hash"].is_string()) {
    return Status::Invalid("--against",
                           path +
                               ": expected a checkpoint written by verify "
                               "--checkpoint-out: {\"events\": N, \"head_hash\": \"…\"}");
  }
  return ChainCheckpoint{j["events"].get<std::int64_t>(), j["head_hash"].get<std::string>()};
}

void AddVerify(CLI::App& app, Context& ctx) {
  struct VerifyArgs {
    std::string format = "table";
    std::string checkpoint_out;
    std::string against;
  };
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "check schema version, SQLite integrity, the hash chain and replay invariants");
  AddFormat(cmd, args->format, "table|json|csv");
  cmd->add_option("--checkpoint-out", args->checkpoint_out,
                  "write the chain checkpoint (event count and head hash) to this file");
  cmd->add_option("--against", args->against,
                  "also check the chain still holds a checkpoint written by --checkpoint-out");
  cmd->callback([&ctx, args] {
    ctx.command = "verify";
    const auto format = std::make_shared<std::string>(args->format);
    std::optional<ChainCheckpoint> against;
    if (!args->against.empty()) {
      auto read = ReadCheckpoint(args->against);
      if (!read.ok()) {
        ctx.Fail(read.status());
        return;
      }
      against = *read;
    }
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    auto report = ledger->Verify(against);
    if (!report.ok()) {
      ctx.Fail(report.status());
      return;
    }
    if (*format == "json") {
      Json j;
      j["ok"] = report->ok();
      j["schema_version"] = report->schema_version;
      j["events"] = report->events;
      j["head_hash"] = report->head_hash;
      j["first_bad_seq"] = report->first_bad_seq == 0 ? Json(nullptr) : Json(report->first_bad_seq);
      j["problems"] = report->problems;
      ctx.out << j.dump(2) << "\n";
    } else if (*format == "csv") {
      std::string problems;
      for (const std::string& p : report->problems) problems += (problems.empty() ? "" : "; ") + p;
      WriteCsvRow(ctx.out,
                  {"ok", "schema_version", "events", "head_hash", "first_bad_seq", "problems"});
      WriteCsvRow(ctx.out, {report->ok() ? "true" : "false", std::to_string(report->schema_version),
                            std::to_string(report->events), report->head_hash,
                            report->first_bad_seq == 0 ? "" : std::to_string(report->first_bad_seq),
                            problems});
    } else {
      ctx.out << "schema version  " << report->schema_version << "\n"
              << "events          " << report->events << "\n"
              << "head hash       " << report->head_hash << "\n";
      for (const std::string& p : report->problems) ctx.out << "problem         " << p << "\n";
      ctx.out << (report->ok() ? "ledger verified: integrity, hash chain and replay all check\n"
                               : "ledger FAILED verification\n");
    }
    if (!report->ok()) {
      ctx.err << "dealtrail verify: " << report->problems.front() << "\n";
      ctx.code = kExitFailure;
      return;
    }
    if (!args->checkpoint_out.empty()) {
      std::ofstream out(args->checkpoint_out, std::ios::binary | std::ios::trunc);
      Json j;
      j["events"] = report->events;
      j["head_hash"] = report->head_hash;
      out << j.dump() << "\n";
      if (!out) {
        ctx.Fail(Status(StatusCode::kIo, "--checkpoint-out",
                        args->checkpoint_out + ": cannot be written"));
      }
    }
  });
}

void AddBackup(CLI::App& app, Context& ctx) {
  auto dest = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "backup", "write a consistent copy of the ledger, even while others are writing to it");
  cmd->add_option("DEST", *dest, "the new file (must not exist)")->required();
  cmd->callback([&ctx, dest] {
    ctx.command = "backup";
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    Status s = ledger->Backup(*dest);
    if (!s.ok()) {
      ctx.Fail(s);
      return;
    }
    ctx.out << "backed up " << ctx.ledger_path << " to " << *dest << "\n";
  });
}

}  // namespace

void AddReadCommands(CLI::App& app, Context& ctx, const Wanted& wanted) {
  if (wanted("party")) AddPartyList(app, ctx);  // under the party command AddWriteCommands made
  if (wanted("export")) AddExport(app, ctx);
  if (wanted("replay")) AddReplay(app, ctx);
  if (wanted("verify")) AddVerify(app, ctx);
  if (wanted("backup")) AddBackup(app, ctx);
}

}  // namespace dealtrail::cli
