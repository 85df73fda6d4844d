// Streaming events from SQLite into the fold, decoding only what each event
// kind uses. Values come from columns SQLite has CHECKed (dates, vocabulary
// foreign keys), so decoding is direct; anything that still fails to decode
// is reported as a damaged ledger.
#include "storage/fold_scan.h"

#include <SQLiteCpp/Exception.h>

#include <bit>
#include <memory>
#include <string>

#include "storage/raw_statement.h"

namespace dealtrail::storage {
namespace {

// Columns of kScanSql, in order: what opens, revisions, fundings and status
// changes need. Every selected column costs SQLite a decode per row, so the
// columns only rounds and valuations use (a few percent of events) are read
// by a second statement, kDetailSql, for those rows alone.
enum Col {
  kSeq,
  kEventId,
  kKind,
  kEffectiveDate,
  kPrecision,
  kCertainty,
  kCommitmentId,
  kCommitmentKind,
  kFromParty,
  kToParty,
  kByCommitment,
  kRoundId,
  kCurrency,
  kAmountMinor,
  kAmountBound,
  kConditionalMinor,
  kConditionalBound,
  kTerms,
};

constexpr const char* kScanSql =
    "SELECT seq, event_id, kind, effective_date, date_precision, certainty, commitment_id, "
    "commitment_kind, from_party, to_party, by_commitment, round_id, currency, amount_minor, "
    "amount_bound, conditional_minor, conditional_bound, terms FROM events "
    "WHERE effective_date > :after AND effective_date <= :through AND recorded_at <= :known "
    "ORDER BY effective_date, seq";

// Columns of kDetailSql, in order.
enum DetailCol {
  kPartyId,
  kTargetMinor,
  kTargetBound,
  kPreMoneyMinor,
  kPreMoneyBound,
  kPostMoneyMinor,
  kPostMoneyBound,
  kBasis,
  kSource,
  kUrl,
  kPublished,
  kNote,
};

constexpr const char* kDetailSql =
    "SELECT party_id, target_minor, target_bound, pre_money_minor, pre_money_bound, "
    "post_money_minor, post_money_bound, basis, source, url, published, note FROM events "
    "WHERE seq = ?";

void BindText(sqlite3* db, sqlite3_stmt* s, const char* name, const std::string& v) {
  const int rc = sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, name), v.data(),
                                   static_cast<int>(v.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
}

class Row {
 public:
  explicit Row(sqlite3_stmt* s) : s_(s) {}
  bool Null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    if (p == nullptr) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col))};
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3_stmt* s_;
};

// "YYYY-MM-DD" as SQLite's CHECK guarantees it.
std::optional<date::sys_days> DayOf(std::string_view t) {
  if (t.size() != 10) return std::nullopt;
  auto d = [&](std::size_t i) { return static_cast<unsigned>(t[i] - '0'); };
  const date::year_month_day ymd{
      date::year(static_cast<int>(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3))),
      date::month(d(5) * 10 + d(6)), date::day(d(8) * 10 + d(9))};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd);
}

std::optional<EventKind> KindOf(std::string_view t) {
  switch (t.size()) {
    case 4:
      if (t == "open") return EventKind::kOpen;
      if (t == "fund") return EventKind::kFund;
      break;
    case 6:
      if (t == "revise") return EventKind::kRevise;
      if (t == "cancel") return EventKind::kCancel;
      if (t == "expire") return EventKind::kExpire;
      break;
    default:
      break;
  }
  return KindFromName(t);
}

std::optional<Certainty> CertaintyOf(std::string_view t) {
  if (t.empty()) return std::nullopt;
  switch (t[0]) {
    case 'r':
      return t.size() > 1 && t[1] == 'u' ? Certainty::kRumored : Certainty::kReported;
    case 'a':
      return Certainty::kAnnounced;
    case 's':
      return Certainty::kSigned;
    case 'c':
      return Certainty::kClosed;
    default:
      return std::nullopt;
  }
}

std::optional<DatePrecision> PrecisionOf(std::string_view t) {
  if (t.empty()) return std::nullopt;
  switch (t[0]) {
    case 'd':
      return DatePrecision::kDay;
    case 'm':
      return DatePrecision::kMonth;
    case 'q':
      return DatePrecision::kQuarter;
    case 'y':
      return DatePrecision::kYear;
    default:
      return std::nullopt;
  }
}

