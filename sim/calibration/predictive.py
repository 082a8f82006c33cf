"""Posterior predictive simulations: runs at posterior draws, daily bands, and how often they cover the record.

Draw k runs with seed k, as in the posterior policy sweep (`conf/experiment/posterior_policies.yaml`),
so the fit report shows the same worlds the policies are compared in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibration import targets
from sim.calibration.posterior import Posterior
from sim.config.params import RunConfig
from sim.data import observed
from sim.run.parallel import fan_out
from sim.run.world import run_world

DAILY = ("announced", "founders_remaining", "headcount", "departures")
BANDS = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class Predictive:
    """`daily`: one row per draw and day (DAILY columns); `stats`: one row per draw (targets.STATS)."""

    daily: pd.DataFrame
    stats: pd.DataFrame


def _one(args):
    run, values, k, spec, priors = args
    res = run_world(run, values, seed=k, priors=priors)
    daily = res.daily[["date", *DAILY]].copy()
    daily.insert(0, "draw", k)
    stats = {"draw": k, **spec.simulated(res.daily, res.departures)}
    return daily, stats


def simulate(
    run: RunConfig,
    post: Posterior,
    draws: int,
    procs: int = 1,
    window_end: str | None = None,
    progress: bool = True,
    record=None,
) -> Predictive:
    """Run draws 0..draws-1 of `post` (draw k with seed k) on the scenario `run`, optionally cut at `window_end`;
    the statistics are those of `record` (sim.data.record.Record; default: the shipped one)."""
    base = dataclasses.replace(run, posterior_file="", posterior_draw=-1, free={})
    if window_end:
        base.window = dataclasses.replace(run.window, end=window_end)
        base.shocks = [s for s in run.shocks if s.date <= window_end]  # later ones cannot act before the end
    first = dt.date.fromisoformat(base.window.start)
    spec = targets.shipped_spec(first) if record is None else targets.spec(record, first)
    rows = post.draw_indices(draws)
    names = post.names
    priors = post.meta.get("priors")  # a roster's base-hazard prior (the draws lie in its support)
    tasks = [(base, {n: float(post.samples.iloc[i][n]) for n in names}, k, spec, priors) for k, i in enumerate(rows)]
    out = fan_out(_one, tasks, procs, desc="posterior predictive", progress=progress)
    daily = pd.concat([d for d, _ in out], ignore_index=True)
    return Predictive(daily, pd.DataFrame([s for _, s in out]))


def bands(daily: pd.DataFrame, column: str, q=BANDS) -> pd.DataFrame:
    """Quantiles of `column` across draws, per date (columns q05, q25, q50, q75, q95)."""
    out = daily.groupby("date")[column].quantile(list(q)).unstack()
    out.columns = [f"q{round(100 * c):02d}" for c in out.columns]
    return out


def coverage(pred: Predictive, record=None) -> dict[str, float]:
    """Share of observed daily announcement counts (1-12 Feb 2026, or the window of `record`'s statistics) inside
    the 50 % and 90 % predictive bands."""
    if record is None:
        obs = targets.observed_daily()
    else:
        spec = targets.spec(record, min(pred.daily["date"]))
        obs = observed.announced_by_day(spec.start, spec.end, record.departures)
    b = bands(pred.daily, "announced").reindex(obs.index)
    inside90 = (obs >= b["q05"]) & (obs <= b["q95"])
    inside50 = (obs >= b["q25"]) & (obs <= b["q75"])
    return {
        "days": int(len(obs)),
        "covered_90": int(inside90.sum()),
        "covered_50": int(inside50.sum()),
        "rate_90": float(inside90.mean()),
        "rate_50": float(inside50.mean()),
    }


MISFIT = 0.05  # a statistic is not reproduced if its posterior predictive p-value is below this (two-sided)


def stat_checks(pred: Predictive, observed: dict[str, float]) -> pd.DataFrame:
    """Per summary statistic: observed value, predictive median and 90 % interval, the share of draws below, at and
    above the observed value, the two-sided predictive p-value 2 min(P(x <= obs), P(x >= obs)) (capped at 1) and
    whether the model reproduces it (p >= MISFIT): a statistic it cannot reproduce names a misspecification."""
    rows = []
    for s in [k for k in observed if k in pred.stats.columns]:
        x = pred.stats[s].to_numpy(float)
        o = observed[s]
        lo, med, hi = np.quantile(x, [0.05, 0.5, 0.95])
        rows.append(
            {
                "statistic": s,
                "observed": o,
                "median": med,
                "lo": lo,
                "hi": hi,
                "below": float((x < o).mean()),
                "equal": float((x == o).mean()),
                "above": float((x > o).mean()),
                "p_value": float(min(1.0, 2 * min((x <= o).mean(), (x >= o).mean()))),
            }
        )
    out = pd.DataFrame(rows)
    if len(out):
        out["reproduced"] = out["p_value"] >= MISFIT
    return out
