#include "storage/consistency.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "core/text.h"
#include "storage/schema.h"

namespace dealtrail::storage {
namespace {

// Row values joined with a separator no name contains (names are UTF-8
// text without control characters).
std::string Row(std::initializer_list<std::string> values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += '\x1f';
    out += v;
  }
  return out;
}

// Compares `table` (keyed by its first column) with the rows expected.
void CompareRows(SQLite::Database& db, const std::string& table, const std::string& key_column,
                 const std::string& columns, const std::map<std::string, std::string>& expected,
                 std::vector<std::string>* problems) {
  std::map<std::string, std::string> actual;
  SQLite::Statement q(db, "SELECT " + key_column + ", " + columns + " FROM " + table);
  const int n = q.getColumnCount();
  while (q.executeStep()) {
    std::string row;
    for (int i = 1; i < n; ++i) {
      if (i > 1) row += '\x1f';
      row += q.getColumn(i).getString();
    }
    actual.emplace(q.getColumn(0).getString(), std::move(row));
  }
  for (const auto& [key, row] : expected) {
    const auto found = actual.find(key);
    if (found == actual.end()) {
      problems->push_back(
          Concat({table, ": the row for '", key,
                  "' that its party event defines is missing (deleted out of band)"}));
    } else if (found->second != row) {
      problems->push_back(
          Concat({table, ": the row for '", key,
                  "' differs from what its party event defines (edited out of band)"}));
    }
  }
  for (const auto& [key, row] : actual) {
    if (expected.count(key) == 0) {
      problems->push_back(Concat({table, ": the row for '", key,
                                  "' has no party event behind it (inserted out of band)"}));
    }
  }
}

}  // namespace

void DerivedParties::Add(const Event& e) {
  if (!IsPartyKind(e.kind)) return;
  const std::string seq = std::to_string(e.seq);
  if (e.kind == EventKind::kPartyAdd) parties_[e.party] = Row({e.name, e.party_kind, seq});
  std::vector<std::string> names = e.aliases;
  if (e.kind == EventKind::kPartyAdd) names.insert(names.begin(), e.name);
  // The first spelling of a key wins, as when the writer inserted them.
  for (const std::string& name : names) aliases_.emplace(NameKey(name), Row({name, e.party, seq}));
}

void DerivedParties::Check(SQLite::Database& db, std::vector<std::string>* problems) const {
  CompareRows(db, "parties", "party_id", "name, kind, added_seq", parties_, problems);
  CompareRows(db, "party_aliases", "alias_key", "alias, party_id, added_seq", aliases_, problems);
}

void CheckSchemaObjects(SQLite::Database& db, std::vector<std::string>* problems) {
  auto objects = [](SQLite::Database& from) {
    std::map<std::string, std::string> out;  // "type name" -> sql
    SQLite::Statement q(from,
                        "SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_schema "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    while (q.executeStep()) out.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
  };
  SQLite::Database fresh(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const Migration& m : Migrations()) fresh.exec(m.sql);
  const auto expected = objects(fresh);
  const auto actual = objects(db);
  for (const auto& [object, sql] : expected) {
    const auto found = actual.find(object);
    if (found == actual.end()) {
      problems->push_back("schema: " + object + " is missing (dropped out of band)");
    } else if (found->second != sql) {
      problems->push_back("schema: " + object +
                          " differs from the one dealtrail creates (altered out of band)");
    }
  }
  for (const auto& [object, sql] : actual) {
    if (object.starts_with("trigger ") && expected.count(object) == 0) {
      problems->push_back("schema: " + object +
                          " was not created by dealtrail (added out of band)");
    }
  }
}

}  // namespace dealtrail::storage
