// The timeline as one self-contained HTML page: the picture, the event
// table and the positions at the end of the range; inline CSS and SVG, no
// scripts, fonts or anything else fetched from elsewhere.
#ifndef DEALTRAIL_SRC_CLI_TIMELINE_HTML_H_
#define DEALTRAIL_SRC_CLI_TIMELINE_HTML_H_

#include <string>

#include "cli/timeline_format.h"
#include "dealtrail/replay.h"
#include "dealtrail/timeline.h"

namespace dealtrail::cli {

// `positions`: replay at the end of the range, with the same certainty
// floor; the page keeps what the timeline is about (its lanes and rows).
std::string TimelineHtml(const Timeline& t, const TimelineRequest& r, const Positions& positions,
                         const Names& names);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_TIMELINE_HTML_H_
