"""Dated shocks (DESIGN.md section 2): what each type does to the lab on its date.

A shock dated before the window is history: it sets the starting state (wealth,
decayed autonomy and burnout, a hazard excess still decaying), but forced exits in
history are already reflected in the starting headcount and are not simulated.
"""

from __future__ import annotations

import numpy as np

from . import equations as eq
from .params import ROLES, UNITS, ShockConfig

FOUNDER = ROLES.index("co_founder")
CAUSE_FORCED = 3


def fire(model, shock: ShockConfig, index: int, day: int) -> None:
    """Apply `shock` (number `index` in the config) dated `day` (negative: history)."""
    wf, n, history = model.workforce, model.workforce.n, day < 0
    act = wf.active[:n]
    elapsed = -day if history else 0  # days between the shock and the window start
    if not history:
        model.day = day

    if shock.autonomy_cut and model.mech.autonomy:
        cut = shock.autonomy_cut * (1.0 - wf.reorg_protection[:n])
        decay = (1.0 - model.p.dynamics.autonomy_drift) ** elapsed
        a0 = wf.autonomy0[:n]
        wf.autonomy[:n] = np.where(act, a0 - (a0 - wf.autonomy[:n] * (1 - cut)) * decay, wf.autonomy[:n])
    if shock.burnout_bump and model.mech.burnout:
        decay = (1.0 - model.p.dynamics.burnout_recovery) ** elapsed
        b = wf.burnout[:n]
        wf.burnout[:n] = np.where(act, np.minimum(1.0, b + shock.burnout_bump * decay), b)
    if shock.mission_drop and model.mech.mission:
        drop = shock.mission_drop * (1.0 + shock.safety_extra * wf.safety[:n])
        decay = (1.0 - model.p.dynamics.mission_recovery) ** elapsed
        m = wf.mission[:n]
        wf.mission[:n] = np.where(act, np.clip(m - drop * decay, wf.mission_floor[:n], 1.0), m)
    if shock.hazard_amp:
        model.add_shock_excess(day, shock.hazard_amp, shock.hazard_tau_days)
    if shock.liquidity and model.mech.wealth:
        vested = model.vested_value(np.arange(n), at_day=day)
        cash = shock.liquidity * np.maximum(vested - wf.liquidated[:n], 0.0) * act
        wf.wealth[:n] += cash
        wf.liquidated[:n] += cash
    if shock.acquired and shock.acquired_ratio > 1:
        ratio = 1.0 + (shock.acquired_ratio - 1.0) * (1.0 + shock.senior_extra * wf.seniority[:n])
        wf.acq_mult[:n] = np.where(act, ratio, wf.acq_mult[:n])
        wf.acq_until[:n] = np.where(act, day + shock.acquired_days, wf.acq_until[:n])
    if shock.survivor_ratio > 1 and shock.survivor_days:
        survivors = act & wf.high_performer[:n]
        wf.surv_mult[:n] = np.where(survivors, shock.survivor_ratio, wf.surv_mult[:n])
        wf.surv_until[:n] = np.where(survivors, day + shock.survivor_days, wf.surv_until[:n])
    if shock.forced_exits and not history:
        for slot in forced_exit_slots(model, shock):
            model.depart(int(slot), CAUSE_FORCED, shock=shock.name or f"{shock.type}#{index}", backfill=shock.backfill)


def forced_exit_slots(model, shock: ShockConfig) -> np.ndarray:
    """The people a forced exit removes, chosen by rule; ties broken by a per-person key drawn at hire."""
    wf, n = model.workforce, model.workforce.n
    eligible = wf.active[:n] & ~wf.immune[:n]
    if shock.unit:
        eligible &= model.team_unit[wf.team[:n]] == UNITS.index(shock.unit)
    if shock.forced_rule == "founders":
        eligible &= wf.role[:n] == FOUNDER
    idx = np.flatnonzero(eligible)
    if shock.forced_rule == "senior":
        order = np.lexsort((wf.key_forced[idx], -wf.seniority[idx]))
    else:
        order = np.argsort(wf.key_forced[idx], kind="stable")
    return idx[order[: shock.forced_exits]]


def excess_series(days: int, day: int, amp: float, tau: float) -> np.ndarray:
    """The decaying hazard excess of one shock over the window's day indices."""
    return eq.shock_excess(np.arange(days) - day, amp, tau)
