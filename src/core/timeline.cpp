// Timelines (rows with running totals, lanes for the picture) and diffs of
// positions. The running totals come from the replay fold itself, event by
// event, with the same visibility rules as Fold::Finish, so a row always
// says what replay would say at that point.
#include "dealtrail/timeline.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace dealtrail {
namespace {

using Key = std::pair<date::sys_days, std::int64_t>;  // effective first day, seq

Key KeyOf(const Event& e) { return {e.date.first(), e.seq}; }

// A commitment as Fold::Finish shows it with `min` as the certainty floor:
// left out below it, still open when its replacement is left out, with
// outstanding and conditional worked out. Empty when not in view.
std::optional<CommitmentPosition> Shown(const Fold& fold, const std::string& id, Certainty min) {
  const CommitmentPosition* stored = fold.FindCommitment(id);
  if (stored == nullptr || stored->certainty < min) return std::nullopt;
  CommitmentPosition c = *stored;
  if (c.status == CommitmentStatus::kSuperseded) {
    const CommitmentPosition* by = fold.FindCommitment(c.superseded_by);
    if (by != nullptr && by->certainty < min) {
      c.status = CommitmentStatus::kOpen;
      c.superseded_by.clear();
    }
  }
  if (c.status == CommitmentStatus::kOpen) {
    c.outstanding = Remaining(c.committed, c.funded);
    c.conditional = c.stated_conditional ? Min(Interval::Of(*c.stated_conditional), c.outstanding)
                                         : Interval::Zero(c.currency);
  } else {
    c.outstanding = Interval::Zero(c.currency);
    c.conditional = Interval::Zero(c.currency);
  }
  return c;
}

bool Live(const CommitmentPosition& c) {
  return c.status == CommitmentStatus::kOpen || c.status == CommitmentStatus::kCompleted;
}

// Interval sums per currency, listed by currency code (as replay lists them).
class Sums {
 public:
  Status Add(const Interval& i) {
    auto [it, inserted] = sums_.emplace(i.currency.code(), i);
    if (inserted) return {};
    auto sum = dealtrail::Add(it->second, i);
    if (!sum.ok()) return sum.status();
    it->second = *sum;
    return {};
  }
  std::vector<Interval> List() const {
    std::vector<Interval> out;
    for (const auto& [code, sum] : sums_) out.push_back(sum);
    return out;
  }

 private:
  std::map<std::string_view, Interval> sums_;
};

// The pair of `a` < `b` from the commitments between them, by the rules of
// Fold::Finish. Empty when none is in view.
Result<std::optional<PairPosition>> PairOf(const std::string& a, const std::string& b,
                                           const std::vector<const CommitmentPosition*>& shown) {
  if (shown.empty()) return std::optional<PairPosition>();
  Sums committed[2];
  Sums funded[2];
  Sums outstanding[2];
  for (const CommitmentPosition* c : shown) {
    const int way = c->from == a ? 0 : 1;
    DEALTRAIL_RETURN_IF_ERROR(committed[way].Add(Live(*c) ? c->committed : c->funded));
    DEALTRAIL_RETURN_IF_ERROR(funded[way].Add(c->funded));
    DEALTRAIL_RETURN_IF_ERROR(outstanding[way].Add(c->outstanding));
  }
  PairPosition p;
  p.a = a;
  p.b = b;
  p.a_to_b = Flow{committed[0].List(), funded[0].List(), outstanding[0].List()};
  p.b_to_a = Flow{committed[1].List(), funded[1].List(), outstanding[1].List()};
  std::map<std::string_view, std::pair<Interval, Interval>> by_currency;
  for (const Interval& i : p.a_to_b.committed) {
    by_currency.emplace(i.currency.code(), std::pair{i, Interval::Zero(i.currency)});
  }
  for (const Interval& i : p.b_to_a.committed) {
    auto [it, inserted] =
        by_currency.emplace(i.currency.code(), std::pair{Interval::Zero(i.currency), i});
    if (!inserted) it->second.second = i;
  }
  for (const auto& [code, both] : by_currency) {
    auto net = Subtract(both.first, both.second);
    if (!net.ok()) return net.status();
    p.net.push_back(*net);
  }
  return std::optional<PairPosition>(std::move(p));
}

bool InRange(const PartialDate& d, const TimelineOptions& o) {
  if (o.to && d.first() > *o.to) return false;
  if (o.from && d.last() < *o.from) return false;
  return true;
}

// Why an event in force changes nothing, in replay's words, or "".
std::string WhyNotApplied(const Fold& fold, const Event& e) {
  if (IsCommitmentKind(e.kind)) {
    const CommitmentPosition* c = fold.FindCommitment(e.commitment);
    if (e.kind == EventKind::kOpen) {
      return c ? "commitment " + e.commitment + " is already open" : "";
    }
    if (c == nullptr) return "commitment " + e.commitment + " is not open in this view";
    const bool ends = e.kind == EventKind::kSupersede || e.kind == EventKind::kCancel ||
                      e.kind == EventKind::kExpire || e.kind == EventKind::kComplete;
    if (ends && c->status != CommitmentStatus::kOpen) {
      return "commitment " + c->id + " is already " + std::string(StatusName(c->status));
    }
    if (e.kind == EventKind::kSupersede && fold.FindCommitment(e.by) == nullptr) {
      return "replacement " + e.by + " is not in this view";
    }
    return "";
  }
  if (IsRoundKind(e.kind)) {
    const RoundPosition* r = fold.FindRound(e.round);
    if (e.kind == EventKind::kRoundOpen) return r ? "round " + e.round + " is already open" : "";
    return r ? "" : "round " + e.round + " is not open in this view";
  }
  if (e.kind == EventKind::kValuation && !e.round.empty() && fold.FindRound(e.round) == nullptr) {
    return "round " + e.round + " is not open in this view";
  }
  return "";
}

}  // namespace

