"""Simulation-based calibration (Talts et al. 2018) of the calibration's inference, on synthetic records from the prior.

One reference table of prior simulations (sim.calibration.sbc); the first --test of them are held out as
synthetic records, each fitted on the rest by rejection ABC with a local-linear regression adjustment.
Writes, into --out: sbc_ranks.csv (rank and coverage per record and parameter), sbc_summary.json (per
parameter: 50 % / 90 % coverage, a chi-square p-value of the ranks' uniformity, the mean shrinkage, and the
shrinkage on the shipped record), sbc.png (rank histograms). --install also writes sim/data/sbc_xai.json,
which exodus-calibrate attaches to the posterior's JSON and its fit report.

    .venv/bin/python experiments/sbc.py --table 2000 --test 100 --procs 2 --install     # the real one
    .venv/bin/python experiments/sbc.py --table 300 --test 100 company.headcount=200   # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from sim.calibration import sbc, targets
from sim.config import freeparams
from sim.config.compose import check, compose
from sim.run.files import csv_bytes, json_bytes, write_atomic


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", type=int, default=2000, help="prior simulations in the reference table")
    ap.add_argument("--test", type=int, default=100, help="of which held out as synthetic records")
    ap.add_argument("--accept", type=float, default=0.3, help="share of the table kept per fit (rejection step)")
    ap.add_argument("--params", default=",".join(freeparams.NAMES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--out", default="results/sbc")
    ap.add_argument("--install", action="store_true", help="also write sim/data/sbc_xai.json")
    ap.add_argument("--reuse", action="store_true", help="reuse the reference table in --out (sbc_table.csv)")
    ap.add_argument("--no-progress", action="store_true")
    ap.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario, e.g. company.headcount=200")
    args = ap.parse_args(argv)
    if not 0 < args.test < args.table:
        ap.error("--test must be at least 1 and fewer than --table")
    names = tuple(x.strip() for x in args.params.split(",") if x.strip())
    run = check(compose(args.overrides))
    started = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.reuse and (out / "sbc_table.csv").exists():
        table = sbc.load(out / "sbc_table.csv")
        args.table = len(table.z)
    else:
        table = sbc.reference_table(run, names, args.table, args.seed, args.procs, targets.END.isoformat(),
                                    progress=not args.no_progress)  # fmt: skip
        sbc.save(table, out / "sbc_table.csv")
    res = sbc.run_sbc(table, args.test, args.accept)
    first = targets.shipped_spec(dt.date.fromisoformat(run.window.start))
    shrink = sbc.observed_shrinkage(table, first.with_floor(1000).observed, args.accept)
    seconds = time.perf_counter() - started
    write_atomic(out / "sbc_ranks.csv", csv_bytes(res.ranks))
    sbc.rank_figure(res, out / "sbc.png")
    summary = sbc.summary_dict(
        res,
        shrink,
        method=sbc.method_text(args.accept, args.table - args.test),
        table=args.table,
        seconds=seconds,
        overrides=list(args.overrides),
        command="python experiments/sbc.py " + " ".join(argv if argv is not None else __import__("sys").argv[1:]),
    )
    write_atomic(out / "sbc_summary.json", json_bytes(summary))
    if args.install:
        from sim.calibration.posterior import DATA

        write_atomic(Path(str(DATA / "sbc_xai.json")), json_bytes(summary))
    print(f"[sbc] {args.table} simulations, {args.test} synthetic records in {seconds:.0f} s")
    print(res.summary.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(json.dumps({n: v["shrinkage_on_the_record_z"] for n, v in summary["parameters"].items()}))
    print(f"[sbc] wrote {out}/: sbc_ranks.csv, sbc_summary.json, sbc.png")
    return summary


if __name__ == "__main__":
    main()
