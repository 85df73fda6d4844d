// dealtrail-phases: where whole-process durable writes spend their time,
// side by side. Runs each named command in turn, a fresh process each run
// with dealtrail-phase-clock.so preloaded (phase_clock.cpp), and prints the
// median of each phase per command, in milliseconds:
//
//   start   spawn to the preloaded library's constructor: exec and the
//           dynamic loader
//   init    constructor to main: static constructors
//   args    main to the ledger's open: the command line, and whatever else
//           the program does before it touches the ledger
//   open    sqlite3_open_v2
//   schema  SQLite reading the schema (every table, index, trigger and view
//           parsed), on the first statement after the open
//   work    the rest up to COMMIT: pragmas, reads, checks, the insert
//   commit  COMMIT: writing the WAL and syncing it
//   close   the closes: the checkpoint copying the WAL into the file
//   exit    the last close to the process reaped: output, destructors,
//           teardown
//   total   spawn to reaped
//   syncs   of which in fdatasync/fsync (inside commit and close)
//
//   dealtrail-phases --shim PATH [--runs N] [--prepare CMD] NAME COMMAND [NAME COMMAND ...]
//
// COMMAND is split into words as the shell would (wordexp, no command
// substitution) and run without a shell; its output is discarded and a
// failure stops the run. --prepare runs through /bin/sh before every run of
// every command, untimed (restore a ledger copy, say). Commands take turns
// run by run, so that a slow minute of the machine falls on all of them.
// A phase whose milestones a process did not reach (no COMMIT, say) prints
// "-". Nothing here asserts a time.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

std::int64_t Now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

// The milestones one run reached, in the order noted.
struct Marks {
  std::multimap<std::string, std::int64_t> at;
  std::int64_t spawned = 0;
  std::int64_t reaped = 0;

