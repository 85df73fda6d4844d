// Rendering a timeline: an aligned table, a Markdown table, CSV and the
// documented JSON (docs/timeline.md); and the words each row is told in,
// shared with the picture and the HTML page.
#ifndef DEALTRAIL_SRC_CLI_TIMELINE_FORMAT_H_
#define DEALTRAIL_SRC_CLI_TIMELINE_FORMAT_H_

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/positions_format.h"
#include "cli/table.h"
#include "dealtrail/timeline.h"

namespace dealtrail::cli {

// What a timeline was asked for, for titles and the JSON header.
struct TimelineRequest {
  std::optional<date::sys_days> from;
  std::optional<date::sys_days> to;
  Timestamp known_at{};
  Certainty min_certainty = Certainty::kRumored;
  std::string party;                                        // party id
  std::optional<std::pair<std::string, std::string>> pair;  // party ids, as typed order
  std::string commitment;
  std::string round;
};

// "Nvidia ⇄ OpenAI, 2024-10-01 to 2026-03-31, as known at …": the title of
// tables, the picture and the page. With `isolate`, right-to-left names are
// wrapped in Unicode isolates (for terminals); without, left as they are.
std::string TimelineTitle(const TimelineRequest& r, const Names& names, bool isolate);

// What the row's event did, in words: "pledge up to $100B", "superseded by
// …", "funded $15B", "retracts …". Names are isolated with `isolate`.
std::string ChangeText(const TimelineRow& row, const Names& names, bool isolate);
// "Nvidia → OpenAI" for a commitment row, the raiser or the valued party
// otherwise ("" when none).
std::string PartiesText(const TimelineRow& row, const Names& names, bool isolate);
// "Financial Times, 2026-02-19", or "" without a source.
std::string SourceText(const Source& s);
// The event column: "open", "fund", … and "retract".
std::string EventText(const TimelineRow& row);

void PrintTimelineTable(const Timeline& t, const TimelineRequest& r, const Names& names,
                        std::ostream& out);
void PrintTimelineMarkdown(const Timeline& t, const TimelineRequest& r, const Names& names,
                           std::ostream& out);
void PrintTimelineCsv(const Timeline& t, const TimelineRequest& r, std::ostream& out);
Json TimelineJson(const Timeline& t, const TimelineRequest& r, const Names& names);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_TIMELINE_FORMAT_H_
