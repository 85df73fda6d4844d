// A fold on a second thread, fed by the thread that reads the events.
#include "storage/fold_pipeline.h"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

namespace dealtrail::storage {

EventBatch::EventBatch(std::size_t events, std::size_t text_bytes)
    : text_(std::make_unique_for_overwrite<char[]>(text_bytes)), text_capacity_(text_bytes) {
  events_.reserve(std::max<std::size_t>(events, 1));
}

bool EventBatch::Add(const FoldEvent& e) {
  if (events_.size() == events_.capacity()) return false;  // never grown: views stay put
  const std::size_t need = e.id.size() + e.commitment.size() + e.by.size() + e.round.size() +
                           e.party.size() + e.from.size() + e.to.size() + e.terms.size() +
                           e.source.size() + e.url.size() + e.note.size();
  if (need > text_capacity_ - text_used_) {
    if (!events_.empty()) return false;
    text_ = std::make_unique_for_overwrite<char[]>(need);
    text_capacity_ = need;
  }
  FoldEvent& held = events_.emplace_back(e);
  for (std::string_view* v :
       {&held.id, &held.commitment, &held.by, &held.round, &held.party, &held.from, &held.to,
        &held.terms, &held.source, &held.url, &held.note}) {
    char* at = text_.get() + text_used_;
    std::copy(v->begin(), v->end(), at);
    *v = std::string_view(at, v->size());
    text_used_ += v->size();
  }
  return true;
}

Status EventBatch::ApplyTo(Fold& fold) const {
  for (const FoldEvent& e : events_) DEALTRAIL_RETURN_IF_ERROR(fold.Apply(e));
  return {};
}

void EventBatch::Clear() {
  events_.clear();
  text_used_ = 0;
}

FoldPipeline::FoldPipeline(std::function<Result<Fold>()> start, std::size_t batch_events,
                           std::size_t batch_text)
    : batch_events_(batch_events), batch_text_(batch_text), filling_(NewBatch()) {
  thread_ = std::jthread([this, start = std::move(start)] { Run(start); });
}

FoldPipeline::~FoldPipeline() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mu_);
    queue_.clear();  // abandoned: nothing more is applied
    end_ = true;
  }
  wake_.notify_one();
}

std::unique_ptr<EventBatch> FoldPipeline::NewBatch() {
  return std::make_unique<EventBatch>(batch_events_, batch_text_);
}

void FoldPipeline::Add(const FoldEvent& e) {
  if (filling_->Add(e)) return;
  HandOver();
  filling_->Add(e);  // an empty batch takes any event
}

void FoldPipeline::HandOver() {
  {
    const std::lock_guard lock(mu_);
    queue_.push_back(std::move(filling_));
    if (!spare_.empty()) {
      filling_ = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  wake_.notify_one();
  if (!filling_) filling_ = NewBatch();
}

Result<Fold> FoldPipeline::Finish() {
  if (!filling_->empty()) HandOver();
  {
    const std::lock_guard lock(mu_);
    end_ = true;
  }
  wake_.notify_one();
  thread_.join();
  return std::move(*result_);
}

void FoldPipeline::Run(const std::function<Result<Fold>()>& start) {
  try {
    Result<Fold> fold = start();
    Status failed = fold.ok() ? Status() : fold.status();
    while (true) {
      std::unique_ptr<EventBatch> batch;
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return !queue_.empty() || end_; });
        if (queue_.empty()) break;  // the end, and every batch applied
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      // After a failure the rest is only drained: the first failure is the answer.
      if (failed.ok()) failed = batch->ApplyTo(*fold);
      batch->Clear();
      const std::lock_guard lock(mu_);
      spare_.push_back(std::move(batch));
    }
    if (failed.ok()) {
      result_.emplace(std::move(fold));
    } else {
      result_.emplace(failed);
    }
  } catch (const std::exception& e) {  // bad_alloc: nothing may leave the thread
    result_.emplace(Status{StatusCode::kInternal, "",
                           std::string("folding events on a second thread: ") + e.what()});
  }
}

}  // namespace dealtrail::storage