struct TimelineBuilder::State {
  TimelineOptions options;
  Fold fold;
  std::optional<Key> last_key;

  // The commitments as shown after every event so far (only those in view).
  std::unordered_map<std::string, CommitmentPosition> shown;
  // Replacement -> the commitments it superseded (their status depends on
  // whether it is in view).
  std::unordered_map<std::string, std::vector<std::string>> replaced;

  // With a pair: its commitments and its running position.
  std::string pair_a;
  std::string pair_b;
  std::vector<std::string> pair_commitments;  // in opening order
  std::unordered_set<std::string> in_pair;
  std::optional<PairPosition> pair;

  // Lanes of every commitment whose opening is shown, by commitment.
  std::vector<Lane> lanes;
  std::unordered_map<std::string, std::size_t> lane_of;

  // Retractions, by key once the stream starts; those before
  // `next_retraction` have their row.
  std::vector<Event> retractions;
  bool retractions_sorted = false;
  std::unordered_set<std::string> retracted_ids;
  std::size_t next_retraction = 0;
  std::unordered_map<std::string, std::size_t> retraction_rows;  // retracted id -> row index
  // The retracted events seen, and whether they are shown.
  std::unordered_map<std::string, std::pair<Event, bool>> retracted_seen;

  // The rows kept so far; a retraction's row is settled in Finish (when it
  // is known whether what it retracts is shown), `keep` false drops it.
  std::vector<TimelineRow> rows;
  std::vector<bool> keep;

  explicit State(TimelineOptions o)
      : options(std::move(o)),
        fold(options.to.value_or(date::sys_days(date::year{2999} / 12 / 31))) {
    if (options.pair) {
      pair_a = std::min(options.pair->first, options.pair->second);
      pair_b = std::max(options.pair->first, options.pair->second);
    }
  }

  std::optional<CommitmentPosition> Current(const std::string& id) const {
    auto it = shown.find(id);
    if (it == shown.end()) return std::nullopt;
    return it->second;
  }

  // Re-reads `ids` from the fold after an event; records state changes in
  // the lanes and the pair.
  Status Refresh(const std::vector<std::string>& ids, const Key& key) {
    bool pair_changed = false;
    for (const std::string& id : ids) {
      std::optional<CommitmentPosition> now = Shown(fold, id, options.min_certainty);
      auto it = shown.find(id);
      const bool same = it == shown.end() ? !now : now && *now == it->second;
      if (same) continue;
      if (now) {
        shown[id] = *now;
      } else if (it != shown.end()) {
        shown.erase(it);
      }
      auto lane = lane_of.find(id);
      if (lane != lane_of.end()) {
        lanes[lane->second].segments.push_back({key.first, key.second, now});
      }
      if (in_pair.count(id) > 0) pair_changed = true;
    }
    if (pair_changed) {
      std::vector<const CommitmentPosition*> in_view;
      for (const std::string& id : pair_commitments) {
        auto it = shown.find(id);
        if (it != shown.end()) in_view.push_back(&it->second);
      }
      auto p = PairOf(pair_a, pair_b, in_view);
      if (!p.ok()) return p.status();
      pair = *p;
    }
    return {};
  }

