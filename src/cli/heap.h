// How the dealtrail executable sets up glibc's heap before a command runs.
#ifndef DEALTRAIL_SRC_CLI_HEAP_H_
#define DEALTRAIL_SRC_CLI_HEAP_H_

#include <string_view>

namespace dealtrail::cli {

// Gives the process a heap backed by transparent huge pages where the kernel
// allows them, shaped for `command` (as NamedCommand returns it). Call once,
// first thing in main, before any thread starts: glibc takes the arena
// setting only for threads that have not allocated yet.
//
// Every command gets the huge-page heap. All but `import` also keep every
// thread on that one arena, so a replay's fold state, built on its second
// thread, lands on huge pages too. An import runs three threads that
// allocate all the time (parsing, checking and inserting, building
// checkpoints); on one arena they take turns at its lock, so each keeps an
// arena of its own.
void PrepareHeap(std::string_view command);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_HEAP_H_
