// Dates and times: partial effective dates (a day, a month, a quarter or a
// year, each a span of days), and UTC recording timestamps. The one place
// where dates are parsed and formatted.
#ifndef DEALTRAIL_TIME_H_
#define DEALTRAIL_TIME_H_

#include <chrono>
#include <compare>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "dealtrail/status.h"

namespace dealtrail {

enum class DatePrecision { kDay, kMonth, kQuarter, kYear };
std::string_view PrecisionName(DatePrecision p);  // "day", "month", "quarter", "year"
std::optional<DatePrecision> PrecisionFromName(std::string_view name);

// When something happened in the world, as precisely as it is known:
// "2025-09-22", "2025-09", "2025-Q3" or "2025". It covers the days
// [first(), last()]; an event counts from its first day.
class PartialDate {
 public:
  PartialDate() = default;
  static PartialDate Day(date::year_month_day ymd);
  static PartialDate Month(date::year_month ym);
  static PartialDate Quarter(date::year y, int quarter);  // quarter 1..4
  static PartialDate Year(date::year y);
  // The period of precision `p` that starts on `first`; kInvalidInput if
  // `first` does not start such a period (a month starting on the 2nd).
  static Result<PartialDate> Of(date::sys_days first, DatePrecision p);

  // Parses the four forms above; years 1900..2999. A day must exist
  // ("2025-02-30" and "2023-02-29" fail).
  static Result<PartialDate> Parse(std::string_view text);

  DatePrecision precision() const { return precision_; }
  date::sys_days first() const { return first_; }
  date::sys_days last() const;
  // The form it was written in: "2025-09", "2025-Q3", …
  std::string ToString() const;

  friend bool operator==(const PartialDate& a, const PartialDate& b) {
    return a.first_ == b.first_ && a.precision_ == b.precision_;
  }

 private:
  PartialDate(date::sys_days first, DatePrecision p) : first_(first), precision_(p) {}
  date::sys_days first_{};
  DatePrecision precision_ = DatePrecision::kDay;
};

// A full calendar day "YYYY-MM-DD" (an --as-of, a publication date).
Result<date::sys_days> ParseDay(std::string_view text);
std::string FormatDay(date::sys_days d);

// A recording time: UTC, microsecond resolution.
using Timestamp = date::sys_time<std::chrono::microseconds>;

// Parses "2026-02-27T18:30:00Z", "2026-02-27T18:30:00.123456Z",
// "2026-02-27 18:30:00" (UTC) or a bare day "2026-02-27", which means the end
// of that day (23:59:59.999999Z): "what we knew on the 27th".
Result<Timestamp> ParseTimestamp(std::string_view text);
// "2026-02-27T18:30:00.000000Z": fixed width, so text order is time order.
std::string FormatTimestamp(Timestamp t);
// "2026-02-27T18:30:00Z" when there are no fractional seconds, else the full form.
std::string FormatTimestampShort(Timestamp t);

// The ledger's clock; tests pass a fixed one.
using Clock = std::function<Timestamp()>;
Clock SystemClock();
Clock FixedClock(Timestamp t);

}  // namespace dealtrail

#endif  // DEALTRAIL_TIME_H_
