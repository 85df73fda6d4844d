// Inserting an import's event rows on a thread of their own, while the
// writer checks and hashes the events after them.
//
// Only for an import into a ledger that had no events: its writer answers
// every check from what it keeps of its own rows (Writer::OwnRow) and from
// the latest events it added, which it keeps until their rows are in, so it
// rarely reads the ledger. The connection is opened without SQLite's own
// mutex and is used by one thread at a time: the writer's reads run on the
// insert thread between two rows (`Read`), or the writer waits until every
// row handed over is in (`Drain`), after which the connection is its own
// until it hands over more. (Turns at a lock instead cost more: the two
// threads woke each other dozens of times a read on two cores.)
#ifndef DEALTRAIL_SRC_STORAGE_INSERT_THREAD_H_
#define DEALTRAIL_SRC_STORAGE_INSERT_THREAD_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include <SQLiteCpp/Database.h>

#include "dealtrail/event.h"
#include "storage/event_rows.h"
#include "storage/raw_statement.h"

namespace dealtrail::storage {

class InsertThread {
 public:
  // The event whose row is `seq`, read on the insert thread; null when the
  // row is in already. It must stay unchanged until the row is in
  // (`inserted_through`).
  using Rows = std::function<const Event*(std::int64_t seq)>;

  // The first row it inserts is `after` + 1.
  InsertThread(SQLite::Database& db, std::int64_t after, Rows rows);
  // Stops the thread (rows handed over and not yet in are left out) and
  // waits for it.
  ~InsertThread();
  InsertThread(const InsertThread&) = delete;
  InsertThread& operator=(const InsertThread&) = delete;

  // The rows through `seq` may go in.
  void Hand(std::int64_t seq);
  // Waits until every row handed over is in. Rethrows what an insert threw
  // (SQLite::Exception, as the writer's own insert would).
  void Drain();
  // Waits until the rows through `seq` (handed over) are in; rethrows as Drain.
  void WaitFor(std::int64_t seq);
  // Rethrows what an insert threw, if one did; otherwise returns at once.
  void ThrowIfFailed();
  std::int64_t inserted_through() const { return inserted_through_; }
  // Runs `read` on the connection: on the insert thread after its current
  // row, or on this one when no row is going in; rethrows what it threw.
  void Read(const std::function<void()>& read);

 private:
  void Run();
  void Serve();  // the insert thread: runs the read asked for

  SQLite::Database& db_;
  const Rows rows_;
  Stmt insert_;
  BoundText bound_;  // the insert thread's

  std::atomic<std::int64_t> inserted_through_;
  std::atomic<std::int64_t> waiting_for_{0};  // WaitFor's seq, or 0
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> asked_{false};  // a read waits

  std::mutex mu_;
  std::condition_variable changed_;
  std::int64_t handed_;                          // guarded by mu_
  bool stop_ = false;                            // guarded by mu_
  std::exception_ptr error_;                     // guarded by mu_: what an insert threw
  const std::function<void()>* read_ = nullptr;  // guarded by mu_: the read asked for
  std::exception_ptr read_error_;                // guarded by mu_: what it threw
  std::jthread thread_;                          // last: started once the rest exists
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_INSERT_THREAD_H_
