"""The policy: its retention levers (sim/levers/), each started on its date, run daily and settled."""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.levers import LEVERS, Lever
from sim.model.components.base import Component


class Policy(Component):
    """Interface: `levers` (in the policy's order), `cost_to_date` (every lever's cost to the end of each day)."""

    name = "policy"
    owns = ("levers", "booked")

    def __init__(self, model):
        super().__init__(model)
        self.levers: list[Lever] = []
        for i, (lev, day) in enumerate(zip(model.p.policy.levers, model.resolved.lever_days, strict=True)):
            lever = LEVERS[lev.kind](lev, day, i)
            self.levers.append(lever)
            when = lever.scheduled(model)
            if when is not None:
                lever.start_day = when
                model.at(when + 0.25, partial(self._activate, lever))
        self.booked = np.zeros((len(self.levers), model.days))  # each lever's cost booked by the end of each day
        # the levers whose hooks do something (the base lever's do nothing without a practice or a running cost)
        self._daily = [lv.daily for lv in self.levers if _overrides(lv, "daily") or lv.cfg.cost_per_head_year]
        self._hiring = [lv.on_hire for lv in self.levers if _overrides(lv, "on_hire") or lv.practice]

    def reacts(self, hook: str) -> bool:
        """Only with levers whose `hook` does something (a run without a policy calls none of the policy's hooks)."""
        return super().reacts(hook) and bool({"step": self._daily, "on_hire": self._hiring}.get(hook, self.levers))

    def _activate(self, lever: Lever) -> None:
        self.model.day = lever.start_day
        lever.activate(self.model)

    def on_hire(self, slots) -> None:
        for on_hire in self._hiring:
            on_hire(self.model, slots)

    def step(self, day: int) -> None:
        for daily in self._daily:
            daily(self.model, day)

    def finish(self, day: int) -> None:
        """Each lever settles its costs (refresh grants: the part vested in the window)."""
        for lever in self.levers:
            lever.finish(self.model, day)

    def record(self, day: int) -> None:
        """Each lever's cost as it stands at the end of `day`."""
        for i, lever in enumerate(self.levers):
            self.booked[i, day] = lever.cost

    def cost_to_date(self, days: int) -> np.ndarray:
        """Every lever's cost to the end of each of the first `days` days, summed (the window's last day: the
        settled total the summary reports)."""
        total = np.zeros(days)
        for i, lever in enumerate(self.levers):
            total += lever.costs_to_date(self.model, self.booked[i, :days])
        return total


def _overrides(lever: Lever, hook: str) -> bool:
    return getattr(type(lever), hook) is not getattr(Lever, hook)
