// Replay checkpoints built while an import runs (see checkpoint_builder.h).
#include "storage/checkpoint_builder.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <utility>

#include "dealtrail/time.h"

namespace dealtrail::storage {

CheckpointBuilder::CheckpointBuilder(std::int64_t input_bytes, std::size_t window,
                                     std::int64_t min_spacing)
    : input_bytes_(input_bytes),
      window_size_(std::max<std::size_t>(1, window)),
      min_spacing_(std::max<std::int64_t>(1, min_spacing)),
      thread_([this] { Run(); }) {
  filling_.reserve(kBatch);
}

CheckpointBuilder::~CheckpointBuilder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
}

void CheckpointBuilder::Add(Event&& event, std::int64_t bytes_read) {
  Pending& pending = filling_.emplace_back();
  pending.event = std::move(event);
  pending.bytes = bytes_read;
  if (filling_.size() < kBatch) return;
  std::unique_lock lock(mu_);
  // The builder folds faster than events are checked and inserted; this
  // wait only bounds the memory held if it ever falls behind.
  changed_.wait(lock, [this] { return queue_.size() < kBatches || done_; });
  if (!done_) queue_.push_back(std::move(filling_));
  filling_.clear();
  if (!spare_.empty()) {  // emptied by the thread that folded it
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  }
  changed_.notify_all();
  lock.unlock();
  filling_.reserve(kBatch);
}

std::vector<BuiltCheckpoint> CheckpointBuilder::TakeReady() {
  std::lock_guard lock(mu_);
  return std::exchange(ready_, {});
}

bool CheckpointBuilder::Finish(std::vector<BuiltCheckpoint>* rest) {
  {
    std::unique_lock lock(mu_);
    if (!filling_.empty()) queue_.push_back(std::move(filling_));
    filling_.clear();
    ended_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return done_; });
    *rest = std::exchange(ready_, {});
    return !failed_;
  }
}

void CheckpointBuilder::Run() {
  while (true) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [this] { return stop_ || ended_ || !queue_.empty(); });
      if (stop_ || (queue_.empty() && ended_) || broken_) break;
      batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
    }
    try {
      for (Pending& p : batch) {
        Take(std::move(p));
        if (broken_) break;
      }
      batch.clear();  // freed here, where what the events held is freed
      const std::lock_guard lock(mu_);
      spare_.push_back(std::move(batch));
    } catch (const std::exception&) {  // out of memory: the import rebuilds instead
      broken_ = true;
    }
  }
  // The end of the input: fold what the window holds, and the last day.
  bool ended = false;
  {
    std::lock_guard lock(mu_);
    ended = ended_ && !stop_ && queue_.empty();
  }
  if (ended && !broken_) {
    try {
      while (!window_.empty() && !broken_) FoldOldest();
      if (day_ && !broken_) Boundary(*day_);
    } catch (const std::exception&) {
      broken_ = true;
    }
  }
  std::lock_guard lock(mu_);
  failed_ = broken_;
  if (broken_) ready_.clear();
  done_ = true;
  changed_.notify_all();
}

void CheckpointBuilder::Take(Pending p) {
  Event& e = p.event;
  ++seen_;
  seen_bytes_ = p.bytes;
  seen_seq_ = e.seq;
  seen_recorded_ = FormatTimestamp(e.recorded_at);
  if (IsPartyKind(e.kind)) return;  // does not fold
  if (e.kind == EventKind::kRetract) {
    // As known now the retracted event never happened: it must not have
    // been folded yet. (Retractions mostly name recent events: look from
    // the newest.)
    auto it = std::find_if(window_.rbegin(), window_.rend(),
                           [&](const Event& held) { return held.id == e.retracts; });
    if (it == window_.rend()) {
      broken_ = true;
    } else {
      window_.erase(std::next(it).base());
    }
    return;
  }
  // A day already passed: a replay would have folded this event earlier.
  if (day_ && e.date.first() < *day_) {
    broken_ = true;
    return;
  }
  // In (day, seq) order; seqs only grow, so after every event of its day.
  auto at = std::upper_bound(
      window_.begin(), window_.end(), e.date.first(),
      [](date::sys_days day, const Event& held) { return day < held.date.first(); });
  window_.insert(at, std::move(e));
  while (window_.size() > window_size_ && !broken_) FoldOldest();
}

void CheckpointBuilder::FoldOldest() {
  const Event& e = window_.front();
  const date::sys_days day = e.date.first();
  if (day_ && day > *day_) Boundary(*day_);
  day_ = day;
  if (!fold_.Apply(e).ok()) broken_ = true;  // a rebuild will report it
  window_.pop_front();
}

std::int64_t CheckpointBuilder::Spacing() const {
  // The events the input holds, by the bytes each has taken so far.
  const std::int64_t per_event =
      std::max<std::int64_t>(1, seen_bytes_ / std::max<std::int64_t>(1, seen_));
  const std::int64_t expected = std::max(seen_, input_bytes_ / per_event);
  return CheckpointSpacing(expected, min_spacing_);
}

void CheckpointBuilder::Boundary(date::sys_days day) {
  if (fold_.events_applied() - at_last_ < Spacing()) return;
  at_last_ = fold_.events_applied();
  BuiltCheckpoint built{day, seen_seq_, seen_recorded_, fold_.events_applied(), fold_.Serialize()};
  std::lock_guard lock(mu_);
  ready_.push_back(std::move(built));
}

}  // namespace dealtrail::storage
