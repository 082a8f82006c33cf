"""The model's free parameters: what calibration and sensitivity analysis vary, with priors and how each is set.

A free parameter is either a config value (e.g. `hazard.base_annual`) or a scale factor on
several values (e.g. every shock's `hazard_amp`). Each one maps a value onto a copy of a
`RunConfig`, so the model's own config keeps its meaning and the conf/ defaults stay the
reference: a scale of 1 is the default scenario. Priors come from the studies cited in docs/ODD.md
where they give a range, and are marked `assumption` otherwise.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

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

    def to_unit(self, x):
        """Prior CDF: maps the prior's support onto [0, 1] (the scale sensitivity designs sample on)."""
        return self.prior().cdf(x)

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


FREE_PARAMS: tuple[FreeParam, ...] = (
    FreeParam(
        "base_annual",
        0.08,
        0.135,
        False,
        "11-18 %/yr in calm conditions (LinkedIn 2018; SignalFire 2025); the other terms raise the realised rate "
        "~1.35x, so 0.08-0.135",
        "hazard.base_annual: annual quit rate of h0 alone",
        _set_hazard("base_annual"),
        _get_hazard("base_annual"),
    ),
    FreeParam(
        "burnout",
        0.0,
        2.0,
        False,
        "assumption around the default 1.0 (burnout-leaving correlation ~0.2-0.33: Swider & Zimmerman 2010)",
        "hazard.burnout: weight of burnout in the quit hazard",
        _set_hazard("burnout"),
        _get_hazard("burnout"),
    ),
    FreeParam(
        "contagion",
        0.0,
        8.0,
        False,
        "assumption (a weight to calibrate; Felps et al. 2009 show the effect exists, so >= 0)",
        "hazard.contagion: weight of the share of ties who left in the last 30 days",
        _set_hazard("contagion"),
        _get_hazard("contagion"),
    ),
    FreeParam(
        "shock_scale",
        0.25,
        4.0,
        True,
        "assumption (every shock's hazard_amp is an assumption): log-uniform, a factor 4 either way",
        "factor on every shock's hazard_amp (conf/events)",
        _scale_shock_amps,
        _scale,
    ),
    FreeParam(
        "acquired_ratio",
        1.5,
        4.0,
        False,
        "acquired-firm staff leave at ~x2.75 in year one (Kim, Strategy Science); +-1.25 an assumption",
        "acquired_ratio of the acquisition that acquires the lab (SpaceX, 2026-02-02)",
        _set_shock("acquired_ratio", _acquisition),
        _get_shock("acquired_ratio", _acquisition),
    ),
    FreeParam(
        "poaching_scale",
        0.25,
        4.0,
        True,
        "assumption (rival offer rates are assumptions): log-uniform, a factor 4 either way",
        "factor on every rival firm's offers_per_year (conf/rivals)",
        _scale_offers,
        _scale,
    ),
    FreeParam(
        "announce_scale",
        0.5,
        2.0,
        True,
        "assumption (co-founders post with probability ~1, kept; others' rates are assumptions)",
        "factor on observation.announce_prob of every role but co-founders (clipped to 1)",
        _scale_announce,
        _scale,
    ),
    FreeParam(
        "burst_gain",
        0.0,
        0.1,
        False,
        "assumption (a burst makes earlier leavers post now: 2 of the 11 posts of 6-12 Feb 2026; default 0.02)",
        "observation.burst_gain: daily posting hazard per announcement of the last week, for waiting leavers",
        _set_burst,
        lambda run: float(run.observation.burst_gain),
    ),
    FreeParam(
        "delay_scale",
        0.2,
        2.0,
        True,
        "assumption (posting delays are assumptions; 2 of the 11 posts of 6-12 Feb 2026 were weeks late)",
        "factor on observation.delay_mean_days of every role but co-founders",
        _scale_delay,
        _scale,
    ),
)

FREE_PARAMS += (
    FreeParam(
        "destination_pull",
        0.25,
        16.0,
        True,
        "assumption (rivals' pull on leavers, to calibrate; default 2): log-uniform, x8 either way",
        "destinations.rival_pull: odds of a rival lab per offer it makes a year to one person of the role",
        _set_pull,
        lambda run: float(run.destinations.rival_pull),
    ),
    FreeParam(
        "founder_contagion",
        0.0,
        12.0,
        False,
        "assumption (co-founders' exits cluster: 6 of 12 gone by Feb 2026, TechCrunch 2026-02-10; default 3: "
        "one exit among 8 fellows, hazard x1.45; >= 0)",
        "hazard.founder_contagion: weight of the share of fellow co-founders who chose to leave in the founder window",
        _set_hazard("founder_contagion"),
        _get_hazard("founder_contagion"),
    ),
    FreeParam(
        "early_stage_push",
        1.0,
        4.0,
        True,
        "assumption (the 2026-02-10 reorg calling co-founders 'better suited to the early stage' pushes the rest; 1.5)",
        "founder_push of the reorganisation that forces co-founders out: remaining co-founders' hazard factor",
        _set_shock("founder_push", _founders_reorg),
        _get_shock("founder_push", _founders_reorg),
    ),
    FreeParam(
        "founder_acceleration",
        0.0,
        1.0,
        False,
        "assumption (change of control, 'acceleration or not'; default 0.25)",
        "acceleration of the acquisition that acquires the lab: share of co-founders' months to vest that vest at once",
        _set_shock("acceleration", _acquisition),
        _get_shock("acceleration", _acquisition),
    ),
)

BY_NAME: dict[str, FreeParam] = {p.name: p for p in FREE_PARAMS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def lookup(names, where: str = "free") -> list[FreeParam]:
    """The FreeParam of each name, in the given order; an unknown name is a ConfigError listing the known ones."""
    out = []
    for n in names:
        if n not in BY_NAME:
            raise ConfigError(f"{where}.{n}", n, f"a free parameter, one of {', '.join(NAMES)}")
        out.append(BY_NAME[n])
    return out


def apply(run: RunConfig, values: Mapping[str, float], where: str = "free") -> RunConfig:
    """A copy of `run` with each free parameter set to its value (scales apply to the values in `run`)."""
    out = copy.deepcopy(run)
    for name, value in values.items():
        (p,) = lookup([name], where)
        p.setter(out, p.check(value, f"{where}.{name}"))
    return out


def current(run: RunConfig) -> dict[str, float]:
    """The free parameters' values in `run` (scale factors are 1 by definition)."""
    return {p.name: p.getter(run) for p in FREE_PARAMS}
