// Exact money: ISO 4217 currencies, parsing what analysts type, formatting
// for people and for the ledger, and checked interval arithmetic.
#include "dealtrail/money.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <string>
#include <utility>

#include "core/text.h"

namespace dealtrail {

struct Currency::Row {
  std::string_view code;
  int exponent;
};

namespace {

using CurrencyRow = Currency::Row;

// Active ISO 4217 codes with minor units (funds and metals without minor
// units are left out). Sorted by code for binary search.
constexpr CurrencyRow kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2},
    {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2},
    {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2},
    {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2},
    {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2},
    {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2},
    {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0},
    {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
    {"ZWL", 2},
};

// Symbols analysts type, longest first so "US$" wins over "$".
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kSymbols = {{
    {"US$", "USD"},
    {"HK$", "HKD"},
    {"A$", "AUD"},
    {"C$", "CAD"},
    {"S$", "SGD"},
    {"R$", "BRL"},
    {"$", "USD"},
    {"\xe2\x82\xac", "EUR"},  // €
    {"\xc2\xa3", "GBP"},      // £
    {"\xc2\xa5", "JPY"},      // ¥
    {"\xe2\x82\xb9", "INR"},  // ₹
    {"\xe2\x82\xa9", "KRW"},  // ₩
    {"\xe2\x82\xbd", "RUB"},  // ₽
    {"\xe2\x82\xaa", "ILS"},  // ₪
    {"\xe2\x82\xba", "TRY"},  // ₺
    {"\xef\xbc\x84", "USD"},  // fullwidth $
}};

// The symbols used when formatting (one per currency).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kFormatSymbols = {{
    {"USD", "$"},
    {"EUR", "\xe2\x82\xac"},
    {"GBP", "\xc2\xa3"},
    {"JPY", "\xc2\xa5"},
    {"INR", "\xe2\x82\xb9"},
}};

constexpr std::array<std::int64_t, 19> kPow10 = {1,
                                                 10,
                                                 100,
                                                 1'000,
                                                 10'000,
                                                 100'000,
                                                 1'000'000,
                                                 10'000'000,
                                                 100'000'000,
                                                 1'000'000'000,
                                                 10'000'000'000,
                                                 100'000'000'000,
                                                 1'000'000'000'000,
                                                 10'000'000'000'000,
                                                 100'000'000'000'000,
                                                 1'000'000'000'000'000,
                                                 10'000'000'000'000'000,
                                                 100'000'000'000'000'000,
                                                 1'000'000'000'000'000'000};

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ConsumeWord(std::string_view& s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(word[i]))
      return false;
  }
  // A word prefix must end at a non-letter ("upto" is not "up").
  if (std::isalpha(static_cast<unsigned char>(word.back())) && s.size() > word.size() &&
      std::isalpha(static_cast<unsigned char>(s[word.size()]))) {
    return false;
  }
  s.remove_prefix(word.size());
  s = TrimView(s);
  return true;
}

Bound ConsumeBound(std::string_view& s) {
  static constexpr std::array<std::pair<std::string_view, Bound>, 19> kPrefixes = {{
      {"up to", Bound::kUpTo},
      {"upto", Bound::kUpTo},
      {"at most", Bound::kUpTo},
      {"as much as", Bound::kUpTo},
      {"<=", Bound::kUpTo},
      {"\xe2\x89\xa4", Bound::kUpTo},  // ≤
      {"more than", Bound::kMoreThan},
      {"over", Bound::kMoreThan},
      {"at least", Bound::kMoreThan},
      {">=", Bound::kMoreThan},
      {">", Bound::kMoreThan},
      {"\xe2\x89\xa5", Bound::kMoreThan},  // ≥
      {"about", Bound::kAbout},
      {"around", Bound::kAbout},
      {"approximately", Bound::kAbout},
      {"approx.", Bound::kAbout},
      {"roughly", Bound::kAbout},
      {"~", Bound::kAbout},
      {"\xe2\x89\x88", Bound::kAbout},  // ≈
  }};
  for (const auto& [word, bound] : kPrefixes) {
    if (ConsumeWord(s, word)) return bound;
  }
  return Bound::kExact;
}

