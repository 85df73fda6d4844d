// Replay: folding events into point-in-time positions. The fold is pure: it
// is handed the events that pass the as-of / known-at / retraction filters,
// in (effective first day, seq) order, and keeps memory proportional to the
// number of commitments and rounds, not events.
#ifndef DEALTRAIL_REPLAY_H_
#define DEALTRAIL_REPLAY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/money.h"
#include "dealtrail/status.h"
#include "dealtrail/time.h"

namespace dealtrail {

enum class CommitmentStatus { kOpen, kCompleted, kCancelled, kExpired, kSuperseded };
std::string_view StatusName(CommitmentStatus s);
// Whether a position is certainly in effect on the as-of date, or only
// possibly because an event it depends on has a period (a month, a quarter)
// that ends after that date.
enum class InEffect { kDefinitely, kPossibly };
std::string_view InEffectName(InEffect e);

// A commitment as of the replay date.
struct CommitmentPosition {
  std::string id;
  CommitmentKind kind = CommitmentKind::kEquity;
  std::string from;
  std::string to;
  Currency currency = Currency::Usd();
  Certainty certainty = Certainty::kReported;
  CommitmentStatus status = CommitmentStatus::kOpen;
  Amount stated;         // the last stated committed figure, as the analyst wrote it
  Interval committed;    // Interval::Of(stated)
  Interval funded;       // sum of tranches
  Interval outstanding;  // committed - funded while open; zero otherwise
  Interval conditional;  // the part of outstanding waiting on a condition
  std::optional<Amount> stated_conditional;
  std::string superseded_by;
  std::string round;
  std::string terms;
  PartialDate opened;
  PartialDate last_change;  // date of the last event applied
  InEffect in_effect = InEffect::kDefinitely;
  int version = 0;  // events applied to it (for --expect-version)
  std::int64_t last_seq = 0;

  friend bool operator==(const CommitmentPosition&, const CommitmentPosition&) = default;
};

// A reported valuation and where it came from.
struct ValuationReport {
  ValuationBasis basis = ValuationBasis::kPostMoney;
  Amount amount;
  Certainty certainty = Certainty::kReported;
  PartialDate date;
  Source source;
  std::string event_id;
  std::int64_t seq = 0;

  friend bool operator==(const ValuationReport&, const ValuationReport&) = default;
};

// All reports of one valuation basis: the latest by effective date (then by
// recording order) and the others, newest first.
struct ValuationView {
  std::optional<ValuationReport> latest;
  std::vector<ValuationReport> others;

  friend bool operator==(const ValuationView&, const ValuationView&) = default;
};

struct RoundPosition {
  std::string id;
  std::string party;  // who raises
  bool closed = false;
  Certainty certainty = Certainty::kReported;
  std::optional<Amount> target;
  std::vector<Interval> raised;           // per currency, committed by participants
  std::optional<Interval> unallocated;    // target - raised, in the target's currency
  std::vector<std::string> participants;  // commitment ids, in opening order
  ValuationView pre_money;
  ValuationView post_money;
  std::string terms;
  PartialDate opened;
  InEffect in_effect = InEffect::kDefinitely;

  friend bool operator==(const RoundPosition&, const RoundPosition&) = default;
};

// Money flowing one way, per currency (sorted by currency code). What
// counts as committed: the committed amount of open and completed
// commitments, and what was funded of superseded, cancelled and expired ones.
struct Flow {
  std::vector<Interval> committed;
  std::vector<Interval> funded;
  std::vector<Interval> outstanding;

  friend bool operator==(const Flow&, const Flow&) = default;
};

// Two parties, ordered by id (a < b), with both directions and the net
// (a->b committed minus b->a committed), per currency.
struct PairPosition {
  std::string a;
  std::string b;
  Flow a_to_b;
  Flow b_to_a;
  std::vector<SignedInterval> net;

  friend bool operator==(const PairPosition&, const PairPosition&) = default;
};

struct PartyPosition {
  std::string party;
  Flow out;
  Flow in;
  ValuationView pre_money;  // valuations reported outside any round
  ValuationView post_money;

  friend bool operator==(const PartyPosition&, const PartyPosition&) = default;
};

struct Positions {
  date::sys_days as_of{};
  Timestamp known_at{};
  std::vector<CommitmentPosition> commitments;  // sorted by opening date, then id
  std::vector<PairPosition> pairs;              // sorted by (a, b)
  std::vector<PartyPosition> parties;           // sorted by id
  std::vector<RoundPosition> rounds;            // sorted by opening date, then id
  // Events that could not apply (their commitment or round was retracted or
  // is not in view): "event-id: reason".
  std::vector<std::string> ignored;

