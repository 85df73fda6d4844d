#!/usr/bin/env python3
"""Checks that every tool's balances agree with dealtrail's, party by party,
in cents, before anything is timed.

dealtrail's figures come from `replay --format csv --section parties`; each
peer's from its own balance report of the same history as of the same day:

  agree.py --dealtrail replay.csv [--raw fold.csv] [--ledger bal.txt]
           [--hledger bal.csv] [--beancount query.csv] [--beancount-cold query.csv]
           [--sql positions.csv] [--json agreement.json]

--sql is `dealtrail sql` summing positions_as_of() per from_party into
outstanding_out and funded_out, in minor units.

Every figure dealtrail prints for the history must be exact (low == high):
the peers cannot express bounds. A party a peer does not list has zero
balances there. Exits 1, naming the first differences, when any tool
disagrees; 2 when an input cannot be read.
"""

import argparse
import csv
import json
import sys
from decimal import Decimal, InvalidOperation

# The figures each peer has, as dealtrail's CSV column stems.
PEER_FIGURES = ("outstanding_out", "funded_out")
RAW_FIGURES = ("committed_out", "committed_in", "funded_out", "funded_in",
               "outstanding_out", "outstanding_in")


class InputError(Exception):
    pass


def cents(text, where):
    """An exact decimal amount ("1234.50", "1234.50 USD") in integer cents."""
    value = text.strip()
    if value.endswith(" USD"):
        value = value[:-4].strip()
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise InputError(f"{where}: not an amount: {text!r}") from None
    scaled = number * 100
    if scaled != scaled.to_integral_value():
        raise InputError(f"{where}: more than two decimals: {text!r}")
    return int(scaled)


def party_of_account(account):
    """'Assets:Outstanding:P007' -> ('outstanding_out', 'p007')."""
    parts = account.strip().split(":")
    if len(parts) != 3 or parts[0] != "Assets":
        return None
    figure = {"Outstanding": "outstanding_out", "Funded": "funded_out"}.get(parts[1])
    if figure is None:
        return None
    return figure, parts[2].lower()


def read_dealtrail(path):
    figures = {}
    with open(path, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            where = f"{path}:{line}"
            if row["currency"] != "USD":
                raise InputError(f"{where}: currency {row['currency']}, expected USD only")
            party = {}
            for figure in RAW_FIGURES:
                low, high = row[f"{figure}_low"], row[f"{figure}_high"]
                if low != high:
                    raise InputError(f"{where}: {figure} is the interval [{low}, {high}]; "
                                     "the peer comparison needs an --exact history")
                party[figure] = cents(low, where)
            figures[row["party"]] = party
    if not figures:
        raise InputError(f"{path}: no parties")
    return figures


def read_raw(path):
    figures = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[row["party"]] = {k: int(row[k]) for k in RAW_FIGURES}
    return figures


def read_sql(path):
    figures = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[row["party"]] = {k: int(row[k] or 0) for k in PEER_FIGURES}
    return figures


def read_accounts(rows, path):
    """(account, amount) pairs -> {party: {figure: cents}}."""
    figures = {}
    for line, (account, amount) in rows:
        key = party_of_account(account)
        if key is None:
            continue
        figure, party = key
        figures.setdefault(party, {})[figure] = cents(amount, f"{path}:{line}")
    return figures


def read_ledger(path):
    # `ledger bal -F '%(account)\t%(display_total)\n'`
    with open(path, encoding="utf-8") as f:
        rows = [(n, line.rstrip("\n").split("\t", 1)) for n, line in enumerate(f, start=1)
                if "\t" in line]
    return read_accounts([(n, (a, v)) for n, (a, v) in rows], path)


def read_csv_pairs(path):
    # hledger `bal -O csv` ("account","balance") and bean-query `-f csv` (account,n).
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return read_accounts([(n, (r[0], r[1])) for n, r in enumerate(rows[1:], start=2)
                          if len(r) >= 2], path)


def compare(tool, expected, got, figures):
    """Mismatches as readable lines; a party missing on either side counts as zero."""
    problems = []
    compared = 0
    for party in sorted(set(expected) | set(got)):
        for figure in figures:
            want = expected.get(party, {}).get(figure, 0)
            have = got.get(party, {}).get(figure, 0)
            compared += 1
            if want != have:
                problems.append(f"{tool}: {party} {figure}: dealtrail {want / 100:.2f}, "
                                f"{tool} {have / 100:.2f} (difference {(have - want) / 100:.2f})")
    return compared, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dealtrail", required=True)
    parser.add_argument("--raw")
    parser.add_argument("--ledger")
    parser.add_argument("--hledger")
    parser.add_argument("--beancount")
    parser.add_argument("--beancount-cold")
    parser.add_argument("--sql")
    parser.add_argument("--json", help="write the outcome per tool here")
    args = parser.parse_args()

    try:
        expected = read_dealtrail(args.dealtrail)
        peers = []
        if args.raw:
            peers.append(("raw SQLite fold", read_raw(args.raw), RAW_FIGURES))
        if args.ledger:
            peers.append(("ledger-cli", read_ledger(args.ledger), PEER_FIGURES))
        if args.hledger:
            peers.append(("hledger", read_csv_pairs(args.hledger), PEER_FIGURES))
        if args.beancount:
            peers.append(("bean-query", read_csv_pairs(args.beancount), PEER_FIGURES))
        if args.beancount_cold:
            peers.append(("bean-query (no cache)", read_csv_pairs(args.beancount_cold),
                          PEER_FIGURES))
        if args.sql:
            peers.append(("dealtrail sql", read_sql(args.sql), PEER_FIGURES))
    except (InputError, OSError, KeyError) as e:
        print(f"agree: {e}", file=sys.stderr)
        return 2

    outcome = {}
    failed = False
    for tool, got, figures in peers:
        compared, problems = compare(tool, expected, got, figures)
        outcome[tool] = {"parties": len(expected), "figures_compared": compared,
                         "mismatches": len(problems), "agree": not problems}
        if problems:
            failed = True
            print(f"DISAGREEMENT: {tool} differs from dealtrail in {len(problems)} of "
                  f"{compared} figures:", file=sys.stderr)
            for line in problems[:10]:
                print(f"  {line}", file=sys.stderr)
        else:
            print(f"agree: {tool}: {compared} figures over {len(expected)} parties, "
                  "all equal to the cent", file=sys.stderr)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(outcome, f, indent=2)
            f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
