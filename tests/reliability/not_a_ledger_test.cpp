// Files that are not ledgers — another SQLite database, an empty file,
// random bytes, a truncated ledger, a directory, a file with no schema — are
// refused by every command with one line saying "not a dealtrail ledger" or
// "damaged", exit code 1, never a crash, and the file is left as it was.
// A WAL that is garbage, or that belongs to another database, is ignored by
// SQLite; a WAL that went missing loses its commits, which a checkpoint
// saved before shows.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <random>

#include "reliability/support.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using test::Dealtrail;
using test::ExitedWith;
using test::IsOneLine;
using test::ProcessResult;
using test::ReadBytes;
using test::TempDir;
using test::WriteFile;

std::string RandomBytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

class NotALedgerTest : public testing::Test {
 protected:
  void SetUp() override {
    ledger_ = dir_.File("ledger.db");
    ASSERT_EQ(Dealtrail(ledger_, {"init"}).exit_code, 0);
    ASSERT_EQ(Dealtrail(ledger_, {"import", test::FixturePath()}).exit_code, 0);
    ledger_bytes_ = ReadBytes(ledger_);
    ledger_export_ = Dealtrail(ledger_, {"export"}).out;
  }

  // Every command, on `path`.
  std::vector<std::vector<std::string>> Commands() {
    return {
        {"verify"},
        {"export"},
        {"replay", "--as-of", "2026-03-01"},
        {"party", "list"},
        {"import", test::FixturePath()},
        {"record", "cancel", "--commitment", "amazon-openai-2026-equity", "--date", "2026-03-10"},
        {"party", "add", "acme", "--name", "Acme"},
        {"backup", dir_.File("backup-of-a-bad-file.db")},
    };
  }

  // Every command refuses `path` with one line saying `says`, exit 1, and
  // leaves it as it was.
  void ExpectRefusedByEveryCommand(const std::string& path,
                                   std::initializer_list<const char*> says) {
    const bool is_file = std::filesystem::is_regular_file(path);
    const std::string before = is_file ? ReadBytes(path) : "";
    for (const auto& args : Commands()) {
      std::string command;
      for (const std::string& a : args) command += a + " ";
      SCOPED_TRACE(command);
      const ProcessResult r = Dealtrail(path, args);
      EXPECT_TRUE(ExitedWith(r, {1})) << r.Describe() << ": " << r.err;
      EXPECT_TRUE(IsOneLine(r.err)) << r.err;
      bool said = false;
      for (const char* s : says) said = said || r.err.find(s) != std::string::npos;
      EXPECT_TRUE(said) << r.err;
      if (is_file) {
        EXPECT_TRUE(ReadBytes(path) == before) << "the command changed the file";
      }
      EXPECT_FALSE(std::filesystem::exists(dir_.File("backup-of-a-bad-file.db")));
    }
  }

  TempDir dir_;
  std::string ledger_;
  std::string ledger_bytes_;
  std::string ledger_export_;
};

TEST_F(NotALedgerTest, FilesThatAreNotLedgersAreRefusedByEveryCommand) {
  struct File {
    std::string name;
    std::string content;
  };
  std::string sqlite_header = std::string("SQLite format 3") + '\0';
  const std::vector<File> files = {
      {"empty file", ""},
      {"text file", "Meeting notes: Nvidia, OpenAI, 2026-02-19.\n"},
      {"4 KiB of random bytes", RandomBytes(4096, 1)},
      {"100 KiB of random bytes", RandomBytes(100 << 10, 2)},
      {"4 KiB of zeros", std::string(4096, '\0')},
      {"an SQLite header and then garbage", sqlite_header + RandomBytes(8192, 3)},
      {"the first 100 bytes of a ledger", ledger_bytes_.substr(0, 100)},
  };
  for (const File& f : files) {
    SCOPED_TRACE(f.name);
    const std::string path = dir_.File("bad.db");
    test::RemoveLedger(path);
    WriteFile(path, f.content);
    ExpectRefusedByEveryCommand(path, {"not a dealtrail ledger", "damaged"});
    test::RemoveLedger(path);
  }
}

