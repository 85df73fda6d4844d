// Unit tests for src/core/read_ahead.h: the events, lines and errors a
// reader gives, unchanged when it is read on a second thread, and a caller
// that stops early not left waiting.
#include "core/read_ahead.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "dealtrail/event.h"

namespace dealtrail {
namespace {

// `n` fundings, one per line, with a blank line every tenth (so lines and
// events differ), and `bad_at` (if > 0) the n-th line malformed.
std::string History(int n, int bad_at = 0) {
  std::string text;
  for (int i = 1; i <= n; ++i) {
    if (i == bad_at) {
      text += R"({"kind":"fund","date":"2026-13-01","commitment":"c","amount":"$1M"})"
              "\n";
      continue;
    }
    text += R"({"kind":"fund","date":"2026-01-01","commitment":"c)" + std::to_string(i) +
            R"(","amount":")" + std::to_string(i) +
            R"( USD"})"
            "\n";
    if (i % 10 == 0) text += "\n";
  }
  return text;
}

struct Read {
  std::vector<std::string> commitments;
  std::vector<std::int64_t> lines;
  Status error;
};

Read Plain(const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeJsonlReader(in, "h.jsonl");
  Read out;
  Event e;
  while (true) {
    auto more = reader->Next(&e);
    if (!more.ok()) {
      out.error = more.status();
      return out;
    }
    if (!*more) return out;
    out.commitments.push_back(e.commitment);
    out.lines.push_back(reader->line());
  }
}

Read Ahead(const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeJsonlReader(in, "h.jsonl");
  ReadAhead ahead(*reader);
  Read out;
  ReadAhead::Item* item = nullptr;
  while (true) {
    auto more = ahead.Next(&item);
    if (!more.ok()) {
      out.error = more.status();
      return out;
    }
    if (!*more) return out;
    out.commitments.push_back(item->event.commitment);
    out.lines.push_back(item->line);
  }
}

TEST(ReadAheadTest, GivesTheReadersEventsAndLinesInOrder) {
  const std::string text = History(3000);  // many batches
  const Read plain = Plain(text);
  const Read ahead = Ahead(text);
  ASSERT_TRUE(plain.error.ok());
  ASSERT_EQ(plain.commitments.size(), 3000U);
  EXPECT_TRUE(ahead.error.ok()) << ahead.error.ToString();
  EXPECT_EQ(ahead.commitments, plain.commitments);
  EXPECT_EQ(ahead.lines, plain.lines);
}

TEST(ReadAheadTest, AnErrorComesAfterEveryEventBeforeIt) {
  const std::string text = History(3000, 1234);
  const Read plain = Plain(text);
  const Read ahead = Ahead(text);
  ASSERT_FALSE(plain.error.ok());
  ASSERT_EQ(plain.commitments.size(), 1233U);
  EXPECT_EQ(ahead.commitments, plain.commitments);
  EXPECT_EQ(ahead.error.ToString(), plain.error.ToString());
  EXPECT_NE(ahead.error.ToString().find("h.jsonl:"), std::string::npos);
}

TEST(ReadAheadTest, EmptyInputEndsAsThePlainReaderDoes) {
  for (const std::string text : {"", "\n\n"}) {
    const Read plain = Plain(text);
    const Read ahead = Ahead(text);
    EXPECT_TRUE(ahead.commitments.empty());
    EXPECT_EQ(ahead.error.ToString(), plain.error.ToString());
  }
}

TEST(ReadAheadTest, ACallerThatStopsEarlyIsNotKeptWaiting) {
  // Far more than it reads ahead: the reader thread is blocked handing over
  // when the caller goes, and must stop rather than wait for room.
  const std::string text = History(20000);
  std::istringstream in(text);
  auto reader = MakeJsonlReader(in, "h.jsonl");
  {
    ReadAhead ahead(*reader);
    ReadAhead::Item* item = nullptr;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(*ahead.Next(&item));
    EXPECT_EQ(item->event.commitment, "c5");
  }  // joins here
  // It stopped well before the end of the input.
  EXPECT_LT(reader->line(), 20000);
}

}  // namespace
}  // namespace dealtrail
