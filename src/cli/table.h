// Output helpers for read commands: aligned text tables (Arabic and other
// right-to-left names included), CSV rows and exact amounts as JSON.
#ifndef DEALTRAIL_SRC_CLI_TABLE_H_
#define DEALTRAIL_SRC_CLI_TABLE_H_

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "dealtrail/money.h"

namespace dealtrail::cli {

using Json = nlohmann::ordered_json;

// `name` wrapped in Unicode isolates (U+2068 … U+2069) when it holds
// right-to-left text, so a bidi-aware terminal keeps it from reordering the
// text around it ("أرامكو → OpenAI" stays in that order). Isolate each name,
// not the cell that joins several.
std::string Isolate(std::string_view name);

// Columns aligned by terminal display width (isolates take none), two
// spaces apart.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// One RFC 4180 row: cells with a comma, quote or line break are quoted.
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& cells);

// {"low": "…", "high": "…" | null, "currency": "USD", "approximate": bool}
// with exact decimal strings in major units.
Json AmountJson(const Interval& i);
Json AmountJson(const SignedInterval& i);
Json AmountJson(const Amount& a);
Json AmountListJson(const std::vector<Interval>& list);

// "$30B; €2M" for per-currency lists ("—" when empty).
std::string HumanList(const std::vector<Interval>& list);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_TABLE_H_
