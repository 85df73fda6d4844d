// Aligned tables, CSV rows and amount JSON.
#include "cli/table.h"

#include <algorithm>

#include "core/text.h"

namespace dealtrail::cli {
std::string Isolate(std::string_view name) {
  if (!HasRightToLeft(name)) return std::string(name);
  // FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE
  return "\xE2\x81\xA8" + std::string(name) + "\xE2\x81\xA9";
}

void Table::Print(std::ostream& out) const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - DisplayWidth(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print(headers_);
  for (const auto& row : rows_) print(row);
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out << ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out << c;
      continue;
    }
    out << '"';
    for (char ch : c) {
      if (ch == '"') out << '"';
      out << ch;
    }
    out << '"';
  }
  out << "\n";
}

Json AmountJson(const Interval& i) {
  Json j;
  j["low"] = MajorUnits(i.low, i.currency);
  j["high"] = i.high ? Json(MajorUnits(*i.high, i.currency)) : Json(nullptr);
  j["currency"] = std::string(i.currency.code());
  j["approximate"] = i.approximate;
  return j;
}

Json AmountJson(const SignedInterval& i) {
  Json j;
  j["low"] = i.low ? Json(MajorUnits(*i.low, i.currency)) : Json(nullptr);
  j["high"] = i.high ? Json(MajorUnits(*i.high, i.currency)) : Json(nullptr);
  j["currency"] = std::string(i.currency.code());
  j["approximate"] = i.approximate;
  return j;
}

Json AmountJson(const Amount& a) {
  Json j = AmountJson(Interval::Of(a));
  j["stated"] = HumanAmount(a);
  return j;
}

Json AmountListJson(const std::vector<Interval>& list) {
  Json j = Json::array();
  for (const Interval& i : list) j.push_back(AmountJson(i));
  return j;
}

std::string HumanList(const std::vector<Interval>& list) {
  if (list.empty()) return "\xE2\x80\x94";  // em dash: nothing
  std::string out;
  for (const Interval& i : list) out += (out.empty() ? "" : "; ") + HumanInterval(i);
  return out;
}

}  // namespace dealtrail::cli
