// A plain reference model of replay, for property tests against the engine.
#ifndef DEALTRAIL_TESTS_STORAGE_REFERENCE_FOLD_H_
#define DEALTRAIL_TESTS_STORAGE_REFERENCE_FOLD_H_

#include <set>
#include <string>
#include <vector>

#include "dealtrail/replay.h"

namespace dealtrail::reference {

struct Replayed {
  Positions positions;            // `ignored` left empty
  std::set<std::string> ignored;  // ids of events that could not apply
};

// Positions from every event of a ledger (in seq order, as ForEachEvent
// gives them), as of `as_of`, as known at `known_at`.
Replayed Replay(const std::vector<Event>& all, date::sys_days as_of, Timestamp known_at,
                const PositionFilter& filter);

}  // namespace dealtrail::reference

#endif  // DEALTRAIL_TESTS_STORAGE_REFERENCE_FOLD_H_
