"""The lab is acquired: everyone's equity converts into the acquirer's stock (value factor `conversion`), and the
months still to vest of `acceleration_target`'s main grants vest by the share `acceleration` (docs/ODD.md, Founding
team)."""

import numpy as np

from sim.levers.base import target_mask
from sim.model import equations as eq
from sim.model.shocks.base import Effect


def change_of_control(model, shock, day: int) -> None:
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


class ChangeOfControl(Effect):
    fields = ("acquired", "conversion", "acceleration", "acceleration_target")
    label = "change of control"

    def switched_on(self, shock):
        return bool(shock.acquired)

    def fire(self, model, shock, firing):
        change_of_control(model, shock, firing.day)
