// The write path: resolving names, checking an event against what the
// ledger already holds, and appending it to the hash chain. A Writer lives
// inside one write transaction (BEGIN IMMEDIATE) and caches what it learns
// about the commitments and rounds it touches, so an import of many events
// reads each history once.
#ifndef DEALTRAIL_SRC_STORAGE_WRITER_H_
#define DEALTRAIL_SRC_STORAGE_WRITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/fold_state.h"
#include "dealtrail/ledger.h"
#include "dealtrail/replay.h"
#include "storage/event_rows.h"
#include "storage/insert_thread.h"
#include "storage/parties.h"
#include "storage/raw_statement.h"

namespace dealtrail::storage {

// What an import worked out for an event ahead of the writer, on the thread
// that parses its input.
struct Prepared {
  bool shape_checked = false;  // it passed ValidateShape (so it is not checked again)
  std::string_view tail;       // its SerializedTail as read, or empty
  std::int64_t bytes = 0;      // the input read through it (for InsertOnOwnThread's `leaving`)
};

class Writer {
 public:
  // Commitments' and rounds' histories kept at most; past it the cache is
  // emptied and histories are read again as needed. A history costs about
  // 300 bytes, so this is at most about 1.2 GB of each; it holds every
  // commitment of a 10M-event import (2.5M), which ran 24% faster than with
  // 1M (docs/benchmarks.md).
  static constexpr std::size_t kMaxCachedHistories = 4'000'000;

  // Reads the chain head and the party directory. Call inside a write
  // transaction; `now` is the recording time for events that carry none.
  static Result<std::unique_ptr<Writer>> Start(
      SQLite::Database& db, Timestamp now, std::size_t max_cached_histories = kMaxCachedHistories);

  // Validates `event` against the ledger and appends it (or finds it already
  // recorded). On failure nothing of this event is written; the caller
  // decides whether to roll the transaction back.
  Result<AppendResult> Add(Event event, const AppendOptions& options,
                           const Prepared& prepared = {});

  // Whether the ledger had no events when the writer started (so neither
  // replay checkpoints).
  bool started_empty() const { return started_empty_; }

  // Work left for the end of the transaction: the rows still going in, and
  // deleting the replay checkpoints the added events made stale. Call
  // before committing.
  Status Finish();

  // From here on, the rows of the events added go in on a thread of their
  // own (InsertThread). The writer keeps the latest `recent` events it added
  // (rounded up to a power of two), so its checks rarely read the ledger;
  // each, as stored (its seq, ids, recording time and hash filled in), goes
  // to `leaving` in seq order once `recent` more are added or at Finish,
  // with its Prepared::bytes. Only on a writer that started empty. Until Finish, the
  // caller uses the connection only after Drain.
  using Leaving = std::function<void(Event&&, std::int64_t bytes)>;
  static constexpr std::size_t kRecent = 4096;
  void InsertOnOwnThread(Leaving leaving, std::size_t recent = kRecent);
  // Waits until the row of every event added is in; SQLite's errors are
  // thrown. The connection is then the caller's until the next Add.
  void Drain();
  // Stops the insert thread: after Finish, or with the rows not yet in left
  // out (the transaction is to be rolled back). The writer inserts its own
  // rows again.
  void EndInsertThread();

 private:
  // A commitment's or round's state from every known, unretracted event of
  // it, and the latest effective first day among them.
  // `stale`: an event landed out of order (or was retracted); read again
  // when next needed.
  struct CommitmentHistory {
    std::string id;
    bool stale = false;
    std::optional<fold::CommitmentState> state;
    date::sys_days latest{};
  };
  struct RoundHistory {
    std::string id;
    bool stale = false;
    std::optional<fold::RoundState> state;
    date::sys_days latest{};
  };

  // Histories by id. Open addressing over (hash, history) pairs: a lookup
  // reads one slot and then the history it was looking for, instead of a
  // chain of nodes. A history stays where it is until Clear.
  template <typename History>
  class ById {
   public:
    History* Find(std::string_view id) const;
    History& Add(History history);  // its id not yet in the table
    void MarkStale(std::string_view id) {
      if (History* h = Find(id)) h->stale = true;
    }
    void Clear() {
      *this = ById();
      cleared_ = true;
    }
    // Whether it has been cleared (so it may lack an id it once held).
    bool cleared() const { return cleared_; }
    std::size_t size() const { return items_.size(); }

