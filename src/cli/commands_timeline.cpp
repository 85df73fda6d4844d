// The timeline and diff commands: a dated history with running totals (as a
// table, Markdown, CSV, JSON, an SVG picture or an HTML page), and what
// changed in positions between two dates or two knowledge times.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "cli/commands.h"
#include "cli/diff_format.h"
#include "cli/timeline_format.h"
#include "cli/timeline_html.h"
#include "cli/timeline_svg.h"
#include "core/text.h"
#include "dealtrail/timeline.h"

namespace dealtrail::cli {
namespace {

CLI::Option* AddFormat(CLI::App* cmd, std::string& format, const std::string& choices) {
  return cmd->add_option("--format", format, "output format: " + choices)
      ->check(CLI::IsMember(CLI::detail::split(choices, '|')));
}

// The ids of commitments (or rounds) nearest to `id`, for "did you mean".
std::string Nearest(const std::string& id, const std::set<std::string>& known) {
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const std::string& k : known) {
    const bool prefix = id.size() >= 3 && k.compare(0, id.size(), id) == 0;
    const std::size_t d = prefix ? 0 : EditDistance(id, k);
    if (d <= std::max<std::size_t>(2, id.size() / 3)) near.emplace_back(d, k);
  }
  std::sort(near.begin(), near.end());
  std::string hint;
  for (std::size_t i = 0; i < near.size() && i < 3; ++i) hint += (i ? ", " : "") + near[i].second;
  return hint;
}

Result<std::string> Resolve(const Ledger& ledger, const std::string& flag,
                            const std::string& name) {
  auto id = ledger.ResolveParty(name);
  if (!id.ok()) return Status(id.status().code(), flag, id.status().message());
  return *id;
}

// Every retraction recorded by `known_at`.
Result<std::vector<Event>> Retractions(const Ledger& ledger, Timestamp known_at) {
  std::vector<Event> out;
  Status s = ledger.Retractions(known_at, [&](const Event& e) {
    out.push_back(e);
    return Status{};
  });
  if (!s.ok()) return s;
  return out;
}

// Builds the timeline `r` asks for (`lanes` for drawing). Fails naming
// --commitment or --round when no such commitment or round is in view.
Result<Timeline> BuildTimeline(const Ledger& ledger, const TimelineRequest& r, bool lanes) {
  TimelineQuery query;
  query.to = r.to;
  query.known_at = r.known_at;
  query.party = r.party;
  query.pair = r.pair;
  query.commitment = r.commitment;
  query.round = r.round;
  if (!r.commitment.empty() || !r.round.empty()) {
    // Is it there at all? Otherwise suggest the nearest ids.
    bool found = false;
    std::set<std::string> commitments;
    std::set<std::string> rounds;
    TimelineQuery all;
    all.to = r.to;
    all.known_at = r.known_at;
    DEALTRAIL_RETURN_IF_ERROR(ledger.Timeline(query, [&](const TimelineEntry& entry) {
      const Event& e = entry.event;
      found = found || (e.kind == EventKind::kOpen && e.commitment == r.commitment) ||
              (e.kind == EventKind::kRoundOpen && e.round == r.round);
      return Status{};
    }));
    if (!found) {
      DEALTRAIL_RETURN_IF_ERROR(ledger.Timeline(all, [&](const TimelineEntry& entry) {
        if (entry.event.kind == EventKind::kOpen) commitments.insert(entry.event.commitment);
        if (entry.event.kind == EventKind::kRoundOpen) rounds.insert(entry.event.round);
        return Status{};
      }));
      const bool commitment = !r.commitment.empty() && commitments.count(r.commitment) == 0;
      const std::string& id = commitment ? r.commitment : r.round;
      const std::string hint = Nearest(id, commitment ? commitments : rounds);
      return Status::NotFound(commitment ? "--commitment" : "--round",
                              std::string(commitment ? "no commitment '" : "no round '") + id +
                                  "'" + (hint.empty() ? "" : " (did you mean: " + hint + "?)"));
    }
  }
  TimelineOptions options;
  options.from = r.from;
  options.to = r.to;
  options.min_certainty = r.min_certainty;
  if (r.pair) options.pair = r.pair;
  options.lanes = lanes;
  return ledger.BuildTimeline(query, options);
}

// Writes to --output when given, else to standard output.
class Output {
 public:
  Status Open(Context& ctx, const std::string& path) {
    out_ = &ctx.out;
    if (path.empty()) return {};
    file_.open(path, std::ios::binary | std::ios::trunc);
    if (!file_) return Status(StatusCode::kIo, "--output", path + ": cannot be written");
    out_ = &file_;
    return {};
  }
  std::ostream& stream() { return *out_; }
  Status Close(const std::string& path) {
    if (!file_.is_open()) return {};
    file_.close();
    if (!file_) return Status(StatusCode::kIo, "--output", path + ": cannot be written");
    return {};
  }

