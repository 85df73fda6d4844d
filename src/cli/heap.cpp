#include "cli/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace dealtrail::cli {

namespace {

// Commands whose threads keep arenas of their own (see heap.h).
bool ThreadsGetOwnArenas(std::string_view command) { return command == "import"; }

}  // namespace

// A replay builds tens to hundreds of MiB of fold state in a fresh process,
// and touching each 4 KiB page for the first time is a page fault: 17,000 of
// them in a replay of a 1M-event ledger, 100,000 at 10M, half its time on a
// virtual machine. On a heap advised for huge pages that is a few hundred
// faults of 2 MiB each.
//
// glibc's own switch for this (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) is read
// only at process start, so the executable does the equivalent: no separate
// mappings for large blocks (a vector of a 10M-event fold's states is one),
// memory kept rather than trimmed, and the heap grown once by kReserve of
// address space (not memory: pages are backed when first touched) and
// advised. kReserve covers a 10M-event replay (about 600 MiB); growth past it
// gets ordinary pages. Where the kernel refuses (no huge pages, a heap that
// cannot grow), this changes nothing but the malloc settings, and glibc maps
// what the heap cannot hold.
//
// The advised heap is the main arena's. Threads get arenas of their own
// (glibc's default) only where ThreadsGetOwnArenas says so: an import on one
// arena made 75,000 futex calls per 100,000 events waiting for its lock.
void PrepareHeap(std::string_view command) {
  constexpr std::size_t kReserve = std::size_t{1} << 30;  // at most INT_MAX: mallopt takes an int
  constexpr std::size_t kLater = std::size_t{64} << 20;   // padding of later growth
  if (!ThreadsGetOwnArenas(command)) mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_MAX, 0);  // every block from the heap
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  char* const start = static_cast<char*>(sbrk(0));
  void* volatile grow = std::malloc(std::size_t{1} << 20);  // volatile: not elided
  std::free(grow);
  char* const end = static_cast<char*>(sbrk(0));
  mallopt(M_TOP_PAD, static_cast<int>(kLater));
  constexpr std::size_t kPage = 4096;
  const std::size_t skip = (kPage - reinterpret_cast<std::uintptr_t>(start) % kPage) % kPage;
  if (end - start > static_cast<std::ptrdiff_t>(skip)) {
    madvise(start + skip, static_cast<std::size_t>(end - start) - skip, MADV_HUGEPAGE);
  }
}

}  // namespace dealtrail::cli
