#!/usr/bin/env python3
"""Turns one run of tools/bench/run into docs/benchmarks-data.json, the
generated sections of docs/benchmarks.md and the plot docs/benchmarks.svg.

  report.py --results DIR --seed S --dealtrail BIN [--docs DOCS_DIR]

DIR holds one folder per size (hyperfine exports, /usr/bin/time outputs,
agreement.json, …) as the runner leaves them. Without --docs it prints the
summary and writes nothing in docs/. The generated parts of benchmarks.md
sit between `<!-- generated:NAME -->` and `<!-- end:NAME -->` lines; the
rest of the page is prose, kept as it is. The table of documented runs
also reads every earlier docs/benchmarks-data.json from git.
"""

import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys

AS_OF = "2020-12-31"
REFERENCE_SIZE = 1_000_000

# Tool keys: what the runner calls them, how the docs name them.
PEERS = [("ledger", "ledger bal --end", "ledger-cli"),
         ("hledger", "hledger bal -e", "hledger"),
         ("bean", "bean-query (cached)", "bean-query, cached"),
         ("bean_cold", "bean-query (no cache)", "bean-query, no cache")]
REPLAY = "dealtrail replay"
RAW_FOLD = "raw SQLite scan+fold"
SQL = "dealtrail sql positions_as_of"
TIMELINE = "dealtrail timeline --pair"


# --- reading one run --------------------------------------------------------