  // Places the retractions that come before `key` in the stream.
  void PlaceRetractions(const std::optional<Key>& key) {
    if (!retractions_sorted) {
      std::sort(retractions.begin(), retractions.end(),
                [](const Event& a, const Event& b) { return KeyOf(a) < KeyOf(b); });
      retractions_sorted = true;
    }
    while (next_retraction < retractions.size() &&
           (!key || KeyOf(retractions[next_retraction]) < *key)) {
      const Event& r = retractions[next_retraction++];
      TimelineRow row;
      row.event = r;
      row.applied = false;
      auto seen = retracted_seen.find(r.retracts);
      if (seen != retracted_seen.end()) {
        const Event& target = seen->second.first;
        if (IsCommitmentKind(target.kind)) {
          row.commitment = target.commitment;
          row.before = Current(target.commitment);
          row.after = row.before;
        }
      }
      if (options.pair) row.pair = pair;
      retraction_rows[r.retracts] = rows.size();
      rows.push_back(std::move(row));
      keep.push_back(InRange(r.date, options));  // and shown: settled in Finish
    }
  }
};

TimelineBuilder::TimelineBuilder(TimelineOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}
TimelineBuilder::~TimelineBuilder() = default;
TimelineBuilder::TimelineBuilder(TimelineBuilder&&) noexcept = default;
TimelineBuilder& TimelineBuilder::operator=(TimelineBuilder&&) noexcept = default;

void TimelineBuilder::AddRetraction(const Event& retraction) {
  State& s = *state_;
  s.retractions.push_back(retraction);
  s.retracted_ids.insert(retraction.retracts);
}

Status TimelineBuilder::Add(const Event& e, const std::string& retracted_by, bool shown) {
  State& s = *state_;
  if (IsPartyKind(e.kind) || e.kind == EventKind::kRetract) return {};
  const Key key = KeyOf(e);
  if (s.last_key && key < *s.last_key) {
    return Status(StatusCode::kInternal, "",
                  "timeline events out of effective order at event " + e.id);
  }
  s.last_key = key;
  s.PlaceRetractions(key);
  if (s.retracted_ids.count(e.id) > 0) s.retracted_seen[e.id] = {e, shown};

  TimelineRow row;
  row.event = e;
  row.retracted_by = retracted_by;
  const bool commitment_event = IsCommitmentKind(e.kind);
  if (commitment_event) {
    row.commitment = e.commitment;
    row.before = s.Current(e.commitment);
  }
  if (retracted_by.empty()) {
    row.not_applied = WhyNotApplied(s.fold, e);
    row.applied = row.not_applied.empty();
  }
  if (row.applied) {
    DEALTRAIL_RETURN_IF_ERROR(s.fold.Apply(e));
    if (commitment_event) {
      if (e.kind == EventKind::kOpen) {
        if (shown && s.options.lanes) {
          s.lane_of[e.commitment] = s.lanes.size();
          Lane lane;
          lane.commitment = e.commitment;
          s.lanes.push_back(std::move(lane));
        }
        if (s.options.pair && std::min(e.from, e.to) == s.pair_a &&
            std::max(e.from, e.to) == s.pair_b) {
          s.pair_commitments.push_back(e.commitment);
          s.in_pair.insert(e.commitment);
        }
      }
      if (e.kind == EventKind::kSupersede) s.replaced[e.by].push_back(e.commitment);
      std::vector<std::string> affected = {e.commitment};
      auto dependents = s.replaced.find(e.commitment);
      if (dependents != s.replaced.end()) {
        affected.insert(affected.end(), dependents->second.begin(), dependents->second.end());
      }
      DEALTRAIL_RETURN_IF_ERROR(s.Refresh(affected, key));
    }
  }

  // The certainty shown, and whether the row clears the certainty floor.
  const Certainty floor = s.options.min_certainty;
  bool visible = true;
  if (commitment_event) {
    row.after = s.Current(e.commitment);
    const CommitmentPosition* stored = s.fold.FindCommitment(e.commitment);
    row.certainty = e.certainty ? *e.certainty : stored ? stored->certainty : Certainty::kReported;
    visible = row.before || row.after || row.certainty >= floor;
  } else if (IsRoundKind(e.kind) || (e.kind == EventKind::kValuation && !e.round.empty())) {
    const RoundPosition* r = s.fold.FindRound(e.round);
    if (r) row.round = *r;
    row.certainty = e.certainty ? *e.certainty : r ? r->certainty : Certainty::kReported;
    visible =
        (r && r->certainty >= floor && e.kind != EventKind::kValuation) || row.certainty >= floor;
  } else {
    row.certainty = e.certainty.value_or(Certainty::kReported);
    visible = row.certainty >= floor;
  }
  if (!shown || !visible || !InRange(e.date, s.options)) return {};
  if (s.options.pair) row.pair = s.pair;
  s.keep.push_back(true);
  s.rows.push_back(std::move(row));
  return {};
}

