"""Run the model from a config: `simulate(config) -> Result`."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata as md
import json
import platform
from typing import TYPE_CHECKING

from sim.config.load import apply_design_row, as_run_config, read_design
from sim.config.params import RunConfig, as_plain, model_params, validate_run
from sim.model.version import model_fingerprint

if TYPE_CHECKING:  # the model (Mesa, numba) is imported on first use: Hydra's parent process never needs it
    from sim.model.lab import AttritionModel
    from sim.run.results import Result

VERSIONED = ("exodus", "mesa", "numpy", "scipy", "pandas", "hydra-core", "omegaconf", "numba")


@functools.cache
def _package_versions() -> tuple[tuple[str, str], ...]:
    out = [("python", platform.python_version())]
    for name in VERSIONED:
        try:
            out.append((name, md.version(name)))
        except md.PackageNotFoundError:
            out.append((name, "not installed"))
    return tuple(out)


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that decide a run's output: read once per process (importlib.metadata
    costs ~10 ms a call), a new dict each call."""
    return dict(_package_versions())


def config_hash(run: RunConfig, seed: int | None = None) -> str:
    """Fingerprint of the resolved config, seed and model code: a finished run with the same one is skipped."""
    return _hash_resolved(_resolved(run, seed))


def _resolved(run: RunConfig, seed: int | None = None) -> dict:
    """The resolved config of one run as plain data (what summary.json records and the hash covers): its seed,
    and `replicates` = 1 (one run, whichever job of how many seeds it ran in)."""
    resolved = as_plain(run)
    resolved["seed"] = run.seed if seed is None else seed
    resolved["replicates"] = 1
    return resolved


def _hash_resolved(resolved: dict) -> str:
    keyed = {**{k: v for k, v in resolved.items() if k != "observed"}, "_code": model_fingerprint()}  # data: no effect
    return hashlib.sha256(json.dumps(keyed, sort_keys=True, default=str).encode()).hexdigest()[:16]


def replicate(run: RunConfig, seed: int) -> RunConfig:
    """Replicate `seed` of a job as the single run it is (seed=`seed`, replicates=1).

    The nested config is shared, not copied (a deep copy costs ~3 ms a run): a run never changes its config,
    and tests/test_replicates.py checks that a replicate's folder equals that of the seed run alone."""
    return dataclasses.replace(run, seed=seed, replicates=1)


def replicate_seeds(run: RunConfig) -> range:
    """The seeds a job runs: seed, seed+1, ..., seed+replicates-1."""
    return range(run.seed, run.seed + run.replicates)


def build_model(config, seed: int | None = None) -> AttritionModel:
    from sim.model.lab import AttritionModel

    run = as_run_config(config)
    return AttritionModel(model_params(run), seed=run.seed if seed is None else seed)


def simulate(config, seed: int | None = None) -> Result:
    """Run one seed; the summary records the resolved config (as a single run: `replicates` = 1), seed, config hash
    and package versions."""
    from sim.run.world import run_world

    run = as_run_config(config)
    if seed is not None:
        validate_run(dataclasses.replace(run, seed=seed))
    seed = run.seed if seed is None else seed
    result = run_world(run, seed=seed)
    resolved = _resolved(run, seed)
    result.summary = {
        "study": run.study,
        "policy": run.policy.name,
        "seed": seed,
        "window": {"start": run.window.start, "end": run.window.end},
        "figures": result.summary,
        "config": resolved,
        "config_hash": _hash_resolved(resolved),
        "versions": package_versions(),
    }
    return result


__all__ = [
    "apply_design_row",
    "as_run_config",
    "build_model",
    "config_hash",
    "read_design",
    "replicate",
    "replicate_seeds",
    "simulate",
]
