// Rendering a diff of positions (two dates, or two knowledge times): an
// aligned table, CSV and the JSON contract of docs/timeline.md.
#ifndef DEALTRAIL_SRC_CLI_DIFF_FORMAT_H_
#define DEALTRAIL_SRC_CLI_DIFF_FORMAT_H_

#include <ostream>

#include "cli/positions_format.h"
#include "cli/table.h"
#include "cli/timeline_format.h"
#include "dealtrail/timeline.h"

namespace dealtrail::cli {

// A diff and what it compared.
struct DiffReport {
  bool knowledge = false;  // two known-at times (else two as-of dates)
  date::sys_days before_as_of{};
  Timestamp before_known_at{};
  date::sys_days after_as_of{};
  Timestamp after_known_at{};
  PositionsDiff diff;
  // The events that explain it: dated after the first date up to the second,
  // or recorded between the two knowledge times (retractions included).
  Timeline events;
};

void PrintDiffTable(const DiffReport& d, const Names& names, std::ostream& out);
void PrintDiffCsv(const DiffReport& d, std::ostream& out);
Json DiffJson(const DiffReport& d, const Names& names);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_DIFF_FORMAT_H_
