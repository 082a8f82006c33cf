"""How much of each policy's effect varies with its own lever prior, and how much with the model's posterior.

A crossed design: P posterior draws (each with its seed, as in the default experiment) x L draws of the lever
priors (sim/config/leverpriors.py), every policy run in every cell and `none` once per posterior draw (it has
no levers).
A policy's effect in a cell is its departures (or net value) minus `none`'s on the same posterior draw and seed.
Two-way analysis of variance without replication splits the effect's variance over the cells into the posterior's
main effect (rows), the lever prior's main effect (columns) and what is left (their interaction plus noise):
the shares say which uncertainty a better estimate would remove. For single-field levers it also fits net value
against the drawn effect size and reports where the line crosses zero: the break-even effect size in the lever's
own units.

    .venv/bin/python experiments/lever_variance.py                      # 8 x 8 draws, ~2-4 min on 2 cores
    .venv/bin/python experiments/lever_variance.py --posterior 12 --levers 12 --jobs 2 --out results/lever_variance
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from sim.analysis import worlds
from sim.calibration import posterior
from sim.config import leverpriors
from sim.config.defaults import shipped_policies
from sim.run.files import csv_bytes, write_atomic

POLICIES = shipped_policies()[1:]  # every policy but none


def _one(policy: str, i: int, j: int, overrides: tuple[str, ...]) -> dict:
    free = posterior.load("xai").draw(i)
    levers = (
        {} if j < 0 else {p.field: v for p, v in zip(leverpriors.PRIORS, leverpriors.draw(j).values(), strict=True)}
    )
    run = worlds.world_config(policy, i, free, levers, overrides)
    return {"policy": policy, "posterior_draw": i, "lever_draw": j, **levers, **worlds.outcomes(run)}


def anova_shares(effect: pd.DataFrame) -> dict[str, float]:
    """Shares of the total sum of squares of a (rows x columns) table: row main effect, column main effect, rest."""
    y = effect.to_numpy(float)
    grand = y.mean()
    ss_total = ((y - grand) ** 2).sum()
    ss_rows = y.shape[1] * ((y.mean(axis=1) - grand) ** 2).sum()
    ss_cols = y.shape[0] * ((y.mean(axis=0) - grand) ** 2).sum()
    if ss_total == 0:
        return {"posterior": np.nan, "lever_prior": np.nan, "interaction_noise": np.nan}
    return {
        "posterior": ss_rows / ss_total,
        "lever_prior": ss_cols / ss_total,
        "interaction_noise": (ss_total - ss_rows - ss_cols) / ss_total,
    }


def analyse(runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per policy and outcome: mean effect, its sd over cells, and the ANOVA shares; break-even effect sizes."""
    base = runs[runs.policy == "none"].set_index("posterior_draw")
    runs = runs[runs.policy != "none"].copy()
    runs["averted"] = runs["posterior_draw"].map(base["departures"]) - runs["departures"]
    avoided = runs["posterior_draw"].map(base["attrition_cost"]) - runs["attrition_cost"]
    runs["net_value"] = avoided - runs["policy_cost"]
    rows, breakeven = [], []
    for policy, g in runs.groupby("policy", sort=False):
        for outcome in ("averted", "net_value"):
            table = g.pivot(index="posterior_draw", columns="lever_draw", values=outcome)
            rows.append(
                {
                    "policy": policy,
                    "outcome": outcome,
                    "mean": table.to_numpy().mean(),
                    "sd": table.to_numpy().std(ddof=1),
                    **anova_shares(table),
                }
            )
        fields = [p for p in leverpriors.PRIORS if p.lever == policy]
        if len(fields) == 1:  # one effect size: where the fitted net value crosses zero
            p = fields[0]
            by_draw = g.groupby("lever_draw").agg(x=(p.field, "first"), net=("net_value", "mean"))
            slope, intercept = np.polyfit(by_draw.x, by_draw.net, 1)
            cross = -intercept / slope if slope else np.nan
            breakeven.append(
                {
                    "policy": policy,
                    "effect": p.path,
                    "prior_low": p.low,
                    "prior_high": p.high,
                    "net_per_unit": slope,
                    "breakeven_effect": cross,
                    "inside_prior": bool(p.low <= cross <= p.high),
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(breakeven)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posterior", type=int, default=8, help="posterior draws (rows; each with its seed)")
    ap.add_argument("--levers", type=int, default=8, help="lever-prior draws (columns)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (joblib)")
    ap.add_argument("--out", type=Path, default=Path("results/lever_variance"))
    ap.add_argument("overrides", nargs="*", help="Hydra overrides for every run, e.g. company.headcount=600")
    args = ap.parse_args()
    overrides = tuple(args.overrides)
    tasks = [("none", i, -1) for i in range(args.posterior)]
    tasks += [(p, i, j) for p, i, j in itertools.product(POLICIES, range(args.posterior), range(args.levers))]
    t0 = time.perf_counter()
    out = Parallel(n_jobs=args.jobs, batch_size=8)(delayed(_one)(p, i, j, overrides) for p, i, j in tasks)
    runs = pd.DataFrame(out)
    shares, breakeven = analyse(runs)
    write_atomic(args.out / "runs.csv", csv_bytes(runs))
    write_atomic(args.out / "variance.csv", csv_bytes(shares))
    write_atomic(args.out / "breakeven.csv", csv_bytes(breakeven))
    print(
        f"{len(runs)} runs in {time.perf_counter() - t0:.0f} s ({args.posterior} posterior x {args.levers} lever draws)"
    )
    print(
        "\nShare of each policy's effect variance (over the cells) from the posterior, its lever prior, and the rest:"
    )
    print(shares.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print("\nBreak-even effect size (net value = 0 on a straight-line fit over the lever draws):")
    print(breakeven.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(f"\nwrote {args.out}/runs.csv, variance.csv, breakeven.csv")


if __name__ == "__main__":
    main()
