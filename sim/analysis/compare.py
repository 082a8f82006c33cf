"""The policy table of a sweep: each run's figures from its daily table, paired differences from the
baseline on the same seed and scenario (common random numbers), with t-intervals, costs and cost per
averted departure."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.analysis.netvalue import value_columns
from sim.analysis.paired import LEVEL, CompareError, pairs, t_interval
from sim.schema import CAUSES

CHECK_DATE = dt.date(2026, 2, 28)  # issue 4: departures by the end of Feb 2026
OBSERVED_WEEK = (dt.date(2026, 2, 6), dt.date(2026, 2, 12))  # the announcements of sim/data/departures.csv
METRICS = (
    *(f"departures_{c}" for c in CAUSES),
    "departures",
    "departures_by_feb28",
    "founders_remaining",
    "announced_feb6_12",
    "cost_total",
)


def run_metrics(daily: pd.DataFrame, start: dt.date, end: dt.date) -> dict:
    """Figures of one run from its daily table. Dated figures are NaN when their date(s) fall outside the window."""
    dates = pd.to_datetime(daily["date"]).dt.date
    out = {f"departures_{c}": int(daily[f"departures_{c}"].sum()) for c in CAUSES}
    out["departures"] = int(daily["departures"].sum())
    inside = start <= CHECK_DATE <= end
    out["departures_by_feb28"] = float(daily.loc[dates <= CHECK_DATE, "departures"].sum()) if inside else np.nan
    first, last = OBSERVED_WEEK
    week = (dates >= first) & (dates <= last)
    out["announced_feb6_12"] = float(daily.loc[week, "announced"].sum()) if start <= first and last <= end else np.nan
    out["founders_remaining"] = int(daily["founders_remaining"].iloc[-1])
    return out


def per_run(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """`runs` (from `sim.analysis.sweep.read_sweep`) with each run's figures added."""
    rows = []
    for run, d in daily.groupby("run", sort=False):
        r = runs.loc[runs.run == run].iloc[0]
        rows.append({"run": run, **run_metrics(d, _date(r.window_start), _date(r.window_end))})
    figures = pd.DataFrame(rows, columns=["run", *[m for m in METRICS if m != "cost_total"]])
    return runs.merge(figures, on="run", how="left")


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def policy_table(metrics: pd.DataFrame, baseline: str = "none", level: float = LEVEL) -> pd.DataFrame:
    """One row per arm: mean figures over its runs; the paired difference in total departures from the
    baseline with its t-interval; departures averted (minus that difference); mean cost with a t-interval;
    cost per averted departure = mean cost / mean averted over the paired runs (NaN unless averted > 0).
    With an `attrition_cost` column (sim.value), also the columns of sim.netvalue.value_columns."""
    p = pairs(metrics, baseline, "departures")
    rows = []
    for arm, g in metrics.groupby("arm", sort=False):
        row = {"policy": arm, "runs": len(g)}
        row.update({m: float(g[m].mean()) if g[m].notna().any() else np.nan for m in METRICS})
        cost, cost_lo, cost_hi, _ = t_interval(g["cost_total"], level)
        row.update(cost_lo=cost_lo, cost_hi=cost_hi)
        if arm == baseline:
            row.update(n_pairs=0, diff=0.0, diff_lo=np.nan, diff_hi=np.nan)
            row.update(averted=0.0, averted_lo=np.nan, averted_hi=np.nan, cost_per_averted=np.nan)
        else:
            d = p[p.arm == arm]
            mean, lo, hi, n = t_interval(d["difference"], level)
            averted = -mean
            paired_cost = float(d["cost_total"].mean()) if n else np.nan
            row.update(n_pairs=n, diff=mean, diff_lo=lo, diff_hi=hi, averted=averted, averted_lo=-hi, averted_hi=-lo)
            row["cost_per_averted"] = paired_cost / averted if n and averted > 0 else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    if "attrition_cost" in metrics:  # valued runs (sim.value): attrition cost avoided, net value, ROI, break-even
        table = table.merge(value_columns(metrics, baseline, level), on="policy", how="left")
    order = table.assign(_base=table.policy != baseline).sort_values(
        ["_base", "averted", "policy"], ascending=[True, False, True], kind="stable"
    )
    return order.drop(columns="_base").reset_index(drop=True)


def destination_table(runs: pd.DataFrame, counts: pd.DataFrame | None, level: float = LEVEL) -> pd.DataFrame:
    """Where people went, by policy: per arm and destination kind (`level` = "kind") and per destination
    (`level` = "destination"), the mean leavers per run (runs without any count as 0) with a t-interval over runs,
    and the share of all leavers. Empty when the runs' departures tables have no destinations."""
    cols = ["policy", "level", "destination", "destination_kind", "runs", "mean", "lo", "hi", "share"]
    if counts is None or counts.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for arm, arm_runs in runs.groupby("arm", sort=False):
        names = list(arm_runs.run)
        c = counts[counts.run.isin(names)]
        total = c.leavers.sum()
        kinds = c.groupby(["run", "destination_kind"]).leavers.sum().unstack(fill_value=0)
        dests = c.groupby(["run", "destination", "destination_kind"]).leavers.sum().unstack([1, 2], fill_value=0)
        for grain, table in (("kind", kinds), ("destination", dests)):
            table = table.reindex(names, fill_value=0)
            for key in table.columns:
                dest, kind = (key, key) if grain == "kind" else key
                mean, lo, hi, n = t_interval(table[key].to_numpy(float), level)
                share = float(table[key].sum() / total) if total else np.nan
                rows.append([arm, grain, dest, kind, n, mean, lo, hi, share])
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["policy", "level", "mean"], ascending=[True, False, False], kind="stable").reset_index(
        drop=True
    )


__all__ = [
    "CHECK_DATE",
    "LEVEL",
    "METRICS",
    "CompareError",
    "destination_table",
    "pairs",
    "per_run",
    "policy_table",
    "run_metrics",
    "t_interval",
]
