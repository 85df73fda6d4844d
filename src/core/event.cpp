// Events: vocabularies, shape validation, interpretation of raw records, the
// canonical serialization and the hash chain.
#include "dealtrail/event.h"

#define OPENSSL_SUPPRESS_DEPRECATED  // SHA256_*: see Sha256Hex
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <set>

#include "core/chain_hash.h"
#include "core/text.h"

namespace dealtrail {
namespace {

template <typename E, std::size_t N>
std::optional<E> FromName(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view ToName(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "?";
}

constexpr std::array<std::pair<EventKind, std::string_view>, 14> kKinds = {{
    {EventKind::kPartyAdd, "party-add"},
    {EventKind::kPartyAlias, "party-alias"},
    {EventKind::kOpen, "open"},
    {EventKind::kRevise, "revise"},
    {EventKind::kFund, "fund"},
    {EventKind::kSupersede, "supersede"},
    {EventKind::kCancel, "cancel"},
    {EventKind::kExpire, "expire"},
    {EventKind::kComplete, "complete"},
    {EventKind::kRoundOpen, "round-open"},
    {EventKind::kRoundRevise, "round-revise"},
    {EventKind::kRoundClose, "round-close"},
    {EventKind::kValuation, "valuation"},
    {EventKind::kRetract, "retract"},
}};

constexpr std::array<std::pair<Certainty, std::string_view>, 5> kCertainties = {{
    {Certainty::kRumored, "rumored"},
    {Certainty::kReported, "reported"},
    {Certainty::kAnnounced, "announced"},
    {Certainty::kSigned, "signed"},
    {Certainty::kClosed, "closed"},
}};

constexpr std::array<std::pair<CommitmentKind, std::string_view>, 5> kCommitmentKinds = {{
    {CommitmentKind::kEquity, "equity"},
    {CommitmentKind::kPledge, "pledge"},
    {CommitmentKind::kDebt, "debt"},
    {CommitmentKind::kGrant, "grant"},
    {CommitmentKind::kPurchase, "purchase"},
}};

constexpr std::array<std::pair<ValuationBasis, std::string_view>, 2> kBases = {{
    {ValuationBasis::kPreMoney, "pre"},
    {ValuationBasis::kPostMoney, "post"},
}};

constexpr std::array<std::string_view, 4> kPartyKinds = {"company", "fund", "person", "state"};

// Which kinds a field belongs to, as a bit set over EventKind.
using KindSet = unsigned;
constexpr KindSet Bit(EventKind k) { return 1u << static_cast<unsigned>(k); }
constexpr KindSet kAllKinds = (1u << 14) - 1;
constexpr KindSet kCommitmentSubject = Bit(EventKind::kOpen) | Bit(EventKind::kRevise) |
                                       Bit(EventKind::kFund) | Bit(EventKind::kSupersede) |
                                       Bit(EventKind::kCancel) | Bit(EventKind::kExpire) |
                                       Bit(EventKind::kComplete);
constexpr KindSet kRoundAmounts = Bit(EventKind::kRoundOpen) | Bit(EventKind::kRoundRevise);

struct FieldSpec {
  std::string_view name;
  KindSet allowed;
  KindSet required;
};

// Canonical order. `seq` and `hash` are written by export and ignored on input.
constexpr std::array kFields = {
    FieldSpec{"seq", kAllKinds, 0},
    FieldSpec{"id", kAllKinds, 0},
    FieldSpec{"kind", kAllKinds, kAllKinds},
    FieldSpec{"date", kAllKinds, kAllKinds},
    FieldSpec{"recorded_at", kAllKinds, 0},
    FieldSpec{"certainty", kAllKinds & ~(Bit(EventKind::kPartyAdd) | Bit(EventKind::kPartyAlias)),
              0},
    FieldSpec{"party",
              Bit(EventKind::kPartyAdd) | Bit(EventKind::kPartyAlias) | Bit(EventKind::kRoundOpen) |
                  Bit(EventKind::kValuation),
              Bit(EventKind::kPartyAdd) | Bit(EventKind::kPartyAlias) | Bit(EventKind::kRoundOpen) |
                  Bit(EventKind::kValuation)},
    FieldSpec{"name", Bit(EventKind::kPartyAdd), Bit(EventKind::kPartyAdd)},
    FieldSpec{"party_kind", Bit(EventKind::kPartyAdd), 0},
    FieldSpec{"aliases", Bit(EventKind::kPartyAdd) | Bit(EventKind::kPartyAlias),
              Bit(EventKind::kPartyAlias)},
    FieldSpec{"commitment", kCommitmentSubject, kCommitmentSubject},
    FieldSpec{"commitment_kind", Bit(EventKind::kOpen), Bit(EventKind::kOpen)},
    FieldSpec{"from", Bit(EventKind::kOpen), Bit(EventKind::kOpen)},
    FieldSpec{"to", Bit(EventKind::kOpen), Bit(EventKind::kOpen)},
    FieldSpec{"by", Bit(EventKind::kSupersede), Bit(EventKind::kSupersede)},
    FieldSpec{
        "round",
        Bit(EventKind::kOpen) | Bit(EventKind::kRevise) | Bit(EventKind::kRoundOpen) |
            Bit(EventKind::kRoundRevise) | Bit(EventKind::kRoundClose) | Bit(EventKind::kValuation),
        Bit(EventKind::kRoundOpen) | Bit(EventKind::kRoundRevise) | Bit(EventKind::kRoundClose)},
    FieldSpec{"retracts", Bit(EventKind::kRetract), Bit(EventKind::kRetract)},
    FieldSpec{"amount",
              Bit(EventKind::kOpen) | Bit(EventKind::kRevise) | Bit(EventKind::kFund) |
                  Bit(EventKind::kValuation),
              Bit(EventKind::kOpen) | Bit(EventKind::kFund) | Bit(EventKind::kValuation)},
    FieldSpec{"conditional", Bit(EventKind::kOpen) | Bit(EventKind::kRevise), 0},
    FieldSpec{"target", kRoundAmounts, 0},
    FieldSpec{"pre_money", kRoundAmounts, 0},
    FieldSpec{"post_money", kRoundAmounts, 0},
    FieldSpec{"basis", Bit(EventKind::kValuation), 0},
    FieldSpec{"terms", Bit(EventKind::kOpen) | Bit(EventKind::kRevise) | kRoundAmounts, 0},
    FieldSpec{"source", kAllKinds, 0},
    FieldSpec{"url", kAllKinds, 0},
    FieldSpec{"published", kAllKinds, 0},
    FieldSpec{"note", kAllKinds, 0},
    FieldSpec{"hash", kAllKinds, 0},
};

// "a 'fund' event", "an 'open' event".
std::string AKindEvent(EventKind k) {
  const std::string_view name = KindName(k);
  const bool vowel = std::string_view("aeiou").find(name.front()) != std::string_view::npos;
  return std::string(vowel ? "an '" : "a '") + std::string(name) + "' event";
}

const FieldSpec* FindField(std::string_view name) {
  for (const FieldSpec& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string Nearest(std::string_view name) {
  std::string best;
  std::size_t best_d = 3;
  for (const FieldSpec& f : kFields) {
    const std::size_t d = EditDistance(name, f.name);
    if (d < best_d) {
      best_d = d;
      best = f.name;
    }
  }
  return best;
}

bool IsSlugChar(char c, bool event_id) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         (event_id && ((c >= 'A' && c <= 'Z') || c == ':'));
}

Status CheckSlug(std::string_view field, std::string_view v, bool event_id = false) {
  const std::size_t max = event_id ? kMaxEventIdBytes : kMaxIdBytes;
  const std::string what =
      event_id ? "letters, digits and . _ - :" : "lower-case letters, digits and . _ -";
  if (v.empty()) return Status::Invalid(std::string(field), "expected an id, got nothing");
  if (v.size() > max) {
    return Status::Invalid(std::string(field), "id is " + std::to_string(v.size()) +
                                                   " bytes; at most " + std::to_string(max) +
                                                   " allowed");
  }
  const bool first_ok = IsSlugChar(v.front(), event_id) && v.front() != '-' && v.front() != '.' &&
                        v.front() != '_' && v.front() != ':';
  if (!first_ok ||
      !std::all_of(v.begin(), v.end(), [&](char c) { return IsSlugChar(c, event_id); })) {
    return Status::Invalid(std::string(field), "expected an id of " + what +
                                                   " (starting with a letter or digit), got '" +
                                                   std::string(v) + "'");
  }
  return {};
}

Status CheckText(std::string_view field, std::string_view v, std::size_t max) {
  if (!IsValidUtf8(v))
    return Status::Invalid(std::string(field), "expected UTF-8 text without NUL bytes");
  if (v.size() > max) {
    return Status::Invalid(std::string(field), "text is " + std::to_string(v.size()) +
                                                   " bytes; at most " + std::to_string(max) +
                                                   " allowed");
  }
  return {};
}

Status CheckName(std::string_view field, std::string_view v) {
  DEALTRAIL_RETURN_IF_ERROR(CheckText(field, v, kMaxNameBytes));
  if (Trim(v).empty()) return Status::Invalid(std::string(field), "expected a name, got nothing");
  if (Trim(v) != v) {
    return Status::Invalid(std::string(field), "a name may not start or end with white space");
  }
  return {};
}

enum Parts : unsigned { kWithSeq = 1, kWithId = 2, kWithRecorded = 4, kWithHash = 8 };

// Calls fn(key, value, quoted) for each present field in canonical order:
// `value` is the field's text, to be written as a JSON string when `quoted`
// and as it is (a number, a list) otherwise. The one definition of what an
// event says, used to serialize, hash and compare.
// The canonical fields in their order: the head (what the ledger sets, and
// the kind and date, never empty) and the tail (the rest, as the event was
// given, but for party names resolved to ids).
template <typename Fn>
void ForEachHeadField(const Event& e, unsigned parts, Fn&& fn) {
  auto text = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) fn(key, value, true);
  };
  if (parts & kWithSeq) fn("seq", std::to_string(e.seq), false);
  if (parts & kWithId) text("id", e.id);
  text("kind", KindName(e.kind));
  text("date", e.date.ToString());
  if (parts & kWithRecorded) text("recorded_at", FormatTimestamp(e.recorded_at));
}

template <typename Fn>
void ForEachTailField(const Event& e, unsigned parts, Fn&& fn) {
  auto text = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) fn(key, value, true);
  };
  auto money = [&](std::string_view key, const std::optional<Amount>& a) {
    if (a) fn(key, CanonicalAmount(*a), true);
  };
  if (e.certainty) text("certainty", CertaintyName(*e.certainty));
  text("party", e.party);
  text("name", e.name);
  text("party_kind", e.party_kind);
  if (!e.aliases.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < e.aliases.size(); ++i) {
      if (i) list.push_back(',');
      AppendJsonString(list, e.aliases[i]);
    }
    list.push_back(']');
    fn("aliases", list, false);
  }
  text("commitment", e.commitment);
  if (e.commitment_kind) text("commitment_kind", CommitmentKindName(*e.commitment_kind));
  text("from", e.from);
  text("to", e.to);
  text("by", e.by);
  text("round", e.round);
  text("retracts", e.retracts);
  money("amount", e.amount);
  money("conditional", e.conditional);
  money("target", e.target);
  money("pre_money", e.pre_money);
  money("post_money", e.post_money);
  if (e.basis) text("basis", BasisName(*e.basis));
  text("terms", e.terms);
  text("source", e.source.outlet);
  text("url", e.source.url);
  if (e.source.published) text("published", FormatDay(*e.source.published));
  text("note", e.source.note);
  if (parts & kWithHash) text("hash", e.hash);
}

