"""The retention bonus lever (conf/lever/default.yaml: retention_bonus; docs/ODD.md, retention levers)."""

from __future__ import annotations

from sim.model.levers.base import Lever
from sim.schema import BONUS_PAYOUT


class RetentionBonus(Lever):
    """Cash after `stay_days`, forfeited on leaving earlier; cuts targeted quits until payout."""

    kind = "retention_bonus"
    fields = ("bonus_years_of_pay", "stay_days", "quit_cut")

    def apply(self, model, slots):
        wf = model.workforce
        payout = self.start_day + self.cfg.stay_days
        wf.bonus[slots] = self.cfg.bonus_years_of_pay * wf.pay[slots]
        wf.bonus_day[slots] = payout
        wf.quit_mult[slots] = 1.0 - self.cfg.quit_cut
        if self.cfg.bonus_years_of_pay > 0:  # no payout, no post-payout bump: a $0 bonus is no bonus
            wf.milestones[slots, BONUS_PAYOUT] = payout

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and day == self.start_day + self.cfg.stay_days:
            wf = model.workforce
            stayers = self.targets[wf.active[self.targets]]
            self.cost += wf.bonus[stayers].sum()
            wf.bonus[self.targets] = 0.0
