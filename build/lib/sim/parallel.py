"""A local process pool for calibration, predictive runs and sensitivity designs.

`forkserver`, not `fork`: forking a process that already runs threads (pytest, Hydra, dask
imports) can deadlock; the fork server is started clean with the model preloaded, so each
worker starts fast. `imap` keeps the order of the tasks. As with any non-fork start method, a
script that runs these with more than one process needs the `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing

PRELOAD = ["sim.run", "sim.model", "sim.results", "sim.freeparams", "sim.targets"]


def pool(procs: int):
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx.Pool(procs)
