#include "core/read_ahead.h"

#include <exception>
#include <string>
#include <utility>

#include "core/chain_hash.h"

namespace dealtrail {

ReadAhead::ReadAhead(EventReader& reader) : thread_([this, &reader] { Run(reader); }) {}

ReadAhead::~ReadAhead() {
  {
    const std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  // thread_ joins as it is destroyed.
}

void ReadAhead::Run(EventReader& reader) {
  try {
    std::vector<Item> batch = Spare();
    while (true) {
      Item item;
      auto more = reader.Next(&item.event);
      if (!more.ok() || !*more) {
        Hand(std::move(batch), more.ok() ? Status{} : more.status());
        return;
      }
      item.tail = SerializedTail(item.event);
      item.line = reader.line();
      item.bytes = reader.bytes_read();
      batch.push_back(std::move(item));
      if (batch.size() == kBatch) {
        if (!Hand(std::move(batch), std::nullopt)) return;
        batch = Spare();
      }
    }
  } catch (const std::exception& e) {  // bad_alloc: nothing may leave the thread
    Hand({}, Status{StatusCode::kInternal, "", std::string("reading the input: ") + e.what()});
  }
}

std::vector<ReadAhead::Item> ReadAhead::Spare() {
  std::vector<Item> batch;
  {
    const std::lock_guard lock(mu_);
    if (!spare_.empty()) {
      batch = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  batch.clear();
  batch.reserve(kBatch);
  return batch;
}

bool ReadAhead::Hand(std::vector<Item> batch, std::optional<Status> end) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return stop_ || ready_.size() < kBatches; });
  if (stop_) return false;
  if (!batch.empty()) ready_.push_back(std::move(batch));
  if (end) end_ = std::move(end);
  lock.unlock();
  changed_.notify_all();
  return true;
}

Result<bool> ReadAhead::Next(Item** item) {
  if (next_ == taking_.size()) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !ready_.empty() || end_.has_value(); });
    if (ready_.empty()) {
      if (!end_->ok()) return *end_;
      return false;
    }
    if (taking_.capacity() > 0) spare_.push_back(std::move(taking_));
    taking_ = std::move(ready_.front());
    ready_.pop_front();
    next_ = 0;
    lock.unlock();
    changed_.notify_all();
  }
  *item = &taking_[next_++];
  return true;
}

}  // namespace dealtrail
