-- dealtrail ledger, schema version 3: replay checkpoints.
-- A checkpoint is the replay fold's state after every event dated on or
-- before through_date, as the ledger knew them when it was built. Replay to a
-- later date starts from the nearest one and reads only the events after it.
-- This is a cache, not history: recording an event dated on or before a
-- checkpoint's day (back-dated), or retracting such an event, deletes the
-- checkpoint in the same transaction; `dealtrail checkpoint` builds new ones,
-- and `dealtrail verify` checks every one against a fresh replay.
CREATE TABLE replay_checkpoints (
  through_date      TEXT    PRIMARY KEY CHECK (through_date IS date(through_date, '+0 days')),
  through_seq       INTEGER NOT NULL,  -- the last event recorded when it was built
  recorded_through  TEXT    NOT NULL,  -- that event's recorded_at: good for knowledge from then on
  events            INTEGER NOT NULL CHECK (events >= 0),  -- events folded into it
  state             BLOB    NOT NULL   -- the fold's state (a private binary format)
) STRICT;

PRAGMA user_version = 3;
