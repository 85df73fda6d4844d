// Checking events against the ledger and appending them to the hash chain.
#include "storage/writer.h"

#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <bit>

#include "core/chain_hash.h"
#include "core/text.h"
#include "storage/checkpoints.h"
#include "storage/event_rows.h"
#include "storage/schema.h"

namespace dealtrail::storage {
namespace {

const date::sys_days kEndOfTime = date::sys_days(date::year{9999} / 12 / 31);

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

Writer::Writer(SQLite::Database& db, Timestamp now, std::size_t max_cached_histories)
    : db_(db),
      now_(now),
      max_cached_histories_(max_cached_histories),
      head_hash_(kGenesisHash),
      insert_(Prepare(db.getHandle(), kInsertEvent)) {}

Result<std::unique_ptr<Writer>> Writer::Start(SQLite::Database& db, Timestamp now,
                                              std::size_t max_cached_histories) {
  std::unique_ptr<Writer> w(new Writer(db, now, max_cached_histories));
  SQLite::Statement head(db, "SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1");
  if (head.executeStep()) {
    w->head_seq_ = head.getColumn(0).getInt64();
    w->head_hash_ = head.getColumn(1).getString();
    auto recorded = ParseTimestamp(head.getColumn(2).getString());
    if (!recorded.ok()) {
      return Status{StatusCode::kCorrupt, "recorded_at",
                    "the last event's recording time cannot be read; run dealtrail verify"};
    }
    w->head_recorded_ = *recorded;
  }
  w->started_empty_ = w->head_seq_ == 0;
  return w;
}

namespace {

std::uint64_t HashOf(std::string_view id) {
  const std::uint64_t h = std::hash<std::string_view>{}(id);
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

// The statement kept in `slot`: prepared from `sql` on first use (once per
// writer), reset for another run every time.
SQLite::Statement& Ready(SQLite::Database& db, std::optional<SQLite::Statement>& slot,
                         const char* sql) {
  if (!slot) slot.emplace(db, sql);
  slot->reset();
  return *slot;
}

}  // namespace

template <typename History>
History* Writer::ById<History>::Find(std::string_view id) const {
  if (slots_.empty()) return nullptr;
  const std::uint64_t hash = HashOf(id);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask; slots_[i].hash != 0; i = (i + 1) & mask) {
    if (slots_[i].hash == hash && slots_[i].history->id == id) return slots_[i].history;
  }
  return nullptr;
}

template <typename History>
History& Writer::ById<History>::Add(History history) {
  if ((items_.size() + 1) * 2 > slots_.size()) {  // at most half full
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{});
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      std::size_t i = slot.hash & (slots_.size() - 1);
      while (slots_[i].hash != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }
  const std::uint64_t hash = HashOf(history.id);
  std::size_t i = hash & (slots_.size() - 1);
  while (slots_[i].hash != 0) i = (i + 1) & (slots_.size() - 1);
  History& added = items_.emplace_back(std::move(history));
  slots_[i] = Slot{hash, &added};
  return added;
}

bool Writer::IdHashes::Add(std::string_view id) {
  if ((size_ + 1) * 2 > slots_.size()) {  // at most half full
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), 0);
    for (const std::uint64_t h : old) {
      if (h == 0) continue;
      std::size_t i = h & (slots_.size() - 1);
      while (slots_[i] != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = h;
    }
  }
  const std::uint64_t hash = HashOf(id);
  std::size_t i = hash & (slots_.size() - 1);
  for (; slots_[i] != 0; i = (i + 1) & (slots_.size() - 1)) {
    if (slots_[i] == hash) return false;
  }
  slots_[i] = hash;
  ++size_;
  return true;
}

void Writer::InsertOnOwnThread(Leaving leaving, std::size_t recent) {
  if (!started_empty_ || inserter_) return;
  leaving_ = std::move(leaving);
  recent_.resize(std::bit_ceil(std::max<std::size_t>(2, recent)));
  recent_ids_.assign(recent_.size(), 0);
  hand_every_ = std::min<std::int64_t>(256, static_cast<std::int64_t>(recent_.size() / 2));
  handed_ = head_seq_;
  // Read on the insert thread: a ring slot is written again only after its
  // row is in (Keep).
  inserter_ = std::make_unique<InsertThread>(db_, head_seq_, [this](std::int64_t seq) {
    const Recent& r = recent_[RecentSlot(seq)];
    return r.stored ? nullptr : &r.event;
  });
}

void Writer::EndInsertThread() { inserter_.reset(); }

void Writer::OnConnection(const std::function<void()>& read) {
  inserter_ ? inserter_->Read(read) : read();
}

void Writer::Drain() {
  if (!inserter_) return;
  inserter_->Hand(head_seq_);
  handed_ = head_seq_;
  inserter_->Drain();
}

void Writer::Keep(Event&& e, std::int64_t bytes, bool stored) {
  const std::int64_t seq = e.seq;
  const std::size_t slot = RecentSlot(seq);
  Recent& r = recent_[slot];
  if (recent_ids_[slot] != 0) {  // the event a ring before leaves, once its row is in
    // Behind, the insert thread is waited for hand_every_ rows at a time, so
    // that the two do not wake each other for every row.
    if (inserter_->inserted_through() < r.event.seq) {
      if (handed_ < seq - 1) {
        inserter_->Hand(seq - 1);
        handed_ = seq - 1;
      }
      inserter_->WaitFor(std::min(r.event.seq + hand_every_, handed_));
    }
    if (leaving_) leaving_(std::move(r.event), r.bytes);
  }
  r.event = std::move(e);
  r.bytes = bytes;
  r.stored = stored;
  recent_ids_[slot] = HashOf(r.event.id);
  if (seq - handed_ >= hand_every_) {
    inserter_->Hand(seq);
    handed_ = seq;
  }
}

const Event* Writer::RecentEvent(std::int64_t seq) const {
  if (!inserter_ || seq < 1 || seq > head_seq_) return nullptr;
  const std::size_t slot = RecentSlot(seq);
  const Recent& r = recent_[slot];
  return recent_ids_[slot] != 0 && r.event.seq == seq ? &r.event : nullptr;
}

bool Writer::MayHoldCommitment(std::string_view id) const {
  return !started_empty_ || commitments_.cleared() || commitments_.Find(id) != nullptr;
}

bool Writer::MayHoldRound(std::string_view id) const {
  return !started_empty_ || rounds_.cleared() || rounds_.Find(id) != nullptr;
}

Result<AppendResult> Writer::Add(Event e, const AppendOptions& options, const Prepared& prepared) {
  if (!prepared.shape_checked) DEALTRAIL_RETURN_IF_ERROR(ValidateShape(e));
  if (inserter_) inserter_->ThrowIfFailed();
  bool renamed = false;
  DEALTRAIL_RETURN_IF_ERROR(Resolve(e, &renamed));
  if (e.id.empty()) e.id = DerivedEventId(e);
  // Room for this event's histories is made before any is read, so the ones
  // it reads stay where they are until it is stored.
  if (commitments_.size() >= max_cached_histories_) commitments_.Clear();
  if (rounds_.size() >= max_cached_histories_) rounds_.Clear();

  // An event recorded before is looked up by its id only when it does not
  // fit as a new one: a check refuses it, or the unique index on ids does.
  Checked checked;
  bool later = false;
  Status fits = Check(e, options, &checked);
  if (fits.ok()) fits = Insert(e, renamed ? std::string_view() : prepared.tail, checked, &later);
  if (!fits.ok()) {
    Drain();  // the event may be among the rows going in
    auto recorded = Recorded(e);
    if (!recorded.ok()) return recorded.status();
    if (*recorded) return **recorded;
    return fits;
  }
  Remember(e, checked);
  AppendResult result{e.seq, e.id, e.hash, false};
  if (inserter_) Keep(std::move(e), prepared.bytes, /*stored=*/!later);
  return result;
}

Status Writer::Check(const Event& e, const AppendOptions& options, Checked* checked) {
  if (options.expect_version && e.kind != EventKind::kRevise) {
    return Status::Invalid("expect_version", "applies to revise events only");
  }
  if (IsPartyKind(e.kind)) return CheckParty(e);
  if (e.kind == EventKind::kRetract) return CheckRetract(e, &checked->target);
  if (!IsCommitmentKind(e.kind)) return CheckRound(e);
  auto loaded = LoadCommitment(e.commitment);
  if (!loaded.ok()) return loaded.status();
  checked->history = *loaded;
  return CheckCommitment(e, options, *checked->history);
}

Result<std::optional<AppendResult>> Writer::Recorded(const Event& e) {
  static const std::string kSql =
      std::string("SELECT ") + kEventColumns + " FROM events WHERE event_id = ?";
  SQLite::Statement& q = Ready(db_, find_id_, kSql.c_str());
  q.bind(1, e.id);
  if (!q.executeStep()) return std::optional<AppendResult>();
  auto stored = EventFromRow(q);
  q.reset();
  if (!stored.ok()) return stored.status();
  const std::string diff = FirstDifference(*stored, e);
  if (diff.empty()) return std::optional(AppendResult{stored->seq, stored->id, stored->hash, true});
  return Status::Conflict(diff, "event id " + Quote(e.id) + " was recorded as event " +
                                    std::to_string(stored->seq) + " with a different " + diff);
}

PartyDirectory& Writer::Parties() {
  if (!parties_) {
    parties_.emplace(db_);
    // Its reads go where the writer's go: through the insert thread while
    // there is one.
    parties_->ShareConnection([this](const std::function<void()>& read) { OnConnection(read); });
  }
  return *parties_;
}

Status Writer::Resolve(Event& e, bool* renamed) {
  if (!IsPartyKind(e.kind) && e.kind != EventKind::kOpen && e.kind != EventKind::kRoundOpen &&
      e.kind != EventKind::kValuation) {
    return {};  // names no party
  }
  PartyDirectory& parties = Parties();
  auto resolve = [&](std::string& name, std::string_view field) -> Status {
    auto id = parties.Resolve(name, field);
    if (!id.ok()) return id.status();
    if (*id != name) {
      name = *id;
      *renamed = true;
    }
    return {};
  };
  if (e.kind == EventKind::kOpen) {
    DEALTRAIL_RETURN_IF_ERROR(resolve(e.from, "from"));
    DEALTRAIL_RETURN_IF_ERROR(resolve(e.to, "to"));
    if (e.from == e.to) {
      return Status::Invalid("to", Quote(e.to) +
                                       " is the same party as from: a commitment "
                                       "needs two different parties");
    }
  } else if (e.kind == EventKind::kPartyAlias || e.kind == EventKind::kRoundOpen ||
             e.kind == EventKind::kValuation) {
    DEALTRAIL_RETURN_IF_ERROR(resolve(e.party, "party"));
  }
  return {};
}

Status Writer::CheckParty(const Event& e) {
  PartyDirectory& parties = Parties();
  if (e.kind == EventKind::kPartyAdd) {
    if (parties.HasId(e.party)) {
      return Status::Conflict("party", "party " + Quote(e.party) + " exists already");
    }
    if (auto owner = parties.OwnerOfAlias(e.party); !owner.empty()) {
      return Status::Conflict("party", Quote(e.party) + " is already an alias of " + owner);
    }
    if (auto owner = parties.OwnerOfAlias(e.name); !owner.empty()) {
      return Status::Conflict("name", Quote(e.name) + " already names party " + owner);
    }
  }
  for (const std::string& alias : e.aliases) {
    if (auto owner = parties.OwnerOfAlias(alias); !owner.empty()) {
      return Status::Conflict("aliases", Quote(alias) + " already names party " + owner);
    }
    if (parties.HasId(alias) && alias != e.party) {
      return Status::Conflict("aliases", Quote(alias) + " is the id of another party");
    }
  }
  return {};
}

Status Writer::NoSuchCommitment(const std::string& field, const std::string& id) {
  auto history = LoadCommitment(id);
  if (!history.ok()) return history.status();
  if (const auto& state = (*history)->state) {
    return Status::Invalid("date",
                           "commitment " + Quote(id) + " opens on " +
                               PartialDate::Of(state->opened, state->opened_precision)->ToString() +
                               ", after this event's date");
  }
  // Suggest the nearest commitment ids.
  Drain();
  SQLite::Statement all(db_, "SELECT commitment_id FROM events WHERE kind = 'open'");
  std::vector<std::pair<std::size_t, std::string>> near;
  while (all.executeStep()) {
    std::string known = all.getColumn(0).getString();
    // Near in spelling, or the start of a longer id ("softbank-openai-2026"
    // for "softbank-openai-2026-equity"), which then ranks first.
    const bool prefix = id.size() >= 3 && known.compare(0, id.size(), id) == 0;
    const std::size_t d = prefix ? 0 : EditDistance(id, known);
    if (d <= std::max<std::size_t>(2, id.size() / 3)) near.emplace_back(d, std::move(known));
  }
  std::sort(near.begin(), near.end());
  std::string hint;
  for (std::size_t i = 0; i < near.size() && i < 3; ++i) hint += (i ? ", " : "") + near[i].second;
  return Status::NotFound(
      field, "no commitment " + Quote(id) + (hint.empty() ? "" : " (did you mean: " + hint + "?)"));
}

Status Writer::CheckCommitment(const Event& e, const AppendOptions& options,
                               CommitmentHistory& history) {
  if (e.kind == EventKind::kOpen) {
    if (const auto& state = history.state) {
      return Status::Conflict(
          "commitment", "commitment " + Quote(e.commitment) + " exists already (opened " +
                            PartialDate::Of(state->opened, state->opened_precision)->ToString() +
                            ")");
    }
    if (!e.round.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckRound(e));
    return {};
  }

  const bool back_dated = e.date.first() < history.latest;
  auto at = CommitmentAt(e.commitment, history, e.date);
  if (!at.ok()) return at.status();
  if (!*at) return NoSuchCommitment("commitment", e.commitment);
  const CommitmentPosition* c = &**at;
  if (options.expect_version) {
    const int version = history.state->version;
    if (version != *options.expect_version) {
      return {StatusCode::kVersionMismatch, "expect_version",
              "commitment " + Quote(e.commitment) + " is at version " + std::to_string(version) +
                  ", not " + std::to_string(*options.expect_version) +
                  ": it has moved on; replay it and try again"};
    }
  }
  if (c->status != CommitmentStatus::kOpen) {
    const std::string what = e.kind == EventKind::kSupersede ? "superseded"
                             : e.kind == EventKind::kFund    ? "funded"
                             : e.kind == EventKind::kRevise  ? "revised"
                                                             : std::string(KindName(e.kind)) + "d";
    return Status::Conflict("commitment", "commitment " + Quote(e.commitment) + " is " +
                                              std::string(StatusName(c->status)) + " as of " +
                                              e.date.ToString() + "; it cannot be " + what);
  }
  for (const auto& [field, amount] :
       {std::pair{"amount", &e.amount}, std::pair{"conditional", &e.conditional}}) {
    if (*amount && !((*amount)->currency == c->currency)) {
      return Status::Invalid(field, "commitment " + Quote(e.commitment) + " is in " +
                                        std::string(c->currency.code()) + ", not " +
                                        std::string((*amount)->currency.code()));
    }
  }
  switch (e.kind) {
    case EventKind::kRevise: {
      const Amount committed = e.amount ? *e.amount : c->stated;
      const std::optional<Amount> conditional =
          e.conditional ? e.conditional : c->stated_conditional;
      if (conditional && conditional->minor > committed.minor) {
        return Status::Invalid("conditional", "the conditional part (" + HumanAmount(*conditional) +
                                                  ") would exceed the commitment (" +
                                                  HumanAmount(committed) + ")");
      }
      const Interval new_committed = Interval::Of(committed);
      if (new_committed.high && c->funded.low > *new_committed.high) {
        return Status::Invalid("amount", "revising to " + HumanAmount(committed) +
                                             " leaves less than is already funded (" +
                                             HumanInterval(c->funded) + ")");
      }
      if (!e.round.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckRound(e));
      break;
    }
    case EventKind::kFund: {
      auto funded = dealtrail::Add(c->funded, Interval::Of(*e.amount));
      if (!funded.ok()) return funded.status().For("amount");
      if (c->committed.high && !c->committed.approximate && funded->low > *c->committed.high) {
        return Status::Invalid("amount", "funding beyond the commitment: " + Quote(e.commitment) +
                                             " would have " + HumanInterval(*funded) +
                                             " funded of " + HumanInterval(c->committed) +
                                             " committed");
      }
      break;
    }
    case EventKind::kSupersede: {
      auto by_history = LoadCommitment(e.by);
      if (!by_history.ok()) return by_history.status();
      auto by = CommitmentAt(e.by, **by_history, e.date);
      if (!by.ok()) return by.status();
      if (!*by) return NoSuchCommitment("by", e.by);
      if ((*by)->status != CommitmentStatus::kOpen) {
        return Status::Conflict("by", "commitment " + Quote(e.by) + " is " +
                                          std::string(StatusName((*by)->status)) +
                                          "; only an open commitment can replace another");
      }
      break;
    }
    default:
      break;
  }
  // A back-dated funding or revision must also fit with what is dated after it.
  if (back_dated && (e.kind == EventKind::kFund || e.kind == EventKind::kRevise)) {
    auto with = CommitmentUpTo(e.commitment, kEndOfTime, &e);
    if (!with.ok()) return with.status();
    const std::optional<CommitmentPosition> after =
        *with ? std::optional(fold::Figures(**with)) : std::nullopt;
    if (after && after->committed.high && !after->committed.approximate &&
        after->funded.low > *after->committed.high) {
      return Status::Invalid("amount", "with the events dated after it, " + Quote(e.commitment) +
                                           " would have " + HumanInterval(after->funded) +
                                           " funded of " + HumanInterval(after->committed) +
                                           " committed");
    }
  }
  return {};
}

Status Writer::CheckRound(const Event& e) {
  auto history = LoadRound(e.round);
  if (!history.ok()) return history.status();
  if (e.kind == EventKind::kRoundOpen) {
    if (const auto& state = (*history)->state) {
      return Status::Conflict("round", "round " + Quote(e.round) + " exists already (opened " +
                                           state->opened.ToString() + ")");
    }
    return {};
  }
  if (e.round.empty()) return {};  // a valuation outside any round
  auto at = RoundAt(e.round, e.date);
  if (!at.ok()) return at.status();
  if (!*at) {
    if (const auto& state = (*history)->state) {
      return Status::Invalid("date", "round " + Quote(e.round) + " opens on " +
                                         state->opened.ToString() + ", after this event's date");
    }
    return Status::NotFound("round", "no round " + Quote(e.round) +
                                         " (open it first with: dealtrail record round-open)");
  }
  if ((*at)->closed && (e.kind == EventKind::kRoundRevise || e.kind == EventKind::kRoundClose)) {
    return Status::Conflict("round",
                            "round " + Quote(e.round) + " is closed as of " + e.date.ToString());
  }
  return {};
}

std::optional<Writer::Target> Writer::FindTarget(const std::string& event_id) {
  if (inserter_) {  // among the recent events, newest first; older ones are in the ledger
    const std::uint64_t hash = HashOf(event_id);
    const auto ring = static_cast<std::int64_t>(recent_.size());
    for (std::int64_t seq = head_seq_; seq >= 1 && seq > head_seq_ - ring; --seq) {
      const std::size_t slot = RecentSlot(seq);
      if (recent_ids_[slot] == 0) break;
      const Event& e = recent_[slot].event;
      if (recent_ids_[slot] == hash && e.id == event_id) {
        return Target{e.seq, std::string(KindName(e.kind)), e.commitment, e.round,
                      FormatDay(e.date.first())};
      }
    }
  }
  return FindStoredTarget(event_id);
}

std::optional<Writer::Target> Writer::FindStoredTarget(const std::string& event_id) {
  std::optional<Target> target;
  OnConnection([&] {
    SQLite::Statement& q = Ready(db_, find_target_,
                                 "SELECT seq, kind, commitment_id, round_id, effective_date "
                                 "FROM events WHERE event_id = ?");
    q.bind(1, event_id);
    if (!q.executeStep()) return;
    auto text = [&q](int col) {
      return q.getColumn(col).isNull() ? "" : q.getColumn(col).getString();
    };
    target = Target{q.getColumn(0).getInt64(), text(1), text(2), text(3), text(4)};
    q.reset();
  });
  return target;
}

Status Writer::CheckRetract(const Event& e, std::optional<Target>* found) {
  *found = FindTarget(e.retracts);
  const std::optional<Target>& target = *found;
  if (!target) return Status::NotFound("retracts", "no event with id " + Quote(e.retracts));
  const std::string& kind = target->kind;
  if (kind == "retract") {
    return Status::Conflict("retracts",
                            "a retraction cannot be retracted; record the event "
                            "again (with a new id) instead");
  }
  if (kind == "party-add" || kind == "party-alias") {
    return Status::Conflict("retracts",
                            "party events cannot be retracted; parties and aliases "
                            "are reference data");
  }
  // A writer that started empty knows which of the ledger's events are
  // retracted; the ledger is asked only for the retraction's seq.
  if (started_empty_ && target->seq >= 1 &&
      static_cast<std::size_t>(target->seq) <= own_rows_.size() &&
      !own_rows_[target->seq - 1].retracted) {
    return CheckWithout(e, *target);
  }
  Drain();
  SQLite::Statement& already = Ready(
      db_, find_retraction_, "SELECT seq FROM events WHERE kind = 'retract' AND retracts = ?");
  already.bind(1, e.retracts);
  if (already.executeStep()) {
    const std::int64_t by = already.getColumn(0).getInt64();
    already.reset();
    return Status::Conflict(
        "retracts",
        "event " + Quote(e.retracts) + " was already retracted by event " + std::to_string(by));
  }
  return CheckWithout(e, *target);
}

Status Writer::CheckWithout(const Event& e, const Target& target) {
  // Without the event, its commitment must still hold together: a funding
  // cannot outlive the revision that made room for it.
  if (!target.commitment.empty()) {
    const std::string& commitment = target.commitment;
    auto without = CommitmentUpTo(commitment, kEndOfTime, nullptr, e.retracts);
    if (!without.ok()) return without.status();
    const std::optional<CommitmentPosition> c =
        *without ? std::optional(fold::Figures(**without)) : std::nullopt;
    if (c && c->committed.high && !c->committed.approximate && c->funded.low > *c->committed.high) {
      return Status::Conflict(
          "retracts", "without event " + Quote(e.retracts) + ", " + Quote(commitment) +
                          " would have " + HumanInterval(c->funded) + " funded of " +
                          HumanInterval(c->committed) + " committed; retract fundings first");
    }
  }
  return {};
}

Status Writer::Insert(Event& e, std::string_view tail, const Checked& checked, bool* later) {
  e.seq = head_seq_ + 1;
  if (e.has_recorded_at) {
    if (e.recorded_at < head_recorded_) {
      return Status::Invalid("recorded_at",
                             FormatTimestampShort(e.recorded_at) +
                                 " is earlier than the ledger's last event (" +
                                 FormatTimestampShort(head_recorded_) +
                                 "); recording time never goes back (leave it out to record now)");
    }
    if (e.recorded_at > now_) {
      return Status::Invalid("recorded_at",
                             FormatTimestampShort(e.recorded_at) + " is in the future");
    }
  } else {
    e.recorded_at = std::max(now_, head_recorded_);
  }
  e.hash = tail.empty() ? ChainHash(head_hash_, e) : ChainHashWithTail(head_hash_, e, tail);
  // With an insert thread, its row goes in there, unless the event has
  // party rows or its id may be taken: then here, once every row before it
  // is in.
  *later = inserter_ && !IsPartyKind(e.kind) && stored_ids_.Add(e.id);
  if (inserter_ && !*later) Drain();
  if (!*later) {
    sqlite3_stmt* insert = insert_.get();
    sqlite3_reset(insert);
    BindEvent(insert, e, bound_);
    if (const int rc = sqlite3_step(insert); rc != SQLITE_DONE) {
      if (sqlite3_extended_errcode(db_.getHandle()) != SQLITE_CONSTRAINT_UNIQUE) {
        throw SQLite::Exception(db_.getHandle(), rc);
      }
      sqlite3_reset(insert);
      return Status::Conflict("id", "event id " + Quote(e.id) + " is taken");
    }
    if (inserter_) stored_ids_.Add(e.id);
  }

  if (e.kind == EventKind::kPartyAdd) {
    SQLite::Statement party(db_,
                            "INSERT INTO parties (party_id, name, kind, added_seq) "
                            "VALUES (:id, :name, :kind, :seq)");
    party.bind(":id", e.party);
    party.bind(":name", e.name);
    party.bind(":kind", e.party_kind);
    party.bind(":seq", static_cast<int64_t>(e.seq));
    party.exec();
  }
  if (IsPartyKind(e.kind)) {
    std::vector<std::string> names = e.aliases;
    if (e.kind == EventKind::kPartyAdd) names.insert(names.begin(), e.name);
    std::vector<std::string> keys;
    SQLite::Statement alias(db_,
                            "INSERT INTO party_aliases (alias_key, alias, party_id, added_seq) "
                            "VALUES (:key, :alias, :id, :seq)");
    for (const std::string& name : names) {
      std::string key = NameKey(name);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      keys.push_back(key);
      alias.reset();
      alias.bind(":key", key);
      alias.bind(":alias", name);
      alias.bind(":id", e.party);
      alias.bind(":seq", static_cast<int64_t>(e.seq));
      alias.exec();
    }
  }
  head_seq_ = e.seq;
  head_hash_ = e.hash;
  head_recorded_ = e.recorded_at;

  // Replay checkpoints dated on or after what this event changes are stale.
  // A ledger that started without events has none to go stale (an import
  // builds its own as it goes).
  if (started_empty_) return {};
  std::optional<date::sys_days> changes;
  if (e.kind == EventKind::kRetract) {
    if (checked.target) {
      auto day = ParseDay(checked.target->effective_date);
      if (day.ok()) changes = *day;
    }
  } else if (!IsPartyKind(e.kind)) {
    changes = e.date.first();
  }
  if (changes && (!stale_from_ || *changes < *stale_from_)) stale_from_ = changes;
  return {};
}

Status Writer::Finish() {
  Drain();
  if (inserter_) {  // the recent events leave, oldest first
    const auto ring = static_cast<std::int64_t>(recent_.size());
    for (std::int64_t seq = std::max<std::int64_t>(1, head_seq_ - ring + 1); seq <= head_seq_;
         ++seq) {
      const std::size_t slot = RecentSlot(seq);
      if (recent_ids_[slot] == 0 || recent_[slot].event.seq != seq) continue;
      recent_ids_[slot] = 0;
      if (leaving_) leaving_(std::move(recent_[slot].event), recent_[slot].bytes);
    }
  }
  if (stale_from_) InvalidateCheckpoints(db_.getHandle(), *stale_from_);
  stale_from_.reset();
  return {};
}

void Writer::Remember(const Event& e, const Checked& checked) {
  const std::optional<Target>& target = checked.target;
  if (started_empty_) AddOwnRow(e, target ? target->seq : 0);
  if (parties_) {
    if (e.kind == EventKind::kPartyAdd) {
      parties_->AddParty(e.party);
      parties_->AddAlias(e.name, e.party);
    }
    for (const std::string& alias : e.aliases) parties_->AddAlias(alias, e.party);
  }

  // Applying in order keeps a cached history exact; a back-dated event
  // would land out of order, so the history is read again when next needed.
  if (CommitmentHistory* history = checked.history) {
    if (e.date.first() >= history->latest && Step(history->state, e).ok()) {
      history->latest = e.date.first();
    } else {
      history->stale = true;
    }
  }
  if (IsRoundKind(e.kind) || (e.kind == EventKind::kValuation && !e.round.empty())) {
    RoundHistory* round = rounds_.Find(e.round);
    if (round != nullptr && !round->stale) {
      if (e.date.first() >= round->latest) {
        Step(round->state, e);
        round->latest = e.date.first();
      } else {
        round->stale = true;
      }
    }
  }
  if (target) {  // the retracted event's histories are read again when next needed
    if (!target->commitment.empty()) commitments_.MarkStale(target->commitment);
    if (!target->round.empty()) rounds_.MarkStale(target->round);
  }
}

Status Writer::Step(std::optional<fold::CommitmentState>& state, const Event& e) {
  const FoldEvent fe = FoldEvent::Of(e);
  if (e.kind == EventKind::kOpen) {
    if (!state) state = fold::OpenCommitment(fe, names_);
    return {};
  }
  if (!state) return {};
  // A supersession applies only if its replacement is in view, as in replay.
  bool replacement = true;
  if (e.kind == EventKind::kSupersede) {
    auto opening = HasOpening(e.by, e.date.first());
    if (!opening.ok()) return opening.status();
    replacement = *opening;
  }
  auto applied = fold::ApplyToCommitment(*state, fe, replacement, names_);
  return applied.ok() ? Status{} : applied.status();
}

void Writer::Step(std::optional<fold::RoundState>& state, const Event& e) {
  const FoldEvent fe = FoldEvent::Of(e);
  if (e.kind == EventKind::kRoundOpen) {
    if (state) return;
    state = fold::OpenRound(fe, names_);
  } else if (!state) {
    return;
  }
  fold::ApplyToRound(*state, fe, names_);
}

Result<std::optional<fold::CommitmentState>> Writer::CommitmentUpTo(const std::string& id,
                                                                    date::sys_days at,
                                                                    const Event* extra,
                                                                    std::string_view skip_id) {
  std::optional<fold::CommitmentState> state;
  if (!MayHoldCommitment(id)) {  // none of its events can be stored
    if (extra) DEALTRAIL_RETURN_IF_ERROR(Step(state, *extra));
    return state;
  }
  const Status read = ForEachOfHistory(false, id, at, [&](const Event& e) -> Status {
    if (!skip_id.empty() && e.id == skip_id) return {};
    if (extra && e.date.first() > extra->date.first()) {
      DEALTRAIL_RETURN_IF_ERROR(Step(state, *extra));
      extra = nullptr;
    }
    return Step(state, e);
  });
  if (!read.ok()) return read;
  if (extra) DEALTRAIL_RETURN_IF_ERROR(Step(state, *extra));
  return state;
}

Result<std::optional<fold::RoundState>> Writer::RoundUpTo(const std::string& id,
                                                          date::sys_days at) {
  std::optional<fold::RoundState> state;
  if (!MayHoldRound(id)) return state;  // none of its events can be stored
  DEALTRAIL_RETURN_IF_ERROR(ForEachOfHistory(true, id, at, [&](const Event& e) {
    Step(state, e);
    return Status{};
  }));
  return state;
}

template <typename Fn>
bool Writer::AnyOwnRow(bool round, std::string_view id, Fn&& fn) const {
  const std::vector<std::int64_t>& newest = round ? newest_of_round_ : newest_of_commitment_;
  const fold::Sym sym = names_.Find(id);
  for (std::int64_t seq = sym < newest.size() ? newest[sym] : 0; seq != 0;
       seq = own_rows_[seq - 1].previous) {
    if (fn(seq, own_rows_[seq - 1])) return true;
  }
  return false;
}

template <typename Fn>
Status Writer::ForEachOfHistory(bool round, const std::string& id, date::sys_days at, Fn&& fn) {
  if (started_empty_) {
    const std::int32_t last_day = at.time_since_epoch().count();
    std::vector<std::pair<std::int32_t, std::int64_t>> rows;  // (day, seq)
    AnyOwnRow(round, id, [&](std::int64_t seq, const OwnRow& row) {
      if (row.day <= last_day && !row.retracted) rows.emplace_back(row.day, seq);
      return false;
    });
    std::sort(rows.begin(), rows.end());
    // The recent events from memory, the rest read in one go (on the insert
    // thread, when there is one).
    std::vector<Event> events(rows.size());
    std::vector<std::size_t> stored;  // indexes into rows
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (const Event* recent = RecentEvent(rows[i].second)) {
        events[i] = *recent;
      } else {
        stored.push_back(i);
      }
    }
    Status read;
    if (!stored.empty()) {
      OnConnection([&] {
        for (std::size_t i : stored) {
          auto e = ReadRow(rows[i].second);
          if (!e.ok()) {
            read = e.status();
            return;
          }
          events[i] = std::move(*e);
        }
      });
    }
    if (!read.ok()) return read;
    for (const Event& e : events) DEALTRAIL_RETURN_IF_ERROR(fn(e));
    return {};
  }
  // Prepared once per writer. The anti-join reads the partial index of
  // retractions instead of building a temporary table of them on every call.
  const auto history_sql = [](const char* which) {
    return std::string("SELECT ") + kEventColumns + " FROM events AS e WHERE " + which +
           " AND effective_date <= :at AND NOT EXISTS (SELECT 1 FROM events "
           "AS r WHERE r.kind = 'retract' AND r.retracts = e.event_id) "
           "ORDER BY effective_date, seq";
  };
  static const std::string kRoundSql = history_sql(
      "round_id = :id AND kind IN ('round-open', 'round-revise', 'round-close', 'valuation')");
  static const std::string kCommitmentSql = history_sql("commitment_id = :id");
  SQLite::Statement& q = round ? Ready(db_, round_history_, kRoundSql.c_str())
                               : Ready(db_, commitment_history_, kCommitmentSql.c_str());
  q.bind(":id", id);
  q.bind(":at", FormatDay(at));
  while (q.executeStep()) {
    auto e = EventFromRow(q);
    if (!e.ok()) return e.status();
    DEALTRAIL_RETURN_IF_ERROR(fn(*e));
  }
  return {};
}

