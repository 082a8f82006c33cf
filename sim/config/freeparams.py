"""The model's free parameters: what calibration and sensitivity analysis vary, with priors and how each is set.

Each is declared (prior, source, help) in sim/config/registry.py; this module adds how it is set on a run.

A free parameter is either a config value (e.g. `hazard.base_annual`) or a scale factor on
several values (e.g. every shock's `hazard_amp`). Each one maps a value onto a copy of a
`RunConfig`, so the model's own config keeps its meaning and the conf/ defaults stay the
reference: a scale of 1 is the default scenario. Priors come from the studies cited in docs/ODD.md
where they give a range, and are marked `assumption` otherwise.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from sim.config import registry
from sim.config.params import ConfigError, RunConfig


@dataclass(frozen=True)
class FreeParam:
    """One free parameter: its prior (uniform on [low, high], or on the log scale if `log`) and its setter."""

    name: str
    low: float
    high: float
    log: bool
    source: str
    doc: str
    setter: Callable[[RunConfig, float], None]
    getter: Callable[[RunConfig], float]

    def prior(self):
        """The prior as a frozen scipy distribution."""
        from scipy import stats  # imported on use: scipy.stats takes ~0.3 s to import

        if self.log:
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)

    def prior_interval(self, level: float = 0.9) -> tuple[float, float]:
        """Central prior interval at `level`."""
        return tuple(float(x) for x in self.prior().interval(level))

    def from_unit(self, u):
        """Inverse prior CDF: a point of [0, 1] to a parameter value."""
        return self.prior().ppf(u)

    def check(self, value: float, where: str) -> float:
        """The value as a float if it lies in the prior's support, else a ConfigError naming the field."""
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ConfigError(where, value, f"a number in [{self.low}, {self.high}]") from None
        if not (self.low <= v <= self.high) or not np.isfinite(v):
            raise ConfigError(where, value, f"a number in [{self.low}, {self.high}] (the prior's support)")
        return v


# --------------------------------------------------------------------------- setters on a RunConfig copy


def _set_hazard(field: str):
    def setter(run: RunConfig, v: float) -> None:
        setattr(run.hazard, field, v)

    return setter


def _get_hazard(field: str):
    return lambda run: float(getattr(run.hazard, field))


def _acquisition(shock) -> bool:
    """The shock by which the lab is acquired (its acquired_ratio, its change of control)."""
    return shock.acquired


def _founders_reorg(shock) -> bool:
    """The reorganisation that forces co-founders out (its early-stage push on the ones who stay)."""
    return shock.forced_rule == "founders" and bool(shock.forced_exits)


def _set_shock(field: str, which: Callable):
    """A setter of `field` on every shock `which` picks."""

    def setter(run: RunConfig, v: float) -> None:
        for s in run.shocks:
            if which(s):
                setattr(s, field, v)

    return setter


def _get_shock(field: str, which: Callable):
    """A getter of `field` on the first shock `which` picks (NaN if none)."""

    def getter(run: RunConfig) -> float:
        values = [getattr(s, field) for s in run.shocks if which(s)]
        return float(values[0]) if values else float("nan")

    return getter


def _scale_shock_amps(run: RunConfig, v: float) -> None:
    for s in run.shocks:
        s.hazard_amp *= v


def _scale_offers(run: RunConfig, v: float) -> None:
    for f in run.firms:
        f.offers_per_year *= v


def _scale_announce(run: RunConfig, v: float) -> None:
    o = run.observation
    o.announce_prob = {r: (p if r == "co_founder" else min(1.0, p * v)) for r, p in o.announce_prob.items()}


def _scale_delay(run: RunConfig, v: float) -> None:
    o = run.observation
    o.delay_mean_days = {r: (d if r == "co_founder" else d * v) for r, d in o.delay_mean_days.items()}


def _set_burst(run: RunConfig, v: float) -> None:
    run.observation.burst_gain = v


def _set_pull(run: RunConfig, v: float) -> None:
    run.destinations.rival_pull = v


def _scale(_run: RunConfig) -> float:
    return 1.0


