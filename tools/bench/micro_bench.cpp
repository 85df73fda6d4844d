// dealtrail_micro_bench: Google Benchmark micro-benchmarks of the engine's
// inner loops — the amount, date and timestamp parsers, the replay fold, the
// hash chain, the canonical JSON line, the JSONL reader and an import into an
// in-memory ledger — over the same synthetic history the end-to-end
// benchmarks use (history.h).
//
//   dealtrail_micro_bench [--benchmark_filter=REGEX] [--benchmark_format=json]
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dealtrail/event.h"
#include "dealtrail/ledger.h"
#include "dealtrail/money.h"
#include "dealtrail/reader.h"
#include "dealtrail/replay.h"
#include "dealtrail/time.h"
#include "history.h"

namespace dealtrail::bench {
namespace {

// The synthetic history as JSONL text, generated once per size.
const std::string& HistoryText(std::int64_t events) {
  static std::map<std::int64_t, std::string> cache;
  auto it = cache.find(events);
  if (it == cache.end()) {
    std::ostringstream out;
    JsonlWriter writer(out);
    GenerateHistory(HistoryOptions{events, 42, false}, writer);
    it = cache.emplace(events, out.str()).first;
  }
  return it->second;
}

// The history parsed into events, numbered as the ledger would number them.
const std::vector<Event>& HistoryEvents(std::int64_t events) {
  static std::map<std::int64_t, std::vector<Event>> cache;
  auto it = cache.find(events);
  if (it != cache.end()) return it->second;
  std::istringstream in(HistoryText(events));
  auto reader = MakeJsonlReader(in, "history");
  std::vector<Event> parsed;
  Event e;
  while (true) {
    auto more = reader->Next(&e);
    if (!more.ok()) {
      std::cerr << "history: " << more.status().ToString() << "\n";
      std::abort();
    }
    if (!*more) break;
    e.seq = static_cast<std::int64_t>(parsed.size()) + 1;
    parsed.push_back(std::move(e));
    e = Event{};
  }
  return cache.emplace(events, std::move(parsed)).first->second;
}

template <typename T>
void Check(const Result<T>& r) {
  if (!r.ok()) {
    std::cerr << r.status().ToString() << "\n";
    std::abort();
  }
}

void BM_ParseAmount(benchmark::State& state) {
  static const char* const kInputs[] = {"$30B", "2616000000 USD", "up to 100000000000.00 USD",
                                        "USD 1,250,000,000", "about €2.75bn"};
  const char* input = kInputs[state.range(0)];
  state.SetLabel(input);
  for (auto _ : state) {
    auto amount = ParseAmount(input);
    benchmark::DoNotOptimize(amount);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAmount)->DenseRange(0, 4);

void BM_PartialDateParse(benchmark::State& state) {
  static const char* const kInputs[] = {"2025-09-22", "2025-09", "2025-Q3", "2025"};
  const char* input = kInputs[state.range(0)];
  state.SetLabel(input);
  for (auto _ : state) {
    auto d = PartialDate::Parse(input);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PartialDateParse)->DenseRange(0, 3);

void BM_ParseTimestamp(benchmark::State& state) {
  static const char* const kInputs[] = {"2026-02-27T18:30:00Z", "2026-02-27T18:30:00.123456Z",
                                        "2026-02-27"};
  const char* input = kInputs[state.range(0)];
  state.SetLabel(input);
  for (auto _ : state) {
    auto t = ParseTimestamp(input);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimestamp)->DenseRange(0, 2);

// Every event of the history through Fold::Apply, as replay --as-of the last
// day would (retracted events included: the fold's cost, not its filter's).
void BM_FoldApply(benchmark::State& state) {
  const std::vector<Event>& events = HistoryEvents(state.range(0));
  const date::sys_days as_of{date::year{2025} / 12 / 31};
  for (auto _ : state) {
    Fold fold(as_of);
    for (const Event& e : events) {
      if (!fold.Apply(e).ok()) std::abort();
    }
    benchmark::DoNotOptimize(fold);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FoldApply)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Fold::Finish: positions, pairs, parties and rounds from the folded state.
void BM_FoldFinish(benchmark::State& state) {
  const std::vector<Event>& events = HistoryEvents(state.range(0));
  Fold fold(date::sys_days{date::year{2025} / 12 / 31});
  for (const Event& e : events) {
    if (!fold.Apply(e).ok()) std::abort();
  }
  for (auto _ : state) {
    auto positions = fold.Finish();
    Check(positions);
    benchmark::DoNotOptimize(positions);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FoldFinish)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_ChainHash(benchmark::State& state) {
  const std::vector<Event>& events = HistoryEvents(10'000);
  std::string prev(kGenesisHash);
  std::size_t i = 0;
  for (auto _ : state) {
    prev = ChainHash(prev, events[i]);
    i = (i + 1) % events.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChainHash);

void BM_CanonicalJson(benchmark::State& state) {
  const std::vector<Event>& events = HistoryEvents(10'000);
  std::size_t i = 0;
  for (auto _ : state) {
    std::string line = CanonicalJson(events[i], true);
    benchmark::DoNotOptimize(line);
    i = (i + 1) % events.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalJson);

// JSONL text to events: line splitting, JSON, field interpretation, the
// amount and date parsers, shape checks.
void BM_JsonlReader(benchmark::State& state) {
  const std::string& text = HistoryText(state.range(0));
  for (auto _ : state) {
    std::istringstream in(text);
    auto reader = MakeJsonlReader(in, "history");
    Event e;
    std::int64_t n = 0;
    while (true) {
      auto more = reader->Next(&e);
      Check(more);
      if (!*more) break;
      ++n;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_JsonlReader)->Arg(10'000)->Unit(benchmark::kMillisecond);

// Ledger::Import of the whole history into a new in-memory ledger: read,
// validate against the ledger, hash, insert, commit.
void BM_LedgerImport(benchmark::State& state) {
  const std::string& text = HistoryText(state.range(0));
  const Clock clock = FixedClock(date::sys_days{date::year{2026} / 6 / 1});
  for (auto _ : state) {
    auto ledger = Ledger::Create(":memory:", clock);
    Check(ledger);
    std::istringstream in(text);
    auto reader = MakeJsonlReader(in, "history");
    auto summary = ledger->Import(*reader);
    Check(summary);
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LedgerImport)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dealtrail::bench

BENCHMARK_MAIN();