Result<Timeline> TimelineBuilder::Finish() {
  State& s = *state_;
  s.PlaceRetractions(std::nullopt);
  // A retraction row stays when the event it retracts is shown.
  for (const auto& [retracted, index] : s.retraction_rows) {
    auto seen = s.retracted_seen.find(retracted);
    if (seen == s.retracted_seen.end() || !seen->second.second) {
      s.keep[index] = false;
      continue;
    }
    TimelineRow& row = s.rows[index];
    row.retracted = seen->second.first;
    if (row.commitment.empty() && IsCommitmentKind(row.retracted->kind)) {
      row.commitment = row.retracted->commitment;
    }
    // A retraction is as sure as what it took back.
    if (row.retracted->certainty) {
      row.certainty = *row.retracted->certainty;
    } else if (row.after) {
      row.certainty = row.after->certainty;
    }
    // Below the certainty floor when neither it nor its commitment clears it.
    if (row.certainty < s.options.min_certainty && !row.after) s.keep[index] = false;
  }

  Timeline out;
  std::unordered_map<std::string, std::vector<std::size_t>> rows_of;
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    if (!s.keep[i]) continue;
    if (!s.rows[i].commitment.empty()) rows_of[s.rows[i].commitment].push_back(out.rows.size());
    out.rows.push_back(std::move(s.rows[i]));
  }

  // Lanes: in view at some point, and alive at some point of the range.
  struct Group {
    date::sys_days first;
    std::pair<std::string, std::string> parties;
    std::vector<Lane> lanes;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (Lane& lane : s.lanes) {
    const LaneSegment* last_shown = nullptr;
    // The first stretch after which it is no longer open (over), if any.
    const LaneSegment* end = nullptr;
    for (const LaneSegment& seg : lane.segments) {
      const bool open = seg.state && seg.state->status == CommitmentStatus::kOpen;
      if (seg.state) last_shown = &seg;
      if (open) {
        end = nullptr;
      } else if (end == nullptr) {
        end = &seg;
      }
    }
    if (last_shown == nullptr) continue;
    const date::sys_days start = lane.segments.front().start;
    if (s.options.to && start > *s.options.to) continue;
    if (s.options.from && end != nullptr && end->start < *s.options.from) continue;
    lane.last = *last_shown->state;
    auto found = rows_of.find(lane.commitment);
    if (found != rows_of.end()) lane.rows = found->second;
    auto parties = std::minmax(lane.last.from, lane.last.to);
    Group& g = groups[{parties.first, parties.second}];
    if (g.lanes.empty() || start < g.first) g.first = start;
    g.parties = {parties.first, parties.second};
    g.lanes.push_back(std::move(lane));
  }
  std::vector<Group*> ordered;
  ordered.reserve(groups.size());
  for (auto& [parties, g] : groups) ordered.push_back(&g);
  std::sort(ordered.begin(), ordered.end(), [](const Group* a, const Group* b) {
    return std::tie(a->first, a->parties) < std::tie(b->first, b->parties);
  });
  for (Group* g : ordered) {
    std::sort(g->lanes.begin(), g->lanes.end(), [](const Lane& a, const Lane& b) {
      return std::pair(a.last.opened.first(), a.commitment) <
             std::pair(b.last.opened.first(), b.commitment);
    });
    for (Lane& lane : g->lanes) out.lanes.push_back(std::move(lane));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Diffs.

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kChanged:
      return "changed";
  }
  return "changed";
}

