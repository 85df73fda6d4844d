// Property test: on seeded random histories (opens, revisions, fundings,
// supersessions, cancellations, retractions, rounds, valuations, partial and
// back-dated dates), replay through the ledger equals the reference model at
// random (as_of, known_at) points and filters.
//
// DEALTRAIL_PROPERTY_HISTORIES sets how many histories (default 1000);
// DEALTRAIL_PROPERTY_SEED=N replays one failing seed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <span>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "dealtrail/ledger.h"
#include "random_text.h"
#include "reference_fold.h"
#include "storage/checkpoint_builder.h"
#include "storage/checkpoints.h"
#include "storage/schema.h"
#include "storage/writer.h"
#include "test_support.h"

namespace dealtrail {
namespace {

class HistoryGenerator : public test::RandomText {
 public:
  explicit HistoryGenerator(std::uint64_t seed) : RandomText(seed) {}

  std::string Date() {
    const date::sys_days start = date::sys_days(date::year{2024} / 1 / 1);
    return DateText(date::year_month_day{start + date::days{Int(0, 3 * 365)}});
  }

  // One random event as import fields; refers to ids that may or may not
  // exist or be in a state that allows it, so the ledger refuses some.
  std::vector<std::pair<std::string, std::string>> Next() {
    std::vector<std::pair<std::string, std::string>> f;
    const std::string id = "e" + std::to_string(next_event_++);
    f.emplace_back("id", id);
    f.emplace_back("date", Date());
    const int roll = Int(1, 100);
    auto commitment = [&] { return commitments_.empty() ? "c0" : Pick(commitments_); };
    if (roll <= 20 || commitments_.empty()) {
      const std::string c = "c" + std::to_string(commitments_.size());
      const std::string currency = Chance(85) ? "USD" : "EUR";
      const int from = Int(0, 4);
      const int to = (from + Int(1, 4)) % 5;
      f.insert(f.end(), {{"kind", "open"},
                         {"commitment", c},
                         {"commitment_kind", Chance(50) ? "equity" : "pledge"},
                         {"from", "p" + std::to_string(from)},
                         {"to", "p" + std::to_string(to)},
                         {"amount", Money(currency, 50, true)},
                         {"certainty", Certainty()}});
      if (Chance(20)) f.emplace_back("conditional", Money(currency, 5, false));
      if (Chance(30) && !rounds_.empty()) f.emplace_back("round", Pick(rounds_));
      commitments_.push_back(c);
    } else if (roll <= 35) {
      f.insert(f.end(), {{"kind", "revise"}, {"commitment", commitment()}});
      if (Chance(60)) f.emplace_back("amount", Money(Chance(90) ? "USD" : "EUR", 50, true));
      if (Chance(40)) f.emplace_back("certainty", Certainty());
      if (Chance(15)) f.emplace_back("conditional", Money("USD", 3, false));
      if (Chance(15) && !rounds_.empty()) f.emplace_back("round", Pick(rounds_));
      if (Chance(20) || f.size() == 4) f.emplace_back("terms", "revised " + id);
    } else if (roll <= 55) {
      f.insert(f.end(), {{"kind", "fund"},
                         {"commitment", commitment()},
                         {"amount", Money(Chance(92) ? "USD" : "EUR", 8, Chance(20))}});
    } else if (roll <= 63) {
      f.insert(f.end(),
               {{"kind", "supersede"}, {"commitment", commitment()}, {"by", commitment()}});
    } else if (roll <= 72) {
      static const std::vector<std::string> kEnds = {"cancel", "expire", "complete"};
      f.insert(f.end(), {{"kind", Pick(kEnds)}, {"commitment", commitment()}});
    } else if (roll <= 78) {
      const std::string r = "r" + std::to_string(rounds_.size());
      f.insert(f.end(), {{"kind", "round-open"},
                         {"round", r},
                         {"party", "p" + std::to_string(Int(0, 4))},
                         {"certainty", Certainty()}});
      if (Chance(70)) f.emplace_back("target", Money("USD", 100, true));
      if (Chance(50)) f.emplace_back("post_money", Money("USD", 900, true));
      rounds_.push_back(r);
    } else if (roll <= 84 && !rounds_.empty()) {
      f.insert(f.end(),
               {{"kind", Chance(80) ? "round-revise" : "round-close"}, {"round", Pick(rounds_)}});
      if (f[2].second == "round-revise") {
        f.emplace_back("pre_money", Money("USD", 900, true));
        if (Chance(50)) f.emplace_back("certainty", Certainty());
      }
    } else if (roll <= 90) {
      f.insert(f.end(), {{"kind", "valuation"},
                         {"party", "p" + std::to_string(Int(0, 4))},
                         {"amount", Money("USD", 900, true)},
                         {"basis", Chance(50) ? "pre" : "post"},
                         {"certainty", Certainty()},
                         {"source", Chance(50) ? "Reuters" : "FT"}});
      if (Chance(70) && !rounds_.empty()) f.emplace_back("round", Pick(rounds_));
    } else {
      f.insert(f.end(),
               {{"kind", "retract"}, {"retracts", "e" + std::to_string(Int(0, next_event_ - 2))}});
    }
    return f;
  }

