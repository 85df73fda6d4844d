-- dealtrail ledger, schema version 1: the event log and the reference data it
-- defines. Embedded in the dealtrail binary; also runnable on its own:
--   sqlite3 new.db < schema/0001_ledger.sql
-- Money is INTEGER minor units of an ISO 4217 currency; dates are ISO text
-- checked by SQLite; every table is STRICT.

PRAGMA application_id = 1145853010;  -- 0x444C5452, "DLTR": a dealtrail ledger

-- Every event ever recorded, in recording order. Append-only: the triggers
-- below refuse UPDATE and DELETE, and each row's hash chains to the previous
-- row's, so `dealtrail verify` notices edits made with the triggers dropped.
CREATE TABLE events (
  seq               INTEGER PRIMARY KEY CHECK (seq >= 1),  -- 1, 2, 3, … without gaps
  event_id          TEXT    NOT NULL UNIQUE,  -- the client's id: recording it again is a no-op
  kind              TEXT    NOT NULL CHECK (kind IN (
                      'party-add', 'party-alias', 'open', 'revise', 'fund', 'supersede',
                      'cancel', 'expire', 'complete', 'round-open', 'round-revise',
                      'round-close', 'valuation', 'retract')),
  -- When it happened in the world: the first and last day of the period the
  -- date names (a day, a month, a quarter or a year).
  effective_date    TEXT    NOT NULL CHECK (effective_date IS date(effective_date, '+0 days')),
  effective_end     TEXT    NOT NULL CHECK (effective_end IS date(effective_end, '+0 days')
                                            AND effective_end >= effective_date),
  date_precision    TEXT    NOT NULL CHECK (date_precision IN ('day', 'month', 'quarter', 'year')),
  -- When the ledger learned it (UTC, microseconds; never decreases with seq).
  recorded_at       TEXT    NOT NULL CHECK (recorded_at GLOB
                      '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
  certainty         TEXT    CHECK (certainty IN ('rumored', 'reported', 'announced', 'signed', 'closed')),
  -- Who and what the event is about (which columns are set depends on kind).
  party_id          TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  name              TEXT,     -- party-add: display name
  party_kind        TEXT    CHECK (party_kind IN ('company', 'fund', 'person', 'state')),
  aliases           TEXT    CHECK (aliases IS NULL OR json_valid(aliases)),  -- JSON array
  commitment_id     TEXT,
  commitment_kind   TEXT    CHECK (commitment_kind IN ('equity', 'pledge', 'debt', 'grant', 'purchase')),
  from_party        TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  to_party          TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  by_commitment     TEXT,     -- supersede: the replacing commitment
  round_id          TEXT,
  retracts          TEXT    REFERENCES events (event_id),  -- retract: the event recorded in error
  -- Amounts: minor units and the bound the figure carries, one currency per event.
  currency          TEXT    CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
  amount_minor      INTEGER CHECK (amount_minor >= 0),
  amount_bound      TEXT    CHECK (amount_bound IN ('exact', 'up_to', 'more_than', 'about')),
  conditional_minor INTEGER CHECK (conditional_minor >= 0),
  conditional_bound TEXT    CHECK (conditional_bound IN ('exact', 'up_to', 'more_than', 'about')),
  target_minor      INTEGER CHECK (target_minor >= 0),
  target_bound      TEXT    CHECK (target_bound IN ('exact', 'up_to', 'more_than', 'about')),
  pre_money_minor   INTEGER CHECK (pre_money_minor >= 0),
  pre_money_bound   TEXT    CHECK (pre_money_bound IN ('exact', 'up_to', 'more_than', 'about')),
  post_money_minor  INTEGER CHECK (post_money_minor >= 0),
  post_money_bound  TEXT    CHECK (post_money_bound IN ('exact', 'up_to', 'more_than', 'about')),
  basis             TEXT    CHECK (basis IN ('pre', 'post')),  -- valuation
  terms             TEXT,
  -- Where the report came from.
  source            TEXT,
  url               TEXT,
  published         TEXT    CHECK (published IS date(published, '+0 days')),
  note              TEXT,
  -- SHA-256 over the previous row's hash and this event's canonical JSON.
  hash              TEXT    NOT NULL CHECK (length(hash) = 64),
  CHECK ((amount_minor IS NULL) = (amount_bound IS NULL)),
  CHECK ((conditional_minor IS NULL) = (conditional_bound IS NULL)),
  CHECK ((target_minor IS NULL) = (target_bound IS NULL)),
  CHECK ((pre_money_minor IS NULL) = (pre_money_bound IS NULL)),
  CHECK ((post_money_minor IS NULL) = (post_money_bound IS NULL)),
  CHECK ((currency IS NULL) = (amount_minor IS NULL AND conditional_minor IS NULL
                               AND target_minor IS NULL AND pre_money_minor IS NULL
                               AND post_money_minor IS NULL))
) STRICT;

-- Replay reads events in effective-date order.
CREATE INDEX events_by_date ON events (effective_date, seq);
-- Recording checks a commitment's or a round's own history.
CREATE INDEX events_by_commitment ON events (commitment_id, effective_date, seq)
  WHERE commitment_id IS NOT NULL;
CREATE INDEX events_by_round ON events (round_id, effective_date, seq) WHERE round_id IS NOT NULL;
-- Retractions are few and read first by every replay.
CREATE INDEX events_retractions ON events (retracts, recorded_at) WHERE kind = 'retract';

-- Parties, as party-add events defined them.
CREATE TABLE parties (
  party_id   TEXT    PRIMARY KEY,
  name       TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('company', 'fund', 'person', 'state')),
  added_seq  INTEGER NOT NULL REFERENCES events (seq)
) STRICT;

-- Every name a party is known by (its display name included), in any script.
-- alias_key is what lookups match: ASCII lower-cased, white space folded.
CREATE TABLE party_aliases (
  alias_key  TEXT    PRIMARY KEY,
  alias      TEXT    NOT NULL,
  party_id   TEXT    NOT NULL REFERENCES parties (party_id),
  added_seq  INTEGER NOT NULL REFERENCES events (seq)
) STRICT;

-- Append-only, even from a raw sqlite3 shell.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a new event (revise, retract) instead'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retract event instead'); END;
CREATE TRIGGER parties_no_update BEFORE UPDATE ON parties
BEGIN SELECT RAISE(ABORT, 'parties are append-only: add an alias instead'); END;
CREATE TRIGGER parties_no_delete BEFORE DELETE ON parties
BEGIN SELECT RAISE(ABORT, 'parties are append-only'); END;
CREATE TRIGGER party_aliases_no_update BEFORE UPDATE ON party_aliases
BEGIN SELECT RAISE(ABORT, 'aliases are append-only'); END;
CREATE TRIGGER party_aliases_no_delete BEFORE DELETE ON party_aliases
BEGIN SELECT RAISE(ABORT, 'aliases are append-only'); END;

PRAGMA user_version = 1;
