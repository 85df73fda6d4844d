// Running the real dealtrail binary in a child process, as a user or a
// script would: arguments, standard streams captured to files, an optional
// SIGKILL after a delay (the crash tests) and an optional file size limit
// (the disk-full tests). Safe to call from several threads at once.
#ifndef DEALTRAIL_TESTS_RELIABILITY_PROCESS_H_
#define DEALTRAIL_TESTS_RELIABILITY_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dealtrail::test {

struct ProcessOptions {
  std::string stdin_path;  // empty: /dev/null
  // SIGKILL the child this long after it was started (if it is still running).
  std::optional<std::chrono::microseconds> kill_after;
  // RLIMIT_FSIZE for the child, with SIGXFSZ ignored so a write past it
  // fails with EFBIG instead of killing the process.
  std::optional<off_t> file_size_limit;
  // A child still running after this is killed and reported as timed out.
  std::chrono::seconds timeout{600};
};

struct ProcessResult {
  bool exited = false;  // ended by exit(); exit_code is valid
  int exit_code = -1;
  int signal = 0;             // the signal that ended it, if any
  bool killed_by_us = false;  // our SIGKILL (kill_after) ended it
  bool timed_out = false;     // ProcessOptions::timeout ran out
  std::string out;            // standard output
  std::string err;            // standard error
  std::chrono::microseconds elapsed{0};

  // "exit 2", "killed by signal 9 (ours)", "timed out" — for messages.
  std::string Describe() const;
};

// Runs `args` (args[0] is the program's path) to its end.
ProcessResult RunProcess(const std::vector<std::string>& args, const ProcessOptions& options = {});

// A child started now and waited for later: for several processes that must
// run at the same time (racing writers).
class Child {
 public:
  Child(const std::vector<std::string>& args, const ProcessOptions& options = {});
  Child(Child&&) noexcept;
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  ~Child();
  ProcessResult Wait();

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  ProcessOptions options_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_RELIABILITY_PROCESS_H_
