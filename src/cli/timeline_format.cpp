// Timeline output: the row texts, the aligned table, Markdown, CSV and the
// JSON contract of docs/timeline.md.
#include "cli/timeline_format.h"

#include <algorithm>

namespace dealtrail::cli {
namespace {

constexpr const char* kNone = "\xE2\x80\x94";     // em dash
constexpr const char* kArrow = " \xE2\x86\x92 ";  // →
constexpr const char* kBoth = " \xE2\x87\x84 ";   // ⇄

std::string Name(const Names& names, const std::string& id, bool isolate) {
  return isolate ? Isolate(NameOf(names, id)) : NameOf(names, id);
}

std::string Low(const Interval& i) { return MajorUnits(i.low, i.currency); }
std::string High(const Interval& i) { return i.high ? MajorUnits(*i.high, i.currency) : ""; }

std::string RoundFigures(const Event& e) {
  std::vector<std::string> parts;
  if (e.target) parts.push_back("target " + HumanAmount(*e.target));
  if (e.pre_money) parts.push_back("pre-money " + HumanAmount(*e.pre_money));
  if (e.post_money) parts.push_back("post-money " + HumanAmount(*e.post_money));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The words for an event on its own (no retraction marks).
std::string EventWords(const Event& e, const std::optional<CommitmentPosition>& before,
                       const Names& names, bool isolate) {
  switch (e.kind) {
    case EventKind::kOpen: {
      std::string s =
          std::string(CommitmentKindName(*e.commitment_kind)) + " " + HumanAmount(*e.amount);
      if (e.conditional) s += ", " + HumanAmount(*e.conditional) + " conditional";
      if (!e.round.empty()) s += ", in round " + e.round;
      return s;
    }
    case EventKind::kRevise: {
      std::vector<std::string> parts;
      if (e.amount) {
        if (before && before->stated == *e.amount) {
          parts.push_back(HumanAmount(*e.amount) + " confirmed");
        } else if (before) {
          parts.push_back(HumanAmount(before->stated) + kArrow + HumanAmount(*e.amount));
        } else {
          parts.push_back("amount " + HumanAmount(*e.amount));
        }
      }
      if (e.conditional) parts.push_back(HumanAmount(*e.conditional) + " conditional");
      if (e.certainty && (!before || before->certainty != *e.certainty)) {
        parts.push_back(before ? std::string(CertaintyName(before->certainty)) + kArrow +
                                     std::string(CertaintyName(*e.certainty))
                               : "certainty " + std::string(CertaintyName(*e.certainty)));
      }
      if (!e.round.empty() && (!before || before->round != e.round)) {
        parts.push_back("joins round " + e.round);
      }
      if (!e.terms.empty()) parts.push_back("new terms");
      std::string s = "revised";
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : ": ") + parts[i];
      return s;
    }
    case EventKind::kFund:
      return "funded " + HumanAmount(*e.amount);
    case EventKind::kSupersede:
      return "superseded by " + e.by;
    case EventKind::kCancel:
      return "cancelled";
    case EventKind::kExpire:
      return "expired";
    case EventKind::kComplete:
      return "completed";
    case EventKind::kRoundOpen: {
      const std::string figures = RoundFigures(e);
      return "round opened" + (figures.empty() ? "" : ": " + figures);
    }
    case EventKind::kRoundRevise: {
      const std::string figures = RoundFigures(e);
      return "round revised" + (figures.empty() ? "" : ": " + figures);
    }
    case EventKind::kRoundClose:
      return "round closed";
    case EventKind::kValuation:
      return std::string(e.basis == ValuationBasis::kPreMoney ? "pre" : "post") +
             "-money valuation " + HumanAmount(*e.amount) +
             (e.round.empty() ? " of " + Name(names, e.party, isolate) : "");
    case EventKind::kRetract:
      return "retracts " + e.retracts;
    case EventKind::kPartyAdd:
    case EventKind::kPartyAlias:
      break;
  }
  return std::string(KindName(e.kind));
}

std::string DateOrNull(const std::optional<date::sys_days>& d) { return d ? FormatDay(*d) : ""; }

Json NullableText(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json RunningJson(const CommitmentPosition& c) {
  Json j;
  j["status"] = std::string(StatusName(c.status));
  j["superseded_by"] = NullableText(c.superseded_by);
  j["certainty"] = std::string(CertaintyName(c.certainty));
  j["stated"] = HumanAmount(c.stated);
  j["round"] = NullableText(c.round);
  j["committed"] = AmountJson(c.committed);
  j["funded"] = AmountJson(c.funded);
  j["outstanding"] = AmountJson(c.outstanding);
  j["conditional"] = AmountJson(c.conditional);
  return j;
}

// The pair columns of tables: "A → B", "B → A", "net".
std::vector<std::string> PairHeaders(const TimelineRequest& r, const Names& names, bool isolate) {
  if (!r.pair) return {};
  const std::string a = std::min(r.pair->first, r.pair->second);
  const std::string b = std::max(r.pair->first, r.pair->second);
  return {Name(names, a, isolate) + kArrow + Name(names, b, isolate),
          Name(names, b, isolate) + kArrow + Name(names, a, isolate), "net"};
}

std::vector<std::string> PairCells(const TimelineRow& row) {
  if (!row.pair) return {kNone, kNone, kNone};
  std::string net;
  for (const SignedInterval& n : row.pair->net) net += (net.empty() ? "" : "; ") + HumanSigned(n);
  return {HumanList(row.pair->a_to_b.committed), HumanList(row.pair->b_to_a.committed),
          net.empty() ? kNone : net};
}

// The columns shared by the table and Markdown.
std::vector<std::string> Headers(const TimelineRequest& r, const Names& names, bool isolate) {
  std::vector<std::string> h = {"date",      "commitment", "event",      "parties",
                                "change",    "certainty",  "source",     "status",
                                "committed", "funded",     "outstanding"};
  for (std::string& p : PairHeaders(r, names, isolate)) h.push_back(std::move(p));
  return h;
}

std::vector<std::string> Cells(const TimelineRow& row, const TimelineRequest& r, const Names& names,
                               bool isolate) {
  const Event& e = row.event;
  std::string id = row.commitment;
  if (id.empty() && !e.round.empty()) id = "round " + e.round;
  const std::string source = SourceText(e.source);
  std::vector<std::string> cells = {e.date.ToString(),
                                    id.empty() ? kNone : id,
                                    EventText(row),
                                    PartiesText(row, names, isolate),
                                    ChangeText(row, names, isolate),
                                    std::string(CertaintyName(row.certainty)),
                                    source.empty() ? kNone : source};
  if (row.after) {
    cells.push_back(std::string(StatusName(row.after->status)));
    cells.push_back(CommittedText(*row.after));
    cells.push_back(HumanInterval(row.after->funded));
    cells.push_back(HumanInterval(row.after->outstanding));
  } else {
    cells.insert(cells.end(), 4, kNone);
  }
  if (cells[3].empty()) cells[3] = kNone;
  if (r.pair) {
    for (std::string& c : PairCells(row)) cells.push_back(std::move(c));
  }
  return cells;
}

// Terms stated by the rows, for the section under the table.
std::vector<std::vector<std::string>> TermsRows(const Timeline& t) {
  std::vector<std::vector<std::string>> out;
  for (const TimelineRow& row : t.rows) {
    if (row.event.terms.empty()) continue;
    std::string id = row.commitment.empty() ? "round " + row.event.round : row.commitment;
    out.push_back({row.event.date.ToString(), id, row.event.terms});
  }
  return out;
}

std::string MarkdownCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void MarkdownRow(std::ostream& out, const std::vector<std::string>& cells) {
  out << "|";
  for (const std::string& c : cells) out << " " << MarkdownCell(c) << " |";
  out << "\n";
}

}  // namespace

std::string TimelineTitle(const TimelineRequest& r, const Names& names, bool isolate) {
  std::vector<std::string> what;
  if (r.pair) {
    what.push_back(Name(names, r.pair->first, isolate) + kBoth +
                   Name(names, r.pair->second, isolate));
  }
  if (!r.party.empty()) what.push_back(Name(names, r.party, isolate));
  if (!r.commitment.empty()) what.push_back("commitment " + r.commitment);
  if (!r.round.empty()) what.push_back("round " + r.round);
  std::string title = "Timeline of ";
  if (what.empty()) title += "every commitment and round";
  for (std::size_t i = 0; i < what.size(); ++i) title += (i ? ", " : "") + what[i];
  if (r.from && r.to) {
    title += ", " + FormatDay(*r.from) + " to " + FormatDay(*r.to);
  } else if (r.from) {
    title += ", from " + FormatDay(*r.from);
  } else if (r.to) {
    title += ", up to " + FormatDay(*r.to);
  }
  title += ", as known at " + FormatTimestampShort(r.known_at);
  if (r.min_certainty != Certainty::kRumored) {
    title += ", " + std::string(CertaintyName(r.min_certainty)) + " or more certain";
  }
  return title;
}

std::string ChangeText(const TimelineRow& row, const Names& names, bool isolate) {
  const Event& e = row.event;
  if (e.kind == EventKind::kRetract) {
    std::string s = "retracts " + e.retracts;
    if (row.retracted) {
      const Event& r = *row.retracted;
      s += " (" + std::string(KindName(r.kind)) + " dated " + r.date.ToString() + ": " +
           EventWords(r, std::nullopt, names, isolate) + ")";
    }
    if (!e.source.note.empty()) s += ": " + e.source.note;
    return s;
  }
  std::string s = EventWords(e, row.before, names, isolate);
  if (!row.retracted_by.empty()) return "[retracted by " + row.retracted_by + "] " + s;
  if (!row.not_applied.empty()) return "[not applied: " + row.not_applied + "] " + s;
  return s;
}

std::string PartiesText(const TimelineRow& row, const Names& names, bool isolate) {
  const Event* e = &row.event;
  if (e->kind == EventKind::kRetract && row.retracted) e = &*row.retracted;
  const std::optional<CommitmentPosition>& c = row.after ? row.after : row.before;
  if (c) return Name(names, c->from, isolate) + kArrow + Name(names, c->to, isolate);
  if (e->kind == EventKind::kOpen) {
    return Name(names, e->from, isolate) + kArrow + Name(names, e->to, isolate);
  }
  if (row.round) return Name(names, row.round->party, isolate);
  if (!e->party.empty()) return Name(names, e->party, isolate);
  return "";
}

std::string SourceText(const Source& s) {
  if (s.outlet.empty()) return s.published ? FormatDay(*s.published) : "";
  return s.published ? s.outlet + ", " + FormatDay(*s.published) : s.outlet;
}

std::string EventText(const TimelineRow& row) { return std::string(KindName(row.event.kind)); }

void PrintTimelineTable(const Timeline& t, const TimelineRequest& r, const Names& names,
                        std::ostream& out) {
  out << TimelineTitle(r, names, true) << "\n\n";
  if (t.rows.empty()) {
    out << "(no events)\n";
    return;
  }
  Table table(Headers(r, names, true));
  for (const TimelineRow& row : t.rows) table.AddRow(Cells(row, r, names, true));
  table.Print(out);
  const auto terms = TermsRows(t);
  if (!terms.empty()) {
    out << "\nTerms as stated\n";
    Table table_terms({"date", "commitment", "terms"});
    for (const auto& row : terms) table_terms.AddRow(row);
    table_terms.Print(out);
  }
}

void PrintTimelineMarkdown(const Timeline& t, const TimelineRequest& r, const Names& names,
                           std::ostream& out) {
  out << "**" << MarkdownCell(TimelineTitle(r, names, true)) << "**\n\n";
  if (t.rows.empty()) {
    out << "(no events)\n";
    return;
  }
  const std::vector<std::string> headers = Headers(r, names, true);
  MarkdownRow(out, headers);
  out << "|";
  for (std::size_t i = 0; i < headers.size(); ++i) out << "---|";
  out << "\n";
  for (const TimelineRow& row : t.rows) MarkdownRow(out, Cells(row, r, names, true));
  const auto terms = TermsRows(t);
  if (!terms.empty()) {
    out << "\n**Terms as stated**\n\n";
    MarkdownRow(out, {"date", "commitment", "terms"});
    out << "|---|---|---|\n";
    for (const auto& row : terms) MarkdownRow(out, row);
  }
}

void PrintTimelineCsv(const Timeline& t, const TimelineRequest& r, std::ostream& out) {
  std::vector<std::string> header = {"seq",
                                     "event_id",
                                     "kind",
                                     "date",
                                     "precision",
                                     "first_day",
                                     "last_day",
                                     "recorded_at",
                                     "commitment",
                                     "round",
                                     "from",
                                     "to",
                                     "change",
                                     "certainty",
                                     "source",
                                     "url",
                                     "published",
                                     "retracted_by",
                                     "retracts",
                                     "applied",
                                     "status",
                                     "superseded_by",
                                     "currency",
                                     "committed_low",
                                     "committed_high",
                                     "funded_low",
                                     "funded_high",
                                     "outstanding_low",
                                     "outstanding_high",
                                     "conditional_low",
                                     "conditional_high",
                                     "approximate"};
  if (r.pair) {
    for (const char* c : {"a", "b", "a_to_b_committed_low", "a_to_b_committed_high",
                          "b_to_a_committed_low", "b_to_a_committed_high", "net_low", "net_high"}) {
      header.push_back(c);
    }
  }
  WriteCsvRow(out, header);
  const Names no_names;
  for (const TimelineRow& row : t.rows) {
    const Event& e = row.event;
    const std::optional<CommitmentPosition>& c = row.after;
    const Event& subject = row.retracted ? *row.retracted : e;
    std::string from = c ? c->from : subject.from;
    std::string to = c ? c->to : subject.to;
    std::vector<std::string> cells = {std::to_string(e.seq),
                                      e.id,
                                      std::string(KindName(e.kind)),
                                      e.date.ToString(),
                                      std::string(PrecisionName(e.date.precision())),
                                      FormatDay(e.date.first()),
                                      FormatDay(e.date.last()),
                                      FormatTimestampShort(e.recorded_at),
                                      row.commitment,
                                      e.round,
                                      from,
                                      to,
                                      ChangeText(row, no_names, false),
                                      std::string(CertaintyName(row.certainty)),
                                      e.source.outlet,
                                      e.source.url,
                                      DateOrNull(e.source.published),
                                      row.retracted_by,
                                      e.retracts,
                                      row.applied ? "true" : "false"};
    if (c) {
      for (std::string s :
           {std::string(StatusName(c->status)), c->superseded_by, std::string(c->currency.code()),
            Low(c->committed), High(c->committed), Low(c->funded), High(c->funded),
            Low(c->outstanding), High(c->outstanding), Low(c->conditional), High(c->conditional),
            std::string(c->committed.approximate || c->funded.approximate ? "true" : "false")}) {
        cells.push_back(std::move(s));
      }
    } else {
      cells.insert(cells.end(), 12, "");
    }
    if (r.pair) {
      const std::string a = std::min(r.pair->first, r.pair->second);
      const std::string b = std::max(r.pair->first, r.pair->second);
      cells.push_back(a);
      cells.push_back(b);
      // The pair's figures in the row's currency.
      std::optional<Interval> ab;
      std::optional<Interval> ba;
      std::optional<SignedInterval> net;
      if (row.pair && c) {
        for (const Interval& i : row.pair->a_to_b.committed) {
          if (i.currency == c->currency) ab = i;
        }
        for (const Interval& i : row.pair->b_to_a.committed) {
          if (i.currency == c->currency) ba = i;
        }
        for (const SignedInterval& n : row.pair->net) {
          if (n.currency == c->currency) net = n;
        }
      }
      const Interval zero = Interval::Zero(c ? c->currency : Currency::Usd());
      cells.push_back(c ? Low(ab.value_or(zero)) : "");
      cells.push_back(c ? High(ab.value_or(zero)) : "");
      cells.push_back(c ? Low(ba.value_or(zero)) : "");
      cells.push_back(c ? High(ba.value_or(zero)) : "");
      cells.push_back(net && net->low ? MajorUnits(*net->low, net->currency) : "");
      cells.push_back(net && net->high ? MajorUnits(*net->high, net->currency) : "");
    }
    WriteCsvRow(out, cells);
  }
}

Json TimelineJson(const Timeline& t, const TimelineRequest& r, const Names& names) {
  Json j;
  j["from"] = r.from ? Json(FormatDay(*r.from)) : Json(nullptr);
  j["to"] = r.to ? Json(FormatDay(*r.to)) : Json(nullptr);
  j["known_at"] = FormatTimestampShort(r.known_at);
  j["min_certainty"] = std::string(CertaintyName(r.min_certainty));
  j["party"] = NullableText(r.party);
  j["pair"] = r.pair ? Json::array({r.pair->first, r.pair->second}) : Json(nullptr);
  j["commitment"] = NullableText(r.commitment);
  j["round"] = NullableText(r.round);
  j["events"] = Json::array();
  for (const TimelineRow& row : t.rows) {
    const Event& e = row.event;
    const std::optional<CommitmentPosition>& c = row.after ? row.after : row.before;
    Json o;
    o["seq"] = e.seq;
    o["event_id"] = e.id;
    o["kind"] = std::string(KindName(e.kind));
    o["date"] = e.date.ToString();
    o["precision"] = std::string(PrecisionName(e.date.precision()));
    o["first_day"] = FormatDay(e.date.first());
    o["last_day"] = FormatDay(e.date.last());
    o["recorded_at"] = FormatTimestampShort(e.recorded_at);
    o["commitment"] = NullableText(row.commitment);
    o["round"] = NullableText(e.round);
    const Event& subject = row.retracted ? *row.retracted : e;
    const std::string from = c ? c->from : subject.from;
    const std::string to = c ? c->to : subject.to;
    o["from"] = NullableText(from);
    o["from_name"] = from.empty() ? Json(nullptr) : Json(NameOf(names, from));
    o["to"] = NullableText(to);
    o["to_name"] = to.empty() ? Json(nullptr) : Json(NameOf(names, to));
    o["party"] = NullableText(e.party);
    o["change"] = ChangeText(row, names, false);
    o["amount"] = e.amount ? AmountJson(*e.amount) : Json(nullptr);
    o["conditional"] = e.conditional ? AmountJson(*e.conditional) : Json(nullptr);
    o["terms"] = NullableText(e.terms);
    o["certainty"] = std::string(CertaintyName(row.certainty));
    o["event_certainty"] =
        e.certainty ? Json(std::string(CertaintyName(*e.certainty))) : Json(nullptr);
    o["source"] = NullableText(e.source.outlet);
    o["url"] = NullableText(e.source.url);
    o["published"] = e.source.published ? Json(FormatDay(*e.source.published)) : Json(nullptr);
    o["note"] = NullableText(e.source.note);
    o["retracted_by"] = NullableText(row.retracted_by);
    o["retracts"] = NullableText(e.retracts);
    o["applied"] = row.applied;
    o["not_applied"] = NullableText(row.not_applied);
    o["position"] = row.after ? RunningJson(*row.after) : Json(nullptr);
    if (r.pair) o["pair"] = row.pair ? PairJson(*row.pair, names) : Json(nullptr);
    j["events"].push_back(std::move(o));
  }
  return j;
}

}  // namespace dealtrail::cli
