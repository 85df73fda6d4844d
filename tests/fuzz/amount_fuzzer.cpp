// libFuzzer target: ParseAmount (the checks are in targets.cpp; the
// committed corpus in corpus/amount/ is replayed by corpus_test.cpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem =
      dealtrail::fuzz::CheckAmount({reinterpret_cast<const char*>(data), size});
  if (!problem.empty()) {
    std::fprintf(stderr, "amount: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
