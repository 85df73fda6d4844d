// The running totals say what replay says. On the reference fixture and on
// seeded random histories recorded through a ledger (partial and back-dated
// dates, retractions, supersessions, refused events), every row's
// commitment and pair equal a fresh fold of the events up to that row, and
// every lane's state at the end of a day equals Ledger::Replay as of that
// day — at random known-at times, certainty floors and pairs.
//
// DEALTRAIL_TIMELINE_HISTORIES sets how many histories (default 40).
#include <gtest/gtest.h>

#include "cli/timeline_format.h"

#include <cstdlib>
#include <map>
#include <random>

#include "random_text.h"
#include "timeline/timeline_support.h"

namespace dealtrail {
namespace {

using test::TempDir;

class Generator : public test::RandomText {
 public:
  explicit Generator(std::uint64_t seed) : RandomText(seed) {}

  // A day anywhere in the histories' span.
  date::sys_days Day() {
    return date::sys_days(date::year{2024} / 1 / 1) + date::days{Int(0, 800)};
  }
  // The next event's date: mostly moving forward, sometimes back-dated.
  std::string Date() {
    cursor_ += date::days{Int(0, 20)};
    date::sys_days day = cursor_;
    if (Chance(15)) day -= date::days{Int(1, 90)};
    return DateText(date::year_month_day{day});
  }
  std::string Money(bool bounds) { return RandomText::Money("USD", 30, bounds); }

