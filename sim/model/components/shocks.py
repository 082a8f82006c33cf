"""Dated shocks on the calendar: each fires on its date (history before the window sets the starting state)."""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.model import shocks as shock_rules
from sim.model.components.base import Component


class Shocks(Component):
    """Interface: `excess` (the shocks' decaying hazard excess by day), `add_excess`."""

    name = "shocks"
    owns = ("excess",)

    def __init__(self, model):
        super().__init__(model)
        self.excess = np.zeros(model.days)

    def add_excess(self, day: int, amp: float, tau: float) -> None:
        self.excess += shock_rules.excess_series(self.model.days, day, amp, tau)

    def init(self) -> None:
        """Fire the history now; put the window's shocks (and planned IPOs) on Mesa's event calendar."""
        m = self.model
        if not m.mech.shocks:
            return
        for i, (shock, day) in enumerate(zip(m.p.shocks, m.resolved.shock_days, strict=True)):
            if day < 0:
                shock_rules.fire(m, shock, i, day)
            else:
                m.at(day + 0.5, partial(shock_rules.fire, m, shock, i, day))
        for shock, day in zip(m.p.shocks, m.resolved.ipo_days, strict=True):  # planned IPOs: liquidity on their dates
            if day is not None and shock.ipo_liquidity:
                if day < 0:
                    shock_rules.ipo(m, shock, day)
                elif day < m.days:
                    m.at(day + 0.5, partial(shock_rules.ipo, m, shock, day))
