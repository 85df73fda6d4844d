-- dealtrail ledger, schema version 2: read-only views for any SQLite client
-- (sqlite3, Datasette, …), and the ISO 4217 table they format amounts with.
-- Plain SQL, no dealtrail functions: runnable after 0001 with
--   sqlite3 new.db < schema/0001_ledger.sql && sqlite3 new.db < schema/0002_views.sql
-- Every view and column is documented in docs/sql.md. The views that say
-- "current" fold the events as replay does, as of today (UTC) and as known
-- now; `replay` and `positions_as_of()` are the exact, dated equivalents.

-- ISO 4217 currencies with minor units, the same codes and exponents as the
-- table built into dealtrail (src/core/money.cpp): amounts are formatted
-- exactly with integer arithmetic, minor / minor_per_major '.' minor % …
CREATE TABLE iso_currencies (
  code             TEXT    PRIMARY KEY CHECK (code GLOB '[A-Z][A-Z][A-Z]'),
  exponent         INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 4),  -- digits after the point
  minor_per_major  INTEGER NOT NULL CHECK (minor_per_major = CASE exponent WHEN 0 THEN 1
                     WHEN 1 THEN 10 WHEN 2 THEN 100 WHEN 3 THEN 1000 ELSE 10000 END)
) STRICT, WITHOUT ROWID;
INSERT INTO iso_currencies VALUES
  ('AED', 2, 100), ('AFN', 2, 100), ('ALL', 2, 100), ('AMD', 2, 100), ('ANG', 2, 100),
  ('AOA', 2, 100), ('ARS', 2, 100), ('AUD', 2, 100), ('AWG', 2, 100), ('AZN', 2, 100),
  ('BAM', 2, 100), ('BBD', 2, 100), ('BDT', 2, 100), ('BGN', 2, 100), ('BHD', 3, 1000),
  ('BIF', 0, 1), ('BMD', 2, 100), ('BND', 2, 100), ('BOB', 2, 100), ('BOV', 2, 100),
  ('BRL', 2, 100), ('BSD', 2, 100), ('BTN', 2, 100), ('BWP', 2, 100), ('BYN', 2, 100),
  ('BZD', 2, 100), ('CAD', 2, 100), ('CDF', 2, 100), ('CHE', 2, 100), ('CHF', 2, 100),
  ('CHW', 2, 100), ('CLF', 4, 10000), ('CLP', 0, 1), ('CNY', 2, 100), ('COP', 2, 100),
  ('COU', 2, 100), ('CRC', 2, 100), ('CUC', 2, 100), ('CUP', 2, 100), ('CVE', 2, 100),
  ('CZK', 2, 100), ('DJF', 0, 1), ('DKK', 2, 100), ('DOP', 2, 100), ('DZD', 2, 100),
  ('EGP', 2, 100), ('ERN', 2, 100), ('ETB', 2, 100), ('EUR', 2, 100), ('FJD', 2, 100),
  ('FKP', 2, 100), ('GBP', 2, 100), ('GEL', 2, 100), ('GHS', 2, 100), ('GIP', 2, 100),
  ('GMD', 2, 100), ('GNF', 0, 1), ('GTQ', 2, 100), ('GYD', 2, 100), ('HKD', 2, 100),
  ('HNL', 2, 100), ('HTG', 2, 100), ('HUF', 2, 100), ('IDR', 2, 100), ('ILS', 2, 100),
  ('INR', 2, 100), ('IQD', 3, 1000), ('IRR', 2, 100), ('ISK', 0, 1), ('JMD', 2, 100),
  ('JOD', 3, 1000), ('JPY', 0, 1), ('KES', 2, 100), ('KGS', 2, 100), ('KHR', 2, 100),
  ('KMF', 0, 1), ('KPW', 2, 100), ('KRW', 0, 1), ('KWD', 3, 1000), ('KYD', 2, 100),
  ('KZT', 2, 100), ('LAK', 2, 100), ('LBP', 2, 100), ('LKR', 2, 100), ('LRD', 2, 100),
  ('LSL', 2, 100), ('LYD', 3, 1000), ('MAD', 2, 100), ('MDL', 2, 100), ('MGA', 2, 100),
  ('MKD', 2, 100), ('MMK', 2, 100), ('MNT', 2, 100), ('MOP', 2, 100), ('MRU', 2, 100),
  ('MUR', 2, 100), ('MVR', 2, 100), ('MWK', 2, 100), ('MXN', 2, 100), ('MXV', 2, 100),
  ('MYR', 2, 100), ('MZN', 2, 100), ('NAD', 2, 100), ('NGN', 2, 100), ('NIO', 2, 100),
  ('NOK', 2, 100), ('NPR', 2, 100), ('NZD', 2, 100), ('OMR', 3, 1000), ('PAB', 2, 100),
  ('PEN', 2, 100), ('PGK', 2, 100), ('PHP', 2, 100), ('PKR', 2, 100), ('PLN', 2, 100),
  ('PYG', 0, 1), ('QAR', 2, 100), ('RON', 2, 100), ('RSD', 2, 100), ('RUB', 2, 100), ('RWF', 0, 1),
  ('SAR', 2, 100), ('SBD', 2, 100), ('SCR', 2, 100), ('SDG', 2, 100), ('SEK', 2, 100),
  ('SGD', 2, 100), ('SHP', 2, 100), ('SLE', 2, 100), ('SLL', 2, 100), ('SOS', 2, 100),
  ('SRD', 2, 100), ('SSP', 2, 100), ('STN', 2, 100), ('SVC', 2, 100), ('SYP', 2, 100),
  ('SZL', 2, 100), ('THB', 2, 100), ('TJS', 2, 100), ('TMT', 2, 100), ('TND', 3, 1000),
  ('TOP', 2, 100), ('TRY', 2, 100), ('TTD', 2, 100), ('TWD', 2, 100), ('TZS', 2, 100),
  ('UAH', 2, 100), ('UGX', 0, 1), ('USD', 2, 100), ('USN', 2, 100), ('UYI', 0, 1), ('UYU', 2, 100),
  ('UYW', 4, 10000), ('UZS', 2, 100), ('VED', 2, 100), ('VES', 2, 100), ('VND', 0, 1),
  ('VUV', 0, 1), ('WST', 2, 100), ('XAF', 0, 1), ('XCD', 2, 100), ('XCG', 2, 100), ('XOF', 0, 1),
  ('XPF', 0, 1), ('YER', 2, 100), ('ZAR', 2, 100), ('ZMW', 2, 100), ('ZWG', 2, 100),
  ('ZWL', 2, 100);

