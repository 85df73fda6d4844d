// Crash safety: the real dealtrail binary is killed with SIGKILL at seeded
// random points during a large import, during single records and during a
// backup; after each kill the ledger passes PRAGMA integrity_check and
// `dealtrail verify`, holds the events it held before plus whole committed
// imports only, and running the same command again completes it exactly
// once. Disk full: an import that does not fit (max_page_count, a file size
// limit, a small tmpfs) fails with a clear error and leaves the file as it was.
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include <SQLiteCpp/Database.h>

#include "dealtrail/ledger.h"
#include "dealtrail/reader.h"
#include "reliability/support.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using std::chrono::microseconds;
using test::CopyLedger;
using test::Dealtrail;
using test::EventCount;
using test::EventsWithIdPrefix;
using test::ExitedWith;
using test::IntegrityCheck;
using test::IsOneLine;
using test::ProcessOptions;
using test::ProcessResult;
using test::ReadBytes;
using test::Report;
using test::Size;
using test::TempDir;
using test::WriteFile;

constexpr int kParties = 10;

// "imported 3 events (events 1–3); 2 already present" -> {3, 2}. (No
// std::regex: under the sanitizers gcc 12 warns inside <regex>.)
std::optional<std::pair<std::int64_t, std::int64_t>> ImportSummary(const std::string& out) {
  const std::size_t imported = out.find("imported ");
  const std::size_t semicolon = out.find("; ", imported);
  const std::size_t present = out.find(" already present\n", semicolon);
  if (imported == std::string::npos || semicolon == std::string::npos ||
      present == std::string::npos) {
    return std::nullopt;
  }
  return std::pair{std::atoll(out.c_str() + imported + 9), std::atoll(out.c_str() + semicolon + 2)};
}

microseconds Median(std::vector<microseconds> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Keeps a ledger that failed a check where a person can look at it.
std::string KeepForInspection(const std::string& path, const std::string& what) {
  std::string kept = (std::filesystem::temp_directory_path() /
                      ("dealtrail-" + what + "-" + std::to_string(::getpid()) + ".db"))
                         .string();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::copy_file(path + suffix, kept + suffix,
                               std::filesystem::copy_options::overwrite_existing, ec);
  }
  return kept;
}

class CrashTest : public testing::Test {
 protected:
  void SetUp() override {
    base_ = dir_.File("base.db");
    work_ = dir_.File("work.db");
    ASSERT_EQ(Dealtrail(base_, {"init"}).exit_code, 0);
    const std::string parties = dir_.File("parties.jsonl");
    WriteFile(parties, test::PartiesJsonl(kParties));
    ASSERT_EQ(Dealtrail(base_, {"import", parties}).exit_code, 0);
    const std::string earlier = dir_.File("earlier.jsonl");
    WriteFile(earlier, test::BatchJsonl("earlier", 200, kParties));
    const ProcessResult r = Dealtrail(base_, {"import", earlier});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    base_events_ = EventCount(base_);
  }

  // Checks the ledger after a kill: verify passes (run first, so it is the
  // one that recovers the WAL), integrity_check is ok.
  void ExpectSound(const std::string& path, const std::string& context) {
    const ProcessResult verify = Dealtrail(path, {"verify"});
    ASSERT_TRUE(ExitedWith(verify, {0}))
        << context << ": verify " << verify.Describe() << ": " << verify.err << verify.out
        << "\nledger kept at " << KeepForInspection(path, "crash");
    const std::string integrity = IntegrityCheck(path);
    ASSERT_EQ(integrity, "ok") << context << "\nledger kept at "
                               << KeepForInspection(path, "crash");
  }

  TempDir dir_;
  std::string base_;
  std::string work_;
  std::int64_t base_events_ = 0;
};

