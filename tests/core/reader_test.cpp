// Unit tests for dealtrail/reader.h: the JSONL and CSV event readers over
// in-memory streams, their line numbers, and errors located at "name:line".
#include "dealtrail/reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dealtrail {
namespace {

struct ReadResult {
  std::vector<Event> events;
  std::vector<std::int64_t> lines;  // line() after each event
  Status error;                     // ok if the input was read to the end
};

enum class Format { kJsonl, kCsv };

ReadResult ReadAll(Format format, const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::unique_ptr<EventReader> reader =
      format == Format::kJsonl ? MakeJsonlReader(in, name) : MakeCsvReader(in, name);
  ReadResult out;
  while (true) {
    Event e;
    const Result<bool> got = reader->Next(&e);
    if (!got.ok()) {
      out.error = got.status();
      break;
    }
    if (!*got) break;
    out.events.push_back(std::move(e));
    out.lines.push_back(reader->line());
  }
  return out;
}

ReadResult ReadJsonl(const std::string& text) {
  return ReadAll(Format::kJsonl, text, "events.jsonl");
}
ReadResult ReadCsv(const std::string& text) { return ReadAll(Format::kCsv, text, "events.csv"); }

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

const std::string kCancel = R"({"kind":"cancel","date":"2026-01","commitment":"c1"})";
const std::string kExpire = R"({"kind":"expire","date":"2026-02","commitment":"c2"})";
const std::string kFund = R"({"kind":"fund","date":"2025-Q4","commitment":"c3","amount":"$10B"})";

// --- JSONL ---------------------------------------------------------------------------

TEST(JsonlReaderTest, ReadsEventsInOrderWithLineNumbers) {
  const std::string text = kCancel + "\n\n" + kExpire + "\n   \t\n" + kFund + "\n";
  std::istringstream in(text);
  const std::unique_ptr<EventReader> reader = MakeJsonlReader(in, "events.jsonl");
  EXPECT_EQ(reader->name(), "events.jsonl");

  struct Want {
    EventKind kind;
    std::string commitment;
    std::int64_t line;
  };
  const Want wants[] = {
      {EventKind::kCancel, "c1", 1}, {EventKind::kExpire, "c2", 3}, {EventKind::kFund, "c3", 5}};
  for (const Want& w : wants) {
    SCOPED_TRACE(w.commitment);
    Event e;
    const Result<bool> got = reader->Next(&e);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(*got);
    EXPECT_EQ(e.kind, w.kind);
    EXPECT_EQ(e.commitment, w.commitment);
    EXPECT_EQ(reader->line(), w.line);
  }
  Event e;
  const Result<bool> end = reader->Next(&e);
  ASSERT_TRUE(end.ok()) << end.status().ToString();
  EXPECT_FALSE(*end);
  EXPECT_EQ(reader->bytes_read(), static_cast<std::int64_t>(text.size()));
}

TEST(JsonlReaderTest, ReadsFieldsAndAliases) {
  const ReadResult r =
      ReadJsonl(R"({"seq":3,"id":"p1","kind":"party-add","date":"2024-10-02","party":"nvidia",)"
                R"("name":"Nvidia","aliases":["NVIDIA Corp","NVDA"],"note":null,"hash":"ab"})");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.id, "p1");
  EXPECT_EQ(e.party, "nvidia");
  EXPECT_EQ(e.aliases, (std::vector<std::string>{"NVIDIA Corp", "NVDA"}));
  EXPECT_EQ(e.seq, 0);  // written by export, ignored on input
  EXPECT_EQ(e.hash, "");
}

TEST(JsonlReaderTest, AcceptsAByteOrderMarkAndCrlf) {
  const ReadResult r = ReadJsonl("\xEF\xBB\xBF" + kCancel + "\r\n\r\n" + kExpire + "\r\n");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].commitment, "c1");
  EXPECT_EQ(r.events[1].commitment, "c2");
  EXPECT_EQ(r.lines, (std::vector<std::int64_t>{1, 3}));
}

TEST(JsonlReaderTest, LastLineWithoutNewline) {
  const std::string text = kCancel + "\n" + kExpire;
  std::istringstream in(text);
  const std::unique_ptr<EventReader> reader = MakeJsonlReader(in, "-");
  Event e;
  ASSERT_TRUE(*reader->Next(&e));
  ASSERT_TRUE(*reader->Next(&e));
  EXPECT_EQ(e.commitment, "c2");
  EXPECT_EQ(reader->line(), 2);
  EXPECT_FALSE(*reader->Next(&e));
  EXPECT_EQ(reader->bytes_read(), static_cast<std::int64_t>(text.size()));
}