void Writer::AddOwnRow(const Event& e, std::int64_t retracted) {
  OwnRow row;
  row.day = e.date.first().time_since_epoch().count();
  row.kind = e.kind;
  std::vector<std::int64_t>* newest = nullptr;
  std::string_view id;
  if (!e.commitment.empty()) {
    newest = &newest_of_commitment_;
    id = e.commitment;
  } else if (!e.round.empty() && (IsRoundKind(e.kind) || e.kind == EventKind::kValuation)) {
    newest = &newest_of_round_;
    id = e.round;
  }
  if (newest != nullptr) {
    const fold::Sym sym = names_.Intern(id);
    if (newest->size() <= sym) newest->resize(sym + 1, 0);
    row.previous = (*newest)[sym];
    (*newest)[sym] = e.seq;
  }
  own_rows_.push_back(row);
  if (retracted > 0 && static_cast<std::size_t>(retracted) <= own_rows_.size()) {
    own_rows_[retracted - 1].retracted = true;
  }
}

Result<Event> Writer::ReadRow(std::int64_t seq) {
  static const std::string kSql =
      std::string("SELECT ") + kEventColumns + " FROM events WHERE seq = ?";
  SQLite::Statement& q = Ready(db_, read_row_, kSql.c_str());
  q.bind(1, static_cast<int64_t>(seq));
  if (!q.executeStep()) {
    return Status{StatusCode::kCorrupt, "seq",
                  "event " + std::to_string(seq) + " is missing; run dealtrail verify"};
  }
  auto e = EventFromRow(q);
  q.reset();
  return e;
}

