// Events: the only thing a ledger ever writes. Each is immutable once
// recorded; history is corrected by new events (revise, retract), never by
// editing old ones. This header defines the event, its kinds and vocabularies,
// and its canonical serialization (the export line, and what is hashed).
#ifndef DEALTRAIL_EVENT_H_
#define DEALTRAIL_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealtrail/money.h"
#include "dealtrail/status.h"
#include "dealtrail/time.h"

namespace dealtrail {

enum class EventKind {
  kPartyAdd,     // "party-add": a party, its display name, kind and aliases
  kPartyAlias,   // "party-alias": more aliases for a party
  kOpen,         // "open": a commitment from one party to another
  kRevise,       // "revise": new amount, conditional part, certainty, round or terms
  kFund,         // "fund": a tranche moves from committed to funded
  kSupersede,    // "supersede": replaced by another commitment ("by")
  kCancel,       // "cancel"
  kExpire,       // "expire"
  kComplete,     // "complete"
  kRoundOpen,    // "round-open": a raise by one party: target, valuations
  kRoundRevise,  // "round-revise"
  kRoundClose,   // "round-close"
  kValuation,    // "valuation": a reported pre- or post-money valuation
  kRetract,      // "retract": an earlier event was recorded in error
};
std::string_view KindName(EventKind k);
std::optional<EventKind> KindFromName(std::string_view name);
// The kinds that act on a commitment (open … complete).
bool IsCommitmentKind(EventKind k);
bool IsRoundKind(EventKind k);
bool IsPartyKind(EventKind k);

// How sure the report is, weakest first; comparable with <.
enum class Certainty { kRumored, kReported, kAnnounced, kSigned, kClosed };
std::string_view CertaintyName(Certainty c);
std::optional<Certainty> CertaintyFromName(std::string_view name);

enum class CommitmentKind { kEquity, kPledge, kDebt, kGrant, kPurchase };
std::string_view CommitmentKindName(CommitmentKind k);
std::optional<CommitmentKind> CommitmentKindFromName(std::string_view name);

enum class ValuationBasis { kPreMoney, kPostMoney };
std::string_view BasisName(ValuationBasis b);  // "pre", "post"
std::optional<ValuationBasis> BasisFromName(std::string_view name);

// Where a report came from.
struct Source {
  std::string outlet;  // "Reuters", "OpenAI announcement"
  std::string url;     // optional
  std::optional<date::sys_days> published;
  std::string note;  // free text about this event
  friend bool operator==(const Source&, const Source&) = default;
};

// One event. Which fields are set depends on `kind` (see docs/events.md);
// unused fields stay empty. Party fields hold party ids once the ledger has
// resolved the names the user typed.
struct Event {
  std::int64_t seq = 0;  // position in the ledger, 1-based; set by the ledger
  std::string id;        // client event id; derived from the content when not given
  EventKind kind = EventKind::kOpen;
  PartialDate date;              // effective date in the world
  Timestamp recorded_at{};       // when the ledger learned it; set by the ledger
  bool has_recorded_at = false;  // an import line carried recorded_at
  std::optional<Certainty> certainty;

  std::string commitment;                         // commitment id (open … complete)
  std::optional<CommitmentKind> commitment_kind;  // open
  std::string from;                               // open: the party that commits
  std::string to;                                 // open: the party that receives
  std::string round;                              // open/revise: round joined; round-*; valuation
  std::string party;     // party-*: the party; round-open: the raiser; valuation: subject
  std::string by;        // supersede: the replacing commitment
  std::string retracts;  // retract: the event id retracted

  std::optional<Amount> amount;         // open/revise: committed; fund: tranche; valuation
  std::optional<Amount> conditional;    // open/revise: the part waiting on a condition
  std::optional<Amount> target;         // round-open/round-revise
  std::optional<Amount> pre_money;      // round-open/round-revise
  std::optional<Amount> post_money;     // round-open/round-revise
  std::optional<ValuationBasis> basis;  // valuation

  std::string name;                  // party-add: display name
  std::string party_kind;            // party-add: company, fund, person, state
  std::vector<std::string> aliases;  // party-add/party-alias
  std::string terms;                 // open/revise/round-*: terms in words

  Source source;
  std::string hash;  // SHA-256 chained to the previous event; set by the ledger
};

// Limits on what one event may hold; each is accepted at its maximum and
// refused one past it.
inline constexpr std::size_t kMaxIdBytes = 64;        // party, commitment, round ids
inline constexpr std::size_t kMaxEventIdBytes = 128;  // client event ids
inline constexpr std::size_t kMaxNameBytes = 256;     // names, aliases, outlet
inline constexpr std::size_t kMaxTextBytes = 4096;    // terms, note, url
inline constexpr std::size_t kMaxAliases = 32;

// Checks the event is well formed for its kind: required fields present,
// fields of other kinds absent, ids and text within limits and valid UTF-8,
// amounts in one currency. Does not look at the ledger.
Status ValidateShape(const Event& e);

// The canonical, lossless JSON line for an event (keys in a fixed order,
// absent fields left out, amounts in canonical form). With `with_hash` the
// "hash" key is appended; the hash itself covers the line without it.
std::string CanonicalJson(const Event& e, bool with_hash = true);

// The chained hash: SHA-256 over the previous hash (64 hex digits, all zeros
// for the first event), a newline, and CanonicalJson(e, false).
std::string ChainHash(std::string_view prev_hash, const Event& e);
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// An id derived from what the event says (not when it was recorded):
// "ev-" and 20 hex digits. Recording the same content twice without an id is
// therefore a no-op, as with an id.
std::string DerivedEventId(const Event& e);

// The first field in which two events differ in content (ignoring id, seq,
// recorded_at and hash), or empty if they say the same thing.
std::string FirstDifference(const Event& a, const Event& b);

// An event as read from a file, before interpretation: named text fields in
// input order, plus the alias list.
struct RawEvent {
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<std::vector<std::string>> aliases;
};

// Interprets a raw event: names every field it knows, refuses unknown,
// duplicate and misplaced fields, parses dates and amounts, then checks the
// shape. Party names are left as typed; the ledger resolves them.
Result<Event> EventFromRaw(const RawEvent& raw);

// The JSON field names, in canonical order.
const std::vector<std::string_view>& EventFieldNames();

}  // namespace dealtrail

#endif  // DEALTRAIL_EVENT_H_
