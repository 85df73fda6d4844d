// Every documented limit (docs/events.md, "Limits"), through the real
// binary: accepted at its maximum and refused one past it, by `import` and
// by `record` (or `party add`) alike. A refusal is exit code 2, one line
// naming the field, and the ledger byte for byte as it was.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/money.h"
#include "dealtrail/reader.h"
#include "reliability/support.h"
#include "test_support.h"

namespace dealtrail {
namespace {

using test::Dealtrail;
using test::ExitedWith;
using test::IsOneLine;
using test::ProcessResult;
using test::ReadBytes;
using test::TempDir;
using test::WriteFile;

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// A JSONL open of commitment "lim" with `extra` fields (",\"k\":\"v\"").
std::string OpenLine(const std::string& extra, const std::string& commitment = "lim",
                     const std::string& amount = "$1B") {
  return R"({"kind":"open","date":"2026-03-01","commitment":")" + commitment +
         R"(","commitment_kind":"equity","from":"nvidia","to":"openai","amount":)" +
         Quoted(amount) + extra + "}";
}
std::vector<std::string> OpenArgs(std::vector<std::string> extra,
                                  const std::string& commitment = "lim",
                                  const std::string& amount = "$1B") {
  std::vector<std::string> args = {"record",   "open",   "--commitment", commitment,  "--kind",
                                   "equity",   "--from", "nvidia",       "--to",      "openai",
                                   "--amount", amount,   "--date",       "2026-03-01"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string Aliases(std::size_t n) {
  std::string list = "[";
  for (std::size_t i = 0; i < n; ++i) list += (i ? "," : "") + Quoted("alias " + std::to_string(i));
  return list + "]";
}
std::vector<std::string> AliasArgs(std::size_t n) {
  std::vector<std::string> args;
  for (std::size_t i = 0; i < n; ++i) {
    args.push_back("--alias");
    args.push_back("alias " + std::to_string(i));
  }
  return args;
}

struct Limit {
  std::string what;
  std::string field;  // named by the import's error
  std::string flag;   // named by the command line's error
  // The same event with the value at the maximum (true) or one past it (false).
  std::function<std::string(bool)> line;
  std::function<std::vector<std::string>(bool)> args;
};

std::vector<Limit> Limits() {
  const std::string e2 = "\xc3\xa9";  // "é": two bytes, one character
  auto party_add_line = [](const std::string& id, const std::string& name,
                           const std::string& extra = "") {
    return R"({"kind":"party-add","date":"2026-03-01","party":")" + id + R"(","name":)" +
           Quoted(name) + extra + "}";
  };
  return {
      {"commitment id: 64 bytes", "commitment", "--commitment",
       [](bool max) { return OpenLine("", std::string(max ? 64 : 65, 'c')); },
       [](bool max) { return OpenArgs({}, std::string(max ? 64 : 65, 'c')); }},
      {"round id: 64 bytes", "round", "--round",
       [](bool max) {
         return R"({"kind":"round-open","date":"2026-03-01","party":"openai","round":")" +
                std::string(max ? 64 : 65, 'r') + "\"}";
       },
       [](bool max) {
         return std::vector<std::string>{"record", "round-open", "--party",
                                         "openai", "--round",    std::string(max ? 64 : 65, 'r'),
                                         "--date", "2026-03-01"};
       }},
      {"party id: 64 bytes", "party", "ID",
       [=](bool max) { return party_add_line(std::string(max ? 64 : 65, 'p'), "Limit Party"); },
       [](bool max) {
         return std::vector<std::string>{"party", "add", std::string(max ? 64 : 65, 'p'), "--name",
                                         "Limit Party"};
       }},
      {"event id: 128 bytes", "id", "--id",
       [](bool max) { return OpenLine(",\"id\":" + Quoted(std::string(max ? 128 : 129, 'E'))); },
       [](bool max) {
         return OpenArgs({"--id", std::string(max ? 128 : 129, 'E')});
       }},
      {"name: 256 bytes", "name", "--name",
       [=](bool max) { return party_add_line("limit", std::string(max ? 256 : 257, 'n')); },
       [](bool max) {
         return std::vector<std::string>{"party", "add", "limit", "--name",
                                         std::string(max ? 256 : 257, 'n')};
       }},
      {"name: 256 bytes of two-byte characters", "name", "--name",
       [=](bool max) {
         std::string name;
         for (int i = 0; i < 128; ++i) name += e2;
         return party_add_line("limit", max ? name : name + "a");
       },
       [=](bool max) {
         std::string name;
         for (int i = 0; i < 128; ++i) name += e2;
         return std::vector<std::string>{"party", "add", "limit", "--name",
                                         max ? name : name + "a"};
       }},
      {"alias: 256 bytes", "aliases", "--alias",
       [=](bool max) {
         return party_add_line("limit", "Limit",
                               ",\"aliases\":[" + Quoted(std::string(max ? 256 : 257, 'a')) + "]");
       },
       [](bool max) {
         return std::vector<std::string>{"party",
                                         "add",
                                         "limit",
                                         "--name",
                                         "Limit",
                                         "--alias",
                                         std::string(max ? 256 : 257, 'a')};
       }},
      {"aliases: 32 per event", "aliases", "--alias",
       [=](bool max) {
         return party_add_line("limit", "Limit", ",\"aliases\":" + Aliases(max ? 32 : 33));
       },
       [](bool max) {
         std::vector<std::string> args = {"party", "add", "limit", "--name", "Limit"};
         for (const std::string& a : AliasArgs(max ? 32 : 33)) args.push_back(a);
         return args;
       }},
      {"source (outlet): 256 bytes", "source", "--source",
       [](bool max) {
         return OpenLine(",\"source\":" + Quoted(std::string(max ? 256 : 257, 's')));
       },
       [](bool max) {
         return OpenArgs({"--source", std::string(max ? 256 : 257, 's')});
       }},
      {"terms: 4096 bytes", "terms", "--terms",
       [](bool max) {
         return OpenLine(",\"terms\":" + Quoted(std::string(max ? 4096 : 4097, 't')));
       },
       [](bool max) {
         return OpenArgs({"--terms", std::string(max ? 4096 : 4097, 't')});
       }},
      {"note: 4096 bytes", "note", "--note",
       [](bool max) {
         return OpenLine(",\"note\":" + Quoted(std::string(max ? 4096 : 4097, 'n')));
       },
       [](bool max) {
         return OpenArgs({"--note", std::string(max ? 4096 : 4097, 'n')});
       }},
      {"url: 4096 bytes", "url", "--url",
       [](bool max) {
         const std::string url = "https://example.com/" + std::string(max ? 4076 : 4077, 'u');
         return OpenLine(",\"url\":" + Quoted(url));
       },
       [](bool max) {
         return OpenArgs({"--url", "https://example.com/" + std::string(max ? 4076 : 4077, 'u')});
       }},
      {"amount: 10^15 dollars", "amount", "--amount",
       [](bool max) {
         return OpenLine("", "lim", max ? "1000000000000000.00 USD" : "1000000000000000.01 USD");
       },
       [](bool max) {
         return OpenArgs({}, "lim", max ? "1000000000000000.00 USD" : "1000000000000000.01 USD");
       }},
      {"amount: 10^15 in words", "amount", "--amount",
       [](bool max) { return OpenLine("", "lim", max ? "$1000T" : "$1000.001T"); },
       [](bool max) { return OpenArgs({}, "lim", max ? "$1000T" : "$1000.001T"); }},
      {"amount: 10^15 yen (no minor units)", "amount", "--amount",
       [](bool max) {
         return OpenLine("", "lim", max ? "1000000000000000 JPY" : "1000000000000001 JPY");
       },
       [](bool max) {
         return OpenArgs({}, "lim", max ? "1000000000000000 JPY" : "1000000000000001 JPY");
       }},
      {"amount: 10^15 dinars (three decimals)", "amount", "--amount",
       [](bool max) {
         return OpenLine("", "lim", max ? "KWD 1000000000000000.000" : "KWD 1000000000000000.001");
       },
       [](bool max) {
         return OpenArgs({}, "lim", max ? "KWD 1000000000000000.000" : "KWD 1000000000000000.001");
       }},
      {"amount: largest int64 of CLF minor units (four decimals)", "amount", "--amount",
       [](bool max) {
         return OpenLine("", "lim", max ? "922337203685477.5807 CLF" : "922337203685477.5808 CLF");
       },
       [](bool max) {
         return OpenArgs({}, "lim", max ? "922337203685477.5807 CLF" : "922337203685477.5808 CLF");
       }},
  };
}

class LimitsTest : public testing::Test {
 protected:
  void SetUp() override {
    pristine_ = dir_.File("pristine.db");
    ledger_ = dir_.File("ledger.db");
    ASSERT_EQ(Dealtrail(pristine_, {"init"}).exit_code, 0);
    ASSERT_EQ(Dealtrail(pristine_, {"import", test::FixturePath()}).exit_code, 0);
    bytes_ = ReadBytes(pristine_);
  }

  void ExpectAccepted(const ProcessResult& r, const std::string& what) {
    EXPECT_TRUE(ExitedWith(r, {0})) << what << ": " << r.Describe() << ": " << r.err.substr(0, 300);
    EXPECT_EQ(test::EventCount(ledger_), 26) << what;
  }
  void ExpectRefused(const ProcessResult& r, const std::string& what, const std::string& names) {
    EXPECT_TRUE(ExitedWith(r, {2})) << what << ": " << r.Describe() << ": " << r.err.substr(0, 300);
    EXPECT_TRUE(IsOneLine(r.err)) << what << ": " << r.err.substr(0, 300);
    EXPECT_NE(r.err.find(names), std::string::npos) << what << ": " << r.err.substr(0, 300);
    EXPECT_TRUE(ReadBytes(ledger_) == bytes_) << what << ": the refusal changed the ledger";
  }

  TempDir dir_;
  std::string pristine_;
  std::string ledger_;
  std::string bytes_;
};

TEST_F(LimitsTest, EachLimitAcceptsItsMaximumAndRefusesOnePastThroughImportAndRecord) {
  const std::string file = dir_.File("limit.jsonl");
  for (const Limit& limit : Limits()) {
    SCOPED_TRACE(limit.what);
    test::CopyLedger(pristine_, ledger_);
    WriteFile(file, limit.line(true) + "\n");
    ExpectAccepted(Dealtrail(ledger_, {"import", file}), "import at the maximum");

    test::CopyLedger(pristine_, ledger_);
    WriteFile(file, limit.line(false) + "\n");
    ExpectRefused(Dealtrail(ledger_, {"import", file}), "import one past",
                  file + ":1:" + limit.field + ": ");

    test::CopyLedger(pristine_, ledger_);
    ExpectAccepted(Dealtrail(ledger_, limit.args(true)), "command line at the maximum");
    test::CopyLedger(pristine_, ledger_);
    ExpectRefused(Dealtrail(ledger_, limit.args(false)), "command line one past",
                  ": " + limit.flag + ": ");
  }
}

// JSONL lines: 1 MiB accepted (LF and CRLF; the CR is not counted), one
// byte more refused. JSON allows white space, so a valid event pads out.
TEST_F(LimitsTest, ALineOfOneMebibyteIsAcceptedAndOneByteMoreRefused) {
  const std::string event = OpenLine("");
  const std::string file = dir_.File("long.jsonl");
  for (const std::string ending : {"\n", "\r\n"}) {
    SCOPED_TRACE(ending == "\n" ? "LF" : "CRLF");
    test::CopyLedger(pristine_, ledger_);
    const std::string at_max = std::string(kMaxLineBytes - event.size(), ' ') + event;
    ASSERT_EQ(at_max.size(), kMaxLineBytes);
    WriteFile(file, at_max + ending);
    ExpectAccepted(Dealtrail(ledger_, {"import", file}), "a line of 1 MiB");

    test::CopyLedger(pristine_, ledger_);
    WriteFile(file, " " + at_max + ending);
    ExpectRefused(Dealtrail(ledger_, {"import", file}), "a line of 1 MiB + 1",
                  file + ":1: line is 1048577 bytes; at most 1048576 allowed\n");
  }
}

// A CSV line cannot hold a valid event of 1 MiB (each field is limited), so:
// a line of exactly 1 MiB passes the line limit and is refused by the
// field's own limit; one byte more is refused by the line limit.
TEST_F(LimitsTest, ACsvRecordOfOneMebibytePassesTheLineLimitAndOneByteMoreDoesNot) {
  const std::string header = "kind,date,commitment,note\n";
  const std::string prefix = "cancel,2026-03-01,amazon-openai-2026-equity,";
  const std::string file = dir_.File("long.csv");
  test::CopyLedger(pristine_, ledger_);
  WriteFile(file, header + prefix + std::string(kMaxLineBytes - prefix.size(), 'n') + "\n");
  ExpectRefused(Dealtrail(ledger_, {"import", file}), "a record of 1 MiB",
                file + ":2:note: text is");
  WriteFile(file, header + prefix + std::string(kMaxLineBytes + 1 - prefix.size(), 'n') + "\n");
  ExpectRefused(Dealtrail(ledger_, {"import", file}), "a record of 1 MiB + 1",
                file + ":2: line is 1048577 bytes");
}

// Funding up to the commitment exactly is accepted; a cent more is refused.
TEST_F(LimitsTest, FundingUpToTheCommitmentAndNotACentMore) {
  const std::string file = dir_.File("fund.jsonl");
  test::CopyLedger(pristine_, ledger_);
  WriteFile(file, OpenLine("", "lim", "$1B") + "\n" +
                      R"({"kind":"fund","date":"2026-03-02","commitment":"lim","amount":"$1B"})" +
                      "\n");
  const ProcessResult full = Dealtrail(ledger_, {"import", file});
  EXPECT_TRUE(ExitedWith(full, {0})) << full.err;
  test::CopyLedger(pristine_, ledger_);
  WriteFile(
      file,
      OpenLine("", "lim", "$1B") + "\n" +
          R"({"kind":"fund","date":"2026-03-02","commitment":"lim","amount":"1000000000.01 USD"})" +
          "\n");
  ExpectRefused(Dealtrail(ledger_, {"import", file}), "a cent past the commitment",
                file + ":2:amount: funding beyond the commitment");
}

// `dealtrail sql --max-memory` holds in the binary, which runs every other
// command with SQLite's memory statistics off (src/main.cpp); the limit
// needs them.
TEST_F(LimitsTest, TheSqlMemoryLimitHoldsInTheBinary) {
  test::CopyLedger(pristine_, ledger_);
  const std::string statement =
      "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000000) "
      "SELECT count(*) FROM (SELECT DISTINCT i FROM r)";
  ExpectRefused(
      Dealtrail(ledger_, {"sql", "--max-memory", "8", "--timeout", "60000", statement}),
      "a statement past --max-memory 8",
      "dealtrail sql: stopped: the statement needed more memory than the limit of 8 MiB\n");
  const ProcessResult within = Dealtrail(ledger_, {"sql", "SELECT count(*) FROM events"});
  EXPECT_TRUE(ExitedWith(within, {0})) << within.err;
  EXPECT_EQ(within.out, "count(*)\n25\n");
}

}  // namespace
}  // namespace dealtrail
