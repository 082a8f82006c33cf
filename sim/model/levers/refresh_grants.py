"""The refresh grants lever (conf/lever/default.yaml: refresh_grants; docs/ODD.md, retention levers)."""

from __future__ import annotations

import numpy as np

from sim.config.params import ConfigError
from sim.model import equations as eq
from sim.model.levers.base import Lever
from sim.schema import REFRESH_CLIFF, REFRESH_END


class RefreshGrants(Lever):
    """A new equity grant on its own vesting schedule; cost is the part that vests in the window."""

    kind = "refresh_grants"
    fields = ("grant_years_of_pay", "grant_years", "grant_cliff_months", "perceived_value")

    granted = np.zeros(0)  # dollars granted to each target (set on activation)

    def apply(self, model, slots):
        wf = model.workforce
        self.granted = self.cfg.grant_years_of_pay * wf.pay[slots]  # dollars, what the lab pays as it vests
        wf.refresh[slots] = self.granted * self.cfg.perceived_value  # what holds people (their valuation)
        wf.refresh_start[slots] = self.start_day
        if self.cfg.grant_years_of_pay <= 0:  # no grant, no vesting dates (and no post-vesting bump)
            return
        cliff, final = model.equity.milestone_days(self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        if self.cfg.grant_cliff_months:
            wf.milestones[slots, REFRESH_CLIFF] = cliff
        wf.milestones[slots, REFRESH_END] = final

    def finish(self, model, last_day):
        wf = model.workforce
        until = np.minimum(wf.left[self.targets], last_day + 1)
        frac = eq.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        self.cost += float((self.granted * frac).sum())

    def costs_to_date(self, model, booked):
        """Before the window's last day (when `finish` books the grant) the part vested to date is added."""
        days = np.arange(booked.size)
        until = np.minimum(model.workforce.left[self.targets][:, None], days[None, :] + 1)
        frac = eq.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        out = booked + (self.granted[:, None] * frac).sum(0) if self.targets.size else booked.copy()
        if model.settled and booked.size == model.days:
            out[-1] = booked[-1]  # settled: `finish` booked exactly this
        return out


def refresh_schedule(levers: list[Lever]) -> tuple[float, int]:
    """The run's one vesting schedule of refresh grants (the compiled pass holds one table for it): every refresh
    grants lever of a policy must share it (a second one with another schedule would re-date the first's grants)."""
    grants = [lv for lv in levers if isinstance(lv, RefreshGrants)]
    if not grants:
        return (4.0, 0)
    first = (grants[0].cfg.grant_years, grants[0].cfg.grant_cliff_months)
    for lever in grants[1:]:
        for name, value, want in zip(
            ("grant_years", "grant_cliff_months"),
            (lever.cfg.grant_years, lever.cfg.grant_cliff_months),
            first,
            strict=True,
        ):
            if value != want:
                raise ConfigError(
                    f"policy.levers[{lever.index}].{name}",
                    value,
                    f"{want!r}, as policy.levers[{grants[0].index}] (one refresh-grant vesting schedule per run)",
                )
    return first