   private:
    struct Slot {
      std::uint64_t hash = 0;  // 0: empty
      History* history = nullptr;
    };
    std::vector<Slot> slots_;
    std::deque<History> items_;
    bool cleared_ = false;
  };

  // Hashes of the ids of the events this writer stored (open addressing, at
  // most half full: 16 bytes or less an event). With rows going in on their
  // own thread, the unique index on ids cannot refuse an id taken; an id
  // whose hash is here is inserted by the writer itself, after a Drain.
  class IdHashes {
   public:
    // Adds the hash of `id`; false if it was here already.
    bool Add(std::string_view id);

   private:
    std::vector<std::uint64_t> slots_;  // 0: empty
    std::size_t size_ = 0;
  };

  Writer(SQLite::Database& db, Timestamp now, std::size_t max_cached_histories);
  // Whether the ledger may hold a commitment's or round's events. A ledger
  // that had no events when the writer started holds only what this writer
  // added, and each of those went through the histories: most answers need
  // no query.
  bool MayHoldCommitment(std::string_view id) const;
  bool MayHoldRound(std::string_view id) const;
  // The party directory, made when an event first names a party.
  PartyDirectory& Parties();

  // Party names to ids; *renamed: whether any changed.
  Status Resolve(Event& e, bool* renamed);
  // What a retraction needs of the event it names (by event id).
  struct Target {
    std::int64_t seq = 0;
    std::string kind, commitment, round, effective_date;
  };
  std::optional<Target> FindTarget(const std::string& event_id);
  std::optional<Target> FindStoredTarget(const std::string& event_id);  // among rows in
  // What Check found out about an event that fits, for Insert and Remember.
  struct Checked {
    CommitmentHistory* history = nullptr;  // its commitment's cached history
    std::optional<Target> target;          // the event a retraction names
  };
  // Whether `e` fits the ledger as a new event.
  Status Check(const Event& e, const AppendOptions& options, Checked* checked);
  // The result of adding `e` again if an event with its id is recorded: the
  // same event, or a conflict naming the first field that differs.
  Result<std::optional<AppendResult>> Recorded(const Event& e);
  Status CheckParty(const Event& e);
  Status CheckCommitment(const Event& e, const AppendOptions& options, CommitmentHistory& history);
  Status CheckRound(const Event& e);
  // Leaves the event it names in *found.
  Status CheckRetract(const Event& e, std::optional<Target>* found);
  // Whether the commitment of `target` holds together without it.
  Status CheckWithout(const Event& e, const Target& target);
  // Appends `e` to the chain (`tail`: its SerializedTail, if known); a
  // conflict if its id is taken. *later: its row is left to the insert
  // thread.
  Status Insert(Event& e, std::string_view tail, const Checked& checked, bool* later);
  // Keeps `e`, just added, among the recent events, and hands its row to
  // the insert thread (`stored`: it is in already).
  void Keep(Event&& e, std::int64_t bytes, bool stored);
  // The recent event `seq`, or null.
  const Event* RecentEvent(std::int64_t seq) const;
  std::size_t RecentSlot(std::int64_t seq) const {
    return static_cast<std::size_t>(seq) & (recent_.size() - 1);
  }
  // Runs `read` on the connection: through the insert thread, if there is
  // one (InsertThread::Read).
  void OnConnection(const std::function<void()>& read);
  // Keeps the cached histories up to date.
  void Remember(const Event& e, const Checked& checked);

