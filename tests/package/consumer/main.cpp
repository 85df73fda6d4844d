// Records a pledge and a tranche in a new ledger file, then replays it.
#include <iostream>
#include <sstream>

#include "dealtrail/ledger.h"

using namespace dealtrail;

int Fail(const Status& s) { return std::cerr << s.ToString() << "\n", 1; }

int main(int argc, char** argv) {
  auto ledger = Ledger::Create(argc > 1 ? argv[1] : "deals.db", SystemClock());
  if (!ledger.ok()) return Fail(ledger.status());
  std::istringstream jsonl(  // the import format: one event per line
      R"({"kind":"party-add","date":"2025-09-22","party":"nvidia","name":"Nvidia"}
{"kind":"party-add","date":"2025-09-22","party":"openai","name":"OpenAI"}
{"kind":"open","date":"2025-09-22","commitment":"loi","commitment_kind":"pledge",)"
      R"("from":"nvidia","to":"openai","amount":"up to $100B","certainty":"announced"})");
  auto imported = ledger->Import(*MakeJsonlReader(jsonl, "events"));
  if (!imported.ok()) return Fail(imported.status());
  Event fund{.kind = EventKind::kFund, .commitment = "loi", .amount = *ParseAmount("$10bn")};
  fund.date = *PartialDate::Parse("2025-Q4");  // a tranche in the fourth quarter
  if (auto added = ledger->Append(fund); !added.ok()) return Fail(added.status());
  auto positions = ledger->Replay({.as_of = *ParseDay("2025-12-31")});
  if (!positions.ok()) return Fail(positions.status());
  for (const CommitmentPosition& c : positions->commitments)
    std::cout << c.id << ": " << HumanAmount(c.stated) << ", funded " << HumanInterval(c.funded)
              << ", outstanding " << HumanInterval(c.outstanding) << "\n";
}
