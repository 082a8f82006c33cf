"""A run's config built from whatever the caller holds (RunConfig, ModelParams, OmegaConf or a mapping): checked,
with its design row, posterior draw, free parameters and lever draw applied.

Config layer, below the model: `sim.config.compose.check`, the model's `compose_params` and `sim.run.simulate` all
build a run's config with `as_run_config`."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping

import pandas as pd

from sim.config import leverpriors, posterior
from sim.config.bounds import BOUNDS, check_value
from sim.config.errors import ConfigError
from sim.config.params import ModelParams, RunConfig, _like, from_mapping, set_path, validate_run


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

    Columns are dotted config paths, `free.NAME` for a free parameter (sim/config/freeparams.py),
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
            elif column.split(".")[0] in DESIGN_FIXED:
                raise ConfigError(column, value, "a model setting; a design row cannot set " + ", ".join(DESIGN_FIXED))
            elif not column.startswith("_"):
                set_path(run, column, value)
        except ConfigError as exc:
            where = f"design.file={run.design.file} row {run.design.row}"
            raise ConfigError(exc.field, exc.value, f"{exc.allowed} (in {where})") from None
    return run


DESIGN_FIXED = ("design", "study", "observed")  # the table, its folder and the record: set by the command line


def read_design(path: str) -> pd.DataFrame:
    """A design table read as data (CSV), refused with the file and reason if unreadable."""
    from sim.data.readfile import read_bytes

    try:
        table = pd.read_csv(io.BytesIO(read_bytes(path)))
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
