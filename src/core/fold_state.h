// The replay fold's state, compact enough for a million events in well under
// 100 MiB: ids interned as integers, amounts as minor units and bounds, dates
// as day numbers. The transitions here are the one definition of what each
// event does to a commitment or a round; the fold and the writer's checks
// both use them.
#ifndef DEALTRAIL_SRC_CORE_FOLD_STATE_H_
#define DEALTRAIL_SRC_CORE_FOLD_STATE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dealtrail/replay.h"

namespace dealtrail::fold {

// An interned string: an index into an Interner. 0 is "no string".
using Sym = std::uint32_t;
inline constexpr Sym kNone = 0;

// Strings to small integers and back. Lookups by string_view do not
// allocate, and the index is one flat open-addressing table: a replay of a
// million events does a lookup per event, and node-based maps spend most of
// that time in cache misses.
class Interner {
 public:
  Interner();
  Sym Intern(std::string_view s);
  Sym Find(std::string_view s) const;  // kNone if never interned
  // Sizes the table for `n` strings at once (a checkpoint being read).
  void Reserve(std::size_t n);
  // Interns `n` strings into `out`, fetching their slots ahead of use: a
  // checkpoint interns hundreds of thousands of strings into a table far
  // larger than the cache, and one at a time each waits on a cache miss.
  void InternMany(const std::string_view* s, std::size_t n, Sym* out);
  std::string_view View(Sym s) const { return views_[s]; }
  // Asks for `s`'s view to be fetched into the cache ahead of View(s).
  void Prefetch(Sym s) const { __builtin_prefetch(&views_[s]); }
  std::size_t size() const { return views_.size(); }

 private:
  static std::uint64_t Hash(std::string_view s);
  // The first slot to probe: FNV-1a's low bits alone cluster on ids that
  // differ only in their last characters, so the hash is mixed first.
  std::size_t Home(std::uint64_t hash) const {
    return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> 32) & (slots_.size() - 1);
  }
  std::size_t Slot(std::string_view s, std::uint64_t hash) const;  // of s, or the empty slot for it
  void Grow();
  void Rehash(std::size_t size);  // a power of two

  // Strings are copied into large blocks: no per-string allocation or
  // std::string object, and the views stay valid as the table grows.
  std::string_view Store(std::string_view s);
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_left_ = 0;
  char* block_next_ = nullptr;
  std::vector<std::string_view> views_;
  // Each slot: the upper 32 bits of the key's hash and its Sym (0: empty).
  std::vector<std::uint64_t> slots_;
};

// A dense map from Sym to a position in a vector of states (-1: none).
class SymIndex {
 public:
  std::int32_t Get(Sym s) const { return s < at_.size() ? at_[s] : -1; }
  void Set(Sym s, std::int32_t i) {
    if (s >= at_.size()) at_.resize(std::max<std::size_t>(s + 1, at_.size() * 2), -1);
    at_[s] = i;
  }

 private:
  std::vector<std::int32_t> at_;
};

// A sequence that grows in blocks of kBlock elements: references stay valid
// as it grows and nothing is copied, like std::deque, but with one
// allocation per block (std::deque gives states this size three to a node,
// so a checkpoint of half a million commitments was as many allocations).
template <typename T>
class Blocks {
 public:
  static constexpr std::size_t kBlock = 1024;

