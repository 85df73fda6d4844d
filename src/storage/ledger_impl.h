// The Ledger's private state, shared by the storage files that implement
// its methods, and the write-transaction helper every writer uses.
#ifndef DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_
#define DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "dealtrail/ledger.h"

namespace dealtrail {

struct Ledger::Impl {
  std::string path;
  Clock clock;
  OpenOptions options;
  std::unique_ptr<SQLite::Database> db;
};

namespace storage {

// The page cache every write has, in KiB (64 MiB).
inline constexpr std::int64_t kWriteCacheKib = std::int64_t{64} * 1024;

// BEGIN IMMEDIATE, waiting for other writers up to options.busy_wait_ms:
// writers queue rather than fail. Throws SQLite::Exception (SQLITE_BUSY)
// past the deadline, like any other SQLite failure.
std::unique_ptr<SQLite::Transaction> BeginWrite(Ledger::Impl& impl);

// An import's page cache, for as long as this lives; the size before is
// restored afterwards. A large import writes all over the event indexes
// (event ids are random) in one transaction, and every page the cache lets
// go is read back from a WAL that grows with the import, through a WAL
// index that grows with it. So the cache grows with the input: a KiB per
// KiB, between the cache every write has (kWriteCacheKib) and 1 GiB. SQLite
// allocates it only as pages are used.
class ImportCache {
 public:
  static constexpr std::int64_t kMinKib = kWriteCacheKib;
  static constexpr std::int64_t kMaxKib = std::int64_t{1024} * 1024;
  static std::int64_t KibFor(std::int64_t input_bytes);

  ImportCache(SQLite::Database& db, std::int64_t input_bytes);
  ImportCache(const ImportCache&) = delete;
  ImportCache& operator=(const ImportCache&) = delete;
  ~ImportCache();

 private:
  SQLite::Database& db_;
  std::int64_t before_ = 0;
};

// Event indexes an import into a ledger without events builds after its
// last row instead of row by row. Their keys arrive in no order, so
// inserting into them one row at a time slows down as they outgrow the page
// cache; built after the last row, SQLite sorts the keys first (raw SQLite
// inserting 10M events, the three kForReads built at the end: 133 s with
// the two kForHistories built row by row, 106 s with them built at the end
// too; docs/benchmarks.md). No check of such an import reads them:
// replay's date order and timeline's parties (kForReads) are not read by
// writes, and the histories by commitment and by round (kForHistories) are
// answered from the writer's own rows (storage::Writer). An object of this
// class drops the indexes named when it is made and creates them again,
// from the SQL they were stored with, in Rebuild(), inside the import's
// transaction: a failed import rolls back to the ledger with its indexes,
// and a finished one has the same schema, byte for byte, as one written
// event by event. Storing a party's row looks up the events that name it
// through the two by party (kForReads), so an import that adds a party
// after its first few thousand events rebuilds those there
// (Ledger::Import).
class DeferredIndexes {
 public:
  static constexpr std::array<const char*, 3> kForReads = {"events_by_date", "events_by_from",
                                                           "events_by_to"};
  static constexpr std::array<const char*, 2> kForHistories = {"events_by_commitment",
                                                               "events_by_round"};

  DeferredIndexes(SQLite::Database& db, std::span<const char* const> names);
  DeferredIndexes(const DeferredIndexes&) = delete;
  DeferredIndexes& operator=(const DeferredIndexes&) = delete;

  // Creates the dropped indexes again. Throws SQLite::Exception.
  void Rebuild();

 private:
  SQLite::Database& db_;
  std::vector<std::string> create_;  // the CREATE INDEX of each one dropped
};

}  // namespace storage
}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_
