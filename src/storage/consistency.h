// What verify checks besides the hash chain: the rows derived from events
// (parties, party_aliases, each event's effective_end) and the schema
// objects themselves. The hash covers each event's canonical content; these
// checks catch edits made out of band to everything else that replay, name
// resolution and SQL users read.
#ifndef DEALTRAIL_SRC_STORAGE_CONSISTENCY_H_
#define DEALTRAIL_SRC_STORAGE_CONSISTENCY_H_

#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "dealtrail/event.h"

namespace dealtrail::storage {

// The parties and party_aliases rows the party events define, collected
// while verify walks the chain and then compared with the tables.
class DerivedParties {
 public:
  // Adds what `e` (an event whose hash checked) defines, as the writer does.
  void Add(const Event& e);
  // One problem per row that differs, is missing or has no event behind it.
  void Check(SQLite::Database& db, std::vector<std::string>* problems) const;

 private:
  std::map<std::string, std::string> parties_;  // party_id -> name, kind, seq
  std::map<std::string, std::string> aliases_;  // alias_key -> alias, party_id, seq
};

// Every table, index, view and trigger dealtrail creates must be in the
// file exactly as the migrations create it (the append-only triggers
// included), and no other trigger may be there. Call only on a ledger at
// the current schema version.
void CheckSchemaObjects(SQLite::Database& db, std::vector<std::string>* problems);

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_CONSISTENCY_H_
