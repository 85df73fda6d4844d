// Party lookup by id or alias, with suggestions for names that do not match.
#include "storage/parties.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/text.h"

namespace dealtrail::storage {

bool PartyDirectory::HasId(const std::string& id) {
  if (ids_.count(id) != 0) return true;
  bool found = false;
  Read([&] {
    if (!find_id_) find_id_.emplace(db_, "SELECT 1 FROM parties WHERE party_id = ?");
    find_id_->bind(1, id);
    found = find_id_->executeStep();
    find_id_->reset();
  });
  if (found) ids_.insert(id);
  return found;
}

std::string PartyDirectory::OwnerOfAlias(std::string_view alias) {
  std::string key = NameKey(alias);
  if (auto it = alias_keys_.find(key); it != alias_keys_.end()) return it->second;
  std::string owner;
  Read([&] {
    if (!find_alias_) {
      find_alias_.emplace(db_, "SELECT party_id FROM party_aliases WHERE alias_key = ?");
    }
    find_alias_->bind(1, key);
    if (find_alias_->executeStep()) owner = find_alias_->getColumn(0).getString();
    find_alias_->reset();
  });
  if (!owner.empty()) alias_keys_.emplace(std::move(key), owner);
  return owner;
}

void PartyDirectory::AddParty(const std::string& id) { ids_.insert(id); }

void PartyDirectory::AddAlias(std::string_view alias, const std::string& id) {
  alias_keys_[NameKey(alias)] = id;
}

Result<std::string> PartyDirectory::Resolve(std::string_view name, std::string_view field) {
  std::string key(name);
  if (HasId(key)) return key;
  std::string owner = OwnerOfAlias(name);
  if (!owner.empty()) return owner;
  const std::string hint = Suggestions(name);
  std::string message = "unknown party '" + key + "'";
  message += hint.empty() ? "; add it with: dealtrail party add ID --name NAME"
                          : " (did you mean: " + hint + "?)";
  return Status::NotFound(std::string(field), message);
}

std::string PartyDirectory::Suggestions(std::string_view name) {
  // Every id and alias, each with its party, in the order they were added.
  std::vector<std::pair<std::string, std::string>> spellings;
  Read([&] {
    SQLite::Statement parties(db_, "SELECT party_id FROM parties ORDER BY added_seq");
    while (parties.executeStep()) {
      std::string id = parties.getColumn(0).getString();
      spellings.emplace_back(id, id);
    }
    SQLite::Statement aliases(db_, "SELECT alias, party_id FROM party_aliases ORDER BY added_seq");
    while (aliases.executeStep()) {
      spellings.emplace_back(aliases.getColumn(0).getString(), aliases.getColumn(1).getString());
    }
  });
  // Within a third of the length in edits, nearest first.
  const std::string folded = NameKey(name);
  const std::size_t limit = std::max<std::size_t>(2, CodePoints(folded).size() / 3);
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& [spelling, id] : spellings) {
    const std::size_t d = EditDistance(folded, NameKey(spelling));
    if (d <= limit) near.emplace_back(d, id);
  }
  std::sort(near.begin(), near.end());
  std::vector<std::string> ids;
  for (const auto& [d, id] : near) {
    if (ids.size() < 3 && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  std::string hint;
  for (const std::string& id : ids) hint += (hint.empty() ? "" : ", ") + id;
  return hint;
}

}  // namespace dealtrail::storage
