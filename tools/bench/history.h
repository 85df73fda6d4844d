// The synthetic history behind every benchmark: a seeded stream of events
// among 200 parties over ten years (2016-2025), and the writers that turn it
// into dealtrail JSONL and into the equivalent ledger-cli/hledger journal and
// Beancount file.
#ifndef DEALTRAIL_TOOLS_BENCH_HISTORY_H_
#define DEALTRAIL_TOOLS_BENCH_HISTORY_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <date/date.h>

namespace dealtrail::bench {

inline constexpr int kParties = 200;
inline constexpr int kFirstYear = 2016;
inline constexpr int kYears = 10;

// The middle of the history: replay --as-of this day (inclusive) is what the
// benchmarks time and the peers are checked against.
inline constexpr date::year_month_day kMiddleDay{date::year{2020} / 12 / 31};

struct HistoryOptions {
  std::int64_t events = 10'000;  // lines written, party-add events included
  std::uint64_t seed = 42;
  // Every amount exact (no "up to" or "about" figures), for comparison with
  // tools that cannot express bounds.
  bool exact = false;
};

enum class GenKind {
  kPartyAdd,
  kOpen,
  kRevise,
  kFund,
  kSupersede,
  kCancel,
  kExpire,
  kComplete,
  kRoundOpen,
  kValuation,
  kRetract,
};

enum class GenBound { kExact, kUpTo, kAbout };

// One generated event. Ids are numbers: event gN, commitment cN, round rN,
// party pNNN. Amounts are whole US dollars.
struct GenEvent {
  std::int64_t number = 0;  // the event id's N (1-based, in file order)
  date::sys_days day{};
  GenKind kind = GenKind::kOpen;
  int party = 0;                 // party-add; round-open: the raiser; valuation: the subject
  std::int64_t commitment = -1;  // open … complete
  std::int64_t by = -1;          // supersede: the replacement
  std::int64_t round = -1;       // open (optional), round-open, valuation
  int from = 0;                  // open
  int to = 0;                    // open
  const char* commitment_kind = "";
  const char* certainty = "";  // empty: not stated
  std::int64_t amount = 0;     // open/revise: committed; fund: tranche; round target; valuation
  GenBound bound = GenBound::kExact;
  std::int64_t post_money = 0;  // round-open
  GenBound post_money_bound = GenBound::kExact;
  std::int64_t retracts = 0;  // retract: the event number retracted
};

class HistorySink {
 public:
  virtual ~HistorySink() = default;
  virtual void Add(const GenEvent& e) = 0;
};

// Emits the history, in file order (effective dates never decrease).
void GenerateHistory(const HistoryOptions& options, HistorySink& sink);

// The numbers of the events that a later event of the same history retracts.
std::unordered_set<std::int64_t> RetractedEvents(const HistoryOptions& options);

std::string PartyId(int party);  // "p007"

// One dealtrail JSONL line (without the newline).
std::string JsonLine(const GenEvent& e);

class JsonlWriter : public HistorySink {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void Add(const GenEvent& e) override;

 private:
  std::ostream& out_;
};

// Writes the final known history (retracted events and the retractions left
// out) as double-entry transactions whose balances are dealtrail's
// per-party figures: Assets:Outstanding:PNNN holds outstanding_out and
// Assets:Funded:PNNN funded_out; Equity:Commitments balances them. Only the
// events that move those balances become transactions.
class PeerJournalWriter : public HistorySink {
 public:
  enum class Syntax { kLedger, kBeancount };
  PeerJournalWriter(std::ostream& out, Syntax syntax, std::unordered_set<std::int64_t> retracted);
  void Add(const GenEvent& e) override;
  std::int64_t transactions() const { return transactions_; }

 private:
  struct Open {
    int from = 0;
    std::int64_t committed = 0;
    std::int64_t funded = 0;
  };
  // One transaction moving `amount` from Equity:Commitments (or, for a
  // funding, from Outstanding) into `account`.
  void Write(const GenEvent& e, const std::string& what, const std::string& account,
             const std::string& counter, std::int64_t amount);

  std::ostream& out_;
  Syntax syntax_;
  std::unordered_set<std::int64_t> retracted_;
  std::unordered_map<std::int64_t, Open> open_;
  std::int64_t transactions_ = 0;
};

}  // namespace dealtrail::bench

#endif  // DEALTRAIL_TOOLS_BENCH_HISTORY_H_
