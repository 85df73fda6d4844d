// The write path: resolving names, checking an event against what the
// ledger already holds, and appending it to the hash chain. A Writer lives
// inside one write transaction (BEGIN IMMEDIATE) and caches what it learns
// about the commitments and rounds it touches, so an import of many events
// reads each history once.
#ifndef DEALTRAIL_SRC_STORAGE_WRITER_H_
#define DEALTRAIL_SRC_STORAGE_WRITER_H_

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "dealtrail/ledger.h"
#include "dealtrail/replay.h"
#include "storage/parties.h"

namespace dealtrail::storage {

class Writer {
 public:
  // Reads the chain head and the party directory. Call inside a write
  // transaction; `now` is the recording time for events that carry none.
  static Result<std::unique_ptr<Writer>> Start(SQLite::Database& db, Timestamp now);

  // Validates `event` against the ledger and appends it (or finds it already
  // recorded). On failure nothing of this event is written; the caller
  // decides whether to roll the transaction back.
  Result<AppendResult> Add(Event event, const AppendOptions& options);

  // Work left for the end of the transaction: deleting the replay
  // checkpoints the added events made stale. Call before committing.
  Status Finish();

 private:
  struct History {
    Fold fold;                // every known, unretracted event of one commitment or round
    date::sys_days latest{};  // the latest effective first day in it
  };

  Writer(SQLite::Database& db, Timestamp now, PartyDirectory parties);

  Status Resolve(Event& e) const;
  Status CheckParty(const Event& e) const;
  Status CheckCommitment(const Event& e, const AppendOptions& options);
  Status CheckRound(const Event& e);
  Status CheckRetract(const Event& e);
  Status Insert(Event& e);
  void Remember(const Event& e);

  // The history of a commitment or round (loaded once, then kept up to date).
  Result<History*> CommitmentHistory(const std::string& id);
  Result<History*> RoundHistory(const std::string& id);
  // A fold of one commitment's (or round's) events dated on or before `at`,
  // with `extra` (not yet recorded) applied where its date puts it.
  Result<Fold> FoldUpTo(bool commitment, const std::string& id, date::sys_days at,
                        const Event* extra = nullptr, std::string_view skip_id = {});
  // The opening event of a commitment dated on or before `by`, if in view.
  Result<std::optional<Event>> OpeningOf(const std::string& commitment, date::sys_days by);
  // The state a new event dated `date` would see: from the cache when the
  // event is not back-dated, otherwise folded afresh.
  Result<const CommitmentPosition*> CommitmentAt(const std::string& id, const PartialDate& date,
                                                 std::optional<Fold>* scratch);
  Result<const RoundPosition*> RoundAt(const std::string& id, const PartialDate& date,
                                       std::optional<Fold>* scratch);
  Status NoSuchCommitment(const std::string& field, const std::string& id);

  SQLite::Database& db_;
  Timestamp now_;
  PartyDirectory parties_;
  std::optional<date::sys_days> stale_from_;  // checkpoints from this day on are stale
  std::int64_t head_seq_ = 0;
  std::string head_hash_;
  Timestamp head_recorded_{};
  std::unordered_map<std::string, std::unique_ptr<History>> commitments_;
  std::unordered_map<std::string, std::unique_ptr<History>> rounds_;
  SQLite::Statement insert_;
  SQLite::Statement find_id_;
  std::optional<SQLite::Statement> commitment_history_;
  std::optional<SQLite::Statement> round_history_;
  std::optional<SQLite::Statement> round_latest_;
  std::optional<SQLite::Statement> opening_;
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_WRITER_H_
