// The sql command: one read-only statement on the ledger (RunReadOnlySql),
// its rows as an aligned table, JSON or CSV. docs/sql.md documents it.
#include <CLI/CLI.hpp>

#include <iterator>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/table.h"
#include "dealtrail/sql.h"

namespace dealtrail::cli {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

// A value as CSV and table cells show it: NULL is empty, a blob is hex.
std::string Text(const SqlValue& v) {
  switch (v.type) {
    case SqlType::kNull:
      return "";
    case SqlType::kInteger:
      return std::to_string(v.integer);
    case SqlType::kBlob:
      return Hex(v.text);
    case SqlType::kReal:
    case SqlType::kText:
      return v.text;
  }
  return "";
}

// Table cells stay on one line and cannot move the terminal's cursor:
// control characters are shown escaped; right-to-left text is isolated.
std::string Cell(const SqlValue& v) {
  std::string out;
  for (char ch : Text(v)) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return v.type == SqlType::kText ? Isolate(out) : out;
}

Json ValueJson(const SqlValue& v) {
  switch (v.type) {
    case SqlType::kNull:
      return nullptr;
    case SqlType::kInteger:
      return v.integer;
    case SqlType::kReal:
      return v.real;
    case SqlType::kText:
      return v.text;
    case SqlType::kBlob:
      return Hex(v.text);
  }
  return nullptr;
}

// JSON object keys: a repeated column name gets ":2", ":3", … so no value
// is lost ("SELECT 1 AS a, 2 AS a" -> {"a": 1, "a:2": 2}).
std::vector<std::string> JsonKeys(const std::vector<std::string>& columns) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (const std::string& c : columns) {
    const int n = ++seen[c];
    keys.push_back(n == 1 ? c : c + ":" + std::to_string(n));
  }
  return keys;
}

void Print(const SqlResult& result, const std::string& format, std::ostream& out) {
  if (format == "json") {
    const std::vector<std::string> keys = JsonKeys(result.columns);
    Json rows = Json::array();
    for (const auto& row : result.rows) {
      Json o = Json::object();
      for (std::size_t i = 0; i < row.size(); ++i) o[keys[i]] = ValueJson(row[i]);
      rows.push_back(std::move(o));
    }
    out << rows.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return;
  }
  if (format == "csv") {
    WriteCsvRow(out, result.columns);
    for (const auto& row : result.rows) {
      std::vector<std::string> cells;
      cells.reserve(row.size());
      for (const SqlValue& v : row) cells.push_back(Text(v));
      WriteCsvRow(out, cells);
    }
    return;
  }
  std::vector<std::string> headers;
  for (const std::string& c : result.columns) headers.push_back(Cell({SqlType::kText, 0, 0, c}));
  Table table(headers);
  for (const auto& row : result.rows) {
    std::vector<std::string> cells;
    cells.reserve(row.size());
    for (const SqlValue& v : row) cells.push_back(Cell(v));
    table.AddRow(std::move(cells));
  }
  table.Print(out);
}

}  // namespace

void AddSqlCommands(CLI::App& app, Context& ctx, const Wanted& wanted) {
  if (!wanted("sql")) return;
  struct SqlArgs {
    std::string sql;
    std::string format = "table";
    std::int64_t timeout_ms = 0;
    std::int64_t max_rows = 0;
    std::int64_t max_memory_mib = 0;
  };
  const SqlLimits defaults;
  auto args = std::make_shared<SqlArgs>();
  args->timeout_ms = defaults.timeout.count();
  args->max_rows = defaults.max_rows;
  args->max_memory_mib = defaults.max_memory_bytes >> 20;
  CLI::App* cmd = app.add_subcommand(
      "sql",
      "run one read-only SQL statement on the ledger, with the views, positions_as_of() and "
      "the money helpers (docs/sql.md)");
  cmd->add_option("SQL", args->sql, "the statement, or - to read it from standard input")
      ->required();
  cmd->add_option("--format", args->format, "output format: table|json|csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--timeout", args->timeout_ms,
                  "stop the statement after this many milliseconds (default " +
                      std::to_string(args->timeout_ms) + ")")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400'000}));
  cmd->add_option("--max-rows", args->max_rows,
                  "stop when the result has more rows than this (default " +
                      std::to_string(args->max_rows) + ")")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
  cmd->add_option("--max-memory", args->max_memory_mib,
                  "stop when SQLite needs more memory than this many MiB (default " +
                      std::to_string(args->max_memory_mib) + ")")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20));
  cmd->callback([&ctx, args] {
    ctx.command = "sql";
    std::string sql = args->sql;
    if (sql == "-") {
      if (ctx.env.in == nullptr) {
        ctx.Fail(Status::Invalid("SQL", "no standard input to read the statement from"));
        return;
      }
      sql.assign(std::istreambuf_iterator<char>(*ctx.env.in), std::istreambuf_iterator<char>());
    }
    SqlOptions options;
    options.clock = ctx.env.clock;
    options.limits.timeout = std::chrono::milliseconds(args->timeout_ms);
    options.limits.max_rows = args->max_rows;
    options.limits.max_memory_bytes = args->max_memory_mib << 20;
    auto result = RunReadOnlySql(ctx.ledger_path, sql, options);
    if (!result.ok()) {
      ctx.Fail(result.status());
      return;
    }
    Print(*result, args->format, ctx.out);
  });
}

}  // namespace dealtrail::cli
