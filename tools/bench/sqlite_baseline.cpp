// dealtrail-sqlite-bench: what plain SQLite can do with a dealtrail ledger,
// through the sqlite3 C API and nothing else — the "SQLite limit" the
// benchmarks hold dealtrail against.
//
//   dealtrail-sqlite-bench insert SOURCE DEST [--cache-kib K]
//       Loads every row of SOURCE (a ledger) into memory, then inserts them
//       into DEST (a new ledger from `dealtrail init`) in one transaction
//       with prepared statements: no JSON, no hashing, no validation beyond
//       the schema's own, then closes DEST, which copies the WAL into the
//       file — as a dealtrail import's process does before it exits.
//       Prints "events N seconds S events_per_second R" through the close,
//       and "commit_seconds C commit_events_per_second RC" to the COMMIT.
//       --cache-kib: the page cache of the insert, as an import of the same
//       history gives itself (src/storage/ledger.cpp, ImportCache).
//   dealtrail-sqlite-bench fold LEDGER AS_OF [--repeat N]
//       Scans the events dated on or before AS_OF through the events_by_date
//       index, leaves retracted events out, folds committed and funded per
//       commitment and sums them per party. Prints CSV, one row per party, in
//       cents: party, committed_out, committed_in, funded_out, funded_in,
//       outstanding_out, outstanding_in. With --repeat N, folds N times and
//       prints the median milliseconds on standard error. Exact amounts only
//       (a bound is read as its figure): for the --exact histories.
//   dealtrail-sqlite-bench durable LEDGER [--runs N]
//       Appends N copies of the last event, one transaction each, on a WAL
//       connection with synchronous=FULL. Prints the median milliseconds.
//   dealtrail-sqlite-bench append LEDGER
//       Appends a copy of the last open event, as a new event of a new
//       commitment, in one transaction and exits: a durable insert as a
//       whole process (start, open, read the schema, insert, commit,
//       checkpoint on close) of the row `dealtrail record open` adds, what
//       record is held against when both are timed from outside.
//
// SQLite runs as dealtrail runs it: connections opened without SQLite's
// per-connection mutex (SQLITE_OPEN_NOMUTEX, src/storage/schema.cpp) and,
// for the whole process, without its memory statistics (src/main.cpp), each
// of which costs a mutex per call or per allocation.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// One connection, closed on destruction.
class Db {
 public:
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error(path + ": " + why);
    }
    sqlite3_busy_timeout(db_, 10'000);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { Close(); }
  // Closing the last connection checkpoints the WAL into the database file.
  void Close() {
    sqlite3_close(db_);
    db_ = nullptr;
  }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string why = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + why);
    }
  }
  // The pragmas dealtrail sets on every connection (src/storage/schema.cpp).
  void ConfigureLikeDealtrail() {
    Exec("PRAGMA foreign_keys = ON");
    Exec("PRAGMA synchronous = FULL");
    Exec("PRAGMA cache_size = -65536");
  }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// One prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt(const Db& db, const std::string& sql) : db_(db.get()) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { Finalize(); }
  void Finalize() {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }

  // True while there is a row.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db_));
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Rows of one table held in memory, ready to bind: per cell a type byte and
// then an int64 or a length-prefixed text, all in one buffer, so a million
// rows cost about what they take in the file.
class RowBuffer {
 public:
  void Load(Db& db, const std::string& sql) {
    Stmt q(db, sql);
    columns_ = sqlite3_column_count(q.get());
    while (q.Step()) {
      starts_.push_back(data_.size());
      for (int c = 0; c < columns_; ++c) {
        const int type = sqlite3_column_type(q.get(), c);
        data_.push_back(static_cast<char>(type));
        if (type == SQLITE_INTEGER) {
          Put(sqlite3_column_int64(q.get(), c));
        } else if (type == SQLITE_TEXT) {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), c));
          const std::int64_t size = sqlite3_column_bytes(q.get(), c);
          Put(size);
          data_.append(text, static_cast<std::size_t>(size));
        } else if (type != SQLITE_NULL) {
          throw std::runtime_error(sql + ": unexpected column type");
        }
      }
    }
  }

  // Binds the cells of one row to `stmt`'s parameters 1…columns().
  void BindRow(sqlite3_stmt* stmt, std::size_t row) const {
    std::size_t at = starts_[row];
    for (int c = 1; c <= columns_; ++c) at = Bind(stmt, c, at);
  }
  // The integer in the first column of a row.
  std::int64_t FirstInteger(std::size_t row) const { return Get(starts_[row] + 1); }

  std::size_t rows() const { return starts_.size(); }
  int columns() const { return columns_; }
  // "INSERT INTO table VALUES (?, …)" for these columns.
  std::string InsertSql(const std::string& table) const {
    std::string sql = "INSERT INTO " + table + " VALUES (";
    for (int c = 0; c < columns_; ++c) sql += c ? ",?" : "?";
    return sql + ")";
  }

 private:
  void Put(std::int64_t v) { data_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  std::int64_t Get(std::size_t at) const {
    std::int64_t v = 0;
    std::memcpy(&v, data_.data() + at, sizeof v);
    return v;
  }
  std::size_t Bind(sqlite3_stmt* stmt, int column, std::size_t at) const {
    const int type = static_cast<unsigned char>(data_[at++]);
    if (type == SQLITE_INTEGER) {
      sqlite3_bind_int64(stmt, column, Get(at));
      return at + sizeof(std::int64_t);
    }
    if (type == SQLITE_TEXT) {
      const std::int64_t size = Get(at);
      at += sizeof(std::int64_t);
      sqlite3_bind_text(stmt, column, data_.data() + at, static_cast<int>(size), SQLITE_STATIC);
      return at + static_cast<std::size_t>(size);
    }
    sqlite3_bind_null(stmt, column);
    return at;
  }

  std::string data_;
  std::vector<std::size_t> starts_;  // where each row begins in data_
  int columns_ = 0;
};

