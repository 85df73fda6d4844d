// Rendering replay positions: table, JSON (the contract in docs/replay.md)
// and CSV.
#ifndef DEALTRAIL_SRC_CLI_POSITIONS_FORMAT_H_
#define DEALTRAIL_SRC_CLI_POSITIONS_FORMAT_H_

#include <map>
#include <ostream>
#include <string>

#include "cli/table.h"
#include "dealtrail/replay.h"

namespace dealtrail::cli {

// Party id -> display name.
using Names = std::map<std::string, std::string>;

// A display name (the id when unknown).
std::string NameOf(const Names& names, const std::string& id);
// One pair as replay's JSON shows it (docs/replay.md).
Json PairJson(const PairPosition& p, const Names& names);

// How an analyst reads a committed amount: "up to $100B", "$30B",
// "$15B + $35B conditional".
std::string CommittedText(const CommitmentPosition& c);
// "open", "superseded by …".
std::string StatusText(const CommitmentPosition& c);

Json PositionsJson(const Positions& p, const Names& names);
void PrintPositionsTable(const Positions& p, const Names& names, std::ostream& out);
// One section as CSV: commitments, pairs, parties or rounds.
Status PrintPositionsCsv(const Positions& p, const Names& names, std::string_view section,
                         std::ostream& out);

}  // namespace dealtrail::cli

#endif  // DEALTRAIL_SRC_CLI_POSITIONS_FORMAT_H_
