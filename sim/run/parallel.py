"""The one parallel fan-out with progress: `fan_out(fn, tasks, procs)` maps a function over tasks, in order, in this
process or over a local process pool, with a tqdm bar. Calibration, predictive runs, backtests and sensitivity
designs all run their worlds through it.

`forkserver`, not `fork`: forking a process that already runs threads (pytest, Hydra, dask
imports) can deadlock; the fork server is started clean with the model preloaded, so each
worker starts fast. `imap` keeps the order of the tasks. As with any non-fork start method, a
script that runs these with more than one process needs the `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable

from tqdm import tqdm

PRELOAD = [
    "sim.run.world",
    "sim.model.lab",
    "sim.run.results",
    "sim.config.freeparams",
    "sim.calibration.targets",
]


def pool(procs: int):
    """A local process pool of `procs` workers (forkserver, the model preloaded)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx.Pool(procs)


def fan_out(
    fn: Callable,
    tasks: Iterable,
    procs: int = 1,
    *,
    desc: str = "",
    unit: str = "run",
    progress: bool = True,
    chunksize: int = 1,
    total: int | None = None,
    workers=None,
) -> list:
    """[fn(t) for t in tasks], in order, with a progress bar: in this process if `procs` <= 1, else over a new pool
    of `procs` workers (or over `workers`, a pool the caller keeps open across calls). `fn` must be picklable."""
    tasks = list(tasks)
    bar = {"total": len(tasks) if total is None else total, "desc": desc, "unit": unit}
    bar |= {"disable": not progress, "leave": False}
    if workers is not None:
        return list(tqdm(workers.imap(fn, tasks, chunksize=chunksize), **bar))
    if procs > 1:
        with pool(procs) as p:
            return list(tqdm(p.imap(fn, tasks, chunksize=chunksize), **bar))
    return list(tqdm(map(fn, tasks), **bar))
