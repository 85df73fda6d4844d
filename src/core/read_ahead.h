// Reading ahead: an EventReader driven on a second thread, a few batches
// ahead of the caller, so parsing the input (JSON or CSV, amounts, dates,
// shape checks) overlaps with the writer checking and inserting the events
// before them. The caller sees the same events in the same order, and an
// input error where the reader found it, after every event before it.
#ifndef DEALTRAIL_SRC_CORE_READ_AHEAD_H_
#define DEALTRAIL_SRC_CORE_READ_AHEAD_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dealtrail/reader.h"

namespace dealtrail {

class ReadAhead {
 public:
  struct Item {
    Event event;
    std::string tail;        // SerializedTail(event): half of its chain hash
    std::int64_t line = 0;   // reader.line() after reading it
    std::int64_t bytes = 0;  // reader.bytes_read() after reading it
  };

  // `reader` must outlive this object and is used only by its thread.
  explicit ReadAhead(EventReader& reader);
  // Stops the thread (wherever it is) and waits for it.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next event in *item (the caller may move from it; it stays valid
  // until the next call); false at the end of the input; the reader's error
  // once every event before it has been taken.
  Result<bool> Next(Item** item);

 private:
  static constexpr std::size_t kBatch = 256;  // events handed over at once
  static constexpr std::size_t kBatches = 8;  // batches read ahead at most

  void Run(EventReader& reader);
  // Hands a batch (and, at the end, how the input ended) to the caller;
  // false once the caller has stopped listening.
  bool Hand(std::vector<Item> batch, std::optional<Status> end);
  // An empty batch to fill: one the caller has finished with, emptied here,
  // so its items are freed by the thread that allocated them and its
  // storage (kBatch items of about a KiB) is not allocated again.
  std::vector<Item> Spare();

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<Item>> ready_;   // guarded by mu_
  std::vector<std::vector<Item>> spare_;  // guarded by mu_: taken, to be filled again
  std::optional<Status> end_;             // guarded by mu_: ok at the end, or the error
  bool stop_ = false;                     // guarded by mu_: the caller is gone

  std::vector<Item> taking_;  // the caller's batch
  std::size_t next_ = 0;
  std::jthread thread_;  // last: started once the rest exists, joined first
};

}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_CORE_READ_AHEAD_H_
