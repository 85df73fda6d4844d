// The replay fold: events in (effective first day, seq) order in, positions
// out. The state is compact (fold_state.h); positions are materialized only
// for the sections asked for.
#include "dealtrail/replay.h"

#include <algorithm>
#include <unordered_map>

#include "core/fold_state.h"

namespace dealtrail {
namespace {

constexpr std::size_t kMaxIgnored = 100;

// Sums intervals per currency, in currency-code order.
class PerCurrency {
 public:
  // Adds in place (totals add once per commitment and party, so no Result
  // is built on the way); fails only when a sum overflows.
  Status Add(const Interval& i) {
    for (Interval& sum : sums_) {
      if (sum.currency == i.currency) {
        bool overflow = __builtin_add_overflow(sum.low, i.low, &sum.low);
        if (sum.high && i.high) {
          overflow = __builtin_add_overflow(*sum.high, *i.high, &*sum.high) || overflow;
        } else {
          sum.high.reset();
        }
        sum.approximate = sum.approximate || i.approximate;
        if (overflow) return Status::Invalid("amount", "sum overflows 64-bit minor units");
        return {};
      }
    }
    sums_.push_back(i);
    std::sort(sums_.begin(), sums_.end(),
              [](const Interval& a, const Interval& b) { return a.currency < b.currency; });
    return {};
  }
  const std::vector<Interval>& List() const { return sums_; }
  std::optional<Interval> Find(Currency c) const {
    for (const Interval& sum : sums_) {
      if (sum.currency == c) return sum;
    }
    return std::nullopt;
  }

 private:
  std::vector<Interval> sums_;  // a handful of currencies at most
};

struct FlowSums {
  PerCurrency committed;
  PerCurrency funded;
  PerCurrency outstanding;
  Status Add(const Interval& exposure, const Interval& funded_i, const Interval& outstanding_i) {
    DEALTRAIL_RETURN_IF_ERROR(committed.Add(exposure));
    DEALTRAIL_RETURN_IF_ERROR(funded.Add(funded_i));
    return outstanding.Add(outstanding_i);
  }
  Flow ToFlow() const { return {committed.List(), funded.List(), outstanding.List()}; }
};

ValuationView ViewOf(const std::vector<fold::ReportState>& reports, ValuationBasis basis,
                     Certainty min_certainty, const fold::Interner& names) {
  std::vector<const fold::ReportState*> picked;
  for (const fold::ReportState& r : reports) {
    if (r.basis == basis && r.certainty >= min_certainty) picked.push_back(&r);
  }
  // Newest first: by effective date, then by recording order.
  std::sort(picked.begin(), picked.end(),
            [](const fold::ReportState* a, const fold::ReportState* b) {
              if (a->date.first() != b->date.first()) return a->date.first() > b->date.first();
              return a->seq > b->seq;
            });
  ValuationView view;
  for (const fold::ReportState* r : picked) {
    if (!view.latest) {
      view.latest = fold::Materialize(*r, names);
    } else {
      view.others.push_back(fold::Materialize(*r, names));
    }
  }
  return view;
}

RoundPosition RoundPositionOf(const fold::RoundState& r, const fold::Interner& names,
                              date::sys_days as_of) {
  RoundPosition p;
  p.id = names.View(r.id);
  p.party = names.View(r.party);
  p.closed = r.closed;
  p.certainty = r.certainty;
  p.target = r.target;
  p.terms = names.View(r.terms);
  p.opened = r.opened;
  p.in_effect = r.latest_end > as_of ? InEffect::kPossibly : InEffect::kDefinitely;
  return p;
}

// A commitment as the result shows it: at or above the certainty floor,
// with its status as shown (superseded only by a commitment left out: still
// open) and its amounts.
struct Shown {
  const fold::CommitmentState* state;
  CommitmentStatus status;
  Interval committed;
  Interval outstanding;
  bool involves;  // from or to the party filtered on (or no party filter)
};

class Showing {
 public:
  Showing(const fold::Blocks<fold::CommitmentState>& all, const fold::SymIndex& index,
          const fold::Interner& names, Certainty min_certainty, fold::Sym party)
      : all_(all), index_(index), names_(names), min_(min_certainty), party_(party) {}

  bool Visible(const fold::CommitmentState& c) const { return c.certainty >= min_; }

