// Concurrent writers and readers, as separate dealtrail processes on one
// ledger: writers recording and importing at once queue instead of failing
// ("database is locked" never reaches the user), every event lands exactly
// once with sequence numbers without gaps and a chain that verifies, and
// readers replaying and exporting meanwhile never see half an import.
// Racing `record revise --expect-version` processes: exactly one wins.
// `backup` while writers write: each copy is a consistent prefix.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "reliability/support.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using test::Child;
using test::Dealtrail;
using test::ExitedWith;
using test::IsOneLine;
using test::ProcessResult;
using test::Report;
using test::Size;
using test::TempDir;
using test::WriteFile;

constexpr int kHub = 9;  // party p9 receives every commitment; p0…p7 are writers' parties

bool MentionsLocking(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("locked") != std::string::npos || lower.find("busy") != std::string::npos;
}

// The batch an event id belongs to: "w2-b17-5" -> "w2-b17-"; "" for a record.
std::string BatchOf(const std::string& id) {
  const std::size_t b = id.find("-b");
  if (id.empty() || id[0] != 'w' || b == std::string::npos) return "";
  const std::size_t dash = id.find('-', b + 1);
  return dash == std::string::npos ? "" : id.substr(0, dash + 1);
}

// Writer processes: each thread runs its writer's plan (single records and
// imports of whole batches, in a seeded order) one process after another,
// so `writers` processes write at any moment.
class Writers {
 public:
  Writers(TempDir& dir, std::string ledger, int writers, int events_per_writer, int records,
          int batch, std::uint64_t seed)
      : dir_(dir), ledger_(std::move(ledger)), batch_(batch) {
    for (int w = 0; w < writers; ++w) {
      std::vector<std::string> steps;  // "r<i>" or "b<j>"
      for (int i = 0; i < records; ++i) steps.push_back("r" + std::to_string(i));
      const int imports = (events_per_writer - records) / batch;
      for (int j = 0; j < imports; ++j) steps.push_back("b" + std::to_string(j));
      std::mt19937_64 rng(seed + static_cast<std::uint64_t>(w));
      std::shuffle(steps.begin(), steps.end(), rng);
      plans_.push_back(std::move(steps));
      expected_ += records + imports * batch;
    }
  }

  void Start() {
    for (std::size_t w = 0; w < plans_.size(); ++w) {
      threads_.emplace_back([this, w] { Run(static_cast<int>(w)); });
    }
  }
  void Join() {
    for (std::thread& t : threads_) t.join();
  }
  // True once every writer has run its plan.
  bool done() const { return finished_ == plans_.size(); }
  std::int64_t expected_events() const { return expected_; }
  const std::vector<std::string>& failures() const { return failures_; }
  std::int64_t processes() const { return processes_; }

  // Every event id the writers write.
  std::set<std::string> ExpectedIds() const {
    std::set<std::string> ids;
    for (std::size_t w = 0; w < plans_.size(); ++w) {
      for (const std::string& step : plans_[w]) {
        const std::string base = "w" + std::to_string(w) + "-" + step;
        if (step[0] == 'r') {
          ids.insert(base);
        } else {
          for (int k = 1; k <= batch_; ++k) ids.insert(base + "-" + std::to_string(k));
        }
      }
    }
    return ids;
  }

