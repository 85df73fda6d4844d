// Unit tests for dealtrail/money.h: parsing what analysts type, the canonical
// and human forms, and checked interval arithmetic.
#include "dealtrail/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace dealtrail {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// Cents of a whole number of dollars (or any two-decimal currency).
constexpr std::int64_t Cents(std::int64_t major) { return major * 100; }
constexpr std::int64_t kMillion = 1'000'000;
constexpr std::int64_t kBillion = 1'000'000'000;
constexpr std::int64_t kTrillion = 1'000'000'000'000;

Currency Cur(std::string_view code) {
  const std::optional<Currency> c = Currency::FromCode(code);
  EXPECT_TRUE(c.has_value()) << code;
  return c.value_or(Currency::Usd());
}

Amount Make(std::int64_t minor, std::string_view code = "USD", Bound bound = Bound::kExact) {
  return Amount{minor, Cur(code), bound};
}

Interval Iv(std::int64_t low, std::optional<std::int64_t> high, bool approximate = false,
            std::string_view code = "USD") {
  return Interval{low, high, Cur(code), approximate};
}

// --- Currency and Bound ------------------------------------------------------

TEST(CurrencyTest, LooksUpCodesWithTheirExponent) {
  struct Case {
    std::string_view code;
    int exponent;
    std::int64_t minor_per_major;
  };
  const Case cases[] = {
      {"USD", 2, 100}, {"EUR", 2, 100}, {"JPY", 0, 1}, {"KWD", 3, 1000}, {"CLF", 4, 10000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.code);
    const std::optional<Currency> cur = Currency::FromCode(c.code);
    ASSERT_TRUE(cur.has_value());
    EXPECT_EQ(cur->code(), c.code);
    EXPECT_EQ(cur->exponent(), c.exponent);
    EXPECT_EQ(cur->MinorPerMajor(), c.minor_per_major);
  }
}

TEST(CurrencyTest, RefusesUnknownAndLowerCaseCodes) {
  EXPECT_FALSE(Currency::FromCode("XYZ").has_value());
  EXPECT_FALSE(Currency::FromCode("usd").has_value());
  EXPECT_FALSE(Currency::FromCode("").has_value());
  EXPECT_FALSE(Currency::FromCode("USDX").has_value());
}

TEST(CurrencyTest, SymbolsBothWays) {
  EXPECT_EQ(Currency::FromSymbol("$")->code(), "USD");
  EXPECT_EQ(Currency::FromSymbol("\u20ac")->code(), "EUR");
  EXPECT_EQ(Currency::FromSymbol("\u00a5")->code(), "JPY");
  EXPECT_EQ(Currency::FromSymbol("HK$")->code(), "HKD");
  EXPECT_FALSE(Currency::FromSymbol("#").has_value());
  EXPECT_EQ(Cur("USD").symbol(), "$");
  EXPECT_EQ(Cur("GBP").symbol(), "\u00a3");
  EXPECT_EQ(Cur("CHF").symbol(), "");
  EXPECT_EQ(Currency::Usd(), Cur("USD"));
}

TEST(BoundTest, NamesRoundTrip) {
  for (Bound b : {Bound::kExact, Bound::kUpTo, Bound::kMoreThan, Bound::kAbout}) {
    SCOPED_TRACE(std::string(BoundName(b)));
    EXPECT_EQ(BoundFromName(BoundName(b)), b);
  }
  EXPECT_EQ(BoundName(Bound::kUpTo), "up_to");
  EXPECT_EQ(BoundName(Bound::kMoreThan), "more_than");
  EXPECT_FALSE(BoundFromName("up to").has_value());
}

// --- ParseAmount -------------------------------------------------------------

struct ParseCase {
  std::string_view text;
  std::int64_t minor;
  std::string_view currency;
  Bound bound;
};

