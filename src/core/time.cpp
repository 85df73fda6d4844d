// Partial dates and UTC timestamps: strict parsing (real calendar dates via
// the date library) and fixed-width formatting.
#include "dealtrail/time.h"

#include <cctype>
#include <cstdio>
#include <string>

namespace dealtrail {
namespace {

using date::days;
using date::sys_days;

// Reads exactly `n` digits at `pos`; -1 if they are not there.
int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2999;

// Digits written by hand: dates and times are formatted for every event
// recorded, hashed and stored, and printf costs more than the rest.
char* PutDigits(char* out, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + width;
}

std::string TwoDigits(unsigned v) {
  char buf[2];
  PutDigits(buf, v % 100, 2);
  return std::string(buf, 2);
}

// "YYYY-MM-DD" into out[0..9] (years 0-9999).
void PutDay(char* out, const date::year_month_day& ymd) {
  out = PutDigits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  *out++ = '-';
  out = PutDigits(out, static_cast<unsigned>(ymd.month()), 2);
  *out++ = '-';
  PutDigits(out, static_cast<unsigned>(ymd.day()), 2);
}

std::string DayText(const date::year_month_day& ymd) {
  char buf[10];
  PutDay(buf, ymd);
  return std::string(buf, sizeof buf);
}

Status BadDate(std::string_view text) {
  return Status::Invalid("", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025, got '" +
                                 std::string(text) + "'");
}

}  // namespace

std::string_view PrecisionName(DatePrecision p) {
  switch (p) {
    case DatePrecision::kDay:
      return "day";
    case DatePrecision::kMonth:
      return "month";
    case DatePrecision::kQuarter:
      return "quarter";
    case DatePrecision::kYear:
      return "year";
  }
  return "day";
}

std::optional<DatePrecision> PrecisionFromName(std::string_view name) {
  for (DatePrecision p : {DatePrecision::kDay, DatePrecision::kMonth, DatePrecision::kQuarter,
                          DatePrecision::kYear}) {
    if (PrecisionName(p) == name) return p;
  }
  return std::nullopt;
}

Result<PartialDate> PartialDate::Of(date::sys_days first, DatePrecision p) {
  const date::year_month_day ymd{first};
  const unsigned m = static_cast<unsigned>(ymd.month());
  const bool starts = p == DatePrecision::kDay ||
                      (ymd.day() == date::day{1} && (p == DatePrecision::kMonth ||
                                                     (p == DatePrecision::kQuarter && m % 3 == 1) ||
                                                     (p == DatePrecision::kYear && m == 1)));
  if (!starts) {
    return Status::Invalid("date",
                           FormatDay(first) + " does not start a " + std::string(PrecisionName(p)));
  }
  return PartialDate(first, p);
}

PartialDate PartialDate::Day(date::year_month_day ymd) {
  return PartialDate(sys_days(ymd), DatePrecision::kDay);
}
PartialDate PartialDate::Month(date::year_month ym) {
  return PartialDate(sys_days(ym / date::day{1}), DatePrecision::kMonth);
}
PartialDate PartialDate::Quarter(date::year y, int quarter) {
  const auto first_month = date::month(static_cast<unsigned>((quarter - 1) * 3 + 1));
  return PartialDate(sys_days(y / first_month / date::day{1}), DatePrecision::kQuarter);
}
PartialDate PartialDate::Year(date::year y) {
  return PartialDate(sys_days(y / date::January / date::day{1}), DatePrecision::kYear);
}

sys_days PartialDate::last() const {
  const date::year_month_day ymd{first_};
  switch (precision_) {
    case DatePrecision::kDay:
      return first_;
    case DatePrecision::kMonth:
      return sys_days(ymd.year() / ymd.month() / date::last);
    case DatePrecision::kQuarter:
      return sys_days(ymd.year() / (ymd.month() + date::months{2}) / date::last);
    case DatePrecision::kYear:
      return sys_days(ymd.year() / date::December / date::day{31});
  }
  return first_;
}

std::string PartialDate::ToString() const {
  const date::year_month_day ymd{first_};
  std::string year = std::to_string(static_cast<int>(ymd.year()));
  switch (precision_) {
    case DatePrecision::kDay:
      return DayText(ymd);
    case DatePrecision::kMonth:
      return year + "-" + TwoDigits(static_cast<unsigned>(ymd.month()));
    case DatePrecision::kQuarter:
      return year + "-Q" + std::to_string((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
    case DatePrecision::kYear:
      return year;
  }
  return DayText(ymd);
}

Result<PartialDate> PartialDate::Parse(std::string_view text) {
  const int y = Digits(text, 0, 4);
  if (y < 0) return BadDate(text);
  if (y < kMinYear || y > kMaxYear) {
    return Status::Invalid("", "year " + std::to_string(y) + " is outside " +
                                   std::to_string(kMinYear) + "-" + std::to_string(kMaxYear));
  }
  const date::year year{y};
  if (text.size() == 4) return Year(year);
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q')) {
    const int q = Digits(text, 6, 1);
    if (q < 1 || q > 4)
      return Status::Invalid("", "quarter must be Q1 to Q4, got '" + std::string(text) + "'");
    return Quarter(year, q);
  }
  if (text.size() == 7 && text[4] == '-') {
    const int m = Digits(text, 5, 2);
    if (m < 1 || m > 12) {
      return m < 0 ? BadDate(text)
                   : Status::Invalid("", "month must be 01 to 12, got '" + std::string(text) + "'");
    }
    return Month(year / date::month(static_cast<unsigned>(m)));
  }
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    auto day = ParseDay(text);
    if (!day.ok()) return day.status();
    return Day(date::year_month_day{*day});
  }
  return BadDate(text);
}

Result<sys_days> ParseDay(std::string_view text) {
  const int y = Digits(text, 0, 4);
  const int m = Digits(text, 5, 2);
  const int d = Digits(text, 8, 2);
  if (text.size() != 10 || y < 0 || m < 0 || d < 0 || text[4] != '-' || text[7] != '-') {
    return Status::Invalid("", "expected a day like 2025-09-22, got '" + std::string(text) + "'");
  }
  if (y < kMinYear || y > kMaxYear) {
    return Status::Invalid("", "year " + std::to_string(y) + " is outside " +
                                   std::to_string(kMinYear) + "-" + std::to_string(kMaxYear));
  }
  if (m < 1 || m > 12) {
    return Status::Invalid("", "month must be 01 to 12, got '" + std::string(text) + "'");
  }
  const date::year_month ym{date::year{y}, date::month(static_cast<unsigned>(m))};
  const date::year_month_day ymd = ym / date::day(static_cast<unsigned>(d));
  if (!ymd.ok()) {
    const unsigned month_days = static_cast<unsigned>((ym / date::last).day());
    return Status::Invalid("", "no such day: '" + std::string(text) + "' (" +
                                   std::string(text.substr(0, 7)) + " has " +
                                   std::to_string(month_days) + " days)");
  }
  return sys_days(ymd);
}

std::string FormatDay(sys_days d) { return DayText(date::year_month_day{d}); }

Result<Timestamp> ParseTimestamp(std::string_view text) {
  auto day = ParseDay(text.substr(0, 10));
  const auto expected = Status::Invalid(
      "", "expected a time like 2026-02-27T18:30:00Z or a day like 2026-02-27, got '" +
              std::string(text) + "'");
  if (!day.ok()) return text.size() == 10 ? day.status() : expected;
  if (text.size() == 10) {
    return Timestamp(*day) + std::chrono::days{1} - std::chrono::microseconds{1};
  }
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return expected;
  }
  const int hh = Digits(text, 11, 2);
  const int mm = Digits(text, 14, 2);
  const int ss = Digits(text, 17, 2);
  if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 59) return expected;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (n < 6) micros = micros * 10 + (text[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0 || n > 9) return expected;
    for (std::size_t k = n; k < 6; ++k) micros *= 10;
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return expected;
  return Timestamp(*day) + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss} + std::chrono::microseconds{micros};
}

