"""A 50,000-person roster through a simulated year: time and memory of each step.

    .venv/bin/python -m benchmarks.bench_roster                  # 50,000 people
    .venv/bin/python -m benchmarks.bench_roster --people 5000

The roster is synthetic (drawn here with a fixed seed: 50,000 present on 2025-12-31 and 12,500 who left before,
hires over ten years, teams of eight, pay by role), written as CSV, then: read and checked (pandera), the run
config set from it and the survival prior fitted, the model built from its people, and one simulated year. Peak
memory: the largest Python allocation in flight
(tracemalloc, numpy's arrays included) of each step, and the process's peak resident size at the end.
Not a test: it asserts nothing on time.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import load_average

ROLES = ("research_lead", "researcher", "engineer", "product", "operations")
SHARES = (0.03, 0.17, 0.30, 0.10, 0.40)
PAY = (900_000, 500_000, 300_000, 200_000, 90_000)


def synthetic(people: int, seed: int = 0) -> pd.DataFrame:
    """`people` on the roster on 2025-12-31 and a quarter as many who left before, hired over ten years."""
    rng = np.random.default_rng(seed)
    total = people + people // 4
    role = rng.choice(len(ROLES), size=total, p=SHARES)
    hire = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 3650, total), unit="D")
    gone = np.arange(total) >= people
    days_there = (pd.Timestamp("2025-12-31") - hire).days.to_numpy()
    exit_ = hire + pd.to_timedelta((rng.random(total) * days_there).astype(int), unit="D")
    return pd.DataFrame(
        {
            "id": [f"S{i:06d}" for i in range(total)],
            "hire_date": hire.strftime("%Y-%m-%d"),
            "role": np.array(ROLES)[role],
            "team": [f"team-{i // 8}" for i in range(total)],
            "annual_pay": (np.array(PAY)[role] * rng.uniform(0.8, 1.2, total)).round(2),
            "equity_value": (np.array(PAY)[role] * rng.choice([0, 1, 2], total)).astype(float),
            "exit_date": np.where(gone, exit_.strftime("%Y-%m-%d"), ""),
            "exit_reason": np.where(gone, np.where(rng.random(total) < 0.85, "voluntary", "forced"), ""),
        }
    )


def step(label: str, fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  {label:34s} {seconds:7.2f} s   peak {peak / 2**20:7.1f} MiB")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=50_000, help="people present (a quarter as many past ones besides)")
    args = ap.parse_args(argv)
    from sim.config.compose import check, compose
    from sim.roster import load
    from sim.run.simulate import build_model

    print(f"[bench_roster] {args.people:,} people, load average {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.csv"
        step("draw and write the roster (CSV)", lambda: synthetic(args.people).to_csv(path, index=False))
        roster = step("read and check it (pandera)", lambda: load.load(path))
        run = step("run config + survival prior", lambda: check(compose([f"roster={path}"])))
        model = step("build the model from its people", lambda: build_model(run))
        step("one simulated year", model.run)
    present = int(model.workforce.n)
    print(f"  people present on {run.roster.as_of}: {roster.present(pd.Timestamp(run.roster.as_of).date()).shape[0]:,}")
    print(f"  slots at the year's end (hires included): {present:,}")
    print(f"  peak resident size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