struct ErrorCase {
  const char* name;
  std::string input;
  std::string where;
  std::string field;
  std::string message_has;
};

void ExpectErrors(Format format, const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string file = format == Format::kJsonl ? "events.jsonl" : "events.csv";
    const ReadResult r = ReadAll(format, c.input, file);
    ASSERT_FALSE(r.error.ok()) << r.events.size() << " events read";
    EXPECT_EQ(r.error.code(), StatusCode::kInvalidInput);
    EXPECT_EQ(r.error.where(), file + ":" + c.where);
    EXPECT_EQ(r.error.field(), c.field);
    EXPECT_TRUE(Contains(r.error.message(), c.message_has)) << r.error.ToString();
  }
}

TEST(JsonlReaderTest, ErrorsAreLocatedAndNameTheField) {
  const std::string fund_prefix = R"({"kind":"fund","date":"2025-Q4","commitment":"c3",)";
  ExpectErrors(
      Format::kJsonl,
      {
          {"malformed JSON", kCancel + "\n" + R"({"kind":"cancel",)" + "\n", "2", "",
           "expected one JSON object per line: "},
          {"trailing text", kCancel + " x\n", "1", "", "expected one JSON object per line: "},
          {"single quotes", "{'kind':'cancel'}\n", "1", "", "expected one JSON object per line"},
          {"an array", "[1,2]\n", "1", "", "expected one JSON object per line"},
          {"a string", "\"cancel\"\n", "1", "", "expected one JSON object per line"},
          {"a number", "42\n", "1", "", "expected one JSON object per line"},
          {"amount as a number", fund_prefix + R"("amount":10000000000})", "1", "amount",
           "expected a string such as \"$30B\" (amounts are never JSON numbers), got number"},
          {"target as a number",
           R"({"kind":"round-open","date":"2025","party":"p","round":"r","target":6.6})", "1",
           "target", "(amounts are never JSON numbers)"},
          {"date as a number", R"({"kind":"cancel","date":2026,"commitment":"c1"})", "1", "date",
           "expected a string, got number"},
          {"boolean", R"({"kind":"cancel","date":"2026","commitment":"c1","note":true})", "1",
           "note", "expected a string, got boolean"},
          {"object", R"({"kind":"cancel","date":"2026","commitment":"c1","note":{}})", "1", "note",
           "expected a string, got object"},
          {"aliases not a list",
           R"({"kind":"party-alias","date":"2026","party":"p","aliases":"NVDA"})", "1", "aliases",
           "expected a list of names"},
          {"aliases not strings",
           R"({"kind":"party-alias","date":"2026","party":"p","aliases":["a",1]})", "1", "aliases",
           "expected a list of names (strings)"},
          {"seq as a string", R"({"seq":"7","kind":"cancel","date":"2026","commitment":"c1"})", "1",
           "seq", "expected an integer"},
          {"duplicate key",
           kCancel + "\n" + R"({"kind":"cancel","date":"2026-01","commitment":"c1","date":"2026"})",
           "2", "date", "appears twice"},
          {"invalid UTF-8",
           kCancel + "\n" + R"({"kind":"cancel","date":"2026","commitment":"c1","note":"a)" +
               "\xff" + R"("})" + "\n",
           "2", "", "expected UTF-8 text; the line has invalid bytes or a NUL"},
          {"NUL byte",
           R"({"kind":"cancel","date":"2026","commitment":"c1","note":"a)" + std::string(1, '\0') +
               R"("})",
           "1", "", "expected UTF-8 text; the line has invalid bytes or a NUL"},
          {"empty file", "", "1", "", "no events: the file is empty"},
          {"blank lines only", "\n \n\r\n", "1", "", "no events"},
          {"unknown field", kCancel + "\n\n" + R"({"kind":"fund","date":"2025","amout":"$1B"})",
           "3", "amout", "unknown field (did you mean 'amount'?)"},
          {"missing field", R"({"kind":"fund","date":"2025","commitment":"c1"})", "1", "amount",
           "missing: a 'fund' event needs it"},
          {"bad amount", fund_prefix + R"("amount":"lots"})", "1", "amount",
           "expected an amount like '$30B'"},
          {"line too long", kCancel + "\n" + std::string(kMaxLineBytes + 1, ' ') + "\n", "2", "",
           "line is 1048577 bytes; at most 1048576 allowed"},
      });
}

