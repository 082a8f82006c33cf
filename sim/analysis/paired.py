"""Paired statistics of a sweep: t-intervals of a mean and each policy run paired with the baseline run on the same
scenario and seed (common random numbers). Shared by the policy table (compare.py) and net value (netvalue.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.90  # two-sided level of every interval in the table


class CompareError(ValueError):
    """A sweep that cannot be compared (no baseline runs, nothing to pair); the message says why."""


def t_interval(values, level: float = LEVEL) -> tuple[float, float, float, int]:
    """Mean and two-sided t-interval of the mean; (mean, nan, nan, n) with fewer than 2 values."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    sem = float(x.std(ddof=1) / np.sqrt(n))
    if sem == 0:
        return mean, mean, mean, n
    lo, hi = stats.t.interval(level, df=n - 1, loc=mean, scale=sem)
    return mean, float(lo), float(hi), n


def pairs(metrics: pd.DataFrame, baseline: str = "none", metric: str = "departures") -> pd.DataFrame:
    """One row per (arm, scenario, seed) that has a baseline run on the same scenario and seed:
    the arm's value, the baseline's, their difference (arm - baseline) and both costs."""
    base_runs = metrics[metrics.arm == baseline]
    if base_runs.empty:
        found = ", ".join(sorted(metrics.arm.unique()))
        raise CompareError(f"no complete runs of baseline policy {baseline!r} (policies found: {found})")
    base = base_runs[["scenario", "seed", metric, "cost_total"]].rename(
        columns={metric: "baseline_value", "cost_total": "baseline_cost"}
    )
    others = metrics[metrics.arm != baseline][["arm", "scenario", "seed", "run", metric, "cost_total"]]
    out = others.rename(columns={metric: "value"}).merge(base, on=["scenario", "seed"], how="inner")
    out.insert(0, "metric", metric)
    out["difference"] = out["value"] - out["baseline_value"]
    return out.sort_values(["arm", "scenario", "seed"], kind="stable").reset_index(drop=True)