# how each free parameter of the registry is set on, and read from, a RunConfig (scales read as 1)
SETTERS: dict[str, tuple[Callable[[RunConfig, float], None], Callable[[RunConfig], float]]] = {
    "base_annual": (_set_hazard("base_annual"), _get_hazard("base_annual")),
    "burnout": (_set_hazard("burnout"), _get_hazard("burnout")),
    "contagion": (_set_hazard("contagion"), _get_hazard("contagion")),
    "shock_scale": (_scale_shock_amps, _scale),
    "acquired_ratio": (_set_shock("acquired_ratio", _acquisition), _get_shock("acquired_ratio", _acquisition)),
    "poaching_scale": (_scale_offers, _scale),
    "announce_scale": (_scale_announce, _scale),
    "burst_gain": (_set_burst, lambda run: float(run.observation.burst_gain)),
    "delay_scale": (_scale_delay, _scale),
    "destination_pull": (_set_pull, lambda run: float(run.destinations.rival_pull)),
    "founder_contagion": (_set_hazard("founder_contagion"), _get_hazard("founder_contagion")),
    "early_stage_push": (_set_shock("founder_push", _founders_reorg), _get_shock("founder_push", _founders_reorg)),
    "founder_acceleration": (_set_shock("acceleration", _acquisition), _get_shock("acceleration", _acquisition)),
    "founder_decay": (_set_hazard("founder_decay_days"), _get_hazard("founder_decay_days")),
}

# the registry's free parameters (prior, source, help: sim/config/registry.py) with their setters, in its order
FREE_PARAMS: tuple[FreeParam, ...] = tuple(
    FreeParam(p.name, p.prior.low, p.prior.high, p.prior.log, p.prior.source, p.help, *SETTERS[p.name])
    for p in registry.FREE
)

BY_NAME: dict[str, FreeParam] = {p.name: p for p in FREE_PARAMS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def recorded(priors: Mapping | None = None) -> dict[str, FreeParam]:
    """The free parameters with the priors a calibration drew them from: the registry's, except where `priors` (a
    posterior's `meta["priors"]`: name -> low, high, log, source) records a prior set from a user's roster (an entry
    with a `roster` key: the survival fit it came from, sim/calibration/priors.py). Every other recorded prior is
    read as the registry's, so a run without a roster checks its values exactly as before."""
    out = dict(BY_NAME)
    for name, e in (priors or {}).items():
        if name not in out or not isinstance(e, Mapping) or "roster" not in e:
            continue
        try:
            low, high, log = float(e["low"]), float(e["high"]), bool(e["log"])
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"priors.{name}", e, "a prior with numbers low < high and log true or false") from None
        field_range = registry.bound(registry.BY_NAME[name].path)
        if not (low < high and field_range.contains(low) and field_range.contains(high)) or (log and low <= 0):
            raise ConfigError(
                f"priors.{name}", f"[{low}, {high}]", f"low < high inside the field's range ({field_range.describe()})"
            )
        out[name] = dataclasses.replace(out[name], low=low, high=high, log=log, source=str(e.get("source", "")))
    return out


def lookup(names, where: str = "free", priors: Mapping | None = None) -> list[FreeParam]:
    """The FreeParam of each name, in the given order (with the recorded `priors`, see `recorded`); an unknown name
    is a ConfigError listing the known ones."""
    known = recorded(priors) if priors else BY_NAME
    out = []
    for n in names:
        if n not in known:
            raise ConfigError(f"{where}.{n}", n, f"a free parameter, one of {', '.join(NAMES)}")
        out.append(known[n])
    return out


def apply(run: RunConfig, values: Mapping[str, float], where: str = "free", priors: Mapping | None = None) -> RunConfig:
    """A copy of `run` with each free parameter set to its value (scales apply to the values in `run`); each value
    must lie in its prior's support (the registry's, or the recorded roster prior in `priors`)."""
    out = copy.deepcopy(run)
    for name, value in values.items():
        (p,) = lookup([name], where, priors)
        p.setter(out, p.check(value, f"{where}.{name}"))
    return out


def current(run: RunConfig) -> dict[str, float]:
    """The free parameters' values in `run` (scale factors are 1 by definition)."""
    return {p.name: p.getter(run) for p in FREE_PARAMS}
