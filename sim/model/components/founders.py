"""The founding team: clique contagion among co-founders and the early-stage push."""

from __future__ import annotations

import numpy as np

from sim.model import equations as eq
from sim.model.components.base import Component
from sim.model.shocks import push_series
from sim.model.workforce import NEVER
from sim.schema import FOUNDER, POACHED, SPINOUT, VOLUNTARY


class FoundingTeam(Component):
    """Interface: `slots` (the co-founders' slots), `push` (their hazard factor by day), `add_push`, `terms`."""

    name = "founders"
    owns = ("slots", "chose_day", "push")
    depart_causes = (VOLUNTARY, POACHED, SPINOUT)  # a co-founder's choice to leave (not a layoff)
    depart_roles = (FOUNDER,)

    def __init__(self, model):
        super().__init__(model)
        wf = model.workforce
        self.slots = np.flatnonzero(wf.role[: wf.n] == FOUNDER)
        self.chose_day = -NEVER  # the last day a co-founder chose to leave
        self.push = np.ones(model.days)  # remaining co-founders' hazard factor by day (early-stage push)

    def add_push(self, day: int, push: float, push_days: int) -> None:
        self.push *= push_series(self.model.days, day, push, push_days)

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        self.chose_day = self.model.day  # the clique term is zero when no co-founder chose to leave lately

    def terms(self, t: int) -> tuple[float, float]:
        """Today's clique term of co-founders' linear predictor (founder_contagion x the share of fellow co-founders
        who chose to leave in the founder window) and their early-stage push factor."""
        m = self.model
        h, eta = m.p.hazard, 0.0
        lately = t - self.chose_day <= h.founder_window_days
        if lately and m.mech.contagion and h.founder_contagion and self.slots.size:
            recent = int(np.count_nonzero(m.workforce.chose_left[self.slots] >= t - h.founder_window_days))
            if recent:
                present = int(m.staffing.team_role_active[:, FOUNDER].sum())
                eta = h.founder_contagion * float(eq.contagion_share(float(recent), present - 1 + recent))
        return eta, float(self.push[t])
