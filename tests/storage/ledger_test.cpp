// The ledger file: opening and refusing files, append-only triggers, the
// hash chain and verify, import atomicity and idempotency, the checks an
// event must pass against what the ledger already holds.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "dealtrail/ledger.h"
#include "dealtrail/reader.h"
#include "storage/fold_pipeline.h"
#include "storage/fold_scan.h"
#include "storage/schema.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using test::MakeEvent;
using test::ReadBytes;
using test::TempDir;
using test::WriteFile;

const Timestamp kNow = test::At("2026-03-15T12:00:00Z");

class LedgerTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("ledger.db");
    auto created = Ledger::Create(path_, FixedClock(kNow));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ledger_.emplace(std::move(created).value());
  }

  Result<AppendResult> Append(std::initializer_list<std::pair<std::string, std::string>> fields,
                              const AppendOptions& options = {}) {
    auto e = MakeEvent(fields);
    if (!e.ok()) return e.status();
    return ledger_->Append(*e, options);
  }

  void AddParties() {
    for (const char* id : {"nvidia", "openai", "amazon"}) {
      ASSERT_TRUE(
          Append({{"kind", "party-add"},
                  {"date", "2024-01-01"},
                  {"party", id},
                  {"name", std::string(1, static_cast<char>(std::toupper(id[0]))) + (id + 1)}})
              .ok());
    }
  }

  void OpenPledge(const std::string& id = "loi", const std::string& amount = "up to $100B") {
    auto r = Append({{"kind", "open"},
                     {"date", "2025-09-22"},
                     {"commitment", id},
                     {"commitment_kind", "pledge"},
                     {"from", "nvidia"},
                     {"to", "openai"},
                     {"amount", amount},
                     {"certainty", "announced"}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // `sized`: tell the import the input's size, as the CLI does for a file.
  Result<ImportSummary> ImportText(const std::string& text, bool dry_run = false,
                                   bool sized = false) {
    std::istringstream in(text);
    auto reader = MakeJsonlReader(in, "events.jsonl");
    ImportOptions options;
    options.dry_run = dry_run;
    if (sized) options.input_bytes = static_cast<std::int64_t>(text.size());
    return ledger_->Import(*reader, options);
  }

  std::vector<std::int64_t> CheckpointSeqs() {
    SQLite::Database db(path_);
    SQLite::Statement q(db, "SELECT through_seq FROM replay_checkpoints ORDER BY through_date");
    std::vector<std::int64_t> seqs;
    while (q.executeStep()) seqs.push_back(q.getColumn(0).getInt64());
    return seqs;
  }

  // Closes the ledger (SQLite checkpoints its WAL into the file) and opens it
  // again, so the file's bytes are at rest.
  void Reopen() {
    ledger_.reset();
    auto opened = Ledger::Open(path_, FixedClock(kNow));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ledger_.emplace(std::move(opened).value());
  }

  std::string BytesAtRest() {
    ledger_.reset();
    std::string bytes = ReadBytes(path_);
    Reopen();
    return bytes;
  }

  std::int64_t EventCount() {
    SQLite::Database db(path_);
    return db.execAndGet("SELECT count(*) FROM events").getInt64();
  }

  TempDir dir_;
  std::string path_;
  std::optional<Ledger> ledger_;
};

TEST_F(LedgerTest, NewFileCarriesApplicationIdAndSchemaVersion) {
  SQLite::Database db(path_);
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt(), kApplicationId);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), CurrentSchemaVersion());
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(LedgerTest, CreateRefusesAnExistingFile) {
  auto again = Ledger::Create(path_, FixedClock(kNow));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

TEST(LedgerOpen, RefusesFilesThatAreNotLedgers) {
  TempDir dir;
  const std::string other = dir.File("other.db");
  {
    SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
  }
  const std::string empty = dir.File("empty.db");
  WriteFile(empty, "");
  const std::string noise = dir.File("noise.db");
  WriteFile(noise, std::string(4096, '\x5a'));
  struct Case {
    std::string path;
    StatusCode code;
    std::string says;
  } cases[] = {
      {other, StatusCode::kNotALedger, "not a dealtrail ledger"},
      {empty, StatusCode::kNotALedger, "not a dealtrail ledger"},
      {noise, StatusCode::kNotALedger, "not a dealtrail ledger"},
      {dir.File("missing.db"), StatusCode::kIo, "no ledger here"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    const std::string before = ReadBytes(c.path);
    auto opened = Ledger::Open(c.path, FixedClock(kNow));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), c.code);
    EXPECT_NE(opened.status().message().find(c.says), std::string::npos)
        << opened.status().message();
    EXPECT_TRUE(ReadBytes(c.path) == before) << "opening changed the file";
  }
}

// A ledger made by an older dealtrail (schema version 1) is migrated when
// first opened, even by a read-only command.
TEST(LedgerOpen, AReaderMigratesAnOlderLedger) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(storage::Migrations().front().sql);
    ASSERT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 1);
  }
  auto opened = Ledger::Open(path, FixedClock(kNow), /*read_only=*/true);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto positions = opened->Replay(ReplayQuery{});
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  SQLite::Database db(path);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), CurrentSchemaVersion());
}

TEST_F(LedgerTest, RefusesANewerSchema) {
  ledger_.reset();
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto opened = Ledger::Open(path_, FixedClock(kNow));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kNotALedger);
  EXPECT_NE(opened.status().message().find("newer"), std::string::npos);
}

