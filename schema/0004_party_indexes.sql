-- dealtrail ledger, schema version 4: the opening events by party.
-- Timelines and SQL that start from a party or a pair of parties find the
-- commitments opened between them here instead of reading every event.
CREATE INDEX events_by_from ON events (from_party, to_party) WHERE kind = 'open';
CREATE INDEX events_by_to ON events (to_party) WHERE kind = 'open';

PRAGMA user_version = 4;
