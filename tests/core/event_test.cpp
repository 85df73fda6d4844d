// Unit tests for dealtrail/event.h: interpreting raw records (EventFromRaw and
// the shape checks), the canonical JSON line, the hash chain, derived ids and
// FirstDifference.
#include "dealtrail/event.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/chain_hash.h"

namespace dealtrail {
namespace {

// "a 'fund'", "an 'open'": how messages name a kind.
std::string AKind(EventKind k) {
  const std::string name(KindName(k));
  return (std::string("aeiou").find(name[0]) != std::string::npos ? "an '" : "a '") + name + "'";
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Result<Event> FromFields(Fields fields) {
  RawEvent raw;
  raw.fields = std::move(fields);
  return EventFromRaw(raw);
}

// `fields` with `name` set to `value` (replaced in place, or appended).
Fields With(Fields fields, const std::string& name, std::string value) {
  for (auto& [k, v] : fields) {
    if (k == name) {
      v = std::move(value);
      return fields;
    }
  }
  fields.emplace_back(name, std::move(value));
  return fields;
}

Fields Without(Fields fields, const std::string& name) {
  std::erase_if(fields, [&](const auto& f) { return f.first == name; });
  return fields;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The smallest valid record of each kind: every field in it is required.
struct KindCase {
  EventKind kind;
  Fields fields;
};

const std::vector<KindCase>& MinimalEvents() {
  static const std::vector<KindCase> cases = {
      {EventKind::kPartyAdd,
       {{"kind", "party-add"}, {"date", "2024-10-02"}, {"party", "nvidia"}, {"name", "Nvidia"}}},
      {EventKind::kPartyAlias,
       {{"kind", "party-alias"}, {"date", "2024-10-02"}, {"party", "Nvidia"}, {"aliases", "NVDA"}}},
      {EventKind::kOpen,
       {{"kind", "open"},
        {"date", "2025-09-22"},
        {"commitment", "nvidia-openai"},
        {"commitment_kind", "pledge"},
        {"from", "Nvidia"},
        {"to", "OpenAI"},
        {"amount", "up to $100B"}}},
      {EventKind::kRevise,
       {{"kind", "revise"},
        {"date", "2025-10"},
        {"commitment", "nvidia-openai"},
        {"amount", "$90B"}}},
      {EventKind::kFund,
       {{"kind", "fund"},
        {"date", "2025-Q4"},
        {"commitment", "nvidia-openai"},
        {"amount", "$10B"}}},
      {EventKind::kSupersede,
       {{"kind", "supersede"}, {"date", "2026"}, {"commitment", "c-old"}, {"by", "c-new"}}},
      {EventKind::kCancel, {{"kind", "cancel"}, {"date", "2026-01"}, {"commitment", "c1"}}},
      {EventKind::kExpire, {{"kind", "expire"}, {"date", "2026-01"}, {"commitment", "c1"}}},
      {EventKind::kComplete, {{"kind", "complete"}, {"date", "2026-01"}, {"commitment", "c1"}}},
      {EventKind::kRoundOpen,
       {{"kind", "round-open"}, {"date", "2024-10-02"}, {"party", "OpenAI"}, {"round", "oa-2024"}}},
      {EventKind::kRoundRevise,
       {{"kind", "round-revise"}, {"date", "2024-10"}, {"round", "oa-2024"}, {"target", "$6.6B"}}},
      {EventKind::kRoundClose,
       {{"kind", "round-close"}, {"date", "2024-11"}, {"round", "oa-2024"}}},
      {EventKind::kValuation,
       {{"kind", "valuation"}, {"date", "2025-03"}, {"party", "OpenAI"}, {"amount", "$300B"}}},
      {EventKind::kRetract, {{"kind", "retract"}, {"date", "2025-03"}, {"retracts", "ev-1"}}},
  };
  return cases;
}

const Fields& OpenFields() { return MinimalEvents()[2].fields; }

Event MustParse(Fields fields) {
  Result<Event> e = FromFields(std::move(fields));
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : Event{};
}

// A fully populated open event, as the ledger would hold it.
Event FullOpen() {
  Event e = MustParse({{"note", "n"},
                       {"amount", "up to $100B"},
                       {"to", "OpenAI"},
                       {"from", "Nvidia"},
                       {"id", "ev-1"},
                       {"kind", "open"},
                       {"date", "2025-09-22"},
                       {"recorded_at", "2026-02-27T18:30:00Z"},
                       {"certainty", "signed"},
                       {"commitment", "nvidia-openai"},
                       {"commitment_kind", "pledge"},
                       {"round", "openai-2025"},
                       {"conditional", "$90B"},
                       {"terms", "10 tranches"},
                       {"source", "Reuters"},
                       {"url", "https://example.com/a"},
                       {"published", "2025-09-23"}});
  e.seq = 7;
  e.hash = "abc";
  return e;
}

// --- EventFromRaw: kinds, required and misplaced fields -------------------------

TEST(EventFromRawTest, EachKindWithItsRequiredFieldsSucceeds) {
  for (const KindCase& c : MinimalEvents()) {
    SCOPED_TRACE(std::string(KindName(c.kind)));
    const Result<Event> e = FromFields(c.fields);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->kind, c.kind);
    EXPECT_EQ(e->date.ToString(), c.fields[1].second);
    EXPECT_TRUE(ValidateShape(*e).ok()) << ValidateShape(*e).ToString();
  }
}

TEST(EventFromRawTest, ReadsEveryFieldOfAnOpen) {
  const Event e = FullOpen();
  EXPECT_EQ(e.id, "ev-1");
  EXPECT_EQ(e.kind, EventKind::kOpen);
  EXPECT_EQ(e.date, *PartialDate::Parse("2025-09-22"));
  EXPECT_TRUE(e.has_recorded_at);
  EXPECT_EQ(e.recorded_at, *ParseTimestamp("2026-02-27T18:30:00Z"));
  EXPECT_EQ(e.certainty, Certainty::kSigned);
  EXPECT_EQ(e.commitment, "nvidia-openai");
  EXPECT_EQ(e.commitment_kind, CommitmentKind::kPledge);
  EXPECT_EQ(e.from, "Nvidia");
  EXPECT_EQ(e.to, "OpenAI");
  EXPECT_EQ(e.round, "openai-2025");
  EXPECT_EQ(e.amount, *ParseAmount("up to $100B"));
  EXPECT_EQ(e.conditional, *ParseAmount("$90B"));
  EXPECT_EQ(e.terms, "10 tranches");
  EXPECT_EQ(e.source.outlet, "Reuters");
  EXPECT_EQ(e.source.url, "https://example.com/a");
  EXPECT_EQ(e.source.published, *ParseDay("2025-09-23"));
  EXPECT_EQ(e.source.note, "n");
}

TEST(EventFromRawTest, SeqHashAndEmptyValuesAreIgnored) {
  const Event e = MustParse(With(With(With(OpenFields(), "seq", "42"), "hash", "ff"), "note", ""));
  EXPECT_EQ(e.seq, 0);
  EXPECT_EQ(e.hash, "");
  EXPECT_EQ(e.source.note, "");
  EXPECT_FALSE(e.has_recorded_at);
  // An empty cell of a field the kind does not use is no field at all (CSV).
  EXPECT_TRUE(FromFields(With(OpenFields(), "by", "")).ok());
  EXPECT_TRUE(FromFields(With(OpenFields(), "retracts", "")).ok());
}

TEST(EventFromRawTest, MissingRequiredFieldIsNamed) {
  for (const KindCase& c : MinimalEvents()) {
    for (const auto& [name, value] : c.fields) {
      SCOPED_TRACE(std::string(KindName(c.kind)) + " without " + name);
      const Result<Event> e = FromFields(Without(c.fields, name));
      ASSERT_FALSE(e.ok());
      EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
      const bool needs_a_change = (c.kind == EventKind::kRevise && name == "amount") ||
                                  (c.kind == EventKind::kRoundRevise && name == "target");
      // "must change something" names no single field: any of several would do.
      EXPECT_EQ(e.status().field(), needs_a_change ? "" : name);
      if (name == "kind") {
        EXPECT_EQ(e.status().message(), "missing: every event needs a kind");
      } else if (name == "date") {
        EXPECT_EQ(e.status().message(), "missing: every event needs a date");
      } else if (needs_a_change) {
        EXPECT_TRUE(Contains(e.status().message(), "must change something"))
            << e.status().message();
      } else {
        EXPECT_EQ(e.status().message(), "missing: " + AKind(c.kind) + " event needs it");
      }
    }
  }
}

TEST(EventFromRawTest, AnEmptyRequiredValueIsMissing) {
  struct Case {
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {"date", "missing: every event needs a date"},
      {"amount", "missing: an 'open' event needs it"},
      {"from", "missing: an 'open' event needs it"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    const Result<Event> e = FromFields(With(OpenFields(), c.field, ""));
    ASSERT_FALSE(e.ok()) << CanonicalJson(*e);
    EXPECT_EQ(e.status().field(), c.field);
    EXPECT_EQ(e.status().message(), c.message);
  }
}

TEST(EventFromRawTest, FieldOfAnotherKindIsRefused) {
  struct Case {
    std::size_t minimal;  // index into MinimalEvents()
    std::string field;
    std::string value;
  };
  const Case cases[] = {
      {4, "from", "Nvidia"},          // fund
      {4, "conditional", "$1B"},      // fund
      {0, "certainty", "reported"},   // party-add
      {0, "commitment", "c1"},        // party-add
      {1, "name", "Nvidia"},          // party-alias
      {2, "by", "c2"},                // open
      {2, "party", "OpenAI"},         // open
      {2, "target", "$1B"},           // open
      {6, "amount", "$1B"},           // cancel
      {11, "terms", "closed early"},  // round-close
      {12, "target", "$1B"},          // valuation
      {13, "commitment", "c1"},       // retract
  };
  for (const Case& c : cases) {
    const KindCase& k = MinimalEvents()[c.minimal];
    SCOPED_TRACE(std::string(KindName(k.kind)) + " with " + c.field);
    const Result<Event> e = FromFields(With(k.fields, c.field, c.value));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().field(), c.field);
    EXPECT_EQ(e.status().message(), "does not apply to " + AKind(k.kind) + " event");
  }
  // Aliases given as a list (JSON) are checked the same way.
  RawEvent raw;
  raw.fields = MinimalEvents()[4].fields;
  raw.aliases = std::vector<std::string>{"x"};
  const Result<Event> e = EventFromRaw(raw);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().field(), "aliases");
  EXPECT_EQ(e.status().message(), "does not apply to a 'fund' event");
}

TEST(EventFromRawTest, UnknownFieldSuggestsTheNearest) {
  struct Case {
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {"amout", "unknown field (did you mean 'amount'?)"},
      {"ammount", "unknown field (did you mean 'amount'?)"},
      {"comitment", "unknown field (did you mean 'commitment'?)"},
      {"certanty", "unknown field (did you mean 'certainty'?)"},
      {"Date", "unknown field (did you mean 'date'?)"},
      {"xyzzy", "unknown field"},
      {"valuation_of", "unknown field"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    const Result<Event> e = FromFields(With(OpenFields(), c.field, "x"));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().field(), c.field);
    EXPECT_EQ(e.status().message(), c.message);
  }
}

TEST(EventFromRawTest, DuplicatedFieldIsRefused) {
  const std::pair<std::string, std::string> repeats[] = {
      {"amount", "$1B"}, {"date", "2025-09-22"}, {"kind", "open"}, {"note", ""}};
  for (const auto& [field, value] : repeats) {
    SCOPED_TRACE(field);
    Fields fields = With(OpenFields(), "note", "");
    fields.emplace_back(field, value);
    const Result<Event> e = FromFields(fields);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().field(), field);
    EXPECT_EQ(e.status().message(), "appears twice");
  }
}

TEST(EventFromRawTest, BadKindListsTheKinds) {
  for (const std::string kind : {"opne", "", "Open", "party_add"}) {
    SCOPED_TRACE(kind);
    const Result<Event> e = FromFields(With(OpenFields(), "kind", kind));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().field(), "kind");
    EXPECT_EQ(e.status().message(),
              "expected one of party-add, party-alias, open, revise, fund, supersede, cancel, "
              "expire, complete, round-open, round-revise, round-close, valuation, retract; got '" +
                  kind + "'");
  }
}

