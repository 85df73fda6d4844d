// Helpers for the timeline tests (see timeline_support.h).
#include "timeline/timeline_support.h"

#include <fstream>
#include <sstream>

#include "cli/run.h"
#include "dealtrail/reader.h"

namespace dealtrail::test {

Result<Ledger> FixtureLedger(const std::string& path) {
  // Recorded at the golden clock, as the golden cases import it.
  auto ledger = Ledger::Create(path, FixedClock(At(kGoldenNow)));
  if (!ledger.ok()) return ledger.status();
  std::ifstream in(FixturePath(), std::ios::binary);
  auto reader = MakeJsonlReader(in, "nvidia-openai.jsonl");
  auto imported = ledger->Import(*reader);
  if (!imported.ok()) return imported.status();
  return ledger;
}

Result<Timeline> BuildTimeline(const Ledger& ledger, const TimelineQuery& query,
                               const TimelineOptions& options) {
  const Timestamp known_at = query.known_at.value_or(ledger.Now());
  const bool filtered =
      !query.party.empty() || query.pair || !query.commitment.empty() || !query.round.empty();
  std::unordered_set<std::string> shown;
  if (filtered) {
    DEALTRAIL_RETURN_IF_ERROR(ledger.Timeline(query, [&](const TimelineEntry& entry) {
      shown.insert(entry.event.id);
      return Status{};
    }));
  }
  TimelineBuilder builder(options);
  DEALTRAIL_RETURN_IF_ERROR(ledger.ForEachEvent([&](const Event& e) {
    if (e.kind == EventKind::kRetract && e.recorded_at <= known_at) builder.AddRetraction(e);
    return Status{};
  }));
  TimelineQuery all;
  all.to = query.to;
  all.known_at = known_at;
  DEALTRAIL_RETURN_IF_ERROR(ledger.Timeline(all, [&](const TimelineEntry& entry) {
    return builder.Add(entry.event, entry.retracted_by,
                       !filtered || shown.count(entry.event.id) > 0);
  }));
  return builder.Finish();
}

CliResult RunCli(const std::string& ledger_path, const std::vector<std::string>& args) {
  cli::Environment env;
  env.clock = FixedClock(At(kGoldenNow));
  env.vars["DEALTRAIL_LEDGER"] = ledger_path;
  std::ostringstream out;
  std::ostringstream err;
  CliResult r;
  r.code = cli::Run(args, out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace dealtrail::test
