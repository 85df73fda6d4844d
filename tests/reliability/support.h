// Shared by the reliability suites: the short (CI) and long (soak) sizes,
// the seed, running the dealtrail binary on a ledger, reading a ledger's
// state with plain SQLite, and generating valid event files.
#ifndef DEALTRAIL_TESTS_RELIABILITY_SUPPORT_H_
#define DEALTRAIL_TESTS_RELIABILITY_SUPPORT_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "reliability/process.h"

namespace dealtrail::test {

// DEALTRAIL_SOAK=1 selects the long mode (tools/soak).
bool Soak();
// A size: the environment variable `env` if set, else `soak` in the long
// mode, `sanitized` in a sanitizer build (test::Sanitized()) and
// `short_size` otherwise.
std::int64_t Size(const char* env, std::int64_t short_size, std::int64_t soak,
                  std::int64_t sanitized);
// The seed for a suite: DEALTRAIL_RELIABILITY_SEED if set, else `fallback`
// (fixed, so a CI failure reproduces). Logged with the test.
std::uint64_t Seed(std::uint64_t fallback);
// Prints one line of figures ("kill points: 50 …") to the test's log.
void Report(const std::string& line);

// The dealtrail binary under test.
const std::string& Binary();
// Runs `dealtrail --ledger LEDGER args…`.
ProcessResult Dealtrail(const std::string& ledger, const std::vector<std::string>& args,
                        const ProcessOptions& options = {});

// True if `text` is exactly one line ending in "\n".
bool IsOneLine(const std::string& text);
// True if the process ended by itself (no signal), with a code in `codes`.
bool ExitedWith(const ProcessResult& r, std::initializer_list<int> codes);

// The ledger's state, read with plain SQLite (read-only).
std::string IntegrityCheck(const std::string& path);  // "ok" or the problems
std::int64_t EventCount(const std::string& path);
std::int64_t EventsWithIdPrefix(const std::string& path, const std::string& prefix);
// True if seq runs 1..count without gaps.
bool SeqWithoutGaps(const std::string& path);

// Copies a ledger at rest (no -wal/-shm) over `to`, removing any -wal/-shm there.
void CopyLedger(const std::string& from, const std::string& to);
void RemoveLedger(const std::string& path);

// Valid JSONL. Parties p0…p{n-1}.
std::string PartiesJsonl(int n, const std::string& date = "2024-01-01");
// `n` events with ids PREFIX-1 … PREFIX-n: commitments opened between the
// parties p0…p{parties-1} and funded in part, dated on and after 2025-01-01.
// Every open's commitment id starts with PREFIX too.
std::string BatchJsonl(const std::string& prefix, int n, int parties);

}  // namespace dealtrail::test

#endif  // DEALTRAIL_TESTS_RELIABILITY_SUPPORT_H_
