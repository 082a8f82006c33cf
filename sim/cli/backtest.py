"""`exodus-backtest --cutoff DATE`: calibrate on the record up to DATE, forecast, and score every later observation.

Takes Hydra overrides of the scenario after its own options, composed exactly as `exodus` would.
Writes results/backtest/ (or --out): report.md, scores.csv, forecast.png, summary.json, posterior.csv.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import time
from pathlib import Path

from sim.cli.calibrate import PRESETS, _fail, _need, _scenario, _stop_on_sigterm, add_observed_option
from sim.cli.guard import check_outside_package
from sim.config.params import ConfigError
from sim.data.observed import DataError

PROG = "exodus-backtest"


def _smc(preset: dict) -> dict:
    return {k: v for k, v in preset.items() if k != "method"}


# each origin is fitted by ABC-SMC at exodus-calibrate's budgets (quick; full: its full-smc); tiny, an assumption: a
# smoke-test budget (a rolling backtest's many origins on a small machine)
BACKTEST_PRESETS = {
    "quick": _smc(PRESETS["quick"]),
    "full": _smc(PRESETS["full-smc"]),
    "tiny": {"population": 16, "generations": 2, "max_simulations": 400, "min_acceptance": 0.02, "draws": 30},
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    from sim.config import freeparams

    p = argparse.ArgumentParser(
        prog=PROG,
        description="Backtest: calibrate (ABC-SMC) on the observations dated up to --cutoff only, run the posterior "
        "forward, and score every later observation of the record (50 % and 90 % interval coverage, CRPS); "
        "write report.md, scores.csv and forecast.png.",
    )
    p.add_argument("--cutoff", type=_date, help="last day of data the calibration may use (YYYY-MM-DD)")
    p.add_argument(
        "--rolling",
        action="store_true",
        help="rolling origin: repeat the backtest at month ends over the simulated window and weekly over its last "
        "two months, up to the last day leaving 7 days to score, each origin calibrated on the record up to it, "
        "in parallel (--procs), resumable (finished origins in OUT/origins/ are skipped); default OUT: "
        "results/backtest_rolling",
    )
    add_observed_option(p)
    p.add_argument("--preset", choices=sorted(BACKTEST_PRESETS), default="quick",
                   help="ABC budget and draws (default: quick; tiny: a smoke test)")  # fmt: skip
    p.add_argument("--draws", type=int, help="posterior draws run forward (default: the preset's)")
    p.add_argument("--seed", type=int, default=0, help="root seed of the ABC (the same seed gives the same result)")
    p.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="local worker processes")
    p.add_argument("--params", default=",".join(freeparams.NAMES), help="free parameters to fit (comma-separated)")
    p.add_argument(
        "--drop-later-events",
        action="store_true",
        help="leave the scenario's dated events after the cutoff out of the forecast (a forecaster on the cutoff day "
        "knows nothing later); default: keep them (a forecast conditional on the scenario's events)",
    )
    p.add_argument("--out", default="", help="output folder (default: results/backtest, or results/backtest_rolling)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario, e.g. company.headcount=800")
    return p


def main(argv: list[str] | None = None) -> None:
    p = parser()
    args = p.parse_args(argv)
    if (args.cutoff is None) == (not args.rolling):
        p.error("give either --cutoff DATE or --rolling")
    args.out = args.out or ("results/backtest_rolling" if args.rolling else "results/backtest")
    _stop_on_sigterm()
    from sim.data import record as records

    try:  # the data first: a bad folder stops before the heavy imports
        rec = records.load(args.observed or None)
    except DataError as exc:
        _fail(PROG, str(exc))
    _need(PROG, "pyabc")
    _need(PROG, "scoringrules")
    logging.getLogger("ABC").setLevel(logging.WARNING)
    from sim.calibration import abcsmc as calibrate
    from sim.calibration import backtest, backtest_report
    from sim.calibration.ess import ess_lines

    preset = dict(BACKTEST_PRESETS[args.preset])
    draws = int(args.draws if args.draws is not None else preset.pop("draws"))
    preset.pop("draws", None)
    started = time.perf_counter()
    if args.rolling:
        return _rolling(args, rec, preset, draws, started)
    try:
        check_outside_package("--out", args.out)
        run = _scenario(args.overrides)
        rec = _own_record(args, run, rec)
        settings = calibrate.cli_settings(args, preset)
        print(
            f"[{PROG}] {rec.where}: calibrating on observations up to {args.cutoff} (record ends {rec.end}); "
            f"ABC population {settings.population}, up to {settings.generations} generations, {args.procs} process(es)"
        )
        bt = backtest.run_backtest(run, rec, args.cutoff, settings, draws, args.procs, not args.no_progress,
                                   later_events=not args.drop_later_events)  # fmt: skip
        paths = backtest_report.write(bt, Path(args.out), time.perf_counter() - started)
    except (ConfigError, DataError) as exc:
        _fail(PROG, str(exc))
    s = bt.summary
    print(f"[{PROG}] done in {time.perf_counter() - started:.0f} s: {len(bt.scores)} later observations scored")
    print("\n".join(ess_lines(bt.posterior.weights)))  # of the posterior fitted on the record up to the cutoff
    print(
        f"  points {s['points']}: 50 % interval coverage {s['coverage_50']:.0%}, 90 % {s['coverage_90']:.0%}; "
        f"randomised PIT 50 % {s['pit_coverage_50']:.0%}, 90 % {s['pit_coverage_90']:.0%}; "
        f"mean CRPS {s['mean_crps']:.3f}"
    )
    if s["bounds"]:
        print(f"  bounds {s['bounds']}: mean forecast probability of meeting them {s['mean_p_bound']:.2f}")
    if bt.skill is not None:
        _print_skill(bt.skill.table, bt.skill.skipped)
    print(f"[{PROG}] wrote {args.out}/: " + ", ".join(p.name for p in paths))


def _own_record(args, run, rec):
    """The record: --observed DIR, else the scenario's `observed.dir=DIR` override, else the shipped one."""
    folder = getattr(getattr(run, "observed", None), "dir", "")
    if args.observed or not folder:
        return rec
    from sim.data import record as records

    return records.load(folder)