TEST(EventFromRawTest, BadValuesNameTheFieldAndWhatWasExpected) {
  struct Case {
    std::size_t minimal;
    std::string field;
    std::string value;
    std::string message_has;
  };
  const Case cases[] = {
      {2, "certainty", "sure",
       "expected rumored, reported, announced, signed or closed; got 'sure'"},
      {2, "commitment_kind", "loan",
       "expected equity, pledge, debt, grant or purchase; got 'loan'"},
      {12, "basis", "postmoney", "expected pre or post; got 'postmoney'"},
      {0, "party_kind", "bank", "expected company, fund, person or state, got 'bank'"},
      {2, "date", "2025-02-30", "no such day: '2025-02-30'"},
      {2, "date", "Sept 2025", "expected a date like 2025-09-22"},
      {2, "amount", "lots", "expected an amount like '$30B'"},
      {2, "amount", "-5", "negative amounts are not allowed"},
      {2, "conditional", "$1.001", "too many decimals for USD"},
      {2, "published", "2025-09", "expected a day like 2025-09-22"},
      {2, "recorded_at", "yesterday", "expected a time like 2026-02-27T18:30:00Z"},
      {2, "note", "bad \xff byte", "expected UTF-8 text without NUL bytes"},
      {2, "from", std::string("Nv\0idia", 7), "expected UTF-8 text without NUL bytes"},
      {2, "from", " Nvidia", "a name may not start or end with white space"},
      {2, "to", "OpenAI ", "a name may not start or end with white space"},
      {2, "from", "   ", "expected a name, got nothing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field + "=" + c.value);
    const Result<Event> e = FromFields(With(MinimalEvents()[c.minimal].fields, c.field, c.value));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(e.status().field(), c.field);
    EXPECT_TRUE(Contains(e.status().message(), c.message_has)) << e.status().message();
  }
}

// --- Defaults and aliases --------------------------------------------------------

TEST(EventFromRawTest, DefaultsMakeTheStoredEventExplicit) {
  const Event open = MustParse(MinimalEvents()[2].fields);
  EXPECT_EQ(open.certainty, Certainty::kReported);
  const Event round_open = MustParse(MinimalEvents()[9].fields);
  EXPECT_EQ(round_open.certainty, Certainty::kReported);
  const Event valuation = MustParse(MinimalEvents()[12].fields);
  EXPECT_EQ(valuation.certainty, Certainty::kReported);
  EXPECT_EQ(valuation.basis, ValuationBasis::kPostMoney);
  const Event party = MustParse(MinimalEvents()[0].fields);
  EXPECT_EQ(party.party_kind, "company");

  // No default where the kind does not take one.
  EXPECT_FALSE(MustParse(MinimalEvents()[3].fields).certainty.has_value());  // revise
  EXPECT_FALSE(MustParse(MinimalEvents()[4].fields).certainty.has_value());  // fund

  // Given values are kept.
  EXPECT_EQ(MustParse(With(OpenFields(), "certainty", "rumored")).certainty, Certainty::kRumored);
  EXPECT_EQ(MustParse(With(MinimalEvents()[12].fields, "basis", "pre")).basis,
            ValuationBasis::kPreMoney);
  EXPECT_EQ(MustParse(With(MinimalEvents()[0].fields, "party_kind", "fund")).party_kind, "fund");
}

TEST(EventFromRawTest, AliasesFromASemicolonSeparatedCell) {
  struct Case {
    std::string cell;
    std::vector<std::string> aliases;
  };
  const Case cases[] = {
      {"NVDA", {"NVDA"}},
      {"NVIDIA Corp;NVDA", {"NVIDIA Corp", "NVDA"}},
      {"NVIDIA Corp ; NVDA ;\xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7",
       {"NVIDIA Corp", "NVDA", "\xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7"}},
      {"NVDA;", {"NVDA"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cell);
    const Event e = MustParse(With(MinimalEvents()[1].fields, "aliases", c.cell));
    EXPECT_EQ(e.aliases, c.aliases);
  }
  const Result<Event> empty_alias = FromFields(With(MinimalEvents()[1].fields, "aliases", "a;;b"));
  ASSERT_FALSE(empty_alias.ok());
  EXPECT_EQ(empty_alias.status().field(), "aliases");
  EXPECT_EQ(empty_alias.status().message(), "expected a name, got nothing");
}

TEST(EventFromRawTest, AliasesFromAList) {
  RawEvent raw;
  raw.fields = Without(MinimalEvents()[1].fields, "aliases");
  raw.aliases = std::vector<std::string>{"NVIDIA Corp", "NVDA"};
  const Result<Event> e = EventFromRaw(raw);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->aliases, (std::vector<std::string>{"NVIDIA Corp", "NVDA"}));

  raw.aliases = std::vector<std::string>{};
  const Result<Event> none = EventFromRaw(raw);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().field(), "aliases");
  EXPECT_EQ(none.status().message(), "missing: a 'party-alias' event needs it");
}