  // Superseded only by a commitment left out: still open.
  CommitmentStatus StatusShown(const fold::CommitmentState& c) const {
    if (c.status == CommitmentStatus::kSuperseded) {
      const std::int32_t by = index_.Get(c.superseded_by);
      if (by >= 0 && !Visible(all_[static_cast<std::size_t>(by)])) return CommitmentStatus::kOpen;
    }
    return c.status;
  }

  bool Involves(const fold::CommitmentState& c) const {
    return party_ == fold::kNone || c.from == party_ || c.to == party_;
  }

  Shown Show(const fold::CommitmentState& c) const { return Show(c, StatusShown(c)); }
  Shown Show(const fold::CommitmentState& c, CommitmentStatus status) const {
    const Interval committed = Interval::Of(Amount{c.stated.minor, c.currency, c.stated.bound});
    const Interval outstanding = status == CommitmentStatus::kOpen ? Remaining(committed, c.funded)
                                                                   : Interval::Zero(c.currency);
    return Shown{&c, status, committed, outstanding, Involves(c)};
  }

  // Every visible commitment (only those involving the party filtered on,
  // if `involving_only`), by opening date, then id: small references, so
  // that a caller materializing one at a time never holds them all.
  std::vector<CommitmentRef> Order(bool involving_only) const {
    std::vector<CommitmentRef> refs;
    refs.reserve(all_.size());
    for (std::size_t i = 0; i < all_.size(); ++i) {
      const fold::CommitmentState& c = all_[i];
      if (!Visible(c) || (involving_only && !Involves(c))) continue;
      refs.push_back(CommitmentRef{static_cast<std::uint32_t>(i), StatusShown(c)});
    }
    // The fold opens commitments in effective order, so they are in opening
    // order already: only the runs opened on one day need sorting by id.
    // Ids are unique, so the order is total and filtering first changes
    // nothing in it.
    auto opened = [&](const CommitmentRef& r) { return all_[r.index].opened; };
    auto by_opened = [&](const CommitmentRef& a, const CommitmentRef& b) {
      return opened(a) < opened(b);
    };
    auto by_id = [&](const CommitmentRef& a, const CommitmentRef& b) {
      return names_.View(all_[a.index].id) < names_.View(all_[b.index].id);
    };
    if (!std::is_sorted(refs.begin(), refs.end(), by_opened)) {
      std::stable_sort(refs.begin(), refs.end(), by_opened);
    }
    for (auto run = refs.begin(); run != refs.end();) {
      auto next = std::upper_bound(run, refs.end(), *run, by_opened);
      if (next - run > 1) std::sort(run, next, by_id);
      run = next;
    }
    return refs;
  }

  // Every visible commitment, in Order, with its amounts.
  std::vector<Shown> Listed() const {
    const std::vector<CommitmentRef> refs = Order(/*involving_only=*/false);
    std::vector<Shown> shown;
    shown.reserve(refs.size());
    for (const CommitmentRef& r : refs) shown.push_back(Show(all_[r.index], r.status));
    return shown;
  }

  // The position listed for a commitment shown with `status`.
  CommitmentPosition Position(const fold::CommitmentState& c, CommitmentStatus status,
                              date::sys_days as_of) const {
    CommitmentPosition p = fold::Materialize(c, names_, as_of);
    if (p.status != status) {
      p.status = status;
      p.superseded_by.clear();
      fold::DeriveAmounts(p);
    }
    return p;
  }

