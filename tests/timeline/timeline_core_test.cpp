// The timeline builder and the positions diff, on hand-written event
// streams: running totals, ranges, retractions, the certainty floor, lanes.
#include <gtest/gtest.h>

#include "dealtrail/timeline.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using Fields = std::initializer_list<std::pair<std::string, std::string>>;

// An event as the ledger would hand it over: with a seq and a recording time.
Event Ev(std::int64_t seq, Fields fields) {
  auto e = test::MakeEvent(fields);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  Event out = e.ok() ? *e : Event{};
  out.seq = seq;
  out.recorded_at = test::At("2026-03-01T00:00:00Z") + std::chrono::seconds(seq);
  if (out.id.empty()) out.id = "e" + std::to_string(seq);
  return out;
}

Event Open(std::int64_t seq, const std::string& id, const std::string& date,
           const std::string& amount, const std::string& certainty = "announced",
           const std::string& from = "nvidia", const std::string& to = "openai",
           const std::string& kind = "equity") {
  return Ev(seq, {{"id", "open-" + id},
                  {"kind", "open"},
                  {"date", date},
                  {"commitment", id},
                  {"commitment_kind", kind},
                  {"from", from},
                  {"to", to},
                  {"amount", amount},
                  {"certainty", certainty}});
}

Interval Usd(std::int64_t low_b, std::optional<std::int64_t> high_b) {
  constexpr std::int64_t kB = 100'000'000'000;  // $1B in cents
  return Interval{low_b * kB, high_b ? std::optional(*high_b * kB) : std::nullopt, Currency::Usd(),
                  false};
}

Timeline Build(const std::vector<Event>& events, TimelineOptions options = {},
               const std::vector<std::string>& hidden = {},
               const std::map<std::string, std::string>& retracted = {},
               const std::vector<Event>& retractions = {}) {
  TimelineBuilder b(std::move(options));
  for (const Event& r : retractions) b.AddRetraction(r);
  for (const Event& e : events) {
    auto it = retracted.find(e.id);
    const bool shown = std::find(hidden.begin(), hidden.end(), e.id) == hidden.end();
    EXPECT_TRUE(b.Add(e, it == retracted.end() ? "" : it->second, shown).ok());
  }
  auto t = b.Finish();
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Timeline{};
}

TEST(TimelineBuilder, RunningTotalsFollowEachEvent) {
  const std::vector<Event> events = {
      Open(1, "loi", "2025-09-22", "up to $100B", "announced", "nvidia", "openai", "pledge"),
      Ev(2, {{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "loi"}, {"amount", "$10B"}}),
      Open(3, "eq", "2026-02-03", "$30B"),
      Ev(4, {{"kind", "supersede"}, {"date", "2026-02-19"}, {"commitment", "loi"}, {"by", "eq"}}),
  };
  const Timeline t = Build(events);
  ASSERT_EQ(t.rows.size(), 4u);
  ASSERT_TRUE(t.rows[0].after);
  EXPECT_FALSE(t.rows[0].before);
  EXPECT_EQ(t.rows[0].after->committed, Usd(0, 100));
  EXPECT_EQ(t.rows[0].after->outstanding, Usd(0, 100));
  ASSERT_TRUE(t.rows[1].after);
  EXPECT_EQ(t.rows[1].after->funded, Usd(10, 10));
  EXPECT_EQ(t.rows[1].after->outstanding, Usd(0, 90));
  EXPECT_EQ(t.rows[1].before->funded, Usd(0, 0));
  EXPECT_EQ(t.rows[2].commitment, "eq");
  EXPECT_EQ(t.rows[3].after->status, CommitmentStatus::kSuperseded);
  EXPECT_EQ(t.rows[3].after->superseded_by, "eq");
  EXPECT_EQ(t.rows[3].after->outstanding, Usd(0, 0));
  EXPECT_EQ(t.rows[3].after->funded, Usd(10, 10));  // money paid stays paid
  for (const TimelineRow& row : t.rows) EXPECT_TRUE(row.applied) << row.event.id;
}

