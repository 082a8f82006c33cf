"""The retention bonus lever (conf/lever/default.yaml: retention_bonus; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.bounds import days, prob, real
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig
from sim.schema import BONUS_PAYOUT


@dataclass
class RetentionBonusConfig(LeverConfig):
    kind: str = "retention_bonus"
    bonus_years_of_pay: float = setting(0.0, real(0, 100, "years of pay"), "bonus paid to stayers, in years of pay")
    stay_days: int = setting(180, days(1), "days from the start to the payout")
    quit_cut: float = setting(
        0.0,
        prob(),
        "Bonus: cut in targeted quits",
        name="bonus_quit_cut",
        unit="share of targeted quits",
        prior=Prior(
            0.0,
            0.17,
            False,
            "Clotfelter et al. 2008: bonuses cut targeted quits 12-17 % (upper end); Springer et al. 2016: no effect "
            "(0)",
            literature=True,
        ),
        slider_max=0.5,
    )


class RetentionBonus(Lever):
    """Cash after `stay_days`, forfeited on leaving earlier; cuts targeted quits until payout."""

    config = RetentionBonusConfig
    null = ("bonus_years_of_pay=0", "quit_cut=0")

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
