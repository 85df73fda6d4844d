// The views of schema/0002_views.sql, read by a plain SQLite connection (no
// dealtrail functions), against the engine: current_commitments equals
// positions_as_of(today) and current_rounds equals replay's rounds, on the
// fixture and on seeded random histories with retractions, partial and
// future dates; event_details and timeline agree with the events.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdlib>
#include <map>
#include <set>

#include "dealtrail/ledger.h"
#include "dealtrail/sql.h"
#include "random_text.h"
#include "sql_test_support.h"
#include "storage/sql_functions.h"

namespace dealtrail {
namespace {

date::sys_days Today() { return date::floor<date::days>(std::chrono::system_clock::now()); }

// A value as text for comparisons ("NULL" for NULL).
std::string Text(const SQLite::Column& c) { return c.isNull() ? "NULL" : c.getString(); }
std::string Text(const SqlValue& v) {
  switch (v.type) {
    case SqlType::kNull:
      return "NULL";
    case SqlType::kInteger:
      return std::to_string(v.integer);
    default:
      return v.text;
  }
}

// Rows of `sql` on a plain connection, every value as text.
std::vector<std::vector<std::string>> PlainRows(const std::string& ledger, const std::string& sql) {
  SQLite::Database db(ledger, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  std::vector<std::vector<std::string>> rows;
  while (q.executeStep()) {
    std::vector<std::string> row;
    for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(Text(q.getColumn(i)));
    rows.push_back(std::move(row));
  }
  return rows;
}

// current_commitments (plain SQL, as of today) and positions_as_of(today)
// (the engine), row by row and column by column.
void ExpectCurrentCommitmentsEqualReplay(const std::string& ledger) {
  const auto view = PlainRows(ledger, "SELECT * FROM current_commitments ORDER BY commitment_id");
  std::string columns;
  for (const std::string& c : storage::PositionsColumns()) {
    columns += (columns.empty() ? "" : ", ") + c;
  }
  auto engine = RunReadOnlySql(ledger, "SELECT " + columns + " FROM positions_as_of('" +
                                           FormatDay(Today()) + "') ORDER BY commitment_id");
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  ASSERT_EQ(view.size(), engine->rows.size());
  for (std::size_t r = 0; r < view.size(); ++r) {
    ASSERT_EQ(view[r].size(), engine->rows[r].size());
    for (std::size_t c = 0; c < view[r].size(); ++c) {
      EXPECT_EQ(view[r][c], Text(engine->rows[r][c]))
          << view[r][0] << " column " << storage::PositionsColumns()[c];
    }
  }
}

// current_rounds against replay's rounds as of today.
void ExpectCurrentRoundsEqualReplay(const std::string& ledger) {
  const auto view = PlainRows(
      ledger,
      "SELECT round_id, party_id, status, certainty, currency, target_minor, raised_low_minor, "
      "raised_high_minor, unallocated_low_minor, unallocated_high_minor, pre_money_minor, "
      "post_money_minor, approximate, participants, coalesce(participant_ids, ''), opened, "
      "in_effect, coalesce(terms, '') FROM current_rounds ORDER BY opened_date, round_id");
  auto opened = Ledger::Open(ledger, SystemClock(), true);
  ASSERT_TRUE(opened.ok());
  auto positions = opened->Replay({});
  ASSERT_TRUE(positions.ok());
  ASSERT_EQ(view.size(), positions->rounds.size());
  for (std::size_t i = 0; i < view.size(); ++i) {
    const RoundPosition& r = positions->rounds[i];
    SCOPED_TRACE(r.id);
    std::optional<Currency> cur;
    if (r.target) cur = r.target->currency;
    for (const ValuationView* v : {&r.pre_money, &r.post_money}) {
      if (!cur && v->latest) cur = v->latest->amount.currency;
    }
    std::optional<Interval> raised;
    if (cur) {
      raised = Interval::Zero(*cur);
      for (const Interval& x : r.raised) {
        if (x.currency == *cur) raised = x;
      }
    }
    bool approximate = (r.target && r.target->bound == Bound::kAbout) ||
                       (raised && raised->approximate) ||
                       (r.unallocated && r.unallocated->approximate);
    for (const ValuationView* v : {&r.pre_money, &r.post_money}) {
      approximate = approximate || (v->latest && v->latest->amount.bound == Bound::kAbout);
    }
    std::string participants;
    for (const std::string& p : r.participants)
      participants += (participants.empty() ? "" : ",") + p;
    auto minor = [](const std::optional<std::int64_t>& m) {
      return m ? std::to_string(*m) : std::string("NULL");
    };
    const std::vector<std::string> want = {
        r.id,
        r.party,
        r.closed ? "closed" : "open",
        std::string(CertaintyName(r.certainty)),
        cur ? std::string(cur->code()) : "NULL",
        r.target ? std::to_string(r.target->minor) : "NULL",
        raised ? std::to_string(raised->low) : "NULL",
        raised ? minor(raised->high) : "NULL",
        r.unallocated ? std::to_string(r.unallocated->low) : "NULL",
        r.unallocated ? minor(r.unallocated->high) : "NULL",
        r.pre_money.latest ? std::to_string(r.pre_money.latest->amount.minor) : "NULL",
        r.post_money.latest ? std::to_string(r.post_money.latest->amount.minor) : "NULL",
        approximate ? "1" : "0",
        std::to_string(r.participants.size()),
        participants,
        r.opened.ToString(),
        std::string(InEffectName(r.in_effect)),
        r.terms,
    };
    EXPECT_EQ(view[i], want);
  }
}

// timeline against Ledger::Timeline: the same events in the same order, the
// commitment's parties, and the running figures recomputed here (retracted
// events shown, not counted).
void ExpectTimelineFollowsTheEngine(const std::string& ledger) {
  auto opened = Ledger::Open(ledger, SystemClock(), true);
  ASSERT_TRUE(opened.ok());
  std::vector<std::vector<std::string>> want;
  std::map<std::string, std::int64_t> funded;
  std::map<std::string, std::string> committed;
  std::map<std::string, std::pair<std::string, std::string>> parties;
  auto expect = [&](const TimelineEntry& t) {
    const Event& e = t.event;
    const bool in_force = t.retracted_by.empty();
    const bool states = e.kind == EventKind::kOpen || e.kind == EventKind::kRevise;
    if (e.kind == EventKind::kOpen) parties[e.commitment] = {e.from, e.to};
    if (in_force && states && e.amount) committed[e.commitment] = CanonicalAmount(*e.amount);
    if (in_force && e.kind == EventKind::kFund) funded[e.commitment] += e.amount->minor;
    const std::string& c = e.commitment;
    const bool of_commitment = !c.empty();
    want.push_back(
        {std::to_string(e.seq), std::string(KindName(e.kind)),
         of_commitment ? parties[c].first : "NULL", of_commitment ? parties[c].second : "NULL",
         of_commitment && committed.count(c) ? committed[c] : "NULL",
         of_commitment ? std::to_string(funded[c]) : "NULL", in_force ? "NULL" : t.retracted_by});
    return Status{};
  };
  ASSERT_TRUE(opened->Timeline({}, expect).ok());
  const auto rows = PlainRows(ledger,
                              "SELECT seq, kind, from_party, to_party, committed, funded_minor, "
                              "retracted_by FROM timeline");
  EXPECT_EQ(rows, want);
}

class FixtureViews : public testing::Test {
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
  static test::TempDir* dir_;
};
test::TempDir* FixtureViews::dir_ = nullptr;

TEST_F(FixtureViews, CurrentCommitmentsEqualPositionsAsOfToday) {
  ExpectCurrentCommitmentsEqualReplay(Ledger());
}

TEST_F(FixtureViews, CurrentCommitmentsHasTheColumnsOfPositionsAsOf) {
  std::vector<std::string> names;
  for (const auto& row :
       PlainRows(Ledger(), "SELECT name FROM pragma_table_info('current_commitments')")) {
    names.push_back(row[0]);
  }
  EXPECT_EQ(names, storage::PositionsColumns());
}

TEST_F(FixtureViews, CurrentRoundsEqualReplay) { ExpectCurrentRoundsEqualReplay(Ledger()); }

TEST_F(FixtureViews, RoundParticipantsAreTheRoundsCommitments) {
  const auto rows = PlainRows(Ledger(),
                              "SELECT round_id, commitment_id, from_name FROM round_participants "
                              "ORDER BY round_id, opened_date, commitment_id");
  const std::vector<std::vector<std::string>> want = {
      {"openai-2024", "nvidia-openai-2024-stake", "Nvidia"},
      {"openai-2026", "nvidia-openai-2026-equity", "Nvidia"},
      {"openai-2026", "amazon-openai-2026-equity", "Amazon"},
      {"openai-2026", "softbank-openai-2026-equity", "SoftBank Group"},
  };
  EXPECT_EQ(rows, want);
}

TEST_F(FixtureViews, EventDetailsSayWhatEachEventSays) {
  auto opened = Ledger::Open(Ledger(), SystemClock(), true);
  ASSERT_TRUE(opened.ok());
  const auto rows = PlainRows(
      Ledger(),
      "SELECT seq, event_id, effective, amount, conditional, target, pre_money, post_money, "
      "coalesce(party_name, ''), coalesce(from_name, ''), coalesce(to_name, '') "
      "FROM event_details ORDER BY seq");
  auto names = opened->Parties();
  ASSERT_TRUE(names.ok());
  auto name = [&](const std::string& id) {
    for (const PartyInfo& p : *names) {
      if (p.id == id) return p.name;
    }
    return std::string();
  };
  std::size_t i = 0;
  const Status s = opened->ForEachEvent([&](const Event& e) {
    EXPECT_LT(i, rows.size());
    if (i >= rows.size()) return Status{};
    const auto& row = rows[i++];
    auto amount = [](const std::optional<Amount>& a) {
      return a ? CanonicalAmount(*a) : std::string("NULL");
    };
    const std::vector<std::string> want = {std::to_string(e.seq),
                                           e.id,
                                           e.date.ToString(),
                                           amount(e.amount),
                                           amount(e.conditional),
                                           amount(e.target),
                                           amount(e.pre_money),
                                           amount(e.post_money),
                                           name(e.party),
                                           name(e.from),
                                           name(e.to)};
    EXPECT_EQ(row, want);
    return Status{};
  });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(i, rows.size());
}

TEST_F(FixtureViews, TextColumnsEqualMoneyOfTheMinorColumns) {
  auto r = RunReadOnlySql(
      Ledger(),
      "SELECT count(*) FROM event_details WHERE amount_minor IS NOT NULL AND amount_bound = "
      "'exact' AND amount IS NOT money(amount_minor, currency)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows[0][0].integer, 0);
  r = RunReadOnlySql(Ledger(),
                     "SELECT count(*) FROM current_commitments WHERE stated_bound = 'exact' AND "
                     "stated IS NOT money(stated_minor, currency)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows[0][0].integer, 0);
}

TEST_F(FixtureViews, TimelineFollowsTheEngineTimeline) { ExpectTimelineFollowsTheEngine(Ledger()); }

TEST_F(FixtureViews, IsoCurrenciesIsTheBuiltInTable) {
  const auto rows =
      PlainRows(Ledger(), "SELECT code, exponent, minor_per_major FROM iso_currencies");
  std::set<std::string> in_sql;
  for (const auto& row : rows) {
    auto c = Currency::FromCode(row[0]);
    ASSERT_TRUE(c.has_value()) << row[0];
    EXPECT_EQ(row[1], std::to_string(c->exponent())) << row[0];
    EXPECT_EQ(row[2], std::to_string(c->MinorPerMajor())) << row[0];
    in_sql.insert(row[0]);
  }
  // Every code the C++ table knows is in the SQL table.
  std::string code = "AAA";
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      for (char c = 'A'; c <= 'Z'; ++c) {
        code = {a, b, c};
        if (Currency::FromCode(code)) {
          EXPECT_TRUE(in_sql.count(code)) << code;
        }
      }
    }
  }
}

// Seeded random histories: opens, revisions, fundings, supersessions, ends,
// rounds, valuations and retractions, dated around today (some in the
// future, some partial), so the views meet what replay meets.
class History {
 public:
  explicit History(std::uint64_t seed) : gen_(seed) {}

  void Build(Ledger& ledger, test::SteppingClock& clock) {
    for (int p = 0; p < 4; ++p) {
      Append(ledger, {{"kind", "party-add"},
                      {"date", "2020-01-01"},
                      {"party", "p" + std::to_string(p)},
                      {"name", "Party " + std::to_string(p)}});
    }
    const int steps = gen_.Int(15, 70);
    for (int i = 0; i < steps; ++i) {
      clock.Advance(std::chrono::hours(gen_.Int(1, 48)));
      Append(ledger, Next());
    }
  }

 private:
  // A day from two years ago to four months ahead, sometimes as a month,
  // quarter or year (which may end after today).
  std::string Date() {
    return gen_.DateText(
        date::year_month_day{Today() - date::days{730} + date::days{gen_.Int(0, 850)}});
  }
  // A multiple of 100M up to `max` hundred millions.
  std::string Money(const std::string& currency, int max, bool bounds) {
    return gen_.Money(currency, max / 10, bounds);
  }

  std::vector<std::pair<std::string, std::string>> Next() {
    std::vector<std::pair<std::string, std::string>> f = {{"id", "e" + std::to_string(next_++)},
                                                          {"date", Date()}};
    auto commitment = [&] {
      return commitments_.empty() ? std::string("c0") : gen_.Pick(commitments_);
    };
    const int roll = gen_.Int(1, 100);
    if (roll <= 22 || commitments_.empty()) {
      const std::string c = "c" + std::to_string(commitments_.size());
      const std::string currency = gen_.Chance(85) ? "USD" : (gen_.Chance(50) ? "EUR" : "JPY");
      const int from = gen_.Int(0, 3);
      f.insert(f.end(), {{"kind", "open"},
                         {"commitment", c},
                         {"commitment_kind", gen_.Chance(50) ? "equity" : "pledge"},
                         {"from", "p" + std::to_string(from)},
                         {"to", "p" + std::to_string((from + gen_.Int(1, 3)) % 4)},
                         {"amount", Money(currency, 400, true)},
                         {"certainty", gen_.Certainty()}});
      if (gen_.Chance(25)) f.emplace_back("conditional", Money(currency, 40, gen_.Chance(30)));
      if (gen_.Chance(40) && !rounds_.empty()) f.emplace_back("round", gen_.Pick(rounds_));
      if (gen_.Chance(30)) f.emplace_back("terms", "terms of " + c);
      commitments_.push_back(c);
      currencies_.push_back(currency);
    } else if (roll <= 38) {
      f.insert(f.end(), {{"kind", "revise"}, {"commitment", commitment()}});
      const std::string& currency = CurrencyOf(f.back().second);
      if (gen_.Chance(60)) f.emplace_back("amount", Money(currency, 400, true));
      if (gen_.Chance(40)) f.emplace_back("certainty", gen_.Certainty());
      if (gen_.Chance(15)) f.emplace_back("conditional", Money(currency, 30, false));
      if (gen_.Chance(20) && !rounds_.empty()) f.emplace_back("round", gen_.Pick(rounds_));
      if (gen_.Chance(25) || f.size() == 4) f.emplace_back("terms", "revised " + f[0].second);
    } else if (roll <= 56) {
      f.insert(f.end(), {{"kind", "fund"}, {"commitment", commitment()}});
      f.emplace_back("amount", Money(CurrencyOf(f[3].second), 60, gen_.Chance(25)));
    } else if (roll <= 63) {
      f.insert(f.end(),
               {{"kind", "supersede"}, {"commitment", commitment()}, {"by", commitment()}});
      if (gen_.Chance(50)) f.emplace_back("certainty", gen_.Certainty());
    } else if (roll <= 71) {
      static const std::vector<std::string> kEnds = {"cancel", "expire", "complete"};
      f.insert(f.end(), {{"kind", gen_.Pick(kEnds)}, {"commitment", commitment()}});
    } else if (roll <= 78) {
      const std::string r = "r" + std::to_string(rounds_.size());
      f.insert(f.end(), {{"kind", "round-open"},
                         {"round", r},
                         {"party", "p" + std::to_string(gen_.Int(0, 3))},
                         {"certainty", gen_.Certainty()}});
      if (gen_.Chance(70)) f.emplace_back("target", Money("USD", 900, true));
      if (gen_.Chance(40)) f.emplace_back("post_money", Money("USD", 9000, true));
      if (gen_.Chance(30)) f.emplace_back("terms", "round " + r);
      rounds_.push_back(r);
    } else if (roll <= 85 && !rounds_.empty()) {
      const bool close = gen_.Chance(25);
      f.insert(f.end(),
               {{"kind", close ? "round-close" : "round-revise"}, {"round", gen_.Pick(rounds_)}});
      if (!close) {
        if (gen_.Chance(60)) f.emplace_back("pre_money", Money("USD", 9000, true));
        if (gen_.Chance(40)) f.emplace_back("target", Money("USD", 900, true));
        if (gen_.Chance(40) || f.size() == 4) f.emplace_back("certainty", gen_.Certainty());
      }
    } else if (roll <= 91) {
      f.insert(f.end(), {{"kind", "valuation"},
                         {"party", "p" + std::to_string(gen_.Int(0, 3))},
                         {"amount", Money(gen_.Chance(90) ? "USD" : "EUR", 9000, true)},
                         {"basis", gen_.Chance(50) ? "pre" : "post"},
                         {"certainty", gen_.Certainty()}});
      if (gen_.Chance(70) && !rounds_.empty()) f.emplace_back("round", gen_.Pick(rounds_));
    } else {
      f.insert(f.end(),
               {{"kind", "retract"}, {"retracts", "e" + std::to_string(gen_.Int(0, next_ - 2))}});
    }
    return f;
  }

  const std::string& CurrencyOf(const std::string& commitment) {
    for (std::size_t i = 0; i < commitments_.size(); ++i) {
      if (commitments_[i] == commitment) return currencies_[i];
    }
    static const std::string kUsd = "USD";
    return kUsd;
  }

  static void Append(Ledger& ledger, std::vector<std::pair<std::string, std::string>> fields) {
    RawEvent raw;
    raw.fields = std::move(fields);
    auto e = EventFromRaw(raw);
    if (e.ok()) (void)ledger.Append(*e);  // the ledger refuses some: they leave no trace
  }

  test::RandomText gen_;
  int next_ = 0;
  std::vector<std::string> commitments_;
  std::vector<std::string> currencies_;
  std::vector<std::string> rounds_;
};

// DEALTRAIL_VIEW_HISTORIES=N runs N histories instead of 40.
TEST(RandomHistoryViews, ViewsEqualTheEngine) {
  const char* env = std::getenv("DEALTRAIL_VIEW_HISTORIES");
  const std::uint64_t histories = env ? std::strtoull(env, nullptr, 10) : 40;
  int commitments = 0;
  int rounds = 0;
  for (std::uint64_t seed = 1; seed <= histories && !testing::Test::HasFailure(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::TempDir dir;
    const std::string path = dir.File("ledger.db");
    {
      // Built in memory (no fsync per event), then written out whole.
      test::SteppingClock clock(test::At("2024-01-01T00:00:00Z"));
      auto ledger = Ledger::Create(":memory:", clock.clock());
      ASSERT_TRUE(ledger.ok());
      History(seed).Build(*ledger, clock);
      ASSERT_TRUE(ledger->Backup(path).ok());
    }
    ExpectCurrentCommitmentsEqualReplay(path);
    ExpectCurrentRoundsEqualReplay(path);
    ExpectTimelineFollowsTheEngine(path);
    commitments += static_cast<int>(PlainRows(path, "SELECT 1 FROM current_commitments").size());
    rounds += static_cast<int>(PlainRows(path, "SELECT 1 FROM current_rounds").size());
  }
  // The histories must hold enough to compare.
  EXPECT_GT(commitments, 150);
  EXPECT_GT(rounds, 30);
}

}  // namespace
}  // namespace dealtrail
