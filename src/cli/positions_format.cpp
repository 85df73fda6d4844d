// Replay output: positions as aligned tables for people, as the documented
// JSON object (docs/replay.md), and as CSV, one section at a time.
#include "cli/positions_format.h"

#include <algorithm>

#include "cli/table.h"

namespace dealtrail::cli {

std::string NameOf(const Names& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() ? id : it->second;
}

namespace {

// A display name for tables, isolated for bidi.
std::string Shown(const Names& names, const std::string& id) { return Isolate(NameOf(names, id)); }

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

Json PairJson(const PairPosition& p, const Names& names) {
  Json j;
  j["a"] = p.a;
  j["a_name"] = NameOf(names, p.a);
  j["b"] = p.b;
  j["b_name"] = NameOf(names, p.b);
  j["a_to_b"] = FlowJson(p.a_to_b);
  j["b_to_a"] = FlowJson(p.b_to_a);
  j["net"] = Json::array();
  for (const SignedInterval& n : p.net) j["net"].push_back(AmountJson(n));
  return j;
}

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
  for (const PairPosition& pair : p.pairs) j["pairs"].push_back(PairJson(pair, names));
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
  constexpr const char* kNone = "\xE2\x80\x94";  // em dash
  out << "Positions as of " << FormatDay(p.as_of) << ", as known at "
      << FormatTimestampShort(p.known_at) << "\n";

  out << "\nCommitments\n";
  Table commitments({"commitment", "kind", "from \xE2\x86\x92 to", "certainty", "status",
                     "committed", "funded", "outstanding", "round", "in effect"});
  for (const CommitmentPosition& c : p.commitments) {
    commitments.AddRow({c.id, std::string(CommitmentKindName(c.kind)),
                        Shown(names, c.from) + " \xE2\x86\x92 " + Shown(names, c.to),
                        std::string(CertaintyName(c.certainty)), StatusText(c), CommittedText(c),
                        HumanInterval(c.funded), HumanInterval(c.outstanding),
                        c.round.empty() ? kNone : c.round, std::string(InEffectName(c.in_effect))});
  }
  if (commitments.empty()) {
    out << "(none)\n";
  } else {
    commitments.Print(out);
  }

  Table terms({"commitment", "terms (as last stated)"});
  for (const CommitmentPosition& c : p.commitments) {
    if (!c.terms.empty()) terms.AddRow({c.id, c.terms});
  }
  if (!terms.empty()) {
    out << "\nTerms\n";
    terms.Print(out);
  }

  if (!p.pairs.empty()) {
    out << "\nPairs (\xE2\x86\x92 first to second, \xE2\x86\x90 second to first; net = "
           "\xE2\x86\x92 minus \xE2\x86\x90)\n";
    Table pairs({"pair", "committed \xE2\x86\x92", "committed \xE2\x86\x90", "net",
                 "funded \xE2\x86\x92", "funded \xE2\x86\x90", "outstanding \xE2\x86\x92",
                 "outstanding \xE2\x86\x90"});
    for (const PairPosition& pair : p.pairs) {
      std::string net;
      for (const SignedInterval& n : pair.net) net += (net.empty() ? "" : "; ") + HumanSigned(n);
      pairs.AddRow({Shown(names, pair.a) + " \xE2\x87\x84 " + Shown(names, pair.b),
                    HumanList(pair.a_to_b.committed), HumanList(pair.b_to_a.committed), net,
                    HumanList(pair.a_to_b.funded), HumanList(pair.b_to_a.funded),
                    HumanList(pair.a_to_b.outstanding), HumanList(pair.b_to_a.outstanding)});
    }
    pairs.Print(out);
  }

  if (!p.parties.empty()) {
    out << "\nParties\n";
    Table parties({"party", "committed out", "committed in", "funded out", "funded in",
                   "outstanding out", "outstanding in"});
    for (const PartyPosition& party : p.parties) {
      parties.AddRow({Shown(names, party.party), HumanList(party.out.committed),
                      HumanList(party.in.committed), HumanList(party.out.funded),
                      HumanList(party.in.funded), HumanList(party.out.outstanding),
                      HumanList(party.in.outstanding)});
    }
    parties.Print(out);
  }