def read_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_text(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def hyperfine_results(*paths, slow=False):
    """{command name: {"median": s, "mean": s, …, "runs": n}}: wall-clock seconds,
    and the mean CPU seconds (user + system), steadier on a shared machine.
    Several exports (the turns the runner takes between two commands) are
    merged per command."""
    runs = {}
    for path in sorted(paths):
        for r in (read_json(path) or {}).get("results", []):
            got = runs.setdefault(r["command"], {"times": [], "cpu": []})
            got["times"] += r["times"]
            # hyperfine exports the mean user and system seconds of its runs.
            got["cpu"] += [r["user"] + r["system"]] * len(r["times"])
    out = {}
    for command, got in runs.items():
        times = got["times"]
        out[command] = {"median": statistics.median(times), "mean": statistics.mean(times),
                        "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
                        "min": min(times), "max": max(times),
                        "cpu_mean": statistics.mean(got["cpu"]), "runs": len(times),
                        "slow_group": slow}
    return out


def time_file(path):
    """A /usr/bin/time -f '%e %M' output: {"seconds", "peak_kib"}, or {"dnf": limit}."""
    text = read_text(path)
    if text is None:
        return None
    fields = text.split()
    if fields and fields[0] == "dnf":
        return {"dnf_after_seconds": float(fields[1])}
    # /usr/bin/time prefixes "Command exited with non-zero status N" on failure.
    numbers = [f for f in fields if re.fullmatch(r"[0-9.]+", f)]
    return {"seconds": float(numbers[-2]), "peak_kib": int(numbers[-1])}


PHASES = ["start", "init", "args", "open", "schema", "work", "commit", "close", "exit",
          "total", "syncs"]


def read_phases(path):
    """dealtrail-phases' table: {"runs": N, "commands": {name: {phase: ms or None}}}."""
    text = read_text(path)
    if not text:
        return None
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|") and "---" not in line]
    header, body = rows[0], rows[1:]
    m = re.search(r"median of ([0-9]+) run", header[0])
    commands = {name: {} for name in header[1:]}
    for row in body:
        for name, cell in zip(header[1:], row[1:]):
            commands[name][row[0]] = None if cell == "-" else float(cell)
    return {"runs": int(m.group(1)) if m else None, "commands": commands}


def read_size(folder, n):
    size = {"events": n}
    # A command slower than the runner's --slow was timed in the "-slow"
    # invocation of its group (fewer runs, no warm-up); merged here, marked.
    side = hyperfine_results(os.path.join(folder, "side.json"))
    side.update(hyperfine_results(os.path.join(folder, "side-slow.json"), slow=True))
    fast = hyperfine_results(os.path.join(folder, "fast.json"))
    fast.update(hyperfine_results(os.path.join(folder, "fast-slow.json"), slow=True))
    size["side_by_side"] = side
    size["dealtrail_and_sqlite"] = fast

    tools = {}
    for key, command, label in PEERS:
        t = time_file(os.path.join(folder, key + ".time"))
        if t is None:
            continue
        entry = {"label": label, "checked_run": t}
        if command in side:
            entry["timed"] = side[command]
        tools[key] = entry
    size["peers"] = tools

    replay_mem = time_file(os.path.join(folder, "dealtrail.time"))
    size["replay_peak_kib"] = replay_mem and replay_mem.get("peak_kib")
    raw_time = time_file(os.path.join(folder, "raw.time"))
    size["raw_fold_peak_kib"] = raw_time and raw_time.get("peak_kib")
    raw_err = read_text(os.path.join(folder, "raw-in-process.txt")) or \
        read_text(os.path.join(folder, "raw.err")) or ""
    m = re.search(r"fold_median_ms ([0-9.]+)", raw_err)
    size["raw_fold_in_process_ms"] = float(m.group(1)) if m else None
    for key in ("sql", "timeline"):
        t = time_file(os.path.join(folder, key + ".time"))
        if t:
            size[key + "_peak_kib"] = t.get("peak_kib")

    # Timed in turns with the raw insert (import-1.json, …); import.json
    # from runs that timed all the imports first.
    turns = glob.glob(os.path.join(folder, "import-[0-9]*.json"))
    imp = hyperfine_results(*(turns or [os.path.join(folder, "import.json")])).get(
        "dealtrail import")
    if imp:
        mem = read_text(os.path.join(folder, "import-mem.txt")) or ""
        peaks = [int(x) for x in mem.split() if x.isdigit()]
        size["import"] = dict(imp, events_per_second=n / imp["median"],
                              peak_kib=max(peaks) if peaks else None)
    inserts = read_text(os.path.join(folder, "sqlite-insert.txt"))
    if inserts:
        # Through the close (the WAL copied into the file, as the import's
        # process does before it exits), and to the COMMIT alone.
        def figures(key):
            return [float(m) for m in re.findall(r"(?<![a-z_])" + key + r" ([0-9.]+)", inserts)]
        rates, secs = figures("events_per_second"), figures("seconds")
        commit_rates = figures("commit_events_per_second")
        size["sqlite_insert"] = {"events_per_second": statistics.median(rates),
                                 "seconds": statistics.median(secs), "runs": len(rates),
                                 "commit_events_per_second":
                                     statistics.median(commit_rates) if commit_rates else None}

    recorded = hyperfine_results(os.path.join(folder, "record.json"))
    if recorded.get("dealtrail record"):
        size["record"] = recorded["dealtrail record"]
    # Runs from before these were timed have neither.
    if recorded.get("dealtrail party add"):
        size["party_add"] = recorded["dealtrail party add"]
    if recorded.get("raw append"):
        size["raw_append"] = recorded["raw append"]
    phases = read_phases(os.path.join(folder, "phases.md"))
    if phases:
        size["record_phases"] = phases
    durable = read_text(os.path.join(folder, "durable.txt"))
    if durable:
        m = re.search(r"durable_insert_median_ms ([0-9.]+) runs ([0-9]+)", durable)
        size["durable_insert"] = {"median_ms": float(m.group(1)), "runs": int(m.group(2))}

    cps = hyperfine_results(os.path.join(folder, "checkpoints.json"))
    if cps:
        dates = sorted({name.split()[1] for name in cps})
        per_date = []
        for d in dates:
            with_cp = cps.get(f"replay {d} checkpoints")
            without = cps.get(f"replay {d} no-checkpoints")
            if with_cp and without:
                per_date.append({"as_of": d, "checkpoints": with_cp["median"],
                                 "no_checkpoints": without["median"],
                                 "ratio": with_cp["median"] / without["median"]})
        size["checkpoints"] = {
            "per_date": per_date,
            "median_ratio": statistics.median(p["ratio"] for p in per_date) if per_date else None,
            "identical_output": os.path.exists(os.path.join(folder, "checkpoints-agree.txt"))}
    size["agreement"] = read_json(os.path.join(folder, "agreement.json"))
    load = read_text(os.path.join(folder, "loadavg.txt"))
    if load:
        size["load_average_before_timing"] = load.split()[:3]
    return size


def command_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return None


def machine(results):
    info = {"nproc": os.cpu_count(), "os": None, "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f
                               if line.startswith("model name"))
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            info["ram_gib"] = round(kib / 1024 / 1024, 1)
        with open("/etc/os-release", encoding="utf-8") as f:
            info["os"] = next(line.split("=", 1)[1].strip().strip('"') for line in f
                              if line.startswith("PRETTY_NAME"))
    except (OSError, StopIteration):
        pass
    df = subprocess.run(["df", "-hP", results], capture_output=True, text=True, check=False)
    if df.returncode == 0:
        fields = df.stdout.splitlines()[1].split()
        info["disk"] = f"{fields[0]}, {fields[1]} ({fields[3]} free)"
    return info


def versions(dealtrail):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # "-dirty" when the code differs from the commit; the pages this script
    # writes (docs/) do not count.
    commit = command_line(["git", "-C", root, "describe", "--always"])
    changed = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no",
                              "--", ".", ":(exclude)docs"],
                             capture_output=True, text=True, check=False)
    if commit and (changed.returncode != 0 or changed.stdout.strip()):
        commit += "-dirty"
    return {"dealtrail": commit, "ledger": command_line(["ledger", "--version"]),
            "hledger": command_line(["hledger", "--version"]),
            "beancount": command_line(["bean-query", "--version"]),
            "sqlite": command_line(["sqlite3", "--version"]),
            "hyperfine": command_line(["hyperfine", "--version"]),
            "compiler": command_line(["c++", "--version"]),
            "dealtrail_binary": os.path.relpath(os.path.abspath(dealtrail), root)}


