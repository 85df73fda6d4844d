// Fold::Serialize / Deserialize: the fold's state as bytes, so a replay can
// start from a stored checkpoint. A private, versioned binary format; a blob
// that does not read back whole is refused, never half-used.
//
// Format 2 ("DTF2", written now) stores integers as LEB128 varints (signed
// ones zigzagged), a commitment's later days as offsets from its opening,
// and a commitment's currency only when it differs from the one before:
// about half the bytes of format 1 ("DTF1": fixed-width integers), which is
// still read. On a ledger of a million events the checkpoints are most of
// the file, and every byte of them is written twice (WAL, then file).
#include <cstring>

#include "core/fold_state.h"

namespace dealtrail {
namespace {

constexpr char kMagic1[4] = {'D', 'T', 'F', '1'};
constexpr char kMagic2[4] = {'D', 'T', 'F', '2'};

std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t UnZigZag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

class Writer {
 public:
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Var(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void I32(std::int32_t v) { Var(ZigZag(v)); }
  void U32(std::uint32_t v) { Var(v); }
  void I64(std::int64_t v) { Var(ZigZag(v)); }
  void Day(date::sys_days d) { I32(d.time_since_epoch().count()); }
  // A day as days after `from` (zigzagged: it may be before).
  void DayAfter(date::sys_days d, date::sys_days from) { I64((d - from).count()); }
  void Text(std::string_view s) {
    U32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void Cur(Currency c) { out_.append(c.code()); }
  // A commitment's currency: a zero byte when it is the one before's.
  void CurOf(Currency c) {
    if (last_ && *last_ == c) {
      U8(0);
    } else {
      U8(1);
      Cur(c);
      last_ = c;
    }
  }
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
  std::optional<Currency> last_;
};

class Reader {
 public:
  // `varints`: format 2; otherwise format 1's fixed-width integers.
  Reader(std::string_view in, bool varints) : in_(in), varints_(varints) {}
  bool varints() const { return varints_; }
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
  std::uint64_t Var() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      const auto byte = static_cast<std::uint8_t>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    ok_ = false;  // cut short, or longer than any 64-bit value
    return 0;
  }
  std::int32_t I32() {
    if (!varints_) return Raw<std::int32_t>();
    const std::int64_t v = UnZigZag(Var());
    if (v < INT32_MIN || v > INT32_MAX) ok_ = false;
    return static_cast<std::int32_t>(v);
  }
  std::uint32_t U32() {
    if (!varints_) return Raw<std::uint32_t>();
    const std::uint64_t v = Var();
    if (v > UINT32_MAX) ok_ = false;
    return static_cast<std::uint32_t>(v);
  }
  std::int64_t I64() { return varints_ ? UnZigZag(Var()) : Raw<std::int64_t>(); }
  date::sys_days Day() { return date::sys_days(date::days(I32())); }
  date::sys_days DayAfter(date::sys_days from) {
    if (!varints_) return Day();
    const std::int64_t offset = I64();
    if (offset < INT32_MIN || offset > INT32_MAX) ok_ = false;
    return from + date::days(static_cast<std::int32_t>(offset));
  }
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

  // A commitment's currency (format 2: the one before's, or a new code).
  Currency CurOf() {
    if (!varints_) return Cur();
    const std::uint8_t tag = U8();
    if (tag == 1) return Cur();
    if (tag != 0 || !last_) ok_ = false;
    return last_.value_or(Currency::Usd());
  }

 private:
  std::string_view in_;
  const bool varints_;
  bool ok_ = true;
  std::optional<Currency> last_;
};

}  // namespace

std::string Fold::Serialize() const {
  const State& s = *state_;
  Writer w;
  // Sized up front: a checkpoint of a large ledger runs to tens of
  // megabytes, and growing it by doubling copies it over and over.
  constexpr std::size_t kCommitmentBytes = 64;
  std::size_t text_bytes = 0;
  for (std::size_t i = 1; i < s.names.size(); ++i) {
    text_bytes += 4 + s.names.View(static_cast<fold::Sym>(i)).size();
  }
  w.Reserve(64 + text_bytes + s.commitments.size() * kCommitmentBytes);
  for (char c : kMagic2) w.U8(static_cast<std::uint8_t>(c));
  w.Day(s.default_as_of);
  w.I64(s.applied);
  w.Day(s.last_day);
  w.U32(static_cast<std::uint32_t>(s.names.size()));
  for (std::size_t i = 1; i < s.names.size(); ++i) w.Text(s.names.View(static_cast<fold::Sym>(i)));

  w.U32(static_cast<std::uint32_t>(s.commitments.size()));
  for (const fold::CommitmentState& c : s.commitments) {
    for (fold::Sym sym : {c.id, c.from, c.to, c.round, c.superseded_by, c.terms}) w.U32(sym);
    w.CurOf(c.currency);
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
    w.DayAfter(c.last_change, c.opened);
    w.U8(static_cast<std::uint8_t>(c.last_precision));
    w.DayAfter(c.latest_end, c.last_change);
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
  if (bytes.size() < 4) return bad;
  const std::string_view magic = bytes.substr(0, 4);
  const bool format2 = magic == std::string_view(kMagic2, 4);
  if (!format2 && magic != std::string_view(kMagic1, 4)) return bad;
  Reader r(bytes.substr(4), format2);
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
    c.currency = r.CurOf();
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
    c.last_change = r.DayAfter(c.opened);
    c.last_precision = r.Enum<DatePrecision>(4);
    c.latest_end = r.DayAfter(c.last_change);
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
