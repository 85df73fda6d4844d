// The replay scan: events streamed from SQLite into a Fold without building
// Event objects. Rows are read through the C API (SQLiteCpp's Column copies
// a shared_ptr per access, which costs more than the fold itself) and only
// the columns an event's kind uses are decoded.
#ifndef DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_
#define DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_

#include <sqlite3.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "dealtrail/replay.h"

namespace dealtrail::storage {

struct FoldScanRange {
  std::optional<date::sys_days> after;  // effective first day strictly after (a checkpoint's day)
  date::sys_days through{};             // effective first day on or before (as of)
  Timestamp known_at{};                 // recorded at or before
  // Event seqs to skip (retracted as known at known_at).
  const std::unordered_set<std::int64_t>* skip = nullptr;
  // Called with each event before the fold applies it.
  std::function<Status(const FoldEvent& next)> before_each;
};

// Applies every event in range to `fold`, in (effective first day, seq)
// order. Returns the number of events read. Throws SQLite::Exception on SQLite
// failures, like the rest of the storage layer inside its try blocks.
Result<std::int64_t> ScanIntoFold(sqlite3* db, const FoldScanRange& range, Fold& fold);

// The same scan, each event handed to `apply` (its views valid only during
// the call).
Result<std::int64_t> ScanEvents(sqlite3* db, const FoldScanRange& range,
                                const std::function<Status(const FoldEvent&)>& apply);

// Events held back, in order, while the fold they go to is not ready yet
// (its checkpoint still being decoded), each copied with its text.
class HeldEvents {
 public:
  void Hold(const FoldEvent& e);
  // Applies every held event in order, then holds none.
  Status ApplyTo(Fold& fold);

 private:
  std::vector<FoldEvent> events_;
  std::deque<std::string> text_;  // one per event; a deque, so views into it stay valid
};

// The seqs of the events retracted by retractions recorded by `known_at`.
std::unordered_set<std::int64_t> RetractedSeqs(sqlite3* db, Timestamp known_at);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_