void StepAndReset(Stmt& stmt) {
  stmt.Step();
  sqlite3_reset(stmt.get());
}

int Insert(const std::string& source_path, const std::string& dest_path, int cache_kib) {
  // Parties and aliases are read with the seq of the event that added them
  // first, so each is inserted right after its event, as dealtrail does:
  // that keeps the deferred foreign keys satisfied all along (with
  // violations outstanding, SQLite rechecks them on every insert).
  RowBuffer events;
  RowBuffer parties;
  RowBuffer aliases;
  {
    Db source(source_path, SQLITE_OPEN_READONLY);
    source.Exec("BEGIN");
    events.Load(source, "SELECT * FROM events ORDER BY seq");
    parties.Load(source, "SELECT added_seq, * FROM parties ORDER BY added_seq");
    aliases.Load(source, "SELECT added_seq, * FROM party_aliases ORDER BY added_seq, rowid");
    source.Exec("COMMIT");
  }
  Db dest(dest_path, SQLITE_OPEN_READWRITE);
  dest.ConfigureLikeDealtrail();
  if (cache_kib > 0) dest.Exec("PRAGMA cache_size = -" + std::to_string(cache_kib));
  const auto start = Clock::now();
  dest.Exec("BEGIN IMMEDIATE");
  Stmt insert_event(dest, events.InsertSql("events"));
  // The first column (added_seq, selected twice) is bound and ignored: the
  // statements name their own columns from ?2 on.
  Stmt insert_party(dest, "INSERT INTO parties VALUES (?2, ?3, ?4, ?5)");
  Stmt insert_alias(dest, "INSERT INTO party_aliases VALUES (?2, ?3, ?4, ?5)");
  if (parties.columns() != 5 || aliases.columns() != 5) {
    throw std::runtime_error("parties or party_aliases: unexpected columns");
  }
  std::size_t party = 0;
  std::size_t alias = 0;
  for (std::size_t row = 0; row < events.rows(); ++row) {
    events.BindRow(insert_event.get(), row);
    StepAndReset(insert_event);
    const std::int64_t seq = static_cast<std::int64_t>(row) + 1;
    for (; party < parties.rows() && parties.FirstInteger(party) <= seq; ++party) {
      parties.BindRow(insert_party.get(), party);
      StepAndReset(insert_party);
    }
    for (; alias < aliases.rows() && aliases.FirstInteger(alias) <= seq; ++alias) {
      aliases.BindRow(insert_alias.get(), alias);
      StepAndReset(insert_alias);
    }
  }
  dest.Exec("COMMIT");
  const double commit_seconds = MillisSince(start) / 1000;
  // The statements go first: a connection closes only once they are finalized.
  insert_event.Finalize();
  insert_party.Finalize();
  insert_alias.Finalize();
  dest.Close();
  const double seconds = MillisSince(start) / 1000;
  const auto rate = [&](double s) {
    return static_cast<std::int64_t>(static_cast<double>(events.rows()) / s);
  };
  std::cout << "events " << events.rows() << " seconds " << seconds << " events_per_second "
            << rate(seconds) << " commit_seconds " << commit_seconds << " commit_events_per_second "
            << rate(commit_seconds) << "\n";
  return 0;
}

// Heterogeneous lookup: find by the string_view SQLite hands out, without
// building a std::string per row.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename T>
using TextMap = std::unordered_map<std::string, T, TextHash, std::equal_to<>>;

