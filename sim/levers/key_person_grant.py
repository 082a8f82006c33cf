"""The change-of-control key-person retention grant (conf/lever/default.yaml: key_person_grant; docs/ODD.md,
retention levers): when the lab is acquired, its key people (by default co-founders and research leads) are promised a
grant worth `key_grant_years_of_pay` of pay, paid in full if they stay `stay_days` and forfeited if they leave earlier.

The pending grant holds them as unvested equity does (the hazard's unvested term, like a retention bonus) and its
payout date carries the post-vesting bump; it has no direct quit cut of its own. Sizes: WTW's 2017 Global M&A
Retention Study (244 acquirers) found a median award of 55 % of salary for senior executives, fully vested at a
median 18 months, and that high-retention acquirers pay in full only at the end of the period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.bounds import days, real
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig
from sim.schema import BONUS_PAYOUT


@dataclass
class KeyPersonGrantConfig(LeverConfig):
    kind: str = "key_person_grant"
    key_grant_years_of_pay: float = setting(
        0.0,
        real(0, 100, "years of pay"),
        "Key-person grant on a change of control (years of pay)",
        name="key_grant_years_of_pay",
        unit="years of pay",
        prior=Prior(
            0.3,
            1.0,
            False,
            "WTW M&A Retention Studies: median awards 31 % of salary (other staff, 2017) to 75-100 % (C-suite, 2024)",
            literature=True,
        ),
    )  # no dashboard slider: the grant acts only on an acquisition, which the dashboard's window may not hold
    stay_days: int = setting(180, days(1), "days from the acquisition to the payout")


class KeyPersonGrant(Lever):
    """Paid on the first change of control (a shock with `acquired`) dated on or after the lever's start."""

    config = KeyPersonGrantConfig
    null = ("key_grant_years_of_pay=0",)
    promised = np.zeros(0)  # dollars promised to each target (set when the acquisition comes)

    def scheduled(self, model) -> int | None:
        """The day of the first acquisition of the lab on or after `start` inside the window (None: none comes)."""
        if not model.mech.shocks:
            return None
        days = [
            day
            for shock, day in zip(model.p.shocks, model.resolved.shock_days, strict=True)
            if shock.acquired and self.start_day <= day < model.days
        ]
        return min(days) if days else None

    def apply(self, model, slots):
        wf = model.workforce
        self.promised = self.cfg.key_grant_years_of_pay * wf.pay[slots]  # dollars, paid on the payout day to stayers
        wf.bonus[slots] += self.promised
        if self.cfg.key_grant_years_of_pay > 0:
            wf.milestones[slots, BONUS_PAYOUT] = self.start_day + self.cfg.stay_days

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and day == self.start_day + self.cfg.stay_days:
            wf = model.workforce
            stayed = wf.active[self.targets]
            self.cost += float(self.promised[stayed].sum())
            wf.bonus[self.targets] = np.maximum(wf.bonus[self.targets] - self.promised, 0.0)