TEST_F(CrashTest, KillDuringImportLeavesNothingOrEverything) {
  const auto kill_points = Size("DEALTRAIL_KILL_POINTS", 50, 500, 20);
  const auto batch = static_cast<int>(Size("DEALTRAIL_CRASH_IMPORT_EVENTS", 2000, 5000, 500));
  std::mt19937_64 rng(test::Seed(20260315));
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, test::BatchJsonl("batch", batch, kParties));

  // How long an import takes here, uninterrupted: kill delays are drawn
  // around it, so kills land before, during and after the transaction on a
  // fast machine and under the sanitizers alike.
  std::vector<microseconds> runs;
  for (int i = 0; i < 3; ++i) {
    CopyLedger(base_, work_);
    const ProcessResult r = Dealtrail(work_, {"import", file});
    ASSERT_TRUE(ExitedWith(r, {0})) << r.Describe() << ": " << r.err;
    runs.push_back(r.elapsed);
  }
  const microseconds t = Median(runs);
  ASSERT_EQ(EventCount(work_), base_events_ + batch);

  int rolled_back = 0;
  int committed_then_killed = 0;
  int finished = 0;
  for (std::int64_t point = 0; point < kill_points; ++point) {
    CopyLedger(base_, work_);
    // A third of the kills anywhere, a third early (opening, reading), a
    // third around the end (commit, WAL checkpoint, close).
    const double f = std::uniform_real_distribution<double>(0, 1)(rng);
    const int region = static_cast<int>(point % 3);
    const double at = region == 0 ? 1.15 * f : region == 1 ? 0.3 * f : 0.8 + 0.3 * f;
    const auto delay = microseconds(static_cast<std::int64_t>(at * static_cast<double>(t.count())));
    const std::string context = "kill point " + std::to_string(point) + " at " +
                                std::to_string(delay.count()) + "us of " +
                                std::to_string(t.count()) + "us";
    ProcessOptions kill;
    kill.kill_after = delay;
    const ProcessResult r = Dealtrail(work_, {"import", file}, kill);
    ASSERT_TRUE(r.killed_by_us || ExitedWith(r, {0}))
        << context << ": " << r.Describe() << ": " << r.err;
    ASSERT_NO_FATAL_FAILURE(ExpectSound(work_, context));

    // All or nothing: the events before, plus the whole import or none of it.
    const std::int64_t count = EventCount(work_);
    const std::int64_t imported = EventsWithIdPrefix(work_, "batch-");
    ASSERT_TRUE((count == base_events_ && imported == 0) ||
                (count == base_events_ + batch && imported == batch))
        << context << ": " << count << " events (" << imported << " of the import) after a kill; "
        << "expected " << base_events_ << " or " << base_events_ + batch;
    if (!r.killed_by_us) {
      ++finished;
    } else if (imported == 0) {
      ++rolled_back;
    } else {
      ++committed_then_killed;
    }

    // Running the import again completes it exactly once, and a third run finds it all.
    const ProcessResult again = Dealtrail(work_, {"import", file});
    ASSERT_TRUE(ExitedWith(again, {0}))
        << context << ": rerun " << again.Describe() << ": " << again.err;
    const auto summary = ImportSummary(again.out);
    ASSERT_TRUE(summary) << again.out;
    EXPECT_EQ(summary->first, batch - imported) << context << ": " << again.out;
    EXPECT_EQ(summary->second, imported) << context << ": " << again.out;
    ASSERT_EQ(EventCount(work_), base_events_ + batch) << context;
    const ProcessResult third = Dealtrail(work_, {"import", file});
    ASSERT_TRUE(ExitedWith(third, {0})) << context << ": " << third.err;
    const auto none = ImportSummary(third.out);
    ASSERT_TRUE(none) << third.out;
    EXPECT_EQ(none->first, 0) << context;
    EXPECT_EQ(none->second, batch) << context;
    if (point % 5 == 4) {
      ASSERT_NO_FATAL_FAILURE(ExpectSound(work_, context + " after the rerun"));
    }
  }
  Report(std::to_string(kill_points) + " kill points during an import of " + std::to_string(batch) +
         " events (" + std::to_string(t.count() / 1000) + " ms uninterrupted): " +
         std::to_string(rolled_back) + " rolled back, " + std::to_string(committed_then_killed) +
         " killed after the commit, " + std::to_string(finished) + " finished before the kill");
  // The kills must have interrupted some imports, or this proved nothing.
  if (kill_points >= 20) {
    EXPECT_GT(rolled_back, 0);
  }
}

