// positions_as_of() as an eponymous virtual table, and the money helpers, on
// SQLite's C API. Compiled twice: into dealtrail_storage (direct calls), and
// into the loadable extension with DEALTRAIL_SQLITE_EXTENSION defined, where
// every sqlite3_* call goes through the routines the host handed over.
#include "storage/sql_functions.h"

#ifdef DEALTRAIL_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "dealtrail/ledger.h"
#include "dealtrail/replay.h"

namespace dealtrail::storage {
namespace {

// ---------------------------------------------------------------------------
// positions_as_of(date [, known_at])

enum Column {
  kCommitmentId,
  kCommitmentKind,
  kFromParty,
  kFromName,
  kToParty,
  kToName,
  kCurrency,
  kCertainty,
  kStatus,
  kSupersededBy,
  kRoundId,
  kStated,
  kStatedMinor,
  kStatedBound,
  kCommitted,
  kCommittedLowMinor,
  kCommittedHighMinor,
  kCommittedApproximate,
  kFunded,
  kFundedLowMinor,
  kFundedHighMinor,
  kFundedApproximate,
  kOutstanding,
  kOutstandingLowMinor,
  kOutstandingHighMinor,
  kOutstandingApproximate,
  kConditional,
  kConditionalLowMinor,
  kConditionalHighMinor,
  kConditionalApproximate,
  kApproximate,
  kOpened,
  kOpenedDate,
  kLastChange,
  kVersion,
  kInEffect,
  kTerms,
  kAsOf,     // hidden: the first argument
  kKnownAt,  // hidden: the second argument
};

constexpr const char* kPositionsSchema =
    "CREATE TABLE x(commitment_id TEXT, commitment_kind TEXT, from_party TEXT, from_name TEXT, "
    "to_party TEXT, to_name TEXT, currency TEXT, certainty TEXT, status TEXT, "
    "superseded_by TEXT, round_id TEXT, stated TEXT, stated_minor INTEGER, stated_bound TEXT, "
    "committed TEXT, committed_low_minor INTEGER, committed_high_minor INTEGER, "
    "committed_approximate INTEGER, funded TEXT, funded_low_minor INTEGER, "
    "funded_high_minor INTEGER, funded_approximate INTEGER, outstanding TEXT, "
    "outstanding_low_minor INTEGER, outstanding_high_minor INTEGER, "
    "outstanding_approximate INTEGER, conditional TEXT, conditional_low_minor INTEGER, "
    "conditional_high_minor INTEGER, conditional_approximate INTEGER, approximate INTEGER, "
    "opened TEXT, opened_date TEXT, last_change TEXT, version INTEGER, in_effect TEXT, "
    "terms TEXT, as_of HIDDEN, known_at HIDDEN)";

// idxNum bits: which arguments xFilter receives, in argv order; then the
// ORDER BY (or GROUP BY) the table delivers itself: how many terms, and for
// each two bits, the party column and the direction.
constexpr int kHasAsOf = 1;
constexpr int kHasKnownAt = 2;
constexpr int kOrderCountShift = 2;  // 3 bits
constexpr int kOrderTermsShift = 5;
constexpr int kMaxOrderTerms = 4;
constexpr int kOrderToParty = 1;
constexpr int kOrderDescending = 2;

// The ORDER BY terms, if all are from_party or to_party (at most
// kMaxOrderTerms), as idxNum bits; SQLite passes only terms whose collation
// is the column's (BINARY), and a GROUP BY as an ORDER BY.
std::optional<int> OrderBits(const sqlite3_index_info& info) {
  if (info.nOrderBy < 1 || info.nOrderBy > kMaxOrderTerms) return std::nullopt;
  int bits = info.nOrderBy << kOrderCountShift;
  for (int i = 0; i < info.nOrderBy; ++i) {
    const auto& term = info.aOrderBy[i];
    if (term.iColumn != kFromParty && term.iColumn != kToParty) return std::nullopt;
    const int code =
        (term.iColumn == kToParty ? kOrderToParty : 0) | (term.desc != 0 ? kOrderDescending : 0);
    bits |= code << (kOrderTermsShift + 2 * i);
  }
  return bits;
}

std::vector<CommitmentOrder> OrderOf(int idx) {
  const int count = (idx >> kOrderCountShift) & 7;
  std::vector<CommitmentOrder> keys;
  for (int i = 0; i < count; ++i) {
    const int code = idx >> (kOrderTermsShift + 2 * i);
    keys.push_back(
        CommitmentOrder{(code & kOrderToParty) != 0 ? PartyColumn::kTo : PartyColumn::kFrom,
                        (code & kOrderDescending) != 0});
  }
  return keys;
}

struct PositionsModule {
  Clock clock;
};

struct PositionsTable {
  sqlite3_vtab base;  // first, so SQLite's pointer is ours
  sqlite3* db = nullptr;
  const PositionsModule* module = nullptr;
};

// Rows are materialized a few at a time from the replayed fold: a million-event
// ledger has hundreds of thousands of commitments, and a position for each
// at once cost more than the replay.
struct PositionsCursor {
  sqlite3_vtab_cursor base;
  std::optional<ReplayedFold> replayed;
  std::vector<CommitmentRef> rows;           // in replay's listing order, or by party as asked
  std::map<std::string, std::string> names;  // party id -> display name
  std::string as_of;
  std::string known_at;
  std::size_t row = 0;
  // The rows from chunk_start on, materialized a chunk at a time (a listing
  // ordered by party is scattered in memory, and a chunk's states are
  // fetched together).
  std::vector<CommitmentPosition> chunk;
  std::size_t chunk_start = 0;
  static constexpr std::size_t kChunk = 32;