bool IsUpperCode(std::string_view s) {
  return s.size() >= 3 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1])) &&
         std::isupper(static_cast<unsigned char>(s[2])) &&
         (s.size() == 3 || !std::isalpha(static_cast<unsigned char>(s[3])));
}

// Reads a leading currency symbol or ISO code. Returns an error for a
// three-letter code that is not a known currency.
Result<std::optional<Currency>> ConsumeCurrencyPrefix(std::string_view& s) {
  for (const auto& [symbol, code] : kSymbols) {
    if (s.substr(0, symbol.size()) == symbol) {
      s.remove_prefix(symbol.size());
      s = TrimView(s);
      return std::optional<Currency>(Currency::FromCode(code));
    }
  }
  if (IsUpperCode(s)) {
    auto c = Currency::FromCode(s.substr(0, 3));
    if (!c)
      return Status::Invalid("", "unknown currency '" + std::string(s.substr(0, 3)) +
                                     "' (expected an ISO 4217 code such as USD or EUR)");
    s.remove_prefix(3);
    s = TrimView(s);
    return std::optional<Currency>(c);
  }
  return std::optional<Currency>();
}

int ConsumeScale(std::string_view& s) {
  static constexpr std::array<std::pair<std::string_view, int>, 13> kScales = {{
      {"thousand", 3},
      {"million", 6},
      {"billion", 9},
      {"trillion", 12},
      {"mn", 6},
      {"mm", 6},
      {"bn", 9},
      {"tn", 12},
      {"k", 3},
      {"m", 6},
      {"b", 9},
      {"t", 12},
      {"mln", 6},
  }};
  for (const auto& [word, exp] : kScales) {
    if (s.size() < word.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(word[i])) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    // "B" must not be the start of a longer word ("BRL" after "100").
    std::string_view rest = s.substr(word.size());
    if (!rest.empty() && std::isalpha(static_cast<unsigned char>(rest.front()))) continue;
    s = TrimView(rest);
    return exp;
  }
  return 0;
}

std::string Expected(std::string_view got) {
  return "expected an amount like '$30B', 'up to 100B USD', 'about \xe2\x82\xac"
         "500M' or "
         "'USD 1,250,000,000', got '" +
         std::string(got) + "'";
}

bool MulOverflows(std::int64_t a, std::int64_t b, std::int64_t* out) {
  return __builtin_mul_overflow(a, b, out);
}

// Groups digits by three: "1234567" -> "1,234,567".
std::string GroupThousands(std::string digits) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    const std::size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) out.push_back(',');
  }
  return out;
}

std::string WithSymbol(Currency c, const std::string& figure) {
  std::string_view sym = c.symbol();
  if (!sym.empty()) return std::string(sym) + figure;
  return figure + " " + std::string(c.code());
}

}  // namespace

std::optional<Currency> Currency::FromCode(std::string_view code) {
  auto it = std::lower_bound(std::begin(kCurrencies), std::end(kCurrencies), code,
                             [](const CurrencyRow& r, std::string_view c) { return r.code < c; });
  if (it == std::end(kCurrencies) || it->code != code) return std::nullopt;
  return Currency(&*it);
}

std::optional<Currency> Currency::FromSymbol(std::string_view symbol) {
  for (const auto& [sym, code] : kSymbols) {
    if (sym == symbol) return FromCode(code);
  }
  return std::nullopt;
}

Currency Currency::Usd() {
  static const Currency usd = *FromCode("USD");
  return usd;
}

std::string_view Currency::code() const { return row_->code; }
int Currency::exponent() const { return row_->exponent; }