TEST_F(CrashTest, KillDuringRecordLeavesNothingOrTheEvent) {
  const auto kill_points = Size("DEALTRAIL_KILL_POINTS", 50, 500, 20);
  std::mt19937_64 rng(test::Seed(20260316));
  CopyLedger(base_, work_);
  auto record = [&](const std::string& id) {
    return std::vector<std::string>{
        "record", "open", "--id", id,   "--commitment", id,    "--kind", "equity",
        "--from", "p0",   "--to", "p1", "--amount",     "$1M", "--date", "2025-06-01"};
  };
  std::vector<microseconds> runs;
  for (int i = 0; i < 5; ++i) {
    const ProcessResult r = Dealtrail(work_, record("calibrate-" + std::to_string(i)));
    ASSERT_TRUE(ExitedWith(r, {0})) << r.err;
    runs.push_back(r.elapsed);
  }
  const microseconds t = Median(runs);

  int rolled_back = 0;
  int committed_then_killed = 0;
  int finished = 0;
  for (std::int64_t point = 0; point < kill_points; ++point) {
    std::string id = std::to_string(point);
    id = "killed-" + std::string(6 - std::min<std::size_t>(6, id.size()), '0') + id;
    const std::int64_t before = EventCount(work_);
    const double f = std::uniform_real_distribution<double>(0, 1.2)(rng);
    const auto delay = microseconds(static_cast<std::int64_t>(f * static_cast<double>(t.count())));
    const std::string context = "kill point " + std::to_string(point) + " at " +
                                std::to_string(delay.count()) + "us of " +
                                std::to_string(t.count()) + "us";
    ProcessOptions kill;
    kill.kill_after = delay;
    const ProcessResult r = Dealtrail(work_, record(id), kill);
    ASSERT_TRUE(r.killed_by_us || ExitedWith(r, {0}))
        << context << ": " << r.Describe() << ": " << r.err;
    ASSERT_NO_FATAL_FAILURE(ExpectSound(work_, context));
    const std::int64_t count = EventCount(work_);
    const std::int64_t present = EventsWithIdPrefix(work_, id);
    ASSERT_TRUE((count == before && present == 0) || (count == before + 1 && present == 1))
        << context << ": " << before << " events before, " << count << " after";
    if (!r.killed_by_us) {
      ++finished;
    } else if (present == 0) {
      ++rolled_back;
    } else {
      ++committed_then_killed;
    }
    const ProcessResult again = Dealtrail(work_, record(id));
    ASSERT_TRUE(ExitedWith(again, {0})) << context << ": " << again.err;
    EXPECT_EQ(again.out.rfind(present == 0 ? "recorded event" : "already recorded", 0), 0u)
        << context << ": " << again.out;
    const ProcessResult third = Dealtrail(work_, record(id));
    ASSERT_TRUE(ExitedWith(third, {0})) << context << ": " << third.err;
    EXPECT_EQ(third.out.rfind("already recorded as event " + std::to_string(before + 1), 0), 0u)
        << context << ": " << third.out;
    ASSERT_EQ(EventCount(work_), before + 1) << context;
  }
  ASSERT_TRUE(test::SeqWithoutGaps(work_));
  Report(std::to_string(kill_points) + " kill points during single records (" +
         std::to_string(t.count() / 1000) + " ms uninterrupted): " + std::to_string(rolled_back) +
         " rolled back, " + std::to_string(committed_then_killed) + " killed after the commit, " +
         std::to_string(finished) + " finished before the kill");
  if (kill_points >= 20) {
    EXPECT_GT(rolled_back, 0);
  }
}