// --- Ids and limits ----------------------------------------------------------------

TEST(EventFromRawTest, IdsFollowTheSlugRules) {
  struct Case {
    std::size_t minimal;
    std::string field;
    std::string value;
    bool ok;
  };
  const Case cases[] = {
      {6, "commitment", "nvidia-openai-2025", true},
      {6, "commitment", "a", true},
      {6, "commitment", "0abc", true},
      {6, "commitment", "a.b_c-d", true},
      {6, "commitment", "Nvidia", false},
      {6, "commitment", "-abc", false},
      {6, "commitment", ".abc", false},
      {6, "commitment", "_abc", false},
      {6, "commitment", "a b", false},
      {6, "commitment", "a/b", false},
      {6, "commitment", "a:b", false},
      {6, "commitment", "caf\xc3\xa9", false},
      {11, "round", "Round-1", false},
      {5, "by", "c new", false},
      {0, "party", "Nvidia", false},  // party-add: the party is an id
      {0, "party", "nvidia-corp", true},
      // Event ids also allow upper case and ':'.
      {6, "id", "Import:2025-09:17", true},
      {6, "id", ":x", false},
      {6, "id", "-x", false},
      {6, "id", "a b", false},
      {13, "retracts", "Import:17", true},
      {13, "retracts", "ev 17", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field + "=" + c.value);
    const Result<Event> e = FromFields(With(MinimalEvents()[c.minimal].fields, c.field, c.value));
    ASSERT_EQ(e.ok(), c.ok) << e.status().ToString();
    if (!c.ok) {
      EXPECT_EQ(e.status().field(), c.field);
      EXPECT_TRUE(Contains(e.status().message(), "expected an id of")) << e.status().message();
      EXPECT_TRUE(Contains(e.status().message(), "got '" + c.value + "'")) << e.status().message();
    }
  }
}

