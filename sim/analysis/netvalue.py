"""Net value of each policy: attrition cost avoided against what the policy costs, paired by common random numbers.

Per pair (a policy run and the baseline run on the same scenario and seed): avoided = baseline's attrition cost -
the policy's; spent = the policy's cost - the baseline's; net = avoided - spent. The table gives their means with
two-sided t-intervals over pairs, the return on money spent (mean net / mean spent, delta-method interval), and
the break-even effect size: the factor by which its effect would have to grow to pay for itself (cost / avoided;
below 1 it already does) and the departures it would then avert (at its own mix of roles; at the baseline's mean
cost per departure when it averts none).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.paired import LEVEL, pairs, t_interval

COLUMNS = (
    "attrition_cost",
    "avoided",
    "avoided_lo",
    "avoided_hi",
    "net_value",
    "net_lo",
    "net_hi",
    "roi",
    "roi_lo",
    "roi_hi",
    "breakeven_averted",
    "breakeven_x",
)


def paired_value(metrics: pd.DataFrame, baseline: str = "none") -> pd.DataFrame:
    """One row per policy run with a baseline pair: departures averted, attrition cost avoided, spent, net."""
    dep = pairs(metrics, baseline, "departures")
    att = pairs(metrics, baseline, "attrition_cost")
    out = att[["arm", "scenario", "seed", "run"]].copy()
    out["averted"] = -dep["difference"].to_numpy()
    out["avoided"] = -att["difference"].to_numpy()
    out["spent"] = (att["cost_total"] - att["baseline_cost"]).to_numpy()
    out["net"] = out["avoided"] - out["spent"]
    return out


def ratio_interval(num, den, level: float = LEVEL) -> tuple[float, float, float]:
    """Ratio of means mean(num)/mean(den) and its delta-method t-interval over paired observations."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    n = num.size
    if n == 0 or den.mean() == 0:
        return np.nan, np.nan, np.nan
    r = num.mean() / den.mean()
    if n < 2:
        return float(r), np.nan, np.nan
    resid = num - r * den  # the ratio's influence: var(R) ~ var(num - R den) / (n mean(den)^2)
    se = resid.std(ddof=1) / (np.sqrt(n) * abs(den.mean()))
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return float(r), float(r - half), float(r + half)


def value_columns(metrics: pd.DataFrame, baseline: str = "none", level: float = LEVEL) -> pd.DataFrame:
    """Per arm (the baseline's row has its attrition cost only): the COLUMNS above."""
    paired = paired_value(metrics, baseline)
    base = metrics[metrics.arm == baseline]
    per_departure = base["attrition_cost"].sum() / max(base["departures"].sum(), 1)
    rows = []
    for arm, g in metrics.groupby("arm", sort=False):
        row = dict.fromkeys(COLUMNS, np.nan)
        row.update(policy=arm, attrition_cost=float(g["attrition_cost"].mean()))
        d = paired[paired.arm == arm]
        if arm != baseline and len(d):
            row["avoided"], row["avoided_lo"], row["avoided_hi"], _ = t_interval(d["avoided"], level)
            row["net_value"], row["net_lo"], row["net_hi"], _ = t_interval(d["net"], level)
            row["roi"], row["roi_lo"], row["roi_hi"] = ratio_interval(d["net"], d["spent"], level)
            spent, averted, avoided = float(d["spent"].mean()), float(d["averted"].mean()), row["avoided"]
            # what one averted departure is worth: the policy's own mix of roles when it averts any, else the
            # baseline's mean cost per departure
            worth = avoided / averted if averted > 0 and avoided > 0 else per_departure
            row["breakeven_averted"] = spent / worth if worth > 0 else np.nan
            row["breakeven_x"] = spent / avoided if avoided > 0 else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=["policy", *COLUMNS])