  const CommitmentPosition& Current() {
    if (row < chunk_start || row >= chunk_start + chunk.size()) {
      const std::size_t n = std::min(kChunk, rows.size() - row);
      replayed->fold.Materialize(std::span(rows).subspan(row, n), replayed->as_of, chunk);
      chunk_start = row;
    }
    return chunk[row - chunk_start];
  }
};

void SetError(sqlite3_vtab* vtab, const std::string& message) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = sqlite3_mprintf("positions_as_of: %s", message.c_str());
}

int PositionsConnect(sqlite3* db, void* aux, int /*argc*/, const char* const* /*argv*/,
                     sqlite3_vtab** out, char** /*error*/) {
  const int rc = sqlite3_declare_vtab(db, kPositionsSchema);
  if (rc != SQLITE_OK) return rc;
  auto* table = new (std::nothrow) PositionsTable{};
  if (table == nullptr) return SQLITE_NOMEM;
  table->db = db;
  table->module = static_cast<const PositionsModule*>(aux);
  *out = &table->base;
  return SQLITE_OK;
}

int PositionsDisconnect(sqlite3_vtab* vtab) {
  delete reinterpret_cast<PositionsTable*>(vtab);
  return SQLITE_OK;
}

// The arguments are equality constraints on the hidden columns. When the
// as-of constraint exists but is not usable in this join order, refuse the
// plan so SQLite picks another; when it is absent, xFilter says what is
// missing.
int PositionsBestIndex(sqlite3_vtab* /*vtab*/, sqlite3_index_info* info) {
  int as_of = -1;
  int known_at = -1;
  bool unusable = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.op != SQLITE_INDEX_CONSTRAINT_EQ || (c.iColumn != kAsOf && c.iColumn != kKnownAt)) {
      continue;
    }
    if (!c.usable) {
      unusable = true;
      continue;
    }
    (c.iColumn == kAsOf ? as_of : known_at) = i;
  }
  if (unusable && as_of < 0) return SQLITE_CONSTRAINT;
  int argv = 0;
  info->idxNum = 0;
  if (as_of >= 0) {
    info->aConstraintUsage[as_of].argvIndex = ++argv;
    info->aConstraintUsage[as_of].omit = 1;
    info->idxNum |= kHasAsOf;
  }
  if (known_at >= 0) {
    info->aConstraintUsage[known_at].argvIndex = ++argv;
    info->aConstraintUsage[known_at].omit = 1;
    info->idxNum |= kHasKnownAt;
  }
  // Ordered by party without a sort of SQLite's: the rows come out so.
  if (const auto order = OrderBits(*info)) {
    info->idxNum |= *order;
    info->orderByConsumed = 1;
  }
  info->estimatedCost = 1000;
  info->estimatedRows = 100;
  return SQLITE_OK;
}

int PositionsOpen(sqlite3_vtab* /*vtab*/, sqlite3_vtab_cursor** out) {
  auto* cursor = new (std::nothrow) PositionsCursor{};
  if (cursor == nullptr) return SQLITE_NOMEM;
  *out = &cursor->base;
  return SQLITE_OK;
}