 private:
  const fold::Blocks<fold::CommitmentState>& all_;
  const fold::SymIndex& index_;
  const fold::Interner& names_;
  Certainty min_;
  fold::Sym party_;
};

}  // namespace

std::string_view StatusName(CommitmentStatus s) {
  switch (s) {
    case CommitmentStatus::kOpen:
      return "open";
    case CommitmentStatus::kCompleted:
      return "completed";
    case CommitmentStatus::kCancelled:
      return "cancelled";
    case CommitmentStatus::kExpired:
      return "expired";
    case CommitmentStatus::kSuperseded:
      return "superseded";
  }
  return "open";
}

std::string_view InEffectName(InEffect e) {
  return e == InEffect::kDefinitely ? "definitely" : "possibly";
}

FoldEvent FoldEvent::Of(const Event& e) {
  FoldEvent f;
  f.seq = e.seq;
  f.kind = e.kind;
  f.date = e.date;
  f.id = e.id;
  f.commitment = e.commitment;
  f.by = e.by;
  f.round = e.round;
  f.party = e.party;
  f.from = e.from;
  f.to = e.to;
  f.terms = e.terms;
  f.source = e.source.outlet;
  f.url = e.source.url;
  f.note = e.source.note;
  f.published = e.source.published;
  f.commitment_kind = e.commitment_kind;
  f.certainty = e.certainty;
  f.amount = e.amount;
  f.conditional = e.conditional;
  f.target = e.target;
  f.pre_money = e.pre_money;
  f.post_money = e.post_money;
  f.basis = e.basis;
  return f;
}

fold::CommitmentState* Fold::State::FindCommitment(std::string_view id) {
  const std::int32_t i = commitment_index.Get(names.Find(id));
  return i < 0 ? nullptr : &commitments[static_cast<std::size_t>(i)];
}

fold::RoundState* Fold::State::FindRound(std::string_view id) {
  const std::int32_t i = round_index.Get(names.Find(id));
  return i < 0 ? nullptr : &rounds[static_cast<std::size_t>(i)];
}

void Fold::State::Ignore(const FoldEvent& e, std::string_view why) {
  if (ignored.size() < kMaxIgnored) ignored.push_back(std::string(e.id) + ": " + std::string(why));
}

Fold::Fold() : state_(std::make_unique<State>()) {}
Fold::Fold(date::sys_days as_of) : Fold() { state_->default_as_of = as_of; }
Fold::~Fold() = default;
Fold::Fold(Fold&&) noexcept = default;
Fold& Fold::operator=(Fold&&) noexcept = default;

std::int64_t Fold::events_applied() const { return state_->applied; }
date::sys_days Fold::last_day() const { return state_->last_day; }

Status Fold::Apply(const Event& e) { return Apply(FoldEvent::Of(e)); }

Status Fold::Apply(const FoldEvent& e) {
  State& s = *state_;
  if (IsPartyKind(e.kind) || e.kind == EventKind::kRetract) return {};
  ++s.applied;
  s.last_day = e.date.first();

  if (IsCommitmentKind(e.kind)) {
    fold::CommitmentState* c = s.FindCommitment(e.commitment);
    if (e.kind == EventKind::kOpen) {
      if (c != nullptr) {
        s.Ignore(e, "commitment " + std::string(e.commitment) + " is already open");
        return {};
      }
      s.commitments.push_back(fold::OpenCommitment(e, s.names));
      s.commitment_index.Set(s.commitments.back().id,
                             static_cast<std::int32_t>(s.commitments.size() - 1));
      return {};
    }
    if (c == nullptr) {
      s.Ignore(e, "commitment " + std::string(e.commitment) + " is not open in this view");
      return {};
    }
    const bool replacement = e.kind == EventKind::kSupersede && s.FindCommitment(e.by) != nullptr;
    auto applied = fold::ApplyToCommitment(*c, e, replacement, s.names);
    if (!applied.ok()) return applied.status();
    if (!*applied) {
      if (c->status != CommitmentStatus::kOpen) {
        s.Ignore(e, "commitment " + std::string(e.commitment) + " is already " +
                        std::string(StatusName(c->status)));
      } else {
        s.Ignore(e, "replacement " + std::string(e.by) + " is not in this view");
      }
    }
    return {};
  }

  if (IsRoundKind(e.kind) || (e.kind == EventKind::kValuation && !e.round.empty())) {
    fold::RoundState* r = s.FindRound(e.round);
    if (e.kind == EventKind::kRoundOpen) {
      if (r != nullptr) {
        s.Ignore(e, "round " + std::string(e.round) + " is already open");
        return {};
      }
      s.rounds.push_back(fold::OpenRound(e, s.names));
      s.round_index.Set(s.rounds.back().id, static_cast<std::int32_t>(s.rounds.size() - 1));
      r = &s.rounds.back();
    } else if (r == nullptr) {
      s.Ignore(e, "round " + std::string(e.round) + " is not open in this view");
      return {};
    }
    fold::ApplyToRound(*r, e, s.names);
    return {};
  }

  if (e.kind == EventKind::kValuation) {
    s.party_reports[s.names.Intern(e.party)].push_back(
        fold::ReportOf(e, *e.basis, *e.amount, *e.certainty, s.names));
  }
  return {};
}

std::optional<CommitmentPosition> Fold::Commitment(std::string_view id,
                                                   date::sys_days as_of) const {
  const fold::CommitmentState* c = state_->FindCommitment(id);
  if (c == nullptr) return std::nullopt;
  return fold::Materialize(*c, state_->names, as_of);
}

std::vector<CommitmentRef> Fold::ListCommitments(const PositionFilter& filter) const {
  const State& s = *state_;
  const fold::Sym party = filter.party.empty() ? fold::kNone : s.names.Find(filter.party);
  if (!filter.party.empty() && party == fold::kNone) return {};
  const Showing showing(s.commitments, s.commitment_index, s.names, filter.min_certainty, party);
  return showing.Order(/*involving_only=*/true);
}

CommitmentPosition Fold::Materialize(CommitmentRef ref, date::sys_days as_of) const {
  const State& s = *state_;
  const Showing showing(s.commitments, s.commitment_index, s.names, Certainty::kRumored,
                        fold::kNone);
  return showing.Position(s.commitments[ref.index], ref.status, as_of);
}

void Fold::Materialize(std::span<const CommitmentRef> refs, date::sys_days as_of,
                       std::vector<CommitmentPosition>& out) const {
  const State& s = *state_;
  for (const CommitmentRef& ref : refs) {
    const auto* at = reinterpret_cast<const char*>(&s.commitments[ref.index]);
    for (std::size_t line = 0; line < sizeof(fold::CommitmentState); line += 64) {
      __builtin_prefetch(at + line);
    }
  }
  for (const CommitmentRef& ref : refs) s.names.Prefetch(s.commitments[ref.index].id);
  const Showing showing(s.commitments, s.commitment_index, s.names, Certainty::kRumored,
                        fold::kNone);
  out.resize(refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    out[i] = showing.Position(s.commitments[refs[i].index], refs[i].status, as_of);
  }
}

void Fold::OrderCommitments(std::vector<CommitmentRef>& refs,
                            const std::vector<CommitmentOrder>& keys) const {
  const State& s = *state_;
  std::vector<CommitmentRef> sorted(refs.size());
  std::vector<std::uint32_t> rank(s.names.size(), 0);
  std::vector<fold::Sym> parties;
  std::vector<std::size_t> start;
  // Least significant key first, each pass a stable counting sort by the
  // party's rank among the parties listed.
  for (auto key = keys.rbegin(); key != keys.rend(); ++key) {
    auto party_of = [&](CommitmentRef r) {
      const fold::CommitmentState& c = s.commitments[r.index];
      return key->column == PartyColumn::kFrom ? c.from : c.to;
    };
    parties.clear();
    for (const CommitmentRef& r : refs) {
      const fold::Sym p = party_of(r);
      if (rank[p] == 0) {
        rank[p] = 1;
        parties.push_back(p);
      }
    }
    std::sort(parties.begin(), parties.end(),
              [&](fold::Sym a, fold::Sym b) { return s.names.View(a) < s.names.View(b); });
    const std::size_t n = parties.size();
    for (std::size_t i = 0; i < n; ++i) {
      rank[parties[i]] = static_cast<std::uint32_t>(key->descending ? n - 1 - i : i);
    }
    start.assign(n + 1, 0);
    for (const CommitmentRef& r : refs) ++start[rank[party_of(r)] + 1];
    for (std::size_t i = 1; i <= n; ++i) start[i] += start[i - 1];
    for (const CommitmentRef& r : refs) sorted[start[rank[party_of(r)]]++] = r;
    refs.swap(sorted);
    for (const fold::Sym p : parties) rank[p] = 0;
  }
}

std::optional<RoundPosition> Fold::Round(std::string_view id, date::sys_days as_of) const {
  const fold::RoundState* r = state_->FindRound(id);
  if (r == nullptr) return std::nullopt;
  return RoundPositionOf(*r, state_->names, as_of);
}

const CommitmentPosition* Fold::FindCommitment(const std::string& id) const {
  auto found = Commitment(id, state_->default_as_of);
  if (!found) return nullptr;
  CommitmentPosition& slot = state_->found_commitments[id];
  slot = std::move(*found);
  return &slot;
}

const RoundPosition* Fold::FindRound(const std::string& id) const {
  auto found = Round(id, state_->default_as_of);
  if (!found) return nullptr;
  RoundPosition& slot = state_->found_rounds[id];
  slot = std::move(*found);
  return &slot;
}

Result<Positions> Fold::Finish(const PositionFilter& filter) const {
  return Finish(state_->default_as_of, filter);
}

Result<Positions> Fold::Finish(date::sys_days as_of, const PositionFilter& filter) const {
  const State& s = *state_;
  const fold::Interner& names = s.names;
  Positions out;
  out.as_of = as_of;
  out.ignored = s.ignored;
  const fold::Sym party = filter.party.empty() ? fold::kNone : names.Find(filter.party);
  if (!filter.party.empty() && party == fold::kNone) {
    // A party the fold never saw: nothing involves it.
    return out;
  }

  const Showing showing(s.commitments, s.commitment_index, names, filter.min_certainty, party);
  // Kept in a list only for the sections that list commitments (in listing
  // order); totals alone take each commitment as it comes.
  const bool listing = filter.commitments || filter.rounds;
  const std::vector<Shown> shown = listing ? showing.Listed() : std::vector<Shown>();
  auto exposure = [](const Shown& c) -> const Interval& {
    const bool live =
        c.status == CommitmentStatus::kOpen || c.status == CommitmentStatus::kCompleted;
    return live ? c.committed : c.state->funded;
  };

  if (filter.commitments) {
    // Sized once: positions are large, and growing the list copies them all.
    out.commitments.reserve(static_cast<std::size_t>(
        std::count_if(shown.begin(), shown.end(), [](const Shown& c) { return c.involves; })));
    for (const Shown& c : shown) {
      if (c.involves) out.commitments.push_back(showing.Position(*c.state, c.status, as_of));
    }
  }

  // Pairs and parties from the commitments shown for the party filter,
  // summed by interned id (a map keyed by the id strings compares strings
  // on every commitment) and put in id order at the end.
  if (filter.pairs || filter.parties) {
    struct PairSums {
      fold::Sym a, b;  // a's id sorts before b's
      FlowSums a_to_b, b_to_a;
    };
    struct PartySums {
      fold::Sym id;
      FlowSums out, in;
    };
    std::unordered_map<std::uint64_t, std::size_t> pair_at;
    std::vector<PairSums> pairs;
    std::vector<std::int32_t> party_at(filter.parties ? names.size() : 0, -1);
    std::vector<PartySums> parties;
    auto party_sums = [&](fold::Sym id) -> PartySums& {
      std::int32_t& at = party_at[id];
      if (at < 0) {
        at = static_cast<std::int32_t>(parties.size());
        parties.push_back(PartySums{id, {}, {}});
      }
      return parties[static_cast<std::size_t>(at)];
    };
    auto add = [&](const Shown& c) -> Status {
      if (!c.involves) return {};
      const fold::Sym from = c.state->from;
      const fold::Sym to = c.state->to;
      const Interval& e = exposure(c);
      if (filter.pairs) {
        const std::uint64_t key = (std::uint64_t{std::min(from, to)} << 32) | std::max(from, to);
        auto [it, added] = pair_at.try_emplace(key, pairs.size());
        if (added) {
          const bool forward = names.View(from) < names.View(to);
          pairs.push_back(PairSums{forward ? from : to, forward ? to : from, {}, {}});
        }
        PairSums& sums = pairs[it->second];
        DEALTRAIL_RETURN_IF_ERROR(
            (from == sums.a ? sums.a_to_b : sums.b_to_a).Add(e, c.state->funded, c.outstanding));
      }
      if (filter.parties) {
        DEALTRAIL_RETURN_IF_ERROR(party_sums(from).out.Add(e, c.state->funded, c.outstanding));
        DEALTRAIL_RETURN_IF_ERROR(party_sums(to).in.Add(e, c.state->funded, c.outstanding));
      }
      return {};
    };
    if (listing) {
      for (const Shown& c : shown) DEALTRAIL_RETURN_IF_ERROR(add(c));
    } else {
      for (const fold::CommitmentState& c : s.commitments) {
        if (showing.Visible(c)) DEALTRAIL_RETURN_IF_ERROR(add(showing.Show(c)));
      }
    }
    std::sort(pairs.begin(), pairs.end(), [&](const PairSums& x, const PairSums& y) {
      const std::string_view xa = names.View(x.a), ya = names.View(y.a);
      return xa != ya ? xa < ya : names.View(x.b) < names.View(y.b);
    });
    for (const PairSums& sums : pairs) {
      PairPosition p;
      p.a = names.View(sums.a);
      p.b = names.View(sums.b);
      p.a_to_b = sums.a_to_b.ToFlow();
      p.b_to_a = sums.b_to_a.ToFlow();
      // Net per currency over the currencies either direction uses.
      std::vector<Currency> currencies;
      for (const Interval& i : p.a_to_b.committed) currencies.push_back(i.currency);
      for (const Interval& i : p.b_to_a.committed) {
        if (std::find(currencies.begin(), currencies.end(), i.currency) == currencies.end()) {
          currencies.push_back(i.currency);
        }
      }
      std::sort(currencies.begin(), currencies.end());
      for (const Currency cur : currencies) {
        auto net = Subtract(sums.a_to_b.committed.Find(cur).value_or(Interval::Zero(cur)),
                            sums.b_to_a.committed.Find(cur).value_or(Interval::Zero(cur)));
        if (!net.ok()) return net.status();
        p.net.push_back(*net);
      }
      out.pairs.push_back(std::move(p));
    }
    if (filter.parties) {
      // Valuations reported outside rounds also give a party a row.
      for (const auto& [sym, list] : s.party_reports) party_sums(sym);
      std::sort(parties.begin(), parties.end(), [&](const PartySums& x, const PartySums& y) {
        return names.View(x.id) < names.View(y.id);
      });
      for (const PartySums& flows : parties) {
        if (party != fold::kNone && flows.id != party) continue;
        PartyPosition p;
        p.party = names.View(flows.id);
        p.out = flows.out.ToFlow();
        p.in = flows.in.ToFlow();
        auto r = s.party_reports.find(flows.id);
        if (r != s.party_reports.end()) {
          p.pre_money = ViewOf(r->second, ValuationBasis::kPreMoney, filter.min_certainty, names);
          p.post_money = ViewOf(r->second, ValuationBasis::kPostMoney, filter.min_certainty, names);
        }
        out.parties.push_back(std::move(p));
      }
    }
  }

  if (filter.rounds) {
    // Rounds count every participant, whatever the party filter.
    struct Participation {
      std::vector<std::string_view> ids;
      PerCurrency raised;
      bool involves = false;
    };
    std::unordered_map<fold::Sym, Participation> by_round;
    for (const Shown& c : shown) {
      if (c.state->round == fold::kNone) continue;
      Participation& p = by_round[c.state->round];
      p.ids.push_back(names.View(c.state->id));
      DEALTRAIL_RETURN_IF_ERROR(p.raised.Add(exposure(c)));
      p.involves = p.involves || c.involves;
    }
    const Participation none;
    for (const fold::RoundState& r : s.rounds) {
      if (r.certainty < filter.min_certainty) continue;
      auto it = by_round.find(r.id);
      const Participation& part = it == by_round.end() ? none : it->second;
      if (party != fold::kNone && r.party != party && !part.involves) continue;
      RoundPosition p = RoundPositionOf(r, names, as_of);
      p.participants.assign(part.ids.begin(), part.ids.end());
      p.raised = part.raised.List();
      if (p.target) {
        p.unallocated = Remaining(
            Interval::Of(*p.target),
            part.raised.Find(p.target->currency).value_or(Interval::Zero(p.target->currency)));
      }
      p.pre_money = ViewOf(r.reports, ValuationBasis::kPreMoney, filter.min_certainty, names);
      p.post_money = ViewOf(r.reports, ValuationBasis::kPostMoney, filter.min_certainty, names);
      out.rounds.push_back(std::move(p));
    }
    std::sort(out.rounds.begin(), out.rounds.end(),
              [](const RoundPosition& a, const RoundPosition& b) {
                if (a.opened.first() != b.opened.first())
                  return a.opened.first() < b.opened.first();
                return a.id < b.id;
              });
  }
  return out;
}

}  // namespace dealtrail
