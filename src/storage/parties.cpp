// Party lookup by id or alias, with suggestions for names that do not match.
#include "storage/parties.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "core/text.h"
#include "storage/schema.h"

namespace dealtrail::storage {

Result<PartyDirectory> PartyDirectory::Load(SQLite::Database& db) {
  PartyDirectory dir;
  try {
    SQLite::Statement parties(db, "SELECT party_id, name FROM parties ORDER BY added_seq");
    while (parties.executeStep()) {
      dir.AddParty(parties.getColumn(0).getString(), parties.getColumn(1).getString());
    }
    SQLite::Statement aliases(db, "SELECT alias, party_id FROM party_aliases ORDER BY added_seq");
    while (aliases.executeStep()) {
      dir.AddAlias(aliases.getColumn(0).getString(), aliases.getColumn(1).getString());
    }
  } catch (const std::exception& e) {
    return FromSqlite(e);
  }
  return dir;
}

void PartyDirectory::AddParty(const std::string& id, const std::string& name) {
  names_[id] = name;
  spellings_.push_back(id);
}

void PartyDirectory::AddAlias(const std::string& alias, const std::string& id) {
  alias_keys_[NameKey(alias)] = id;
  spellings_.push_back(alias);
}

std::string PartyDirectory::OwnerOfAlias(std::string_view alias) const {
  auto it = alias_keys_.find(NameKey(alias));
  return it == alias_keys_.end() ? std::string() : it->second;
}

const std::string& PartyDirectory::NameOf(const std::string& id) const {
  auto it = names_.find(id);
  return it == names_.end() ? id : it->second;
}

Result<std::string> PartyDirectory::Resolve(std::string_view name, std::string_view field) const {
  const std::string key(name);
  if (names_.count(key)) return key;
  std::string owner = OwnerOfAlias(name);
  if (!owner.empty()) return owner;

  // Suggest up to three parties whose id or an alias is within a third of
  // the length in edits, nearest first.
  const std::string folded = NameKey(name);
  const std::size_t limit = std::max<std::size_t>(2, CodePoints(folded).size() / 3);
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const std::string& s : spellings_) {
    const std::size_t d = EditDistance(folded, NameKey(s));
    if (d > limit) continue;
    const std::string id = names_.count(s) ? s : OwnerOfAlias(s);
    near.emplace_back(d, id);
  }
  std::sort(near.begin(), near.end());
  std::vector<std::string> ids;
  for (const auto& [d, id] : near) {
    if (ids.size() < 3 && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  std::string hint;
  for (const std::string& id : ids) hint += (hint.empty() ? "" : ", ") + id;
  std::string message = "unknown party '" + key + "'";
  message += hint.empty() ? "; add it with: dealtrail party add ID --name NAME"
                          : " (did you mean: " + hint + "?)";
  return Status::NotFound(std::string(field), message);
}

}  // namespace dealtrail::storage
