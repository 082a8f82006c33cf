"""`exodus-compare RESULTS_DIR`: a sweep folder in; the policy table (CSV and terminal), tidy tables and plots out.

Writes into RESULTS_DIR/compare/ (or --out): policies.csv (with the value columns of sim.analysis.netvalue),
destinations.csv and skipped.csv, the stacked tables runs, pairs, robustness (sim.analysis.robustness), daily and
tenure as Parquet (also as CSV with --csv), and the figures as PNG and SVG. Unfinished, failed and duplicate runs are
listed, never averaged.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import value
from sim.analysis.compare import LEVEL, OBSERVED_WEEK, CompareError, destination_table, pairs, per_run, policy_table
from sim.analysis.compare_value import ROBUST_NOTES, VALUE_NOTES, format_robustness, format_value_table
from sim.analysis.robustness import GOAL_AVERTED, robustness_table
from sim.analysis.sweep import SweepError, differing_settings, read_sweep, settings_of, subset
from sim.cli.argtypes import finite_float
from sim.config.params import ConfigError
from sim.data.observed import DataError
from sim.run.files import csv_bytes, parquet_bytes, write_atomic

SHOW_SKIPPED = 10


def _fail(message: str, code: int = 2):
    print(f"exodus-compare: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _num(x, fmt: str = "{:.1f}") -> str:
    return "n/a" if x is None or not np.isfinite(x) else fmt.format(x)


def _money(x) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    return f"{x / 1e6:.2f}M" if abs(x) >= 1e5 else f"{x / 1e3:.1f}k"


def format_table(table: pd.DataFrame, baseline: str, level: float = LEVEL) -> str:
    """The policy table as fixed-width text: means over runs, the paired difference and its interval, costs."""
    pct = round(level * 100)
    cols = [
        ("policy", "<", lambda r: str(r.policy)),
        ("runs", ">", lambda r: str(int(r.runs))),
        ("volunt", ">", lambda r: _num(r.departures_voluntary)),
        ("poach", ">", lambda r: _num(r.departures_poached)),
        ("spinout", ">", lambda r: _num(r.departures_spinout)),
        ("forced", ">", lambda r: _num(r.departures_forced)),
        ("total", ">", lambda r: _num(r.departures)),
        ("by 28 Feb", ">", lambda r: _num(r.departures_by_feb28)),
        ("founders", ">", lambda r: _num(r.founders_remaining)),
        ("ann 6-12 Feb", ">", lambda r: _num(r.announced_feb6_12)),
        (
            f"diff vs {baseline} [{pct} % CI]",
            ">",
            lambda r: (
                "-"
                if r.policy == baseline
                else f"{_num(r['diff'], '{:+.1f}')} [{_num(r.diff_lo, '{:+.1f}')}, {_num(r.diff_hi, '{:+.1f}')}]"
            ),
        ),
        ("pairs", ">", lambda r: "-" if r.policy == baseline else str(int(r.n_pairs))),
        ("cost $", ">", lambda r: _money(r.cost_total)),
        ("$/averted", ">", lambda r: "-" if r.policy == baseline else _cost_per(r)),
    ]
    cells = [[f(r) for _, _, f in cols] for _, r in table.iterrows()]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (h, _, _) in enumerate(cols)]
    line = lambda vals: "  ".join(f"{v:{a}{w}}" for v, (_, a, _), w in zip(vals, cols, widths, strict=True))  # noqa: E731
    out = [line([h for h, _, _ in cols]), "  ".join("-" * w for w in widths)]
    out += [line(c) for c in cells]
    return "\n".join(out)


def _cost_per(r) -> str:
    if not np.isfinite(r.cost_per_averted):
        return "n/a"
    flag = "" if r.averted_lo > 0 else "*"
    return _money(r.cost_per_averted) + flag


NOTES = (
    "Means over runs. Departures by cause and total by the window's end; 'by 28 Feb' = by 2026-02-28; "
    "'founders' = co-founders at the lab at the window's end; 'ann 6-12 Feb' = announcements 6-12 Feb 2026 "
    "(observed: {n_obs}). diff = mean paired difference in total departures (policy - {baseline}, same seed and "
    "scenario), {pct} % t-interval over pairs; averted = -diff. $/averted = mean cost / mean averted "
    "(n/a if none averted; * if the interval of averted includes 0). n/a: date outside the window."
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="exodus-compare",
        description="Compare the policies of a sweep folder: table (CSV and terminal), tidy tables and plots.",
    )
    ap.add_argument("results_dir", metavar="RESULTS_DIR", help="a sweep folder, e.g. results/default")
    ap.add_argument("--out", metavar="DIR", help="where to write (default: RESULTS_DIR/compare)")
    ap.add_argument("--baseline", default="none", help="the policy others are compared with (default: none)")
    ap.add_argument("--no-plots", action="store_true", help="write the tables only")
    ap.add_argument(
        "--csv", action="store_true", help="also write the stacked tables (runs, pairs, daily, tenure) as CSV"
    )
    ap.add_argument(
        "--observed",
        metavar="DIR",
        default="",
        help="a folder of observed-data CSVs to draw against the runs (default: the runs' observed.dir, else the "
        "shipped record)",
    )
    ap.add_argument(
        "--value", metavar="FILE", help="what a departure costs, by role (default: conf/value/default.yaml)"
    )
    ap.add_argument(
        "--split",
        action="store_true",
        help="when the folder holds runs of different scenarios (e.g. two company.headcount values), compare each "
        "scenario apart, into OUT/<its settings>/ (without it, or --pool, such a folder is refused)",
    )
    ap.add_argument(
        "--pool",
        action="store_true",
        help="average over runs of different scenarios on purpose (each policy run is still paired with the "
        "baseline of its own scenario and seed), e.g. a sweep over an uncertain parameter",
    )
    ap.add_argument(
        "--goal",
        type=finite_float,
        default=GOAL_AVERTED,
        help=f"departures a policy must avert in a world to meet the goal (default: {GOAL_AVERTED})",
    )
    return ap.parse_args(argv)


def _record(args, runs: pd.DataFrame):
    """The observed record: --observed, else the one folder the runs were given (observed.dir), else the shipped."""
    from sim.data.record import load

    if args.observed:
        return load(args.observed)
    dirs = sorted(set(runs["observed_dir"].fillna(""))) if "observed_dir" in runs else [""]
    return load(dirs[0] if len(dirs) == 1 else None)


def check_out(out: Path, setting: str) -> None:
    """Refuse, before reading anything, an output folder that is a file or cannot be created or written."""
    from sim.cli.guard import check_outside_package, check_writable
    from sim.config.params import ConfigError

    if out.exists() and not out.is_dir():
        _fail(f"{setting}: {out} is a file, not a folder")
    try:
        check_outside_package(setting, out)
        check_writable(setting, str(out))
    except ConfigError as exc:
        _fail(f"{out}: cannot write the comparison there ({exc.allowed})")


def say(message: str) -> None:
    """A progress line on stderr (the tables go to stdout)."""
    print(f"[exodus-compare] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    root = Path(args.results_dir)
    out = Path(args.out) if args.out else root / "compare"
    check_out(out, "--out" if args.out else "RESULTS_DIR")
    valuation = value.load(args.value)  # a bad valuation file stops before any run is read
    started = time.perf_counter()
    if root.is_dir():  # else read_sweep says there is no such folder
        say(f"reading the run folders under {root} ...")
    sweep = read_sweep(root)
    say(f"read {len(sweep.runs)} complete runs in {time.perf_counter() - started:.1f} s")
    for _, s in sweep.skipped.head(SHOW_SKIPPED).iterrows():
        print(f"exodus-compare: skipped {s.run}: {s.reason}", file=sys.stderr)
    if len(sweep.skipped) > SHOW_SKIPPED:
        print(f"exodus-compare: ... and {len(sweep.skipped) - SHOW_SKIPPED} more (see skipped.csv)", file=sys.stderr)
    if sweep.runs.empty:
        _fail(f"{root}: no complete runs to compare ({len(sweep.skipped)} run folder(s) skipped)")
    settings = settings_of(sweep.runs)
    if settings.nunique() > 1 and not args.pool:
        differ = "; ".join(f"{k}: {', '.join(v)}" for k, v in differing_settings(sweep.runs).items())
        if not args.split:
            _fail(
                f"{root}: its runs were asked for {settings.nunique()} different scenarios ({differ}); averaging "
                "them together would mix them. Compare each apart with --split (one comparison per scenario, in "
                f"{out}/<settings>/), or average over them on purpose with --pool"
            )
        say(f"{settings.nunique()} scenarios ({differ}): one comparison each")
        keys = list(differing_settings(sweep.runs))
        for label in sorted(settings.unique()):
            given = dict(o.split("=", 1) for o in label.split() if "=" in o)
            name = ",".join(f"{k}={given.get(k, 'default')}" for k in keys)  # only what tells the scenarios apart
            part = subset(sweep, set(sweep.runs.loc[settings == label, "run"]))
            print(f"\n=== scenario: {name} ===\n")
            compare_one(args, root, part, out / re.sub(r"[^A-Za-z0-9_.=,+-]", "-", name), valuation)
        return 0
    return compare_one(args, root, sweep, out, valuation)


def compare_one(args: argparse.Namespace, root: Path, sweep, out: Path, valuation) -> int:
    """The tables, figures and printed report of one scenario's runs, into `out`."""
    started = time.perf_counter()
    say("computing the policy, value and robustness tables ...")
    record = _record(args, sweep.runs)
    metrics = per_run(sweep.runs, sweep.daily)
    metrics["attrition_cost"] = value.attrition_cost(metrics, valuation)
    table = policy_table(metrics, args.baseline)
    paired = pairs(metrics, args.baseline, "departures")
    dest = destination_table(sweep.runs, sweep.destinations)
    rob = robustness_table(metrics, args.baseline, args.goal)

    written = []
    for name, df in (("policies", table), ("destinations", dest), ("skipped", sweep.skipped)):
        written.append(out / f"{name}.csv")
        write_atomic(written[-1], csv_bytes(df))
    for name, df in (
        ("runs", metrics),
        ("pairs", paired),
        ("robustness", rob),
        ("daily", sweep.daily.assign(date=sweep.daily.date.dt.date)),
        ("tenure", sweep.tenure),
    ):  # stacked over runs: Parquet (~10x smaller than CSV, typed); CSV on request
        written.append(out / f"{name}.parquet")
        write_atomic(written[-1], parquet_bytes(df))
        if getattr(args, "csv", False):
            written.append(out / f"{name}.csv")
            write_atomic(written[-1], csv_bytes(df))
    if not args.no_plots:
        say("drawing the figures ...")
        from sim.analysis.plots import plot_all  # matplotlib is slow to import; only when plotting

        written += plot_all(sweep, table, args.baseline, LEVEL, out, dest, record)
    say(f"tables and figures in {time.perf_counter() - started:.1f} s")

    first, last = OBSERVED_WEEK  # the record's announcements in the week the table compares
    n_obs = sum(first <= d <= last for d in record.departures["announced"])
    print(f"{root}: {len(sweep.runs)} complete runs, {len(sweep.skipped)} skipped\n")
    print(format_table(table, args.baseline))
    notes = NOTES.format(n_obs=n_obs, baseline=args.baseline, pct=round(LEVEL * 100))
    width = max(60, shutil.get_terminal_size((120, 24)).columns - 1)
    print("\n" + textwrap.fill(notes, width))
    pct = round(LEVEL * 100)
    print("\nValue of the departures averted (dollars):\n")
    print(format_value_table(table, args.baseline, pct))
    print("\n" + textwrap.fill(VALUE_NOTES.format(baseline=args.baseline, pct=pct), width))
    print("\nRobustness ranking (net value over the worlds every policy ran):\n")
    print(format_robustness(rob, args.goal))
    worlds = int(rob.worlds.max()) if len(rob) else 0
    print("\n" + textwrap.fill(ROBUST_NOTES.format(worlds=worlds, baseline=args.baseline), width))
    print(f"\nwrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except (SweepError, CompareError, DataError, ConfigError) as exc:
        if os.environ.get("EXODUS_DEBUG", "") not in ("", "0"):
            raise
        _fail(str(exc))
    except OSError as exc:  # e.g. a folder that became read-only while writing
        if os.environ.get("EXODUS_DEBUG", "") not in ("", "0"):
            raise
        _fail(f"cannot read or write a file: {exc}")


if __name__ == "__main__":
    sys.exit(main())