# --- targets ----------------------------------------------------------------

def verdict(ok):
    return "met" if ok else "not met"


def targets(sizes):
    """The issue's targets, each a ratio from one run."""
    measured = sorted(n for n in sizes if n <= REFERENCE_SIZE)
    out = []
    if not measured:
        return out
    n = measured[-1]
    s = sizes[n]
    at = f"{n:,} events"
    fast = s["dealtrail_and_sqlite"]
    replay = fast.get(REPLAY)
    raw_fold = fast.get(RAW_FOLD)

    def add(target, value, ok, detail, cpu_ok=None, where=None):
        """ok: the verdict on wall-clock medians, as the issue states the
        targets; cpu_ok, where given, the same on CPU time: when the two
        disagree (a noisy machine) the status says so instead of choosing."""
        status = "not measured" if ok is None else verdict(ok)
        if ok is not None and cpu_ok is not None and cpu_ok != ok:
            status = f"{verdict(ok)} on wall time, {verdict(cpu_ok)} on CPU time"
        out.append({"target": target, "at": where or at, "measured": value, "status": status,
                    "detail": detail})

    ledger = s["peers"].get("ledger", {})
    side_replay = s["side_by_side"].get(REPLAY) or replay
    if ledger.get("timed") and side_replay:
        ratio = ledger["timed"]["median"] / side_replay["median"]
        cpu = ledger["timed"]["cpu_mean"] / side_replay["cpu_mean"]
        add("replay ≥ 50× faster than ledger bal --end", f"{times(ratio)} (CPU {times(cpu)})",
            ratio >= 50, f"ledger {fmt_timed(ledger['timed'])}, replay {fmt_timed(side_replay)}",
            cpu >= 50)
    elif "dnf_after_seconds" in ledger.get("checked_run", {}):
        add("replay ≥ 50× faster than ledger bal --end", "ledger did not finish", True,
            f"ledger-cli did not finish in {ledger['checked_run']['dnf_after_seconds']:.0f} s")
    else:
        add("replay ≥ 50× faster than ledger bal --end", None, None, "ledger-cli not run")
    if replay and raw_fold:
        ratio = replay["median"] / raw_fold["median"]
        cpu = replay["cpu_mean"] / raw_fold["cpu_mean"]
        add("replay within 2× of raw SQLite scan+fold", f"{ratio:.3g}× (CPU {cpu:.3g}×)",
            ratio <= 2, f"replay {fmt_timed(replay)}, raw {fmt_timed(raw_fold)} (whole processes)",
            cpu <= 2)
    peak = s.get("replay_peak_kib")
    if peak:
        add("replay peak memory < 100 MiB", fmt_kib(peak), peak < 100 * 1024, "")
    cp = s.get("checkpoints")
    if cp and cp["median_ratio"] is not None:
        ok = cp["median_ratio"] < 0.25 and cp["identical_output"]
        add("checkpointed replay: median < ¼ of the full scan, identical output",
            f"{cp['median_ratio']:.2f}×", ok,
            f"{len(cp['per_date'])} dates; output identical: {cp['identical_output']}")
    else:
        add("checkpointed replay: median < ¼ of the full scan, identical output", None, None,
            "no --no-checkpoints flag in this build")
    imp, ins = s.get("import"), s.get("sqlite_insert")
    if imp and ins:
        share = imp["events_per_second"] / ins["events_per_second"]
        to_commit = ins.get("commit_events_per_second")
        add("import ≥ 60% of the raw SQLite bulk-insert rate", f"{share:.0%}", share >= 0.6,
            f"import {imp['events_per_second']:,.0f} events/s, raw insert "
            f"{ins['events_per_second']:,.0f} events/s through its close"
            + (f" ({imp['events_per_second'] / to_commit:.0%} of its "
               f"{to_commit:,.0f} events/s to the COMMIT alone)" if to_commit else ""))
    rec, dur = s.get("record"), s.get("durable_insert")
    if rec and dur:
        extra = rec["median"] * 1000 - dur["median_ms"]
        appended = s.get("raw_append")
        add("record ≤ durable insert + 3 ms", f"+{extra:.1f} ms", extra <= 3,
            f"record {rec['median'] * 1000:.1f} ms ({rec['cpu_mean'] * 1000:.1f} ms CPU), "
            f"durable insert {dur['median_ms']:.2f} ms"
            + (f"; raw SQLite appending one event as a whole process "
               f"{appended['median'] * 1000:.1f} ms ({appended['cpu_mean'] * 1000:.1f} ms CPU), "
               + over_or_under((rec['median'] - appended['median']) * 1000)
               if appended else ""))
    for name, label in ((TIMELINE, "timeline of one pair < 2× replay"),
                        (SQL, "sql positions_as_of < 2× replay")):
        if fast.get(name) and replay:
            ratio = fast[name]["median"] / replay["median"]
            cpu = fast[name]["cpu_mean"] / replay["cpu_mean"]
            add(label, f"{ratio:.2f}× (CPU {cpu:.2f}×)", ratio < 2,
                f"{fmt_timed(fast[name])} vs replay {fmt_timed(replay)}", cpu < 2)
        else:
            add(label, None, None, "command not in this build")
    for label, series, raw_label, raw in (
            ("replay", replay_series(sizes), "the raw scan+fold", raw_fold_series(sizes)),
            ("import", import_series(sizes), "the raw bulk insert", raw_insert_series(sizes))):
        points = sorted(series.items())
        if len(points) < 2:
            continue
        exponents = growth_exponents(points)
        detail = "growth exponents between sizes " + ", ".join(
            f"{a:,}→{b:,}" for (a, _), (b, _) in zip(points, points[1:]))
        raw_points = sorted(raw.items())
        if len(raw_points) == len(points):
            detail += f"; {raw_label}: " + ", ".join(
                f"{e:.2f}" for e in growth_exponents(raw_points))
        add(f"{label} cost grows linearly or better", ", ".join(f"{e:.2f}" for e in exponents),
            all(e <= 1.1 for e in exponents), detail,
            where=f"{points[0][0]:,}–{points[-1][0]:,} events")
    return out


