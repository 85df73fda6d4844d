// Helpers shared by the tests: temporary directories, building events from
// field lists, reading files as bytes.
#ifndef DEALTRAIL_TESTS_TEST_SUPPORT_H_
#define DEALTRAIL_TESTS_TEST_SUPPORT_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/ledger.h"
#include "dealtrail/reader.h"

namespace dealtrail::test {

// True in a build under AddressSanitizer and UndefinedBehaviorSanitizer
// (DEALTRAIL_SANITIZE), where every process runs several times slower: the
// suites that repeat whole histories or processes run fewer of them there.
// The plain build runs them at full size; both run in CI.
constexpr bool Sanitized() {
#ifdef DEALTRAIL_TESTS_SANITIZED
  return true;
#else
  return false;
#endif
}

// A fresh directory removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("dealtrail-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// An event from field/value pairs, as an import line would give them.
// Fails the calling test (via the returned Result) on a malformed event.
inline Result<Event> MakeEvent(std::initializer_list<std::pair<std::string, std::string>> fields) {
  RawEvent raw;
  raw.fields.assign(fields.begin(), fields.end());
  return EventFromRaw(raw);
}

// Every event in JSONL text, or the reader's first error.
inline Result<std::vector<Event>> ReadJsonl(const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeJsonlReader(in, "events.jsonl");
  std::vector<Event> events;
  Event e;
  while (true) {
    auto more = reader->Next(&e);
    if (!more.ok()) return more.status();
    if (!*more) return events;
    events.push_back(e);
  }
}

// The fixed clock most tests use, and one that advances a second per call.
inline Timestamp At(const char* text) { return *ParseTimestamp(text); }

class SteppingClock {
 public:
  explicit SteppingClock(Timestamp start) : now_(std::make_shared<Timestamp>(start)) {}
  Clock clock() const {
    auto now = now_;
    return [now] { return *now; };
  }
  void Advance(std::chrono::microseconds d) { *now_ += d; }
  Timestamp now() const { return *now_; }

 private:
  std::shared_ptr<Timestamp> now_;
};

inline std::string FixturePath() {
  return std::string(DEALTRAIL_FIXTURES_DIR) + "/nvidia-openai.jsonl";
}

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_TEST_SUPPORT_H_
