// The seeded synthetic history and its three spellings (see history.h).
#include "history.h"

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace dealtrail::bench {
namespace {

constexpr const char* kCommitmentKinds[] = {"equity", "equity", "pledge",  "pledge",
                                            "debt",   "grant",  "purchase"};
constexpr const char* kCertainties[] = {"rumored", "reported", "announced", "signed", "closed"};
constexpr GenKind kEndings[] = {GenKind::kCancel, GenKind::kComplete, GenKind::kComplete,
                                GenKind::kExpire};

// The generator's own view of a commitment. `funded` counts tranches later
// retracted too, so it may overstate what replay sees; every choice made from
// it (revise no lower than funded, fund at most what is left) stays valid.
struct OpenCommitment {
  std::int64_t id = 0;
  std::int64_t committed = 0;  // whole dollars
  std::int64_t funded = 0;
  bool exact = true;
};

class Generator {
 public:
  Generator(const HistoryOptions& options, HistorySink& sink)
      : options_(options), sink_(sink), rng_(options.seed) {}

  void Run() {
    const date::sys_days start{date::year{kFirstYear} / 1 / 1};
    const auto span = date::sys_days{date::year{kFirstYear + kYears} / 1 / 1} - start;
    for (int p = 0; p < kParties && written_ < options_.events; ++p) {
      GenEvent e = Next(start, GenKind::kPartyAdd);
      e.party = p;
      sink_.Add(e);
    }
    const std::int64_t body = options_.events - written_;
    for (std::int64_t i = 0; i < body; ++i) {
      Step(start + date::days{span.count() * i / std::max<std::int64_t>(body, 1)});
    }
  }

 private:
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::int64_t Money(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  template <typename T, std::size_t N>
  std::size_t Pick(const T (&)[N]) {
    return static_cast<std::size_t>(Int(0, static_cast<int>(N) - 1));
  }
  std::size_t PickIndex(std::size_t size) {
    return static_cast<std::size_t>(Int(0, static_cast<int>(size) - 1));
  }
  GenBound Loose(GenBound b) const { return options_.exact ? GenBound::kExact : b; }

  GenEvent Next(date::sys_days day, GenKind kind) {
    GenEvent e;
    e.number = ++written_;
    e.day = day;
    e.kind = kind;
    return e;
  }

  OpenCommitment* PickOpen() { return open_.empty() ? nullptr : &open_[PickIndex(open_.size())]; }
  void Close(OpenCommitment* c) {
    *c = open_.back();
    open_.pop_back();
  }

  void Open(date::sys_days day) {
    GenEvent e = Next(day, GenKind::kOpen);
    OpenCommitment c;
    c.id = next_commitment_++;
    e.commitment = c.id;
    e.from = Int(0, kParties - 1);
    e.to = (e.from + Int(1, kParties - 1)) % kParties;
    c.committed = Money(1, 10'000) * 1'000'000;
    const int bound = Int(1, 10);
    e.bound = Loose(bound <= 7   ? GenBound::kExact
                    : bound <= 9 ? GenBound::kUpTo
                                 : GenBound::kAbout);
    c.exact = e.bound == GenBound::kExact;
    e.amount = c.committed;
    e.commitment_kind = kCommitmentKinds[Pick(kCommitmentKinds)];
    e.certainty = kCertainties[Pick(kCertainties)];
    if (!rounds_.empty() && Int(1, 10) <= 3) e.round = rounds_[PickIndex(rounds_.size())];
    sink_.Add(e);
    open_.push_back(c);
  }

  void Step(date::sys_days day) {
    const int roll = Int(1, 100);
    OpenCommitment* c = PickOpen();
    // NOLINTNEXTLINE(bugprone-branch-clone): the last branch opens one too, as a fallback
    if (roll <= 25 || c == nullptr || open_.size() < 20) {
      Open(day);
    } else if (roll <= 40) {
      // Revise: never below what is funded.
      c->committed = std::max(c->funded, c->committed + Money(-c->committed / 4, c->committed / 4));
      c->exact = true;
      GenEvent e = Next(day, GenKind::kRevise);
      e.commitment = c->id;
      e.amount = c->committed;
      e.certainty = "announced";
      sink_.Add(e);
    } else if (roll <= 75) {
      const std::int64_t left = c->committed - c->funded;
      if (left <= 0 || !c->exact) {
        GenEvent e = Next(day, GenKind::kComplete);
        e.commitment = c->id;
        sink_.Add(e);
        Close(c);
        return;
      }
      const std::int64_t tranche =
          std::max<std::int64_t>(1, Money(1, left) / 1'000'000 * 1'000'000);
      c->funded += tranche;
      GenEvent e = Next(day, GenKind::kFund);
      e.commitment = c->id;
      e.amount = tranche;
      sink_.Add(e);
      last_fund_ = e.number;
    } else if (roll <= 80) {
      OpenCommitment* by = PickOpen();
      if (by == c) {
        Open(day);
        return;
      }
      GenEvent e = Next(day, GenKind::kSupersede);
      e.commitment = c->id;
      e.by = by->id;
      e.certainty = "reported";
      sink_.Add(e);
      Close(c);
    } else if (roll <= 86) {
      GenEvent e = Next(day, kEndings[Pick(kEndings)]);
      e.commitment = c->id;
      sink_.Add(e);
      Close(c);
    } else if (roll <= 92) {
      GenEvent e = Next(day, GenKind::kRoundOpen);
      e.round = next_round_++;
      e.party = Int(0, kParties - 1);
      e.amount = Money(10, 5'000) * 1'000'000;
      e.post_money = Money(100, 50'000) * 1'000'000;
      e.post_money_bound = Loose(GenBound::kAbout);
      e.certainty = "reported";
      sink_.Add(e);
      rounds_.push_back(e.round);
      if (rounds_.size() > 50) rounds_.erase(rounds_.begin());
    } else if (roll <= 98 && !rounds_.empty()) {
      GenEvent e = Next(day, GenKind::kValuation);
      e.party = Int(0, kParties - 1);
      e.round = rounds_[PickIndex(rounds_.size())];
      e.amount = Money(100, 50'000) * 1'000'000;
      e.bound = Loose(GenBound::kAbout);
      sink_.Add(e);
    } else if (last_fund_ > retracted_up_to_) {
      GenEvent e = Next(day, GenKind::kRetract);
      e.retracts = last_fund_;
      sink_.Add(e);
      retracted_up_to_ = last_fund_;
    } else {  // nothing else applies: an opening, as above
      Open(day);
    }
  }

  const HistoryOptions& options_;
  HistorySink& sink_;
  std::mt19937_64 rng_;
  std::int64_t written_ = 0;
  std::vector<OpenCommitment> open_;
  std::vector<std::int64_t> rounds_;  // the 50 most recent
  std::int64_t next_commitment_ = 0;
  std::int64_t next_round_ = 0;
  std::int64_t last_fund_ = 0;
  std::int64_t retracted_up_to_ = 0;
};

class RetractionCollector : public HistorySink {
 public:
  void Add(const GenEvent& e) override {
    if (e.kind == GenKind::kRetract) retracted.insert(e.retracts);
  }
  std::unordered_set<std::int64_t> retracted;
};

std::string Day(date::sys_days d) { return date::format("%F", d); }

std::string Usd(std::int64_t dollars, GenBound bound) {
  const char* prefix = bound == GenBound::kUpTo    ? "up to "
                       : bound == GenBound::kAbout ? "about "
                                                   : "";
  return prefix + std::to_string(dollars) + " USD";
}

// "1234.00 USD": the figure as every peer reads it, exactly.
std::string PeerAmount(std::int64_t dollars) { return std::to_string(dollars) + ".00 USD"; }

std::string PeerParty(int party) {
  std::string id = PartyId(party);
  id[0] = 'P';  // Beancount account components start with a capital
  return id;
}

void Field(std::string& line, std::string_view key, std::string_view value) {
  line += ",\"";
  line += key;
  line += "\":\"";
  line += value;
  line += '"';
}

}  // namespace

void GenerateHistory(const HistoryOptions& options, HistorySink& sink) {
  Generator(options, sink).Run();
}

std::unordered_set<std::int64_t> RetractedEvents(const HistoryOptions& options) {
  RetractionCollector collector;
  GenerateHistory(options, collector);
  return std::move(collector.retracted);
}

std::string PartyId(int party) {
  std::string digits = std::to_string(party);
  return "p" + std::string(3 - std::min<std::size_t>(3, digits.size()), '0') + digits;
}

std::string JsonLine(const GenEvent& e) {
  const std::string day = Day(e.day);
  std::string line = "{\"id\":\"g" + std::to_string(e.number) + "\"";
  Field(line, "date", day);
  Field(line, "recorded_at", day + "T18:00:00Z");
  const std::string commitment = "c" + std::to_string(e.commitment);
  switch (e.kind) {
    case GenKind::kPartyAdd:
      Field(line, "kind", "party-add");
      Field(line, "party", PartyId(e.party));
      Field(line, "name", "Party " + std::to_string(e.party));
      break;
    case GenKind::kOpen:
      Field(line, "kind", "open");
      Field(line, "commitment", commitment);
      Field(line, "commitment_kind", e.commitment_kind);
      Field(line, "from", PartyId(e.from));
      Field(line, "to", PartyId(e.to));
      Field(line, "amount", Usd(e.amount, e.bound));
      Field(line, "certainty", e.certainty);
      if (e.round >= 0) Field(line, "round", "r" + std::to_string(e.round));
      break;
    case GenKind::kRevise:
      Field(line, "kind", "revise");
      Field(line, "commitment", commitment);
      Field(line, "amount", Usd(e.amount, e.bound));
      Field(line, "certainty", e.certainty);
      break;
    case GenKind::kFund:
      Field(line, "kind", "fund");
      Field(line, "commitment", commitment);
      Field(line, "amount", Usd(e.amount, GenBound::kExact));
      break;
    case GenKind::kSupersede:
      Field(line, "kind", "supersede");
      Field(line, "commitment", commitment);
      Field(line, "by", "c" + std::to_string(e.by));
      Field(line, "certainty", e.certainty);
      break;
    case GenKind::kCancel:
    case GenKind::kExpire:
    case GenKind::kComplete:
      Field(line, "kind",
            e.kind == GenKind::kCancel   ? "cancel"
            : e.kind == GenKind::kExpire ? "expire"
                                         : "complete");
      Field(line, "commitment", commitment);
      break;
    case GenKind::kRoundOpen:
      Field(line, "kind", "round-open");
      Field(line, "round", "r" + std::to_string(e.round));
      Field(line, "party", PartyId(e.party));
      Field(line, "target", Usd(e.amount, GenBound::kExact));
      Field(line, "post_money", Usd(e.post_money, e.post_money_bound));
      Field(line, "certainty", e.certainty);
      break;
    case GenKind::kValuation:
      Field(line, "kind", "valuation");
      Field(line, "party", PartyId(e.party));
      Field(line, "round", "r" + std::to_string(e.round));
      Field(line, "basis", "post");
      Field(line, "amount", Usd(e.amount, e.bound));
      Field(line, "source", "wire");
      break;
    case GenKind::kRetract:
      Field(line, "kind", "retract");
      Field(line, "retracts", "g" + std::to_string(e.retracts));
      Field(line, "note", "recorded in error");
      break;
  }
  line += '}';
  return line;
}

void JsonlWriter::Add(const GenEvent& e) { out_ << JsonLine(e) << '\n'; }

PeerJournalWriter::PeerJournalWriter(std::ostream& out, Syntax syntax,
                                     std::unordered_set<std::int64_t> retracted)
    : out_(out), syntax_(syntax), retracted_(std::move(retracted)) {}

void PeerJournalWriter::Write(const GenEvent& e, const std::string& what,
                              const std::string& account, const std::string& counter,
                              std::int64_t amount) {
  ++transactions_;
  const std::string title = "g" + std::to_string(e.number) + " " + what;
  if (syntax_ == Syntax::kBeancount) {
    out_ << Day(e.day) << " * \"" << title << "\"\n";
  } else {
    out_ << Day(e.day) << " " << title << "\n";
  }
  out_ << "    " << account << "  " << PeerAmount(amount) << "\n"
       << "    " << counter << "  " << PeerAmount(-amount) << "\n\n";
}

void PeerJournalWriter::Add(const GenEvent& e) {
  if (e.kind == GenKind::kRetract || retracted_.count(e.number) != 0) return;
  const std::string commitment = "c" + std::to_string(e.commitment);
  switch (e.kind) {
    case GenKind::kPartyAdd:
      if (syntax_ == Syntax::kBeancount) {
        if (e.party == 0) out_ << Day(e.day) << " open Equity:Commitments USD\n";
        out_ << Day(e.day) << " open Assets:Outstanding:" << PeerParty(e.party) << " USD\n"
             << Day(e.day) << " open Assets:Funded:" << PeerParty(e.party) << " USD\n";
        if (e.party == kParties - 1) out_ << "\n";
      }
      return;
    case GenKind::kOpen:
      open_[e.commitment] = Open{e.from, e.amount, 0};
      Write(e, "open " + commitment, "Assets:Outstanding:" + PeerParty(e.from),
            "Equity:Commitments", e.amount);
      return;
    case GenKind::kRevise: {
      Open& c = open_.at(e.commitment);
      const std::int64_t delta = e.amount - c.committed;
      c.committed = e.amount;
      if (delta != 0) {
        Write(e, "revise " + commitment, "Assets:Outstanding:" + PeerParty(c.from),
              "Equity:Commitments", delta);
      }
      return;
    }
    case GenKind::kFund: {
      Open& c = open_.at(e.commitment);
      c.funded += e.amount;
      Write(e, "fund " + commitment, "Assets:Funded:" + PeerParty(c.from),
            "Assets:Outstanding:" + PeerParty(c.from), e.amount);
      return;
    }
    case GenKind::kSupersede:
    case GenKind::kCancel:
    case GenKind::kExpire:
    case GenKind::kComplete: {
      auto it = open_.find(e.commitment);
      const Open c = it->second;
      open_.erase(it);
      // What was funded stays funded; nothing is outstanding any more.
      const std::int64_t remaining = std::max<std::int64_t>(0, c.committed - c.funded);
      if (remaining != 0) {
        Write(e, "end " + commitment, "Equity:Commitments",
              "Assets:Outstanding:" + PeerParty(c.from), remaining);
      }
      return;
    }
    case GenKind::kRoundOpen:
    case GenKind::kValuation:
    case GenKind::kRetract:
      return;
  }
}

}  // namespace dealtrail::bench