TEST(EventFromRawTest, LimitsAcceptTheMaximumAndRefuseOnePast) {
  struct Case {
    std::size_t minimal;
    std::string field;
    std::size_t max;
    std::string unit;  // "id" or "text"
  };
  const Case cases[] = {
      {6, "commitment", kMaxIdBytes, "id"},  {11, "round", kMaxIdBytes, "id"},
      {5, "by", kMaxIdBytes, "id"},          {0, "party", kMaxIdBytes, "id"},
      {6, "id", kMaxEventIdBytes, "id"},     {13, "retracts", kMaxEventIdBytes, "id"},
      {0, "name", kMaxNameBytes, "text"},    {2, "from", kMaxNameBytes, "text"},
      {2, "to", kMaxNameBytes, "text"},      {12, "party", kMaxNameBytes, "text"},
      {1, "aliases", kMaxNameBytes, "text"}, {2, "source", kMaxNameBytes, "text"},
      {2, "terms", kMaxTextBytes, "text"},   {2, "note", kMaxTextBytes, "text"},
      {2, "url", kMaxTextBytes, "text"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    const Fields& base = MinimalEvents()[c.minimal].fields;
    const Result<Event> at_max = FromFields(With(base, c.field, std::string(c.max, 'a')));
    EXPECT_TRUE(at_max.ok()) << at_max.status().ToString();
    const Result<Event> past = FromFields(With(base, c.field, std::string(c.max + 1, 'a')));
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.status().field(), c.field);
    EXPECT_EQ(past.status().message(), c.unit + " is " + std::to_string(c.max + 1) +
                                           " bytes; at most " + std::to_string(c.max) + " allowed");
  }
}

