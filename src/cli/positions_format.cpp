// Replay output: positions as aligned tables for people, as the documented
// JSON object (docs/replay.md), and as CSV, one section at a time.
#include "cli/positions_format.h"

#include "cli/table.h"

namespace dealtrail::cli {
namespace {

std::string NameOf(const Names& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() ? id : it->second;
}

// How an analyst reads the committed amount: "up to $100B", "$30B",
// "$15B + $35B conditional".
std::string CommittedText(const CommitmentPosition& c) {
  if (c.status == CommitmentStatus::kOpen && !c.conditional.IsZero() && c.committed.IsExact() &&
      c.conditional.IsExact() && !c.committed.approximate) {
    return HumanMoney(c.committed.low - c.conditional.low, c.currency) + " + " +
           HumanInterval(c.conditional) + " conditional";
  }
  return HumanAmount(c.stated);
}

std::string StatusText(const CommitmentPosition& c) {
  std::string s(StatusName(c.status));
  if (!c.superseded_by.empty()) s += " by " + c.superseded_by;
  return s;
}

Json ReportJson(const ValuationReport& r) {
  Json j;
  j["basis"] = std::string(BasisName(r.basis));
  j["amount"] = AmountJson(r.amount);
  j["certainty"] = std::string(CertaintyName(r.certainty));
  j["date"] = r.date.ToString();
  j["source"] = r.source.outlet.empty() ? Json(nullptr) : Json(r.source.outlet);
  j["url"] = r.source.url.empty() ? Json(nullptr) : Json(r.source.url);
  j["published"] = r.source.published ? Json(FormatDay(*r.source.published)) : Json(nullptr);
  j["event_id"] = r.event_id;
  return j;
}

Json ViewJson(const ValuationView& v) {
  Json j;
  j["latest"] = v.latest ? ReportJson(*v.latest) : Json(nullptr);
  j["others"] = Json::array();
  for (const ValuationReport& r : v.others) j["others"].push_back(ReportJson(r));
  return j;
}

Json FlowJson(const Flow& f) {
  Json j;
  j["committed"] = AmountListJson(f.committed);
  j["funded"] = AmountListJson(f.funded);
  j["outstanding"] = AmountListJson(f.outstanding);
  return j;
}

std::string LatestText(const ValuationView& v) {
  if (!v.latest) return "\xE2\x80\x94";
  return HumanAmount(v.latest->amount);
}

std::string SourceText(const Source& s) {
  std::string out = s.outlet.empty() ? "(no source)" : s.outlet;
  if (s.published) out += ", " + FormatDay(*s.published);
  return out;
}

}  // namespace

Json PositionsJson(const Positions& p, const Names& names) {
  Json j;
  j["as_of"] = FormatDay(p.as_of);
  j["known_at"] = FormatTimestampShort(p.known_at);
  j["commitments"] = Json::array();
  for (const CommitmentPosition& c : p.commitments) {
    Json o;
    o["id"] = c.id;
    o["kind"] = std::string(CommitmentKindName(c.kind));
    o["from"] = c.from;
    o["from_name"] = NameOf(names, c.from);
    o["to"] = c.to;
    o["to_name"] = NameOf(names, c.to);
    o["currency"] = std::string(c.currency.code());
    o["certainty"] = std::string(CertaintyName(c.certainty));
    o["status"] = std::string(StatusName(c.status));
    o["stated"] = HumanAmount(c.stated);
    o["committed"] = AmountJson(c.committed);
    o["funded"] = AmountJson(c.funded);
    o["outstanding"] = AmountJson(c.outstanding);
    o["conditional"] = AmountJson(c.conditional);
    o["superseded_by"] = c.superseded_by.empty() ? Json(nullptr) : Json(c.superseded_by);
    o["round"] = c.round.empty() ? Json(nullptr) : Json(c.round);
    o["in_effect"] = std::string(InEffectName(c.in_effect));
    o["opened"] = c.opened.ToString();
    o["last_change"] = c.last_change.ToString();
    o["version"] = c.version;
    o["terms"] = c.terms.empty() ? Json(nullptr) : Json(c.terms);
    j["commitments"].push_back(std::move(o));
  }
  j["pairs"] = Json::array();
  for (const PairPosition& pair : p.pairs) {
    Json o;
    o["a"] = pair.a;
    o["a_name"] = NameOf(names, pair.a);
    o["b"] = pair.b;
    o["b_name"] = NameOf(names, pair.b);
    o["a_to_b"] = FlowJson(pair.a_to_b);
    o["b_to_a"] = FlowJson(pair.b_to_a);
    o["net"] = Json::array();
    for (const SignedInterval& n : pair.net) o["net"].push_back(AmountJson(n));
    j["pairs"].push_back(std::move(o));
  }
  j["parties"] = Json::array();
  for (const PartyPosition& party : p.parties) {
    Json o;
    o["party"] = party.party;
    o["name"] = NameOf(names, party.party);
    o["committed_out"] = AmountListJson(party.out.committed);
    o["committed_in"] = AmountListJson(party.in.committed);
    o["funded_out"] = AmountListJson(party.out.funded);
    o["funded_in"] = AmountListJson(party.in.funded);
    o["outstanding_out"] = AmountListJson(party.out.outstanding);
    o["outstanding_in"] = AmountListJson(party.in.outstanding);
    o["pre_money"] = ViewJson(party.pre_money);
    o["post_money"] = ViewJson(party.post_money);
    j["parties"].push_back(std::move(o));
  }
  j["rounds"] = Json::array();
  for (const RoundPosition& r : p.rounds) {
    Json o;
    o["id"] = r.id;
    o["party"] = r.party;
    o["party_name"] = NameOf(names, r.party);
    o["status"] = r.closed ? "closed" : "open";
    o["certainty"] = std::string(CertaintyName(r.certainty));
    o["target"] = r.target ? AmountJson(*r.target) : Json(nullptr);
    o["raised"] = AmountListJson(r.raised);
    o["unallocated"] = r.unallocated ? AmountJson(*r.unallocated) : Json(nullptr);
    o["participants"] = r.participants;
    o["pre_money"] = ViewJson(r.pre_money);
    o["post_money"] = ViewJson(r.post_money);
    o["in_effect"] = std::string(InEffectName(r.in_effect));
    o["opened"] = r.opened.ToString();
    o["terms"] = r.terms.empty() ? Json(nullptr) : Json(r.terms);
    j["rounds"].push_back(std::move(o));
  }
  j["ignored"] = p.ignored;
  return j;
}

void PrintPositionsTable(const Positions& p, const Names& names, std::ostream& out) {
  out << "Positions as of " << FormatDay(p.as_of) << ", as known at "
      << FormatTimestampShort(p.known_at) << "\n";

  out << "\nCommitments\n";
  Table commitments({"commitment", "kind", "from \xE2\x86\x92 to", "certainty", "status",
                     "committed", "funded", "outstanding", "round", "in effect"});
  for (const CommitmentPosition& c : p.commitments) {
    commitments.AddRow({c.id, std::string(CommitmentKindName(c.kind)),
                        NameOf(names, c.from) + " \xE2\x86\x92 " + NameOf(names, c.to),
                        std::string(CertaintyName(c.certainty)), StatusText(c), CommittedText(c),
                        HumanInterval(c.funded), HumanInterval(c.outstanding),
                        c.round.empty() ? "\xE2\x80\x94" : c.round,
                        std::string(InEffectName(c.in_effect))});
  }
  if (commitments.empty()) {
    out << "(none)\n";
  } else {
    commitments.Print(out);
  }

  if (!p.pairs.empty()) {
    out << "\nPairs (\xE2\x86\x92 first to second, \xE2\x86\x90 second to first; net = "
           "\xE2\x86\x92 minus \xE2\x86\x90)\n";
    Table pairs({"pair", "committed \xE2\x86\x92", "committed \xE2\x86\x90", "net",
                 "funded \xE2\x86\x92", "funded \xE2\x86\x90"});
    for (const PairPosition& pair : p.pairs) {
      std::string net;
      for (const SignedInterval& n : pair.net) net += (net.empty() ? "" : "; ") + HumanSigned(n);
      pairs.AddRow({NameOf(names, pair.a) + " \xE2\x87\x84 " + NameOf(names, pair.b),
                    HumanList(pair.a_to_b.committed), HumanList(pair.b_to_a.committed), net,
                    HumanList(pair.a_to_b.funded), HumanList(pair.b_to_a.funded)});
    }
    pairs.Print(out);
  }

  if (!p.parties.empty()) {
    out << "\nParties\n";
    Table parties({"party", "committed out", "committed in", "funded out", "funded in"});
    for (const PartyPosition& party : p.parties) {
      parties.AddRow({NameOf(names, party.party), HumanList(party.out.committed),
                      HumanList(party.in.committed), HumanList(party.out.funded),
                      HumanList(party.in.funded)});
    }
    parties.Print(out);
  }

  if (!p.rounds.empty()) {
    out << "\nRounds\n";
    Table rounds({"round", "raiser", "status", "certainty", "target", "raised", "unallocated",
                  "pre-money", "post-money", "in effect"});
    for (const RoundPosition& r : p.rounds) {
      rounds.AddRow({r.id, NameOf(names, r.party), r.closed ? "closed" : "open",
                     std::string(CertaintyName(r.certainty)),
                     r.target ? HumanAmount(*r.target) : "\xE2\x80\x94", HumanList(r.raised),
                     r.unallocated ? HumanInterval(*r.unallocated) : "\xE2\x80\x94",
                     LatestText(r.pre_money), LatestText(r.post_money),
                     std::string(InEffectName(r.in_effect))});
    }
    rounds.Print(out);

    Table reports({"round", "basis", "valuation", "certainty", "date", "source", ""});
    for (const RoundPosition& r : p.rounds) {
      for (const ValuationView* view : {&r.pre_money, &r.post_money}) {
        if (!view->latest) continue;
        auto add = [&](const ValuationReport& v, bool latest) {
          reports.AddRow({r.id, BasisName(v.basis) == "pre" ? "pre-money" : "post-money",
                          HumanAmount(v.amount), std::string(CertaintyName(v.certainty)),
                          v.date.ToString(), SourceText(v.source), latest ? "latest" : ""});
        };
        add(*view->latest, true);
        for (const ValuationReport& v : view->others) add(v, false);
      }
    }
    if (!reports.empty()) {
      out << "\nValuation reports (latest by effective date first)\n";
      reports.Print(out);
    }
  }

  if (!p.ignored.empty()) {
    out << "\nNot applied\n";
    for (const std::string& why : p.ignored) out << "  " << why << "\n";
  }
}

Status PrintPositionsCsv(const Positions& p, const Names& names, std::string_view section,
                         std::ostream& out) {
  auto low = [](const Interval& i) { return MajorUnits(i.low, i.currency); };
  auto high = [](const Interval& i) { return i.high ? MajorUnits(*i.high, i.currency) : ""; };
  if (section == "commitments") {
    WriteCsvRow(out, {"id", "kind", "from", "to", "currency", "certainty", "status",
                      "committed_low", "committed_high", "funded_low", "funded_high",
                      "outstanding_low", "outstanding_high", "conditional_low", "conditional_high",
                      "approximate", "superseded_by", "round", "in_effect"});
    for (const CommitmentPosition& c : p.commitments) {
      WriteCsvRow(out, {c.id, std::string(CommitmentKindName(c.kind)), c.from, c.to,
                        std::string(c.currency.code()), std::string(CertaintyName(c.certainty)),
                        std::string(StatusName(c.status)), low(c.committed), high(c.committed),
                        low(c.funded), high(c.funded), low(c.outstanding), high(c.outstanding),
                        low(c.conditional), high(c.conditional),
                        c.committed.approximate || c.funded.approximate ? "true" : "false",
                        c.superseded_by, c.round, std::string(InEffectName(c.in_effect))});
    }
    return {};
  }
  if (section == "pairs") {
    WriteCsvRow(out, {"a", "b", "direction", "currency", "committed_low", "committed_high",
                      "funded_low", "funded_high", "outstanding_low", "outstanding_high"});
    for (const PairPosition& pair : p.pairs) {
      for (const auto& [direction, flow] :
           {std::pair{"a_to_b", &pair.a_to_b}, std::pair{"b_to_a", &pair.b_to_a}}) {
        for (std::size_t i = 0; i < flow->committed.size(); ++i) {
          const Interval& c = flow->committed[i];
          WriteCsvRow(out, {pair.a, pair.b, direction, std::string(c.currency.code()), low(c),
                            high(c), low(flow->funded[i]), high(flow->funded[i]),
                            low(flow->outstanding[i]), high(flow->outstanding[i])});
        }
      }
    }
    return {};
  }
  if (section == "parties") {
    WriteCsvRow(out, {"party", "name", "direction", "currency", "committed_low", "committed_high",
                      "funded_low", "funded_high"});
    for (const PartyPosition& party : p.parties) {
      for (const auto& [direction, flow] :
           {std::pair{"out", &party.out}, std::pair{"in", &party.in}}) {
        for (std::size_t i = 0; i < flow->committed.size(); ++i) {
          const Interval& c = flow->committed[i];
          WriteCsvRow(out, {party.party, NameOf(names, party.party), direction,
                            std::string(c.currency.code()), low(c), high(c), low(flow->funded[i]),
                            high(flow->funded[i])});
        }
      }
    }
    return {};
  }
  if (section == "rounds") {
    WriteCsvRow(out, {"id", "party", "status", "certainty", "currency", "target_low", "target_high",
                      "raised_low", "raised_high", "unallocated_low", "unallocated_high",
                      "pre_money", "post_money"});
    for (const RoundPosition& r : p.rounds) {
      const Interval target = r.target ? Interval::Of(*r.target) : Interval{};
      Interval raised = r.target ? Interval::Zero(r.target->currency) : Interval{};
      for (const Interval& i : r.raised) {
        if (i.currency == raised.currency) raised = i;
      }
      auto latest = [](const ValuationView& v) {
        return v.latest ? CanonicalAmount(v.latest->amount) : std::string();
      };
      WriteCsvRow(
          out,
          {r.id, r.party, r.closed ? "closed" : "open", std::string(CertaintyName(r.certainty)),
           r.target ? std::string(r.target->currency.code()) : "", r.target ? low(target) : "",
           r.target ? high(target) : "", r.target ? low(raised) : "", r.target ? high(raised) : "",
           r.unallocated ? low(*r.unallocated) : "", r.unallocated ? high(*r.unallocated) : "",
           latest(r.pre_money), latest(r.post_money)});
    }
    return {};
  }
  return Status::Invalid("--section", "expected commitments, pairs, parties or rounds; got '" +
                                          std::string(section) + "'");
}

}  // namespace dealtrail::cli
