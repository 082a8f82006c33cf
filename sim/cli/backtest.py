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
    p.add_argument("--cutoff", type=_date, required=True, help="last day of data the calibration may use (YYYY-MM-DD)")
    add_observed_option(p)
    p.add_argument("--preset", choices=sorted(PRESETS), default="quick", help="ABC budget and draws (default: quick)")
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
    p.add_argument("--out", default="results/backtest", help="output folder (default: results/backtest)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario, e.g. company.headcount=800")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
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

    preset = dict(PRESETS[args.preset])
    draws = int(args.draws if args.draws is not None else preset.pop("draws"))
    preset.pop("draws", None)
    started = time.perf_counter()
    try:
        check_outside_package("--out", args.out)
        run = _scenario(args.overrides)
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
    print(f"[{PROG}] wrote {args.out}/: " + ", ".join(p.name for p in paths))


if __name__ == "__main__":
    main()