TEST_F(NotALedgerTest, OtherSqliteDatabasesAreRefusedByEveryCommand) {
  struct Db {
    std::string name;
    std::string sql;
  } dbs[] = {
      {"another application's database", "CREATE TABLE notes (body TEXT)"},
      {"another application_id", "PRAGMA application_id = 305419896; CREATE TABLE t (x)"},
      {"a dealtrail application_id without a schema", "PRAGMA application_id = 1145853010"},
      {"an empty SQLite database in WAL mode", "PRAGMA journal_mode = WAL"},
  };
  for (const Db& d : dbs) {
    SCOPED_TRACE(d.name);
    const std::string path = dir_.File("other.db");
    test::RemoveLedger(path);
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db.exec(d.sql);
      db.exec("CREATE TABLE IF NOT EXISTS filler (x)");
    }
    ExpectRefusedByEveryCommand(path, {"not a dealtrail ledger"});
    test::RemoveLedger(path);
  }
}

TEST_F(NotALedgerTest, ADirectoryIsRefusedByEveryCommand) {
  const std::string path = dir_.File("a-directory.db");
  std::filesystem::create_directories(path);
  ExpectRefusedByEveryCommand(path, {"not a dealtrail ledger (it is a directory)"});
}

// Truncated ledgers, cut at a page, in the middle, and inside the last
// pages: verify refuses every one, and no command crashes — each either
// refuses the file or, where the pages it reads are intact, works.
std::vector<std::size_t> TruncationPoints(std::size_t size) {
  return {4096, size / 2, size - 4096, size - 1000};
}

TEST_F(NotALedgerTest, TruncatedLedgersAreRefusedByVerifyAndCrashNothing) {
  for (const std::size_t keep : TruncationPoints(ledger_bytes_.size())) {
    SCOPED_TRACE("truncated to " + std::to_string(keep) + " of " +
                 std::to_string(ledger_bytes_.size()) + " bytes");
    const std::string path = dir_.File("truncated.db");
    test::RemoveLedger(path);
    WriteFile(path, ledger_bytes_.substr(0, keep));
    const ProcessResult verify = Dealtrail(path, {"verify"});
    EXPECT_TRUE(ExitedWith(verify, {1})) << verify.Describe() << ": " << verify.err;
    EXPECT_FALSE(verify.err.empty());
    for (const auto& args : Commands()) {
      const ProcessResult r = Dealtrail(path, args);
      EXPECT_TRUE(ExitedWith(r, {0, 1})) << args[0] << ": " << r.Describe() << ": " << r.err;
      if (r.exit_code != 0) {
        EXPECT_FALSE(r.err.empty()) << args[0];
      }
    }
    EXPECT_FALSE(std::filesystem::exists(dir_.File("backup-of-a-bad-file.db")));
    test::RemoveLedger(path);
  }
}

