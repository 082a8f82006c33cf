"""Lever effects as uncertain parameters: a prior range per effect size, with its source, and draws from them.

`lever_draw=K` (K >= 0) sets every field below in the lever library (`RunConfig.lever`) to draw K of its prior,
the same draw for every policy, so a bundle and its single levers share their effect sizes and paired runs keep
common random numbers. With `posterior_draw=K` and `seed=K` as well (the default experiment) each pair is one
world: the model's parameters, the levers' effects and the noise drawn together. `lever_draw=-1` (the default)
keeps the conf/lever settings.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

import numpy as np

from sim.config import registry
from sim.config.params import ConfigError, RunConfig

LEVER_SEED = 20230712  # fixed root of the lever draws (any constant would do)
NO_DRAW = -1


@dataclass(frozen=True)
class LeverPrior:
    """A uniform prior on one lever's effect size (`lever.<lever>.<field>`), with its source."""

    lever: str
    field: str
    low: float
    high: float
    literature: bool
    source: str

    @property
    def path(self) -> str:
        return f"lever.{self.lever}.{self.field}"


# the registry's lever settings that have a prior (declared on each lever's settings, sim/levers/)
PRIORS: tuple[LeverPrior, ...] = tuple(
    LeverPrior(*registry.lever_field(p), p.prior.low, p.prior.high, p.prior.literature, p.prior.source)
    for p in registry.LEVER
    if p.prior is not None
)


def drawn_fields(lever: str) -> tuple[str, ...]:
    """The fields of `lever` that a lever draw sets."""
    return tuple(p.field for p in PRIORS if p.lever == lever)


def _uniform(k: int, path: str) -> float:
    """The uniform of draw k for the prior at `path`, from SeedSequence([LEVER_SEED, k, a hash of the path]): it
    depends on neither how many draws a sweep makes nor which other levers exist (adding one moves no other's)."""
    key = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "little")
    return float(np.random.default_rng(np.random.SeedSequence([LEVER_SEED, int(k), key])).random())


def draw(k: int) -> dict[str, float]:
    """Draw k (k >= 0) of every prior, as {`lever.<lever>.<field>`: value}."""
    if k < 0:
        raise ConfigError("lever_draw", k, f"an integer >= 0, or {NO_DRAW} for the conf/lever settings")
    return {p.path: float(p.low + (p.high - p.low) * _uniform(k, p.path)) for p in PRIORS}


def apply_to_run(run: RunConfig) -> RunConfig:
    """A copy of `run` whose lever library holds draw `run.lever_draw` of the priors (unchanged for -1)."""
    k = getattr(run, "lever_draw", NO_DRAW)
    if k == NO_DRAW:
        return run
    if not isinstance(k, int) or isinstance(k, bool) or k < NO_DRAW:
        raise ConfigError("lever_draw", k, f"an integer >= 0, or {NO_DRAW} for the conf/lever settings")
    values = draw(k)
    out = copy.copy(run)
    out.lever = {name: copy.copy(cfg) for name, cfg in run.lever.items()}
    for p in PRIORS:
        if p.lever in out.lever:
            setattr(out.lever[p.lever], p.field, values[p.path])
    return out


def prior_table():
    """The priors as a table (lever, field, low, high, kind, source) for the README and reports."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "lever": p.lever,
                "field": p.field,
                "low": p.low,
                "high": p.high,
                "kind": "literature" if p.literature else "assumption",
                "source": p.source,
            }
            for p in PRIORS
        ]
    )
