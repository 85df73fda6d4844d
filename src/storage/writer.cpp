// Checking events against the ledger and appending them to the hash chain.
#include "storage/writer.h"

#include <algorithm>

#include "core/text.h"
#include "storage/checkpoints.h"
#include "storage/event_rows.h"
#include "storage/schema.h"

namespace dealtrail::storage {
namespace {

const date::sys_days kEndOfTime = date::sys_days(date::year{9999} / 12 / 31);
constexpr std::size_t kMaxCachedHistories = 200'000;

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

Writer::Writer(SQLite::Database& db, Timestamp now, PartyDirectory parties)
    : db_(db),
      now_(now),
      parties_(std::move(parties)),
      head_hash_(kGenesisHash),
      insert_(db, kInsertEvent),
      find_id_(db, std::string("SELECT ") + kEventColumns + " FROM events WHERE event_id = ?") {}

Result<std::unique_ptr<Writer>> Writer::Start(SQLite::Database& db, Timestamp now) {
  auto parties = PartyDirectory::Load(db);
  if (!parties.ok()) return parties.status();
  std::unique_ptr<Writer> w(new Writer(db, now, std::move(parties).value()));
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
  return w;
}

Result<AppendResult> Writer::Add(Event e, const AppendOptions& options) {
  DEALTRAIL_RETURN_IF_ERROR(ValidateShape(e));
  DEALTRAIL_RETURN_IF_ERROR(Resolve(e));
  if (e.id.empty()) e.id = DerivedEventId(e);

  find_id_.reset();
  find_id_.bind(1, e.id);
  if (find_id_.executeStep()) {
    auto stored = EventFromRow(find_id_);
    if (!stored.ok()) return stored.status();
    const std::string diff = FirstDifference(*stored, e);
    if (diff.empty()) return AppendResult{stored->seq, stored->id, stored->hash, true};
    return Status::Conflict(diff, "event id " + Quote(e.id) + " was recorded as event " +
                                      std::to_string(stored->seq) + " with a different " + diff);
  }

  if (IsPartyKind(e.kind)) {
    DEALTRAIL_RETURN_IF_ERROR(CheckParty(e));
  } else if (IsCommitmentKind(e.kind)) {
    DEALTRAIL_RETURN_IF_ERROR(CheckCommitment(e, options));
  } else if (e.kind == EventKind::kRetract) {
    DEALTRAIL_RETURN_IF_ERROR(CheckRetract(e));
  } else {
    DEALTRAIL_RETURN_IF_ERROR(CheckRound(e));
  }
  if (options.expect_version && e.kind != EventKind::kRevise) {
    return Status::Invalid("expect_version", "applies to revise events only");
  }
  DEALTRAIL_RETURN_IF_ERROR(Insert(e));
  Remember(e);
  return AppendResult{e.seq, e.id, e.hash, false};
}

Status Writer::Resolve(Event& e) const {
  auto resolve = [&](std::string& name, std::string_view field) -> Status {
    auto id = parties_.Resolve(name, field);
    if (!id.ok()) return id.status();
    name = *id;
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

Status Writer::CheckParty(const Event& e) const {
  if (e.kind == EventKind::kPartyAdd) {
    if (parties_.HasId(e.party)) {
      return Status::Conflict("party", "party " + Quote(e.party) + " exists already");
    }
    if (auto owner = parties_.OwnerOfAlias(e.party); !owner.empty()) {
      return Status::Conflict("party", Quote(e.party) + " is already an alias of " + owner);
    }
    if (auto owner = parties_.OwnerOfAlias(e.name); !owner.empty()) {
      return Status::Conflict("name", Quote(e.name) + " already names party " + owner);
    }
  }
  for (const std::string& alias : e.aliases) {
    if (auto owner = parties_.OwnerOfAlias(alias); !owner.empty()) {
      return Status::Conflict("aliases", Quote(alias) + " already names party " + owner);
    }
    if (parties_.HasId(alias) && alias != e.party) {
      return Status::Conflict("aliases", Quote(alias) + " is the id of another party");
    }
  }
  return {};
}

Status Writer::NoSuchCommitment(const std::string& field, const std::string& id) {
  auto history = CommitmentHistory(id);
  if (!history.ok()) return history.status();
  if (const CommitmentPosition* c = (*history)->fold.FindCommitment(id)) {
    return Status::Invalid("date", "commitment " + Quote(id) + " opens on " + c->opened.ToString() +
                                       ", after this event's date");
  }
  // Suggest the nearest commitment ids.
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

Status Writer::CheckCommitment(const Event& e, const AppendOptions& options) {
  if (e.kind == EventKind::kOpen) {
    auto history = CommitmentHistory(e.commitment);
    if (!history.ok()) return history.status();
    if (const CommitmentPosition* c = (*history)->fold.FindCommitment(e.commitment)) {
      return Status::Conflict("commitment", "commitment " + Quote(e.commitment) +
                                                " exists already (opened " + c->opened.ToString() +
                                                ")");
    }
    if (!e.round.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckRound(e));
    return {};
  }

  std::optional<Fold> scratch;
  auto at = CommitmentAt(e.commitment, e.date, &scratch);
  if (!at.ok()) return at.status();
  const CommitmentPosition* c = *at;
  if (!c) return NoSuchCommitment("commitment", e.commitment);
  if (options.expect_version) {
    auto history = CommitmentHistory(e.commitment);
    if (!history.ok()) return history.status();
    const int version = (*history)->fold.FindCommitment(e.commitment)->version;
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
    return Status::Conflict("commitment", "commitment " + Quote(c->id) + " is " +
                                              std::string(StatusName(c->status)) + " as of " +
                                              e.date.ToString() + "; it cannot be " + what);
  }
  for (const auto& [field, amount] :
       {std::pair{"amount", &e.amount}, std::pair{"conditional", &e.conditional}}) {
    if (*amount && !((*amount)->currency == c->currency)) {
      return Status::Invalid(field, "commitment " + Quote(c->id) + " is in " +
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
        return Status::Invalid("amount", "funding beyond the commitment: " + Quote(c->id) +
                                             " would have " + HumanInterval(*funded) +
                                             " funded of " + HumanInterval(c->committed) +
                                             " committed");
      }
      break;
    }
    case EventKind::kSupersede: {
      std::optional<Fold> by_scratch;
      auto by = CommitmentAt(e.by, e.date, &by_scratch);
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
  if (scratch && (e.kind == EventKind::kFund || e.kind == EventKind::kRevise)) {
    auto with = FoldUpTo(true, e.commitment, kEndOfTime, &e);
    if (!with.ok()) return with.status();
    const CommitmentPosition* after = with->FindCommitment(e.commitment);
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
  if (e.kind == EventKind::kRoundOpen) {
    auto history = RoundHistory(e.round);
    if (!history.ok()) return history.status();
    if (const RoundPosition* r = (*history)->fold.FindRound(e.round)) {
      return Status::Conflict("round", "round " + Quote(e.round) + " exists already (opened " +
                                           r->opened.ToString() + ")");
    }
    return {};
  }
  if (e.round.empty()) return {};  // a valuation outside any round
  std::optional<Fold> scratch;
  auto at = RoundAt(e.round, e.date, &scratch);
  if (!at.ok()) return at.status();
  if (!*at) {
    auto history = RoundHistory(e.round);
    if (!history.ok()) return history.status();
    if (const RoundPosition* r = (*history)->fold.FindRound(e.round)) {
      return Status::Invalid("date", "round " + Quote(e.round) + " opens on " +
                                         r->opened.ToString() + ", after this event's date");
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

Status Writer::CheckRetract(const Event& e) {
  SQLite::Statement target(db_, "SELECT seq, kind FROM events WHERE event_id = ?");
  target.bind(1, e.retracts);
  if (!target.executeStep()) {
    return Status::NotFound("retracts", "no event with id " + Quote(e.retracts));
  }
  const std::string kind = target.getColumn(1).getString();
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
  SQLite::Statement already(db_, "SELECT seq FROM events WHERE kind = 'retract' AND retracts = ?");
  already.bind(1, e.retracts);
  if (already.executeStep()) {
    return Status::Conflict("retracts", "event " + Quote(e.retracts) +
                                            " was already retracted by event " +
                                            std::to_string(already.getColumn(0).getInt64()));
  }
  // Without the event, its commitment must still hold together: a funding
  // cannot outlive the revision that made room for it.
  SQLite::Statement subject(db_, "SELECT commitment_id FROM events WHERE event_id = ?");
  subject.bind(1, e.retracts);
  if (subject.executeStep() && !subject.getColumn(0).isNull()) {
    const std::string commitment = subject.getColumn(0).getString();
    auto without = FoldUpTo(true, commitment, kEndOfTime, nullptr, e.retracts);
    if (!without.ok()) return without.status();
    if (auto c = without->Commitment(commitment, kEndOfTime);
        c && c->committed.high && !c->committed.approximate && c->funded.low > *c->committed.high) {
      return Status::Conflict(
          "retracts", "without event " + Quote(e.retracts) + ", " + Quote(commitment) +
                          " would have " + HumanInterval(c->funded) + " funded of " +
                          HumanInterval(c->committed) + " committed; retract fundings first");
    }
  }
  return {};
}

Status Writer::Insert(Event& e) {
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
  e.hash = ChainHash(head_hash_, e);
  insert_.reset();
  insert_.clearBindings();
  BindEvent(insert_, e);
  insert_.exec();

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
  std::optional<date::sys_days> changes;
  if (e.kind == EventKind::kRetract) {
    SQLite::Statement target(db_, "SELECT effective_date FROM events WHERE event_id = ?");
    target.bind(1, e.retracts);
    if (target.executeStep()) {
      auto day = ParseDay(target.getColumn(0).getString());
      if (day.ok()) changes = *day;
    }
  } else if (!IsPartyKind(e.kind)) {
    changes = e.date.first();
  }
  if (changes && (!stale_from_ || *changes < *stale_from_)) stale_from_ = changes;
  return {};
}

Status Writer::Finish() {
  if (stale_from_) InvalidateCheckpoints(db_.getHandle(), *stale_from_);
  stale_from_.reset();
  return {};
}

void Writer::Remember(const Event& e) {
  if (e.kind == EventKind::kPartyAdd) {
    parties_.AddParty(e.party, e.name);
    parties_.AddAlias(e.name, e.party);
  }
  for (const std::string& alias : e.aliases) parties_.AddAlias(alias, e.party);

  auto keep_up = [&](std::unordered_map<std::string, std::unique_ptr<History>>& cache,
                     const std::string& id) {
    auto it = cache.find(id);
    if (it == cache.end()) return;
    // Applying in order keeps the cached fold exact; a back-dated event
    // would land out of order, so the history is read again when needed.
    if (e.date.first() >= it->second->latest && it->second->fold.Apply(e).ok()) {
      it->second->latest = e.date.first();
    } else {
      cache.erase(it);
    }
  };
  if (IsCommitmentKind(e.kind)) keep_up(commitments_, e.commitment);
  if (IsRoundKind(e.kind) || (e.kind == EventKind::kValuation && !e.round.empty())) {
    keep_up(rounds_, e.round);
  }
  if (e.kind == EventKind::kRetract) {
    // The retracted event's histories are read again when next needed.
    SQLite::Statement target(db_, "SELECT commitment_id, round_id FROM events WHERE event_id = ?");
    target.bind(1, e.retracts);
    if (target.executeStep()) {
      if (!target.getColumn(0).isNull()) commitments_.erase(target.getColumn(0).getString());
      if (!target.getColumn(1).isNull()) rounds_.erase(target.getColumn(1).getString());
    }
  }
}

Result<Fold> Writer::FoldUpTo(bool commitment, const std::string& id, date::sys_days at,
                              const Event* extra, std::string_view skip_id) {
  // Prepared once per writer: an import runs these for every new commitment.
  // The anti-join reads the partial index of retractions instead of building
  // a temporary table of them on every call.
  std::optional<SQLite::Statement>& q = commitment ? commitment_history_ : round_history_;
  if (!q) {
    q.emplace(db_, std::string("SELECT ") + kEventColumns + " FROM events AS e WHERE " +
                       (commitment ? "commitment_id = :id"
                                   : "round_id = :id AND kind IN ('round-open', 'round-revise', "
                                     "'round-close', 'valuation')") +
                       " AND effective_date <= :at AND NOT EXISTS (SELECT 1 FROM events AS r "
                       "WHERE r.kind = 'retract' AND r.retracts = e.event_id) "
                       "ORDER BY effective_date, seq");
  }
  q->reset();
  q->bind(":id", id);
  q->bind(":at", FormatDay(at));
  Fold fold(at);
  auto apply = [&](const Event& e) -> Status {
    // A supersession applies only if its replacement is in view, as in a
    // full replay: bring the replacement's opening into this fold.
    if (e.kind == EventKind::kSupersede && !fold.Commitment(e.by, at)) {
      auto opening = OpeningOf(e.by, e.date.first());
      if (!opening.ok()) return opening.status();
      if (*opening) DEALTRAIL_RETURN_IF_ERROR(fold.Apply(**opening));
    }
    return fold.Apply(e);
  };
  while (q->executeStep()) {
    auto e = EventFromRow(*q);
    if (!e.ok()) return e.status();
    if (!skip_id.empty() && e->id == skip_id) continue;
    if (extra && e->date.first() > extra->date.first()) {
      DEALTRAIL_RETURN_IF_ERROR(apply(*extra));
      extra = nullptr;
    }
    DEALTRAIL_RETURN_IF_ERROR(apply(*e));
  }
  if (extra) DEALTRAIL_RETURN_IF_ERROR(apply(*extra));
  return fold;
}

Result<std::optional<Event>> Writer::OpeningOf(const std::string& commitment, date::sys_days by) {
  if (!opening_) {
    opening_.emplace(db_, std::string("SELECT ") + kEventColumns +
                              " FROM events AS e WHERE kind = 'open' AND commitment_id = :id "
                              "AND effective_date <= :by AND NOT EXISTS (SELECT 1 FROM events "
                              "AS r WHERE r.kind = 'retract' AND r.retracts = e.event_id)");
  }
  opening_->reset();
  opening_->bind(":id", commitment);
  opening_->bind(":by", FormatDay(by));
  if (!opening_->executeStep()) return std::optional<Event>();
  auto e = EventFromRow(*opening_);
  if (!e.ok()) return e.status();
  return std::optional<Event>(std::move(e).value());
}

Result<Writer::History*> Writer::CommitmentHistory(const std::string& id) {
  auto it = commitments_.find(id);
  if (it != commitments_.end()) return it->second.get();
  if (commitments_.size() >= kMaxCachedHistories) commitments_.clear();
  auto fold = FoldUpTo(true, id, kEndOfTime);
  if (!fold.ok()) return fold.status();
  auto history = std::make_unique<History>(History{std::move(fold).value(), {}});
  if (const CommitmentPosition* c = history->fold.FindCommitment(id)) {
    history->latest = c->last_change.first();
  }
  return commitments_.emplace(id, std::move(history)).first->second.get();
}

Result<Writer::History*> Writer::RoundHistory(const std::string& id) {
  auto it = rounds_.find(id);
  if (it != rounds_.end()) return it->second.get();
  if (rounds_.size() >= kMaxCachedHistories) rounds_.clear();
  // The latest first day is read separately: a round's fold does not keep it.
  if (!round_latest_) {
    round_latest_.emplace(db_,
                          "SELECT max(effective_date) FROM events WHERE round_id = ? AND kind IN "
                          "('round-open', 'round-revise', 'round-close', 'valuation')");
  }
  SQLite::Statement& latest = *round_latest_;
  latest.reset();
  latest.bind(1, id);
  date::sys_days last_day{};
  if (latest.executeStep() && !latest.getColumn(0).isNull()) {
    auto d = ParseDay(latest.getColumn(0).getString());
    if (d.ok()) last_day = *d;
  }
  auto fold = FoldUpTo(false, id, kEndOfTime);
  if (!fold.ok()) return fold.status();
  auto history = std::make_unique<History>(History{std::move(fold).value(), last_day});
  return rounds_.emplace(id, std::move(history)).first->second.get();
}

Result<const CommitmentPosition*> Writer::CommitmentAt(const std::string& id,
                                                       const PartialDate& date,
                                                       std::optional<Fold>* scratch) {
  auto history = CommitmentHistory(id);
  if (!history.ok()) return history.status();
  if (date.first() >= (*history)->latest) return (*history)->fold.FindCommitment(id);
  auto fold = FoldUpTo(true, id, date.first());
  if (!fold.ok()) return fold.status();
  *scratch = std::move(fold).value();
  return (*scratch)->FindCommitment(id);
}

Result<const RoundPosition*> Writer::RoundAt(const std::string& id, const PartialDate& date,
                                             std::optional<Fold>* scratch) {
  auto history = RoundHistory(id);
  if (!history.ok()) return history.status();
  if (date.first() >= (*history)->latest) return (*history)->fold.FindRound(id);
  auto fold = FoldUpTo(false, id, date.first());
  if (!fold.ok()) return fold.status();
  *scratch = std::move(fold).value();
  return (*scratch)->FindRound(id);
}

}  // namespace dealtrail::storage
