"""Each policy's effect over the posterior: the spread of paired differences across posterior draws.

`exodus-compare` gives the mean paired difference from `none` with a t-interval (how well the
mean over the posterior is known). Over a posterior sweep (conf/experiment/posterior_policies.yaml,
one run per draw and policy, draw k with seed k and lever-effect draw k) each pair is one world, so
the 5-95 % quantiles of the differences are the effect's interval with parameter and lever-effect
uncertainty (and one run's noise) included: what the policy might do, not only what it does on average.

    .venv/bin/exodus +experiment=posterior_policies
    .venv/bin/exodus-compare results/posterior_policies
    .venv/bin/python experiments/posterior_effects.py results/posterior_policies
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.run.files import csv_bytes, write_atomic


def effects(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per arm: pairs, mean difference in departures, and its 5 %, 50 % and 95 % quantiles over the pairs."""
    g = pairs.groupby("arm")["difference"]
    out = pd.DataFrame(
        {
            "pairs": g.size(),
            "mean": g.mean(),
            "q05": g.quantile(0.05),
            "q50": g.quantile(0.5),
            "q95": g.quantile(0.95),
            "share_averting": pairs.assign(a=pairs["difference"] < 0).groupby("arm")["a"].mean(),
        }
    )
    return out.sort_values("mean").reset_index()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep", type=Path, help="a posterior sweep folder already read by exodus-compare")
    args = ap.parse_args()
    pairs = pd.read_parquet(args.sweep / "compare" / "pairs.parquet")
    table = effects(pairs)
    write_atomic(args.sweep / "compare" / "posterior_effects.csv", csv_bytes(table))
    print("difference in departures from none (negative: averted), over posterior draws:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
