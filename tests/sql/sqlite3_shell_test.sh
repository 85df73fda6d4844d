#!/usr/bin/env bash
# The loadable extension in the real sqlite3 shell: on a fixture ledger,
# positions_as_of() must give what `dealtrail replay --format csv` gives.
# Also: the schema files run on their own in sqlite3, in order, and the views
# read with no dealtrail code loaded.
#
#   sqlite3_shell_test.sh DEALTRAIL_BINARY EXTENSION FIXTURE_JSONL SCHEMA_DIR
#
# How the columns correspond (docs/sql.md): replay's CSV `id`, `kind`,
# `from`, `to`, `round` are positions_as_of's commitment_id, commitment_kind,
# from_party, to_party, round_id; its amounts in major units are
# money(<column>_minor, currency, 'major'), an unbounded high bound empty in
# both; `approximate` is 0/1 here and false/true there; NULL is empty.
set -euo pipefail

dealtrail="$1"
extension="$2"
fixture="$3"
schema="$4"

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "FAIL: the sqlite3 shell is not installed (Debian package sqlite3; tools/check installs it)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ledger="$work/ledger.db"
known_at="2026-03-10T00:00:00Z"

"$dealtrail" --ledger "$ledger" init >/dev/null
"$dealtrail" --ledger "$ledger" import "$fixture" >/dev/null
before="$(sha256sum "$ledger")"

compare() {  # compare AS_OF
  local as_of="$1"
  "$dealtrail" --ledger "$ledger" replay --as-of "$as_of" --known-at "$known_at" --format csv \
    >"$work/expected.csv"
  # sqlite3's CSV mode ends rows with CRLF; replay's with LF.
  sqlite3 -bail -csv -header "$ledger" ".load $extension" "
    SELECT commitment_id AS id, commitment_kind AS kind, from_party AS \"from\",
           to_party AS \"to\", currency, certainty, status,
           money(committed_low_minor, currency, 'major') AS committed_low,
           money(committed_high_minor, currency, 'major') AS committed_high,
           money(funded_low_minor, currency, 'major') AS funded_low,
           money(funded_high_minor, currency, 'major') AS funded_high,
           money(outstanding_low_minor, currency, 'major') AS outstanding_low,
           money(outstanding_high_minor, currency, 'major') AS outstanding_high,
           money(conditional_low_minor, currency, 'major') AS conditional_low,
           money(conditional_high_minor, currency, 'major') AS conditional_high,
           CASE approximate WHEN 1 THEN 'true' ELSE 'false' END AS approximate,
           superseded_by, round_id AS round, in_effect
    FROM positions_as_of('$as_of', '$known_at')" | tr -d '\r' >"$work/actual.csv"
  if ! diff -u "$work/expected.csv" "$work/actual.csv"; then
    echo "FAIL: positions_as_of('$as_of') in sqlite3 differs from replay --as-of $as_of" >&2
    exit 1
  fi
  if [ "$(wc -l <"$work/actual.csv")" -lt 2 ]; then
    echo "FAIL: no rows as of $as_of" >&2
    exit 1
  fi
}

for day in 2024-10-02 2025-10-01 2026-02-04 2026-02-20 2026-03-01; do compare "$day"; done

# money_sum in the shell, and its overflow error.
total="$(sqlite3 -bail "$ledger" ".load $extension" \
  "SELECT money(money_sum(amount_minor, currency), 'USD') FROM events WHERE kind = 'open'")"
[ "$total" = "338100000000.00 USD" ] || { echo "FAIL: money_sum gave '$total'" >&2; exit 1; }
if sqlite3 -bail "$ledger" ".load $extension" \
  "SELECT money_sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)" \
  2>"$work/err.txt"; then
  echo "FAIL: money_sum overflowed without an error" >&2
  exit 1
fi
grep -q "money_sum: the sum overflows 64-bit minor units" "$work/err.txt" ||
  { echo "FAIL: unexpected error: $(cat "$work/err.txt")" >&2; exit 1; }

[ "$(sha256sum "$ledger")" = "$before" ] || { echo "FAIL: the ledger changed" >&2; exit 1; }

# The schema files on their own, in order, in a new database; the views read
# with nothing loaded.
plain="$work/plain.db"
for file in "$schema"/[0-9][0-9][0-9][0-9]_*.sql; do sqlite3 -bail "$plain" <"$file"; done
[ "$(sqlite3 "$plain" 'PRAGMA integrity_check')" = "ok" ] ||
  { echo "FAIL: integrity_check on the schema alone" >&2; exit 1; }
for view in event_details current_commitments current_rounds round_participants timeline; do
  sqlite3 -bail "$ledger" "SELECT count(*) FROM $view" >/dev/null ||
    { echo "FAIL: plain sqlite3 cannot read $view" >&2; exit 1; }
done
echo "ok: positions_as_of in sqlite3 equals replay at 5 dates; schema runs in sqlite3"
