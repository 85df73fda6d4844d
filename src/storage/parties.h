// The party directory: ids and aliases as the ledger holds them, looked up
// by any alias, with "did you mean" suggestions for a name that matches none.
#ifndef DEALTRAIL_SRC_STORAGE_PARTIES_H_
#define DEALTRAIL_SRC_STORAGE_PARTIES_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "dealtrail/status.h"

namespace dealtrail::storage {

// Looks each name up in the ledger through the primary keys of `parties`
// and `party_aliases`, and remembers what it found, so one `record` reads a
// few rows however many parties the ledger holds, and an import asks once
// per party named. Every party and alias is read only to suggest names for
// one that matches none. Parties and aliases are never changed or removed
// (the schema's triggers), so what was found stays true; what was not
// found is asked again. Reads through `db`, which must outlive it; SQLite
// errors are thrown as SQLite::Exception.
class PartyDirectory {
 public:
  explicit PartyDirectory(SQLite::Database& db) : db_(db) {}

  // Runs `read` where the connection is free to use (the writer's: through
  // its insert thread while it has one, InsertThread::Read).
  using Reads = std::function<void(const std::function<void()>& read)>;
  // From here on, each read of the ledger goes through `reads`.
  void ShareConnection(Reads reads) { reads_ = std::move(reads); }

  // The id `name` stands for: a party id, or any alias (ASCII case and
  // white space ignored). kNotFound suggests the nearest known names.
  Result<std::string> Resolve(std::string_view name, std::string_view field);
  bool HasId(const std::string& id);
  // The party an alias already names (compared as its NameKey), or "".
  std::string OwnerOfAlias(std::string_view alias);

  // Remembers a party or alias whose row has just been written.
  void AddParty(const std::string& id);
  void AddAlias(std::string_view alias, const std::string& id);

 private:
  // Up to three ids whose id or an alias is near `name`, nearest first.
  std::string Suggestions(std::string_view name);
  void Read(const std::function<void()>& read) { reads_ ? reads_(read) : read(); }

  SQLite::Database& db_;
  Reads reads_;
  std::optional<SQLite::Statement> find_id_;
  std::optional<SQLite::Statement> find_alias_;
  std::unordered_set<std::string> ids_;                      // ids found
  std::unordered_map<std::string, std::string> alias_keys_;  // NameKey(alias) -> id, found
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_PARTIES_H_
