// Ledger::Timeline on the reference fixture: what each filter picks, the
// effective order, the end date, and retractions as known at a time.
#include <gtest/gtest.h>

#include "timeline/timeline_support.h"

namespace dealtrail {
namespace {

using test::TempDir;

class StorageTimelineTest : public testing::Test {
 protected:
  void SetUp() override {
    auto ledger = test::FixtureLedger(dir_.File("fixture.db"));
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ledger_.emplace(std::move(ledger).value());
  }

  std::vector<std::string> Ids(const TimelineQuery& q) {
    std::vector<std::string> ids;
    const Status s = ledger_->Timeline(q, [&](const TimelineEntry& e) {
      ids.push_back(e.event.id + (e.retracted_by.empty() ? "" : " retracted by " + e.retracted_by));
      return Status{};
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ids;
  }

  TempDir dir_;
  std::optional<Ledger> ledger_;
};

TEST_F(StorageTimelineTest, CommitmentIncludesWhatItReplaced) {
  TimelineQuery q;
  q.commitment = "nvidia-openai-2026-equity";
  EXPECT_EQ(Ids(q),
            (std::vector<std::string>{"reuters-2026-02-03-nvidia-20b", "ft-2026-02-19-nvidia-30b",
                                      "ft-2026-02-19-replaces-loi", "openai-2026-02-27-nvidia"}));
}

TEST_F(StorageTimelineTest, PairIsEitherDirectionInEffectiveOrder) {
  TimelineQuery q;
  q.pair = std::pair<std::string, std::string>("amazon", "openai");
  // The AWS purchase dated 2025-11 counts from 2025-11-01.
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"openai-amazon-2025-aws", "openai-2026-02-27-amazon",
                                              "amazon-2026-02-27-aws"}));
}

TEST_F(StorageTimelineTest, PartyTakesItsRoundsAndValuations) {
  TimelineQuery q;
  q.party = "softbank";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"openai-2026-02-27-softbank"}));
  q.party = "openai";
  q.to = *ParseDay("2024-12-31");
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"openai-2024-round-open", "nvidia-openai-2024-stake",
                                              "nvidia-openai-2024-stake-funded",
                                              "nvidia-openai-2024-stake-complete",
                                              "openai-2024-round-close"}));
}

TEST_F(StorageTimelineTest, RoundTakesTheCommitmentsThatNameIt) {
  TimelineQuery q;
  q.round = "openai-2026";
  q.known_at = test::At("2026-02-20T00:00:00Z");
  EXPECT_EQ(Ids(q),
            (std::vector<std::string>{"reuters-2026-01-29-round", "reuters-2026-02-03-nvidia-20b",
                                      "ft-2026-02-19-nvidia-30b", "reuters-2026-02-19-round",
                                      "ft-2026-02-19-valuation"}));
}

TEST_F(StorageTimelineTest, RetractionsCountFromWhenTheyWereRecorded) {
  auto retract = test::MakeEvent({{"id", "oops"},
                                  {"kind", "retract"},
                                  {"date", "2026-03-15"},
                                  {"retracts", "openai-2026-02-27-softbank"}});
  ASSERT_TRUE(retract.ok());
  ASSERT_TRUE(ledger_->Append(*retract).ok());  // recorded at 2026-03-15T12:00:00Z
  TimelineQuery q;
  q.party = "softbank";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"openai-2026-02-27-softbank retracted by oops"}));
  q.known_at = test::At("2026-03-14T00:00:00Z");
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"openai-2026-02-27-softbank"}));
}

TEST_F(StorageTimelineTest, RoundMembershipIsAsKnownAtTheTime) {
  // A commitment that joins the round by a revision recorded later is not
  // part of the round's timeline as known before that revision.
  auto join = test::MakeEvent({{"id", "aws-joins"},
                               {"kind", "revise"},
                               {"date", "2026-03-01"},
                               {"commitment", "openai-amazon-2025-aws"},
                               {"round", "openai-2026"}});
  ASSERT_TRUE(join.ok());
  auto appended = ledger_->Append(*join);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  TimelineQuery q;
  q.round = "openai-2026";
  const std::vector<std::string> now = Ids(q);
  EXPECT_NE(std::find(now.begin(), now.end(), "openai-amazon-2025-aws"), now.end());
  q.known_at = test::At("2026-03-14T00:00:00Z");
  const std::vector<std::string> before = Ids(q);
  EXPECT_EQ(std::find(before.begin(), before.end(), "openai-amazon-2025-aws"), before.end());
}

}  // namespace
}  // namespace dealtrail
