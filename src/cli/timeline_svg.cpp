// Drawing the timeline: lanes of bars whose height is the committed amount,
// marks for events, arrows for supersessions. Coordinates are integers
// computed from days and minor units; every label uses the exact money
// formatting, so no amount ever passes through floating point.
#include "cli/timeline_svg.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/text.h"

namespace dealtrail::cli {
namespace {

constexpr int kWidth = 1280;
constexpr int kRightMargin = 110;  // room for "superseded" after a bar's end
constexpr int kTitleHeight = 64;
constexpr int kAxisHeight = 26;
constexpr int kGroupHeight = 26;
constexpr int kLaneHeight = 64;
constexpr int kLabelStrip = 15;  // amount labels sit above the bars
constexpr int kBarMax = 30;      // height of the tallest bar
constexpr int kBarBottom = kLabelStrip + kBarMax + 2;
constexpr int kMarkY = kBarBottom + 9;  // the row of event marks under the bars
constexpr int kLegendHeight = 108;

constexpr const char* kFont = "DejaVu Sans, Noto Sans, Arial, Helvetica, sans-serif";

// The width of a line of text, estimated from its display columns, for
// layout only: a generous average advance of 0.6 em per column.
int TextWidth(std::string_view s, int font_px) {
  return static_cast<int>(DisplayWidth(s)) * font_px * 6 / 10;
}

std::string Color(CommitmentKind k) {
  switch (k) {
    case CommitmentKind::kEquity:
      return "#2b6cb0";
    case CommitmentKind::kPledge:
      return "#6b46c1";
    case CommitmentKind::kDebt:
      return "#2c7a7b";
    case CommitmentKind::kGrant:
      return "#2f855a";
    case CommitmentKind::kPurchase:
      return "#c05621";
  }
  return "#4a5568";
}

// A line of SVG text made of plain pieces and party names. A right-to-left
// name is isolated twice over, for renderers that honour one or the other:
// a tspan with unicode-bidi "plaintext" (its own paragraph direction, from
// its first letter) around FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
// Without it "صندوق (الاستثمارات) 42 → أرامكو" comes out with the names
// swapped; a tspan with direction="rtl" would instead anchor the whole line
// at its right end when the name comes first.
class Label {
 public:
  Label& Text(std::string_view s) {
    markup_ += XmlEscape(s);
    plain_ += s;
    return *this;
  }
  Label& Name(std::string_view name) {
    if (HasRightToLeft(name)) {
      markup_ += "<tspan unicode-bidi=\"plaintext\">" + Isolate(XmlEscape(name)) + "</tspan>";
    } else {
      markup_ += XmlEscape(name);
    }
    plain_ += name;
    return *this;
  }
  const std::string& markup() const { return markup_; }
  const std::string& plain() const { return plain_; }

