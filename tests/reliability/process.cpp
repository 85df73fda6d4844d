// fork/exec rather than posix_spawn: the child sets its own file size limit
// and signal disposition before exec, using only async-signal-safe calls,
// so this is safe in a test process that runs threads.
#include "reliability/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace dealtrail::test {
namespace {

std::string TempOutputPath(const char* what) {
  static std::atomic<std::uint64_t> counter{0};
  return (std::filesystem::temp_directory_path() / ("dealtrail-proc-" + std::to_string(::getpid()) +
                                                    "-" + std::to_string(counter++) + "." + what))
      .string();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (timed_out) return "timed out";
  if (exited) return "exit " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(signal) + (killed_by_us ? " (ours)" : "") + " (" +
         strsignal(signal) + ")";
}

Child::Child(const std::vector<std::string>& args, const ProcessOptions& options)
    : out_path_(TempOutputPath("out")), err_path_(TempOutputPath("err")), options_(options) {
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string in_path = options.stdin_path.empty() ? "/dev/null" : options.stdin_path;
  const int in_fd = ::open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  const int out_fd = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
    throw std::runtime_error("cannot open the child's standard streams: " +
                             std::string(std::strerror(errno)));
  }
  struct rlimit limit {};
  if (options.file_size_limit) {
    limit.rlim_cur = static_cast<rlim_t>(*options.file_size_limit);
    limit.rlim_max = static_cast<rlim_t>(*options.file_size_limit);
  }
  start_ = std::chrono::steady_clock::now();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    if (options.file_size_limit) {
      ::signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  ::close(in_fd);
  ::close(out_fd);
  ::close(err_fd);
  if (pid_ < 0) throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_path_(std::move(other.out_path_)),
      err_path_(std::move(other.err_path_)),
      options_(std::move(other.options_)),
      start_(other.start_) {}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  if (!out_path_.empty()) std::filesystem::remove(out_path_, ec);
  if (!err_path_.empty()) std::filesystem::remove(err_path_, ec);
}

ProcessResult Child::Wait() {
  using Clock = std::chrono::steady_clock;
  ProcessResult r;
  if (pid_ <= 0) return r;
  const Clock::time_point deadline = start_ + options_.timeout;
  std::optional<Clock::time_point> kill_at;
  if (options_.kill_after) kill_at = start_ + *options_.kill_after;
  int status = 0;
  bool sent_kill = false;
  auto pause = std::chrono::microseconds(50);
  while (true) {
    const pid_t got = ::waitpid(pid_, &status, WNOHANG);
    if (got == pid_) break;
    if (got < 0 && errno != EINTR) break;
    const Clock::time_point now = Clock::now();
    if ((kill_at && now >= *kill_at) || now >= deadline) {
      r.timed_out = !(kill_at && now >= *kill_at);
      ::kill(pid_, SIGKILL);
      sent_kill = true;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    Clock::time_point next = now + pause;
    if (kill_at) next = std::min(next, *kill_at);
    std::this_thread::sleep_until(next);
    pause = std::min(pause * 2, std::chrono::microseconds(2000));
  }
  r.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
  pid_ = -1;
  if (WIFEXITED(status)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(status);
    r.timed_out = false;  // it finished just before the deadline
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
    r.killed_by_us = sent_kill && r.signal == SIGKILL && !r.timed_out;
  }
  r.out = Slurp(out_path_);
  r.err = Slurp(err_path_);
  return r;
}

ProcessResult RunProcess(const std::vector<std::string>& args, const ProcessOptions& options) {
  Child child(args, options);
  return child.Wait();
}

}  // namespace dealtrail::test
