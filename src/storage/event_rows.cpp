// The event <-> row mapping: one SQL column per event field, amounts as
// minor units plus bound, dates as the first and last day of their period.
#include "storage/event_rows.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace dealtrail::storage {

const char* const kEventColumns =
    "seq, event_id, kind, effective_date, date_precision, recorded_at, certainty, party_id, name, "
    "party_kind, aliases, commitment_id, commitment_kind, from_party, to_party, by_commitment, "
    "round_id, retracts, currency, amount_minor, amount_bound, conditional_minor, "
    "conditional_bound, target_minor, target_bound, pre_money_minor, pre_money_bound, "
    "post_money_minor, post_money_bound, basis, terms, source, url, published, note, hash";

// Parameters are numbered in column order (see InsertParam) and bound by
// position: an import binds 37 values per event, and looking each name up
// costs more than the insert.
const char* const kInsertEvent =
    "INSERT INTO events (seq, event_id, kind, effective_date, effective_end, date_precision, "
    "recorded_at, certainty, party_id, name, party_kind, aliases, commitment_id, "
    "commitment_kind, from_party, to_party, by_commitment, round_id, retracts, currency, "
    "amount_minor, amount_bound, conditional_minor, conditional_bound, target_minor, "
    "target_bound, pre_money_minor, pre_money_bound, post_money_minor, post_money_bound, "
    "basis, terms, source, url, published, note, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, "
    "?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37)";

