// The replay scan: events streamed from SQLite into a Fold without building
// Event objects. Rows are read through the C API (SQLiteCpp's Column copies
// a shared_ptr per access, which costs more than the fold itself) and only
// the columns an event's kind uses are decoded.
#ifndef DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_
#define DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_set>

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

// The seqs of the events retracted by retractions recorded by `known_at`.
std::unordered_set<std::int64_t> RetractedSeqs(sqlite3* db, Timestamp known_at);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_FOLD_SCAN_H_