  // The cached history (read once, then kept up to date as events are
  // added); it stays in place until the next Add.
  Result<CommitmentHistory*> LoadCommitment(const std::string& id);
  Result<RoundHistory*> LoadRound(const std::string& id);
  // One commitment's (round's) state from its events dated on or before
  // `at`, with `extra` (not yet recorded) where its date puts it and the
  // event `skip_id` left out.
  Result<std::optional<fold::CommitmentState>> CommitmentUpTo(const std::string& id,
                                                              date::sys_days at,
                                                              const Event* extra = nullptr,
                                                              std::string_view skip_id = {});
  Result<std::optional<fold::RoundState>> RoundUpTo(const std::string& id, date::sys_days at);
  // Calls `fn` on each unretracted event of a commitment (`round`: of a
  // round: its round-* events and valuations) dated on or before `at`, in
  // (effective day, seq) order: from the writer's own rows when the ledger
  // started empty, otherwise through the indexes by commitment and round.
  template <typename Fn>
  Status ForEachOfHistory(bool round, const std::string& id, date::sys_days at, Fn&& fn);
  // What one event does, exactly as in replay.
  Status Step(std::optional<fold::CommitmentState>& state, const Event& e);
  void Step(std::optional<fold::RoundState>& state, const Event& e);
  // Whether a commitment's opening dated on or before `by` is in view.
  Result<bool> HasOpening(const std::string& commitment, date::sys_days by);
  // The commitment's figures (fold::Figures) a new event dated `date` would
  // see: from the cache unless the event is back-dated, otherwise read afresh.
  Result<std::optional<CommitmentPosition>> CommitmentAt(const std::string& id,
                                                         const CommitmentHistory& history,
                                                         const PartialDate& date);
  Result<std::optional<fold::RoundState>> RoundAt(const std::string& id, const PartialDate& date);
  Status NoSuchCommitment(const std::string& field, const std::string& id);

  // A ledger that started empty holds only what this writer added, so the
  // writer keeps, for each row, what its histories ask of it: a chain of
  // each commitment's (round's) rows, newest first, with their days and
  // kinds, and whether a retraction names them. A history is then read row
  // by row through the table's own key, and an import can leave the indexes
  // by commitment and by round to be built after its last row
  // (DeferredIndexes).
  struct OwnRow {
    std::int64_t previous = 0;  // the same commitment's (round's) row before, or 0
    std::int32_t day = 0;       // effective first day, in days since 1970-01-01
    EventKind kind{};
    bool retracted = false;
  };
  // Calls fn(seq, row) on each row of commitment `id` (`round`: of round
  // `id`) this writer added, newest first, until fn returns true; whether it
  // did.
  template <typename Fn>
  bool AnyOwnRow(bool round, std::string_view id, Fn&& fn) const;
  // Adds the row of `e`, just inserted (`retracted`: the seq it retracts).
  void AddOwnRow(const Event& e, std::int64_t retracted);
  // The stored event at `seq` (on the connection's turn: OnConnection).
  Result<Event> ReadRow(std::int64_t seq);

  SQLite::Database& db_;
  Timestamp now_;
  std::size_t max_cached_histories_;
  std::optional<PartyDirectory> parties_;
  std::optional<date::sys_days> stale_from_;  // checkpoints from this day on are stale
  std::int64_t head_seq_ = 0;
  bool started_empty_ = false;
  std::string head_hash_;
  Timestamp head_recorded_{};
  fold::Interner names_;
  ById<CommitmentHistory> commitments_;
  ById<RoundHistory> rounds_;
  // The insert runs once per event: a raw statement, bound without copies.
  Stmt insert_;
  BoundText bound_;
  std::optional<SQLite::Statement> find_id_;
  std::optional<SQLite::Statement> commitment_history_;
  std::optional<SQLite::Statement> round_history_;
  std::optional<SQLite::Statement> round_latest_;
  std::optional<SQLite::Statement> has_opening_;
  std::optional<SQLite::Statement> find_target_;
  std::optional<SQLite::Statement> find_retraction_;
  std::optional<SQLite::Statement> read_row_;
  std::deque<OwnRow> own_rows_;  // by seq - 1, when started_empty_ (no spare capacity)
  std::vector<std::int64_t> newest_of_commitment_, newest_of_round_;  // by Sym of the id
  // With an insert thread: the latest events added, by seq (a ring), the
  // hashes of their ids (0: none) and the input bytes read through them;
  // whether the writer inserted the row itself.
  struct Recent {
    Event event;
    std::int64_t bytes = 0;
    bool stored = false;
  };
  std::vector<Recent> recent_;
  std::vector<std::uint64_t> recent_ids_;
  Leaving leaving_;
  std::int64_t handed_ = 0;      // rows handed to the insert thread, through this seq
  std::int64_t hand_every_ = 1;  // rows handed over at a time
  IdHashes stored_ids_;          // with inserter_
  // Last: stopped before the statements beside it are finalized.
  std::unique_ptr<InsertThread> inserter_;
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_WRITER_H_