namespace {

// Positions of kInsertEvent's parameters.
enum InsertParam {
  kPSeq = 1,
  kPEventId,
  kPKind,
  kPEffectiveDate,
  kPEffectiveEnd,
  kPDatePrecision,
  kPRecordedAt,
  kPCertainty,
  kPPartyId,
  kPName,
  kPPartyKind,
  kPAliases,
  kPCommitmentId,
  kPCommitmentKind,
  kPFromParty,
  kPToParty,
  kPByCommitment,
  kPRoundId,
  kPRetracts,
  kPCurrency,
  kPAmountMinor,
  kPAmountBound,
  kPConditionalMinor,
  kPConditionalBound,
  kPTargetMinor,
  kPTargetBound,
  kPPreMoneyMinor,
  kPPreMoneyBound,
  kPPostMoneyMinor,
  kPPostMoneyBound,
  kPBasis,
  kPTerms,
  kPSource,
  kPUrl,
  kPPublished,
  kPNote,
  kPHash,
};

// Column positions in kEventColumns.
enum Col {
  kSeq,
  kEventId,
  kKind,
  kEffectiveDate,
  kPrecision,
  kRecordedAt,
  kCertainty,
  kPartyId,
  kName,
  kPartyKind,
  kAliases,
  kCommitmentId,
  kCommitmentKind,
  kFromParty,
  kToParty,
  kByCommitment,
  kRoundId,
  kRetracts,
  kCurrency,
  kAmountMinor,
  kAmountBound,
  kConditionalMinor,
  kConditionalBound,
  kTargetMinor,
  kTargetBound,
  kPreMoneyMinor,
  kPreMoneyBound,
  kPostMoneyMinor,
  kPostMoneyBound,
  kBasis,
  kTerms,
  kSource,
  kUrl,
  kPublished,
  kNote,
  kHash,
};

// Text that outlives the step is bound without a copy; empty means NULL.
void BindText(sqlite3_stmt* s, int param, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_null(s, param);
  } else {
    sqlite3_bind_text(s, param, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
}

void BindMoney(sqlite3_stmt* s, int minor, int bound, const std::optional<Amount>& a) {
  if (a) {
    sqlite3_bind_int64(s, minor, a->minor);
    BindText(s, bound, BoundName(a->bound));
  } else {
    sqlite3_bind_null(s, minor);
    sqlite3_bind_null(s, bound);
  }
}

std::string Text(const SQLite::Statement& row, int col) {
  const SQLite::Column c = row.getColumn(col);
  return c.isNull() ? std::string() : c.getString();
}

Status Bad(const SQLite::Statement& row, std::string_view column, std::string_view why) {
  return {StatusCode::kCorrupt, std::string(column),
          "event " + std::to_string(row.getColumn(kSeq).getInt64()) + " cannot be read (" +
              std::string(why) + "): the ledger is damaged or was edited out of band"};
}

Result<std::optional<Amount>> MoneyFrom(const SQLite::Statement& row, int minor_col, int bound_col,
                                        const std::optional<Currency>& currency) {
  const SQLite::Column minor = row.getColumn(minor_col);
  if (minor.isNull()) return std::optional<Amount>();
  auto bound = BoundFromName(Text(row, bound_col));
  if (!bound || !currency) return Bad(row, "amount", "bound or currency missing");
  return std::optional<Amount>(Amount{minor.getInt64(), *currency, *bound});
}

}  // namespace

void BindEvent(sqlite3_stmt* s, const Event& e, BoundText& text) {
  text.effective_date = FormatDay(e.date.first());
  text.effective_end = FormatDay(e.date.last());
  text.recorded_at = FormatTimestamp(e.recorded_at);
  text.published = e.source.published ? FormatDay(*e.source.published) : std::string();
  text.aliases.clear();
  if (!e.aliases.empty()) {
    text.aliases = "[";
    for (std::size_t i = 0; i < e.aliases.size(); ++i) {
      if (i) text.aliases.push_back(',');
      AppendJsonString(text.aliases, e.aliases[i]);
    }
    text.aliases.push_back(']');
  }
  sqlite3_bind_int64(s, kPSeq, e.seq);
  BindText(s, kPEventId, e.id);
  BindText(s, kPKind, KindName(e.kind));
  BindText(s, kPEffectiveDate, text.effective_date);
  BindText(s, kPEffectiveEnd, text.effective_end);
  BindText(s, kPDatePrecision, PrecisionName(e.date.precision()));
  BindText(s, kPRecordedAt, text.recorded_at);
  BindText(s, kPCertainty, e.certainty ? CertaintyName(*e.certainty) : std::string_view());
  BindText(s, kPPartyId, e.party);
  BindText(s, kPName, e.name);
  BindText(s, kPPartyKind, e.party_kind);
  BindText(s, kPAliases, text.aliases);
  BindText(s, kPCommitmentId, e.commitment);
  BindText(s, kPCommitmentKind,
           e.commitment_kind ? CommitmentKindName(*e.commitment_kind) : std::string_view());
  BindText(s, kPFromParty, e.from);
  BindText(s, kPToParty, e.to);
  BindText(s, kPByCommitment, e.by);
  BindText(s, kPRoundId, e.round);
  BindText(s, kPRetracts, e.retracts);
  std::optional<Currency> currency;
  for (const auto* a : {&e.amount, &e.conditional, &e.target, &e.pre_money, &e.post_money}) {
    if (*a) currency = (*a)->currency;
  }
  BindText(s, kPCurrency, currency ? currency->code() : std::string_view());
  BindMoney(s, kPAmountMinor, kPAmountBound, e.amount);
  BindMoney(s, kPConditionalMinor, kPConditionalBound, e.conditional);
  BindMoney(s, kPTargetMinor, kPTargetBound, e.target);
  BindMoney(s, kPPreMoneyMinor, kPPreMoneyBound, e.pre_money);
  BindMoney(s, kPPostMoneyMinor, kPPostMoneyBound, e.post_money);
  BindText(s, kPBasis, e.basis ? BasisName(*e.basis) : std::string_view());
  BindText(s, kPTerms, e.terms);
  BindText(s, kPSource, e.source.outlet);
  BindText(s, kPUrl, e.source.url);
  BindText(s, kPPublished, text.published);
  BindText(s, kPNote, e.source.note);
  BindText(s, kPHash, e.hash);
}

Result<Event> EventFromRow(const SQLite::Statement& row) {
  Event e;
  e.seq = row.getColumn(kSeq).getInt64();
  e.id = Text(row, kEventId);
  auto kind = KindFromName(Text(row, kKind));
  if (!kind) return Bad(row, "kind", "unknown kind");
  e.kind = *kind;
  auto first = ParseDay(Text(row, kEffectiveDate));
  auto precision = PrecisionFromName(Text(row, kPrecision));
  if (!first.ok() || !precision) return Bad(row, "effective_date", "bad date");
  auto date = PartialDate::Of(*first, *precision);
  if (!date.ok()) return Bad(row, "effective_date", date.status().message());
  e.date = *date;
  auto recorded = ParseTimestamp(Text(row, kRecordedAt));
  if (!recorded.ok()) return Bad(row, "recorded_at", "bad time");
  e.recorded_at = *recorded;
  if (!row.getColumn(kCertainty).isNull()) {
    e.certainty = CertaintyFromName(Text(row, kCertainty));
    if (!e.certainty) return Bad(row, "certainty", "unknown certainty");
  }
  e.party = Text(row, kPartyId);
  e.name = Text(row, kName);
  e.party_kind = Text(row, kPartyKind);
  if (!row.getColumn(kAliases).isNull()) {
    const auto list = nlohmann::json::parse(Text(row, kAliases), nullptr, false);
    if (!list.is_array()) return Bad(row, "aliases", "not a JSON list");
    for (const auto& a : list) {
      if (!a.is_string()) return Bad(row, "aliases", "not a list of names");
      e.aliases.push_back(a.get<std::string>());
    }
  }
  e.commitment = Text(row, kCommitmentId);
  if (!row.getColumn(kCommitmentKind).isNull()) {
    e.commitment_kind = CommitmentKindFromName(Text(row, kCommitmentKind));
    if (!e.commitment_kind) return Bad(row, "commitment_kind", "unknown kind");
  }
  e.from = Text(row, kFromParty);
  e.to = Text(row, kToParty);
  e.by = Text(row, kByCommitment);
  e.round = Text(row, kRoundId);
  e.retracts = Text(row, kRetracts);
  std::optional<Currency> currency;
  if (!row.getColumn(kCurrency).isNull()) {
    currency = Currency::FromCode(Text(row, kCurrency));
    if (!currency) return Bad(row, "currency", "unknown currency");
  }
  const std::array<std::tuple<int, int, std::optional<Amount>*>, 5> amounts = {{
      {kAmountMinor, kAmountBound, &e.amount},
      {kConditionalMinor, kConditionalBound, &e.conditional},
      {kTargetMinor, kTargetBound, &e.target},
      {kPreMoneyMinor, kPreMoneyBound, &e.pre_money},
      {kPostMoneyMinor, kPostMoneyBound, &e.post_money},
  }};
  for (const auto& [minor, bound, out] : amounts) {
    auto a = MoneyFrom(row, minor, bound, currency);
    if (!a.ok()) return a.status();
    *out = *a;
  }
  if (!row.getColumn(kBasis).isNull()) {
    e.basis = BasisFromName(Text(row, kBasis));
    if (!e.basis) return Bad(row, "basis", "unknown basis");
  }
  e.terms = Text(row, kTerms);
  e.source.outlet = Text(row, kSource);
  e.source.url = Text(row, kUrl);
  if (!row.getColumn(kPublished).isNull()) {
    auto d = ParseDay(Text(row, kPublished));
    if (!d.ok()) return Bad(row, "published", "bad date");
    e.source.published = *d;
  }
  e.source.note = Text(row, kNote);
  e.hash = Text(row, kHash);
  return e;
}

}  // namespace dealtrail::storage
