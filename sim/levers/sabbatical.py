"""The sabbatical lever (conf/lever/default.yaml: sabbatical; docs/ODD.md, retention levers): paid leave of
`leave_weeks` once a person has served `eligible_years`; on return their burnout is cut by `burnout_relief`.

Sabbatical takers report less stress and more well-being during the leave than matched colleagues who stay, and
keep part of the gain after they return (Davidson et al. 2010, J. Applied Psychology 95(5), 953-964): the lever
acts through burnout, the state the quit hazard reads. The lab pays the salary of people on leave without their
output, so the leave's pay is its cost. People on leave can still quit (a simplification: leavers on sabbatical
are rare, and a rival's offer reaches them all the same)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.bounds import prob, real
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class SabbaticalConfig(LeverConfig):
    kind: str = "sabbatical"
    eligible_years: float = setting(4.0, real(0, 50, "years of service"), "years of service before a sabbatical")
    leave_weeks: float = setting(0.0, real(0, 52, "weeks"), "weeks of paid leave")
    burnout_relief: float = setting(
        0.0,
        prob(),
        "Sabbatical: share of burnout gone on return",
        name="sabbatical_burnout_relief",
        unit="share of burnout",
        prior=Prior(
            0.2,
            0.8,
            False,
            "assumption around Davidson et al. 2010 (J. Applied Psychology): stress fell and well-being rose during "
            "sabbaticals, and part of the gain lasted after return",
        ),
        slider_max=1.0,
    )


class Sabbatical(Lever):
    """Each targeted person takes the leave on the later of the lever's start and the day they become eligible."""

    config = SabbaticalConfig
    null = ("burnout_relief=0", "leave_weeks=0")
    practice = True  # people hired later take theirs when they qualify

    def __init__(self, cfg, start_day, index=0):
        super().__init__(cfg, start_day, index)
        self.leave = np.zeros(0, dtype=np.int64)  # the day each target's leave starts
        self.leave_days = round(7 * cfg.leave_weeks)

    def apply(self, model, slots):
        eligible = model.workforce.hired[slots] + round(365 * self.cfg.eligible_years)
        self.leave = np.concatenate([self.leave, np.maximum(eligible, self.start_day)])

    def daily(self, model, day):
        super().daily(model, day)
        if not self.active:
            return
        wf = model.workforce
        present = wf.active[self.targets]
        on_leave = present & (self.leave <= day) & (day < self.leave + self.leave_days)
        self.cost += float(wf.pay[self.targets[on_leave]].sum()) / 365.0  # a day's pay of everyone on leave
        back = self.targets[present & (self.leave + self.leave_days == day)]
        if back.size and self.cfg.burnout_relief:
            wf.burnout[back] *= 1.0 - self.cfg.burnout_relief
