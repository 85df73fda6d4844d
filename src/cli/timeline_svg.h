// The timeline as a picture: an SVG chart with time across and one lane per
// commitment, grouped by pair (docs/timeline.md describes what is drawn).
#ifndef DEALTRAIL_SRC_CLI_TIMELINE_SVG_H_
#define DEALTRAIL_SRC_CLI_TIMELINE_SVG_H_

#include <string>
#include <string_view>

#include "cli/timeline_format.h"
#include "dealtrail/timeline.h"

namespace dealtrail::cli {

// The days a picture spans: --from and --to when given, else from the first
// month drawn to the end of the last.
struct PictureRange {
  date::sys_days from{};
  date::sys_days to{};
};
PictureRange RangeOf(const Timeline& t, const TimelineRequest& r);

// A standalone SVG document (well-formed XML, no external references),
// deterministic for a given timeline and request.
std::string TimelineSvg(const Timeline& t, const TimelineRequest& r, const Names& names);

// `s` with &, <, >, " and ' escaped, for XML text and attribute values.
std::string XmlEscape(std::string_view s);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_TIMELINE_SVG_H_