 private:
  int next_event_ = 0;
  std::vector<std::string> commitments_;
  std::vector<std::string> rounds_;
};

std::set<std::string> IgnoredIds(const std::vector<std::string>& notes) {
  std::set<std::string> ids;
  for (const std::string& n : notes) ids.insert(n.substr(0, n.find(':')));
  return ids;
}

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

// Random histories per run: 1,000, or 250 under the sanitizers (where each
// takes several times longer; the plain build runs all of them in CI too).
int Histories() { return EnvInt("DEALTRAIL_PROPERTY_HISTORIES", test::Sanitized() ? 250 : 1000); }

// The five parties every history's events name (p0 … p4).
void AddParties(Ledger& ledger) {
  for (int p = 0; p < 5; ++p) {
    auto e = test::MakeEvent({{"kind", "party-add"},
                              {"date", "2024-01-01"},
                              {"party", "p" + std::to_string(p)},
                              {"name", "Party " + std::to_string(p)}});
    EXPECT_TRUE(e.ok() && ledger.Append(*e).ok());
  }
}

// Every event of the ledger, in seq order.
std::vector<Event> AllEvents(const Ledger& ledger) {
  std::vector<Event> all;
  EXPECT_TRUE(ledger
                  .ForEachEvent([&](const Event& e) {
                    all.push_back(e);
                    return Status{};
                  })
                  .ok());
  return all;
}

// Builds one random history and checks replay against the reference at
// random points. Returns the number of comparisons made.
int CheckSeed(std::uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed) +
               " (rerun with DEALTRAIL_PROPERTY_SEED=" + std::to_string(seed) + ")");
  HistoryGenerator gen(seed);
  test::SteppingClock clock(test::At("2024-01-01T00:00:00Z"));
  auto ledger = Ledger::Create(":memory:", clock.clock());
  EXPECT_TRUE(ledger.ok());
  if (!ledger.ok()) return 0;
  AddParties(*ledger);
  const int steps = gen.Int(10, 60);
  for (int i = 0; i < steps; ++i) {
    clock.Advance(std::chrono::hours(gen.Int(1, 72)));
    RawEvent raw;
    raw.fields = gen.Next();
    auto e = EventFromRaw(raw);
    if (!e.ok()) continue;     // e.g. a conditional larger than the amount
    (void)ledger->Append(*e);  // refused events are part of the test: they leave no trace
    // Checkpoints every few events, rebuilt now and then: later back-dated
    // events and retractions must invalidate the ones they affect.
    if (gen.Chance(8)) {
      EXPECT_TRUE(ledger->RebuildCheckpoints(gen.Int(1, 6)).ok());
    }
  }
  const std::vector<Event> all = AllEvents(*ledger);

