"""Sweep benchmark: every policy x 100 seeds (1,000 runs) through the joblib launcher, as one command.

    .venv/bin/python -m benchmarks.bench_sweep                    # 10 policies x 100 seeds on 2 workers
    .venv/bin/python -m benchmarks.bench_sweep --replicates 5     # a 50-run look
    .venv/bin/python -m benchmarks.bench_sweep --out DIR --compare

Runs `exodus -m study=bench_sweep policy=<the policies of conf/experiment/policy_comparison.yaml>
seed=0 replicates=N hydra.launcher.n_jobs=J` in a subprocess (the `exodus` script beside this
Python), writing into a fresh temporary folder (or --out). Each policy is one Hydra job running N
seeds (`replicates`), so Hydra composes 10 configs, not 10 x N. Prints the machine's cores and load,
the wall time, runs per second and seconds per run per worker, and how many complete run folders
`sim.sweep.find_runs` finds (fewer than the runs means the sweep is broken). With --compare, also
times `exodus-compare --no-plots` on the result. Not a test: it asserts nothing on time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks import load_average
from sim.analysis.sweep import find_runs
from sim.config.compose import CONF_DIR

STUDY = "bench_sweep"


def policies() -> list[str]:
    """The policies of the policy_comparison experiment, in its order."""
    conf = yaml.safe_load((CONF_DIR / "experiment" / "policy_comparison.yaml").read_text())
    return [p.strip() for p in str(conf["hydra"]["sweeper"]["params"]["policy"]).split(",")]


def timed(cmd: list[str], log: Path, cwd: Path) -> tuple[float, int]:
    """Run `cmd` with its output in `log`; wall time and exit code."""
    env = {k: v for k, v in os.environ.items() if k not in ("EXODUS_DEBUG", "HYDRA_FULL_ERROR")}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per worker
    with log.open("w") as fh:
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - start
    if code:
        print(f"  exit code {code}; the last lines of {log}:")
        print("".join(f"    {line}" for line in log.read_text().splitlines(keepends=True)[-15:]))
    return wall, code


def bench(out: Path, replicates: int, jobs: int, compare: bool) -> None:
    bin_dir = Path(sys.executable).parent
    names = policies()
    runs = len(names) * replicates
    sweep = out / STUDY
    cmd = [
        str(bin_dir / "exodus"),
        "-m",
        f"study={STUDY}",
        f"policy={','.join(names)}",
        "seed=0",
        f"replicates={replicates}",
        f"hydra.launcher.n_jobs={jobs}",
        f"hydra.sweep.dir={sweep}",
    ]
    if sweep.exists() and any(sweep.iterdir()):
        print(f"note: {sweep} already holds runs: complete ones are skipped (resume) and not timed")
    print(f"cores: {os.cpu_count()}  load average (1, 5, 15 min) before: {load_average()}")
    print(f"sweep: {len(names)} policies x {replicates} seeds = {runs} runs in {len(names)} jobs, {jobs} workers")
    print("  " + " ".join(cmd))
    wall, _ = timed(cmd, out / "exodus.log", out)
    complete, incomplete = find_runs(sweep) if sweep.exists() else ([], [])
    print(f"wall time: {wall:.1f} s  runs: {runs}  runs/s: {runs / wall:.2f}  s/run/worker: {wall * jobs / runs:.3f}")
    print(f"complete run folders (sim.sweep.find_runs): {len(complete)} of {runs}, {len(incomplete)} not complete")
    if compare:
        cmd = [str(bin_dir / "exodus-compare"), str(sweep), "--no-plots"]
        wall, _ = timed(cmd, out / "compare.log", out)
        print(f"exodus-compare --no-plots: {wall:.1f} s  ({runs / wall:.0f} runs/s)")
    print(f"load average after: {load_average()}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicates", type=int, default=100, help="seeds per policy, one Hydra job each (default 100)")
    ap.add_argument("--jobs", type=int, default=2, help="joblib workers, hydra.launcher.n_jobs (default 2)")
    ap.add_argument("--out", metavar="DIR", help="write the sweep into DIR/bench_sweep (default: a temporary folder)")
    ap.add_argument("--compare", action="store_true", help="also time exodus-compare --no-plots on the result")
    args = ap.parse_args(argv)
    if args.out:
        out = Path(args.out).resolve()
        out.mkdir(parents=True, exist_ok=True)
        bench(out, args.replicates, args.jobs, args.compare)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
            bench(Path(tmp), args.replicates, args.jobs, args.compare)


if __name__ == "__main__":
    main()
