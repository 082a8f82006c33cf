"""exodus: an agent-based model of talent attrition at a frontier AI lab.

The public API: `compose` (a config as the command line builds it), `simulate` (one run -> `Result`),
`AttritionModel` (the Mesa model), `ModelParams`/`RunConfig` (the typed config), and `sim.sweep` (sweeps
from Python). The layout: `sim.config` (schema, composition), `sim.model` (the model, one file per
mechanism), `sim.run` (one run and its files), `sim.data` (the observed record), `sim.calibration`,
`sim.analysis` (sweeps, comparison, figures), `sim.cli` (the commands), `sim.dashboard`.
"""

import importlib

from sim.config.params import ModelParams, RunConfig

_LAZY = {"AttritionModel": "sim.model.lab", "Result": "sim.run.results", "simulate": "sim.run.simulate"}


def __getattr__(name: str):
    """The model and its runner are imported on first use (Mesa and numba take a second to import)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    try:  # a subpackage, e.g. `import sim; sim.model`
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":  # the subpackage exists but needs something missing
            raise
        raise AttributeError(f"module 'sim' has no attribute {name!r}") from None


def compose(overrides: list[str] | None = None):
    """Compose a config from `conf/` with Hydra-style overrides, e.g. ["seed=3", "policy=retention_bonus"]."""
    from sim.config.compose import compose as _compose

    return _compose(overrides)


__all__ = ["AttritionModel", "ModelParams", "Result", "RunConfig", "compose", "simulate"]