TEST_F(CrashTest, KillDuringBackupLeavesTheLedgerAndNoHalfCopyThatPasses) {
  const auto kill_points = Size("DEALTRAIL_BACKUP_KILL_POINTS", 15, 150, 8);
  std::mt19937_64 rng(test::Seed(20260317));
  CopyLedger(base_, work_);
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, test::BatchJsonl("batch", 4000, kParties));
  ASSERT_EQ(Dealtrail(work_, {"import", file}).exit_code, 0);
  const std::string source_bytes = ReadBytes(work_);
  const std::string source_export = Dealtrail(work_, {"export"}).out;
  std::vector<microseconds> runs;
  for (int i = 0; i < 3; ++i) {
    const std::string dest = dir_.File("calibrate-" + std::to_string(i) + ".db");
    const ProcessResult r = Dealtrail(work_, {"backup", dest});
    ASSERT_TRUE(ExitedWith(r, {0})) << r.err;
    runs.push_back(r.elapsed);
  }
  const microseconds t = Median(runs);

  int absent = 0;
  int complete = 0;
  int partial = 0;
  for (std::int64_t point = 0; point < kill_points; ++point) {
    const std::string dest = dir_.File("backup-" + std::to_string(point) + ".db");
    const double f = std::uniform_real_distribution<double>(0, 1.2)(rng);
    const auto delay = microseconds(static_cast<std::int64_t>(f * static_cast<double>(t.count())));
    const std::string context = "kill point " + std::to_string(point) + " at " +
                                std::to_string(delay.count()) + "us of " +
                                std::to_string(t.count()) + "us";
    ProcessOptions kill;
    kill.kill_after = delay;
    const ProcessResult r = Dealtrail(work_, {"backup", dest}, kill);
    ASSERT_TRUE(r.killed_by_us || ExitedWith(r, {0})) << context << ": " << r.Describe();

    // The source is only read: untouched, byte for byte.
    ASSERT_TRUE(ReadBytes(work_) == source_bytes) << context << ": the backup changed the source";
    // A killed backup may leave its temporary DEST.partial-PID file, never
    // a partial DEST.
    // (and its journal).
    bool left_partial = false;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.File(""))) {
      left_partial |= entry.path().filename().string().starts_with(
          "backup-" + std::to_string(point) + ".db.partial-");
    }
    partial += left_partial ? 1 : 0;
    if (!std::filesystem::exists(dest)) {
      ++absent;
      continue;
    }
    // What DEST names is a whole copy.
    const ProcessResult verify = Dealtrail(dest, {"verify"});
    ASSERT_TRUE(ExitedWith(verify, {0})) << context << ": " << verify.Describe() << verify.err;
    ++complete;
    EXPECT_EQ(Dealtrail(dest, {"export"}).out, source_export) << context;
  }
  ASSERT_EQ(Dealtrail(work_, {"verify"}).exit_code, 0);
  Report(std::to_string(kill_points) + " kill points during a backup (" +
         std::to_string(t.count() / 1000) + " ms uninterrupted): " + std::to_string(absent) +
         " left no DEST (" + std::to_string(partial) + " of them a DEST.partial-PID file), " +
         std::to_string(complete) + " a whole copy");
}

// --- Disk full ---------------------------------------------------------------------------

// Imports `events` (JSONL) into the ledger at `path` opened with a limit of
// `extra_pages` past its size, and expects the import to fail as on a full
// disk and leave the file as it was. The limit, for what follows.
OpenOptions ExpectImportPastMaxPageCountFails(const std::string& path, const std::string& events,
                                              std::int64_t extra_pages) {
  OpenOptions limited;
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    limited.max_page_count = db.execAndGet("PRAGMA page_count").getInt64() + extra_pages;
  }
  const std::string before = ReadBytes(path);
  {
    auto ledger = Ledger::Open(path, SystemClock(), limited);
    EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
    if (!ledger.ok()) return limited;
    std::istringstream in(events);
    auto reader = MakeJsonlReader(in, "batch.jsonl");
    auto imported = ledger->Import(*reader);
    EXPECT_FALSE(imported.ok()) << "the import fitted in " << extra_pages << " pages";
    EXPECT_EQ(imported.status().code(), StatusCode::kIo) << imported.status().ToString();
    EXPECT_NE(imported.status().message().find("full"), std::string::npos)
        << imported.status().ToString();
  }
  EXPECT_TRUE(ReadBytes(path) == before) << "the failed import changed the file";
  EXPECT_EQ(Dealtrail(path, {"verify"}).exit_code, 0);
  return limited;
}