-- Every event, one row each (ORDER BY seq for recording order), with the
-- names of the parties it names, its kind's meaning, its date as written
-- ("2025-Q4") and its amounts as exact text in the canonical form export
-- writes ("up to 100000000000.00 USD"). Columns as recorded: a revise or a
-- fund names no parties (see `timeline` for events with their commitment's
-- parties).
CREATE VIEW event_details AS
SELECT
  e.seq,
  e.event_id,
  e.kind,
  k.meaning AS kind_meaning,
  CASE e.date_precision
    WHEN 'day' THEN e.effective_date
    WHEN 'month' THEN substr(e.effective_date, 1, 7)
    WHEN 'quarter' THEN substr(e.effective_date, 1, 4) || '-Q' ||
                        ((CAST(substr(e.effective_date, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(e.effective_date, 1, 4)
  END AS effective,
  e.effective_date,
  e.effective_end,
  e.date_precision,
  e.recorded_at,
  e.certainty,
  c.rank AS certainty_rank,
  e.party_id,
  p.name AS party_name,
  e.commitment_id,
  e.commitment_kind,
  e.from_party,
  pf.name AS from_name,
  e.to_party,
  pt.name AS to_name,
  e.by_commitment,
  e.round_id,
  e.retracts,
  (SELECT r.event_id FROM events AS r
   WHERE r.kind = 'retract' AND r.retracts = e.event_id ORDER BY r.seq LIMIT 1) AS retracted_by,
  e.currency,
  e.amount_minor,
  e.amount_bound,
  CASE WHEN e.amount_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE e.amount_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', e.amount_minor)
      ELSE printf('%d.%0*d', e.amount_minor / x.minor_per_major, x.exponent,
                  e.amount_minor % x.minor_per_major) END || ' ' || e.currency
  END AS amount,
  e.conditional_minor,
  e.conditional_bound,
  CASE WHEN e.conditional_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE e.conditional_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                             WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', e.conditional_minor)
      ELSE printf('%d.%0*d', e.conditional_minor / x.minor_per_major, x.exponent,
                  e.conditional_minor % x.minor_per_major) END || ' ' || e.currency
  END AS conditional,
  e.target_minor,
  e.target_bound,
  CASE WHEN e.target_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE e.target_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', e.target_minor)
      ELSE printf('%d.%0*d', e.target_minor / x.minor_per_major, x.exponent,
                  e.target_minor % x.minor_per_major) END || ' ' || e.currency
  END AS target,
  e.pre_money_minor,
  e.pre_money_bound,
  CASE WHEN e.pre_money_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE e.pre_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                           WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', e.pre_money_minor)
      ELSE printf('%d.%0*d', e.pre_money_minor / x.minor_per_major, x.exponent,
                  e.pre_money_minor % x.minor_per_major) END || ' ' || e.currency
  END AS pre_money,
  e.post_money_minor,
  e.post_money_bound,
  CASE WHEN e.post_money_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE e.post_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                            WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', e.post_money_minor)
      ELSE printf('%d.%0*d', e.post_money_minor / x.minor_per_major, x.exponent,
                  e.post_money_minor % x.minor_per_major) END || ' ' || e.currency
  END AS post_money,
  e.basis,
  e.terms,
  e.name,
  e.party_kind,
  e.aliases,
  e.source,
  e.url,
  e.published,
  e.note
FROM events AS e
JOIN event_kinds AS k ON k.kind = e.kind
LEFT JOIN certainty_levels AS c ON c.certainty = e.certainty
LEFT JOIN parties AS p ON p.party_id = e.party_id
LEFT JOIN parties AS pf ON pf.party_id = e.from_party
LEFT JOIN parties AS pt ON pt.party_id = e.to_party
LEFT JOIN iso_currencies AS x ON x.code = e.currency
ORDER BY e.seq;

-- Every commitment as of today (UTC), as known now, one row each: what
-- `replay --as-of <today>` shows per commitment, with the columns of
-- positions_as_of(). The fold, in SQL: events dated on or before today and
-- recorded by now, less those retracted by now, in (effective date, seq)
-- order; a commitment starts at its first open; revise and fund apply
-- whatever the status; the first supersede/cancel/expire/complete ends it (a
-- supersede only when its replacement was opened before it). Sort by
-- opened_date, commitment_id for replay's order.
CREATE VIEW current_commitments AS
WITH
now (day, ts) AS (
  SELECT date('now'), strftime('%Y-%m-%dT%H:%M:%f', 'now') || '999Z'
),
known AS (
  SELECT e.* FROM events AS e, now
  WHERE e.kind IN ('open', 'revise', 'fund', 'supersede', 'cancel', 'expire', 'complete')
    AND e.effective_date <= now.day AND e.recorded_at <= now.ts
    AND NOT EXISTS (SELECT 1 FROM events AS r
                    WHERE r.kind = 'retract' AND r.retracts = e.event_id AND r.recorded_at <= now.ts)
),
opening AS (
  SELECT o.* FROM known AS o
  WHERE o.kind = 'open'
    AND NOT EXISTS (SELECT 1 FROM known AS p
                    WHERE p.kind = 'open' AND p.commitment_id = o.commitment_id
                      AND (p.effective_date, p.seq) < (o.effective_date, o.seq))
),
applied AS (
  SELECT k.* FROM known AS k JOIN opening AS o ON o.commitment_id = k.commitment_id
  WHERE (k.effective_date, k.seq) >= (o.effective_date, o.seq)
    AND (k.kind <> 'open' OR k.seq = o.seq)
    AND (k.kind <> 'supersede'
         OR EXISTS (SELECT 1 FROM opening AS b
                    WHERE b.commitment_id = k.by_commitment
                      AND (b.effective_date, b.seq) < (k.effective_date, k.seq)))
),
ending AS (
  SELECT a.* FROM applied AS a
  WHERE a.kind IN ('supersede', 'cancel', 'expire', 'complete')
    AND NOT EXISTS (SELECT 1 FROM applied AS b
                    WHERE b.commitment_id = a.commitment_id
                      AND b.kind IN ('supersede', 'cancel', 'expire', 'complete')
                      AND (b.effective_date, b.seq) < (a.effective_date, a.seq))
),
counted AS (
  SELECT * FROM applied WHERE kind IN ('open', 'revise', 'fund')
  UNION ALL
  SELECT * FROM ending
),
-- For each commitment, which event last stated each field: counting back
-- from the latest event, the first that states it is the one whose running
-- count is 1.
marked AS (
  SELECT c.*,
    count(CASE WHEN c.kind IN ('open', 'revise') AND c.amount_minor IS NOT NULL THEN 1 END)
      OVER back AS amount_rank,
    count(CASE WHEN c.kind IN ('open', 'revise') AND c.conditional_minor IS NOT NULL THEN 1 END)
      OVER back AS conditional_rank,
    count(CASE WHEN c.kind IN ('open', 'revise') AND c.certainty IS NOT NULL THEN 1 END)
      OVER back AS certainty_rank,
    count(CASE WHEN c.kind IN ('open', 'revise') AND c.round_id IS NOT NULL THEN 1 END)
      OVER back AS round_rank,
    count(CASE WHEN c.kind IN ('open', 'revise') AND c.terms IS NOT NULL THEN 1 END)
      OVER back AS terms_rank,
    row_number() OVER back AS last_rank
  FROM counted AS c
  WINDOW back AS (PARTITION BY c.commitment_id ORDER BY c.effective_date DESC, c.seq DESC
                  ROWS UNBOUNDED PRECEDING)
),
latest AS (
  SELECT commitment_id,
    max(CASE WHEN kind IN ('open', 'revise') AND amount_minor IS NOT NULL AND amount_rank = 1
             THEN amount_minor END) AS stated_minor,
    max(CASE WHEN kind IN ('open', 'revise') AND amount_minor IS NOT NULL AND amount_rank = 1
             THEN amount_bound END) AS stated_bound,
    max(CASE WHEN kind IN ('open', 'revise') AND conditional_minor IS NOT NULL
                  AND conditional_rank = 1 THEN conditional_minor END) AS conditional_minor,
    max(CASE WHEN kind IN ('open', 'revise') AND conditional_minor IS NOT NULL
                  AND conditional_rank = 1 THEN conditional_bound END) AS conditional_bound,
    max(CASE WHEN kind IN ('open', 'revise') AND certainty IS NOT NULL AND certainty_rank = 1
             THEN certainty END) AS certainty,
    max(CASE WHEN kind IN ('open', 'revise') AND certainty IS NOT NULL AND certainty_rank = 1
             THEN effective_date END) AS certainty_date,
    max(CASE WHEN kind IN ('open', 'revise') AND certainty IS NOT NULL AND certainty_rank = 1
             THEN seq END) AS certainty_seq,
    max(CASE WHEN kind IN ('open', 'revise') AND round_id IS NOT NULL AND round_rank = 1
             THEN round_id END) AS round_id,
    max(CASE WHEN kind IN ('open', 'revise') AND terms IS NOT NULL AND terms_rank = 1
             THEN terms END) AS terms,
    max(CASE WHEN last_rank = 1 THEN effective_date END) AS last_date,
    max(CASE WHEN last_rank = 1 THEN date_precision END) AS last_precision,
    count(*) AS version,
    max(effective_end) AS last_end,
    -- The tranches: Interval::Of each, summed.
    coalesce(sum(CASE WHEN kind = 'fund' THEN
                   CASE amount_bound WHEN 'up_to' THEN 0 ELSE amount_minor END END), 0)
      AS funded_low,
    CASE WHEN max(kind = 'fund' AND amount_bound = 'more_than') THEN NULL
         ELSE coalesce(sum(CASE WHEN kind = 'fund' THEN amount_minor END), 0) END AS funded_high,
    max(kind = 'fund' AND amount_bound = 'about') AS funded_approximate
  FROM marked GROUP BY commitment_id
),
state AS (
  SELECT
    o.commitment_id, o.commitment_kind, o.from_party, o.to_party, o.currency,
    o.effective_date AS opened_date, o.date_precision AS opened_precision,
    -- An ending raises the certainty unless a later revision sets it.
    CASE WHEN n.certainty IS NOT NULL
              AND (n.effective_date, n.seq) > (l.certainty_date, l.certainty_seq)
              AND nr.rank > cr.rank
         THEN n.certainty ELSE l.certainty END AS certainty,
    CASE n.kind WHEN 'supersede' THEN 'superseded' WHEN 'cancel' THEN 'cancelled'
                WHEN 'expire' THEN 'expired' WHEN 'complete' THEN 'completed'
                ELSE 'open' END AS status,
    CASE n.kind WHEN 'supersede' THEN n.by_commitment END AS superseded_by,
    l.round_id, l.terms, l.stated_minor, l.stated_bound, l.conditional_minor,
    l.conditional_bound, l.funded_low, l.funded_high, l.funded_approximate,
    l.last_date, l.last_precision, l.version, l.last_end > now.day AS possibly
  FROM opening AS o
  CROSS JOIN now
  JOIN latest AS l ON l.commitment_id = o.commitment_id
  LEFT JOIN ending AS n ON n.commitment_id = o.commitment_id
  LEFT JOIN certainty_levels AS cr ON cr.certainty = l.certainty
  LEFT JOIN certainty_levels AS nr ON nr.certainty = n.certainty
),
-- Interval::Of(stated), the funded sum, and Remaining/Min as replay computes them.
figures AS (
  SELECT st.*,
    CASE st.stated_bound WHEN 'up_to' THEN 0 ELSE st.stated_minor END AS committed_low,
    CASE st.stated_bound WHEN 'more_than' THEN NULL ELSE st.stated_minor END AS committed_high,
    st.stated_bound = 'about' AS committed_approximate,
    CASE WHEN st.status <> 'open' THEN 0
         WHEN st.funded_high IS NULL THEN 0
         ELSE max(0, CASE st.stated_bound WHEN 'up_to' THEN 0 ELSE st.stated_minor END
                     - st.funded_high) END AS outstanding_low,
    CASE WHEN st.status <> 'open' THEN 0
         WHEN st.stated_bound = 'more_than' THEN NULL
         ELSE max(0, st.stated_minor - st.funded_low) END AS outstanding_high,
    st.status = 'open' AND (st.stated_bound = 'about' OR st.funded_approximate)
      AS outstanding_approximate
  FROM state AS st
),
conditional AS (
  SELECT fg.*,
    CASE WHEN fg.status <> 'open' OR fg.conditional_minor IS NULL THEN 0
         ELSE min(CASE fg.conditional_bound WHEN 'up_to' THEN 0 ELSE fg.conditional_minor END,
                  fg.outstanding_low) END AS conditional_low,
    CASE WHEN fg.status <> 'open' OR fg.conditional_minor IS NULL THEN 0
         WHEN fg.conditional_bound = 'more_than' THEN fg.outstanding_high
         WHEN fg.outstanding_high IS NULL THEN fg.conditional_minor
         ELSE min(fg.conditional_minor, fg.outstanding_high) END AS conditional_high,
    fg.status = 'open' AND fg.conditional_minor IS NOT NULL
      AND (fg.conditional_bound = 'about' OR fg.outstanding_approximate) AS conditional_approximate
  FROM figures AS fg
),
-- Exact decimal text of each figure, in the commitment's currency.
texts AS (
  SELECT cd.*, x.code IS NOT NULL AS known_currency,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.stated_minor)
      ELSE printf('%d.%0*d', cd.stated_minor / x.minor_per_major, x.exponent,
                  cd.stated_minor % x.minor_per_major) END AS stated_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.committed_low)
      ELSE printf('%d.%0*d', cd.committed_low / x.minor_per_major, x.exponent,
                  cd.committed_low % x.minor_per_major) END AS committed_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.committed_high)
      ELSE printf('%d.%0*d', cd.committed_high / x.minor_per_major, x.exponent,
                  cd.committed_high % x.minor_per_major) END AS committed_high_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.funded_low)
      ELSE printf('%d.%0*d', cd.funded_low / x.minor_per_major, x.exponent,
                  cd.funded_low % x.minor_per_major) END AS funded_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.funded_high)
      ELSE printf('%d.%0*d', cd.funded_high / x.minor_per_major, x.exponent,
                  cd.funded_high % x.minor_per_major) END AS funded_high_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.outstanding_low)
      ELSE printf('%d.%0*d', cd.outstanding_low / x.minor_per_major, x.exponent,
                  cd.outstanding_low % x.minor_per_major) END AS outstanding_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.outstanding_high)
      ELSE printf('%d.%0*d', cd.outstanding_high / x.minor_per_major, x.exponent,
                  cd.outstanding_high % x.minor_per_major) END AS outstanding_high_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.conditional_low)
      ELSE printf('%d.%0*d', cd.conditional_low / x.minor_per_major, x.exponent,
                  cd.conditional_low % x.minor_per_major) END AS conditional_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', cd.conditional_high)
      ELSE printf('%d.%0*d', cd.conditional_high / x.minor_per_major, x.exponent,
                  cd.conditional_high % x.minor_per_major) END AS conditional_high_text
  FROM conditional AS cd
  LEFT JOIN iso_currencies AS x ON x.code = cd.currency
)
SELECT
  t.commitment_id,
  t.commitment_kind,
  t.from_party,
  pf.name AS from_name,
  t.to_party,
  pt.name AS to_name,
  t.currency,
  t.certainty,
  t.status,
  t.superseded_by,
  t.round_id,
  CASE WHEN t.known_currency THEN
    CASE t.stated_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END || t.stated_text || ' ' || t.currency
  END AS stated,
  t.stated_minor,
  t.stated_bound,
  CASE WHEN NOT t.known_currency THEN NULL
       WHEN t.committed_high IS NULL AND t.committed_low = 0 THEN 'any amount'
       WHEN t.committed_high IS NULL THEN 'more than ' || t.committed_low_text || ' ' || t.currency
       ELSE CASE WHEN t.committed_high = t.committed_low THEN '' WHEN t.committed_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.committed_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.committed_high = t.committed_low OR t.committed_low = 0
                 THEN t.committed_high_text
                 ELSE t.committed_low_text || '–' || t.committed_high_text END || ' ' || t.currency
  END AS committed,
  t.committed_low AS committed_low_minor,
  t.committed_high AS committed_high_minor,
  t.committed_approximate,
  CASE WHEN NOT t.known_currency THEN NULL
       WHEN t.funded_high IS NULL AND t.funded_low = 0 THEN 'any amount'
       WHEN t.funded_high IS NULL THEN 'more than ' || t.funded_low_text || ' ' || t.currency
       ELSE CASE WHEN t.funded_high = t.funded_low THEN '' WHEN t.funded_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.funded_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.funded_high = t.funded_low OR t.funded_low = 0
                 THEN t.funded_high_text
                 ELSE t.funded_low_text || '–' || t.funded_high_text END || ' ' || t.currency
  END AS funded,
  t.funded_low AS funded_low_minor,
  t.funded_high AS funded_high_minor,
  t.funded_approximate,
  CASE WHEN NOT t.known_currency THEN NULL
       WHEN t.outstanding_high IS NULL AND t.outstanding_low = 0 THEN 'any amount'
       WHEN t.outstanding_high IS NULL
         THEN 'more than ' || t.outstanding_low_text || ' ' || t.currency
       ELSE CASE WHEN t.outstanding_high = t.outstanding_low THEN '' WHEN t.outstanding_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.outstanding_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.outstanding_high = t.outstanding_low OR t.outstanding_low = 0
                 THEN t.outstanding_high_text
                 ELSE t.outstanding_low_text || '–' || t.outstanding_high_text END
            || ' ' || t.currency
  END AS outstanding,
  t.outstanding_low AS outstanding_low_minor,
  t.outstanding_high AS outstanding_high_minor,
  t.outstanding_approximate,
  CASE WHEN NOT t.known_currency THEN NULL
       WHEN t.conditional_high IS NULL AND t.conditional_low = 0 THEN 'any amount'
       WHEN t.conditional_high IS NULL
         THEN 'more than ' || t.conditional_low_text || ' ' || t.currency
       ELSE CASE WHEN t.conditional_high = t.conditional_low THEN '' WHEN t.conditional_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.conditional_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.conditional_high = t.conditional_low OR t.conditional_low = 0
                 THEN t.conditional_high_text
                 ELSE t.conditional_low_text || '–' || t.conditional_high_text END
            || ' ' || t.currency
  END AS conditional,
  t.conditional_low AS conditional_low_minor,
  t.conditional_high AS conditional_high_minor,
  t.conditional_approximate,
  t.committed_approximate OR t.funded_approximate AS approximate,
  CASE t.opened_precision
    WHEN 'day' THEN t.opened_date
    WHEN 'month' THEN substr(t.opened_date, 1, 7)
    WHEN 'quarter' THEN substr(t.opened_date, 1, 4) || '-Q' ||
                        ((CAST(substr(t.opened_date, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(t.opened_date, 1, 4)
  END AS opened,
  t.opened_date,
  CASE t.last_precision
    WHEN 'day' THEN t.last_date
    WHEN 'month' THEN substr(t.last_date, 1, 7)
    WHEN 'quarter' THEN substr(t.last_date, 1, 4) || '-Q' ||
                        ((CAST(substr(t.last_date, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(t.last_date, 1, 4)
  END AS last_change,
  t.version,
  CASE WHEN t.possibly THEN 'possibly' ELSE 'definitely' END AS in_effect,
  t.terms
FROM texts AS t
LEFT JOIN parties AS pf ON pf.party_id = t.from_party
LEFT JOIN parties AS pt ON pt.party_id = t.to_party
ORDER BY t.opened_date, t.commitment_id;

-- Every round as of today (UTC), as known now, one row each: replay's rounds,
-- with the amounts in the round's currency (its target's, else its
-- valuations'). A round starts at its first round-open; round-revise and
-- valuations for the round apply after it; round-close closes it. Raised
-- counts the current commitments that name the round (committed while open
-- or completed, funded otherwise) in the round's currency.
CREATE VIEW current_rounds AS
WITH
now (day, ts) AS (
  SELECT date('now'), strftime('%Y-%m-%dT%H:%M:%f', 'now') || '999Z'
),
known AS (
  SELECT e.* FROM events AS e, now
  WHERE e.kind IN ('round-open', 'round-revise', 'round-close', 'valuation')
    AND e.round_id IS NOT NULL
    AND e.effective_date <= now.day AND e.recorded_at <= now.ts
    AND NOT EXISTS (SELECT 1 FROM events AS r
                    WHERE r.kind = 'retract' AND r.retracts = e.event_id AND r.recorded_at <= now.ts)
),
opening AS (
  SELECT o.* FROM known AS o
  WHERE o.kind = 'round-open'
    AND NOT EXISTS (SELECT 1 FROM known AS p
                    WHERE p.kind = 'round-open' AND p.round_id = o.round_id
                      AND (p.effective_date, p.seq) < (o.effective_date, o.seq))
),
applied AS (
  SELECT k.* FROM known AS k JOIN opening AS o ON o.round_id = k.round_id
  WHERE (k.effective_date, k.seq) >= (o.effective_date, o.seq)
    AND (k.kind <> 'round-open' OR k.seq = o.seq)
),
-- Valuation reports: the pre/post money of round-open and round-revise, and
-- valuation events (basis pre or post).
reports AS (
  SELECT round_id, 'pre' AS basis, pre_money_minor AS minor, pre_money_bound AS bound, currency,
         effective_date, seq
  FROM applied WHERE kind IN ('round-open', 'round-revise') AND pre_money_minor IS NOT NULL
  UNION ALL
  SELECT round_id, 'post', post_money_minor, post_money_bound, currency, effective_date, seq
  FROM applied WHERE kind IN ('round-open', 'round-revise') AND post_money_minor IS NOT NULL
  UNION ALL
  SELECT round_id, basis, amount_minor, amount_bound, currency, effective_date, seq
  FROM applied WHERE kind = 'valuation'
),
-- For each round, which event last stated each field (counting back from the
-- latest event, the first that states it), and the latest report of each
-- valuation basis.
marked AS (
  SELECT a.*,
    count(CASE WHEN a.kind IN ('round-open', 'round-revise') AND a.certainty IS NOT NULL
               THEN 1 END) OVER back AS certainty_rank,
    count(CASE WHEN a.kind IN ('round-open', 'round-revise') AND a.terms IS NOT NULL
               THEN 1 END) OVER back AS terms_rank,
    count(CASE WHEN a.kind IN ('round-open', 'round-revise') AND a.target_minor IS NOT NULL
               THEN 1 END) OVER back AS target_rank
  FROM applied AS a
  WINDOW back AS (PARTITION BY a.round_id ORDER BY a.effective_date DESC, a.seq DESC
                  ROWS UNBOUNDED PRECEDING)
),
latest AS (
  SELECT round_id,
    max(kind = 'round-close') AS closed,
    max(CASE WHEN kind IN ('round-open', 'round-revise') AND certainty IS NOT NULL
                  AND certainty_rank = 1 THEN certainty END) AS certainty,
    max(CASE WHEN kind IN ('round-open', 'round-revise') AND terms IS NOT NULL
                  AND terms_rank = 1 THEN terms END) AS terms,
    max(CASE WHEN kind IN ('round-open', 'round-revise') AND target_minor IS NOT NULL
                  AND target_rank = 1 THEN target_minor END) AS target_minor,
    max(CASE WHEN kind IN ('round-open', 'round-revise') AND target_minor IS NOT NULL
                  AND target_rank = 1 THEN target_bound END) AS target_bound,
    max(CASE WHEN kind IN ('round-open', 'round-revise') AND target_minor IS NOT NULL
                  AND target_rank = 1 THEN currency END) AS target_currency,
    max(effective_end) AS last_end
  FROM marked GROUP BY round_id
),
valuation AS (
  SELECT r.*,
    row_number() OVER (PARTITION BY r.round_id, r.basis
                       ORDER BY r.effective_date DESC, r.seq DESC) AS rank
  FROM reports AS r
),
state AS (
  SELECT
    o.round_id, o.party_id,
    o.effective_date AS opened_date, o.date_precision AS opened_precision,
    l.closed, l.certainty, l.terms, l.target_minor, l.target_bound, l.target_currency,
    pre.minor AS pre_money_minor, pre.bound AS pre_money_bound, pre.currency AS pre_currency,
    post.minor AS post_money_minor, post.bound AS post_money_bound,
    post.currency AS post_currency,
    l.last_end > now.day AS possibly
  FROM opening AS o
  CROSS JOIN now
  JOIN latest AS l ON l.round_id = o.round_id
  LEFT JOIN valuation AS pre ON pre.round_id = o.round_id AND pre.basis = 'pre' AND pre.rank = 1
  LEFT JOIN valuation AS post
    ON post.round_id = o.round_id AND post.basis = 'post' AND post.rank = 1
),
money AS (
  SELECT st.*, coalesce(st.target_currency, st.pre_currency, st.post_currency) AS currency
  FROM state AS st
),
participant AS (
  SELECT round_id, commitment_id, currency, status, opened_date,
         committed_low_minor, committed_high_minor, committed_approximate,
         funded_low_minor, funded_high_minor, funded_approximate
  FROM current_commitments WHERE round_id IS NOT NULL
),
raised AS (
  SELECT m.round_id,
    count(c.commitment_id) AS participants,
    sum(CASE WHEN c.currency <> m.currency THEN 0
             WHEN c.status IN ('open', 'completed') THEN c.committed_low_minor
             ELSE c.funded_low_minor END) AS low,
    CASE WHEN max(c.currency = m.currency AND
                  CASE WHEN c.status IN ('open', 'completed') THEN c.committed_high_minor
                       ELSE c.funded_high_minor END IS NULL) THEN NULL
         ELSE sum(CASE WHEN c.currency <> m.currency THEN 0
                       WHEN c.status IN ('open', 'completed') THEN c.committed_high_minor
                       ELSE c.funded_high_minor END) END AS high,
    max(c.currency = m.currency AND
        CASE WHEN c.status IN ('open', 'completed') THEN c.committed_approximate
             ELSE c.funded_approximate END) AS approximate
  FROM money AS m LEFT JOIN participant AS c ON c.round_id = m.round_id
  GROUP BY m.round_id
),
figures AS (
  SELECT m.*,
    r.participants,
    (SELECT group_concat(p.commitment_id, ',') FROM (
       SELECT c.commitment_id FROM participant AS c
       WHERE c.round_id = m.round_id ORDER BY c.opened_date, c.commitment_id) AS p)
      AS participant_ids,
    CASE WHEN m.currency IS NULL THEN NULL ELSE coalesce(r.low, 0) END AS raised_low,
    CASE WHEN m.currency IS NULL THEN NULL WHEN r.low IS NULL THEN 0 ELSE r.high END
      AS raised_high,
    coalesce(r.approximate, 0) AS raised_approximate,
    CASE m.target_bound WHEN 'up_to' THEN 0 ELSE m.target_minor END AS target_low,
    CASE m.target_bound WHEN 'more_than' THEN NULL ELSE m.target_minor END AS target_high
  FROM money AS m JOIN raised AS r ON r.round_id = m.round_id
),
unallocated AS (
  SELECT fg.*,
    CASE WHEN fg.target_minor IS NULL THEN NULL
         WHEN fg.raised_high IS NULL THEN 0
         ELSE max(0, fg.target_low - fg.raised_high) END AS unallocated_low,
    CASE WHEN fg.target_minor IS NULL OR fg.target_high IS NULL THEN NULL
         ELSE max(0, fg.target_high - fg.raised_low) END AS unallocated_high,
    fg.target_minor IS NOT NULL AND (fg.target_bound = 'about' OR fg.raised_approximate)
      AS unallocated_approximate
  FROM figures AS fg
),
texts AS (
  SELECT u.*, x.code IS NOT NULL AS known_currency,
    CASE x.exponent WHEN 0 THEN printf('%d', u.target_minor)
      ELSE printf('%d.%0*d', u.target_minor / x.minor_per_major, x.exponent,
                  u.target_minor % x.minor_per_major) END AS target_text,
    CASE x.exponent WHEN 0 THEN printf('%d', u.raised_low)
      ELSE printf('%d.%0*d', u.raised_low / x.minor_per_major, x.exponent,
                  u.raised_low % x.minor_per_major) END AS raised_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', u.raised_high)
      ELSE printf('%d.%0*d', u.raised_high / x.minor_per_major, x.exponent,
                  u.raised_high % x.minor_per_major) END AS raised_high_text,
    CASE x.exponent WHEN 0 THEN printf('%d', u.unallocated_low)
      ELSE printf('%d.%0*d', u.unallocated_low / x.minor_per_major, x.exponent,
                  u.unallocated_low % x.minor_per_major) END AS unallocated_low_text,
    CASE x.exponent WHEN 0 THEN printf('%d', u.unallocated_high)
      ELSE printf('%d.%0*d', u.unallocated_high / x.minor_per_major, x.exponent,
                  u.unallocated_high % x.minor_per_major) END AS unallocated_high_text,
    CASE xp.exponent WHEN 0 THEN printf('%d', u.pre_money_minor)
      ELSE printf('%d.%0*d', u.pre_money_minor / xp.minor_per_major, xp.exponent,
                  u.pre_money_minor % xp.minor_per_major) END AS pre_money_text,
    CASE xq.exponent WHEN 0 THEN printf('%d', u.post_money_minor)
      ELSE printf('%d.%0*d', u.post_money_minor / xq.minor_per_major, xq.exponent,
                  u.post_money_minor % xq.minor_per_major) END AS post_money_text
  FROM unallocated AS u
  LEFT JOIN iso_currencies AS x ON x.code = u.currency
  LEFT JOIN iso_currencies AS xp ON xp.code = u.pre_currency
  LEFT JOIN iso_currencies AS xq ON xq.code = u.post_currency
)
SELECT
  t.round_id,
  t.party_id,
  p.name AS party_name,
  CASE WHEN t.closed THEN 'closed' ELSE 'open' END AS status,
  t.certainty,
  t.currency,
  CASE WHEN t.target_minor IS NOT NULL AND t.known_currency THEN
    CASE t.target_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END || t.target_text || ' ' || t.currency
  END AS target,
  t.target_minor,
  t.target_bound,
  CASE WHEN t.raised_low IS NULL OR NOT t.known_currency THEN NULL
       WHEN t.raised_high IS NULL AND t.raised_low = 0 THEN 'any amount'
       WHEN t.raised_high IS NULL THEN 'more than ' || t.raised_low_text || ' ' || t.currency
       ELSE CASE WHEN t.raised_high = t.raised_low THEN '' WHEN t.raised_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.raised_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.raised_high = t.raised_low OR t.raised_low = 0 THEN t.raised_high_text
                 ELSE t.raised_low_text || '–' || t.raised_high_text END || ' ' || t.currency
  END AS raised,
  t.raised_low AS raised_low_minor,
  t.raised_high AS raised_high_minor,
  CASE WHEN t.unallocated_low IS NULL OR NOT t.known_currency THEN NULL
       WHEN t.unallocated_high IS NULL AND t.unallocated_low = 0 THEN 'any amount'
       WHEN t.unallocated_high IS NULL
         THEN 'more than ' || t.unallocated_low_text || ' ' || t.currency
       ELSE CASE WHEN t.unallocated_high = t.unallocated_low THEN '' WHEN t.unallocated_low = 0
                 THEN 'up to ' ELSE '' END ||
            CASE WHEN t.unallocated_approximate THEN 'about ' ELSE '' END ||
            CASE WHEN t.unallocated_high = t.unallocated_low OR t.unallocated_low = 0
                 THEN t.unallocated_high_text
                 ELSE t.unallocated_low_text || '–' || t.unallocated_high_text END
            || ' ' || t.currency
  END AS unallocated,
  t.unallocated_low AS unallocated_low_minor,
  t.unallocated_high AS unallocated_high_minor,
  CASE WHEN t.pre_money_minor IS NOT NULL AND t.pre_money_text IS NOT NULL THEN
    CASE t.pre_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                           WHEN 'about' THEN 'about ' ELSE '' END ||
    t.pre_money_text || ' ' || t.pre_currency
  END AS pre_money,
  t.pre_money_minor,
  t.pre_money_bound,
  CASE WHEN t.post_money_minor IS NOT NULL AND t.post_money_text IS NOT NULL THEN
    CASE t.post_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                            WHEN 'about' THEN 'about ' ELSE '' END ||
    t.post_money_text || ' ' || t.post_currency
  END AS post_money,
  t.post_money_minor,
  t.post_money_bound,
  coalesce(t.target_bound = 'about', 0) OR t.raised_approximate OR t.unallocated_approximate
    OR coalesce(t.pre_money_bound = 'about', 0) OR coalesce(t.post_money_bound = 'about', 0)
    AS approximate,
  t.participants,
  t.participant_ids,
  CASE t.opened_precision
    WHEN 'day' THEN t.opened_date
    WHEN 'month' THEN substr(t.opened_date, 1, 7)
    WHEN 'quarter' THEN substr(t.opened_date, 1, 4) || '-Q' ||
                        ((CAST(substr(t.opened_date, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(t.opened_date, 1, 4)
  END AS opened,
  t.opened_date,
  CASE WHEN t.possibly THEN 'possibly' ELSE 'definitely' END AS in_effect,
  t.terms
FROM texts AS t
LEFT JOIN parties AS p ON p.party_id = t.party_id
ORDER BY t.opened_date, t.round_id;

-- Each round with the commitments that name it (one row per participant),
-- from current_rounds and current_commitments.
CREATE VIEW round_participants AS
SELECT
  r.round_id,
  r.party_id AS raiser,
  r.party_name AS raiser_name,
  r.status AS round_status,
  c.commitment_id,
  c.commitment_kind,
  c.from_party,
  c.from_name,
  c.certainty,
  c.status,
  c.currency,
  c.committed,
  c.committed_low_minor,
  c.committed_high_minor,
  c.funded,
  c.funded_low_minor,
  c.funded_high_minor,
  c.outstanding,
  c.outstanding_low_minor,
  c.outstanding_high_minor,
  c.opened,
  c.opened_date
FROM current_rounds AS r JOIN current_commitments AS c ON c.round_id = r.round_id
ORDER BY r.opened_date, r.round_id, c.opened_date, c.commitment_id;

-- The dated history: every commitment, round and valuation event recorded by
-- now (party events and retractions left out), with its commitment's parties
-- and the commitment's figures after it: the committed figure last stated
-- and the tranches funded so far, retracted events not counted. Retracted
-- events are shown, with the retraction's event id. ORDER BY effective_date,
-- seq for the timeline's order.
CREATE VIEW timeline AS
WITH
now (ts) AS (SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now') || '999Z'),
visible AS (
  SELECT e.*,
    (SELECT r.event_id FROM events AS r
     WHERE r.kind = 'retract' AND r.retracts = e.event_id AND r.recorded_at <= now.ts
     ORDER BY r.seq LIMIT 1) AS retracted_by
  FROM events AS e, now
  WHERE e.kind NOT IN ('party-add', 'party-alias', 'retract') AND e.recorded_at <= now.ts
),
-- Each event with the event that opened its commitment (or its round): the
-- first open not retracted, else the first open.
shown AS (
  SELECT v.*,
    first_value(CASE WHEN v.kind IN ('open', 'round-open') THEN v.seq END) OVER (
      PARTITION BY coalesce('c:' || v.commitment_id, 'r:' || v.round_id)
      ORDER BY v.kind NOT IN ('open', 'round-open'), v.retracted_by IS NOT NULL, v.seq
    ) AS opening_seq
  FROM visible AS v
),
running AS (
  SELECT s.*,
    count(CASE WHEN s.kind IN ('open', 'revise') AND s.amount_minor IS NOT NULL
                    AND s.retracted_by IS NULL THEN 1 END)
      OVER (PARTITION BY s.commitment_id ORDER BY s.effective_date, s.seq
            ROWS UNBOUNDED PRECEDING) AS stated_group,
    coalesce(sum(CASE WHEN s.kind = 'fund' AND s.retracted_by IS NULL THEN s.amount_minor END)
      OVER (PARTITION BY s.commitment_id ORDER BY s.effective_date, s.seq
            ROWS UNBOUNDED PRECEDING), 0) AS funded_so_far
  FROM shown AS s
),
stated AS (
  SELECT r.*,
    CASE WHEN r.stated_group > 0 THEN first_value(r.amount_minor)
      OVER (PARTITION BY r.commitment_id, r.stated_group ORDER BY r.effective_date, r.seq) END
      AS committed_so_far,
    CASE WHEN r.stated_group > 0 THEN first_value(r.amount_bound)
      OVER (PARTITION BY r.commitment_id, r.stated_group ORDER BY r.effective_date, r.seq) END
      AS committed_so_far_bound
  FROM running AS r
)
SELECT
  s.seq,
  s.event_id,
  s.kind,
  CASE s.date_precision
    WHEN 'day' THEN s.effective_date
    WHEN 'month' THEN substr(s.effective_date, 1, 7)
    WHEN 'quarter' THEN substr(s.effective_date, 1, 4) || '-Q' ||
                        ((CAST(substr(s.effective_date, 6, 2) AS INTEGER) + 2) / 3)
    ELSE substr(s.effective_date, 1, 4)
  END AS effective,
  s.effective_date,
  s.effective_end,
  s.date_precision,
  s.recorded_at,
  s.certainty,
  s.commitment_id,
  o.commitment_kind,
  o.from_party,
  pf.name AS from_name,
  o.to_party,
  pt.name AS to_name,
  s.by_commitment,
  s.round_id,
  coalesce(s.party_id, CASE WHEN s.commitment_id IS NULL THEN o.party_id END) AS party_id,
  p.name AS party_name,
  s.currency,
  s.amount_minor,
  s.amount_bound,
  CASE WHEN s.amount_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE s.amount_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', s.amount_minor)
      ELSE printf('%d.%0*d', s.amount_minor / x.minor_per_major, x.exponent,
                  s.amount_minor % x.minor_per_major) END || ' ' || s.currency
  END AS amount,
  CASE WHEN s.target_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE s.target_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                        WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', s.target_minor)
      ELSE printf('%d.%0*d', s.target_minor / x.minor_per_major, x.exponent,
                  s.target_minor % x.minor_per_major) END || ' ' || s.currency
  END AS target,
  CASE WHEN s.pre_money_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE s.pre_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                           WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', s.pre_money_minor)
      ELSE printf('%d.%0*d', s.pre_money_minor / x.minor_per_major, x.exponent,
                  s.pre_money_minor % x.minor_per_major) END || ' ' || s.currency
  END AS pre_money,
  CASE WHEN s.post_money_minor IS NOT NULL AND x.code IS NOT NULL THEN
    CASE s.post_money_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                            WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE x.exponent WHEN 0 THEN printf('%d', s.post_money_minor)
      ELSE printf('%d.%0*d', s.post_money_minor / x.minor_per_major, x.exponent,
                  s.post_money_minor % x.minor_per_major) END || ' ' || s.currency
  END AS post_money,
  CASE WHEN s.commitment_id IS NOT NULL THEN s.committed_so_far END AS committed_minor,
  CASE WHEN s.commitment_id IS NOT NULL THEN s.committed_so_far_bound END AS committed_bound,
  CASE WHEN s.commitment_id IS NOT NULL AND s.committed_so_far IS NOT NULL
            AND y.code IS NOT NULL THEN
    CASE s.committed_so_far_bound WHEN 'up_to' THEN 'up to ' WHEN 'more_than' THEN 'more than '
                                  WHEN 'about' THEN 'about ' ELSE '' END ||
    CASE y.exponent WHEN 0 THEN printf('%d', s.committed_so_far)
      ELSE printf('%d.%0*d', s.committed_so_far / y.minor_per_major, y.exponent,
                  s.committed_so_far % y.minor_per_major) END || ' ' || o.currency
  END AS committed,
  CASE WHEN s.commitment_id IS NOT NULL THEN s.funded_so_far END AS funded_minor,
  CASE WHEN s.commitment_id IS NOT NULL AND y.code IS NOT NULL THEN
    CASE y.exponent WHEN 0 THEN printf('%d', s.funded_so_far)
      ELSE printf('%d.%0*d', s.funded_so_far / y.minor_per_major, y.exponent,
                  s.funded_so_far % y.minor_per_major) END || ' ' || o.currency
  END AS funded,
  s.retracted_by,
  s.terms,
  s.source,
  s.published,
  s.note
FROM stated AS s
LEFT JOIN events AS o ON o.seq = s.opening_seq
LEFT JOIN parties AS pf ON pf.party_id = o.from_party
LEFT JOIN parties AS pt ON pt.party_id = o.to_party
LEFT JOIN parties AS p
  ON p.party_id = coalesce(s.party_id, CASE WHEN s.commitment_id IS NULL THEN o.party_id END)
LEFT JOIN iso_currencies AS x ON x.code = s.currency
LEFT JOIN iso_currencies AS y ON y.code = o.currency
ORDER BY s.effective_date, s.seq;

PRAGMA user_version = 2;
