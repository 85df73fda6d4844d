// Unit tests for dealtrail/time.h: partial effective dates (day, month,
// quarter, year), full days, and UTC recording timestamps.
#include "dealtrail/time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

namespace dealtrail {
namespace {

using date::sys_days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

sys_days Day(int y, unsigned m, unsigned d) {
  return sys_days(date::year{y} / date::month{m} / date::day{d});
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- PartialDate::Parse --------------------------------------------------------

struct DateCase {
  std::string_view text;
  DatePrecision precision;
  sys_days first;
  sys_days last;
};

const DateCase kDateCases[] = {
    {"2025-09-22", DatePrecision::kDay, Day(2025, 9, 22), Day(2025, 9, 22)},
    {"2024-02-29", DatePrecision::kDay, Day(2024, 2, 29), Day(2024, 2, 29)},
    {"1900-01-01", DatePrecision::kDay, Day(1900, 1, 1), Day(1900, 1, 1)},
    {"2999-12-31", DatePrecision::kDay, Day(2999, 12, 31), Day(2999, 12, 31)},
    // Month ends, leap years included.
    {"2025-01", DatePrecision::kMonth, Day(2025, 1, 1), Day(2025, 1, 31)},
    {"2025-02", DatePrecision::kMonth, Day(2025, 2, 1), Day(2025, 2, 28)},
    {"2024-02", DatePrecision::kMonth, Day(2024, 2, 1), Day(2024, 2, 29)},
    {"2028-02", DatePrecision::kMonth, Day(2028, 2, 1), Day(2028, 2, 29)},
    {"2000-02", DatePrecision::kMonth, Day(2000, 2, 1), Day(2000, 2, 29)},
    {"2100-02", DatePrecision::kMonth, Day(2100, 2, 1), Day(2100, 2, 28)},
    {"2025-04", DatePrecision::kMonth, Day(2025, 4, 1), Day(2025, 4, 30)},
    {"2025-09", DatePrecision::kMonth, Day(2025, 9, 1), Day(2025, 9, 30)},
    {"2025-12", DatePrecision::kMonth, Day(2025, 12, 1), Day(2025, 12, 31)},
    // Quarter ends.
    {"2025-Q1", DatePrecision::kQuarter, Day(2025, 1, 1), Day(2025, 3, 31)},
    {"2025-Q2", DatePrecision::kQuarter, Day(2025, 4, 1), Day(2025, 6, 30)},
    {"2025-Q3", DatePrecision::kQuarter, Day(2025, 7, 1), Day(2025, 9, 30)},
    {"2025-Q4", DatePrecision::kQuarter, Day(2025, 10, 1), Day(2025, 12, 31)},
    {"2024-Q1", DatePrecision::kQuarter, Day(2024, 1, 1), Day(2024, 3, 31)},
    // Years.
    {"2025", DatePrecision::kYear, Day(2025, 1, 1), Day(2025, 12, 31)},
    {"2024", DatePrecision::kYear, Day(2024, 1, 1), Day(2024, 12, 31)},
    {"1900", DatePrecision::kYear, Day(1900, 1, 1), Day(1900, 12, 31)},
    {"2999", DatePrecision::kYear, Day(2999, 1, 1), Day(2999, 12, 31)},
};

TEST(PartialDateTest, ParsesEachPrecisionWithItsFirstAndLastDay) {
  for (const DateCase& c : kDateCases) {
    SCOPED_TRACE(c.text);
    const Result<PartialDate> d = PartialDate::Parse(c.text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->precision(), c.precision);
    EXPECT_EQ(d->first(), c.first);
    EXPECT_EQ(d->last(), c.last);
  }
}

TEST(PartialDateTest, ToStringWritesTheFormItWasParsedFrom) {
  for (const DateCase& c : kDateCases) {
    SCOPED_TRACE(c.text);
    const Result<PartialDate> d = PartialDate::Parse(c.text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->ToString(), c.text);
    const Result<PartialDate> again = PartialDate::Parse(d->ToString());
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, *d);
  }
}

TEST(PartialDateTest, LowerCaseQuarterIsReadAndWrittenUpperCase) {
  const Result<PartialDate> d = PartialDate::Parse("2025-q3");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->precision(), DatePrecision::kQuarter);
  EXPECT_EQ(d->ToString(), "2025-Q3");
}

TEST(PartialDateTest, EqualityNeedsTheSamePrecision) {
  EXPECT_EQ(*PartialDate::Parse("2025-09"), *PartialDate::Parse("2025-09"));
  EXPECT_FALSE(*PartialDate::Parse("2025-09") == *PartialDate::Parse("2025-09-01"));
  EXPECT_FALSE(*PartialDate::Parse("2025") == *PartialDate::Parse("2025-Q1"));
  EXPECT_FALSE(*PartialDate::Parse("2025-Q1") == *PartialDate::Parse("2025-01"));
}

TEST(PartialDateTest, FactoriesMatchParse) {
  using date::year;
  EXPECT_EQ(PartialDate::Day(year{2025} / 9 / 22), *PartialDate::Parse("2025-09-22"));
  EXPECT_EQ(PartialDate::Month(year{2025} / 9), *PartialDate::Parse("2025-09"));
  EXPECT_EQ(PartialDate::Quarter(year{2025}, 3), *PartialDate::Parse("2025-Q3"));
  EXPECT_EQ(PartialDate::Year(year{2025}), *PartialDate::Parse("2025"));
}

struct DateErrorCase {
  std::string_view text;
  std::string_view message_has;
};

TEST(PartialDateTest, RefusesWithAMessageNamingWhatWasExpected) {
  const DateErrorCase cases[] = {
      {"2025-02-30", "no such day: '2025-02-30' (2025-02 has 28 days)"},
      {"2023-02-29", "no such day: '2023-02-29' (2023-02 has 28 days)"},
      {"2025-04-31", "no such day: '2025-04-31' (2025-04 has 30 days)"},
      {"2025-01-00", "no such day: '2025-01-00' (2025-01 has 31 days)"},
      {"2025-13-01", "month must be 01 to 12, got '2025-13-01'"},
      {"2025-00-10", "month must be 01 to 12, got '2025-00-10'"},
      {"2025-00", "month must be 01 to 12, got '2025-00'"},
      {"2025-13", "month must be 01 to 12, got '2025-13'"},
      {"2025-Q5", "quarter must be Q1 to Q4, got '2025-Q5'"},
      {"2025-Q0", "quarter must be Q1 to Q4, got '2025-Q0'"},
      {"2025-QX", "quarter must be Q1 to Q4, got '2025-QX'"},
      {"1899", "year 1899 is outside 1900-2999"},
      {"3000", "year 3000 is outside 1900-2999"},
      {"1899-12-31", "year 1899 is outside 1900-2999"},
      {"3000-Q1", "year 3000 is outside 1900-2999"},
      {"25-01-01", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025, got '25-01-01'"},
      {"", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025, got ''"},
      {"2025/01/01", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025.01", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-1", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-01-1", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-0a", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-Q", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-01-01x", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-01-01T00:00:00Z", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025x", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-09x", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025-Q1x", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {" 2025", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
      {"2025 ", "expected a date like 2025-09-22, 2025-09, 2025-Q3 or 2025"},
  };
  for (const DateErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<PartialDate> d = PartialDate::Parse(c.text);
    ASSERT_FALSE(d.ok()) << d->ToString();
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput);
    EXPECT_TRUE(Contains(d.status().message(), c.message_has))
        << "message: " << d.status().message();
  }
}

TEST(PartialDateTest, OfAcceptsOnlyPeriodStarts) {
  struct Case {
    sys_days first;
    DatePrecision precision;
    std::string_view expected;  // ToString(), or the error message
    bool ok;
  };
  const Case cases[] = {
      {Day(2025, 9, 22), DatePrecision::kDay, "2025-09-22", true},
      {Day(2025, 9, 1), DatePrecision::kMonth, "2025-09", true},
      {Day(2025, 9, 2), DatePrecision::kMonth, "2025-09-02 does not start a month", false},
      {Day(2025, 1, 1), DatePrecision::kQuarter, "2025-Q1", true},
      {Day(2025, 4, 1), DatePrecision::kQuarter, "2025-Q2", true},
      {Day(2025, 7, 1), DatePrecision::kQuarter, "2025-Q3", true},
      {Day(2025, 10, 1), DatePrecision::kQuarter, "2025-Q4", true},
      {Day(2025, 8, 1), DatePrecision::kQuarter, "2025-08-01 does not start a quarter", false},
      {Day(2025, 7, 2), DatePrecision::kQuarter, "2025-07-02 does not start a quarter", false},
      {Day(2025, 1, 1), DatePrecision::kYear, "2025", true},
      {Day(2025, 2, 1), DatePrecision::kYear, "2025-02-01 does not start a year", false},
      {Day(2025, 1, 2), DatePrecision::kYear, "2025-01-02 does not start a year", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.expected));
    const Result<PartialDate> d = PartialDate::Of(c.first, c.precision);
    ASSERT_EQ(d.ok(), c.ok) << d.status().ToString();
    if (c.ok) {
      EXPECT_EQ(d->ToString(), c.expected);
      EXPECT_EQ(d->precision(), c.precision);
      EXPECT_EQ(d->first(), c.first);
      EXPECT_EQ(*d, *PartialDate::Parse(c.expected));
    } else {
      EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput);
      EXPECT_EQ(d.status().field(), "date");
      EXPECT_EQ(d.status().message(), c.expected);
    }
  }
}

TEST(PrecisionTest, NamesRoundTrip) {
  for (DatePrecision p : {DatePrecision::kDay, DatePrecision::kMonth, DatePrecision::kQuarter,
                          DatePrecision::kYear}) {
    SCOPED_TRACE(std::string(PrecisionName(p)));
    EXPECT_EQ(PrecisionFromName(PrecisionName(p)), p);
  }
  EXPECT_EQ(PrecisionName(DatePrecision::kQuarter), "quarter");
  EXPECT_FALSE(PrecisionFromName("week").has_value());
}

// --- ParseDay and FormatDay ------------------------------------------------------

TEST(ParseDayTest, ReadsAFullDayAndFormatDayWritesItBack) {
  const std::string_view days[] = {"2025-09-22", "2024-02-29", "1900-01-01", "2999-12-31",
                                   "1970-01-01"};
  for (std::string_view text : days) {
    SCOPED_TRACE(text);
    const Result<sys_days> d = ParseDay(text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(FormatDay(*d), text);
  }
  EXPECT_EQ(*ParseDay("2025-09-22"), Day(2025, 9, 22));
  EXPECT_EQ(FormatDay(sys_days{}), "1970-01-01");
  EXPECT_EQ(FormatDay(Day(2025, 1, 5)), "2025-01-05");
}

TEST(ParseDayTest, RefusesAnythingButAFullRealDay) {
  const DateErrorCase cases[] = {
      {"2025-09", "expected a day like 2025-09-22, got '2025-09'"},
      {"2025", "expected a day like 2025-09-22, got '2025'"},
      {"2025-Q3", "expected a day like 2025-09-22"},
      {"2025-9-22", "expected a day like 2025-09-22"},
      {"2025/09/22", "expected a day like 2025-09-22"},
      {"2025-09-22 ", "expected a day like 2025-09-22"},
      {"", "expected a day like 2025-09-22, got ''"},
      {"2025-02-29", "no such day: '2025-02-29' (2025-02 has 28 days)"},
      {"2025-13-01", "month must be 01 to 12"},
      {"1899-12-31", "year 1899 is outside 1900-2999"},
  };
  for (const DateErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<sys_days> d = ParseDay(c.text);
    ASSERT_FALSE(d.ok()) << FormatDay(*d);
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput);
    EXPECT_TRUE(Contains(d.status().message(), c.message_has))
        << "message: " << d.status().message();
  }
}

// --- Timestamps ------------------------------------------------------------------

TEST(ParseTimestampTest, ReadsEachForm) {
  const Timestamp base = Timestamp(Day(2026, 2, 27)) + hours{18} + minutes{30};
  struct Case {
    std::string_view text;
    Timestamp expected;
  };
  const Case cases[] = {
      {"2026-02-27T18:30:00Z", base},
      {"2026-02-27T18:30:00", base},  // no zone: UTC
      {"2026-02-27 18:30:00", base},
      {"2026-02-27 18:30:00Z", base},
      {"2026-02-27T18:30:45Z", base + seconds{45}},
      {"2026-02-27T00:00:00Z", Timestamp(Day(2026, 2, 27))},
      {"2026-02-27T23:59:59Z", Timestamp(Day(2026, 2, 27)) + hours{23} + minutes{59} + seconds{59}},
      // Fractions of 1 to 6 digits; more are truncated to microseconds.
      {"2026-02-27T18:30:00.1Z", base + microseconds{100'000}},
      {"2026-02-27T18:30:00.12Z", base + microseconds{120'000}},
      {"2026-02-27T18:30:00.123Z", base + microseconds{123'000}},
      {"2026-02-27T18:30:00.000001Z", base + microseconds{1}},
      {"2026-02-27T18:30:00.123456Z", base + microseconds{123'456}},
      {"2026-02-27T18:30:00.1234567Z", base + microseconds{123'456}},
      {"2026-02-27T18:30:00.123456999Z", base + microseconds{123'456}},
      {"2026-02-27T18:30:00.5", base + microseconds{500'000}},
      // A bare day is the end of that day: what we knew on the 27th.
      {"2026-02-27", Timestamp(Day(2026, 2, 28)) - microseconds{1}},
      {"2024-02-29", Timestamp(Day(2024, 3, 1)) - microseconds{1}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<Timestamp> t = ParseTimestamp(c.text);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(*t, c.expected) << FormatTimestamp(*t);
  }
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-02-27")), "2026-02-27T23:59:59.999999Z");
}

TEST(ParseTimestampTest, RefusesWithAMessageNamingWhatWasExpected) {
  constexpr std::string_view kExpected =
      "expected a time like 2026-02-27T18:30:00Z or a day like 2026-02-27";
  const DateErrorCase cases[] = {
      {"2026-02-27T24:00:00Z", kExpected},
      {"2026-02-27T18:60:00Z", kExpected},
      {"2026-02-27T18:30:60Z", kExpected},
      {"2026-02-27T18:30Z", kExpected},
      {"2026-02-27T18:30", kExpected},
      {"2026-02-27T", kExpected},
      {"2026-02-27T18:30:00.Z", kExpected},
      {"2026-02-27T18:30:00.1234567891Z", kExpected},  // more than 9 digits
      {"2026-02-27T18:30:00z", kExpected},
      {"2026-02-27T18:30:00ZZ", kExpected},
      {"2026-02-27T18:30:00+00:00", kExpected},
      {"2026-02-27T18:30:00 ", kExpected},
      {"2026-02-27X18:30:00Z", kExpected},
      {"2026-02-27T18-30-00Z", kExpected},
      {"2026-02-27T1a:30:00Z", kExpected},
      {"2026-02-30T00:00:00Z", kExpected},
      {"", "expected a time like 2026-02-27T18:30:00Z or a day like 2026-02-27, got ''"},
      {"now", kExpected},
      {"2026-02-30", "no such day: '2026-02-30' (2026-02 has 28 days)"},
      {"2026-02", kExpected},
  };
  for (const DateErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<Timestamp> t = ParseTimestamp(c.text);
    ASSERT_FALSE(t.ok()) << FormatTimestamp(*t);
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
    EXPECT_TRUE(Contains(t.status().message(), c.message_has))
        << "message: " << t.status().message();
  }
}

TEST(FormatTimestampTest, FixedWidthSoTextOrderIsTimeOrder) {
  struct Case {
    Timestamp t;
    std::string_view full;
    std::string_view short_form;
  };
  const Timestamp base = Timestamp(Day(2026, 2, 27)) + hours{18} + minutes{30};
  const Case cases[] = {
      {base, "2026-02-27T18:30:00.000000Z", "2026-02-27T18:30:00Z"},
      {base + microseconds{1}, "2026-02-27T18:30:00.000001Z", "2026-02-27T18:30:00.000001Z"},
      {base + microseconds{123'456}, "2026-02-27T18:30:00.123456Z", "2026-02-27T18:30:00.123456Z"},
      {base + seconds{5}, "2026-02-27T18:30:05.000000Z", "2026-02-27T18:30:05Z"},
      {Timestamp{}, "1970-01-01T00:00:00.000000Z", "1970-01-01T00:00:00Z"},
      {Timestamp{} - microseconds{1}, "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"},
      {Timestamp(Day(1900, 1, 1)), "1900-01-01T00:00:00.000000Z", "1900-01-01T00:00:00Z"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.full));
    EXPECT_EQ(FormatTimestamp(c.t), c.full);
    EXPECT_EQ(FormatTimestamp(c.t).size(), 27u);
    EXPECT_EQ(FormatTimestampShort(c.t), c.short_form);
    const Result<Timestamp> back = ParseTimestamp(FormatTimestamp(c.t));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, c.t);
    const Result<Timestamp> back_short = ParseTimestamp(FormatTimestampShort(c.t));
    ASSERT_TRUE(back_short.ok()) << back_short.status().ToString();
    EXPECT_EQ(*back_short, c.t);
  }
  // Text order is time order.
  const Timestamp times[] = {base - hours{24 * 400}, base, base + microseconds{9},
                             base + microseconds{10}, base + hours{1}};
  for (std::size_t i = 1; i < std::size(times); ++i) {
    EXPECT_LT(FormatTimestamp(times[i - 1]), FormatTimestamp(times[i])) << i;
  }
}

TEST(ClockTest, FixedClockReturnsItsTime) {
  const Timestamp t = *ParseTimestamp("2026-02-27T18:30:00Z");
  const Clock clock = FixedClock(t);
  EXPECT_EQ(clock(), t);
  EXPECT_EQ(clock(), t);
  EXPECT_GT(SystemClock()(), *ParseTimestamp("2024-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace dealtrail
