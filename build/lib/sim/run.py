"""Run the model from a config: `simulate(config) -> Result`."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata as md
import json
import platform
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from . import leverpriors, posterior
from .io import source_fingerprint
from .params import (
    ConfigError,
    LeverConfig,
    ModelParams,
    RunConfig,
    as_plain,
    from_mapping,
    model_params,
    set_path,
    validate_run,
)

if TYPE_CHECKING:  # the model (Mesa, numba) is imported on first use: Hydra's parent process never needs it
    from .model import AttritionModel
    from .results import Result

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


SIMULATING_MODULES = (
    "agents",
    "equations",
    "kernel",
    "leverpriors",
    "model",
    "params",
    "policies",
    "results",
    "run",
    "shocks",
    "workforce",
)


@functools.cache
def code_fingerprint() -> str:
    """A hash of the modules that decide a run's output, so a resumed sweep reruns after a model change."""
    return source_fingerprint(SIMULATING_MODULES)


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
    keyed = {**resolved, "_code": code_fingerprint()}
    return hashlib.sha256(json.dumps(keyed, sort_keys=True, default=str).encode()).hexdigest()[:16]


def replicate(run: RunConfig, seed: int) -> RunConfig:
    """Replicate `seed` of a job as the single run it is (seed=`seed`, replicates=1).

    The nested config is shared, not copied (a deep copy costs ~3 ms a run): a run never changes its config,
    and tests/test_replicates.py checks that a replicate's folder equals that of the seed run alone."""
    return dataclasses.replace(run, seed=seed, replicates=1)


def replicate_seeds(run: RunConfig) -> range:
    """The seeds a job runs: seed, seed+1, ..., seed+replicates-1."""
    return range(run.seed, run.seed + run.replicates)


def as_run_config(config) -> RunConfig:
    """Accept a RunConfig, ModelParams, OmegaConf config or plain mapping."""
    if isinstance(config, RunConfig):
        return config
    if isinstance(config, ModelParams):
        return RunConfig(**{f.name: getattr(config, f.name) for f in dataclasses.fields(ModelParams)})
    if not isinstance(config, Mapping):
        try:
            from omegaconf import OmegaConf

            config = OmegaConf.to_container(config, resolve=True)
        except Exception as exc:  # not an OmegaConf object either
            raise TypeError(f"cannot read a config from {type(config).__name__}") from exc
    config = {k: v for k, v in dict(config).items() if k != "hydra"}
    run = validate_run(apply_design_row(from_mapping(RunConfig, config)))  # a design row may set any field
    # the lever library as LeverConfig (OmegaConf hands over DictConfigs, which summary.json would record as text)
    run.lever = {
        k: v if isinstance(v, LeverConfig) else from_mapping(LeverConfig, v, f"lever.{k}") for k, v in run.lever.items()
    }
    run = posterior.apply_to_run(run)  # posterior draw and free parameters
    return leverpriors.apply_to_run(run)  # lever effect sizes drawn from their priors (lever_draw >= 0)


def apply_design_row(run: RunConfig) -> RunConfig:
    """Apply row `design.row` of the table `design.file` to the run.

    Columns are dotted config paths, `free.NAME` for a free parameter (sim/freeparams.py),
    or `seed`; columns starting with `_` are ignored.
    """
    if not run.design.file:
        return run
    table = read_design(run.design.file)
    if not 0 <= run.design.row < len(table):
        raise ConfigError("design.row", run.design.row, f"a row index in 0..{len(table) - 1} of {run.design.file}")
    for column, value in table.iloc[run.design.row].items():
        column = str(column)
        if column == "seed":
            run.seed = int(value)
        elif column.startswith("free."):
            run.free[column.removeprefix("free.")] = float(value)
        elif not column.startswith("_"):
            set_path(run, column, value)
    return run


def read_design(path: str) -> pd.DataFrame:
    """A design table read as data (CSV), refused with the file and reason if unreadable."""
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise ConfigError("design.file", path, "an existing CSV file of parameter sets") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ConfigError("design.file", path, f"a readable CSV file ({exc})") from None
    if table.empty:
        raise ConfigError("design.file", path, "a CSV file with at least one row")
    return table


def build_model(config, seed: int | None = None) -> AttritionModel:
    from .model import AttritionModel

    run = as_run_config(config)
    return AttritionModel(model_params(run), seed=run.seed if seed is None else seed)


def simulate(config, seed: int | None = None) -> Result:
    """Run one seed; the summary records the resolved config (as a single run: `replicates` = 1), seed, config hash,
    the engine that ran the daily loop (numpy or numba: they may differ in the last bit) and package versions."""
    from .model import AttritionModel
    from .results import collect

    run = as_run_config(config)
    seed = run.seed if seed is None else seed
    model = AttritionModel(model_params(run), seed=seed).run()
    result = collect(model)
    resolved = _resolved(run, seed)
    result.summary = {
        "study": run.study,
        "policy": run.policy.name,
        "seed": seed,
        "window": {"start": run.window.start, "end": run.window.end},
        "figures": result.summary,
        "config": resolved,
        "config_hash": _hash_resolved(resolved),
        "engine": model.engine,
        "versions": package_versions(),
    }
    return result