  std::optional<std::int64_t> First(const std::string& name) const {
    const auto it = at.find(name);
    if (it == at.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::int64_t> Last(const std::string& name) const {
    const auto [begin, end] = at.equal_range(name);
    if (begin == end) return std::nullopt;
    return std::prev(end)->second;
  }
  // Nanoseconds in fdatasync/fsync between from and to.
  std::int64_t SyncsWithin(std::int64_t from, std::int64_t to) const {
    std::vector<std::int64_t> starts;
    std::vector<std::int64_t> ends;
    for (const auto& [name, ns] : at) {
      if (name == "sync") starts.push_back(ns);
      if (name == "synced") ends.push_back(ns);
    }
    std::sort(starts.begin(), starts.end());
    std::sort(ends.begin(), ends.end());
    std::int64_t total = 0;
    for (std::size_t i = 0; i < std::min(starts.size(), ends.size()); ++i) {
      if (starts[i] >= from && ends[i] <= to) total += ends[i] - starts[i];
    }
    return total;
  }
};

const std::vector<std::string> kPhases = {"start",  "init",  "args", "open",  "schema", "work",
                                          "commit", "close", "exit", "total", "syncs"};

// Each phase of one run in milliseconds; absent where a milestone is missing.
std::map<std::string, double> PhasesOf(const Marks& m) {
  std::map<std::string, double> out;
  const auto span = [&](const std::string& phase, std::optional<std::int64_t> from,
                        std::optional<std::int64_t> to) {
    if (from && to) out[phase] = static_cast<double>(*to - *from) / 1e6;
  };
  const auto loaded = m.First("loaded");
  const auto main = m.First("main");
  const auto open = m.First("open");
  const auto opened = m.First("opened");
  const auto schema = m.First("schema");
  const auto schema_read = m.First("schema_read");
  const auto commit = m.First("commit");
  const auto committed = m.Last("committed");
  const auto close = m.First("close");
  const auto closed = m.Last("closed");
  span("start", m.spawned, loaded);
  span("init", loaded, main);
  span("args", main, open);
  span("open", open, opened);
  span("schema", schema, schema_read);
  if (opened && commit) {
    double work = static_cast<double>(*commit - *opened) / 1e6;
    if (schema && schema_read) work -= static_cast<double>(*schema_read - *schema) / 1e6;
    out["work"] = work;
  }
  span("commit", commit, committed);
  span("close", close, closed);
  span("exit", closed, m.reaped);
  span("total", m.spawned, m.reaped);
  out["syncs"] = static_cast<double>(m.SyncsWithin(m.spawned, m.reaped)) / 1e6;
  return out;
}

std::vector<std::string> Words(const std::string& command) {
  wordexp_t w{};
  if (wordexp(command.c_str(), &w, WRDE_NOCMD | WRDE_UNDEF) != 0) {
    throw std::runtime_error("cannot split into words: " + command);
  }
  std::vector<std::string> words(w.we_wordv, w.we_wordv + w.we_wordc);
  wordfree(&w);
  if (words.empty()) throw std::runtime_error("empty command");
  return words;
}

Marks RunOnce(const std::vector<std::string>& words, const std::string& shim) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int write_fd = fcntl(pipe_fds[1], F_DUPFD, 10);  // without O_CLOEXEC: the child keeps it
  close(pipe_fds[1]);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (!entry.starts_with("LD_PRELOAD=") && !entry.starts_with("DEALTRAIL_PHASES_FD=")) {
      env_strings.emplace_back(entry);
    }
  }
  env_strings.push_back("LD_PRELOAD=" + shim);
  env_strings.push_back("DEALTRAIL_PHASES_FD=" + std::to_string(write_fd));
  std::vector<char*> env;
  env.reserve(env_strings.size() + 1);
  for (auto& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> args = words;
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  Marks marks;
  pid_t pid = 0;
  marks.spawned = Now();
  const int spawn_error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(write_fd);
  if (spawn_error != 0) throw std::runtime_error("cannot start " + words[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  marks.reaped = Now();

  std::string text;
  char buffer[4096];
  for (ssize_t n = 0; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(pipe_fds[0]);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(words[0] + " failed (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
  std::istringstream lines(text);
  std::string name;
  std::int64_t ns = 0;
  while (lines >> name >> ns) marks.at.emplace(name, ns);
  if (marks.at.empty()) {
    throw std::runtime_error(words[0] + ": the phase clock noted nothing (is " + shim +
                             " preloadable?)");
  }
  return marks;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Usage() {
  std::cerr << "usage: dealtrail-phases --shim PATH [--runs N] [--prepare CMD] "
               "NAME COMMAND [NAME COMMAND ...]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shim;
  std::string prepare;
  int runs = 20;
  std::vector<std::pair<std::string, std::vector<std::string>>> commands;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--shim" && i + 1 < args.size()) {
        shim = args[++i];
      } else if (args[i] == "--runs" && i + 1 < args.size()) {
        runs = std::stoi(args[++i]);
      } else if (args[i] == "--prepare" && i + 1 < args.size()) {
        prepare = args[++i];
      } else if (i + 1 < args.size() && !args[i].starts_with("--")) {
        commands.emplace_back(args[i], Words(args[i + 1]));
        ++i;
      } else {
        return Usage();
      }
    }
    if (shim.empty() || commands.empty() || runs < 1) return Usage();
    if (shim.find('/') == std::string::npos) shim = "./" + shim;  // ld.so searches bare names

    std::map<std::string, std::map<std::string, std::vector<double>>> by_command;
    for (int run = 0; run < runs; ++run) {
      for (const auto& [name, words] : commands) {
        if (!prepare.empty() && std::system(prepare.c_str()) != 0) {
          throw std::runtime_error("--prepare failed: " + prepare);
        }
        for (const auto& [phase, ms] : PhasesOf(RunOnce(words, shim))) {
          by_command[name][phase].push_back(ms);
        }
      }
    }

    std::cout << "| phase: ms, median of " << runs << (runs == 1 ? " run |" : " runs |");
    for (const auto& [name, words] : commands) std::cout << ' ' << name << " |";
    std::cout << "\n|---|";
    for (std::size_t i = 0; i < commands.size(); ++i) std::cout << "---|";
    std::cout << '\n';
    for (const auto& phase : kPhases) {
      std::cout << "| " << phase << " |";
      for (const auto& [name, words] : commands) {
        const auto& values = by_command[name][phase];
        if (values.size() == static_cast<std::size_t>(runs)) {
          char cell[32];
          std::snprintf(cell, sizeof cell, " %.2f |", Median(values));
          std::cout << cell;
        } else {
          std::cout << " - |";
        }
      }
      std::cout << '\n';
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "dealtrail-phases: " << e.what() << '\n';
    return 1;
  }
}
