"""The founding team: self-exciting contagion among co-founders and the early-stage push."""

from __future__ import annotations

import math

import numpy as np

from sim.model import equations as eq
from sim.model.components.base import Component
from sim.model.shocks import push_series
from sim.model.workforce import NEVER
from sim.schema import FOUNDER, POACHED, SPINOUT, VOLUNTARY


class FoundingTeam(Component):
    """Interface: `slots` (the co-founders' slots), `push` (their hazard factor by day), `add_push`, `terms`.

    Each fellow co-founder's choice to leave excites the others, and the pull fades with the time since it:
    the excitation L_f(t) = sum over fellows' exits t_j < t of exp(-(t - t_j) / founder_decay_days) (a Hawkes
    kernel), kept as one number decayed day by day."""

    name = "founders"
    owns = ("slots", "chose_day", "excitation", "push")
    depart_causes = (VOLUNTARY, POACHED, SPINOUT)  # a co-founder's choice to leave (not a layoff)
    depart_roles = (FOUNDER,)

    def __init__(self, model):
        super().__init__(model)
        wf = model.workforce
        self.slots = np.flatnonzero(wf.role[: wf.n] == FOUNDER)
        self.chose_day = -NEVER  # the last day a co-founder chose to leave
        self.excitation = 0.0  # L_f on `chose_day`, that day's exits included
        for day in model.resolved.founders_left_days:  # the exits before the window start the clique's memory
            self.excitation = self.excited(day) + 1.0
            self.chose_day = day
        self.push = np.ones(model.days)  # remaining co-founders' hazard factor by day (early-stage push)

    def add_push(self, day: int, push: float, push_days: int) -> None:
        self.push *= push_series(self.model.days, day, push, push_days)

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        t = self.model.day
        self.excitation = self.excited(t) + 1.0
        self.chose_day = t

    def excited(self, t: int) -> float:
        """L_f(t) with the exits of day t itself (none yet when the day's hazards are set)."""
        if self.chose_day == -NEVER:
            return 0.0
        return self.excitation * math.exp(-(t - self.chose_day) / self.model.p.hazard.founder_decay_days)

    def terms(self, t: int) -> tuple[float, float]:
        """Today's clique term of co-founders' linear predictor (founder_contagion x L_f / (P_f - 1 + L_f), the
        decayed share of fellows who chose to leave) and their early-stage push factor."""
        m = self.model
        h, eta = m.p.hazard, 0.0
        if m.mech.contagion and h.founder_contagion and self.chose_day != -NEVER:
            excitation = self.excited(t)
            present = int(m.staffing.team_role_active[:, FOUNDER].sum())
            eta = h.founder_contagion * float(eq.contagion_share(excitation, present - 1 + excitation))
        return eta, float(self.push[t])
