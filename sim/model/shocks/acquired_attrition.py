"""Staff of an acquired firm leave faster for a while, seniors more (Kim, Strategy Science; Ng & Stuart 2022)."""

import numpy as np

from sim.model.shocks.base import Effect


class AcquiredAttrition(Effect):
    fields = ("acquired_ratio", "acquired_days", "senior_extra")
    label = "acquired-firm attrition"

    def switched_on(self, shock):
        return bool(shock.acquired) and shock.acquired_ratio > 1

    def fire(self, model, shock, firing):
        wf, n, act = model.workforce, firing.n, firing.act
        ratio = 1.0 + (shock.acquired_ratio - 1.0) * (1.0 + shock.senior_extra * wf.seniority[:n])
        wf.acq_mult[:n] = np.where(act, ratio, wf.acq_mult[:n])
        wf.acq_until[:n] = np.where(act, firing.day + shock.acquired_days, wf.acq_until[:n])
