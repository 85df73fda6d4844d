// The replay fold: events in (effective first day, seq) order in, positions
// out. Status changes need an open commitment; revisions and fundings apply
// whatever the status, because a tranche paid stays paid.
#include "dealtrail/replay.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace dealtrail {
namespace {

constexpr std::size_t kMaxIgnored = 100;

// Sums intervals per currency.
class PerCurrency {
 public:
  Status Add(const Interval& i) {
    auto it = sums_.find(i.currency.code());
    if (it == sums_.end()) {
      sums_.emplace(i.currency.code(), i);
      return {};
    }
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
  std::optional<Interval> Find(std::string_view code) const {
    auto it = sums_.find(code);
    if (it == sums_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string_view, Interval> sums_;
};

struct FlowSums {
  PerCurrency committed;
  PerCurrency funded;
  PerCurrency outstanding;
  Flow ToFlow() const { return {committed.List(), funded.List(), outstanding.List()}; }
};

struct RoundState {
  RoundPosition position;
  std::vector<ValuationReport> reports;
};

ValuationView ViewOf(const std::vector<ValuationReport>& reports, ValuationBasis basis,
                     Certainty min_certainty) {
  std::vector<ValuationReport> picked;
  for (const ValuationReport& r : reports) {
    if (r.basis == basis && r.certainty >= min_certainty) picked.push_back(r);
  }
  // Newest first: by effective date, then by recording order.
  std::sort(picked.begin(), picked.end(), [](const ValuationReport& a, const ValuationReport& b) {
    return std::pair(a.date.first(), a.seq) > std::pair(b.date.first(), b.seq);
  });
  ValuationView view;
  if (!picked.empty()) {
    view.latest = picked.front();
    view.others.assign(picked.begin() + 1, picked.end());
  }
  return view;
}

ValuationReport ReportOf(const Event& e, ValuationBasis basis, const Amount& amount,
                         Certainty certainty) {
  return ValuationReport{basis, amount, certainty, e.date, e.source, e.id, e.seq};
}

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

struct Fold::State {
  date::sys_days as_of;
  std::unordered_map<std::string, CommitmentPosition> commitments;
  std::unordered_map<std::string, RoundState> rounds;
  std::map<std::string, std::vector<ValuationReport>> party_valuations;
  std::vector<std::string> ignored;

  void Ignore(const Event& e, std::string_view why) {
    if (ignored.size() < kMaxIgnored) ignored.push_back(e.id + ": " + std::string(why));
  }
  void Touch(CommitmentPosition& c, const Event& e) const {
    ++c.version;
    c.last_seq = e.seq;
    c.last_change = e.date;
    if (e.date.last() > as_of) c.in_effect = InEffect::kPossibly;
  }
  void Touch(RoundPosition& r, const Event& e) const {
    if (e.date.last() > as_of) r.in_effect = InEffect::kPossibly;
  }
};

Fold::Fold(date::sys_days as_of) : state_(std::make_unique<State>()) { state_->as_of = as_of; }
Fold::~Fold() = default;
Fold::Fold(Fold&&) noexcept = default;
Fold& Fold::operator=(Fold&&) noexcept = default;

Status Fold::Apply(const Event& e) {
  State& s = *state_;
  if (IsPartyKind(e.kind) || e.kind == EventKind::kRetract) return {};

  if (IsCommitmentKind(e.kind)) {
    auto it = s.commitments.find(e.commitment);
    if (e.kind == EventKind::kOpen) {
      if (it != s.commitments.end()) {
        s.Ignore(e, "commitment " + e.commitment + " is already open");
        return {};
      }
      CommitmentPosition c;
      c.id = e.commitment;
      c.kind = *e.commitment_kind;
      c.from = e.from;
      c.to = e.to;
      c.currency = e.amount->currency;
      c.certainty = *e.certainty;
      c.stated = *e.amount;
      c.committed = Interval::Of(*e.amount);
      c.funded = Interval::Zero(c.currency);
      c.stated_conditional = e.conditional;
      c.round = e.round;
      c.terms = e.terms;
      c.opened = e.date;
      s.Touch(c, e);
      s.commitments.emplace(c.id, std::move(c));
      return {};
    }
    if (it == s.commitments.end()) {
      s.Ignore(e, "commitment " + e.commitment + " is not open in this view");
      return {};
    }
    CommitmentPosition& c = it->second;
    const bool open = c.status == CommitmentStatus::kOpen;
    switch (e.kind) {
      case EventKind::kRevise:
        if (e.amount) {
          c.stated = *e.amount;
          c.committed = Interval::Of(*e.amount);
        }
        if (e.conditional) c.stated_conditional = e.conditional;
        if (e.certainty) c.certainty = *e.certainty;
        if (!e.round.empty()) c.round = e.round;
        if (!e.terms.empty()) c.terms = e.terms;
        break;
      case EventKind::kFund: {
        auto sum = Add(c.funded, Interval::Of(*e.amount));
        if (!sum.ok()) return sum.status().At(e.id);
        c.funded = *sum;
        break;
      }
      case EventKind::kSupersede:
      case EventKind::kCancel:
      case EventKind::kExpire:
      case EventKind::kComplete:
        if (!open) {
          s.Ignore(e, "commitment " + c.id + " is already " + std::string(StatusName(c.status)));
          return {};
        }
        // A replacement whose opening was retracted replaces nothing.
        if (e.kind == EventKind::kSupersede && s.commitments.count(e.by) == 0) {
          s.Ignore(e, "replacement " + e.by + " is not in this view");
          return {};
        }
        c.status = e.kind == EventKind::kSupersede ? CommitmentStatus::kSuperseded
                   : e.kind == EventKind::kCancel  ? CommitmentStatus::kCancelled
                   : e.kind == EventKind::kExpire  ? CommitmentStatus::kExpired
                                                   : CommitmentStatus::kCompleted;
        if (e.kind == EventKind::kSupersede) c.superseded_by = e.by;
        if (e.certainty) c.certainty = std::max(c.certainty, *e.certainty);
        break;
      default:
        break;
    }
    s.Touch(c, e);
    return {};
  }

  if (IsRoundKind(e.kind)) {
    auto it = s.rounds.find(e.round);
    if (e.kind == EventKind::kRoundOpen) {
      if (it != s.rounds.end()) {
        s.Ignore(e, "round " + e.round + " is already open");
        return {};
      }
      it = s.rounds.emplace(e.round, RoundState{}).first;
      RoundPosition& r = it->second.position;
      r.id = e.round;
      r.party = e.party;
      r.opened = e.date;
      r.certainty = *e.certainty;
    } else if (it == s.rounds.end()) {
      s.Ignore(e, "round " + e.round + " is not open in this view");
      return {};
    }
    RoundState& rs = it->second;
    RoundPosition& r = rs.position;
    if (e.kind == EventKind::kRoundClose) {
      r.closed = true;
    } else {
      if (e.certainty) r.certainty = *e.certainty;
      if (e.target) r.target = e.target;
      if (!e.terms.empty()) r.terms = e.terms;
      if (e.pre_money) {
        rs.reports.push_back(ReportOf(e, ValuationBasis::kPreMoney, *e.pre_money, r.certainty));
      }
      if (e.post_money) {
        rs.reports.push_back(ReportOf(e, ValuationBasis::kPostMoney, *e.post_money, r.certainty));
      }
    }
    s.Touch(r, e);
    return {};
  }

  if (e.kind == EventKind::kValuation) {
    const ValuationReport report = ReportOf(e, *e.basis, *e.amount, *e.certainty);
    if (e.round.empty()) {
      s.party_valuations[e.party].push_back(report);
      return {};
    }
    auto it = s.rounds.find(e.round);
    if (it == s.rounds.end()) {
      s.Ignore(e, "round " + e.round + " is not open in this view");
      return {};
    }
    it->second.reports.push_back(report);
    s.Touch(it->second.position, e);
  }
  return {};
}

const CommitmentPosition* Fold::FindCommitment(const std::string& id) const {
  auto it = state_->commitments.find(id);
  return it == state_->commitments.end() ? nullptr : &it->second;
}

const RoundPosition* Fold::FindRound(const std::string& id) const {
  auto it = state_->rounds.find(id);
  return it == state_->rounds.end() ? nullptr : &it->second.position;
}

Result<Positions> Fold::Finish(const PositionFilter& filter) const {
  const State& s = *state_;
  Positions out;
  out.as_of = s.as_of;
  out.ignored = s.ignored;

  auto visible = [&](const CommitmentPosition& c) { return c.certainty >= filter.min_certainty; };
  auto involves = [&](const CommitmentPosition& c) {
    return filter.party.empty() || c.from == filter.party || c.to == filter.party;
  };

  // Every commitment at or above the certainty; the party filter picks from
  // these, but rounds count all their participants.
  std::vector<CommitmentPosition> shown;
  for (const auto& [id, stored] : s.commitments) {
    if (!visible(stored)) continue;
    CommitmentPosition c = stored;
    if (c.status == CommitmentStatus::kSuperseded) {
      auto by = s.commitments.find(c.superseded_by);
      if (by != s.commitments.end() && !visible(by->second)) {
        c.status = CommitmentStatus::kOpen;  // superseded only by a report left out
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
    shown.push_back(std::move(c));
  }
  std::sort(shown.begin(), shown.end(),
            [](const CommitmentPosition& a, const CommitmentPosition& b) {
              if (a.opened.first() != b.opened.first()) return a.opened.first() < b.opened.first();
              return a.id < b.id;
            });

  for (const CommitmentPosition& c : shown) {
    if (involves(c)) out.commitments.push_back(c);
  }
  auto live = [](const CommitmentPosition& c) {
    return c.status == CommitmentStatus::kOpen || c.status == CommitmentStatus::kCompleted;
  };

  // Pairs and parties from the commitments shown.
  struct PairSums {
    FlowSums a_to_b;
    FlowSums b_to_a;
  };
  std::map<std::pair<std::string, std::string>, PairSums> pairs;
  std::map<std::string, std::pair<FlowSums, FlowSums>> parties;  // out, in
  for (const CommitmentPosition& c : out.commitments) {
    const Interval& exposure = live(c) ? c.committed : c.funded;
    const bool forward = c.from < c.to;
    PairSums& p = pairs[forward ? std::pair{c.from, c.to} : std::pair{c.to, c.from}];
    for (FlowSums* f :
         {forward ? &p.a_to_b : &p.b_to_a, &parties[c.from].first, &parties[c.to].second}) {
      DEALTRAIL_RETURN_IF_ERROR(f->committed.Add(exposure));
      DEALTRAIL_RETURN_IF_ERROR(f->funded.Add(c.funded));
      DEALTRAIL_RETURN_IF_ERROR(f->outstanding.Add(c.outstanding));
    }
  }
  std::map<std::string, PerCurrency> raised;
  for (const CommitmentPosition& c : shown) {
    if (!c.round.empty()) {
      DEALTRAIL_RETURN_IF_ERROR(raised[c.round].Add(live(c) ? c.committed : c.funded));
    }
  }
  for (const auto& [key, sums] : pairs) {
    PairPosition p;
    p.a = key.first;
    p.b = key.second;
    p.a_to_b = sums.a_to_b.ToFlow();
    p.b_to_a = sums.b_to_a.ToFlow();
    // Net per currency over the currencies either direction uses.
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
    out.pairs.push_back(std::move(p));
  }
  for (auto& [party, flows] : parties) {
    if (!filter.party.empty() && party != filter.party) continue;
    PartyPosition p;
    p.party = party;
    p.out = flows.first.ToFlow();
    p.in = flows.second.ToFlow();
    out.parties.push_back(std::move(p));
  }
  // Valuations reported outside rounds also give a party a row.
  for (const auto& [party, reports] : s.party_valuations) {
    if (!filter.party.empty() && party != filter.party) continue;
    auto it = std::find_if(out.parties.begin(), out.parties.end(),
                           [&](const PartyPosition& p) { return p.party == party; });
    if (it == out.parties.end()) {
      PartyPosition p;
      p.party = party;
      it = out.parties.insert(std::upper_bound(out.parties.begin(), out.parties.end(), party,
                                               [](const std::string& id, const PartyPosition& q) {
                                                 return id < q.party;
                                               }),
                              std::move(p));
    }
    it->pre_money = ViewOf(reports, ValuationBasis::kPreMoney, filter.min_certainty);
    it->post_money = ViewOf(reports, ValuationBasis::kPostMoney, filter.min_certainty);
  }

  for (const auto& [id, rs] : s.rounds) {
    RoundPosition r = rs.position;
    if (r.certainty < filter.min_certainty) continue;
    bool touches_party = r.party == filter.party;
    for (const CommitmentPosition& c : shown) {
      if (c.round != id) continue;
      r.participants.push_back(c.id);
      touches_party = touches_party || involves(c);
    }
    if (!filter.party.empty() && !touches_party) continue;
    auto it = raised.find(id);
    if (it != raised.end()) r.raised = it->second.List();
    if (r.target) {
      Interval raised_here = Interval::Zero(r.target->currency);
      if (it != raised.end()) {
        if (auto found = it->second.Find(r.target->currency.code())) raised_here = *found;
      }
      r.unallocated = Remaining(Interval::Of(*r.target), raised_here);
    }
    r.pre_money = ViewOf(rs.reports, ValuationBasis::kPreMoney, filter.min_certainty);
    r.post_money = ViewOf(rs.reports, ValuationBasis::kPostMoney, filter.min_certainty);
    out.rounds.push_back(std::move(r));
  }
  std::sort(out.rounds.begin(), out.rounds.end(),
            [](const RoundPosition& a, const RoundPosition& b) {
              if (a.opened.first() != b.opened.first()) return a.opened.first() < b.opened.first();
              return a.id < b.id;
            });
  return out;
}

}  // namespace dealtrail