TEST(TimelineBuilder, EventsBeforeTheRangeCountButGetNoRow) {
  const std::vector<Event> events = {
      Open(1, "a", "2025-01-10", "$10B"),
      Ev(2, {{"kind", "fund"}, {"date", "2025-Q4"}, {"commitment", "a"}, {"amount", "$2B"}}),
      Ev(3, {{"kind", "fund"}, {"date", "2025-12-20"}, {"commitment", "a"}, {"amount", "$3B"}}),
      Ev(4, {{"kind", "fund"}, {"date", "2026-02-01"}, {"commitment", "a"}, {"amount", "$1B"}}),
  };
  TimelineOptions options;
  options.from = *ParseDay("2025-11-15");  // inside 2025-Q4: the quarter's event is kept
  options.to = *ParseDay("2025-12-31");
  const Timeline t = Build(events, options);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].event.seq, 2);
  EXPECT_EQ(t.rows[0].before->funded, Usd(0, 0));
  EXPECT_EQ(t.rows[1].event.seq, 3);
  EXPECT_EQ(t.rows[1].after->funded, Usd(5, 5));
  ASSERT_EQ(t.lanes.size(), 1u);
  EXPECT_EQ(t.lanes[0].rows, (std::vector<std::size_t>{0, 1}));
}

TEST(TimelineBuilder, RetractedEventIsShownMarkedAndChangesNothing) {
  const std::vector<Event> events = {
      Open(1, "a", "2026-01-10", "$10B"),
      Ev(2, {{"id", "bad-fund"},
             {"kind", "fund"},
             {"date", "2026-01-20"},
             {"commitment", "a"},
             {"amount", "$4B"}}),
      Ev(3, {{"kind", "fund"}, {"date", "2026-02-01"}, {"commitment", "a"}, {"amount", "$1B"}}),
  };
  Event retraction = Ev(
      4, {{"id", "oops"}, {"kind", "retract"}, {"date", "2026-01-25"}, {"retracts", "bad-fund"}});
  const Timeline t = Build(events, {}, {}, {{"bad-fund", "oops"}}, {retraction});
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[1].event.id, "bad-fund");
  EXPECT_EQ(t.rows[1].retracted_by, "oops");
  EXPECT_FALSE(t.rows[1].applied);
  EXPECT_EQ(t.rows[1].after->funded, Usd(0, 0));
  // The retraction sits at its own date, says what it took back, changes nothing.
  EXPECT_EQ(t.rows[2].event.kind, EventKind::kRetract);
  ASSERT_TRUE(t.rows[2].retracted);
  EXPECT_EQ(t.rows[2].retracted->id, "bad-fund");
  EXPECT_EQ(t.rows[2].commitment, "a");
  EXPECT_EQ(t.rows[2].after->funded, Usd(0, 0));
  EXPECT_EQ(t.rows[3].after->funded, Usd(1, 1));
  EXPECT_EQ(t.lanes[0].rows, (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(TimelineBuilder, RetractionOfAnEventNotShownGetsNoRow) {
  const std::vector<Event> events = {
      Open(1, "a", "2026-01-10", "$10B"),
      Open(2, "b", "2026-01-11", "$5B", "announced", "amazon", "openai"),
  };
  Event retraction =
      Ev(3, {{"id", "oops"}, {"kind", "retract"}, {"date", "2026-01-25"}, {"retracts", "open-b"}});
  const Timeline t = Build(events, {}, {"open-b"}, {{"open-b", "oops"}}, {retraction});
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].event.id, "open-a");
}

TEST(TimelineBuilder, RetractionDatedBeforeTheEventItRetractsStillGetsItsRow) {
  const std::vector<Event> events = {Open(1, "a", "2026-03-10", "$10B")};
  Event retraction =
      Ev(2, {{"id", "oops"}, {"kind", "retract"}, {"date", "2026-03-01"}, {"retracts", "open-a"}});
  const Timeline t = Build(events, {}, {}, {{"open-a", "oops"}}, {retraction});
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].event.kind, EventKind::kRetract);
  ASSERT_TRUE(t.rows[0].retracted);
  EXPECT_EQ(t.rows[0].commitment, "a");
  EXPECT_FALSE(t.rows[1].applied);
  EXPECT_TRUE(t.lanes.empty());  // never in view
}

TEST(TimelineBuilder, SupersessionByARetractedOpeningIsNotApplied) {
  const std::vector<Event> events = {
      Open(1, "a", "2026-01-10", "$10B"),
      Open(2, "b", "2026-01-11", "$5B"),
      Ev(3, {{"kind", "supersede"}, {"date", "2026-02-01"}, {"commitment", "a"}, {"by", "b"}}),
  };
  const Timeline t = Build(events, {}, {}, {{"open-b", "oops"}});
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_FALSE(t.rows[2].applied);
  EXPECT_EQ(t.rows[2].not_applied, "replacement b is not in this view");
  EXPECT_EQ(t.rows[2].after->status, CommitmentStatus::kOpen);
}