TEST_F(LedgerTest, EventsCannotBeUpdatedOrDeletedEvenFromRawSql) {
  AddParties();
  OpenPledge();
  SQLite::Database db(path_, SQLite::OPEN_READWRITE);
  for (const char* sql :
       {"UPDATE events SET amount_minor = 1 WHERE seq = 4", "DELETE FROM events WHERE seq = 4",
        "DELETE FROM events", "UPDATE parties SET name = 'x'", "DELETE FROM parties",
        "UPDATE party_aliases SET party_id = 'openai'", "DELETE FROM party_aliases"}) {
    SCOPED_TRACE(sql);
    try {
      db.exec(sql);
      ADD_FAILURE() << "the statement was allowed";
    } catch (const SQLite::Exception& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events").getInt(), 4);
}

TEST_F(LedgerTest, EachHashChainsToThePrevious) {
  AddParties();
  OpenPledge();
  std::vector<Event> events;
  ASSERT_TRUE(ledger_
                  ->ForEachEvent([&](const Event& e) {
                    events.push_back(e);
                    return Status{};
                  })
                  .ok());
  ASSERT_EQ(events.size(), 4u);
  std::string prev(kGenesisHash);
  for (const Event& e : events) {
    EXPECT_EQ(e.hash, ChainHash(prev, e)) << "event " << e.seq;
    prev = e.hash;
  }
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 4);
  EXPECT_EQ(report->head_hash, events.back().hash);
}

// Out-of-band edits with the triggers dropped: verify names the first bad event.
TEST_F(LedgerTest, VerifyFindsTheFirstEditedEvent) {
  AddParties();
  OpenPledge("a");
  OpenPledge("b");
  OpenPledge("c");
  ledger_.reset();
  const std::string pristine = ReadBytes(path_);
  struct Edit {
    const char* sql;
    std::int64_t first_bad;
  } edits[] = {
      {"UPDATE events SET amount_minor = 1 WHERE seq = 5", 5},
      {"UPDATE events SET recorded_at = '2026-03-15T12:00:01.000000Z' WHERE seq = 4", 4},
      {"DELETE FROM events WHERE seq = 5", 5},
      {"DELETE FROM events WHERE seq = 1", 1},
      {"UPDATE events SET seq = 10 WHERE seq = 6", 6},
      {"INSERT INTO events SELECT 7, 'forged', kind, effective_date, effective_end, date_precision,"
       " recorded_at, certainty, party_id, name, party_kind, aliases, 'forged', commitment_kind,"
       " from_party, to_party, by_commitment, round_id, retracts, currency, amount_minor,"
       " amount_bound, conditional_minor, conditional_bound, target_minor, target_bound,"
       " pre_money_minor, pre_money_bound, post_money_minor, post_money_bound, basis, terms,"
       " source, url, published, note, hash FROM events WHERE seq = 6",
       7},
  };
  for (const Edit& edit : edits) {
    SCOPED_TRACE(edit.sql);
    WriteFile(path_, pristine);
    {
      SQLite::Database db(path_, SQLite::OPEN_READWRITE);
      db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete");
      db.exec(edit.sql);
    }
    auto opened = Ledger::Open(path_, FixedClock(kNow));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    auto report = opened->Verify();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_FALSE(report->ok());
    EXPECT_EQ(report->first_bad_seq, edit.first_bad);
  }
}

TEST_F(LedgerTest, ImportIsAllOrNothing) {
  AddParties();
  const std::string before = BytesAtRest();
  const std::int64_t count = EventCount();
  auto r = ImportText(
      R"({"kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$1B"})"
      "\n"
      R"({"kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.5B"})"
      "\n"
      R"({"kind":"fund","date":"2025-09-24","commitment":"a","amount":"$2B"})"
      "\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "events.jsonl:3");
  EXPECT_EQ(r.status().field(), "amount");
  EXPECT_NE(r.status().message().find("funding beyond the commitment"), std::string::npos);
  ledger_.reset();
  EXPECT_EQ(EventCount(), count);
  EXPECT_TRUE(ReadBytes(path_) == before) << "the failed import changed the file";
}

TEST_F(LedgerTest, ReimportingIsANoOpAndAChangedEventIsAConflict) {
  AddParties();
  const std::string lines =
      R"({"id":"e1","kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$1B"})"
      "\n"
      R"({"id":"e2","kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.5B"})"
      "\n";
  auto first = ImportText(lines);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, 2);
  auto second = ImportText(lines);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->added, 0);
  EXPECT_EQ(second->already_present, 2);

  auto changed = ImportText(
      R"({"id":"e2","kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.6B"})"
      "\n");
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.status().code(), StatusCode::kConflict);
  EXPECT_EQ(changed.status().field(), "amount");
  EXPECT_EQ(changed.status().where(), "events.jsonl:1");

  // Changed so that it would fit as a new funding: the unique index on ids
  // refuses it, and the conflict still names the field.
  const std::int64_t count = EventCount();
  auto fits = ImportText(
      R"({"id":"e2","kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.1B"})"
      "\n");
  ASSERT_FALSE(fits.ok());
  EXPECT_EQ(fits.status().code(), StatusCode::kConflict);
  EXPECT_EQ(fits.status().field(), "amount") << fits.status().ToString();
  EXPECT_EQ(EventCount(), count);
}

// An import hashes each event from a tail serialized as it was read; an
// event whose party names resolve to other ids is hashed as stored.
TEST_F(LedgerTest, ImportedEventsChainAsStoredWhenNamesResolve) {
  AddParties();
  auto r = ImportText(
      R"({"kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"Nvidia","to":"openai","amount":"$1B"})"
      "\n"
      R"({"kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.5B"})"
      "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<Event> stored;
  ASSERT_TRUE(ledger_
                  ->ForEachEvent([&](const Event& e) {
                    stored.push_back(e);
                    return Status{};
                  })
                  .ok());
  ASSERT_GE(stored.size(), 2u);
  const Event& open = stored[stored.size() - 2];
  EXPECT_EQ(open.from, "nvidia");
  for (std::size_t i = 1; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].hash, ChainHash(stored[i - 1].hash, stored[i])) << stored[i].id;
  }
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
}

// A reader of its own need not check the events' shape: the import does.
TEST_F(LedgerTest, AnImportChecksTheShapeOfEventsFromAReaderThatDoesNot) {
  class Handed : public EventReader {
   public:
    explicit Handed(std::vector<Event> events) : events_(std::move(events)) {}
    Result<bool> Next(Event* event) override {
      if (next_ == events_.size()) return false;
      *event = events_[next_++];
      return true;
    }
    std::int64_t line() const override { return static_cast<std::int64_t>(next_); }
    const std::string& name() const override { return name_; }
    std::int64_t bytes_read() const override { return 0; }

   private:
    std::vector<Event> events_;
    std::size_t next_ = 0;
    std::string name_ = "handed";
  };
  AddParties();
  OpenPledge();
  auto made = MakeEvent(
      {{"kind", "fund"}, {"date", "2025-09-23"}, {"commitment", "loi"}, {"amount", "$1B"}});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  Event fund = *made;
  fund.from = "nvidia";  // a funding names no parties
  for (bool read_ahead : {true, false}) {
    Handed reader({fund});
    ImportOptions options;
    options.read_ahead = read_ahead;
    auto r = ledger_->Import(reader, options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().field(), "from") << r.status().ToString();
    EXPECT_EQ(r.status().where(), "handed:1");
  }
}

