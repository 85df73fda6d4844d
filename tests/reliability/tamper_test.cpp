// Tampering and corruption: out-of-band edits made with plain SQLite after
// dropping the append-only triggers — a changed column, a deleted, swapped,
// rotated or forged row, a truncated table, a history re-hashed by someone
// who knows the algorithm — each found by `dealtrail verify`, which names the
// first bad sequence number; a saved checkpoint (`verify --checkpoint-out`)
// catches what the chain alone cannot see. Random byte flips in the file:
// never a crash, and whatever verify passes exports exactly as before.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "dealtrail/ledger.h"
#include "reliability/support.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using test::Dealtrail;
using test::ExitedWith;
using test::IsOneLine;
using test::ProcessResult;
using test::ReadBytes;
using test::Report;
using test::Size;
using test::TempDir;
using test::WriteFile;

// What verify is expected to say about an edited ledger, without and with
// the checkpoint of the ledger before the edit (0: it verifies).
struct Expected {
  std::string edit;
  std::int64_t first_bad = 0;
  std::int64_t first_bad_against = 0;
};

struct VerifyOutcome {
  ProcessResult process;
  bool ok = false;
  std::int64_t first_bad = 0;
};

VerifyOutcome RunVerify(const std::string& ledger, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"verify", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  VerifyOutcome v;
  v.process = Dealtrail(ledger, args);
  const auto j = nlohmann::json::parse(v.process.out, nullptr, false);
  if (j.is_object()) {
    v.ok = j.value("ok", false);
    if (j.contains("first_bad_seq") && j["first_bad_seq"].is_number_integer()) {
      v.first_bad = j["first_bad_seq"].get<std::int64_t>();
    }
  }
  return v;
}

