// Ledger::Timeline: the events of a commitment, pair, party or round in
// effective order, with what was retracted as known at a time.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "dealtrail/ledger.h"
#include "storage/event_rows.h"
#include "storage/ledger_impl.h"
#include "storage/schema.h"

namespace dealtrail {
namespace {

// The events of `query` as known at `known_at`: those its filters select
// (none when `use_filters` is false) and every event of its
// with_commitments and with_rounds, in effective order.
// Event id -> the id of the retraction that retracts it.
using RetractedBy = std::unordered_map<std::string, std::string>;

RetractedBy ReadRetractedBy(SQLite::Database& db, Timestamp known_at) {
  RetractedBy retracted_by;
  SQLite::Statement retractions(db,
                                "SELECT retracts, event_id FROM events "
                                "WHERE kind = 'retract' AND recorded_at <= :known");
  retractions.bind(":known", FormatTimestamp(known_at));
  while (retractions.executeStep()) {
    retracted_by[retractions.getColumn(0).getString()] = retractions.getColumn(1).getString();
  }
  return retracted_by;
}

Status ReadTimelineEvents(SQLite::Database& db, const TimelineQuery& query, Timestamp known_at,
                          bool use_filters, const RetractedBy& retracted_by,
                          const std::function<Status(const TimelineEntry&)>& fn) {
  // Each filter narrows by commitment or round; the subqueries read the
  // opening events, which carry the parties, one index search per side
  // (events_by_from, events_by_to: an OR of the two would scan).
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
        "from_party = :party UNION ALL SELECT commitment_id FROM events WHERE kind = 'open' "
        "AND to_party = :party) OR (e.kind IN ('round-open', "
        "'valuation') AND e.party_id = :party) OR e.round_id IN (SELECT round_id FROM events "
        "WHERE kind = 'round-open' AND party_id = :party))";
  }
  if (query.pair) {
    filter +=
        " AND e.commitment_id IN (SELECT commitment_id FROM events WHERE kind = 'open' AND "
        "from_party = :a AND to_party = :b UNION ALL SELECT commitment_id FROM events WHERE "
        "kind = 'open' AND from_party = :b AND to_party = :a)";
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
  // Without the filters, only the with-terms: a constant among them would
  // keep SQLite from answering each term from its index.
  if (!use_filters && with.empty()) return {};
  const std::string selected = use_filters ? "(" + filter + ")" + with : with.substr(4);
  const std::string where =
      " WHERE e.recorded_at <= :known AND e.kind NOT IN ('party-add', 'party-alias', "
      "'retract')" +
      std::string(query.to ? " AND e.effective_date <= :to" : "") + " AND (" + selected + ")";
  try {
    SQLite::Statement q(db, std::string("SELECT ") + storage::kEventColumns + " FROM events AS e" +
                                where + " ORDER BY e.effective_date, e.seq");
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

}  // namespace

Status Ledger::Timeline(const TimelineQuery& query,
                        const std::function<Status(const TimelineEntry&)>& fn) const {
  try {
    SQLite::Transaction snapshot(*impl_->db);
    const Timestamp known_at = query.known_at.value_or(impl_->clock());
    return ReadTimelineEvents(*impl_->db, query, known_at, /*use_filters=*/true,
                              ReadRetractedBy(*impl_->db, known_at), fn);
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
  const Timestamp known_at = query.known_at.value_or(impl_->clock());
  q.known_at = known_at;
  q.with_commitments.clear();
  q.with_rounds.clear();
  const bool filtered = !q.party.empty() || q.pair || !q.commitment.empty() || !q.round.empty();
  TimelineBuilder builder(options);
  try {
    SQLite::Transaction snapshot(*impl_->db);
    if (!filtered) {
      RetractedBy retracted_by;
      DEALTRAIL_RETURN_IF_ERROR(Retractions(known_at, [&](const Event& e) {
        builder.AddRetraction(e);
        retracted_by[e.retracts] = e.id;
        return Status{};
      }));
      DEALTRAIL_RETURN_IF_ERROR(ReadTimelineEvents(
          *impl_->db, TimelineQuery{q.to, known_at, {}, {}, {}, {}, {}, {}}, known_at,
          /*use_filters=*/true, retracted_by, [&](const TimelineEntry& entry) {
            return builder.Add(entry.event, entry.retracted_by, /*shown=*/true);
          }));
      return builder.Finish();
    }
    // A shown row depends on its commitment's events, on the commitments its
    // supersessions involve (whether they apply, how they show), and on its
    // round's events and participants. Read the shown events, then the events
    // of what they name that were not read yet, until nothing new comes in;
    // then feed them all to the builder in effective order.
    const RetractedBy retracted_by = ReadRetractedBy(*impl_->db, known_at);
    std::vector<TimelineEntry> entries;
    std::unordered_set<std::int64_t> read;
    std::unordered_set<std::int64_t> shown;
    std::set<std::string> commitments;
    std::set<std::string> rounds;
    TimelineQuery next = q;
    bool use_filters = true;
    while (use_filters || !next.with_commitments.empty() || !next.with_rounds.empty()) {
      std::vector<std::string> new_commitments;
      std::vector<std::string> new_rounds;
      DEALTRAIL_RETURN_IF_ERROR(ReadTimelineEvents(
          *impl_->db, next, known_at, use_filters, retracted_by, [&](const TimelineEntry& entry) {
            const Event& e = entry.event;
            if (!read.insert(e.seq).second) return Status{};
            if (use_filters) shown.insert(e.seq);
            auto name = [&](const std::string& id, std::set<std::string>& seen,
                            std::vector<std::string>& fresh) {
              if (!id.empty() && seen.insert(id).second) fresh.push_back(id);
            };
            if (IsCommitmentKind(e.kind)) name(e.commitment, commitments, new_commitments);
            if (e.kind == EventKind::kSupersede) name(e.by, commitments, new_commitments);
            name(e.round, rounds, new_rounds);
            entries.push_back(entry);
            return Status{};
          }));
      use_filters = false;
      next.party.clear();
      next.pair.reset();
      next.commitment.clear();
      next.round.clear();
      next.with_commitments = std::move(new_commitments);
      next.with_rounds = std::move(new_rounds);
    }
    // A retraction's row is kept only when what it retracts is shown: read
    // those retractions whole, and no others.
    SQLite::Statement retraction(*impl_->db,
                                 std::string("SELECT ") + storage::kEventColumns +
                                     " FROM events WHERE event_id = :id AND kind = 'retract'");
    for (const TimelineEntry& entry : entries) {
      if (entry.retracted_by.empty() || shown.count(entry.event.seq) == 0) continue;
      retraction.reset();
      retraction.bind(":id", entry.retracted_by);
      if (!retraction.executeStep()) continue;
      auto e = storage::EventFromRow(retraction);
      if (!e.ok()) return e.status();
      builder.AddRetraction(*e);
    }
    std::sort(entries.begin(), entries.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
      const auto da = a.event.date.first();
      const auto db = b.event.date.first();
      return da != db ? da < db : a.event.seq < b.event.seq;
    });
    for (const TimelineEntry& entry : entries) {
      DEALTRAIL_RETURN_IF_ERROR(
          builder.Add(entry.event, entry.retracted_by, shown.count(entry.event.seq) > 0));
    }
    return builder.Finish();
  } catch (const std::exception& e) {
    return storage::FromSqlite(e);
  }
}

}  // namespace dealtrail
