// The Ledger's private state, shared by the storage files that implement
// its methods, and the write-transaction helper every writer uses.
#ifndef DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_
#define DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_

#include <memory>
#include <string>

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

// BEGIN IMMEDIATE, waiting for other writers up to options.busy_wait_ms:
// writers queue rather than fail. Throws SQLite::Exception (SQLITE_BUSY)
// past the deadline, like any other SQLite failure.
std::unique_ptr<SQLite::Transaction> BeginWrite(Ledger::Impl& impl);

}  // namespace storage
}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_STORAGE_LEDGER_IMPL_H_
