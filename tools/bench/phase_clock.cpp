// dealtrail-phase-clock.so: preloaded into one process by dealtrail-phases,
// it notes when that process reaches the milestones of a durable write
// through SQLite — main, the open, the schema read, COMMIT, the close, each
// sync — so that where a whole-process `record` spends its milliseconds can
// be set beside raw SQLite doing the same (docs/benchmarks.md, "record").
//
// It wraps the exported entry points the process calls (sqlite3_open_v2,
// sqlite3_exec, sqlite3_close, fdatasync, ...) and forwards each to the real
// one. Times are CLOCK_MONOTONIC nanoseconds, kept in memory and written in
// one go at exit to the descriptor named by DEALTRAIL_PHASES_FD, one
// "name nanoseconds" line each, so that noting them costs no system call.
// SQLite reads a ledger's schema with the statement kSchemaRead, issued
// through sqlite3_exec on the first statement after the open; that is how the
// schema read is told apart.
#include <dlfcn.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

namespace {

constexpr std::string_view kSchemaRead = "SELECT*FROM\"main\".sqlite_master";

struct Mark {
  const char* name;
  std::int64_t ns;
};

// Noted from any thread (an import syncs from more than one).
std::array<Mark, 256> marks;
std::atomic<std::size_t> mark_count{0};

std::int64_t Now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

void Note(const char* name, std::int64_t ns) {
  const std::size_t i = mark_count.fetch_add(1);
  if (i < marks.size()) marks[i] = {name, ns};
}

// SQLite's functions are looked for in a program without SQLite too, and
// not found there: nothing calls their wrappers then.
void* Real(const char* symbol, bool required) {
  void* real = dlsym(RTLD_NEXT, symbol);
  if (real == nullptr && required) {
    std::fprintf(stderr, "dealtrail-phase-clock: no %s to wrap\n", symbol);
    std::abort();
  }
  return real;
}

bool IsCommit(const char* sql) {
  if (sql == nullptr) return false;
  std::string_view s(sql);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) != 0 || s.back() == ';'))
    s.remove_suffix(1);
  return s.size() == 6 && strncasecmp(s.data(), "COMMIT", 6) == 0;
}

using Main = int (*)(int, char**, char**);
using Start = int (*)(Main, int, char**, void (*)(), void (*)(), void (*)(), void*);
using Open = int (*)(const char*, sqlite3**, int, const char*);
using Exec = int (*)(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
using Close = int (*)(sqlite3*);
using Sync = int (*)(int);

// The wrapped functions, found once when the library is loaded: before the
// program's entry point runs, and without the guards a function-local
// static would take (this library uses nothing of libstdc++).
Main real_main = nullptr;
Start real_start = nullptr;
Open real_open = nullptr;
Exec real_exec = nullptr;
Close real_close = nullptr;
Close real_close_v2 = nullptr;
Sync real_fdatasync = nullptr;
Sync real_fsync = nullptr;

int TimedMain(int argc, char** argv, char** envp) {
  Note("main", Now());
  return real_main(argc, argv, envp);
}

__attribute__((constructor)) void Loaded() {
  Note("loaded", Now());
  real_start = reinterpret_cast<Start>(Real("__libc_start_main", true));
  real_open = reinterpret_cast<Open>(Real("sqlite3_open_v2", false));
  real_exec = reinterpret_cast<Exec>(Real("sqlite3_exec", false));
  real_close = reinterpret_cast<Close>(Real("sqlite3_close", false));
  real_close_v2 = reinterpret_cast<Close>(Real("sqlite3_close_v2", false));
  real_fdatasync = reinterpret_cast<Sync>(Real("fdatasync", true));
  real_fsync = reinterpret_cast<Sync>(Real("fsync", true));
}

__attribute__((destructor)) void Exiting() {
  Note("exit", Now());
  const char* fd_text = std::getenv("DEALTRAIL_PHASES_FD");
  if (fd_text == nullptr) return;
  const int fd = std::atoi(fd_text);
  const std::size_t count = std::min(mark_count.load(), marks.size());
  std::array<char, 64> line{};
  for (std::size_t i = 0; i < count; ++i) {
    const int n = std::snprintf(line.data(), line.size(), "%s %lld\n", marks[i].name,
                                static_cast<long long>(marks[i].ns));
    if (n > 0 && write(fd, line.data(), static_cast<std::size_t>(n)) != n) return;
  }
}

}  // namespace

extern "C" {

// glibc calls main through here; the executable's static constructors have
// run by the time main is entered. (The name is glibc's: it is what is
// wrapped.)
int __libc_start_main(  // NOLINT(bugprone-reserved-identifier)
    Main main, int argc, char** argv, void (*init)(), void (*fini)(), void (*rtld_fini)(),
    void* stack_end) {
  real_main = main;
  return real_start(TimedMain, argc, argv, init, fini, rtld_fini, stack_end);
}

int sqlite3_open_v2(const char* path, sqlite3** db, int flags, const char* vfs) {
  Note("open", Now());
  const int rc = real_open(path, db, flags, vfs);
  Note("opened", Now());
  return rc;
}

int sqlite3_exec(sqlite3* db, const char* sql, int (*callback)(void*, int, char**, char**),
                 void* arg, char** error) {
  const bool schema = sql != nullptr && std::string_view(sql).starts_with(kSchemaRead);
  const bool commit = IsCommit(sql);
  if (schema) Note("schema", Now());
  if (commit) Note("commit", Now());
  const int rc = real_exec(db, sql, callback, arg, error);
  if (schema) Note("schema_read", Now());
  if (commit) Note("committed", Now());
  return rc;
}

int sqlite3_close(sqlite3* db) {
  Note("close", Now());
  const int rc = real_close(db);
  Note("closed", Now());
  return rc;
}

int sqlite3_close_v2(sqlite3* db) {
  Note("close", Now());
  const int rc = real_close_v2(db);
  Note("closed", Now());
  return rc;
}

int fdatasync(int fd) {
  Note("sync", Now());
  const int rc = real_fdatasync(fd);
  Note("synced", Now());
  return rc;
}

int fsync(int fd) {
  Note("sync", Now());
  const int rc = real_fsync(fd);
  Note("synced", Now());
  return rc;
}

}  // extern "C"
