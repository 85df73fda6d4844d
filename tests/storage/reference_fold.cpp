// The reference model of replay: the plainest code that could be right. It
// takes every event in the ledger, filters and sorts a copy, and computes
// each position by walking the whole list again for it. Quadratic and slow
// on purpose; it shares no code with the engine's fold.
#include "reference_fold.h"

#include <algorithm>
#include <map>
#include <set>

namespace dealtrail::reference {
namespace {

bool Before(const Event& a, const Event& b) {
  if (a.date.first() != b.date.first()) return a.date.first() < b.date.first();
  return a.seq < b.seq;
}

Interval Sum(const std::vector<Interval>& parts, Currency c) {
  Interval total = Interval::Zero(c);
  for (const Interval& p : parts) total = *Add(total, p);
  return total;
}

// Per-currency sums, sorted by currency code.
std::vector<Interval> ByCurrency(const std::vector<Interval>& parts) {
  std::map<std::string, std::vector<Interval>> groups;
  for (const Interval& p : parts) groups[std::string(p.currency.code())].push_back(p);
  std::vector<Interval> out;
  for (const auto& [code, list] : groups) out.push_back(Sum(list, list.front().currency));
  return out;
}

ValuationView View(const std::vector<ValuationReport>& reports, ValuationBasis basis,
                   Certainty min) {
  std::vector<ValuationReport> kept;
  for (const ValuationReport& r : reports) {
    if (r.basis == basis && r.certainty >= min) kept.push_back(r);
  }
  std::sort(kept.begin(), kept.end(), [](const ValuationReport& a, const ValuationReport& b) {
    if (a.date.first() != b.date.first()) return a.date.first() > b.date.first();
    return a.seq > b.seq;
  });
  ValuationView v;
  if (!kept.empty()) {
    v.latest = kept.front();
    v.others.assign(kept.begin() + 1, kept.end());
  }
  return v;
}

}  // namespace

Replayed Replay(const std::vector<Event>& all, date::sys_days as_of, Timestamp known_at,
                const PositionFilter& filter) {
  // 1. What was known by known_at, without what was retracted by then.
  std::set<std::string> retracted;
  for (const Event& e : all) {
    if (e.recorded_at <= known_at && e.kind == EventKind::kRetract) retracted.insert(e.retracts);
  }
  std::vector<Event> events;
  for (const Event& e : all) {
    if (e.recorded_at > known_at || retracted.count(e.id)) continue;
    if (e.kind == EventKind::kRetract || IsPartyKind(e.kind)) continue;
    if (e.date.first() > as_of) continue;
    events.push_back(e);
  }
  std::sort(events.begin(), events.end(), Before);

  Replayed result;
  Positions& out = result.positions;
  out.as_of = as_of;
  out.known_at = known_at;

  // 2. Each commitment, from its first open event, walking all events.
  std::map<std::string, CommitmentPosition> commitments;
  for (const Event& e : events) {
    if (!IsCommitmentKind(e.kind)) continue;
    const bool exists = commitments.count(e.commitment) > 0;
    if (e.kind == EventKind::kOpen && exists) {
      result.ignored.insert(e.id);
      continue;
    }
    if (e.kind != EventKind::kOpen && !exists) {
      result.ignored.insert(e.id);
      continue;
    }
    CommitmentPosition& c = commitments[e.commitment];
    if (e.kind == EventKind::kOpen) {
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
    } else if (e.kind == EventKind::kRevise) {
      if (e.amount) c.stated = *e.amount;
      if (e.amount) c.committed = Interval::Of(*e.amount);
      if (e.conditional) c.stated_conditional = e.conditional;
      if (e.certainty) c.certainty = *e.certainty;
      if (!e.round.empty()) c.round = e.round;
      if (!e.terms.empty()) c.terms = e.terms;
    } else if (e.kind == EventKind::kFund) {
      c.funded = *Add(c.funded, Interval::Of(*e.amount));
    } else {
      if (c.status != CommitmentStatus::kOpen ||
          (e.kind == EventKind::kSupersede && !commitments.count(e.by))) {
        result.ignored.insert(e.id);
        continue;
      }
      if (e.kind == EventKind::kSupersede) c.status = CommitmentStatus::kSuperseded;
      if (e.kind == EventKind::kCancel) c.status = CommitmentStatus::kCancelled;
      if (e.kind == EventKind::kExpire) c.status = CommitmentStatus::kExpired;
      if (e.kind == EventKind::kComplete) c.status = CommitmentStatus::kCompleted;
      if (e.kind == EventKind::kSupersede) c.superseded_by = e.by;
      if (e.certainty && *e.certainty > c.certainty) c.certainty = *e.certainty;
    }
    c.version += 1;
    c.last_seq = e.seq;
    c.last_change = e.date;
    if (e.date.last() > as_of) c.in_effect = InEffect::kPossibly;
  }

  // 3. Which commitments show, and their derived amounts.
  std::vector<CommitmentPosition> shown;  // at or above the certainty, any party
  for (const auto& [id, stored] : commitments) {
    if (stored.certainty < filter.min_certainty) continue;
    CommitmentPosition c = stored;
    if (c.status == CommitmentStatus::kSuperseded && commitments.count(c.superseded_by) &&
        commitments[c.superseded_by].certainty < filter.min_certainty) {
      c.status = CommitmentStatus::kOpen;
      c.superseded_by.clear();
    }
    if (c.status == CommitmentStatus::kOpen) {
      c.outstanding = Remaining(c.committed, c.funded);
      c.conditional = c.stated_conditional ? Min(Interval::Of(*c.stated_conditional), c.outstanding)
                                           : Interval::Zero(c.currency);
    } else {
      c.outstanding = Interval::Zero(c.currency);
      c.conditional = Interval::Zero(c.currency);
    }
    shown.push_back(c);
  }
  std::sort(shown.begin(), shown.end(),
            [](const CommitmentPosition& a, const CommitmentPosition& b) {
              if (a.opened.first() != b.opened.first()) return a.opened.first() < b.opened.first();
              return a.id < b.id;
            });
  auto involves = [&](const CommitmentPosition& c) {
    return filter.party.empty() || c.from == filter.party || c.to == filter.party;
  };
  for (const CommitmentPosition& c : shown) {
    if (involves(c)) out.commitments.push_back(c);
  }
  auto exposure = [](const CommitmentPosition& c) {
    const bool live =
        c.status == CommitmentStatus::kOpen || c.status == CommitmentStatus::kCompleted;
    return live ? c.committed : c.funded;
  };

  // 4. Pairs: every unordered pair with a visible commitment.
  std::set<std::pair<std::string, std::string>> pair_keys;
  for (const CommitmentPosition& c : out.commitments) {
    pair_keys.insert(c.from < c.to ? std::pair{c.from, c.to} : std::pair{c.to, c.from});
  }
  auto flow = [&](const std::string& from, const std::string& to) {
    std::vector<Interval> committed, funded, outstanding;
    for (const CommitmentPosition& c : out.commitments) {
      if (c.from != from || c.to != to) continue;
      committed.push_back(exposure(c));
      funded.push_back(c.funded);
      outstanding.push_back(c.outstanding);
    }
    return Flow{ByCurrency(committed), ByCurrency(funded), ByCurrency(outstanding)};
  };
  for (const auto& [a, b] : pair_keys) {
    PairPosition p;
    p.a = a;
    p.b = b;
    p.a_to_b = flow(a, b);
    p.b_to_a = flow(b, a);
    std::set<std::string> codes;
    for (const Interval& i : p.a_to_b.committed) codes.insert(std::string(i.currency.code()));
    for (const Interval& i : p.b_to_a.committed) codes.insert(std::string(i.currency.code()));
    for (const std::string& code : codes) {
      const Currency cur = *Currency::FromCode(code);
      Interval forward = Interval::Zero(cur);
      Interval back = Interval::Zero(cur);
      for (const Interval& i : p.a_to_b.committed) {
        if (i.currency == cur) forward = i;
      }
      for (const Interval& i : p.b_to_a.committed) {
        if (i.currency == cur) back = i;
      }
      p.net.push_back(*Subtract(forward, back));
    }
    out.pairs.push_back(p);
  }

  // 5. Rounds and their valuation reports.
  std::map<std::string, RoundPosition> rounds;
  std::map<std::string, std::vector<ValuationReport>> round_reports;
  std::map<std::string, std::vector<ValuationReport>> party_reports;
  for (const Event& e : events) {
    if (e.kind == EventKind::kValuation) {
      const ValuationReport report{*e.basis, *e.amount, *e.certainty, e.date,
                                   e.source, e.id,      e.seq};
      if (e.round.empty()) {
        party_reports[e.party].push_back(report);
      } else if (!rounds.count(e.round)) {
        result.ignored.insert(e.id);
      } else {
        round_reports[e.round].push_back(report);
        if (e.date.last() > as_of) rounds[e.round].in_effect = InEffect::kPossibly;
      }
      continue;
    }
    if (!IsRoundKind(e.kind)) continue;
    const bool exists = rounds.count(e.round) > 0;
    if ((e.kind == EventKind::kRoundOpen) == exists) {
      result.ignored.insert(e.id);
      continue;
    }
    RoundPosition& r = rounds[e.round];
    if (e.kind == EventKind::kRoundOpen) {
      r.id = e.round;
      r.party = e.party;
      r.opened = e.date;
      r.certainty = *e.certainty;
    }
    if (e.kind == EventKind::kRoundClose) {
      r.closed = true;
    } else {
      if (e.certainty) r.certainty = *e.certainty;
      if (e.target) r.target = e.target;
      if (!e.terms.empty()) r.terms = e.terms;
      if (e.pre_money) {
        round_reports[e.round].push_back(ValuationReport{
            ValuationBasis::kPreMoney, *e.pre_money, r.certainty, e.date, e.source, e.id, e.seq});
      }
      if (e.post_money) {
        round_reports[e.round].push_back(ValuationReport{
            ValuationBasis::kPostMoney, *e.post_money, r.certainty, e.date, e.source, e.id, e.seq});
      }
    }
    if (e.date.last() > as_of) r.in_effect = InEffect::kPossibly;
  }
  for (const auto& [id, stored] : rounds) {
    if (stored.certainty < filter.min_certainty) continue;
    RoundPosition r = stored;
    std::vector<Interval> raised;
    bool touches = r.party == filter.party;
    for (const CommitmentPosition& c : shown) {
      if (c.round != id) continue;
      r.participants.push_back(c.id);
      raised.push_back(exposure(c));
      if (involves(c)) touches = true;
    }
    if (!filter.party.empty() && !touches) continue;
    r.raised = ByCurrency(raised);
    if (r.target) {
      Interval here = Interval::Zero(r.target->currency);
      for (const Interval& i : r.raised) {
        if (i.currency == r.target->currency) here = i;
      }
      r.unallocated = Remaining(Interval::Of(*r.target), here);
    }
    r.pre_money = View(round_reports[id], ValuationBasis::kPreMoney, filter.min_certainty);
    r.post_money = View(round_reports[id], ValuationBasis::kPostMoney, filter.min_certainty);
    out.rounds.push_back(r);
  }
  std::sort(out.rounds.begin(), out.rounds.end(),
            [](const RoundPosition& a, const RoundPosition& b) {
              if (a.opened.first() != b.opened.first()) return a.opened.first() < b.opened.first();
              return a.id < b.id;
            });

  // 6. Parties: everyone with a visible commitment or a valuation outside rounds.
  std::set<std::string> party_ids;
  for (const CommitmentPosition& c : out.commitments) {
    party_ids.insert(c.from);
    party_ids.insert(c.to);
  }
  for (const auto& [party, reports] : party_reports) party_ids.insert(party);
  for (const std::string& id : party_ids) {
    if (!filter.party.empty() && id != filter.party) continue;
    PartyPosition p;
    p.party = id;
    std::vector<Interval> out_c, out_f, out_o, in_c, in_f, in_o;
    for (const CommitmentPosition& c : out.commitments) {
      if (c.from == id) {
        out_c.push_back(exposure(c));
        out_f.push_back(c.funded);
        out_o.push_back(c.outstanding);
      }
      if (c.to == id) {
        in_c.push_back(exposure(c));
        in_f.push_back(c.funded);
        in_o.push_back(c.outstanding);
      }
    }
    p.out = Flow{ByCurrency(out_c), ByCurrency(out_f), ByCurrency(out_o)};
    p.in = Flow{ByCurrency(in_c), ByCurrency(in_f), ByCurrency(in_o)};
    if (party_reports.count(id)) {
      p.pre_money = View(party_reports[id], ValuationBasis::kPreMoney, filter.min_certainty);
      p.post_money = View(party_reports[id], ValuationBasis::kPostMoney, filter.min_certainty);
    }
    out.parties.push_back(p);
  }
  return result;
}

}  // namespace dealtrail::reference
