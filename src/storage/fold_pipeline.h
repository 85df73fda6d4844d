// A fold on a second thread, fed by the thread that reads the events.
//
// A replay from a checkpoint has two halves that do not depend on each other
// until the end: decoding the checkpoint into a fold, and reading the events
// after it from SQLite. Applying an event needs both. The reader copies each
// event (its text too) into a batch and hands full batches over; the second
// thread makes the fold, then applies the batches in the order they came, so
// applying overlaps reading instead of following it. Emptied batches go back
// to the reader to be filled again, so their memory is touched once.
#ifndef DEALTRAIL_SRC_STORAGE_FOLD_PIPELINE_H_
#define DEALTRAIL_SRC_STORAGE_FOLD_PIPELINE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "dealtrail/replay.h"
#include "dealtrail/status.h"

namespace dealtrail::storage {

// Events copied with their text, which the batch owns.
class EventBatch {
 public:
  EventBatch(std::size_t events, std::size_t text_bytes);
  // Copies `e` in, unless the batch is full (its events or its text); an
  // event whose text alone is larger than the batch's goes into an empty
  // batch, which grows for it.
  bool Add(const FoldEvent& e);
  Status ApplyTo(Fold& fold) const;
  void Clear();
  bool empty() const { return events_.empty(); }

 private:
  std::vector<FoldEvent> events_;  // capacity fixed at construction
  std::unique_ptr<char[]> text_;   // the events' views point in here
  std::size_t text_capacity_ = 0;
  std::size_t text_used_ = 0;
};

class FoldPipeline {
 public:
  // Starts the thread, which first runs `start` to make the fold the events
  // are applied to. Batches hold `batch_events` events and `batch_text`
  // bytes of text.
  explicit FoldPipeline(std::function<Result<Fold>()> start, std::size_t batch_events = 512,
                        std::size_t batch_text = std::size_t{64} * 1024);
  ~FoldPipeline();  // stops and joins the thread if Finish was not called
  FoldPipeline(const FoldPipeline&) = delete;
  FoldPipeline& operator=(const FoldPipeline&) = delete;

  // Copies the next event in; a full batch is handed to the thread.
  void Add(const FoldEvent& e);
  // Hands over what is left, waits for the thread and returns the fold, or
  // the first failure: of `start`, of an event, or of the thread itself
  // (out of memory).
  Result<Fold> Finish();

 private:
  void Run(const std::function<Result<Fold>()>& start);
  void HandOver();  // `filling_` to the thread; a recycled or new batch in its place
  std::unique_ptr<EventBatch> NewBatch();

  const std::size_t batch_events_;
  const std::size_t batch_text_;
  std::unique_ptr<EventBatch> filling_;  // the reader's

  std::mutex mu_;
  std::condition_variable wake_;                    // the thread's: a batch came, or the end
  std::deque<std::unique_ptr<EventBatch>> queue_;   // handed over, in order (under mu_)
  std::vector<std::unique_ptr<EventBatch>> spare_;  // emptied batches (under mu_)
  bool end_ = false;                                // no more batches (under mu_)
  std::optional<Result<Fold>> result_;              // the thread's, read after join

  std::jthread thread_;  // declared last: started after, and joined before, the rest
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_FOLD_PIPELINE_H_