// Damage confined to one index page: the copy `backup` makes (VACUUM INTO)
// reads only the tables and builds its indexes afresh, so it would come out
// whole and hide the damage. Backup checks the pages first and refuses, as
// verify does; the file is left as it was.
TEST_F(NotALedgerTest, ABackupRefusesALedgerWhoseOnlyDamageIsAnIndexPage) {
  std::int64_t page = 0;
  std::int64_t page_size = 0;
  {
    SQLite::Database db(ledger_, SQLite::OPEN_READONLY);
    page = db.execAndGet("SELECT rootpage FROM sqlite_schema WHERE name = 'events_by_commitment'")
               .getInt64();
    page_size = db.execAndGet("PRAGMA page_size").getInt64();
  }
  ASSERT_GT(page, 1);
  std::string bytes = ledger_bytes_;
  const auto at = static_cast<std::size_t>((page - 1) * page_size);
  ASSERT_LE(at + static_cast<std::size_t>(page_size), bytes.size());
  bytes.replace(at, static_cast<std::size_t>(page_size), RandomBytes(page_size, 7));
  const std::string path = dir_.File("damaged-index.db");
  WriteFile(path, bytes);

  const ProcessResult backup = Dealtrail(path, {"backup", dir_.File("backup-of-a-bad-file.db")});
  EXPECT_TRUE(ExitedWith(backup, {1})) << backup.Describe() << ": " << backup.err;
  EXPECT_TRUE(IsOneLine(backup.err)) << backup.err;
  EXPECT_NE(backup.err.find("damaged"), std::string::npos) << backup.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("backup-of-a-bad-file.db")));
  EXPECT_TRUE(ReadBytes(path) == bytes) << "backup changed the file";
  EXPECT_TRUE(ExitedWith(Dealtrail(path, {"verify"}), {1}));
}

// The same, held to the contract's wording: one line saying "damaged" or
// "not a dealtrail ledger", from every command.
TEST_F(NotALedgerTest, TruncatedLedgersAreRefusedInOneLineSayingDamaged) {
  for (const std::size_t keep : TruncationPoints(ledger_bytes_.size())) {
    SCOPED_TRACE("truncated to " + std::to_string(keep) + " bytes");
    const std::string path = dir_.File("truncated.db");
    test::RemoveLedger(path);
    WriteFile(path, ledger_bytes_.substr(0, keep));
    for (const auto& args : Commands()) {
      const ProcessResult r = Dealtrail(path, args);
      if (r.exit_code == 0 && args[0] != "verify") continue;
      EXPECT_TRUE(ExitedWith(r, {1})) << args[0] << ": " << r.Describe();
      EXPECT_TRUE(IsOneLine(r.err)) << args[0] << ": " << r.err;
      EXPECT_TRUE(r.err.find("damaged") != std::string::npos ||
                  r.err.find("not a dealtrail ledger") != std::string::npos)
          << args[0] << ": " << r.err;
    }
    test::RemoveLedger(path);
  }
}

// A WAL of random bytes, or another ledger's WAL, next to a ledger: SQLite
// checks the WAL's salt and checksums and ignores it; the ledger reads as it was.
TEST_F(NotALedgerTest, AForeignOrGarbageWalIsIgnored) {
  // Another ledger's WAL with committed frames: kept by holding a reader
  // open while a writer commits, so the writer's close cannot checkpoint it.
  const std::string other = dir_.File("other-ledger.db");
  ASSERT_EQ(Dealtrail(other, {"init"}).exit_code, 0);
  std::string foreign_wal;
  {
    SQLite::Database reader(other, SQLite::OPEN_READONLY);
    reader.exec("BEGIN; SELECT count(*) FROM events;");
    ASSERT_EQ(Dealtrail(other, {"import", test::FixturePath()}).exit_code, 0);
    foreign_wal = ReadBytes(other + "-wal");
    reader.exec("COMMIT");
  }
  ASSERT_GT(foreign_wal.size(), 32u);
  for (const auto& [name, wal] :
       {std::pair<std::string, std::string>{"garbage WAL", RandomBytes(40000, 4)},
        {"another ledger's WAL", foreign_wal}}) {
    SCOPED_TRACE(name);
    const std::string path = dir_.File("with-wal.db");
    test::RemoveLedger(path);
    WriteFile(path, ledger_bytes_);
    WriteFile(path + "-wal", wal);
    const ProcessResult verify = Dealtrail(path, {"verify"});
    EXPECT_TRUE(ExitedWith(verify, {0})) << verify.Describe() << ": " << verify.err;
    EXPECT_EQ(Dealtrail(path, {"export"}).out, ledger_export_);
    test::RemoveLedger(path);
  }
}