  // Stored checkpoints must equal a fresh replay to their day (verify checks).
  auto verified = ledger->Verify();
  EXPECT_TRUE(verified.ok() && verified->ok())
      << (verified.ok() && !verified->ok() ? verified->problems.front() : "");

  int compared = 0;
  const std::vector<std::string> parties = {"", "", "p0", "p1", "p2"};
  for (int point = 0; point < 12; ++point) {
    const date::sys_days as_of =
        date::sys_days(date::year{2023} / 12 / 1) + date::days{gen.Int(0, 3 * 366 + 60)};
    const Timestamp known_at =
        point % 3 == 0 ? clock.now()
                       : all[static_cast<std::size_t>(gen.Int(0, static_cast<int>(all.size()) - 1))]
                             .recorded_at;
    PositionFilter filter;
    if (point % 4 == 1) filter.min_certainty = static_cast<Certainty>(gen.Int(0, 4));
    filter.party = gen.Pick(parties);
    ReplayQuery q{as_of, known_at, filter, /*use_checkpoints=*/point % 2 == 0};
    auto engine = ledger->Replay(q);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    if (!engine.ok()) return compared;
    const reference::Replayed expected = reference::Replay(all, as_of, known_at, filter);
    Positions got = *engine;
    EXPECT_EQ(IgnoredIds(got.ignored), expected.ignored) << "as_of " << FormatDay(as_of);
    got.ignored.clear();
    EXPECT_TRUE(got == expected.positions)
        << "as_of " << FormatDay(as_of) << " known_at " << FormatTimestamp(known_at) << " party '"
        << filter.party << "' min " << CertaintyName(filter.min_certainty);
    if (!(got == expected.positions)) return compared;
    // Listed one commitment at a time, as positions_as_of() in SQL streams
    // them: the same commitments, in the same order.
    auto replayed = ledger->ReplayFold(q);
    EXPECT_TRUE(replayed.ok()) << replayed.status().ToString();
    if (!replayed.ok()) return compared;
    std::vector<CommitmentPosition> streamed;
    const std::vector<CommitmentRef> refs = replayed->fold.ListCommitments(filter);
    streamed.reserve(refs.size());
    for (const CommitmentRef ref : refs) {
      streamed.push_back(replayed->fold.Materialize(ref, as_of));
    }
    EXPECT_TRUE(streamed == expected.positions.commitments)
        << "streamed, as_of " << FormatDay(as_of) << " party '" << filter.party << "'";
    if (!(streamed == expected.positions.commitments)) return compared;
    // And a few at a time, as it materializes them.
    std::vector<CommitmentPosition> chunked, chunk;
    for (std::size_t at = 0; at < refs.size(); at += 3) {
      const std::size_t n = std::min<std::size_t>(3, refs.size() - at);
      replayed->fold.Materialize(std::span(refs).subspan(at, n), as_of, chunk);
      chunked.insert(chunked.end(), chunk.begin(), chunk.end());
    }
    EXPECT_TRUE(chunked == streamed) << "in chunks, as_of " << FormatDay(as_of);
    ++compared;
  }
  return compared;
}

TEST(ReplayProperty, EngineEqualsReferenceOnRandomHistories) {
  if (const char* one = std::getenv("DEALTRAIL_PROPERTY_SEED")) {
    CheckSeed(std::strtoull(one, nullptr, 10));
    return;
  }
  const int histories = Histories();
  int compared = 0;
  for (int seed = 1; seed <= histories && !HasFailure(); ++seed) {
    compared += CheckSeed(static_cast<std::uint64_t>(seed));
  }
  EXPECT_EQ(compared, histories * 12);
}