 private:
  void Run(int w) {
    const std::string party = "p" + std::to_string(w);
    for (const std::string& step : plans_[static_cast<std::size_t>(w)]) {
      const std::string id = "w" + std::to_string(w) + "-" + step;
      ProcessResult r;
      if (step[0] == 'r') {
        r = Dealtrail(ledger_, {"record", "open", "--id", id, "--commitment", id, "--kind",
                                "equity", "--from", party, "--to", "p" + std::to_string(kHub),
                                "--amount", "$2M", "--date", "2025-03-01"});
      } else {
        // Half opens, half fundings of those opens: a reader that saw half
        // the import would see commitments without their funding.
        std::string text;
        for (int k = 1; k <= batch_; k += 2) {
          const std::string c = id + "-" + std::to_string(k);
          text += R"({"id":")" + c + R"(","kind":"open","date":"2025-03-01","commitment":")" + c +
                  R"(","commitment_kind":"equity","from":")" + party + R"(","to":"p)" +
                  std::to_string(kHub) + R"(","amount":"$2M"})" + "\n";
          if (k + 1 <= batch_) {
            text += R"({"id":")" + id + "-" + std::to_string(k + 1) +
                    R"(","kind":"fund","date":"2025-03-02","commitment":")" + c +
                    R"(","amount":"$1M"})" + "\n";
          }
        }
        const std::string file = dir_.File(id + ".jsonl");
        WriteFile(file, text);
        r = Dealtrail(ledger_, {"import", file});
      }
      ++processes_;
      if (!ExitedWith(r, {0}) || MentionsLocking(r.err) || MentionsLocking(r.out)) {
        std::lock_guard<std::mutex> lock(mu_);
        failures_.push_back(id + ": " + r.Describe() + ": " + r.err);
      }
    }
    ++finished_;
  }

  TempDir& dir_;
  std::string ledger_;
  int batch_;
  std::vector<std::vector<std::string>> plans_;
  std::int64_t expected_ = 0;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> finished_{0};
  std::atomic<std::int64_t> processes_{0};
  std::mutex mu_;
  std::vector<std::string> failures_;
};

// A reader process loop: export and replay, one snapshot each, checked.
class Reader {
 public:
  Reader(std::string ledger, int index, int batch, const Writers& writers)
      : ledger_(std::move(ledger)), index_(index), batch_(batch), writers_(writers) {}

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Join() { thread_.join(); }
  const std::vector<std::string>& problems() const { return problems_; }
  int snapshots() const { return snapshots_; }

 private:
  void Problem(const std::string& p) {
    if (problems_.size() < 20) problems_.push_back(p);
  }

  void CheckExport() {
    const ProcessResult r = Dealtrail(ledger_, {"export"});
    if (!ExitedWith(r, {0}) || MentionsLocking(r.err)) {
      Problem("export " + r.Describe() + ": " + r.err);
      return;
    }
    std::map<std::string, int> per_batch;
    std::int64_t seq = 0;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) {
        Problem("export line is not JSON: " + line.substr(0, 80));
        return;
      }
      if (j.value("seq", std::int64_t{0}) != ++seq) {
        Problem("export: seq " + std::to_string(j.value("seq", std::int64_t{0})) + " where " +
                std::to_string(seq) + " was expected");
        return;
      }
      const std::string b = BatchOf(j.value("id", ""));
      if (!b.empty()) ++per_batch[b];
    }
    for (const auto& [b, n] : per_batch) {
      if (n != batch_) {
        Problem("export saw " + std::to_string(n) + " of the " + std::to_string(batch_) +
                " events of import " + b);
      }
    }
    if (seq < last_count_) Problem("export saw fewer events than a snapshot before it");
    last_count_ = seq;
    ++snapshots_;
  }

  void CheckReplay(int party) {
    const ProcessResult r = Dealtrail(ledger_, {"replay", "--as-of", "2025-12-31", "--format",
                                                "json", "--party", "p" + std::to_string(party)});
    if (!ExitedWith(r, {0}) || MentionsLocking(r.err)) {
      Problem("replay " + r.Describe() + ": " + r.err);
      return;
    }
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (!j.is_object() || !j.contains("commitments")) {
      Problem("replay output is not the documented JSON");
      return;
    }
    std::map<std::string, int> per_batch;
    for (const auto& c : j["commitments"]) {
      const std::string id = c.value("id", "");
      const std::string b = BatchOf(id);
      if (b.empty()) continue;
      ++per_batch[b];
      // Each opened commitment of an import has its funding in the same import.
      const int expected_version = std::stoi(id.substr(b.size())) + 1 <= batch_ ? 2 : 1;
      if (c.value("version", 0) != expected_version) {
        Problem("replay saw " + id + " at version " + std::to_string(c.value("version", 0)) +
                ": its import was seen in part");
      }
    }
    for (const auto& [b, n] : per_batch) {
      if (n != (batch_ + 1) / 2) {
        Problem("replay saw " + std::to_string(n) + " of the commitments of import " + b);
      }
    }
    ++snapshots_;
  }

  void Run() {
    int round = 0;
    // At least a few snapshots, and then until the writers are done.
    while (!writers_.done() || round < 4) {
      if (round % 2 == 0) {
        CheckExport();
      } else {
        CheckReplay((round / 2 + index_) % 4);
      }
      ++round;
    }
  }

  std::string ledger_;
  int index_;
  int batch_;
  const Writers& writers_;
  std::thread thread_;
  std::vector<std::string> problems_;
  int snapshots_ = 0;
  std::int64_t last_count_ = 0;
};