Result<bool> Writer::HasOpening(const std::string& commitment, date::sys_days by) {
  if (!MayHoldCommitment(commitment)) return false;
  if (started_empty_) {
    const std::int32_t last_day = by.time_since_epoch().count();
    return AnyOwnRow(false, commitment, [&](std::int64_t, const OwnRow& row) {
      return row.kind == EventKind::kOpen && row.day <= last_day && !row.retracted;
    });
  }
  SQLite::Statement& q =
      Ready(db_, has_opening_,
            "SELECT 1 FROM events AS e WHERE kind = 'open' AND commitment_id = :id "
            "AND effective_date <= :by AND NOT EXISTS (SELECT 1 FROM events AS r "
            "WHERE r.kind = 'retract' AND r.retracts = e.event_id)");
  q.bind(":id", commitment);
  q.bind(":by", FormatDay(by));
  return q.executeStep();
}

Result<Writer::CommitmentHistory*> Writer::LoadCommitment(const std::string& id) {
  CommitmentHistory* history = commitments_.Find(id);
  if (history != nullptr && !history->stale) return history;
  auto state = CommitmentUpTo(id, kEndOfTime);
  if (!state.ok()) return state.status();
  if (history == nullptr) {
    CommitmentHistory added;
    added.id = id;
    history = &commitments_.Add(std::move(added));
  }
  history->stale = false;
  history->state = std::move(state).value();
  history->latest = history->state ? history->state->last_change : date::sys_days{};
  return history;
}