def over_or_under(ms):
    """How far record is from the raw append: "record 1.3 ms over it"."""
    return f"record {abs(ms):.1f} ms {'over' if ms >= 0 else 'under'} it"


def growth_exponents(points):
    """The exponent k of time ∝ events^k between each pair of sizes."""
    return [math.log(t2 / t1) / math.log(n2 / n1)
            for (n1, t1), (n2, t2) in zip(points, points[1:])]


def raw_fold_series(sizes):
    return {n: s["dealtrail_and_sqlite"][RAW_FOLD]["median"] for n, s in sizes.items()
            if RAW_FOLD in s["dealtrail_and_sqlite"]}


def raw_insert_series(sizes):
    return {n: s["sqlite_insert"]["seconds"] for n, s in sizes.items() if "sqlite_insert" in s}


def replay_series(sizes):
    return {n: s["dealtrail_and_sqlite"][REPLAY]["median"] for n, s in sizes.items()
            if REPLAY in s["dealtrail_and_sqlite"]}


def import_series(sizes):
    return {n: s["import"]["median"] for n, s in sizes.items() if "import" in s}


# --- formatting -------------------------------------------------------------

def fmt_s(seconds):
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.3g} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_kib(kib):
    if not kib:
        return "—"
    mib = kib / 1024
    return f"{mib / 1024:.1f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def fmt_n(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def peer_cell(entry):
    if entry is None:
        return "not run"
    run = entry["checked_run"]
    if "dnf_after_seconds" in run:
        return f"did not finish in {run['dnf_after_seconds']:.0f} s"
    timed = entry.get("timed")
    if not timed:
        return f"{fmt_s(run['seconds'])} (one run), {fmt_kib(run['peak_kib'])}"
    return f"{fmt_timed(timed)}, {fmt_kib(run['peak_kib'])}"


def fmt_timed(timed):
    """A hyperfine median and its mean CPU time, with the run count when it
    came from a slow group."""
    if not timed:
        return "—"
    runs = f", {timed['runs']} runs" if timed.get("slow_group") else ""
    return f"{fmt_s(timed['median'])} ({fmt_s(timed['cpu_mean'])} CPU{runs})"


