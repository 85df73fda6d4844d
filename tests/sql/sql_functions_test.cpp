// positions_as_of() against Ledger::Replay, and the money helpers: exact
// formatting in every currency exponent, sums that refuse to overflow or to
// mix currencies, as aggregates and as window functions.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <random>

#include "dealtrail/ledger.h"
#include "dealtrail/sql.h"
#include "sql_test_support.h"
#include "storage/sql_functions.h"

namespace dealtrail {
namespace {

class SqlFunctions : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    test::MakeFixtureLedger(dir_->File("ledger.db"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Ledger() { return dir_->File("ledger.db"); }

  // The single value of a one-row, one-column query, as text ("NULL" for
  // NULL), or the error message.
  static std::string One(const std::string& sql) {
    auto r = RunReadOnlySql(Ledger(), sql);
    if (!r.ok()) return "error: " + r.status().message();
    if (r->rows.size() != 1 || r->rows[0].size() != 1) return "not one value";
    const SqlValue& v = r->rows[0][0];
    switch (v.type) {
      case SqlType::kNull:
        return "NULL";
      case SqlType::kInteger:
        return std::to_string(v.integer);
      default:
        return v.text;
    }
  }
  static test::TempDir* dir_;
};
test::TempDir* SqlFunctions::dir_ = nullptr;

TEST_F(SqlFunctions, MoneyFormatsExactlyInEveryExponent) {
  EXPECT_EQ(One("SELECT money(3000000000000, 'USD')"), "30000000000.00 USD");
  EXPECT_EQ(One("SELECT money(3000000000000, 'USD', 'major')"), "30000000000.00");
  EXPECT_EQ(One("SELECT money(3000000000000, 'USD', 'human')"), "$30B");
  EXPECT_EQ(One("SELECT money(275000000000, 'USD', 'human')"), "$2.75B");
  EXPECT_EQ(One("SELECT money(123456, 'USD', 'human')"), "$1,234.56");
  EXPECT_EQ(One("SELECT money(1000, 'JPY')"), "1000 JPY");
  EXPECT_EQ(One("SELECT money(1250, 'KWD')"), "1.250 KWD");
  EXPECT_EQ(One("SELECT money(5, 'CLF')"), "0.0005 CLF");
  EXPECT_EQ(One("SELECT money(7, 'EUR')"), "0.07 EUR");
  EXPECT_EQ(One("SELECT money(-150, 'EUR')"), "-1.50 EUR");
  EXPECT_EQ(One("SELECT money(9223372036854775807, 'USD')"), "92233720368547758.07 USD");
  EXPECT_EQ(One("SELECT money(-9223372036854775807 - 1, 'USD')"), "-92233720368547758.08 USD");
  EXPECT_EQ(One("SELECT money(NULL, 'USD')"), "NULL");
}

TEST_F(SqlFunctions, MoneyRefusesWhatIsNotIntegerMinorUnits) {
  EXPECT_EQ(One("SELECT money(1.5, 'USD')"),
            "error: money: expected integer minor units (such as amount_minor), got a REAL");
  EXPECT_EQ(One("SELECT money('150', 'USD')"),
            "error: money: expected integer minor units (such as amount_minor), got TEXT");
  EXPECT_EQ(One("SELECT money(150, 'usd')"),
            "error: money: unknown currency 'usd' (expected an ISO 4217 code such as USD or EUR)");
  EXPECT_EQ(One("SELECT money(150, NULL)"),
            "error: money: expected an ISO 4217 currency code such as 'USD', got NULL");
  EXPECT_EQ(One("SELECT money(150, 'USD', 'roman')"),
            "error: money: expected the style 'exact', 'major' or 'human'");
  EXPECT_EQ(One("SELECT money(150)"),
            "error: money: expected money(minor, currency [, 'exact'|'major'|'human'])");
}

TEST_F(SqlFunctions, MoneySumAddsIntegersAndIgnoresNulls) {
  EXPECT_EQ(One("SELECT money_sum(amount_minor) FROM events WHERE kind = 'open'"),
            One("SELECT sum(amount_minor) FROM events WHERE kind = 'open'"));
  EXPECT_EQ(One("SELECT money_sum(x) FROM (SELECT 1 AS x UNION ALL SELECT NULL UNION ALL "
                "SELECT 2)"),
            "3");
  EXPECT_EQ(One("SELECT money_sum(amount_minor) FROM events WHERE 0"), "NULL");
  EXPECT_EQ(One("SELECT money_sum(amount_minor, currency) FROM events"),
            One("SELECT sum(amount_minor) FROM events"));
}

TEST_F(SqlFunctions, MoneySumFailsOnOverflowInsteadOfWrapping) {
  EXPECT_EQ(One("SELECT money_sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL "
                "SELECT 1)"),
            "error: money_sum: the sum overflows 64-bit minor units");
  EXPECT_EQ(One("SELECT money_sum(x) FROM (SELECT -9223372036854775807 AS x UNION ALL "
                "SELECT -2)"),
            "error: money_sum: the sum overflows 64-bit minor units");
  EXPECT_EQ(One("SELECT money_sum(x) FROM (SELECT 9223372036854775806 AS x UNION ALL "
                "SELECT 1)"),
            "9223372036854775807");
}

TEST_F(SqlFunctions, MoneySumRefusesMixedCurrenciesAndNonIntegers) {
  EXPECT_EQ(One("SELECT money_sum(a, c) FROM (SELECT 1 AS a, 'USD' AS c UNION ALL "
                "SELECT 2, 'EUR')"),
            "error: money_sum: cannot add EUR to USD; group by currency");
  EXPECT_EQ(One("SELECT money_sum(a, c) FROM (SELECT 1 AS a, 'XYZ' AS c)"),
            "error: money_sum: unknown currency 'XYZ' (expected an ISO 4217 code such as USD "
            "or EUR)");
  EXPECT_EQ(One("SELECT money_sum(x) FROM (SELECT 0.5 AS x)"),
            "error: money_sum: expected integer minor units (such as amount_minor), got a REAL");
}

TEST_F(SqlFunctions, MoneySumIsAWindowFunction) {
  auto r = RunReadOnlySql(
      Ledger(),
      "SELECT money_sum(x) OVER (ORDER BY x) AS running, "
      "money_sum(x, 'USD') OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair "
      "FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 4 UNION ALL SELECT 8)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::pair<std::int64_t, std::int64_t>> got;
  for (const auto& row : r->rows) got.emplace_back(row[0].integer, row[1].integer);
  const std::vector<std::pair<std::int64_t, std::int64_t>> want = {
      {1, 1}, {3, 3}, {7, 6}, {15, 12}};
  EXPECT_EQ(got, want);
}

TEST(ExactIntervalText, WordsIntervalsAsReplayDoes) {
  const Currency usd = Currency::Usd();
  EXPECT_EQ(storage::ExactIntervalText({3000, 3000, usd, false}), "30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({3000, 3000, usd, true}), "about 30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({0, 3000, usd, false}), "up to 30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({0, 3000, usd, true}), "up to about 30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({1000, 3000, usd, false}),
            "10.00\xe2\x80\x93"
            "30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({3000, std::nullopt, usd, false}), "more than 30.00 USD");
  EXPECT_EQ(storage::ExactIntervalText({0, std::nullopt, usd, false}), "any amount");
  EXPECT_EQ(storage::ExactIntervalText(Interval::Zero(*Currency::FromCode("JPY"))), "0 JPY");
}

// Every column of positions_as_of against the positions replay computes.
void ExpectPositionsMatchReplay(const std::string& ledger, const std::string& as_of,
                                const std::string& known_at) {
  SCOPED_TRACE("as of " + as_of + ", known at " + known_at);
  const std::string args =
      known_at.empty() ? "'" + as_of + "'" : "'" + as_of + "', '" + known_at + "'";
  SqlOptions options;
  options.clock = FixedClock(test::At(test::kSqlTestNow));
  auto r = RunReadOnlySql(ledger, "SELECT *, as_of, known_at FROM positions_as_of(" + args + ")",
                          options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> columns = storage::PositionsColumns();
  columns.push_back("as_of");
  columns.push_back("known_at");
  EXPECT_EQ(r->columns, columns);

  auto opened = Ledger::Open(ledger, FixedClock(test::At(test::kSqlTestNow)), true);
  ASSERT_TRUE(opened.ok());
  ReplayQuery q;
  q.as_of = *ParseDay(as_of);
  if (!known_at.empty()) q.known_at = *ParseTimestamp(known_at);
  auto positions = opened->Replay(q);
  ASSERT_TRUE(positions.ok());
  ASSERT_EQ(r->rows.size(), positions->commitments.size());
  auto text = [](const SqlValue& v) { return v.type == SqlType::kNull ? "NULL" : v.text; };
  auto integer = [](const SqlValue& v) {
    return v.type == SqlType::kNull ? std::optional<std::int64_t>() : v.integer;
  };
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    const auto& row = r->rows[i];
    const CommitmentPosition& c = positions->commitments[i];
    SCOPED_TRACE(c.id);
    EXPECT_EQ(text(row[0]), c.id);
    EXPECT_EQ(text(row[1]), CommitmentKindName(c.kind));
    EXPECT_EQ(text(row[2]), c.from);
    EXPECT_EQ(text(row[4]), c.to);
    EXPECT_EQ(text(row[6]), c.currency.code());
    EXPECT_EQ(text(row[7]), CertaintyName(c.certainty));
    EXPECT_EQ(text(row[8]), StatusName(c.status));
    EXPECT_EQ(text(row[9]), c.superseded_by.empty() ? "NULL" : c.superseded_by);
    EXPECT_EQ(text(row[10]), c.round.empty() ? "NULL" : c.round);
    EXPECT_EQ(text(row[11]), CanonicalAmount(c.stated));
    EXPECT_EQ(row[12].integer, c.stated.minor);
    int col = 14;
    for (const Interval* iv : {&c.committed, &c.funded, &c.outstanding, &c.conditional}) {
      EXPECT_EQ(text(row[col]), storage::ExactIntervalText(*iv)) << r->columns[col];
      EXPECT_EQ(row[col + 1].integer, iv->low) << r->columns[col + 1];
      EXPECT_EQ(integer(row[col + 2]), iv->high) << r->columns[col + 2];
      EXPECT_EQ(row[col + 3].integer, iv->approximate ? 1 : 0) << r->columns[col + 3];
      col += 4;
    }
    EXPECT_EQ(row[30].integer, c.committed.approximate || c.funded.approximate ? 1 : 0);
    EXPECT_EQ(text(row[31]), c.opened.ToString());
    EXPECT_EQ(text(row[32]), FormatDay(c.opened.first()));
    EXPECT_EQ(text(row[33]), c.last_change.ToString());
    EXPECT_EQ(row[34].integer, c.version);
    EXPECT_EQ(text(row[35]), InEffectName(c.in_effect));
    EXPECT_EQ(text(row[36]), c.terms.empty() ? "NULL" : c.terms);
    EXPECT_EQ(text(row[37]), as_of);
    EXPECT_EQ(text(row[38]), FormatTimestampShort(positions->known_at));
  }
}

TEST_F(SqlFunctions, PositionsAsOfEqualsReplay) {
  for (const char* as_of : {"2024-10-01", "2025-10-01", "2026-02-04", "2026-02-20", "2026-03-01"}) {
    ExpectPositionsMatchReplay(Ledger(), as_of, "");
    ExpectPositionsMatchReplay(Ledger(), as_of, "2026-01-01");
    ExpectPositionsMatchReplay(Ledger(), as_of, "2026-02-19T19:30:00Z");
  }
}

TEST_F(SqlFunctions, PositionsAsOfJoinsWithOtherTables) {
  auto r =
      RunReadOnlySql(Ledger(),
                     "WITH d(day) AS (VALUES ('2025-10-01'), ('2026-03-01')) "
                     "SELECT d.day, count(p.commitment_id) FROM d, positions_as_of(d.day) AS p "
                     "GROUP BY d.day ORDER BY d.day");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0][1].integer, 2);
  EXPECT_EQ(r->rows[1][1].integer, 7);
}

TEST_F(SqlFunctions, PositionsAsOfSaysWhatIsWrongWithItsArguments) {
  EXPECT_EQ(One("SELECT count(*) FROM positions_as_of('2026-13-01')"),
            "error: positions_as_of: as-of date: month must be 01 to 12, got '2026-13-01'");
  EXPECT_EQ(One("SELECT count(*) FROM positions_as_of(20260301)"),
            "error: positions_as_of: expected the as-of date as text YYYY-MM-DD");
  EXPECT_EQ(One("SELECT count(*) FROM positions_as_of('2026-03-01', 'soon')")
                .rfind("error: positions_as_of: known_at: ", 0),
            0u);
  EXPECT_EQ(One("SELECT count(*) FROM positions_as_of"),
            "error: positions_as_of: expected an as-of date: positions_as_of('2026-03-01' [, "
            "known_at])");
}

// A ledger of many commitments among parties whose ids sort differently by
// bytes and by number (p1, p10, p2, …), opened on few days so that runs of
// one opening day are long.
std::string MakePartyOrderLedger(const test::TempDir& dir) {
  const std::string jsonl = dir.File("many.jsonl");
  const std::vector<std::string> parties = {"p1", "p10", "p2", "p9", "p11", "q", "p3"};
  std::mt19937 random(20261205);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  {
    std::ofstream out(jsonl);
    int id = 0;
    for (const std::string& p : parties) {
      out << R"({"id":"e)" << ++id << R"(","date":"2024-01-01","kind":"party-add","party":")" << p
          << R"(","name":"Party )" << p << "\"}\n";
    }
    for (int c = 0; c < 400; ++c) {
      const std::size_t from = pick(parties.size());
      const std::size_t to = (from + 1 + pick(parties.size() - 1)) % parties.size();
      out << R"({"id":"e)" << ++id << R"(","date":"2024-0)" << 1 + pick(6)
          << R"(-01","kind":"open",)"
          << R"("commitment":"c)" << c << R"(","commitment_kind":"equity","from":")"
          << parties[from] << R"(","to":")" << parties[to] << R"(","amount":")" << 1 + pick(90)
          << R"( USD",)"
          << R"("certainty":"announced"})"
          << "\n";
      if (pick(3) == 0) {
        out << R"({"id":"e)" << ++id << R"(","date":"2024-08-01","kind":"fund","commitment":"c)"
            << c << R"(","amount":"1 USD"})"
            << "\n";
      }
    }
  }
  std::string ledger = dir.File("many.db");
  EXPECT_EQ(test::RunCli(ledger, {"init"}).code, 0);
  const test::CliOutcome import = test::RunCli(ledger, {"import", jsonl});
  EXPECT_EQ(import.code, 0) << import.err;
  return ledger;
}

