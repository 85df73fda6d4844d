// Replay checkpoints: building them, finding the one a replay can start
// from, invalidating them when history before their day changes, and
// checking them against a fresh replay.
#ifndef DEALTRAIL_SRC_STORAGE_CHECKPOINTS_H_
#define DEALTRAIL_SRC_STORAGE_CHECKPOINTS_H_

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealtrail/replay.h"
#include "storage/raw_statement.h"

namespace dealtrail::storage {

// The default distance between checkpoints, in events folded: a sixteenth
// of the ledger's `events`, at least `at_least`.
inline constexpr std::int64_t kMinCheckpointSpacing = 10'000;
inline std::int64_t CheckpointSpacing(std::int64_t events,
                                      std::int64_t at_least = kMinCheckpointSpacing) {
  return std::max(at_least, events / 16);
}

// Rebuilds every checkpoint from a full replay of what is known now, one
// after each `every` events in effective order (at a day boundary). Call
// inside a write transaction. Returns how many were written.
Result<std::int64_t> RebuildCheckpoints(sqlite3* db, std::int64_t every);

// One checkpoint, ready to store.
struct BuiltCheckpoint {
  date::sys_days through{};
  std::int64_t through_seq = 0;  // the last event added when it was made
  std::string recorded_through;  // that event's recorded_at: good for knowledge from then on
  std::int64_t events = 0;       // events folded into it
  std::string state;             // Fold::Serialize()
};

// Stores checkpoints one by one (a prepared insert). Call inside a write
// transaction.
class CheckpointStore {
 public:
  explicit CheckpointStore(sqlite3* db);
  void Put(date::sys_days through, std::int64_t through_seq, const std::string& recorded_through,
           std::int64_t events, std::string_view state);
  void Put(const BuiltCheckpoint& c) {
    Put(c.through, c.through_seq, c.recorded_through, c.events, c.state);
  }

 private:
  sqlite3* db_;
  Stmt insert_;
};

// Deletes every checkpoint.
void ClearCheckpoints(sqlite3* db);

// The checkpoint a replay as of `as_of`, as known at `known_at`, can start
// from: the latest on or before as_of whose knowledge is no later than
// known_at, read but not yet decoded (a replay decodes it on a second thread
// while it reads the events after it). Empty when there is none.
struct StoredCheckpoint {
  date::sys_days through{};
  std::string_view state;  // SQLite's copy of the blob, valid while `row` lives unstepped
  Stmt row;
};
Result<std::optional<StoredCheckpoint>> FindCheckpoint(sqlite3* db, date::sys_days as_of,
                                                       Timestamp known_at);
// The fold a stored checkpoint holds; kCorrupt if its state does not read.
// Touches no SQLite connection, so it may run on any thread.
Result<Fold> DecodeCheckpoint(const StoredCheckpoint& stored);

// Deletes the checkpoints whose day is on or after `first_day`: an event
// dated then was recorded or retracted after they were built.
void InvalidateCheckpoints(sqlite3* db, date::sys_days first_day);

// Checks every checkpoint equals the fold of a fresh replay to its day; one
// line per problem.
Result<std::vector<std::string>> CheckCheckpoints(sqlite3* db, Timestamp now);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_CHECKPOINTS_H_