def _print_skill(table, skipped) -> None:
    from sim.forecast import report, skill

    if table.empty:
        print("  skill: no window after the cutoff lies inside the record (nothing to score)")
        return
    print("  the model beside the references (events in the 7-60 days after the cutoff, inside the record):")
    print("\n".join("    " + line for line in report.md_table(report.skill_matrix(table)).splitlines()))
    print("\n".join(skill.lines(table)))
    if skipped:
        print(f"  ({len(skipped)} target windows not scored: they pass the record's last day or start before it)")


def _rolling(args, rec, preset: dict, draws: int, started: float) -> None:
    """`--rolling`: the backtest at each origin, in parallel and resumable; the skill per origin and its mean."""
    import datetime as dt

    import pandas as pd

    from sim.calibration import abcsmc as calibrate
    from sim.forecast import report, rolling, skill
    from sim.run.files import csv_bytes, write_atomic

    out = Path(args.out)
    try:
        run = _scenario(args.overrides)
        rec = _own_record(args, run, rec)
        settings = calibrate.cli_settings(args, preset)
        if draws < 2:
            raise ConfigError("draws", draws, "an integer >= 2")
        first = dt.date.fromisoformat(run.window.start)
        cutoffs = rolling.origins(first, rec.end)
        if not cutoffs:
            raise ConfigError("window.start", run.window.start, f"a date at least 7 days before the record's end "
                                                                 f"{rec.end}")  # fmt: skip
        print(f"[{PROG}] rolling origin on {rec.where} (last day {rec.end}): {len(cutoffs)} origins "
              f"{cutoffs[0]}..{cutoffs[-1]}; ABC population {settings.population}, up to {settings.generations} "
              f"generations, {draws} draws each; {args.procs} process(es)")  # fmt: skip
        job = rolling.Job(run, rec, settings, draws, not args.drop_later_events, out)
        scores = rolling.run_rolling(job, cutoffs, args.procs)
    except (ConfigError, DataError) as exc:
        _fail(PROG, str(exc))
    n = int((scores.forecaster == "model").sum()) if len(scores) else 0
    print(f"[{PROG}] {len(cutoffs)} origins in {time.perf_counter() - started:.0f} s; {n} windows scored")
    if scores.empty:
        print("  no origin had a window to score")
        return
    pooled = skill.table(scores)
    by_cut = skill.table(scores, by=("cutoff",))
    po = rolling.per_origin(scores)
    ms = rolling.mean_skill(po)
    both = pd.concat([pooled.assign(cutoff="all"), by_cut.assign(cutoff=by_cut.cutoff.astype(str))])
    both = both[["cutoff", *[c for c in pooled.columns]]]
    paths = report.write_table(both, out)
    paths.append(report.figure(pooled, out / "skill.png", f"Rolling origin: {len(cutoffs)} origins "
                               f"{cutoffs[0]}..{cutoffs[-1]}, each calibrated on the record up to it", po))  # fmt: skip
    write_atomic(out / "skill_per_origin.csv", csv_bytes(po))
    text = [
        f"# Rolling-origin backtest: {len(cutoffs)} origins {cutoffs[0]}..{cutoffs[-1]}",
        "",
        f"Record: {rec.where} (last day {rec.end}). Preset {args.preset} ({draws} posterior draws per origin), seed "
        f"{args.seed}; the scenario's events after each cutoff {'left out' if args.drop_later_events else 'kept'}.",
        report.NOTE,
        "",
        "## Per target, pooled over origins and horizons",
        "",
        report.md_table(report.skill_matrix(pooled)),
        "",
        *report.bullets(pooled),
        "",
        "## Per reference: mean of the per-origin skills",
        "",
        report.md_table(ms),
        "",
        "## Per origin (pooled over its targets and horizons)",
        "",
        report.md_table(po),
        "",
    ]
    write_atomic(out / "report.md", "\n".join(text).encode())
    print("  per target, pooled over origins and horizons:")
    print("\n".join("    " + line for line in report.md_table(report.skill_matrix(pooled)).splitlines()))
    print("\n".join(skill.lines(pooled)))
    print("  per reference, mean of the per-origin skills (finite ones) and pooled over origins:")
    print("\n".join("    " + line for line in report.md_table(ms).splitlines()))
    print(f"[{PROG}] wrote {out}/: report.md, skill.csv, skill.parquet, skill.png, skill_per_origin.csv, origins/")


if __name__ == "__main__":
    main()
