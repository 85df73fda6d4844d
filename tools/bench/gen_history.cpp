// dealtrail-gen: writes a seeded synthetic history of commitments among 200
// parties over ten years (2016-2025) — pledges, equity investments,
// revisions, funding tranches, supersessions, cancellations, completions,
// rounds, valuations and retractions — as dealtrail JSONL (every event valid
// for import), or as the equivalent ledger-cli/hledger journal or Beancount
// file for the peer benchmarks (see history.h).
//
//   dealtrail-gen --events N [--seed S] [--exact] [--format jsonl|ledger|beancount] > FILE
//   dealtrail-gen --events N [--seed S] --exact --all PREFIX
//       writes PREFIX.jsonl, PREFIX.journal and PREFIX.beancount
//
// The peer formats need --exact (every amount exact: the peers cannot say
// "up to" or "about") and hold the final known history: retracted events and
// the retractions are left out, as a replay as known now leaves them out.
#include <charconv>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "history.h"

namespace {

using dealtrail::bench::HistoryOptions;
using dealtrail::bench::JsonlWriter;
using dealtrail::bench::PeerJournalWriter;

constexpr std::string_view kUsage =
    "usage: dealtrail-gen --events N [--seed S] [--exact] [--format jsonl|ledger|beancount]\n"
    "       dealtrail-gen --events N [--seed S] --exact --all PREFIX\n";

int Usage(std::string_view problem) {
  std::cerr << "dealtrail-gen: " << problem << "\n" << kUsage;
  return 2;
}

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Fans one generated stream out to several writers.
class Tee : public dealtrail::bench::HistorySink {
 public:
  void Attach(dealtrail::bench::HistorySink* sink) { sinks_.push_back(sink); }
  void Add(const dealtrail::bench::GenEvent& e) override {
    for (auto* sink : sinks_) sink->Add(e);
  }

 private:
  std::vector<dealtrail::bench::HistorySink*> sinks_;
};

bool Flush(std::ostream& out, const std::string& name) {
  out.flush();
  if (out) return true;
  std::cerr << "dealtrail-gen: cannot write " << name << "\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  HistoryOptions options;
  std::string format = "jsonl";
  std::string all_prefix;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--exact") {
      options.exact = true;
      continue;
    }
    if (i + 1 >= argc) return Usage(std::string(flag) + ": a value is missing");
    const std::string_view value = argv[++i];
    if (flag == "--events") {
      if (!ParseNumber(value, &options.events) || options.events < 0) {
        return Usage("--events: expected a count");
      }
    } else if (flag == "--seed") {
      if (!ParseNumber(value, &options.seed)) return Usage("--seed: expected a number");
    } else if (flag == "--format") {
      format = value;
      if (format != "jsonl" && format != "ledger" && format != "beancount") {
        return Usage("--format: expected jsonl, ledger or beancount");
      }
    } else if (flag == "--all") {
      all_prefix = value;
    } else {
      return Usage("unknown flag " + std::string(flag));
    }
  }
  if ((format != "jsonl" || !all_prefix.empty()) && !options.exact) {
    return Usage("the peer formats need --exact: ledger-cli, hledger and Beancount have no bounds");
  }
  std::ios::sync_with_stdio(false);

  if (all_prefix.empty()) {
    if (format == "jsonl") {
      JsonlWriter writer(std::cout);
      dealtrail::bench::GenerateHistory(options, writer);
    } else {
      PeerJournalWriter writer(std::cout,
                               format == "ledger" ? PeerJournalWriter::Syntax::kLedger
                                                  : PeerJournalWriter::Syntax::kBeancount,
                               dealtrail::bench::RetractedEvents(options));
      dealtrail::bench::GenerateHistory(options, writer);
    }
    return Flush(std::cout, "standard output") ? 0 : 1;
  }

  const std::string names[] = {all_prefix + ".jsonl", all_prefix + ".journal",
                               all_prefix + ".beancount"};
  std::ofstream files[3];
  for (int i = 0; i < 3; ++i) {
    files[i].open(names[i], std::ios::binary | std::ios::trunc);
    if (!files[i]) {
      std::cerr << "dealtrail-gen: cannot create " << names[i] << "\n";
      return 1;
    }
  }
  const auto retracted = dealtrail::bench::RetractedEvents(options);
  JsonlWriter jsonl(files[0]);
  PeerJournalWriter journal(files[1], PeerJournalWriter::Syntax::kLedger, retracted);
  PeerJournalWriter beancount(files[2], PeerJournalWriter::Syntax::kBeancount, retracted);
  Tee tee;
  tee.Attach(&jsonl);
  tee.Attach(&journal);
  tee.Attach(&beancount);
  dealtrail::bench::GenerateHistory(options, tee);
  for (int i = 0; i < 3; ++i) {
    if (!Flush(files[i], names[i])) return 1;
  }
  std::cerr << "dealtrail-gen: " << options.events << " events, " << retracted.size()
            << " retracted; " << journal.transactions() << " peer transactions\n";
  return 0;
}