std::string_view Currency::symbol() const {
  for (const auto& [code, sym] : kFormatSymbols) {
    if (code == row_->code) return sym;
  }
  return {};
}

std::int64_t Currency::MinorPerMajor() const {
  return kPow10[static_cast<std::size_t>(row_->exponent)];
}

std::string_view BoundName(Bound b) {
  switch (b) {
    case Bound::kExact:
      return "exact";
    case Bound::kUpTo:
      return "up_to";
    case Bound::kMoreThan:
      return "more_than";
    case Bound::kAbout:
      return "about";
  }
  return "exact";
}

std::optional<Bound> BoundFromName(std::string_view name) {
  for (Bound b : {Bound::kExact, Bound::kUpTo, Bound::kMoreThan, Bound::kAbout}) {
    if (BoundName(b) == name) return b;
  }
  return std::nullopt;
}

Result<Amount> ParseAmount(std::string_view text, Currency default_currency) {
  if (!IsValidUtf8(text)) return Status::Invalid("", "expected an amount in UTF-8 text");
  std::string_view s = TrimView(text);
  if (s.empty()) return Status::Invalid("", Expected(text));
  Amount amount;
  amount.bound = ConsumeBound(s);

  auto prefix = ConsumeCurrencyPrefix(s);
  if (!prefix.ok()) return prefix.status();
  std::optional<Currency> currency = *prefix;

  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (s.front() == '-') return Status::Invalid("", "negative amounts are not allowed");
    return Status::Invalid("", Expected(text));
  }
  // Digits with optional thousands separators, then an optional fraction.
  std::string int_digits;
  std::string frac_digits;
  std::size_t i = 0;
  std::size_t group = 0;
  bool grouped = false;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',')) {
    if (s[i] == ',') {
      if (int_digits.empty() || (grouped && group != 3) || (!grouped && group > 3)) {
        return Status::Invalid("", Expected(text));
      }
      grouped = true;
      group = 0;
    } else {
      int_digits.push_back(s[i]);
      ++group;
    }
    ++i;
  }
  if (grouped && group != 3) return Status::Invalid("", Expected(text));
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      frac_digits.push_back(s[i++]);
    if (frac_digits.empty()) return Status::Invalid("", Expected(text));
  }
  if (int_digits.empty()) return Status::Invalid("", Expected(text));
  s = TrimView(s.substr(i));
  const int scale = ConsumeScale(s);

  if (!s.empty()) {
    auto suffix = ConsumeCurrencyPrefix(s);  // a trailing code: "30B USD"
    if (!suffix.ok()) return suffix.status();
    if (*suffix) {
      if (currency && !(*currency == **suffix)) {
        return Status::Invalid("", "two different currencies (" + std::string(currency->code()) +
                                       " and " + std::string((*suffix)->code()) + ") in '" +
                                       std::string(text) + "'; expected one");
      }
      currency = *suffix;
    }
  }
  if (!s.empty()) return Status::Invalid("", Expected(text));
  amount.currency = currency.value_or(default_currency);

  // value = digits * 10^(scale + exponent - fraction length), exactly.
  const int exponent = amount.currency.exponent();
  std::string mantissa = int_digits + frac_digits;
  int shift = scale + exponent - static_cast<int>(frac_digits.size());
  while (shift < 0) {
    if (mantissa.back() != '0') {
      return Status::Invalid("", "too many decimals for " + std::string(amount.currency.code()) +
                                     " (it has " + std::to_string(exponent) + ")");
    }
    mantissa.pop_back();
    ++shift;
  }
  const std::size_t first_nonzero = mantissa.find_first_not_of('0');
  mantissa = first_nonzero == std::string::npos ? "0" : mantissa.substr(first_nonzero);
  const std::string too_large = "amount exceeds the limit of 10^15 major units";
  // Up to 19 digits fit in int64 (KWD at the limit is 10^18 minor units).
  std::int64_t value = 0;
  for (char d : mantissa) {
    if (MulOverflows(value, 10, &value) || __builtin_add_overflow(value, d - '0', &value)) {
      return Status::Invalid("", too_large);
    }
  }
  if (value != 0 &&
      (shift > 18 || MulOverflows(value, kPow10[static_cast<std::size_t>(shift)], &value))) {
    return Status::Invalid("", too_large);
  }
  // With four decimals (CLF, UYW) 10^15 major units do not fit in int64;
  // there the limit is the largest int64, and sums still fail on overflow.
  std::int64_t max_minor = 0;
  if (MulOverflows(kMaxMajorUnits, amount.currency.MinorPerMajor(), &max_minor)) {
    max_minor = std::numeric_limits<std::int64_t>::max();
  }
  if (value > max_minor) return Status::Invalid("", too_large);
  amount.minor = value;
  return amount;
}