 private:
  std::string markup_;
  std::string plain_;
};

// Day -> x: the left edge of the day, within [x0, x1].
struct Axis {
  date::sys_days from;
  date::sys_days to;
  int x0 = 0;
  int x1 = 0;
  int X(date::sys_days d) const {
    const std::int64_t days = (to - from).count() + 1;
    std::int64_t i = (d - from).count();
    i = std::clamp<std::int64_t>(i, 0, days);
    return x0 + static_cast<int>(i * (x1 - x0) / days);
  }
};

// Bar height in pixels for `v` minor units when `max` is the tallest: an
// integer ratio, for drawing only (labels are formatted exactly).
int Height(std::int64_t v, std::int64_t max) {
  if (v <= 0 || max <= 0) return 0;
  const std::int64_t h = max >= kBarMax ? v / (max / kBarMax) : v * kBarMax / max;
  return static_cast<int>(std::clamp<std::int64_t>(h, 2, kBarMax));
}

std::int64_t TopOf(const Interval& i) { return i.high ? *i.high : i.low; }

bool Faint(Certainty c) { return c < Certainty::kAnnounced; }

std::string Rect(int x, int y, int w, int h, const std::string& attrs) {
  std::ostringstream s;
  s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w << "\" height=\"" << h << "\" "
    << attrs << "/>";
  return s.str();
}

// An event mark centred on (cx, cy).
std::string MarkShape(EventKind kind, int cx, int cy, const std::string& style) {
  std::ostringstream s;
  switch (kind) {
    case EventKind::kOpen:
      s << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"4\" " << style << "/>";
      break;
    case EventKind::kRevise:
      s << "<path d=\"M" << cx << " " << cy - 5 << "L" << cx + 5 << " " << cy << "L" << cx << " "
        << cy + 5 << "L" << cx - 5 << " " << cy << "Z\" " << style << "/>";
      break;
    case EventKind::kFund:
      s << "<path d=\"M" << cx << " " << cy - 5 << "L" << cx + 5 << " " << cy + 4 << "L" << cx - 5
        << " " << cy + 4 << "Z\" " << style << "/>";
      break;
    case EventKind::kRetract:
      s << "<path d=\"M" << cx - 4 << " " << cy - 4 << "L" << cx + 4 << " " << cy + 4 << "M"
        << cx + 4 << " " << cy - 4 << "L" << cx - 4 << " " << cy + 4
        << "\" stroke=\"#c53030\" stroke-width=\"2\" fill=\"none\"/>";
      break;
    default:  // the end of a commitment, and round events
      s << "<rect x=\"" << cx - 4 << "\" y=\"" << cy - 4 << "\" width=\"8\" height=\"8\" " << style
        << "/>";
      break;
  }
  return s.str();
}

std::string EndWord(const std::optional<CommitmentPosition>& s) {
  if (!s) return "left out";
  return std::string(StatusName(s->status));
}

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

PictureRange RangeOf(const Timeline& t, const TimelineRequest& r) {
  std::optional<date::sys_days> first;
  std::optional<date::sys_days> last;
  auto see = [&](date::sys_days a, date::sys_days b) {
    if (!first || a < *first) first = a;
    if (!last || b > *last) last = b;
  };
  for (const TimelineRow& row : t.rows) see(row.event.date.first(), row.event.date.last());
  for (const Lane& lane : t.lanes) {
    see(lane.segments.front().start, lane.segments.back().start);
  }
  const date::sys_days today = date::floor<date::days>(r.known_at);
  PictureRange range;
  if (r.from) {
    range.from = *r.from;
  } else {
    const date::year_month_day d{first.value_or(today)};
    range.from = date::sys_days(d.year() / d.month() / 1);
  }
  if (r.to) {
    range.to = *r.to;
  } else {
    const date::year_month_day d{std::max(last.value_or(today), range.from)};
    range.to = date::sys_days(d.year() / d.month() / date::last);
  }
  return range;
}

std::string TimelineSvg(const Timeline& t, const TimelineRequest& r, const Names& names) {
  const PictureRange range = RangeOf(t, r);

  // Left column: lane labels; its width fits the longest.
  struct LaneText {
    Label id;
    Label detail;
    Label status;
  };
  std::vector<LaneText> texts;
  int label_width = 180;
  for (const Lane& lane : t.lanes) {
    const CommitmentPosition& c = lane.last;
    LaneText lt;
    lt.id.Text(lane.commitment);
    lt.detail.Text(std::string(CommitmentKindName(c.kind)) + " \xC2\xB7 ")
        .Name(NameOf(names, c.from))
        .Text(" \xE2\x86\x92 ")
        .Name(NameOf(names, c.to));
    lt.status.Text(std::string(CertaintyName(c.certainty)) + " \xC2\xB7 " +
                   std::string(StatusName(c.status)));
    label_width =
        std::max({label_width, TextWidth(lt.id.plain(), 12) + 24,
                  TextWidth(lt.detail.plain(), 11) + 24, TextWidth(lt.status.plain(), 10) + 24});
    texts.push_back(std::move(lt));
  }
  label_width = std::min(label_width, 380);
  const Axis axis{range.from, range.to, label_width + 16, kWidth - kRightMargin};

  // Vertical layout: a header per pair, then its lanes.
  std::vector<int> lane_top(t.lanes.size());
  std::vector<std::pair<int, std::size_t>> group_tops;  // y, first lane
  int y = kTitleHeight + kAxisHeight;
  std::pair<std::string, std::string> group;
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const CommitmentPosition& c = t.lanes[i].last;
    auto parties = std::minmax(c.from, c.to);
    if (i == 0 || parties.first != group.first || parties.second != group.second) {
      group = {parties.first, parties.second};
      group_tops.emplace_back(y, i);
      y += kGroupHeight;
    }
    lane_top[i] = y;
    y += kLaneHeight;
  }
  if (t.lanes.empty()) y += 30;
  const int chart_bottom = y;
  const int height = chart_bottom + kLegendHeight;

