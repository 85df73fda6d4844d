// An import's event rows inserted on a thread of their own (see
// insert_thread.h).
#include "storage/insert_thread.h"

#include <utility>

namespace dealtrail::storage {

InsertThread::InsertThread(SQLite::Database& db, std::int64_t after, Rows rows)
    : db_(db),
      rows_(std::move(rows)),
      insert_(Prepare(db.getHandle(), kInsertEvent)),
      inserted_through_(after),
      handed_(after),
      thread_([this] { Run(); }) {}

InsertThread::~InsertThread() {
  stopping_ = true;
  {
    const std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
}

void InsertThread::Hand(std::int64_t seq) {
  {
    const std::lock_guard lock(mu_);
    if (seq <= handed_) return;
    handed_ = seq;
  }
  changed_.notify_all();
}

void InsertThread::Drain() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return inserted_through_ >= handed_ || error_; });
  if (error_) std::rethrow_exception(error_);
}

void InsertThread::WaitFor(std::int64_t seq) {
  if (inserted_through_ >= seq) return ThrowIfFailed();
  std::unique_lock lock(mu_);
  waiting_for_ = seq;
  changed_.wait(lock, [&] { return inserted_through_ >= std::min(seq, handed_) || error_; });
  waiting_for_ = 0;
  if (error_) std::rethrow_exception(error_);
}

void InsertThread::Read(const std::function<void()>& read) {
  std::unique_lock lock(mu_);
  if (inserted_through_ >= handed_ || error_) {  // the insert thread leaves the connection alone
    lock.unlock();
    return read();
  }
  read_ = &read;
  read_error_ = nullptr;
  asked_ = true;
  changed_.notify_all();
  changed_.wait(lock, [this] { return read_ == nullptr || error_; });
  if (read_ != nullptr) {  // the insert thread failed before it got to the read
    read_ = nullptr;
    asked_ = false;
    std::rethrow_exception(error_);
  }
  if (read_error_) std::rethrow_exception(std::exchange(read_error_, nullptr));
}

void InsertThread::Serve() {
  std::unique_lock lock(mu_);
  const std::function<void()>* read = read_;
  if (read == nullptr) return;
  lock.unlock();
  std::exception_ptr error;
  try {
    (*read)();
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  read_ = nullptr;
  read_error_ = error;
  asked_ = false;
  changed_.notify_all();
}

void InsertThread::ThrowIfFailed() {
  if (!failed_) return;
  const std::lock_guard lock(mu_);
  if (error_) std::rethrow_exception(error_);
}

void InsertThread::Run() {
  while (true) {
    std::int64_t through = 0;
    {
      std::unique_lock lock(mu_);
      changed_.notify_all();  // what was handed over is in
      changed_.wait(lock,
                    [this] { return stop_ || handed_ > inserted_through_ || read_ != nullptr; });
      if (stop_) return;
      through = handed_;
    }
    if (asked_) Serve();
    try {
      for (std::int64_t seq = inserted_through_ + 1; seq <= through && !stopping_; ++seq) {
        if (asked_) Serve();
        if (const Event* e = rows_(seq)) {
          sqlite3_stmt* insert = insert_.get();
          sqlite3_reset(insert);
          BindEvent(insert, *e, bound_);
          if (const int rc = sqlite3_step(insert); rc != SQLITE_DONE) {
            throw SQLite::Exception(db_.getHandle(), rc);
          }
        }
        inserted_through_ = seq;
        if (const std::int64_t w = waiting_for_; w != 0 && seq >= w) {
          const std::lock_guard lock(mu_);
          changed_.notify_all();
        }
      }
    } catch (...) {
      {
        const std::lock_guard lock(mu_);
        if (!error_) error_ = std::current_exception();
        failed_ = true;
      }
      changed_.notify_all();
      std::unique_lock lock(mu_);  // nothing more goes in; wait to be stopped
      changed_.wait(lock, [this] { return stop_; });
      return;
    }
  }
}

}  // namespace dealtrail::storage