 private:
  date::sys_days cursor_ = date::sys_days(date::year{2024} / 1 / 1);
};

const std::vector<std::string> kParties = {"p0", "p1", "p2", "p3"};

// Records a random history; the ledger refuses some events, which leave no
// trace. Returns how many it took.
int Record(Ledger& ledger, test::SteppingClock& clock, Generator& g) {
  int recorded = 0;
  auto append = [&](std::vector<std::pair<std::string, std::string>> fields) {
    RawEvent raw;
    raw.fields = std::move(fields);
    auto e = EventFromRaw(raw);
    if (e.ok() && ledger.Append(*e).ok()) ++recorded;
    clock.Advance(std::chrono::hours(1));
  };
  for (const std::string& p : kParties) {
    append({{"kind", "party-add"}, {"date", "2024-01-01"}, {"party", p}, {"name", "P" + p}});
  }
  std::vector<std::string> commitments;
  std::vector<std::string> rounds;
  int next_id = 0;
  const int n = g.Int(15, 45);
  for (int i = 0; i < n; ++i) {
    const std::string id = "e" + std::to_string(next_id++);
    const int roll = g.Int(1, 100);
    if (roll <= 25 || commitments.empty()) {
      const std::string c = "c" + std::to_string(commitments.size());
      commitments.push_back(c);
      const int from = g.Int(0, 3);
      const int to = (from + g.Int(1, 3)) % 4;
      std::vector<std::pair<std::string, std::string>> f = {
          {"id", id},
          {"kind", "open"},
          {"date", g.Date()},
          {"commitment", c},
          {"commitment_kind", g.Chance(50) ? "equity" : "purchase"},
          {"from", kParties[static_cast<std::size_t>(from)]},
          {"to", kParties[static_cast<std::size_t>(to)]},
          {"amount", g.Money(true)},
          {"certainty", g.Certainty()}};
      if (g.Chance(15)) f.emplace_back("conditional", "up to 100M USD");
      if (!rounds.empty() && g.Chance(30)) f.emplace_back("round", g.Pick(rounds));
      append(f);
    } else if (roll <= 42) {
      std::vector<std::pair<std::string, std::string>> f = {
          {"id", id}, {"kind", "revise"}, {"date", g.Date()}, {"commitment", g.Pick(commitments)}};
      if (g.Chance(60)) f.emplace_back("amount", g.Money(true));
      if (g.Chance(50) || f.size() == 4) f.emplace_back("certainty", g.Certainty());
      append(f);
    } else if (roll <= 60) {
      append({{"id", id},
              {"kind", "fund"},
              {"date", g.Date()},
              {"commitment", g.Pick(commitments)},
              {"amount", std::to_string(g.Int(1, 20)) + "00M USD"}});
    } else if (roll <= 70) {
      append({{"id", id},
              {"kind", "supersede"},
              {"date", g.Date()},
              {"commitment", g.Pick(commitments)},
              {"by", g.Pick(commitments)},
              {"certainty", g.Certainty()}});
    } else if (roll <= 76) {
      static const std::vector<std::string> kEnds = {"cancel", "expire", "complete"};
      append({{"id", id},
              {"kind", g.Pick(kEnds)},
              {"date", g.Date()},
              {"commitment", g.Pick(commitments)}});
    } else if (roll <= 82) {
      const std::string r = "r" + std::to_string(rounds.size());
      rounds.push_back(r);
      append({{"id", id},
              {"kind", "round-open"},
              {"date", g.Date()},
              {"round", r},
              {"party", g.Pick(kParties)},
              {"target", g.Money(true)},
              {"certainty", g.Certainty()}});
    } else if (roll <= 86 && !rounds.empty()) {
      append({{"id", id},
              {"kind", "valuation"},
              {"date", g.Date()},
              {"party", g.Pick(kParties)},
              {"round", g.Pick(rounds)},
              {"amount", g.Money(false)},
              {"certainty", g.Certainty()}});
    } else if (next_id > 1) {
      append({{"id", id},
              {"kind", "retract"},
              {"date", g.Date()},
              {"retracts", "e" + std::to_string(g.Int(0, next_id - 2))}});
    }
  }
  return recorded;
}

// The commitment as a fold of everything up to a point shows it.
std::optional<CommitmentPosition> FindIn(const Positions& p, const std::string& id) {
  for (const CommitmentPosition& c : p.commitments) {
    if (c.id == id) return c;
  }
  return std::nullopt;
}

std::optional<PairPosition> FindPair(const Positions& p, const std::string& a,
                                     const std::string& b) {
  for (const PairPosition& pair : p.pairs) {
    if (pair.a == a && pair.b == b) return pair;
  }
  return std::nullopt;
}

// Checks one timeline against a fold of the same events, row by row.
void CheckRows(const Ledger& ledger, const TimelineQuery& query, const TimelineOptions& options,
               const Timeline& t, const std::string& where) {
  std::map<std::int64_t, const TimelineRow*> rows;  // by seq, retractions left out
  for (const TimelineRow& row : t.rows) {
    if (row.event.kind != EventKind::kRetract) rows[row.event.seq] = &row;
  }
  Fold reference(options.to.value_or(date::sys_days(date::year{2999} / 12 / 31)));
  PositionFilter filter;
  filter.min_certainty = options.min_certainty;
  TimelineQuery all;
  all.to = query.to;
  all.known_at = query.known_at;
  std::size_t checked = 0;
  const Status s = ledger.Timeline(all, [&](const TimelineEntry& entry) {
    if (entry.retracted_by.empty()) {
      Status applied = reference.Apply(entry.event);
      if (!applied.ok()) return applied;
    }
    auto it = rows.find(entry.event.seq);
    if (it == rows.end()) return Status{};
    auto p = reference.Finish(filter);
    if (!p.ok()) return p.status();
    const TimelineRow& row = *it->second;
    if (!row.commitment.empty()) {
      EXPECT_EQ(row.after, FindIn(*p, row.commitment)) << where << ", event " << entry.event.id;
    }
    if (options.pair) {
      const std::string a = std::min(options.pair->first, options.pair->second);
      const std::string b = std::max(options.pair->first, options.pair->second);
      EXPECT_EQ(row.pair, FindPair(*p, a, b)) << where << ", event " << entry.event.id;
    }
    ++checked;
    return Status{};
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Every row of an event was checked.
  EXPECT_EQ(checked, rows.size()) << where;
}

// Checks the lanes against Ledger::Replay at the end of `day`.
void CheckLanes(const Ledger& ledger, const Timeline& t, date::sys_days day, Timestamp known_at,
                Certainty floor, const std::string& where) {
  ReplayQuery q;
  q.as_of = day;
  q.known_at = known_at;
  q.filter.min_certainty = floor;
  auto replay = ledger.Replay(q);
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  std::map<std::string, const CommitmentPosition*> by_id;
  for (const CommitmentPosition& c : replay->commitments) by_id[c.id] = &c;
  std::size_t seen = 0;
  for (const Lane& lane : t.lanes) {
    const LaneSegment* at = nullptr;
    for (const LaneSegment& seg : lane.segments) {
      if (seg.start <= day) at = &seg;
    }
    auto it = by_id.find(lane.commitment);
    if (at == nullptr || !at->state) {
      EXPECT_TRUE(it == by_id.end())
          << where << ": " << lane.commitment << " on " << FormatDay(day);
      continue;
    }
    ASSERT_TRUE(it != by_id.end()) << where << ": " << lane.commitment << " on " << FormatDay(day);
    ++seen;
    CommitmentPosition mine = *at->state;
    mine.in_effect = it->second->in_effect;  // relative to the as-of date
    EXPECT_EQ(mine, *it->second) << where << ": " << lane.commitment << " on " << FormatDay(day);
  }
  EXPECT_EQ(seen, replay->commitments.size()) << where << " on " << FormatDay(day);
}

TEST(TimelineProperty, FixtureRowsEqualTheFoldAndLanesEqualReplay) {
  TempDir dir;
  auto ledger = test::FixtureLedger(dir.File("fixture.db"));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  for (Certainty floor : {Certainty::kRumored, Certainty::kAnnounced}) {
    TimelineQuery query;
    query.known_at = test::At(test::kGoldenNow);
    query.pair = std::pair<std::string, std::string>("nvidia", "openai");
    TimelineOptions options;
    options.min_certainty = floor;
    options.pair = query.pair;
    auto t = test::BuildTimeline(*ledger, query, options);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_FALSE(t->rows.empty());
    CheckRows(*ledger, query, options, *t, "fixture pair");

    TimelineQuery everything;
    everything.known_at = query.known_at;
    TimelineOptions plain;
    plain.min_certainty = floor;
    auto whole = test::BuildTimeline(*ledger, everything, plain);
    ASSERT_TRUE(whole.ok());
    for (const char* day : {"2024-10-02", "2025-10-01", "2025-11-10", "2026-02-04", "2026-02-20",
                            "2026-02-27", "2026-03-01"}) {
      CheckLanes(*ledger, *whole, *ParseDay(day), *query.known_at, floor, "fixture");
    }
  }
}

TEST(TimelineProperty, RandomHistoriesRowsEqualTheFoldAndLanesEqualReplay) {
  const char* env = std::getenv("DEALTRAIL_TIMELINE_HISTORIES");
  const int histories = env ? std::atoi(env) : 40;
  std::size_t rows_checked = 0;
  int recorded = 0;
  for (int seed = 1; seed <= histories; ++seed) {
    TempDir dir;
    const Timestamp start = test::At("2026-01-01T00:00:00Z");
    test::SteppingClock clock(start);
    auto ledger = Ledger::Create(dir.File("h.db"), clock.clock());
    ASSERT_TRUE(ledger.ok());
    Generator g(static_cast<std::uint64_t>(seed));
    recorded += Record(*ledger, clock, g);
    const std::int64_t hours =
        std::chrono::duration_cast<std::chrono::hours>(clock.now() - start).count();
    for (int point = 0; point < 8; ++point) {
      const std::string where = "seed " + std::to_string(seed) + ", point " + std::to_string(point);
      TimelineQuery query;
      // Mostly everything known and every certainty; sometimes less.
      query.known_at = g.Chance(60) ? clock.now()
                                    : start + std::chrono::hours(g.Int(0, static_cast<int>(hours)));
      TimelineOptions options;
      if (g.Chance(40)) options.min_certainty = static_cast<Certainty>(g.Int(1, 3));
      if (g.Chance(40)) {
        const int a = g.Int(0, 3);
        query.pair = std::pair(kParties[static_cast<std::size_t>(a)],
                               kParties[static_cast<std::size_t>((a + g.Int(1, 3)) % 4)]);
        options.pair = query.pair;
      }
      if (g.Chance(30)) {
        options.to = g.Day();
        query.to = options.to;
      }
      if (g.Chance(30)) options.from = g.Day();
      if (options.from && options.to && *options.to < *options.from) {
        std::swap(*options.from, *options.to);
        query.to = options.to;
      }
      // Now and then one commitment, round or party instead of a pair.
      if (!query.pair && g.Chance(30)) {
        const int which = g.Int(0, 2);
        if (which == 0) query.commitment = "c" + std::to_string(g.Int(0, 12));
        if (which == 1) query.round = "r" + std::to_string(g.Int(0, 3));
        if (which == 2) query.party = kParties[static_cast<std::size_t>(g.Int(0, 3))];
      }
      auto t = test::BuildTimeline(*ledger, query, options);
      ASSERT_TRUE(t.ok()) << where << ": " << t.status().ToString();
      rows_checked += t->rows.size();
      CheckRows(*ledger, query, options, *t, where);
      // The ledger reads only the selected events and the commitments their
      // supersessions involve; the timeline must be the one built from every
      // event in view.
      auto restricted = ledger->BuildTimeline(query, options);
      ASSERT_TRUE(restricted.ok()) << where << ": " << restricted.status().ToString();
      cli::TimelineRequest r;
      r.from = options.from;
      r.to = options.to;
      r.known_at = *query.known_at;
      r.min_certainty = options.min_certainty;
      r.party = query.party;
      r.pair = query.pair;
      r.commitment = query.commitment;
      r.round = query.round;
      EXPECT_EQ(cli::TimelineJson(*restricted, r, {}).dump(), cli::TimelineJson(*t, r, {}).dump())
          << where;
      const bool unfiltered =
          !query.pair && query.commitment.empty() && query.round.empty() && query.party.empty();
      if (unfiltered && !options.from && !options.to) {
        for (int k = 0; k < 3; ++k) {
          CheckLanes(*ledger, *t, g.Day(), *query.known_at, options.min_certainty, where);
        }
      }
      if (HasFailure()) return;
    }
  }
  // The histories are not mostly refused, and the timelines not mostly empty.
  EXPECT_GT(recorded, histories * 20);
  EXPECT_GT(rows_checked, static_cast<std::size_t>(histories) * 8 * 5);
}

}  // namespace
}  // namespace dealtrail