// A WAL deleted before it was checkpointed takes its commits with it; the
// file left is an older, consistent ledger, and the checkpoint saved after
// those commits shows what is missing.
TEST_F(NotALedgerTest, AMissingWalLosesItsCommitsAndTheCheckpointShowsIt) {
  const std::string path = dir_.File("wal.db");
  ASSERT_EQ(Dealtrail(path, {"init"}).exit_code, 0);
  ASSERT_EQ(Dealtrail(path, {"party", "add", "acme", "--name", "Acme"}).exit_code, 0);
  const std::string checkpoint = dir_.File("cp.json");
  {
    SQLite::Database reader(path, SQLite::OPEN_READONLY);
    reader.exec("BEGIN; SELECT count(*) FROM events;");
    ASSERT_EQ(Dealtrail(path, {"party", "add", "zenith", "--name", "Zenith"}).exit_code, 0);
    reader.exec("COMMIT");
    // The checkpoint is taken while the second event is only in the WAL.
    ASSERT_EQ(Dealtrail(path, {"verify", "--checkpoint-out", checkpoint}).exit_code, 0);
    ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
    const std::string lost = dir_.File("lost-wal.db");
    WriteFile(lost, ReadBytes(path));  // the file without its WAL
    EXPECT_EQ(Dealtrail(lost, {"verify"}).exit_code, 0);
    EXPECT_EQ(test::EventCount(lost), 1);
    const ProcessResult against = Dealtrail(lost, {"verify", "--against", checkpoint});
    EXPECT_EQ(against.exit_code, 1);
    EXPECT_NE(against.err.find("the ledger has 1 events; the checkpoint has 2"), std::string::npos)
        << against.err;
  }
}

// A write interrupted in rollback-journal mode (a backup killed half-way
// writes one) leaves a hot journal: read-only commands, which cannot roll it
// back, refuse the file as damaged in one line; a command that writes rolls
// it back, as SQLite does, and finds the ledger as it was.
TEST_F(NotALedgerTest, AFileWithAHotJournalIsDamagedForReadersAndRecoveredByAWriter) {
  const std::string source = dir_.File("journal-source.db");
  const std::string path = dir_.File("hot.db");
  WriteFile(source, ledger_bytes_);
  {
    SQLite::Database db(source, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA journal_mode = DELETE");
    db.exec("PRAGMA cache_size = 10");
    db.exec("BEGIN IMMEDIATE");
    db.exec("CREATE TABLE scratch (x BLOB)");
    // Enough to spill the cache: the file is changed in place under the journal.
    db.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
        "INSERT INTO scratch SELECT randomblob(1000) FROM n");
    ASSERT_TRUE(std::filesystem::exists(source + "-journal"));
    // The files as a crash at this moment would leave them.
    WriteFile(path, ReadBytes(source));
    WriteFile(path + "-journal", ReadBytes(source + "-journal"));
    db.exec("ROLLBACK");
  }
  const std::string hot = ReadBytes(path);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"verify"}, {"export"}, {"party", "list"}}) {
    SCOPED_TRACE(args[0]);
    const ProcessResult r = Dealtrail(path, args);
    EXPECT_TRUE(ExitedWith(r, {1})) << r.Describe() << ": " << r.err;
    EXPECT_TRUE(IsOneLine(r.err)) << r.err;
    EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
    EXPECT_TRUE(ReadBytes(path) == hot);
  }
  const ProcessResult writer = Dealtrail(path, {"import", test::FixturePath()});
  EXPECT_TRUE(ExitedWith(writer, {0})) << writer.Describe() << ": " << writer.err;
  EXPECT_NE(writer.out.find("imported 0 events; 25 already present"), std::string::npos)
      << writer.out;
  EXPECT_EQ(Dealtrail(path, {"verify"}).exit_code, 0);
  EXPECT_EQ(Dealtrail(path, {"export"}).out, ledger_export_);
}

}  // namespace
}  // namespace dealtrail
