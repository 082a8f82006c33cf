"""A posterior sample written, and turned into a config file; reading and drawing live in sim/config/posterior.py
(a run applies a draw while its config is built), re-exported here for the calibration commands."""

from __future__ import annotations

from pathlib import Path

from sim.config import freeparams
from sim.config.posterior import DATA, DRAW_SEED, MEDIAN, Posterior, apply_to_run, load, resolve_path
from sim.run.files import csv_bytes, json_bytes, write_atomic

__all__ = [
    "DATA",
    "DRAW_SEED",
    "MEDIAN",
    "Posterior",
    "apply_to_run",
    "load",
    "posterior_yaml",
    "resolve_path",
    "write",
]


def write(post: Posterior, path: Path) -> Path:
    """Write the sample CSV and its JSON sidecar atomically."""
    path = Path(path)
    write_atomic(path, csv_bytes(post.samples))
    write_atomic(path.with_suffix(".json"), json_bytes(post.meta))
    return path


def posterior_yaml(post: Posterior, name: str, source: str) -> str:
    """A `# @package _global_` config setting every free parameter to its posterior median (`+posterior=<name>`)."""
    lines = [
        "# @package _global_",
        f"# Posterior medians of the free parameters (sim/config/freeparams.py), from {source}.",
        f"# Use: exodus +posterior={name}     (written by exodus-calibrate; edit by re-running it)",
        "# For one posterior draw instead of the median: exodus posterior_file=<csv or name> posterior_draw=K",
        "free:",
    ]
    for n, v in post.median().items():
        lines.append(f"  {n}: {float(v):.6g}  # {freeparams.BY_NAME[n].doc}")
    return "\n".join(lines) + "\n"