template <typename Fn>
void ForEachField(const Event& e, unsigned parts, Fn&& fn) {
  ForEachHeadField(e, parts, fn);
  ForEachTailField(e, parts, fn);
}

// Appends `"key":value` (after a comma unless `first`).
void AppendMember(std::string& out, bool first, std::string_view key, std::string_view value,
                  bool quoted) {
  if (!first) out.push_back(',');
  out.push_back('"');
  out += key;  // keys are plain ASCII
  out += "\":";
  if (quoted) {
    AppendJsonString(out, value);
  } else {
    out += value;
  }
}

void AppendSerialized(std::string& out, const Event& e, unsigned parts) {
  out.push_back('{');
  bool first = true;
  ForEachField(e, parts, [&](std::string_view key, std::string_view value, bool quoted) {
    AppendMember(out, first, key, value, quoted);
    first = false;
  });
  out.push_back('}');
}

std::string Serialize(const Event& e, unsigned parts) {
  std::string out;
  out.reserve(512);
  AppendSerialized(out, e, parts);
  return out;
}

// SHA-256 through OpenSSL's direct SHA256_* functions. They are deprecated
// in OpenSSL 3 in favour of EVP, but EVP loads its default provider on first
// use — about six million instructions, more than the rest of recording an
// event in a fresh process — and computes the same digest.
std::string Sha256Hex(std::initializer_list<std::string_view> parts) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (std::string_view data : parts) SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(digest, &ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(std::size_t{2} * SHA256_DIGEST_LENGTH, '0');
  for (std::size_t i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

Status ParseMoneyField(std::string_view field, const std::string& text,
                       std::optional<Amount>* out) {
  auto a = ParseAmount(text);
  if (!a.ok()) return a.status().For(std::string(field));
  *out = *a;
  return {};
}

}  // namespace

std::string_view KindName(EventKind k) { return ToName(kKinds, k); }
std::optional<EventKind> KindFromName(std::string_view name) { return FromName(kKinds, name); }
bool IsCommitmentKind(EventKind k) { return (kCommitmentSubject & Bit(k)) != 0; }
bool IsRoundKind(EventKind k) {
  return k == EventKind::kRoundOpen || k == EventKind::kRoundRevise || k == EventKind::kRoundClose;
}
bool IsPartyKind(EventKind k) { return k == EventKind::kPartyAdd || k == EventKind::kPartyAlias; }

std::string_view CertaintyName(Certainty c) { return ToName(kCertainties, c); }
std::optional<Certainty> CertaintyFromName(std::string_view name) {
  return FromName(kCertainties, name);
}
std::string_view CommitmentKindName(CommitmentKind k) { return ToName(kCommitmentKinds, k); }
std::optional<CommitmentKind> CommitmentKindFromName(std::string_view name) {
  return FromName(kCommitmentKinds, name);
}
std::string_view BasisName(ValuationBasis b) { return ToName(kBases, b); }
std::optional<ValuationBasis> BasisFromName(std::string_view name) {
  return FromName(kBases, name);
}

const std::vector<std::string_view>& EventFieldNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    v.reserve(kFields.size());
    for (const FieldSpec& f : kFields) v.push_back(f.name);
    return v;
  }();
  return names;
}

