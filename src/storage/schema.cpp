// Opening and creating ledger files: the application_id/user_version checks
// and migrations, each applied in one transaction.
#include "storage/schema.h"

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "dealtrail/ledger.h"

namespace dealtrail::storage {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

// SQLite's message on one line, not too long: a damaged schema's message
// quotes the schema's SQL, newlines and all, and errors are one line.
std::string OneLine(std::string_view what) {
  constexpr std::size_t kMax = 160;
  std::string out;
  for (char c : what) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    out = out.substr(0, cut) + "\xe2\x80\xa6";                                       // …
  }
  return out;
}

Status NotALedger(const std::string& path, const std::string& why) {
  return {StatusCode::kNotALedger, "", path + ": not a dealtrail ledger (" + why + ")"};
}

Status Migrate(SQLite::Database& db, int from_version) {
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Another process may have migrated while we waited for the lock.
  const int now = db.execAndGet("PRAGMA user_version").getInt();
  if (now != from_version) return {};
  for (const Migration& m : Migrations()) {
    if (m.version <= from_version) continue;
    db.exec(m.sql);
    if (db.execAndGet("PRAGMA user_version").getInt() != m.version) {
      return {StatusCode::kInternal, "",
              std::string("migration ") + m.name + " did not set user_version"};
    }
  }
  tx.commit();
  return {};
}

}  // namespace

Status FromSqlite(const std::exception& e) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = se->getExtendedErrorCode();
    const std::string sqlite = "SQLite error " + std::to_string(code) + ": " + OneLine(se->what());
    switch (code & 0xFF) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        // Read anywhere in the file, not only when it is opened.
        return {StatusCode::kCorrupt, "", "the ledger file is damaged (" + sqlite + ")"};
      case SQLITE_FULL:
        return {StatusCode::kIo, "",
                "SQLite error " + std::to_string(code) +
                    ": the disk or the ledger's size limit is full: " + OneLine(se->what())};
      case SQLITE_IOERR:
        // A failed write (EFBIG past a file size limit, EIO) or read.
        return {StatusCode::kIo, "",
                "cannot read or write the ledger file (" + sqlite +
                    "): is the disk full, limited or failing?"};
      default:
        break;
    }
    if (code == SQLITE_READONLY_ROLLBACK) {
      // A write interrupted in rollback-journal mode (a killed backup) left a
      // hot journal, which only a writable connection can roll back.
      return {StatusCode::kCorrupt, "",
              "the ledger file is damaged: an interrupted write left a hot journal that a "
              "read-only command cannot roll back (" +
                  sqlite + "); a command that writes recovers it"};
    }
    return {StatusCode::kIo, "", sqlite};
  }
  return {StatusCode::kInternal, "", OneLine(e.what())};
}

void ConfigureConnection(SQLite::Database& db) {
  db.setBusyTimeout(kBusyTimeoutMs);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = FULL");
}

}  // namespace dealtrail::storage

namespace dealtrail {
int CurrentSchemaVersion() { return storage::Migrations().back().version; }
}  // namespace dealtrail

namespace dealtrail::storage {
namespace {
int MaxSchemaVersion() { return CurrentSchemaVersion(); }
}  // namespace

Result<std::unique_ptr<SQLite::Database>> CreateLedgerFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Status::Conflict("", path +
                                    ": a file is already there; dealtrail init will not "
                                    "overwrite it");
  }
  try {
    auto db =
        std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                     SQLite::OPEN_NOFOLLOW | SQLite::OPEN_NOMUTEX);
    // WAL is a property of the file; set it once, outside any transaction.
    db->exec("PRAGMA journal_mode = WAL");
    ConfigureConnection(*db);
    DEALTRAIL_RETURN_IF_ERROR(Migrate(*db, 0));
    return db;
  } catch (const std::exception& e) {
    std::filesystem::remove(path, ec);
    const Status s = FromSqlite(e);
    return Status{s.code(), "", path + ": cannot create the ledger (" + s.message() + ")"};
  }
}

Result<std::unique_ptr<SQLite::Database>> OpenLedgerFile(const std::string& path, bool read_only) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status{
        StatusCode::kIo, "",
        path + ": no ledger here (create one with: dealtrail init --ledger " + path + ")"};
  }
  if (std::filesystem::is_directory(path, ec)) {
    return NotALedger(path, "it is a directory");
  }
  if (std::filesystem::file_size(path, ec) == 0) return NotALedger(path, "the file is empty");
  try {
    // A Ledger is one connection used by one thread at a time (ledger.h), so
    // SQLite's per-call mutex is dropped: the replay scan calls it per column.
    const int flags =
        (read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
    auto db = std::make_unique<SQLite::Database>(path, flags);
    ConfigureConnection(*db);
    int app_id = 0;
    int version = 0;
    try {
      app_id = db->execAndGet("PRAGMA application_id").getInt();
      version = db->execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode();
      if (code == SQLITE_NOTADB) return NotALedger(path, "not an SQLite database");
      if (code == SQLITE_CORRUPT) {
        return Status{StatusCode::kCorrupt, "",
                      path + ": the ledger file is damaged (" + OneLine(e.what()) + ")"};
      }
      throw;
    }
    if (app_id != kApplicationId) {
      return NotALedger(path, app_id == 0 ? "an SQLite database of another application"
                                          : "application_id " + std::to_string(app_id));
    }
    if (version > MaxSchemaVersion()) {
      return Status{StatusCode::kNotALedger, "",
                    path + ": the ledger has schema version " + std::to_string(version) +
                        ", newer than this dealtrail (" + std::to_string(MaxSchemaVersion()) +
                        "); upgrade dealtrail"};
    }
    if (version < 1) return NotALedger(path, "no schema");
    if (version < MaxSchemaVersion()) {
      if (!read_only) {
        DEALTRAIL_RETURN_IF_ERROR(Migrate(*db, version));
        return db;
      }
      // A reader of an older ledger migrates it first (a migration only adds
      // tables and views, never touches events), through a connection of its
      // own, then reads as asked.
      db.reset();
      auto writer = OpenLedgerFile(path, /*read_only=*/false);
      if (!writer.ok()) {
        return Status{StatusCode::kNotALedger, "",
                      path + ": the ledger has schema version " + std::to_string(version) +
                          " and needs migrating, which failed: " + writer.status().message()};
      }
      writer->reset();
      return OpenLedgerFile(path, /*read_only=*/true);
    }
    return db;
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB) return NotALedger(path, "not an SQLite database");
    if (e.getErrorCode() == SQLITE_CORRUPT) {
      return Status{StatusCode::kCorrupt, "",
                    path + ": the ledger file is damaged (" + OneLine(e.what()) + ")"};
    }
    const Status s = FromSqlite(e);
    return Status{s.code(), "", path + ": " + s.message()};
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

}  // namespace dealtrail::storage