  Blocks() = default;
  Blocks(const Blocks&) = delete;
  Blocks& operator=(const Blocks&) = delete;
  Blocks(Blocks&& other) noexcept
      : blocks_(std::move(other.blocks_)), size_(std::exchange(other.size_, 0)) {}
  Blocks& operator=(Blocks&& other) noexcept {
    if (this != &other) {
      Clear();
      blocks_ = std::move(other.blocks_);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~Blocks() { Clear(); }

  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const T& operator[](std::size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  T& back() { return (*this)[size_ - 1]; }
  void push_back(T value) {
    if (size_ == blocks_.size() * kBlock) {
      blocks_.push_back(
          static_cast<T*>(::operator new (kBlock * sizeof(T), std::align_val_t{alignof(T)})));
    }
    new (&blocks_[size_ / kBlock][size_ % kBlock]) T(std::move(value));
    ++size_;
  }

  template <typename Self, typename Ref>
  class Iterator {
   public:
    Iterator(Self* owner, std::size_t i) : owner_(owner), i_(i) {}
    Ref operator*() const { return (*owner_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    Self* owner_;
    std::size_t i_;
  };
  Iterator<Blocks, T&> begin() { return {this, 0}; }
  Iterator<Blocks, T&> end() { return {this, size_}; }
  Iterator<const Blocks, const T&> begin() const { return {this, 0}; }
  Iterator<const Blocks, const T&> end() const { return {this, size_}; }

 private:
  void Clear() {
    for (std::size_t i = 0; i < size_; ++i) (*this)[i].~T();
    for (T* block : blocks_) ::operator delete (block, std::align_val_t{alignof(T)});
    blocks_.clear();
    size_ = 0;
  }
  std::vector<T*> blocks_;
  std::size_t size_ = 0;
};

// An amount without its currency (the owner knows it).
struct Figure {
  std::int64_t minor = 0;
  Bound bound = Bound::kExact;
};

struct CommitmentState {
  Sym id = kNone, from = kNone, to = kNone, round = kNone, superseded_by = kNone, terms = kNone;
  Currency currency = Currency::Usd();
  CommitmentKind kind = CommitmentKind::kEquity;
  Certainty certainty = Certainty::kReported;
  CommitmentStatus status = CommitmentStatus::kOpen;
  Figure stated;
  std::optional<Figure> conditional;
  Interval funded;
  date::sys_days opened{};
  DatePrecision opened_precision = DatePrecision::kDay;
  date::sys_days last_change{};
  DatePrecision last_precision = DatePrecision::kDay;
  date::sys_days latest_end{};  // the latest last day of any event applied: in_effect
  std::int32_t version = 0;
  std::int64_t last_seq = 0;
};

struct ReportState {
  ValuationBasis basis = ValuationBasis::kPostMoney;
  Amount amount;
  Certainty certainty = Certainty::kReported;
  PartialDate date;
  Sym outlet = kNone, url = kNone, note = kNone, event_id = kNone;
  std::optional<date::sys_days> published;
  std::int64_t seq = 0;
};

struct RoundState {
  Sym id = kNone, party = kNone, terms = kNone;
  bool closed = false;
  Certainty certainty = Certainty::kReported;
  std::optional<Amount> target;
  PartialDate opened;
  date::sys_days latest_end{};
  std::vector<ReportState> reports;
};

// What one event does to a commitment. Returns false (and changes nothing)
// when the event does not apply: a status change on a commitment no longer
// open, or a supersession whose replacement is not in view. Fails only when
// a sum overflows.
Result<bool> ApplyToCommitment(CommitmentState& c, const FoldEvent& e, bool replacement_in_view,
                               Interner& names);
// A new commitment from its opening event.
CommitmentState OpenCommitment(const FoldEvent& e, Interner& names);
// What one round-open/-revise/-close or valuation event does to a round.
void ApplyToRound(RoundState& r, const FoldEvent& e, Interner& names);
RoundState OpenRound(const FoldEvent& e, Interner& names);
ReportState ReportOf(const FoldEvent& e, ValuationBasis basis, const Amount& amount,
                     Certainty certainty, Interner& names);

// Positions as replay shows them, derived from a state as of a date.
CommitmentPosition Materialize(const CommitmentState& c, const Interner& names,
                               date::sys_days as_of);
// Its figures alone (kind, currency, certainty, status, amounts, version),
// without names or dates: what the checks of a new event read.
CommitmentPosition Figures(const CommitmentState& c);
ValuationReport Materialize(const ReportState& r, const Interner& names);
// Outstanding and conditional from status, committed, funded and the stated
// conditional part.
void DeriveAmounts(CommitmentPosition& p);

}  // namespace dealtrail::fold

namespace dealtrail {

// The fold's whole state; defined here so the codec (fold_codec.cpp) and the
// fold (replay.cpp) share it.
struct Fold::State {
  date::sys_days default_as_of{};
  fold::Interner names;
  // Blocks: no copy of everything (and no peak of twice the memory) as they grow.
  fold::Blocks<fold::CommitmentState> commitments;  // in the order opened
  fold::SymIndex commitment_index;
  fold::Blocks<fold::RoundState> rounds;
  fold::SymIndex round_index;
  std::unordered_map<fold::Sym, std::vector<fold::ReportState>> party_reports;  // outside rounds
  std::vector<std::string> ignored;
  std::int64_t applied = 0;
  date::sys_days last_day{};
  // FindCommitment/FindRound results, one slot per id: a pointer stays valid
  // for the fold's life and is refreshed by the next lookup of that id.
  mutable std::unordered_map<std::string, CommitmentPosition> found_commitments;
  mutable std::unordered_map<std::string, RoundPosition> found_rounds;

  fold::CommitmentState* FindCommitment(std::string_view id);
  fold::RoundState* FindRound(std::string_view id);
  void Ignore(const FoldEvent& e, std::string_view why);
};

}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_CORE_FOLD_STATE_H_
