"""The refresh grants lever (conf/lever/default.yaml: refresh_grants; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.bounds import count, prob, real
from sim.config.declare import Prior, setting
from sim.config.errors import ConfigError
from sim.levers.base import Lever, LeverConfig
from sim.schema import REFRESH_CLIFF, REFRESH_END


@dataclass
class RefreshGrantsConfig(LeverConfig):
    kind: str = "refresh_grants"
    grant_years_of_pay: float = setting(
        0.0,
        real(0, 100, "years of pay"),
        "Refresh grant (years of pay)",
        name="refresh_grant",
        unit="years of pay",
        slider_max=4.0,
    )
    grant_years: float = setting(
        4.0, real(1 / 12, 10, "years of a vesting schedule, at least a month"), "years over which the grant vests"
    )
    grant_cliff_months: int = setting(0, count(120, why="months"), "months before the first part vests")
    perceived_value: float = setting(
        1.0,
        prob("the share of a grant's dollars staff count as held equity"),
        "Refresh grant: share of its value staff count as held equity",
        name="refresh_perceived_value",
        unit="share of the dollar value",
        prior=Prior(
            0.5, 1.0, False, "assumption: staff count between half and all of a refresher's dollar value as held equity"
        ),
    )

    def check(self, where):
        cliff = self.grant_cliff_months
        return [(0 <= cliff <= round(12 * self.grant_years), f"{where}.grant_cliff_months", cliff, "0..12*grant_years")]


class RefreshGrants(Lever):
    """A new equity grant on its own vesting schedule; cost is the part that vests in the window."""

    config = RefreshGrantsConfig
    null = ("grant_years_of_pay=0",)

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
        frac = model.equity.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        self.cost += float((self.granted * frac).sum())

    def costs_to_date(self, model, booked):
        """Before the window's last day (when `finish` books the grant) the part vested to date is added."""
        days = np.arange(booked.size)
        until = np.minimum(model.workforce.left[self.targets][:, None], days[None, :] + 1)
        frac = model.equity.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
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