  if (!p.rounds.empty()) {
    out << "\nRounds\n";
    Table rounds({"round", "raiser", "status", "certainty", "target", "raised", "unallocated",
                  "pre-money", "post-money", "in effect"});
    for (const RoundPosition& r : p.rounds) {
      rounds.AddRow({r.id, Shown(names, r.party), r.closed ? "closed" : "open",
                     std::string(CertaintyName(r.certainty)),
                     r.target ? HumanAmount(*r.target) : kNone, HumanList(r.raised),
                     r.unallocated ? HumanInterval(*r.unallocated) : kNone, LatestText(r.pre_money),
                     LatestText(r.post_money), std::string(InEffectName(r.in_effect))});
    }
    rounds.Print(out);
  }

  // Every valuation report, rounds first, then those outside any round.
  Table reports({"of", "basis", "valuation", "certainty", "date", "source", ""});
  auto add_reports = [&](const std::string& of, const ValuationView& view) {
    if (!view.latest) return;
    auto add = [&](const ValuationReport& v, bool latest) {
      reports.AddRow({of, v.basis == ValuationBasis::kPreMoney ? "pre-money" : "post-money",
                      HumanAmount(v.amount), std::string(CertaintyName(v.certainty)),
                      v.date.ToString(), SourceText(v.source), latest ? "latest" : ""});
    };
    add(*view.latest, true);
    for (const ValuationReport& v : view.others) add(v, false);
  };
  for (const RoundPosition& r : p.rounds) {
    add_reports("round " + r.id, r.pre_money);
    add_reports("round " + r.id, r.post_money);
  }
  for (const PartyPosition& party : p.parties) {
    add_reports(Shown(names, party.party), party.pre_money);
    add_reports(Shown(names, party.party), party.post_money);
  }
  if (!reports.empty()) {
    out << "\nValuation reports (the latest by effective date first)\n";
    reports.Print(out);
  }

