// Diff output: each changed commitment, pair and round with its fields
// before → after, then the events that explain the change.
#include "cli/diff_format.h"

#include <algorithm>
#include <tuple>

namespace dealtrail::cli {
namespace {

constexpr const char* kNone = "\xE2\x80\x94";     // em dash
constexpr const char* kArrow = " \xE2\x86\x92 ";  // →
constexpr const char* kBoth = " \xE2\x87\x84 ";   // ⇄

// A field's value: text for people and, for amounts, the exact figures per
// currency (currency, low, high; high "" when unbounded, low "" when
// unbounded below).
struct Value {
  std::string text;
  std::vector<std::tuple<std::string, std::string, std::string>> figures;
};

Value Text(std::string s) { return {s.empty() ? kNone : std::move(s), {}}; }

Value Of(const Interval& i, std::string text = "") {
  return {text.empty() ? HumanInterval(i) : std::move(text),
          {{std::string(i.currency.code()), MajorUnits(i.low, i.currency),
            i.high ? MajorUnits(*i.high, i.currency) : ""}}};
}

Value Of(const std::vector<Interval>& list) {
  Value v{HumanList(list), {}};
  for (const Interval& i : list) v.figures.push_back(Of(i).figures.front());
  return v;
}

Value Of(const std::vector<SignedInterval>& list) {
  Value v;
  for (const SignedInterval& n : list) {
    v.text += (v.text.empty() ? "" : "; ") + HumanSigned(n);
    v.figures.emplace_back(std::string(n.currency.code()),
                           n.low ? MajorUnits(*n.low, n.currency) : "",
                           n.high ? MajorUnits(*n.high, n.currency) : "");
  }
  if (v.text.empty()) v.text = kNone;
  return v;
}

std::string ShownName(const Names& names, const std::string& id) {
  return Isolate(NameOf(names, id));
}

std::string Reports(const ValuationView& v) {
  if (!v.latest) return kNone;
  const std::size_t n = 1 + v.others.size();
  return HumanAmount(v.latest->amount) + " (" + std::to_string(n) +
         (n == 1 ? " report)" : " reports)");
}

Value CommitmentField(const CommitmentPosition& c, const std::string& field) {
  if (field == "certainty") return Text(std::string(CertaintyName(c.certainty)));
  if (field == "status") return Text(StatusText(c));
  if (field == "committed") return Of(c.committed, CommittedText(c));
  if (field == "funded") return Of(c.funded);
  if (field == "outstanding") return Of(c.outstanding);
  if (field == "conditional") return Of(c.conditional);
  if (field == "round") return Text(c.round);
  if (field == "terms") return Text(c.terms);
  if (field == "in_effect") return Text(std::string(InEffectName(c.in_effect)));
  return Text("");
}

Value PairField(const PairPosition& p, const std::string& field) {
  if (field == "a_to_b.committed") return Of(p.a_to_b.committed);
  if (field == "a_to_b.funded") return Of(p.a_to_b.funded);
  if (field == "a_to_b.outstanding") return Of(p.a_to_b.outstanding);
  if (field == "b_to_a.committed") return Of(p.b_to_a.committed);
  if (field == "b_to_a.funded") return Of(p.b_to_a.funded);
  if (field == "b_to_a.outstanding") return Of(p.b_to_a.outstanding);
  if (field == "net") return Of(p.net);
  return Text("");
}

Value RoundField(const RoundPosition& r, const std::string& field) {
  if (field == "status") return Text(r.closed ? "closed" : "open");
  if (field == "certainty") return Text(std::string(CertaintyName(r.certainty)));
  if (field == "target") {
    return r.target ? Of(Interval::Of(*r.target), HumanAmount(*r.target)) : Text("");
  }
  if (field == "raised") return Of(r.raised);
  if (field == "unallocated") return r.unallocated ? Of(*r.unallocated) : Text("");
  if (field == "participants") {
    std::string s;
    for (const std::string& p : r.participants) s += (s.empty() ? "" : ", ") + p;
    return Text(s);
  }
  if (field == "pre_money") return Text(Reports(r.pre_money));
  if (field == "post_money") return Text(Reports(r.post_money));
  if (field == "terms") return Text(r.terms);
  if (field == "in_effect") return Text(std::string(InEffectName(r.in_effect)));
  return Text("");
}

// Field names as the table shows them.
std::string FieldLabel(const std::string& field) {
  if (field == "a_to_b.committed") return "committed \xE2\x86\x92";
  if (field == "a_to_b.funded") return "funded \xE2\x86\x92";
  if (field == "a_to_b.outstanding") return "outstanding \xE2\x86\x92";
  if (field == "b_to_a.committed") return "committed \xE2\x86\x90";
  if (field == "b_to_a.funded") return "funded \xE2\x86\x90";
  if (field == "b_to_a.outstanding") return "outstanding \xE2\x86\x90";
  if (field == "in_effect") return "in effect";
  if (field == "pre_money") return "pre-money";
  if (field == "post_money") return "post-money";
  return field;
}

std::string Summary(const CommitmentPosition& c, const Names& names) {
  return std::string(CommitmentKindName(c.kind)) + " " + ShownName(names, c.from) + kArrow +
         ShownName(names, c.to) + ", " + std::string(CertaintyName(c.certainty)) + ", " +
         StatusText(c) + ", " + CommittedText(c);
}

std::string Summary(const PairPosition& p) {
  std::string net = Of(p.net).text;
  return "committed \xE2\x86\x92 " + HumanList(p.a_to_b.committed) + ", \xE2\x86\x90 " +
         HumanList(p.b_to_a.committed) + ", net " + net;
}

std::string Summary(const RoundPosition& r, const Names& names) {
  return "raised by " + ShownName(names, r.party) + ", " + (r.closed ? "closed" : "open") + ", " +
         std::string(CertaintyName(r.certainty)) + ", target " +
         (r.target ? HumanAmount(*r.target) : kNone) + ", raised " + HumanList(r.raised);
}

std::string PairLabel(const PairPosition& p, const Names& names) {
  return ShownName(names, p.a) + kBoth + ShownName(names, p.b);
}

template <typename Position, typename FieldFn, typename SummaryFn>
void AddChangeRows(Table& table, const std::string& label, const ItemChange<Position>& c,
                   FieldFn field, SummaryFn summary) {
  if (c.change == ChangeKind::kAdded) {
    table.AddRow({label, "added", kNone, kNone, summary(*c.after)});
    return;
  }
  if (c.change == ChangeKind::kRemoved) {
    table.AddRow({label, "removed", kNone, summary(*c.before), kNone});
    return;
  }
  for (std::size_t i = 0; i < c.fields.size(); ++i) {
    table.AddRow({i == 0 ? label : "", i == 0 ? "changed" : "", FieldLabel(c.fields[i]),
                  field(*c.before, c.fields[i]).text, field(*c.after, c.fields[i]).text});
  }
}

std::string Title(const DiffReport& d) {
  if (d.knowledge) {
    return "Changes in the picture as of " + FormatDay(d.after_as_of) +
           " between what was known at " + FormatTimestampShort(d.before_known_at) + " and at " +
           FormatTimestampShort(d.after_known_at);
  }
  return "Changes in positions from " + FormatDay(d.before_as_of) + " to " +
         FormatDay(d.after_as_of) + ", as known at " + FormatTimestampShort(d.after_known_at);
}

std::string EventsTitle(const DiffReport& d) {
  if (d.knowledge) {
    return "Events recorded after " + FormatTimestampShort(d.before_known_at) + " up to " +
           FormatTimestampShort(d.after_known_at);
  }
  return "Events dated after " + FormatDay(d.before_as_of) + " up to " + FormatDay(d.after_as_of);
}

// One item as replay's JSON shows it, through PositionsJson so the shape is
// the same contract.
Json CommitmentJson(const CommitmentPosition& c, const Names& names) {
  Positions p;
  p.commitments.push_back(c);
  return PositionsJson(p, names)["commitments"][0];
}

Json RoundJson(const RoundPosition& r, const Names& names) {
  Positions p;
  p.rounds.push_back(r);
  return PositionsJson(p, names)["rounds"][0];
}

template <typename Position, typename ToJson>
Json ChangeJson(const ItemChange<Position>& c, ToJson to_json) {
  Json j;
  j["change"] = std::string(ChangeKindName(c.change));
  j["fields"] = c.fields;
  j["before"] = c.before ? to_json(*c.before) : Json(nullptr);
  j["after"] = c.after ? to_json(*c.after) : Json(nullptr);
  return j;
}

template <typename Position, typename FieldFn, typename SummaryFn>
void WriteCsvChange(std::ostream& out, const std::string& section, const std::string& id,
                    const ItemChange<Position>& c, FieldFn field, SummaryFn summary) {
  const std::string change(ChangeKindName(c.change));
  if (c.change != ChangeKind::kChanged) {
    WriteCsvRow(out, {section, id, change, "", "", c.before ? summary(*c.before) : "",
                      c.after ? summary(*c.after) : "", "", "", "", ""});
    return;
  }
  for (const std::string& f : c.fields) {
    const Value before = field(*c.before, f);
    const Value after = field(*c.after, f);
    std::vector<std::string> currencies;
    for (const Value* v : {&before, &after}) {
      for (const auto& [cur, low, high] : v->figures) {
        if (std::find(currencies.begin(), currencies.end(), cur) == currencies.end()) {
          currencies.push_back(cur);
        }
      }
    }
    std::sort(currencies.begin(), currencies.end());
    if (currencies.empty()) {
      WriteCsvRow(out, {section, id, change, f, "", before.text, after.text, "", "", "", ""});
      continue;
    }
    for (const std::string& cur : currencies) {
      auto figures = [&](const Value& v) {
        for (const auto& [c2, low, high] : v.figures) {
          if (c2 == cur) return std::pair(low, high);
        }
        return std::pair<std::string, std::string>("", "");
      };
      const auto [before_low, before_high] = figures(before);
      const auto [after_low, after_high] = figures(after);
      WriteCsvRow(out, {section, id, change, f, cur, before.text, after.text, before_low,
                        before_high, after_low, after_high});
    }
  }
}

}  // namespace

void PrintDiffTable(const DiffReport& d, const Names& names, std::ostream& out) {
  out << Title(d) << "\n";
  if (d.diff.empty()) out << "\nNo change.\n";
  if (!d.diff.commitments.empty()) {
    out << "\nCommitments\n";
    Table table({"commitment", "change", "field", "before", "after"});
    for (const auto& c : d.diff.commitments) {
      const std::string& id = c.after ? c.after->id : c.before->id;
      AddChangeRows(table, id, c, CommitmentField,
                    [&](const CommitmentPosition& p) { return Summary(p, names); });
    }
    table.Print(out);
  }
  if (!d.diff.pairs.empty()) {
    out << "\nPairs (\xE2\x86\x92 first to second, \xE2\x86\x90 second to first; net = "
           "\xE2\x86\x92 minus \xE2\x86\x90)\n";
    Table table({"pair", "change", "field", "before", "after"});
    for (const auto& c : d.diff.pairs) {
      AddChangeRows(table, PairLabel(c.after ? *c.after : *c.before, names), c, PairField,
                    [](const PairPosition& p) { return Summary(p); });
    }
    table.Print(out);
  }
  if (!d.diff.rounds.empty()) {
    out << "\nRounds\n";
    Table table({"round", "change", "field", "before", "after"});
    for (const auto& c : d.diff.rounds) {
      const std::string& id = c.after ? c.after->id : c.before->id;
      AddChangeRows(table, id, c, RoundField,
                    [&](const RoundPosition& r) { return Summary(r, names); });
    }
    table.Print(out);
  }
  out << "\n" << EventsTitle(d) << "\n";
  if (d.events.rows.empty()) {
    out << "(none)\n";
    return;
  }
  std::vector<std::string> headers = {"date",   "commitment", "event",
                                      "change", "certainty",  "source"};
  if (d.knowledge) headers.insert(headers.begin() + 1, "recorded");
  Table table(headers);
  for (const TimelineRow& row : d.events.rows) {
    std::string id = row.commitment;
    if (id.empty() && !row.event.round.empty()) id = "round " + row.event.round;
    const std::string source = SourceText(row.event.source);
    std::vector<std::string> cells = {row.event.date.ToString(),
                                      id.empty() ? kNone : id,
                                      EventText(row),
                                      ChangeText(row, names, true),
                                      std::string(CertaintyName(row.certainty)),
                                      source.empty() ? kNone : source};
    if (d.knowledge) cells.insert(cells.begin() + 1, FormatTimestampShort(row.event.recorded_at));
    table.AddRow(cells);
  }
  table.Print(out);
}

void PrintDiffCsv(const DiffReport& d, std::ostream& out) {
  WriteCsvRow(out, {"section", "id", "change", "field", "currency", "before", "after", "before_low",
                    "before_high", "after_low", "after_high"});
  const Names no_names;
  for (const auto& c : d.diff.commitments) {
    WriteCsvChange(out, "commitments", c.after ? c.after->id : c.before->id, c, CommitmentField,
                   [&](const CommitmentPosition& p) { return Summary(p, no_names); });
  }
  for (const auto& c : d.diff.pairs) {
    const PairPosition& p = c.after ? *c.after : *c.before;
    WriteCsvChange(out, "pairs", p.a + "/" + p.b, c, PairField,
                   [](const PairPosition& q) { return Summary(q); });
  }
  for (const auto& c : d.diff.rounds) {
    WriteCsvChange(out, "rounds", c.after ? c.after->id : c.before->id, c, RoundField,
                   [&](const RoundPosition& r) { return Summary(r, no_names); });
  }
}

Json DiffJson(const DiffReport& d, const Names& names) {
  Json j;
  j["axis"] = d.knowledge ? "knowledge" : "effective";
  j["before"] = Json{{"as_of", FormatDay(d.before_as_of)},
                     {"known_at", FormatTimestampShort(d.before_known_at)}};
  j["after"] = Json{{"as_of", FormatDay(d.after_as_of)},
                    {"known_at", FormatTimestampShort(d.after_known_at)}};
  j["commitments"] = Json::array();
  for (const auto& c : d.diff.commitments) {
    Json o;
    o["id"] = c.after ? c.after->id : c.before->id;
    o.update(ChangeJson(c, [&](const CommitmentPosition& p) { return CommitmentJson(p, names); }));
    j["commitments"].push_back(std::move(o));
  }
  j["pairs"] = Json::array();
  for (const auto& c : d.diff.pairs) {
    const PairPosition& p = c.after ? *c.after : *c.before;
    Json o;
    o["a"] = p.a;
    o["b"] = p.b;
    o.update(ChangeJson(c, [&](const PairPosition& q) { return PairJson(q, names); }));
    j["pairs"].push_back(std::move(o));
  }
  j["rounds"] = Json::array();
  for (const auto& c : d.diff.rounds) {
    Json o;
    o["id"] = c.after ? c.after->id : c.before->id;
    o.update(ChangeJson(c, [&](const RoundPosition& r) { return RoundJson(r, names); }));
    j["rounds"].push_back(std::move(o));
  }
  TimelineRequest request;
  request.known_at = d.after_known_at;
  j["events"] = TimelineJson(d.events, request, names)["events"];
  return j;
}

}  // namespace dealtrail::cli
