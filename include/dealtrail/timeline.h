// Timelines and diffs, the domain side of `dealtrail timeline` and
// `dealtrail diff`: events in, dated rows with running totals and drawable
// lanes out; two sets of positions in, what changed between them out. Pure:
// no SQLite, no I/O, no clock.
#ifndef DEALTRAIL_TIMELINE_H_
#define DEALTRAIL_TIMELINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/replay.h"
#include "dealtrail/status.h"
#include "dealtrail/time.h"

namespace dealtrail {

// Which rows a timeline keeps and which running totals it keeps for them.
struct TimelineOptions {
  // Rows are the events whose period overlaps [from, to] (a `2025-Q4` event
  // is in a range starting 2025-11-01); empty means no limit. Events before
  // `from` still count towards the running totals.
  std::optional<date::sys_days> from;
  std::optional<date::sys_days> to;
  // As replay's --min-certainty: commitments, rounds and valuation reports
  // below it are left out, and a commitment superseded by one left out is
  // shown as still open.
  Certainty min_certainty = Certainty::kRumored;
  // With a pair (two party ids, any order), each row also carries the pair's
  // running position.
  std::optional<std::pair<std::string, std::string>> pair;
  // Whether to keep the lanes (for drawing). Without them, memory grows with
  // the rows kept and the commitments, not with the events streamed.
  bool lanes = true;
};

// One row: an event, a retraction, or an event that was retracted, with the
// running position of its commitment (and pair) after it — exactly what
// replay would show for them with every event up to this one applied.
struct TimelineRow {
  Event event;               // the event; for a retraction row, the retract event
  std::string retracted_by;  // id of the retraction that took this event back ("" if in force)
  // For a retraction row: what the retracted event was (kind, commitment or
  // round, date); its id is event.retracts.
  std::optional<Event> retracted;
  bool applied = false;     // the event changed the positions
  std::string not_applied;  // why an event in force changed nothing ("" otherwise)
  // The certainty the row is shown with: the event's own when it states
  // one, else that of its commitment or round; for a retraction, that of
  // the event it took back.
  Certainty certainty = Certainty::kReported;
  // The commitment the row is about (the retracted event's for a
  // retraction), before and after the event, as replay shows it (outstanding
  // and conditional filled in). Empty when not in view at that point.
  std::string commitment;
  std::optional<CommitmentPosition> before;
  std::optional<CommitmentPosition> after;
  // The round the row is about, after the event (round and valuation events).
  std::optional<RoundPosition> round;
  // With TimelineOptions::pair: the pair after the event, as replay's pairs
  // (empty while no commitment between the two is in view).
  std::optional<PairPosition> pair;
};

// A stretch of a commitment's life from one state change to the next.
struct LaneSegment {
  date::sys_days start{};  // first day of the event that began it
  std::int64_t seq = 0;    // and its seq
  // The commitment as replay shows it during the stretch; empty when it is
  // not in view (left out below the certainty floor).
  std::optional<CommitmentPosition> state;
};

// One commitment's life, for drawing: a lane from its opening to its end.
struct Lane {
  std::string commitment;
  CommitmentPosition last;            // its state at the end of the range (or its last known)
  std::vector<LaneSegment> segments;  // in order; the first begins at the opening
  std::vector<std::size_t> rows;      // indexes into Timeline::rows of its events in range
};

struct Timeline {
  std::vector<TimelineRow> rows;  // in effective order: first day, then seq
  // The commitments whose opening matches the filter and whose life overlaps
  // the range, grouped by pair (groups by their earliest opening, then party
  // ids), each group by opening date, then id.
  std::vector<Lane> lanes;
};

// Builds a timeline from a stream of events. Feed it every event in view —
// recorded by the known-at time, party events and retractions left out — in
// effective order (first day, then seq), as Ledger::Timeline with no filter
// gives them; say which match the timeline's filter; then add the
// retractions of shown events and finish.
class TimelineBuilder {
 public:
  explicit TimelineBuilder(TimelineOptions options);
  ~TimelineBuilder();
  TimelineBuilder(TimelineBuilder&&) noexcept;
  TimelineBuilder& operator=(TimelineBuilder&&) noexcept;

  // The next event. `retracted_by` is the id of the retraction that took it
  // back (as known at the timeline's time), or empty; a retracted event is
  // shown marked but changes nothing. `shown`: the event matches the filter.
  // Fails only when a sum overflows 64 bits, or when events come out of
  // order (kInternal).
  Status Add(const Event& e, const std::string& retracted_by, bool shown);

  // A retraction (a `retract` event) recorded by the known-at time. Call it
  // for every such retraction before the first Add; a retraction of an event
  // that is shown gets a row of its own at its date, when that is in range.
  void AddRetraction(const Event& retraction);

  // The rows and lanes. The builder is spent afterwards.
  Result<Timeline> Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// What changed between two sets of positions (two as-of dates, or two
// known-at times), item by item.
enum class ChangeKind { kAdded, kRemoved, kChanged };
std::string_view ChangeKindName(ChangeKind k);  // "added", "removed", "changed"

// The fields compared, by name:
//   commitments: certainty, status (superseded_by included), committed (the
//     stated amount and its interval), funded, outstanding, conditional,
//     round, terms, in_effect;
//   pairs: a_to_b.committed, a_to_b.funded, a_to_b.outstanding, the same
//     for b_to_a, net;
//   rounds: status, certainty, target, raised, unallocated, participants,
//     pre_money, post_money (every report, not only the latest), terms,
//     in_effect.
// Bookkeeping (version, last change, seq) is not compared.
template <typename Position>
struct ItemChange {
  ChangeKind change = ChangeKind::kChanged;
  std::optional<Position> before;   // empty when added
  std::optional<Position> after;    // empty when removed
  std::vector<std::string> fields;  // the fields that differ (for kChanged), in the order above
};

struct PositionsDiff {
  std::vector<ItemChange<CommitmentPosition>> commitments;  // after's order, then removed ones
  std::vector<ItemChange<PairPosition>> pairs;              // by (a, b)
  std::vector<ItemChange<RoundPosition>> rounds;            // after's order, then removed ones
  bool empty() const { return commitments.empty() && pairs.empty() && rounds.empty(); }
};

// Compares two positions item by item (commitments and rounds by id, pairs
// by their two parties). Items equal in every compared field are left out.
PositionsDiff DiffPositions(const Positions& before, const Positions& after);

}  // namespace dealtrail

#endif  // DEALTRAIL_TIMELINE_H_