  if (!p.ignored.empty()) {
    out << "\nNot applied\n";
    for (const std::string& why : p.ignored) out << "  " << why << "\n";
  }
}

namespace {

std::string Low(const Interval& i) { return MajorUnits(i.low, i.currency); }
std::string High(const Interval& i) { return i.high ? MajorUnits(*i.high, i.currency) : ""; }
std::string Bool(bool b) { return b ? "true" : "false"; }

// The interval of `list` in `currency`, or zero.
Interval InCurrency(const std::vector<Interval>& list, Currency currency) {
  for (const Interval& i : list) {
    if (i.currency == currency) return i;
  }
  return Interval::Zero(currency);
}

// Every currency a set of flows uses, in code order.
std::vector<Currency> CurrenciesOf(std::initializer_list<const std::vector<Interval>*> lists) {
  std::vector<Currency> out;
  for (const auto* list : lists) {
    for (const Interval& i : *list) {
      if (std::find(out.begin(), out.end(), i.currency) == out.end()) out.push_back(i.currency);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Status PrintPositionsCsv(const Positions& p, const Names& names, std::string_view section,
                         std::ostream& out) {
  if (section == "commitments") {
    WriteCsvRow(out, {"id", "kind", "from", "to", "currency", "certainty", "status",
                      "committed_low", "committed_high", "funded_low", "funded_high",
                      "outstanding_low", "outstanding_high", "conditional_low", "conditional_high",
                      "approximate", "superseded_by", "round", "in_effect"});
    for (const CommitmentPosition& c : p.commitments) {
      WriteCsvRow(out, {c.id, std::string(CommitmentKindName(c.kind)), c.from, c.to,
                        std::string(c.currency.code()), std::string(CertaintyName(c.certainty)),
                        std::string(StatusName(c.status)), Low(c.committed), High(c.committed),
                        Low(c.funded), High(c.funded), Low(c.outstanding), High(c.outstanding),
                        Low(c.conditional), High(c.conditional),
                        Bool(c.committed.approximate || c.funded.approximate), c.superseded_by,
                        c.round, std::string(InEffectName(c.in_effect))});
    }
    return {};
  }
  if (section == "pairs") {
    // One row per pair and currency; net = a_to_b committed - b_to_a committed.
    WriteCsvRow(out, {"a", "b", "currency", "a_to_b_committed_low", "a_to_b_committed_high",
                      "a_to_b_funded_low", "a_to_b_funded_high", "a_to_b_outstanding_low",
                      "a_to_b_outstanding_high", "b_to_a_committed_low", "b_to_a_committed_high",
                      "b_to_a_funded_low", "b_to_a_funded_high", "b_to_a_outstanding_low",
                      "b_to_a_outstanding_high", "net_low", "net_high", "approximate"});
    for (const PairPosition& pair : p.pairs) {
      for (const Currency cur : CurrenciesOf({&pair.a_to_b.committed, &pair.b_to_a.committed})) {
        const Interval ac = InCurrency(pair.a_to_b.committed, cur);
        const Interval bc = InCurrency(pair.b_to_a.committed, cur);
        SignedInterval net{std::nullopt, std::nullopt, cur, false};
        for (const SignedInterval& n : pair.net) {
          if (n.currency == cur) net = n;
        }
        WriteCsvRow(
            out,
            {pair.a, pair.b, std::string(cur.code()), Low(ac), High(ac),
             Low(InCurrency(pair.a_to_b.funded, cur)), High(InCurrency(pair.a_to_b.funded, cur)),
             Low(InCurrency(pair.a_to_b.outstanding, cur)),
             High(InCurrency(pair.a_to_b.outstanding, cur)), Low(bc), High(bc),
             Low(InCurrency(pair.b_to_a.funded, cur)), High(InCurrency(pair.b_to_a.funded, cur)),
             Low(InCurrency(pair.b_to_a.outstanding, cur)),
             High(InCurrency(pair.b_to_a.outstanding, cur)),
             net.low ? MajorUnits(*net.low, cur) : "", net.high ? MajorUnits(*net.high, cur) : "",
             Bool(net.approximate)});
      }
    }
    return {};
  }
  if (section == "parties") {
    WriteCsvRow(out,
                {"party", "name", "currency", "committed_out_low", "committed_out_high",
                 "committed_in_low", "committed_in_high", "funded_out_low", "funded_out_high",
                 "funded_in_low", "funded_in_high", "outstanding_out_low", "outstanding_out_high",
                 "outstanding_in_low", "outstanding_in_high", "approximate"});
    for (const PartyPosition& party : p.parties) {
      for (const Currency cur : CurrenciesOf({&party.out.committed, &party.in.committed})) {
        std::vector<std::string> row = {party.party, NameOf(names, party.party),
                                        std::string(cur.code())};
        bool approximate = false;
        for (const auto* list : {&party.out.committed, &party.in.committed, &party.out.funded,
                                 &party.in.funded, &party.out.outstanding, &party.in.outstanding}) {
          const Interval i = InCurrency(*list, cur);
          row.push_back(Low(i));
          row.push_back(High(i));
          approximate = approximate || i.approximate;
        }
        row.push_back(Bool(approximate));
        WriteCsvRow(out, row);
      }
    }
    return {};
  }
  if (section == "rounds") {
    // Amounts in the target's currency (or the valuations' when there is no target).
    WriteCsvRow(
        out, {"id", "party", "status", "certainty", "currency", "target_low", "target_high",
              "raised_low", "raised_high", "unallocated_low", "unallocated_high", "pre_money_low",
              "pre_money_high", "post_money_low", "post_money_high", "approximate"});
    for (const RoundPosition& r : p.rounds) {
      std::vector<std::string> row = {r.id, r.party, r.closed ? "closed" : "open",
                                      std::string(CertaintyName(r.certainty))};
      std::optional<Currency> cur;
      if (r.target) cur = r.target->currency;
      for (const ValuationView* v : {&r.pre_money, &r.post_money}) {
        if (!cur && v->latest) cur = v->latest->amount.currency;
      }
      row.push_back(cur ? std::string(cur->code()) : "");
      bool approximate = false;
      auto add = [&](const std::optional<Interval>& i) {
        row.push_back(i ? Low(*i) : "");
        row.push_back(i ? High(*i) : "");
        approximate = approximate || (i && i->approximate);
      };
      add(r.target ? std::optional(Interval::Of(*r.target)) : std::nullopt);
      add(cur ? std::optional(InCurrency(r.raised, *cur)) : std::nullopt);
      add(r.unallocated);
      for (const ValuationView* v : {&r.pre_money, &r.post_money}) {
        add(v->latest ? std::optional(Interval::Of(v->latest->amount)) : std::nullopt);
      }
      row.push_back(Bool(approximate));
      WriteCsvRow(out, row);
    }
    return {};
  }
  return Status::Invalid("--section", "expected commitments, pairs, parties or rounds; got '" +
                                          std::string(section) + "'");
}

}  // namespace dealtrail::cli
