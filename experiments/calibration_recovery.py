"""Does ABC recover known parameters? Simulate the targets at known values, calibrate, check the 90 % intervals.

The same setup as tests/test_calibration.py::test_abc_recovers_known_parameters (data sets 0 and 1
are the test's), repeated over more synthetic data sets, so the coverage of the 90 % intervals is
measured, not assumed. Truths alternate between a low and a high shock_scale.

    .venv/bin/python experiments/calibration_recovery.py --datasets 10 --procs 2
"""

from __future__ import annotations

import argparse
import logging
import time

import pandas as pd

import sim
from sim.calibration import abcsmc as calibrate
from sim.calibration import targets
from sim.config.freeparams import apply
from sim.config.load import as_run_config

# a fast scenario: the xAI lab from 25 Jan 2026 (earlier events are history), runs cut at 12 Feb 2026, with
# posting delays a fifth of the default (~6 days), so that February's quits are seen within the targets' window
OVERRIDES = ["window.start=2026-01-25"]
FIXED = {"delay_scale": 0.2}
TRUTHS = ({"shock_scale": 0.5, "announce_scale": 1.0}, {"shock_scale": 2.5, "announce_scale": 1.0})
SETTINGS = {"population": 40, "generations": 3, "max_simulations": 2000, "min_acceptance": 0.02}


def check(run, truth: dict, data_seed: int, abc_seed: int, procs: int, progress: bool = False) -> pd.DataFrame:
    """Calibrate to one synthetic data set; per parameter: truth, median, 90 % interval, inside?, shrinkage."""
    floor = targets.observed_headcount_floor()
    obs = calibrate.synthetic_stats(run, truth, data_seed, floor, targets.END.isoformat())
    s = calibrate.Settings(params=tuple(truth), seed=abc_seed, procs=procs, progress=progress, **SETTINGS)
    post = calibrate.run_abc(run, s, observed=obs, headcount_floor=floor).posterior
    summ = post.summary(0.9).set_index("parameter")
    summ["truth"] = pd.Series(truth)
    summ["inside"] = (summ["lo"] <= summ["truth"]) & (summ["truth"] <= summ["hi"])
    summ["simulations"] = post.meta["simulations"]
    return summ.reset_index()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=int, default=10)
    ap.add_argument("--procs", type=int, default=2)
    args = ap.parse_args()
    logging.getLogger("ABC").setLevel(logging.WARNING)
    run = apply(as_run_config(sim.compose(OVERRIDES)), FIXED)
    rows = []
    for k in range(args.datasets):
        t = time.perf_counter()
        r = check(run, TRUTHS[k % len(TRUTHS)], data_seed=1000 + k, abc_seed=k, procs=args.procs)
        r["dataset"] = k
        r["seconds"] = time.perf_counter() - t
        rows.append(r)
        print(
            r[["dataset", "parameter", "truth", "median", "lo", "hi", "inside", "shrinkage", "seconds"]].to_string(
                index=False
            )
        )
    all_ = pd.concat(rows)
    print("\ncoverage of the 90 % intervals per parameter:")
    print(all_.groupby("parameter")["inside"].mean().to_string())
    print(f"all parameters inside in {all_.groupby('dataset')['inside'].all().mean():.0%} of data sets")
    print("mean shrinkage:", all_.groupby("parameter")["shrinkage"].mean().round(2).to_dict())


if __name__ == "__main__":
    main()
