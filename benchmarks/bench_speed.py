"""Speed benchmark: the fast model against the per-agent reference, and the fast model at scale.

    .venv/bin/python -m benchmarks.bench_speed            # the full benchmark (a few minutes)
    .venv/bin/python -m benchmarks.bench_speed --quick    # fewer runs, smaller reference

Times one simulated year (model construction plus `run()`, not config composition or the
result tables) with every mechanism on (xAI config: shocks, poaching, spin-outs,
observation), in one process: the fast model and the reference at 1,200 staff (policy none
and a bundle), the fast model at 12,000 and 120,000 staff. Prints the median wall time over
several runs, the cost per simulated day, the reference/fast ratio, runs per second on one
core, and peak memory (traced allocations of one extra run, and the process's peak RSS).
Not a test: it asserts nothing on time. The machine's load is printed, as timings depend on it.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per run, as in a sweep

import argparse  # noqa: E402
import gc  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import sim  # noqa: E402
from benchmarks import load_average  # noqa: E402
from sim.config.params import model_params  # noqa: E402
from sim.model.lab import AttritionModel  # noqa: E402
from sim.run.simulate import as_run_config  # noqa: E402
from tests.reference import ReferenceModel  # noqa: E402


def params_for(headcount: int, policy: str = "none"):
    return model_params(as_run_config(sim.compose([f"company.headcount={headcount}", f"policy={policy}"])))


def one_year(cls, params, seed: int, **kwargs) -> float:
    """Wall time of building the model and running its year."""
    gc.collect()
    start = time.perf_counter()
    cls(params, seed=seed, **kwargs).run()
    return time.perf_counter() - start


def traced_peak_mb(cls, params, **kwargs) -> float:
    """Peak of traced allocations (numpy arrays included) during one build-and-run."""
    gc.collect()
    tracemalloc.start()
    cls(params, seed=0, **kwargs).run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def measure(label, cls, params, runs: int, days: int, memory: bool, warm_up: bool = True, **kwargs) -> dict:
    if warm_up:  # imports, caches, compiled kernels
        one_year(cls, params, seed=1000, **kwargs)
    times = [one_year(cls, params, seed=s, **kwargs) for s in range(runs)]
    median = statistics.median(times)
    row = {
        "case": label,
        "runs": runs,
        "median_s": median,
        "min_s": min(times),
        "per_day_us": median / days * 1e6,
        "runs_per_s_per_core": 1.0 / median,
        "traced_peak_mb": traced_peak_mb(cls, params, **kwargs) if memory else float("nan"),
    }
    print(
        f"{label:42s} {runs:4d} {median * 1e3:11.1f} {min(times) * 1e3:9.1f} {row['per_day_us']:10.1f} "
        f"{row['runs_per_s_per_core']:8.2f} {row['traced_peak_mb']:9.1f}",
        flush=True,
    )
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=9, help="timed runs per case at 1,200 staff")
    ap.add_argument("--ref-runs", type=int, default=3, help="timed runs of the reference")
    ap.add_argument("--big-runs", type=int, default=3, help="timed runs at 12,000 and 120,000 staff")
    ap.add_argument("--quick", action="store_true", help="3 runs, reference once, 12,000 staff only")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.ref_runs, args.big_runs = 3, 1, 1

    print(f"cores: {os.cpu_count()}  load average (1, 5, 15 min): {load_average()}")
    print("one simulated year = build + run, every mechanism on\n")
    print(f"{'case':42s} {'runs':>4s} {'median ms':>11s} {'min ms':>9s} {'us/day':>10s} {'runs/s':>8s} {'peak MB':>9s}")

    small = {p: params_for(1200, p) for p in ("none", "bundle_pay")}
    days = AttritionModel(small["none"]).days
    fast = {}
    for policy, params in small.items():
        fast[policy] = measure(f"fast 1,200 staff, policy {policy}", AttritionModel, params, args.runs, days, True)
    ref = {}
    for policy, params in small.items():
        ref[policy] = measure(
            f"reference 1,200 staff, policy {policy}", ReferenceModel, params, args.ref_runs, days, False, False
        )
    sizes = (12_000,) if args.quick else (12_000, 120_000)
    for size in sizes:
        params = params_for(size)
        measure(f"fast {size:,} staff, policy none", AttritionModel, params, args.big_runs, days, True, False)

    print("\nreference / fast (median wall time, same process):")
    for policy, row in fast.items():
        print(f"  policy {policy:10s}: {ref[policy]['median_s'] / row['median_s']:7.1f} x")
    print(f"\nprocess peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
