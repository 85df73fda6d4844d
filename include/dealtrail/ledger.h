// The ledger: one SQLite file holding an append-only, hash-chained log of
// events, plus the reference data those events define (parties, aliases).
// Every write is one SQLite transaction (BEGIN IMMEDIATE): it happens whole
// or not at all, and a failed call leaves the file as it was.
//
// Thread-safety: a Ledger is one connection; use it from one thread at a
// time. Several processes may open the same file; writers wait on each other
// (busy timeout) rather than fail.
#ifndef DEALTRAIL_LEDGER_H_
#define DEALTRAIL_LEDGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/reader.h"
#include "dealtrail/replay.h"
#include "dealtrail/status.h"
#include "dealtrail/time.h"
#include "dealtrail/timeline.h"

namespace dealtrail {

// The file format: SQLite's application_id ("DLTR") and the schema version
// this build writes (PRAGMA user_version).
inline constexpr std::int32_t kApplicationId = 0x444C5452;
int CurrentSchemaVersion();

struct AppendOptions {
  // For revise: fail with kVersionMismatch unless the commitment has had
  // exactly this many events applied (its `version` in replay).
  std::optional<int> expect_version;
};

struct AppendResult {
  std::int64_t seq = 0;
  std::string id;
  std::string hash;
  bool already_present = false;  // the same event was recorded before; nothing written
};

struct ImportOptions {
  bool dry_run = false;  // validate everything, write nothing
  // Parse the input on a second thread, ahead of the writer. Off for input
  // typed at a terminal: an error there should not wait for the end of input.
  bool read_ahead = true;
  // The input's size in bytes, when known (a file). With it, an import into
  // a ledger without events builds the replay checkpoints as it goes, on a
  // second thread, rather than replaying the ledger again afterwards.
  std::int64_t input_bytes = 0;
  // Called now and then with the events read so far.
  std::function<void(std::int64_t events, std::int64_t bytes)> progress;
};

struct ImportSummary {
  std::int64_t read = 0;
  std::int64_t added = 0;
  std::int64_t already_present = 0;
  std::int64_t first_seq = 0;  // of the added events, 0 if none
  std::int64_t last_seq = 0;
  std::int64_t checkpoints = 0;  // replay checkpoints rebuilt afterwards (large imports)
};

struct PartyInfo {
  std::string id;
  std::string name;
  std::string kind;
  std::vector<std::string> aliases;  // as typed, in the order added
};

struct VerifyReport {
  int schema_version = 0;
  std::int64_t events = 0;
  std::string head_hash;              // hash of the last event (the genesis hash if none)
  std::vector<std::string> problems;  // empty when everything checks
  std::int64_t first_bad_seq = 0;     // 0 when the chain is whole
  bool ok() const { return problems.empty(); }
};

// An anchor for the hash chain: how many events the ledger had and the hash
// of the last one. Saved outside the ledger, it lets verify detect a
// truncated or rewritten history.
struct ChainCheckpoint {
  std::int64_t events = 0;
  std::string head_hash;
};

struct OpenOptions {
  bool read_only = false;
  // How long a write waits for other writers before giving up with kIo
  // ("the ledger is busy"). Writers queue; they do not fail at once.
  int busy_wait_ms = 120'000;
  // SQLite's max_page_count for this connection (0: no limit): a write that
  // would grow the file past it fails with "full" and changes nothing.
  std::int64_t max_page_count = 0;
};

// Which events a timeline shows. Filters combine with AND; empty means all.
struct TimelineQuery {
  std::optional<date::sys_days> to;   // effective first day on or before (default: no limit)
  std::optional<Timestamp> known_at;  // as known at (default: now)
  std::string party;                  // commitments from or to it, rounds it raises, its valuations
  std::optional<std::pair<std::string, std::string>> pair;  // commitments between the two
  std::string commitment;                                   // one commitment
  std::string round;  // one round (and the commitments that name it)
  // With a filter above: also every event of these commitments, and of these
  // rounds and the commitments that name them (what shown events depend on).
  std::vector<std::string> with_commitments;
  std::vector<std::string> with_rounds;
};

// One event of a timeline, with whether it was retracted (as known at the
// query's time) and by which event.
struct TimelineEntry {
  Event event;
  std::string retracted_by;  // id of the retract event, or "" if in force
};

struct ReplayQuery {
  std::optional<date::sys_days> as_of;  // default: today by the ledger's clock
  std::optional<Timestamp> known_at;    // default: now
  PositionFilter filter;
  // Start from the nearest replay checkpoint (same result, fewer events read).
  bool use_checkpoints = true;
};

// The fold a replay finishes, with the day and knowledge time it used.
struct ReplayedFold {
  Fold fold;
  date::sys_days as_of{};
  Timestamp known_at{};
};

// Imports of at least this many events rebuild the replay checkpoints.
inline constexpr std::int64_t kCheckpointAfterImport = 100'000;

class Ledger {
 public:
  // Creates a new ledger file at `path` (it must not exist) with the current
  // schema. kConflict if the file exists.
  static Result<Ledger> Create(const std::string& path, Clock clock);
  // Opens an existing ledger. kNotALedger if the file is not a dealtrail
  // ledger or has a newer schema; kIo if it cannot be opened. Older schemas
  // are migrated in one transaction (not in read-only mode).
  static Result<Ledger> Open(const std::string& path, Clock clock, bool read_only = false);
  static Result<Ledger> Open(const std::string& path, Clock clock, const OpenOptions& options);

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  // Validates and appends one event. Party names in it may be aliases; they
  // are stored as party ids. Sets seq, recorded_at (unless carried), id
  // (derived if empty) and hash. The same id with the same content is a no-op
  // (already_present); with other content, kConflict naming the field.
  Result<AppendResult> Append(Event event, const AppendOptions& options = {});

