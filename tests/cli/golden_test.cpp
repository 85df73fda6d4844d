// Golden CLI cases: every tests/golden/*.test file is a ledger set-up and a
// list of commands, each with its exact stdout, stderr and exit code, run
// in-process with a fixed clock. A failed command must leave the ledger file
// byte-for-byte as it was. Format: docs/testing.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run.h"
#include "golden_case.h"

namespace dealtrail {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

class GoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpectedOutput) {
  const fs::path file = fs::path(DEALTRAIL_GOLDEN_DIR) / (GetParam() + ".test");
  auto parsed = golden::ParseCase(ReadBytes(file));
  ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.status().ToString();
  golden::Case c = *parsed;

  const fs::path tmp = fs::temp_directory_path() /
                       ("dealtrail-golden-" + GetParam() + "-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  const fs::path ledger = tmp / "dealtrail.db";

  cli::Environment env;
  env.clock = FixedClock(*ParseTimestamp(golden::kFixedNow));
  env.vars["DEALTRAIL_LEDGER"] = ledger.string();
  auto expand = [&](std::string s) {
    ReplaceAll(s, "$TMP", tmp.string());
    ReplaceAll(s, "$FIXTURES", DEALTRAIL_FIXTURES_DIR);
    return s;
  };
  for (const auto& [name, content] : c.files) {
    std::ofstream(tmp / name, std::ios::binary) << expand(content);
  }
  auto run_quietly = [&](const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::Run(args, out, err, env);
    ASSERT_EQ(code, 0) << err.str();
  };
  if (c.ledger != "none") run_quietly({"init"});
  if (c.ledger == "fixture") {
    run_quietly({"import", std::string(DEALTRAIL_FIXTURES_DIR) + "/nvidia-openai.jsonl"});
  }

  std::vector<golden::Outcome> actual;
  for (const golden::Step& step : c.steps) {
    std::vector<std::string> args;
    for (const std::string& word : step.words) args.push_back(expand(word));
    std::ostringstream out;
    std::ostringstream err;
    const bool existed = fs::exists(ledger);
    const std::string before = existed ? ReadBytes(ledger) : "";
    std::istringstream in(expand(step.input));
    env.in = &in;
    const int code = cli::Run(args, out, err, env);
    golden::Outcome o{out.str(), err.str(), code};
    ReplaceAll(o.out, tmp.string(), "$TMP");
    ReplaceAll(o.err, tmp.string(), "$TMP");
    actual.push_back(o);
    if (code != 0) {
      EXPECT_EQ(fs::exists(ledger), existed) << "line " << step.line << ": a failed command "
                                             << "created or removed the ledger";
      if (existed) {
        EXPECT_TRUE(ReadBytes(ledger) == before)
            << "line " << step.line << ": a failed command changed the ledger file";
      }
    }
    if (std::getenv("DEALTRAIL_GOLDEN_UPDATE") == nullptr) {
      EXPECT_EQ(o.out, step.expected.out) << "stdout of line " << step.line << ": " << step.text;
      EXPECT_EQ(o.err, step.expected.err) << "stderr of line " << step.line << ": " << step.text;
      EXPECT_EQ(o.code, step.expected.code)
          << "exit code of line " << step.line << ": " << step.text;
    }
  }
  if (std::getenv("DEALTRAIL_GOLDEN_UPDATE") != nullptr) {
    std::ofstream(file, std::ios::binary) << golden::Render(c, actual);
  }
  fs::remove_all(tmp);
}

std::vector<std::string> ListCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(DEALTRAIL_GOLDEN_DIR)) {
    if (entry.path().extension() == ".test") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A command line builds only the command it names. Every command the help
// lists must still be built when named, with or without --ledger before it.
TEST(CommandLineTest, EveryCommandIsBuiltWhenNamed) {
  const cli::Environment env;
  std::ostringstream help;
  std::ostringstream help_err;
  ASSERT_EQ(cli::Run({"--help"}, help, help_err, env), 0) << help_err.str();
  std::vector<std::string> commands;
  std::istringstream lines(help.str());
  bool listed = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "Subcommands:") {
      listed = true;
    } else if (listed && line.size() > 2 && line.compare(0, 2, "  ") == 0 && line[2] != ' ') {
      commands.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
  }
  ASSERT_EQ(commands.size(), 12u) << help.str();
  for (const std::string& command : commands) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{command, "--help"},
          std::vector<std::string>{"--ledger", "x.db", command, "--help"},
          std::vector<std::string>{"--ledger=x.db", command, "--help"}}) {
      std::ostringstream out;
      std::ostringstream err;
      EXPECT_EQ(cli::Run(args, out, err, env), 0) << command << ": " << err.str();
      EXPECT_NE(out.str().find("Usage: dealtrail " + command + " "), std::string::npos)
          << out.str();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, testing::ValuesIn(ListCases()),
                         [](const testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char ch) {
                                 return !std::isalnum(static_cast<unsigned char>(ch));
                               },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace dealtrail