Status ValidateShape(const Event& e) {
  const KindSet bit = Bit(e.kind);
  if (!e.id.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckSlug("id", e.id, /*event_id=*/true));

  // Required and misplaced fields, by the same table the readers use.
  auto present = [&](std::string_view name) -> bool {
    if (name == "certainty") return e.certainty.has_value();
    if (name == "party") return !e.party.empty();
    if (name == "name") return !e.name.empty();
    if (name == "party_kind") return !e.party_kind.empty();
    if (name == "aliases") return !e.aliases.empty();
    if (name == "commitment") return !e.commitment.empty();
    if (name == "commitment_kind") return e.commitment_kind.has_value();
    if (name == "from") return !e.from.empty();
    if (name == "to") return !e.to.empty();
    if (name == "by") return !e.by.empty();
    if (name == "round") return !e.round.empty();
    if (name == "retracts") return !e.retracts.empty();
    if (name == "amount") return e.amount.has_value();
    if (name == "conditional") return e.conditional.has_value();
    if (name == "target") return e.target.has_value();
    if (name == "pre_money") return e.pre_money.has_value();
    if (name == "post_money") return e.post_money.has_value();
    if (name == "basis") return e.basis.has_value();
    if (name == "terms") return !e.terms.empty();
    return true;  // common fields are always allowed
  };
  for (const FieldSpec& f : kFields) {
    if ((f.allowed & bit) == 0 && present(f.name)) {
      return Status::Invalid(std::string(f.name), "does not apply to " + AKindEvent(e.kind));
    }
    if ((f.required & bit) != 0 && !present(f.name)) {
      return Status::Invalid(std::string(f.name), "missing: " + AKindEvent(e.kind) + " needs it");
    }
  }
  if ((e.kind == EventKind::kOpen || e.kind == EventKind::kRoundOpen ||
       e.kind == EventKind::kValuation) &&
      !e.certainty) {
    return Status::Invalid("certainty", "missing: " + AKindEvent(e.kind) + " needs it");
  }
  if (e.kind == EventKind::kRevise && !e.amount && !e.conditional && !e.certainty &&
      e.round.empty() && e.terms.empty()) {
    return Status::Invalid("",
                           "a revise must change something: amount, conditional, "
                           "certainty, round or terms");
  }
  if (e.kind == EventKind::kRoundRevise && !e.target && !e.pre_money && !e.post_money &&
      !e.certainty && e.terms.empty()) {
    return Status::Invalid("",
                           "a round-revise must change something: target, pre_money, "
                           "post_money, certainty or terms");
  }

  // Ids, names and text.
  if (!e.commitment.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckSlug("commitment", e.commitment));
  if (!e.by.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckSlug("by", e.by));
  if (!e.round.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckSlug("round", e.round));
  if (!e.retracts.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckSlug("retracts", e.retracts, true));
  if (e.kind == EventKind::kPartyAdd) {
    DEALTRAIL_RETURN_IF_ERROR(CheckSlug("party", e.party));
  } else if (!e.party.empty()) {
    DEALTRAIL_RETURN_IF_ERROR(CheckName("party", e.party));
  }
  if (!e.from.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckName("from", e.from));
  if (!e.to.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckName("to", e.to));
  if (!e.name.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckName("name", e.name));
  if (!e.party_kind.empty() &&
      std::find(kPartyKinds.begin(), kPartyKinds.end(), e.party_kind) == kPartyKinds.end()) {
    return Status::Invalid("party_kind",
                           "expected company, fund, person or state, got '" + e.party_kind + "'");
  }
  if (e.aliases.size() > kMaxAliases) {
    return Status::Invalid("aliases",
                           "at most " + std::to_string(kMaxAliases) + " aliases allowed");
  }
  for (const std::string& a : e.aliases) DEALTRAIL_RETURN_IF_ERROR(CheckName("aliases", a));
  DEALTRAIL_RETURN_IF_ERROR(CheckText("terms", e.terms, kMaxTextBytes));
  DEALTRAIL_RETURN_IF_ERROR(CheckText("note", e.source.note, kMaxTextBytes));
  DEALTRAIL_RETURN_IF_ERROR(CheckText("url", e.source.url, kMaxTextBytes));
  if (!e.source.outlet.empty()) DEALTRAIL_RETURN_IF_ERROR(CheckName("source", e.source.outlet));

  // Relations within the event.
  if (e.kind == EventKind::kOpen && e.from == e.to) {
    return Status::Invalid("to", "a commitment needs two different parties");
  }
  if (e.kind == EventKind::kSupersede && e.by == e.commitment) {
    return Status::Invalid("by", "a commitment cannot supersede itself");
  }
  std::optional<Currency> currency;
  for (const auto& [name, amount] :
       {std::pair{"amount", &e.amount}, std::pair{"conditional", &e.conditional},
        std::pair{"target", &e.target}, std::pair{"pre_money", &e.pre_money},
        std::pair{"post_money", &e.post_money}}) {
    if (!*amount) continue;
    if (currency && !(*currency == (*amount)->currency)) {
      return Status::Invalid(name, "all amounts in one event must be in one currency (" +
                                       std::string(currency->code()) + ")");
    }
    currency = (*amount)->currency;
  }
  if (e.amount && e.conditional && e.conditional->minor > e.amount->minor) {
    return Status::Invalid("conditional", "the conditional part (" + HumanAmount(*e.conditional) +
                                              ") exceeds the amount (" + HumanAmount(*e.amount) +
                                              ")");
  }
  return {};
}

