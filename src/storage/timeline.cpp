// Ledger::Timeline: the events of a commitment, pair, party or round in
// effective order, with what was retracted as known at a time.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
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
  std::string filter = "1";
  if (!query.commitment.empty()) {
    filter +=
        " AND (e.commitment_id = :commitment OR (e.kind = 'supersede' AND "
        "e.by_commitment = :commitment))";
  }
  if (!query.round.empty()) {
    // A commitment is in the round when an opening or revision naming it was
    // recorded by then and not retracted by then.
    filter +=
        " AND (e.round_id = :round OR e.commitment_id IN (SELECT commitment_id FROM events "
        "WHERE round_id = :round AND kind IN ('open', 'revise') AND recorded_at <= :known AND "
        "event_id NOT IN (SELECT retracts FROM events WHERE kind = 'retract' AND "
        "recorded_at <= :known)))";
  }
  if (!query.party.empty()) {
    filter +=
        " AND (e.commitment_id IN (SELECT commitment_id FROM events WHERE kind = 'open' AND "
        "(from_party = :party OR to_party = :party)) OR (e.kind IN ('round-open', "
        "'valuation') AND e.party_id = :party) OR e.round_id IN (SELECT round_id FROM events "
        "WHERE kind = 'round-open' AND party_id = :party))";
  }
  if (query.pair) {
    filter +=
        " AND e.commitment_id IN (SELECT commitment_id FROM events WHERE kind = 'open' AND "
        "((from_party = :a AND to_party = :b) OR (from_party = :b AND to_party = :a)))";
  }
  // What shown events depend on comes in whole, whatever the filter.
  std::string with;
  if (!query.with_commitments.empty()) {
    with += " OR e.commitment_id IN (SELECT value FROM json_each(:with))";
  }
  if (!query.with_rounds.empty()) {
    with +=
        " OR e.round_id IN (SELECT value FROM json_each(:with_rounds)) OR e.commitment_id IN "
        "(SELECT commitment_id FROM events WHERE kind IN ('open', 'revise') AND round_id IN "
        "(SELECT value FROM json_each(:with_rounds)))";
  }
  const std::string where =
      " WHERE e.recorded_at <= :known AND e.kind NOT IN ('party-add', 'party-alias', "
      "'retract')" +
      std::string(query.to ? " AND e.effective_date <= :to" : "") + " AND ((" + filter + ")" +
      with + ")";
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
    auto json_list = [](const std::vector<std::string>& ids) {
      std::string list = "[";
      for (const std::string& id : ids) {
        if (list.size() > 1) list.push_back(',');
        AppendJsonString(list, id);
      }
      return list + "]";
    };
    if (!query.with_commitments.empty()) q.bind(":with", json_list(query.with_commitments));
    if (!query.with_rounds.empty()) q.bind(":with_rounds", json_list(query.with_rounds));
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

Status Ledger::Retractions(std::optional<Timestamp> known_at,
                           const std::function<Status(const Event&)>& fn) const {
  try {
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + storage::kEventColumns +
                                        " FROM events WHERE kind = 'retract' AND "
                                        "recorded_at <= :known ORDER BY seq");
    q.bind(":known", FormatTimestamp(known_at.value_or(impl_->clock())));
    while (q.executeStep()) {
      auto e = storage::EventFromRow(q);
      if (!e.ok()) return e.status();
      DEALTRAIL_RETURN_IF_ERROR(fn(*e));
    }
    return {};
  } catch (const std::exception& e) {
    return storage::FromSqlite(e);
  }
}

Result<dealtrail::Timeline> Ledger::BuildTimeline(const TimelineQuery& query,
                                                  const TimelineOptions& options) const {
  TimelineQuery q = query;
  q.known_at = query.known_at.value_or(impl_->clock());
  q.with_commitments.clear();
  q.with_rounds.clear();
  const bool filtered = !q.party.empty() || q.pair || !q.commitment.empty() || !q.round.empty();
  // A shown row depends on its commitment's events, on the commitments its
  // supersessions involve (whether they apply, how they show), and on its
  // round's events and participants. Read the shown events, then everything
  // the events in view name, until nothing new comes in.
  std::unordered_set<std::string> shown;
  std::set<std::string> commitments;
  std::set<std::string> rounds;
  TimelineQuery in_view = q;
  if (!filtered) in_view = TimelineQuery{q.to, q.known_at, {}, {}, {}, {}, {}, {}};
  if (filtered) {
    bool first = true;
    bool grew = true;
    while (grew) {
      grew = false;
      in_view.with_commitments.assign(commitments.begin(), commitments.end());
      in_view.with_rounds.assign(rounds.begin(), rounds.end());
      DEALTRAIL_RETURN_IF_ERROR(Timeline(in_view, [&](const TimelineEntry& entry) {
        const Event& e = entry.event;
        if (first) shown.insert(e.id);
        if (IsCommitmentKind(e.kind)) grew |= commitments.insert(e.commitment).second;
        if (e.kind == EventKind::kSupersede) grew |= commitments.insert(e.by).second;
        if (!e.round.empty()) grew |= rounds.insert(e.round).second;
        return Status{};
      }));
      first = false;
    }
  }
  TimelineBuilder builder(options);
  DEALTRAIL_RETURN_IF_ERROR(Retractions(q.known_at, [&](const Event& e) {
    builder.AddRetraction(e);
    return Status{};
  }));
  DEALTRAIL_RETURN_IF_ERROR(Timeline(in_view, [&](const TimelineEntry& entry) {
    return builder.Add(entry.event, entry.retracted_by,
                       !filtered || shown.count(entry.event.id) > 0);
  }));
  return builder.Finish();
}

}  // namespace dealtrail
