// What must hold of every input: the properties behind each fuzz target.
#include "fuzz/targets.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <sstream>

#include "dealtrail/event.h"
#include "dealtrail/money.h"
#include "dealtrail/reader.h"
#include "dealtrail/time.h"

namespace dealtrail::fuzz {
namespace {

// A refusal must say what was wrong.
std::string CheckRefusal(const Status& s, const char* what) {
  if (s.ok()) return std::string(what) + ": a failure with an ok status";
  if (s.message().empty()) return std::string(what) + ": a refusal without a message";
  return "";
}

std::int64_t MaxMinor(const Currency& c) {
  std::int64_t max = 0;
  if (__builtin_mul_overflow(kMaxMajorUnits, c.MinorPerMajor(), &max)) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return max;
}

std::string Describe(const Amount& a) { return CanonicalAmount(a); }

// Reads every event of one input; checks each and the error that ends it.
std::string CheckReader(std::string_view input, bool csv) {
  std::istringstream in{std::string(input)};
  std::unique_ptr<EventReader> reader =
      csv ? MakeCsvReader(in, "fuzz") : MakeJsonlReader(in, "fuzz");
  const auto lines = static_cast<std::int64_t>(std::count(input.begin(), input.end(), '\n')) + 1;
  for (int n = 0; n < 100'000; ++n) {
    Event e;
    const Result<bool> got = reader->Next(&e);
    if (!got.ok()) {
      const Status& s = got.status();
      if (std::string problem = CheckRefusal(s, "reader"); !problem.empty()) return problem;
      if (s.code() != StatusCode::kInvalidInput)
        return "reader error of another code: " + s.ToString();
      if (s.where().rfind("fuzz:", 0) != 0) return "reader error not located: " + s.ToString();
      const std::int64_t line = std::atoll(s.where().c_str() + 5);
      if (line < 1 || line > lines + 1) {  // "no events after the header" names the next line
        return "reader error at line " + std::to_string(line) + " of an input of " +
               std::to_string(lines) + ": " + s.ToString();
      }
      return "";
    }
    if (!*got) return "";
    if (reader->line() < 1 || reader->line() > lines) {
      return "event located at line " + std::to_string(reader->line()) + " of " +
             std::to_string(lines);
    }
    if (Status shape = ValidateShape(e); !shape.ok()) {
      return "an event read is not well formed: " + shape.ToString();
    }
    // The canonical line (what export writes) reads back to the same event.
    const std::string line = CanonicalJson(e);
    std::istringstream again(line + "\n");
    auto back_reader = MakeJsonlReader(again, "canonical");
    Event back;
    const Result<bool> read_back = back_reader->Next(&back);
    if (!read_back.ok() || !*read_back) {
      return "the canonical line does not read back: " + line + " -> " +
             read_back.status().ToString();
    }
    if (CanonicalJson(back) != line) {
      return "the canonical line reads back differently:\n  " + line + "\n  " + CanonicalJson(back);
    }
    if (!FirstDifference(e, back).empty()) {
      return "the canonical line reads back with a different " + FirstDifference(e, back);
    }
  }
  return "";
}

}  // namespace

std::string CheckAmount(std::string_view input) {
  const Result<Amount> parsed = ParseAmount(input);
  if (!parsed.ok()) {
    if (parsed.status().code() != StatusCode::kInvalidInput) {
      return "ParseAmount failed with another code: " + parsed.status().ToString();
    }
    return CheckRefusal(parsed.status(), "ParseAmount");
  }
  const Amount& a = *parsed;
  if (a.minor < 0) return "a negative amount: " + Describe(a);
  if (a.minor > MaxMinor(a.currency)) return "an amount past the limit: " + Describe(a);
  const std::string canonical = CanonicalAmount(a);
  const Result<Amount> from_canonical = ParseAmount(canonical);
  if (!from_canonical.ok()) {
    return "the canonical form does not parse: '" + canonical +
           "': " + from_canonical.status().ToString();
  }
  if (!(*from_canonical == a)) {
    return "the canonical form reads back as another amount: '" + canonical + "' -> '" +
           Describe(*from_canonical) + "'";
  }
  const std::string human = HumanAmount(a);
  const Result<Amount> from_human = ParseAmount(human);
  if (!from_human.ok()) {
    return "the human form does not parse: '" + human + "' (of '" + canonical +
           "'): " + from_human.status().ToString();
  }
  if (!(*from_human == a)) {
    return "the human form reads back as another amount: '" + human + "' of '" + canonical +
           "' -> '" + Describe(*from_human) + "'";
  }
  const Interval i = Interval::Of(a);
  if (i.high && *i.high < i.low) return "an interval with high below low: " + canonical;
  return "";
}

std::string CheckDate(std::string_view input) {
  const Result<PartialDate> p = PartialDate::Parse(input);
  if (!p.ok()) {
    if (std::string problem = CheckRefusal(p.status(), "PartialDate::Parse"); !problem.empty()) {
      return problem;
    }
  } else {
    const std::string text = p->ToString();
    const Result<PartialDate> again = PartialDate::Parse(text);
    if (!again.ok() || !(*again == *p)) return "a date does not read back: '" + text + "'";
    if (p->last() < p->first()) return "a period that ends before it starts: " + text;
    const int year = static_cast<int>(date::year_month_day{p->first()}.year());
    if (year < 1900 || year > 2999) return "a date outside 1900-2999: " + text;
    const Result<PartialDate> of = PartialDate::Of(p->first(), p->precision());
    if (!of.ok() || !(*of == *p)) return "Of(first, precision) differs for " + text;
  }

  const Result<date::sys_days> day = ParseDay(input);
  if (!day.ok()) {
    if (std::string problem = CheckRefusal(day.status(), "ParseDay"); !problem.empty()) {
      return problem;
    }
  } else if (FormatDay(*day) != input) {
    return "ParseDay accepted '" + std::string(input) + "', which formats as " + FormatDay(*day);
  }

  const Result<Timestamp> t = ParseTimestamp(input);
  if (!t.ok()) {
    if (std::string problem = CheckRefusal(t.status(), "ParseTimestamp"); !problem.empty()) {
      return problem;
    }
  } else {
    const std::string text = FormatTimestamp(*t);
    const Result<Timestamp> again = ParseTimestamp(text);
    if (!again.ok() || *again != *t) return "a timestamp does not read back: " + text;
    if (text.size() != 27) return "a timestamp of another width: " + text;
  }
  return "";
}

std::string CheckJsonl(std::string_view input) { return CheckReader(input, false); }
std::string CheckCsv(std::string_view input) { return CheckReader(input, true); }

}  // namespace dealtrail::fuzz