namespace {

std::vector<std::string> ChangedFields(const CommitmentPosition& a, const CommitmentPosition& b) {
  std::vector<std::string> f;
  if (a.certainty != b.certainty) f.push_back("certainty");
  if (a.status != b.status || a.superseded_by != b.superseded_by) f.push_back("status");
  if (!(a.stated == b.stated) || !(a.committed == b.committed)) f.push_back("committed");
  if (!(a.funded == b.funded)) f.push_back("funded");
  if (!(a.outstanding == b.outstanding)) f.push_back("outstanding");
  if (!(a.conditional == b.conditional) || a.stated_conditional != b.stated_conditional) {
    f.push_back("conditional");
  }
  if (a.round != b.round) f.push_back("round");
  if (a.terms != b.terms) f.push_back("terms");
  if (a.in_effect != b.in_effect) f.push_back("in_effect");
  return f;
}

// Per-currency lists compared by value: a currency with nothing in it (no
// commitment that way yet) equals an exact zero.
bool SameAmounts(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  auto nonzero = [](const std::vector<Interval>& list) {
    std::vector<Interval> out;
    for (const Interval& i : list) {
      if (!(i.IsZero() && !i.approximate)) out.push_back(i);
    }
    return out;
  };
  return nonzero(a) == nonzero(b);
}

std::vector<std::string> ChangedFields(const PairPosition& a, const PairPosition& b) {
  std::vector<std::string> f;
  if (!SameAmounts(a.a_to_b.committed, b.a_to_b.committed)) f.push_back("a_to_b.committed");
  if (!SameAmounts(a.a_to_b.funded, b.a_to_b.funded)) f.push_back("a_to_b.funded");
  if (!SameAmounts(a.a_to_b.outstanding, b.a_to_b.outstanding)) f.push_back("a_to_b.outstanding");
  if (!SameAmounts(a.b_to_a.committed, b.b_to_a.committed)) f.push_back("b_to_a.committed");
  if (!SameAmounts(a.b_to_a.funded, b.b_to_a.funded)) f.push_back("b_to_a.funded");
  if (!SameAmounts(a.b_to_a.outstanding, b.b_to_a.outstanding)) f.push_back("b_to_a.outstanding");
  if (a.net != b.net) f.push_back("net");
  return f;
}

// Valuation views compared by what they report, not by the seq that recorded
// each report.
bool SameReports(const ValuationView& a, const ValuationView& b) {
  auto flat = [](const ValuationView& v) {
    std::vector<ValuationReport> all;
    if (v.latest) all.push_back(*v.latest);
    all.insert(all.end(), v.others.begin(), v.others.end());
    for (ValuationReport& r : all) r.seq = 0;
    return all;
  };
  return flat(a) == flat(b);
}

std::vector<std::string> ChangedFields(const RoundPosition& a, const RoundPosition& b) {
  std::vector<std::string> f;
  if (a.closed != b.closed) f.push_back("status");
  if (a.certainty != b.certainty) f.push_back("certainty");
  if (a.target != b.target) f.push_back("target");
  if (!SameAmounts(a.raised, b.raised)) f.push_back("raised");
  if (a.unallocated != b.unallocated) f.push_back("unallocated");
  if (a.participants != b.participants) f.push_back("participants");
  if (!SameReports(a.pre_money, b.pre_money)) f.push_back("pre_money");
  if (!SameReports(a.post_money, b.post_money)) f.push_back("post_money");
  if (a.terms != b.terms) f.push_back("terms");
  if (a.in_effect != b.in_effect) f.push_back("in_effect");
  return f;
}

template <typename Position, typename KeyFn>
std::vector<ItemChange<Position>> DiffItems(const std::vector<Position>& before,
                                            const std::vector<Position>& after, KeyFn key) {
  std::vector<ItemChange<Position>> out;
  std::map<decltype(key(before.front())), const Position*> old;
  for (const Position& p : before) old[key(p)] = &p;
  std::set<decltype(key(before.front()))> matched;
  for (const Position& p : after) {
    auto it = old.find(key(p));
    if (it == old.end()) {
      out.push_back({ChangeKind::kAdded, std::nullopt, p, {}});
      continue;
    }
    matched.insert(key(p));
    std::vector<std::string> fields = ChangedFields(*it->second, p);
    if (!fields.empty()) out.push_back({ChangeKind::kChanged, *it->second, p, std::move(fields)});
  }
  for (const Position& p : before) {
    if (matched.count(key(p)) == 0) out.push_back({ChangeKind::kRemoved, p, std::nullopt, {}});
  }
  return out;
}

}  // namespace

PositionsDiff DiffPositions(const Positions& before, const Positions& after) {
  PositionsDiff d;
  d.commitments = DiffItems(before.commitments, after.commitments,
                            [](const CommitmentPosition& c) { return c.id; });
  d.pairs = DiffItems(before.pairs, after.pairs,
                      [](const PairPosition& p) { return std::pair(p.a, p.b); });
  std::stable_sort(d.pairs.begin(), d.pairs.end(), [](const auto& x, const auto& y) {
    const PairPosition& a = x.after ? *x.after : *x.before;
    const PairPosition& b = y.after ? *y.after : *y.before;
    return std::tie(a.a, a.b) < std::tie(b.a, b.b);
  });
  d.rounds = DiffItems(before.rounds, after.rounds, [](const RoundPosition& r) { return r.id; });
  return d;
}

}  // namespace dealtrail
