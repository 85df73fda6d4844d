// Replays the committed fuzz corpus (corpus/<target>/*) through the same
// checks the libFuzzer targets run: every file must pass them, whatever the
// compiler. A corpus file that once crashed stays here as a regression case.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/targets.h"

namespace dealtrail::fuzz {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Target {
  const char* name;
  std::string (*check)(std::string_view);
};

// The test's name shows the target, not the bytes of a struct.
void PrintTo(const Target& target, std::ostream* os) { *os << target.name; }

class CorpusTest : public testing::TestWithParam<Target> {};

TEST_P(CorpusTest, EveryCorpusFilePassesTheTargetsChecks) {
  const Target& target = GetParam();
  const std::filesystem::path dir = std::filesystem::path(DEALTRAIL_FUZZ_CORPUS_DIR) / target.name;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // A corpus worth replaying: seeds and what fuzzing added to them.
  EXPECT_GE(files.size(), 20u) << dir;
  for (const auto& file : files) {
    const std::string problem = target.check(ReadFile(file));
    EXPECT_EQ(problem, "") << file.filename().string();
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzz, CorpusTest,
                         testing::Values(Target{"amount", CheckAmount}, Target{"date", CheckDate},
                                         Target{"jsonl", CheckJsonl}, Target{"csv", CheckCsv}),
                         [](const testing::TestParamInfo<Target>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace dealtrail::fuzz
