// Replay checkpoints: the fold's state saved at intervals along effective
// time, so a replay reads only the events after the nearest one.
#include "storage/checkpoints.h"

#include <SQLiteCpp/Exception.h>

#include <memory>

#include "storage/fold_scan.h"
#include "storage/raw_statement.h"

namespace dealtrail::storage {
namespace {

Status Damaged() {
  return {StatusCode::kCorrupt, "",
          "a replay checkpoint is damaged; rebuild them with: dealtrail checkpoint"};
}

void Step(sqlite3* db, sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw SQLite::Exception(db, rc);
}

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// The ledger's knowledge now: its last event's seq and recording time.
struct Head {
  std::int64_t seq = 0;
  std::string recorded_at;
};

Head ReadHead(sqlite3* db) {
  Stmt q = Prepare(db, "SELECT seq, recorded_at FROM events ORDER BY seq DESC LIMIT 1");
  Head head;
  if (sqlite3_step(q.get()) == SQLITE_ROW) {
    head.seq = sqlite3_column_int64(q.get(), 0);
    head.recorded_at = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1));
  }
  return head;
}

// A full replay of what is known now, calling `at_boundary(day, next, fold)`
// between effective days: after the last event of `day`, before the first
// event of `next` (empty at the end).
template <typename Fn>
Status ReplayKnownNow(sqlite3* db, Timestamp now, Fold& fold, Fn&& at_boundary) {
  const RetractedEvents retracted = RetractedBy(db, now);
  FoldScanRange range;
  range.through = date::sys_days(date::year{9999} / 12 / 31);
  range.known_at = now;
  range.skip = &retracted;
  std::optional<date::sys_days> day;
  range.before_each = [&](const FoldEvent& next) -> Status {
    if (day && next.date.first() > *day) {
      DEALTRAIL_RETURN_IF_ERROR(at_boundary(*day, std::optional(next.date.first()), fold));
    }
    day = next.date.first();
    return {};
  };
  auto read = ScanIntoFold(db, range, fold);
  if (!read.ok()) return read.status();
  if (day) DEALTRAIL_RETURN_IF_ERROR(at_boundary(*day, std::optional<date::sys_days>(), fold));
  return {};
}

}  // namespace

CheckpointStore::CheckpointStore(sqlite3* db)
    : db_(db),
      insert_(Prepare(db,
                      "INSERT INTO replay_checkpoints (through_date, through_seq, "
                      "recorded_through, events, state) VALUES (?1, ?2, ?3, ?4, ?5)")) {}

void CheckpointStore::Put(date::sys_days through, std::int64_t through_seq,
                          const std::string& recorded_through, std::int64_t events,
                          std::string_view state) {
  sqlite3_stmt* s = insert_.get();
  sqlite3_reset(s);
  BindText(s, 1, FormatDay(through));
  sqlite3_bind_int64(s, 2, through_seq);
  BindText(s, 3, recorded_through);
  sqlite3_bind_int64(s, 4, events);
  // Tens of megabytes on a large ledger: SQLite reads them in place.
  sqlite3_bind_blob64(s, 5, state.data(), state.size(), SQLITE_STATIC);
  Step(db_, s);
  sqlite3_bind_null(s, 5);  // before `state` goes
}

void ClearCheckpoints(sqlite3* db) {
  Stmt clear = Prepare(db, "DELETE FROM replay_checkpoints");
  Step(db, clear.get());
}

Result<std::int64_t> RebuildCheckpoints(sqlite3* db, std::int64_t every) {
  ClearCheckpoints(db);
  const Head head = ReadHead(db);
  if (head.seq == 0) return std::int64_t{0};
  auto known = ParseTimestamp(head.recorded_at);
  if (!known.ok()) return known.status();

  CheckpointStore store(db);
  std::int64_t written = 0;
  std::int64_t at_last = 0;
  Fold fold;
  Status s = ReplayKnownNow(
      db, *known, fold,
      [&](date::sys_days day, std::optional<date::sys_days>, const Fold& f) -> Status {
        if (f.events_applied() - at_last < every) return {};
        at_last = f.events_applied();
        store.Put(day, head.seq, head.recorded_at, f.events_applied(), f.Serialize());
        ++written;
        return {};
      });
  if (!s.ok()) return s;
  return written;
}

Result<std::optional<StoredCheckpoint>> FindCheckpoint(sqlite3* db, date::sys_days as_of,
                                                       Timestamp known_at) {
  Stmt q = Prepare(db,
                   "SELECT through_date, state FROM replay_checkpoints "
                   "WHERE through_date <= ?1 AND recorded_through <= ?2 "
                   "ORDER BY through_date DESC LIMIT 1");
  BindText(q.get(), 1, FormatDay(as_of));
  BindText(q.get(), 2, FormatTimestamp(known_at));
  const int rc = sqlite3_step(q.get());
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) throw SQLite::Exception(db, rc);
  auto day = ParseDay(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
  if (!day.ok()) return Damaged();
  const auto* blob = static_cast<const char*>(sqlite3_column_blob(q.get(), 1));
  const std::string_view state(blob, static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 1)));
  return std::optional<StoredCheckpoint>(StoredCheckpoint{*day, state, std::move(q)});
}

Result<Fold> DecodeCheckpoint(const StoredCheckpoint& stored) {
  auto fold = Fold::Deserialize(stored.state);
  if (!fold.ok()) return Damaged();
  return fold;
}

void InvalidateCheckpoints(sqlite3* db, date::sys_days first_day) {
  Stmt q = Prepare(db, "DELETE FROM replay_checkpoints WHERE through_date >= ?1");
  BindText(q.get(), 1, FormatDay(first_day));
  Step(db, q.get());
}

Result<std::vector<std::string>> CheckCheckpoints(sqlite3* db, Timestamp now) {
  struct Stored {
    date::sys_days day;
    std::string state;
  };
  std::vector<Stored> stored;
  Stmt q = Prepare(db, "SELECT through_date, state FROM replay_checkpoints ORDER BY through_date");
  while (sqlite3_step(q.get()) == SQLITE_ROW) {
    auto day = ParseDay(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(q.get(), 1));
    if (!day.ok()) return std::vector<std::string>{"a replay checkpoint has a bad date"};
    std::string state(blob, static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 1)));
    // A checkpoint of an older format is compared in today's: decoded and
    // written again (one that does not decode differs from anything).
    if (state.compare(0, 4, "DTF1") == 0) {
      auto fold = Fold::Deserialize(state);
      state = fold.ok() ? fold->Serialize() : std::string();
    }
    stored.push_back({*day, std::move(state)});
  }
  std::vector<std::string> problems;
  if (stored.empty()) return problems;
  // A checkpoint dated D holds the state after every event dated on or
  // before D: compare it just before the first event dated after D.
  std::size_t next = 0;
  auto compare_before = [&](std::optional<date::sys_days> first_day, const Fold& fold) {
    while (next < stored.size() && (!first_day || stored[next].day < *first_day)) {
      if (stored[next].state != fold.Serialize()) {
        problems.push_back("replay checkpoint " + FormatDay(stored[next].day) +
                           " differs from a fresh replay to that day");
      }
      ++next;
    }
  };
  Fold fold;
  Status s = ReplayKnownNow(
      db, now, fold,
      [&](date::sys_days, std::optional<date::sys_days> next_day, const Fold& f) -> Status {
        compare_before(next_day, f);
        return {};
      });
  if (!s.ok()) return s;
  compare_before(std::nullopt, fold);
  return problems;
}

}  // namespace dealtrail::storage
