"""`exodus-explore`: exploratory analysis with EMA Workbench (pip install -e '.[explore]') -> results/explore/.

Runs every policy over a Latin hypercube of uncertain worlds (posterior parameters, lever effects, seed) through
EMA's MultiprocessingEvaluator, then scenario discovery (PRIM and CART) on two questions and a robustness ranking.
The folder is written beside its target and renamed into place at the end, so it is never half-written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sim.cli.argtypes import finite_float

PRESETS = {"quick": 60, "full": 400}  # worlds; x 10 policies = runs (quick: ~2-4 min on 2 cores at 1,100 staff)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="exodus-explore",
        description="Exploratory analysis with EMA Workbench: policies over uncertain worlds, PRIM and CART scenario "
        "discovery, robustness (max regret, satisficing). Needs the explore extra: pip install -e '.[explore]'.",
    )
    ap.add_argument("--preset", choices=sorted(PRESETS), default="quick", help="quick: 60 worlds; full: 400")
    ap.add_argument("--scenarios", type=int, help="number of worlds (overrides the preset)")
    ap.add_argument("--processes", type=int, default=2, help="worker processes of EMA's MultiprocessingEvaluator")
    ap.add_argument(
        "--evaluator", choices=("multiprocessing", "sequential"), default="multiprocessing", help="EMA evaluator"
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of EMA's Latin hypercube (and so of each world's seed)")
    ap.add_argument(
        "--ranges",
        choices=("prior", "posterior"),
        default="prior",
        help="free parameters over their prior's support (default) or the shipped posterior's 90 %% interval",
    )
    ap.add_argument(
        "--goal", type=finite_float, default=20.0, help="departures the best policy must avert (question 1)"
    )
    ap.add_argument("--density", type=float, default=0.8, help="PRIM: least density of the box reported")
    ap.add_argument("--prim-dims", type=int, default=4, help="PRIM: the uncertainties with the top feature scores")
    ap.add_argument("--value", default="", metavar="FILE", help="what a departure costs (conf/value/default.yaml)")
    ap.add_argument("--out", default="results/explore", help="output folder (default: results/explore)")
    ap.add_argument(
        "--experiments",
        metavar="CSV",
        help="analyse this experiments.csv of an earlier exodus-explore again (no runs; --goal, --density apply)",
    )
    ap.add_argument("overrides", nargs="*", help="Hydra overrides for every run, e.g. company.headcount=600")
    args = ap.parse_args(argv)
    n = args.scenarios if args.scenarios is not None else PRESETS[args.preset]
    if n < 10:
        ap.error(f"--scenarios={n} is not allowed: at least 10 worlds (scenario discovery needs a sample)")
    if args.processes < 1:
        ap.error(f"--processes={args.processes} is not allowed: at least 1")
    if not 0 < args.density <= 1:
        ap.error(f"--density={args.density} is not allowed: a share in (0, 1]")
    args.n = n
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import ema_workbench  # noqa: F401
    except ImportError:
        print("exodus-explore: error: EMA Workbench is not installed: pip install -e '.[explore]'", file=sys.stderr)
        return 2
    import matplotlib
    import pandas as pd

    matplotlib.use("Agg")
    from sim.analysis import value
    from sim.analysis.explore import (
        ExploreSettings,
        discover,
        questions,
        robustness,
        run_experiments,
        save_ema,
        tidy,
        world_inputs,
    )
    from sim.analysis.worlds import base_run
    from sim.config.params import ConfigError
    from sim.run.files import csv_bytes, json_bytes, write_atomic
    from sim.run.simulate import package_versions

    settings = ExploreSettings(
        scenarios=args.n,
        processes=args.processes,
        seed=args.seed,
        goal=args.goal,
        ranges=args.ranges,
        density=args.density,
        prim_dims=args.prim_dims,
        overrides=tuple(args.overrides),
        valuation=args.value,
        evaluator=args.evaluator,
    )
    from sim.cli.guard import check_outside_package
    from sim.config.compose import scenario_only

    try:  # bad input stops before any run
        check_outside_package("--out", args.out)
        scenario_only(settings.overrides)
        value.load(args.value or None)
        base_run("none", settings.overrides)
    except ConfigError as exc:
        print(f"exodus-explore: error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        t0 = time.perf_counter()
        runs = len(settings.policies) * settings.scenarios
        if not args.experiments:
            print(f"exodus-explore: {settings.scenarios} worlds x {len(settings.policies)} policies = {runs} runs")
        if args.experiments:
            df = pd.read_csv(args.experiments, dtype={"world": str, "policy": str})
            settings.scenarios = int(df["world"].nunique())
        else:
            experiments, outcomes = run_experiments(settings)
            df = tidy(experiments, outcomes)
        seconds = time.perf_counter() - t0
        write_atomic(tmp / "experiments.csv", csv_bytes(df))
        save_ema(df, tmp / "results.tar.gz")  # EMA's own format: ema_workbench.load_results reads it
        rob = robustness(df, settings.goal)
        write_atomic(tmp / "robustness.csv", csv_bytes(rob))
        x = world_inputs(df)
        cases, about = questions(df, settings.goal)
        found = {}
        for name, y in cases.items():
            res = discover(x, y.reindex(x.index), settings, question=about[name])
            found[name] = res
            _write_discovery(tmp, name, res, csv_bytes, write_atomic)
        summary = {
            "settings": {k: v for k, v in vars(settings).items() if k != "notes"},
            "runs": runs,
            "seconds": round(seconds, 1),
            "questions": {
                n: {"asked": about[n], **{k: v for k, v in r.items() if _plain(v)}} for n, r in found.items()
            },
            "versions": {**package_versions(), "ema_workbench": ema_workbench.__version__},
        }
        write_atomic(tmp / "explore.json", json_bytes(summary))
        report = _report(df, rob, found, about, settings, seconds)
        write_atomic(tmp / "report.md", report.encode())
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(report)
    print(f"wrote {out}/")
    return 0


def _plain(v) -> bool:
    return isinstance(v, int | float | str | bool)


def _write_discovery(folder: Path, name: str, res: dict, csv_bytes, write_atomic) -> None:
    if "trajectory" not in res:
        return
    write_atomic(folder / f"prim_{name}_trajectory.csv", csv_bytes(res["trajectory"].reset_index(names="box")))
    write_atomic(folder / f"prim_{name}_box.csv", csv_bytes(res["limits"].reset_index(names="uncertainty")))
    write_atomic(folder / f"cart_{name}.csv", csv_bytes(res["cart"]))
    write_atomic(
        folder / f"features_{name}.csv", csv_bytes(res["feature_scores"].rename_axis("uncertainty").reset_index())
    )
    for key, suffix in (("tradeoff_fig", "tradeoff"), ("box_fig", "box")):
        fig = res.get(key)
        if fig is not None:
            fig.savefig(folder / f"prim_{name}_{suffix}.png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close("all")


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename the finished folder onto `out` (an older `out` is moved aside first, then removed)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old.{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _limit_lines(limits) -> list[str]:
    return [
        f"- {unc} in [{row.low:.3g}, {row.high:.3g}] (explored [{row.prior_low:.3g}, {row.prior_high:.3g}])"
        for unc, row in limits.iterrows()
    ]


def _report(df, rob, found, about, settings, seconds) -> str:
    from sim.analysis.compare_value import format_robustness

    lines = [
        "# Exploratory analysis (EMA Workbench)",
        "",
        f"{settings.scenarios} worlds (Latin hypercube over the {settings.ranges} ranges, seed {settings.seed}) x "
        f"{len(settings.policies)} policies, "
        f"{seconds:.0f} s with {settings.processes} process(es).",
        "",
        "## Robustness over the worlds (net value against none; regret = best policy's net value - own)",
        "",
        "```",
        format_robustness(rob, settings.goal),
        "```",
        "",
        "## Scenario discovery (PRIM, CART beside it)",
    ]
    for name, r in found.items():
        lines += ["", f"### {name}: in which worlds {about[name]}?", ""]
        lines.append(f"{r['cases']} of {r['worlds']} worlds are cases of interest.")
        if "note" in r:
            lines.append(r["note"])
            continue
        pe = r["peeled"]
        top = ", ".join(f"{u} {v:.2f}" for u, v in r["feature_scores"].head(settings.prim_dims).items())
        lines.append(f"Extra-trees feature scores, the {settings.prim_dims} PRIM looks at: {top}.")
        lines += ["", f"PRIM's box (base rate {r['base_rate']:.2f}): coverage {pe['coverage']:.2f}, density "]
        lines[-1] += f"{pe['density']:.2f}, {pe['res_dim']:.0f} restricted dimensions:"
        lines += ["", *_limit_lines(r["peeled_limits"])]
        lines += ["", f"Its significant restrictions only (quasi-p <= 0.05): coverage {r['coverage']:.2f}, density "]
        lines[-1] += f"{r['density']:.2f}, mass {r['mass']:.2f} (box {r['prim_box']} on the trajectory):"
        lines += ["", *_limit_lines(r["limits"])]
        dense = r["cart"].sort_values("density", ascending=False).head(3) if len(r["cart"]) else r["cart"]
        lines += ["", "CART's densest leaves:", ""]
        for _, leaf in dense.iterrows():
            lines.append(
                f"- {leaf['rule']}: coverage {leaf.get('coverage', float('nan')):.2f}, "
                f"density {leaf.get('density', float('nan')):.2f}"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
