// Money: exact amounts in integer minor units of an ISO 4217 currency, the
// bound an analyst put on them ("up to", "more than", "about"), and the
// intervals replay sums them into. No floating point anywhere.
#ifndef DEALTRAIL_MONEY_H_
#define DEALTRAIL_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dealtrail/status.h"

namespace dealtrail {

// An ISO 4217 currency: its three-letter code and how many minor-unit digits
// it has (USD 2, JPY 0, KWD 3). Only codes in the built-in table exist.
class Currency {
 public:
  // Looks up an ISO 4217 code ("USD", case-sensitive upper case).
  static std::optional<Currency> FromCode(std::string_view code);
  // Looks up a symbol an analyst might type ("$", "€", "£", "¥", "₹", …).
  static std::optional<Currency> FromSymbol(std::string_view symbol);
  static Currency Usd();

  std::string_view code() const;
  int exponent() const;
  // The symbol used when formatting for people ("$" for USD), or "" if none.
  std::string_view symbol() const;
  // 10^exponent.
  std::int64_t MinorPerMajor() const;

  // One row of the built-in table per currency, so equal currencies are the
  // same pointer: a Currency is one word, cheap to copy and compare.
  friend bool operator==(const Currency& a, const Currency& b) { return a.row_ == b.row_; }
  friend bool operator<(const Currency& a, const Currency& b) { return a.code() < b.code(); }

  struct Row;

 private:
  explicit Currency(const Row* row) : row_(row) {}
  const Row* row_;
};

// How the stated figure bounds the true amount.
enum class Bound {
  kExact,     // "$30B"            -> [30B, 30B]
  kUpTo,      // "up to $100B"     -> [0, 100B]
  kMoreThan,  // "more than $100B" -> [100B, unbounded]
  kAbout,     // "about $830B"     -> [830B, 830B], approximate
};
std::string_view BoundName(Bound b);  // "exact", "up_to", "more_than", "about"
std::optional<Bound> BoundFromName(std::string_view name);

// Largest amount accepted in any field: 10^15 major units (for the two
// four-decimal currencies, CLF and UYW, the largest int64 of minor units).
// Sums are checked: overflow is an error, never a wrap.
inline constexpr std::int64_t kMaxMajorUnits = 1'000'000'000'000'000;

// A stated amount: a non-negative figure in minor units, its currency and bound.
struct Amount {
  std::int64_t minor = 0;
  Currency currency = Currency::Usd();
  Bound bound = Bound::kExact;

  friend bool operator==(const Amount&, const Amount&) = default;
};

// Parses what analysts type: "30B USD", "$2.75bn", "USD 1,250,000,000",
// "€500M", "up to 100B", "more than 100B USD", "about $830B", "~$20B",
// "100000000000.00 USD". Suffixes K, M/mn/million, B/bn/billion, T/tn/trillion
// (case-insensitive). Without a currency, `default_currency` is used.
// Fails (kInvalidInput, naming what was expected) on negative, unparseable,
// too precise (more decimals than the currency has), too large or unknown
// currency input.
Result<Amount> ParseAmount(std::string_view text, Currency default_currency = Currency::Usd());

// Canonical, lossless form: "up to 100000000000.00 USD". ParseAmount reads it back.
std::string CanonicalAmount(const Amount& a);
// The figure alone in major units, exact: "100000000000.00".
std::string MajorUnits(std::int64_t minor, Currency c);
// For people: "$30B", "up to $100B", "about €500M", "$2.75B", "$1,234.56".
std::string HumanAmount(const Amount& a);
// The figure alone for people: "$30B".
std::string HumanMoney(std::int64_t minor, Currency c);

// A closed interval of minor units; `high` empty means unbounded above.
// `approximate` is set when any part came from an "about" figure.
struct Interval {
  std::int64_t low = 0;
  std::optional<std::int64_t> high = 0;
  Currency currency = Currency::Usd();
  bool approximate = false;

  static Interval Zero(Currency c) { return Interval{0, 0, c, false}; }
  static Interval Of(const Amount& a);
  bool IsZero() const { return low == 0 && high == 0; }
  bool IsExact() const { return high && *high == low; }

  friend bool operator==(const Interval&, const Interval&) = default;
};

// Interval arithmetic with overflow checking (an error, never a wrap).
// Both sides must have the same currency (kInvalidInput otherwise).
Result<Interval> Add(const Interval& a, const Interval& b);
// a - b = [a.low - b.high, a.high - b.low]; may be negative (a net position).
// An unbounded side makes the matching bound of the result unbounded: a low
// bound of "minus infinity" is reported as `low_unbounded`.
struct SignedInterval {
  std::optional<std::int64_t> low;   // empty: unbounded below
  std::optional<std::int64_t> high;  // empty: unbounded above
  Currency currency = Currency::Usd();
  bool approximate = false;
  friend bool operator==(const SignedInterval&, const SignedInterval&) = default;
};
Result<SignedInterval> Subtract(const Interval& a, const Interval& b);
// What is left of a commitment after funding: [max(0, c.low - f.high), c.high - f.low], floored at
// 0.
Interval Remaining(const Interval& committed, const Interval& funded);
// The per-bound minimum of two intervals (used to cap the conditional part).
Interval Min(const Interval& a, const Interval& b);

// For people: "$30B", "up to $100B", "$15B–$20B", "more than $100B",
// "about $830B", "$0".
std::string HumanInterval(const Interval& i);
std::string HumanSigned(const SignedInterval& i);

}  // namespace dealtrail

#endif  // DEALTRAIL_MONEY_H_
