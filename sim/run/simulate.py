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

from sim.calibration import posterior
from sim.config import leverpriors
from sim.config.bounds import BOUNDS, check_value
from sim.config.params import (
    ConfigError,
    ModelParams,
    RunConfig,
    _like,
    as_plain,
    from_mapping,
    model_params,
    set_path,
    validate_run,
)
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


def as_run_config(config) -> RunConfig:
    """Accept a RunConfig, ModelParams, OmegaConf config or plain mapping."""
    if isinstance(config, RunConfig):
        run = validate_run(config)
        return _with_roster(run) if run.roster.path and not run.roster.digest else run
    if isinstance(config, ModelParams):
        return RunConfig(**{f.name: getattr(config, f.name) for f in dataclasses.fields(ModelParams)})
    if not isinstance(config, Mapping):
        try:
            from omegaconf import OmegaConf

            config = OmegaConf.to_container(config, resolve=True)
        except Exception as exc:  # not an OmegaConf object either
            raise TypeError(f"cannot read a config from {type(config).__name__}") from exc
    config = {k: v for k, v in dict(config).items() if k != "hydra"}
    run = validate_run(from_mapping(RunConfig, config))  # types and ranges of the run-level values first
    run = _with_roster(run) if run.roster.path else run
    run = validate_run(apply_design_row(run))  # a design row may set any field
    run = posterior.apply_to_run(run)  # posterior draw and free parameters
    return leverpriors.apply_to_run(run)  # lever effect sizes drawn from their priors (lever_draw >= 0)


def _with_roster(run: RunConfig) -> RunConfig:
    """A user's roster sets the window and the company once (sim/roster; pandera imported on use); the digest it
    records marks the run as set."""
    from sim.roster.config import apply_to_run

    return apply_to_run(run)


def apply_design_row(run: RunConfig) -> RunConfig:
    """Apply row `design.row` of the table `design.file` to the run.

    Columns are dotted config paths, `free.NAME` for a free parameter (sim/calibration/freeparams.py),
    or `seed`; columns starting with `_` are ignored.
    """
    if not run.design.file:
        return run
    table = read_design(run.design.file)
    if not 0 <= run.design.row < len(table):
        raise ConfigError("design.row", run.design.row, f"a row index in 0..{len(table) - 1} of {run.design.file}")
    for column, value in table.iloc[run.design.row].items():
        column = str(column)
        try:
            if column == "seed":
                run.seed = _like(0, value, "seed")
                check_value("seed", run.seed, BOUNDS["RunConfig"]["seed"])
            elif column.startswith("free."):
                run.free[column.removeprefix("free.")] = _like(0.0, value, column)
            elif not column.startswith("_"):
                set_path(run, column, value)
        except ConfigError as exc:
            where = f"design.file={run.design.file} row {run.design.row}"
            raise ConfigError(exc.field, exc.value, f"{exc.allowed} (in {where})") from None
    return run


def read_design(path: str) -> pd.DataFrame:
    """A design table read as data (CSV), refused with the file and reason if unreadable."""
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise ConfigError("design.file", path, "an existing CSV file of parameter sets") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise ConfigError("design.file", path, f"a readable CSV file ({type(exc).__name__}: {reason})") from None
    dup = [
        c
        for c in table.columns
        if "." in str(c) and str(c).rsplit(".", 1)[1].isdigit() and str(c).rsplit(".", 1)[0] in table.columns
    ]
    if dup:
        raise ConfigError("design.file", path, f"a CSV file without repeated columns (repeated: {dup[0]})")
    if table.empty:
        raise ConfigError("design.file", path, "a CSV file with at least one row")
    return table


def build_model(config, seed: int | None = None) -> AttritionModel:
    from sim.model.lab import AttritionModel

    run = as_run_config(config)
    return AttritionModel(model_params(run), seed=run.seed if seed is None else seed)


def simulate(config, seed: int | None = None) -> Result:
    """Run one seed; the summary records the resolved config (as a single run: `replicates` = 1), seed, config hash
    and package versions."""
    from sim.model.lab import AttritionModel
    from sim.run.results import collect

    run = as_run_config(config)
    if seed is not None:
        validate_run(dataclasses.replace(run, seed=seed))
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
        "versions": package_versions(),
    }
    return result