std::string MajorUnits(std::int64_t minor, Currency c) {
  const bool negative = minor < 0;
  // Work in unsigned so INT64_MIN has a magnitude.
  std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  const auto per = static_cast<std::uint64_t>(c.MinorPerMajor());
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / per);
  if (c.exponent() > 0) {
    std::string frac = std::to_string(magnitude % per);
    out += "." + std::string(static_cast<std::size_t>(c.exponent()) - frac.size(), '0') + frac;
  }
  return out;
}

std::string CanonicalAmount(const Amount& a) {
  std::string prefix;
  switch (a.bound) {
    case Bound::kExact:
      break;
    case Bound::kUpTo:
      prefix = "up to ";
      break;
    case Bound::kMoreThan:
      prefix = "more than ";
      break;
    case Bound::kAbout:
      prefix = "about ";
      break;
  }
  return prefix + MajorUnits(a.minor, a.currency) + " " + std::string(a.currency.code());
}

std::string HumanMoney(std::int64_t minor, Currency c) {
  const bool negative = minor < 0;
  std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  const auto per = static_cast<std::uint64_t>(c.MinorPerMajor());
  static constexpr std::array<std::pair<std::uint64_t, char>, 3> kSuffixes = {
      {{1'000'000'000'000ULL, 'T'}, {1'000'000'000ULL, 'B'}, {1'000'000ULL, 'M'}}};
  std::string figure;
  for (const auto& [unit_major, letter] : kSuffixes) {
    const std::uint64_t unit = unit_major * per;
    if (magnitude < unit) continue;
    const std::uint64_t step = unit / 1000;  // three decimals at most
    if (magnitude % step != 0) continue;
    std::string whole = GroupThousands(std::to_string(magnitude / unit));
    std::uint64_t thousandths = (magnitude % unit) / step;
    if (thousandths != 0) {
      std::string frac = std::to_string(thousandths);
      frac.insert(0, 3 - frac.size(), '0');
      while (frac.back() == '0') frac.pop_back();
      whole += '.';
      whole += frac;
    }
    figure = whole + letter;
    break;
  }
  if (figure.empty()) {
    figure = GroupThousands(std::to_string(magnitude / per));
    if (magnitude % per != 0) {
      std::string frac = std::to_string(magnitude % per);
      figure += "." + std::string(static_cast<std::size_t>(c.exponent()) - frac.size(), '0') + frac;
    }
  }
  return (negative ? "-" : "") + WithSymbol(c, figure);
}

std::string HumanAmount(const Amount& a) {
  switch (a.bound) {
    case Bound::kExact:
      return HumanMoney(a.minor, a.currency);
    case Bound::kUpTo:
      return "up to " + HumanMoney(a.minor, a.currency);
    case Bound::kMoreThan:
      return "more than " + HumanMoney(a.minor, a.currency);
    case Bound::kAbout:
      return "about " + HumanMoney(a.minor, a.currency);
  }
  return HumanMoney(a.minor, a.currency);
}

Interval Interval::Of(const Amount& a) {
  switch (a.bound) {
    case Bound::kExact:
      return {a.minor, a.minor, a.currency, false};
    case Bound::kUpTo:
      return {0, a.minor, a.currency, false};
    case Bound::kMoreThan:
      return {a.minor, std::nullopt, a.currency, false};
    case Bound::kAbout:
      return {a.minor, a.minor, a.currency, true};
  }
  return {a.minor, a.minor, a.currency, false};
}

Result<Interval> Add(const Interval& a, const Interval& b) {
  if (!(a.currency == b.currency)) {
    return Status::Invalid("currency", "cannot add " + std::string(a.currency.code()) + " to " +
                                           std::string(b.currency.code()));
  }
  // Built only on overflow: totals call this once per commitment.
  auto overflow = [] { return Status::Invalid("amount", "sum overflows 64-bit minor units"); };
  Interval r{0, std::nullopt, a.currency, a.approximate || b.approximate};
  if (__builtin_add_overflow(a.low, b.low, &r.low)) return overflow();
  if (a.high && b.high) {
    std::int64_t h = 0;
    if (__builtin_add_overflow(*a.high, *b.high, &h)) return overflow();
    r.high = h;
  }
  return r;
}

Result<SignedInterval> Subtract(const Interval& a, const Interval& b) {
  if (!(a.currency == b.currency)) {
    return Status::Invalid("currency", "cannot subtract " + std::string(b.currency.code()) +
                                           " from " + std::string(a.currency.code()));
  }
  auto overflow = [] {
    return Status::Invalid("amount", "difference overflows 64-bit minor units");
  };
  SignedInterval r{std::nullopt, std::nullopt, a.currency, a.approximate || b.approximate};
  if (b.high) {
    std::int64_t low = 0;
    if (__builtin_sub_overflow(a.low, *b.high, &low)) return overflow();
    r.low = low;
  }
  if (a.high) {
    std::int64_t high = 0;
    if (__builtin_sub_overflow(*a.high, b.low, &high)) return overflow();
    r.high = high;
  }
  return r;
}

Interval Remaining(const Interval& committed, const Interval& funded) {
  Interval r{0, std::nullopt, committed.currency, committed.approximate || funded.approximate};
  if (funded.high) r.low = std::max<std::int64_t>(0, committed.low - *funded.high);
  if (committed.high) r.high = std::max<std::int64_t>(0, *committed.high - funded.low);
  return r;
}

Interval Min(const Interval& a, const Interval& b) {
  Interval r{std::min(a.low, b.low), std::nullopt, a.currency, a.approximate || b.approximate};
  if (a.high && b.high) {
    r.high = std::min(*a.high, *b.high);
  } else {
    r.high = a.high ? a.high : b.high;
  }
  return r;
}

std::string HumanInterval(const Interval& i) {
  const std::string about = i.approximate ? "about " : "";
  if (!i.high) {
    if (i.low == 0) return "any amount";
    return "more than " + HumanMoney(i.low, i.currency);
  }
  if (*i.high == i.low) return about + HumanMoney(i.low, i.currency);
  if (i.low == 0) return "up to " + about + HumanMoney(*i.high, i.currency);
  return about + HumanMoney(i.low, i.currency) + "\xe2\x80\x93" + HumanMoney(*i.high, i.currency);
}

std::string HumanSigned(const SignedInterval& i) {
  const std::string about = i.approximate ? "about " : "";
  if (!i.low && !i.high) return "unbounded";
  if (!i.low) return "at most " + HumanMoney(*i.high, i.currency);
  if (!i.high) return "more than " + HumanMoney(*i.low, i.currency);
  if (*i.low == *i.high) return about + HumanMoney(*i.low, i.currency);
  return about + HumanMoney(*i.low, i.currency) + " to " + HumanMoney(*i.high, i.currency);
}

}  // namespace dealtrail