TEST(JsonlReaderTest, ReadingStopsAtTheFirstError) {
  const ReadResult r = ReadJsonl(kCancel + "\n" + "{\n" + kExpire + "\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].commitment, "c1");
  EXPECT_EQ(r.error.where(), "events.jsonl:2");
}

TEST(JsonlReaderTest, ALineOfExactlyTheLimitIsAccepted) {
  // JSON allows white space after the object, so pad a valid line to the limit.
  for (const std::string ending : {"\n", "\r\n"}) {
    SCOPED_TRACE(ending == "\n" ? "LF" : "CRLF");
    const std::string line = kCancel + std::string(kMaxLineBytes - kCancel.size(), ' ');
    ASSERT_EQ(line.size(), kMaxLineBytes);
    const ReadResult r = ReadJsonl(line + ending + kExpire + ending);
    ASSERT_TRUE(r.error.ok()) << r.error.ToString();
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.lines, (std::vector<std::int64_t>{1, 2}));
  }
}

TEST(JsonlReaderTest, TheExportLineReadsBackToTheSameEvent) {
  RawEvent raw;
  raw.fields = {{"id", "ev-1"},
                {"kind", "open"},
                {"date", "2025-09-22"},
                {"recorded_at", "2026-02-27T18:30:00.123456Z"},
                {"certainty", "signed"},
                {"commitment", "nvidia-openai"},
                {"commitment_kind", "pledge"},
                {"from", "Nvidia"},
                {"to", "OpenAI"},
                {"amount", "up to $100B"},
                {"conditional", "$90B"},
                {"note", "quote \" and\nnewline \u20ac"},
                {"published", "2025-09-23"}};
  Result<Event> original = EventFromRaw(raw);
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  original->seq = 12;
  original->hash = ChainHash(kGenesisHash, *original);

  const ReadResult r = ReadJsonl(CanonicalJson(*original) + "\n");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 1u);
  const Event& back = r.events[0];
  EXPECT_EQ(FirstDifference(*original, back), "");
  EXPECT_EQ(back.id, "ev-1");
  EXPECT_EQ(back.recorded_at, original->recorded_at);
  EXPECT_TRUE(back.has_recorded_at);
  // seq and hash are the ledger's; everything else round-trips byte for byte.
  Event with_ledger_fields = back;
  with_ledger_fields.seq = original->seq;
  with_ledger_fields.hash = original->hash;
  EXPECT_EQ(CanonicalJson(with_ledger_fields), CanonicalJson(*original));
}

TEST(JsonlReaderTest, TheReferenceFixtureReads) {
  std::ifstream in(std::string(DEALTRAIL_FIXTURES_DIR) + "/nvidia-openai.jsonl");
  ASSERT_TRUE(in.is_open());
  const std::unique_ptr<EventReader> reader = MakeJsonlReader(in, "nvidia-openai.jsonl");
  int count = 0;
  Event e;
  while (true) {
    const Result<bool> got = reader->Next(&e);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!*got) break;
    ++count;
    EXPECT_EQ(reader->line(), count);
  }
  EXPECT_GT(count, 0);
}

// --- CSV -------------------------------------------------------------------------------

TEST(CsvReaderTest, ReadsHeaderAndRowsWithLineNumbers) {
  const std::string text =
      "kind,date,commitment,amount\n"
      "cancel,2026-01,c1,\n"
      "\n"
      "fund,2025-Q4,c3,$10B\n"
      "expire,2026-02,c2,\n";
  std::istringstream in(text);
  const std::unique_ptr<EventReader> reader = MakeCsvReader(in, "events.csv");
  EXPECT_EQ(reader->name(), "events.csv");
  struct Want {
    EventKind kind;
    std::string commitment;
    std::int64_t line;
  };
  const Want wants[] = {
      {EventKind::kCancel, "c1", 2}, {EventKind::kFund, "c3", 4}, {EventKind::kExpire, "c2", 5}};
  for (const Want& w : wants) {
    SCOPED_TRACE(w.commitment);
    Event e;
    const Result<bool> got = reader->Next(&e);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(*got);
    EXPECT_EQ(e.kind, w.kind);
    EXPECT_EQ(e.commitment, w.commitment);
    EXPECT_EQ(reader->line(), w.line);
    EXPECT_EQ(e.amount.has_value(), w.kind == EventKind::kFund);
  }
  Event e;
  const Result<bool> end = reader->Next(&e);
  ASSERT_TRUE(end.ok()) << end.status().ToString();
  EXPECT_FALSE(*end);
  EXPECT_EQ(reader->bytes_read(), static_cast<std::int64_t>(text.size()));
}