// The generator must produce histories that exercise what the property is
// about; otherwise the comparison above proves little.
TEST(ReplayProperty, HistoriesCoverEveryKindOfEvent) {
  std::map<std::string, int> kinds;
  int back_dated = 0;
  int partial = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    HistoryGenerator gen(seed);
    test::SteppingClock clock(test::At("2024-01-01T00:00:00Z"));
    auto ledger = Ledger::Create(":memory:", clock.clock());
    ASSERT_TRUE(ledger.ok());
    AddParties(*ledger);
    if (HasFailure()) return;
    for (int i = 0; i < 60; ++i) {
      clock.Advance(std::chrono::hours(5));
      RawEvent raw;
      raw.fields = gen.Next();
      auto e = EventFromRaw(raw);
      if (e.ok()) (void)ledger->Append(*e);
    }
    date::sys_days latest{};
    ASSERT_TRUE(ledger
                    ->ForEachEvent([&](const Event& e) {
                      ++kinds[std::string(KindName(e.kind))];
                      if (e.date.first() < latest) ++back_dated;
                      latest = std::max(latest, e.date.first());
                      if (e.date.precision() != DatePrecision::kDay) ++partial;
                      return Status{};
                    })
                    .ok());
  }
  for (const char* kind : {"open", "revise", "fund", "supersede", "cancel", "expire", "complete",
                           "round-open", "round-revise", "round-close", "valuation", "retract"}) {
    EXPECT_GE(kinds[kind], 10) << kind;
  }
  EXPECT_GE(back_dated, 100);
  EXPECT_GE(partial, 100);
}

// What an import into an empty ledger does: its events, as they are added,
// go through a CheckpointBuilder. Each history here runs mostly forward in
// time with some events a few days back, and retractions of earlier events;
// a small settling window cannot absorb all of that (the builder then gives
// up, and the import rebuilds instead), a large one can. Whatever the
// builder makes, stored, must equal a fresh replay to its day (verify
// checks it byte for byte), and replays that start from it, as known at any
// time from then on, must equal replays that do not.
struct Built {
  bool whole = false;   // the builder kept up to the end
  int checkpoints = 0;  // stored
};

Built BuildAlong(std::uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  HistoryGenerator gen(seed);
  test::TempDir dir;
  const std::string path = dir.File("built.db");
  test::SteppingClock clock(test::At("2024-01-01T00:00:00Z"));
  auto ledger = Ledger::Create(path, clock.clock());
  EXPECT_TRUE(ledger.ok());
  if (!ledger.ok()) return {};
  AddParties(*ledger);
  const date::sys_days start = date::sys_days(date::year{2024} / 1 / 1);
  const int steps = gen.Int(20, 120);
  for (int i = 0; i < steps; ++i) {
    clock.Advance(std::chrono::hours(gen.Int(1, 72)));
    RawEvent raw;
    raw.fields = gen.Next();
    const int back = gen.Chance(85) ? 0 : gen.Int(1, 4);
    for (auto& [name, value] : raw.fields) {
      if (name == "date") {
        value = gen.DateText(date::year_month_day{start + date::days{std::max(0, i / 2 - back)}});
      }
    }
    auto e = EventFromRaw(raw);
    if (e.ok()) (void)ledger->Append(*e);
  }
  const std::vector<Event> all = AllEvents(*ledger);

  static const std::vector<std::size_t> kWindows = {1, 2, 8, 64, 4096};
  const std::size_t window = gen.Pick(kWindows);
  const std::int64_t input_bytes = static_cast<std::int64_t>(all.size()) * 100;
  std::vector<storage::BuiltCheckpoint> built;
  bool whole = false;
  {
    storage::CheckpointBuilder builder(input_bytes, window, gen.Int(1, 8));
    std::int64_t bytes = 0;
    for (const Event& e : all) {
      builder.Add(Event(e), bytes += 100);
      if (gen.Chance(10)) {
        for (auto& c : builder.TakeReady()) built.push_back(std::move(c));
      }
    }
    std::vector<storage::BuiltCheckpoint> rest;
    whole = builder.Finish(&rest);
    for (auto& c : rest) built.push_back(std::move(c));
  }
  if (!whole) return {};
  for (std::size_t i = 1; i < built.size(); ++i) {
    EXPECT_LT(built[i - 1].through, built[i].through);
    EXPECT_LT(built[i - 1].events, built[i].events);
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Transaction tx(db);
    storage::ClearCheckpoints(db.getHandle());
    storage::CheckpointStore store(db.getHandle());
    for (const auto& c : built) store.Put(c);
    tx.commit();
  }
  auto verified = ledger->Verify();
  EXPECT_TRUE(verified.ok() && verified->ok())
      << (verified.ok() && !verified->ok() ? verified->problems.front() : "");
  for (int point = 0; point < 6; ++point) {
    const date::sys_days as_of = start + date::days{gen.Int(0, steps / 2 + 5)};
    const Timestamp known_at =
        point % 2 == 0 ? clock.now()
                       : all[static_cast<std::size_t>(gen.Int(0, static_cast<int>(all.size()) - 1))]
                             .recorded_at;
    auto with = ledger->Replay(ReplayQuery{as_of, known_at, {}, /*use_checkpoints=*/true});
    auto without = ledger->Replay(ReplayQuery{as_of, known_at, {}, /*use_checkpoints=*/false});
    EXPECT_TRUE(with.ok() && without.ok());
    if (!with.ok() || !without.ok()) break;
    EXPECT_TRUE(*with == *without)
        << "as_of " << FormatDay(as_of) << " known_at " << FormatTimestamp(known_at);
  }
  return {true, static_cast<int>(built.size())};
}