TEST(TimelineBuilder, CertaintyFloorKeepsSupersededOpenUntilTheReplacementClearsIt) {
  const std::vector<Event> events = {
      Open(1, "loi", "2025-09-22", "up to $100B", "announced", "nvidia", "openai", "pledge"),
      Open(2, "eq", "2026-02-03", "about $20B", "reported"),
      Ev(3, {{"kind", "supersede"},
             {"date", "2026-02-19"},
             {"commitment", "loi"},
             {"by", "eq"},
             {"certainty", "reported"}}),
      Ev(4, {{"kind", "revise"},
             {"date", "2026-02-27"},
             {"commitment", "eq"},
             {"amount", "$30B"},
             {"certainty", "announced"}}),
  };
  TimelineOptions options;
  options.min_certainty = Certainty::kAnnounced;
  options.pair = std::pair<std::string, std::string>("openai", "nvidia");
  const Timeline t = Build(events, options);
  // The reported opening is left out; the supersession shows the pledge open.
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].event.seq, 1);
  EXPECT_EQ(t.rows[1].event.seq, 3);
  EXPECT_EQ(t.rows[1].after->status, CommitmentStatus::kOpen);
  EXPECT_EQ(t.rows[2].event.seq, 4);
  EXPECT_FALSE(t.rows[2].before);  // not in view before it was announced
  EXPECT_EQ(t.rows[2].after->committed, Usd(30, 30));
  // The pair: the pledge up to $100B alone, then $30B once the pledge is replaced.
  ASSERT_TRUE(t.rows[1].pair);
  EXPECT_EQ(t.rows[1].pair->a, "nvidia");
  EXPECT_EQ(t.rows[1].pair->a_to_b.committed, (std::vector<Interval>{Usd(0, 100)}));
  EXPECT_EQ(t.rows[2].pair->a_to_b.committed, (std::vector<Interval>{Usd(30, 30)}));
  // The pledge's lane ends when the replacement becomes announced.
  ASSERT_EQ(t.lanes.size(), 2u);
  EXPECT_EQ(t.lanes[0].commitment, "loi");
  EXPECT_EQ(t.lanes[0].last.status, CommitmentStatus::kSuperseded);
  EXPECT_EQ(t.lanes[0].segments.back().start, *ParseDay("2026-02-27"));
}

TEST(TimelineBuilder, PairCarriesBothDirectionsAndTheNet) {
  const std::vector<Event> events = {
      Open(1, "eq", "2026-02-27", "$50B", "announced", "amazon", "openai"),
      Open(2, "aws", "2026-02-27", "$100B", "announced", "openai", "amazon", "purchase"),
  };
  TimelineOptions options;
  options.pair = std::pair<std::string, std::string>("openai", "amazon");
  const Timeline t = Build(events, options);
  ASSERT_EQ(t.rows.size(), 2u);
  ASSERT_TRUE(t.rows[1].pair);
  EXPECT_EQ(t.rows[1].pair->a, "amazon");
  EXPECT_EQ(t.rows[1].pair->b_to_a.committed, (std::vector<Interval>{Usd(100, 100)}));
  ASSERT_EQ(t.rows[1].pair->net.size(), 1u);
  constexpr std::int64_t kB = 100'000'000'000;
  EXPECT_EQ(t.rows[1].pair->net[0].low, -50 * kB);
  EXPECT_EQ(t.rows[1].pair->net[0].high, -50 * kB);
}

TEST(TimelineBuilder, LanesAreGroupedByPairAndLeaveOutWhatEndedBeforeTheRange) {
  const std::vector<Event> events = {
      Open(1, "old", "2024-10-02", "$1B"),
      Ev(2, {{"kind", "complete"}, {"date", "2024-10-03"}, {"commitment", "old"}}),
      Open(4, "loi", "2025-09-22", "up to $100B", "announced", "nvidia", "openai", "pledge"),
      Open(3, "aws", "2025-11", "about $38B", "announced", "openai", "amazon", "purchase"),
      Open(5, "eq", "2026-02-27", "$50B", "announced", "amazon", "openai"),
      Open(6, "later", "2026-04-01", "$1B"),
  };
  TimelineOptions options;
  options.from = *ParseDay("2025-01-01");
  options.to = *ParseDay("2026-03-31");
  const Timeline t = Build(events, options);
  std::vector<std::string> lanes;
  for (const Lane& lane : t.lanes) lanes.push_back(lane.commitment);
  // Nvidia⇄OpenAI opened first (2025-09-22), then Amazon⇄OpenAI (2025-11).
  EXPECT_EQ(lanes, (std::vector<std::string>{"loi", "aws", "eq"}));
}

