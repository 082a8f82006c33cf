"""The model's forecast for 13 Feb - 14 May 2026 from the shipped posterior, with medians and 90 % intervals.

Runs N posterior draws (draw k with seed k, as `posterior_file=xai posterior_draw=k seed=k` would) over the
scenario (default window to 2026-08-31) and reports: co-founders gone by 28 Feb, 15 Mar and 31 Mar 2026;
researchers (research leads included) and engineers leaving between 1 Feb and 14 May 2026; and how many of
them go to each kind of destination (rival labs by name; spin-outs pooled: a spin-out's id names a firm of
one run, not the same firm across draws). Writes results/forecast/forecast.md too.

    python experiments/forecast.py                 # 200 draws
    python experiments/forecast.py --draws 50 --procs 2 company.headcount=800
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.calibration import posterior
from sim.config.load import as_run_config
from sim.data import record
from sim.run.files import write_atomic
from sim.run.parallel import fan_out
from sim.run.world import run_world

FOUNDER_DAYS = (dt.date(2026, 2, 28), dt.date(2026, 3, 15), dt.date(2026, 3, 31))
IN_SAMPLE_DAY = dt.date(2026, 2, 11)  # 6 of the 12 founders gone by 11 Feb 2026 (sim/data/founders.csv)
LEAVERS = (dt.date(2026, 2, 1), dt.date(2026, 5, 14))
ROLES = ("research_lead", "researcher", "engineer")
LEVEL = 0.90


def destinations(deps: pd.DataFrame) -> pd.Series:
    """Where each leaver went, as a label that means the same in every draw: the destination kind (`rival_lab`,
    `startup`, `spinout`, `other_tech`, `out`, `forced`), and for a rival lab its name (`rival_lab: meta`). A
    spin-out's id (`spinout-3`) names a firm founded inside one run, so spin-outs are counted by kind only: the
    `spinout-3` of two draws are different firms. A table without destination kinds falls back on the cause, and
    the poaching firm for the poached."""
    if "destination_kind" in deps.columns:
        kind = deps["destination_kind"].fillna("unknown").astype(str)
        name = deps["destination"].fillna("").astype(str) if "destination" in deps.columns else kind
        return pd.Series(np.where(kind == "rival_lab", "rival_lab: " + name, kind), index=deps.index)
    firm = deps["firm"].fillna("").astype(str)
    return pd.Series(np.where((deps["cause"] == "poached") & (firm != ""), firm, deps["cause"]), index=deps.index)


def one(args) -> dict:
    """One draw: the founders gone on each day and the researchers' and engineers' moves by destination."""
    run, values, k, total = args
    res = run_world(run, values, seed=k)
    daily = res.daily.set_index("date")
    out = {f"founders gone by {d:%d %b}": total - int(daily.loc[d, "founders_remaining"]) for d in FOUNDER_DAYS}
    out[f"founders gone by {IN_SAMPLE_DAY:%d %b} (in-sample)"] = total - int(
        daily.loc[IN_SAMPLE_DAY, "founders_remaining"]
    )
    d = res.departures
    sel = d[(d["date"] >= LEAVERS[0]) & (d["date"] <= LEAVERS[1]) & d["role"].isin(ROLES)]
    out["researchers and engineers leaving 1 Feb - 14 May"] = len(sel)
    for dest, n in destinations(sel).value_counts().items():
        out[f"to: {dest}"] = int(n)
    return out


def table(rows: list[dict]) -> pd.DataFrame:
    """Median and 90 % interval of each quantity over draws (a destination missing from a draw counts 0); quantiles
    are values some draw took (inverted CDF), so counts stay whole."""
    df = pd.DataFrame(rows).fillna(0)
    qs = [(1 - LEVEL) / 2, 0.5, 1 - (1 - LEVEL) / 2]
    dests = sorted((c for c in df.columns if c.startswith("to: ")), key=lambda c: (-df[c].mean(), c))
    cols = [c for c in df.columns if not c.startswith("to: ")] + dests
    q = {c: np.quantile(df[c].to_numpy(float), qs, method="inverted_cdf") for c in cols}
    return pd.DataFrame(
        {
            "quantity": cols,
            "median": [q[c][1] for c in cols],
            "lo": [q[c][0] for c in cols],
            "hi": [q[c][2] for c in cols],
            "mean": [df[c].mean() for c in cols],
        }
    )


def markdown(t: pd.DataFrame, draws: int, post_name: str, overrides: list[str]) -> str:
    head = "| quantity | median | 90 % interval | mean |\n|---|---:|---:|---:|"
    lines = [f"| {r.quantity} | {r.median:g} | [{r.lo:g}, {r.hi:g}] | {r.mean:.1f} |" for r in t.itertuples()]
    note = (
        f"Forecast from the posterior `{post_name}` ({draws} draws, draw k with seed k; overrides: "
        f"{' '.join(overrides) or 'none'}). Founders gone: of the 12 of July 2023 (the record: 6 by 11 Feb 2026). "
        "Researchers and engineers: research leads, researchers and engineers whose departure date is in "
        "1 Feb - 14 May 2026, by destination kind (rival labs by name; spin-outs pooled, since a spin-out's id "
        "names a firm of one run only; `out` = leaving the field; `forced` = laid off or forced out by a shock)."
    )
    return "\n".join(["# Forecast, 13 Feb - 14 May 2026", "", note, "", head, *lines, ""])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200, help="posterior draws (default 200)")
    ap.add_argument("--posterior", default="xai", help="posterior name or CSV path (default: xai)")
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="local worker processes")
    ap.add_argument("--out", default="results/forecast", help="output folder (default: results/forecast)")
    ap.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario")
    args = ap.parse_args(argv)
    if args.draws < 1:
        ap.error(f"--draws={args.draws}: an integer >= 1")
    run = as_run_config(sim.compose(args.overrides))
    if dt.date.fromisoformat(run.window.end) < LEAVERS[1]:
        ap.error(f"window.end={run.window.end}: the forecast needs a window to at least {LEAVERS[1]}")
    base = dataclasses.replace(run, posterior_file="", posterior_draw=-1, free={})
    post = posterior.load(args.posterior)
    team = len(record.load().founders)  # the founding team of July 2023 (12: sim/data/founders.csv), owner included
    tasks = [(base, {n: float(post.samples.iloc[i][n]) for n in post.names}, k, team)
             for k, i in enumerate(post.draw_indices(args.draws))]  # fmt: skip
    rows = fan_out(one, tasks, args.procs, desc="forecast", chunksize=4)
    text = markdown(table(rows), args.draws, args.posterior, args.overrides)
    write_atomic(Path(args.out) / "forecast.md", text.encode())
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
