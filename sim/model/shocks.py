"""Dated shocks (docs/ODD.md, dated shocks): what each type does to the lab on its date.

A shock dated before the window is history: it sets the starting state (wealth,
decayed autonomy and burnout, a hazard excess still decaying), but forced exits in
history are already reflected in the starting headcount and are not simulated.
"""

from __future__ import annotations

import warnings

import numpy as np

from sim.config.params import ShockConfig
from sim.model import equations as eq
from sim.model.levers import target_mask
from sim.schema import FORCED, FOUNDER, UNITS


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
        model.shocks.add_excess(day, shock.hazard_amp, shock.hazard_tau_days)
    if shock.founder_push > 1 and shock.founder_push_days:
        model.founders.add_push(day, shock.founder_push, shock.founder_push_days)
    if shock.acquired:
        change_of_control(model, shock, day)
    if shock.liquidity and model.mech.wealth:
        vested = model.equity.vested_value(np.arange(n), at_day=day)
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
        label = shock.name or f"{shock.type}#{index}"
        slots = forced_exit_slots(model, shock)
        if slots.size < shock.forced_exits:
            warnings.warn(too_big(label, shock, slots.size, model.p.company.headcount), stacklevel=2)
        for slot in slots:
            model.leaving.depart(int(slot), FORCED, shock=label, backfill=shock.backfill)


def too_big(label: str, shock: ShockConfig, group: int, headcount: int) -> str:
    """The warning for a forced exit larger than the group it targets (sizes are absolute: they do not scale with
    `company.headcount`)."""
    where = f"unit {shock.unit!r}" if shock.unit else "the lab"
    rule = f", rule {shock.forced_rule!r}" if shock.forced_rule == "founders" else ""
    return (
        f"shock {label!r}: forced_exits={shock.forced_exits} exceeds its target group ({group} people of {where}{rule}"
        f" at company.headcount={headcount}); all {group} leave. Sizes are absolute: scale forced_exits with the"
        " headcount."
    )


def change_of_control(model, shock: ShockConfig, day: int) -> None:
    """The lab is acquired: everyone's equity converts into the acquirer's stock (value factor `conversion`), and
    the months still to vest of `acceleration_target`'s main grants vest by the share `acceleration` (docs/ODD.md,
    Founding team)."""
    wf, n = model.workforce, model.workforce.n
    act = wf.active[:n]
    if shock.conversion != 1.0:
        wf.grant[:n] = np.where(act, wf.grant[:n] * shock.conversion, wf.grant[:n])
        wf.refresh[:n] = np.where(act, wf.refresh[:n] * shock.conversion, wf.refresh[:n])
    if shock.acceleration and model.mech.vesting:
        slots = np.flatnonzero(act & ~wf.immune[:n])
        slots = slots[target_mask(model, shock.acceleration_target, slots)]
        v = model.p.vesting
        start = eq.accelerated_start(wf.grant_start[slots], day, v.years, v.cliff_months, shock.acceleration)
        wf.grant_start[slots] = start
        wf.milestones[slots, 1] = start + model.equity.final_day


def ipo(model, shock: ShockConfig, day: int) -> None:
    """The planned IPO: a share `ipo_liquidity` of everyone's vested, unsold equity becomes wealth."""
    if not model.mech.wealth:
        return
    wf, n = model.workforce, model.workforce.n
    if day >= 0:
        model.day = day
    vested = model.equity.vested_value(np.arange(n), at_day=day)
    cash = shock.ipo_liquidity * np.maximum(vested - wf.liquidated[:n], 0.0) * wf.active[:n]
    wf.wealth[:n] += cash
    wf.liquidated[:n] += cash


def push_series(days: int, day: int, push: float, push_days: int) -> np.ndarray:
    """Remaining co-founders' hazard factor over the window's day indices: `push` for `push_days` from `day`."""
    out = np.ones(days)
    out[min(max(day, 0), days) : min(max(day + push_days, 0), days)] = push
    return out


def forced_exit_slots(model, shock: ShockConfig) -> np.ndarray:
    """The people a forced exit removes, chosen by rule; ties broken by a per-person key drawn at hire."""
    wf, n = model.workforce, model.workforce.n
    eligible = wf.active[:n] & ~wf.immune[:n]
    if shock.unit:
        eligible &= model.staffing.team_unit[wf.team[:n]] == UNITS.index(shock.unit)
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