  // The tallest amount drawn, per currency: bars are scaled per currency.
  std::map<std::string_view, std::int64_t> tallest;
  for (const Lane& lane : t.lanes) {
    for (const LaneSegment& seg : lane.segments) {
      if (!seg.state) continue;
      std::int64_t& m = tallest[seg.state->currency.code()];
      m = std::max(m, TopOf(seg.state->committed));
    }
  }

  std::ostringstream out;
  Label title;
  title.Text(TimelineTitle(r, names, true));
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << kWidth << " " << height << "\" font-family=\"" << kFont
      << "\" font-size=\"12\" role=\"img\" aria-labelledby=\"timeline-title\">\n";
  out << "<title id=\"timeline-title\">" << title.markup() << "</title>\n";
  out << "<defs>\n"
         "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"2.2\" height=\"6\" fill=\"#1a202c\" "
         "fill-opacity=\"0.5\"/></pattern>\n"
         "<linearGradient id=\"fade-up\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" "
         "stop-color=\"#718096\" stop-opacity=\"0.45\"/><stop offset=\"1\" stop-color=\"#718096\" "
         "stop-opacity=\"0\"/></linearGradient>\n"
         "<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
         "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10Z\" "
         "fill=\"#2d3748\"/></marker>\n"
         "</defs>\n";
  out << "<rect width=\"" << kWidth << "\" height=\"" << height << "\" fill=\"#ffffff\"/>\n";
  out << "<text x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"bold\" fill=\"#1a202c\">"
      << title.markup() << "</text>\n";
  out << "<text x=\"16\" y=\"46\" font-size=\"11\" fill=\"#4a5568\">Bar height: the committed "
         "amount (scaled per currency); one lane per commitment, grouped by pair.</text>\n";

  // Time axis: ticks every 1, 2, 3, 6 or 12 months, whichever leaves room
  // for the labels; a year label on each January.
  {
    const int axis_y = kTitleHeight + kAxisHeight - 8;
    out << "<g class=\"axis\" font-size=\"10\" fill=\"#4a5568\">\n";
    out << "<line x1=\"" << axis.x0 << "\" y1=\"" << axis_y + 4 << "\" x2=\"" << axis.x1
        << "\" y2=\"" << axis_y + 4 << "\" stroke=\"#a0aec0\"/>\n";
    const std::int64_t days = (range.to - range.from).count() + 1;
    const std::int64_t px_per_month =
        std::int64_t{axis.x1 - axis.x0} * 30 / std::max<std::int64_t>(days, 1);
    int step = 12;
    for (int s : {1, 2, 3, 6, 12}) {
      if (px_per_month * s >= 44) {
        step = s;
        break;
      }
    }
    const date::year_month_day start{range.from};
    date::year_month ym = start.year() / start.month();
    if (date::sys_days(ym / 1) < range.from) ym += date::months{1};
    for (; date::sys_days(ym / 1) <= range.to; ym += date::months{1}) {
      const int m = static_cast<int>(unsigned(ym.month()));
      if ((m - 1) % step != 0) continue;
      const int x = axis.X(date::sys_days(ym / 1));
      out << "<line x1=\"" << x << "\" y1=\"" << axis_y + 4 << "\" x2=\"" << x << "\" y2=\""
          << chart_bottom << "\" stroke=\"#e2e8f0\"/>\n";
      std::ostringstream label;
      if (m == 1) {
        label << static_cast<int>(ym.year());
      } else {
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        label << kMonths[m - 1];
      }
      out << "<text x=\"" << x << "\" y=\"" << axis_y << "\" text-anchor=\"middle\""
          << (m == 1 ? " font-weight=\"bold\"" : "") << ">" << label.str() << "</text>\n";
    }
    out << "</g>\n";
  }

