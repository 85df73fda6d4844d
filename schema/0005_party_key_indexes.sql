-- dealtrail ledger, schema version 5: every column that names a party is
-- indexed. A party-add event is stored just before its party row, so the
-- foreign keys hold a violation for that moment, and storing the party row
-- makes SQLite look for every row that names it: in events (party_id,
-- from_party, to_party) and party_aliases (party_id). Without an index each
-- look read the whole table, and adding one party to a ledger of a million
-- events took most of a second; a partial index serves a foreign-key look
-- only if its condition follows from `column = value`, which `IS NOT NULL`
-- does and version 4's `kind = 'open'` did not. Only opening events name
-- from_party and to_party, so the two indexes hold the same rows as before.
DROP INDEX events_by_from;
DROP INDEX events_by_to;
CREATE INDEX events_by_from ON events (from_party, to_party) WHERE from_party IS NOT NULL;
CREATE INDEX events_by_to ON events (to_party) WHERE to_party IS NOT NULL;
CREATE INDEX events_by_party ON events (party_id) WHERE party_id IS NOT NULL;
CREATE INDEX party_aliases_by_party ON party_aliases (party_id);

PRAGMA user_version = 5;
