"""Dated shocks (docs/ODD.md, dated shocks): a shock is a date and the effects its fields switch on, each effect kind
one class in this package (`EFFECTS`, fired in this order).

A shock dated before the window is history: it sets the starting state (wealth, decayed autonomy and burnout, a
hazard excess still decaying), but forced exits in history are already reflected in the starting headcount and are
not simulated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from sim.config.params import ShockConfig
from sim.model import equations as eq
from sim.model.shocks.acquired_attrition import AcquiredAttrition
from sim.model.shocks.autonomy_cut import AutonomyCut
from sim.model.shocks.base import Effect, Firing
from sim.model.shocks.burnout_bump import BurnoutBump
from sim.model.shocks.change_of_control import ChangeOfControl, change_of_control
from sim.model.shocks.forced_exits import ForcedExits, forced_exit_slots, too_big
from sim.model.shocks.founder_push import FounderPush
from sim.model.shocks.hazard_excess import HazardExcess
from sim.model.shocks.liquidity import Liquidity, cash_out
from sim.model.shocks.mission_drop import MissionDrop
from sim.model.shocks.survivor_syndrome import SurvivorSyndrome

EFFECTS: tuple[Effect, ...] = (
    AutonomyCut(),
    BurnoutBump(),
    MissionDrop(),
    HazardExcess(),
    FounderPush(),
    ChangeOfControl(),
    Liquidity(),
    AcquiredAttrition(),
    SurvivorSyndrome(),
    ForcedExits(),
)
# fields of a shock that are not an effect's: when it happens, what it is called, and its planned IPO (`ipo`)
OWN_FIELDS = ("date", "name", "ipo_date", "ipo_liquidity")

__all__ = ["EFFECTS", "change_of_control", "fire", "forced_exit_slots", "ipo", "kinds", "too_big"]


def kinds(shock: ShockConfig | Mapping) -> tuple[str, ...]:
    """A shock's kind: the labels of the effects its fields switch on (and its planned IPO), in `EFFECTS` order. A
    mapping (a run folder's config.yaml) is read for the fields a ShockConfig has, so an old folder's `type` is
    passed over."""
    if isinstance(shock, Mapping):
        known = {f.name for f in dataclasses.fields(ShockConfig)}
        shock = ShockConfig(**{k: v for k, v in shock.items() if k in known})
    out = tuple(effect.label for effect in EFFECTS if effect.switched_on(shock))
    return out + (("planned IPO",) if shock.ipo_date and shock.ipo_liquidity else ())


def fire(model, shock: ShockConfig, index: int, day: int) -> None:
    """Apply `shock` (number `index` in the config) dated `day` (negative: history): each effect that applies."""
    wf = model.workforce
    firing = Firing(index=index, day=day, n=wf.n, act=wf.active[: wf.n])
    if not firing.history:
        model.day = day
    for effect in EFFECTS:
        if effect.applies(model, shock, firing):
            effect.fire(model, shock, firing)


def ipo(model, shock: ShockConfig, day: int) -> None:
    """The planned IPO: a share `ipo_liquidity` of everyone's vested, unsold equity becomes wealth."""
    if not model.mech.wealth:
        return
    if day >= 0:
        model.day = day
    cash_out(model, shock.ipo_liquidity, day)


def push_series(days: int, day: int, push: float, push_days: int) -> np.ndarray:
    """Remaining co-founders' hazard factor over the window's day indices: `push` for `push_days` from `day`."""
    out = np.ones(days)
    out[min(max(day, 0), days) : min(max(day + push_days, 0), days)] = push
    return out


def excess_series(days: int, day: int, amp: float, tau: float) -> np.ndarray:
    """The decaying hazard excess of one shock over the window's day indices."""
    return eq.shock_excess(np.arange(days) - day, amp, tau)