Result<Writer::RoundHistory*> Writer::LoadRound(const std::string& id) {
  RoundHistory* history = rounds_.Find(id);
  if (history != nullptr && !history->stale) return history;
  // A round's state does not keep its latest day; read it.
  date::sys_days last_day{};
  if (started_empty_) {
    AnyOwnRow(true, id, [&](std::int64_t, const OwnRow& row) {
      last_day = std::max(last_day, date::sys_days(date::days(row.day)));
      return false;
    });
  } else if (MayHoldRound(id)) {
    SQLite::Statement& latest =
        Ready(db_, round_latest_,
              "SELECT max(effective_date) FROM events WHERE round_id = ? AND kind "
              "IN ('round-open', 'round-revise', 'round-close', 'valuation')");
    latest.bind(1, id);
    if (latest.executeStep() && !latest.getColumn(0).isNull()) {
      auto d = ParseDay(latest.getColumn(0).getString());
      if (d.ok()) last_day = *d;
    }
  }
  auto state = RoundUpTo(id, kEndOfTime);
  if (!state.ok()) return state.status();
  if (history == nullptr) {
    RoundHistory added;
    added.id = id;
    history = &rounds_.Add(std::move(added));
  }
  history->stale = false;
  history->state = std::move(state).value();
  history->latest = last_day;
  return history;
}

Result<std::optional<CommitmentPosition>> Writer::CommitmentAt(const std::string& id,
                                                               const CommitmentHistory& history,
                                                               const PartialDate& date) {
  if (date.first() >= history.latest) {
    if (!history.state) return std::optional<CommitmentPosition>();
    return std::optional(fold::Figures(*history.state));
  }
  auto state = CommitmentUpTo(id, date.first());
  if (!state.ok()) return state.status();
  if (!*state) return std::optional<CommitmentPosition>();
  return std::optional(fold::Figures(**state));
}

Result<std::optional<fold::RoundState>> Writer::RoundAt(const std::string& id,
                                                        const PartialDate& date) {
  auto history = LoadRound(id);
  if (!history.ok()) return history.status();
  if (date.first() >= (*history)->latest) return (*history)->state;
  return RoundUpTo(id, date.first());
}

}  // namespace dealtrail::storage