  friend bool operator==(const Positions&, const Positions&) = default;
};

// What to leave out of the result (the fold itself sees every event).
struct PositionFilter {
  // Commitments, rounds and valuation reports below this certainty are left
  // out; a commitment superseded by one left out is shown as still open.
  Certainty min_certainty = Certainty::kRumored;
  // Only commitments from or to this party (and its pairs, rounds, party row).
  std::string party;
  // The sections to compute. Leaving out the commitment list saves listing
  // every commitment when only totals are wanted.
  bool commitments = true;
  bool pairs = true;
  bool parties = true;
  bool rounds = true;
};

// What the fold reads of an event. Text fields are views owned by the
// caller and need only live during Fold::Apply, so a storage layer can feed
// the fold straight from its row buffers.
struct FoldEvent {
  std::int64_t seq = 0;
  EventKind kind = EventKind::kOpen;
  PartialDate date;
  std::string_view id, commitment, by, round, party, from, to, terms;
  std::string_view source, url, note;
  std::optional<date::sys_days> published;
  std::optional<CommitmentKind> commitment_kind;
  std::optional<Certainty> certainty;
  std::optional<Amount> amount, conditional, target, pre_money, post_money;
  std::optional<ValuationBasis> basis;

  // Views into `e`, which must outlive the result.
  static FoldEvent Of(const Event& e);
};

// A commitment as Fold::ListCommitments lists it: which one, and its status
// as shown (superseded only by a commitment left out: still open). Small
// where a CommitmentPosition is large.
struct CommitmentRef {
  std::uint32_t index = 0;  // in the fold's opening order
  CommitmentStatus status = CommitmentStatus::kOpen;
};

// A party column to reorder a commitment listing by (Fold::OrderCommitments).
enum class PartyColumn { kFrom, kTo };
struct CommitmentOrder {
  PartyColumn column = PartyColumn::kFrom;
  bool descending = false;
};

// The streaming fold. Memory grows with the commitments, rounds and
// valuation reports seen, not with events; the state can be saved and
// restored (replay checkpoints).
class Fold {
 public:
  Fold();
  // A fold whose Finish(filter) and FindCommitment report as of `as_of`.
  explicit Fold(date::sys_days as_of);
  ~Fold();
  Fold(Fold&&) noexcept;
  Fold& operator=(Fold&&) noexcept;

  // Applies one event; events must come in (effective first day, seq)
  // order, already filtered for known-at and retractions. Party and retract
  // events are ignored. An event that cannot apply (its commitment or round
  // is not open in view) is listed in Positions::ignored. Fails only when a
  // sum overflows 64 bits.
  Status Apply(const FoldEvent& e);
  Status Apply(const Event& e);

  // The positions as of `as_of` after every event applied so far.
  Result<Positions> Finish(date::sys_days as_of, const PositionFilter& filter = {}) const;
  // As of the date given at construction.
  Result<Positions> Finish(const PositionFilter& filter = {}) const;

  // The commitments Finish(as_of, filter) lists, in its order, to
  // materialize one at a time (positions_as_of() in SQL streams them rather
  // than hold a position for each).
  std::vector<CommitmentRef> ListCommitments(const PositionFilter& filter = {}) const;
  // One of them, exactly as Finish lists it.
  CommitmentPosition Materialize(CommitmentRef ref, date::sys_days as_of) const;
  // Several, into `out` (resized to match): the same positions, faster when
  // the handles are scattered (a listing ordered by party), since their
  // states are fetched from memory together rather than one after another.
  void Materialize(std::span<const CommitmentRef> refs, date::sys_days as_of,
                   std::vector<CommitmentPosition>& out) const;
  // Reorders such a listing by party ids, `keys` first to last (byte order,
  // as SQLite's BINARY collation); ties keep their listing order. Linear in
  // the listing, so SQL can group and order by party without a sort.
  void OrderCommitments(std::vector<CommitmentRef>& refs,
                        const std::vector<CommitmentOrder>& keys) const;

  // One commitment or round as of `as_of`, if it has been opened.
  std::optional<CommitmentPosition> Commitment(std::string_view id, date::sys_days as_of) const;
  std::optional<RoundPosition> Round(std::string_view id, date::sys_days as_of) const;
  // The same, as of the construction date. The pointer stays valid for the
  // fold's life; it shows the state as of the call, so look it up again
  // after applying more events.
  const CommitmentPosition* FindCommitment(const std::string& id) const;
  const RoundPosition* FindRound(const std::string& id) const;

  // Events applied so far (ignored ones included).
  std::int64_t events_applied() const;
  // The last effective first day applied (the fold's position in time).
  date::sys_days last_day() const;

  // The whole state as bytes, and a fold continuing from them.
  std::string Serialize() const;
  static Result<Fold> Deserialize(std::string_view bytes);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dealtrail

#endif  // DEALTRAIL_REPLAY_H_
