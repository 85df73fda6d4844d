// The executable's heap (cli::PrepareHeap): an import's threads allocate
// from arenas of their own; a replay's share the one advised for huge pages.
// Built twice, as dealtrail_heap_import_test and dealtrail_heap_replay_test
// (DEALTRAIL_HEAP_COMMAND): the arena setting holds for the whole process and
// only for threads that have not allocated yet, so each executable checks one
// command, set up before its first thread starts (suite DEALTRAIL_HEAP_SUITE:
// HeapOfImport or HeapOfReplay). Not built under AddressSanitizer, which
// replaces glibc's malloc and its arenas (tests/CMakeLists.txt).
#include <gtest/gtest.h>
#include <malloc.h>
#include <stdio.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

#include "cli/heap.h"
#include "cli/run.h"
#include "test_support.h"

namespace dealtrail {
namespace {

// The arenas glibc's malloc has made so far (malloc_info lists each as a
// <heap>). Threads keep their arenas after they end.
int Arenas() {
  char* text = nullptr;
  std::size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  if (out == nullptr) return -1;
  malloc_info(0, out);
  std::fclose(out);
  const std::string xml(text, size);
  std::free(text);
  int arenas = 0;
  for (std::size_t at = xml.find("<heap nr="); at != std::string::npos;
       at = xml.find("<heap nr=", at + 1)) {
    ++arenas;
  }
  return arenas;
}

void RunCommand(const std::vector<std::string>& args) {
  cli::Environment env;
  env.clock = [] { return test::At("2026-11-29T12:00:00Z"); };
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(cli::Run(args, out, err, env), 0) << err.str();
}

constexpr std::string_view kCommand = DEALTRAIL_HEAP_COMMAND;

TEST(DEALTRAIL_HEAP_SUITE, ThreadsAllocateFromTheArenasTheCommandCallsFor) {
  cli::PrepareHeap(kCommand);
  ASSERT_EQ(Arenas(), 1) << "a thread allocated before PrepareHeap";

  test::TempDir dir;
  const std::string ledger = dir.File("ledger.db");
  RunCommand({"--ledger", ledger, "init"});
  // The import parses on a second thread and builds checkpoints on a third;
  // the replay folds on a second thread.
  RunCommand({"--ledger", ledger, "import", test::FixturePath()});
  RunCommand({"--ledger", ledger, "replay", "--as-of", "2026-03-01"});
  std::thread([] {
    void* volatile block = std::malloc(64);
    std::free(block);
  }).join();

  if (kCommand == "import") {
    // An arena whose thread has ended goes to the next thread that starts.
    EXPECT_GE(Arenas(), 2) << kCommand << ": its threads should have arenas of their own";
  } else {
    EXPECT_EQ(Arenas(), 1) << kCommand << ": its threads should share the main arena";
  }
}

}  // namespace
}  // namespace dealtrail
