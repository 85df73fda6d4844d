-- dealtrail ledger, schema version 1: the event log and the reference data it
-- defines. Embedded in the dealtrail binary; also runnable on its own:
--   sqlite3 new.db < schema/0001_ledger.sql
-- Money is INTEGER minor units of an ISO 4217 currency; dates are ISO text
-- checked by SQLite; every table is STRICT.

PRAGMA application_id = 1145853010;  -- 0x444C5452, "DLTR": a dealtrail ledger

-- Vocabularies: every coded value an event column may hold, with what it
-- means. The event columns refer to them (foreign keys), so a value outside
-- the vocabulary cannot be stored, and a query can join them for words or
-- order (certainty has a rank).
CREATE TABLE event_kinds (
  kind     TEXT PRIMARY KEY,
  meaning  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO event_kinds VALUES
  ('party-add', 'a party, its display name, kind and aliases'),
  ('party-alias', 'more names for a party'),
  ('open', 'a commitment from one party to another'),
  ('revise', 'new amount, conditional part, certainty, round or terms for a commitment'),
  ('fund', 'a tranche moves from committed to funded'),
  ('supersede', 'a commitment is replaced by another (by_commitment)'),
  ('cancel', 'a commitment is cancelled'),
  ('expire', 'a commitment expires'),
  ('complete', 'a commitment is completed'),
  ('round-open', 'a raise by one party: target and valuations'),
  ('round-revise', 'new target, valuations, certainty or terms for a round'),
  ('round-close', 'a round closes'),
  ('valuation', 'a reported pre- or post-money valuation'),
  ('retract', 'an earlier event (retracts) was recorded in error');

CREATE TABLE certainty_levels (
  certainty  TEXT PRIMARY KEY,
  rank       INTEGER NOT NULL UNIQUE,  -- weakest first: compare ranks, not names
  meaning    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO certainty_levels VALUES
  ('rumored', 1, 'talk, unconfirmed'),
  ('reported', 2, 'reported by the press, not confirmed by the parties'),
  ('announced', 3, 'announced by a party'),
  ('signed', 4, 'a binding agreement is signed'),
  ('closed', 5, 'the deal has closed');

CREATE TABLE commitment_kinds (
  commitment_kind  TEXT PRIMARY KEY,
  meaning          TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO commitment_kinds VALUES
  ('equity', 'an investment for shares'),
  ('pledge', 'a non-binding intent to invest or pay'),
  ('debt', 'a loan or credit line'),
  ('grant', 'money given without return'),
  ('purchase', 'goods or services bought from the other party (compute, cloud)');

CREATE TABLE amount_bounds (
  bound    TEXT PRIMARY KEY,
  meaning  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO amount_bounds VALUES
  ('exact', 'the figure: [x, x]'),
  ('up_to', 'at most the figure: [0, x]'),
  ('more_than', 'at least the figure: [x, unbounded]'),
  ('about', 'about the figure: [x, x], approximate');

CREATE TABLE date_precisions (
  date_precision  TEXT PRIMARY KEY,
  meaning         TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO date_precisions VALUES
  ('day', 'a day: 2025-09-22'),
  ('month', 'a month: 2025-09, from its first to its last day'),
  ('quarter', 'a quarter: 2025-Q3, from its first to its last day'),
  ('year', 'a year: 2025, from 1 January to 31 December');

CREATE TABLE party_kinds (
  party_kind  TEXT PRIMARY KEY,
  meaning     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO party_kinds VALUES
  ('company', 'a company'),
  ('fund', 'an investment fund'),
  ('person', 'a person'),
  ('state', 'a state or public body');

-- Every event ever recorded, in recording order. Append-only: the triggers
-- below refuse UPDATE and DELETE, and each row's hash chains to the previous
-- row's, so `dealtrail verify` notices edits made with the triggers dropped.
CREATE TABLE events (
  seq               INTEGER PRIMARY KEY CHECK (seq >= 1),  -- 1, 2, 3, … without gaps
  event_id          TEXT    NOT NULL UNIQUE,  -- the client's id: recording it again is a no-op
  kind              TEXT    NOT NULL REFERENCES event_kinds (kind),
  -- When it happened in the world: the first and last day of the period the
  -- date names (a day, a month, a quarter or a year).
  effective_date    TEXT    NOT NULL CHECK (effective_date IS date(effective_date, '+0 days')),
  effective_end     TEXT    NOT NULL CHECK (effective_end IS date(effective_end, '+0 days')
                                            AND effective_end >= effective_date),
  date_precision    TEXT    NOT NULL REFERENCES date_precisions (date_precision),
  -- When the ledger learned it (UTC, microseconds; never decreases with seq).
  recorded_at       TEXT    NOT NULL CHECK (recorded_at GLOB
                      '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
  certainty         TEXT    REFERENCES certainty_levels (certainty),
  -- Who and what the event is about (which columns are set depends on kind).
  party_id          TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  name              TEXT,     -- party-add: display name
  party_kind        TEXT    REFERENCES party_kinds (party_kind),
  aliases           TEXT    CHECK (aliases IS NULL OR json_valid(aliases)),  -- JSON array
  commitment_id     TEXT,
  commitment_kind   TEXT    REFERENCES commitment_kinds (commitment_kind),
  from_party        TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  to_party          TEXT    REFERENCES parties (party_id) DEFERRABLE INITIALLY DEFERRED,
  by_commitment     TEXT,     -- supersede: the replacing commitment
  round_id          TEXT,
  retracts          TEXT    REFERENCES events (event_id),  -- retract: the event recorded in error
  -- Amounts: minor units and the bound the figure carries, one currency per event.
  currency          TEXT    CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
  amount_minor      INTEGER CHECK (amount_minor >= 0),
  amount_bound      TEXT    REFERENCES amount_bounds (bound),
  conditional_minor INTEGER CHECK (conditional_minor >= 0),
  conditional_bound TEXT    REFERENCES amount_bounds (bound),
  target_minor      INTEGER CHECK (target_minor >= 0),
  target_bound      TEXT    REFERENCES amount_bounds (bound),
  pre_money_minor   INTEGER CHECK (pre_money_minor >= 0),
  pre_money_bound   TEXT    REFERENCES amount_bounds (bound),
  post_money_minor  INTEGER CHECK (post_money_minor >= 0),
  post_money_bound  TEXT    REFERENCES amount_bounds (bound),
  basis             TEXT    CHECK (basis = 'pre' OR basis = 'post'),  -- valuation
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
  kind       TEXT    NOT NULL REFERENCES party_kinds (party_kind),
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