std::vector<std::vector<std::string>> Rows(const std::string& ledger, const std::string& sql) {
  auto r = RunReadOnlySql(ledger, sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  std::vector<std::vector<std::string>> rows;
  if (!r.ok()) return rows;
  for (const auto& row : r->rows) {
    std::vector<std::string> texts;
    texts.reserve(row.size());
    for (const SqlValue& v : row) {
      texts.push_back(v.type == SqlType::kInteger ? std::to_string(v.integer) : v.text);
    }
    rows.push_back(std::move(texts));
  }
  return rows;
}

bool SortsItself(const std::string& ledger, const std::string& sql) {
  for (const auto& row : Rows(ledger, "EXPLAIN QUERY PLAN " + sql)) {
    if (row.back().find("TEMP B-TREE") != std::string::npos) return true;
  }
  return false;
}

// ORDER BY and GROUP BY on from_party and to_party come out of the table in
// order, with no sort of SQLite's, and equal what SQLite's own sort gives
// (a unary + hides the column from the table): ties in listing order, which
// is by opening day, then id.
TEST(PositionsAsOfOrder, ByPartyEqualsSqlitesOwnSort) {
  const test::TempDir dir;
  const std::string ledger = MakePartyOrderLedger(dir);
  const std::string from = " FROM positions_as_of('2024-12-31') ";
  const std::string listing = ", opened_date, commitment_id";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT commitment_id, from_party" + from + "ORDER BY from_party",
       "SELECT commitment_id, from_party" + from + "ORDER BY +from_party" + listing},
      {"SELECT commitment_id, to_party" + from + "ORDER BY to_party DESC",
       "SELECT commitment_id, to_party" + from + "ORDER BY +to_party DESC" + listing},
      {"SELECT commitment_id" + from + "ORDER BY to_party, from_party DESC",
       "SELECT commitment_id" + from + "ORDER BY +to_party, +from_party DESC" + listing},
      {"SELECT from_party, count(*), sum(funded_low_minor), sum(outstanding_low_minor)" + from +
           "GROUP BY from_party",
       "SELECT +from_party, count(*), sum(funded_low_minor), sum(outstanding_low_minor)" + from +
           "GROUP BY +from_party ORDER BY +from_party"},
      {"SELECT from_party, to_party, count(*)" + from +
           "GROUP BY from_party, to_party ORDER BY from_party, to_party",
       "SELECT +from_party, +to_party, count(*)" + from +
           "GROUP BY +from_party, +to_party ORDER BY +from_party, +to_party"},
  };
  for (const auto& [ordered, reference] : cases) {
    SCOPED_TRACE(ordered);
    EXPECT_FALSE(SortsItself(ledger, ordered));
    EXPECT_TRUE(SortsItself(ledger, reference));
    const auto rows = Rows(ledger, ordered);
    EXPECT_GT(rows.size(), 6u);
    EXPECT_EQ(rows, Rows(ledger, reference));
  }
  // Any other ORDER BY is SQLite's to sort.
  EXPECT_TRUE(SortsItself(ledger, "SELECT *" + from + "ORDER BY from_party, commitment_id"));
  EXPECT_TRUE(SortsItself(ledger, "SELECT *" + from + "ORDER BY from_party COLLATE NOCASE"));
}

}  // namespace
}  // namespace dealtrail