TEST(ReplayProperty, CheckpointsBuiltAlongAnImportEqualAReplay) {
  const int histories = Histories() / 10;
  int whole = 0;
  int broken = 0;
  int several = 0;
  for (int seed = 1; seed <= histories && !HasFailure(); ++seed) {
    const Built b = BuildAlong(static_cast<std::uint64_t>(seed));
    b.whole ? ++whole : ++broken;
    if (b.checkpoints >= 2) ++several;
  }
  // Both outcomes, and checkpoints made along the way, must be exercised.
  EXPECT_GE(whole, histories / 10);
  EXPECT_GE(broken, histories / 10);
  EXPECT_GE(several, histories / 20);
}

// Each event's outcome through one writer: "added SEQ HASH", "present SEQ",
// or the refusal's code and field.
std::vector<std::string> Outcomes(storage::Writer& writer, const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) {
    auto r = writer.Add(e, {});
    out.push_back(!r.ok() ? std::to_string(static_cast<int>(r.status().code())) + " " +
                                r.status().field()
                  : r->already_present ? "present " + std::to_string(r->seq)
                                       : "added " + std::to_string(r->seq) + " " + r->hash);
  }
  return out;
}

// How Decide's writer works: on a ledger without events, from its own rows
// (as an import's), the same with its rows inserted on a thread of its own
// (as an import's: storage::InsertThread), or after another writer, so that
// it reads the indexes.
enum class Mode { kOwnRows, kOwnThread, kReadIndexes };

// The outcomes of `events` through a writer on a new ledger at `path`, after
// `parties` (added by the same writer, or in kReadIndexes by a writer before
// it), and the rows stored: "SEQ ID HASH".
void Decide(const std::string& path, const std::vector<Event>& parties, Mode mode,
            const std::vector<Event>& events, std::vector<std::string>* out,
            std::vector<std::string>* rows) {
  const Timestamp now = test::At("2026-11-29T12:00:00Z");
  auto db = storage::CreateLedgerFile(path);
  ASSERT_TRUE(db.ok());
  SQLite::Transaction tx(**db);
  const bool apart = mode == Mode::kReadIndexes;
  if (apart) {
    auto first = storage::Writer::Start(**db, now);
    ASSERT_TRUE(first.ok());
    Outcomes(**first, parties);
  }
  auto writer = storage::Writer::Start(**db, now);
  ASSERT_TRUE(writer.ok());
  ASSERT_EQ((*writer)->started_empty(), !apart);
  std::vector<std::int64_t> left;  // the events handed on, by seq
  if (mode == Mode::kOwnThread) {
    // A ring of four recent events: most history reads go through the
    // insert thread, and events leave it all along.
    (*writer)->InsertOnOwnThread([&left](Event&& e, std::int64_t) { left.push_back(e.seq); }, 4);
  }
  if (!apart) Outcomes(**writer, parties);
  *out = Outcomes(**writer, events);
  ASSERT_TRUE((*writer)->Finish().ok());
  SQLite::Statement q(**db,
                      "SELECT seq || ' ' || event_id || ' ' || hash FROM events ORDER BY seq");
  while (q.executeStep()) rows->push_back(q.getColumn(0).getString());
  if (mode == Mode::kOwnThread) {  // every event stored, once, in order
    ASSERT_EQ(left.size(), rows->size());
    for (std::size_t i = 0; i < left.size(); ++i)
      ASSERT_EQ(left[i], static_cast<std::int64_t>(i + 1));
  }
}