 private:
  std::ofstream file_;
  std::ostream* out_ = nullptr;
};

void AddTimeline(CLI::App& app, Context& ctx) {
  struct Args {
    std::string party;
    std::vector<std::string> pair;
    std::string commitment;
    std::string round;
    std::string from;
    std::string to;
    std::string known_at;
    std::string min_certainty = "rumored";
    std::string format = "table";
    std::string output;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "timeline",
      "dated history, one line per event, with the running committed, funded and outstanding");
  cmd->add_option("--party", args->party,
                  "commitments from or to this party, the rounds it raises, its valuations");
  cmd->add_option("--pair", args->pair, "commitments between two parties, with the pair's net")
      ->expected(2)
      ->type_name("PARTY");
  cmd->add_option("--commitment", args->commitment, "one commitment (and what replaced it)");
  cmd->add_option("--round", args->round, "one round and the commitments in it");
  cmd->add_option("--from", args->from,
                  "events whose date reaches this day or period (2025-09-22, 2025-09, 2025-Q3)");
  cmd->add_option("--to", args->to, "events dated up to the end of this day or period");
  cmd->add_option(
      "--known-at", args->known_at,
      "what the ledger knew at this UTC time, or by the end of this day (default: now)");
  cmd->add_option("--min-certainty", args->min_certainty,
                  "leave out what is less certain: rumored, reported, announced, signed, closed");
  AddFormat(cmd, args->format, "table|json|csv|md|svg|html");
  cmd->add_option("--output", args->output, "write to this file instead of standard output");
  cmd->callback([&ctx, args] {
    ctx.command = "timeline";
    TimelineRequest r;
    if (!args->from.empty()) {
      auto d = PartialDate::Parse(args->from);
      if (!d.ok()) {
        ctx.Fail(d.status().For("--from"));
        return;
      }
      r.from = d->first();
    }
    if (!args->to.empty()) {
      auto d = PartialDate::Parse(args->to);
      if (!d.ok()) {
        ctx.Fail(d.status().For("--to"));
        return;
      }
      r.to = d->last();
    }
    if (r.from && r.to && *r.to < *r.from) {
      ctx.Fail(Status::Invalid("--to", "must not end before --from begins (" + FormatDay(*r.from) +
                                           "); got '" + args->to + "'"));
      return;
    }
    const auto known_at = ParseTimeFlag("--known-at", args->known_at);
    const auto level = ParseCertaintyFlag(args->min_certainty);
    for (const Status* s : {&known_at.status(), &level.status()}) {
      if (!s->ok()) {
        ctx.Fail(*s);
        return;
      }
    }
    r.min_certainty = *level;
    r.commitment = args->commitment;
    r.round = args->round;
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    r.known_at = known_at->value_or(ledger->Now());
    if (!args->party.empty()) {
      auto id = Resolve(*ledger, "--party", args->party);
      if (!id.ok()) {
        ctx.Fail(id.status());
        return;
      }
      r.party = *id;
    }
    if (!args->pair.empty()) {
      auto a = Resolve(*ledger, "--pair", args->pair[0]);
      auto b = a.ok() ? Resolve(*ledger, "--pair", args->pair[1]) : a;
      if (!b.ok()) {
        ctx.Fail(b.status());
        return;
      }
      if (*a == *b) {
        ctx.Fail(Status::Invalid("--pair", "expected two different parties; '" + args->pair[0] +
                                               "' and '" + args->pair[1] + "' are both " + *a));
        return;
      }
      r.pair = std::pair(*a, *b);
    }
    const bool picture = args->format == "svg" || args->format == "html";
    auto timeline = BuildTimeline(*ledger, r, picture);
    if (!timeline.ok()) {
      ctx.Fail(timeline.status());
      return;
    }
    auto names = LoadNames(*ledger);
    if (!names.ok()) {
      ctx.Fail(names.status());
      return;
    }
    Output output;
    if (Status s = output.Open(ctx, args->output); !s.ok()) {
      ctx.Fail(s);
      return;
    }
    std::ostream& out = output.stream();
    if (args->format == "json") {
      out << TimelineJson(*timeline, r, *names).dump(2) << "\n";
    } else if (args->format == "csv") {
      PrintTimelineCsv(*timeline, r, out);
    } else if (args->format == "md") {
      PrintTimelineMarkdown(*timeline, r, *names, out);
    } else if (args->format == "svg") {
      out << TimelineSvg(*timeline, r, *names);
    } else if (args->format == "html") {
      // The positions at the end of the range, for the page.
      ReplayQuery query;
      query.as_of = r.to ? *r.to : date::floor<date::days>(r.known_at);
      query.known_at = r.known_at;
      query.filter.min_certainty = r.min_certainty;
      auto positions = ledger->Replay(query);
      if (!positions.ok()) {
        ctx.Fail(positions.status());
        return;
      }
      out << TimelineHtml(*timeline, r, *positions, *names);
    } else {
      PrintTimelineTable(*timeline, r, *names, out);
    }
    if (Status s = output.Close(args->output); !s.ok()) ctx.Fail(s);
  });
}

void AddDiff(CLI::App& app, Context& ctx) {
  struct Args {
    std::string from;
    std::string to;
    std::string known_at;
    std::string known_from;
    std::string known_to;
    std::string as_of;
    std::string party;
    std::string min_certainty = "rumored";
    std::string format = "table";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "what changed in positions between two dates (--from/--to), or in the picture of one date "
      "between two knowledge times (--known-from/--known-to)");
  cmd->add_option("--from", args->from, "the earlier as-of date YYYY-MM-DD");
  cmd->add_option("--to", args->to, "the later as-of date YYYY-MM-DD");
  cmd->add_option("--known-at", args->known_at,
                  "with --from/--to: as known at this UTC time or day (default: now)");
  cmd->add_option("--known-from", args->known_from,
                  "the earlier knowledge time (UTC time, or a day meaning its end)");
  cmd->add_option("--known-to", args->known_to, "the later knowledge time");
  cmd->add_option("--as-of", args->as_of,
                  "with --known-from/--known-to: the date pictured (default: today)");
  cmd->add_option("--party", args->party, "only commitments from or to this party");
  cmd->add_option("--min-certainty", args->min_certainty,
                  "leave out what is less certain: rumored, reported, announced, signed, closed");
  AddFormat(cmd, args->format, "table|json|csv");
  cmd->callback([&ctx, args] {
    ctx.command = "diff";
    const bool dates = !args->from.empty() || !args->to.empty();
    const bool knowledge = !args->known_from.empty() || !args->known_to.empty();
    auto fail = [&](const std::string& flag, const std::string& message) {
      ctx.Fail(Status::Invalid(flag, message));
    };
    if (dates && knowledge) {
      return fail(args->from.empty() ? "--to" : "--from",
                  "compares two dates, not with --known-from/--known-to (two knowledge times); "
                  "use one pair or the other");
    }
    if (!dates && !knowledge) {
      return fail("",
                  "expected --from D1 --to D2 (two dates) or --known-from T1 --known-to T2 "
                  "(two knowledge times)");
    }
    if (dates && (args->from.empty() || args->to.empty())) {
      return fail(args->from.empty() ? "--from" : "--to",
                  std::string("expected with ") + (args->from.empty() ? "--to" : "--from") +
                      ": diff compares two dates");
    }
    if (knowledge && (args->known_from.empty() || args->known_to.empty())) {
      return fail(args->known_from.empty() ? "--known-from" : "--known-to",
                  std::string("expected with ") +
                      (args->known_from.empty() ? "--known-to" : "--known-from") +
                      ": diff compares two knowledge times");
    }
    if (dates && !args->as_of.empty()) {
      return fail("--as-of",
                  "applies to --known-from/--known-to; with --from/--to the dates are "
                  "the as-of dates");
    }
    if (knowledge && !args->known_at.empty()) {
      return fail("--known-at",
                  "applies to --from/--to; with --known-from/--known-to the "
                  "knowledge times are given");
    }
    DiffReport report;
    report.knowledge = knowledge;
    std::optional<date::sys_days> as_of;
    std::optional<Timestamp> known_at;
    // The pair of dates or of knowledge times compared (both given, as the
    // checks above require), and the one held fixed (optional).
    const auto d1 = ParseDayFlag("--from", args->from);
    const auto d2 = ParseDayFlag("--to", args->to);
    const auto t1 = ParseTimeFlag("--known-from", args->known_from);
    const auto t2 = ParseTimeFlag("--known-to", args->known_to);
    const auto fixed_day = ParseDayFlag("--as-of", args->as_of);
    const auto fixed_time = ParseTimeFlag("--known-at", args->known_at);
    const auto level = ParseCertaintyFlag(args->min_certainty);
    for (const Status* s : {&d1.status(), &d2.status(), &t1.status(), &t2.status(),
                            &fixed_day.status(), &fixed_time.status(), &level.status()}) {
      if (!s->ok()) {
        ctx.Fail(*s);
        return;
      }
    }
    if (dates) {
      if (**d2 < **d1) return fail("--to", "must not be before --from (" + args->from + ")");
      report.before_as_of = **d1;
      report.after_as_of = **d2;
      known_at = *fixed_time;
    } else {
      if (**t2 < **t1) {
        return fail("--known-to", "must not be before --known-from (" + args->known_from + ")");
      }
      report.before_known_at = **t1;
      report.after_known_at = **t2;
      as_of = *fixed_day;
    }
    auto ledger = ctx.Open(true);
    if (!ledger) return;
    if (dates) {
      report.before_known_at = report.after_known_at = known_at.value_or(ledger->Now());
    } else {
      report.before_as_of = report.after_as_of =
          as_of.value_or(date::floor<date::days>(ledger->Now()));
    }
    PositionFilter filter;
    filter.min_certainty = *level;
    if (!args->party.empty()) {
      auto id = Resolve(*ledger, "--party", args->party);
      if (!id.ok()) {
        ctx.Fail(id.status());
        return;
      }
      filter.party = *id;
    }
    auto before = ledger->Replay({report.before_as_of, report.before_known_at, filter});
    auto after =
        before.ok() ? ledger->Replay({report.after_as_of, report.after_known_at, filter}) : before;
    if (!after.ok()) {
      ctx.Fail(after.status());
      return;
    }
    report.diff = DiffPositions(*before, *after);

    // The events behind the change, told as a timeline of the later picture.
    // Across knowledge times, a retraction counts whatever its date, so the
    // timeline runs to the end and is cut below.
    TimelineRequest r;
    if (!knowledge) r.to = report.after_as_of;
    r.known_at = report.after_known_at;
    r.min_certainty = *level;
    r.party = filter.party;
    auto retractions = Retractions(*ledger, r.known_at);
    if (!retractions.ok()) {
      ctx.Fail(retractions.status());
      return;
    }
    auto timeline = BuildTimeline(*ledger, r, false);
    if (!timeline.ok()) {
      ctx.Fail(timeline.status());
      return;
    }
    std::unordered_map<std::string, Timestamp> retracted_at;
    for (const Event& e : *retractions) retracted_at[e.id] = e.recorded_at;
    for (TimelineRow& row : timeline->rows) {
      bool keep = false;
      if (knowledge) {
        // Recorded since the earlier time and about the date pictured, or
        // taken back since then; and every retraction recorded since then.
        const bool pictured = row.event.date.first() <= report.after_as_of;
        auto it = retracted_at.find(row.retracted_by);
        const bool taken_back = it != retracted_at.end() && it->second > report.before_known_at;
        const bool recent = row.event.recorded_at > report.before_known_at;
        keep = row.event.kind == EventKind::kRetract
                   ? recent && row.retracted && row.retracted->date.first() <= report.after_as_of
                   : pictured && (recent || taken_back);
      } else {
        // Dated after the first day (counted from its first day, as replay
        // does) and in force: retractions act whatever their date.
        keep = row.event.date.first() > report.before_as_of &&
               row.event.kind != EventKind::kRetract && row.retracted_by.empty();
      }
      if (keep) report.events.rows.push_back(std::move(row));
    }
    auto names = LoadNames(*ledger);
    if (!names.ok()) {
      ctx.Fail(names.status());
      return;
    }
    if (args->format == "json") {
      ctx.out << DiffJson(report, *names).dump(2) << "\n";
    } else if (args->format == "csv") {
      PrintDiffCsv(report, ctx.out);
    } else {
      PrintDiffTable(report, *names, ctx.out);
    }
  });
}

}  // namespace

void AddTimelineCommands(CLI::App& app, Context& ctx, const Wanted& wanted) {
  if (wanted("timeline")) AddTimeline(app, ctx);
  if (wanted("diff")) AddDiff(app, ctx);
}

}  // namespace dealtrail::cli