int PositionsClose(sqlite3_vtab_cursor* cursor) {
  delete reinterpret_cast<PositionsCursor*>(cursor);
  return SQLITE_OK;
}

std::optional<std::string> TextArg(sqlite3_value* v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(sqlite3_value_text(v)),
                     static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

// Replays the ledger file behind `table` into `cursor`, or says why not.
Status Load(const PositionsTable& table, int idx, int argc, sqlite3_value** argv,
            PositionsCursor& cursor) {
  if ((idx & kHasAsOf) == 0) {
    return Status::Invalid("",
                           "expected an as-of date: positions_as_of('2026-03-01' [, known_at])");
  }
  ReplayQuery query;
  const auto as_of = argc > 0 ? TextArg(argv[0]) : std::nullopt;
  if (!as_of) return Status::Invalid("", "expected the as-of date as text YYYY-MM-DD");
  auto day = ParseDay(*as_of);
  if (!day.ok()) return Status::Invalid("", "as-of date: " + day.status().message());
  query.as_of = *day;
  if ((idx & kHasKnownAt) != 0) {
    const auto known = argc > 1 ? TextArg(argv[1]) : std::nullopt;
    if (!known) {
      return Status::Invalid("", "expected known_at as text, a UTC time or a day YYYY-MM-DD");
    }
    auto t = ParseTimestamp(*known);
    if (!t.ok()) return Status::Invalid("", "known_at: " + t.status().message());
    query.known_at = *t;
  }
  const char* file = sqlite3_db_filename(table.db, "main");
  if (file == nullptr || *file == '\0') {
    return Status::Invalid("", "needs a ledger file; this database has none (it is in memory)");
  }
  auto ledger = Ledger::Open(file, table.module->clock, /*read_only=*/true);
  if (!ledger.ok()) return ledger.status();
  // The table is the per-commitment section, listed from the fold without
  // computing the other sections.
  auto replayed = ledger->ReplayFold(query);
  if (!replayed.ok()) return replayed.status();
  auto parties = ledger->Parties();
  if (!parties.ok()) return parties.status();
  cursor.replayed.emplace(std::move(replayed).value());
  cursor.rows = cursor.replayed->fold.ListCommitments(query.filter);
  if (const auto keys = OrderOf(idx); !keys.empty()) {
    cursor.replayed->fold.OrderCommitments(cursor.rows, keys);
  }
  cursor.names.clear();
  for (const PartyInfo& p : *parties) cursor.names[p.id] = p.name;
  cursor.as_of = FormatDay(cursor.replayed->as_of);
  cursor.known_at = FormatTimestampShort(cursor.replayed->known_at);
  cursor.row = 0;
  cursor.chunk.clear();
  cursor.chunk_start = 0;
  return {};
}

int PositionsFilter(sqlite3_vtab_cursor* base, int idx, const char* /*idx_str*/, int argc,
                    sqlite3_value** argv) {
  auto* cursor = reinterpret_cast<PositionsCursor*>(base);
  const auto* table = reinterpret_cast<const PositionsTable*>(base->pVtab);
  try {
    const Status s = Load(*table, idx, argc, argv, *cursor);
    if (!s.ok()) {
      SetError(base->pVtab, s.message());
      return SQLITE_ERROR;
    }
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (const std::exception& e) {
    SetError(base->pVtab, e.what());
    return SQLITE_ERROR;
  }
}

int PositionsNext(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<PositionsCursor*>(base)->row;
  return SQLITE_OK;
}

int PositionsEof(sqlite3_vtab_cursor* base) {
  const auto* cursor = reinterpret_cast<const PositionsCursor*>(base);
  return cursor->row >= cursor->rows.size() ? 1 : 0;
}

int PositionsRowid(sqlite3_vtab_cursor* base, sqlite3_int64* rowid) {
  *rowid = static_cast<sqlite3_int64>(reinterpret_cast<PositionsCursor*>(base)->row) + 1;
  return SQLITE_OK;
}

void ResultText(sqlite3_context* ctx, const std::string& text) {
  sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
// Empty text is NULL, as in the events table.
void ResultTextOrNull(sqlite3_context* ctx, const std::string& text) {
  if (text.empty()) {
    sqlite3_result_null(ctx);
  } else {
    ResultText(ctx, text);
  }
}
void ResultHigh(sqlite3_context* ctx, const std::optional<std::int64_t>& high) {
  if (high) {
    sqlite3_result_int64(ctx, *high);
  } else {
    sqlite3_result_null(ctx);  // unbounded
  }
}

int PositionsColumn(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int column) {
  auto* cursor = reinterpret_cast<PositionsCursor*>(base);
  auto name = [&](const std::string& id) {
    auto it = cursor->names.find(id);
    if (it == cursor->names.end()) {
      sqlite3_result_null(ctx);
    } else {
      ResultText(ctx, it->second);
    }
  };
  try {
    const CommitmentPosition& c = cursor->Current();
    switch (column) {
      case kCommitmentId:
        ResultText(ctx, c.id);
        break;
      case kCommitmentKind:
        ResultText(ctx, std::string(CommitmentKindName(c.kind)));
        break;
      case kFromParty:
        ResultText(ctx, c.from);
        break;
      case kFromName:
        name(c.from);
        break;
      case kToParty:
        ResultText(ctx, c.to);
        break;
      case kToName:
        name(c.to);
        break;
      case kCurrency:
        ResultText(ctx, std::string(c.currency.code()));
        break;
      case kCertainty:
        ResultText(ctx, std::string(CertaintyName(c.certainty)));
        break;
      case kStatus:
        ResultText(ctx, std::string(StatusName(c.status)));
        break;
      case kSupersededBy:
        ResultTextOrNull(ctx, c.superseded_by);
        break;
      case kRoundId:
        ResultTextOrNull(ctx, c.round);
        break;
      case kStated:
        ResultText(ctx, CanonicalAmount(c.stated));
        break;
      case kStatedMinor:
        sqlite3_result_int64(ctx, c.stated.minor);
        break;
      case kStatedBound:
        ResultText(ctx, std::string(BoundName(c.stated.bound)));
        break;
      case kCommitted:
        ResultText(ctx, ExactIntervalText(c.committed));
        break;
      case kCommittedLowMinor:
        sqlite3_result_int64(ctx, c.committed.low);
        break;
      case kCommittedHighMinor:
        ResultHigh(ctx, c.committed.high);
        break;
      case kCommittedApproximate:
        sqlite3_result_int(ctx, c.committed.approximate ? 1 : 0);
        break;
      case kFunded:
        ResultText(ctx, ExactIntervalText(c.funded));
        break;
      case kFundedLowMinor:
        sqlite3_result_int64(ctx, c.funded.low);
        break;
      case kFundedHighMinor:
        ResultHigh(ctx, c.funded.high);
        break;
      case kFundedApproximate:
        sqlite3_result_int(ctx, c.funded.approximate ? 1 : 0);
        break;
      case kOutstanding:
        ResultText(ctx, ExactIntervalText(c.outstanding));
        break;
      case kOutstandingLowMinor:
        sqlite3_result_int64(ctx, c.outstanding.low);
        break;
      case kOutstandingHighMinor:
        ResultHigh(ctx, c.outstanding.high);
        break;
      case kOutstandingApproximate:
        sqlite3_result_int(ctx, c.outstanding.approximate ? 1 : 0);
        break;
      case kConditional:
        ResultText(ctx, ExactIntervalText(c.conditional));
        break;
      case kConditionalLowMinor:
        sqlite3_result_int64(ctx, c.conditional.low);
        break;
      case kConditionalHighMinor:
        ResultHigh(ctx, c.conditional.high);
        break;
      case kConditionalApproximate:
        sqlite3_result_int(ctx, c.conditional.approximate ? 1 : 0);
        break;
      case kApproximate:  // as replay's CSV: committed or funded approximate
        sqlite3_result_int(ctx, c.committed.approximate || c.funded.approximate ? 1 : 0);
        break;
      case kOpened:
        ResultText(ctx, c.opened.ToString());
        break;
      case kOpenedDate:
        ResultText(ctx, FormatDay(c.opened.first()));
        break;
      case kLastChange:
        ResultText(ctx, c.last_change.ToString());
        break;
      case kVersion:
        sqlite3_result_int(ctx, c.version);
        break;
      case kInEffect:
        ResultText(ctx, std::string(InEffectName(c.in_effect)));
        break;
      case kTerms:
        ResultTextOrNull(ctx, c.terms);
        break;
      case kAsOf:
        ResultText(ctx, cursor->as_of);
        break;
      case kKnownAt:
        ResultText(ctx, cursor->known_at);
        break;
      default:
        sqlite3_result_null(ctx);
        break;
    }
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
  return SQLITE_OK;
}

// Eponymous only (xCreate null): "SELECT … FROM positions_as_of(…)", no
// CREATE VIRTUAL TABLE. Read-only: no xUpdate.
sqlite3_module MakePositionsModule() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = nullptr;
  m.xConnect = PositionsConnect;
  m.xBestIndex = PositionsBestIndex;
  m.xDisconnect = PositionsDisconnect;
  m.xDestroy = PositionsDisconnect;
  m.xOpen = PositionsOpen;
  m.xClose = PositionsClose;
  m.xFilter = PositionsFilter;
  m.xNext = PositionsNext;
  m.xEof = PositionsEof;
  m.xColumn = PositionsColumn;
  m.xRowid = PositionsRowid;
  return m;
}

const sqlite3_module kPositionsModule = MakePositionsModule();

// ---------------------------------------------------------------------------
// money(minor, currency [, style]) and money_sum(minor [, currency])

const char* TypeName(int type) {
  switch (type) {
    case SQLITE_INTEGER:
      return "an INTEGER";
    case SQLITE_FLOAT:
      return "a REAL";
    case SQLITE_TEXT:
      return "TEXT";
    case SQLITE_BLOB:
      return "a BLOB";
    default:
      return "NULL";
  }
}

void ResultError(sqlite3_context* ctx, const std::string& message) {
  sqlite3_result_error(ctx, message.c_str(), static_cast<int>(message.size()));
}

// The currency argument of a money function, or an error on `ctx`.
std::optional<Currency> CurrencyArg(sqlite3_context* ctx, const char* function, sqlite3_value* v) {
  const auto code = TextArg(v);
  if (!code) {
    ResultError(ctx, std::string(function) +
                         ": expected an ISO 4217 currency code such as 'USD', got " +
                         TypeName(sqlite3_value_type(v)));
    return std::nullopt;
  }
  auto currency = Currency::FromCode(*code);
  if (!currency) {
    ResultError(ctx, std::string(function) + ": unknown currency '" + *code +
                         "' (expected an ISO 4217 code such as USD or EUR)");
  }
  return currency;
}

void Money(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  try {
    if (argc != 2 && argc != 3) {
      ResultError(ctx, "money: expected money(minor, currency [, 'exact'|'major'|'human'])");
      return;
    }
    const int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_NULL) {
      sqlite3_result_null(ctx);
      return;
    }
    if (type != SQLITE_INTEGER) {
      ResultError(ctx,
                  std::string("money: expected integer minor units (such as amount_minor), got ") +
                      TypeName(type));
      return;
    }
    const auto currency = CurrencyArg(ctx, "money", argv[1]);
    if (!currency) return;
    const std::int64_t minor = sqlite3_value_int64(argv[0]);
    const auto style = argc == 3 ? TextArg(argv[2]) : std::optional<std::string>("exact");
    if (style == "exact") {
      ResultText(ctx, MajorUnits(minor, *currency) + " " + std::string(currency->code()));
    } else if (style == "major") {
      ResultText(ctx, MajorUnits(minor, *currency));
    } else if (style == "human") {
      ResultText(ctx, HumanMoney(minor, *currency));
    } else {
      ResultError(ctx, "money: expected the style 'exact', 'major' or 'human'");
    }
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

// money_sum's running state, in SQLite's zero-filled aggregate context.
struct SumState {
  std::int64_t sum;
  std::int64_t count;  // non-NULL values in the sum (or the window)
  char currency[4];    // set by the first value when a currency is given
};

SumState* State(sqlite3_context* ctx) {
  return static_cast<SumState*>(sqlite3_aggregate_context(ctx, sizeof(SumState)));
}

// Checks one money_sum argument row; returns false after setting an error.
bool CheckSumArgs(sqlite3_context* ctx, SumState* state, int argc, sqlite3_value** argv) {
  const int type = sqlite3_value_type(argv[0]);
  if (type != SQLITE_INTEGER) {
    ResultError(
        ctx, std::string("money_sum: expected integer minor units (such as amount_minor), got ") +
                 TypeName(type));
    return false;
  }
  if (argc < 2) return true;
  const auto currency = CurrencyArg(ctx, "money_sum", argv[1]);
  if (!currency) return false;
  if (state->currency[0] == '\0' || state->count == 0) {
    std::memcpy(state->currency, currency->code().data(), 3);
    state->currency[3] = '\0';
  } else if (currency->code() != std::string_view(state->currency, 3)) {
    ResultError(ctx, "money_sum: cannot add " + std::string(currency->code()) + " to " +
                         std::string(state->currency, 3) + "; group by currency");
    return false;
  }
  return true;
}

void SumStep(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  SumState* state = State(ctx);
  if (state == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!CheckSumArgs(ctx, state, argc, argv)) return;
  if (__builtin_add_overflow(state->sum, sqlite3_value_int64(argv[0]), &state->sum)) {
    ResultError(ctx, "money_sum: the sum overflows 64-bit minor units");
    return;
  }
  ++state->count;
}

void SumInverse(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) return;  // xStep refused anything else
  SumState* state = State(ctx);
  if (state == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (__builtin_sub_overflow(state->sum, sqlite3_value_int64(argv[0]), &state->sum)) {
    ResultError(ctx, "money_sum: the sum overflows 64-bit minor units");
    return;
  }
  --state->count;
}

void SumValue(sqlite3_context* ctx) {
  const auto* state = static_cast<const SumState*>(sqlite3_aggregate_context(ctx, 0));
  if (state == nullptr || state->count == 0) {
    sqlite3_result_null(ctx);  // as sum(): no values, no sum
  } else {
    sqlite3_result_int64(ctx, state->sum);
  }
}

}  // namespace

const std::vector<std::string>& PositionsColumns() {
  static const std::vector<std::string> columns = {
      "commitment_id",
      "commitment_kind",
      "from_party",
      "from_name",
      "to_party",
      "to_name",
      "currency",
      "certainty",
      "status",
      "superseded_by",
      "round_id",
      "stated",
      "stated_minor",
      "stated_bound",
      "committed",
      "committed_low_minor",
      "committed_high_minor",
      "committed_approximate",
      "funded",
      "funded_low_minor",
      "funded_high_minor",
      "funded_approximate",
      "outstanding",
      "outstanding_low_minor",
      "outstanding_high_minor",
      "outstanding_approximate",
      "conditional",
      "conditional_low_minor",
      "conditional_high_minor",
      "conditional_approximate",
      "approximate",
      "opened",
      "opened_date",
      "last_change",
      "version",
      "in_effect",
      "terms",
  };
  return columns;
}

std::string ExactIntervalText(const Interval& i) {
  const std::string code(i.currency.code());
  if (!i.high) {
    if (i.low == 0) return "any amount";
    return "more than " + MajorUnits(i.low, i.currency) + " " + code;
  }
  const std::string about = i.approximate ? "about " : "";
  if (*i.high == i.low) return about + MajorUnits(i.low, i.currency) + " " + code;
  if (i.low == 0) return "up to " + about + MajorUnits(*i.high, i.currency) + " " + code;
  return about + MajorUnits(i.low, i.currency) + "\xe2\x80\x93" + MajorUnits(*i.high, i.currency) +
         " " + code;
}

Status RegisterSqlFunctions(sqlite3* db, Clock clock) {
  auto failed = [db](const char* what) {
    return Status(StatusCode::kInternal, "",
                  std::string("cannot register ") + what + ": " + sqlite3_errmsg(db));
  };
  auto* module = new PositionsModule{std::move(clock)};
  // SQLite owns `module` from here, and deletes it with the connection (or
  // at once if the registration fails).
  if (sqlite3_create_module_v2(db, "positions_as_of", &kPositionsModule, module, [](void* p) {
        delete static_cast<PositionsModule*>(p);
      }) != SQLITE_OK) {
    return failed("positions_as_of");
  }
  constexpr int kPure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function_v2(db, "money", -1, kPure, nullptr, Money, nullptr, nullptr,
                                 nullptr) != SQLITE_OK) {
    return failed("money");
  }
  for (int args : {1, 2}) {
    if (sqlite3_create_window_function(db, "money_sum", args, kPure, nullptr, SumStep, SumValue,
                                       SumValue, SumInverse, nullptr) != SQLITE_OK) {
      return failed("money_sum");
    }
  }
  return {};
}

}  // namespace dealtrail::storage
