"""The change-of-control key-person retention grant (conf/lever/default.yaml: key_person_grant; docs/ODD.md,
retention levers): when the lab is acquired, its key people (by default co-founders and research leads) are promised a
grant worth `key_grant_years_of_pay` of pay, paid in full if they stay `stay_days` and forfeited if they leave earlier.

The pending grant holds them as unvested equity does (the hazard's unvested term, like a retention bonus) and its
payout date carries the post-vesting bump; it has no direct quit cut of its own. Sizes: WTW's 2017 Global M&A
Retention Study (244 acquirers) found a median award of 55 % of salary for senior executives, fully vested at a
median 18 months, and that high-retention acquirers pay in full only at the end of the period."""

from __future__ import annotations

import numpy as np

from sim.model.levers.base import Lever
from sim.schema import BONUS_PAYOUT


class KeyPersonGrant(Lever):
    """Paid on the first change of control (a shock with `acquired`) dated on or after the lever's start."""

    kind = "key_person_grant"
    fields = ("key_grant_years_of_pay", "stay_days")
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