enum class Status : std::uint8_t { kOpen, kCompleted, kEnded };

struct CommitmentSums {
  int from = 0;
  int to = 0;
  std::int64_t committed = 0;  // minor units
  std::int64_t funded = 0;
  Status status = Status::kOpen;
};

struct PartySums {
  std::int64_t committed_out = 0;
  std::int64_t committed_in = 0;
  std::int64_t funded_out = 0;
  std::int64_t funded_in = 0;
  std::int64_t outstanding_out = 0;
  std::int64_t outstanding_in = 0;
};

std::string_view Text(sqlite3_stmt* q, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q, column));
  return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(q, column)))
              : std::string_view();
}

// The whole replay the per-party figures need, from one snapshot.
std::map<std::string, PartySums> FoldOnce(Db& db, const std::string& as_of) {
  db.Exec("BEGIN");
  std::unordered_set<std::int64_t> retracted;
  {
    Stmt q(db,
           "SELECT t.seq FROM events AS r JOIN events AS t ON t.event_id = r.retracts "
           "WHERE r.kind = 'retract'");
    while (q.Step()) retracted.insert(sqlite3_column_int64(q.get(), 0));
  }
  TextMap<CommitmentSums> commitments;
  TextMap<int> party_index;
  std::vector<std::string> party_names;
  auto party = [&](std::string_view name) {
    auto it = party_index.find(name);
    if (it != party_index.end()) return it->second;
    party_names.emplace_back(name);
    const int index = static_cast<int>(party_names.size()) - 1;
    party_index.emplace(std::string(name), index);
    return index;
  };
  Stmt q(db,
         "SELECT seq, kind, commitment_id, from_party, to_party, amount_minor, by_commitment "
         "FROM events INDEXED BY events_by_date WHERE effective_date <= ?1 "
         "ORDER BY effective_date, seq");
  sqlite3_bind_text(q.get(), 1, as_of.data(), static_cast<int>(as_of.size()), SQLITE_STATIC);
  sqlite3_stmt* row = q.get();
  while (q.Step()) {
    const std::string_view kind = Text(row, 1);
    if (kind.empty() || kind == "party-add" || kind == "party-alias" || kind == "retract" ||
        kind.starts_with("round") || kind == "valuation") {
      continue;
    }
    if (!retracted.empty() && retracted.count(sqlite3_column_int64(row, 0))) continue;
    const std::string_view id = Text(row, 2);
    if (kind == "open") {
      if (commitments.find(id) != commitments.end()) continue;
      CommitmentSums c;
      c.from = party(Text(row, 3));
      c.to = party(Text(row, 4));
      c.committed = sqlite3_column_int64(row, 5);
      commitments.emplace(std::string(id), c);
      continue;
    }
    auto it = commitments.find(id);
    if (it == commitments.end()) continue;
    CommitmentSums& c = it->second;
    if (kind == "revise") {
      if (sqlite3_column_type(row, 5) != SQLITE_NULL) c.committed = sqlite3_column_int64(row, 5);
    } else if (kind == "fund") {
      c.funded += sqlite3_column_int64(row, 5);
    } else if (c.status == Status::kOpen) {
      if (kind == "supersede" && commitments.find(Text(row, 6)) == commitments.end()) continue;
      c.status = kind == "complete" ? Status::kCompleted : Status::kEnded;
    }
  }
  db.Exec("COMMIT");

  std::vector<PartySums> sums(party_names.size());
  for (const auto& [id, c] : commitments) {
    const std::int64_t exposure = c.status == Status::kEnded ? c.funded : c.committed;
    const std::int64_t outstanding =
        c.status == Status::kOpen ? std::max<std::int64_t>(0, c.committed - c.funded) : 0;
    PartySums& from = sums[static_cast<std::size_t>(c.from)];
    PartySums& to = sums[static_cast<std::size_t>(c.to)];
    from.committed_out += exposure;
    from.funded_out += c.funded;
    from.outstanding_out += outstanding;
    to.committed_in += exposure;
    to.funded_in += c.funded;
    to.outstanding_in += outstanding;
  }
  std::map<std::string, PartySums> by_name;
  for (std::size_t i = 0; i < sums.size(); ++i) by_name.emplace(party_names[i], sums[i]);
  return by_name;
}

int Fold(const std::string& path, const std::string& as_of, int repeat) {
  Db db(path, SQLITE_OPEN_READONLY);
  db.ConfigureLikeDealtrail();
  std::map<std::string, PartySums> result;
  std::vector<double> millis;
  for (int i = 0; i < std::max(repeat, 1); ++i) {
    const auto start = Clock::now();
    result = FoldOnce(db, as_of);
    millis.push_back(MillisSince(start));
  }
  std::cout << "party,committed_out,committed_in,funded_out,funded_in,outstanding_out,"
               "outstanding_in\n";
  for (const auto& [name, s] : result) {
    std::cout << name << ',' << s.committed_out << ',' << s.committed_in << ',' << s.funded_out
              << ',' << s.funded_in << ',' << s.outstanding_out << ',' << s.outstanding_in << '\n';
  }
  if (repeat > 0) std::cerr << "fold_median_ms " << Median(millis) << "\n";
  return 0;
}