const ParseCase kParseCases[] = {
    // The forms analysts type.
    {"30B USD", Cents(30 * kBillion), "USD", Bound::kExact},
    {"$2.75bn", Cents(2'750 * kMillion), "USD", Bound::kExact},
    {"USD 1,250,000,000", Cents(1'250 * kMillion), "USD", Bound::kExact},
    {"\u20ac500M", Cents(500 * kMillion), "EUR", Bound::kExact},
    {"up to 100B", Cents(100 * kBillion), "USD", Bound::kUpTo},
    {"up to $100B", Cents(100 * kBillion), "USD", Bound::kUpTo},
    {"more than 100B USD", Cents(100 * kBillion), "USD", Bound::kMoreThan},
    {"about $830B", Cents(830 * kBillion), "USD", Bound::kAbout},
    {"~$20B", Cents(20 * kBillion), "USD", Bound::kAbout},
    {"$6.6B", Cents(6'600 * kMillion), "USD", Bound::kExact},
    {"100000000000.00 USD", Cents(100 * kBillion), "USD", Bound::kExact},
    {"up to 100000000000.00 USD", Cents(100 * kBillion), "USD", Bound::kUpTo},
    {"\u00a51000", 1000, "JPY", Bound::kExact},
    {"KWD 1.234", 1234, "KWD", Bound::kExact},
    {"\u00a33.5M", Cents(3'500'000), "GBP", Bound::kExact},
    // Bounds as symbols (regression: multi-byte prefixes never matched).
    {"\u2264 \u00a320m", Cents(20 * kMillion), "GBP", Bound::kUpTo},
    {"\u2265$1B", Cents(kBillion), "USD", Bound::kMoreThan},
    {"\u2248 $830B", Cents(830 * kBillion), "USD", Bound::kAbout},
    {"at least 2B", Cents(2 * kBillion), "USD", Bound::kMoreThan},
    {"around \u20ac5M", Cents(5 * kMillion), "EUR", Bound::kAbout},
    // Scale suffixes, any case, attached or spaced.
    {"5k", Cents(5'000), "USD", Bound::kExact},
    {"5K", Cents(5'000), "USD", Bound::kExact},
    {"5 thousand", Cents(5'000), "USD", Bound::kExact},
    {"5m", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5M", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5mn", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5MN", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5 million", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5 Million", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5mm", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5mln", Cents(5 * kMillion), "USD", Bound::kExact},
    {"5b", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5B", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5bn", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5BN", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5 billion", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5 BILLION", Cents(5 * kBillion), "USD", Bound::kExact},
    {"5t", Cents(5 * kTrillion), "USD", Bound::kExact},
    {"5T", Cents(5 * kTrillion), "USD", Bound::kExact},
    {"5tn", Cents(5 * kTrillion), "USD", Bound::kExact},
    {"5 trillion", Cents(5 * kTrillion), "USD", Bound::kExact},
    {"1.5 Trillion", Cents(1'500 * kBillion), "USD", Bound::kExact},
    {"0.5k", Cents(500), "USD", Bound::kExact},
    {"1.23456K", 123'456, "USD", Bound::kExact},
    // A scale letter that starts a currency code is the code, not the scale.
    {"5 BRL", Cents(5), "BRL", Bound::kExact},
    {"5 TRY", Cents(5), "TRY", Bound::kExact},
    {"5 MXN", Cents(5), "MXN", Bound::kExact},
    {"5B BRL", Cents(5 * kBillion), "BRL", Bound::kExact},
    // Thousands separators, fractions, white space, symbols and codes.
    {"1,000", Cents(1'000), "USD", Bound::kExact},
    {"12,345,678.90", 1'234'567'890, "USD", Bound::kExact},
    {"$1,234.56", 123'456, "USD", Bound::kExact},
    {"\u00a51,000,000", 1'000'000, "JPY", Bound::kExact},
    {"  $5  ", Cents(5), "USD", Bound::kExact},
    {"0", 0, "USD", Bound::kExact},
    {"$0.05", 5, "USD", Bound::kExact},
    {"$1.000", Cents(1), "USD", Bound::kExact},  // trailing zeros are not precision
    {"EUR5", Cents(5), "EUR", Bound::kExact},
    {"5 EUR", Cents(5), "EUR", Bound::kExact},
    {"5$", Cents(5), "USD", Bound::kExact},
    {"US$ 5", Cents(5), "USD", Bound::kExact},
    {"HK$5", Cents(5), "HKD", Bound::kExact},
    {"$5 USD", Cents(5), "USD", Bound::kExact},
    {"CLF 1.2345", 12'345, "CLF", Bound::kExact},
    // Other words for the bounds.
    {"upto 1B", Cents(kBillion), "USD", Bound::kUpTo},
    {"at most $1B", Cents(kBillion), "USD", Bound::kUpTo},
    {"as much as $1B", Cents(kBillion), "USD", Bound::kUpTo},
    {"<= $1B", Cents(kBillion), "USD", Bound::kUpTo},
    {"Up To $1B", Cents(kBillion), "USD", Bound::kUpTo},
    {"over $1B", Cents(kBillion), "USD", Bound::kMoreThan},
    {"at least $1B", Cents(kBillion), "USD", Bound::kMoreThan},
    {"> $1B", Cents(kBillion), "USD", Bound::kMoreThan},
    {"around $1B", Cents(kBillion), "USD", Bound::kAbout},
    {"approximately $1B", Cents(kBillion), "USD", Bound::kAbout},
    {"approx. $1B", Cents(kBillion), "USD", Bound::kAbout},
    {"roughly $1B", Cents(kBillion), "USD", Bound::kAbout},
    // The limit, 10^15 major units, is accepted in every exponent.
    {"1000000000000000 USD", Cents(kMaxMajorUnits), "USD", Bound::kExact},
    {"$1,000T", Cents(kMaxMajorUnits), "USD", Bound::kExact},
    {"\u00a51000T", kMaxMajorUnits, "JPY", Bound::kExact},
    {"KWD 1000T", kMaxMajorUnits * 1000, "KWD", Bound::kExact},
    // With four decimals 10^15 major units do not fit: the limit is int64's.
    {"CLF 922337203685477.5807", kInt64Max, "CLF", Bound::kExact},
};

TEST(ParseAmountTest, ReadsWhatAnalystsType) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(c.text);
    const Result<Amount> a = ParseAmount(c.text);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->minor, c.minor);
    EXPECT_EQ(a->currency.code(), c.currency);
    EXPECT_EQ(a->bound, c.bound);
  }
}

TEST(ParseAmountTest, UsesTheDefaultCurrencyOnlyWhenNoneIsGiven) {
  const Result<Amount> bare = ParseAmount("5M", Cur("EUR"));
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_EQ(bare->currency.code(), "EUR");
  EXPECT_EQ(bare->minor, Cents(5 * kMillion));

  const Result<Amount> jpy = ParseAmount("5M", Cur("JPY"));
  ASSERT_TRUE(jpy.ok()) << jpy.status().ToString();
  EXPECT_EQ(jpy->minor, 5 * kMillion);

  const Result<Amount> given = ParseAmount("$5M", Cur("EUR"));
  ASSERT_TRUE(given.ok()) << given.status().ToString();
  EXPECT_EQ(given->currency.code(), "USD");
}

struct ParseErrorCase {
  std::string_view text;
  std::string_view message_has;  // what the message must say was expected
};

const ParseErrorCase kParseErrors[] = {
    {"", "expected an amount like '$30B'"},
    {"   ", "expected an amount like '$30B'"},
    {"abc",
     "expected an amount like '$30B', 'up to 100B USD', 'about \u20ac500M' or 'USD 1,250,000,000', "
     "got 'abc'"},
    {"$", "expected an amount like"},
    {"up to", "expected an amount like"},
    {"-5", "negative amounts are not allowed"},
    {"-0", "negative amounts are not allowed"},
    {"$-5", "negative amounts are not allowed"},
    {"+5", "expected an amount like"},
    {"NaN", "expected an amount like"},
    {"inf", "expected an amount like"},
    {"1e309", "expected an amount like"},
    {"1e3", "expected an amount like"},
    {"5.", "expected an amount like"},
    {"5 5", "expected an amount like"},
    {"5 xyz", "expected an amount like"},
    {"5 dollars", "expected an amount like"},
    {"$1.001", "too many decimals for USD (it has 2)"},
    {"\u00a51.5", "too many decimals for JPY (it has 0)"},
    {"KWD 1.2345", "too many decimals for KWD (it has 3)"},
    {"1.2345678K", "too many decimals for USD (it has 2)"},
    {"9223372036854775808", "exceeds the limit of 10^15 major units"},
    {"$10000000000000000", "exceeds the limit of 10^15 major units"},
    {"99999999999999999999999999", "exceeds the limit of 10^15 major units"},
    {"1000000000000000.01 USD", "exceeds the limit of 10^15 major units"},
    {"$1,000.000000000001T", "exceeds the limit of 10^15 major units"},
    {"1001T", "exceeds the limit of 10^15 major units"},
    {"\u00a51001T", "exceeds the limit of 10^15 major units"},
    {"CLF 922337203685477.5808", "exceeds the limit of 10^15 major units"},
    {"CLF 1000T", "exceeds the limit of 10^15 major units"},
    {"XYZ 5", "unknown currency 'XYZ' (expected an ISO 4217 code such as USD or EUR)"},
    {"5 XYZ", "unknown currency 'XYZ' (expected an ISO 4217 code such as USD or EUR)"},
    {"$5 EUR", "two different currencies (USD and EUR) in '$5 EUR'"},
    {"USD 5 EUR", "two different currencies (USD and EUR)"},
    {"1,23", "expected an amount like"},
    {"12,3456", "expected an amount like"},
    {"1234,567", "expected an amount like"},
    {",123", "expected an amount like"},
    {"1,,234", "expected an amount like"},
    {"1,234,56", "expected an amount like"},
    {"\xff", "expected an amount in UTF-8 text"},
    {"$5\xc3", "expected an amount in UTF-8 text"},
    {"\xc0\xb5", "expected an amount in UTF-8 text"},  // overlong
    {std::string_view("5\0", 2), "expected an amount in UTF-8 text"},
};

TEST(ParseAmountTest, RefusesWithAMessageNamingWhatWasExpected) {
  for (const ParseErrorCase& c : kParseErrors) {
    SCOPED_TRACE(c.text);
    const Result<Amount> a = ParseAmount(c.text);
    ASSERT_FALSE(a.ok()) << CanonicalAmount(*a);
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(a.status().message().find(c.message_has), std::string::npos)
        << "message: " << a.status().message();
  }
}

// --- CanonicalAmount and MajorUnits -------------------------------------------

TEST(CanonicalAmountTest, WritesTheBoundTheFullFigureAndTheCode) {
  struct Case {
    Amount amount;
    std::string_view canonical;
  };
  const Case cases[] = {
      {Make(Cents(100 * kBillion), "USD", Bound::kUpTo), "up to 100000000000.00 USD"},
      {Make(Cents(30 * kBillion)), "30000000000.00 USD"},
      {Make(Cents(100 * kBillion), "USD", Bound::kMoreThan), "more than 100000000000.00 USD"},
      {Make(Cents(830 * kBillion), "USD", Bound::kAbout), "about 830000000000.00 USD"},
      {Make(1000, "JPY"), "1000 JPY"},
      {Make(1234, "KWD"), "1.234 KWD"},
      {Make(5), "0.05 USD"},
      {Make(0), "0.00 USD"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.canonical));
    EXPECT_EQ(CanonicalAmount(c.amount), c.canonical);
  }
}

TEST(CanonicalAmountTest, ParseAmountReadsItBackOverTheWholeTable) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(c.text);
    const Result<Amount> a = ParseAmount(c.text);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    const std::string canonical = CanonicalAmount(*a);
    const Result<Amount> back = ParseAmount(canonical, Cur("EUR"));
    ASSERT_TRUE(back.ok()) << canonical << ": " << back.status().ToString();
    EXPECT_EQ(*back, *a) << canonical;
  }
}

TEST(MajorUnitsTest, WritesTheExactFigure) {
  struct Case {
    std::int64_t minor;
    std::string_view code;
    std::string_view expected;
  };
  const Case cases[] = {
      {0, "USD", "0.00"},
      {5, "USD", "0.05"},
      {12345, "USD", "123.45"},
      {Cents(100 * kBillion), "USD", "100000000000.00"},
      {-5, "USD", "-0.05"},
      {-150, "USD", "-1.50"},
      {1000, "JPY", "1000"},
      {-1000, "JPY", "-1000"},
      {1234, "KWD", "1.234"},
      {-1, "KWD", "-0.001"},
      {12345, "CLF", "1.2345"},
      {kInt64Max, "USD", "92233720368547758.07"},
      {kInt64Min, "USD", "-92233720368547758.08"},
      {kInt64Min, "JPY", "-9223372036854775808"},
      {kInt64Min, "KWD", "-9223372036854775.808"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.expected));
    EXPECT_EQ(MajorUnits(c.minor, Cur(c.code)), c.expected);
  }
}

// --- HumanMoney and HumanAmount -----------------------------------------------

TEST(HumanAmountTest, WritesShortFiguresForPeople) {
  struct Case {
    Amount amount;
    std::string_view expected;
  };
  const Case cases[] = {
      {Make(Cents(30 * kBillion)), "$30B"},
      {Make(Cents(100 * kBillion), "USD", Bound::kUpTo), "up to $100B"},
      {Make(Cents(100 * kBillion), "USD", Bound::kMoreThan), "more than $100B"},
      {Make(Cents(830 * kBillion), "USD", Bound::kAbout), "about $830B"},
      {Make(Cents(2'750 * kMillion)), "$2.75B"},
      {Make(Cents(6'600 * kMillion)), "$6.6B"},
      {Make(Cents(1'234'500 * kMillion)), "$1,234.5B"},  // four decimals of T: use B
      {Make(Cents(1'500 * kBillion)), "$1.5T"},
      {Make(Cents(100 * kMillion)), "$100M"},
      {Make(Cents(1'234'500'000)), "$1,234.5M"},
      {Make(123'456), "$1,234.56"},
      {Make(123'405), "$1,234.05"},
      {Make(0), "$0"},
      {Make(5), "$0.05"},
      {Make(Cents(999'999)), "$999,999"},
      {Make(Cents(500 * kMillion), "EUR"), "\u20ac500M"},
      {Make(Cents(500 * kMillion), "EUR", Bound::kAbout), "about \u20ac500M"},
      {Make(Cents(3'500'000), "GBP"), "\u00a33.5M"},
      {Make(Cents(5 * kMillion), "INR"), "\u20b95M"},
      {Make(Cents(5 * kMillion), "CHF"), "5M CHF"},
      {Make(1234, "KWD"), "1.234 KWD"},
      // JPY has no decimals.
      {Make(1000, "JPY"), "\u00a51,000"},
      {Make(500 * kMillion, "JPY"), "\u00a5500M"},
      {Make(1'234'567, "JPY"), "\u00a51,234,567"},
      // Not expressible in three decimals of a suffix: the full figure.
      {Make(Cents(1'234'567)), "$1,234,567"},
      {Make(Cents(1'500'000'001)), "$1,500,000,001"},
      {Make(Cents(kMillion) + 1), "$1,000,000.01"},
      {Make(Cents(1'234'567) + 89), "$1,234,567.89"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.expected));
    EXPECT_EQ(HumanAmount(c.amount), c.expected);
  }
}

TEST(HumanMoneyTest, NegativeFiguresKeepTheirSign) {
  EXPECT_EQ(HumanMoney(-Cents(30 * kBillion), Cur("USD")), "-$30B");
  EXPECT_EQ(HumanMoney(-123'456, Cur("USD")), "-$1,234.56");
  EXPECT_EQ(HumanMoney(-5 * kMillion, Cur("JPY")), "-\u00a55M");
  EXPECT_EQ(HumanMoney(kInt64Min, Cur("USD")), "-$92,233,720,368,547,758.08");
}

// --- Intervals ----------------------------------------------------------------

TEST(IntervalTest, OfEachBound) {
  struct Case {
    Bound bound;
    Interval expected;
  };
  const std::int64_t v = Cents(100 * kBillion);
  const Case cases[] = {
      {Bound::kExact, Iv(v, v)},
      {Bound::kUpTo, Iv(0, v)},
      {Bound::kMoreThan, Iv(v, std::nullopt)},
      {Bound::kAbout, Iv(v, v, /*approximate=*/true)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(BoundName(c.bound)));
    EXPECT_EQ(Interval::Of(Make(v, "USD", c.bound)), c.expected);
  }
  EXPECT_EQ(Interval::Of(Make(7, "EUR")).currency.code(), "EUR");
}

TEST(IntervalTest, ZeroAndExactness) {
  const Interval zero = Interval::Zero(Cur("EUR"));
  EXPECT_TRUE(zero.IsZero());
  EXPECT_TRUE(zero.IsExact());
  EXPECT_EQ(zero.currency.code(), "EUR");
  EXPECT_FALSE(Iv(0, std::nullopt).IsZero());
  EXPECT_FALSE(Iv(0, std::nullopt).IsExact());
  EXPECT_FALSE(Iv(1, 2).IsExact());
  EXPECT_TRUE(Iv(2, 2, true).IsExact());
}

TEST(IntervalTest, AddSumsEachBound) {
  struct Case {
    const char* name;
    Interval a;
    Interval b;
    Interval expected;
  };
  const Case cases[] = {
      {"exact+exact", Iv(10, 10), Iv(5, 5), Iv(15, 15)},
      {"exact+up to", Iv(10, 10), Iv(0, 5), Iv(10, 15)},
      {"unbounded stays unbounded", Iv(10, std::nullopt), Iv(5, 5), Iv(15, std::nullopt)},
      {"unbounded on the right", Iv(10, 10), Iv(5, std::nullopt), Iv(15, std::nullopt)},
      {"approximate propagates", Iv(10, 10, true), Iv(5, 5), Iv(15, 15, true)},
      {"approximate on the right", Iv(10, 10), Iv(5, 5, true), Iv(15, 15, true)},
      {"up to the edge", Iv(kInt64Max - 1, kInt64Max - 1), Iv(1, 1), Iv(kInt64Max, kInt64Max)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<Interval> r = Add(c.a, c.b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, c.expected);
  }
}

TEST(IntervalTest, AddRefusesOverflowAndMixedCurrencies) {
  const Result<Interval> low = Add(Iv(kInt64Max, kInt64Max), Iv(1, 1));
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(low.status().message().find("overflows"), std::string::npos);

  const Result<Interval> high = Add(Iv(0, kInt64Max), Iv(0, 1));
  ASSERT_FALSE(high.ok());
  EXPECT_NE(high.status().message().find("overflows"), std::string::npos);

  const Result<Interval> mixed = Add(Iv(1, 1), Iv(1, 1, false, "EUR"));
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().field(), "currency");
  EXPECT_EQ(mixed.status().message(), "cannot add USD to EUR");
}

TEST(IntervalTest, SubtractGivesTheWidestDifference) {
  struct Case {
    const char* name;
    Interval a;
    Interval b;
    SignedInterval expected;
  };
  const Currency usd = Cur("USD");
  const Case cases[] = {
      {"exact", Iv(20, 20), Iv(5, 5), SignedInterval{15, 15, usd, false}},
      {"ranges", Iv(10, 20), Iv(3, 5), SignedInterval{5, 17, usd, false}},
      {"negative net", Iv(5, 5), Iv(20, 20), SignedInterval{-15, -15, usd, false}},
      {"b unbounded", Iv(10, 20), Iv(3, std::nullopt),
       SignedInterval{std::nullopt, 17, usd, false}},
      {"a unbounded", Iv(10, std::nullopt), Iv(3, 5), SignedInterval{5, std::nullopt, usd, false}},
      {"both unbounded", Iv(10, std::nullopt), Iv(3, std::nullopt),
       SignedInterval{std::nullopt, std::nullopt, usd, false}},
      {"approximate", Iv(20, 20), Iv(5, 5, true), SignedInterval{15, 15, usd, true}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<SignedInterval> r = Subtract(c.a, c.b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, c.expected);
  }
}

TEST(IntervalTest, SubtractRefusesOverflowAndMixedCurrencies) {
  const Result<SignedInterval> low = Subtract(Iv(kInt64Min, 0), Iv(1, 1));
  ASSERT_FALSE(low.ok());
  EXPECT_NE(low.status().message().find("overflows"), std::string::npos);

  const Result<SignedInterval> high = Subtract(Iv(0, kInt64Max), Iv(-1, 0));
  ASSERT_FALSE(high.ok());
  EXPECT_NE(high.status().message().find("overflows"), std::string::npos);

  const Result<SignedInterval> mixed = Subtract(Iv(1, 1), Iv(1, 1, false, "EUR"));
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().field(), "currency");
  EXPECT_EQ(mixed.status().message(), "cannot subtract EUR from USD");
}

TEST(IntervalTest, RemainingIsFlooredAtZero) {
  struct Case {
    const char* name;
    Interval committed;
    Interval funded;
    Interval expected;
  };
  const Case cases[] = {
      {"part funded", Iv(100, 100), Iv(30, 30), Iv(70, 70)},
      {"nothing funded", Iv(100, 100), Iv(0, 0), Iv(100, 100)},
      {"fully funded", Iv(100, 100), Iv(100, 100), Iv(0, 0)},
      {"over funded", Iv(100, 100), Iv(150, 150), Iv(0, 0)},
      {"funded up to more", Iv(100, 100), Iv(0, 150), Iv(0, 100)},
      {"committed unbounded", Iv(100, std::nullopt), Iv(30, 30), Iv(70, std::nullopt)},
      {"funded unbounded", Iv(100, 100), Iv(30, std::nullopt), Iv(0, 70)},
      {"approximate", Iv(100, 100, true), Iv(30, 30), Iv(70, 70, true)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Remaining(c.committed, c.funded), c.expected);
  }
}

TEST(IntervalTest, MinTakesEachBound) {
  struct Case {
    const char* name;
    Interval a;
    Interval b;
    Interval expected;
  };
  const Case cases[] = {
      {"both bounded", Iv(10, 20), Iv(5, 30), Iv(5, 20)},
      {"b unbounded", Iv(0, 10), Iv(5, std::nullopt), Iv(0, 10)},
      {"a unbounded", Iv(7, std::nullopt), Iv(5, 30), Iv(5, 30)},
      {"both unbounded", Iv(3, std::nullopt), Iv(5, std::nullopt), Iv(3, std::nullopt)},
      {"approximate", Iv(10, 10, true), Iv(20, 20), Iv(10, 10, true)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Min(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, HumanInterval) {
  struct Case {
    Interval interval;
    std::string_view expected;
  };
  const std::int64_t b15 = Cents(15 * kBillion);
  const std::int64_t b20 = Cents(20 * kBillion);
  const Case cases[] = {
      {Iv(0, 0), "$0"},
      {Iv(b20, b20), "$20B"},
      {Iv(b20, b20, true), "about $20B"},
      {Iv(0, b20), "up to $20B"},
      {Iv(0, b20, true), "up to about $20B"},
      {Iv(b15, b20), "$15B\u2013$20B"},
      {Iv(b15, b20, true), "about $15B\u2013$20B"},
      {Iv(b20, std::nullopt), "more than $20B"},
      {Iv(0, std::nullopt), "any amount"},
      {Iv(Cents(5 * kMillion), Cents(5 * kMillion), false, "EUR"), "\u20ac5M"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.expected));
    EXPECT_EQ(HumanInterval(c.interval), c.expected);
  }
}

TEST(IntervalTest, HumanSigned) {
  struct Case {
    SignedInterval interval;
    std::string_view expected;
  };
  const Currency usd = Cur("USD");
  const std::int64_t b5 = Cents(5 * kBillion);
  const std::int64_t b10 = Cents(10 * kBillion);
  const Case cases[] = {
      {SignedInterval{b5, b10, usd, false}, "$5B to $10B"},
      {SignedInterval{b5, b10, usd, true}, "about $5B to $10B"},
      {SignedInterval{-b5, b10, usd, false}, "-$5B to $10B"},
      {SignedInterval{b5, b5, usd, false}, "$5B"},
      {SignedInterval{-b5, -b5, usd, true}, "about -$5B"},
      {SignedInterval{std::nullopt, b10, usd, false}, "at most $10B"},
      {SignedInterval{b5, std::nullopt, usd, false}, "more than $5B"},
      {SignedInterval{std::nullopt, std::nullopt, usd, false}, "unbounded"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.expected));
    EXPECT_EQ(HumanSigned(c.interval), c.expected);
  }
}

}  // namespace
}  // namespace dealtrail