  if (t.lanes.empty()) {
    out << "<text x=\"" << axis.x0 << "\" y=\"" << kTitleHeight + kAxisHeight + 20
        << "\" fill=\"#4a5568\">No commitment in this range.</text>\n";
  }

  // Pair headers.
  for (const auto& [gy, first] : group_tops) {
    const CommitmentPosition& c = t.lanes[first].last;
    auto parties = std::minmax(c.from, c.to);
    Label header;
    header.Name(NameOf(names, parties.first))
        .Text(" \xE2\x87\x84 ")
        .Name(NameOf(names, parties.second));
    out << "<g class=\"pair\"><line x1=\"16\" y1=\"" << gy + 4 << "\" x2=\"" << kWidth - 16
        << "\" y2=\"" << gy + 4 << "\" stroke=\"#cbd5e0\"/><text x=\"16\" y=\"" << gy + 19
        << "\" font-size=\"13\" font-weight=\"bold\" fill=\"#1a202c\">" << header.markup()
        << "</text></g>\n";
  }

  // Lanes.
  std::map<std::string, std::size_t> lane_index;
  for (std::size_t i = 0; i < t.lanes.size(); ++i) lane_index[t.lanes[i].commitment] = i;
  struct Arrow {
    int x;
    int y1;
    int y2;
  };
  std::vector<Arrow> arrows;
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const Lane& lane = t.lanes[i];
    const int top = lane_top[i];
    const int bottom = top + kBarBottom;
    const std::string color = Color(lane.last.kind);
    out << "<g class=\"lane\" data-commitment=\"" << XmlEscape(lane.commitment) << "\">\n";
    out << "<text x=\"24\" y=\"" << top + 20 << "\" font-weight=\"bold\" fill=\"#1a202c\">"
        << texts[i].id.markup() << "</text>\n";
    out << "<text x=\"24\" y=\"" << top + 36 << "\" font-size=\"11\" fill=\"#2d3748\">"
        << texts[i].detail.markup() << "</text>\n";
    out << "<text x=\"24\" y=\"" << top + 51 << "\" font-size=\"10\" fill=\"#718096\">"
        << texts[i].status.markup() << "</text>\n";

