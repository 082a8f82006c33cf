"""Where a simulated year's time goes, and the part of it that is not this model's code.

    .venv/bin/python -m benchmarks.bench_floor                 # 1,200 and 120,000 staff
    .venv/bin/python -m benchmarks.bench_floor --sizes 1200    # one size

For each size: one warm-up run, timed runs of the fast model (numba), and the same runs again
with a stopwatch on each part of the day (the compiled daily pass, offers, departures, hiring,
the end of the day, Mesa's agent registration and removal). Then the year's fixed costs measured
apart from the model: registering and removing as many bare Mesa agents as the runs did, Mesa's
event loop stepping a model with an empty `step` through the window, and one call of the compiled
pass on no one (argument packing and numba's dispatch). Those fixed costs plus the compiled pass
are a floor that no rearrangement of the Python event code goes below.
Not a test: it asserts nothing on time.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per run, as in a sweep

import argparse  # noqa: E402
import collections  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import mesa  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks import load_average  # noqa: E402
from benchmarks.bench_speed import params_for  # noqa: E402
from sim.model import kernel  # noqa: E402
from sim.model.agents import Employee  # noqa: E402
from sim.model.components.leaving import Leaving  # noqa: E402
from sim.model.components.poaching import Poaching  # noqa: E402
from sim.model.components.staffing import Staffing  # noqa: E402
from sim.model.lab import AttritionModel  # noqa: E402
from sim.schema import COL  # noqa: E402

PARTS = {  # label -> (owner, attribute); nested parts are also counted in their callers
    "compiled daily pass": (kernel, "advance_clocks"),
    "offers (incl. their departures)": (Poaching, "offers"),
    "departures": (Leaving, "depart"),
    "hiring (incl. new agents)": (Staffing, "step"),
    "end of day (announcements, record)": (kernel, "close_day"),
    "Mesa: Employee created": (Employee, "__init__"),
    "Mesa: Employee removed": (Employee, "remove"),
}


@contextlib.contextmanager
def stopwatches(totals: collections.Counter):
    """Time every call of the parts in PARTS into `totals` (outermost call only); put the originals back after."""
    saved, depth = [], collections.Counter()

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            depth[label] += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[label] -= 1
                if not depth[label]:
                    totals[label] += time.perf_counter() - start

        return wrapper

    try:
        for label, (owner, name) in PARTS.items():
            saved.append((owner, name, vars(owner).get(name)))  # None: inherited, so delete the patch after
            setattr(owner, name, timed(label, getattr(owner, name)))
        yield
    finally:
        for owner, name, own in reversed(saved):
            if own is None:
                delattr(owner, name)
            else:
                setattr(owner, name, own)


class Bare(mesa.Model):
    """A Mesa model whose step does nothing: Mesa's own cost of stepping through the days."""

    def step(self) -> None:
        pass


def mesa_agents_s(created: int, removed: int) -> float:
    """Registering `created` bare Mesa agents and removing `removed` of them."""
    model = Bare(rng=0)
    gc.collect()  # not a collection of earlier runs' garbage
    start = time.perf_counter()
    agents = [mesa.Agent(model) for _ in range(created)]
    for agent in agents[:removed]:
        agent.remove()
    return time.perf_counter() - start


def mesa_steps_s(days: int) -> float:
    model = Bare(rng=0)
    gc.collect()
    start = time.perf_counter()
    for _ in range(days):
        model.step()
    return time.perf_counter() - start


def call_s(params, calls: int = 2000) -> float:
    """One call of the compiled pass on no one: packing its named arguments and numba's dispatch."""
    model = AttritionModel(params, seed=0)
    model.step()
    start = time.perf_counter()
    for _ in range(calls):
        model._advance_clocks(0, 0)
    return (time.perf_counter() - start) / calls


def profile(size: int, runs: int) -> None:
    params = params_for(size)
    AttritionModel(params, seed=1000).run()  # compile, warm caches
    walls, parts, counts = [], collections.Counter(), collections.Counter()
    for seed in range(runs):  # wall time without stopwatches
        gc.collect()  # as bench_speed does before each timed run
        start = time.perf_counter()
        model = AttritionModel(params, seed=seed).run()
        walls.append(time.perf_counter() - start)
        wf = model.workforce
        hires_before = np.concatenate([[0], np.cumsum(model._daily_table[:-1, COL["hires"]])])
        counts["slot_days"] += float((size + hires_before).sum())  # the pass visits every slot filled so far
        counts["created"] += wf.n
        counts["removed"] += int((~wf.active[: wf.n]).sum())
    with stopwatches(parts):
        for seed in range(runs):
            AttritionModel(params, seed=seed).run()
    wall, days = statistics.median(walls), model.days
    slot_days, created, removed = (counts[k] / runs for k in ("slot_days", "created", "removed"))
    print(f"\n{size:,} staff, one year, median {wall * 1e3:.1f} ms over {runs} runs")
    print("  parts, mean per run with stopwatches on (a part's time includes the parts it calls):")
    for label in PARTS:
        print(f"    {label:34s} {parts[label] / runs * 1e3:9.1f} ms")
    compiled = parts["compiled daily pass"] / runs
    agents = mesa_agents_s(round(created), round(removed))
    loop = mesa_steps_s(days)
    call = call_s(params) * days
    print(f"  fixed costs measured apart ({created:,.0f} agents created, {removed:,.0f} removed, {days} days):")
    print(f"    Mesa agent registration and removal  {agents * 1e3:9.1f} ms")
    print(f"    Mesa stepping an empty model         {loop * 1e3:9.1f} ms")
    print(f"    calling the daily pass on no one     {call * 1e3:9.1f} ms  (packing and dispatch, inside the pass)")
    print(f"    compiled pass per slot-day           {(compiled - call) / slot_days * 1e9:9.1f} ns")
    floor = agents + loop + compiled
    print(f"  floor (Mesa agents + Mesa stepping + compiled pass): {floor * 1e3:.1f} ms")
    print(f"  the rest (Python event code, numpy calls, construction): {(wall - floor) * 1e3:.1f} ms")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1200,120000", help="comma list of headcounts")
    ap.add_argument("--runs", type=int, default=0, help="timed runs per size (default 9 below 10,000 staff, else 2)")
    args = ap.parse_args(argv)
    print(f"cores: {os.cpu_count()}  load average (1, 5, 15 min): {load_average()}")
    for size in map(int, args.sizes.split(",")):
        profile(size, args.runs or (9 if size < 10_000 else 2))


if __name__ == "__main__":
    main()
