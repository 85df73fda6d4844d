// Sizes, seeds, the binary, and ledger state for the reliability suites.
#include "reliability/support.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <date/date.h>

#include "test_support.h"

namespace dealtrail::test {

bool Soak() {
  const char* v = std::getenv("DEALTRAIL_SOAK");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

std::int64_t Size(const char* env, std::int64_t short_size, std::int64_t soak,
                  std::int64_t sanitized) {
  if (const char* v = std::getenv(env); v != nullptr && *v != '\0') return std::atoll(v);
  if (Soak()) return soak;
  return Sanitized() ? sanitized : short_size;
}

std::uint64_t Seed(std::uint64_t fallback) {
  std::uint64_t seed = fallback;
  if (const char* v = std::getenv("DEALTRAIL_RELIABILITY_SEED"); v != nullptr && *v != '\0') {
    seed = std::strtoull(v, nullptr, 10);
  }
  Report("seed " + std::to_string(seed) + " (DEALTRAIL_RELIABILITY_SEED=" + std::to_string(seed) +
         " replays it)");
  return seed;
}

void Report(const std::string& line) {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::cout << "[ figures  ] "
            << (info ? std::string(info->test_suite_name()) + "." + info->name()
                     : std::string("reliability"))
            << ": " << line << std::endl;
}

const std::string& Binary() {
  static const std::string binary = DEALTRAIL_BINARY;
  return binary;
}

ProcessResult Dealtrail(const std::string& ledger, const std::vector<std::string>& args,
                        const ProcessOptions& options) {
  std::vector<std::string> argv = {Binary(), "--ledger", ledger};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, options);
}

bool IsOneLine(const std::string& text) {
  return !text.empty() && text.back() == '\n' && text.find('\n') == text.size() - 1;
}

bool ExitedWith(const ProcessResult& r, std::initializer_list<int> codes) {
  if (!r.exited) return false;
  for (int c : codes) {
    if (r.exit_code == c) return true;
  }
  return false;
}

std::string IntegrityCheck(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "PRAGMA integrity_check");
  std::string out;
  while (q.executeStep()) out += (out.empty() ? "" : "; ") + q.getColumn(0).getString();
  return out;
}

std::int64_t EventCount(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM events").getInt64();
}

std::int64_t EventsWithIdPrefix(const std::string& path, const std::string& prefix) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT count(*) FROM events WHERE substr(event_id, 1, ?1) = ?2");
  q.bind(1, static_cast<int>(prefix.size()));
  q.bind(2, prefix);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

bool SeqWithoutGaps(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "SELECT count(*), coalesce(min(seq), 1), coalesce(max(seq), 0) FROM events");
  q.executeStep();
  return q.getColumn(1).getInt64() == 1 && q.getColumn(2).getInt64() == q.getColumn(0).getInt64();
}

void RemoveLedger(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

void CopyLedger(const std::string& from, const std::string& to) {
  RemoveLedger(to);
  std::filesystem::copy_file(from, to);
}

std::string PartiesJsonl(int n, const std::string& date) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string id = "p" + std::to_string(i);
    out += R"({"id":"party-)" + id + R"(","kind":"party-add","date":")" + date + R"(","party":")" +
           id + R"(","name":"Party )" + std::to_string(i) + "\"}\n";
  }
  return out;
}

std::string BatchJsonl(const std::string& prefix, int n, int parties) {
  std::string out;
  const date::sys_days start = date::sys_days(date::year{2025} / 1 / 1);
  std::string open_day;
  for (int k = 1; k <= n; ++k) {
    const std::string id = prefix + "-" + std::to_string(k);
    if (k % 2 == 1) {
      open_day = date::format("%F", start + date::days{k % 300});
      const int from = k % parties;
      const int to = (k + 1) % parties;
      out += R"({"id":")" + id + R"(","kind":"open","date":")" + open_day + R"(","commitment":")" +
             prefix + "-c" + std::to_string(k) + R"(","commitment_kind":"equity","from":"p)" +
             std::to_string(from) + R"(","to":"p)" + std::to_string(to) + R"(","amount":"$)" +
             std::to_string(k + 1) + R"(M","certainty":"announced","source":"reliability test"})" +
             "\n";
    } else {
      out += R"({"id":")" + id + R"(","kind":"fund","date":")" + open_day + R"(","commitment":")" +
             prefix + "-c" + std::to_string(k - 1) + R"(","amount":"$1M"})" + "\n";
    }
  }
  return out;
}

}  // namespace dealtrail::test