TEST(TimelineBuilder, RefusesEventsOutOfEffectiveOrder) {
  TimelineBuilder b{TimelineOptions{}};
  ASSERT_TRUE(b.Add(Open(2, "a", "2026-01-10", "$1B"), "", true).ok());
  const Status s = b.Add(Open(1, "b", "2026-01-09", "$1B"), "", true);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
}

// ---------------------------------------------------------------------------

Positions FoldTo(const std::vector<Event>& events, const std::string& day) {
  const date::sys_days as_of = *ParseDay(day);
  Fold fold(as_of);
  for (const Event& e : events) {
    if (e.date.first() <= as_of) {
      EXPECT_TRUE(fold.Apply(e).ok());
    }
  }
  auto p = fold.Finish();
  EXPECT_TRUE(p.ok());
  return *p;
}

TEST(DiffPositions, ListsAddedRemovedAndChangedFields) {
  const std::vector<Event> events = {
      Open(1, "loi", "2025-09-22", "up to $100B", "announced", "nvidia", "openai", "pledge"),
      Open(2, "aws", "2025-11-03", "about $38B", "announced", "openai", "amazon", "purchase"),
      Open(3, "eq", "2026-02-03", "about $20B", "reported"),
      Ev(4, {{"kind", "revise"}, {"date", "2026-02-19"}, {"commitment", "eq"}, {"amount", "$30B"}}),
      Ev(5, {{"kind", "supersede"}, {"date", "2026-02-19"}, {"commitment", "loi"}, {"by", "eq"}}),
  };
  const PositionsDiff d = DiffPositions(FoldTo(events, "2026-02-01"), FoldTo(events, "2026-03-01"));
  ASSERT_EQ(d.commitments.size(), 2u);  // aws did not change
  EXPECT_EQ(d.commitments[0].change, ChangeKind::kChanged);
  EXPECT_EQ(d.commitments[0].after->id, "loi");
  EXPECT_EQ(d.commitments[0].fields, (std::vector<std::string>{"status", "outstanding"}));
  EXPECT_EQ(d.commitments[1].change, ChangeKind::kAdded);
  EXPECT_EQ(d.commitments[1].after->id, "eq");
  EXPECT_FALSE(d.commitments[1].before);
  ASSERT_EQ(d.pairs.size(), 1u);  // Nvidia⇄OpenAI: up to $100B -> $30B
  EXPECT_EQ(d.pairs[0].after->a, "nvidia");
  EXPECT_EQ(d.pairs[0].fields,
            (std::vector<std::string>{"a_to_b.committed", "a_to_b.outstanding", "net"}));

  const PositionsDiff back =
      DiffPositions(FoldTo(events, "2026-03-01"), FoldTo(events, "2026-02-01"));
  ASSERT_EQ(back.commitments.size(), 2u);
  EXPECT_EQ(back.commitments[1].change, ChangeKind::kRemoved);
  EXPECT_EQ(back.commitments[1].before->id, "eq");
  EXPECT_FALSE(back.commitments[1].after);
}

TEST(DiffPositions, SamePositionsHaveNoDifference) {
  const std::vector<Event> events = {Open(1, "a", "2026-01-10", "$10B")};
  EXPECT_TRUE(DiffPositions(FoldTo(events, "2026-02-01"), FoldTo(events, "2026-03-01")).empty());
}

TEST(DiffPositions, AValuationReportRecordedAgainIsNotAChangeButANewOneIs) {
  const Event round = Ev(1, {{"kind", "round-open"},
                             {"date", "2026-01-29"},
                             {"round", "r"},
                             {"party", "openai"},
                             {"post_money", "about $830B"}});
  Event same = round;
  same.seq = 7;  // the same report, recorded at another position
  const Positions a = FoldTo({round}, "2026-03-01");
  const Positions b = FoldTo({same}, "2026-03-01");
  EXPECT_TRUE(DiffPositions(a, b).empty());
  const Event report = Ev(8, {{"kind", "valuation"},
                              {"date", "2026-02-19"},
                              {"party", "openai"},
                              {"round", "r"},
                              {"amount", "about $850B"}});
  const PositionsDiff d = DiffPositions(a, FoldTo({round, report}, "2026-03-01"));
  ASSERT_EQ(d.rounds.size(), 1u);
  EXPECT_EQ(d.rounds[0].fields, (std::vector<std::string>{"post_money"}));
}

}  // namespace
}  // namespace dealtrail
