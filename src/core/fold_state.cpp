// What each event does to a commitment or a round, on the compact state.
#include "core/fold_state.h"

#include <algorithm>

namespace dealtrail::fold {

Interner::Interner() : slots_(1024, 0) { views_.emplace_back(); }  // Sym 0: no string

std::uint64_t Interner::Hash(std::string_view s) {
  // FNV-1a: ids are short, and this is cheaper than a general-purpose hash.
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::size_t Interner::Slot(std::string_view s, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = Home(hash);; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) return i;
    if (static_cast<std::uint32_t>(slot >> 32) == tag &&
        views_[static_cast<Sym>(slot & 0xFFFFFFFFu)] == s) {
      return i;
    }
  }
}

void Interner::Reserve(std::size_t n) {
  std::size_t size = slots_.size();
  while ((n + 1) * 4 > size * 3) size *= 2;
  if (size == slots_.size()) return;
  views_.reserve(n + 1);
  Rehash(size);
}

void Interner::Grow() { Rehash(slots_.size() * 2); }

void Interner::Rehash(std::size_t size) {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(size, 0);
  for (std::uint64_t slot : old) {
    if (slot == 0) continue;
    const std::string_view s = views_[static_cast<Sym>(slot & 0xFFFFFFFFu)];
    slots_[Slot(s, Hash(s))] = slot;
  }
}

Sym Interner::Intern(std::string_view s) {
  if (s.empty()) return kNone;
  const std::uint64_t hash = Hash(s);
  std::size_t i = Slot(s, hash);
  if (slots_[i] != 0) return static_cast<Sym>(slots_[i] & 0xFFFFFFFFu);
  if ((views_.size() + 1) * 4 > slots_.size() * 3) {  // keep the table under 3/4 full
    Grow();
    i = Slot(s, hash);
  }
  const auto sym = static_cast<Sym>(views_.size());
  views_.push_back(Store(s));
  slots_[i] = (hash >> 32 << 32) | sym;
  return sym;
}

void Interner::InternMany(const std::string_view* s, std::size_t n, Sym* out) {
  constexpr std::size_t kAhead = 16;
  std::uint64_t hashes[kAhead];
  for (std::size_t start = 0; start < n; start += kAhead) {
    const std::size_t count = std::min(kAhead, n - start);
    // Growing would move the slots fetched: grow first if this batch could.
    if ((views_.size() + count) * 4 > slots_.size() * 3) Grow();
    for (std::size_t k = 0; k < count; ++k) {
      hashes[k] = Hash(s[start + k]);
      __builtin_prefetch(&slots_[Home(hashes[k])]);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::string_view str = s[start + k];
      if (str.empty()) {
        out[start + k] = kNone;
        continue;
      }
      const std::size_t i = Slot(str, hashes[k]);
      if (slots_[i] != 0) {
        out[start + k] = static_cast<Sym>(slots_[i] & 0xFFFFFFFFu);
        continue;
      }
      const auto sym = static_cast<Sym>(views_.size());
      views_.push_back(Store(str));
      slots_[i] = (hashes[k] >> 32 << 32) | sym;
      out[start + k] = sym;
    }
  }
}

std::string_view Interner::Store(std::string_view s) {
  constexpr std::size_t kBlock = std::size_t{64} * 1024;
  if (s.size() > block_left_) {
    const std::size_t size = std::max(kBlock, s.size());
    // Not zeroed: each byte is written as the block fills, and a block
    // zeroed up front faults in all its pages at once.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    block_next_ = blocks_.back().get();
    block_left_ = size;
  }
  std::copy(s.begin(), s.end(), block_next_);
  const std::string_view stored(block_next_, s.size());
  block_next_ += s.size();
  block_left_ -= s.size();
  return stored;
}

Sym Interner::Find(std::string_view s) const {
  if (s.empty()) return kNone;
  const std::uint64_t slot = slots_[Slot(s, Hash(s))];
  return static_cast<Sym>(slot & 0xFFFFFFFFu);
}

namespace {

void Touch(CommitmentState& c, const FoldEvent& e) {
  ++c.version;
  c.last_seq = e.seq;
  c.last_change = e.date.first();
  c.last_precision = e.date.precision();
  c.latest_end = std::max(c.latest_end, e.date.last());
}

}  // namespace

CommitmentState OpenCommitment(const FoldEvent& e, Interner& names) {
  CommitmentState c;
  c.id = names.Intern(e.commitment);
  c.from = names.Intern(e.from);
  c.to = names.Intern(e.to);
  c.round = names.Intern(e.round);
  c.terms = names.Intern(e.terms);
  c.kind = *e.commitment_kind;
  c.currency = e.amount->currency;
  c.certainty = *e.certainty;
  c.stated = Figure{e.amount->minor, e.amount->bound};
  if (e.conditional) c.conditional = Figure{e.conditional->minor, e.conditional->bound};
  c.funded = Interval::Zero(c.currency);
  c.opened = e.date.first();
  c.opened_precision = e.date.precision();
  c.latest_end = e.date.last();
  Touch(c, e);
  return c;
}

