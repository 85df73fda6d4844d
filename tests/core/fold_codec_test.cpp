// The fold's state as bytes (replay checkpoints): what is written reads back
// as the same fold, a blob cut short or grown is refused, and the older
// fixed-width format still reads.
#include <gtest/gtest.h>

#include <cstring>

#include "dealtrail/replay.h"
#include "test_support.h"

namespace dealtrail {
namespace {

const date::sys_days kAsOf = date::sys_days(date::year{2026} / 12 / 31);

// The reference fixture folded: pledges, equity, rounds, valuations,
// supersession, fundings, in two currencies' worth of amounts.
Fold FixtureFold() {
  auto read = test::ReadJsonl(test::ReadBytes(test::FixturePath()));
  EXPECT_TRUE(read.ok()) << read.status().ToString();
  std::vector<Event> events = read.ok() ? *read : std::vector<Event>();
  for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = static_cast<std::int64_t>(i) + 1;
  EXPECT_GT(events.size(), 10u);
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.date.first() < b.date.first(); });
  Fold fold;
  for (const Event& ev : events) EXPECT_TRUE(fold.Apply(ev).ok());
  return fold;
}

TEST(FoldCodec, WhatIsWrittenReadsBackAsTheSameFold) {
  const Fold fold = FixtureFold();
  const std::string bytes = fold.Serialize();
  EXPECT_EQ(bytes.substr(0, 4), "DTF2");
  auto read = Fold::Deserialize(bytes);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->Serialize(), bytes);
  EXPECT_EQ(read->events_applied(), fold.events_applied());
  auto want = fold.Finish(kAsOf);
  auto got = read->Finish(kAsOf);
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_FALSE(want->commitments.empty());
  EXPECT_TRUE(*got == *want);
}

TEST(FoldCodec, ABlobCutShortOrGrownIsRefused) {
  const std::string bytes = FixtureFold().Serialize();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(Fold::Deserialize(std::string_view(bytes).substr(0, n)).ok()) << n << " bytes";
  }
  EXPECT_FALSE(Fold::Deserialize(bytes + '\0').ok());
  std::string other = bytes;
  other[3] = '9';
  EXPECT_FALSE(Fold::Deserialize(other).ok()) << "an unknown format";
}

// Format 1, written field by field as its writer did (little-endian fixed
// widths): one commitment of 1,000.00 EUR between two parties.
class Format1 {
 public:
  template <typename T>
  Format1& Put(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out_.append(buf, sizeof(T));
    return *this;
  }
  Format1& Text(std::string_view s) {
    Put(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
    return *this;
  }
  Format1& Raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  std::string bytes() const { return out_; }

 private:
  std::string out_;
};

std::int32_t Day(int y, unsigned m, unsigned d) {
  return date::sys_days(date::year{y} / date::month{m} / date::day{d}).time_since_epoch().count();
}

TEST(FoldCodec, TheFixedWidthFormatStillReads) {
  Format1 f;
  f.Raw("DTF1").Put(Day(2026, 12, 31)).Put(std::int64_t{1}).Put(Day(2025, 1, 15));
  f.Put(std::uint32_t{4}).Text("c1").Text("acme").Text("globex");  // names 1..3
  f.Put(std::uint32_t{1});                                         // one commitment
  for (std::uint32_t sym : {1u, 2u, 3u, 0u, 0u, 0u}) f.Put(sym);   // id from to round by terms
  f.Raw("EUR");
  f.Put(std::uint8_t{0}).Put(std::uint8_t{2}).Put(std::uint8_t{0});  // kind, certainty, status
  f.Put(std::int64_t{100000}).Put(std::uint8_t{0});                  // stated, exact
  f.Put(std::uint8_t{0}).Put(std::int64_t{0}).Put(std::uint8_t{0});  // no conditional
  f.Put(std::int64_t{25000}).Put(std::uint8_t{1}).Put(std::int64_t{25000});  // funded
  f.Put(std::uint8_t{0});                                                    // exact
  f.Put(Day(2025, 1, 15)).Put(std::uint8_t{0});                              // opened, to the day
  f.Put(Day(2025, 3, 1)).Put(std::uint8_t{0});                               // last change
  f.Put(Day(2025, 3, 1));                                                    // latest end
  f.Put(std::int32_t{2}).Put(std::int64_t{7});                               // version, last seq
  f.Put(std::uint32_t{0}).Put(std::uint32_t{0}).Put(std::uint32_t{0});  // rounds, parties, notes

  auto read = Fold::Deserialize(f.bytes());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  auto positions = read->Finish(kAsOf);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  ASSERT_EQ(positions->commitments.size(), 1u);
  const CommitmentPosition& c = positions->commitments[0];
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.from, "acme");
  EXPECT_EQ(c.to, "globex");
  EXPECT_EQ(c.currency.code(), "EUR");
  EXPECT_EQ(c.stated.minor, 100000);
  EXPECT_EQ(c.funded.low, 25000);
  EXPECT_EQ(c.outstanding.low, 75000);
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(c.last_seq, 7);
  EXPECT_EQ(c.last_change.ToString(), "2025-03-01");
  // Written again, it is format 2, and reads back the same.
  const std::string again = read->Serialize();
  EXPECT_EQ(again.substr(0, 4), "DTF2");
  EXPECT_LT(again.size(), f.bytes().size());
  auto reread = Fold::Deserialize(again);
  ASSERT_TRUE(reread.ok());
  auto repositions = reread->Finish(kAsOf);
  ASSERT_TRUE(repositions.ok());
  EXPECT_TRUE(*repositions == *positions);
}

}  // namespace
}  // namespace dealtrail
