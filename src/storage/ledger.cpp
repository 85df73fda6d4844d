// The Ledger API over one SQLite connection: every write in one BEGIN
// IMMEDIATE transaction, every read in one snapshot, SQLite exceptions
// turned into Status values here at the boundary.
#include "dealtrail/ledger.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "core/read_ahead.h"
#include "storage/checkpoint_builder.h"
#include "storage/checkpoints.h"
#include "storage/consistency.h"
#include "storage/event_rows.h"
#include "storage/fold_pipeline.h"
#include "storage/fold_scan.h"
#include "storage/ledger_impl.h"
#include "storage/parties.h"
#include "storage/schema.h"
#include "storage/writer.h"

namespace dealtrail {

using storage::FromSqlite;

namespace storage {

std::unique_ptr<SQLite::Transaction> BeginWrite(Ledger::Impl& impl) {
  // Writes touch the table and five indexes; a large cache keeps a big
  // import from spilling pages to the WAL before commit. Reads scan once
  // and keep SQLite's small default.
  impl.db->exec("PRAGMA cache_size = -" + std::to_string(kWriteCacheKib));
  using std::chrono::steady_clock;
  const auto deadline = steady_clock::now() + std::chrono::milliseconds(impl.options.busy_wait_ms);
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    try {
      return std::make_unique<SQLite::Transaction>(*impl.db,
                                                   SQLite::TransactionBehavior::IMMEDIATE);
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode();
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || steady_clock::now() >= deadline) throw;
    }
    // SQLite's own busy handler has waited already; back off a little more
    // so queued writers do not spin.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

ImportCache::ImportCache(SQLite::Database& db, std::int64_t input_bytes) : db_(db) {
  before_ = db_.execAndGet("PRAGMA cache_size").getInt64();
  db_.exec("PRAGMA cache_size = -" + std::to_string(KibFor(input_bytes)));
}

ImportCache::~ImportCache() {
  try {
    db_.exec("PRAGMA cache_size = " + std::to_string(before_));
  } catch (const std::exception&) {
    // The connection is closing or broken; its next write sets a size again.
  }
}

std::int64_t ImportCache::KibFor(std::int64_t input_bytes) {
  return std::clamp(input_bytes / 1024, kMinKib, kMaxKib);
}

DeferredIndexes::DeferredIndexes(SQLite::Database& db, std::span<const char* const> names)
    : db_(db) {
  SQLite::Statement find(db_, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?");
  for (const char* name : names) {
    find.bind(1, name);
    const bool found = find.executeStep();  // if not, dropped out of band: verify says so
    if (found) create_.push_back(find.getColumn(0).getString());
    find.reset();  // a DROP waits for no statement of this connection
    if (found) db_.exec(std::string("DROP INDEX ") + name);
  }
}

void DeferredIndexes::Rebuild() {
  for (const std::string& sql : create_) db_.exec(sql);
  create_.clear();
}

}  // namespace storage

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

const std::string& Ledger::path() const { return impl_->path; }
Timestamp Ledger::Now() const { return impl_->clock(); }

Result<Ledger> Ledger::Create(const std::string& path, Clock clock) {
  auto db = storage::CreateLedgerFile(path);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->clock = std::move(clock);
  impl->db = std::move(db).value();
  return Ledger(std::move(impl));
}

Result<Ledger> Ledger::Open(const std::string& path, Clock clock, bool read_only) {
  OpenOptions options;
  options.read_only = read_only;
  return Open(path, std::move(clock), options);
}

Result<Ledger> Ledger::Open(const std::string& path, Clock clock, const OpenOptions& options) {
  auto db = storage::OpenLedgerFile(path, options.read_only);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->clock = std::move(clock);
  impl->options = options;
  impl->db = std::move(db).value();
  if (options.max_page_count > 0) {
    try {
      impl->db->exec("PRAGMA max_page_count = " + std::to_string(options.max_page_count));
    } catch (const std::exception& e) {
      return FromSqlite(e);
    }
  }
  return Ledger(std::move(impl));
}

Result<AppendResult> Ledger::Append(Event event, const AppendOptions& options) {
  try {
    auto tx = storage::BeginWrite(*impl_);
    auto writer = storage::Writer::Start(*impl_->db, impl_->clock());
    if (!writer.ok()) return writer.status();
    auto result = (*writer)->Add(std::move(event), options);
    if (result.ok() && !result->already_present) {
      DEALTRAIL_RETURN_IF_ERROR((*writer)->Finish());
      tx->commit();
    }
    return result;
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

Result<ImportSummary> Ledger::Import(EventReader& reader, const ImportOptions& options) {
  constexpr std::int64_t kProgressEvery = 10'000;
  constexpr std::int64_t kEventsBeforePartyNeedsIndexes = 4'096;
  try {
    auto tx = storage::BeginWrite(*impl_);
    auto writer = storage::Writer::Start(*impl_->db, impl_->clock());
    if (!writer.ok()) return writer.status();
    sqlite3* db = impl_->db->getHandle();
    const storage::ImportCache cache(*impl_->db, options.input_bytes);
    ImportSummary summary;
    // The input is parsed on a second thread, ahead of the checks and
    // inserts here (or on this one, when asked: a terminal being typed into).
    std::optional<ReadAhead> ahead;
    if (options.read_ahead) ahead.emplace(reader);
    // An import that writes into a ledger without events.
    const bool into_empty = (*writer)->started_empty() && !options.dry_run;
    // There the replay checkpoints are built as the events go in, on another
    // thread (which the writer hands them to, below); they are stored once
    // the import is large enough to have them.
    std::optional<storage::CheckpointBuilder> builder;
    if (into_empty && options.input_bytes > 0) builder.emplace(options.input_bytes);
    using storage::DeferredIndexes;
    std::optional<DeferredIndexes> deferred, deferred_histories;
    if (into_empty) {
      deferred.emplace(*impl_->db, DeferredIndexes::kForReads);
      deferred_histories.emplace(*impl_->db, DeferredIndexes::kForHistories);
    }
    std::optional<storage::CheckpointStore> store;
    std::vector<storage::BuiltCheckpoint> held;  // made before the import was large enough
    // Into a ledger without events, the rows go in on a thread of their own
    // while the writer checks the events after them (storage::InsertThread);
    // this thread uses the connection only after Drain. However this scope
    // is left, that thread stops first: the objects above use the
    // connection as they go.
    if (into_empty) {
      storage::Writer::Leaving leaving;
      if (builder) {
        leaving = [&builder](Event&& e, std::int64_t bytes) { builder->Add(std::move(e), bytes); };
      }
      (*writer)->InsertOnOwnThread(std::move(leaving));
    }
    struct EndInserts {
      storage::Writer& writer;
      ~EndInserts() { writer.EndInsertThread(); }
    } end_inserts{**writer};
    auto store_ready = [&](std::vector<storage::BuiltCheckpoint> ready) {
      for (auto& c : ready) held.push_back(std::move(c));
      if (summary.added < kCheckpointAfterImport || held.empty()) return;
      (*writer)->Drain();
      if (!store) store.emplace(db);
      for (const auto& c : held) store->Put(c);
      summary.checkpoints += static_cast<std::int64_t>(held.size());
      held.clear();
    };
    ReadAhead::Item direct;  // the event read here, without read-ahead
    const bool shape_checked = reader.validates_shape();
    while (true) {
      ReadAhead::Item* item = &direct;
      Result<bool> more = ahead ? ahead->Next(&item) : reader.Next(&direct.event);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (!ahead) {
        direct.line = reader.line();
        direct.bytes = reader.bytes_read();
      }
      ++summary.read;
      // Storing a party's row makes SQLite look for the events that name it
      // (schema/0005_party_key_indexes.sql), through events_by_from and
      // events_by_to; while they are deferred, each look reads every event
      // stored so far. Past a few thousand they are built first.
      if (deferred && item->event.kind == EventKind::kPartyAdd &&
          summary.added >= kEventsBeforePartyNeedsIndexes) {
        (*writer)->Drain();
        deferred->Rebuild();
        deferred.reset();
      }
      const storage::Prepared prepared{shape_checked, item->tail, item->bytes};
      auto added = (*writer)->Add(std::move(item->event), {}, prepared);
      if (!added.ok()) {
        return added.status().At(reader.name() + ":" + std::to_string(item->line));
      }
      if (added->already_present) {
        ++summary.already_present;
      } else {
        ++summary.added;
        if (summary.first_seq == 0) summary.first_seq = added->seq;
        summary.last_seq = added->seq;
      }
      if (options.progress && summary.read % kProgressEvery == 0) {
        options.progress(summary.read, item->bytes);
      }
      if (builder && summary.read % kProgressEvery == 0) store_ready(builder->TakeReady());
    }
    ahead.reset();  // the reader is this thread's again
    if (options.progress) options.progress(summary.read, reader.bytes_read());
    DEALTRAIL_RETURN_IF_ERROR((*writer)->Finish());
    if (options.dry_run) return summary;
    bool built = false;
    if (builder) {
      std::vector<storage::BuiltCheckpoint> rest;
      if (builder->Finish(&rest)) {
        store_ready(std::move(rest));
        built = summary.added >= kCheckpointAfterImport;
      }
      builder.reset();
      if (!built && summary.checkpoints > 0) {  // not the ones a rebuild makes
        storage::ClearCheckpoints(db);
        summary.checkpoints = 0;
      }
    }
    if (deferred) deferred->Rebuild();
    if (deferred_histories) deferred_histories->Rebuild();
    tx->commit();
    tx.reset();
    if (!built && summary.added >= kCheckpointAfterImport) {
      auto rebuilt = RebuildCheckpoints();
      if (!rebuilt.ok()) return rebuilt.status();
      summary.checkpoints = *rebuilt;
    }
    return summary;
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

Status Ledger::ForEachEvent(const std::function<Status(const Event&)>& fn) const {
  try {
    SQLite::Transaction snapshot(*impl_->db);
    SQLite::Statement q(
        *impl_->db, std::string("SELECT ") + storage::kEventColumns + " FROM events ORDER BY seq");
    while (q.executeStep()) {
      auto e = storage::EventFromRow(q);
      if (!e.ok()) return e.status();
      DEALTRAIL_RETURN_IF_ERROR(fn(*e));
    }
    return {};
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

Result<Positions> Ledger::Replay(const ReplayQuery& query) const {
  auto replayed = ReplayFold(query);
  if (!replayed.ok()) return replayed.status();
  auto positions = replayed->fold.Finish(replayed->as_of, query.filter);
  if (!positions.ok()) return positions.status();
  positions->known_at = replayed->known_at;
  return positions;
}

Result<ReplayedFold> Ledger::ReplayFold(const ReplayQuery& query) const {
  const Timestamp now = impl_->clock();
  const date::sys_days as_of = query.as_of.value_or(date::floor<date::days>(now));
  const Timestamp known_at = query.known_at.value_or(now);
  try {
    // One snapshot for every read, so a concurrent import is seen whole or not at all.
    SQLite::Transaction snapshot(*impl_->db);
    sqlite3* db = impl_->db->getHandle();
    storage::FoldScanRange range;
    range.through = as_of;
    range.known_at = known_at;
    std::optional<storage::StoredCheckpoint> stored;
    if (query.use_checkpoints) {
      auto found = storage::FindCheckpoint(db, as_of, known_at);
      if (!found.ok()) return found.status();
      stored = std::move(*found);
    }
    // A second thread makes the fold (decoding the checkpoint, if one is
    // used) and applies the events this one reads (fold_pipeline.h).
    if (stored) range.after = stored->through;
    storage::FoldPipeline pipeline([&stored]() -> Result<Fold> {
      if (stored) return storage::DecodeCheckpoint(*stored);
      return Fold();
    });
    const storage::RetractedEvents retracted = storage::RetractedBy(db, known_at);
    range.skip = &retracted;
    auto read = storage::ScanEvents(db, range, [&pipeline](const FoldEvent& e) {
      pipeline.Add(e);
      return Status{};
    });
    if (!read.ok()) return read.status();
    auto fold = pipeline.Finish();
    if (!fold.ok()) return fold.status();
    return ReplayedFold{std::move(*fold), as_of, known_at};
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

Result<std::string> Ledger::ResolveParty(std::string_view name) const {
  try {
    storage::PartyDirectory parties(*impl_->db);
    return parties.Resolve(name, "party");
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

Result<std::vector<PartyInfo>> Ledger::Parties() const {
  try {
    SQLite::Transaction snapshot(*impl_->db);
    std::vector<PartyInfo> out;
    SQLite::Statement parties(*impl_->db,
                              "SELECT party_id, name, kind FROM parties ORDER BY party_id");
    while (parties.executeStep()) {
      out.push_back(PartyInfo{parties.getColumn(0).getString(),
                              parties.getColumn(1).getString(),
                              parties.getColumn(2).getString(),
                              {}});
    }
    SQLite::Statement aliases(
        *impl_->db, "SELECT party_id, alias FROM party_aliases ORDER BY added_seq, rowid");
    while (aliases.executeStep()) {
      const std::string id = aliases.getColumn(0).getString();
      for (PartyInfo& p : out) {
        if (p.id == id && aliases.getColumn(1).getString() != p.name) {
          p.aliases.push_back(aliases.getColumn(1).getString());
        }
      }
    }
    return out;
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

namespace {

// The problems `PRAGMA integrity_check` or `quick_check` reports, one per
// line: a row may hold several lines ("*** in database main ***", then one
// per problem), and "ok" means none.
std::vector<std::string> PageProblems(SQLite::Database& db, const std::string& pragma) {
  std::vector<std::string> problems;
  SQLite::Statement check(db, pragma);
  while (check.executeStep()) {
    std::istringstream lines(check.getColumn(0).getString());
    for (std::string line; std::getline(lines, line);) {
      if (line != "ok" && !line.empty() && !line.starts_with("*** ")) problems.push_back(line);
    }
  }
  return problems;
}

}  // namespace

Result<VerifyReport> Ledger::Verify(const std::optional<ChainCheckpoint>& against) const {
  VerifyReport report;
  std::string hash_at_checkpoint;
  try {
    SQLite::Transaction snapshot(*impl_->db);
    SQLite::Database& db = *impl_->db;
    report.schema_version = db.execAndGet("PRAGMA user_version").getInt();
    if (report.schema_version != CurrentSchemaVersion()) {
      report.problems.push_back("schema version " + std::to_string(report.schema_version) +
                                ", expected " + std::to_string(CurrentSchemaVersion()));
    }
    for (const std::string& problem : PageProblems(db, "PRAGMA integrity_check")) {
      report.problems.push_back("the ledger file is damaged: integrity_check: " + problem);
    }
    SQLite::Statement fk(db, "PRAGMA foreign_key_check");
    if (fk.executeStep()) {
      report.problems.push_back("foreign_key_check: table " + fk.getColumn(0).getString() +
                                " row " + std::to_string(fk.getColumn(1).getInt64()) +
                                " refers to a missing " + fk.getColumn(2).getString() + " row");
    }

    // The chain: seq 1..N without gaps, recording time never going back,
    // and each hash recomputed from the row and the previous hash.
    std::string prev(kGenesisHash);
    Timestamp prev_recorded{};
    std::int64_t expected_seq = 1;
    storage::DerivedParties parties;
    // effective_end (the period's last day, read by SQL users) follows from
    // effective_date and its precision, which the hash covers.
    SQLite::Statement q(db, std::string("SELECT ") + storage::kEventColumns +
                                ", effective_end FROM events ORDER BY seq");
    const int end_column = q.getColumnCount() - 1;
    auto bad = [&](std::int64_t seq, const std::string& what) {
      if (report.first_bad_seq == 0) report.first_bad_seq = seq;
      report.problems.push_back("event " + std::to_string(seq) + ": " + what);
    };
    while (q.executeStep()) {
      ++report.events;
      const std::int64_t seq = q.getColumn(0).getInt64();
      if (report.first_bad_seq != 0) continue;  // past the first break, the chain says nothing
      if (seq != expected_seq) {
        bad(expected_seq, seq > expected_seq
                              ? "missing (the next event is " + std::to_string(seq) + ")"
                              : "out of order");
        continue;
      }
      ++expected_seq;
      auto e = storage::EventFromRow(q);
      if (!e.ok()) {
        bad(seq, e.status().message());
        continue;
      }
      if (e->recorded_at < prev_recorded) bad(seq, "recorded before the event preceding it");
      const std::string hash = ChainHash(prev, *e);
      if (hash != e->hash) {
        bad(seq,
            "hash does not match its content and the chain (edited, inserted or reordered "
            "out of band)");
        continue;
      }
      prev = hash;
      prev_recorded = e->recorded_at;
      parties.Add(*e);
      if (q.getColumn(end_column).getString() != FormatDay(e->date.last())) {
        report.problems.push_back("event " + std::to_string(seq) + ": effective_end " +
                                  q.getColumn(end_column).getString() + " is not the last day of " +
                                  e->date.ToString() + " (edited out of band)");
      }
      if (against && seq == against->events) hash_at_checkpoint = hash;
    }
    report.head_hash = prev;
    if (report.first_bad_seq == 0) parties.Check(db, &report.problems);
    if (report.schema_version == CurrentSchemaVersion()) {
      storage::CheckSchemaObjects(db, &report.problems);
    }
    if (against && against->events > 0) {
      if (report.events < against->events) {
        report.problems.push_back("the ledger has " + std::to_string(report.events) +
                                  " events; the checkpoint has " + std::to_string(against->events) +
                                  ": events were removed");
        if (report.first_bad_seq == 0) report.first_bad_seq = report.events + 1;
      } else if (report.first_bad_seq == 0 && hash_at_checkpoint != against->head_hash) {
        report.problems.push_back("event " + std::to_string(against->events) +
                                  " does not have the checkpoint's hash: the history up to it "
                                  "was rewritten");
        report.first_bad_seq = against->events;
      }
    }
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }

  // Replay checkpoints against a fresh replay.
  if (report.ok()) {
    try {
      SQLite::Transaction snapshot(*impl_->db);
      auto problems = storage::CheckCheckpoints(impl_->db->getHandle(), impl_->clock());
      if (!problems.ok()) return problems.status();
      report.problems.insert(report.problems.end(), problems->begin(), problems->end());
    } catch (const std::exception& e) {
      return FromSqlite(e);
    }
  }

  // Replay invariants over the whole history as known now.
  if (report.ok()) {
    auto positions =
        Replay(ReplayQuery{date::sys_days(date::year{9999} / 12 / 31), std::nullopt, {}, false});
    if (!positions.ok()) {
      report.problems.push_back("replay: " + positions.status().message());
    } else {
      for (const CommitmentPosition& c : positions->commitments) {
        if (c.committed.high && !c.committed.approximate && c.funded.low > *c.committed.high) {
          report.problems.push_back("replay: commitment " + c.id + " is funded beyond its amount");
        }
      }
    }
  }
  return report;
}

Status Ledger::Backup(const std::string& dest) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dest, ec)) {
    return Status::Conflict("", dest + ": a file is already there; backup will not overwrite it");
  }
  // Written under a temporary name in the same directory and renamed when
  // complete: DEST never names a partial copy.
  const fs::path final_path(dest);
  fs::path partial = final_path;
  partial += ".partial-" + std::to_string(::getpid());
  try {
    // VACUUM INTO reads the tables and builds every index of the copy
    // afresh, so a damaged index page of the ledger would never be read: the
    // copy would be whole and the damage unseen. The pages are checked first
    // (a fifth of the copy's time at 1M events); a ledger only grows, so
    // what passes here is what the copy reads.
    if (const auto problems = PageProblems(*impl_->db, "PRAGMA quick_check(1)");
        !problems.empty()) {
      return Status{StatusCode::kCorrupt, "",
                    dest + ": cannot write the backup (the ledger file is damaged: quick_check: " +
                        problems.front() + ")"};
    }
    // VACUUM INTO copies one consistent snapshot, whatever other processes
    // write meanwhile, into a compact new file.
    SQLite::Statement vacuum(*impl_->db, "VACUUM INTO ?");
    vacuum.bind(1, partial.string());
    vacuum.exec();
    {
      SQLite::Database copy(partial.string(), SQLite::OPEN_READWRITE);
      copy.exec("PRAGMA journal_mode = WAL");
    }
    fs::rename(partial, final_path);
    return {};
  } catch (const std::exception& e) {
    fs::remove(partial, ec);
    Status s = FromSqlite(e);
    // A ledger breaks none of its own constraints: a copy that does was read
    // from a damaged file.
    if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e);
        se != nullptr && se->getErrorCode() == SQLITE_CONSTRAINT) {
      s = Status{StatusCode::kCorrupt, "", "the ledger file is damaged (" + s.message() + ")"};
    }
    return Status{s.code(), "", dest + ": cannot write the backup (" + s.message() + ")"};
  }
}

Result<std::int64_t> Ledger::RebuildCheckpoints(std::int64_t every) {
  try {
    auto tx = storage::BeginWrite(*impl_);
    if (every <= 0) {
      const std::int64_t events = impl_->db->execAndGet("SELECT count(*) FROM events").getInt64();
      every = storage::CheckpointSpacing(events);
    }
    auto written = storage::RebuildCheckpoints(impl_->db->getHandle(), every);
    if (!written.ok()) return written.status();
    tx->commit();
    return written;
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
}

}  // namespace dealtrail
