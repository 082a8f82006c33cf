"""After a layoff the high performers who remain leave faster for a while (Sajjadiani et al.)."""

import numpy as np

from sim.model.shocks.base import Effect


class SurvivorSyndrome(Effect):
    fields = ("survivor_ratio", "survivor_days")
    label = "survivor syndrome"

    def switched_on(self, shock):
        return shock.survivor_ratio > 1 and bool(shock.survivor_days)

    def fire(self, model, shock, firing):
        wf, n = model.workforce, firing.n
        survivors = firing.act & wf.high_performer[:n]
        wf.surv_mult[:n] = np.where(survivors, shock.survivor_ratio, wf.surv_mult[:n])
        wf.surv_until[:n] = np.where(survivors, firing.day + shock.survivor_days, wf.surv_until[:n])
