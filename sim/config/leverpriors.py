"""Lever effects as uncertain parameters: a prior range per effect size, with its source, and draws from them.

`lever_draw=K` (K >= 0) sets every field below in the lever library (`RunConfig.lever`) to draw K of its prior,
the same draw for every policy, so a bundle and its single levers share their effect sizes and paired runs keep
common random numbers. With `posterior_draw=K` and `seed=K` as well (the default experiment) each pair is one
world: the model's parameters, the levers' effects and the noise drawn together. `lever_draw=-1` (the default)
keeps the conf/lever settings.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from sim.config.params import ConfigError, RunConfig

LEVER_SEED = 20230712  # fixed root of the lever draws (any constant would do); draw K uses SeedSequence([seed, K])
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


PRIORS: tuple[LeverPrior, ...] = (
    LeverPrior(
        "retention_bonus",
        "quit_cut",
        0.0,
        0.17,
        True,
        "Clotfelter et al. 2008: bonuses cut targeted quits 12-17 % (upper end); Springer et al. 2016: no effect (0)",
    ),
    LeverPrior(
        "refresh_grants",
        "perceived_value",
        0.5,
        1.0,
        False,
        "assumption: staff count between half and all of a refresher's dollar value as held equity",
    ),
    LeverPrior("autonomy_charter", "autonomy_gain", 0.0, 0.2, False, "assumption: up to twice the default 0.1"),
    LeverPrior(
        "autonomy_charter", "reorg_protection", 0.25, 0.75, False, "assumption: reorganisations cut 25-75 % less"
    ),
    LeverPrior(
        "sustainable_pace",
        "burnout_slowdown",
        0.0,
        0.57,
        True,
        "2023 four-day-week pilot (non-randomised): leaving cut by up to 57 %, read as an upper bound; 0 below",
    ),
    LeverPrior(
        "transparent_leadership", "shock_reduction", 0.0, 0.5, False, "assumption: shocks' excess cut by 0-50 %"
    ),
    LeverPrior("counter_offers", "match_prob", 0.25, 0.75, False, "assumption: the lab matches a quarter to 3/4"),
    LeverPrior("safety_governance", "mission_floor", 0.6, 0.9, False, "assumption: around the default 0.8"),
    LeverPrior(
        "key_person_grant",
        "key_grant_years_of_pay",
        0.3,
        1.0,
        True,
        "WTW M&A Retention Studies: median awards 31 % of salary (other staff, 2017) to 75-100 % (C-suite, 2024)",
    ),
)

BY_PATH: dict[str, LeverPrior] = {p.path: p for p in PRIORS}


def drawn_fields(lever: str) -> tuple[str, ...]:
    """The fields of `lever` that a lever draw sets."""
    return tuple(p.field for p in PRIORS if p.lever == lever)


def draw(k: int) -> dict[str, float]:
    """Draw k (k >= 0) of every prior, as {`lever.<lever>.<field>`: value}; one uniform per prior, in table order,
    from SeedSequence([LEVER_SEED, k]), so draw k does not depend on how many draws a sweep makes."""
    if k < 0:
        raise ConfigError("lever_draw", k, f"an integer >= 0, or {NO_DRAW} for the conf/lever settings")
    u = np.random.default_rng(np.random.SeedSequence([LEVER_SEED, int(k)])).random(len(PRIORS))
    return {p.path: float(p.low + (p.high - p.low) * ui) for p, ui in zip(PRIORS, u, strict=True)}


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