std::string FormatTimestamp(Timestamp t) {
  const auto day = date::floor<date::days>(t);
  const auto tod = date::hh_mm_ss<std::chrono::microseconds>(t - day);
  char buf[27];  // 2026-02-27T18:30:00.000000Z
  PutDay(buf, date::year_month_day{day});
  char* out = buf + 10;
  *out++ = 'T';
  out = PutDigits(out, static_cast<unsigned>(tod.hours().count()), 2);
  *out++ = ':';
  out = PutDigits(out, static_cast<unsigned>(tod.minutes().count()), 2);
  *out++ = ':';
  out = PutDigits(out, static_cast<unsigned>(tod.seconds().count()), 2);
  *out++ = '.';
  out = PutDigits(out, static_cast<unsigned>(tod.subseconds().count()), 6);
  *out = 'Z';
  return std::string(buf, sizeof buf);
}

std::string FormatTimestampShort(Timestamp t) {
  std::string full = FormatTimestamp(t);
  if (full.compare(19, 8, ".000000Z") == 0) return full.substr(0, 19) + "Z";
  return full;
}

Clock SystemClock() {
  return [] { return date::floor<std::chrono::microseconds>(std::chrono::system_clock::now()); };
}

Clock FixedClock(Timestamp t) {
  return [t] { return t; };
}

}  // namespace dealtrail