class ConcurrencyTest : public testing::Test {
 protected:
  void SetUp() override {
    ledger_ = dir_.File("ledger.db");
    ASSERT_EQ(Dealtrail(ledger_, {"init"}).exit_code, 0);
    const std::string parties = dir_.File("parties.jsonl");
    WriteFile(parties, test::PartiesJsonl(kHub + 1));
    ASSERT_EQ(Dealtrail(ledger_, {"import", parties}).exit_code, 0);
  }

  std::vector<std::string> AllIds() {
    SQLite::Database db(ledger_, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT event_id FROM events ORDER BY seq");
    std::vector<std::string> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    return ids;
  }

  TempDir dir_;
  std::string ledger_;
};

TEST_F(ConcurrencyTest, WritersAndReadersLoseNothingAndSeeWholeImports) {
  const int writers = 4;
  const auto per_writer = static_cast<int>(Size("DEALTRAIL_CONCURRENCY_EVENTS", 2000, 25000, 500));
  const int batch = per_writer >= 10000 ? 100 : 25;  // events per import
  // About 2.5 % single records, the rest whole imports: 50 + 78 x 25 of
  // 2,000; 700 + 243 x 100 of 25,000.
  int records = per_writer / 40;
  records += (per_writer - records) % batch;
  const std::uint64_t seed = test::Seed(20260318);
  Writers w(dir_, ledger_, writers, per_writer, records, batch, seed);
  std::vector<std::unique_ptr<Reader>> readers;
  for (int r = 0; r < 2; ++r) readers.push_back(std::make_unique<Reader>(ledger_, r, batch, w));
  const auto start = std::chrono::steady_clock::now();
  w.Start();
  for (auto& r : readers) r->Start();
  w.Join();
  for (auto& r : readers) r->Join();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);

  for (const std::string& f : w.failures()) ADD_FAILURE() << "writer: " << f;
  int snapshots = 0;
  for (auto& r : readers) {
    for (const std::string& p : r->problems()) ADD_FAILURE() << "reader: " << p;
    snapshots += r->snapshots();
  }

  // Every event exactly once, sequence numbers without gaps, a chain that verifies.
  const std::vector<std::string> ids = AllIds();
  const std::int64_t parties = kHub + 1;
  ASSERT_EQ(static_cast<std::int64_t>(ids.size()), parties + w.expected_events());
  std::set<std::string> written(ids.begin() + parties, ids.end());
  EXPECT_EQ(written.size(), ids.size() - static_cast<std::size_t>(parties)) << "an id twice";
  EXPECT_TRUE(written == w.ExpectedIds()) << "the events written are not the events sent";
  EXPECT_TRUE(test::SeqWithoutGaps(ledger_));
  const ProcessResult verify = Dealtrail(ledger_, {"verify"});
  EXPECT_TRUE(ExitedWith(verify, {0})) << verify.err << verify.out;
  Report(std::to_string(writers) + " writers x " + std::to_string(per_writer) + " events (" +
         std::to_string(w.processes()) + " writer processes, imports of " + std::to_string(batch) +
         "), 2 readers: " + std::to_string(snapshots) + " snapshots checked, " +
         std::to_string(static_cast<int>(seconds.count())) + " s");
}

