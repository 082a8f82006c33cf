"""The founding team: clique contagion among co-founders and the early-stage push."""

from __future__ import annotations

import numpy as np

from sim.model import equations as eq
from sim.model import shocks as shock_rules
from sim.schema import (
    FOUNDER,
)


class FoundingTeamMixin:
    """Methods of `AttritionModel` (sim/model/lab.py) for this mechanism; they use its state."""

    def add_founder_push(self, day: int, push: float, push_days: int) -> None:
        self.founder_push *= shock_rules.push_series(self.days, day, push, push_days)

    def founder_terms(self, t: int) -> tuple[float, float]:
        """Today's clique term of co-founders' linear predictor (founder_contagion x the share of fellow co-founders
        who chose to leave in the founder window) and their early-stage push factor."""
        h, eta = self.p.hazard, 0.0
        lately = t - self.founder_chose_day <= h.founder_window_days
        if lately and self.mech.contagion and h.founder_contagion and self.founder_slots.size:
            recent = int(np.count_nonzero(self.workforce.chose_left[self.founder_slots] >= t - h.founder_window_days))
            if recent:
                present = int(self.team_role_active[:, FOUNDER].sum())
                eta = h.founder_contagion * float(eq.contagion_share(float(recent), present - 1 + recent))
        return eta, float(self.founder_push[t])