// A plain SQLite connection with the append-only triggers dropped: what a
// person with the file and the sqlite3 shell can do.
class Tamperer {
 public:
  // Every edit in one transaction, committed by Commit() or on destruction
  // (one fsync per round rather than one per statement). The append-only
  // triggers are dropped for the edits and, unless `restore_triggers` is
  // false, put back before the commit, as a careful forger would: verify
  // must find the edit itself, not only the missing triggers.
  explicit Tamperer(const std::string& path, bool restore_triggers = true)
      : db_(path, SQLite::OPEN_READWRITE) {
    db_.exec("PRAGMA synchronous = OFF");
    db_.exec("BEGIN IMMEDIATE");
    std::vector<std::string> names;
    SQLite::Statement triggers(db_, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'");
    while (triggers.executeStep()) {
      names.push_back(triggers.getColumn(0).getString());
      if (restore_triggers) triggers_.push_back(triggers.getColumn(1).getString());
    }
    triggers.reset();
    for (const std::string& name : names) db_.exec("DROP TRIGGER " + name);
  }
  ~Tamperer() { Commit(); }
  Tamperer(const Tamperer&) = delete;
  Tamperer& operator=(const Tamperer&) = delete;
  void Commit() {
    if (sqlite3_get_autocommit(db_.getHandle()) != 0) return;
    for (const std::string& sql : triggers_) db_.tryExec(sql);
    db_.tryExec("COMMIT");
  }
  SQLite::Database& db() { return db_; }
  std::int64_t Count() { return db_.execAndGet("SELECT count(*) FROM events").getInt64(); }
  bool IsNull(std::int64_t seq, const std::string& column) {
    SQLite::Statement q(db_, "SELECT " + column + " IS NULL FROM events WHERE seq = ?");
    q.bind(1, static_cast<int64_t>(seq));
    q.executeStep();
    return q.getColumn(0).getInt() != 0;
  }
  std::string Text(std::int64_t seq, const std::string& column) {
    SQLite::Statement q(db_, "SELECT " + column + " FROM events WHERE seq = ?");
    q.bind(1, static_cast<int64_t>(seq));
    q.executeStep();
    return q.getColumn(0).isNull() ? "" : q.getColumn(0).getString();
  }
  void Set(std::int64_t seq, const std::string& assignment) {
    db_.exec("UPDATE events SET " + assignment + " WHERE seq = " + std::to_string(seq));
  }
  void MoveSeq(std::int64_t from, std::int64_t to) {
    db_.exec("UPDATE events SET seq = " + std::to_string(to) +
             " WHERE seq = " + std::to_string(from));
  }
  // Copies row `from` as a new row `seq` with event id `id`.
  void InsertCopy(std::int64_t from, std::int64_t seq, const std::string& id) {
    std::string columns;
    std::string values;
    SQLite::Statement info(db_, "PRAGMA table_info(events)");
    while (info.executeStep()) {
      const std::string c = info.getColumn(1).getString();
      columns += (columns.empty() ? "" : ", ") + c;
      values += (values.empty() ? "" : ", ") + (c == "seq"        ? std::to_string(seq)
                                                : c == "event_id" ? "'" + id + "'"
                                                                  : c);
    }
    db_.exec("INSERT INTO events (" + columns + ") SELECT " + values +
             " FROM events WHERE seq = " + std::to_string(from));
  }

 private:
  SQLite::Database db_;
  std::vector<std::string> triggers_;  // CREATE TRIGGER statements to put back
};

// Recomputes every hash from `from` on, as a forger who knows the chain
// algorithm would after an edit.
void Rechain(const std::string& path, std::int64_t from) {
  std::vector<Event> events;
  {
    auto ledger = Ledger::Open(path, SystemClock(), /*read_only=*/true);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE(ledger
                    ->ForEachEvent([&](const Event& e) {
                      events.push_back(e);
                      return Status{};
                    })
                    .ok());
  }
  Tamperer t(path);
  std::string prev(kGenesisHash);
  for (const Event& e : events) {
    if (e.seq >= from) {
      const std::string hash = ChainHash(prev, e);
      t.Set(e.seq, "hash = '" + hash + "'");
      prev = hash;
    } else {
      prev = e.hash;
    }
  }
}

class TamperTest : public testing::Test {
 protected:
  void SetUp() override {
    pristine_ = dir_.File("pristine.db");
    work_ = dir_.File("work.db");
    checkpoint_ = dir_.File("checkpoint.json");
    ASSERT_EQ(Dealtrail(pristine_, {"init"}).exit_code, 0);
    ASSERT_EQ(Dealtrail(pristine_, {"import", test::FixturePath()}).exit_code, 0);
    // A few more events recorded now, so the chain ends on ordinary events.
    for (int i = 1; i <= 15; ++i) {
      const std::string id = "extra-" + std::to_string(i);
      const ProcessResult r = Dealtrail(
          pristine_,
          {"record", "open", "--id", id, "--commitment", id, "--kind", "debt", "--from", "amazon",
           "--to", "softbank", "--amount", "$" + std::to_string(i) + "M", "--date",
           "2026-03-0" + std::to_string(1 + i % 9), "--note", "extra event " + std::to_string(i)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const ProcessResult cp = Dealtrail(pristine_, {"verify", "--checkpoint-out", checkpoint_});
    ASSERT_EQ(cp.exit_code, 0) << cp.err;
    events_ = test::EventCount(pristine_);
    SQLite::Database db(pristine_, SQLite::OPEN_READONLY);
    last_party_seq_ =
        db.execAndGet("SELECT max(seq) FROM events WHERE kind LIKE 'party-%'").getInt64();
    pristine_export_ = Dealtrail(pristine_, {"export"}).out;
  }

  ChainCheckpoint ReadCheckpoint() const {
    const auto j = nlohmann::json::parse(ReadBytes(checkpoint_));
    return {j["events"].get<std::int64_t>(), j["head_hash"].get<std::string>()};
  }

  // Applies one seeded random edit to work_ and says what verify must find.
  Expected RandomEdit(std::mt19937_64& rng) {
    const std::int64_t n = events_;
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    Tamperer t(work_);
    const int kind = static_cast<int>(pick(0, 9));
    const std::int64_t k = pick(1, n);
    const std::string at = " at " + std::to_string(k);
    switch (kind) {
      case 0:
      case 1:
      case 2: {  // change one column of one row
        struct Change {
          std::string column;
          std::string assignment;
          bool needs_value;  // only where the column is set
        };
        const std::string digit = t.Text(k, "substr(recorded_at, 26, 1)") == "7" ? "3" : "7";
        const std::vector<Change> changes = {
            {"amount_minor", "amount_minor = amount_minor + 1", true},
            {"amount_bound",
             "amount_bound = CASE amount_bound WHEN 'exact' THEN 'about' ELSE 'exact' END", true},
            {"currency", "currency = CASE currency WHEN 'USD' THEN 'EUR' ELSE 'USD' END", true},
            {"note", "note = 'tampered note'", false},
            {"source", "source = 'Tampered Times'", false},
            {"terms", "terms = 'tampered terms'", false},
            {"url", "url = 'https://tampered.example'", false},
            {"certainty",
             "certainty = CASE certainty WHEN 'closed' THEN 'rumored' ELSE 'closed' END", true},
            {"effective_date",
             "effective_date = date(effective_date, '-1 day'), date_precision = 'day'", false},
            {"recorded_at", "recorded_at = substr(recorded_at, 1, 25) || '" + digit + "Z'", false},
            {"event_id", "event_id = 'forged-" + std::to_string(k) + "'", false},
            {"hash", "hash = '" + std::string(64, 'f') + "'", false},
            {"commitment_id", "commitment_id = 'tampered-commitment'", true},
            {"from_party", "from_party = to_party, to_party = from_party", true},
            {"name", "name = 'Forged Name'", true},
            {"aliases", "aliases = '[\"Forged Alias\"]'", true},
            {"published", "published = date(published, '+1 day')", true},
            {"kind",
             "kind = CASE kind WHEN 'cancel' THEN 'expire' WHEN 'expire' THEN 'complete' "
             "ELSE 'cancel' END",
             false},
        };
        std::vector<const Change*> usable;
        for (const Change& c : changes) {
          if (c.needs_value && t.IsNull(k, c.column)) continue;
          if (c.column == "kind" && t.Text(k, "kind") != "cancel" &&
              t.Text(k, "kind") != "expire" && t.Text(k, "kind") != "complete") {
            continue;
          }
          usable.push_back(&c);
        }
        const Change& c = *usable[static_cast<std::size_t>(
            pick(0, static_cast<std::int64_t>(usable.size()) - 1))];
        t.Set(k, c.assignment);
        return {"change " + c.column + at, k, k};
      }
      case 3: {  // delete one row: a gap, or (the last row) a clean truncation
        t.db().exec("DELETE FROM events WHERE seq = " + std::to_string(k));
        return {"delete" + at, k == n ? 0 : k, k};
      }
      case 4: {  // swap two rows' places
        std::int64_t j = pick(1, n - 1);
        if (j >= k) ++j;
        const std::int64_t lo = std::min(j, k);
        const std::int64_t hi = std::max(j, k);
        t.MoveSeq(lo, n + 1000);
        t.MoveSeq(hi, lo);
        t.MoveSeq(n + 1000, hi);
        return {"swap " + std::to_string(lo) + " and " + std::to_string(hi), lo, lo};
      }
      case 5: {  // rotate a run of rows by one
        const std::int64_t lo = std::min<std::int64_t>(k, n - 1);
        const std::int64_t hi = pick(lo + 1, n);
        t.MoveSeq(lo, n + 1000);
        for (std::int64_t s = lo + 1; s <= hi; ++s) t.MoveSeq(s, s - 1);
        t.MoveSeq(n + 1000, hi);
        return {"rotate " + std::to_string(lo) + ".." + std::to_string(hi), lo, lo};
      }
      case 6: {  // a forged copy of a row, appended
        t.InsertCopy(k, n + 1, "forged-copy");
        return {"append a copy of" + at, n + 1, n + 1};
      }
      case 7: {  // a forged copy of a row, inserted in the middle
        const std::int64_t place = pick(1, n);
        for (std::int64_t s = n; s >= place; --s) t.MoveSeq(s, s + 1);
        t.InsertCopy(k < place ? k : k + 1, place, "forged-insert");
        return {"insert a copy of " + std::to_string(k) + " at " + std::to_string(place), place,
                place};
      }
      case 8: {  // truncate: the chain alone sees nothing; the checkpoint does
        const std::int64_t from = pick(last_party_seq_ + 1, n);
        t.db().exec("DELETE FROM events WHERE seq >= " + std::to_string(from));
        return {"truncate from " + std::to_string(from), 0, from};
      }
      default: {  // change an amount and re-hash the rest of the chain
        std::int64_t row = k;
        // Not a funding: more funded than committed would fail replay's check.
        while (row <= n && (t.IsNull(row, "amount_minor") || t.Text(row, "kind") == "fund")) ++row;
        if (row > n) row = n;
        if (!t.IsNull(row, "amount_minor")) {
          t.Set(row, "amount_minor = amount_minor + 100");
        } else {
          t.Set(row, "note = 'rewritten'");
        }
        t.Commit();
        Rechain(work_, row);
        // Only the checkpoint knows: event n no longer has its hash.
        return {"rewrite " + std::to_string(row) + " and re-hash", 0, n};
      }
    }
  }

  TempDir dir_;
  std::string pristine_;
  std::string work_;
  std::string checkpoint_;
  std::int64_t events_ = 0;
  std::int64_t last_party_seq_ = 0;
  std::string pristine_export_;
};

TEST_F(TamperTest, VerifyNamesTheFirstBadEventOfEveryRandomEdit) {
  const auto rounds = Size("DEALTRAIL_TAMPER_ROUNDS", 200, 2000, 50);
  std::mt19937_64 rng(test::Seed(20260320));
  const ChainCheckpoint checkpoint = ReadCheckpoint();
  std::map<std::string, int> kinds;
  for (std::int64_t round = 0; round < rounds; ++round) {
    test::CopyLedger(pristine_, work_);
    const Expected e = RandomEdit(rng);
    ASSERT_FALSE(HasFatalFailure());
    SCOPED_TRACE("round " + std::to_string(round) + ": " + e.edit);
    ++kinds[e.edit.substr(0, e.edit.find(' '))];

    // One of the two checks runs `dealtrail verify`, the other the library's
    // Verify in this process, alternating: both paths see half the rounds,
    // at half the cost of two processes a round.
    const bool cli_plain = round % 2 == 0;
    for (const bool with_checkpoint : {false, true}) {
      SCOPED_TRACE(with_checkpoint ? "verify --against" : "verify");
      const std::int64_t expected = with_checkpoint ? e.first_bad_against : e.first_bad;
      if (cli_plain != with_checkpoint) {
        const VerifyOutcome v =
            with_checkpoint ? RunVerify(work_, {"--against", checkpoint_}) : RunVerify(work_);
        ASSERT_TRUE(v.process.exited) << v.process.Describe();
        if (expected == 0) {
          EXPECT_EQ(v.process.exit_code, 0) << v.process.err;
          EXPECT_TRUE(v.ok) << v.process.out;
          continue;
        }
        EXPECT_EQ(v.process.exit_code, 1) << v.process.out;
        EXPECT_FALSE(v.ok);
        EXPECT_EQ(v.first_bad, expected) << v.process.out;
        EXPECT_TRUE(IsOneLine(v.process.err)) << v.process.err;
        EXPECT_EQ(v.process.err.rfind("dealtrail verify: ", 0), 0u) << v.process.err;
      } else {
        auto ledger = Ledger::Open(work_, SystemClock(), /*read_only=*/true);
        ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
        auto report = ledger->Verify(with_checkpoint ? std::optional(checkpoint) : std::nullopt);
        ASSERT_TRUE(report.ok()) << report.status().ToString();
        EXPECT_EQ(report->ok(), expected == 0);
        EXPECT_EQ(report->first_bad_seq, expected);
      }
    }
    if (HasFailure()) break;
  }
  std::string summary;
  for (const auto& [k, n] : kinds)
    summary += (summary.empty() ? "" : ", ") + k + " " + std::to_string(n);
  Report(std::to_string(rounds) + " random edits of a " + std::to_string(events_) +
         "-event ledger, each found with its first bad event: " + summary);
}

TEST_F(TamperTest, ACheckpointCatchesACleanTruncation) {
  test::CopyLedger(pristine_, work_);
  {
    Tamperer t(work_);
    t.db().exec("DELETE FROM events WHERE seq > " + std::to_string(events_ - 3));
  }
  // The chain that is left is whole: only the checkpoint knows.
  const VerifyOutcome plain = RunVerify(work_);
  EXPECT_TRUE(plain.ok) << plain.process.out;
  const ProcessResult against = Dealtrail(work_, {"verify", "--against", checkpoint_});
  EXPECT_EQ(against.exit_code, 1);
  EXPECT_EQ(against.err, "dealtrail verify: the ledger has " + std::to_string(events_ - 3) +
                             " events; the checkpoint has " + std::to_string(events_) +
                             ": events were removed\n");
}

// Edits outside the hash chain: the parties and party_aliases tables (name
// resolution reads them: repointing the alias "NVDA" to another party would
// make the next `record --from NVDA` record that party), effective_end (read
// by SQL users), the schema's views and the append-only triggers themselves.
// verify rebuilds each from the events, or from the migrations, and compares.
TEST_F(TamperTest, VerifyFindsEditsOutsideTheHashChain) {
  struct Edit {
    const char* sql;
    bool restore_triggers;
    const char* says;
  } edits[] = {
      {"UPDATE parties SET name = 'Forged Name' WHERE party_id = 'nvidia'", true,
       "parties: the row for 'nvidia' differs from what its party event defines"},
      {"UPDATE party_aliases SET party_id = 'amazon' WHERE alias = 'NVDA'", true,
       "party_aliases: the row for 'nvda' differs"},
      {"INSERT INTO party_aliases SELECT 'forged alias', 'Forged Alias', 'openai', 1", true,
       "party_aliases: the row for 'forged alias' has no party event behind it"},
      {"DELETE FROM party_aliases WHERE alias = 'NVDA'", true,
       "party_aliases: the row for 'nvda' that its party event defines is missing"},
      {"UPDATE events SET effective_end = '2099-12-31' WHERE seq = 8", true,
       "event 8: effective_end 2099-12-31 is not the last day of"},
      {"DROP VIEW current_commitments; CREATE VIEW current_commitments AS SELECT 1 AS x", true,
       "schema: view current_commitments differs from the one dealtrail creates"},
      {"CREATE TRIGGER forged AFTER INSERT ON events BEGIN SELECT 1; END", true,
       "schema: trigger forged was not created by dealtrail"},
      {"SELECT 1", false, "schema: trigger events_no_update is missing"},
  };
  for (const Edit& edit : edits) {
    SCOPED_TRACE(edit.sql);
    test::CopyLedger(pristine_, work_);
    {
      Tamperer t(work_, edit.restore_triggers);
      t.db().exec(edit.sql);
    }
    const VerifyOutcome v = RunVerify(work_);
    EXPECT_EQ(v.process.exit_code, 1) << v.process.out;
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.process.out.find(edit.says), std::string::npos) << v.process.out;
  }
}

// Random bytes flipped anywhere in the file: every command ends by itself
// (no crash), and a ledger that verify passes exports exactly as before —
// corruption is either found or harmless.
TEST_F(TamperTest, FlippedBytesAreFoundOrHarmlessNeverACrash) {
  const auto rounds = Size("DEALTRAIL_CORRUPTION_ROUNDS", 100, 2000, 30);
  std::mt19937_64 rng(test::Seed(20260321));
  const std::string bytes = ReadBytes(pristine_);
  std::map<std::string, int> outcomes;
  for (std::int64_t round = 0; round < rounds; ++round) {
    std::string damaged = bytes;
    const int flips = std::uniform_int_distribution<int>(1, 16)(rng);
    std::string where;
    for (int i = 0; i < flips; ++i) {
      const auto at = std::uniform_int_distribution<std::size_t>(0, damaged.size() - 1)(rng);
      damaged[at] =
          static_cast<char>(damaged[at] ^ std::uniform_int_distribution<int>(1, 255)(rng));
      where += " " + std::to_string(at);
    }
    test::RemoveLedger(work_);
    WriteFile(work_, damaged);
    SCOPED_TRACE("round " + std::to_string(round) + ", bytes flipped at" + where);
    const ProcessResult verify = Dealtrail(work_, {"verify"});
    ASSERT_TRUE(ExitedWith(verify, {0, 1})) << verify.Describe() << ": " << verify.err;
    const ProcessResult exported = Dealtrail(work_, {"export"});
    ASSERT_TRUE(ExitedWith(exported, {0, 1})) << exported.Describe() << ": " << exported.err;
    const ProcessResult replay = Dealtrail(work_, {"replay", "--as-of", "2026-03-10"});
    ASSERT_TRUE(ExitedWith(replay, {0, 1})) << replay.Describe() << ": " << replay.err;
    if (verify.exit_code == 0) {
      ASSERT_EQ(exported.exit_code, 0) << exported.err;
      ASSERT_EQ(exported.out, pristine_export_) << "verify passed a ledger whose events changed";
      ++outcomes["harmless"];
      continue;
    }
    const std::string& err = verify.err;
    // Known product bug: integrity_check's report can span several lines.
    if (err.rfind("dealtrail verify: integrity_check: ", 0) == 0 && !IsOneLine(err)) {
      ++outcomes["integrity check (several lines: known bug)"];
      continue;
    }
    EXPECT_TRUE(IsOneLine(err)) << err;
    if (err.find("not a dealtrail ledger") != std::string::npos) {
      ++outcomes["not a ledger"];
    } else if (err.find("schema version") != std::string::npos) {
      ++outcomes["schema version"];
    } else if (err.find("damaged") != std::string::npos) {
      ++outcomes["damaged"];
    } else if (err.find("integrity_check") != std::string::npos ||
               err.find("foreign_key_check") != std::string::npos) {
      ++outcomes["integrity check"];
    } else if (err.find(": event ") != std::string::npos) {
      ++outcomes["hash chain"];
    } else if (err.find("SQLite error") != std::string::npos) {
      // A damaged schema ("no such column", "foreign key mismatch"): found,
      // though not yet called damaged (a known product bug).
      ++outcomes["raw SQLite error (known bug)"];
    } else {
      ++outcomes["other: " + err.substr(0, 80)];
    }
    for (const ProcessResult* r : {&exported, &replay}) {
      if (r->exit_code != 0) {
        EXPECT_TRUE(IsOneLine(r->err)) << r->err;
      }
    }
  }
  std::string summary;
  for (const auto& [k, n] : outcomes)
    summary += (summary.empty() ? "" : ", ") + k + " " + std::to_string(n);
  Report(std::to_string(rounds) + " files with 1-16 flipped bytes: " + summary);
}

}  // namespace
}  // namespace dealtrail
