// The party directory: ids, display names and aliases as the ledger holds
// them, with lookup by any alias and "did you mean" suggestions.
#ifndef DEALTRAIL_SRC_STORAGE_PARTIES_H_
#define DEALTRAIL_SRC_STORAGE_PARTIES_H_

#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "dealtrail/status.h"

namespace dealtrail::storage {

class PartyDirectory {
 public:
  // Reads every party and alias.
  static Result<PartyDirectory> Load(SQLite::Database& db);

  // The id `name` stands for: a party id, or any alias (ASCII case and
  // white space ignored). kNotFound suggests the nearest known names.
  Result<std::string> Resolve(std::string_view name, std::string_view field) const;
  bool HasId(const std::string& id) const { return names_.count(id) != 0; }
  // The party an alias key already names, or "".
  std::string OwnerOfAlias(std::string_view alias) const;
  const std::string& NameOf(const std::string& id) const;

  // Records a new party or alias in the directory (after the rows are written).
  void AddParty(const std::string& id, const std::string& name);
  void AddAlias(const std::string& alias, const std::string& id);

 private:
  std::unordered_map<std::string, std::string> names_;       // id -> display name
  std::unordered_map<std::string, std::string> alias_keys_;  // NameKey(alias) -> id
  std::vector<std::string> spellings_;                       // every id and alias, for suggestions
};

}  // namespace dealtrail::storage

#endif  // DEALTRAIL_SRC_STORAGE_PARTIES_H_