std::optional<Bound> BoundOf(std::string_view t) {
  if (t.empty()) return std::nullopt;
  switch (t[0]) {
    case 'e':
      return Bound::kExact;
    case 'u':
      return Bound::kUpTo;
    case 'm':
      return Bound::kMoreThan;
    case 'a':
      return Bound::kAbout;
    default:
      return std::nullopt;
  }
}

// Amounts in one event share one currency, decoded once.
class Decoder {
 public:
  explicit Decoder(const Row& row) : row_(row) {}

  bool Money(const Row& from, int minor_col, int bound_col, std::optional<Amount>* out) {
    if (from.Null(minor_col)) return true;
    auto bound = BoundOf(from.Text(bound_col));
    if (!bound || !Cur()) return false;
    *out = Amount{from.Int(minor_col), *currency_, *bound};
    return true;
  }
  bool Money(int minor_col, int bound_col, std::optional<Amount>* out) {
    return Money(row_, minor_col, bound_col, out);
  }
  void Certain(std::optional<Certainty>* out) {
    if (!row_.Null(kCertainty)) *out = CertaintyOf(row_.Text(kCertainty));
  }

 private:
  bool Cur() {
    if (currency_) return true;
    const std::string_view code = row_.Text(kCurrency);
    // Nearly every event is in the currency of the one before it.
    if (last_ && last_->code() == code) {
      currency_ = last_;
    } else {
      currency_ = Currency::FromCode(code);
      last_ = currency_;
    }
    return currency_.has_value();
  }

  const Row& row_;
  std::optional<Currency> currency_;
  static thread_local std::optional<Currency> last_;
};

thread_local std::optional<Currency> Decoder::last_;

Status Damaged(std::int64_t seq) {
  return {StatusCode::kCorrupt, "",
          "event " + std::to_string(seq) +
              " cannot be read; the ledger is damaged (run dealtrail verify)"};
}

}  // namespace

Result<std::int64_t> ScanIntoFold(sqlite3* db, const FoldScanRange& range, Fold& fold) {
  return ScanEvents(db, range, [&fold](const FoldEvent& e) { return fold.Apply(e); });
}