def times(ratio):
    """130× rather than 1.3e+02×."""
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.2g}×"


def fmt_ratio(a, b, key):
    return times(a[key] / b[key])


def ratio_pair(a, b):
    """"wall× / CPU×" of a over b."""
    return f"{fmt_ratio(a, b, 'median')} / {fmt_ratio(a, b, 'cpu_mean')}"


def figures_table(sizes):
    lines = ["| events | dealtrail replay | raw SQLite scan+fold | ledger-cli `bal --end` | "
             "hledger `bal -e` | bean-query (cached) | bean-query (no cache) |",
             "|---|---|---|---|---|---|---|"]
    for n in sorted(sizes):
        s = sizes[n]
        fast = s["dealtrail_and_sqlite"]
        replay = fast.get(REPLAY)
        raw_fold = fast.get(RAW_FOLD)
        cells = [f"{n:,}",
                 f"{fmt_timed(replay)}, {fmt_kib(s.get('replay_peak_kib'))}",
                 f"{fmt_timed(raw_fold)}; {fmt_s((s.get('raw_fold_in_process_ms') or 0) / 1000)}"
                 " in process"]
        for key, _, _ in PEERS:
            cells.append(peer_cell(s["peers"].get(key)) if s["peers"] else "not run")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_table(sizes):
    lines = ["| events | dealtrail import | raw SQLite bulk insert | import / raw | "
             "`record` (whole process) | durable raw insert | `timeline --pair` | "
             "`sql` positions_as_of |",
             "|---|---|---|---|---|---|---|---|"]
    for n in sorted(sizes):
        s = sizes[n]
        fast = s["dealtrail_and_sqlite"]
        imp, ins = s.get("import"), s.get("sqlite_insert")
        cells = [f"{n:,}",
                 f"{fmt_s(imp['median'])}, {imp['events_per_second']:,.0f} events/s, "
                 f"{fmt_kib(imp.get('peak_kib'))}" if imp else "—",
                 f"{ins['events_per_second']:,.0f} events/s"
                 + (f" ({ins['commit_events_per_second']:,.0f} to the COMMIT)"
                    if ins.get("commit_events_per_second") else "") if ins else "—",
                 f"{imp['events_per_second'] / ins['events_per_second']:.0%}"
                 if imp and ins else "—",
                 fmt_timed(s.get("record"))
                 + (f"; party add {fmt_timed(s['party_add'])}" if s.get("party_add") else "")
                 + (f"; raw append {fmt_timed(s['raw_append'])}" if s.get("raw_append") else ""),
                 f"{s['durable_insert']['median_ms']:.2f} ms" if s.get("durable_insert") else "—",
                 f"{fmt_timed(fast.get(TIMELINE))}, {fmt_kib(s.get('timeline_peak_kib'))}",
                 f"{fmt_timed(fast.get(SQL))}, {fmt_kib(s.get('sql_peak_kib'))}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def phases_table(sizes):
    """record beside the raw append, phase by phase, at the largest size
    that has them."""
    measured = [n for n in sorted(sizes) if sizes[n].get("record_phases")]
    if not measured:
        return "Not measured in this run (no `dealtrail-phases` in its build)."
    n = measured[-1]
    phases = sizes[n]["record_phases"]
    commands = phases["commands"]
    rec, raw = commands.get("record", {}), commands.get("raw append", {})

    def cell(v):
        return "—" if v is None else f"{v:.2f}"

    lines = [f"At {fmt_n(n)} events, median of {phases['runs']} runs each, the two taking "
             "turns (`dealtrail-phases`, milliseconds):", "",
             "| phase | `record` | raw append | `record` − raw append |", "|---|---|---|---|"]
    for phase in PHASES:
        a, b = rec.get(phase), raw.get(phase)
        diff = None if a is None or b is None else a - b
        lines.append(f"| {phase} | {cell(a)} | {cell(b)} | "
                     f"{'—' if diff is None else f'{diff:+.2f}'} |")
    return "\n".join(lines)


def ratio_table(sizes):
    """dealtrail replay against every tool, per size, from the side-by-side runs."""
    lines = ["| events (wall / CPU) | replay ÷ raw SQLite fold | ledger-cli ÷ replay | "
             "hledger ÷ replay | bean-query cached ÷ replay | bean-query no cache ÷ replay |",
             "|---|---|---|---|---|---|"]
    for n in sorted(sizes):
        s = sizes[n]
        side_replay = s["side_by_side"].get(REPLAY) or s["dealtrail_and_sqlite"].get(REPLAY)
        raw_fold = s["dealtrail_and_sqlite"].get(RAW_FOLD)
        fast_replay = s["dealtrail_and_sqlite"].get(REPLAY)
        cells = [f"{n:,}", ratio_pair(fast_replay, raw_fold) if raw_fold and fast_replay else "—"]
        for key, _, _ in PEERS:
            entry = s["peers"].get(key)
            if entry and entry.get("timed") and side_replay:
                cells.append(ratio_pair(entry["timed"], side_replay))
            else:
                cells.append("—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets_table(rows):
    lines = ["| target (issue) | measured at | value | status | detail |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['target']} | {r['at']} | {r['measured'] or '—'} | "
                     f"**{r['status']}** | {r['detail']} |")
    return "\n".join(lines)


# The targets of the runs committed before this one, one row a run: what
# docs/benchmarks-data.json held at each commit that changed it. Columns
# are found by the start of the target's text, which has not changed.
HISTORY_COLUMNS = [("replay ≥ 50×", "ledger-cli ÷ replay"),
                   ("replay within 2×", "replay ÷ raw fold"),
                   ("replay peak memory", "replay memory"),
                   ("checkpointed replay", "checkpointed ÷ full scan"),
                   ("import ≥ 60%", "import ÷ raw insert"),
                   ("record ≤", "record − durable insert"),
                   ("timeline of one pair", "timeline ÷ replay"),
                   ("sql positions_as_of", "sql ÷ replay")]


def committed_runs(docs):
    """Every docs/benchmarks-data.json in the history of the repository
    holding DOCS, newest first; [] outside a git checkout."""
    def git(*args):
        return subprocess.run(["git", "-C", docs, *args], capture_output=True, text=True,
                              check=False)
    log = git("log", "--format=%h", "--", "benchmarks-data.json")
    runs = []
    for commit in log.stdout.split() if log.returncode == 0 else []:
        shown = git("show", f"{commit}:./benchmarks-data.json")
        if shown.returncode == 0:
            try:
                runs.append(json.loads(shown.stdout))
            except json.JSONDecodeError:
                pass
    return runs


def history_cell(row):
    if row is None or row["measured"] is None:
        return "—"
    # Wall clock only, the measure; "(wall only)" says where the
    # CPU-time ratio missed.
    value = re.sub(r" \(CPU [^)]*\)", "", row["measured"])
    # Runs before 2026-12-06 wrote 130× as 1.3e+02×.
    value = re.sub(r"\d\.\d+e\+\d+", lambda m: f"{float(m.group()):.0f}", value)
    if row["status"] == "met":
        return value
    if row["status"].startswith("not met"):
        return value + " ✗"
    return value + " (wall only)"


def history_table(current, earlier):
    """This run and the committed ones before it, newest first. A run
    committed again (the docs regenerated from the same results) is shown
    once."""
    lines = ["| run (UTC) | build | sizes up to | replay | raw fold | "
             + " | ".join(title for _, title in HISTORY_COLUMNS) + " |",
             "|---|---|---|---|---|" + "---|" * len(HISTORY_COLUMNS)]
    seen = set()
    for run in [current, *earlier]:
        rows = run.get("targets") or []
        build = (run.get("versions") or {}).get("dealtrail") or "?"
        # The figures name the run: a regeneration stamps another build.
        key = tuple((r.get("measured"), r.get("detail")) for r in rows)
        if key in seen:
            continue
        seen.add(key)
        cells = []
        for start, _ in HISTORY_COLUMNS:
            cells.append(history_cell(next((r for r in rows if r["target"].startswith(start)),
                                           None)))
        sizes = [int(n) for n in run.get("sizes", {})]
        # Medians at 1M from the invocation that times replay beside the raw fold.
        pair = (run.get("sizes", {}).get(str(REFERENCE_SIZE)) or {}).get(
            "dealtrail_and_sqlite") or {}
        medians = [fmt_s(pair[k]["median"]) if k in pair else "—" for k in (REPLAY, RAW_FOLD)]
        when = (run.get("generated") or "?")[:16].replace("T", " ")
        lines.append(f"| {when} | {build} | {fmt_n(max(sizes)) if sizes else '?'} | "
                     + " | ".join(medians + cells) + " |")
    return "\n".join(lines)


def agreement_lines(sizes):
    lines = []
    for n in sorted(sizes):
        a = sizes[n].get("agreement") or {}
        tools = ", ".join(f"{tool} ({v['figures_compared']} figures)" for tool, v in a.items()
                          if v["agree"])
        cp = sizes[n].get("checkpoints")
        extra = ""
        if cp:
            extra = f"; replay with and without checkpoints identical at " \
                    f"{len(cp['per_date'])} dates"
        lines.append(f"- {n:,} events: equal to the cent — {tools}{extra}.")
    return "\n".join(lines)


def machine_lines(info, vers, seed, noise):
    lines = [f"- CPU: {info.get('cpu')}, {info.get('nproc')} cores; RAM {info.get('ram_gib')} GiB",
             f"- Disk: {info.get('disk')}",
             f"- OS: {info.get('os')}, Linux {info.get('kernel')}",
             f"- dealtrail {vers['dealtrail']} (Release build), {vers['compiler']}",
             f"- {vers['sqlite'] and 'SQLite ' + vers['sqlite'].split()[0]}; {vers['ledger']}; "
             f"{vers['hledger']}; {vers['beancount']}; {vers['hyperfine']}",
             f"- History: seed {seed}, `dealtrail-gen --exact`; balances as of {AS_OF}"]
    if noise:
        lines.append(f"- Load average before timing: {noise}")
    return "\n".join(lines)


def micro_table(micro):
    if not micro:
        return "(not run)"
    lines = ["| benchmark | CPU time per iteration | throughput |", "|---|---|---|"]
    for b in micro.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        unit = b.get("time_unit", "ns")
        label = f" `{b['label']}`" if b.get("label") else ""
        rate = b.get("items_per_second")
        lines.append(f"| {b['name']}{label} | {b['cpu_time']:.4g} {unit} | "
                     f"{rate:,.0f} items/s |" if rate else
                     f"| {b['name']}{label} | {b['cpu_time']:.4g} {unit} | |")
    return "\n".join(lines)


# --- the plot ---------------------------------------------------------------

SERIES_STYLE = [  # label, colour, dash
    ("dealtrail replay", "#d62728", ""),
    ("raw SQLite scan+fold", "#7f7f7f", "6 3"),
    ("ledger-cli", "#1f77b4", ""),
    ("hledger", "#2ca02c", ""),
    ("bean-query, cached", "#9467bd", ""),
    ("bean-query, no cache", "#9467bd", "4 3"),
    ("dealtrail sql", "#ff7f0e", "2 2"),
    ("dealtrail timeline", "#8c564b", "2 2"),
    ("dealtrail import", "#d62728", ""),
    ("raw SQLite bulk insert", "#7f7f7f", "6 3"),
]


def plot_series(sizes):
    read, write = {}, {}
    for n, s in sorted(sizes.items()):
        fast = s["dealtrail_and_sqlite"]
        for name, label in ((REPLAY, "dealtrail replay"), (RAW_FOLD, "raw SQLite scan+fold"),
                            (SQL, "dealtrail sql"), (TIMELINE, "dealtrail timeline")):
            if name in fast:
                read.setdefault(label, {})[n] = fast[name]["median"]
        for key, _, label in PEERS:
            e = s["peers"].get(key)
            if e and e.get("timed"):
                read.setdefault(label, {})[n] = e["timed"]["median"]
        if "import" in s:
            write.setdefault("dealtrail import", {})[n] = s["import"]["median"]
        if "sqlite_insert" in s:
            write.setdefault("raw SQLite bulk insert", {})[n] = s["sqlite_insert"]["seconds"]
    return read, write


def svg_panel(x0, title, series, sizes_all, width, height):
    """One log-log panel at x offset x0: a list of SVG elements."""
    # The legend sits under the plot, in two columns, clear of the lines.
    legend_rows = (len(series) + 1) // 2
    left, right, top, bottom = 70, 20, 40, 50 + 18 * legend_rows
    pw, ph = width - left - right, height - top - bottom
    values = [t for pts in series.values() for t in pts.values() if t > 0]
    if not values:
        return [f'<text x="{x0 + width / 2}" y="{height / 2}" text-anchor="middle">'
                f'{title}: no data</text>']
    xmin, xmax = math.log10(min(sizes_all)), math.log10(max(sizes_all))
    if xmax - xmin < 1:
        xmin, xmax = xmin - 0.5, xmax + 0.5
    ymin = math.floor(math.log10(min(values)))
    ymax = math.ceil(math.log10(max(values)))
    if ymax == ymin:
        ymax += 1

    def px(n):
        return x0 + left + (math.log10(n) - xmin) / (xmax - xmin) * pw

    def py(t):
        return top + ph - (math.log10(t) - ymin) / (ymax - ymin) * ph

    out = [f'<text x="{x0 + left + pw / 2}" y="22" text-anchor="middle" '
           f'font-weight="bold">{title}</text>',
           f'<rect x="{x0 + left}" y="{top}" width="{pw}" height="{ph}" fill="none" '
           f'stroke="#333"/>']
    for e in range(ymin, ymax + 1):
        y = py(10 ** e)
        label = fmt_s(10 ** e).replace(".0 ", " ")
        out.append(f'<line x1="{x0 + left}" y1="{y:.1f}" x2="{x0 + left + pw}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{x0 + left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for n in sorted(sizes_all):
        x = px(n)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{fmt_n(n)}'
                   f'</text>')
    out.append(f'<text x="{x0 + left + pw / 2}" y="{top + ph + 36}" text-anchor="middle">'
               f'events (log)</text>')
    styles = {label: (colour, dash) for label, colour, dash in SERIES_STYLE}
    for i, (label, pts) in enumerate(series.items()):
        legend_x = x0 + left + (i % 2) * pw / 2
        legend_y = top + ph + 62 + (i // 2) * 18
        colour, dash = styles.get(label, ("#000", ""))
        coords = " ".join(f"{px(n):.1f},{py(t):.1f}" for n, t in sorted(pts.items()) if t > 0)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dash_attr}/>')
        for n, t in sorted(pts.items()):
            out.append(f'<circle cx="{px(n):.1f}" cy="{py(t):.1f}" r="3" fill="{colour}"/>')
        out.append(f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 24}" '
                   f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{legend_x + 30}" y="{legend_y}">{label}</text>')
    return out


def svg(sizes):
    read, write = plot_series(sizes)
    width, height = 560, 520
    body = svg_panel(0, f"Balances as of {AS_OF}, whole process", read, list(sizes), width,
                     height)
    body += svg_panel(width, "Loading the history", write, list(sizes), width, height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height}" '
            f'viewBox="0 0 {2 * width} {height}" font-family="sans-serif" font-size="12">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")


# --- main -------------------------------------------------------------------

def replace_section(text, name, content):
    pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- end:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"report: docs/benchmarks.md has no <!-- generated:{name} --> section")
    return pattern.sub(lambda m: m.group(1) + content.rstrip("\n") + "\n" + m.group(2), text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--dealtrail", required=True)
    parser.add_argument("--docs")
    args = parser.parse_args()

    sizes = {}
    for entry in os.listdir(args.results):
        folder = os.path.join(args.results, entry)
        if entry.isdigit() and os.path.isdir(folder):
            sizes[int(entry)] = read_size(folder, int(entry))
    notes = []
    notes_path = os.path.join(args.results, "notes.tsv")
    if os.path.exists(notes_path):
        with open(notes_path, encoding="utf-8") as f:
            notes = [line.rstrip("\n").split("\t", 1)[1] for line in f if "\t" in line]
    micro = read_json(os.path.join(args.results, "micro.json"))
    info = machine(args.results)
    vers = versions(args.dealtrail)
    goals = targets(sizes)
    data = {"generated": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"),
            "command": "tools/bench/run --events " + ",".join(str(n) for n in sorted(sizes)),
            "seed": int(args.seed), "as_of": AS_OF, "machine": info, "versions": vers,
            "sizes": {str(n): sizes[n] for n in sorted(sizes)}, "targets": goals,
            "notes": notes,
            "micro": [{k: b.get(k) for k in ("name", "label", "real_time", "cpu_time",
                                              "time_unit", "items_per_second", "iterations")}
                      for b in (micro or {}).get("benchmarks", [])]}

    for r in goals:
        print(f"{r['status']:>12}  {r['target']}: {r['measured'] or '—'}  ({r['detail']})")
    if not args.docs:
        return 0

    with open(os.path.join(args.docs, "benchmarks-data.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(args.docs, "benchmarks.svg"), "w", encoding="utf-8") as f:
        f.write(svg(sizes))
    page_path = os.path.join(args.docs, "benchmarks.md")
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    noise = "; ".join(f"{fmt_n(n)}: {' '.join(s['load_average_before_timing'])}"
                      for n, s in sorted(sizes.items()) if s.get("load_average_before_timing"))
    page = replace_section(page, "machine", machine_lines(info, vers, args.seed, noise))
    page = replace_section(page, "figures", figures_table(sizes))
    page = replace_section(page, "ratios", ratio_table(sizes))
    page = replace_section(page, "write", write_table(sizes))
    page = replace_section(page, "phases", phases_table(sizes))
    page = replace_section(page, "targets", targets_table(goals))
    page = replace_section(page, "history", history_table(data, committed_runs(args.docs)))
    page = replace_section(page, "agreement", agreement_lines(sizes))
    page = replace_section(page, "notes", "\n".join(f"- {n}" for n in notes) or "- none")
    page = replace_section(page, "micro", micro_table(micro))
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
