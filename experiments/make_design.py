"""Write a table of parameter sets for a sweep: a Latin hypercube or a Sobol sample (scipy.stats.qmc).

    python experiments/make_design.py --method lhs --n 32 hazard.contagion=0:10 hazard.base_annual=0.11:0.18 \
        --out results/designs/lhs.csv
    exodus -m study=lhs design.file=$PWD/results/designs/lhs.csv 'design.row=range(32)' seed=0,1,2

Columns are dotted config paths (or `free.NAME` for a free parameter); rows keep the sampler's order.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from scipy.stats import qmc

from sim.run.files import csv_bytes, write_atomic


def parse_range(text: str) -> tuple[str, float, float]:
    """`path=lo:hi` -> (path, lo, hi)."""
    try:
        path, bounds = text.split("=", 1)
        lo, hi = (float(x) for x in bounds.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected PATH=LOW:HIGH, e.g. hazard.contagion=0:10") from None
    if not lo < hi:
        raise argparse.ArgumentTypeError(f"{text!r}: LOW must be below HIGH")
    return path, lo, hi


def design(ranges: list[tuple[str, float, float]], n: int, method: str, seed: int) -> pd.DataFrame:
    """n parameter sets spread over the box of `ranges`."""
    d = len(ranges)
    sampler = qmc.LatinHypercube(d=d, rng=seed) if method == "lhs" else qmc.Sobol(d=d, scramble=True, rng=seed)
    unit = sampler.random(n)
    lo, hi = [r[1] for r in ranges], [r[2] for r in ranges]
    return pd.DataFrame(qmc.scale(unit, lo, hi), columns=[r[0] for r in ranges])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ranges", nargs="+", type=parse_range, metavar="PATH=LOW:HIGH")
    parser.add_argument("--method", choices=("lhs", "sobol"), default="lhs")
    parser.add_argument("--n", type=int, default=32, help="number of parameter sets (a power of 2 for sobol)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    table = design(args.ranges, args.n, args.method, args.seed)
    write_atomic(args.out, csv_bytes(table))
    print(f"wrote {len(table)} parameter sets ({args.method}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
