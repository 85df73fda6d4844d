// Fold::Serialize / Deserialize: the fold's state as bytes, so a replay can
// start from a stored checkpoint. A private, versioned binary format; a blob
// that does not read back whole is refused, never half-used.
#include <cstring>

#include "core/fold_state.h"

namespace dealtrail {
namespace {

constexpr char kMagic[4] = {'D', 'T', 'F', '1'};

class Writer {
 public:
  template <typename T>
  void Raw(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out_.append(buf, sizeof(T));
  }
  void U8(std::uint8_t v) { Raw(v); }
  void I32(std::int32_t v) { Raw(v); }
  void U32(std::uint32_t v) { Raw(v); }
  void I64(std::int64_t v) { Raw(v); }
  void Day(date::sys_days d) { I32(d.time_since_epoch().count()); }
  void Text(std::string_view s) {
    U32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void Cur(Currency c) { out_.append(c.code()); }
  void Money(const Amount& a) {
    I64(a.minor);
    U8(static_cast<std::uint8_t>(a.bound));
    Cur(a.currency);
  }
  void Date(const PartialDate& d) {
    Day(d.first());
    U8(static_cast<std::uint8_t>(d.precision()));
  }
  void Report(const fold::ReportState& r) {
    U8(static_cast<std::uint8_t>(r.basis));
    Money(r.amount);
    U8(static_cast<std::uint8_t>(r.certainty));
    Date(r.date);
    U32(r.outlet);
    U32(r.url);
    U32(r.note);
    U32(r.event_id);
    U8(r.published ? 1 : 0);
    Day(r.published.value_or(date::sys_days{}));
    I64(r.seq);
  }
  void Reserve(std::size_t n) { out_.reserve(n); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return in_.empty(); }

  template <typename T>
  T Raw() {
    T v{};
    if (in_.size() < sizeof(T)) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return v;
  }
  std::uint8_t U8() { return Raw<std::uint8_t>(); }
  std::int32_t I32() { return Raw<std::int32_t>(); }
  std::uint32_t U32() { return Raw<std::uint32_t>(); }
  std::int64_t I64() { return Raw<std::int64_t>(); }
  date::sys_days Day() { return date::sys_days(date::days(I32())); }
  std::string_view Text() {
    const std::uint32_t n = U32();
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return {};
    }
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  Currency Cur() {
    if (in_.size() < 3) {
      ok_ = false;
      return Currency::Usd();
    }
    const std::string_view code = in_.substr(0, 3);
    in_.remove_prefix(3);
    // Nearly every amount is in the currency of the one before it.
    if (!last_ || last_->code() != code) last_ = Currency::FromCode(code);
    if (!last_) {
      ok_ = false;
      return Currency::Usd();
    }
    return *last_;
  }
  template <typename E>
  E Enum(int count) {
    const std::uint8_t v = U8();
    if (v >= count) ok_ = false;
    return static_cast<E>(v < count ? v : 0);
  }
  Bound BoundOf() { return Enum<Bound>(4); }
  Amount Money() {
    Amount a;
    a.minor = I64();
    a.bound = BoundOf();
    a.currency = Cur();
    return a;
  }
  PartialDate Date() {
    const date::sys_days first = Day();
    const auto precision = Enum<DatePrecision>(4);
    auto d = PartialDate::Of(first, precision);
    if (!d.ok()) {
      ok_ = false;
      return {};
    }
    return *d;
  }
  fold::Sym Sym(std::size_t interned) {
    const std::uint32_t s = U32();
    if (s >= interned) ok_ = false;
    return s < interned ? s : fold::kNone;
  }
  fold::ReportState Report(std::size_t interned) {
    fold::ReportState r;
    r.basis = Enum<ValuationBasis>(2);
    r.amount = Money();
    r.certainty = Enum<Certainty>(5);
    r.date = Date();
    r.outlet = Sym(interned);
    r.url = Sym(interned);
    r.note = Sym(interned);
    r.event_id = Sym(interned);
    const bool published = U8() != 0;
    const date::sys_days day = Day();
    if (published) r.published = day;
    r.seq = I64();
    return r;
  }

 private:
  std::string_view in_;
  bool ok_ = true;
  std::optional<Currency> last_;
};

}  // namespace

std::string Fold::Serialize() const {
  const State& s = *state_;
  Writer w;
  // Sized up front: a checkpoint of a large ledger runs to tens of
  // megabytes, and growing it by doubling copies it over and over.
  constexpr std::size_t kCommitmentBytes = 96;
  std::size_t text_bytes = 0;
  for (std::size_t i = 1; i < s.names.size(); ++i) {
    text_bytes += 4 + s.names.View(static_cast<fold::Sym>(i)).size();
  }
  w.Reserve(64 + text_bytes + s.commitments.size() * kCommitmentBytes);
  for (char c : kMagic) w.U8(static_cast<std::uint8_t>(c));
  w.Day(s.default_as_of);
  w.I64(s.applied);
  w.Day(s.last_day);
  w.U32(static_cast<std::uint32_t>(s.names.size()));
  for (std::size_t i = 1; i < s.names.size(); ++i) w.Text(s.names.View(static_cast<fold::Sym>(i)));

  w.U32(static_cast<std::uint32_t>(s.commitments.size()));
  for (const fold::CommitmentState& c : s.commitments) {
    for (fold::Sym sym : {c.id, c.from, c.to, c.round, c.superseded_by, c.terms}) w.U32(sym);
    w.Cur(c.currency);
    w.U8(static_cast<std::uint8_t>(c.kind));
    w.U8(static_cast<std::uint8_t>(c.certainty));
    w.U8(static_cast<std::uint8_t>(c.status));
    w.I64(c.stated.minor);
    w.U8(static_cast<std::uint8_t>(c.stated.bound));
    w.U8(c.conditional ? 1 : 0);
    w.I64(c.conditional ? c.conditional->minor : 0);
    w.U8(static_cast<std::uint8_t>(c.conditional ? c.conditional->bound : Bound::kExact));
    w.I64(c.funded.low);
    w.U8(c.funded.high ? 1 : 0);
    w.I64(c.funded.high.value_or(0));
    w.U8(c.funded.approximate ? 1 : 0);
    w.Day(c.opened);
    w.U8(static_cast<std::uint8_t>(c.opened_precision));
    w.Day(c.last_change);
    w.U8(static_cast<std::uint8_t>(c.last_precision));
    w.Day(c.latest_end);
    w.I32(c.version);
    w.I64(c.last_seq);
  }

  w.U32(static_cast<std::uint32_t>(s.rounds.size()));
  for (const fold::RoundState& r : s.rounds) {
    for (fold::Sym sym : {r.id, r.party, r.terms}) w.U32(sym);
    w.U8(r.closed ? 1 : 0);
    w.U8(static_cast<std::uint8_t>(r.certainty));
    w.U8(r.target ? 1 : 0);
    w.Money(r.target.value_or(Amount{}));
    w.Date(r.opened);
    w.Day(r.latest_end);
    w.U32(static_cast<std::uint32_t>(r.reports.size()));
    for (const fold::ReportState& report : r.reports) w.Report(report);
  }

  w.U32(static_cast<std::uint32_t>(s.party_reports.size()));
  for (const auto& [party, reports] : s.party_reports) {
    w.U32(party);
    w.U32(static_cast<std::uint32_t>(reports.size()));
    for (const fold::ReportState& report : reports) w.Report(report);
  }

  w.U32(static_cast<std::uint32_t>(s.ignored.size()));
  for (const std::string& note : s.ignored) w.Text(note);
  return w.Take();
}

Result<Fold> Fold::Deserialize(std::string_view bytes) {
  const Status bad{StatusCode::kCorrupt, "", "a replay checkpoint cannot be read"};
  Reader r(bytes);
  for (char c : kMagic) {
    if (r.U8() != static_cast<std::uint8_t>(c)) return bad;
  }
  Fold fold;
  State& s = *fold.state_;
  s.default_as_of = r.Day();
  s.applied = r.I64();
  s.last_day = r.Day();
  const std::uint32_t interned = r.U32();
  if (interned > bytes.size()) return bad;  // each string takes at least a byte
  // Room for the ids the events after the checkpoint add: growing a table
  // of a million slots mid-replay rehashes every one of them.
  s.names.Reserve(interned + interned / 4);
  {
    constexpr std::size_t kBatch = 256;
    std::string_view texts[kBatch];
    fold::Sym syms[kBatch];
    for (std::uint32_t i = 1; i < interned && r.ok();) {
      const std::size_t n = std::min<std::size_t>(kBatch, interned - i);
      for (std::size_t k = 0; k < n; ++k) texts[k] = r.Text();
      if (!r.ok()) return bad;
      s.names.InternMany(texts, n, syms);
      for (std::size_t k = 0; k < n; ++k) {
        if (syms[k] != i + k) return bad;  // strings are unique and non-empty
      }
      i += static_cast<std::uint32_t>(n);
    }
  }
  if (!r.ok() || s.names.size() != interned) return bad;

  const std::uint32_t commitments = r.U32();
  for (std::uint32_t i = 0; i < commitments && r.ok(); ++i) {
    fold::CommitmentState c;
    for (fold::Sym* sym : {&c.id, &c.from, &c.to, &c.round, &c.superseded_by, &c.terms}) {
      *sym = r.Sym(interned);
    }
    c.currency = r.Cur();
    c.kind = r.Enum<CommitmentKind>(5);
    c.certainty = r.Enum<Certainty>(5);
    c.status = r.Enum<CommitmentStatus>(5);
    c.stated.minor = r.I64();
    c.stated.bound = r.BoundOf();
    const bool conditional = r.U8() != 0;
    const fold::Figure figure{r.I64(), r.BoundOf()};
    if (conditional) c.conditional = figure;
    c.funded.currency = c.currency;
    c.funded.low = r.I64();
    const bool high = r.U8() != 0;
    const std::int64_t high_value = r.I64();
    c.funded.high = high ? std::optional(high_value) : std::nullopt;
    c.funded.approximate = r.U8() != 0;
    c.opened = r.Day();
    c.opened_precision = r.Enum<DatePrecision>(4);
    c.last_change = r.Day();
    c.last_precision = r.Enum<DatePrecision>(4);
    c.latest_end = r.Day();
    c.version = r.I32();
    c.last_seq = r.I64();
    s.commitments.push_back(c);
    s.commitment_index.Set(c.id, static_cast<std::int32_t>(i));
  }

  const std::uint32_t rounds = r.U32();
  for (std::uint32_t i = 0; i < rounds && r.ok(); ++i) {
    fold::RoundState round;
    for (fold::Sym* sym : {&round.id, &round.party, &round.terms}) *sym = r.Sym(interned);
    round.closed = r.U8() != 0;
    round.certainty = r.Enum<Certainty>(5);
    const bool target = r.U8() != 0;
    const Amount amount = r.Money();
    if (target) round.target = amount;
    round.opened = r.Date();
    round.latest_end = r.Day();
    const std::uint32_t reports = r.U32();
    for (std::uint32_t k = 0; k < reports && r.ok(); ++k)
      round.reports.push_back(r.Report(interned));
    s.rounds.push_back(std::move(round));
    s.round_index.Set(s.rounds.back().id, static_cast<std::int32_t>(i));
  }

  const std::uint32_t parties = r.U32();
  for (std::uint32_t i = 0; i < parties && r.ok(); ++i) {
    const fold::Sym party = r.Sym(interned);
    const std::uint32_t reports = r.U32();
    auto& list = s.party_reports[party];
    for (std::uint32_t k = 0; k < reports && r.ok(); ++k) list.push_back(r.Report(interned));
  }

  const std::uint32_t ignored = r.U32();
  for (std::uint32_t i = 0; i < ignored && r.ok(); ++i) s.ignored.emplace_back(r.Text());
  if (!r.ok() || !r.at_end()) return bad;
  return fold;
}

}  // namespace dealtrail