Result<Event> EventFromRaw(const RawEvent& raw) {
  // The kind decides which fields are allowed, so find it first.
  std::optional<EventKind> kind;
  for (const auto& [name, value] : raw.fields) {
    if (name != "kind") continue;
    kind = KindFromName(value);
    if (!kind) {
      std::string expected = "expected one of ";
      for (const auto& [k, text] : kKinds) {
        if (k != kKinds.front().first) expected += ", ";
        expected += text;
      }
      expected += "; got '";
      expected += value;
      expected += "'";
      return Status::Invalid("kind", expected);
    }
  }
  if (!kind) return Status::Invalid("kind", "missing: every event needs a kind");

  Event e;
  e.kind = *kind;
  std::set<std::string_view> seen;
  bool has_date = false;  // an empty date cell must not leave the 1970 default
  for (const auto& [name, value] : raw.fields) {
    const FieldSpec* spec = FindField(name);
    if (!spec) {
      const std::string near = Nearest(name);
      return Status::Invalid(
          name,
          "unknown field" + (near.empty() ? std::string() : " (did you mean '" + near + "'?)"));
    }
    if (!seen.insert(spec->name).second) return Status::Invalid(name, "appears twice");
    if (value.empty() || name == "seq" || name == "hash" || name == "kind") continue;
    if ((spec->allowed & Bit(e.kind)) == 0) {
      return Status::Invalid(name, "does not apply to " + AKindEvent(e.kind));
    }
    if (!IsValidUtf8(value)) return Status::Invalid(name, "expected UTF-8 text without NUL bytes");
    if (name == "id") {
      e.id = value;
    } else if (name == "date") {
      auto d = PartialDate::Parse(value);
      if (!d.ok()) return d.status().For("date");
      e.date = *d;
      has_date = true;
    } else if (name == "recorded_at") {
      auto t = ParseTimestamp(value);
      if (!t.ok()) return t.status().For("recorded_at");
      e.recorded_at = *t;
      e.has_recorded_at = true;
    } else if (name == "certainty") {
      e.certainty = CertaintyFromName(value);
      if (!e.certainty) {
        return Status::Invalid("certainty",
                               "expected rumored, reported, announced, signed or "
                               "closed; got '" +
                                   value + "'");
      }
    } else if (name == "party") {
      e.party = value;
    } else if (name == "name") {
      e.name = value;
    } else if (name == "party_kind") {
      e.party_kind = value;
    } else if (name == "aliases") {
      // CSV carries aliases in one cell separated by ';'.
      std::string_view rest = value;
      while (!rest.empty()) {
        const std::size_t cut = rest.find(';');
        e.aliases.push_back(Trim(rest.substr(0, cut)));
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
      }
    } else if (name == "commitment") {
      e.commitment = value;
    } else if (name == "commitment_kind") {
      e.commitment_kind = CommitmentKindFromName(value);
      if (!e.commitment_kind) {
        return Status::Invalid("commitment_kind",
                               "expected equity, pledge, debt, grant or "
                               "purchase; got '" +
                                   value + "'");
      }
    } else if (name == "from") {
      e.from = value;
    } else if (name == "to") {
      e.to = value;
    } else if (name == "by") {
      e.by = value;
    } else if (name == "round") {
      e.round = value;
    } else if (name == "retracts") {
      e.retracts = value;
    } else if (name == "amount") {
      DEALTRAIL_RETURN_IF_ERROR(ParseMoneyField(name, value, &e.amount));
    } else if (name == "conditional") {
      DEALTRAIL_RETURN_IF_ERROR(ParseMoneyField(name, value, &e.conditional));
    } else if (name == "target") {
      DEALTRAIL_RETURN_IF_ERROR(ParseMoneyField(name, value, &e.target));
    } else if (name == "pre_money") {
      DEALTRAIL_RETURN_IF_ERROR(ParseMoneyField(name, value, &e.pre_money));
    } else if (name == "post_money") {
      DEALTRAIL_RETURN_IF_ERROR(ParseMoneyField(name, value, &e.post_money));
    } else if (name == "basis") {
      e.basis = BasisFromName(value);
      if (!e.basis) return Status::Invalid("basis", "expected pre or post; got '" + value + "'");
    } else if (name == "terms") {
      e.terms = value;
    } else if (name == "source") {
      e.source.outlet = value;
    } else if (name == "url") {
      e.source.url = value;
    } else if (name == "published") {
      auto d = ParseDay(value);
      if (!d.ok()) return d.status().For("published");
      e.source.published = *d;
    } else if (name == "note") {
      e.source.note = value;
    }
  }
  if (raw.aliases && !raw.aliases->empty()) {
    if (seen.count("aliases") == 0 && (FindField("aliases")->allowed & Bit(e.kind)) == 0) {
      return Status::Invalid("aliases", "does not apply to " + AKindEvent(e.kind));
    }
    e.aliases = *raw.aliases;
  }
  if (!has_date) return Status::Invalid("date", "missing: every event needs a date");

  // Defaults that make the stored event explicit.
  if (!e.certainty && (e.kind == EventKind::kOpen || e.kind == EventKind::kRoundOpen ||
                       e.kind == EventKind::kValuation)) {
    e.certainty = Certainty::kReported;
  }
  if (e.kind == EventKind::kValuation && !e.basis) e.basis = ValuationBasis::kPostMoney;
  if (e.kind == EventKind::kPartyAdd && e.party_kind.empty()) e.party_kind = "company";

  DEALTRAIL_RETURN_IF_ERROR(ValidateShape(e));
  return e;
}

