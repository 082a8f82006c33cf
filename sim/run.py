"""Run the model from a config: `simulate(config) -> Result`."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata as md
import json
import platform
from collections.abc import Mapping

from .model import AttritionModel
from .params import ModelParams, RunConfig, from_mapping, model_params
from .results import Result, collect

VERSIONED = ("exodus", "mesa", "numpy", "scipy", "pandas", "hydra-core", "omegaconf")


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    return out


def config_hash(run: RunConfig, seed: int | None = None) -> str:
    """A fingerprint of the resolved config and seed: a finished run with the same one need not run again."""
    resolved = dataclasses.asdict(run)
    resolved["seed"] = run.seed if seed is None else seed
    return hashlib.sha256(json.dumps(resolved, sort_keys=True, default=str).encode()).hexdigest()[:16]


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
    return from_mapping(RunConfig, config)


def build_model(config, seed: int | None = None) -> AttritionModel:
    run = as_run_config(config)
    return AttritionModel(model_params(run), seed=run.seed if seed is None else seed)


def simulate(config, seed: int | None = None) -> Result:
    """Run one replicate; the summary records the resolved config, seed and package versions."""
    run = as_run_config(config)
    seed = run.seed if seed is None else seed
    model = AttritionModel(model_params(run), seed=seed).run()
    result = collect(model)
    resolved = dataclasses.asdict(run)
    resolved["seed"] = seed
    result.summary = {
        "study": run.study,
        "policy": run.policy.name,
        "seed": seed,
        "window": {"start": run.window.start, "end": run.window.end},
        "figures": result.summary,
        "config": resolved,
        "config_hash": config_hash(run, seed),
        "versions": package_versions(),
    }
    return result