    // Bars: one stack of rectangles per run of days during which the
    // commitment was open with the same figures and certainty; a label where
    // the committed amount changes.
    struct Run {
      date::sys_days start;
      date::sys_days end;  // exclusive
      const CommitmentPosition* state;
    };
    auto same_look = [](const CommitmentPosition& a, const CommitmentPosition& b) {
      return a.committed == b.committed && a.funded == b.funded && a.conditional == b.conditional &&
             Faint(a.certainty) == Faint(b.certainty) && CommittedText(a) == CommittedText(b);
    };
    std::vector<Run> runs;
    std::optional<std::pair<date::sys_days, std::optional<CommitmentPosition>>> ended;
    const date::sys_days after_range = range.to + date::days{1};
    for (std::size_t k = 0; k < lane.segments.size(); ++k) {
      const LaneSegment& seg = lane.segments[k];
      const bool open = seg.state && seg.state->status == CommitmentStatus::kOpen;
      if (!open) {
        if (!ended) ended = std::pair(seg.start, seg.state);
        continue;
      }
      ended.reset();
      const date::sys_days end =
          k + 1 < lane.segments.size() ? lane.segments[k + 1].start : after_range;
      if (!runs.empty() && runs.back().end == seg.start &&
          same_look(*runs.back().state, *seg.state)) {
        runs.back().end = end;
        runs.back().state = &*seg.state;
      } else {
        runs.push_back({seg.start, end, &*seg.state});
      }
    }
    struct AmountLabel {
      int x;
      std::string text;
    };
    std::vector<AmountLabel> labels;
    std::string last_text;
    bool drew = false;
    for (const Run& run : runs) {
      if (run.end < range.from || run.start > range.to) continue;
      const CommitmentPosition& c = *run.state;
      const int xa = axis.X(run.start);
      const int xb = axis.X(run.end);
      const std::string text = CommittedText(c);
      if (text != last_text) labels.push_back({xa, text});
      last_text = text;
      if (xb <= xa) continue;
      drew = true;
      const std::int64_t max = tallest[c.currency.code()];
      const int h_low = Height(c.committed.low, max);
      const int h_high = c.committed.high ? Height(*c.committed.high, max) : kBarMax;
      const int w = xb - xa;
      const bool faint = Faint(c.certainty);
      const std::string dash = faint ? " stroke-dasharray=\"4 3\"" : "";
      out << "<g class=\"bar\">";
      if (h_high > h_low) {  // the range between the bounds
        out << Rect(xa, bottom - h_high, w, h_high - h_low,
                    c.committed.high ? Concat({"fill=\"", color, "\" fill-opacity=\"",
                                               faint ? "0.12" : "0.22", "\""})
                                     : "fill=\"url(#fade-up)\"");
      }
      if (h_low > 0) {
        out << Rect(xa, bottom - h_low, w, h_low,
                    Concat({"fill=\"", color, "\" fill-opacity=\"", faint ? "0.3" : "0.6", "\""}));
      }
      const int h_funded = Height(c.funded.low, max);
      if (h_funded > 0) {
        out << Rect(xa, bottom - h_funded, w, h_funded,
                    Concat({"fill=\"", color, "\" fill-opacity=\"", faint ? "0.6" : "1", "\""}));
      }
      if (!c.conditional.IsZero()) {
        const int h_cond = std::min(h_high, Height(TopOf(c.conditional), max));
        out << Rect(xa, bottom - h_high, w, std::max(h_cond, 1), "fill=\"url(#hatch)\"");
      }
      out << Rect(xa, bottom - h_high, w, h_high,
                  Concat({"fill=\"none\" stroke=\"", color, "\" stroke-width=\"1\"", dash}));
      out << "</g>\n";
    }
    if (!drew && !runs.empty() && runs.back().start <= range.to) {  // a day or less: a sliver
      const CommitmentPosition& c = *runs.back().state;
      const int h = std::max(Height(TopOf(c.committed), tallest[c.currency.code()]), 2);
      out << "<g class=\"bar\">"
          << Rect(axis.X(runs.back().start), bottom - h, 3, h,
                  "fill=\"" + color + "\" fill-opacity=\"0.8\"")
          << "</g>\n";
    }
    // Labels, the latest first; earlier ones only where they fit.
    int limit = kWidth - 8;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
      const int w = TextWidth(it->text, 11);
      int x = std::max(it->x + 2, axis.x0);
      if (it == labels.rbegin()) x = std::min(x, limit - w);
      if (x + w > limit) continue;
      out << "<text class=\"amount\" x=\"" << x << "\" y=\"" << top + kLabelStrip - 3
          << "\" font-size=\"11\" fill=\"#1a202c\">" << XmlEscape(it->text) << "</text>\n";
      limit = x - 8;
    }
    // The end: a tick, a word, and an arrow to the replacement.
    if (ended && ended->first <= range.to) {
      const int x = axis.X(ended->first);
      out << "<line x1=\"" << x << "\" y1=\"" << bottom - kBarMax << "\" x2=\"" << x << "\" y2=\""
          << bottom << "\" stroke=\"#2d3748\" stroke-width=\"2\"/>\n";
      out << "<text x=\"" << x + 6 << "\" y=\"" << bottom - 4
          << "\" font-size=\"10\" font-style=\"italic\" fill=\"#4a5568\">"
          << XmlEscape(EndWord(ended->second)) << "</text>\n";
      if (ended->second && ended->second->status == CommitmentStatus::kSuperseded) {
        auto by = lane_index.find(ended->second->superseded_by);
        if (by != lane_index.end()) {
          arrows.push_back({x, bottom - kBarMax / 2, lane_top[by->second] + kBarBottom - 6});
        }
      }
    }
    // Marks: one per event, a span for a month, quarter or year.
    int last_cx = -100;
    for (std::size_t row_index : lane.rows) {
      const TimelineRow& row = t.rows[row_index];
      const PartialDate& d = row.event.date;
      const int xa = axis.X(d.first());
      const int xb = std::max(axis.X(d.last() + date::days{1}), xa + 1);
      int cx = (xa + xb) / 2;
      if (cx - last_cx < 9) cx = last_cx + 9;
      last_cx = cx;
      const bool in_force = row.retracted_by.empty() && row.not_applied.empty();
      const bool faint = Faint(row.certainty);
      std::string style = in_force
                              ? "fill=\"" + color + "\" stroke=\"#1a202c\" stroke-width=\"0.8\""
                              : "fill=\"#ffffff\" stroke=\"#a0aec0\" stroke-width=\"1.2\"";
      if (in_force && faint) style += " fill-opacity=\"0.45\" stroke-dasharray=\"2 1\"";
      Label tip;
      tip.Text(d.ToString() + " " + std::string(KindName(row.event.kind)) + ": " +
               ChangeText(row, names, true));
      const std::string source = SourceText(row.event.source);
      if (!source.empty()) tip.Text(" (" + source + ")");
      tip.Text(" \xE2\x80\x94 " + std::string(CertaintyName(row.certainty)));
      out << "<g class=\"mark\" data-event=\"" << XmlEscape(row.event.id) << "\"><title>"
          << tip.markup() << "</title>";
      if (d.precision() != DatePrecision::kDay) {
        out << Rect(xa, top + kMarkY - 4, xb - xa, 8,
                    Concat({"rx=\"4\" fill=\"", color, "\" fill-opacity=\"0.18\" stroke=\"", color,
                            "\" stroke-opacity=\"0.6\""}));
      }
      out << MarkShape(row.event.kind, cx, top + kMarkY, style);
      if (!row.retracted_by.empty()) {  // struck through
        out << "<path d=\"M" << cx - 5 << " " << top + kMarkY + 5 << "L" << cx + 5 << " "
            << top + kMarkY - 5 << "\" stroke=\"#c53030\" stroke-width=\"1.5\"/>";
      }
      out << "</g>\n";
    }
    out << "</g>\n";
  }
  for (const Arrow& a : arrows) {
    const int bow = 26;
    out << "<path class=\"supersession\" d=\"M" << a.x << " " << a.y1 << "C" << a.x + bow << " "
        << a.y1 << " " << a.x + bow << " " << a.y2 << " " << a.x + 3 << " " << a.y2
        << "\" fill=\"none\" stroke=\"#2d3748\" stroke-width=\"1.5\" "
           "marker-end=\"url(#arrow)\"/>\n";
  }

  // Legend.
  {
    const int ly = chart_bottom + 20;
    const std::string c = Color(CommitmentKind::kEquity);
    out << "<g class=\"legend\" font-size=\"11\" fill=\"#2d3748\">\n";
    out << "<line x1=\"16\" y1=\"" << ly - 12 << "\" x2=\"" << kWidth - 16 << "\" y2=\"" << ly - 12
        << "\" stroke=\"#cbd5e0\"/>\n";
    int x = 24;
    auto swatch = [&](const std::string& attrs, const std::string& text) {
      out << Rect(x, ly, 22, 12, attrs) << "<text x=\"" << x + 28 << "\" y=\"" << ly + 10 << "\">"
          << XmlEscape(text) << "</text>\n";
      x += 34 + TextWidth(text, 11);
    };
    swatch("fill=\"" + c + "\" fill-opacity=\"0.6\" stroke=\"" + c + "\"",
           "committed (announced or firmer)");
    swatch("fill=\"" + c + "\" fill-opacity=\"0.3\" stroke=\"" + c + "\" stroke-dasharray=\"4 3\"",
           "rumored or reported");
    swatch("fill=\"" + c + "\" fill-opacity=\"0.22\" stroke=\"" + c + "\"",
           "range (up to, between)");
    swatch("fill=\"url(#fade-up)\" stroke=\"#718096\"", "no upper bound");
    swatch("fill=\"url(#hatch)\" stroke=\"" + c + "\"", "conditional");
    swatch("fill=\"" + c + "\" stroke=\"" + c + "\"", "funded");
    x = 24;
    const int my = ly + 30;
    const std::string style = "fill=\"#a0aec0\" stroke=\"#1a202c\" stroke-width=\"0.8\"";
    auto mark = [&](EventKind kind, const std::string& text) {
      out << MarkShape(kind, x + 6, my, style) << "<text x=\"" << x + 16 << "\" y=\"" << my + 4
          << "\">" << XmlEscape(text) << "</text>\n";
      x += 28 + TextWidth(text, 11);
    };
    mark(EventKind::kOpen, "opened");
    mark(EventKind::kRevise, "revised");
    mark(EventKind::kFund, "funded");
    mark(EventKind::kComplete, "ended or round event");
    mark(EventKind::kRetract, "retraction");
    out << Rect(x, my - 4, 40, 8,
                "rx=\"4\" fill=\"#a0aec0\" fill-opacity=\"0.3\" stroke=\"#a0aec0\"")
        << "<text x=\"" << x + 46 << "\" y=\"" << my + 4
        << "\">dated to a month, quarter or year</text>\n";
    x += 52 + TextWidth("dated to a month, quarter or year", 11);
    out << "<path d=\"M" << x << " " << my << "L" << x + 24 << " " << my
        << "\" stroke=\"#2d3748\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>"
        << "<text x=\"" << x + 32 << "\" y=\"" << my + 4 << "\">superseded by</text>\n";
    // The colours of the kinds drawn.
    x = 24;
    const int ky = my + 22;
    std::vector<CommitmentKind> kinds;
    for (const Lane& lane : t.lanes) {
      if (std::find(kinds.begin(), kinds.end(), lane.last.kind) == kinds.end()) {
        kinds.push_back(lane.last.kind);
      }
    }
    std::sort(kinds.begin(), kinds.end());
    for (CommitmentKind kind : kinds) {
      const std::string name(CommitmentKindName(kind));
      out << Rect(x, ky - 9, 12, 12, "fill=\"" + Color(kind) + "\" fill-opacity=\"0.6\"")
          << "<text x=\"" << x + 18 << "\" y=\"" << ky + 1 << "\">" << name << "</text>\n";
      x += 30 + TextWidth(name, 11);
    }
    out << "<text x=\"24\" y=\"" << ky + 22 << "\" font-size=\"10\" fill=\"#718096\">"
        << "Hollow marks: retracted or not applied. Amounts are exact as recorded; bars are "
           "drawn to scale within each currency.</text>\n";
    out << "</g>\n";
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace dealtrail::cli