std::string CanonicalJson(const Event& e, bool with_hash) {
  const unsigned parts = kWithSeq | kWithId | kWithRecorded;
  return Serialize(e, with_hash ? parts | kWithHash : parts);
}

std::string ChainHash(std::string_view prev_hash, const Event& e) {
  return ChainHashWithTail(prev_hash, e, SerializedTail(e));
}

std::string SerializedTail(const Event& e) {
  std::string tail;
  tail.reserve(384);
  ForEachTailField(e, 0, [&](std::string_view key, std::string_view value, bool quoted) {
    AppendMember(tail, /*first=*/false, key, value, quoted);  // the head is never empty
  });
  tail.push_back('}');
  return tail;
}

std::string ChainHashWithTail(std::string_view prev_hash, const Event& e, std::string_view tail) {
  std::string head = "{";
  bool first = true;
  ForEachHeadField(e, kWithSeq | kWithId | kWithRecorded,
                   [&](std::string_view key, std::string_view value, bool quoted) {
                     AppendMember(head, first, key, value, quoted);
                     first = false;
                   });
  return Sha256Hex({prev_hash, "\n", head, tail});
}

std::string DerivedEventId(const Event& e) {
  return "ev-" + Sha256Hex({Serialize(e, 0)}).substr(0, 20);
}

std::string FirstDifference(const Event& a, const Event& b) {
  std::vector<std::pair<std::string_view, std::string>> fa;
  std::vector<std::pair<std::string_view, std::string>> fb;
  ForEachField(a, 0, [&](std::string_view k, std::string_view v, bool) { fa.emplace_back(k, v); });
  ForEachField(b, 0, [&](std::string_view k, std::string_view v, bool) { fb.emplace_back(k, v); });
  if (fa == fb) return {};
  auto value = [](const auto& fields, std::string_view key) -> std::string {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    return {};
  };
  for (const FieldSpec& f : kFields) {
    if (value(fa, f.name) != value(fb, f.name)) return std::string(f.name);
  }
  return "kind";
}

}  // namespace dealtrail