// A writer on a ledger without events answers its checks from the rows it
// added itself, so that an import can build the indexes by commitment and by
// round after its last row (storage::DeferredIndexes), and can insert its
// rows on a thread of its own while it checks the next events. On random
// histories — back-dated events, retractions, supersessions, rounds,
// refusals, events recorded twice — it must decide every event as a writer
// reading those indexes does: the same events added, with the same seqs and
// hashes, and the same refused for the same field; and with the insert
// thread, store the same rows.
TEST(WriterProperty, AWriterOnAnEmptyLedgerDecidesAsOneReadingTheIndexes) {
  const int histories = Histories() / 4;
  int refused = 0;
  int retracted = 0;
  for (int seed = 1; seed <= histories && !HasFailure(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    HistoryGenerator gen(static_cast<std::uint64_t>(seed));
    std::vector<Event> parties, events;
    for (int p = 0; p < 5; ++p) {
      auto e = test::MakeEvent({{"kind", "party-add"},
                                {"date", "2024-01-01"},
                                {"party", "p" + std::to_string(p)},
                                {"name", "Party " + std::to_string(p)}});
      ASSERT_TRUE(e.ok());
      parties.push_back(*e);
    }
    const int steps = gen.Int(10, 80);
    for (int i = 0; i < steps; ++i) {
      RawEvent raw;
      raw.fields = gen.Next();
      auto e = EventFromRaw(raw);
      if (!e.ok()) continue;
      events.push_back(*e);
      if (gen.Chance(10)) events.push_back(*e);  // recorded again: present
    }
    const test::TempDir dir;
    std::vector<std::string> own, thread, read, own_rows, thread_rows, read_rows;
    ASSERT_NO_FATAL_FAILURE(
        Decide(dir.File("own.db"), parties, Mode::kOwnRows, events, &own, &own_rows));
    ASSERT_NO_FATAL_FAILURE(
        Decide(dir.File("thread.db"), parties, Mode::kOwnThread, events, &thread, &thread_rows));
    ASSERT_NO_FATAL_FAILURE(
        Decide(dir.File("read.db"), parties, Mode::kReadIndexes, events, &read, &read_rows));
    ASSERT_EQ(own.size(), read.size());
    ASSERT_EQ(own.size(), thread.size());
    for (std::size_t i = 0; i < own.size(); ++i) {
      ASSERT_EQ(own[i], read[i]) << "event " << i << ": " << events[i].id;
      ASSERT_EQ(own[i], thread[i]) << "event " << i << ": " << events[i].id;
      if (!own[i].starts_with("added") && !own[i].starts_with("present")) ++refused;
      if (own[i].starts_with("added") && events[i].kind == EventKind::kRetract) ++retracted;
    }
    ASSERT_EQ(own_rows, thread_rows);
    ASSERT_EQ(own_rows, read_rows);
  }
  // The histories must reach the checks that read the histories back.
  EXPECT_GE(refused, histories);
  EXPECT_GE(retracted, histories / 4);
}

}  // namespace
}  // namespace dealtrail
