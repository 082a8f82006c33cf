"""A posterior sample written, and turned into a config file; reading and drawing live in sim/config/posterior.py
(a run applies a draw while its config is built), re-exported here for the calibration commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from sim.config import freeparams
from sim.config.errors import ConfigError
from sim.config.posterior import DATA, DRAW_SEED, MEDIAN, Posterior, apply_to_run, load, resolve_path
from sim.run.files import csv_bytes, json_bytes, write_atomic

__all__ = [
    "DATA",
    "DRAW_SEED",
    "IDENTIFIED",
    "MEDIAN",
    "Posterior",
    "apply_to_run",
    "check_installable",
    "check_name",
    "load",
    "load_sbc",
    "not_identified",
    "posterior_yaml",
    "resolve_path",
    "write",
]

IDENTIFIED = 0.1  # assumption: a parameter whose posterior variance is within 10 % of its prior's was not identified


def not_identified(summary: pd.DataFrame) -> list[str]:
    """The parameters the record did not identify: variance shrinkage below IDENTIFIED (they keep their prior)."""
    return [str(r.parameter) for r in summary.itertuples() if r.shrinkage_var < IDENTIFIED]


def load_sbc(name: str) -> dict | None:
    """The simulation-based calibration shipped beside posterior `name` (sim/data/sbc_<name>.json, written by
    experiments/sbc.py --install), or None."""
    path = Path(str(DATA / f"sbc_{name}.json"))
    return json.loads(path.read_text()) if path.exists() else None


def write(post: Posterior, path: Path) -> Path:
    """Write the sample CSV and its JSON sidecar atomically."""
    path = Path(path)
    write_atomic(path, csv_bytes(post.samples))
    write_atomic(path.with_suffix(".json"), json_bytes(post.meta))
    return path


def posterior_yaml(post: Posterior, name: str, source: str, use: str = "") -> str:
    """A `# @package _global_` config setting every free parameter to its posterior median (`+posterior=<name>`).

    `use` is the command line that finds it (default `exodus +posterior=<name>`: installed in conf/posterior/)."""
    lines = [
        "# @package _global_",
        f"# Posterior medians of the free parameters (sim/config/freeparams.py), from {source}.",
        f"# Use: {use or f'exodus +posterior={name}'}     (written by exodus-calibrate; edit by re-running it)",
        "# For one posterior draw instead of the median: exodus posterior_file=<csv or name> posterior_draw=K",
        "free:",
    ]
    for n, v in post.median().items():
        lines.append(f"  {n}: {float(v):.6g}  # {freeparams.BY_NAME[n].doc}")
    return "\n".join(lines) + "\n"


NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def check_name(name: str, option: str = "--name") -> str:
    """A posterior's name is a name (it becomes posterior_<name>.csv and posterior/<name>.yaml), never a path."""
    if not NAME.fullmatch(str(name)):
        raise ConfigError(option, name, "a name of letters, digits, _ and - (no path, no '.'), e.g. xai or mylab")
    return name


def check_installable(post: Posterior, where: str) -> None:
    """Before anything is replaced: a posterior to ship sets every free parameter and says how it was made."""
    missing = [n for n in freeparams.NAMES if n not in post.names]
    if missing:
        raise ConfigError("--install", where, f"a posterior of every free parameter (missing: {', '.join(missing)})")
    if not post.meta.get("settings"):
        raise ConfigError("--install", where, "a posterior with its JSON sidecar of how it was made (settings)")
