// Ledger::Timeline: the events of a commitment, pair, party or round in
// effective order, with what was retracted as known at a time.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <unordered_map>

#include "dealtrail/ledger.h"
#include "storage/event_rows.h"
#include "storage/ledger_impl.h"
#include "storage/schema.h"

namespace dealtrail {

Status Ledger::Timeline(const TimelineQuery& query,
                        const std::function<Status(const TimelineEntry&)>& fn) const {
  const Timestamp known_at = query.known_at.value_or(impl_->clock());
  // Each filter narrows by commitment or round; the subqueries read the
  // opening events, which carry the parties.
  std::string where =
      " WHERE e.recorded_at <= :known AND e.kind NOT IN ('party-add', 'party-alias', 'retract')";
  if (query.to) where += " AND e.effective_date <= :to";
  if (!query.commitment.empty()) {
    where +=
        " AND (e.commitment_id = :commitment OR (e.kind = 'supersede' AND "
        "e.by_commitment = :commitment))";
  }
  if (!query.round.empty()) {
    // A commitment is in the round when an opening or revision naming it was
    // recorded by then and not retracted by then.
    where +=
        " AND (e.round_id = :round OR e.commitment_id IN (SELECT commitment_id FROM events "
        "WHERE round_id = :round AND kind IN ('open', 'revise') AND recorded_at <= :known AND "
        "event_id NOT IN (SELECT retracts FROM events WHERE kind = 'retract' AND "
        "recorded_at <= :known)))";
  }
  if (!query.party.empty()) {
    where +=
        " AND (e.commitment_id IN (SELECT commitment_id FROM events WHERE kind = 'open' AND "
        "(from_party = :party OR to_party = :party)) OR (e.kind IN ('round-open', "
        "'valuation') AND e.party_id = :party) OR e.round_id IN (SELECT round_id FROM events "
        "WHERE kind = 'round-open' AND party_id = :party))";
  }
  if (query.pair) {
    where +=
        " AND e.commitment_id IN (SELECT commitment_id FROM events WHERE kind = 'open' AND "
        "((from_party = :a AND to_party = :b) OR (from_party = :b AND to_party = :a)))";
  }
  try {
    SQLite::Transaction snapshot(*impl_->db);
    std::unordered_map<std::string, std::string> retracted_by;
    SQLite::Statement retractions(*impl_->db,
                                  "SELECT retracts, event_id FROM events "
                                  "WHERE kind = 'retract' AND recorded_at <= :known");
    retractions.bind(":known", FormatTimestamp(known_at));
    while (retractions.executeStep()) {
      retracted_by[retractions.getColumn(0).getString()] = retractions.getColumn(1).getString();
    }
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + storage::kEventColumns +
                                        " FROM events AS e" + where +
                                        " ORDER BY e.effective_date, e.seq");
    q.bind(":known", FormatTimestamp(known_at));
    if (query.to) q.bind(":to", FormatDay(*query.to));
    if (!query.commitment.empty()) q.bind(":commitment", query.commitment);
    if (!query.round.empty()) q.bind(":round", query.round);
    if (!query.party.empty()) q.bind(":party", query.party);
    if (query.pair) {
      q.bind(":a", query.pair->first);
      q.bind(":b", query.pair->second);
    }
    TimelineEntry entry;
    while (q.executeStep()) {
      auto e = storage::EventFromRow(q);
      if (!e.ok()) return e.status();
      entry.event = std::move(e).value();
      auto it = retracted_by.find(entry.event.id);
      entry.retracted_by = it == retracted_by.end() ? std::string() : it->second;
      DEALTRAIL_RETURN_IF_ERROR(fn(entry));
    }
    return {};
  } catch (const std::exception& e) {
    return storage::FromSqlite(e);
  }
}

}  // namespace dealtrail