Result<bool> ApplyToCommitment(CommitmentState& c, const FoldEvent& e, bool replacement_in_view,
                               Interner& names) {
  switch (e.kind) {
    case EventKind::kRevise:
      if (e.amount) c.stated = Figure{e.amount->minor, e.amount->bound};
      if (e.conditional) c.conditional = Figure{e.conditional->minor, e.conditional->bound};
      if (e.certainty) c.certainty = *e.certainty;
      if (!e.round.empty()) c.round = names.Intern(e.round);
      if (!e.terms.empty()) c.terms = names.Intern(e.terms);
      break;
    case EventKind::kFund: {
      auto sum = Add(c.funded, Interval::Of(*e.amount));
      if (!sum.ok()) return sum.status().At(std::string(e.id));
      c.funded = *sum;
      break;
    }
    case EventKind::kSupersede:
    case EventKind::kCancel:
    case EventKind::kExpire:
    case EventKind::kComplete:
      if (c.status != CommitmentStatus::kOpen) return false;
      // A replacement whose opening was retracted replaces nothing.
      if (e.kind == EventKind::kSupersede && !replacement_in_view) return false;
      c.status = e.kind == EventKind::kSupersede ? CommitmentStatus::kSuperseded
                 : e.kind == EventKind::kCancel  ? CommitmentStatus::kCancelled
                 : e.kind == EventKind::kExpire  ? CommitmentStatus::kExpired
                                                 : CommitmentStatus::kCompleted;
      if (e.kind == EventKind::kSupersede) c.superseded_by = names.Intern(e.by);
      if (e.certainty) c.certainty = std::max(c.certainty, *e.certainty);
      break;
    default:
      return false;
  }
  Touch(c, e);
  return true;
}

ReportState ReportOf(const FoldEvent& e, ValuationBasis basis, const Amount& amount,
                     Certainty certainty, Interner& names) {
  ReportState r;
  r.basis = basis;
  r.amount = amount;
  r.certainty = certainty;
  r.date = e.date;
  r.outlet = names.Intern(e.source);
  r.url = names.Intern(e.url);
  r.note = names.Intern(e.note);
  r.event_id = names.Intern(e.id);
  r.published = e.published;
  r.seq = e.seq;
  return r;
}

RoundState OpenRound(const FoldEvent& e, Interner& names) {
  RoundState r;
  r.id = names.Intern(e.round);
  r.party = names.Intern(e.party);
  r.opened = e.date;
  r.certainty = *e.certainty;
  return r;
}

void ApplyToRound(RoundState& r, const FoldEvent& e, Interner& names) {
  r.latest_end = std::max(r.latest_end, e.date.last());
  if (e.kind == EventKind::kRoundClose) {
    r.closed = true;
    return;
  }
  if (e.kind == EventKind::kValuation) {
    r.reports.push_back(ReportOf(e, *e.basis, *e.amount, *e.certainty, names));
    return;
  }
  if (e.certainty) r.certainty = *e.certainty;
  if (e.target) r.target = e.target;
  if (!e.terms.empty()) r.terms = names.Intern(e.terms);
  if (e.pre_money) {
    r.reports.push_back(ReportOf(e, ValuationBasis::kPreMoney, *e.pre_money, r.certainty, names));
  }
  if (e.post_money) {
    r.reports.push_back(ReportOf(e, ValuationBasis::kPostMoney, *e.post_money, r.certainty, names));
  }
}

CommitmentPosition Figures(const CommitmentState& c) {
  CommitmentPosition p;
  p.kind = c.kind;
  p.currency = c.currency;
  p.certainty = c.certainty;
  p.status = c.status;
  p.stated = Amount{c.stated.minor, c.currency, c.stated.bound};
  p.committed = Interval::Of(p.stated);
  p.funded = c.funded;
  if (c.conditional)
    p.stated_conditional = Amount{c.conditional->minor, c.currency, c.conditional->bound};
  p.version = c.version;
  p.last_seq = c.last_seq;
  DeriveAmounts(p);
  return p;
}

CommitmentPosition Materialize(const CommitmentState& c, const Interner& names,
                               date::sys_days as_of) {
  CommitmentPosition p = Figures(c);
  p.id = names.View(c.id);
  p.from = names.View(c.from);
  p.to = names.View(c.to);
  p.superseded_by = names.View(c.superseded_by);
  p.round = names.View(c.round);
  p.terms = names.View(c.terms);
  p.opened = *PartialDate::Of(c.opened, c.opened_precision);
  p.last_change = *PartialDate::Of(c.last_change, c.last_precision);
  p.in_effect = c.latest_end > as_of ? InEffect::kPossibly : InEffect::kDefinitely;
  return p;
}

ValuationReport Materialize(const ReportState& r, const Interner& names) {
  ValuationReport v;
  v.basis = r.basis;
  v.amount = r.amount;
  v.certainty = r.certainty;
  v.date = r.date;
  v.source.outlet = names.View(r.outlet);
  v.source.url = names.View(r.url);
  v.source.note = names.View(r.note);
  v.source.published = r.published;
  v.event_id = names.View(r.event_id);
  v.seq = r.seq;
  return v;
}

void DeriveAmounts(CommitmentPosition& p) {
  if (p.status == CommitmentStatus::kOpen) {
    p.outstanding = Remaining(p.committed, p.funded);
    p.conditional = p.stated_conditional ? Min(Interval::Of(*p.stated_conditional), p.outstanding)
                                         : Interval::Zero(p.currency);
  } else {
    p.outstanding = Interval::Zero(p.currency);
    p.conditional = Interval::Zero(p.currency);
  }
}

}  // namespace dealtrail::fold