TEST_F(CrashTest, ImportPastMaxPageCountFailsAndChangesNothing) {
  CopyLedger(base_, work_);
  const std::string events = test::BatchJsonl("batch", 2000, kParties);
  const OpenOptions limited = ExpectImportPastMaxPageCountFails(work_, events, 4);
  ASSERT_FALSE(HasFailure());
  {
    // What fits under the limit still goes in.
    auto ledger = Ledger::Open(work_, SystemClock(), limited);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    auto small = test::MakeEvent({{"id", "small"},
                                  {"kind", "open"},
                                  {"date", "2025-06-01"},
                                  {"commitment", "small"},
                                  {"commitment_kind", "debt"},
                                  {"from", "p1"},
                                  {"to", "p2"},
                                  {"amount", "$5M"}});
    ASSERT_TRUE(small.ok());
    auto appended = ledger->Append(*small);
    EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  }
  EXPECT_EQ(EventCount(work_), base_events_ + 1);
  // Without the limit the same import goes through.
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, events);
  const ProcessResult r = Dealtrail(work_, {"import", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(EventCount(work_), base_events_ + 1 + 2000);
  EXPECT_EQ(Dealtrail(work_, {"verify"}).exit_code, 0);
}

// The same into a ledger without events, whose rows go in on a thread of
// their own (storage::InsertThread): the insert that fails is on that
// thread, and the import reports it and rolls back as the writer's own
// insert would.
TEST_F(CrashTest, ImportIntoAnEmptyLedgerPastMaxPageCountFailsAndChangesNothing) {
  const std::string empty = dir_.File("empty.db");
  ASSERT_EQ(Dealtrail(empty, {"init"}).exit_code, 0);
  const std::string events =
      test::PartiesJsonl(kParties) + test::BatchJsonl("batch", 2000, kParties);
  ExpectImportPastMaxPageCountFails(empty, events, 16);
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(EventCount(empty), 0);
  // Without the limit the same import goes through.
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, events);
  const ProcessResult r = Dealtrail(empty, {"import", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(EventCount(empty), kParties + 2000);
  EXPECT_EQ(Dealtrail(empty, {"verify"}).exit_code, 0);
}

// A file size limit (RLIMIT_FSIZE) on the real binary: its writes past the
// limit fail as on a full disk.
TEST_F(CrashTest, ImportPastAFileSizeLimitFailsClearlyAndChangesNothing) {
  CopyLedger(base_, work_);
  const std::string before = ReadBytes(work_);
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, test::BatchJsonl("batch", 3000, kParties));
  ProcessOptions limited;
  limited.file_size_limit = static_cast<off_t>(before.size()) + off_t{128} * 1024;
  const ProcessResult r = Dealtrail(work_, {"import", file}, limited);
  ASSERT_TRUE(ExitedWith(r, {1})) << r.Describe() << ": " << r.err << r.out;
  EXPECT_TRUE(IsOneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("cannot read or write the ledger file"), std::string::npos) << r.err;
  EXPECT_TRUE(ReadBytes(work_) == before) << "the failed import changed the file";
  EXPECT_EQ(Dealtrail(work_, {"verify"}).exit_code, 0);
  EXPECT_EQ(EventCount(work_), base_events_);
  const ProcessResult again = Dealtrail(work_, {"import", file});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(EventCount(work_), base_events_ + 3000);
}

// A real full file system: a 1 MiB tmpfs. Needs root and the right to mount
// (CAP_SYS_ADMIN); skipped otherwise.
TEST_F(CrashTest, ImportOnAFullFileSystemFailsClearlyAndChangesNothing) {
  const std::string mount_point = dir_.File("tmpfs");
  std::filesystem::create_directories(mount_point);
  if (::geteuid() != 0 || ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "mounting a small tmpfs needs root and CAP_SYS_ADMIN: " << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mount_point};
  const std::string ledger = mount_point + "/ledger.db";
  CopyLedger(base_, ledger);
  const std::string before = ReadBytes(ledger);
  const std::string file = dir_.File("batch.jsonl");
  WriteFile(file, test::BatchJsonl("batch", 6000, kParties));
  const ProcessResult r = Dealtrail(ledger, {"import", file});
  ASSERT_TRUE(ExitedWith(r, {1})) << r.Describe() << ": " << r.err << r.out;
  EXPECT_TRUE(IsOneLine(r.err)) << r.err;
  EXPECT_NE(r.err.find("full"), std::string::npos) << r.err;
  EXPECT_TRUE(ReadBytes(ledger) == before) << "the failed import changed the file";
  EXPECT_EQ(Dealtrail(ledger, {"verify"}).exit_code, 0);
  EXPECT_EQ(EventCount(ledger), base_events_);
  // What fits still goes in.
  const ProcessResult small =
      Dealtrail(ledger, {"record", "open", "--commitment", "small", "--kind", "debt", "--from",
                         "p1", "--to", "p2", "--amount", "$5M", "--date", "2025-06-01"});
  EXPECT_EQ(small.exit_code, 0) << small.err;
  test::RemoveLedger(ledger);
}

}  // namespace
}  // namespace dealtrail
