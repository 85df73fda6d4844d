// Status and Result<T>: expected failures as values, so callers map them to
// exit codes and tests can assert them. Nothing in the dealtrail API throws.
#ifndef DEALTRAIL_STATUS_H_
#define DEALTRAIL_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dealtrail {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,     // malformed or out-of-range input: a date, an amount, a field
  kNotFound,         // a party, commitment, round or event that does not exist
  kConflict,         // same event id with different content; a state that forbids the event
  kVersionMismatch,  // optimistic concurrency: the commitment moved on
  kNotALedger,       // the file is not a dealtrail ledger, or is newer than this build
  kCorrupt,          // integrity or hash-chain failure
  kIo,               // the file system or SQLite failed
  kInternal,
};

// A code, the field the problem is about (may be empty) and a message saying
// what was expected. `where` is the input location ("events.jsonl:12") once a
// reader has attached it.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string field, std::string message)
      : code_(code), field_(std::move(field)), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string field, std::string message) {
    return {StatusCode::kInvalidInput, std::move(field), std::move(message)};
  }
  static Status NotFound(std::string field, std::string message) {
    return {StatusCode::kNotFound, std::move(field), std::move(message)};
  }
  static Status Conflict(std::string field, std::string message) {
    return {StatusCode::kConflict, std::move(field), std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }
  const std::string& where() const { return where_; }

  // Returns a copy located at `where` (kept if one is already set).
  Status At(std::string where) const {
    Status s = *this;
    if (s.where_.empty()) s.where_ = std::move(where);
    return s;
  }
  // Returns a copy naming `field` (kept if one is already set).
  Status For(std::string field) const {
    Status s = *this;
    if (s.field_.empty()) s.field_ = std::move(field);
    return s;
  }

  // "where:field: message", leaving out the empty parts.
  std::string ToString() const;

  // True for the failures the user caused by what they typed or supplied.
  bool IsBadInput() const {
    return code_ == StatusCode::kInvalidInput || code_ == StatusCode::kNotFound ||
           code_ == StatusCode::kConflict;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string field_;
  std::string message_;
  std::string where_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace dealtrail

// Early return of a failed Status or Result.
#define DEALTRAIL_RETURN_IF_ERROR(expr)                \
  do {                                                 \
    auto dealtrail_status_ = (expr);                   \
    if (!dealtrail_status_.ok()) {                     \
      return ::dealtrail::StatusOf(dealtrail_status_); \
    }                                                  \
  } while (false)

namespace dealtrail {
inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}
}  // namespace dealtrail

#endif  // DEALTRAIL_STATUS_H_
