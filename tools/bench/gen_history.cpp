// dealtrail-gen: writes a seeded synthetic history of commitments among 200
// parties over ten years (2016-2025) as dealtrail JSONL — pledges, equity
// investments, revisions, funding tranches, supersessions, cancellations,
// completions, rounds and valuations — every event valid for import.
//
//   dealtrail-gen --events N [--seed S] > history.jsonl
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace {

constexpr int kParties = 200;
constexpr int kYears = 10;

struct Commitment {
  std::string id;
  int from = 0;
  int to = 0;
  std::int64_t committed = 0;  // whole dollars
  std::int64_t funded = 0;
  bool exact = true;
};

std::string Party(int i) {
  std::string s = std::to_string(i);
  return "p" + std::string(3 - s.size(), '0') + s;
}

std::string Day(date::sys_days d) { return date::format("%F", d); }

class Generator {
 public:
  Generator(std::int64_t events, std::uint64_t seed) : total_(events), rng_(seed) {}

  void Run(std::ostream& out) {
    const date::sys_days start = date::sys_days(date::year{2016} / 1 / 1);
    const auto span = date::sys_days(date::year{2016 + kYears} / 1 / 1) - start;
    for (int p = 0; p < kParties && written_ < total_; ++p) {
      Line(out, start,
           "\"kind\":\"party-add\",\"party\":\"" + Party(p) + "\",\"name\":\"Party " +
               std::to_string(p) + "\"");
    }
    const std::int64_t body = total_ - written_;
    for (std::int64_t i = 0; i < body; ++i) {
      const date::sys_days day =
          start + date::days{span.count() * i / std::max<std::int64_t>(body, 1)};
      Step(out, day);
    }
  }

 private:
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::int64_t Money(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  static std::string Usd(std::int64_t dollars) { return std::to_string(dollars) + " USD"; }

  void Line(std::ostream& out, date::sys_days day, const std::string& fields) {
    ++written_;
    out << "{\"id\":\"g" << written_ << "\",\"date\":\"" << Day(day) << "\",\"recorded_at\":\""
        << Day(day) << "T18:00:00Z\"," << fields << "}\n";
  }

  Commitment* PickOpen() {
    if (open_.empty()) return nullptr;
    return &open_[static_cast<std::size_t>(Int(0, static_cast<int>(open_.size()) - 1))];
  }
  void Close(Commitment* c) {
    *c = std::move(open_.back());
    open_.pop_back();
  }

  void Open(std::ostream& out, date::sys_days day) {
    static const char* kKinds[] = {"equity", "equity", "pledge",  "pledge",
                                   "debt",   "grant",  "purchase"};
    static const char* kCertainty[] = {"rumored", "reported", "announced", "signed", "closed"};
    Commitment c;
    c.id = "c" + std::to_string(next_commitment_++);
    c.from = Int(0, kParties - 1);
    c.to = (c.from + Int(1, kParties - 1)) % kParties;
    c.committed = Money(1, 10'000) * 1'000'000;
    const int bound = Int(1, 10);
    c.exact = bound <= 7;
    const std::string amount = (bound <= 7   ? ""
                                : bound <= 9 ? "up to "
                                             : "about ") +
                               Usd(c.committed);
    std::string fields = "\"kind\":\"open\",\"commitment\":\"" + c.id +
                         "\",\"commitment_kind\":\"" + kKinds[Int(0, 6)] + "\",\"from\":\"" +
                         Party(c.from) + "\",\"to\":\"" + Party(c.to) + "\",\"amount\":\"" +
                         amount + "\",\"certainty\":\"" + kCertainty[Int(0, 4)] + "\"";
    if (!rounds_.empty() && Int(1, 10) <= 3) {
      fields += ",\"round\":\"" +
                rounds_[static_cast<std::size_t>(Int(0, static_cast<int>(rounds_.size()) - 1))] +
                "\"";
    }
    Line(out, day, fields);
    open_.push_back(std::move(c));
  }

  void Step(std::ostream& out, date::sys_days day) {
    const int roll = Int(1, 100);
    Commitment* c = PickOpen();
    if (roll <= 25 || c == nullptr || open_.size() < 20) {
      Open(out, day);
    } else if (roll <= 40) {
      // Revise: never below what is funded.
      c->committed = std::max(c->funded, c->committed + Money(-c->committed / 4, c->committed / 4));
      c->exact = true;
      Line(out, day,
           "\"kind\":\"revise\",\"commitment\":\"" + c->id + "\",\"amount\":\"" +
               Usd(c->committed) + "\",\"certainty\":\"announced\"");
    } else if (roll <= 75) {
      const std::int64_t left = c->committed - c->funded;
      if (left <= 0 || !c->exact) {
        Line(out, day, "\"kind\":\"complete\",\"commitment\":\"" + c->id + "\"");
        Close(c);
        return;
      }
      const std::int64_t tranche =
          std::max<std::int64_t>(1, Money(1, left) / 1'000'000 * 1'000'000);
      c->funded += tranche;
      Line(
          out, day,
          "\"kind\":\"fund\",\"commitment\":\"" + c->id + "\",\"amount\":\"" + Usd(tranche) + "\"");
      last_fund_ = written_;
    } else if (roll <= 80) {
      Commitment* by = PickOpen();
      if (by == c) {
        Open(out, day);
        return;
      }
      Line(out, day,
           "\"kind\":\"supersede\",\"commitment\":\"" + c->id + "\",\"by\":\"" + by->id +
               "\",\"certainty\":\"reported\"");
      Close(c);
    } else if (roll <= 86) {
      static const char* kEnds[] = {"cancel", "complete", "complete", "expire"};
      Line(out, day,
           std::string("\"kind\":\"") + kEnds[Int(0, 3)] + "\",\"commitment\":\"" + c->id + "\"");
      Close(c);
    } else if (roll <= 92) {
      const std::string round = "r" + std::to_string(next_round_++);
      Line(out, day,
           "\"kind\":\"round-open\",\"round\":\"" + round + "\",\"party\":\"" +
               Party(Int(0, kParties - 1)) + "\",\"target\":\"" +
               Usd(Money(10, 5'000) * 1'000'000) + "\",\"post_money\":\"about " +
               Usd(Money(100, 50'000) * 1'000'000) + "\",\"certainty\":\"reported\"");
      rounds_.push_back(round);
      if (rounds_.size() > 50) rounds_.erase(rounds_.begin());
    } else if (roll <= 98 && !rounds_.empty()) {
      const std::string& round =
          rounds_[static_cast<std::size_t>(Int(0, static_cast<int>(rounds_.size()) - 1))];
      Line(out, day,
           "\"kind\":\"valuation\",\"party\":\"" + Party(Int(0, kParties - 1)) + "\",\"round\":\"" +
               round + "\",\"basis\":\"post\",\"amount\":\"about " +
               Usd(Money(100, 50'000) * 1'000'000) + "\",\"source\":\"wire\"");
    } else if (last_fund_ > retracted_up_to_) {
      Line(out, day,
           "\"kind\":\"retract\",\"retracts\":\"g" + std::to_string(last_fund_) +
               "\",\"note\":\"recorded in error\"");
      retracted_up_to_ = last_fund_;
      // The retracted tranche is no longer funded; the generator's view of
      // the commitment may now understate what is left, which stays valid.
    } else {
      Open(out, day);
    }
  }

  std::int64_t total_;
  std::int64_t written_ = 0;
  std::mt19937_64 rng_;
  std::vector<Commitment> open_;
  std::vector<std::string> rounds_;
  std::int64_t next_commitment_ = 0;
  std::int64_t next_round_ = 0;
  std::int64_t last_fund_ = 0;
  std::int64_t retracted_up_to_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::int64_t events = 10'000;
  std::uint64_t seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--events") {
      events = std::atoll(argv[i + 1]);
    } else if (flag == "--seed") {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else {
      std::cerr << "usage: dealtrail-gen --events N [--seed S]\n";
      return 2;
    }
  }
  std::ios::sync_with_stdio(false);
  Generator(events, seed).Run(std::cout);
  return 0;
}