int Durable(const std::string& path, int runs) {
  Db db(path, SQLITE_OPEN_READWRITE);
  db.Exec("PRAGMA journal_mode = WAL");
  db.ConfigureLikeDealtrail();
  RowBuffer last;
  last.Load(db, "SELECT * FROM events ORDER BY seq DESC LIMIT 1");
  if (last.rows() != 1) throw std::runtime_error(path + ": the ledger has no event to copy");
  std::int64_t seq = last.FirstInteger(0);
  Stmt insert(db, last.InsertSql("events"));
  std::vector<double> millis;
  for (int i = 0; i < runs; ++i) {
    last.BindRow(insert.get(), 0);
    sqlite3_bind_int64(insert.get(), 1, ++seq);
    const std::string id = "durable-" + std::to_string(seq);
    sqlite3_bind_text(insert.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
    const auto start = Clock::now();
    db.Exec("BEGIN IMMEDIATE");
    insert.Step();
    db.Exec("COMMIT");
    millis.push_back(MillisSince(start));
    insert.Reset();
  }
  std::cout << "durable_insert_median_ms " << Median(millis) << " runs " << runs << "\n";
  return 0;
}

int Append(const std::string& path) {
  Db db(path, SQLITE_OPEN_READWRITE);
  db.ConfigureLikeDealtrail();
  // The row `record open` would add: the last open event's columns, as a
  // new event of a new commitment, so that it lands in the same indexes
  // (commitment, date, from and to parties) as the event record stores.
  std::string columns;
  {
    Stmt names(db, "SELECT name FROM pragma_table_info('events') ORDER BY cid");
    while (names.Step()) {
      const std::string name(Text(names.get(), 0));
      const std::string value = name == "seq"             ? "?1"
                                : name == "event_id"      ? "'append-' || ?1"
                                : name == "commitment_id" ? "'append-' || ?1"
                                                          : name;
      columns += (columns.empty() ? "" : ", ") + value;
    }
  }
  Stmt last(db, "SELECT max(seq) FROM events");
  last.Step();
  const std::int64_t seq = sqlite3_column_int64(last.get(), 0) + 1;
  Stmt insert(db, "INSERT INTO events SELECT " + columns +
                      " FROM events WHERE kind = 'open' ORDER BY seq DESC LIMIT 1");
  sqlite3_bind_int64(insert.get(), 1, seq);
  db.Exec("BEGIN IMMEDIATE");
  insert.Step();
  if (sqlite3_changes(db.get()) != 1) {
    throw std::runtime_error(path + ": the ledger has no open event to copy");
  }
  db.Exec("COMMIT");
  return 0;
}

int Usage() {
  std::cerr << "usage: dealtrail-sqlite-bench insert SOURCE DEST [--cache-kib K]\n"
               "       dealtrail-sqlite-bench fold LEDGER AS_OF [--repeat N]\n"
               "       dealtrail-sqlite-bench durable LEDGER [--runs N]\n"
               "       dealtrail-sqlite-bench append LEDGER\n";
  return 2;
}

bool ParseCount(std::string_view text, int* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // before anything starts SQLite
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if ((args.size() == 3 || args.size() == 5) && args[0] == "insert") {
      int cache_kib = 0;
      if (args.size() == 5 && (args[3] != "--cache-kib" || !ParseCount(args[4], &cache_kib))) {
        return Usage();
      }
      return Insert(args[1], args[2], cache_kib);
    }
    if ((args.size() == 3 || args.size() == 5) && args[0] == "fold") {
      int repeat = 0;
      if (args.size() == 5 && (args[3] != "--repeat" || !ParseCount(args[4], &repeat))) {
        return Usage();
      }
      return Fold(args[1], args[2], repeat);
    }
    if ((args.size() == 2 || args.size() == 4) && args[0] == "durable") {
      int runs = 200;
      if (args.size() == 4 && (args[2] != "--runs" || !ParseCount(args[3], &runs))) {
        return Usage();
      }
      return Durable(args[1], runs);
    }
    if (args.size() == 2 && args[0] == "append") return Append(args[1]);
  } catch (const std::exception& e) {
    std::cerr << "dealtrail-sqlite-bench: " << e.what() << "\n";
    return 1;
  }
  return Usage();
}