TEST(EventFromRawTest, LimitsCountBytesNotCharacters) {
  std::string name;
  for (std::size_t i = 0; i < kMaxNameBytes / 2; ++i) name += "\xc3\xa9";  // é, two bytes
  EXPECT_TRUE(FromFields(With(OpenFields(), "from", name)).ok());
  const Result<Event> e = FromFields(With(OpenFields(), "from", name + "e"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().field(), "from");
}

TEST(EventFromRawTest, AtMostKMaxAliases) {
  auto with_aliases = [](std::size_t n) {
    std::string cell;
    for (std::size_t i = 0; i < n; ++i) cell += (i ? ";a" : "a") + std::to_string(i);
    return With(MinimalEvents()[1].fields, "aliases", cell);
  };
  const Result<Event> at_max = FromFields(with_aliases(kMaxAliases));
  ASSERT_TRUE(at_max.ok()) << at_max.status().ToString();
  EXPECT_EQ(at_max->aliases.size(), kMaxAliases);
  const Result<Event> past = FromFields(with_aliases(kMaxAliases + 1));
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().field(), "aliases");
  EXPECT_EQ(past.status().message(), "at most 32 aliases allowed");
}

// --- Relations within one event --------------------------------------------------

TEST(EventFromRawTest, RelationsWithinTheEvent) {
  struct Case {
    const char* name;
    Fields fields;
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {"conditional above amount",
       With(With(OpenFields(), "amount", "$10B"), "conditional", "$20B"), "conditional",
       "the conditional part ($20B) exceeds the amount ($10B)"},
      {"mixed currencies", With(OpenFields(), "conditional", "\u20ac5B"), "conditional",
       "all amounts in one event must be in one currency (USD)"},
      {"mixed round amounts",
       With(With(MinimalEvents()[9].fields, "target", "$6.6B"), "post_money", "EUR 157B"),
       "post_money", "all amounts in one event must be in one currency (USD)"},
      {"from == to", With(OpenFields(), "to", "Nvidia"), "to",
       "a commitment needs two different parties"},
      {"supersede by itself", With(MinimalEvents()[5].fields, "by", "c-old"), "by",
       "a commitment cannot supersede itself"},
      {"revise with nothing",
       {{"kind", "revise"}, {"date", "2025-10"}, {"commitment", "c1"}, {"note", "no change"}},
       "",
       "a revise must change something: amount, conditional, certainty, round or terms"},
      {"round-revise with nothing",
       {{"kind", "round-revise"}, {"date", "2025-10"}, {"round", "r1"}, {"source", "FT"}},
       "",
       "a round-revise must change something: target, pre_money, post_money, certainty or terms"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<Event> e = FromFields(c.fields);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(e.status().field(), c.field);
    EXPECT_EQ(e.status().message(), c.message);
  }
}

TEST(EventFromRawTest, RelationsThatAreFine) {
  // A conditional part equal to the amount, one currency throughout, and a
  // revise that changes only one thing.
  EXPECT_TRUE(FromFields(With(With(OpenFields(), "amount", "$10B"), "conditional", "$10B")).ok());
  EXPECT_TRUE(
      FromFields(With(With(OpenFields(), "amount", "EUR 10B"), "conditional", "\u20ac5B")).ok());
  for (const std::string field : {"amount", "conditional", "certainty", "round", "terms"}) {
    SCOPED_TRACE(field);
    const std::string value = field == "certainty" ? "signed"
                              : field == "round"   ? "r2"
                              : field == "terms"   ? "new terms"
                                                   : "$5B";
    EXPECT_TRUE(
        FromFields({{"kind", "revise"}, {"date", "2025-10"}, {"commitment", "c1"}, {field, value}})
            .ok());
  }
}

// --- CanonicalJson -----------------------------------------------------------------

TEST(CanonicalJsonTest, FixedKeyOrderAndCanonicalAmounts) {
  const Event e = FullOpen();
  const std::string without_hash =
      R"({"seq":7,"id":"ev-1","kind":"open","date":"2025-09-22",)"
      R"("recorded_at":"2026-02-27T18:30:00.000000Z","certainty":"signed",)"
      R"("commitment":"nvidia-openai","commitment_kind":"pledge","from":"Nvidia","to":"OpenAI",)"
      R"("round":"openai-2025","amount":"up to 100000000000.00 USD",)"
      R"("conditional":"90000000000.00 USD","terms":"10 tranches","source":"Reuters",)"
      R"("url":"https://example.com/a","published":"2025-09-23","note":"n")";
  EXPECT_EQ(CanonicalJson(e, /*with_hash=*/false), without_hash + "}");
  EXPECT_EQ(CanonicalJson(e), without_hash + R"(,"hash":"abc"})");
}

TEST(CanonicalJsonTest, AbsentFieldsAreLeftOut) {
  Event e = MustParse({{"kind", "party-add"},
                       {"date", "2024-10-02"},
                       {"party", "nvidia"},
                       {"name", "Nvidia"},
                       {"aliases", "NVIDIA Corp;NVDA"}});
  EXPECT_EQ(CanonicalJson(e),
            R"({"seq":0,"kind":"party-add","date":"2024-10-02",)"
            R"("recorded_at":"1970-01-01T00:00:00.000000Z","party":"nvidia","name":"Nvidia",)"
            R"("party_kind":"company","aliases":["NVIDIA Corp","NVDA"]})");
  const Event cancel = MustParse(MinimalEvents()[6].fields);
  EXPECT_EQ(CanonicalJson(cancel, false),
            R"({"seq":0,"kind":"cancel","date":"2026-01",)"
            R"("recorded_at":"1970-01-01T00:00:00.000000Z","commitment":"c1"})");
}

TEST(CanonicalJsonTest, EscapesQuotesAndControlCharactersAndKeepsUtf8) {
  const std::string note =
      "He said \"hi\"\n\ttab \\ back\r\x01\x1f end \u20ac "
      "\xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7 \xf0\x9f\x9a\x80";
  const Event e = MustParse(With(OpenFields(), "note", note));
  const std::string json = CanonicalJson(e, false);
  const std::string expected_note =
      R"("note":"He said \"hi\"\n\ttab \\ back\r\u0001\u001f end )"
      "\u20ac \xd8\xa5\xd9\x86\xd9\x81\xd9\x8a\xd8\xaf\xd9\x8a\xd8\xa7 \xf0\x9f\x9a\x80\"}";
  EXPECT_TRUE(json.ends_with(expected_note)) << json;
  // And any JSON parser reads the note back unchanged.
  EXPECT_EQ(nlohmann::json::parse(json).at("note").get<std::string>(), note);
}

// --- ChainHash -----------------------------------------------------------------------

bool IsLowerHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(ChainHashTest, IsSha256OverThePreviousHashANewlineAndTheLine) {
  Event e = MustParse(MinimalEvents()[6].fields);
  e.seq = 1;
  e.recorded_at = *ParseTimestamp("2026-02-27T18:30:00Z");
  ASSERT_EQ(CanonicalJson(e, false),
            R"({"seq":1,"kind":"cancel","date":"2026-01",)"
            R"("recorded_at":"2026-02-27T18:30:00.000000Z","commitment":"c1"})");
  // sha256(kGenesisHash + "\n" + the line above), computed outside dealtrail.
  EXPECT_EQ(ChainHash(kGenesisHash, e),
            "23fa716df99d0fc018a3c3abfc3cbcabcfe73fa135ce7f663f8e3b2caf513694");
}

// An import serializes the tail of each line on its parsing thread: the
// tail must be exactly the end of the canonical line, for every kind, and
// the hash from it the same.
TEST(ChainHashTest, TheTailIsTheEndOfTheCanonicalLine) {
  std::vector<Event> events;
  for (const KindCase& c : MinimalEvents()) events.push_back(MustParse(c.fields));
  events.push_back(FullOpen());
  for (Event& e : events) {
    e.seq = 12;
    e.recorded_at = *ParseTimestamp("2026-02-27T18:30:00Z");
    const std::string line = CanonicalJson(e, false);
    const std::string tail = SerializedTail(e);
    ASSERT_GE(line.size(), tail.size());
    EXPECT_EQ(line.substr(line.size() - tail.size()), tail) << line;
    EXPECT_EQ(tail.back(), '}');
    EXPECT_EQ(tail.find("recorded_at"), std::string::npos) << tail;
    EXPECT_EQ(ChainHashWithTail(kGenesisHash, e, tail), ChainHash(kGenesisHash, e)) << line;
  }
  // The pinned hash above, through the tail.
  Event cancel = MustParse(MinimalEvents()[6].fields);
  cancel.seq = 1;
  cancel.recorded_at = *ParseTimestamp("2026-02-27T18:30:00Z");
  EXPECT_EQ(ChainHashWithTail(kGenesisHash, cancel, SerializedTail(cancel)),
            "23fa716df99d0fc018a3c3abfc3cbcabcfe73fa135ce7f663f8e3b2caf513694");
}

TEST(ChainHashTest, DeterministicAndChangesWithAnyFieldOrThePreviousHash) {
  const Event base = FullOpen();
  const std::string h = ChainHash(kGenesisHash, base);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(IsLowerHex(h)) << h;
  EXPECT_EQ(ChainHash(kGenesisHash, base), h);
  EXPECT_EQ(ChainHash(kGenesisHash, FullOpen()), h);

  const std::string other_prev(64, 'f');
  EXPECT_NE(ChainHash(other_prev, base), h);
  EXPECT_NE(ChainHash(h, base), h);

  // The stored hash itself is not hashed.
  Event rehashed = base;
  rehashed.hash = "different";
  EXPECT_EQ(ChainHash(kGenesisHash, rehashed), h);

  struct Change {
    const char* field;
    std::function<void(Event&)> apply;
  };
  const Change changes[] = {
      {"seq", [](Event& e) { e.seq = 8; }},
      {"id", [](Event& e) { e.id = "ev-2"; }},
      {"date", [](Event& e) { e.date = *PartialDate::Parse("2025-09"); }},
      {"recorded_at", [](Event& e) { e.recorded_at += std::chrono::microseconds{1}; }},
      {"certainty", [](Event& e) { e.certainty = Certainty::kClosed; }},
      {"commitment", [](Event& e) { e.commitment = "other"; }},
      {"commitment_kind", [](Event& e) { e.commitment_kind = CommitmentKind::kEquity; }},
      {"from", [](Event& e) { e.from = "AMD"; }},
      {"to", [](Event& e) { e.to = "xAI"; }},
      {"round", [](Event& e) { e.round.clear(); }},
      {"amount", [](Event& e) { e.amount->minor += 1; }},
      {"amount bound", [](Event& e) { e.amount->bound = Bound::kExact; }},
      {"conditional", [](Event& e) { e.conditional.reset(); }},
      {"terms", [](Event& e) { e.terms += "."; }},
      {"source", [](Event& e) { e.source.outlet = "FT"; }},
      {"url", [](Event& e) { e.source.url.clear(); }},
      {"published", [](Event& e) { e.source.published = *ParseDay("2025-09-24"); }},
      {"note", [](Event& e) { e.source.note = "N"; }},
  };
  for (const Change& c : changes) {
    SCOPED_TRACE(c.field);
    Event changed = base;
    c.apply(changed);
    EXPECT_NE(ChainHash(kGenesisHash, changed), h);
  }
}

// --- DerivedEventId ------------------------------------------------------------------

TEST(DerivedEventIdTest, DependsOnContentOnly) {
  const Event base = FullOpen();
  const std::string id = DerivedEventId(base);
  ASSERT_EQ(id.size(), 23u);
  EXPECT_TRUE(id.starts_with("ev-")) << id;
  EXPECT_TRUE(IsLowerHex(id.substr(3))) << id;

  Event same = base;
  same.seq = 99;
  same.recorded_at = *ParseTimestamp("2030-01-01T00:00:00Z");
  same.has_recorded_at = false;
  same.id = "something-else";
  same.hash = "x";
  EXPECT_EQ(DerivedEventId(same), id);

  const std::function<void(Event&)> changes[] = {
      [](Event& e) { e.amount->minor += 1; },
      [](Event& e) { e.date = *PartialDate::Parse("2025-09-23"); },
      [](Event& e) { e.source.note = "other"; },
      [](Event& e) { e.kind = EventKind::kRevise; },
  };
  for (std::size_t i = 0; i < std::size(changes); ++i) {
    SCOPED_TRACE(i);
    Event changed = base;
    changes[i](changed);
    EXPECT_NE(DerivedEventId(changed), id);
  }
}

TEST(DerivedEventIdTest, KnownValue) {
  const Event e = MustParse(MinimalEvents()[6].fields);
  // "ev-" + the first 20 hex digits of sha256 of the content line
  // {"kind":"cancel","date":"2026-01","commitment":"c1"}, computed outside dealtrail.
  EXPECT_EQ(DerivedEventId(e), "ev-1afe7b50550c55dcdc2c");
}

// --- FirstDifference -------------------------------------------------------------------

TEST(FirstDifferenceTest, EmptyForTheSameContent) {
  const Event a = FullOpen();
  Event b = a;
  b.seq = 1;
  b.recorded_at = *ParseTimestamp("2030-01-01T00:00:00Z");
  b.has_recorded_at = false;
  b.hash = "other";
  b.id = "other-id";
  EXPECT_EQ(FirstDifference(a, b), "");
  EXPECT_EQ(FirstDifference(a, a), "");
}

TEST(FirstDifferenceTest, NamesTheFirstDifferingField) {
  struct Change {
    std::string expected;
    std::function<void(Event&)> apply;
  };
  const Change changes[] = {
      {"kind", [](Event& e) { e.kind = EventKind::kRevise; }},
      {"date", [](Event& e) { e.date = *PartialDate::Parse("2025-09"); }},
      {"certainty", [](Event& e) { e.certainty.reset(); }},
      {"commitment", [](Event& e) { e.commitment = "x"; }},
      {"from", [](Event& e) { e.from = "AMD"; }},
      {"round", [](Event& e) { e.round.clear(); }},
      {"amount", [](Event& e) { e.amount->minor -= 1; }},
      {"amount", [](Event& e) { e.amount->bound = Bound::kAbout; }},
      {"conditional", [](Event& e) { e.conditional = *ParseAmount("$1B"); }},
      {"terms", [](Event& e) { e.terms.clear(); }},
      {"published", [](Event& e) { e.source.published.reset(); }},
      {"note", [](Event& e) { e.source.note = "different"; }},
      // Several changes: the first in canonical order is named.
      {"date",
       [](Event& e) {
         e.source.note = "different";
         e.amount->minor = 1;
         e.date = *PartialDate::Parse("2025");
       }},
  };
  const Event base = FullOpen();
  for (const Change& c : changes) {
    SCOPED_TRACE(c.expected);
    Event changed = base;
    c.apply(changed);
    EXPECT_EQ(FirstDifference(base, changed), c.expected);
    EXPECT_EQ(FirstDifference(changed, base), c.expected);
  }
}

TEST(FirstDifferenceTest, NamesAliases) {
  const Event a = MustParse(With(MinimalEvents()[0].fields, "aliases", "NVDA;NVIDIA Corp"));
  Event b = a;
  b.aliases = {"NVIDIA Corp", "NVDA"};  // order matters
  EXPECT_EQ(FirstDifference(a, b), "aliases");
  b.aliases.clear();
  EXPECT_EQ(FirstDifference(a, b), "aliases");
  b.aliases = a.aliases;
  b.party_kind = "fund";
  EXPECT_EQ(FirstDifference(a, b), "party_kind");
}

// --- Vocabularies ------------------------------------------------------------------------

TEST(VocabularyTest, NamesRoundTrip) {
  for (const KindCase& c : MinimalEvents()) {
    EXPECT_EQ(KindFromName(KindName(c.kind)), c.kind);
  }
  for (Certainty c : {Certainty::kRumored, Certainty::kReported, Certainty::kAnnounced,
                      Certainty::kSigned, Certainty::kClosed}) {
    EXPECT_EQ(CertaintyFromName(CertaintyName(c)), c);
  }
  EXPECT_LT(Certainty::kRumored, Certainty::kClosed);
  for (CommitmentKind k : {CommitmentKind::kEquity, CommitmentKind::kPledge, CommitmentKind::kDebt,
                           CommitmentKind::kGrant, CommitmentKind::kPurchase}) {
    EXPECT_EQ(CommitmentKindFromName(CommitmentKindName(k)), k);
  }
  EXPECT_EQ(BasisName(ValuationBasis::kPreMoney), "pre");
  EXPECT_EQ(BasisFromName("post"), ValuationBasis::kPostMoney);
  EXPECT_FALSE(KindFromName("Open").has_value());
  EXPECT_TRUE(IsCommitmentKind(EventKind::kFund));
  EXPECT_FALSE(IsCommitmentKind(EventKind::kRoundOpen));
  EXPECT_TRUE(IsRoundKind(EventKind::kRoundClose));
  EXPECT_TRUE(IsPartyKind(EventKind::kPartyAlias));
  EXPECT_EQ(EventFieldNames().front(), "seq");
  EXPECT_EQ(EventFieldNames().back(), "hash");
}

}  // namespace
}  // namespace dealtrail
