// Building replay checkpoints during an import, on a second thread, instead
// of replaying the whole ledger again after it.
//
// A checkpoint dated D holds the fold of every event dated on or before D,
// in effective order, as known now. An import into a ledger that had no
// events can fold its events as they are added — provided none of them
// lands before what is already folded. Events are held in a settling window
// of the latest kWindow, kept in effective order, and folded as they leave
// it: an event dated inside the window takes its place there, and a
// retraction of an event still in the window removes it. An event dated
// before the window, or a retraction of an event already folded, means the
// folded state is no longer what a replay would find: the builder stops
// ("broken"), and the caller rebuilds the checkpoints after the import as
// before. So the checkpoints stored are byte for byte those a rebuild makes
// at the same days (verify checks this).
#ifndef DEALTRAIL_SRC_STORAGE_CHECKPOINT_BUILDER_H_
#define DEALTRAIL_SRC_STORAGE_CHECKPOINT_BUILDER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/replay.h"
#include "storage/checkpoints.h"

namespace dealtrail::storage {

class CheckpointBuilder {
 public:
  static constexpr std::size_t kWindow = 4096;

  // `input_bytes`: the size of the import's input, from which the number of
  // events it holds is estimated as it is read; a checkpoint is made after
  // each sixteenth of them (at least 10,000 events), as a rebuild spaces
  // them. `window` and `min_spacing`: other than the defaults in tests.
  explicit CheckpointBuilder(std::int64_t input_bytes, std::size_t window = kWindow,
                             std::int64_t min_spacing = kMinCheckpointSpacing);
  // Stops the thread and waits for it.
  ~CheckpointBuilder();
  CheckpointBuilder(const CheckpointBuilder&) = delete;
  CheckpointBuilder& operator=(const CheckpointBuilder&) = delete;

  // The next event the import added (in seq order), and the input bytes read
  // through it.
  void Add(Event&& event, std::int64_t bytes_read);
  // The checkpoints made so far and not yet taken.
  std::vector<BuiltCheckpoint> TakeReady();
  // Folds what is left; then the remaining checkpoints, or false when the
  // events could not be folded as they came (build them afterwards).
  bool Finish(std::vector<BuiltCheckpoint>* rest);

 private:
  struct Pending {
    Event event;
    std::int64_t bytes = 0;
  };
  static constexpr std::size_t kBatch = 256;
  static constexpr std::size_t kBatches = 16;  // handed over and not yet taken, at most

  void Run();
  void Take(Pending p);               // the builder thread: one event
  void FoldOldest();                  // the builder thread: the window's first event
  void Boundary(date::sys_days day);  // between days: a checkpoint, if one is due
  std::int64_t Spacing() const;

  const std::int64_t input_bytes_;
  const std::size_t window_size_;
  const std::int64_t min_spacing_;

  // The builder thread's own.
  std::deque<Event> window_;  // in (effective day, seq) order
  Fold fold_;
  std::optional<date::sys_days> day_;  // of the last folded event
  std::int64_t at_last_ = 0;           // events folded at the last checkpoint
  std::int64_t seen_ = 0;              // events added so far
  std::int64_t seen_bytes_ = 0;
  std::int64_t seen_seq_ = 0;
  std::string seen_recorded_;
  bool broken_ = false;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<Pending>> queue_;  // guarded by mu_
  // Guarded by mu_: batches the thread has folded, to be filled again, so
  // their storage (kBatch events of about a KiB) is not allocated again.
  std::vector<std::vector<Pending>> spare_;
  std::vector<BuiltCheckpoint> ready_;  // guarded by mu_
  bool ended_ = false;                  // guarded by mu_: no more events
  bool done_ = false;                   // guarded by mu_: the thread has finished
  bool stop_ = false;                   // guarded by mu_: give up
  bool failed_ = false;                 // guarded by mu_: broken, seen by the caller

  std::vector<Pending> filling_;  // the caller's batch
  std::jthread thread_;           // last: started once the rest exists
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_CHECKPOINT_BUILDER_H_