  // Appends every event the reader yields, in one transaction: all or
  // nothing. Errors are located at the reader's "name:line".
  Result<ImportSummary> Import(EventReader& reader, const ImportOptions& options = {});

  // Every event in sequence order.
  Status ForEachEvent(const std::function<Status(const Event&)>& fn) const;

  // Rebuilds the replay checkpoints from what is known now: one after each
  // `every` events in effective order (0: a sixteenth of the ledger, at least
  // 10,000 events apart). Returns how many were written. Recording an event
  // dated on or before a checkpoint's day, or retracting one, deletes the
  // checkpoints it affects; replay is the same with or without them.
  Result<std::int64_t> RebuildCheckpoints(std::int64_t every = 0);

  // Positions as of a date, as known at a time. Folds on a second thread
  // (joined before it returns) while the calling thread reads the events;
  // the connection is used by the calling thread only.
  Result<Positions> Replay(const ReplayQuery& query) const;
  // The same replay before Finish, for callers that read its positions a
  // few at a time (Fold::ListCommitments, Fold::Materialize).
  Result<ReplayedFold> ReplayFold(const ReplayQuery& query) const;

  // Schema version, SQLite integrity check, sequence, hash chain, replay
  // invariants, and with `against`, that the chain still holds that
  // checkpoint (event N has the saved hash). A damaged ledger is a report
  // with problems, not an error.
  Result<VerifyReport> Verify(const std::optional<ChainCheckpoint>& against = std::nullopt) const;

  // Every event matching `query` (party events left out) in effective order
  // — first day, then seq — as known at query.known_at. Retracted events are
  // included and marked; retractions themselves are not.
  Status Timeline(const TimelineQuery& query,
                  const std::function<Status(const TimelineEntry&)>& fn) const;

  // The timeline of the events `query` selects, as known at query.known_at:
  // rows with running totals and lanes (dealtrail/timeline.h). It reads only
  // the selected events and what they depend on (the commitments and rounds
  // they name, those rounds' participants, and so on) — the rows are the
  // same as from folding every event in view.
  Result<dealtrail::Timeline> BuildTimeline(const TimelineQuery& query,
                                            const TimelineOptions& options) const;

  // Every retraction recorded by `known_at` (default now), in sequence order.
  Status Retractions(std::optional<Timestamp> known_at,
                     const std::function<Status(const Event&)>& fn) const;

  // Writes a consistent copy of the ledger to `dest` (which must not exist),
  // while other processes may be writing. A ledger whose pages fail SQLite's
  // quick_check is refused (kCorrupt) and nothing is written: the copy builds
  // its indexes afresh and would otherwise hide a damaged index page.
  Status Backup(const std::string& dest) const;

  // The party id a name or alias stands for. kNotFound names the nearest
  // known names.
  Result<std::string> ResolveParty(std::string_view name) const;
  Result<std::vector<PartyInfo>> Parties() const;

  const std::string& path() const;
  Timestamp Now() const;

  // The implementation's state, defined privately in src/storage.
  struct Impl;

 private:
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dealtrail

#endif  // DEALTRAIL_LEDGER_H_