// Into a ledger without events, an import knows what the ledger holds from
// its own events: lookups it can answer so must answer as the ledger would.
TEST_F(LedgerTest, AnImportIntoAnEmptyLedgerChecksAgainstItsOwnEvents) {
  const std::string parties =
      R"({"kind":"party-add","date":"2024-01-01","party":"nvidia","name":"Nvidia"})"
      "\n"
      R"({"kind":"party-add","date":"2024-01-01","party":"openai","name":"OpenAI"})"
      "\n";
  const std::string open_a =
      R"({"id":"o1","kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$1B"})"
      "\n";
  struct Case {
    std::string lines;
    StatusCode code;
    std::string field;
  };
  const std::vector<Case> refused = {
      {open_a +
           R"({"id":"o1","kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$2B"})"
           "\n",
       StatusCode::kConflict, "amount"},
      {R"({"id":"x","kind":"retract","date":"2025-09-23","retracts":"nothing"})"
       "\n",
       StatusCode::kNotFound, "retracts"},
      {R"({"kind":"fund","date":"2025-09-23","commitment":"never","amount":"$1B"})"
       "\n",
       StatusCode::kNotFound, "commitment"},
      {open_a + R"({"kind":"supersede","date":"2025-09-23","commitment":"a","by":"never"})"
                "\n",
       StatusCode::kNotFound, "by"},
  };
  for (const Case& c : refused) {
    auto r = ImportText(parties + c.lines);
    ASSERT_FALSE(r.ok()) << c.lines;
    EXPECT_EQ(r.status().code(), c.code) << c.lines << r.status().ToString();
    EXPECT_EQ(r.status().field(), c.field) << c.lines << r.status().ToString();
    EXPECT_EQ(EventCount(), 0) << "a refused import left events";
  }

  auto r = ImportText(
      parties + open_a + open_a +
      R"({"id":"f1","kind":"fund","date":"2025-09-23","commitment":"a","amount":"$0.5B"})"
      "\n"
      R"({"id":"r1","kind":"retract","date":"2025-09-24","retracts":"f1"})"
      "\n"
      R"({"id":"o2","kind":"open","date":"2025-09-25","commitment":"b","commitment_kind":"equity","from":"nvidia","to":"openai","amount":"$3B"})"
      "\n"
      R"({"id":"s1","kind":"supersede","date":"2025-09-26","commitment":"a","by":"b"})"
      "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 7);
  EXPECT_EQ(r->already_present, 1);
  ReplayQuery q;
  q.as_of = date::sys_days(date::year{2025} / 10 / 1);
  auto positions = ledger_->Replay(q);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  ASSERT_EQ(positions->commitments.size(), 2u);
  const CommitmentPosition& a = positions->commitments[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.status, CommitmentStatus::kSuperseded);
  EXPECT_EQ(a.funded.low, 0) << "the retracted funding still counts";
}

// An import into an empty ledger drops the indexes its checks do not read
// (its writer answers them from its own rows) and builds them after its
// last event (storage::DeferredIndexes). Finished, the
// ledger has the schema of one written event by event, every index entry in
// place; refused, it is the empty ledger it was, indexes included.
TEST_F(LedgerTest, AnImportIntoAnEmptyLedgerEndsWithItsSchemaAsCreated) {
  auto schema = [](const std::string& path) {
    SQLite::Database db(path);
    SQLite::Statement q(db,
                        "SELECT name || ': ' || coalesce(sql, '') FROM sqlite_schema "
                        "WHERE type = 'index' ORDER BY name");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  };
  const std::string fresh = dir_.File("fresh.db");
  ASSERT_TRUE(Ledger::Create(fresh, FixedClock(kNow)).ok());
  const std::vector<std::string> created = schema(fresh);
  ASSERT_TRUE(std::any_of(created.begin(), created.end(),
                          [](const std::string& o) { return o.starts_with("events_by_date:"); }));

  const std::string parties =
      R"({"kind":"party-add","date":"2024-01-01","party":"nvidia","name":"Nvidia"})"
      "\n"
      R"({"kind":"party-add","date":"2024-01-01","party":"openai","name":"OpenAI"})"
      "\n";
  std::string opens;
  for (int i = 0; i < 40; ++i) {
    opens += R"({"kind":"open","date":"2025-)" + std::string(i % 12 < 9 ? "0" : "") +
             std::to_string(i % 12 + 1) + R"(-01","commitment":"c)" + std::to_string(i) +
             R"(","commitment_kind":"pledge","from":")" + (i % 2 ? "nvidia" : "openai") +
             R"(","to":")" + (i % 2 ? "openai" : "nvidia") +
             R"(","amount":"$1B"})"
             "\n";
  }
  const std::string before = BytesAtRest();
  auto refused =
      ImportText(parties + opens +
                 R"({"kind":"fund","date":"2025-12-01","commitment":"none","amount":"$1B"})"
                 "\n");
  ASSERT_FALSE(refused.ok());
  ledger_.reset();
  EXPECT_TRUE(ReadBytes(path_) == before) << "the refused import changed the file";
  EXPECT_EQ(schema(path_), created);
  Reopen();

  const std::string round =
      R"({"kind":"round-open","date":"2025-01-15","round":"r1","party":"openai","target":"$10B"})"
      "\n"
      R"({"kind":"valuation","date":"2025-02-01","party":"openai","round":"r1","amount":"$300B","basis":"post"})"
      "\n";
  auto r = ImportText(parties + opens + round, /*dry_run=*/false, /*sized=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 44);
  ledger_.reset();
  EXPECT_EQ(schema(path_), created);
  SQLite::Database db(path_);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_date "
                          "WHERE effective_date > ''")
                .getInt64(),
            44);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_commitment "
                          "WHERE commitment_id > ''")
                .getInt64(),
            40);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_round "
                          "WHERE round_id = 'r1'")
                .getInt64(),
            2);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_from "
                          "WHERE kind = 'open' AND from_party = 'nvidia'")
                .getInt64(),
            20);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_to "
                          "WHERE kind = 'open' AND to_party = 'nvidia'")
                .getInt64(),
            20);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// Storing a party's row makes SQLite look for the events and aliases that
// name the party (the party-add event, stored just before it, is a pending
// foreign-key violation): each look must go through an index, or adding a
// party reads every event. SQLITE_STMTSTATUS_FULLSCAN_STEP counts the rows a
// statement stepped through in full-table scans.
TEST_F(LedgerTest, StoringAPartyRowReadsNoTableWhole) {
  AddParties();
  for (int i = 0; i < 30; ++i) OpenPledge("c" + std::to_string(i), "$1B");
  ledger_.reset();
  SQLite::Database db(path_, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA foreign_keys = ON");
  SQLite::Transaction tx(db);
  db.exec(
      "INSERT INTO events SELECT (SELECT max(seq) + 1 FROM events), 'raw-party', kind, "
      "effective_date, effective_end, date_precision, recorded_at, certainty, 'newco', 'Newco', "
      "party_kind, aliases, commitment_id, commitment_kind, from_party, to_party, by_commitment, "
      "round_id, retracts, currency, amount_minor, amount_bound, conditional_minor, "
      "conditional_bound, target_minor, target_bound, pre_money_minor, pre_money_bound, "
      "post_money_minor, post_money_bound, basis, terms, source, url, published, note, hash "
      "FROM events WHERE kind = 'party-add' LIMIT 1");
  sqlite3_stmt* party = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db.getHandle(),
                               "INSERT INTO parties (party_id, name, kind, added_seq) "
                               "SELECT 'newco', 'Newco', party_kind, seq FROM events "
                               "WHERE event_id = 'raw-party'",
                               -1, &party, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_step(party), SQLITE_DONE) << sqlite3_errmsg(db.getHandle());
  // The SELECT finds the event by its unique id; the checks find nothing.
  EXPECT_EQ(sqlite3_stmt_status(party, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
  sqlite3_finalize(party);
  EXPECT_FALSE(SQLite::Statement(db, "PRAGMA foreign_key_check").executeStep());
}

// An import into an empty ledger defers three event indexes; a party added
// after its first few thousand events has them built first, and the import
// ends with the schema a ledger written event by event has.
TEST_F(LedgerTest, AnImportThatAddsAPartyLateBuildsItsIndexesFirst) {
  std::string text = R"({"kind":"party-add","date":"2024-01-01","party":"nvidia","name":"Nvidia"})"
                     "\n"
                     R"({"kind":"party-add","date":"2024-01-01","party":"openai","name":"OpenAI"})"
                     "\n";
  constexpr int kOpens = 5000;  // past the import's 4,096
  for (int i = 0; i < kOpens; ++i) {
    text += R"({"kind":"open","date":"2025-01-01","commitment":"c)" + std::to_string(i) +
            R"(","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$1B"})"
            "\n";
  }
  text +=
      R"({"kind":"party-add","date":"2025-02-01","party":"late","name":"Late Co"})"
      "\n"
      R"({"kind":"open","date":"2025-02-02","commitment":"late-1","commitment_kind":"equity","from":"late co","to":"openai","amount":"$2B"})"
      "\n";
  auto r = ImportText(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, kOpens + 4);
  auto verified = ledger_->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
  ledger_.reset();
  SQLite::Database db(path_);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_from "
                          "WHERE from_party = 'late'")
                .getInt64(),
            1);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM events INDEXED BY events_by_to "
                          "WHERE to_party = 'openai'")
                .getInt64(),
            kOpens + 1);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// A large import into an empty ledger builds its replay checkpoints as the
// events go in (each made when the events read then were all it needed:
// through_seq short of the last event); one whose events it cannot fold in
// order falls back to a rebuild afterwards (through_seq the last event).
// Both must equal a fresh replay (verify).
TEST_F(LedgerTest, ALargeImportBuildsItsCheckpointsAsItGoes) {
  constexpr int kEvents = static_cast<int>(kCheckpointAfterImport);
  std::string text;
  text.reserve(static_cast<std::size_t>(kEvents) * 170);
  text += R"({"kind":"party-add","date":"2000-01-01","party":"p1","name":"P1"})"
          "\n"
          R"({"kind":"party-add","date":"2000-01-01","party":"p2","name":"P2"})"
          "\n";
  const date::sys_days start = date::sys_days(date::year{2000} / 1 / 1);
  auto day = [&](int i) { return FormatDay(start + date::days{i / 50}); };
  for (int i = 0; i < kEvents; ++i) {
    const std::string c = "c" + std::to_string(i / 2);
    if (i % 2 == 0) {
      text += R"({"id":"e)" + std::to_string(i) + R"(","kind":"open","date":")" + day(i) +
              R"(","commitment":")" + c +
              R"(","commitment_kind":"pledge","from":"p1","to":"p2","amount":"$1000"})"
              "\n";
    } else if (i % 20 == 19) {  // a recent mistake, retracted
      text += R"({"kind":"retract","date":")" + day(i) + R"(","retracts":"e)" +
              std::to_string(i - 1) +
              R"("})"
              "\n";
    } else {
      text += R"({"kind":"fund","date":")" + day(i) + R"(","commitment":")" + c +
              R"(","amount":"$10"})"
              "\n";
    }
  }
  auto r = ImportText(text, /*dry_run=*/false, /*sized=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->checkpoints, 0);
  std::vector<std::int64_t> seqs = CheckpointSeqs();
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(r->checkpoints));
  EXPECT_LT(seqs.front(), r->last_seq) << "built afterwards, not along the way";
  auto verified = ledger_->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();

  // The same, with one event dated back before everything folded.
  ledger_.reset();
  std::filesystem::remove(path_);
  auto created = Ledger::Create(path_, FixedClock(kNow));
  ASSERT_TRUE(created.ok());
  ledger_.emplace(std::move(created).value());
  text += R"({"kind":"fund","date":"2000-01-02","commitment":"c0","amount":"$10"})"
          "\n";
  r = ImportText(text, /*dry_run=*/false, /*sized=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->checkpoints, 0);
  seqs = CheckpointSeqs();
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs.front(), r->last_seq) << "not rebuilt afterwards";
  verified = ledger_->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
}

// A ledger whose replay checkpoints were written in format 1 (fixed-width
// integers; tests/storage/data/format1-checkpoints.db, the reference fixture
// with a checkpoint after every event) replays from them as without them,
// and verify compares them in today's format.
TEST(LedgerCheckpointFormats, CheckpointsOfTheFirstFormatStillServe) {
  TempDir dir;
  const std::string path = dir.File("format1.db");
  std::filesystem::copy_file(
      std::string(DEALTRAIL_SOURCE_DIR) + "/tests/storage/data/format1-checkpoints.db", path);
  {
    SQLite::Database db(path);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM replay_checkpoints "
                            "WHERE substr(state, 1, 4) = CAST('DTF1' AS BLOB)")
                  .getInt(),
              9);
  }
  auto ledger = Ledger::Open(path, FixedClock(test::At("2027-01-01T00:00:00Z")));
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  for (const char* day : {"2025-09-30", "2026-01-30", "2026-02-20", "2026-12-31"}) {
    ReplayQuery with;
    with.as_of = *ParseDay(day);
    ReplayQuery without = with;
    without.use_checkpoints = false;
    auto a = ledger->Replay(with);
    auto b = ledger->Replay(without);
    ASSERT_TRUE(a.ok() && b.ok()) << day;
    EXPECT_FALSE(b->commitments.empty()) << day;
    EXPECT_TRUE(*a == *b) << day;
  }
  auto verified = ledger->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
}

TEST_F(LedgerTest, DryRunWritesNothing) {
  AddParties();
  const std::string before = BytesAtRest();
  auto r = ImportText(
      R"({"kind":"open","date":"2025-09-22","commitment":"a","commitment_kind":"pledge","from":"nvidia","to":"openai","amount":"$1B"})"
      "\n",
      /*dry_run=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 1);
  ledger_.reset();
  EXPECT_TRUE(ReadBytes(path_) == before) << "the dry run changed the file";
}

TEST_F(LedgerTest, RecordingTheSameEventTwiceIsANoOp) {
  AddParties();
  OpenPledge();
  auto again = Append({{"kind", "open"},
                       {"date", "2025-09-22"},
                       {"commitment", "loi"},
                       {"commitment_kind", "pledge"},
                       {"from", "Nvidia"},
                       {"to", "openai"},
                       {"amount", "up to 100B USD"},
                       {"certainty", "announced"}});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->already_present);
  EXPECT_EQ(again->seq, 4);
}

TEST_F(LedgerTest, RefusesEventsThatReferToWhatDoesNotExist) {
  AddParties();
  OpenPledge("loi");
  OpenPledge("other", "$5B");
  ASSERT_TRUE(Append({{"kind", "cancel"}, {"date", "2025-10-01"}, {"commitment", "other"}}).ok());
  ASSERT_TRUE(Append({{"kind", "party-add"},
                      {"date", "2024-01-01"},
                      {"party", "sb-group"},
                      {"name", "SoftBank"}})
                  .ok());
  struct Case {
    std::vector<std::pair<std::string, std::string>> fields;
    StatusCode code;
    std::string field;
    std::string says;
  } cases[] = {
      {{{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "nope"}, {"amount", "$1B"}},
       StatusCode::kNotFound,
       "commitment",
       "no commitment 'nope'"},
      {{{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "lio"}, {"amount", "$1B"}},
       StatusCode::kNotFound,
       "commitment",
       "did you mean: loi"},
      {{{"kind", "supersede"}, {"date", "2025-10-02"}, {"commitment", "other"}, {"by", "loi"}},
       StatusCode::kConflict,
       "commitment",
       "is cancelled"},
      {{{"kind", "supersede"}, {"date", "2025-10-02"}, {"commitment", "loi"}, {"by", "other"}},
       StatusCode::kConflict,
       "by",
       "only an open commitment"},
      {{{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "loi"}, {"amount", "$101B"}},
       StatusCode::kInvalidInput,
       "amount",
       "funding beyond the commitment"},
      {{{"kind", "fund"}, {"date", "2025-09-01"}, {"commitment", "loi"}, {"amount", "$1B"}},
       StatusCode::kInvalidInput,
       "date",
       "opens on 2025-09-22"},
      {{{"kind", "fund"},
        {"date", "2025-10-01"},
        {"commitment", "loi"},
        {"amount",
         "\xe2\x82\xac"
         "1B"}},
       StatusCode::kInvalidInput,
       "amount",
       "is in USD"},
      {{{"kind", "open"},
        {"date", "2025-10-01"},
        {"commitment", "loi"},
        {"commitment_kind", "equity"},
        {"from", "nvidia"},
        {"to", "openai"},
        {"amount", "$1B"}},
       StatusCode::kConflict,
       "commitment",
       "exists already"},
      {{{"kind", "open"},
        {"date", "2025-10-01"},
        {"commitment", "x"},
        {"commitment_kind", "equity"},
        {"from", "Nvida"},
        {"to", "openai"},
        {"amount", "$1B"}},
       StatusCode::kNotFound,
       "from",
       "did you mean: nvidia"},
      {{{"kind", "open"},
        {"date", "2025-10-01"},
        {"commitment", "x"},
        {"commitment_kind", "equity"},
        {"from", "nvidia"},
        {"to", "openai"},
        {"amount", "$1B"},
        {"round", "r"}},
       StatusCode::kNotFound,
       "round",
       "no round 'r'"},
      {{{"kind", "retract"}, {"date", "2025-10-01"}, {"retracts", "missing"}},
       StatusCode::kNotFound,
       "retracts",
       "no event"},
      {{{"kind", "party-add"}, {"date", "2025-10-01"}, {"party", "nvidia"}, {"name", "Nv"}},
       StatusCode::kConflict,
       "party",
       "exists already"},
      {{{"kind", "party-alias"},
        {"date", "2025-10-01"},
        {"party", "openai"},
        {"aliases", "Nvidia"}},
       StatusCode::kConflict,
       "aliases",
       "already names party nvidia"},
      {{{"kind", "party-alias"},
        {"date", "2025-10-01"},
        {"party", "openai"},
        {"aliases", "sb-group"}},
       StatusCode::kConflict,
       "aliases",
       "is the id of another party"},
      {{{"kind", "party-add"}, {"date", "2025-10-01"}, {"party", "softbank"}, {"name", "Other"}},
       StatusCode::kConflict,
       "party",
       "is already an alias of sb-group"},
  };
  for (const Case& c : cases) {
    RawEvent raw;
    raw.fields = c.fields;
    std::string trace;
    for (const auto& [k, v] : c.fields) trace.append(k).append("=").append(v).append(" ");
    SCOPED_TRACE(trace);
    auto e = EventFromRaw(raw);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto r = ledger_->Append(*e);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    EXPECT_EQ(r.status().field(), c.field) << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().ToString();
  }
}

TEST_F(LedgerTest, BackDatedFundingMustFitWithLaterEvents) {
  AddParties();
  OpenPledge("a", "$10B");
  ASSERT_TRUE(
      Append({{"kind", "fund"}, {"date", "2025-12-01"}, {"commitment", "a"}, {"amount", "$8B"}})
          .ok());
  // At 2025-10-01 nothing is funded yet, but with December's $8B it would exceed $10B.
  auto r =
      Append({{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "a"}, {"amount", "$3B"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "amount");
  EXPECT_NE(r.status().message().find("dated after it"), std::string::npos);
  EXPECT_TRUE(
      Append({{"kind", "fund"}, {"date", "2025-10-01"}, {"commitment", "a"}, {"amount", "$2B"}})
          .ok());
}

TEST_F(LedgerTest, RetractionRules) {
  AddParties();
  OpenPledge();
  ASSERT_TRUE(Append({{"id", "f1"},
                      {"kind", "fund"},
                      {"date", "2025-10-01"},
                      {"commitment", "loi"},
                      {"amount", "$1B"}})
                  .ok());
  ASSERT_TRUE(
      Append({{"id", "r1"}, {"kind", "retract"}, {"date", "2025-10-02"}, {"retracts", "f1"}}).ok());
  auto twice = Append({{"kind", "retract"}, {"date", "2025-10-03"}, {"retracts", "f1"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("already retracted"), std::string::npos);
  auto of_retract = Append({{"kind", "retract"}, {"date", "2025-10-03"}, {"retracts", "r1"}});
  ASSERT_FALSE(of_retract.ok());
  EXPECT_NE(of_retract.status().message().find("cannot be retracted"), std::string::npos);
}

// Regression: the writer checked a commitment against its own history
// alone, where a supersession's replacement is never in view, so it took a
// superseded commitment for open.
TEST_F(LedgerTest, ASupersededCommitmentCannotBeFunded) {
  AddParties();
  OpenPledge("old", "$10B");
  OpenPledge("new", "$5B");
  ASSERT_TRUE(
      Append({{"kind", "supersede"}, {"date", "2025-10-01"}, {"commitment", "old"}, {"by", "new"}})
          .ok());
  auto fund =
      Append({{"kind", "fund"}, {"date", "2025-10-02"}, {"commitment", "old"}, {"amount", "$1B"}});
  ASSERT_FALSE(fund.ok());
  EXPECT_NE(fund.status().message().find("is superseded"), std::string::npos)
      << fund.status().ToString();
}

// Regression: retracting the revision that made room for a funding left the
// commitment funded beyond its amount, which verify then reported.
TEST_F(LedgerTest, ARetractionCannotLeaveACommitmentOverfunded) {
  AddParties();
  OpenPledge("a", "$10B");
  ASSERT_TRUE(Append({{"id", "raise"},
                      {"kind", "revise"},
                      {"date", "2025-10-01"},
                      {"commitment", "a"},
                      {"amount", "$20B"}})
                  .ok());
  ASSERT_TRUE(Append({{"id", "tranche"},
                      {"kind", "fund"},
                      {"date", "2025-10-02"},
                      {"commitment", "a"},
                      {"amount", "$15B"}})
                  .ok());
  auto r = Append({{"kind", "retract"}, {"date", "2025-10-03"}, {"retracts", "raise"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "retracts");
  EXPECT_NE(r.status().message().find("retract fundings first"), std::string::npos)
      << r.status().ToString();
  ASSERT_TRUE(Append({{"kind", "retract"}, {"date", "2025-10-03"}, {"retracts", "tranche"}}).ok());
  EXPECT_TRUE(Append({{"kind", "retract"}, {"date", "2025-10-04"}, {"retracts", "raise"}}).ok());
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

// Checkpoints: replay from one equals a full replay; a back-dated event and
// a retraction delete the checkpoints they affect; verify checks the rest.
TEST_F(LedgerTest, CheckpointsAreInvalidatedByBackDatedEventsAndRetractions) {
  AddParties();
  OpenPledge("a", "$10B");
  for (int month = 1; month <= 9; ++month) {
    ASSERT_TRUE(Append({{"id", "f" + std::to_string(month)},
                        {"kind", "fund"},
                        {"date", "2026-0" + std::to_string(month) + "-15"},
                        {"commitment", "a"},
                        {"amount", "$100M"}})
                    .ok());
  }
  auto built = ledger_->RebuildCheckpoints(2);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(*built, 5);
  auto count = [&] {
    SQLite::Database db(path_);
    return db.execAndGet("SELECT count(*) FROM replay_checkpoints").getInt();
  };
  EXPECT_EQ(count(), 5);
  auto same = [&](const char* day) {
    ReplayQuery with{*ParseDay(day), std::nullopt, {}, true};
    ReplayQuery without{*ParseDay(day), std::nullopt, {}, false};
    EXPECT_EQ(*ledger_->Replay(with), *ledger_->Replay(without)) << day;
  };
  for (const char* day : {"2026-02-01", "2026-05-20", "2026-12-31"}) same(day);
  // Checkpoints after every second event: 2026-01-15, 03-15, 05-15, 07-15,
  // 09-15. A back-dated funding (June) drops July's and September's.
  ASSERT_TRUE(
      Append({{"kind", "fund"}, {"date", "2026-06-01"}, {"commitment", "a"}, {"amount", "$1B"}})
          .ok());
  EXPECT_EQ(count(), 3);
  same("2026-12-31");
  // Retracting February's funding drops March's and May's.
  ASSERT_TRUE(Append({{"kind", "retract"}, {"date", "2026-12-01"}, {"retracts", "f2"}}).ok());
  EXPECT_EQ(count(), 1);
  same("2026-12-31");
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST_F(LedgerTest, ExpectVersionRefusesARevisionOfAMovedCommitment) {
  AddParties();
  OpenPledge();  // version 1
  AppendOptions v1;
  v1.expect_version = 1;
  auto first = Append(
      {{"kind", "revise"}, {"date", "2025-10-01"}, {"commitment", "loi"}, {"amount", "up to $90B"}},
      v1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Append(
      {{"kind", "revise"}, {"date", "2025-10-02"}, {"commitment", "loi"}, {"amount", "up to $80B"}},
      v1);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kVersionMismatch);
}

TEST_F(LedgerTest, RecordingTimeNeverGoesBack) {
  AddParties();
  auto early = Append({{"kind", "open"},
                       {"date", "2025-09-22"},
                       {"recorded_at", "2020-01-01T00:00:00Z"},
                       {"commitment", "a"},
                       {"commitment_kind", "pledge"},
                       {"from", "nvidia"},
                       {"to", "openai"},
                       {"amount", "$1B"}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().field(), "recorded_at");
  auto future = Append({{"kind", "open"},
                        {"date", "2025-09-22"},
                        {"recorded_at", "2030-01-01T00:00:00Z"},
                        {"commitment", "a"},
                        {"commitment_kind", "pledge"},
                        {"from", "nvidia"},
                        {"to", "openai"},
                        {"amount", "$1B"}});
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.status().message().find("future"), std::string::npos);
}

// Parties are looked up as events name them and remembered for the rest of
// the transaction: one added earlier in the same import resolves by any of
// its names later in it, and a name it took is refused to the next party.
TEST_F(LedgerTest, PartiesAddedInAnImportResolveLaterInIt) {
  AddParties();
  ASSERT_TRUE(Append({{"kind", "open"},
                      {"date", "2025-01-01"},
                      {"commitment", "before"},
                      {"commitment_kind", "equity"},
                      {"from", "NVIDIA"},
                      {"to", "openai"},
                      {"amount", "$1B"}})
                  .ok());
  auto r = ImportText(
      R"({"kind":"party-add","date":"2025-02-01","party":"acme","name":"Acme Corp","aliases":["ACME Holdings"]})"
      "\n"
      R"({"kind":"open","date":"2025-02-02","commitment":"a","commitment_kind":"equity","from":"ACME  corp","to":"Nvidia","amount":"$2B"})"
      "\n"
      R"({"kind":"open","date":"2025-02-03","commitment":"b","commitment_kind":"equity","from":"acme holdings","to":"Amazon","amount":"$3B"})"
      "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 3);
  {
    SQLite::Database db(path_);
    SQLite::Statement q(db,
                        "SELECT commitment_id, from_party, to_party FROM events "
                        "WHERE kind = 'open' ORDER BY seq");
    std::vector<std::string> rows;
    while (q.executeStep()) {
      rows.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
                     q.getColumn(2).getString());
    }
    EXPECT_EQ(rows,
              (std::vector<std::string>{"before nvidia openai", "a acme nvidia", "b acme amazon"}));
  }

  const std::string before = BytesAtRest();
  auto taken = ImportText(
      R"({"kind":"party-add","date":"2025-03-01","party":"zeta","name":"Zeta"})"
      "\n"
      R"({"kind":"party-add","date":"2025-03-01","party":"zeta-two","name":"Zeta Two","aliases":["ZETA"]})"
      "\n");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().field(), "aliases");
  EXPECT_NE(taken.status().message().find("'ZETA' already names party zeta"), std::string::npos)
      << taken.status().ToString();
  ledger_.reset();
  EXPECT_TRUE(ReadBytes(path_) == before) << "the refused import changed the file";
}

TEST_F(LedgerTest, AliasesInAnyScriptResolve) {
  ASSERT_TRUE(
      Append({{"kind", "party-add"},
              {"date", "2024-01-01"},
              {"party", "nvidia"},
              {"name", "Nvidia"},
              {"aliases", "NVIDIA Corp;\xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7"}})
          .ok());
  EXPECT_EQ(*ledger_->ResolveParty("nvidia corp"), "nvidia");
  EXPECT_EQ(*ledger_->ResolveParty("NVIDIA   Corp"), "nvidia");
  EXPECT_EQ(*ledger_->ResolveParty("\xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7"),
            "nvidia");
  EXPECT_EQ(*ledger_->ResolveParty("Nvidia"), "nvidia");
  auto unknown = ledger_->ResolveParty("Nvidiaa");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("did you mean: nvidia"), std::string::npos)
      << unknown.status().message();
}

TEST(LedgerRoundTrip, ExportImportExportIsIdentical) {
  TempDir dir;
  auto export_of = [](Ledger& ledger) {
    std::string out;
    EXPECT_TRUE(ledger
                    .ForEachEvent([&](const Event& e) {
                      out += CanonicalJson(e) + "\n";
                      return Status{};
                    })
                    .ok());
    return out;
  };
  auto a = Ledger::Create(dir.File("a.db"), FixedClock(kNow));
  ASSERT_TRUE(a.ok());
  std::ifstream fixture(test::FixturePath());
  auto reader = MakeJsonlReader(fixture, "fixture");
  ASSERT_TRUE(a->Import(*reader).ok());
  const std::string first = export_of(*a);
  ASSERT_FALSE(first.empty());

  auto b = Ledger::Create(dir.File("b.db"), FixedClock(kNow + std::chrono::hours(1)));
  ASSERT_TRUE(b.ok());
  std::istringstream in(first);
  auto again = MakeJsonlReader(in, "export");
  auto imported = b->Import(*again);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(export_of(*b), first);
  auto verified = b->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());

  for (const char* day : {"2025-10-01", "2026-02-04", "2026-02-20", "2026-03-01"}) {
    ReplayQuery q;
    q.as_of = *ParseDay(day);
    q.known_at = kNow;
    EXPECT_EQ(*a->Replay(q), *b->Replay(q)) << day;
  }
}

// A replay reads events on one thread and folds them on another, which
// first makes the fold (decoding a checkpoint): the events handed over must
// own their text (the row they came from is gone by then) and fold exactly as
// the events read directly, across the batches they are handed over in (here
// as small as one event and one byte, so every event and most texts start a
// batch, and batches are recycled).
class FoldPipelineTest : public ::testing::TestWithParam<std::pair<std::size_t, std::size_t>> {
 protected:
  void SetUp() override {
    {
      auto ledger = Ledger::Create(path_, FixedClock(kNow));
      ASSERT_TRUE(ledger.ok());
      std::ifstream fixture(test::FixturePath());
      auto reader = MakeJsonlReader(fixture, "fixture");
      ASSERT_TRUE(ledger->Import(*reader).ok());
      std::istringstream retraction(
          R"({"id":"retract-taipei","kind":"retract","date":"2026-03-01",)"
          R"("recorded_at":"2026-03-01T12:00:00Z","retracts":"taipei-2026-01-31-ceo"})"
          "\n");
      auto more = MakeJsonlReader(retraction, "retraction");
      auto appended = ledger->Import(*more);
      ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    }
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    retracted_ = storage::RetractedBy(db_, kNow);
    ASSERT_EQ(retracted_.size(), 1U);
    ASSERT_TRUE(retracted_.Contains("taipei-2026-01-31-ceo"));
    range_.through = *ParseDay("2026-12-31");
    range_.known_at = kNow;
    range_.skip = &retracted_;
  }
  void TearDown() override { sqlite3_close(db_); }

  // Every event read, handed to a pipeline that starts from `start`.
  Result<Fold> ThroughPipeline(std::function<Result<Fold>()> start) {
    const auto [batch_events, batch_text] = GetParam();
    storage::FoldPipeline pipeline(std::move(start), batch_events, batch_text);
    auto read = storage::ScanEvents(db_, range_, [&](const FoldEvent& e) {
      EXPECT_NE(e.id, "taipei-2026-01-31-ceo") << "a retracted event was read";
      pipeline.Add(e);
      return Status{};
    });
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_GT(*read, 10);
    return pipeline.Finish();
  }

  TempDir dir_;
  std::string path_ = dir_.File("pipeline.db");
  sqlite3* db_ = nullptr;
  storage::RetractedEvents retracted_;
  storage::FoldScanRange range_;
};

TEST_P(FoldPipelineTest, FoldsAsTheEventsReadDirectly) {
  Fold direct;
  ASSERT_TRUE(storage::ScanIntoFold(db_, range_, direct).ok());
  auto piped = ThroughPipeline([] { return Result<Fold>(Fold()); });
  ASSERT_TRUE(piped.ok()) << piped.status().ToString();
  EXPECT_EQ(piped->events_applied(), direct.events_applied());
  auto a = piped->Finish(range_.through);
  auto b = direct.Finish(range_.through);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_FALSE(b->commitments.empty());
  ASSERT_FALSE(b->rounds.empty());
  EXPECT_EQ(*a, *b);
}

// The fold the thread starts from is the one the events go on: a fold of
// the events up to a day, then the rest piped, equals one fold of all.
TEST_P(FoldPipelineTest, AppliesTheEventsOnTheFoldItStartsFrom) {
  Fold direct;
  ASSERT_TRUE(storage::ScanIntoFold(db_, range_, direct).ok());
  storage::FoldScanRange before = range_;
  before.through = *ParseDay("2025-12-31");
  Fold first;
  ASSERT_TRUE(storage::ScanIntoFold(db_, before, first).ok());
  ASSERT_GT(first.events_applied(), 0);
  ASSERT_LT(first.events_applied(), direct.events_applied());
  range_.after = before.through;
  auto piped = ThroughPipeline([&first] { return Result<Fold>(std::move(first)); });
  ASSERT_TRUE(piped.ok()) << piped.status().ToString();
  EXPECT_EQ(piped->events_applied(), direct.events_applied());
  EXPECT_EQ(*piped->Finish(range_.through), *direct.Finish(range_.through));
}

TEST_P(FoldPipelineTest, AFoldThatCannotBeMadeIsTheAnswer) {
  auto piped = ThroughPipeline([] {
    return Result<Fold>(Status{StatusCode::kCorrupt, "", "checkpoint unreadable"});
  });
  ASSERT_FALSE(piped.ok());
  EXPECT_EQ(piped.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(piped.status().message(), "checkpoint unreadable");
}

// Abandoned (the scan failed): the thread stops and nothing is left running.
TEST_P(FoldPipelineTest, AnUnfinishedPipelineStopsItsThread) {
  const auto [batch_events, batch_text] = GetParam();
  storage::FoldPipeline pipeline([] { return Result<Fold>(Fold()); }, batch_events, batch_text);
  auto read = storage::ScanEvents(db_, range_, [&](const FoldEvent& e) {
    pipeline.Add(e);
    return Status{};
  });
  ASSERT_TRUE(read.ok());
}

INSTANTIATE_TEST_SUITE_P(BatchSizes, FoldPipelineTest,
                         ::testing::Values(std::pair<std::size_t, std::size_t>{512, 64 * 1024},
                                           std::pair<std::size_t, std::size_t>{1, 1},
                                           std::pair<std::size_t, std::size_t>{3, 40}));

// The retracted set answers by a Bloom filter first: it must never turn a
// retracted id away, and what it lets through is checked against the ids.
TEST(RetractedEventsTest, ContainsExactlyTheRetractedIds) {
  EXPECT_FALSE(storage::RetractedEvents().Contains("e1"));
  EXPECT_FALSE(storage::RetractedEvents(std::vector<std::string>{}).Contains(""));

  std::vector<std::string> ids(5000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = "e" + std::to_string(i * 7);
  const storage::RetractedEvents retracted(ids);
  EXPECT_EQ(retracted.size(), ids.size());
  for (const std::string& id : ids) EXPECT_TRUE(retracted.Contains(id)) << id;
  int wrong = 0;
  for (int i = 0; i < 35000; ++i) {
    if (i % 7 != 0 && retracted.Contains("e" + std::to_string(i))) ++wrong;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_FALSE(retracted.Contains(""));
  EXPECT_FALSE(retracted.Contains("e0 "));
}

}  // namespace
}  // namespace dealtrail