TEST_F(ConcurrencyTest, RacingRevisersNeverBothWin) {
  const auto rounds = Size("DEALTRAIL_RACE_ROUNDS", 10, 100, 5);
  const int racers = 6;
  ASSERT_EQ(
      Dealtrail(ledger_, {"record", "open", "--commitment", "race", "--kind", "pledge", "--from",
                          "p0", "--to", "p1", "--amount", "up to $100B", "--date", "2025-01-01"})
          .exit_code,
      0);
  for (std::int64_t round = 0; round < rounds; ++round) {
    const std::string version = std::to_string(round + 1);  // open is version 1
    std::vector<Child> children;
    for (int i = 0; i < racers; ++i) {
      // Different amounts: each racer's revision is a different event.
      const std::string amount = "up to $" + std::to_string(1000 + round * racers + i) + "M";
      children.emplace_back(std::vector<std::string>{
          test::Binary(), "--ledger", ledger_, "record", "revise", "--commitment", "race",
          "--expect-version", version, "--amount", amount, "--date", "2025-02-01"});
    }
    int won = 0;
    for (int i = 0; i < racers; ++i) {
      const ProcessResult r = children[static_cast<std::size_t>(i)].Wait();
      if (ExitedWith(r, {0})) {
        ++won;
        EXPECT_EQ(r.out.rfind("recorded event", 0), 0u) << r.out;
        continue;
      }
      ASSERT_TRUE(ExitedWith(r, {4})) << "round " << round << ": " << r.Describe() << ": " << r.err;
      EXPECT_TRUE(IsOneLine(r.err)) << r.err;
      EXPECT_NE(r.err.find("--expect-version: commitment 'race' is at version"), std::string::npos)
          << r.err;
      EXPECT_NE(r.err.find("it has moved on"), std::string::npos) << r.err;
    }
    ASSERT_EQ(won, 1) << "round " << round << ": " << won << " of " << racers
                      << " revisers of version " << version << " won";
  }
  const ProcessResult replay =
      Dealtrail(ledger_, {"replay", "--as-of", "2025-12-31", "--format", "json"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  const auto j = nlohmann::json::parse(replay.out);
  ASSERT_EQ(j["commitments"].size(), 1u);
  EXPECT_EQ(j["commitments"][0]["version"].get<std::int64_t>(), rounds + 1);
  EXPECT_EQ(Dealtrail(ledger_, {"verify"}).exit_code, 0);
  Report(std::to_string(rounds) + " rounds of " + std::to_string(racers) +
         " racing revisers: one winner each");
}

TEST_F(ConcurrencyTest, BackupWhileWritingIsAConsistentSnapshot) {
  const auto per_writer = static_cast<int>(Size("DEALTRAIL_BACKUP_WRITER_EVENTS", 400, 5000, 150));
  Writers w(dir_, ledger_, 2, per_writer, per_writer / 20, 20, test::Seed(20260319));
  w.Start();
  std::vector<std::string> backups;
  while (!w.done() || backups.size() < 3) {
    const std::string dest = dir_.File("backup-" + std::to_string(backups.size()) + ".db");
    const ProcessResult r = Dealtrail(ledger_, {"backup", dest});
    if (!ExitedWith(r, {0})) {
      ADD_FAILURE() << "backup " << r.Describe() << ": " << r.err;
      break;
    }
    backups.push_back(dest);
  }
  w.Join();
  for (const std::string& f : w.failures()) ADD_FAILURE() << "writer: " << f;
  const std::string final_export = Dealtrail(ledger_, {"export"}).out;
  std::set<std::int64_t> sizes;
  for (const std::string& b : backups) {
    SCOPED_TRACE(b);
    const ProcessResult verify = Dealtrail(b, {"verify"});
    EXPECT_TRUE(ExitedWith(verify, {0})) << verify.err << verify.out;
    // A consistent copy is the ledger as it was at one moment: a prefix of
    // what it holds now.
    const std::string copy = Dealtrail(b, {"export"}).out;
    EXPECT_EQ(final_export.compare(0, copy.size(), copy), 0) << "not a prefix of the ledger";
    sizes.insert(test::EventCount(b));
  }
  Report(std::to_string(backups.size()) + " backups while 2 writers wrote " +
         std::to_string(w.expected_events()) + " events; " + std::to_string(sizes.size()) +
         " distinct sizes, each a verified prefix");
}

}  // namespace
}  // namespace dealtrail
