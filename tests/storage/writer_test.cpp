// The writer's cache of commitments' and rounds' histories: past its size it
// is emptied, and from then on every check must read what it needs again.
// A writer whose cache holds one or two histories must answer every event
// exactly as one that never empties its cache.
#include "storage/writer.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/ledger_impl.h"
#include "storage/schema.h"
#include "test_support.h"

namespace dealtrail {
namespace {

// The fixture, then the fixture again (already present), then events that
// reach back to commitments and rounds the cache has long since let go.
std::vector<Event> Events() {
  std::string text = test::ReadBytes(test::FixturePath());
  text += text;
  text +=
      R"({"id":"x-fund","kind":"fund","date":"2026-03-02","commitment":"nvidia-openai-2026-equity","amount":"$5B"})"
      "\n"
      R"({"id":"x-fund-again","kind":"fund","date":"2026-03-02","commitment":"nvidia-openai-2026-equity","amount":"$5B"})"
      "\n"
      R"({"id":"x-fund","kind":"fund","date":"2026-03-02","commitment":"nvidia-openai-2026-equity","amount":"$6B"})"
      "\n"
      R"({"id":"x-over","kind":"fund","date":"2026-03-03","commitment":"nvidia-openai-2026-equity","amount":"$25B"})"
      "\n"
      R"({"id":"x-retract","kind":"retract","date":"2026-03-04","retracts":"x-fund-again"})"
      "\n"
      R"({"id":"x-over-now","kind":"fund","date":"2026-03-05","commitment":"nvidia-openai-2026-equity","amount":"$25B"})"
      "\n"
      R"({"id":"x-loi","kind":"fund","date":"2026-03-05","commitment":"nvidia-openai-2025-loi","amount":"$1B"})"
      "\n"
      R"({"id":"x-reopen","kind":"open","date":"2026-03-05","commitment":"openai-amazon-2025-aws","commitment_kind":"purchase","from":"openai","to":"amazon","amount":"$1B"})"
      "\n"
      R"({"id":"x-never","kind":"fund","date":"2026-03-05","commitment":"never","amount":"$1B"})"
      "\n"
      R"({"id":"x-valuation","kind":"valuation","date":"2026-03-06","party":"openai","round":"openai-2026","amount":"$900B"})"
      "\n"
      R"({"id":"x-closed","kind":"round-revise","date":"2026-03-06","round":"openai-2024","target":"$7B"})"
      "\n"
      R"({"id":"x-supersede","kind":"supersede","date":"2026-03-07","commitment":"openai-amazon-2025-aws","by":"openai-amazon-2026-aws"})"
      "\n"
      R"({"id":"x-late","kind":"fund","date":"2026-03-08","commitment":"openai-amazon-2025-aws","amount":"$1B"})"
      "\n";
  auto events = test::ReadJsonl(text);
  EXPECT_TRUE(events.ok()) << events.status().ToString();
  return events.ok() ? *events : std::vector<Event>();
}

// Each event's outcome ("added N", "present N", or the error's code and
// field) and the chain head, from a writer keeping at most `max` histories.
std::vector<std::string> Outcomes(const std::vector<Event>& events, std::size_t max) {
  const test::TempDir dir;
  auto db = storage::CreateLedgerFile(dir.File("ledger.db"));
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return {};
  std::vector<std::string> outcomes;
  {
    SQLite::Transaction tx(**db);
    auto writer = storage::Writer::Start(**db, test::At("2026-11-29T12:00:00Z"), max);
    EXPECT_TRUE(writer.ok());
    if (!writer.ok()) return {};
    for (const Event& e : events) {
      auto r = (*writer)->Add(e, {});
      if (!r.ok()) {
        const StatusCode code = r.status().code();
        const std::string name = code == StatusCode::kConflict       ? "conflict"
                                 : code == StatusCode::kInvalidInput ? "invalid"
                                 : code == StatusCode::kNotFound     ? "not_found"
                                                                     : r.status().ToString();
        outcomes.push_back(name + " " + r.status().field());
      } else {
        outcomes.push_back((r->already_present ? "present " : "added ") + std::to_string(r->seq) +
                           " " + r->hash);
      }
    }
    EXPECT_TRUE((*writer)->Finish().ok());
    tx.commit();
  }
  return outcomes;
}

TEST(WriterCacheTest, AnEmptiedCacheAnswersAsAFullOne) {
  const std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 2 * 25 + 13u);
  const std::vector<std::string> full = Outcomes(events, storage::Writer::kMaxCachedHistories);
  ASSERT_EQ(full.size(), events.size());
  // What the events must come to, whatever the cache: the second copy of
  // the fixture is already present; the refusals are the ones below.
  for (std::size_t i = 25; i < 50; ++i) EXPECT_EQ(full[i].rfind("present ", 0), 0u) << full[i];
  // x-fund changed, x-over past the commitment, x-loi on a superseded one,
  // x-reopen of an open one, x-never, x-closed on a closed round, x-late on
  // a commitment just superseded.
  const std::vector<std::string> refused = {
      "conflict amount",      "invalid amount", "conflict commitment", "conflict commitment",
      "not_found commitment", "conflict round", "conflict commitment"};
  std::vector<std::string> got;
  for (std::size_t i = 50; i < full.size(); ++i) {
    if (full[i].rfind("added ", 0) != 0 && full[i].rfind("present ", 0) != 0) {
      got.push_back(full[i]);
    }
  }
  EXPECT_EQ(got, refused);
  for (std::size_t max : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    EXPECT_EQ(Outcomes(events, max), full) << "a cache of " << max;
  }
}

// An import's page cache follows its input between the bounds, and the
// connection's own size comes back afterwards.
TEST(ImportCacheTest, SizedToTheInputAndRestoredAfterwards) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("PRAGMA cache_size = -2000");
  auto cache_size = [&db] { return db.execAndGet("PRAGMA cache_size").getInt64(); };
  const std::int64_t kib = 1024;
  const std::int64_t mib = kib * kib;
  const std::vector<std::pair<std::int64_t, std::int64_t>> cases = {
      {0, -64 * kib},           // no input size: the floor
      {10 * mib, -64 * kib},    // a small file: the floor
      {200 * mib, -200 * kib},  // a KiB per KiB in between
      {5 * kib * mib, -mib},    // a huge file: the ceiling (1 GiB in KiB)
  };
  for (const auto& [input_bytes, expected] : cases) {
    {
      const storage::ImportCache cache(db, input_bytes);
      EXPECT_EQ(cache_size(), expected) << input_bytes;
    }
    EXPECT_EQ(cache_size(), -2000) << input_bytes;
  }
}

}  // namespace
}  // namespace dealtrail