Result<std::int64_t> ScanEvents(sqlite3* db, const FoldScanRange& range,
                                const std::function<Status(const FoldEvent&)>& apply) {
  Stmt stmt = Prepare(db, kScanSql);
  Stmt detail_stmt = Prepare(db, kDetailSql);
  const Row detail(detail_stmt.get());
  sqlite3_stmt* s = stmt.get();
  BindText(db, s, ":after", range.after ? FormatDay(*range.after) : std::string("0000-00-00"));
  BindText(db, s, ":through", FormatDay(range.through));
  BindText(db, s, ":known", FormatTimestamp(range.known_at));

  std::int64_t read = 0;
  const Row row(s);
  FoldEvent e;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const std::int64_t seq = row.Int(kSeq);
    if (range.skip != nullptr && range.skip->Contains(row.Text(kEventId))) continue;
    // Party events and retractions do not fold (cheaper to skip here than
    // to filter in SQL, which would test every row).
    auto kind = KindOf(row.Text(kKind));
    if (kind && (IsPartyKind(*kind) || *kind == EventKind::kRetract)) continue;
    ++read;
    e = FoldEvent{};
    e.seq = seq;
    e.id = row.Text(kEventId);
    auto first = DayOf(row.Text(kEffectiveDate));
    auto precision = PrecisionOf(row.Text(kPrecision));
    if (!kind || !first || !precision) return Damaged(seq);
    auto date = PartialDate::Of(*first, *precision);
    if (!date.ok()) return Damaged(seq);
    e.kind = *kind;
    e.date = *date;
    Decoder d(row);
    bool ok = true;
    switch (e.kind) {
      case EventKind::kOpen:
        e.from = row.Text(kFromParty);
        e.to = row.Text(kToParty);
        e.commitment_kind = CommitmentKindFromName(row.Text(kCommitmentKind));
        ok = e.commitment_kind.has_value();
        [[fallthrough]];
      case EventKind::kRevise:
        e.round = row.Text(kRoundId);
        e.terms = row.Text(kTerms);
        ok = ok && d.Money(kConditionalMinor, kConditionalBound, &e.conditional);
        [[fallthrough]];
      case EventKind::kFund:
        ok = ok && d.Money(kAmountMinor, kAmountBound, &e.amount);
        [[fallthrough]];
      case EventKind::kCancel:
      case EventKind::kExpire:
      case EventKind::kComplete:
        e.commitment = row.Text(kCommitmentId);
        d.Certain(&e.certainty);
        break;
      case EventKind::kSupersede:
        e.commitment = row.Text(kCommitmentId);
        e.by = row.Text(kByCommitment);
        d.Certain(&e.certainty);
        break;
      case EventKind::kRoundOpen:
      case EventKind::kRoundRevise:
      case EventKind::kValuation: {
        sqlite3_reset(detail_stmt.get());
        sqlite3_bind_int64(detail_stmt.get(), 1, seq);
        if (sqlite3_step(detail_stmt.get()) != SQLITE_ROW) return Damaged(seq);
        e.party = detail.Text(kPartyId);
        e.terms = row.Text(kTerms);
        e.source = detail.Text(kSource);
        e.url = detail.Text(kUrl);
        e.note = detail.Text(kNote);
        if (!detail.Null(kPublished)) e.published = DayOf(detail.Text(kPublished));
        if (!detail.Null(kBasis)) e.basis = BasisFromName(detail.Text(kBasis));
        d.Certain(&e.certainty);
        ok = d.Money(kAmountMinor, kAmountBound, &e.amount) &&
             d.Money(detail, kTargetMinor, kTargetBound, &e.target) &&
             d.Money(detail, kPreMoneyMinor, kPreMoneyBound, &e.pre_money) &&
             d.Money(detail, kPostMoneyMinor, kPostMoneyBound, &e.post_money);
      }
        [[fallthrough]];
      case EventKind::kRoundClose:
        e.round = row.Text(kRoundId);
        break;
      default:
        break;
    }
    // What the fold dereferences must be there (the writer guarantees it).
    const bool complete = ok && (e.kind != EventKind::kOpen || (e.amount && e.certainty)) &&
                          (e.kind != EventKind::kFund || e.amount) &&
                          (e.kind != EventKind::kRoundOpen || e.certainty) &&
                          (e.kind != EventKind::kValuation || (e.amount && e.basis && e.certainty));
    if (!complete) return Damaged(seq);
    if (range.before_each) DEALTRAIL_RETURN_IF_ERROR(range.before_each(e));
    DEALTRAIL_RETURN_IF_ERROR(apply(e));
  }
  if (rc != SQLITE_DONE) throw SQLite::Exception(db, rc);
  return read;
}

RetractedEvents::RetractedEvents(std::vector<std::string> ids) {
  ids_.reserve(ids.size());
  for (std::string& id : ids) ids_.insert(std::move(id));
  if (ids_.empty()) return;
  filter_.assign(std::bit_ceil(ids_.size() * 16 / 64 + 1), 0);
  const std::size_t mask = filter_.size() * 64 - 1;
  for (const std::string& id : ids_) {
    const std::uint64_t h = Hash{}(id);
    for (const std::uint64_t bit : {h & mask, (h >> 32) & mask}) {
      filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
  }
}

bool RetractedEvents::Contains(std::string_view id) const {
  if (filter_.empty()) return false;
  const std::size_t mask = filter_.size() * 64 - 1;
  const std::uint64_t h = Hash{}(id);
  for (const std::uint64_t bit : {h & mask, (h >> 32) & mask}) {
    if ((filter_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return ids_.contains(id);
}

RetractedEvents RetractedBy(sqlite3* db, Timestamp known_at) {
  Stmt stmt = Prepare(db,
                      "SELECT retracts FROM events "
                      "WHERE kind = 'retract' AND recorded_at <= :known");
  BindText(db, stmt.get(), ":known", FormatTimestamp(known_at));
  std::vector<std::string> ids;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    if (text == nullptr) throw SQLite::Exception("a retraction names no event", SQLITE_CORRUPT);
    ids.emplace_back(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 0)));
  }
  if (rc != SQLITE_DONE) throw SQLite::Exception(db, rc);
  return RetractedEvents(std::move(ids));
}

}  // namespace dealtrail::storage
