"""What every retention lever shares (docs/ODD.md, retention levers): its settings' common fields, its targets, its
start, its running cost.

A lever is one module of this package holding its settings (a `LeverConfig` subclass whose fields declare their
ranges, meaning and priors) and its effect (a `Lever` subclass naming that class as `config`). A lever starts on its
date for the targeted people present then. Levers that are practices (autonomy charter, sustainable pace,
transparent leadership, counter-offers, safety governance) also cover targeted people hired later; one-off awards
(bonus, refresh grant) do not. Costs are dollars spent inside the window.

The effect reaches the model only through the `model` it is handed (its `workforce`, `staffing`, `equity`,
`days`, `settled`): this package sits beside the config, below the model, so the config can check a lever's
settings and the registry can read its priors without importing the model.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.config.bounds import TEXT, real
from sim.config.declare import setting
from sim.schema import FOUNDER, ROLES, SENIOR_ROLES, UNITS

TARGETS = ("all", "founders", "senior", "research", "safety_minded", *ROLES)


@dataclass
class LeverConfig:
    """The fields every lever has; each kind's subclass adds its own (unknown fields are refused by name)."""

    kind: str = setting("", TEXT, "which lever (its module in sim/levers/)")
    start: str = setting("", TEXT, "the date it starts (YYYY-MM-DD; empty: the window's start)")
    target: str = setting("all", TEXT, f"whom it covers: one of {', '.join(TARGETS)}")
    cost_per_head_year: float = setting(
        0.0, real(0, 1e9, "dollars a person a year"), "fixed running cost, dollars per targeted person per year"
    )

    def check(self, where: str) -> list[tuple[bool, str, object, str]]:
        """Cross-field conditions of this kind, as (holds, field path, value, what is allowed); none by default."""
        return []


COMMON = tuple(f.name for f in fields(LeverConfig))


def target_mask(model, target: str, slots: np.ndarray) -> np.ndarray:
    """Which of `slots` belong to a lever's target group."""
    wf = model.workforce
    role = wf.role[slots]
    if target == "all":
        return np.ones(slots.size, dtype=bool)
    if target == "founders":
        return role == FOUNDER
    if target == "senior":
        return np.isin(role, SENIOR_ROLES)
    if target == "research":
        return model.staffing.team_unit[wf.team[slots]] == UNITS.index("research")
    if target == "safety_minded":
        return wf.safety[slots]
    return role == ROLES.index(target)


class Lever:
    """Base lever: targets chosen at its start; a fixed running cost per targeted head and year."""

    config: type[LeverConfig] = LeverConfig  # its settings class
    kind = ""  # its conf `kind`: the default `kind` of its settings class
    null: tuple[str, ...] = ()  # settings (`field=value`) under which it changes nothing and costs nothing (tested)
    practice = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.kind = cls.config().kind

    def __init__(self, cfg: LeverConfig, start_day: int, index: int = 0):
        self.cfg = cfg
        self.start_day = start_day
        self.index = index  # place in the policy's levers (`policy.levers[index]`)
        self.cost = 0.0
        self.targets = np.zeros(0, dtype=np.int64)
        self.active = False

    def scheduled(self, model) -> int | None:
        """The day the lever starts (its `start`); a lever set off by an event returns that event's day, or None if
        it never comes in the window."""
        return self.start_day

    def activate(self, model) -> None:
        wf = model.workforce
        slots = np.flatnonzero(wf.active[: wf.n] & ~wf.immune[: wf.n])
        self.targets = slots[target_mask(model, self.cfg.target, slots)]
        self.active = True
        self.apply(model, self.targets)

    def on_hire(self, model, slots: np.ndarray) -> None:
        if self.active and self.practice:
            new = slots[target_mask(model, self.cfg.target, slots)]
            self.targets = np.concatenate([self.targets, new])
            self.apply(model, new)

    def apply(self, model, slots: np.ndarray) -> None:
        """Change the targets' state; the base lever changes nothing."""

    def daily(self, model, day: int) -> None:
        if self.active and self.cfg.cost_per_head_year:
            self.cost += self.cfg.cost_per_head_year / 365.0 * model.workforce.active[self.targets].sum()

    def finish(self, model, last_day: int) -> None:
        """Costs settled at the end of the window."""

    def costs_to_date(self, model, booked: np.ndarray) -> np.ndarray:
        """The cost to the end of each day, given `booked`, `cost` as it stood at the end of each day."""
        return booked
