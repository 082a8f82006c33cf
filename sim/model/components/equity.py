"""Equity: vesting schedules, vested and unvested value, the milestones that carry the post-vesting bump."""

from __future__ import annotations

import numpy as np

from sim.levers.refresh_grants import refresh_schedule
from sim.model import equations as eq
from sim.model.components.base import Component


def milestone_days(start_day: int, years: float, cliff_months: int) -> tuple[int, int]:
    """Day indices of a grant's cliff and of its last vesting date."""
    cliff = start_day + int(np.ceil(cliff_months * eq.DAYS_PER_MONTH))
    final = start_day + int(np.ceil(12 * years * eq.DAYS_PER_MONTH))
    return cliff, final


class Equity(Component):
    """Interface: `refresh_schedule`, `cliff_day`, `final_day`, `vested_value`, `unvested_value`, `unvested_years`,
    `vest_table`, `milestone_days`, `vested_fraction`."""

    name = "equity"
    owns = ("refresh_schedule", "cliff_day", "final_day", "vest_tables")

    def __init__(self, model):
        super().__init__(model)
        v = model.p.vesting
        self.cliff_day, self.final_day = milestone_days(0, v.years, v.cliff_months)
        self.refresh_schedule = (4.0, 0)
        self.vest_tables: dict[tuple, np.ndarray] = {}

    def init(self) -> None:
        self.refresh_schedule = refresh_schedule(self.model.policy.levers)  # (years, cliff months) of every refresh

    milestone_days = staticmethod(milestone_days)
    vested_fraction = staticmethod(eq.vested_fraction)  # share of a grant vested after some days (the levers' costs)

    def vested_value(self, slots: np.ndarray, at_day: int | None = None) -> np.ndarray:
        """Dollars vested from the main and refresh grants at a day (default today)."""
        m = self.model
        wf, t = m.workforce, m.day if at_day is None else at_day
        v = m.p.vesting
        main = wf.grant[slots] * eq.vested_fraction(t - wf.grant_start[slots], v.years, v.cliff_months)
        ry, rc = self.refresh_schedule
        refresh = wf.refresh[slots] * eq.vested_fraction(t - wf.refresh_start[slots], ry, rc)
        return main + refresh

    def unvested_value(self, slots: np.ndarray) -> np.ndarray:
        """Dollars of equity still to vest, plus any retention bonus pending."""
        wf = self.model.workforce
        return eq.unvested_equity(wf.grant[slots], wf.refresh[slots], wf.bonus[slots], self.vested_value(slots))

    def vest_table(self, years: float, cliff_months: int) -> np.ndarray:
        """`vested_fraction` for every whole day since a grant, up to the day it stops changing."""
        key = (years, cliff_months)
        if key not in self.vest_tables:
            months = max(np.ceil(12.0 * years), cliff_months)
            days = np.arange(int(np.ceil(months * eq.DAYS_PER_MONTH)) + 2)
            self.vest_tables[key] = eq.vested_fraction(days, years, cliff_months)
        return self.vest_tables[key]

    def unvested_years(self, idx, t: int):
        """Equity still to vest plus any pending bonus, in years of pay, at day t (0.0 without vesting)."""
        m = self.model
        if not m.mech.vesting:
            return 0.0
        wf, v = m.workforce, m.p.vesting
        main = self.vest_table(v.years, v.cliff_months)
        refresh = self.vest_table(*self.refresh_schedule)
        main_share = main[np.minimum(np.maximum(t - wf.grant_start[idx], 0), main.size - 1)]
        refresh_share = refresh[np.minimum(np.maximum(t - wf.refresh_start[idx], 0), refresh.size - 1)]
        vested = wf.grant[idx] * main_share + wf.refresh[idx] * refresh_share
        return eq.unvested_equity(wf.grant[idx], wf.refresh[idx], wf.bonus[idx], vested) / wf.pay[idx]
