"""`exodus-calibrate` and `exodus-sensitivity`: command-line entry points of calibration and sensitivity analysis.

Both take Hydra overrides of the scenario (e.g. `company.headcount=800 events=none`) after
their own options, composed exactly as `exodus` would.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path

from sim.cli.guard import check_outside_package
from sim.config.params import ConfigError
from sim.data.observed import DataError

EXTRA = "pip install -e '.[calibrate]'"
PRESETS = {
    # ABC-SMC, a few minutes on 2 cores at ~0.2 s per simulation to 12 Feb 2026
    "quick": {"method": "abc-smc", "population": 60, "generations": 4, "max_simulations": 2000,
              "min_acceptance": 0.02, "draws": 60},
    # the shipped posterior (sim/data/posterior_xai.csv): exodus-calibrate --preset full --install. Regression ABC on
    # one table of prior simulations, with its own SBC on 100 held-out rows (sim/calibration/regression.py: chosen
    # over ABC-SMC by the effective sample size and because its SBC is affordable); within 10 minutes on 2 cores
    "full": {"method": "regression", "table": 4000, "accept": 0.5, "sbc_records": 300, "draws": 120},
    # ABC-SMC at the budget of the full preset, for comparison: more generations, each lowering the threshold less
    # (the 0.6 quantile of the last distances), a tenth of the proposals from the prior (importance weights bounded
    # by 10), under a wall-time budget
    "full-smc": {
        "method": "abc-smc",
        "population": 200,
        "generations": 12,
        "max_simulations": 20000,
        "min_acceptance": 0.02,
        "draws": 120,
        "max_minutes": 6.0,
        "eps_quantile": 0.6,
        "prior_share": 0.1,
    },
}  # fmt: skip
METHODS = ("abc-smc", "regression")
SMC_KEYS = ("population", "generations", "max_simulations", "min_acceptance", "max_minutes", "eps_quantile",
            "prior_share")  # fmt: skip
REGRESSION_KEYS = ("table", "accept", "sbc_records")


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that worker pools are stopped on the way out, not orphaned."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _fail(prog: str, message: str, code: int = 2):
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _need(prog: str, module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        _fail(prog, f"{module} is not installed: it comes with the calibrate extra ({EXTRA})")


def _scenario(overrides: list[str]):
    from sim.config.compose import check, compose, scenario_only

    return check(compose(scenario_only(overrides)))


def _fit_settings(post) -> dict:
    """The settings that decide a posterior (the number of processes and a cluster address do not)."""
    return {k: v for k, v in post.meta.get("settings", {}).items() if k not in ("procs", "address")}


def _same_posterior(a, b) -> bool:
    return list(a.samples.columns) == list(b.samples.columns) and a.samples.equals(b.samples)


def calibrate_parser() -> argparse.ArgumentParser:
    from sim.config import freeparams

    p = argparse.ArgumentParser(
        prog="exodus-calibrate",
        description="Fit the free parameters to the observed record by regression ABC on a table of prior "
        "simulations (with its simulation-based calibration) or by ABC-SMC (pyabc); write the posterior, a fit "
        "report and a posterior config.",
    )
    p.add_argument("--preset", choices=sorted(PRESETS), default="quick", help="method and budget (default: quick)")
    p.add_argument("--method", choices=METHODS, help="regression: one table of prior runs; abc-smc: pyabc")
    p.add_argument("--table", type=int, help="regression: prior simulations in the table")
    p.add_argument("--accept", type=float, help="regression: share of the table kept (the nearest)")
    p.add_argument("--sbc-records", type=int, help="regression: table rows held out for SBC (0: none)")
    p.add_argument("--population", type=int, help="particles per generation")
    p.add_argument("--generations", type=int, help="most generations")
    p.add_argument("--max-simulations", type=int, help="stop after this many simulations in all")
    p.add_argument("--min-acceptance", type=float, help="stop when a generation's acceptance rate falls below")
    p.add_argument("--max-minutes", type=float, help="start no ABC generation after this many minutes (0: no limit)")
    p.add_argument("--eps-quantile", type=float, help="each ABC threshold: this quantile of the last distances")
    p.add_argument("--prior-share", type=float, help="share of ABC proposals drawn from the prior (defensive mixture)")
    p.add_argument("--draws", type=int, help="posterior predictive runs in the fit report")
    p.add_argument("--seed", type=int, default=0, help="root seed: the same seed gives the same posterior")
    p.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="local worker processes")
    p.add_argument("--params", default=",".join(freeparams.NAMES), help="free parameters to fit (comma-separated)")
    p.add_argument(
        "--sampler",
        default="seeded",
        choices=("seeded", "multicore", "dask", "redis"),
        help="seeded: reproducible local pool (default); multicore: pyabc's MulticoreEvalParallelSampler; "
        "dask: DaskDistributedSampler (--address scheduler, else a local cluster); redis: RedisEvalParallelSampler "
        "(--address host:port; start workers with abc-redis-worker)",
    )
    p.add_argument("--address", default="", help="dask scheduler address or redis host:port")
    p.add_argument("--out", default="results/calibration", help="output folder (default: results/calibration)")
    p.add_argument("--name", default="xai", help="name of the posterior config (default: xai)")
    p.add_argument(
        "--install",
        action="store_true",
        help="also ship the result: sim/data/posterior_<name>.csv and conf/posterior/<name>.yaml",
    )
    p.add_argument(
        "--posterior",
        default="",
        help="skip ABC: write the fit report of this posterior (a name such as xai, or a CSV path); needs no pyabc",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    add_observed_option(p)
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario, e.g. company.headcount=800")
    return p


def add_observed_option(p: argparse.ArgumentParser) -> None:
    """The `--observed DIR` option shared by the commands that compare with the record."""
    p.add_argument(
        "--observed",
        metavar="DIR",
        default="",
        help="a folder of observed-data CSVs in the shipped schema (departures.csv; optional founders.csv, "
        "headcount.csv, counts.csv) to use instead of the shipped record (sim/data)",
    )


def _abc(args, run, preset: dict, record=None):
    """Run the preset's method with the command line's settings; the Calibration."""
    _need("exodus-calibrate", "pyabc")
    logging.getLogger("ABC").setLevel(logging.WARNING)
    from sim.calibration import abcsmc as calibrate

    method = preset.pop("method")
    if method == "regression":
        return _regression(args, run, {k: v for k, v in preset.items() if k in REGRESSION_KEYS}, record)
    preset = {k: v for k, v in preset.items() if k in SMC_KEYS}
    settings = calibrate.cli_settings(args, preset, sampler=args.sampler, address=args.address)
    print(
        f"[exodus-calibrate] ABC-SMC of {', '.join(settings.params)}: population {settings.population}, "
        f"up to {settings.generations} generations, {settings.procs} process(es), seed {settings.seed}"
    )
    fit = calibrate.run_abc(run, settings, db_dir=Path(args.out), record=record)
    fit.posterior.meta["overrides"] = list(args.overrides)
    return fit


def _regression(args, run, preset: dict, record=None):
    from sim.calibration import regression

    params = tuple(x.strip() for x in args.params.split(",") if x.strip())
    settings = regression.Settings(
        params=params, seed=args.seed, procs=args.procs, progress=not args.no_progress, **preset
    ).check()
    print(
        f"[exodus-calibrate] regression ABC of {', '.join(settings.params)}: a table of {settings.table} prior runs, "
        f"the nearest {settings.accept:.1%} kept, SBC on {settings.sbc_records} held-out rows; {settings.procs} "
        f"process(es), seed {settings.seed}"
    )
    fit = regression.run_regression(run, settings, record=record)
    fit.posterior.meta["overrides"] = list(args.overrides)
    return fit


def calibrate_main(argv: list[str] | None = None) -> None:
    from sim.calibration.ess import ess_lines

    prog = "exodus-calibrate"
    args = calibrate_parser().parse_args(argv)
    _stop_on_sigterm()
    from sim.calibration import posterior, predictive
    from sim.calibration.fitreport import write_report
    from sim.config.compose import CONF_DIR
    from sim.data import record as records
    from sim.model.version import model_fingerprint
    from sim.run.files import csv_bytes, write_atomic

    preset = dict(PRESETS[args.preset])
    for key in ("method", *SMC_KEYS, *REGRESSION_KEYS, "draws"):
        if getattr(args, key) is not None:
            preset[key] = getattr(args, key)
    draws = int(preset.pop("draws"))
    out = Path(args.out)
    started = time.perf_counter()
    try:
        posterior.check_name(args.name)
        check_outside_package("--out", out)
        if args.install:
            _check_install(args)
        if draws < 1:
            raise ConfigError("draws", draws, "an integer >= 1")
        run = _scenario(args.overrides)
        record = records.load(args.observed) if args.observed else None
        end = record.end.isoformat() if record is not None else targets_end()
        if args.posterior:
            post = posterior.load(args.posterior)
            source = posterior.resolve_path(args.posterior)
            if args.install:
                posterior.check_installable(post, args.posterior)
            print(f"[exodus-calibrate] fit report of {source} (no ABC run)")
        out.mkdir(parents=True, exist_ok=True)
        fit = None
        if not args.posterior:
            fit = _abc(args, run, preset, record)
            post, source = fit.posterior, out / "posterior.csv"
        posterior.write(post, out / "posterior.csv")
        use = use_line(out, args.name, CONF_DIR)
        yaml_text = posterior.posterior_yaml(post, args.name, str(source), use)
        write_atomic(out / "posterior" / f"{args.name}.yaml", yaml_text.encode())
        print(f"[exodus-calibrate] posterior predictive check: {draws} runs of posterior draws to {end} ...")
        pred = predictive.simulate(run, post, draws, args.procs, end, progress=not args.no_progress, record=record)
        print("[exodus-calibrate] writing the fit report and its figures ...")
        diag = post.meta.setdefault("diagnostics", {})
        if fit is not None and fit.sbc is not None:  # the SBC of the estimator that made this posterior
            from sim.calibration import sbc

            sbc.rank_figure(fit.sbc, out / "sbc.png")
            write_atomic(out / "sbc_ranks.csv", csv_bytes(fit.sbc.ranks))
        elif not diag.get("sbc"):
            diag["sbc"] = posterior.load_sbc(args.name) if record is None else None
        numbers = write_report(post, pred, run, out, record)
        keys = ("ess", "stop_reason", "shrinkage", "not_identified", "not_reproduced", "predictive_p")
        diag.update({k: numbers[k] for k in keys})
        posterior.write(post, out / "posterior.csv")  # the JSON beside it now holds the diagnostics
    except (ConfigError, DataError) as exc:
        _fail(prog, str(exc))
    summ = post.summary(0.9)
    runs = (
        f"no ABC run; it was made by {post.meta.get('simulations')}" if args.posterior else post.meta.get("simulations")
    )
    print(f"[exodus-calibrate] done in {time.perf_counter() - started:.0f} s ({runs} ABC runs)")
    print("\n".join(ess_lines(post.weights)))
    for _, r in summ.iterrows():
        print(
            f"  {r.parameter:15s} median {r['median']:.4g}  90 % [{r.lo:.4g}, {r.hi:.4g}]  "
            f"shrinkage {r.shrinkage_var:.2f}"
        )
    print(f"  ABC: effective sample size {numbers['ess']:.0f} of {len(post.samples)}; {numbers['stop_reason']}")
    sbc_summary = post.meta.get("diagnostics", {}).get("sbc")
    if sbc_summary:
        c50, c90 = ([v[k] for v in sbc_summary["parameters"].values()] for k in ("coverage_50", "coverage_90"))
        print(
            f"  SBC ({sbc_summary['records']} synthetic records): 50 % intervals held the truth "
            f"{min(c50):.2f}-{max(c50):.2f} of the time, 90 % intervals {min(c90):.2f}-{max(c90):.2f}"
        )
    if post.meta.get("outside_the_table"):
        print(f"  the record lies outside the kept simulations in: {', '.join(post.meta['outside_the_table'])} "
              "(not regressed on)")  # fmt: skip
    print(f"  not identified by the record: {', '.join(numbers['not_identified']) or 'none'}")
    print(f"  statistics the model cannot reproduce: {', '.join(numbers['not_reproduced']) or 'none'}")
    c = numbers["coverage"]
    print(f"  predictive: {c['covered_90']}/{c['days']} observed days in the 90 % band, {c['covered_50']} in the 50 %")
    shipped = posterior.resolve_path(args.name)
    if not args.posterior and shipped.exists() and not args.install:
        old = posterior.load(shipped)
        if _fit_settings(old) == _fit_settings(post):
            print(f"  same as the shipped posterior {shipped}: {'yes' if _same_posterior(post, old) else 'no'}")
        else:
            print(f"  (the shipped posterior {shipped.name} was made with other settings: {old.meta.get('settings')})")
        if old.meta.get("model_fingerprint") != post.meta.get("model_fingerprint"):
            print("  (the shipped posterior was fitted to another version of the model: ship this one with --install)")
    elif args.posterior and post.meta.get("model_fingerprint") != model_fingerprint():
        print("  warning: this posterior was fitted to another version of the model (fit it again: exodus-calibrate)")
    if args.install:
        posterior.write(post, shipped)
        conf = CONF_DIR / "posterior" / f"{args.name}.yaml"
        made = f"sim/data/{shipped.name}, made by: exodus-calibrate --preset {args.preset} --seed {args.seed}"
        write_atomic(conf, posterior.posterior_yaml(post, args.name, made).encode())
        print(f"  installed: {shipped} and {conf} (exodus +posterior={args.name})")
    copy = f" (a copy of {source})" if args.posterior else ""
    print(
        f"[exodus-calibrate] wrote {out}/: posterior.csv{copy}, fit_report.md, fit.png, posterior.png, "
        f"posterior/{args.name}.yaml (its medians)"
    )
    print(f"  use: {use}   or one draw: exodus posterior_file={(out / 'posterior.csv').resolve()} posterior_draw=K")


def use_line(out: Path, name: str, conf_dir: Path) -> str:
    """The command line that runs at the medians of the posterior written in `out`: its config found on a search
    path, or (a name conf/posterior/ already holds, which would win the search) its CSV, whose default is the median."""
    if (Path(conf_dir) / "posterior" / f"{name}.yaml").exists():
        return f"exodus posterior_file={(out / 'posterior.csv').resolve()}"
    return f"exodus 'hydra.searchpath=[file://{out.resolve()}]' +posterior={name}"


def _check_install(args) -> None:
    """Refuse `--install` before any work when it could not ship a complete posterior where exodus may write."""
    from sim.calibration import posterior
    from sim.config import freeparams
    from sim.config.compose import CONF_DIR

    if not args.posterior:
        names = [x.strip() for x in args.params.split(",") if x.strip()]
        missing = [n for n in freeparams.NAMES if n not in names]
        if missing:
            raise ConfigError("--params", args.params, f"every free parameter with --install (missing: {missing[0]})")
    for target in (posterior.resolve_path(args.name), CONF_DIR / "posterior" / f"{args.name}.yaml"):
        parts = Path(target).resolve().parts
        if "site-packages" in parts or "dist-packages" in parts:
            raise ConfigError(
                "--install",
                str(target),
                "a source checkout (pip install -e .): exodus never writes into an installed package; use the "
                "files it writes in --out instead (the 'use:' line it prints)",
            )


def targets_end() -> str:
    from sim.calibration.targets import END

    return END.isoformat()


def sensitivity_parser() -> argparse.ArgumentParser:
    from sim.calibration import sensitivity
    from sim.config import freeparams

    p = argparse.ArgumentParser(
        prog="exodus-sensitivity",
        description="Global sensitivity (SALib) of a headline outcome to the free parameters over their priors, "
        "with the replication seed as one more factor so that run-to-run noise is measured, not hidden.",
    )
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    p.add_argument("--n", type=int, default=64, help="base sample size (sobol: N*(D+2) runs; morris: N*(D+1))")
    p.add_argument("--outcome", default="departures", choices=sensitivity.OUTCOMES)
    p.add_argument("--params", default=",".join(freeparams.NAMES), help="free parameters (comma-separated)")
    p.add_argument("--seed", type=int, default=0, help="seed of the design and of the replication seeds")
    p.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--out", default="results/sensitivity")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario")
    return p


def sensitivity_main(argv: list[str] | None = None) -> None:
    prog = "exodus-sensitivity"
    _need(prog, "SALib")
    args = sensitivity_parser().parse_args(argv)
    _stop_on_sigterm()
    from sim.calibration import sensitivity

    try:
        check_outside_package("--out", args.out)
        run = _scenario(args.overrides)
        names = tuple(x.strip() for x in args.params.split(",") if x.strip())
        started = time.perf_counter()
        res = sensitivity.analyse(
            run, names, args.method, args.n, args.outcome, args.seed, args.procs, progress=not args.no_progress
        )
        sensitivity.write(res, Path(args.out))
    except (ConfigError, DataError) as exc:
        _fail(prog, str(exc))
    print(f"[exodus-sensitivity] {res.method}: {len(res.outputs)} runs in {time.perf_counter() - started:.0f} s")
    print(res.indices.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"[exodus-sensitivity] wrote {args.out}/: indices.csv, design.csv, sensitivity.png")


if __name__ == "__main__":
    calibrate_main()
