// Seeded random values as an analyst would type them, for the property
// tests that generate histories (replay, timeline): dates at every
// precision, amounts with and without bounds, certainty levels.
#ifndef DEALTRAIL_TESTS_RANDOM_TEXT_H_
#define DEALTRAIL_TESTS_RANDOM_TEXT_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dealtrail/time.h"

namespace dealtrail::test {

class RandomText {
 public:
  explicit RandomText(std::uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  // The period containing `day`: the day itself 60% of the time, its month
  // 25%, its quarter 10%, its year 5%.
  std::string DateText(const date::year_month_day& d) {
    const int roll = Int(1, 100);
    if (roll <= 60) return FormatDay(date::sys_days(d));
    if (roll <= 85) return PartialDate::Month(d.year() / d.month()).ToString();
    if (roll <= 95) {
      return PartialDate::Quarter(d.year(), static_cast<int>((unsigned(d.month()) - 1) / 3 + 1))
          .ToString();
    }
    return PartialDate::Year(d.year()).ToString();
  }

  // A multiple of 100M up to `max_billions`, in `currency`; with `bounds`,
  // "up to", "more than" or "about" half of the time.
  std::string Money(const std::string& currency, int max_billions, bool bounds) {
    std::string figure = std::to_string(Int(1, max_billions * 10)) + "00M " + currency;
    if (!bounds) return figure;
    switch (Int(0, 5)) {
      case 0:
        return "up to " + figure;
      case 1:
        return "more than " + figure;
      case 2:
        return "about " + figure;
      default:
        return figure;
    }
  }

  std::string Certainty() {
    static const std::vector<std::string> kLevels = {"rumored", "reported", "announced", "signed",
                                                     "closed"};
    return Pick(kLevels);
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_RANDOM_TEXT_H_