TEST(CsvReaderTest, QuotedCells) {
  const ReadResult r = ReadCsv(
      "kind,date,commitment,note\n"
      "cancel,2026-01,c1,\"a, b\"\n"
      "cancel,2026-01,c2,\"he said \"\"hi\"\"\"\n"
      "cancel,2026-01,c3,\"first line\n"
      "second line\n"
      "\n"
      "after a blank line\"\n"
      "cancel,2026-01,c4,\"\"\n"
      "\"cancel\",\"2026-01\",\"c5\",plain\n");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 5u);
  EXPECT_EQ(r.events[0].source.note, "a, b");
  EXPECT_EQ(r.events[1].source.note, "he said \"hi\"");
  EXPECT_EQ(r.events[2].source.note, "first line\nsecond line\n\nafter a blank line");
  EXPECT_EQ(r.events[3].source.note, "");
  EXPECT_EQ(r.events[4].commitment, "c5");
  EXPECT_EQ(r.events[4].source.note, "plain");
  // A record is located at the line it starts on; the next one's line is right.
  EXPECT_EQ(r.lines, (std::vector<std::int64_t>{2, 3, 4, 8, 9}));
}

TEST(CsvReaderTest, HeaderNamesAreTrimmed) {
  std::istringstream in("kind , date,commitment\ncancel,2026-01-05,c1\n");
  auto reader = MakeCsvReader(in, "t.csv");
  Event e;
  auto got = reader->Next(&e);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(e.kind, EventKind::kCancel);
  EXPECT_EQ(e.date.ToString(), "2026-01-05");
}

TEST(CsvReaderTest, AcceptsAByteOrderMarkAndCrlf) {
  const ReadResult r = ReadCsv(
      "\xEF\xBB\xBF"
      "kind,date,commitment,note\r\n"
      "cancel,2026-01,c1,\"two\r\nlines\"\r\n"
      "\r\n"
      "expire,2026-02,c2,x\r\n");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].kind, EventKind::kCancel);
  EXPECT_EQ(r.events[0].source.note, "two\nlines");
  EXPECT_EQ(r.events[1].source.note, "x");
  EXPECT_EQ(r.lines, (std::vector<std::int64_t>{2, 5}));
}

TEST(CsvReaderTest, AliasesCellIsSplitOnSemicolons) {
  const ReadResult r = ReadCsv(
      "kind,date,party,name,aliases\n"
      "party-add,2024-10-02,nvidia,Nvidia,\"NVIDIA Corp; NVDA\"\n"
      "party-alias,2024-10-03,Nvidia,,Team Green\n"
      "party-add,2024-10-02,openai,OpenAI,\n");
  ASSERT_TRUE(r.error.ok()) << r.error.ToString();
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].aliases, (std::vector<std::string>{"NVIDIA Corp", "NVDA"}));
  EXPECT_EQ(r.events[1].aliases, (std::vector<std::string>{"Team Green"}));
  EXPECT_TRUE(r.events[2].aliases.empty());
}

