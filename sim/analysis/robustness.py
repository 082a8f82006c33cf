"""Robustness of each policy over the worlds of a comparison (EMA Workbench's measures, without EMA).

A world is one (scenario, seed) that every policy ran: with the default experiment, one posterior draw, one draw of
the lever effects and one seed. In each world a policy's net value is (attrition cost avoided - money spent) against
the baseline (whose own is 0); its regret is the best net value any policy (the baseline included) reached in that
world minus its own. Policies rank by maximum regret (Savage's minimax regret), then by mean net value; beside it,
the share of worlds where each meets a goal (averting at least `goal` departures; a positive net value).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.netvalue import paired_value

GOAL_AVERTED = 20  # issue 15: "beat `none` by 20 departures"


def worlds(metrics: pd.DataFrame, baseline: str = "none") -> pd.DataFrame:
    """Net value and departures averted per (world, arm) on the worlds every arm ran, the baseline as zeros."""
    paired = paired_value(metrics, baseline)
    arms = [a for a in metrics.arm.unique() if a != baseline]
    key = ["scenario", "seed"]
    common = paired.groupby(key)["arm"].nunique()
    common = common[common == len(arms)].index
    paired = paired.set_index(key).loc[common].reset_index() if len(common) else paired.iloc[0:0]
    zero = paired[key].drop_duplicates().assign(arm=baseline, averted=0.0, avoided=0.0, spent=0.0, net=0.0)
    return pd.concat([paired[[*key, "arm", "averted", "avoided", "spent", "net"]], zero], ignore_index=True)


def robustness_table(metrics: pd.DataFrame, baseline: str = "none", goal: float = GOAL_AVERTED) -> pd.DataFrame:
    """Per arm: worlds, mean and 5 % quantile of net value, maximum and mean regret, share of worlds averting at
    least `goal` departures and share with a positive net value; sorted by maximum regret (rank 1 = most robust)."""
    w = worlds(metrics, baseline)
    if w.empty:
        return pd.DataFrame(
            columns=["rank", "policy", "worlds", "net_mean", "net_q05", "max_regret", "mean_regret", "share_goal"]
        )
    best = w.groupby(["scenario", "seed"])["net"].transform("max")
    w = w.assign(regret=best - w["net"])
    g = w.groupby("arm")
    out = pd.DataFrame(
        {
            "worlds": g.size(),
            "net_mean": g["net"].mean(),
            "net_q05": g["net"].quantile(0.05),
            "max_regret": g["regret"].max(),
            "mean_regret": g["regret"].mean(),
            "share_goal": g["averted"].apply(lambda x: float(np.mean(x >= goal))),
            "share_net_positive": g["net"].apply(lambda x: float(np.mean(x > 0))),
        }
    ).reset_index(names="policy")
    out = out.sort_values(["max_regret", "net_mean", "policy"], ascending=[True, False, True], kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