TEST(CsvReaderTest, ErrorsAreLocatedAndNameTheField) {
  ExpectErrors(
      Format::kCsv,
      {
          {"unbalanced quote", "kind,date,commitment,note\ncancel,2026-01,c1,\"never\nends\n", "2",
           "", "unbalanced quote: the quoted cell never ends"},
          {"text after a closing quote", "kind,date,commitment\ncancel,\"2026-01\"x,c1\n", "2", "",
           "expected ',' after a closing quote"},
          {"quote inside a cell", "kind,date,commitment\ncancel,2026-01,c\"1\n", "2", "",
           "a quote may only start a cell"},
          {"too few cells", "kind,date,commitment\ncancel,2026-01,c1\ncancel,2026-01\n", "3", "",
           "expected 3 fields as in the header, got 2"},
          {"too many cells", "kind,date,commitment\ncancel,2026-01,c1,x\n", "2", "",
           "expected 3 fields as in the header, got 4"},
          {"unknown column", "kind,date,amout\nfund,2025,$1B\n", "1", "amout",
           "unknown field (did you mean 'amount'?)"},
          {"unknown column, no suggestion", "kind,date,xyzzy\ncancel,2025,x\n", "1", "xyzzy",
           "unknown field"},
          {"duplicate column", "kind,date,commitment,date\ncancel,2026,c1,2026\n", "1", "date",
           "column appears twice"},
          {"missing kind column", "date,commitment\n2026,c1\n", "1", "kind",
           "missing column: the header must name a kind column"},
          {"empty file", "", "1", "", "no header: the file is empty"},
          {"blank lines only", "\n\n", "1", "", "no header: the file is empty"},
          {"header only", "kind,date,commitment\n", "2", "", "no events after the header"},
          {"header only, after blank lines", "\n\nkind,date,commitment\n", "4", "",
           "no events after the header"},
          {"missing date column", "kind,commitment\ncancel,c1\n", "1", "date",
           "missing column: the header must name a date column"},
          {"empty column name", "kind,date,\ncancel,2026,\n", "1", "",
           "the header has an empty column name"},
          {"bad date in a row", "kind,date,commitment\ncancel,2026-01,c1\n\ncancel,2026-13,c2\n",
           "4", "date", "month must be 01 to 12"},
          {"empty required cell", "kind,date,commitment\ncancel,2026-01,\n", "2", "commitment",
           "missing: a 'cancel' event needs it"},
          {"empty date cell", "kind,date,commitment\ncancel,,c1\n", "2", "date",
           "missing: every event needs a date"},
          {"field of another kind", "kind,date,commitment,by\ncancel,2026,c1,c2\n", "2", "by",
           "does not apply to a 'cancel' event"},
          {"invalid UTF-8", "kind,date,commitment,note\ncancel,2026,c1,ok\ncancel,2026,c2,\xff\n",
           "3", "", "expected UTF-8 text; the line has invalid bytes or a NUL"},
          {"invalid UTF-8 inside a quoted cell",
           "kind,date,commitment,note\ncancel,2026,c1,\"ok\n\xc3\"\n", "3", "",
           "expected UTF-8 text; the line has invalid bytes or a NUL"},
          {"NUL byte", "kind,date,commitment\ncancel,2026,c" + std::string(1, '\0') + "\n", "2", "",
           "expected UTF-8 text; the line has invalid bytes or a NUL"},
          {"line too long", "kind,date,note\ncancel,2026," + std::string(kMaxLineBytes, 'x') + "\n",
           "2", "", "at most 1048576 allowed"},
          {"header after blank lines", "\n\nkind,date,amout\nfund,2025,$1B\n", "3", "amout",
           "unknown field (did you mean 'amount'?)"},
      });
}

// --- JSONL and CSV agree ----------------------------------------------------------------

TEST(ReaderTest, TheSameEventAsJsonlAndAsCsvReadsToEqualContent) {
  const ReadResult jsonl = ReadJsonl(
      R"({"id":"amazon-2026","kind":"open","date":"2026-02-27","commitment":"amazon-openai",)"
      R"("commitment_kind":"equity","from":"amazon","to":"openai","amount":"$50B",)"
      R"("conditional":"$35B","certainty":"announced","source":"OpenAI announcement",)"
      R"("note":"a, \"quoted\" note"})"
      "\n"
      R"({"kind":"party-add","date":"2024-10-02","party":"nvidia","name":"Nvidia",)"
      R"("aliases":["NVIDIA Corp","NVDA"]})"
      "\n");
  const ReadResult csv = ReadCsv(
      "id,kind,date,commitment,commitment_kind,from,to,amount,conditional,certainty,source,note,"
      "party,name,aliases\n"
      "amazon-2026,open,2026-02-27,amazon-openai,equity,amazon,openai,$50B,$35B,announced,"
      "OpenAI announcement,\"a, \"\"quoted\"\" note\",,,\n"
      ",party-add,2024-10-02,,,,,,,,,,nvidia,Nvidia,NVIDIA Corp;NVDA\n");
  ASSERT_TRUE(jsonl.error.ok()) << jsonl.error.ToString();
  ASSERT_TRUE(csv.error.ok()) << csv.error.ToString();
  ASSERT_EQ(jsonl.events.size(), 2u);
  ASSERT_EQ(csv.events.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(FirstDifference(jsonl.events[i], csv.events[i]), "");
    EXPECT_EQ(CanonicalJson(jsonl.events[i]), CanonicalJson(csv.events[i]));
  }
  EXPECT_EQ(csv.events[0].source.note, "a, \"quoted\" note");
  EXPECT_EQ(csv.events[0].id, "amazon-2026");

  // And a different event is told apart.
  const ReadResult other = ReadCsv(
      "kind,date,commitment,commitment_kind,from,to,amount,conditional,certainty\n"
      "open,2026-02-27,amazon-openai,equity,amazon,openai,$50B,$30B,announced\n");
  ASSERT_TRUE(other.error.ok()) << other.error.ToString();
  EXPECT_EQ(FirstDifference(jsonl.events[0], other.events[0]), "conditional");
}

}  // namespace
}  // namespace dealtrail
